declare_lint! {
    /// ## What it does
    /// Reports a `yes` for a control whose statement has items or parameters that the answer does
    /// not cover (an item without an answer in `items`, a parameter without a value in `params`),
    /// and an item or parameter the control does not have.
    ///
    /// ## Why is this bad?
    /// A control with items is several duties; `yes` to it says nothing about which of them the
    /// product meets. A parameter is a value the organisation sets (an interval, a retention
    /// period): the clinic needs to know what the product sets it to.
    ///
    /// ## Example
    /// ```toml
    /// [answers."C-6.6"]
    /// answer = "yes"
    /// ```
    /// where C-6.6 has items 1, 2, 2.1, 2.2 and 2.3.
    ///
    /// ## Use instead
    /// ```toml
    /// [answers."C-6.6"]
    /// answer = "yes"
    /// items = { "1" = "yes", "2" = "yes", "2.1" = "yes", "2.2" = "yes", "2.3" = "n/a" }
    /// ```
    "G0604", "incomplete-answer", Error, None
}
