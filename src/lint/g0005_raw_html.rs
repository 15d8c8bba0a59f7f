use std::ops::Range;

use crate::diagnostic::Diagnostic;
use crate::source::SourceFile;

declare_lint! {
    /// ## What it does
    /// Reports raw HTML in the text.
    ///
    /// ## Why is this bad?
    /// The website is read by clinics on old PCs and phones; raw HTML could carry script or
    /// remote resources into every page, and it does not survive into the PDF, the catalog or
    /// the checklist. Markdown says everything the guideline needs.
    ///
    /// ## Example
    /// ```markdown
    /// 詳細は<a href="https://example.org" onclick="...">こちら</a>。
    /// ```
    ///
    /// ## Use instead
    /// ```markdown
    /// 詳細は[こちら](https://example.org)。
    /// ```
    "G0005", "raw-html", Error, None
}

/// A finding for raw HTML at `span`.
pub fn diagnostic(file: &SourceFile, span: Range<usize>) -> Diagnostic {
    let snippet: String = file.text[span.clone()].trim().chars().take(40).collect();
    LINT.at(file, span, format!("raw HTML `{snippet}` is not allowed"))
        .help("write it as Markdown (links, emphasis, tables); raw HTML is never published")
}
