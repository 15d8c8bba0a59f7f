use std::ops::Range;

use crate::diagnostic::Diagnostic;
use crate::source::SourceFile;

declare_lint! {
    /// ## What it does
    /// Reports a control's `applies` condition that cannot be read: a comparison without
    /// `=` or `!=`, an answer missing after it, a parenthesis never closed, two comparisons
    /// not joined by `and` or `or`, or a character the condition language does not have.
    ///
    /// ## Why is this bad?
    /// The condition decides which readers are told the control applies to them: the
    /// self-check page, `guideline applies` and the per-profile checklists all read it. A
    /// condition that cannot be read would silently show the control to everyone.
    ///
    /// ## Example
    /// ```toml
    /// applies = "internet yes or remote-maintenance = 'yes'"
    /// ```
    ///
    /// ## Use instead
    /// ```toml
    /// applies = "internet = yes or remote-maintenance = yes"
    /// ```
    /// Conditions compare a question id with an answer (`=`, `!=`) and combine comparisons
    /// with `not`, `and`, `or` (binding in that order) and parentheses; `always` means every
    /// reader.
    "G0401", "malformed-condition", Error, None
}

/// A finding for a condition that does not parse, at `span` in `file`.
pub fn diagnostic(file: &SourceFile, span: Range<usize>, message: &str) -> Diagnostic {
    LINT.at(file, span, format!("malformed `applies` condition: {message}"))
        .help("write comparisons `question = answer` joined by `and`, `or`, `not` and parentheses, or `always`")
}
