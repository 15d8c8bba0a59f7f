use std::ops::Range;

use crate::diagnostic::Diagnostic;
use crate::source::SourceFile;

declare_lint! {
    /// ## What it does
    /// Reports an mdBook directive (`{{#include …}}`, `{{#rustdoc_include …}}`,
    /// `{{#playground …}}`, `{{#title …}}`…) in the text, outside code.
    ///
    /// ## Why is this bad?
    /// In a plain mdBook, `{{#include /path}}` copies any file of the machine that builds the
    /// site into the published page. Our books run no mdBook preprocessor, so the directive
    /// would only appear as literal text, which is never what its author meant; and a
    /// directive in a pull request is more likely an attempt to publish a file of the build
    /// server than a sentence of the guideline.
    ///
    /// ## Example
    /// ```markdown
    /// 詳細は次のとおり。
    ///
    /// {{#include /etc/passwd}}
    /// ```
    ///
    /// ## Use instead
    /// Write the text into the chapter itself. To show the syntax literally (in a guide to
    /// the tools, say), put it in a code span: `` `{{#include file.md}}` ``.
    "G0008", "build-directive", Error, None
}

/// Finds `{{#` in a text event written at `range` of `file`; one finding per directive.
pub fn find(file: &SourceFile, range: Range<usize>, out: &mut Vec<Diagnostic>) {
    let written = &file.text[range.clone()];
    // Called for every text event: the single-byte search (memchr) rules most out at once.
    if !written.contains('{') {
        return;
    }
    let mut from = 0;
    while let Some(i) = written[from..].find("{{#") {
        let start = range.start + from + i;
        let end = written[from + i..]
            .find("}}")
            .map_or(range.end, |j| range.start + from + i + j + 2);
        let directive: String = file.text[start..end].chars().take(60).collect();
        out.push(
            LINT.at(
                file,
                start..end,
                format!("mdBook directive `{directive}` in the text"),
            )
            .help("directives are never run; write the text itself, or put the syntax in a code span to show it"),
        );
        from = end - range.start;
    }
}
