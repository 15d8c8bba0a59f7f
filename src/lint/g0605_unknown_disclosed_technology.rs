declare_lint! {
    /// ## What it does
    /// Reports a technology in an answer's `technologies` that the guideline's registry does not
    /// have (with the nearest id, matching names and aliases too).
    ///
    /// ## Why is this bad?
    /// Technologies are named by registry id so that a reader can look each one up and the check
    /// can tell its assurance and status; a free-form name can be checked for neither.
    ///
    /// ## Example
    /// ```toml
    /// technologies = ["fido"]
    /// ```
    ///
    /// ## Use instead
    /// ```toml
    /// technologies = ["fido2"]
    /// ```
    "G0605", "unknown-disclosed-technology", Error, None
}
