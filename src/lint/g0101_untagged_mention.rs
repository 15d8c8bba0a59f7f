use crate::diagnostic::Diagnostic;
use crate::model::Guideline;

declare_lint! {
    /// ## What it does
    /// Reports a registry technology named in the text without a tag saying what role it
    /// plays: `example`, `required` or `prohibited`. Names are matched in Japanese inside
    /// compounds, in English at word boundaries, after NFKC normalisation (full-width letters
    /// and half-width katakana match), longest name first.
    ///
    /// ## Why is this bad?
    /// Edition 5.2 named TLS client certificates in a way readers took as the only permitted
    /// method, and stronger methods such as FIDO looked forbidden. An untagged name leaves
    /// every reader to guess whether it is an example or a requirement.
    ///
    /// ## Example
    /// ```markdown
    /// 例えばTLSクライアント認証を用いる。
    /// ```
    ///
    /// ## Use instead
    /// ```markdown
    /// 例えば[TLSクライアント認証](example:tls-client-auth)を用いる。
    /// ```
    /// `guideline fix` adds `example` tags to every untagged name; change the role by hand
    /// where the text really requires or prohibits the technology.
    "G0101", "untagged-mention", Warning, Some(check)
}

fn check(g: &Guideline, out: &mut Vec<Diagnostic>) {
    for m in g.mentions().filter(|m| m.role.is_none()) {
        let f = g.sources.get(m.file);
        let d = LINT
            .at(
                f,
                m.span.clone(),
                format!("untagged technology mention 「{}」", m.text),
            )
            .label(format!("registry technology `{}`", m.technology));
        let d = if m.in_link {
            d.help(format!(
                "the name is inside a link's text, where no tag fits: reword so the name stands outside the link, then tag it as `[{}](example:{})`",
                m.text, m.technology
            ))
        } else {
            d.help(format!(
                "tag it as `[{}](example:{})`, or `required:`/`prohibited:` if the text really demands or forbids it; `guideline fix` adds example tags",
                m.text, m.technology
            ))
        };
        out.push(d);
    }
}
