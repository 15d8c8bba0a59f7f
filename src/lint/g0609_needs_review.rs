declare_lint! {
    /// ## What it does
    /// Reports an answer that `guideline disclosure migrate` carried into a new edition and
    /// marked for review, because its control was added, changed or merged. The comment above
    /// the answer shows the change (the 新旧対照表 passage).
    ///
    /// ## Why is this bad?
    /// An answer to last edition's wording may not answer this edition's; only the vendor can
    /// say. Answers whose controls did not change are carried without a mark.
    ///
    /// ## Example
    /// ```toml
    /// [answers."C-7.1"]
    /// answer = "yes"
    /// review = "changed: statement"
    /// ```
    ///
    /// ## Use instead
    /// ```toml
    /// [answers."C-7.1"]
    /// answer = "yes"
    /// ```
    /// once the answer has been checked against the new text.
    "G0609", "needs-review", Warning, None
}
