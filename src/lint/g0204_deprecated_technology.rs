use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{Guideline, Lang, Role};
use crate::registry::Status;

declare_lint! {
    /// ## What it does
    /// Reports a technology whose registry status is `deprecated` or `prohibited` given as an
    /// example or a requirement. A prohibited technology used that way is an error; a
    /// deprecated one, a warning.
    ///
    /// ## Why is this bad?
    /// SSL 3.0, TLS 1.0/1.1 and WEP are broken; an example that names them invites readers to
    /// deploy them. Tag them `prohibited` where the text forbids them.
    ///
    /// ## Example
    /// ```markdown
    /// 例えば[TLS 1.0](example:tls-1-0)以上を用いる。
    /// ```
    ///
    /// ## Use instead
    /// ```markdown
    /// [TLS 1.0](prohibited:tls-1-0)及び[TLS 1.1](prohibited:tls-1-1)は用いないこと。
    /// ```
    "G0204", "deprecated-technology", Warning, Some(check)
}

fn check(g: &Guideline, out: &mut Vec<Diagnostic>) {
    for m in g.mentions().filter(|m| m.lang == Lang::Ja) {
        let Some(role @ (Role::Example | Role::Required)) = m.role else {
            continue;
        };
        let Some(t) = g.registry.get(&m.technology) else {
            continue;
        };
        let severity = match t.status {
            Status::Current => continue,
            Status::Deprecated => Severity::Warning,
            Status::Prohibited => Severity::Error,
        };
        let status = match t.status {
            Status::Deprecated => "deprecated",
            _ => "prohibited",
        };
        let since = t
            .since
            .as_deref()
            .map(|e| format!(" since edition {e}"))
            .unwrap_or_default();
        let mut d = LINT
            .at(g.sources.get(m.file), m.span.clone(), format!("{status} technology 「{}」 given as {}", m.text, role.keyword()))
            .help(format!("the registry marks `{}` {status}{since}: name a current technology, or tag this one `prohibited:` where the text forbids it", t.id));
        d.severity = severity;
        out.push(d);
    }
}
