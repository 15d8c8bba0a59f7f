//! The output directory: which directories a build may replace, where it may write inside
//! them, and the swap that puts a finished build in place.
//!
//! A build runs in CI on sources written by strangers, on machines that hold other files.
//! So the rules are strict, and they hold whatever the model contains:
//!
//! * **Ownership.** `--out DIR` is taken only when it is absent, an empty directory, or a
//!   directory a previous build marked as its own ([`MARKER`]). Anything else (a file, a
//!   directory with other files, the guideline itself) is refused before anything is
//!   written. This is zola's rule (refuse what is there) plus cargo's `CACHEDIR.TAG` idea
//!   (a marker says the directory is generated); mdBook, which empties its destination
//!   without asking, is the behaviour we avoid.
//! * **Containment.** Every file is written through [`Staging::join`], which refuses any
//!   relative path that is absolute, climbs with `..`, or is empty: defence in depth behind
//!   the id lints (G0007), so a path built from a hostile id still cannot leave the output.
//! * **Atomic swap.** Outputs are rendered into a staging directory beside `DIR` and swapped
//!   in only when all of them succeeded. The previous output is moved aside first and put
//!   back if the new one cannot be moved in, so at every moment one complete output exists.

use std::io;
use std::path::{Component, Path, PathBuf};

/// The file a build writes at the top of its output, marking the directory as generated.
pub const MARKER: &str = ".guideline-build";

const MARKER_TEXT: &str = "This directory is the output of `guideline build`.\n\
Each build replaces it completely: keep nothing here that you wrote yourself.\n";

/// Why a directory is not ours to replace.
#[derive(Debug, thiserror::Error)]
pub enum Refusal {
    #[error("`{}` is a file, not an output directory; choose a directory for --out", .0.display())]
    NotADirectory(PathBuf),
    #[error(
        "`{dir}` holds files that no build wrote ({listing}); an output directory must be empty, \
         absent, or the output of an earlier `guideline build` (marked by {MARKER}). \
         Choose another --out, or empty the directory yourself",
        dir = .dir.display()
    )]
    NotOurs { dir: PathBuf, listing: String },
    #[error(
        "`{}` contains or is inside the guideline source `{}`; choose an --out outside it",
        .out.display(), .source_dir.display()
    )]
    OverlapsSource { out: PathBuf, source_dir: PathBuf },
    #[error("cannot inspect `{}`: {err}", .path.display())]
    Io { path: PathBuf, err: io::Error },
}

/// Checks that `out` may be replaced by a build of the guideline at `source`.
pub fn claim(out: &Path, source: &Path) -> Result<(), Refusal> {
    let io_err = |path: &Path| {
        let path = path.to_path_buf();
        move |err| Refusal::Io { path, err }
    };
    let out_abs = absolute(out).map_err(io_err(out))?;
    let source_abs = absolute(source).map_err(io_err(source))?;
    if out_abs.starts_with(&source_abs) || source_abs.starts_with(&out_abs) {
        return Err(Refusal::OverlapsSource {
            out: out.to_path_buf(),
            source_dir: source.to_path_buf(),
        });
    }
    let meta = match std::fs::symlink_metadata(out) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(io_err(out)(e)),
    };
    if !meta.is_dir() {
        return Err(Refusal::NotADirectory(out.to_path_buf()));
    }
    if out.join(MARKER).is_file() {
        return Ok(());
    }
    let mut names: Vec<String> = std::fs::read_dir(out)
        .map_err(io_err(out))?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    if names.is_empty() {
        return Ok(());
    }
    names.sort();
    let shown = names.len().min(5);
    let mut listing = names[..shown].join(", ");
    if names.len() > shown {
        listing.push_str(&format!(" and {} more", names.len() - shown));
    }
    Err(Refusal::NotOurs {
        dir: out.to_path_buf(),
        listing,
    })
}

/// `path` made absolute and lexically cleaned, resolving symlinks of the part that exists
/// (so `out/../guideline` and a symlink to the source are both seen as the source).
fn absolute(path: &Path) -> io::Result<PathBuf> {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()?.join(path)
    };
    let clean = crate::source::clean(&joined);
    // Canonicalise the longest existing ancestor, keep the rest as written.
    let mut existing = clean.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = existing.canonicalize() {
            let mut out = real;
            out.extend(rest.iter().rev());
            return Ok(out);
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => return Ok(clean),
        }
    }
}

/// Joins a relative output path to `base`, refusing anything that could leave it.
pub fn contained(base: &Path, relative: &str) -> io::Result<PathBuf> {
    let rel = Path::new(relative);
    let mut out = base.to_path_buf();
    let mut parts = 0;
    for c in rel.components() {
        match c {
            Component::Normal(part) => {
                let part = part.to_string_lossy();
                if part.contains('\\') || part.chars().any(char::is_control) {
                    return Err(refused(relative));
                }
                out.push(&*part);
                parts += 1;
            }
            Component::CurDir => {}
            Component::ParentDir | Component::RootDir | Component::Prefix(_) => {
                return Err(refused(relative))
            }
        }
    }
    if parts == 0 {
        return Err(refused(relative));
    }
    Ok(out)
}

/// Writes a new source tree (what `import` produces) into `out`, which must be absent or
/// empty: a tree is created, never merged into files that are there. Every path goes
/// through [`contained`].
pub fn write_new_tree(out: &Path, files: &[(PathBuf, String)]) -> io::Result<()> {
    let occupied = out.exists()
        && std::fs::read_dir(out)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true);
    if occupied {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!(
                "{} exists and is not empty; import writes a new source tree",
                out.display()
            ),
        ));
    }
    for (relative, text) in files {
        let path = contained(out, &relative.to_string_lossy())?;
        // A new tree in an empty directory: nothing to replace atomically.
        path.parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|_| std::fs::write(&path, text.as_bytes()))
            .map_err(|e| {
                io::Error::new(e.kind(), format!("cannot write {}: {e}", path.display()))
            })?;
    }
    Ok(())
}

fn refused(relative: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!("refusing to write `{relative}`: the path would leave the output directory"),
    )
}

/// A directory being filled with a new build, beside the output it will replace.
pub struct Staging {
    dir: tempfile::TempDir,
    out: PathBuf,
    /// Directories created to hold the output, removed again if the build fails.
    created: Vec<PathBuf>,
}

impl Staging {
    /// Creates the staging directory beside `out` (creating `out`'s parents if needed).
    pub fn new(out: &Path) -> io::Result<Staging> {
        let parent = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let mut created = Vec::new();
        let mut missing = parent.as_path();
        while !missing.exists() {
            created.push(missing.to_path_buf());
            match missing.parent() {
                Some(p) if !p.as_os_str().is_empty() => missing = p,
                _ => break,
            }
        }
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "out".into());
        let made = std::fs::create_dir_all(&parent).and_then(|()| {
            let dir = tempfile::Builder::new()
                .prefix(&format!(".{name}.building-"))
                .tempdir_in(&parent)?;
            std::fs::write(dir.path().join(MARKER), MARKER_TEXT)?;
            Ok(dir)
        });
        match made {
            Ok(dir) => Ok(Staging {
                dir,
                out: out.to_path_buf(),
                created,
            }),
            Err(e) => {
                remove_created(&created);
                Err(e)
            }
        }
    }

    /// The staging directory itself (for renderers that write a tree, such as mdBook).
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Where `relative` goes inside the staging directory; refuses paths that leave it.
    pub fn join(&self, relative: &str) -> io::Result<PathBuf> {
        contained(self.dir.path(), relative)
    }

    /// Writes one output file.
    pub fn write(&self, relative: &str, bytes: &[u8]) -> io::Result<PathBuf> {
        let path = self.join(relative)?;
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(&path, bytes)?;
        Ok(path)
    }

    /// Moves the finished build into place.
    pub fn commit(self) -> io::Result<()> {
        self.commit_with(&|from, to| std::fs::rename(from, to))
    }

    /// [`Staging::commit`] with the rename step given, so tests can make it fail.
    fn commit_with(self, rename: &dyn Fn(&Path, &Path) -> io::Result<()>) -> io::Result<()> {
        let Staging { dir, out, created } = self;
        let staging = dir.keep();
        let result = swap_in(&staging, &out, rename);
        if result.is_err() {
            let _ = std::fs::remove_dir_all(&staging);
            remove_created(&created);
        }
        result
    }

    /// Abandons the build: the staging directory and any parents it created are removed.
    pub fn abandon(self) {
        let Staging { dir, created, .. } = self;
        drop(dir);
        remove_created(&created);
    }
}

fn remove_created(created: &[PathBuf]) {
    for dir in created {
        // Only empty directories: anything else appeared there meanwhile and is not ours.
        let _ = std::fs::remove_dir(dir);
    }
}

/// Replaces `out` with `staging`. The old output is moved into a fresh directory beside it
/// first and removed last; if the new output cannot be moved in, the old one goes back.
fn swap_in(
    staging: &Path,
    out: &Path,
    rename: &dyn Fn(&Path, &Path) -> io::Result<()>,
) -> io::Result<()> {
    if std::fs::symlink_metadata(out).is_err() {
        return rename(staging, out);
    }
    let parent = staging.parent().unwrap_or(Path::new("."));
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    // A new directory of our own, so nothing already there can be in the way or be removed.
    let aside_dir = tempfile::Builder::new()
        .prefix(&format!(".{name}.previous-"))
        .tempdir_in(parent)?;
    let aside = aside_dir.path().join("previous");
    rename(out, &aside)?;
    if let Err(e) = rename(staging, out) {
        return match rename(&aside, out) {
            Ok(()) => Err(e),
            Err(restore) => {
                // Keep the old output where it is rather than delete it with the temp dir.
                let kept = aside_dir.keep();
                Err(io::Error::other(format!(
                    "{e}; the previous output could not be put back ({restore}) and is kept in {}",
                    kept.join("previous").display()
                )))
            }
        };
    }
    drop(aside_dir);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    fn names(dir: &Path) -> Vec<std::ffi::OsString> {
        std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect()
    }

    fn write(path: &Path, text: &str) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    #[test]
    fn contained_refuses_paths_that_leave() {
        let base = Path::new("/base");
        assert_eq!(
            contained(base, "site/ja/index.html").unwrap(),
            Path::new("/base/site/ja/index.html")
        );
        assert_eq!(contained(base, "./a").unwrap(), Path::new("/base/a"));
        for bad in [
            "../x",
            "a/../../x",
            "parts/../../../../x.md",
            "/etc/passwd",
            "",
            ".",
            "a\\..\\b",
            "a\u{0}b",
        ] {
            assert!(contained(base, bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn claim_takes_absent_empty_and_marked_directories_only() {
        let tmp = tempfile::tempdir().unwrap();
        let source = tmp.path().join("guideline");
        write(&source.join("guideline.toml"), "");
        assert!(claim(&tmp.path().join("absent"), &source).is_ok());
        let empty = tmp.path().join("empty");
        std::fs::create_dir(&empty).unwrap();
        assert!(claim(&empty, &source).is_ok());
        let marked = tmp.path().join("marked");
        write(&marked.join(MARKER), MARKER_TEXT);
        write(&marked.join("catalog.json"), "{}");
        assert!(claim(&marked, &source).is_ok());

        let work = tmp.path().join("work");
        write(&work.join("thesis.docx"), "mine");
        let err = claim(&work, &source).unwrap_err().to_string();
        assert!(err.contains("thesis.docx"), "{err}");
        let file = tmp.path().join("notes.txt");
        write(&file, "mine");
        assert!(matches!(
            claim(&file, &source),
            Err(Refusal::NotADirectory(_))
        ));
        assert!(matches!(
            claim(&source, &source),
            Err(Refusal::OverlapsSource { .. })
        ));
        assert!(matches!(
            claim(&source.join("out"), &source),
            Err(Refusal::OverlapsSource { .. })
        ));
        assert!(matches!(
            claim(tmp.path(), &source),
            Err(Refusal::OverlapsSource { .. })
        ));
        assert!(matches!(
            claim(&work.join("../guideline"), &source),
            Err(Refusal::OverlapsSource { .. })
        ));
    }

    #[test]
    fn failed_swap_puts_the_previous_output_back() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        write(&out.join(MARKER), MARKER_TEXT);
        write(&out.join("catalog.json"), "previous");
        let staging = Staging::new(&out).unwrap();
        staging.write("catalog.json", b"new").unwrap();
        let staging_dir = staging.path().to_path_buf();
        // The first rename (old output aside) succeeds, the second (new output in) fails.
        let calls = Cell::new(0);
        let rename = |from: &Path, to: &Path| {
            calls.set(calls.get() + 1);
            if calls.get() == 2 {
                return Err(io::Error::other("injected failure"));
            }
            std::fs::rename(from, to)
        };
        let err = staging.commit_with(&rename).unwrap_err();
        assert!(err.to_string().contains("injected failure"));
        assert_eq!(calls.get(), 3, "the old output was moved aside and back");
        assert_eq!(
            std::fs::read_to_string(out.join("catalog.json")).unwrap(),
            "previous"
        );
        assert!(!staging_dir.exists(), "staging directory left behind");
        assert_eq!(
            names(tmp.path()),
            ["out"],
            "only the output is left in its parent"
        );
    }

    #[test]
    fn successful_swap_replaces_and_cleans_up() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        write(&out.join(MARKER), MARKER_TEXT);
        write(&out.join("stale.json"), "old");
        let staging = Staging::new(&out).unwrap();
        staging.write("catalog.json", b"new").unwrap();
        staging.commit().unwrap();
        assert!(out.join(MARKER).is_file());
        assert!(!out.join("stale.json").exists());
        assert_eq!(
            std::fs::read_to_string(out.join("catalog.json")).unwrap(),
            "new"
        );
        assert_eq!(names(tmp.path()), ["out"]);
    }

    #[test]
    fn abandoned_build_removes_the_parents_it_created() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("a/b/out");
        let staging = Staging::new(&out).unwrap();
        staging.write("x", b"x").unwrap();
        staging.abandon();
        assert!(!tmp.path().join("a").exists());
    }
}
