use std::collections::BTreeSet;

use crate::diagnostic::Diagnostic;
use crate::model::Guideline;

declare_lint! {
    /// ## What it does
    /// Reports a `related` ID that names no chapter, control or statement item (`C-7.4.a`)
    /// of this edition, and a `parent` that names no control above the enhancement in its
    /// chapter.
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
    let items: Vec<String> = g
        .controls()
        .flat_map(|(_, _, k)| {
            k.statement
                .ja
                .all_items()
                .into_iter()
                .map(move |i| format!("{}.{}", k.id, i.id))
        })
        .collect();
    let ids: BTreeSet<&str> = g
        .chapters()
        .map(|(_, c)| c.id.as_str())
        .chain(g.controls().map(|(_, _, c)| c.id.as_str()))
        .chain(items.iter().map(String::as_str))
        .collect();
    for (_, c) in g.chapters() {
        for (i, k) in c.controls.iter().enumerate() {
            let Some(parent) = &k.parent else {
                continue;
            };
            let before = c.controls[..i].iter().any(|p| p.id == parent.value);
            if !before {
                out.push(
                    LINT.at(
                        g.sources.get(parent.file),
                        parent.span.clone(),
                        format!("{} enhances {}, which is not a control before it in this chapter", k.id, parent.value),
                    )
                    .help("`parent` names a control of the same chapter, written above the enhancement"),
                );
            }
        }
    }
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
