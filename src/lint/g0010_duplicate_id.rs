use std::collections::BTreeMap;
use std::ops::Range;

use crate::diagnostic::Diagnostic;
use crate::model::Guideline;
use crate::source::FileId;

declare_lint! {
    /// ## What it does
    /// Reports a part, chapter or control ID used more than once in the guideline.
    ///
    /// ## Why is this bad?
    /// IDs are how vendors, auditors and the next edition refer to a requirement. Two
    /// controls with one ID make every checklist, cross-reference and edition diff ambiguous.
    ///
    /// ## Example
    /// ```markdown
    /// ## C-6.1 利用者の識別
    /// ...
    /// ## C-6.1 二要素認証
    /// ```
    ///
    /// ## Use instead
    /// ```markdown
    /// ## C-6.1 利用者の識別
    /// ...
    /// ## C-6.2 二要素認証
    /// ```
    "G0010", "duplicate-id", Error, Some(check)
}

fn check(g: &Guideline, out: &mut Vec<Diagnostic>) {
    let mut seen: BTreeMap<&str, (FileId, Range<usize>)> = BTreeMap::new();
    let chapters = g
        .chapters()
        .map(|(_, c)| (c.id.as_str(), c.file, c.id_span.clone()));
    let controls = g
        .controls()
        .map(|(_, _, c)| (c.id.as_str(), c.file, c.id_span.clone()));
    for (id, file, span) in chapters.chain(controls) {
        if let Some((first_file, first_span)) = seen.get(id) {
            out.push(
                LINT.at(g.sources.get(file), span, format!("duplicate ID {id}"))
                    .related(
                        g.sources.get(*first_file),
                        first_span.clone(),
                        "first used here",
                    )
                    .help("IDs are stable references: give this one a new, unused ID"),
            );
        } else {
            seen.insert(id, (file, span));
        }
    }
    let mut parts: BTreeMap<&str, FileId> = BTreeMap::new();
    for p in &g.parts {
        if let Some(first) = parts.insert(p.id.as_str(), p.file) {
            let f = g.sources.get(p.file);
            out.push(
                LINT.at(f, p.id_span.clone(), format!("duplicate part ID {}", p.id))
                    .help(format!(
                        "{} uses it already",
                        g.sources.get(first).path.display()
                    )),
            );
        }
    }
}
