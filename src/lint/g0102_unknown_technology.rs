use crate::diagnostic::Diagnostic;
use crate::model::Guideline;

declare_lint! {
    /// ## What it does
    /// Reports a tag whose technology id is not in the registry (`technologies.toml`).
    ///
    /// ## Why is this bad?
    /// The registry is what the checker knows about a technology: its category, the assurance
    /// it reaches, whether it is deprecated. A tag pointing nowhere escapes every check and
    /// has no page on the website.
    ///
    /// ## Example
    /// ```markdown
    /// [FIDO](example:fido)
    /// ```
    ///
    /// ## Use instead
    /// ```markdown
    /// [FIDO](example:fido2)
    /// ```
    /// or add the technology to `technologies.toml`.
    "G0102", "unknown-technology", Error, Some(check)
}

fn check(g: &Guideline, out: &mut Vec<Diagnostic>) {
    for m in g
        .mentions()
        .filter(|m| m.role.is_some() && g.registry.get(&m.technology).is_none())
    {
        let nearest = g
            .registry
            .technologies
            .iter()
            .map(|t| (distance(t, &m.technology), t.id.as_str()))
            .min();
        let help = match nearest {
            Some((d, id)) if d <= 3 => format!("did you mean `{id}`?"),
            _ => format!(
                "add `{}` to technologies.toml, or use the id of a registered technology",
                m.technology
            ),
        };
        out.push(
            LINT.at(
                g.sources.get(m.file),
                m.span.clone(),
                format!(
                    "unknown technology `{}` in tag 「{}」",
                    m.technology, m.text
                ),
            )
            .help(help),
        );
    }
}

/// How far a tag's unknown id is from a technology: the closest of its id, the words of its
/// id (`sms` in `sms-otp`), and its names and aliases (`SMS`, 「SMS認証」), ignoring case.
pub fn distance(t: &crate::registry::Technology, wanted: &str) -> usize {
    let wanted = wanted.to_lowercase();
    let words = t.id.split('-').map(|w| (w.to_string(), 1));
    let names = t.all_names().map(|n| {
        let n = crate::registry::normalise_name(n).to_lowercase();
        (n.replace(' ', "-"), 0)
    });
    std::iter::once((t.id.clone(), 0))
        .chain(words)
        .chain(names)
        .map(|(candidate, penalty)| strsim::levenshtein(&candidate, &wanted) + penalty)
        .min()
        .unwrap_or(usize::MAX)
}
