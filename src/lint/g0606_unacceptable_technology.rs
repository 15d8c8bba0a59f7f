declare_lint! {
    /// ## What it does
    /// Reports a technology named as realising a control that the control prohibits, or that the
    /// registry marks deprecated or prohibited.
    ///
    /// ## Why is this bad?
    /// A product that meets a control with what the guideline forbids (TLS 1.0) or has
    /// retired (SMS one-time codes) does not meet it; the answer would mislead the clinic.
    ///
    /// ## Example
    /// ```toml
    /// [answers."C-7.2"]
    /// answer = "yes"
    /// technologies = ["tls-1-0"]
    /// ```
    ///
    /// ## Use instead
    /// ```toml
    /// [answers."C-7.2"]
    /// answer = "yes"
    /// technologies = ["tls-1-3"]
    /// ```
    "G0606", "unacceptable-technology", Error, None
}
