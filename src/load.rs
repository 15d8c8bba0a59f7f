//! Source -> model: decodes files, parses metadata (TOML) and text (Markdown), and assembles
//! one [`Guideline`], reporting whatever it cannot take as it is.
//!
//! The loader never stops at the first problem: a broken file becomes diagnostics and the
//! rest of the guideline still loads, so one `check` run shows everything.

use std::collections::{BTreeMap, BTreeSet};
use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use rayon::prelude::*;
use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::diagnostic::Diagnostic;
use crate::lint::{
    g0001_not_utf8, g0002_malformed_metadata as malformed, g0003_unknown_key,
    g0004_malformed_structure as structure, g0005_raw_html, g0006_registry_conflict,
    g0007_unsafe_path, g0008_build_directive,
};
use crate::model::*;
use crate::registry::{Pair, Registry, Technology};
use crate::source::{self, clean, FileId, RawFile, SourceFile, SourceSet};
use crate::syntax::{is_valid_id, parse_tag, TagParse};

/// The result of loading: the model when the manifest was usable, and every finding.
pub struct Loaded {
    pub guideline: Option<Guideline>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Input that cannot be read at all (exit status 2).
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("cannot read guideline directory `{path}`: {source}")]
    Io { path: PathBuf, source: io::Error },
    #[error("`{0}` has no guideline.toml: not a guideline directory")]
    NoManifest(PathBuf),
}

pub const MANIFEST: &str = "guideline.toml";

/// Reads and loads the guideline at `root`, with the earlier editions its manifest names.
///
/// Nothing outside the guideline directory is read: links out of it are refused by
/// [`source::read_dir`], and earlier editions must lie inside it. A registry outside the
/// directory (`editions/5.2` sharing its parent's `technologies.toml`) is read only under
/// the conditions of [`registry_allowed`].
pub fn load_dir(root: &Path) -> Result<Loaded, LoadError> {
    load_dir_with(root, &Overlay::new())
}

/// File contents that replace what is on disk, by canonical path: the unsaved buffers of an
/// editor (`guideline lsp`), so they are checked exactly as they would be once saved.
pub type Overlay = BTreeMap<PathBuf, Vec<u8>>;

/// [`load_dir`], reading `overlay` in place of the files it names.
pub fn load_dir_with(root: &Path, overlay: &Overlay) -> Result<Loaded, LoadError> {
    let io_err = |source| LoadError::Io {
        path: root.to_path_buf(),
        source,
    };
    if !root.join(MANIFEST).is_file() {
        return Err(LoadError::NoManifest(root.to_path_buf()));
    }
    let real_root = root.canonicalize().map_err(io_err)?;
    let boundaries = outside_boundaries(&real_root);
    let mut loaded = load_dir_alone(root, &boundaries, None, overlay)?;
    let registry_path = loaded.guideline.as_ref().and_then(|g| {
        g.registry_file?;
        root.join(&g.manifest.registry).canonicalize().ok()
    });
    if let Some(g) = &mut loaded.guideline {
        for (i, previous) in g.manifest.previous.clone().into_iter().enumerate() {
            let dir = root.join(&previous.path);
            let file = g.sources.get(g.manifest_file);
            let span = key_span(&file.text, &format!("previous.{i}.path"));
            let inside = dir
                .canonicalize()
                .is_ok_and(|real| real != real_root && within_boundaries(&real, &boundaries));
            if !inside && dir.exists() {
                loaded.diagnostics.push(g0007_unsafe_path::path_outside(
                    file,
                    "path",
                    span.clone().unwrap_or(0..0),
                    &previous.path,
                ));
                continue;
            }
            let shared = registry_path.as_deref().map(|p| (p, &g.registry));
            match load_dir_alone(&dir, &boundaries, shared, overlay) {
                Ok(earlier) => {
                    if let Some(guideline) = earlier.guideline {
                        let loaded_cleanly = earlier.diagnostics.is_empty();
                        g.earlier.insert(
                            previous.edition.clone(),
                            Earlier {
                                guideline,
                                loaded_cleanly,
                            },
                        );
                    }
                }
                Err(e) => {
                    let span = span.unwrap_or(0..0);
                    loaded.diagnostics.push(
                        malformed::LINT
                            .at(file, span, format!("earlier edition {} cannot be read: {e}", previous.edition))
                            .help("`path` is relative to guideline.toml and must name a guideline directory"),
                    );
                }
            }
        }
    }
    Ok(loaded)
}

/// Where files outside the guideline directory (a shared registry, an earlier edition kept
/// beside it) may be read from: the guideline that names this one as an earlier edition,
/// and the git work tree holding it (or, outside git, the directory holding the guideline).
fn outside_boundaries(real_root: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = enclosing_guideline(real_root).into_iter().collect();
    match real_root.ancestors().find(|d| d.join(".git").exists()) {
        Some(work_tree) => out.push(work_tree.to_path_buf()),
        None => out.extend(real_root.parent().map(Path::to_path_buf)),
    }
    out
}

/// Whether `path` may be read as a registry from outside the guideline: a regular `.toml`
/// file inside one of `boundaries`, with no hidden file or directory (`.git`, `.env`,
/// `.ssh`) on the way, so that a hostile manifest cannot print a secret in its diagnostics.
fn registry_allowed(path: &Path, boundaries: &[PathBuf]) -> Option<PathBuf> {
    let real = path.canonicalize().ok()?;
    (within_boundaries(&real, boundaries)
        && real.extension().is_some_and(|e| e == "toml")
        && real.is_file())
    .then_some(real)
}

/// `real` (a canonical path) lies inside one of `boundaries`, under no hidden directory.
fn within_boundaries(real: &Path, boundaries: &[PathBuf]) -> bool {
    boundaries.iter().any(|b| {
        real.strip_prefix(b).is_ok_and(|inside| {
            !inside
                .components()
                .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
        })
    })
}

/// The guideline directory above `real_root` whose manifest names it as an earlier edition.
fn enclosing_guideline(real_root: &Path) -> Option<PathBuf> {
    #[derive(Deserialize)]
    struct Peek {
        #[serde(default)]
        previous: Vec<PeekEdition>,
    }
    #[derive(Deserialize)]
    struct PeekEdition {
        path: PathBuf,
    }
    real_root.ancestors().skip(1).find_map(|dir| {
        let text = std::fs::read_to_string(dir.join(MANIFEST)).ok()?;
        let peek: Peek = toml::from_str(&text).ok()?;
        peek.previous
            .iter()
            .any(|p| dir.join(&p.path).canonicalize().ok().as_deref() == Some(real_root))
            .then(|| dir.to_path_buf())
    })
}

/// Reads one guideline directory, and a registry outside it if the manifest points there
/// and [`registry_allowed`] says it may be read.
fn load_dir_alone(
    root: &Path,
    boundaries: &[PathBuf],
    shared: Option<(&Path, &Registry)>,
    overlay: &Overlay,
) -> Result<Loaded, LoadError> {
    let io_err = |source| LoadError::Io {
        path: root.to_path_buf(),
        source,
    };
    if !root.join(MANIFEST).is_file() {
        return Err(LoadError::NoManifest(root.to_path_buf()));
    }
    let mut tree = source::read_dir(root).map_err(io_err)?;
    if !overlay.is_empty() {
        if let Ok(real_root) = root.canonicalize() {
            for f in &mut tree.files {
                if let Some(bytes) = overlay.get(&real_root.join(&f.relative)) {
                    f.bytes = bytes.clone();
                }
            }
        }
    }
    let mut refused_registry = None;
    let files = with_outside_registry(tree.files, |rel| {
        match registry_allowed(&root.join(rel), boundaries) {
            Some(real) => std::fs::read(real),
            None => {
                refused_registry = Some(rel.to_path_buf());
                Err(io::Error::new(
                    io::ErrorKind::PermissionDenied,
                    "outside the guideline",
                ))
            }
        }
    });
    // The same registry file as the guideline that names this edition: reuse its registry.
    let reuse = shared.and_then(|(path, registry)| {
        let manifest = files.iter().find(|f| f.relative == Path::new(MANIFEST))?;
        let own = root
            .join(peek_registry_path(&manifest.bytes)?)
            .canonicalize()
            .ok()?;
        (own == path).then(|| registry.clone())
    });
    let mut loaded = load_files_with(root, files, reuse);
    for entry in &tree.refused {
        let path = root.join(&entry.relative);
        loaded.diagnostics.push(match &entry.reason {
            source::Refusal::NameNotUtf8 => g0001_not_utf8::name(&path),
            source::Refusal::LinkOutside { target } => {
                g0007_unsafe_path::link_outside(&path, target)
            }
        });
    }
    if let (Some(g), Some(path)) = (&loaded.guideline, refused_registry) {
        let manifest = g.sources.get(g.manifest_file);
        let span = key_span(&manifest.text, "registry").unwrap_or(0..0);
        loaded.diagnostics.push(g0007_unsafe_path::path_outside(
            manifest, "registry", span, &path,
        ));
    }
    Ok(loaded)
}

/// Reads the guideline at `path` as it was at git revision `rev` (`git diff`-style
/// `REV:PATH`), without its earlier editions.
pub fn load_git(rev: &str, path: &Path) -> Result<Loaded, LoadError> {
    let io_err = |source| LoadError::Io {
        path: PathBuf::from(format!("{rev}:{}", path.display())),
        source,
    };
    let files = source::read_git(rev, path).map_err(io_err)?;
    if !files.iter().any(|f| f.relative == Path::new(MANIFEST)) {
        return Err(LoadError::NoManifest(PathBuf::from(format!(
            "{rev}:{}",
            path.display()
        ))));
    }
    let display = PathBuf::from(format!("{rev}:{}", path.display()));
    Ok(load_files(
        &display,
        with_outside_registry(files, |rel| source::git_show(rev, &clean(&path.join(rel)))),
    ))
}

/// Adds a registry shared between editions, which lives outside the guideline directory.
fn with_outside_registry(
    mut files: Vec<RawFile>,
    mut read: impl FnMut(&Path) -> io::Result<Vec<u8>>,
) -> Vec<RawFile> {
    if let Some(manifest) = files.iter().find(|f| f.relative == Path::new(MANIFEST)) {
        if let Some(registry) = peek_registry_path(&manifest.bytes) {
            let relative = clean(&registry);
            if relative.starts_with("..") {
                if let Ok(bytes) = read(&relative) {
                    files.push(RawFile { relative, bytes });
                }
            }
        }
    }
    files
}

fn peek_registry_path(bytes: &[u8]) -> Option<PathBuf> {
    #[derive(Deserialize)]
    struct Peek {
        registry: Option<PathBuf>,
    }
    let text = std::str::from_utf8(bytes).ok()?;
    toml::from_str::<Peek>(text).ok()?.registry
}

/// Loads a guideline from files already in memory (relative paths under `root`).
pub fn load_files(root: &Path, files: Vec<RawFile>) -> Loaded {
    load_files_with(root, files, None)
}

/// [`load_files`] with the registry already built from the same file (an earlier edition
/// sharing the current one's `technologies.toml` is not parsed and matched twice).
fn load_files_with(root: &Path, files: Vec<RawFile>, registry: Option<Registry>) -> Loaded {
    let mut diagnostics = Vec::new();
    let mut sources = SourceSet::default();
    let mut ids: BTreeMap<PathBuf, FileId> = BTreeMap::new();
    for raw in files {
        let path = clean(&root.join(&raw.relative));
        // One file per path (a real directory cannot hold two; an in-memory tree can).
        if ids.contains_key(&raw.relative) {
            continue;
        }
        if raw.relative.to_str().is_none() {
            diagnostics.push(g0001_not_utf8::name(&path));
            continue;
        }
        match g0001_not_utf8::decode(raw.bytes, &path) {
            Ok(text) => {
                let id = sources.add(SourceFile::new(path, raw.relative.clone(), text));
                ids.insert(raw.relative, id);
            }
            Err(d) => diagnostics.push(d),
        }
    }
    let mut loader = Loader {
        sources,
        diagnostics,
        registry,
    };
    let guideline = loader.assemble(&ids);
    Loaded {
        guideline,
        diagnostics: loader.diagnostics,
    }
}

struct Loader {
    sources: SourceSet,
    diagnostics: Vec<Diagnostic>,
    /// A registry built already from the file the manifest names.
    registry: Option<Registry>,
}

/// Keys each kind of metadata accepts, for typo suggestions.
const MANIFEST_KEYS: &[&str] = &[
    "title",
    "edition",
    "date",
    "publisher",
    "registry",
    "glossary",
    "previous",
    "notice",
    "ja",
    "en",
    "path",
];
const REGISTRY_KEYS: &[&str] = &[
    "technology",
    "id",
    "name",
    "aliases",
    "category",
    "aal",
    "status",
    "since",
    "standards",
    "description",
    "aal_condition",
    "not_mentions",
    "ja",
    "en",
];
const GLOSSARY_KEYS: &[&str] = &[
    "term",
    "ja",
    "en",
    "reading",
    "definition",
    "variants",
    "en_forms",
];
const PART_KEYS: &[&str] = &["id", "title", "audience", "ja", "en"];
const CHAPTER_KEYS: &[&str] = &["audience"];
/// The keys of a control's metadata block (also what the language server completes).
pub const CONTROL_KEYS: &[&str] = &[
    "level",
    "applies",
    "audience",
    "assurance",
    "references",
    "related",
    "previous",
    "parent",
    "param",
];

/// Keys of a `[[param]]` table in a control's metadata.
pub const PARAM_KEYS: &[&str] = &[
    "id",
    "label",
    "guidelines",
    "values",
    "select",
    "how-many",
    "choice",
    "ja",
    "en",
];

/// Every key a control's metadata block accepts, at any depth (for typo suggestions).
static CONTROL_META_KEYS: std::sync::LazyLock<Vec<&'static str>> =
    std::sync::LazyLock::new(|| CONTROL_KEYS.iter().chain(PARAM_KEYS).copied().collect());

#[derive(Deserialize)]
struct RegistryFile {
    #[serde(default)]
    technology: Vec<toml::Spanned<Technology>>,
}

#[derive(Deserialize)]
struct PartFile {
    id: String,
    title: Pair,
    audience: Vec<Audience>,
}

#[derive(Deserialize, Default)]
struct ChapterMeta {
    #[serde(default)]
    audience: Option<Vec<Audience>>,
}

#[derive(Deserialize)]
struct ControlMeta {
    level: Level,
    #[serde(default)]
    audience: Option<Vec<Audience>>,
    #[serde(default)]
    assurance: Option<String>,
    #[serde(default)]
    references: Vec<String>,
    #[serde(default)]
    related: Vec<toml::Spanned<String>>,
    #[serde(default)]
    previous: Vec<toml::Spanned<String>>,
    #[serde(default)]
    applies: Option<toml::Spanned<String>>,
    #[serde(default)]
    parent: Option<toml::Spanned<String>>,
    #[serde(default)]
    param: Vec<ParamMeta>,
}

/// Text of a parameter: one string for both languages, or `{ ja = "…", en = "…" }`.
#[derive(Deserialize)]
#[serde(untagged)]
enum ParamText {
    Both(String),
    Each { ja: String, en: String },
}

impl ParamText {
    fn localised(self) -> Localised<String> {
        match self {
            ParamText::Both(s) => Localised {
                en: Some(s.clone()),
                ja: s,
            },
            ParamText::Each { ja, en } => Localised { ja, en: Some(en) },
        }
    }
}

#[derive(Deserialize)]
struct ParamMeta {
    id: toml::Spanned<String>,
    #[serde(default)]
    label: Option<ParamText>,
    #[serde(default)]
    guidelines: Vec<ParamText>,
    #[serde(default)]
    values: Vec<String>,
    #[serde(default)]
    select: Option<SelectMeta>,
}

#[derive(Deserialize)]
struct SelectMeta {
    #[serde(default, rename = "how-many")]
    how_many: Option<String>,
    #[serde(default)]
    choice: Vec<ParamText>,
}

const APPLICABILITY_KEYS: &[&str] = &[
    "question", "preset", "id", "kind", "ja", "en", "help", "choice", "answers",
];

#[derive(Deserialize)]
struct ApplicabilityFile {
    #[serde(default)]
    question: Vec<toml::Spanned<crate::applicability::Question>>,
    #[serde(default)]
    preset: Vec<toml::Spanned<crate::applicability::Preset>>,
}

impl Loader {
    fn assemble(&mut self, ids: &BTreeMap<PathBuf, FileId>) -> Option<Guideline> {
        let manifest_file = *ids.get(Path::new(MANIFEST))?;
        let manifest: Manifest = self.toml(manifest_file, None, MANIFEST_KEYS)?;

        let registry_path = clean(&manifest.registry);
        let registry_file = ids.get(&registry_path).copied();
        let registry = match registry_file {
            Some(file) => match self.registry.take() {
                Some(shared) => shared,
                None => self.registry(file),
            },
            None => {
                let f = self.sources.get(manifest_file);
                let span = key_span(&f.text, "registry").unwrap_or(0..0);
                let d = malformed::LINT
                    .at(f, span, format!("technology registry `{}` not found", manifest.registry.display()))
                    .help("create technologies.toml beside guideline.toml, or point `registry` at an existing one");
                self.diagnostics.push(d);
                Registry::default()
            }
        };

        let glossary = match &manifest.glossary {
            Some(path) => match ids.get(&clean(path)) {
                Some(&file) => self.toml(file, None, GLOSSARY_KEYS).unwrap_or_default(),
                None => {
                    let f = self.sources.get(manifest_file);
                    let span = key_span(&f.text, "glossary").unwrap_or(0..0);
                    let d = malformed::LINT
                        .at(f, span, format!("glossary `{}` not found", path.display()))
                        .help("create the file or remove the `glossary` key");
                    self.diagnostics.push(d);
                    Glossary::default()
                }
            },
            None => Glossary::default(),
        };

        let applicability_file = ids.get(Path::new(crate::applicability::FILE)).copied();
        let applicability = applicability_file.map(|file| self.applicability(file));

        // The carried OSCAL data of an imported catalog is large (2.5 MB for SP 800-53
        // moderate) and independent of the rest: parse it on a thread of its own.
        let carried_file = ids.get(Path::new(crate::oscal::CARRIED_FILE)).copied();
        let carried_parse = carried_file.map(|file| {
            let text = self.sources.get(file).text.clone();
            std::thread::spawn(move || {
                serde_json::from_str::<crate::oscal::Carried>(&text)
                    .map_err(|e| (e.line(), e.column(), e.to_string()))
            })
        });
        let mut known: BTreeSet<PathBuf> = [
            PathBuf::from(MANIFEST),
            registry_path.clone(),
            PathBuf::from(crate::applicability::FILE),
            PathBuf::from(crate::oscal::CARRIED_FILE),
        ]
        .into();
        if let Some(g) = &manifest.glossary {
            known.insert(clean(g));
        }
        let parts = self.parts(ids, &registry, &mut known);
        let carried = match (carried_file, carried_parse) {
            (Some(file), Some(parse)) => match parse.join() {
                Ok(Ok(c)) => Some(c),
                Ok(Err((line, column, message))) => {
                    let f = self.sources.get(file);
                    let offset = f.offset_of(line, column);
                    let d = malformed::diagnostic(f, offset..offset, &message).help(
                        "oscal.json is written by `guideline import oscal`; import the catalog again or undo the edit",
                    );
                    self.diagnostics.push(d);
                    None
                }
                Err(panic) => std::panic::resume_unwind(panic),
            },
            _ => None,
        };
        for (path, &file) in ids {
            if !known.contains(path) {
                let f = self.sources.get(file);
                let d = structure::LINT
                    .at(f, 0..0, format!("`{}` is not part of the guideline layout", path.display()))
                    .help("chapters are `parts/<part>/<NN-name>.ja.md` with a matching `.en.md`; each part directory has a part.toml");
                self.diagnostics.push(d);
            }
        }

        Some(Guideline {
            manifest,
            manifest_file,
            registry,
            registry_file,
            glossary,
            applicability,
            applicability_file,
            parts,
            sources: std::mem::take(&mut self.sources),
            earlier: BTreeMap::new(),
            carried,
            carried_file,
        })
    }

    fn registry(&mut self, file: FileId) -> Registry {
        let Some(parsed) = self.toml::<RegistryFile>(file, None, REGISTRY_KEYS) else {
            return Registry::default();
        };
        let mut seen: BTreeMap<String, Range<usize>> = BTreeMap::new();
        let mut technologies = Vec::new();
        // The keys' spans, for findings that point at one key of an entry.
        let doc = toml::de::DeTable::parse(&self.sources.get(file).text).ok();
        let key_at = |i: usize, key: &str| {
            doc.as_ref()
                .and_then(|d| key_in_table(d.get_ref(), &["technology", &i.to_string(), key]))
        };
        // TOML gives an array-of-tables entry the span of its `[[technology]]` header only;
        // the entry runs to the next header (or the end of the file).
        let text_len = self.sources.get(file).text.len();
        let starts: Vec<usize> = parsed.technology.iter().map(|t| t.span().start).collect();
        for (i, spanned) in parsed.technology.into_iter().enumerate() {
            let end = starts.get(i + 1).copied().unwrap_or(text_len);
            let entry_end =
                starts[i] + self.sources.get(file).text[starts[i]..end].trim_end().len();
            let span = starts[i]..entry_end.max(spanned.span().end);
            let mut t = spanned.into_inner();
            t.span = span.clone();
            t.id_span = key_at(i, "id").unwrap_or(span.clone());
            let f = self.sources.get(file);
            if let Some(first) = seen.get(&t.id) {
                // Point at the `id` keys, not at the whole entries.
                let d = g0006_registry_conflict::duplicate_id(
                    f,
                    t.id_span.clone(),
                    first.clone(),
                    &t.id,
                );
                self.diagnostics.push(d);
                continue;
            }
            if t.aal.is_some_and(|a| !(1..=3).contains(&a)) {
                let at = key_at(i, "aal").unwrap_or(span.clone());
                let d = malformed::LINT
                    .at(f, at, format!("technology `{}` has aal {}, outside 1-3", t.id, t.aal.unwrap_or(0)))
                    .help("SP 800-63B defines AAL1, AAL2 and AAL3; leave `aal` out where it does not apply");
                self.diagnostics.push(d);
                t.aal = None;
            }
            seen.insert(t.id.clone(), t.id_span.clone());
            technologies.push(t);
        }
        let text_bytes = self.sources.iter().map(|(_, f)| f.text.len()).sum();
        let (registry, clashes) = Registry::for_text(technologies, text_bytes);
        let f = self.sources.get(file);
        for (index, alias, owner) in clashes {
            let entry = registry.technologies[index].span.clone();
            let at = f.text[entry.clone()]
                .find(&alias)
                .map_or(entry.clone(), |i| {
                    entry.start + i..entry.start + i + alias.len()
                });
            let d = g0006_registry_conflict::shared_alias(
                f,
                at,
                &alias,
                &registry.technologies[index].id,
                &owner,
            );
            self.diagnostics.push(d);
        }
        registry
    }

    fn parts(
        &mut self,
        ids: &BTreeMap<PathBuf, FileId>,
        registry: &Registry,
        known: &mut BTreeSet<PathBuf>,
    ) -> Vec<Part> {
        let part_dirs: BTreeSet<PathBuf> = ids
            .keys()
            .filter(|p| p.starts_with("parts") && p.components().count() == 3)
            .filter_map(|p| p.parent().map(Path::to_path_buf))
            .collect();
        // Chapter files are independent of each other: parse them on every core, then
        // assemble in path order, so the result is the same as one by one.
        let chapter_files: Vec<(FileId, Lang)> = ids
            .iter()
            .filter(|(p, _)| p.starts_with("parts") && p.components().count() == 3)
            .filter_map(|(p, &id)| {
                let name = p.file_name()?.to_str()?;
                let lang = if name.ends_with(".ja.md") {
                    Lang::Ja
                } else if name.ends_with(".en.md") {
                    Lang::En
                } else {
                    return None;
                };
                Some((id, lang))
            })
            .collect();
        let sources = &self.sources;
        let mut parsed: BTreeMap<FileId, (ChapterDoc, Vec<Diagnostic>)> = chapter_files
            .par_iter()
            .map(|&(id, lang)| (id, parse_chapter(sources.get(id), id, lang, registry)))
            .collect();
        let mut parts = Vec::new();
        for dir in part_dirs {
            let slug = dir
                .file_name()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let part_toml = dir.join("part.toml");
            let Some(&part_file) = ids.get(&part_toml) else {
                if let Some((_, &any)) = ids.iter().find(|(p, _)| p.starts_with(&dir)) {
                    let f = self.sources.get(any);
                    let d = structure::LINT
                        .at(f, 0..0, format!("part directory `{}` has no part.toml", dir.display()))
                        .help("add part.toml with `id`, `title = { ja = \"…\", en = \"…\" }` and `audience`");
                    self.diagnostics.push(d);
                }
                continue;
            };
            known.insert(part_toml);
            let Some(meta) = self.toml::<PartFile>(part_file, None, PART_KEYS) else {
                continue;
            };
            let mut chapters = Vec::new();
            // Paths are sorted, so a directory's files are one contiguous range.
            let chapter_files: BTreeMap<String, (Option<FileId>, Option<FileId>)> = ids
                .range(dir.clone()..)
                .take_while(|(p, _)| p.starts_with(&dir))
                .filter(|(p, _)| p.parent() == Some(dir.as_path()))
                .fold(BTreeMap::new(), |mut acc, (p, &id)| {
                    let name = p
                        .file_name()
                        .map(|s| s.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    if let Some(stem) = name.strip_suffix(".ja.md") {
                        acc.entry(stem.to_string()).or_insert((None, None)).0 = Some(id);
                        known.insert(p.clone());
                    } else if let Some(stem) = name.strip_suffix(".en.md") {
                        acc.entry(stem.to_string()).or_insert((None, None)).1 = Some(id);
                        known.insert(p.clone());
                    }
                    acc
                });
            for (stem, (ja, en)) in chapter_files {
                let Some(ja) = ja else {
                    let en = en.expect("one of the pair exists");
                    let f = self.sources.get(en);
                    let d = structure::LINT
                        .at(f, 0..0, format!("English chapter `{stem}` has no Japanese original"))
                        .help(format!("the Japanese text is authoritative: add `{stem}.ja.md`, or rename this file to match it"));
                    self.diagnostics.push(d);
                    continue;
                };
                let ja_doc = self.chapter(&mut parsed, ja);
                let en_doc = en.map(|en| self.chapter(&mut parsed, en));
                if let Some(chapter) = self.pair_chapter(stem, &meta.audience, ja_doc, en_doc) {
                    chapters.push(chapter);
                }
            }
            let title = Localised {
                ja: meta.title.ja,
                en: Some(meta.title.en).filter(|s| !s.trim().is_empty()),
            };
            let part_text = &self.sources.get(part_file).text;
            parts.push(Part {
                id_span: key_span(part_text, "id").unwrap_or(0..0),
                title_span: key_span(part_text, "title").unwrap_or(0..0),
                id: meta.id,
                file: part_file,
                title,
                audience: meta.audience,
                chapters,
                slug,
            });
        }
        parts
    }

    /// `applicability.toml`: its questions and presets, each with its span in the file.
    fn applicability(&mut self, file: FileId) -> crate::applicability::Applicability {
        let parsed: Option<ApplicabilityFile> = self.toml(file, None, APPLICABILITY_KEYS);
        let Some(parsed) = parsed else {
            return Default::default();
        };
        /// Each table with its span in the file.
        fn with_spans<T>(
            tables: Vec<toml::Spanned<T>>,
            span_of: fn(&mut T) -> &mut Range<usize>,
        ) -> Vec<T> {
            tables
                .into_iter()
                .map(|s| {
                    let span = s.span();
                    let mut t = s.into_inner();
                    *span_of(&mut t) = span;
                    t
                })
                .collect()
        }
        crate::applicability::Applicability {
            questions: with_spans(parsed.question, |q| &mut q.span),
            presets: with_spans(parsed.preset, |p| &mut p.span),
        }
    }

    /// A control's `applies` condition, parsed; one that does not parse is reported
    /// (G0401) and the control is treated as applying always.
    fn applies(
        &mut self,
        file: FileId,
        block_start: usize,
        written: Option<&toml::Spanned<String>>,
    ) -> crate::applicability::Applies {
        use crate::applicability::{parse, Applies};
        let Some(written) = written else {
            return Applies::default();
        };
        let f = self.sources.get(file);
        let value_start = block_start + written.span().start;
        // The condition's text starts after the opening quote(s) of the TOML string.
        let quote = if f.text[value_start..].starts_with("\"\"\"")
            || f.text[value_start..].starts_with("'''")
        {
            3
        } else {
            1
        };
        let text_start = value_start + quote;
        match parse(written.get_ref()) {
            Ok(condition) => Applies {
                condition,
                text_start: Some(text_start),
            },
            Err(e) => {
                let span = (text_start + e.span.start).min(f.text.len())
                    ..(text_start + e.span.end).min(f.text.len());
                self.diagnostics
                    .push(crate::lint::g0401_malformed_condition::diagnostic(
                        f, span, &e.message,
                    ));
                Applies::default()
            }
        }
    }

    /// Parses TOML into `T` (the whole file, or the metadata `block` in it), reporting
    /// syntax and type errors (G0002) and unknown keys (G0003) at their place in the file.
    fn toml<T: DeserializeOwned>(
        &mut self,
        file: FileId,
        block: Option<Range<usize>>,
        known_keys: &[&str],
    ) -> Option<T> {
        let f = self.sources.get(file);
        let range = block.unwrap_or(0..f.text.len());
        let base = range.start;
        let text = &f.text[range.clone()];
        let mut unknown = Vec::new();
        let parsed = toml::de::Deserializer::parse(text)
            .and_then(|de| serde_ignored::deserialize(de, |path| unknown.push(path.to_string())));
        match parsed {
            Ok(value) => {
                for path in unknown {
                    let key = path.rsplit('.').next().unwrap_or(&path).to_string();
                    let span = key_span(text, &path)
                        .map_or(range.clone(), |s| base + s.start..base + s.end);
                    self.diagnostics.push(g0003_unknown_key::diagnostic(
                        f, span, &path, &key, known_keys,
                    ));
                }
                Some(value)
            }
            Err(e) => {
                // The value did not fit the type, so serde_ignored saw no unknown keys; find
                // them in the parsed table, because a misspelt key (`levl`) is usually why a
                // required one (`level`) is missing.
                let mut misspelt = Vec::new();
                if let Ok(table) = toml::de::DeTable::parse(text) {
                    unknown_keys(table.get_ref(), known_keys, &mut misspelt);
                }
                for (key, span) in &misspelt {
                    self.diagnostics.push(g0003_unknown_key::diagnostic(
                        f,
                        base + span.start..base + span.end,
                        key,
                        key,
                        known_keys,
                    ));
                }
                let message = e.message().trim().to_string();
                // "missing field `level`" next to an unknown `levl`: the G0003 finding with its
                // "did you mean `level`?" says it all, at the right place.
                let missing = message
                    .strip_prefix("missing field `")
                    .and_then(|m| m.split('`').next());
                let explained = missing.is_some_and(|field| {
                    misspelt
                        .iter()
                        .any(|(key, _)| crate::diagnostic::nearest(key, known_keys) == Some(field))
                });
                if !explained {
                    let span = e
                        .span()
                        .map_or(range.clone(), |s| base + s.start..base + s.end.max(s.start));
                    self.diagnostics
                        .push(malformed::diagnostic(f, span, &message));
                }
                None
            }
        }
    }

    /// Takes a parsed chapter and its findings.
    fn chapter(
        &mut self,
        parsed: &mut BTreeMap<FileId, (ChapterDoc, Vec<Diagnostic>)>,
        file: FileId,
    ) -> ChapterDoc {
        let (doc, diagnostics) = parsed.remove(&file).expect("every chapter file was parsed");
        self.diagnostics.extend(diagnostics);
        doc
    }

    fn pair_chapter(
        &mut self,
        slug: String,
        part_audience: &[Audience],
        ja: ChapterDoc,
        en: Option<ChapterDoc>,
    ) -> Option<Chapter> {
        let heading = ja.heading.clone()?;
        let chapter_meta: ChapterMeta = match ja.meta.clone() {
            Some(block) => self
                .toml(ja.file, Some(block), CHAPTER_KEYS)
                .unwrap_or_default(),
            None => ChapterMeta::default(),
        };
        let audience = chapter_meta
            .audience
            .unwrap_or_else(|| part_audience.to_vec());
        if let Some(en) = &en {
            if let Some(block) = en
                .meta
                .clone()
                .or_else(|| en.controls.iter().find_map(|c| c.meta.clone()))
            {
                let f = self.sources.get(en.file);
                let d = structure::LINT
                    .at(f, block, "metadata block in an English file")
                    .help("metadata lives once, in the Japanese file; remove this block");
                self.diagnostics.push(d);
            }
        }
        let mut en_controls: BTreeMap<String, ControlDoc> = BTreeMap::new();
        if let Some(en) = &en {
            for c in &en.controls {
                en_controls.entry(c.id.clone()).or_insert_with(|| c.clone());
            }
        }
        let mut controls = Vec::new();
        for c in ja.controls {
            // A control whose metadata is missing or broken stays in the model with default
            // metadata, so one mistake does not cascade into findings about its translation.
            let meta_block = c.meta.clone().unwrap_or(c.id_span.end..c.id_span.end);
            let meta = match c.meta.clone() {
                Some(block) => self.toml::<ControlMeta>(ja.file, Some(block), &CONTROL_META_KEYS),
                None => {
                    let f = self.sources.get(ja.file);
                    let d = structure::LINT
                        .at(f, c.id_span.clone(), format!("control {} has no metadata block", c.id))
                        .help("follow the heading with a ```toml meta block that sets at least `level = \"minimum\"` or `\"recommended\"`");
                    self.diagnostics.push(d);
                    None
                }
            };
            let meta = meta.unwrap_or(ControlMeta {
                level: Level::Minimum,
                audience: None,
                assurance: None,
                references: Vec::new(),
                related: Vec::new(),
                previous: Vec::new(),
                applies: None,
                parent: None,
                param: Vec::new(),
            });
            let applies = self.applies(ja.file, meta_block.start, meta.applies.as_ref());
            let assurance = match meta.assurance.as_deref() {
                None => None,
                Some(s) => match s.trim().to_ascii_uppercase().as_str() {
                    "AAL1" => Some(1),
                    "AAL2" => Some(2),
                    "AAL3" => Some(3),
                    _ => {
                        let f = self.sources.get(ja.file);
                        let text = &f.text[meta_block.clone()];
                        let span = key_span(text, "assurance").map_or(meta_block.clone(), |r| {
                            meta_block.start + r.start..meta_block.start + r.end
                        });
                        let d = malformed::diagnostic(
                            f,
                            span,
                            &format!("assurance `{s}` is not an SP 800-63B level"),
                        )
                        .help("write \"AAL1\", \"AAL2\" or \"AAL3\"");
                        self.diagnostics.push(d);
                        None
                    }
                },
            };
            let en_control = en_controls.remove(&c.id);
            let spanned_one = |s: toml::Spanned<String>| {
                let span = s.span();
                Spanned {
                    value: s.into_inner(),
                    file: ja.file,
                    span: meta_block.start + span.start..meta_block.start + span.end,
                }
            };
            let spanned = |v: Vec<toml::Spanned<String>>| v.into_iter().map(spanned_one).collect();
            let params = meta
                .param
                .into_iter()
                .map(|p| Param {
                    id: spanned_one(p.id),
                    label: p.label.map(ParamText::localised),
                    guidelines: p.guidelines.into_iter().map(ParamText::localised).collect(),
                    values: p.values,
                    select: p.select.map(|s| ParamSelect {
                        how_many: s.how_many,
                        choice: s.choice.into_iter().map(ParamText::localised).collect(),
                    }),
                })
                .collect();
            controls.push(Control {
                id: c.id,
                file: ja.file,
                id_span: c.id_span,
                title: Localised {
                    ja: c.title,
                    en: en_control.as_ref().map(|e| e.title.clone()),
                },
                level: meta.level,
                audience: meta.audience.unwrap_or_else(|| audience.clone()),
                assurance,
                references: meta.references,
                related: spanned(meta.related),
                previous: spanned(meta.previous),
                applies,
                parent: meta.parent.map(spanned_one),
                params,
                statement: Localised {
                    ja: c.statement.unwrap_or_else(|| empty_prose(ja.file)),
                    en: en_control
                        .as_ref()
                        .map(|e| e.statement.clone().unwrap_or_else(|| empty_prose(e.file))),
                },
                guidance: Localised {
                    ja: c.guidance.unwrap_or_else(|| empty_prose(ja.file)),
                    en: en_control
                        .as_ref()
                        .map(|e| e.guidance.clone().unwrap_or_else(|| empty_prose(e.file))),
                },
                en_heading: en_control.map(|e| (e.file, e.id_span)),
            });
        }
        for orphan in en_controls.into_values() {
            let f = self.sources.get(orphan.file);
            let d = structure::LINT
                .at(
                    f,
                    orphan.id_span.clone(),
                    format!("English control {} has no Japanese original", orphan.id),
                )
                .help("add the control to the Japanese file, or correct the ID to match it");
            self.diagnostics.push(d);
        }
        let en_file_heading = en
            .as_ref()
            .and_then(|e| e.heading.as_ref().map(|h| (e.file, h)));
        if let Some((file, h)) = en_file_heading.filter(|(_, h)| h.id != heading.id) {
            let d = structure::LINT
                .at(
                    self.sources.get(file),
                    h.id_span.clone(),
                    format!(
                        "English chapter is {} but the Japanese chapter is {}",
                        h.id, heading.id
                    ),
                )
                .help("the chapter heading starts with the same ID in both languages");
            self.diagnostics.push(d);
        }
        let en_title = en_file_heading
            .filter(|(_, h)| h.id == heading.id)
            .map(|(_, h)| h.title.clone());
        let en_heading = en_file_heading.map(|(file, h)| (file, h.id_span.clone()));
        Some(Chapter {
            id: heading.id,
            file: ja.file,
            id_span: heading.id_span,
            title: Localised {
                ja: heading.title,
                en: en_title,
            },
            audience,
            intro: Localised {
                ja: ja.intro,
                en: en.map(|e| e.intro),
            },
            controls,
            en_heading,
            slug,
        })
    }
}

fn empty_prose(file: FileId) -> Prose {
    Prose {
        file,
        ..Prose::default()
    }
}

/// Keys anywhere in `table` that no kind of metadata here accepts, with their spans.
fn unknown_keys(
    table: &toml::de::DeTable<'_>,
    known: &[&str],
    out: &mut Vec<(String, Range<usize>)>,
) {
    for (key, value) in table {
        if !known.contains(&key.get_ref().as_ref()) {
            out.push((key.get_ref().to_string(), key.span()));
        }
        unknown_in_value(value.get_ref(), known, out);
    }
}

fn unknown_in_value(
    value: &toml::de::DeValue<'_>,
    known: &[&str],
    out: &mut Vec<(String, Range<usize>)>,
) {
    match value {
        toml::de::DeValue::Table(t) => unknown_keys(t, known, out),
        toml::de::DeValue::Array(items) => {
            for item in items.iter() {
                unknown_in_value(item.get_ref(), known, out);
            }
        }
        _ => {}
    }
}

/// The span of a key in a TOML document, by path: table keys and array indices joined with
/// `.`, as `serde_ignored` writes them (`technology.3.aliases`; a `?` segment, an optional
/// value, is skipped). Where the path cannot be followed (a value of the wrong type), the
/// first key of the path's last name anywhere in the document. `None` when the text is not
/// TOML or has no such key.
pub(crate) fn key_span(text: &str, path: &str) -> Option<Range<usize>> {
    let doc = toml::de::DeTable::parse(text).ok()?;
    let segments: Vec<&str> = path
        .split('.')
        .filter(|s| !s.is_empty() && *s != "?")
        .collect();
    key_in_table(doc.get_ref(), &segments)
        .or_else(|| first_key_named(doc.get_ref(), segments.last()?))
}

fn key_in_table(table: &toml::de::DeTable<'_>, segments: &[&str]) -> Option<Range<usize>> {
    let (first, rest) = segments.split_first()?;
    let (key, value) = table.iter().find(|(k, _)| k.get_ref().as_ref() == *first)?;
    if rest.is_empty() {
        return Some(key.span());
    }
    key_in_value(value.get_ref(), rest)
}

fn key_in_value(value: &toml::de::DeValue<'_>, segments: &[&str]) -> Option<Range<usize>> {
    match value {
        toml::de::DeValue::Table(t) => key_in_table(t, segments),
        toml::de::DeValue::Array(items) => {
            let (index, rest) = segments.split_first()?;
            let item = items.get(index.parse::<usize>().ok()?)?;
            if rest.is_empty() {
                return Some(item.span());
            }
            key_in_value(item.get_ref(), rest)
        }
        _ => None,
    }
}

/// The first key called `name` in the document, at any depth.
fn first_key_named(table: &toml::de::DeTable<'_>, name: &str) -> Option<Range<usize>> {
    fn visit(value: &toml::de::DeValue<'_>, name: &str, best: &mut Option<Range<usize>>) {
        match value {
            toml::de::DeValue::Table(t) => visit_table(t, name, best),
            toml::de::DeValue::Array(items) => {
                for item in items.iter() {
                    visit(item.get_ref(), name, best);
                }
            }
            _ => {}
        }
    }
    fn visit_table(table: &toml::de::DeTable<'_>, name: &str, best: &mut Option<Range<usize>>) {
        for (key, value) in table {
            if key.get_ref().as_ref() == name
                && best.as_ref().is_none_or(|b| key.span().start < b.start)
            {
                *best = Some(key.span());
            }
            visit(value.get_ref(), name, best);
        }
    }
    let mut best = None;
    visit_table(table, name, &mut best);
    best
}

/// A chapter or control heading: `# ID title`.
#[derive(Debug, Clone)]
struct Heading {
    id: String,
    id_span: Range<usize>,
    title: String,
}

#[derive(Debug, Clone)]
struct ControlDoc {
    id: String,
    id_span: Range<usize>,
    title: String,
    file: FileId,
    meta: Option<Range<usize>>,
    statement: Option<Prose>,
    guidance: Option<Prose>,
}

#[derive(Debug, Clone)]
struct ChapterDoc {
    file: FileId,
    heading: Option<Heading>,
    meta: Option<Range<usize>>,
    intro: Prose,
    controls: Vec<ControlDoc>,
}

/// Section headings of a control, per language.
fn section_of(lang: Lang, title: &str) -> Option<Section> {
    match (lang, title.trim()) {
        (Lang::Ja, "要求事項") | (Lang::En, "Statement") => Some(Section::Statement),
        (Lang::Ja, "解説") | (Lang::En, "Guidance") => Some(Section::Guidance),
        _ => None,
    }
}

fn section_names(lang: Lang) -> &'static str {
    match lang {
        Lang::Ja => "`### 要求事項` (statement) and `### 解説` (guidance)",
        Lang::En => "`### Statement` and `### Guidance`",
    }
}

/// Where prose is going while walking a chapter.
#[derive(Clone, Copy, PartialEq)]
enum Target {
    Intro,
    /// After a control heading, before its first section.
    ControlHead,
    Section(Section),
}

fn markdown_options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES
}

fn parse_chapter(
    f: &SourceFile,
    file: FileId,
    lang: Lang,
    registry: &Registry,
) -> (ChapterDoc, Vec<Diagnostic>) {
    let text = f.text.as_str();
    let mut diags = Vec::new();
    let mut doc = ChapterDoc {
        file,
        heading: None,
        meta: None,
        intro: empty_prose(file),
        controls: Vec::new(),
    };
    let mut target = Target::Intro;
    let mut prose = ProseBuilder::new(file, lang, Section::Intro);
    // Heading being read: (level, span, text).
    let mut heading: Option<(HeadingLevel, Range<usize>, String)> = None;
    let mut meta_allowed = false;
    // Content span of the metadata block being read, and whether a misplaced one is skipped.
    let mut in_meta: Option<Range<usize>> = None;
    let mut skipping_meta = false;
    let mut stray_reported = false;

    let finish = |prose: ProseBuilder, target: Target, doc: &mut ChapterDoc, text: &str| {
        let p = prose.finish(text);
        match target {
            Target::Intro => doc.intro = p,
            Target::ControlHead => {}
            Target::Section(s) => {
                if let Some(c) = doc.controls.last_mut() {
                    let slot = if s == Section::Statement {
                        &mut c.statement
                    } else {
                        &mut c.guidance
                    };
                    *slot = Some(p);
                }
            }
        }
    };

    for (event, range) in Parser::new_ext(text, markdown_options()).into_offset_iter() {
        if let Some((_, _, buf)) = &mut heading {
            match event {
                Event::End(TagEnd::Heading(_)) => {}
                Event::Text(t) => {
                    g0008_build_directive::find(f, range, &mut diags);
                    buf.push_str(&t);
                    continue;
                }
                Event::Code(t) => {
                    buf.push_str(&t);
                    continue;
                }
                Event::Html(_) | Event::InlineHtml(_) => {
                    diags.push(g0005_raw_html::diagnostic(f, range));
                    continue;
                }
                _ => continue,
            }
        }
        match event {
            Event::Start(Tag::Heading { level, .. }) if level <= HeadingLevel::H3 => {
                heading = Some((level, range, String::new()));
                meta_allowed = false;
            }
            Event::End(TagEnd::Heading(_)) if heading.is_some() => {
                let (level, span, title) = heading.take().expect("heading is open");
                match level {
                    HeadingLevel::H1 | HeadingLevel::H2 => {
                        let Some(h) = parse_heading(f, span.clone(), &title, &mut diags) else {
                            continue;
                        };
                        if level == HeadingLevel::H1 {
                            if doc.heading.is_some() {
                                diags.push(
                                    structure::LINT
                                        .at(f, span, "second chapter heading in one file")
                                        .help("one chapter per file: use `##` for controls"),
                                );
                                continue;
                            }
                            if !doc.controls.is_empty() {
                                diags.push(
                                    structure::LINT
                                        .at(f, span, "chapter heading after controls")
                                        .help("put `# ID title` first in the file"),
                                );
                            }
                            doc.heading = Some(h);
                        } else {
                            let old = std::mem::replace(
                                &mut prose,
                                ProseBuilder::new(file, lang, Section::Statement),
                            );
                            finish(old, target, &mut doc, text);
                            doc.controls.push(ControlDoc {
                                id: h.id,
                                id_span: h.id_span,
                                title: h.title,
                                file,
                                meta: None,
                                statement: None,
                                guidance: None,
                            });
                            target = Target::ControlHead;
                        }
                        meta_allowed = true;
                    }
                    _ => {
                        let Some(section) = section_of(lang, &title) else {
                            diags.push(
                                structure::LINT
                                    .at(
                                        f,
                                        span,
                                        format!("unknown section heading 「{}」", title.trim()),
                                    )
                                    .help(format!(
                                        "a control has {}; use `####` for headings inside them",
                                        section_names(lang)
                                    )),
                            );
                            continue;
                        };
                        let Some(control) = doc.controls.last() else {
                            diags.push(
                                structure::LINT
                                    .at(f, span, "section heading outside a control")
                                    .help("put `## ID title` above it"),
                            );
                            continue;
                        };
                        let already = match section {
                            Section::Statement => control.statement.is_some(),
                            _ => control.guidance.is_some(),
                        };
                        if already || (target == Target::Section(section)) {
                            diags.push(
                                structure::LINT
                                    .at(
                                        f,
                                        span,
                                        format!("control {} has this section twice", control.id),
                                    )
                                    .help("merge the two sections"),
                            );
                            continue;
                        }
                        if section == Section::Statement
                            && (control.guidance.is_some()
                                || target == Target::Section(Section::Guidance))
                        {
                            diags.push(
                                structure::LINT
                                    .at(f, span.clone(), "statement after guidance")
                                    .help("the statement comes first, then the guidance"),
                            );
                        }
                        let old =
                            std::mem::replace(&mut prose, ProseBuilder::new(file, lang, section));
                        finish(old, target, &mut doc, text);
                        target = Target::Section(section);
                    }
                }
            }
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info)))
                if info.trim() == "toml meta" =>
            {
                if meta_allowed {
                    // The content starts after the opening fence line.
                    let content = text[range.clone()]
                        .find('\n')
                        .map_or(range.end, |i| range.start + i + 1);
                    in_meta = Some(content..content);
                } else {
                    diags.push(
                        structure::LINT
                            .at(f, range, "metadata block not directly under a heading")
                            .help("a ```toml meta block belongs right after a `#` chapter or `##` control heading"),
                    );
                    skipping_meta = true;
                }
                meta_allowed = false;
            }
            Event::Text(_) if in_meta.is_some() || skipping_meta => {
                if let Some(block) = &mut in_meta {
                    block.end = block.end.max(range.end);
                }
            }
            Event::End(TagEnd::CodeBlock) if in_meta.is_some() || skipping_meta => {
                if let Some(block) = in_meta.take() {
                    let slot = match doc.controls.last_mut() {
                        Some(c) if target == Target::ControlHead => &mut c.meta,
                        _ => &mut doc.meta,
                    };
                    *slot = Some(block);
                }
                skipping_meta = false;
            }
            Event::Html(_) | Event::InlineHtml(_) => {
                diags.push(g0005_raw_html::diagnostic(f, range));
            }
            event => {
                meta_allowed = false;
                if matches!(event, Event::Text(_)) && prose.code_depth == 0 {
                    g0008_build_directive::find(f, range.clone(), &mut diags);
                }
                if doc.heading.is_none() && !stray_reported && !matches!(event, Event::End(_)) {
                    stray_reported = true;
                    diags.push(
                        structure::LINT
                            .at(f, range.clone(), "text before the chapter heading")
                            .help(
                                "start the file with `# ID title`, for example `# M-3 リスク評価`",
                            ),
                    );
                }
                if target == Target::ControlHead && !prose.reported_stray {
                    if let Event::Start(_) = event {
                        prose.reported_stray = true;
                        let id = doc
                            .controls
                            .last()
                            .map(|c| c.id.clone())
                            .unwrap_or_default();
                        diags.push(
                            structure::LINT
                                .at(
                                    f,
                                    range.clone(),
                                    format!("text of control {id} outside its sections"),
                                )
                                .help(format!("put it under {}", section_names(lang))),
                        );
                    }
                }
                prose.push(event, range, text, registry);
            }
        }
    }
    finish(prose, target, &mut doc, text);
    if doc.heading.is_none() {
        diags.push(
            structure::LINT
                .at(f, 0..0, "chapter file has no `# ID title` heading")
                .help("start the file with `# ID title`, for example `# M-3 リスク評価`"),
        );
    }
    (doc, diags)
}

fn parse_heading(
    f: &SourceFile,
    span: Range<usize>,
    title: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<Heading> {
    let trimmed = title.trim_start();
    let id = trimmed.split_whitespace().next().unwrap_or("");
    let rest = trimmed[id.len()..].trim().to_string();
    let source = &f.text[span.clone()];
    let id_span = match source.find(id) {
        Some(i) if !id.is_empty() => span.start + i..span.start + i + id.len(),
        _ => span.clone(),
    };
    if !is_valid_id(id) || rest.is_empty() {
        diags.push(
            structure::LINT
                .at(f, id_span, format!("heading 「{}」 does not start with an ID and a title", title.trim()))
                .help("write `## ID title`, for example `## C-11.2 外部ネットワークの利用`; IDs use letters, digits, `.`, `_` and `-`"),
        );
        return None;
    }
    Some(Heading {
        id: id.to_string(),
        id_span,
        title: rest,
    })
}

/// A link being read inside prose.
enum OpenLink {
    /// A tag: role, technology id, start offset, and the link text so far.
    Tag(Role, String, usize, String),
    /// A tag with a misspelt role: its text is not matched again as a mention.
    Malformed,
    /// A parameter reference: id and start offset. Its text is the parameter's label, not
    /// prose of the control, so it holds no mentions.
    Param(String, usize),
    /// An ordinary link.
    Plain,
}

/// Collects one block of prose: its events, plain text and technology mentions.
struct ProseBuilder {
    prose: Prose,
    lang: Lang,
    section: Section,
    code_depth: usize,
    /// Open links, innermost last.
    links: Vec<OpenLink>,
    reported_stray: bool,
    /// Open list items (statements only), innermost last.
    open_items: Vec<OpenItem>,
    list_depth: usize,
    /// Start of the top-level list being read.
    list_start: usize,
    /// Entries without a label in the top-level list being read (loose if it has items).
    unlabelled: Vec<Range<usize>>,
    /// Where the first top-level list with items ends.
    items_end: Option<usize>,
}

/// A list item being read in a statement: an item if it starts with a bold label.
struct OpenItem {
    event: usize,
    /// The list depth the entry is in.
    depth: usize,
    /// The entry's whole span.
    span: Range<usize>,
    state: LabelState,
    label: String,
    label_end: usize,
    text_end: Option<usize>,
    items: Vec<Item>,
}

#[derive(PartialEq)]
enum LabelState {
    /// Nothing of the item read yet (a paragraph start may come first).
    Awaiting,
    /// Inside the bold label.
    Reading,
    /// The label is read: this is an item.
    Item,
    /// The item did not start with a bold label: an ordinary list item.
    NotItem,
}

impl ProseBuilder {
    fn new(file: FileId, lang: Lang, section: Section) -> Self {
        ProseBuilder {
            prose: empty_prose(file),
            lang,
            section,
            code_depth: 0,
            links: Vec::new(),
            reported_stray: false,
            open_items: Vec::new(),
            list_depth: 0,
            list_start: 0,
            unlabelled: Vec::new(),
            items_end: None,
        }
    }

    /// Follows list items in a statement to find its items (`- **a.** text`).
    fn track_items(&mut self, event: &Event<'_>, range: &Range<usize>, source: &str) {
        if self.section != Section::Statement {
            return;
        }
        let index = self.prose.events.len();
        // A second paragraph of an item: not part of the item's text.
        if let (Some(top), Event::Start(Tag::Paragraph)) = (self.open_items.last(), event) {
            if top.state == LabelState::Item
                && top.text_end.is_some()
                && self.list_depth == top.depth
            {
                self.prose.loose.push(range.clone());
            }
        }
        if let Some(top) = self.open_items.last_mut() {
            match (&top.state, event) {
                (LabelState::Awaiting, Event::Start(Tag::Paragraph)) => {}
                (LabelState::Awaiting, Event::Start(Tag::Strong)) => {
                    top.state = LabelState::Reading
                }
                (LabelState::Awaiting, _) => top.state = LabelState::NotItem,
                (LabelState::Reading, Event::Text(t) | Event::Code(t)) => top.label.push_str(t),
                (LabelState::Reading, Event::End(TagEnd::Strong)) => {
                    top.state = LabelState::Item;
                    top.label_end = range.end;
                }
                (LabelState::Reading, _) => top.state = LabelState::NotItem,
                (LabelState::Item, Event::End(TagEnd::Paragraph) | Event::Start(Tag::List(_)))
                    if top.text_end.is_none() =>
                {
                    top.text_end = Some(range.start.max(top.label_end));
                    if matches!(event, Event::End(TagEnd::Paragraph)) {
                        top.text_end = Some(range.end);
                    }
                }
                _ => {}
            }
        }
        match event {
            Event::Start(Tag::List(_)) => {
                if self.list_depth == 0 {
                    self.list_start = range.start;
                }
                self.list_depth += 1;
            }
            Event::End(TagEnd::List(_)) => {
                self.list_depth = self.list_depth.saturating_sub(1);
                if self.list_depth == 0 {
                    let unlabelled = std::mem::take(&mut self.unlabelled);
                    if !self.prose.items.is_empty() {
                        if self.prose.lead.end == usize::MAX {
                            self.prose.lead.end = self.list_start;
                        }
                        if self.items_end.is_none() {
                            self.items_end = Some(range.end);
                            self.prose.loose.extend(unlabelled);
                        }
                    }
                }
            }
            Event::Start(Tag::Item) => self.open_items.push(OpenItem {
                event: index,
                depth: self.list_depth,
                span: range.clone(),
                state: LabelState::Awaiting,
                label: String::new(),
                label_end: range.start,
                text_end: None,
                items: Vec::new(),
            }),
            Event::End(TagEnd::Item) => {
                let Some(open) = self.open_items.pop() else {
                    return;
                };
                let ancestors_are_items =
                    self.open_items.iter().all(|o| o.state == LabelState::Item);
                let label = open.label.trim().to_string();
                let own = crate::syntax::item_id(&label).filter(|_| open.state == LabelState::Item);
                let Some(own) = own.filter(|_| ancestors_are_items) else {
                    // An entry without a label: loose inside an item, and in a top-level
                    // list if that list turns out to hold items.
                    if ancestors_are_items {
                        if self.open_items.is_empty() {
                            self.unlabelled.push(open.span.start..range.end);
                        } else {
                            self.prose.loose.push(open.span.start..range.end);
                        }
                    }
                    return;
                };
                let mut path: Vec<String> = self
                    .open_items
                    .iter()
                    .filter_map(|o| crate::syntax::item_id(o.label.trim()))
                    .collect();
                path.push(own);
                let end = open.text_end.unwrap_or(range.end).max(open.label_end);
                let written = &source[open.label_end..end];
                let start = open.label_end + (written.len() - written.trim_start().len());
                let end = (open.label_end + written.trim_end().len()).max(start);
                let item = Item {
                    id: path.join("."),
                    label,
                    text: start..end,
                    event: open.event,
                    items: open.items,
                };
                match self.open_items.last_mut() {
                    Some(parent) => parent.items.push(item),
                    None => self.prose.items.push(item),
                }
            }
            _ => {}
        }
    }

    fn push(&mut self, event: Event<'_>, range: Range<usize>, source: &str, registry: &Registry) {
        if self.prose.span.is_empty() && self.prose.events.is_empty() {
            self.prose.span = range.clone();
            self.prose.lead = range.start..usize::MAX;
        }
        self.track_items(&event, &range, source);
        let p = &mut self.prose;
        p.span.end = p.span.end.max(range.end);
        match &event {
            Event::Start(Tag::CodeBlock(_)) => self.code_depth += 1,
            Event::End(TagEnd::CodeBlock) => {
                self.code_depth = self.code_depth.saturating_sub(1);
                p.plain.push_str("\n\n");
            }
            Event::Start(Tag::Link { dest_url, .. }) => match parse_tag(dest_url) {
                TagParse::Tag(role, id) => self.links.push(OpenLink::Tag(
                    role,
                    id.to_string(),
                    range.start,
                    String::new(),
                )),
                TagParse::BadRole(scheme, id) => {
                    p.malformed_tags.push(MalformedTag {
                        file: p.file,
                        span: range.clone(),
                        scheme: scheme.to_string(),
                        technology: id.to_string(),
                    });
                    self.links.push(OpenLink::Malformed);
                }
                TagParse::Param(id) => self
                    .links
                    .push(OpenLink::Param(id.to_string(), range.start)),
                TagParse::NotATag => self.links.push(OpenLink::Plain),
            },
            Event::End(TagEnd::Link) => {
                let closed = self.links.pop();
                if let Some(OpenLink::Param(id, start)) = &closed {
                    p.params.push(ParamRef {
                        id: id.clone(),
                        span: *start..range.end,
                    });
                }
                if let Some(OpenLink::Tag(role, technology, start, text)) = closed {
                    p.mentions.push(Mention {
                        file: p.file,
                        span: start..range.end,
                        text,
                        technology,
                        role: Some(role),
                        in_link: false,
                        lang: self.lang,
                        section: self.section,
                    });
                }
            }
            Event::Text(t) => {
                p.plain.push_str(t);
                if let Some(OpenLink::Tag(_, _, _, text)) = self.links.last_mut() {
                    text.push_str(t);
                } else if self.code_depth == 0
                    && !self
                        .links
                        .iter()
                        .any(|l| matches!(l, OpenLink::Malformed | OpenLink::Param(..)))
                {
                    let in_link = !self.links.is_empty();
                    let written = &source[range.clone()];
                    // Escapes and entities make the event differ from the source; then the
                    // whole event's span is the best position we have.
                    let exact = written == t.as_ref();
                    for hit in registry.scan(t) {
                        let (span, index) = (hit.span, hit.technology);
                        if let Some(phrase) = hit.not_mention {
                            p.not_mentions.push(NotMention {
                                technology: index,
                                phrase,
                            });
                            continue;
                        }
                        let t_span = if exact {
                            range.start + span.start..range.start + span.end
                        } else {
                            range.clone()
                        };
                        p.mentions.push(Mention {
                            file: p.file,
                            span: t_span,
                            text: t[span].to_string(),
                            technology: registry.technologies[index].id.clone(),
                            role: None,
                            in_link,
                            lang: self.lang,
                            section: self.section,
                        });
                    }
                }
            }
            Event::Code(t) => {
                p.plain.push_str(t);
                if let Some(OpenLink::Tag(_, _, _, text)) = self.links.last_mut() {
                    text.push_str(t);
                }
            }
            // Japanese lines join without a space; English ones with one.
            Event::SoftBreak if self.lang == Lang::En => p.plain.push(' '),
            Event::HardBreak => p.plain.push('\n'),
            Event::End(
                TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Table | TagEnd::BlockQuote(_),
            ) => p.plain.push_str("\n\n"),
            Event::End(TagEnd::Item | TagEnd::TableHead | TagEnd::TableRow) => p.plain.push('\n'),
            // A sub-list starts on a line of its own.
            Event::Start(Tag::List(_)) if !p.plain.is_empty() && !p.plain.ends_with('\n') => {
                p.plain.push('\n')
            }
            Event::End(TagEnd::TableCell) => p.plain.push(' '),
            _ => {}
        }
        p.events.push(event.into_static());
    }

    fn finish(mut self, source: &str) -> Prose {
        let p = &mut self.prose;
        p.plain = collapse_blank_lines(p.plain.trim());
        if !p.span.is_empty() {
            p.markdown = source[p.span.clone()].trim().to_string();
        }
        // The lead: up to the first item list, or the whole block; without the white space
        // around it.
        let end = p.lead.end.min(p.span.end);
        let start = p.lead.start.min(end);
        let written = &source[start..end];
        let lead_start = start + (written.len() - written.trim_start().len());
        p.lead = lead_start..(start + written.trim_end().len()).max(lead_start);
        // A loose span ends with its own block: pulldown-cmark's ranges in a loose list run
        // on to the next entry.
        for span in &mut p.loose {
            let text = &source[span.clone()];
            let mut end = text.len();
            for stop in ["\n\n", "\n- ", "\n* ", "\n+ "] {
                if let Some(i) = text.find(stop) {
                    end = end.min(i);
                }
            }
            span.end = span.start + text[..end].trim_end().len();
        }
        // Anything after the item list.
        if let Some(end) = self.items_end.filter(|e| *e < p.span.end) {
            let rest = &source[end..p.span.end];
            if !rest.trim().is_empty() {
                let at = end + (rest.len() - rest.trim_start().len());
                p.loose.push(at..end + rest.trim_end().len());
            }
        }
        self.prose
    }
}

fn collapse_blank_lines(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut newlines = 0;
    for c in s.chars() {
        if c == '\n' {
            newlines += 1;
            if newlines <= 2 {
                out.push(c);
            }
        } else {
            newlines = 0;
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_span_skips_longer_names() {
        let t = "xlevel = 1\nlevel = \"minimum\"";
        assert_eq!(key_span(t, "level"), Some(11..16));
    }

    /// The path picks the key of the right entry, where a text search finds the first.
    #[test]
    fn key_span_follows_tables_and_arrays() {
        let t = "[[technology]]\nid = \"a\"\naal = 2\n\n[[technology]]\nid = \"b\"\naal = 9\n";
        let second_aal = t.rfind("aal").unwrap();
        assert_eq!(
            key_span(t, "technology.1.aal"),
            Some(second_aal..second_aal + 3)
        );
        let first_id = t.find("id").unwrap();
        assert_eq!(key_span(t, "technology.0.id"), Some(first_id..first_id + 2));
        // A path through a value of another type falls back to the first key of that name.
        assert_eq!(key_span(t, "technology.x.id"), Some(first_id..first_id + 2));
        let nested = "title = { ja = \"題\", en = \"T\" }\n[applies]\nrole = 1\n";
        let role = nested.find("role").unwrap();
        assert_eq!(key_span(nested, "applies.role"), Some(role..role + 4));
        assert_eq!(key_span(nested, "nothing"), None);
        assert_eq!(key_span("not = = toml", "not"), None);
    }
}
