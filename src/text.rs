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
