use std::collections::BTreeSet;

use crate::diagnostic::Diagnostic;
use crate::model::Guideline;

declare_lint! {
    /// ## What it does
    /// Reports a parameter that a control declares but no text uses: neither a
    /// `[text](param:ID)` link in prose, nor an `{{ insert: param, ID }}` in another
    /// parameter, nor (in an imported catalog) in the OSCAL parts that `oscal.json` carries.
    ///
    /// ## Why is this bad?
    /// A vendor answering the catalog sees a value to set that the requirement never
    /// mentions, and cannot tell what it governs. Usually the sentence that used it was
    /// rewritten and the declaration was left behind.
    ///
    /// ## Example
    /// ```toml
    /// [[param]]
    /// id = "C-6.3_prm_1"
    /// label = { ja = "棚卸しの間隔", en = "review interval" }
    /// ```
    /// with a statement that says 「定期的に」 instead of naming it.
    ///
    /// ## Use instead
    /// ```markdown
    /// アカウントを[棚卸しの間隔](param:C-6.3_prm_1)ごとに見直すこと。
    /// ```
    /// or remove the declaration.
    "G0502", "unused-parameter", Warning, Some(check)
}

fn check(g: &Guideline, out: &mut Vec<Diagnostic>) {
    let mut used: BTreeSet<String> = g
        .prose()
        .flat_map(|p| p.params.iter().map(|r| r.id.clone()))
        .collect();
    for (_, _, k) in g.controls() {
        for p in &k.params {
            used.extend(super::g0501_unknown_parameter::inserted_by(p));
        }
    }
    if let Some(c) = &g.carried {
        fn strings(v: &serde_json::Value, used: &mut BTreeSet<String>) {
            match v {
                serde_json::Value::String(s) if s.contains("{{") => {
                    used.extend(crate::oscal::inserted_params(s));
                }
                serde_json::Value::Array(a) => a.iter().for_each(|v| strings(v, used)),
                serde_json::Value::Object(o) => o.values().for_each(|v| strings(v, used)),
                _ => {}
            }
        }
        for fields in c
            .controls
            .values()
            .chain(c.part_fields.values())
            .chain(c.param_fields.values())
        {
            for v in fields.values() {
                strings(v, &mut used);
            }
        }
        for p in &c.params {
            if let Ok(v) = serde_json::to_value(p) {
                strings(&v, &mut used);
            }
        }
    }
    for (_, _, k) in g.controls() {
        for p in &k.params {
            if !used.contains(&p.id.value) {
                out.push(
                    LINT.at(
                        g.sources.get(p.id.file),
                        p.id.span.clone(),
                        format!("parameter `{}` of {} is used by no text", p.id.value, k.id),
                    )
                    .help(format!(
                        "refer to it in the statement as `[label](param:{})`, or remove the declaration",
                        p.id.value
                    )),
                );
            }
        }
    }
}
