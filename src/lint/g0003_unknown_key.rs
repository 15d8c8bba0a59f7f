use std::ops::Range;

use crate::diagnostic::Diagnostic;
use crate::source::SourceFile;

declare_lint! {
    /// ## What it does
    /// Reports a metadata key the format does not define, and suggests the nearest known key.
    ///
    /// ## Why is this bad?
    /// A misspelt key is silently ignored by most tools: `refrences = [...]` would publish a
    /// control with no references at all, and nobody would notice.
    ///
    /// ## Example
    /// ```toml
    /// level = "minimum"
    /// refrences = ["RFC 8446"]
    /// ```
    ///
    /// ## Use instead
    /// ```toml
    /// level = "minimum"
    /// references = ["RFC 8446"]
    /// ```
    "G0003", "unknown-key", Error, None
}

/// A finding for the unknown key `key` (at `path` in the document).
pub fn diagnostic(
    file: &SourceFile,
    span: Range<usize>,
    path: &str,
    key: &str,
    known: &[&str],
) -> Diagnostic {
    let help = match crate::diagnostic::nearest(key, known) {
        Some(k) => format!("did you mean `{k}`?"),
        None => format!("known keys here: {}", known.join(", ")),
    };
    LINT.at(file, span, format!("unknown metadata key `{path}`"))
        .help(help)
}
