use crate::diagnostic::Diagnostic;
use crate::model::Guideline;

declare_lint! {
    /// ## What it does
    /// Reports Japanese text with no English counterpart: a chapter file without its
    /// `.en.md`, a control missing from the English file, or a statement, guidance, chapter
    /// introduction or title that is written in Japanese but left empty in English.
    ///
    /// ## Why is this bad?
    /// The English edition is a full translation that vendors abroad and the catalog rely on;
    /// a missing piece silently drops a requirement for them.
    ///
    /// ## Example
    /// `parts/4-control/02-network.ja.md` exists, `02-network.en.md` lacks control C-2.3.
    ///
    /// ## Use instead
    /// Add `## C-2.3 …` with its `### Statement` and `### Guidance` to the English file.
    "G0014", "missing-translation", Error, Some(check)
}

fn check(g: &Guideline, out: &mut Vec<Diagnostic>) {
    for part in &g.parts {
        if part.title.en.is_none() {
            let f = g.sources.get(part.file);
            out.push(
                LINT.at(
                    f,
                    part.title_span.clone(),
                    format!("part {} has no English title", part.id),
                )
                .help("set `title = { ja = \"…\", en = \"…\" }`"),
            );
        }
    }
    for (_, chapter) in g.chapters() {
        let f = g.sources.get(chapter.file);
        let Some((en_file, en_span)) = chapter.en_heading.clone() else {
            out.push(
                LINT.at(
                    f,
                    chapter.id_span.clone(),
                    format!("chapter {} has no English translation", chapter.id),
                )
                .help(format!(
                    "add `{}.en.md` beside it with the same headings",
                    chapter.slug
                )),
            );
            continue;
        };
        if chapter.intro.en.as_ref().is_some_and(|en| en.is_blank()) && !chapter.intro.ja.is_blank()
        {
            out.push(
                LINT.at(
                    g.sources.get(en_file),
                    en_span,
                    format!("chapter {} introduction is not translated", chapter.id),
                )
                .help("translate the text between the chapter heading and its first control"),
            );
        }
        for control in &chapter.controls {
            let Some((en_file, en_span)) = control.en_heading.clone() else {
                out.push(
                    LINT.at(
                        f,
                        control.id_span.clone(),
                        format!("control {} has no English translation", control.id),
                    )
                    .help(format!(
                        "add `## {} <title>` with `### Statement` and `### Guidance` to {}.en.md",
                        control.id, chapter.slug
                    )),
                );
                continue;
            };
            let en = g.sources.get(en_file);
            if control.guidance.en.as_ref().is_some_and(|p| p.is_blank())
                && !control.guidance.ja.is_blank()
            {
                out.push(
                    LINT.at(
                        en,
                        en_span.clone(),
                        format!("control {} guidance is not translated", control.id),
                    )
                    .help("add `### Guidance` with the translation of 解説"),
                );
            }
        }
    }
}
