//! Text in the guideline's two languages: Japanese, which is authoritative, and English.
//!
//! A leaf module: the registry, the model, the applicability questions and the renderers all
//! hold bilingual text, and each of them reads these types from here.

use serde::{Deserialize, Serialize};

/// A value in Japanese (authoritative) and, when translated, English.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Localised<T> {
    pub ja: T,
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
