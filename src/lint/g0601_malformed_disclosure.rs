declare_lint! {
    /// ## What it does
    /// Reports a disclosure that cannot be read as one: not TOML, a value of the wrong kind, an
    /// unknown key (with the nearest known one), an answer that is not `yes`, `no`, `n/a` or
    /// `planned`, a `by` date that is not `YYYY-MM-DD`, or no `[disclosure]` table.
    ///
    /// ## Why is this bad?
    /// A disclosure is read by machines on both sides: the vendor's tooling writes it, a clinic's
    /// or an assessor's reads it. A misspelt key (`anwser`) would silently drop the answer it
    /// holds; a misspelt answer (`yse`) would read as no answer at all.
    ///
    /// ## Example
    /// ```toml
    /// [answers."C-7.1"]
    /// anwser = "yse"
    /// ```
    ///
    /// ## Use instead
    /// ```toml
    /// [answers."C-7.1"]
    /// answer = "yes"
    /// ```
    "G0601", "malformed-disclosure", Error, None
}
