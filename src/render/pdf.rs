//! The PDF edition, typeset by Typst used as a library: cover, table of contents, running
//! headers, page numbers, control IDs, role labels as text, bookmarks (from headings).
//!
//! The Typst source comes from a tera template (`templates/pdf/guideline.typ.tera`); prose
//! is converted from the model's parsed events to Typst markup, with every piece of text
//! passed as a string literal (`typeset::lit`) so nothing in the guideline can be read as
//! Typst code. Fonts are the system's (`typeset::Fonts`); without a Japanese font the build
//! stops and says what to install, rather than printing boxes.

use std::fmt::Write as _;

use anyhow::Result;
use pulldown_cmark::{Event, Tag, TagEnd};
use serde::Serialize;

use crate::diff::{EditionDiff, Segment};
use crate::model::{Guideline, Lang, Prose};
use crate::syntax::{parse_tag, TagParse};
use crate::typeset::{compile, japanese_fonts, lit, template, text, ymd, Fonts};

/// Prose as Typst markup: paragraphs, emphasis, lists, tables, code; tags as the name
/// followed by its role label in brackets (〔例示〕), so the role survives in print.
pub fn prose(p: &Prose, lang: Lang) -> String {
    let mut out = String::new();
    // Open containers: each collects its children's markup.
    let mut stack: Vec<(String, String)> = Vec::new(); // (kind, buffer)
    let mut tag_roles: Vec<Option<crate::model::Role>> = Vec::new();
    let mut table_cols: Vec<usize> = Vec::new();
    macro_rules! buf {
        () => {
            match stack.last_mut() {
                Some((_, b)) => b,
                None => &mut out,
            }
        };
    }
    for e in &p.events {
        match e {
            Event::Start(tag) => {
                let kind = match tag {
                    Tag::Paragraph => "p",
                    Tag::Heading { .. } => "h",
                    Tag::BlockQuote(_) => "quote",
                    Tag::CodeBlock(_) => "code",
                    Tag::List(Some(_)) => "enum",
                    Tag::List(None) => "list",
                    Tag::Item => "item",
                    Tag::Table(aligns) => {
                        table_cols.push(aligns.len().max(1));
                        "table"
                    }
                    Tag::TableHead | Tag::TableRow => "row",
                    Tag::TableCell => "cell",
                    Tag::Emphasis => "emph",
                    Tag::Strong => "strong",
                    Tag::Strikethrough => "strike",
                    Tag::Link { dest_url, .. } => {
                        tag_roles.push(match parse_tag(dest_url) {
                            TagParse::Tag(role, _) => Some(role),
                            _ => None,
                        });
                        "link"
                    }
                    _ => "other",
                };
                stack.push((kind.to_string(), String::new()));
            }
            Event::End(end) => {
                let Some((kind, inner)) = stack.pop() else {
                    continue;
                };
                let piece = match (kind.as_str(), end) {
                    ("p", _) => format!("{inner}\n\n"),
                    ("h", _) => format!("#strong[{inner}]\n\n"),
                    ("quote", _) => format!("#quote(block: true)[{inner}]\n\n"),
                    ("code", _) => format!("#raw(block: true, {})\n\n", lit_multiline(&inner)),
                    ("enum", _) => format!("#enum({inner})\n\n"),
                    ("list", _) => format!("#list({inner})\n\n"),
                    ("item", _) => format!("[{}],", inner.trim_end()),
                    ("table", TagEnd::Table) => {
                        let cols = table_cols.pop().unwrap_or(1);
                        format!("#table(columns: {cols}, {inner})\n\n")
                    }
                    ("row", _) => inner,
                    ("cell", _) => format!("[{inner}],"),
                    ("emph", _) => format!("#emph[{inner}]"),
                    ("strong", _) => format!("#strong[{inner}]"),
                    ("strike", _) => format!("#strike[{inner}]"),
                    ("link", _) => match tag_roles.pop().flatten() {
                        Some(role) => {
                            let label = match lang {
                                Lang::Ja => role.label().ja,
                                Lang::En => role.label().en.unwrap_or_default(),
                            };
                            format!("{inner}#role-label({})", lit(label))
                        }
                        None => inner,
                    },
                    _ => inner,
                };
                buf!().push_str(&piece);
            }
            Event::Text(t) => {
                let in_code = stack.last().is_some_and(|(k, _)| k == "code");
                if in_code {
                    buf!().push_str(t);
                } else {
                    let s = text(t);
                    buf!().push_str(&s);
                }
            }
            Event::Code(t) => {
                let s = format!("#raw({})", lit(t));
                buf!().push_str(&s);
            }
            Event::SoftBreak if lang == Lang::En => buf!().push_str("#\" \""),
            Event::HardBreak => buf!().push_str("#linebreak()"),
            Event::Rule => buf!().push_str("#line(length: 100%)\n\n"),
            // Raw HTML never reaches the model's output (G0005); print it as text if it did.
            Event::Html(h) | Event::InlineHtml(h) => {
                let s = text(h);
                buf!().push_str(&s);
            }
            _ => {}
        }
    }
    out
}

fn lit_multiline(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[derive(Serialize)]
struct ControlCtx {
    id: String,
    title: String,
    level: String,
    meta: String,
    statement: String,
    guidance: String,
    references: String,
}

#[derive(Serialize)]
struct ChapterCtx {
    id: String,
    title: String,
    intro: String,
    controls: Vec<ControlCtx>,
}

#[derive(Serialize)]
struct PartCtx {
    title: String,
    chapters: Vec<ChapterCtx>,
}

/// The Typst source of the whole guideline (Japanese, the authoritative text).
pub fn source(g: &Guideline, fonts: &[String]) -> String {
    let lang = Lang::Ja;
    let parts: Vec<PartCtx> = g
        .parts
        .iter()
        .map(|p| PartCtx {
            title: lit(&p.title.ja),
            chapters: p
                .chapters
                .iter()
                .map(|c| ChapterCtx {
                    id: lit(&c.id),
                    title: lit(&c.title.ja),
                    intro: prose(&c.intro.ja, lang),
                    controls: c
                        .controls
                        .iter()
                        .map(|k| {
                            let mut meta = format!(
                                "区分:{} 対象:{}",
                                k.level.label().ja,
                                k.audience
                                    .iter()
                                    .map(|a| a.label().ja)
                                    .collect::<Vec<_>>()
                                    .join("、")
                            );
                            if let Some(a) = k.assurance {
                                let _ = write!(meta, " 認証の強度:AAL{a}以上");
                            }
                            if !k.previous.is_empty() {
                                let _ = write!(
                                    meta,
                                    " 旧版:{}",
                                    k.previous
                                        .iter()
                                        .map(|p| p.value.as_str())
                                        .collect::<Vec<_>>()
                                        .join(", ")
                                );
                            }
                            ControlCtx {
                                id: lit(&k.id),
                                title: lit(&k.title.ja),
                                level: k.level.keyword().to_string(),
                                meta: lit(&meta),
                                statement: prose(&k.statement.ja, lang),
                                guidance: prose(&k.guidance.ja, lang),
                                references: if k.references.is_empty() {
                                    String::new()
                                } else {
                                    lit(&format!("参考:{}", k.references.join("; ")))
                                },
                            }
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect();
    static TEMPLATE: std::sync::OnceLock<tera::Tera> = std::sync::OnceLock::new();
    let t = template(
        &TEMPLATE,
        "guideline.typ",
        include_str!("../../templates/pdf/guideline.typ.tera"),
    );
    let mut ctx = tera::Context::new();
    ctx.insert("title", &lit(&g.manifest.title.ja));
    ctx.insert("title_en", &lit(&g.manifest.title.en));
    ctx.insert(
        "edition",
        &lit(&format!(
            "{} 版 / edition {}",
            g.manifest.edition, g.manifest.edition
        )),
    );
    ctx.insert("date", &lit(&g.manifest.date));
    ctx.insert("publisher", &lit(&g.manifest.publisher.ja));
    ctx.insert(
        "notice",
        &g.manifest
            .notice
            .as_ref()
            .map(|n| lit(&n.ja))
            .unwrap_or_else(|| lit("")),
    );
    ctx.insert(
        "fonts",
        &fonts.iter().map(|f| lit(f)).collect::<Vec<_>>().join(", "),
    );
    ctx.insert("parts", &parts);
    t.render("guideline.typ", &ctx)
        .expect("PDF template renders")
}

/// Every piece of text the PDF prints from the source.
fn all_text(g: &Guideline) -> String {
    let mut s = format!(
        "{}{}{}",
        g.manifest.title.ja, g.manifest.title.en, g.manifest.publisher.ja
    );
    if let Some(n) = &g.manifest.notice {
        s.push_str(&n.ja);
    }
    for p in &g.parts {
        s.push_str(&p.title.ja);
        for c in &p.chapters {
            s.push_str(&c.title.ja);
            s.push_str(&c.intro.ja.plain);
            for k in &c.controls {
                s.push_str(&k.title.ja);
                s.push_str(&k.statement.ja.plain);
                s.push_str(&k.guidance.ja.plain);
                s.push_str(&k.references.join(""));
            }
        }
    }
    s
}

/// The date printed and recorded: SOURCE_DATE_EPOCH when set, else the manifest's date.
fn build_date(g: &Guideline) -> (i32, u8, u8) {
    ymd(crate::syntax::source_date_epoch().or_else(|| crate::syntax::parse_date(&g.manifest.date)))
}

/// Typesets the guideline to PDF bytes.
pub fn render(g: &Guideline, fonts: &Fonts) -> Result<Vec<u8>> {
    let (japanese, store) = japanese_fonts(fonts, &all_text(g))?;
    let (y, m, d) = build_date(g);
    compile(
        source(g, &japanese),
        store,
        (y, m, d),
        &format!("guideline-{}", g.manifest.edition),
    )
}

/// Typesets the 新旧対照表 between two editions: 改正後 left, 改正前 right, changed passages
/// underlined (new) and struck out (old), control IDs in the margin.
pub fn render_comparison(
    d: &EditionDiff,
    old: &Guideline,
    new: &Guideline,
    fonts: &Fonts,
) -> Result<Vec<u8>> {
    let rows = d.table();
    let mut text = String::new();
    for r in rows {
        for s in &r.sections {
            for seg in s.old.iter().chain(&s.new) {
                text.push_str(&seg.text);
            }
        }
    }
    let (japanese, store) = japanese_fonts(fonts, &text)?;
    let side = |segments: &[Segment], mark: &str| -> String {
        segments
            .iter()
            .map(|s| {
                if s.changed {
                    format!("#{mark}[{}]", self::text(&s.text))
                } else {
                    self::text(&s.text)
                }
            })
            .collect()
    };
    #[derive(Serialize)]
    struct RowCtx {
        id: String,
        kind: String,
        new: String,
        old: String,
    }
    let rows: Vec<RowCtx> = rows
        .iter()
        .map(|r| {
            let mut id = r.new_id.clone();
            if !r.old_id.is_empty() && r.old_id != r.new_id {
                id = if id.is_empty() {
                    r.old_id.clone()
                } else {
                    format!("{id} ({})", r.old_id)
                };
            }
            let column = |old: bool| -> String {
                let present = if old { r.has_old } else { r.has_new };
                if !present {
                    return self::text(if old { "(新設)" } else { "(削る)" });
                }
                r.sections
                    .iter()
                    .map(|s| {
                        let body = if old {
                            side(&s.old, "strike")
                        } else {
                            side(&s.new, "underline")
                        };
                        format!(
                            "#strong[{}]#linebreak(){body}#parbreak()",
                            self::text(s.label)
                        )
                    })
                    .collect()
            };
            RowCtx {
                id: lit(&id),
                kind: lit(r.kind),
                new: column(false),
                old: column(true),
            }
        })
        .collect();
    static TEMPLATE: std::sync::OnceLock<tera::Tera> = std::sync::OnceLock::new();
    let t = template(
        &TEMPLATE,
        "comparison.typ",
        include_str!("../../templates/pdf/comparison.typ.tera"),
    );
    let mut ctx = tera::Context::new();
    ctx.insert(
        "fonts",
        &japanese
            .iter()
            .map(|f| lit(f))
            .collect::<Vec<_>>()
            .join(", "),
    );
    ctx.insert(
        "title",
        &lit(&format!(
            "新旧対照表 {} → {}",
            old.manifest.edition, new.manifest.edition
        )),
    );
    ctx.insert(
        "subtitle",
        &lit(&format!(
            "改正後:{} {} / 改正前:{} {}",
            new.manifest.title.ja,
            new.manifest.edition,
            old.manifest.title.ja,
            old.manifest.edition
        )),
    );
    ctx.insert("rows", &rows);
    let source = t
        .render("comparison.typ", &ctx)
        .expect("comparison template renders");
    compile(
        source,
        store,
        build_date(new),
        &format!(
            "comparison-{}-{}",
            old.manifest.edition, new.manifest.edition
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::Parser;

    #[test]
    fn prose_is_escaped_and_tags_keep_their_role() {
        let p = Prose {
            events: Parser::new("例えば[FIDO2](example:fido2)と#\"*x*\"。")
                .map(|e| e.into_static())
                .collect(),
            ..Prose::default()
        };
        let t = prose(&p, Lang::Ja);
        assert_eq!(
            t,
            "#\"例えば\"#\"FIDO2\"#role-label(\"例示\")#\"と#\\\"\"#emph[#\"x\"]#\"\\\"。\"\n\n"
        );
    }
}
