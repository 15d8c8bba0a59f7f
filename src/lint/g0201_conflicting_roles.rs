use std::collections::BTreeMap;

use crate::diagnostic::Diagnostic;
use crate::model::{Guideline, Lang, Mention, Role};

declare_lint! {
    /// ## What it does
    /// Reports a technology that the guideline requires in one place and prohibits in
    /// another.
    ///
    /// ## Why is this bad?
    /// Nobody can comply with both. This happens when one chapter is revised (a protocol
    /// version becomes prohibited) and another chapter still requires it.
    ///
    /// ## Example
    /// Chapter C-2 says `[TLS 1.2](required:tls-1-2)`; chapter C-5 says
    /// `[TLS 1.2](prohibited:tls-1-2)`.
    ///
    /// ## Use instead
    /// Decide once and state it in one control; elsewhere, refer to that control.
    "G0201", "conflicting-roles", Error, Some(check)
}

fn check(g: &Guideline, out: &mut Vec<Diagnostic>) {
    // First required and first prohibited mention of each technology (Japanese text).
    let mut first: BTreeMap<&str, (Option<&Mention>, Option<&Mention>)> = BTreeMap::new();
    for m in g.mentions().filter(|m| m.lang == Lang::Ja) {
        let entry = first.entry(m.technology.as_str()).or_default();
        match m.role {
            Some(Role::Required) if entry.0.is_none() => entry.0 = Some(m),
            Some(Role::Prohibited) if entry.1.is_none() => entry.1 = Some(m),
            _ => {}
        }
    }
    for (technology, pair) in first {
        if let (Some(required), Some(prohibited)) = pair {
            out.push(
                LINT.at(
                    g.sources.get(prohibited.file),
                    prohibited.span.clone(),
                    format!("`{technology}` is prohibited here but required elsewhere"),
                )
                .related(g.sources.get(required.file), required.span.clone(), "required here")
                .help("a technology cannot be both: decide once, and tag the other mention as it really is"),
            );
        }
    }
}
