use std::ops::Range;

use crate::diagnostic::Diagnostic;
use crate::source::SourceFile;

declare_lint! {
    /// ## What it does
    /// Reports metadata that cannot be read: TOML syntax errors, a missing required key, a
    /// value of the wrong type or outside its allowed set (a `level` other than `minimum` or
    /// `recommended`, an `assurance` other than `AAL1`-`AAL3`), and files the manifest names
    /// that do not exist.
    ///
    /// ## Why is this bad?
    /// Metadata decides how a control is published (its level, its readers, its links to
    /// other editions). A control whose metadata cannot be read is left out of every output.
    ///
    /// ## Example
    /// ```toml
    /// level = "mandatory"
    /// audience = "operator"
    /// ```
    ///
    /// ## Use instead
    /// ```toml
    /// level = "minimum"
    /// audience = ["operator"]
    /// ```
    "G0002", "malformed-metadata", Error, None
}

/// A finding for a TOML error message at `span`.
pub fn diagnostic(file: &SourceFile, span: Range<usize>, message: &str) -> Diagnostic {
    let first = message.lines().next().unwrap_or(message);
    LINT.at(file, span, format!("malformed metadata: {first}"))
        .help("see the source format reference (guideline/README.md) for the keys and values each block takes")
}
