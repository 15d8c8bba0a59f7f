declare_lint! {
    /// ## What it does
    /// Reports a disclosure whose `edition` or catalog `digest` does not match the guideline it
    /// is checked against (or that names neither).
    ///
    /// ## Why is this bad?
    /// The digest is the SHA-256 of the `catalog.json` the disclosure answers: if the text has
    /// changed, even within an edition, the answers may be answers to something else.
    ///
    /// ## Example
    /// ```toml
    /// [disclosure]
    /// edition = "5.2"
    /// ```
    /// checked against edition 6.0.
    ///
    /// ## Use instead
    /// Carry the answers over with `guideline disclosure migrate`, review what it marks, and keep
    /// the `edition` and `digest` it writes.
    "G0610", "edition-mismatch", Error, None
}
