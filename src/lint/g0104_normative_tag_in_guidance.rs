use crate::diagnostic::Diagnostic;
use crate::model::{Guideline, Role};

declare_lint! {
    /// ## What it does
    /// Reports a `required` or `prohibited` tag in informative text: a control's guidance
    /// (解説) or a chapter's introduction.
    ///
    /// ## Why is this bad?
    /// Only the statement (要求事項) binds the reader. A requirement hidden in the guidance is
    /// missed by the checklist and the catalog, yet readers treat it as binding.
    ///
    /// ## Example
    /// ```markdown
    /// ### 解説
    ///
    /// [TLS 1.3](required:tls-1-3)を用いる。
    /// ```
    ///
    /// ## Use instead
    /// Move the requirement into `### 要求事項`, or tag the name as an example in the guidance:
    /// ```markdown
    /// 例えば[TLS 1.3](example:tls-1-3)を用いる。
    /// ```
    "G0104", "normative-tag-in-guidance", Error, Some(check)
}

fn check(g: &Guideline, out: &mut Vec<Diagnostic>) {
    for m in g.mentions().filter(|m| !m.section.is_normative()) {
        let Some(role @ (Role::Required | Role::Prohibited)) = m.role else {
            continue;
        };
        out.push(
            LINT.at(
                g.sources.get(m.file),
                m.span.clone(),
                format!("「{}」 is tagged `{}` in informative text", m.text, role.keyword()),
            )
            .help("requirements belong in the statement (要求事項 / Statement); in guidance, tag technologies as `example:`"),
        );
    }
}
