//! Source files: reading a guideline directory into memory, and positions within files.
//!
//! This is the only module of the front half that touches the file system; everything after
//! it works on the in-memory [`SourceSet`], which is why tests and the fuzz target can feed it
//! arbitrary bytes.

use std::io;
use std::path::{Component, Path, PathBuf};

/// A file's path relative to the guideline root, and its bytes.
#[derive(Debug, Clone)]
pub struct RawFile {
    pub relative: PathBuf,
    pub bytes: Vec<u8>,
}

/// One decoded source file with its line index.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path shown to people: the root as given on the command line joined with the
    /// relative path.
    pub path: PathBuf,
    /// The path relative to the guideline root.
    pub relative: PathBuf,
    pub text: String,
    line_starts: Vec<usize>,
}

impl SourceFile {
    pub fn new(path: PathBuf, relative: PathBuf, text: String) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        SourceFile {
            path,
            relative,
            text,
            line_starts,
        }
    }

    /// 1-based line and column of a byte offset; the column counts characters.
    /// The byte offset of a 1-based line and a 1-based byte column (as serde_json counts
    /// them), clamped to the line and moved back to a character boundary.
    pub fn offset_of(&self, line: usize, column: usize) -> usize {
        let Some(&start) = self.line_starts.get(line.saturating_sub(1)) else {
            return self.text.len();
        };
        let line_len = self.text[start..]
            .find('\n')
            .unwrap_or(self.text.len() - start);
        let mut at = start + column.saturating_sub(1).min(line_len);
        while !self.text.is_char_boundary(at) {
            at -= 1;
        }
        at
    }

    pub fn line_column(&self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(&self.text, offset.min(self.text.len()));
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let column = self.text[self.line_starts[line]..offset].chars().count() + 1;
        (line + 1, column)
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Removes `.` and resolves `..` lexically (a leading `..` of a relative path stays).
pub fn clean(path: &Path) -> PathBuf {
    let mut out: Vec<Component> = Vec::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir if matches!(out.last(), Some(Component::Normal(_))) => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out.iter().collect()
}

/// Index of a file in a [`SourceSet`].
pub type FileId = usize;

/// Every decoded source file of one guideline.
#[derive(Debug, Clone, Default)]
pub struct SourceSet {
    files: Vec<SourceFile>,
    /// Ordered, so that the set (and the model holding it) prints the same every run.
    by_path: std::collections::BTreeMap<PathBuf, FileId>,
}

impl SourceSet {
    pub fn add(&mut self, file: SourceFile) -> FileId {
        let id = self.files.len();
        self.by_path.entry(file.path.clone()).or_insert(id);
        self.files.push(file);
        id
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id]
    }

    /// The first file added with this path. Every diagnostic looks its file up here to
    /// show a snippet, so it must not walk the whole set (a 100x guideline has 9,000 files
    /// and hundreds of findings).
    pub fn find(&self, path: &Path) -> Option<&SourceFile> {
        self.by_path.get(path).map(|&id| &self.files[id])
    }

    pub fn iter(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files.iter().enumerate()
    }
}

/// Directories under the root that belong to other things than this edition's text.
const SKIPPED_DIRS: &[&str] = &["editions", "target", ".git"];

/// What [`read_dir`] found: the files it read, and the entries it refused to read.
#[derive(Debug, Default)]
pub struct SourceTree {
    pub files: Vec<RawFile>,
    pub refused: Vec<Refused>,
}

/// A directory entry that was not read, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Refused {
    /// Relative to the guideline root; a name that is not UTF-8 is shown lossily.
    pub relative: PathBuf,
    pub reason: Refusal,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Refusal {
    /// The file or directory name is not valid UTF-8: it cannot be shown, linked or
    /// published portably.
    NameNotUtf8,
    /// A symbolic link that resolves outside the guideline directory (or nowhere): reading
    /// it would publish a file of the machine that runs the build.
    LinkOutside { target: PathBuf },
}

/// Reads every file of a guideline directory, sorted by relative path so that the
/// order (and so the output) never depends on the file system.
///
/// Symbolic links are followed only when they resolve inside `root` (git stores links, so a
/// pull request can add one pointing at `/etc` or at a secret); others are refused, as are
/// names that are not UTF-8.
pub fn read_dir(root: &Path) -> io::Result<SourceTree> {
    let real_root = root.canonicalize()?;
    let mut tree = SourceTree::default();
    let mut visited = std::collections::HashSet::new();
    walk(root, &real_root, Path::new(""), &mut visited, &mut tree)?;
    tree.files.sort_by(|a, b| a.relative.cmp(&b.relative));
    tree.refused.sort_by(|a, b| a.relative.cmp(&b.relative));
    Ok(tree)
}

fn walk(
    root: &Path,
    real_root: &Path,
    relative: &Path,
    visited: &mut std::collections::HashSet<PathBuf>,
    out: &mut SourceTree,
) -> io::Result<()> {
    // A link to a directory already read (a parent, say) would loop or read files twice.
    if !visited.insert(root.join(relative).canonicalize()?) {
        return Ok(());
    }
    // In name order, so that which of two ways to one directory is read (its own name or a
    // link to it) never depends on the file system.
    let mut entries = std::fs::read_dir(root.join(relative))?.collect::<Result<Vec<_>, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name();
        let name_str = name.to_string_lossy();
        if name_str.starts_with('.') {
            continue;
        }
        let child = relative.join(&name);
        let top_level = relative.as_os_str().is_empty();
        if top_level && SKIPPED_DIRS.contains(&name_str.as_ref()) {
            continue;
        }
        let mut kind = entry.file_type()?;
        let wanted = |is_dir: bool| is_dir || is_source_name(&name_str);
        if kind.is_symlink() {
            let path = root.join(&child);
            // A dangling link resolves nowhere: it is refused like one that leads out.
            let resolved = path.canonicalize().ok();
            if let Some(inside) = resolved.as_ref().filter(|t| t.starts_with(real_root)) {
                kind = std::fs::metadata(inside)?.file_type();
            } else {
                if wanted(resolved.as_ref().is_some_and(|t| t.is_dir())) {
                    let target = resolved
                        .or_else(|| std::fs::read_link(&path).ok())
                        .unwrap_or_default();
                    out.refused.push(Refused {
                        relative: child,
                        reason: Refusal::LinkOutside { target },
                    });
                }
                continue;
            }
        }
        if !wanted(kind.is_dir()) {
            continue;
        }
        if name.to_str().is_none() {
            out.refused.push(Refused {
                relative: child,
                reason: Refusal::NameNotUtf8,
            });
            continue;
        }
        if kind.is_dir() {
            walk(root, real_root, &child, visited, out)?;
        } else if kind.is_file() {
            out.files.push(RawFile {
                bytes: std::fs::read(root.join(&child))?,
                relative: child,
            });
        }
    }
    Ok(())
}

/// The record that starts each file in [`unpack_tree`]'s single-byte-string form.
pub const PACKED_FILE: &[u8] = b"\0FILE ";

/// A whole source tree as one byte string, the form the fuzz target takes and its
/// regression inputs keep: files one after another, each as `\0FILE <path>\n<bytes>`. The
/// path's bytes are taken as they are (not UTF-8, `..`, absolute: all allowed), so file
/// names and directory shapes are fuzzed as well as contents.
pub fn unpack_tree(data: &[u8]) -> Vec<RawFile> {
    use std::os::unix::ffi::OsStrExt;
    let mut starts: Vec<usize> = data
        .windows(PACKED_FILE.len())
        .enumerate()
        .filter(|(_, w)| *w == PACKED_FILE)
        .map(|(i, _)| i)
        .collect();
    starts.push(data.len());
    let mut out: Vec<RawFile> = starts
        .windows(2)
        .map(|pair| {
            let record = &data[pair[0] + PACKED_FILE.len()..pair[1]];
            let (name, bytes) = match record.iter().position(|&b| b == b'\n') {
                Some(i) => (&record[..i], &record[i + 1..]),
                None => (record, &[][..]),
            };
            RawFile {
                relative: PathBuf::from(std::ffi::OsStr::from_bytes(name)),
                bytes: bytes.to_vec(),
            }
        })
        .collect();
    out.sort_by(|a, b| a.relative.cmp(&b.relative));
    out
}

/// Where a file's bytes stop being UTF-8: the first invalid byte, its line and its column
/// (in characters), both from 1.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotUtf8 {
    pub byte: u8,
    pub line: usize,
    pub column: usize,
}

/// A file's text: UTF-8, a byte-order mark dropped; or where its first invalid byte is.
pub fn decode(mut bytes: Vec<u8>) -> Result<String, NotUtf8> {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    // Takes the bytes: valid text becomes the String without a copy.
    let error = match String::from_utf8(bytes) {
        Ok(text) => return Ok(text),
        Err(e) => e,
    };
    let at = error.utf8_error().valid_up_to();
    let bytes = error.into_bytes();
    let valid = std::str::from_utf8(&bytes[..at]).unwrap_or_default();
    Err(NotUtf8 {
        byte: bytes[at],
        line: valid.matches('\n').count() + 1,
        column: valid
            .rsplit('\n')
            .next()
            .unwrap_or_default()
            .chars()
            .count()
            + 1,
    })
}

/// Reads one text file named on the command line (a disclosure, an OSCAL catalog): decoded
/// as [`decode`] does a source file, or a message that says why it cannot be read, with the
/// line and column of a byte that is not UTF-8.
pub fn read_input(path: &Path) -> Result<String, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    decode(bytes).map_err(|e| {
        format!(
            "{}:{}:{}: byte 0x{:02X} is not UTF-8; save the file as UTF-8 text",
            path.display(),
            e.line,
            e.column,
            e.byte
        )
    })
}

/// Where files outside a guideline directory may be read from: a registry shared between
/// editions, an earlier edition kept beside the current one. That is the guideline above
/// that names this one as an earlier edition (found by the loader), and the git work tree
/// holding the guideline (or, outside git, the directory holding it); never a hidden file
/// or directory (`.git`, `.env`, `.ssh`) on the way, so that a hostile manifest cannot
/// print a secret in its diagnostics.
#[derive(Debug, Clone)]
pub struct Boundaries(Vec<PathBuf>);

impl Boundaries {
    /// The boundaries of the guideline at `real_root` (a canonical path).
    pub fn around(real_root: &Path, enclosing: Option<PathBuf>) -> Self {
        let mut out: Vec<PathBuf> = enclosing.into_iter().collect();
        match real_root.ancestors().find(|d| d.join(".git").exists()) {
            Some(work_tree) => out.push(work_tree.to_path_buf()),
            None => out.extend(real_root.parent().map(Path::to_path_buf)),
        }
        Boundaries(out)
    }

    /// `real` (a canonical path) lies inside a boundary, under no hidden directory.
    pub fn contains(&self, real: &Path) -> bool {
        self.0.iter().any(|b| {
            real.strip_prefix(b).is_ok_and(|inside| {
                !inside
                    .components()
                    .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
            })
        })
    }

    /// Reads `path` as a registry from outside the guideline: a regular `.toml` file inside
    /// the boundaries; anything else is refused with `PermissionDenied`.
    pub fn read_registry(&self, path: &Path) -> io::Result<Vec<u8>> {
        let allowed = path.canonicalize().ok().filter(|real| {
            self.contains(real) && real.extension().is_some_and(|e| e == "toml") && real.is_file()
        });
        match allowed {
            Some(real) => std::fs::read(real),
            None => Err(io::Error::new(
                io::ErrorKind::PermissionDenied,
                "outside the guideline",
            )),
        }
    }
}

/// The manifests (`manifest`, in each directory above `real_root`) that exist, nearest
/// first, with their directories: where the loader looks for the guideline that names this
/// one as an earlier edition.
pub fn manifests_above<'a>(
    real_root: &'a Path,
    manifest: &'a str,
) -> impl Iterator<Item = (PathBuf, String)> + 'a {
    real_root.ancestors().skip(1).filter_map(move |dir| {
        let text = std::fs::read_to_string(dir.join(manifest)).ok()?;
        Some((dir.to_path_buf(), text))
    })
}

/// A guideline in git, as `diff --git` names it: `REV[:PATH]`, the path relative to the
/// repository root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevPath {
    pub rev: String,
    pub path: PathBuf,
}

impl RevPath {
    /// The path when the spec names only a revision.
    pub const DEFAULT_PATH: &'static str = "guideline";

    /// `v5.2` is `v5.2:guideline`; `HEAD~1:docs/guideline` names its path. The first `:`
    /// separates them (revisions such as `HEAD@{1}` hold none).
    pub fn parse(spec: &str) -> Self {
        let (rev, path) = spec.split_once(':').unwrap_or((spec, Self::DEFAULT_PATH));
        RevPath {
            rev: rev.to_string(),
            path: PathBuf::from(path),
        }
    }
}

/// Reads a guideline directory as it was at git revision `rev` of the repository in the
/// current directory (`path` relative to the repository root).
///
/// Two git processes whatever the size: one listing (`ls-tree -z`, so names outside ASCII
/// come unquoted) and one `cat-file --batch` that streams every blob.
pub fn read_git(rev: &str, path: &Path) -> io::Result<Vec<RawFile>> {
    let prefix = path.to_string_lossy().trim_end_matches('/').to_string();
    let listing = git(&["ls-tree", "-r", "-z", rev, "--", &prefix])?;
    let mut wanted: Vec<(PathBuf, String)> = Vec::new();
    for entry in listing.split(|&b| b == 0).filter(|e| !e.is_empty()) {
        // `<mode> SP <type> SP <object> TAB <path>`
        let entry = String::from_utf8_lossy(entry);
        let Some((head, name)) = entry.split_once('\t') else {
            continue;
        };
        let mut fields = head.split(' ');
        let (Some(_mode), Some("blob"), Some(object)) =
            (fields.next(), fields.next(), fields.next())
        else {
            continue;
        };
        let Ok(relative) = Path::new(name).strip_prefix(&prefix) else {
            continue;
        };
        let first = relative
            .components()
            .next()
            .map(|c| c.as_os_str().to_string_lossy().into_owned());
        let file_name = relative
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if first.is_some_and(|f| SKIPPED_DIRS.contains(&f.as_str()) || f.starts_with('.'))
            || !is_source_name(&file_name)
        {
            continue;
        }
        wanted.push((relative.to_path_buf(), object.to_string()));
    }
    if wanted.is_empty() {
        return Err(io::Error::new(
            io::ErrorKind::NotFound,
            format!("no guideline at {rev}:{prefix}"),
        ));
    }
    let objects: Vec<&str> = wanted.iter().map(|(_, o)| o.as_str()).collect();
    let blobs = git_blobs(&objects)?;
    let mut files: Vec<RawFile> = wanted
        .into_iter()
        .zip(blobs)
        .map(|((relative, _), bytes)| RawFile { relative, bytes })
        .collect();
    files.sort_by(|a, b| a.relative.cmp(&b.relative));
    Ok(files)
}

/// One file as it was at `rev`.
pub fn git_show(rev: &str, path: &Path) -> io::Result<Vec<u8>> {
    let object = format!("{rev}:{}", path.to_string_lossy());
    git_blobs(&[object.as_str()])?
        .pop()
        .ok_or_else(|| io::Error::other(format!("git cat-file: no answer for {object}")))
}

/// The contents of each named object, in order, from one `git cat-file --batch`.
fn git_blobs(objects: &[&str]) -> io::Result<Vec<Vec<u8>>> {
    use std::io::{BufRead, Read, Write};
    use std::process::{Command, Stdio};
    let mut child = Command::new("git")
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    let mut stdin = child
        .stdin
        .take()
        .ok_or_else(|| io::Error::other("git: no stdin"))?;
    let request: String = objects.iter().map(|o| format!("{o}\n")).collect();
    // Written from a second thread: git answers while it reads, and a full pipe either way
    // would stop both processes.
    let writer = std::thread::spawn(move || stdin.write_all(request.as_bytes()));
    let mut out = io::BufReader::new(
        child
            .stdout
            .take()
            .ok_or_else(|| io::Error::other("git: no stdout"))?,
    );
    let mut blobs = Vec::with_capacity(objects.len());
    for object in objects {
        let mut header = String::new();
        out.read_line(&mut header)?;
        // `<oid> SP <type> SP <size> LF`, or `<object> SP missing LF`.
        let fields: Vec<&str> = header.trim_end().split(' ').collect();
        let size = match fields.as_slice() {
            [_, "blob", size] => size.parse::<usize>().map_err(io::Error::other)?,
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(io::Error::new(
                    io::ErrorKind::NotFound,
                    format!("git cat-file: {object}: {}", header.trim_end()),
                ));
            }
        };
        let mut bytes = vec![0; size];
        out.read_exact(&mut bytes)?;
        let mut newline = [0u8; 1];
        out.read_exact(&mut newline)?;
        blobs.push(bytes);
    }
    writer
        .join()
        .map_err(|_| io::Error::other("git: writer thread failed"))??;
    let status = child.wait()?;
    if !status.success() {
        let mut message = String::new();
        if let Some(mut err) = child.stderr.take() {
            let _ = err.read_to_string(&mut message);
        }
        return Err(io::Error::other(format!(
            "git cat-file --batch: {}",
            message.trim()
        )));
    }
    Ok(blobs)
}

fn git(args: &[&str]) -> io::Result<Vec<u8>> {
    let out = std::process::Command::new("git").args(args).output()?;
    if !out.status.success() {
        let message = String::from_utf8_lossy(&out.stderr).trim().to_string();
        return Err(io::Error::other(format!(
            "git {}: {message}",
            args.join(" ")
        )));
    }
    Ok(out.stdout)
}

/// The name of the file, beside `guideline.toml`, that carries what the source format does
/// not model (the OSCAL fields of an imported catalog; see `oscal::Carried`).
pub const CARRIED_FILE: &str = "oscal.json";

/// Files the loader reads: TOML metadata, Markdown text and the OSCAL data an imported
/// catalog carries (`oscal.json`). A `README.md` explains a folder to people browsing the
/// repository and is not part of the guideline.
fn is_source_name(name: &str) -> bool {
    (name.ends_with(".md") || name.ends_with(".toml") || name == CARRIED_FILE)
        && name != "README.md"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_drops_a_bom_and_points_at_the_first_bad_byte() {
        assert_eq!(decode(b"\xEF\xBB\xBF# T".to_vec()).unwrap(), "# T");
        assert_eq!(
            decode("認証\nあ".bytes().chain([0xff]).collect()).unwrap_err(),
            NotUtf8 {
                byte: 0xff,
                line: 2,
                column: 2
            }
        );
    }

    #[test]
    fn rev_path_defaults_to_the_guideline_directory() {
        assert_eq!(
            RevPath::parse("v5.2"),
            RevPath {
                rev: "v5.2".into(),
                path: "guideline".into()
            }
        );
        assert_eq!(
            RevPath::parse("HEAD~1:docs/g"),
            RevPath {
                rev: "HEAD~1".into(),
                path: "docs/g".into()
            }
        );
    }

    #[test]
    fn columns_count_characters() {
        let f = SourceFile::new(
            "a.md".into(),
            "a.md".into(),
            "一行目\nTLSクライアント認証".into(),
        );
        let offset = f.text.find("クライアント").unwrap();
        assert_eq!(f.line_column(offset), (2, 4));
        assert_eq!(f.line_column(0), (1, 1));
        assert_eq!(f.line_column(f.text.len()), (2, 12));
    }

    #[test]
    fn clean_resolves_parent_dirs() {
        assert_eq!(
            clean(Path::new("a/b/../../c.toml")),
            PathBuf::from("c.toml")
        );
        assert_eq!(
            clean(Path::new("../../c.toml")),
            PathBuf::from("../../c.toml")
        );
    }

    #[test]
    fn offsets_inside_a_character_round_down() {
        let f = SourceFile::new("a.md".into(), "a.md".into(), "認証".into());
        assert_eq!(f.line_column(1), (1, 1));
    }
}
