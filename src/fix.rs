//! `guideline fix`: wraps untagged technology names in `example` tags, and replaces variant
//! spellings of glossary terms with the preferred form (G0302), in place.
//!
//! Only mentions the checker reports as untagged (G0101) and that do not sit inside another
//! link are changed, so a second run finds nothing to do. Each file is written atomically
//! (a temporary file in the same directory, then a rename).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;

use crate::model::Guideline;

/// One change: a tag added, or a variant replaced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
    /// The words as they were.
    pub text: String,
    pub change: Change,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Tagged as `example:` this technology.
    Tagged { technology: String },
    /// A glossary variant replaced by this preferred form.
    Replaced { preferred: String },
}

/// The new text of every file that changes, with the edits made to it.
pub fn plan(g: &Guideline) -> BTreeMap<PathBuf, (String, Vec<Edit>)> {
    let mut by_file: BTreeMap<usize, Vec<(std::ops::Range<usize>, String, Change)>> =
        BTreeMap::new();
    for m in g.mentions().filter(|m| m.role.is_none() && !m.in_link) {
        let f = g.sources.get(m.file);
        // Only where the source spells exactly the matched name (no escapes in between).
        if f.text.get(m.span.clone()) == Some(m.text.as_str()) {
            by_file.entry(m.file).or_default().push((
                m.span.clone(),
                m.text.clone(),
                Change::Tagged {
                    technology: m.technology.clone(),
                },
            ));
        }
    }
    let variants = crate::lint::g0302_terminology::VariantFinder::new(g);
    for (lang, p) in g.prose_in_languages() {
        for v in variants.find(g, p, lang) {
            by_file.entry(p.file).or_default().push((
                v.span,
                v.found,
                Change::Replaced {
                    preferred: v.preferred,
                },
            ));
        }
    }
    let mut out = BTreeMap::new();
    for (file, mut spans) in by_file {
        let f = g.sources.get(file);
        spans.sort_by_key(|(span, _, _)| span.start);
        spans.dedup_by_key(|(span, _, _)| span.start);
        let mut text = String::with_capacity(f.text.len() + spans.len() * 24);
        let mut edits = Vec::new();
        let mut at = 0;
        for (span, name, change) in spans {
            if span.start < at {
                continue;
            }
            text.push_str(&f.text[at..span.start]);
            match &change {
                Change::Tagged { technology } => {
                    text.push_str(&format!("[{name}](example:{technology})"))
                }
                Change::Replaced { preferred } => text.push_str(preferred),
            }
            at = span.end;
            let (line, column) = f.line_column(span.start);
            edits.push(Edit {
                file: f.path.clone(),
                line,
                column,
                text: name,
                change,
            });
        }
        text.push_str(&f.text[at..]);
        out.insert(f.path.clone(), (text, edits));
    }
    out
}

/// Writes `text` to `path` atomically.
pub fn write_atomic(path: &std::path::Path, text: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(text)?;
    tmp.as_file().sync_all()?;
    if let Ok(meta) = std::fs::metadata(path) {
        let _ = std::fs::set_permissions(tmp.path(), meta.permissions());
    }
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}
