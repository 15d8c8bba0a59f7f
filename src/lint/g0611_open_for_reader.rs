declare_lint! {
    /// ## What it does
    /// With `--preset` or `--answer` (the clinic's side), reports each control that applies to
    /// that reader and that the vendor answers `no` or leaves open.
    ///
    /// ## Why is this bad?
    /// A clinic choosing a vendor needs the short list of what it would still have to cover itself,
    /// among the controls that concern it, not the whole catalog.
    ///
    /// ## Example
    /// `guideline disclosure check vendor.toml --preset small-clinic` where C-7.1 applies to a
    /// small clinic and the vendor answers `no`.
    ///
    /// ## Use instead
    /// Ask the vendor how the control is met, or plan to meet it another way.
    "G0611", "open-for-reader", Warning, None
}
