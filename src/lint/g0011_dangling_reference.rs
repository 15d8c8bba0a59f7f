use std::collections::BTreeSet;

use crate::diagnostic::Diagnostic;
use crate::model::Guideline;

declare_lint! {
    /// ## What it does
    /// Reports a `related` ID that names no chapter or control of this edition.
    ///
    /// ## Why is this bad?
    /// A reader who follows the link finds nothing; usually the target was renumbered or
    /// removed and the reference was forgotten.
    ///
    /// ## Example
    /// ```toml
    /// related = ["C-99.1"]
    /// ```
    ///
    /// ## Use instead
    /// ```toml
    /// related = ["C-9.1"]
    /// ```
    "G0011", "dangling-reference", Error, Some(check)
}

fn check(g: &Guideline, out: &mut Vec<Diagnostic>) {
    let ids: BTreeSet<&str> = g
        .chapters()
        .map(|(_, c)| c.id.as_str())
        .chain(g.controls().map(|(_, _, c)| c.id.as_str()))
        .collect();
    for (_, _, control) in g.controls() {
        for r in &control.related {
            if !ids.contains(r.value.as_str()) {
                let nearest = ids
                    .iter()
                    .min_by_key(|id| strsim::levenshtein(id, &r.value))
                    .copied();
                let help = match nearest {
                    Some(n) if strsim::levenshtein(n, &r.value) <= 2 => {
                        format!("did you mean {n}?")
                    }
                    _ => "name an existing chapter or control ID, or remove the reference"
                        .to_string(),
                };
                out.push(
                    LINT.at(
                        g.sources.get(r.file),
                        r.span.clone(),
                        format!("{} refers to {}, which does not exist", control.id, r.value),
                    )
                    .help(help),
                );
            }
        }
    }
}
