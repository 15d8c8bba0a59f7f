declare_lint! {
    /// ## What it does
    /// Reports a `yes` to a control that demands an SP 800-63B assurance level when none of the
    /// technologies the answer names reaches it (or it names none).
    ///
    /// ## Why is this bad?
    /// `yes` to "authenticate at AAL3" with only a password and SMS codes is not true, however
    /// well the product implements them; the registry records what each technology can reach.
    ///
    /// ## Example
    /// ```toml
    /// [answers."C-7.5"]
    /// answer = "yes"
    /// technologies = ["sms-otp"]
    /// ```
    ///
    /// ## Use instead
    /// ```toml
    /// [answers."C-7.5"]
    /// answer = "yes"
    /// technologies = ["fido2"]
    /// ```
    "G0607", "below-assurance", Error, None
}
