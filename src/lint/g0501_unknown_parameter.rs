use std::collections::BTreeSet;

use crate::diagnostic::Diagnostic;
use crate::model::Guideline;

declare_lint! {
    /// ## What it does
    /// Reports a reference to a parameter that no control declares: a link
    /// `[text](param:ID)` in prose, or `{{ insert: param, ID }}` in the text of another
    /// parameter (its label, guidelines or choices).
    ///
    /// ## Why is this bad?
    /// A parameter is the value an organisation fills in, and the OSCAL catalog names it by
    /// id: a profile sets it, a system security plan answers it. A reference to no declared
    /// parameter exports as an `insert` that every OSCAL tool rejects, and the site shows a
    /// blank where the value should be. Usually the id was misspelt or the declaration was
    /// removed.
    ///
    /// ## Example
    /// ```markdown
    /// ログは[保存期間](param:C-12.4_prm_9)の間保存すること。
    /// ```
    /// where the control declares only `C-12.4_prm_1`.
    ///
    /// ## Use instead
    /// ```markdown
    /// ログは[保存期間](param:C-12.4_prm_1)の間保存すること。
    /// ```
    /// and declare it in the control's metadata:
    /// ```toml
    /// [[param]]
    /// id = "C-12.4_prm_1"
    /// label = { ja = "保存期間", en = "retention period" }
    /// ```
    "G0501", "unknown-parameter", Error, Some(check)
}

/// Every parameter id the guideline declares: in its controls and, for an imported
/// catalog, at catalog level.
pub fn declared(g: &Guideline) -> BTreeSet<&str> {
    g.controls()
        .flat_map(|(_, _, k)| k.params.iter().map(|p| p.id.value.as_str()))
        .chain(
            g.carried
                .iter()
                .flat_map(|c| c.params.iter().map(|p| p.id.as_str())),
        )
        .collect()
}

/// The ids a parameter's own text inserts.
pub fn inserted_by(p: &crate::model::Param) -> Vec<String> {
    let texts = p
        .label
        .iter()
        .chain(&p.guidelines)
        .chain(p.select.iter().flat_map(|s| &s.choice))
        .flat_map(|l| std::iter::once(&l.ja).chain(l.en.as_ref()));
    let ids: BTreeSet<String> = texts
        .flat_map(|t| crate::oscal::inserted_params(t))
        .collect();
    ids.into_iter().collect()
}

fn check(g: &Guideline, out: &mut Vec<Diagnostic>) {
    let known = declared(g);
    let nearest = |id: &str| {
        known
            .iter()
            .min_by_key(|k| strsim::levenshtein(k, id))
            .filter(|k| strsim::levenshtein(k, id) <= 3)
            .map_or_else(
                || "declare it in the control's metadata (`[[param]]` with this `id`), or remove the reference".to_string(),
                |k| format!("did you mean `{k}`?"),
            )
    };
    for p in g.prose() {
        for r in &p.params {
            if !known.contains(r.id.as_str()) {
                out.push(
                    LINT.at(
                        g.sources.get(p.file),
                        r.span.clone(),
                        format!("parameter `{}` is declared by no control", r.id),
                    )
                    .help(nearest(&r.id)),
                );
            }
        }
    }
    for (_, _, k) in g.controls() {
        for p in &k.params {
            for id in inserted_by(p) {
                if !known.contains(id.as_str()) {
                    out.push(
                        LINT.at(
                            g.sources.get(p.id.file),
                            p.id.span.clone(),
                            format!(
                                "parameter `{}` inserts `{id}`, which is declared by no control",
                                p.id.value
                            ),
                        )
                        .help(nearest(&id)),
                    );
                }
            }
        }
    }
}
