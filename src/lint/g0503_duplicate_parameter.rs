use std::collections::BTreeMap;

use crate::diagnostic::Diagnostic;
use crate::model::Guideline;

declare_lint! {
    /// ## What it does
    /// Reports a parameter id declared twice, in one control or in two.
    ///
    /// ## Why is this bad?
    /// OSCAL names parameters by id across the whole catalog: a profile that sets
    /// `C-7.12_prm_1` or a vendor's answer to it cannot say which of the two it means, and
    /// the export would hold two parameters with one id, which OSCAL does not allow.
    ///
    /// ## Example
    /// ```toml
    /// [[param]]
    /// id = "C-7.12_prm_1"
    /// label = { ja = "失敗の上限回数", en = "maximum failures" }
    ///
    /// [[param]]
    /// id = "C-7.12_prm_1"
    /// label = { ja = "ロックの時間", en = "lock-out period" }
    /// ```
    ///
    /// ## Use instead
    /// ```toml
    /// [[param]]
    /// id = "C-7.12_prm_1"
    /// label = { ja = "失敗の上限回数", en = "maximum failures" }
    ///
    /// [[param]]
    /// id = "C-7.12_prm_2"
    /// label = { ja = "ロックの時間", en = "lock-out period" }
    /// ```
    "G0503", "duplicate-parameter", Error, Some(check)
}

fn check(g: &Guideline, out: &mut Vec<Diagnostic>) {
    let mut first: BTreeMap<&str, &str> = BTreeMap::new();
    for (_, _, k) in g.controls() {
        for p in &k.params {
            match first.get(p.id.value.as_str()) {
                Some(owner) => out.push(
                    LINT.at(
                        g.sources.get(p.id.file),
                        p.id.span.clone(),
                        format!("parameter `{}` is declared again (first in {owner})", p.id.value),
                    )
                    .help("give each parameter an id of its own, such as the control id, `_prm_` and the next number"),
                ),
                None => {
                    first.insert(&p.id.value, &k.id);
                }
            }
        }
    }
}
