use std::ops::Range;

use crate::diagnostic::Diagnostic;
use crate::source::SourceFile;

declare_lint! {
    /// ## What it does
    /// Reports two registry entries with the same `id`, and a name or alias claimed by two
    /// technologies (after NFKC normalisation, so `ＦＩＤＯ` and `FIDO` are the same name).
    ///
    /// ## Why is this bad?
    /// A name that belongs to two technologies makes every mention ambiguous: the checker
    /// cannot tell which one the text means, and a tag could point at either.
    ///
    /// ## Example
    /// ```toml
    /// [[technology]]
    /// id = "fido2"
    /// aliases = { en = ["passkey"] }
    ///
    /// [[technology]]
    /// id = "passkey"
    /// name = { ja = "パスキー", en = "passkey" }
    /// ```
    ///
    /// ## Use instead
    /// Give each name to exactly one technology; here, drop "passkey" from `fido2`.
    "G0006", "registry-conflict", Error, None
}

pub fn duplicate_id(
    file: &SourceFile,
    span: Range<usize>,
    first: Range<usize>,
    id: &str,
) -> Diagnostic {
    LINT.at(file, span, format!("technology id `{id}` is defined twice"))
        .related(file, first, "first defined here")
        .help("merge the two entries, or give the second its own id")
}

pub fn shared_alias(
    file: &SourceFile,
    span: Range<usize>,
    alias: &str,
    id: &str,
    owner: &str,
) -> Diagnostic {
    LINT.at(
        file,
        span,
        format!("name 「{alias}」 of `{id}` already belongs to `{owner}`"),
    )
    .help("each name identifies one technology; remove it from one of the two entries")
}
