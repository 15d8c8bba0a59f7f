use crate::diagnostic::Diagnostic;
use crate::model::Guideline;

declare_lint! {
    /// ## What it does
    /// Reports a link that looks like a tag but whose role is not `example`, `required` or
    /// `prohibited` (a typo such as `requred:` or `Example:`).
    ///
    /// ## Why is this bad?
    /// A misspelt tag is not a tag: the mention it was meant to classify is left without a
    /// role, and the website shows a broken link.
    ///
    /// ## Example
    /// ```markdown
    /// [FIDO2](requred:fido2)
    /// ```
    ///
    /// ## Use instead
    /// ```markdown
    /// [FIDO2](required:fido2)
    /// ```
    "G0103", "unknown-role", Error, Some(check)
}

fn check(g: &Guideline, out: &mut Vec<Diagnostic>) {
    for p in g.prose() {
        for t in &p.malformed_tags {
            let lower = t.scheme.to_ascii_lowercase();
            let nearest = crate::model::Role::ALL
                .iter()
                .min_by_key(|r| strsim::levenshtein(r.keyword(), &lower))
                .map(|r| r.keyword())
                .unwrap_or("example");
            out.push(
                LINT.at(g.sources.get(t.file), t.span.clone(), format!("unknown role `{}` in tag for `{}`", t.scheme, t.technology))
                    .help(format!("roles are `example`, `required` and `prohibited`, in lower case: did you mean `{nearest}:{}`?", t.technology)),
            );
        }
    }
}
