declare_lint! {
    /// ## What it does
    /// Reports text that does not follow the document structure: a chapter file without a
    /// `# ID title` heading, a control heading without an ID, a metadata block away from its
    /// heading or in an English file, text of a control outside its sections, an unknown
    /// section heading, a control in one language only, and files outside the layout.
    ///
    /// ## Why is this bad?
    /// The structure is what makes each control addressable (its ID), publishable (its
    /// statement and guidance) and translatable (the two files match control by control).
    /// Text that falls outside it would be silently dropped from the outputs.
    ///
    /// ## Example
    /// ```markdown
    /// ## アクセス制御
    ///
    /// 利用者を識別すること。
    /// ```
    ///
    /// ## Use instead
    /// ```markdown
    /// ## C-4.1 アクセス制御
    ///
    /// ```toml meta
    /// level = "minimum"
    /// ```
    ///
    /// ### 要求事項
    ///
    /// 利用者を識別すること。
    /// ```
    "G0004", "malformed-structure", Error, None
}
