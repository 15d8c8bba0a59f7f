use std::ops::Range;

use crate::diagnostic::Diagnostic;
use crate::model::{Guideline, Lang, Prose, Term};
use crate::source::FileId;

declare_lint! {
    /// ## What it does
    /// Keeps the glossary's terminology in the text, in two ways:
    /// - where a control (or a chapter's introduction) uses a glossary term in Japanese, its
    ///   English text must use that term's English form (plural and other endings allowed:
    ///   "medical institution" matches "medical institutions");
    /// - a spelling the glossary lists among a term's `variants` (「保守業者」 for 「保守事業者」) is
    ///   reported with the preferred form; `guideline fix` replaces it.
    ///
    /// ## Why is this bad?
    /// A reader who meets "medical institution" in one part, "healthcare provider" in the next
    /// and "healthcare organisation" in the glossary cannot tell whether the three are one
    /// addressee or three. In a guideline, a term is a scope: the same Japanese term must
    /// always reach the reader as the same English term, and one concept must have one name.
    ///
    /// ## Example
    /// ```toml
    /// [[term]]
    /// ja = "保守事業者"
    /// en = "maintenance provider"
    /// variants = { ja = ["保守業者"], en = ["maintenance company"] }
    /// ```
    /// with 「保守業者と契約すること。」 in a Japanese statement, or "Contract with the
    /// maintenance company." in its English.
    ///
    /// ## Use instead
    /// ```markdown
    /// 保守事業者と契約すること。
    ///
    /// Contract with the maintenance provider.
    /// ```
    /// The English form of a term is its `en`, without a parenthesised abbreviation, which
    /// counts too ("authenticator assurance level (AAL)": either the words or "AAL"); list
    /// other accepted English forms in `en_forms`.
    "G0302", "terminology", Warning, Some(check)
}

/// The English forms the text may use for a term, lower-cased, with endings trimmed.
fn english_stems(term: &Term) -> Vec<String> {
    let mut forms = Vec::new();
    let en = term.en.trim();
    match en.split_once(" (") {
        Some((words, abbreviation)) => {
            forms.push(words.to_string());
            forms.push(abbreviation.trim_end_matches(')').to_string());
        }
        None => forms.push(en.to_string()),
    }
    forms.extend(term.en_forms.iter().cloned());
    forms
        .iter()
        // Compared in the same form as the text: "multi-factor" must match "multi-factor".
        .map(|f| stem(&english(f)))
        .filter(|f| !f.is_empty())
        .collect()
}

/// Trims the ending that inflection changes, so one form matches its plural and the like
/// ("policy" matches "policies", "institution" matches "institutions").
fn stem(form: &str) -> String {
    let form = form.trim();
    form.strip_suffix('y')
        .or_else(|| form.strip_suffix('e'))
        .unwrap_or(form)
        .to_string()
}

fn is_katakana(c: char) -> bool {
    matches!(c, '\u{30A1}'..='\u{30FA}' | '\u{30FC}'..='\u{30FF}' | '\u{31F0}'..='\u{31FF}' | '\u{FF66}'..='\u{FF9F}')
}

/// Whether `text` uses the Japanese term `ja`. Like the ASCII word boundaries of the name
/// matcher: a katakana edge of the term must not run on into more katakana (「ログ」 is no use
/// inside 「プログラム」); and an occurrence inside a longer technology name or not-mention
/// phrase (「認証」 inside 「時刻認証」) is that name, not the term.
fn uses_term(text: &str, ja: &str, names: &[Range<usize>]) -> bool {
    let (first, last) = (ja.chars().next(), ja.chars().last());
    text.match_indices(ja).any(|(i, _)| {
        let end = i + ja.len();
        let before = text[..i].chars().next_back();
        let after = text[end..].chars().next();
        let in_name = names
            .iter()
            .any(|n| n.start <= i && end <= n.end && n.len() > ja.len());
        let runs_on = (first.is_some_and(is_katakana) && before.is_some_and(is_katakana))
            || (last.is_some_and(is_katakana) && after.is_some_and(is_katakana));
        !in_name && !runs_on
    })
}

/// English text as compared: NFKC, lower case, hyphens and line breaks as spaces.
fn english(text: &str) -> String {
    crate::registry::normalise_name(text)
        .to_lowercase()
        .replace(['-', '\n'], " ")
}

/// A text checked as one: its ID, its Japanese and English prose, the English heading.
type Unit<'a> = (
    &'a str,
    Vec<&'a Prose>,
    Vec<&'a Prose>,
    Option<(FileId, Range<usize>)>,
);

/// The longest lint of `check` (about a fifth of all its instructions on the shipped
/// guideline), so it shares its work over the cores itself: the chapters, then the prose
/// texts, in parallel, the findings kept in their order.
fn check(g: &Guideline, out: &mut Vec<Diagnostic>) {
    use rayon::prelude::*;
    let terms = &g.glossary.term;
    if terms.is_empty() {
        return;
    }
    let stems: Vec<Vec<String>> = terms.iter().map(english_stems).collect();
    // Which terms a Japanese text contains, in one pass over it for all of them.
    let needles: Vec<&str> = terms.iter().map(|t| t.ja.as_str()).collect();
    let Ok(term_finder) = aho_corasick::AhoCorasick::new(&needles) else {
        return;
    };
    let chapters: Vec<_> = g.chapters().map(|(_, chapter)| chapter).collect();
    let in_chapters = chapters.par_iter().map(|chapter| {
        let mut out = Vec::new();
        let mut units: Vec<Unit> = vec![(
            chapter.id.as_str(),
            vec![&chapter.intro.ja],
            chapter.intro.en.iter().collect(),
            chapter.en_heading.clone(),
        )];
        for k in &chapter.controls {
            units.push((
                k.id.as_str(),
                vec![&k.statement.ja, &k.guidance.ja],
                [&k.statement.en, &k.guidance.en]
                    .into_iter()
                    .flatten()
                    .collect(),
                k.en_heading.clone(),
            ));
        }
        for (id, ja, en, en_heading) in units {
            let ja_text: String = ja
                .iter()
                .map(|p| p.plain.as_str())
                .collect::<Vec<_>>()
                .join("\n");
            let en_text = english(
                &en.iter()
                    .map(|p| p.plain.as_str())
                    .collect::<Vec<_>>()
                    .join("\n"),
            );
            // An untranslated text is G0014's finding, not a terminology one.
            let Some((en_file, en_span)) = en_heading.filter(|_| !en_text.trim().is_empty()) else {
                continue;
            };
            let mut present: Vec<usize> = term_finder
                .find_overlapping_iter(&ja_text)
                .map(|m| m.pattern().as_usize())
                .collect();
            present.sort_unstable();
            present.dedup();
            // Technology names in the text, found only when a finding is in sight.
            let mut names: Option<Vec<Range<usize>>> = None;
            for i in present {
                let (term, stems) = (&terms[i], &stems[i]);
                if term.ja.is_empty() || stems.iter().any(|s| en_text.contains(s.as_str())) {
                    continue;
                }
                let names = names.get_or_insert_with(|| {
                    g.registry
                        .scan(&ja_text)
                        .into_iter()
                        .map(|h| h.span)
                        .collect()
                });
                if !uses_term(&ja_text, &term.ja, names) {
                    continue;
                }
                out.push(
                    LINT.at(
                        g.sources.get(en_file),
                        en_span.clone(),
                        format!(
                            "{id}: the Japanese uses the glossary term 「{}」, the English never says \"{}\"",
                            term.ja, term.en
                        ),
                    )
                    .help(format!(
                        "translate 「{}」 as \"{}\" (the glossary's English); if another wording is right here, add it to the term's `en_forms`",
                        term.ja, term.en
                    )),
                );
            }
        }
        out
    });
    out.extend(in_chapters.collect::<Vec<_>>().into_iter().flatten());
    let variants = VariantFinder::new(g);
    let prose: Vec<_> = g.prose_in_languages().collect();
    let in_prose = prose.par_iter().map(|&(lang, p)| {
        variants
            .find(g, p, lang)
            .into_iter()
            .map(|v| {
                LINT.at(
                    g.sources.get(p.file),
                    v.span,
                    format!(
                        "「{}」 is a variant of the glossary term 「{}」",
                        v.found, v.preferred
                    ),
                )
                .help(format!(
                    "write 「{}」 (`guideline fix` replaces it)",
                    v.preferred
                ))
            })
            .collect::<Vec<_>>()
    });
    out.extend(in_prose.collect::<Vec<_>>().into_iter().flatten());
}

/// A variant spelling of a glossary term found in the source.
pub struct Variant {
    pub span: Range<usize>,
    pub found: String,
    pub preferred: String,
}

/// Finds the variant spellings of the glossary's terms, with one automaton per language
/// built once for the whole guideline (searching every prose text for every variant in
/// turn cost a pass per variant, the largest share of `check` on a 100x guideline).
pub struct VariantFinder {
    ja: Option<Spellings>,
    en: Option<Spellings>,
}

/// The variants of one language, as patterns of one automaton: pattern `i` is `variants[i]`.
struct Spellings {
    automaton: aho_corasick::AhoCorasick,
    /// (variant, the term's preferred form), in the glossary's order of terms and variants.
    variants: Vec<(String, String)>,
}

impl VariantFinder {
    pub fn new(g: &Guideline) -> VariantFinder {
        let spellings = |lang: Lang| {
            let variants: Vec<(String, String)> = g
                .glossary
                .term
                .iter()
                .flat_map(|term| {
                    let (variants, preferred) = match lang {
                        Lang::Ja => (&term.variants.ja, &term.ja),
                        Lang::En => (&term.variants.en, &term.en),
                    };
                    variants
                        .iter()
                        .filter(|v| !v.is_empty())
                        .map(move |v| (v.clone(), preferred.clone()))
                })
                .collect();
            if variants.is_empty() {
                return None;
            }
            let automaton =
                aho_corasick::AhoCorasick::new(variants.iter().map(|(v, _)| v.as_str())).ok()?;
            Some(Spellings {
                automaton,
                variants,
            })
        };
        VariantFinder {
            ja: spellings(Lang::Ja),
            en: spellings(Lang::En),
        }
    }

    /// Every variant spelling in the Markdown of `p`, written in `lang` (byte spans in its
    /// file), in order. Each variant's occurrences are taken left to right without overlap
    /// (as repeated `str::find` would); different variants may overlap, and of several
    /// found at one place the first in the glossary is kept.
    pub fn find(&self, g: &Guideline, p: &Prose, lang: Lang) -> Vec<Variant> {
        let spellings = match lang {
            Lang::Ja => &self.ja,
            Lang::En => &self.en,
        };
        let Some(spellings) = spellings else {
            return Vec::new();
        };
        if p.span.is_empty() {
            return Vec::new();
        }
        let text = &g.sources.get(p.file).text[p.span.clone()];
        let mut next_start = vec![0; spellings.variants.len()];
        let mut hits: Vec<(usize, Range<usize>)> = Vec::new();
        for m in spellings.automaton.find_overlapping_iter(text) {
            let pattern = m.pattern().as_usize();
            if m.start() < next_start[pattern] {
                continue;
            }
            next_start[pattern] = m.end();
            let (variant, preferred) = &spellings.variants[pattern];
            let (start, end) = (m.start(), m.end());
            // Inside the preferred form itself (a variant that is part of it) is no variant.
            let inside_preferred = preferred
                .find(variant.as_str())
                .is_some_and(|k| start >= k && text[start - k..].starts_with(preferred.as_str()));
            let english_word = lang == Lang::En
                && (text[..start]
                    .chars()
                    .last()
                    .is_some_and(char::is_alphanumeric)
                    || text[end..]
                        .chars()
                        .next()
                        .is_some_and(char::is_alphanumeric));
            if !inside_preferred && !english_word {
                hits.push((pattern, start..end));
            }
        }
        // In the glossary's order first, so that of two variants at one place the earlier
        // term's is kept.
        hits.sort_by_key(|(pattern, span)| (*pattern, span.start));
        hits.sort_by_key(|(_, span)| span.start);
        hits.dedup_by_key(|(_, span)| span.start);
        hits.into_iter()
            .map(|(pattern, span)| {
                let (variant, preferred) = &spellings.variants[pattern];
                Variant {
                    span: p.span.start + span.start..p.span.start + span.end,
                    found: variant.clone(),
                    preferred: preferred.clone(),
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_allow_endings() {
        assert_eq!(stem("policy"), "polic");
        assert_eq!(stem("medical institution"), "medical institution");
        let t = Term {
            ja: "認証保証レベル".into(),
            en: "authenticator assurance level (AAL)".into(),
            reading: None,
            definition: Default::default(),
            variants: Default::default(),
            en_forms: vec![],
        };
        assert_eq!(english_stems(&t), ["authenticator assurance level", "aal"]);
        assert!(english("Multi-Factor\nAuthentication").contains("multi factor authentication"));
        assert!(!uses_term("修正プログラムを適用", "ログ", &[]));
        assert!(uses_term("ログを保存", "ログ", &[]));
        let text = "時刻認証業務";
        let name = 0..text.find('業').unwrap();
        assert!(!uses_term(text, "認証", std::slice::from_ref(&name)));
        assert!(uses_term(text, "時刻認証", std::slice::from_ref(&name)));
    }
}
