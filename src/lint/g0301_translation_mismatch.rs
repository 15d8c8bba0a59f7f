use std::collections::BTreeSet;

use crate::diagnostic::Diagnostic;
use crate::model::{Guideline, Lang, Prose, Role};

declare_lint! {
    /// ## What it does
    /// Reports a control (or chapter introduction) whose Japanese and English texts tag
    /// different (technology, role) pairs.
    ///
    /// ## Why is this bad?
    /// The Japanese text is authoritative and the English a faithful translation. If one
    /// requires what the other only gives as an example, vendors reading English build to a
    /// different rule than clinics reading Japanese.
    ///
    /// ## Example
    /// Japanese: `[FIDO2](example:fido2)`; English: `[FIDO2](required:fido2)`.
    ///
    /// ## Use instead
    /// Tag the same technologies with the same roles in both languages.
    "G0301", "translation-mismatch", Error, Some(check)
}

fn tags<'a>(prose: impl Iterator<Item = &'a Prose>) -> BTreeSet<(&'a str, Role)> {
    prose
        .flat_map(|p| p.mentions.iter())
        .filter_map(|m| m.role.map(|r| (m.technology.as_str(), r)))
        .collect()
}

fn describe(set: &BTreeSet<(&str, Role)>) -> String {
    set.iter()
        .map(|(t, r)| format!("{}:{t}", r.keyword()))
        .collect::<Vec<_>>()
        .join(", ")
}

fn check(g: &Guideline, out: &mut Vec<Diagnostic>) {
    for (_, chapter) in g.chapters() {
        if let (Some(en), Some((en_file, en_span))) = (&chapter.intro.en, &chapter.en_heading) {
            let ja = tags(std::iter::once(&chapter.intro.ja));
            let en = tags(std::iter::once(en));
            report(
                g,
                out,
                &chapter.id,
                "introduction",
                &ja,
                &en,
                *en_file,
                en_span.clone(),
            );
        }
        for control in &chapter.controls {
            let Some((en_file, en_span)) = control.en_heading.clone() else {
                continue;
            };
            report(
                g,
                out,
                &control.id,
                "text",
                &control.tags(Lang::Ja),
                &control.tags(Lang::En),
                en_file,
                en_span,
            );
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn report(
    g: &Guideline,
    out: &mut Vec<Diagnostic>,
    id: &str,
    what: &str,
    ja: &BTreeSet<(&str, Role)>,
    en: &BTreeSet<(&str, Role)>,
    en_file: usize,
    en_span: std::ops::Range<usize>,
) {
    if ja == en {
        return;
    }
    let only_ja: BTreeSet<_> = ja.difference(en).copied().collect();
    let only_en: BTreeSet<_> = en.difference(ja).copied().collect();
    let mut parts = Vec::new();
    if !only_ja.is_empty() {
        parts.push(format!("only Japanese tags {}", describe(&only_ja)));
    }
    if !only_en.is_empty() {
        parts.push(format!("only English tags {}", describe(&only_en)));
    }
    out.push(
        LINT.at(g.sources.get(en_file), en_span, format!("{id} {what}: Japanese and English tag different technologies ({})", parts.join("; ")))
            .help("tag the same technologies with the same roles in both languages; the Japanese text is authoritative"),
    );
}
