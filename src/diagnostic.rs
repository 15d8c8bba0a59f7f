//! Findings and how people and machines read them: rustc-style text, JSON and SARIF 2.1.0.
//!
//! A diagnostic points at a byte range in one source file; line and column are derived from
//! the file's text when the diagnostic is made, with columns counted in characters so that
//! Japanese text lines up.

use std::fmt::Write as _;
use std::ops::Range;
use std::path::{Path, PathBuf};

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use serde::Serialize;

use crate::source::SourceFile;

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// A path as text: a name that is not UTF-8 (reported by G0001 itself) is shown with
/// replacement characters rather than making the whole report fail.
fn lossy_path<S: serde::Serializer>(path: &std::path::Path, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&path.to_string_lossy())
}

/// One secondary place a diagnostic refers to (the other side of a conflict, say).
#[derive(Debug, Clone, Serialize)]
pub struct Related {
    #[serde(serialize_with = "lossy_path")]
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
    pub message: String,
    #[serde(skip)]
    pub span: Range<usize>,
}

/// One finding.
#[derive(Debug, Clone, Serialize)]
pub struct Diagnostic {
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
    #[serde(serialize_with = "lossy_path")]
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<Related>,
    #[serde(skip)]
    pub span: Range<usize>,
    #[serde(skip)]
    pub label: Option<String>,
}

impl Diagnostic {
    /// A diagnostic at `span` in `file`.
    pub fn at(
        code: &'static str,
        severity: Severity,
        file: &SourceFile,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> Self {
        let (line, column) = file.line_column(span.start);
        let (end_line, end_column) = file.line_column(span.end);
        Diagnostic {
            code,
            severity,
            message: message.into(),
            file: file.path.clone(),
            line,
            column,
            end_line,
            end_column,
            help: None,
            related: Vec::new(),
            span,
            label: None,
        }
    }

    /// A diagnostic about a whole file that has no usable text (not UTF-8, say).
    pub fn whole_file(
        code: &'static str,
        severity: Severity,
        path: &Path,
        line: usize,
        column: usize,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            code,
            severity,
            message: message.into(),
            file: path.to_path_buf(),
            line,
            column,
            end_line: line,
            end_column: column,
            help: None,
            related: Vec::new(),
            span: 0..0,
            label: None,
        }
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn related(
        mut self,
        file: &SourceFile,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> Self {
        let (line, column) = file.line_column(span.start);
        self.related.push(Related {
            file: file.path.clone(),
            line,
            column,
            message: message.into(),
            span,
        });
        self
    }
}

/// Sorts diagnostics into a stable reading order: by file, position, then code.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (&a.file, a.span.start, a.code, &a.message).cmp(&(
            &b.file,
            b.span.start,
            b.code,
            &b.message,
        ))
    });
}

/// The known key `key` is most likely a misspelling of, if any is close enough.
pub fn nearest<'a>(key: &str, known: &[&'a str]) -> Option<&'a str> {
    known
        .iter()
        .map(|k| (strsim::levenshtein(k, key), *k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 3))
        .min()
        .map(|(_, k)| k)
}

/// Looks up the text of a file for rendering snippets.
pub trait Sources {
    fn text(&self, path: &Path) -> Option<&str>;
}

impl Sources for crate::source::SourceSet {
    fn text(&self, path: &Path) -> Option<&str> {
        self.find(path).map(|f| f.text.as_str())
    }
}

/// Renders diagnostics the way rustc does, with the source line and a caret.
pub fn render_human(diagnostics: &[Diagnostic], sources: &dyn Sources, color: bool) -> String {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut out = String::new();
    for d in diagnostics {
        let level = match d.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let path = d.file.display().to_string();
        let title = level.primary_title(d.message.as_str()).id(d.code);
        let text = sources.text(&d.file);
        let mut report: Vec<Group> = Vec::new();
        match text {
            Some(text) if d.span.end <= text.len() => {
                let mut snippet = Snippet::source(text).path(path.as_str()).fold(true);
                let mut annotation = AnnotationKind::Primary.span(on_chars(text, &d.span));
                if let Some(label) = &d.label {
                    annotation = annotation.label(label.as_str());
                }
                snippet = snippet.annotation(annotation);
                for r in d.related.iter().filter(|r| r.file == d.file) {
                    snippet = snippet.annotation(
                        AnnotationKind::Context
                            .span(on_chars(text, &r.span))
                            .label(r.message.as_str()),
                    );
                }
                let mut group = title.element(snippet);
                for r in d.related.iter().filter(|r| r.file != d.file) {
                    if let Some(other) = sources.text(&r.file) {
                        group = group.element(
                            Snippet::source(other)
                                .path(r.file.display().to_string())
                                .fold(true)
                                .annotation(
                                    AnnotationKind::Context
                                        .span(on_chars(other, &r.span))
                                        .label(r.message.as_str()),
                                ),
                        );
                    }
                }
                if let Some(help) = &d.help {
                    group = group.element(Level::HELP.message(help.as_str()));
                }
                report.push(group);
            }
            _ => {
                let origin = annotate_snippets::Origin::path(path.as_str())
                    .line(d.line)
                    .char_column(d.column.saturating_sub(1));
                let mut group = title.element(origin);
                if let Some(help) = &d.help {
                    group = group.element(Level::HELP.message(help.as_str()));
                }
                report.push(group);
            }
        }
        let _ = writeln!(out, "{}\n", renderer.render(&report));
    }
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = diagnostics.len() - errors;
    if !diagnostics.is_empty() {
        let _ = writeln!(out, "{}", summary(errors, warnings));
    }
    out
}

fn summary(errors: usize, warnings: usize) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    match (errors, warnings) {
        (0, w) => format!("check finished: {}", plural(w, "warning")),
        (e, 0) => format!("check failed: {}", plural(e, "error")),
        (e, w) => format!(
            "check failed: {}, {}",
            plural(e, "error"),
            plural(w, "warning")
        ),
    }
}

/// One JSON array of findings, for scripts.
pub fn render_json(diagnostics: &[Diagnostic]) -> String {
    let mut s = serde_json::to_string_pretty(diagnostics).expect("diagnostics serialise");
    s.push('\n');
    s
}

/// `span` within `text`, widened to character boundaries: the renderer slices the text, and
/// a finding must never be the reason the report cannot be printed.
fn on_chars(text: &str, span: &Range<usize>) -> Range<usize> {
    let mut start = span.start.min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = span.end.clamp(start, text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    start..end
}

/// A SARIF 2.1.0 log, for code scanning in CI.
///
/// File locations are URIs relative to `base` (the directory the check ran in, normally
/// the repository root) under the `uriBaseId` `%SRCROOT%`, which is what code scanning
/// resolves against the checkout; `originalUriBaseIds` records where that was. A file
/// outside `base` gets an absolute `file://` URI instead.
pub fn render_sarif(
    diagnostics: &[Diagnostic],
    rules: &[(&str, &str, &str)],
    base: &Path,
) -> String {
    use serde_json::json;
    let rules: Vec<_> = rules
        .iter()
        .map(|(code, name, doc)| {
            json!({
                "id": code,
                "name": name,
                "shortDescription": { "text": doc.lines().next().unwrap_or_default().trim() },
                "fullDescription": { "text": doc.trim() },
                "help": { "text": doc.trim(), "markdown": doc.trim() },
            })
        })
        .collect();
    let results: Vec<_> = diagnostics
        .iter()
        .map(|d| {
            let mut message = d.message.clone();
            if let Some(help) = &d.help {
                message.push_str("\nhelp: ");
                message.push_str(help);
            }
            json!({
                "ruleId": d.code,
                "level": match d.severity { Severity::Error => "error", Severity::Warning => "warning" },
                "message": { "text": message },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": artifact(&d.file, base),
                        "region": {
                            "startLine": d.line,
                            "startColumn": d.column,
                            "endLine": d.end_line,
                            "endColumn": d.end_column,
                        }
                    }
                }],
                "relatedLocations": d.related.iter().enumerate().map(|(i, r)| json!({
                    "id": i,
                    "message": { "text": r.message },
                    "physicalLocation": {
                        "artifactLocation": artifact(&r.file, base),
                        "region": { "startLine": r.line, "startColumn": r.column }
                    }
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "guideline",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "originalUriBaseIds": base_ids(base),
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    });
    let mut s = serde_json::to_string_pretty(&log).expect("sarif serialises");
    s.push('\n');
    s
}

const SRCROOT: &str = "%SRCROOT%";

/// Characters kept as they are in a URI path segment (RFC 3986 unreserved and a few
/// sub-delimiters); everything else, Japanese file names included, is percent-encoded.
const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'+')
    .remove(b'@');

fn encoded_segments<'a>(components: impl Iterator<Item = std::path::Component<'a>>) -> Vec<String> {
    components
        .filter_map(|c| match c {
            std::path::Component::Normal(s) => Some(
                percent_encoding::utf8_percent_encode(&s.to_string_lossy(), SEGMENT).to_string(),
            ),
            _ => None,
        })
        .collect()
}

fn base_ids(base: &Path) -> serde_json::Value {
    let mut ids = serde_json::Map::new();
    ids.insert(
        SRCROOT.to_string(),
        serde_json::json!({ "uri": file_uri(base, true) }),
    );
    serde_json::Value::Object(ids)
}

/// A SARIF `artifactLocation` for `path`: relative to `base` where it lies inside it.
fn artifact(path: &Path, base: &Path) -> serde_json::Value {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        base.join(path)
    };
    let absolute = crate::source::clean(&joined);
    match absolute.strip_prefix(base) {
        Ok(relative) => serde_json::json!({
            "uri": encoded_segments(relative.components()).join("/"),
            "uriBaseId": SRCROOT,
        }),
        Err(_) => serde_json::json!({ "uri": file_uri(&absolute, false) }),
    }
}

/// `file:///…` for an absolute path (with a trailing slash for a directory).
fn file_uri(path: &Path, directory: bool) -> String {
    let mut uri = format!("file:///{}", encoded_segments(path.components()).join("/"));
    if directory && !uri.ends_with('/') {
        uri.push('/');
    }
    uri
}
