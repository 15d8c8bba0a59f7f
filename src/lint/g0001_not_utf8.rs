use std::path::Path;

use crate::diagnostic::Diagnostic;

declare_lint! {
    /// ## What it does
    /// Reports a source file whose bytes are not valid UTF-8.
    ///
    /// ## Why is this bad?
    /// Every tool that reads the guideline (editors, Markdown previews, this compiler) expects
    /// UTF-8. A file saved as Shift_JIS shows as mojibake to everyone else, and its text cannot
    /// be checked or published.
    ///
    /// ## Example
    /// A chapter saved from an old editor in Shift_JIS (CP932).
    ///
    /// ## Use instead
    /// Save the file as UTF-8 without a byte-order mark, for example with
    /// `iconv -f CP932 -t UTF-8 old.md > new.md`.
    "G0001", "not-utf8", Error, None
}

/// A file (or directory) whose name is not UTF-8, which the source reader did not read.
pub fn name(path: &Path) -> Diagnostic {
    Diagnostic::whole_file(
        LINT.code,
        LINT.severity,
        path,
        1,
        1,
        "file name is not valid UTF-8: not read",
    )
    .help("rename the file; names are shown and linked in UTF-8")
}

/// The finding for a file that [`crate::source::decode`] could not decode.
pub fn diagnostic(path: &Path, e: &crate::source::NotUtf8) -> Diagnostic {
    Diagnostic::whole_file(
        LINT.code,
        LINT.severity,
        path,
        e.line,
        e.column,
        format!("file is not valid UTF-8 (invalid byte 0x{:02X})", e.byte),
    )
    .help("save the file as UTF-8; if it is Shift_JIS, convert it with `iconv -f CP932 -t UTF-8`")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_at_the_first_bad_byte() {
        let e = crate::source::decode(b"ok\n\xe8\xaa\x8d\x82\xa0".to_vec()).unwrap_err();
        let d = diagnostic(Path::new("a.md"), &e);
        assert_eq!((d.line, d.column), (2, 2));
        assert!(d.message.contains("0x82"));
    }
}
