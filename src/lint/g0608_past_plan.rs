declare_lint! {
    /// ## What it does
    /// Reports a `planned` answer whose `by` date has passed (today is the clock's date, or
    /// `SOURCE_DATE_EPOCH`'s), and one without a date.
    ///
    /// ## Why is this bad?
    /// A plan whose date has passed is either done (then the answer is `yes`) or late (then the
    /// clinic should know): either way the disclosure no longer says what is true.
    ///
    /// ## Example
    /// ```toml
    /// answer = "planned"
    /// by = "2020-04-01"
    /// ```
    ///
    /// ## Use instead
    /// ```toml
    /// answer = "yes"
    /// ```
    /// or a date still ahead.
    "G0608", "past-plan", Warning, None
}
