//! The PDF edition, typeset by Typst used as a library: cover, table of contents, running
//! headers, page numbers, control IDs, role labels as text, bookmarks (from headings).
//!
//! The Typst source comes from a tera template (`templates/pdf/guideline.typ.tera`); prose
//! is converted from the model's parsed events to Typst markup, with every piece of text
//! passed as a string literal so nothing in the guideline can be read as Typst code. Fonts
//! are the system's; without a Japanese font the build stops and says what to install,
//! rather than printing boxes.

use std::fmt::Write as _;

use anyhow::{anyhow, bail, Result};
use pulldown_cmark::{Event, Tag, TagEnd};
use serde::Serialize;
use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

use crate::diff::{EditionDiff, Segment};
use crate::model::{Guideline, Lang, Prose};
use crate::syntax::{parse_tag, TagParse};

/// Japanese font families we can typeset with, in order of preference.
pub const JAPANESE_FONTS: &[&str] = &[
    "Noto Serif CJK JP",
    "Noto Sans CJK JP",
    "IPAexMincho",
    "IPAexGothic",
    "IPAMincho",
    "IPAGothic",
];

/// A Typst string literal.
fn lit(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push(' '),
            '\r' | '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Text as Typst markup.
fn text(s: &str) -> String {
    if s.is_empty() {
        String::new()
    } else {
        format!("#{}", lit(s))
    }
}

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

/// A Typst template, parsed once per process.
fn template(
    cell: &'static std::sync::OnceLock<tera::Tera>,
    name: &str,
    text: &str,
) -> &'static tera::Tera {
    cell.get_or_init(|| {
        let mut t = tera::Tera::default();
        t.add_raw_template(name, text)
            .unwrap_or_else(|e| panic!("{name} parses: {e}"));
        t
    })
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

/// Latin and symbol families kept beside the Japanese ones: typst's defaults for code and
/// its fallback for what a CJK face lacks.
const FALLBACK_FONTS: &[&str] = &["DejaVu Sans", "DejaVu Sans Mono", "DejaVu Serif"];

/// The fonts of this machine, loaded once.
///
/// typst needs a coverage table per face, and computing it for every installed face (a
/// Noto CJK collection alone holds dozens) was most of the PDF build's start. So only the
/// faces of the families the PDF names are described at first; the rest are scanned only
/// when a text needs a character none of those draws.
pub struct Fonts {
    preferred: typst_kit::fonts::FontStore,
    everything: std::sync::OnceLock<typst_kit::fonts::FontStore>,
    /// Whether `everything` may scan the system (not for a store given in a test).
    scan: bool,
}

impl Fonts {
    pub fn system() -> Self {
        let mut db = fontdb::Database::new();
        db.load_system_fonts();
        let mut preferred = typst_kit::fonts::FontStore::new();
        for face in db.faces() {
            let named = face.families.iter().any(|(family, _)| {
                JAPANESE_FONTS
                    .iter()
                    .chain(FALLBACK_FONTS)
                    .any(|f| f.eq_ignore_ascii_case(family))
            });
            let (fontdb::Source::File(path) | fontdb::Source::SharedFile(path, _)) = &face.source
            else {
                continue;
            };
            if !named {
                continue;
            }
            if let Some(Some(info)) = db.with_face_data(face.id, typst::text::FontInfo::new) {
                let path = typst_kit::fonts::FontPath {
                    path: path.clone(),
                    index: face.index,
                };
                preferred.push((path, info));
            }
        }
        Fonts {
            preferred,
            everything: std::sync::OnceLock::new(),
            scan: true,
        }
    }

    /// Exactly the given fonts, never the system's.
    #[cfg(test)]
    fn only(store: typst_kit::fonts::FontStore) -> Self {
        Fonts {
            preferred: store,
            everything: std::sync::OnceLock::new(),
            scan: false,
        }
    }

    /// The fonts to typeset `text` with: the preferred faces when they draw all of it,
    /// otherwise every installed face.
    fn store_for(&self, text: &str) -> &typst_kit::fonts::FontStore {
        if !self.scan || missing_in(&self.preferred, text).is_empty() {
            return &self.preferred;
        }
        self.everything.get_or_init(|| {
            let mut store = typst_kit::fonts::FontStore::new();
            store.extend(typst_kit::fonts::system());
            store
        })
    }

    /// Characters of `text` that no installed font can draw (they would print as boxes).
    pub fn missing_glyphs(&self, text: &str) -> Vec<char> {
        missing_in(self.store_for(text), text)
    }

    /// The Japanese families available, in order of preference.
    pub fn japanese(&self) -> Vec<String> {
        JAPANESE_FONTS
            .iter()
            .filter(|f| self.preferred.book().contains_family(&f.to_lowercase()))
            .map(|f| f.to_string())
            .collect()
    }
}

/// Characters of `text` that no face of `store` covers.
fn missing_in(store: &typst_kit::fonts::FontStore, text: &str) -> Vec<char> {
    let book = store.book();
    let infos: Vec<_> = (0..).map_while(|i| book.info(i)).collect();
    let mut chars: Vec<char> = text
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect();
    chars.sort_unstable();
    chars.dedup();
    chars
        .into_iter()
        .filter(|&c| !infos.iter().any(|info| info.coverage.contains(c as u32)))
        .collect()
}

struct Doc<'a> {
    library: LazyHash<Library>,
    fonts: &'a typst_kit::fonts::FontStore,
    main: FileId,
    source: Source,
    today: Datetime,
}

impl World for Doc<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }
    fn book(&self) -> &LazyHash<FontBook> {
        self.fonts.book()
    }
    fn main(&self) -> FileId {
        self.main
    }
    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main {
            Ok(self.source.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }
    fn file(&self, _id: FileId) -> FileResult<Bytes> {
        Err(FileError::AccessDenied)
    }
    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.font(index)
    }
    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        Some(self.today)
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
fn build_date(g: &Guideline) -> (i32, u8, u8) {
    if let Some(secs) = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.parse::<i64>().ok())
    {
        let days = secs.div_euclid(86_400);
        // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let y = (yoe + era * 400 + i64::from(m <= 2)) as i32;
        return (y, m, d);
    }
    let mut it = g
        .manifest
        .date
        .split('-')
        .map(|s| s.parse::<i32>().unwrap_or(1));
    (
        it.next().unwrap_or(2000),
        it.next().unwrap_or(1) as u8,
        it.next().unwrap_or(1) as u8,
    )
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

/// A document of one table with an optional summary table above it: what a vendor
/// disclosure prints as (`guideline disclosure render --format pdf`). `widths` are Typst
/// column widths (`18mm`, `1fr`), one per header cell.
pub struct TableDocument<'a> {
    pub title: String,
    pub subtitle: Vec<String>,
    pub summary_header: Vec<&'a str>,
    pub summary_rows: Vec<Vec<String>>,
    pub header: Vec<&'a str>,
    pub widths: Vec<&'a str>,
    pub rows: Vec<Vec<String>>,
    /// The document's date and identifier, for reproducible bytes.
    pub date: (i32, u8, u8),
    pub ident: String,
}

pub fn render_table(doc: &TableDocument<'_>, fonts: &Fonts) -> Result<Vec<u8>> {
    let mut all = doc.title.clone();
    for r in doc.rows.iter().chain(&doc.summary_rows) {
        for c in r {
            all.push_str(c);
        }
    }
    all.extend(doc.subtitle.iter().map(String::as_str));
    all.extend(doc.header.iter().copied());
    let (japanese, store) = japanese_fonts(fonts, &all)?;
    static TEMPLATE: std::sync::OnceLock<tera::Tera> = std::sync::OnceLock::new();
    let t = template(
        &TEMPLATE,
        "table.typ",
        include_str!("../../templates/pdf/table.typ.tera"),
    );
    let lits = |v: &[String]| v.iter().map(|c| lit(c)).collect::<Vec<_>>();
    let mut ctx = tera::Context::new();
    ctx.insert(
        "fonts",
        &japanese
            .iter()
            .map(|f| lit(f))
            .collect::<Vec<_>>()
            .join(", "),
    );
    ctx.insert("title", &lit(&doc.title));
    ctx.insert("subtitle", &lits(&doc.subtitle));
    ctx.insert(
        "summary_header",
        &doc.summary_header
            .iter()
            .map(|c| lit(c))
            .collect::<Vec<_>>(),
    );
    ctx.insert(
        "summary_rows",
        &doc.summary_rows.iter().map(|r| lits(r)).collect::<Vec<_>>(),
    );
    ctx.insert(
        "header",
        &doc.header.iter().map(|c| lit(c)).collect::<Vec<_>>(),
    );
    ctx.insert("widths", &doc.widths.join(", "));
    ctx.insert(
        "rows",
        &doc.rows.iter().map(|r| lits(r)).collect::<Vec<_>>(),
    );
    let source = t.render("table.typ", &ctx).expect("table template renders");
    compile(source, store, doc.date, &doc.ident)
}

/// The Japanese fonts to use, and the faces to typeset `text` with, after checking every
/// character can be drawn.
fn japanese_fonts<'a>(
    fonts: &'a Fonts,
    text: &str,
) -> Result<(Vec<String>, &'a typst_kit::fonts::FontStore)> {
    let japanese = fonts.japanese();
    if japanese.is_empty() {
        bail!("no Japanese font found; install one, for example `apt-get install fonts-noto-cjk` (or fonts-ipaexfont), then build again");
    }
    let store = fonts.store_for(text);
    let missing = missing_in(store, text);
    if !missing.is_empty() {
        let list: String = missing.iter().take(20).collect();
        bail!(
            "no installed font has a glyph for {} character(s): {list}; install fonts that cover them (for Japanese, `apt-get install fonts-noto-cjk`)",
            missing.len()
        );
    }
    Ok((japanese, store))
}

fn compile(
    text: String,
    fonts: &typst_kit::fonts::FontStore,
    (y, m, d): (i32, u8, u8),
    ident: &str,
) -> Result<Vec<u8>> {
    let path = VirtualPath::new("main.typ").map_err(|e| anyhow!("{e:?}"))?;
    let main = RootedPath::new(VirtualRoot::Project, path).intern();
    let today = Datetime::from_ymd(y, m, d).ok_or_else(|| anyhow!("bad build date"))?;
    let world = Doc {
        library: LazyHash::new(Library::default()),
        fonts,
        main,
        source: Source::new(main, text),
        today,
    };
    let warned = typst::compile::<typst_layout::PagedDocument>(&world);
    let document = warned.output.map_err(|errors| {
        let messages: Vec<String> = errors.iter().map(|e| e.message.to_string()).collect();
        anyhow!("typesetting failed: {}", messages.join("; "))
    })?;
    let options = typst_pdf::PdfOptions {
        ident: typst::foundations::Smart::Custom(ident.to_string()),
        timestamp: Some(typst_pdf::Timestamp::new_utc(today)),
        ..typst_pdf::PdfOptions::default()
    };
    typst_pdf::pdf(&document, &options).map_err(|errors| {
        let messages: Vec<String> = errors.iter().map(|e| e.message.to_string()).collect();
        anyhow!("PDF export failed: {}", messages.join("; "))
    })
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

#[cfg(test)]
mod font_tests {
    use super::*;

    fn fixture() -> Guideline {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/clean");
        crate::load::load_dir(&root).unwrap().guideline.unwrap()
    }

    /// Without a Japanese font the build stops and says what to install, never prints boxes.
    #[test]
    fn no_japanese_font_is_a_clear_error() {
        let fonts = Fonts::only(typst_kit::fonts::FontStore::new());
        let error = render(&fixture(), &fonts).unwrap_err().to_string();
        assert!(
            error.contains("no Japanese font found") && error.contains("fonts-noto-cjk"),
            "{error}"
        );
    }

    #[test]
    fn every_character_has_a_glyph_with_system_fonts() {
        let fonts = Fonts::system();
        assert!(
            !fonts.japanese().is_empty(),
            "install fonts-noto-cjk (.ci/setup does)"
        );
        assert_eq!(
            fonts.missing_glyphs("医療情報システムTLS 1.3〔例示〕"),
            Vec::<char>::new()
        );
        assert_eq!(
            fonts.missing_glyphs("\u{10FFFD}"),
            vec!['\u{10FFFD}'],
            "a private-use character no font draws"
        );
    }
}
