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

/// Decodes a file, or reports where its first invalid byte is.
#[allow(clippy::result_large_err)] // one per undecodable file; boxing buys nothing here
pub fn decode(mut bytes: Vec<u8>, path: &Path) -> Result<String, Diagnostic> {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    // Takes the bytes: valid text becomes the String without a copy.
    let bytes = match String::from_utf8(bytes) {
        Ok(text) => return Ok(text),
        Err(e) => e.into_bytes(),
    };
    match std::str::from_utf8(&bytes) {
        Ok(text) => Ok(text.to_string()),
        Err(e) => {
            let valid = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default();
            let line = valid.matches('\n').count() + 1;
            let column = valid
                .rsplit('\n')
                .next()
                .unwrap_or_default()
                .chars()
                .count()
                + 1;
            Err(Diagnostic::whole_file(
                LINT.code,
                LINT.severity,
                path,
                line,
                column,
                format!("file is not valid UTF-8 (invalid byte 0x{:02X})", bytes[e.valid_up_to()]),
            )
            .help("save the file as UTF-8; if it is Shift_JIS, convert it with `iconv -f CP932 -t UTF-8`"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_at_the_first_bad_byte() {
        let d = decode(b"ok\n\xe8\xaa\x8d\x82\xa0".to_vec(), Path::new("a.md")).unwrap_err();
        assert_eq!((d.line, d.column), (2, 2));
        assert!(d.message.contains("0x82"));
    }

    #[test]
    fn accepts_utf8_with_bom() {
        assert_eq!(
            decode(b"\xEF\xBB\xBFabc".to_vec(), Path::new("a.md")).unwrap(),
            "abc"
        );
    }
}
