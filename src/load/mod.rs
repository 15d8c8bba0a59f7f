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
use crate::syntax::{parse_tag, Id, TagParse};

mod chapter;
mod layout;
mod meta;
mod pair;

use chapter::*;
pub(crate) use meta::key_span;
use meta::*;
pub use meta::{CONTROL_KEYS, PARAM_KEYS};
use pair::*;

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
/// the conditions of [`source::Boundaries::read_registry`].
pub fn load_dir(root: &Path) -> Result<Loaded, LoadError> {
    load_dir_with(root, &Overlay::new(), Purpose::Render)
}

/// What a guideline is loaded for. Renderers read each prose block's parsed Markdown
/// (`Prose::events`); the lints read only its text, spans and mentions. Loaded to be checked
/// (`check`, `fix`, the language server), the events are not kept: with the copies of the
/// text they hold, they are the model's largest part (for the shipped guideline about
/// 1.5 MB of 5.9 MB). Everything else, every finding among it, is the same either way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Render,
    Check,
}

/// File contents that replace what is on disk, by canonical path: the unsaved buffers of an
/// editor (`guideline lsp`), so they are checked exactly as they would be once saved.
pub type Overlay = BTreeMap<PathBuf, Vec<u8>>;

/// [`load_dir`] for `purpose`, reading `overlay` in place of the files it names.
pub fn load_dir_with(
    root: &Path,
    overlay: &Overlay,
    purpose: Purpose,
) -> Result<Loaded, LoadError> {
    let tree = read_tree(root, overlay)?;
    let real_root = root.canonicalize().map_err(|source| LoadError::Io {
        path: root.to_path_buf(),
        source,
    })?;
    let boundaries = outside_boundaries(&real_root);
    let inside = |dir: &Path| {
        dir.canonicalize()
            .is_ok_and(|real| real != real_root && boundaries.contains(&real))
    };
    // The earlier editions the manifest names are independent of this one: load them on
    // the other core meanwhile (only those inside the boundaries, as below).
    let peeked: Vec<PathBuf> = tree
        .files
        .iter()
        .find(|f| f.relative == Path::new(MANIFEST))
        .and_then(|m| std::str::from_utf8(&m.bytes).ok())
        .map(previous_paths)
        .unwrap_or_default()
        .into_iter()
        .map(|p| root.join(p))
        .filter(|dir| inside(dir))
        .collect();
    let (mut loaded, mut early) = rayon::join(
        || load_tree(root, tree, &boundaries, purpose),
        || {
            peeked
                .iter()
                .map(|dir| {
                    (
                        dir.clone(),
                        load_dir_alone(dir, &boundaries, overlay, purpose),
                    )
                })
                .collect::<Vec<_>>()
        },
    );
    let registry_path = loaded.guideline.as_ref().and_then(|g| {
        g.registry_file?;
        root.join(&g.manifest.registry).canonicalize().ok()
    });
    if let Some(g) = &mut loaded.guideline {
        for (i, previous) in g.manifest.previous.clone().into_iter().enumerate() {
            let dir = root.join(&previous.path);
            let file = g.sources.get(g.manifest_file);
            let span = key_span(&file.text, &format!("previous.{i}.path"));
            if !inside(&dir) && dir.exists() {
                loaded.diagnostics.push(g0007_unsafe_path::path_outside(
                    file,
                    "path",
                    span.clone().unwrap_or(0..0),
                    &previous.path,
                ));
                continue;
            }
            let result = match early.iter().position(|(d, _)| *d == dir) {
                Some(at) => early.remove(at).1,
                None => load_dir_alone(&dir, &boundaries, overlay, purpose),
            };
            let shared = registry_path.as_deref().map(|p| (p, &g.registry));
            match result.map(|e| share_registry(e, &dir, shared)) {
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

/// The `path`s of a manifest's `[[previous]]` editions, as far as a quick read finds them
/// (nothing when it does not parse: the full load reports that).
fn previous_paths(manifest: &str) -> Vec<PathBuf> {
    #[derive(Deserialize)]
    struct Peek {
        #[serde(default)]
        previous: Vec<PeekEdition>,
    }
    #[derive(Deserialize)]
    struct PeekEdition {
        path: PathBuf,
    }
    toml::from_str::<Peek>(manifest)
        .map(|p| p.previous.into_iter().map(|e| e.path).collect())
        .unwrap_or_default()
}

/// An earlier edition that names the same registry file as the current one holds the
/// current edition's registry, and leaves the findings in that file to the current edition
/// (they are its to report, and they must not make the earlier edition look broken).
fn share_registry(mut earlier: Loaded, dir: &Path, shared: Option<(&Path, &Registry)>) -> Loaded {
    let (Some((path, registry)), Some(g)) = (shared, earlier.guideline.as_mut()) else {
        return earlier;
    };
    let own = dir.join(&g.manifest.registry).canonicalize().ok();
    if g.registry_file.is_none() || own.as_deref() != Some(path) {
        return earlier;
    }
    g.registry = registry.clone();
    earlier
        .diagnostics
        .retain(|d| d.file.canonicalize().ok().as_deref() != Some(path));
    earlier
}

/// Where files outside the guideline directory may be read from (see
/// [`source::Boundaries`]), with the guideline above that names this one as an earlier edition.
fn outside_boundaries(real_root: &Path) -> source::Boundaries {
    source::Boundaries::around(real_root, enclosing_guideline(real_root))
}

/// The guideline directory above `real_root` whose manifest names it as an earlier edition.
fn enclosing_guideline(real_root: &Path) -> Option<PathBuf> {
    source::manifests_above(real_root, MANIFEST).find_map(|(dir, text)| {
        previous_paths(&text)
            .iter()
            .any(|p| dir.join(p).canonicalize().ok().as_deref() == Some(real_root))
            .then_some(dir)
    })
}

/// One guideline directory as read from disk, with `overlay` in place of the files it names.
fn read_tree(root: &Path, overlay: &Overlay) -> Result<source::SourceTree, LoadError> {
    if !root.join(MANIFEST).is_file() {
        return Err(LoadError::NoManifest(root.to_path_buf()));
    }
    let mut tree = source::read_dir(root).map_err(|source| LoadError::Io {
        path: root.to_path_buf(),
        source,
    })?;
    if !overlay.is_empty() {
        if let Ok(real_root) = root.canonicalize() {
            for f in &mut tree.files {
                if let Some(bytes) = overlay.get(&real_root.join(&f.relative)) {
                    f.bytes = bytes.clone();
                }
            }
        }
    }
    Ok(tree)
}

/// Reads and loads one guideline directory, without its earlier editions.
fn load_dir_alone(
    root: &Path,
    boundaries: &source::Boundaries,
    overlay: &Overlay,
    purpose: Purpose,
) -> Result<Loaded, LoadError> {
    Ok(load_tree(
        root,
        read_tree(root, overlay)?,
        boundaries,
        purpose,
    ))
}

/// Loads a tree read from `root`, and a registry outside it if the manifest points there
/// and the boundaries allow it ([`source::Boundaries::read_registry`]).
fn load_tree(
    root: &Path,
    tree: source::SourceTree,
    boundaries: &source::Boundaries,
    purpose: Purpose,
) -> Loaded {
    let mut refused_registry = None;
    let files = with_outside_registry(tree.files, |rel| {
        boundaries.read_registry(&root.join(rel)).inspect_err(|e| {
            if e.kind() == io::ErrorKind::PermissionDenied {
                refused_registry = Some(rel.to_path_buf());
            }
        })
    });
    let mut loaded = load_files_for(root, files, purpose);
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
    loaded
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
    load_files_for(root, files, Purpose::Render)
}

/// [`load_files`] for `purpose`.
pub fn load_files_for(root: &Path, files: Vec<RawFile>, purpose: Purpose) -> Loaded {
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
        match source::decode(raw.bytes) {
            Ok(text) => {
                let id = sources.add(SourceFile::new(path, raw.relative.clone(), text));
                ids.insert(raw.relative, id);
            }
            Err(e) => diagnostics.push(g0001_not_utf8::diagnostic(&path, &e)),
        }
    }
    let mut loader = Loader {
        sources,
        diagnostics,
        purpose,
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
    purpose: Purpose,
}

impl Loader {
    fn assemble(&mut self, ids: &BTreeMap<PathBuf, FileId>) -> Option<Guideline> {
        let manifest_file = *ids.get(Path::new(MANIFEST))?;
        let manifest: Manifest = self.toml(manifest_file, None, MANIFEST_KEYS)?;
        // The edition's date is printed on the cover and records the PDF and the checklists:
        // a date that is not one would print as 2000-01-01 without a word.
        if crate::syntax::parse_date(&manifest.date).is_none() {
            let f = self.sources.get(manifest_file);
            let span = key_span(&f.text, "date").unwrap_or(0..0);
            let d = malformed::LINT
                .at(
                    f,
                    span,
                    format!(
                        "date `{}` is not a date written as YYYY-MM-DD",
                        manifest.date.escape_debug()
                    ),
                )
                .help("write the day this edition is dated, for example `date = \"2026-11-24\"`");
            self.diagnostics.push(d);
        }

        let registry_path = clean(&manifest.registry);
        let registry_file = ids.get(&registry_path).copied();
        let registry = match registry_file {
            Some(file) => self.registry(file),
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
}
