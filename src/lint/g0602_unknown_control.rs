declare_lint! {
    /// ## What it does
    /// Reports an answer for a control ID that the guideline edition does not have (with the
    /// nearest ID), and a `preset` that `applicability.toml` does not declare.
    ///
    /// ## Why is this bad?
    /// The answer answers nothing: usually the ID is from another edition (run `guideline
    /// disclosure migrate`) or misspelt. A reader looking for the control finds no answer.
    ///
    /// ## Example
    /// ```toml
    /// [answers."C-7.99"]
    /// answer = "yes"
    /// ```
    ///
    /// ## Use instead
    /// ```toml
    /// [answers."C-7.9"]
    /// answer = "yes"
    /// ```
    "G0602", "unknown-control", Error, None
}
