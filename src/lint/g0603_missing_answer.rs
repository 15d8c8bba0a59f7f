declare_lint! {
    /// ## What it does
    /// Reports a control the disclosure must answer (every control, or every control of its
    /// `preset`) that it does not answer: no table for it, or `answer = ""` as `init` writes.
    ///
    /// ## Why is this bad?
    /// A clinic reads an unanswered control as unknown, which is worse than `no`: it cannot plan
    /// a compensating measure for something it has not been told.
    ///
    /// ## Example
    /// ```toml
    /// [answers."C-7.1"]
    /// answer = ""
    /// ```
    ///
    /// ## Use instead
    /// ```toml
    /// [answers."C-7.1"]
    /// answer = "planned"
    /// by = "2027-04-01"
    /// ```
    "G0603", "missing-answer", Error, None
}
