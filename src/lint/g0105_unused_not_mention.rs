use std::collections::BTreeSet;

use crate::diagnostic::Diagnostic;
use crate::model::Guideline;
use crate::registry::normalise_name;

declare_lint! {
    /// ## What it does
    /// Reports a phrase in a technology's `not_mentions` that never occurs in the text of
    /// the guideline, or that does not contain any name of its technology.
    ///
    /// ## Why is this bad?
    /// `not_mentions` exists for compounds that contain a technology's name without meaning
    /// it: 「多要素認証器」 is an authenticator, not multi-factor authentication. Each phrase
    /// hides text from the checker, so it should hide only what is really there. A phrase
    /// that no longer occurs (the sentence was rewritten) or that contains no name of the
    /// technology is a leftover that could one day hide a real mention.
    ///
    /// ## Example
    /// ```toml
    /// [[technology]]
    /// id = "mfa"
    /// name = { ja = "多要素認証", en = "multi-factor authentication" }
    /// not_mentions = ["多要素認証器", "二要素"]
    /// ```
    /// where the text never says 「多要素認証器」, and 「二要素」 contains no name of `mfa`.
    ///
    /// ## Use instead
    /// Keep only the phrases the text uses, each containing one of the technology's names:
    /// ```toml
    /// not_mentions = ["多要素認証器"]
    /// ```
    /// The registry a guideline shares with an earlier edition is checked with the guideline
    /// that owns it (the one whose directory holds it), since an edition uses only some of
    /// its phrases.
    "G0105", "unused-not-mention", Warning, Some(check)
}

fn check(g: &Guideline, out: &mut Vec<Diagnostic>) {
    let Some(file) = g.registry_file else {
        return;
    };
    if g.manifest.registry.starts_with("..") {
        return;
    }
    let used: BTreeSet<(usize, usize)> = g
        .prose()
        .flat_map(|p| p.not_mentions.iter().map(|n| (n.technology, n.phrase)))
        .collect();
    let f = g.sources.get(file);
    for (i, t) in g.registry.technologies.iter().enumerate() {
        for (k, phrase) in t.not_mentions.iter().enumerate() {
            let key = normalise_name(phrase).to_lowercase();
            let entry = &f.text[t.span.clone()];
            let span = entry
                .find(&format!("\"{phrase}\""))
                .map_or(t.span.clone(), |at| {
                    t.span.start + at + 1..t.span.start + at + 1 + phrase.len()
                });
            let contains_name = t
                .all_names()
                .any(|n| key.contains(&normalise_name(n).to_lowercase()));
            if !contains_name {
                out.push(
                    LINT.at(
                        f,
                        span,
                        format!("「{phrase}」 contains no name of `{}`, so it excludes nothing", t.id),
                    )
                    .help("a not-mention phrase must contain one of the technology's names or aliases; remove it"),
                );
            } else if !used.contains(&(i, k)) {
                out.push(
                    LINT.at(
                        f,
                        span,
                        format!("「{phrase}」 (not a mention of `{}`) never occurs in the text", t.id),
                    )
                    .help("remove the phrase from `not_mentions`: it would only hide a future real mention"),
                );
            }
        }
    }
}
