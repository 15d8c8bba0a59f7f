//! The PDF edition, typeset by Typst used as a library (`typeset`): cover, table of
//! contents, running headers, page numbers, control IDs, role labels as text, bookmarks
//! (from headings); and the 新旧対照表 between two editions.
//!
//! The templates (`templates/pdf/guideline.typ`, `comparison.typ`) are fixed Typst files;
//! this module gives them the guideline as data (`data.json`): the Japanese text, with
//! prose as a tree of blocks and inline pieces ([`Node`]) that the template lays out. Fonts
//! are the system's (`typeset::Fonts`); without a Japanese font the build stops and says
//! what to install, rather than printing boxes.

use anyhow::Result;
use pulldown_cmark::{Event, Tag};
use serde::Serialize;

use crate::diff::{EditionDiff, TableRow};
use crate::model::{Guideline, Lang, Prose};
use crate::syntax::{parse_tag, TagParse, UNDATED};
use crate::typeset::{compile, japanese_fonts, Fonts};

/// A piece of prose as the PDF template reads it (`kind` names the variant).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Node {
    Text {
        text: String,
    },
    Paragraph {
        children: Vec<Node>,
    },
    Heading {
        children: Vec<Node>,
    },
    Quote {
        children: Vec<Node>,
    },
    CodeBlock {
        text: String,
    },
    List {
        ordered: bool,
        items: Vec<Vec<Node>>,
    },
    Table {
        columns: usize,
        cells: Vec<Vec<Node>>,
    },
    Emphasis {
        children: Vec<Node>,
    },
    Strong {
        children: Vec<Node>,
    },
    Strikethrough {
        children: Vec<Node>,
    },
    /// A technology tag: its text, then the role label (〔例示〕) so the role survives in
    /// print. A plain link keeps its text only.
    Tag {
        children: Vec<Node>,
        role_label: Option<&'static str>,
    },
    Code {
        text: String,
    },
    LineBreak,
    Rule,
}

/// An open container while the events are walked.
enum Open {
    Paragraph,
    Heading,
    Quote,
    CodeBlock,
    List(bool),
    Item,
    Table(usize),
    Row,
    Cell,
    Emphasis,
    Strong,
    Strikethrough,
    Tag(Option<&'static str>),
    Other,
}

/// Appends `n` to the innermost open container, or to the top level.
fn push(stack: &mut [(Open, Vec<Node>)], out: &mut Vec<Node>, n: Node) {
    match stack.last_mut() {
        Some((_, children)) => children.push(n),
        None => out.push(n),
    }
}

/// Prose as a tree of [`Node`]s: paragraphs, emphasis, lists, tables, code; tags with the
/// label of their role in `lang`.
pub fn prose(p: &Prose, lang: Lang) -> Vec<Node> {
    let mut out = Vec::new();
    let mut stack: Vec<(Open, Vec<Node>)> = Vec::new();
    // Lists collect items and tables collect cells, each a list of nodes.
    let mut groups: Vec<Vec<Vec<Node>>> = Vec::new();
    for e in &p.events {
        match e {
            Event::Start(tag) => {
                let open = match tag {
                    Tag::Paragraph => Open::Paragraph,
                    Tag::Heading { .. } => Open::Heading,
                    Tag::BlockQuote(_) => Open::Quote,
                    Tag::CodeBlock(_) => Open::CodeBlock,
                    Tag::List(first) => Open::List(first.is_some()),
                    Tag::Item => Open::Item,
                    Tag::Table(aligns) => Open::Table(aligns.len().max(1)),
                    Tag::TableHead | Tag::TableRow => Open::Row,
                    Tag::TableCell => Open::Cell,
                    Tag::Emphasis => Open::Emphasis,
                    Tag::Strong => Open::Strong,
                    Tag::Strikethrough => Open::Strikethrough,
                    Tag::Link { dest_url, .. } => Open::Tag(match parse_tag(dest_url) {
                        TagParse::Tag(role, _) => Some(role.label().in_lang(lang)),
                        _ => None,
                    }),
                    _ => Open::Other,
                };
                if matches!(open, Open::List(_) | Open::Table(_)) {
                    groups.push(Vec::new());
                }
                stack.push((open, Vec::new()));
            }
            Event::End(_) => {
                let Some((open, children)) = stack.pop() else {
                    continue;
                };
                let node = match open {
                    Open::Paragraph => Node::Paragraph { children },
                    Open::Heading => Node::Heading { children },
                    Open::Quote => Node::Quote { children },
                    Open::CodeBlock => Node::CodeBlock {
                        text: children
                            .iter()
                            .map(|n| match n {
                                Node::Text { text } => text.as_str(),
                                _ => "",
                            })
                            .collect(),
                    },
                    Open::List(ordered) => Node::List {
                        ordered,
                        items: groups.pop().unwrap_or_default(),
                    },
                    Open::Table(columns) => Node::Table {
                        columns,
                        cells: groups.pop().unwrap_or_default(),
                    },
                    Open::Item | Open::Cell => {
                        if let Some(group) = groups.last_mut() {
                            group.push(children);
                        }
                        continue;
                    }
                    // A row's cells went to the table already; anything else inline stays.
                    Open::Row => continue,
                    Open::Emphasis => Node::Emphasis { children },
                    Open::Strong => Node::Strong { children },
                    Open::Strikethrough => Node::Strikethrough { children },
                    Open::Tag(role_label) => Node::Tag {
                        children,
                        role_label,
                    },
                    Open::Other => {
                        for n in children {
                            push(&mut stack, &mut out, n);
                        }
                        continue;
                    }
                };
                push(&mut stack, &mut out, node);
            }
            // Raw HTML never reaches the model's output (G0005); print it as text if it did.
            Event::Text(t) | Event::Html(t) | Event::InlineHtml(t) => push(
                &mut stack,
                &mut out,
                Node::Text {
                    text: t.to_string(),
                },
            ),
            Event::Code(t) => push(
                &mut stack,
                &mut out,
                Node::Code {
                    text: t.to_string(),
                },
            ),
            // Japanese runs lines together; English needs the space a line break stands for.
            Event::SoftBreak if lang == Lang::En => push(
                &mut stack,
                &mut out,
                Node::Text {
                    text: " ".to_string(),
                },
            ),
            Event::HardBreak => push(&mut stack, &mut out, Node::LineBreak),
            Event::Rule => push(&mut stack, &mut out, Node::Rule),
            _ => {}
        }
    }
    out
}

/// What `templates/pdf/guideline.typ` prints: the whole guideline in Japanese.
#[derive(Serialize)]
pub struct GuidelineData<'a> {
    fonts: &'a [String],
    title: &'a str,
    title_en: &'a str,
    edition: &'a str,
    date: &'a str,
    publisher: &'a str,
    notice: Option<&'a str>,
    parts: Vec<PartData<'a>>,
}

#[derive(Serialize)]
struct PartData<'a> {
    title: &'a str,
    chapters: Vec<ChapterData<'a>>,
}

#[derive(Serialize)]
struct ChapterData<'a> {
    id: &'a str,
    title: &'a str,
    intro: Vec<Node>,
    controls: Vec<ControlData<'a>>,
}

#[derive(Serialize)]
struct ControlData<'a> {
    id: &'a str,
    title: &'a str,
    /// The level's and audiences' labels, the lowest assurance and earlier IDs: the
    /// template words the line of metadata under the heading.
    level: &'static str,
    audience: Vec<&'static str>,
    assurance: Option<crate::syntax::Aal>,
    previous: Vec<&'a str>,
    statement: Vec<Node>,
    guidance: Vec<Node>,
    references: &'a [String],
}

/// The data of the whole guideline's PDF (Japanese, the authoritative text).
pub fn data<'a>(g: &'a Guideline, fonts: &'a [String]) -> GuidelineData<'a> {
    let lang = Lang::Ja;
    GuidelineData {
        fonts,
        title: &g.manifest.title.ja,
        title_en: &g.manifest.title.en,
        edition: &g.manifest.edition,
        date: &g.manifest.date,
        publisher: &g.manifest.publisher.ja,
        notice: g.manifest.notice.as_ref().map(|n| n.ja.as_str()),
        parts: g
            .parts
            .iter()
            .map(|p| PartData {
                title: &p.title.ja,
                chapters: p
                    .chapters
                    .iter()
                    .map(|c| ChapterData {
                        id: &c.id,
                        title: &c.title.ja,
                        intro: prose(&c.intro.ja, lang),
                        controls: c
                            .controls
                            .iter()
                            .map(|k| ControlData {
                                id: &k.id,
                                title: &k.title.ja,
                                level: k.level.label().ja,
                                audience: k.audience.iter().map(|a| a.label().ja).collect(),
                                assurance: k.assurance,
                                previous: k.previous.iter().map(|p| p.value.as_str()).collect(),
                                statement: prose(&k.statement.ja, lang),
                                guidance: prose(&k.guidance.ja, lang),
                                references: &k.references,
                            })
                            .collect(),
                    })
                    .collect(),
            })
            .collect(),
    }
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
fn build_date(g: &Guideline) -> time::Date {
    crate::syntax::source_date_epoch()
        .or_else(|| crate::syntax::parse_date(&g.manifest.date))
        .unwrap_or(UNDATED)
}

/// Typesets the guideline to PDF bytes.
pub fn render(g: &Guideline, fonts: &Fonts) -> Result<Vec<u8>> {
    let (japanese, store) = japanese_fonts(fonts, &all_text(g))?;
    compile(
        include_str!("../../templates/pdf/guideline.typ"),
        &data(g, &japanese),
        store,
        build_date(g),
        &format!("guideline-{}", g.manifest.edition),
    )
}

/// What `templates/pdf/comparison.typ` prints.
#[derive(Serialize)]
struct ComparisonData<'a> {
    fonts: &'a [String],
    old_edition: &'a str,
    new_edition: &'a str,
    old_title: &'a str,
    new_title: &'a str,
    rows: &'a [TableRow],
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
    let data = ComparisonData {
        fonts: &japanese,
        old_edition: &old.manifest.edition,
        new_edition: &new.manifest.edition,
        old_title: &old.manifest.title.ja,
        new_title: &new.manifest.title.ja,
        rows,
    };
    compile(
        include_str!("../../templates/pdf/comparison.typ"),
        &data,
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

    fn parsed(markdown: &str) -> Prose {
        Prose {
            events: Parser::new_ext(markdown, pulldown_cmark::Options::ENABLE_TABLES)
                .map(|e| e.into_static())
                .collect(),
            ..Prose::default()
        }
    }

    fn text(s: &str) -> Node {
        Node::Text { text: s.into() }
    }

    /// Shapes drawn with a border on a page, at any depth of its frame.
    fn stroked_shapes(frame: &typst::layout::Frame) -> usize {
        frame
            .items()
            .map(|(_, item)| match item {
                typst::layout::FrameItem::Group(group) => stroked_shapes(&group.frame),
                typst::layout::FrameItem::Shape(shape, _) => usize::from(shape.stroke.is_some()),
                _ => 0,
            })
            .sum()
    }

    /// The cover draws the notice's bordered box only when the manifest has a notice: read
    /// from the laid-out cover page, not from the data (an empty box used to be drawn).
    #[test]
    fn the_cover_has_a_notice_box_only_with_a_notice() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/clean");
        let mut g = crate::load::load_dir(&root).unwrap().guideline.unwrap();
        let fonts = Fonts::system();
        let cover = |g: &Guideline| {
            let (japanese, store) = japanese_fonts(&fonts, &all_text(g)).unwrap();
            let (document, _) = crate::typeset::lay_out(
                include_str!("../../templates/pdf/guideline.typ"),
                &data(g, &japanese),
                store,
                UNDATED,
            )
            .unwrap();
            stroked_shapes(&document.pages()[0].frame)
        };
        assert!(g.manifest.notice.is_none(), "the fixture has no notice");
        let without = cover(&g);
        g.manifest.notice = Some(crate::text::Pair {
            ja: "検査用の注意書き。".into(),
            en: "A notice for the test.".into(),
        });
        let with = cover(&g);
        assert_eq!((without, with), (0, 1));
    }

    /// Text stays text (Typst syntax in it is never markup), and a tag keeps its role.
    #[test]
    fn prose_is_data_and_tags_keep_their_role() {
        let nodes = prose(
            &parsed("例えば[FIDO2](example:fido2)と#\"*x*\"。"),
            Lang::Ja,
        );
        assert_eq!(
            nodes,
            vec![Node::Paragraph {
                children: vec![
                    text("例えば"),
                    Node::Tag {
                        children: vec![text("FIDO2")],
                        role_label: Some("例示")
                    },
                    text("と#\""),
                    Node::Emphasis {
                        children: vec![text("x")]
                    },
                    text("\"。"),
                ]
            }]
        );
    }

    #[test]
    fn lists_and_tables_group_their_items_and_cells() {
        let nodes = prose(
            &parsed("- a\n- *b*\n\n| x | y |\n|---|---|\n| 1 | 2 |\n"),
            Lang::En,
        );
        assert_eq!(
            nodes,
            vec![
                Node::List {
                    ordered: false,
                    items: vec![
                        vec![text("a")],
                        vec![Node::Emphasis {
                            children: vec![text("b")]
                        }]
                    ]
                },
                Node::Table {
                    columns: 2,
                    cells: vec![
                        vec![text("x")],
                        vec![text("y")],
                        vec![text("1")],
                        vec![text("2")]
                    ]
                }
            ]
        );
    }
}
