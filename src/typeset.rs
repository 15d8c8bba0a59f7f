//! Typst used as a library: the fonts of this machine, an in-memory `World` that reads
//! nothing from disk, compilation to PDF bytes, and the one-table document a vendor
//! disclosure prints as.
//!
//! Shared by the renderers that print (`render::pdf` for the guideline and its 新旧対照表,
//! `disclosure::render` for a disclosure); it renders nothing of the guideline by itself.
//!
//! A document is a fixed Typst template (`templates/pdf/*.typ`) and its data: the
//! renderer serialises what it prints to JSON, the `World` serves it as `data.json`, and the
//! template reads it with `json(...)`, formats it and branches on it. No text of a source
//! is ever written into Typst markup, so nothing in it can be read as Typst code and there
//! is nothing to escape.

use anyhow::{anyhow, bail, Result};
use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

/// Japanese font families we can typeset with, in order of preference.
pub const JAPANESE_FONTS: &[&str] = &[
    "Noto Serif CJK JP",
    "Noto Sans CJK JP",
    "IPAexMincho",
    "IPAexGothic",
    "IPAMincho",
    "IPAGothic",
];

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
    /// `data.json`: what the template prints.
    data_file: FileId,
    data: Bytes,
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
    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.data_file {
            Ok(self.data.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }
    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.font(index)
    }
    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        Some(self.today)
    }
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
    pub date: time::Date,
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
    #[derive(serde::Serialize)]
    struct TableData<'a> {
        fonts: &'a [String],
        title: &'a str,
        subtitle: &'a [String],
        summary_header: &'a [&'a str],
        summary_rows: &'a [Vec<String>],
        header: &'a [&'a str],
        widths: &'a [&'a str],
        rows: &'a [Vec<String>],
    }
    let data = TableData {
        fonts: &japanese,
        title: &doc.title,
        subtitle: &doc.subtitle,
        summary_header: &doc.summary_header,
        summary_rows: &doc.summary_rows,
        header: &doc.header,
        widths: &doc.widths,
        rows: &doc.rows,
    };
    compile(
        include_str!("../templates/pdf/table.typ"),
        &data,
        store,
        doc.date,
        &doc.ident,
    )
}

/// The Japanese fonts to use, and the faces to typeset `text` with, after checking every
/// character can be drawn.
pub fn japanese_fonts<'a>(
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

/// Lays out `template` with `data` into pages (what `compile` exports), and the date the
/// document records: tests read the pages' frames.
pub fn lay_out(
    template: &str,
    data: &impl serde::Serialize,
    fonts: &typst_kit::fonts::FontStore,
    date: time::Date,
) -> Result<(typst_layout::PagedDocument, Datetime)> {
    let rooted = |name: &str| -> Result<FileId> {
        let path = VirtualPath::new(name).map_err(|e| anyhow!("{e:?}"))?;
        Ok(RootedPath::new(VirtualRoot::Project, path).intern())
    };
    let main = rooted("main.typ")?;
    let today = Datetime::from_ymd(date.year(), u8::from(date.month()), date.day())
        .ok_or_else(|| anyhow!("the date {date} cannot be recorded in a PDF"))?;
    let world = Doc {
        library: LazyHash::new(Library::default()),
        fonts,
        main,
        source: Source::new(main, template.to_string()),
        data_file: rooted("data.json")?,
        data: Bytes::new(serde_json::to_vec(data)?),
        today,
    };
    let warned = typst::compile::<typst_layout::PagedDocument>(&world);
    let document = warned
        .output
        .map_err(|errors| failed("typesetting failed", &errors))?;
    Ok((document, today))
}

/// Typesets `template` with `data` (serialised to JSON, read by the template as
/// `json("data.json")`) to PDF bytes.
pub fn compile(
    template: &str,
    data: &impl serde::Serialize,
    fonts: &typst_kit::fonts::FontStore,
    date: time::Date,
    ident: &str,
) -> Result<Vec<u8>> {
    let (document, today) = lay_out(template, data, fonts, date)?;
    let options = typst_pdf::PdfOptions {
        ident: typst::foundations::Smart::Custom(ident.to_string()),
        timestamp: Some(typst_pdf::Timestamp::new_utc(today)),
        ..typst_pdf::PdfOptions::default()
    };
    typst_pdf::pdf(&document, &options).map_err(|errors| failed("PDF export failed", &errors))
}

/// Typst's errors as one message.
fn failed(what: &str, errors: &[typst::diag::SourceDiagnostic]) -> anyhow::Error {
    let messages: Vec<String> = errors.iter().map(|e| e.message.to_string()).collect();
    anyhow!("{what}: {}", messages.join("; "))
}

#[cfg(test)]
mod font_tests {
    use super::*;

    fn fixture() -> crate::model::Guideline {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/clean");
        crate::load::load_dir(&root).unwrap().guideline.unwrap()
    }

    /// Without a Japanese font the build stops and says what to install, never prints boxes.
    #[test]
    fn no_japanese_font_is_a_clear_error() {
        let fonts = Fonts::only(typst_kit::fonts::FontStore::new());
        let error = crate::render::pdf::render(&fixture(), &fonts)
            .unwrap_err()
            .to_string();
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
