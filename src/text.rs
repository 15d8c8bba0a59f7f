//! Text in the guideline's two languages: Japanese, which is authoritative, and English.
//!
//! A leaf module: the registry, the model, the applicability questions and the renderers all
//! hold bilingual text, and each of them reads these types from here.

use serde::{Deserialize, Serialize};

/// A value in Japanese (authoritative) and, when translated, English: in the model, and as
/// `Text` in catalog.json (the schema's name and description are the catalog's).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(
    rename = "Text",
    description = "A string in Japanese (authoritative) and English."
)]
pub struct Localised<T> {
    pub ja: T,
    /// Absent only when the source lacks the translation (which `check` reports).
    pub en: Option<T>,
}

impl<T> Localised<T> {
    pub fn get(&self, lang: Lang) -> Option<&T> {
        match lang {
            Lang::Ja => Some(&self.ja),
            Lang::En => self.en.as_ref(),
        }
    }
}

impl<'a> Localised<&'a str> {
    /// The text in `lang`, or the authoritative Japanese where it has no translation.
    pub fn in_lang(self, lang: Lang) -> &'a str {
        match (lang, self.en) {
            (Lang::En, Some(e)) if !e.trim().is_empty() => e,
            _ => self.ja,
        }
    }
}

impl Localised<String> {
    /// The text in `lang`, or the authoritative Japanese where it has no translation.
    pub fn in_lang(&self, lang: Lang) -> &str {
        Localised {
            ja: self.ja.as_str(),
            en: self.en.as_deref(),
        }
        .in_lang(lang)
    }
}

/// The two languages of the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Ja,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Ja, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Ja => "ja",
            Lang::En => "en",
        }
    }
}

/// A pair of strings, Japanese and English, as written in TOML.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Pair {
    pub ja: String,
    pub en: String,
}

/// Lists of strings per language, as written in TOML.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PairList {
    #[serde(default)]
    pub ja: Vec<String>,
    #[serde(default)]
    pub en: Vec<String>,
}

impl Pair {
    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Ja => &self.ja,
            Lang::En => &self.en,
        }
    }
}

impl Lang {
    /// The other language: where a page's language switch leads.
    pub fn other(self) -> Lang {
        match self {
            Lang::Ja => Lang::En,
            Lang::En => Lang::Ja,
        }
    }
}

/// The words a reader sees for the source format's keywords (roles, levels, audiences,
/// categories, changes, answers), from `templates/vocabulary.{ja,en}.toml`: kind ->
/// keyword -> word.
type Vocabulary = std::collections::BTreeMap<String, std::collections::BTreeMap<String, String>>;

fn vocabulary(lang: Lang) -> &'static Vocabulary {
    use std::sync::LazyLock;
    // Both files are part of the program; their unit tests parse them, so an empty table
    // (every word falling back to its keyword) cannot ship.
    static JA: LazyLock<Vocabulary> = LazyLock::new(|| {
        toml::from_str(include_str!("../templates/vocabulary.ja.toml")).unwrap_or_default()
    });
    static EN: LazyLock<Vocabulary> = LazyLock::new(|| {
        toml::from_str(include_str!("../templates/vocabulary.en.toml")).unwrap_or_default()
    });
    match lang {
        Lang::Ja => &JA,
        Lang::En => &EN,
    }
}

/// The word for `keyword` of `kind` (`word("role", "example")` is 例示 / example), in both
/// languages; the keyword itself where the vocabulary has no entry.
pub fn word(kind: &str, keyword: &'static str) -> Localised<&'static str> {
    let look = |lang| {
        vocabulary(lang)
            .get(kind)
            .and_then(|words| words.get(keyword))
            .map_or(keyword, String::as_str)
    };
    Localised {
        ja: look(Lang::Ja),
        en: Some(look(Lang::En)),
    }
}

/// Whether `text` is already in NFKC, so normalising it would change nothing.
pub fn is_nfkc(text: &str) -> bool {
    use unicode_normalization::{is_nfkc_quick, IsNormalized};
    text.chars().all(nfkc_stable) || is_nfkc_quick(text.chars()) == IsNormalized::Yes
}

/// `text` in NFKC, borrowed when it already is (almost all guideline prose is).
pub fn nfkc(text: &str) -> std::borrow::Cow<'_, str> {
    use unicode_normalization::UnicodeNormalization;
    if is_nfkc(text) {
        text.into()
    } else {
        text.nfkc().collect::<String>().into()
    }
}

/// Characters NFKC leaves as they are and that never combine with a neighbour: ASCII
/// letters and punctuation, hiragana, katakana, the unified ideographs and the common
/// Japanese punctuation. A text made only of these is already normal, which saves the
/// table lookups of the full check on almost all guideline prose.
fn nfkc_stable(c: char) -> bool {
    matches!(c,
        '\u{20}'..='\u{7E}' | '\n' | '\r' | '\t'
        | '\u{3001}'..='\u{3003}' | '\u{3005}'..='\u{3007}' | '\u{3008}'..='\u{3011}' | '\u{3014}'..='\u{301B}'
        | '\u{3041}'..='\u{3096}' | '\u{309D}'..='\u{309E}'
        | '\u{30A1}'..='\u{30FA}' | '\u{30FC}'..='\u{30FE}'
        | '\u{4E00}'..='\u{9FFF}')
}

/// The keywords the vocabulary words for `kind`, sorted: each enum's test compares them
/// with its own keywords.
#[cfg(test)]
fn worded_keywords(kind: &str) -> Vec<&'static str> {
    vocabulary(Lang::Ja)
        .get(kind)
        .map(|words| words.keys().map(String::as_str).collect())
        .unwrap_or_default()
}

/// Test helper for each worded enum: the vocabulary words exactly `keywords` for `kind`.
#[cfg(test)]
pub(crate) fn assert_worded<const N: usize>(kind: &str, mut keywords: [&'static str; N]) {
    keywords.sort_unstable();
    assert_eq!(worded_keywords(kind), keywords, "the keywords of `{kind}`");
}

#[cfg(test)]
mod vocabulary_tests {
    use super::*;

    #[test]
    fn both_languages_word_the_same_keywords() {
        let keys = |lang| {
            vocabulary(lang)
                .iter()
                .map(|(kind, words)| (kind.clone(), words.keys().cloned().collect::<Vec<_>>()))
                .collect::<Vec<_>>()
        };
        for file in [
            include_str!("../templates/vocabulary.ja.toml"),
            include_str!("../templates/vocabulary.en.toml"),
        ] {
            toml::from_str::<Vocabulary>(file).expect("a vocabulary file parses");
        }
        assert_eq!(keys(Lang::Ja), keys(Lang::En));
        assert_eq!(
            keys(Lang::Ja)
                .iter()
                .map(|(k, _)| k.as_str())
                .collect::<Vec<_>>(),
            ["answer", "audience", "category", "change", "level", "role"]
        );
        assert!(vocabulary(Lang::Ja)
            .values()
            .chain(vocabulary(Lang::En).values())
            .flat_map(|words| words.values())
            .all(|w| !w.trim().is_empty()));
    }

    #[test]
    fn a_word_is_looked_up_and_falls_back_to_its_keyword() {
        assert_eq!(
            word("role", "example"),
            Localised {
                ja: "例示",
                en: Some("example")
            }
        );
        assert_eq!(word("role", "no-such").ja, "no-such");
    }
}

#[cfg(test)]
mod nfkc_tests {
    use super::*;

    #[test]
    fn fast_path_agrees_with_the_full_check() {
        for c in (0u32..0x10000).filter_map(char::from_u32) {
            if nfkc_stable(c) {
                let s = c.to_string();
                assert_eq!(
                    unicode_normalization::UnicodeNormalization::nfkc(s.as_str())
                        .collect::<String>(),
                    s,
                    "U+{:04X} changes under NFKC",
                    c as u32
                );
                assert_eq!(
                    unicode_normalization::char::canonical_combining_class(c),
                    0,
                    "U+{:04X} combines",
                    c as u32
                );
            }
        }
    }

    #[test]
    fn nfkc_borrows_normal_text_and_normalises_the_rest() {
        assert!(matches!(nfkc("認証 TLS"), std::borrow::Cow::Borrowed(_)));
        assert_eq!(nfkc("ＴＬＳ ｶﾞ①"), "TLS ガ1");
        assert!(!is_nfkc("ＴＬＳ"));
    }
}
