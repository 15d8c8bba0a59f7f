//! Vendor disclosures: a vendor's answer, control by control, to one edition of the
//! guideline (the JAHIS/JIRA 「製造業者/サービス事業者による医療情報セキュリティ開示書」 and the
//! MDS2 form do the same by hand). A disclosure is a TOML file:
//!
//! ```toml
//! [disclosure]
//! product = "Example PACS"
//! vendor = "Example Imaging K.K."
//! edition = "6.0-draft"
//! digest = "sha256:…"          # of the catalog.json it answers
//!
//! [answers."C-7.1"]
//! answer = "yes"                # yes, no, n/a, planned
//! technologies = ["fido2"]
//! note = { ja = "…", en = "…" }
//! ```
//!
//! This module reads the file with the span of every key and value (for findings in the
//! disclosure itself) and writes new ones (`init`); `check`, `migrate` and `render` are its
//! submodules.

pub mod check;
pub mod migrate;
pub mod render;

use std::ops::Range;
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::diagnostic::Diagnostic;
use crate::lint::g0601_malformed_disclosure as malformed;
use crate::model::{Guideline, Lang};
use crate::source::SourceFile;

/// What a vendor says of a control (or of one of its items).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Answer {
    Yes,
    No,
    #[serde(rename = "n/a")]
    NotApplicable,
    Planned,
}

impl Answer {
    pub const ALL: [Answer; 4] = [
        Answer::Yes,
        Answer::No,
        Answer::NotApplicable,
        Answer::Planned,
    ];

    pub fn keyword(self) -> &'static str {
        match self {
            Answer::Yes => "yes",
            Answer::No => "no",
            Answer::NotApplicable => "n/a",
            Answer::Planned => "planned",
        }
    }

    pub fn from_keyword(s: &str) -> Option<Answer> {
        Answer::ALL.into_iter().find(|a| a.keyword() == s)
    }

    /// The answer as the forms word it (templates/vocabulary.*.toml).
    pub fn label(self, lang: Lang) -> &'static str {
        crate::text::word("answer", self.keyword()).in_lang(lang)
    }
}

/// A value with the span it was written at in the disclosure.
#[derive(Debug, Clone, PartialEq)]
pub struct At<T> {
    pub value: T,
    pub span: Range<usize>,
}

/// One `[answers."ID"]` table.
#[derive(Debug, Clone)]
pub struct Entry {
    pub control: At<String>,
    /// `None` when the table leaves `answer` empty (`init` writes `answer = ""`) or absent.
    pub answer: Option<At<Answer>>,
    /// The span of the `answer` value, also when it is empty.
    pub answer_span: Range<usize>,
    pub by: Option<At<String>>,
    pub technologies: Vec<At<String>>,
    pub note_ja: Option<String>,
    pub note_en: Option<String>,
    /// Answers per statement item, by item path (`"2.1"`).
    pub items: Vec<(At<String>, Option<At<Answer>>)>,
    /// The vendor's values of the control's parameters, by parameter id.
    pub params: Vec<(At<String>, At<String>)>,
    /// Why `migrate` asks for this answer to be reviewed; removed once it is.
    pub review: Option<At<String>>,
    /// The whole table, for findings about it.
    pub span: Range<usize>,
}

/// A disclosure as read.
#[derive(Debug, Clone)]
pub struct Disclosure {
    pub file: SourceFile,
    pub product: Option<At<String>>,
    pub vendor: Option<At<String>>,
    pub edition: Option<At<String>>,
    pub digest: Option<At<String>>,
    pub date: Option<At<String>>,
    /// The preset of `applicability.toml` the disclosure answers, when not the whole guideline.
    pub preset: Option<At<String>>,
    pub entries: Vec<Entry>,
    /// The span of the `[disclosure]` header (or the file start), for findings about it.
    pub header: Range<usize>,
}

impl Disclosure {
    pub fn entry(&self, control: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.control.value == control)
    }
}

/// The digest a disclosure names: SHA-256 of the guideline's `catalog.json`, so an answer is
/// tied to the exact text it answers.
pub fn catalog_digest(g: &Guideline) -> String {
    let json = crate::render::catalog::to_json(&crate::render::catalog::build(g));
    let hash = Sha256::digest(json.as_bytes());
    let hex: String = hash.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

const HEADER_KEYS: &[&str] = &["product", "vendor", "edition", "digest", "date", "preset"];
const ENTRY_KEYS: &[&str] = &[
    "answer",
    "by",
    "technologies",
    "note",
    "items",
    "params",
    "review",
];

/// Reads a disclosure. Findings about its form (G0601) come back beside what could be read.
pub fn parse(path: &Path, text: String) -> (Disclosure, Vec<Diagnostic>) {
    let file = SourceFile::new(path.to_path_buf(), path.to_path_buf(), text);
    let mut diags = Vec::new();
    let mut d = Disclosure {
        product: None,
        vendor: None,
        edition: None,
        digest: None,
        date: None,
        preset: None,
        entries: Vec::new(),
        header: 0..0,
        file: file.clone(),
    };
    let table = match toml::de::DeTable::parse(&file.text) {
        Ok(t) => t,
        Err(e) => {
            let span = e.span().unwrap_or(0..0);
            diags.push(
                malformed::LINT
                    .at(&file, span, format!("not TOML: {}", e.message().trim()))
                    .help("a disclosure is TOML; `guideline disclosure init` writes one to start from"),
            );
            return (d, diags);
        }
    };
    let bad = |diags: &mut Vec<Diagnostic>, span: Range<usize>, what: String, help: &str| {
        diags.push(malformed::LINT.at(&file, span, what).help(help.to_string()));
    };
    let unknown = |diags: &mut Vec<Diagnostic>, key: &str, span: Range<usize>, known: &[&str]| {
        let help = match crate::diagnostic::nearest(key, known) {
            Some(n) => format!("did you mean `{n}`?"),
            None => format!("the keys here are {}", known.join(", ")),
        };
        diags.push(
            malformed::LINT
                .at(&file, span, format!("unknown key `{key}`"))
                .help(help),
        );
    };
    for (key, value) in table.get_ref() {
        match key.get_ref().as_ref() {
            "disclosure" => {
                d.header = key.span();
                let toml::de::DeValue::Table(header) = value.get_ref() else {
                    bad(
                        &mut diags,
                        value.span(),
                        "`disclosure` is not a table".into(),
                        "write `[disclosure]` with product, vendor, edition and digest",
                    );
                    continue;
                };
                for (k, v) in header {
                    let slot = match k.get_ref().as_ref() {
                        "product" => &mut d.product,
                        "vendor" => &mut d.vendor,
                        "edition" => &mut d.edition,
                        "digest" => &mut d.digest,
                        "date" => &mut d.date,
                        "preset" => &mut d.preset,
                        other => {
                            unknown(&mut diags, other, k.span(), HEADER_KEYS);
                            continue;
                        }
                    };
                    match v.get_ref() {
                        toml::de::DeValue::String(s) => {
                            *slot = Some(At {
                                value: s.to_string(),
                                span: v.span(),
                            })
                        }
                        _ => bad(
                            &mut diags,
                            v.span(),
                            format!("`{}` is not a string", k.get_ref()),
                            "write it in double quotes",
                        ),
                    }
                }
            }
            "answers" => {
                let toml::de::DeValue::Table(answers) = value.get_ref() else {
                    bad(
                        &mut diags,
                        value.span(),
                        "`answers` is not a table".into(),
                        "write one `[answers.\"ID\"]` table per control",
                    );
                    continue;
                };
                for (k, v) in answers {
                    if let Some(e) = entry(&file, k, v, &mut diags) {
                        d.entries.push(e);
                    }
                }
            }
            other => unknown(&mut diags, other, key.span(), &["disclosure", "answers"]),
        }
    }
    if let Some(date) = &d.date {
        if parse_date(&date.value).is_none() {
            diags.push(
                malformed::LINT
                    .at(
                        &file,
                        date.span.clone(),
                        format!("`{}` is not a date", date.value),
                    )
                    .help("write the date of the answers as \"YYYY-MM-DD\""),
            );
            d.date = None;
        }
    }
    if d.header == (0..0) {
        diags.push(
            malformed::LINT
                .at(&file, 0..0, "no `[disclosure]` table")
                .help(
                "start the file with `[disclosure]` naming the product, vendor, edition and digest",
            ),
        );
    }
    (d, diags)
}

fn answer_of(
    file: &SourceFile,
    v: &toml::Spanned<toml::de::DeValue<'_>>,
    diags: &mut Vec<Diagnostic>,
) -> Option<At<Answer>> {
    let toml::de::DeValue::String(s) = v.get_ref() else {
        diags.push(
            malformed::LINT
                .at(file, v.span(), "an answer is a string")
                .help("write \"yes\", \"no\", \"n/a\" or \"planned\""),
        );
        return None;
    };
    if s.is_empty() {
        return None;
    }
    match Answer::from_keyword(s) {
        Some(a) => Some(At {
            value: a,
            span: v.span(),
        }),
        None => {
            let near = Answer::ALL
                .iter()
                .map(|a| a.keyword())
                .min_by_key(|k| strsim::levenshtein(k, &s.to_lowercase()))
                .unwrap_or("yes");
            diags.push(
                malformed::LINT
                    .at(file, v.span(), format!("`{s}` is not an answer"))
                    .help(format!(
                        "write \"yes\", \"no\", \"n/a\" or \"planned\" (did you mean \"{near}\"?)"
                    )),
            );
            None
        }
    }
}

fn string_of(
    file: &SourceFile,
    v: &toml::Spanned<toml::de::DeValue<'_>>,
    what: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<At<String>> {
    match v.get_ref() {
        toml::de::DeValue::String(s) => Some(At {
            value: s.to_string(),
            span: v.span(),
        }),
        _ => {
            diags.push(
                malformed::LINT
                    .at(file, v.span(), format!("`{what}` is not a string"))
                    .help("write it in double quotes"),
            );
            None
        }
    }
}

fn entry(
    file: &SourceFile,
    key: &toml::Spanned<toml::de::DeString<'_>>,
    value: &toml::Spanned<toml::de::DeValue<'_>>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Entry> {
    let toml::de::DeValue::Table(t) = value.get_ref() else {
        diags.push(
            malformed::LINT
                .at(
                    file,
                    value.span(),
                    format!("the answer for {} is not a table", key.get_ref()),
                )
                .help(format!(
                    "write `[answers.\"{}\"]` with `answer = \"yes\"` and the rest below it",
                    key.get_ref()
                )),
        );
        return None;
    };
    let mut e = Entry {
        control: At {
            value: key.get_ref().to_string(),
            span: key.span(),
        },
        answer: None,
        answer_span: key.span(),
        by: None,
        technologies: Vec::new(),
        note_ja: None,
        note_en: None,
        items: Vec::new(),
        params: Vec::new(),
        review: None,
        span: key.span().start..value.span().end.max(key.span().end),
    };
    for (k, v) in t {
        match k.get_ref().as_ref() {
            "answer" => {
                e.answer_span = v.span();
                e.answer = answer_of(file, v, diags);
            }
            "by" => {
                if let Some(by) = string_of(file, v, "by", diags) {
                    if parse_date(&by.value).is_none() {
                        diags.push(
                            malformed::LINT
                                .at(file, by.span.clone(), format!("`{}` is not a date", by.value))
                                .help("write the date as \"YYYY-MM-DD\""),
                        );
                    } else {
                        e.by = Some(by);
                    }
                }
            }
            "technologies" => match v.get_ref() {
                toml::de::DeValue::Array(list) => {
                    for item in list.iter() {
                        if let Some(s) = string_of(file, item, "technologies", diags) {
                            e.technologies.push(s);
                        }
                    }
                }
                _ => diags.push(
                    malformed::LINT
                        .at(file, v.span(), "`technologies` is not a list")
                        .help("write registry ids in a list: `technologies = [\"fido2\"]`"),
                ),
            },
            "note" => match v.get_ref() {
                toml::de::DeValue::String(s) => e.note_ja = Some(s.to_string()),
                toml::de::DeValue::Table(n) => {
                    for (lang, text) in n {
                        let s = string_of(file, text, "note", diags).map(|s| s.value);
                        match lang.get_ref().as_ref() {
                            "ja" => e.note_ja = s,
                            "en" => e.note_en = s,
                            other => diags.push(
                                malformed::LINT
                                    .at(file, lang.span(), format!("unknown key `{other}`"))
                                    .help("a note is a string, or `{ ja = \"…\", en = \"…\" }`"),
                            ),
                        }
                    }
                }
                _ => diags.push(
                    malformed::LINT
                        .at(file, v.span(), "`note` is not text")
                        .help("a note is a string, or `{ ja = \"…\", en = \"…\" }`"),
                ),
            },
            "items" => match v.get_ref() {
                toml::de::DeValue::Table(items) => {
                    for (id, a) in items {
                        let answer = answer_of(file, a, diags);
                        e.items.push((
                            At {
                                value: id.get_ref().to_string(),
                                span: id.span(),
                            },
                            answer,
                        ));
                    }
                }
                _ => diags.push(
                    malformed::LINT
                        .at(file, v.span(), "`items` is not a table")
                        .help("answer each item by its path: `items = { \"1\" = \"yes\", \"2\" = \"yes\" }`"),
                ),
            },
            "params" => match v.get_ref() {
                toml::de::DeValue::Table(params) => {
                    for (id, value) in params {
                        if let Some(s) = string_of(file, value, "params", diags) {
                            e.params.push((
                                At {
                                    value: id.get_ref().to_string(),
                                    span: id.span(),
                                },
                                s,
                            ));
                        }
                    }
                }
                _ => diags.push(
                    malformed::LINT
                        .at(file, v.span(), "`params` is not a table")
                        .help("give each parameter's value by its id: `params = { \"C-6.3_prm_1\" = \"every 90 days\" }`"),
                ),
            },
            "review" => e.review = string_of(file, v, "review", diags),
            other => {
                let help = match crate::diagnostic::nearest(other, ENTRY_KEYS) {
                    Some(n) => format!("did you mean `{n}`?"),
                    None => format!("the keys of an answer are {}", ENTRY_KEYS.join(", ")),
                };
                diags.push(
                    malformed::LINT
                        .at(file, k.span(), format!("unknown key `{other}`"))
                        .help(help),
                );
            }
        }
    }
    Some(e)
}

/// A TOML string literal.
pub(crate) fn toml_str(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// A TOML comment line: no newline can end it early.
pub(crate) fn comment(s: &str) -> String {
    s.split(['\n', '\r']).collect::<Vec<_>>().join(" ")
}

/// The header of a new disclosure for `g`.
pub(crate) fn header(
    g: &Guideline,
    product: &str,
    vendor: &str,
    date: &str,
    preset: Option<&str>,
) -> String {
    format!(
        "# Disclosure: a vendor's answer to each control of {} ({}).\n# Answers: \"yes\", \"no\", \"n/a\" or \"planned\" (with `by = \"YYYY-MM-DD\"`). See guideline/README.md.\n\n[disclosure]\nproduct = {}\nvendor = {}\nedition = {}\ndigest = {}\ndate = {}\n{}",
        comment(&g.manifest.title.ja),
        comment(&g.manifest.edition),
        toml_str(product),
        toml_str(vendor),
        toml_str(&g.manifest.edition),
        toml_str(&catalog_digest(g)),
        toml_str(date),
        preset.map(|p| format!("preset = {}\n", toml_str(p))).unwrap_or_default(),
    )
}

/// The table of one control, unanswered: every item and parameter listed to be answered.
pub(crate) fn blank_entry(k: &crate::model::Control) -> String {
    let mut s = format!(
        "\n# {} / {}\n[answers.{}]\nanswer = \"\"\n",
        comment(&k.title.ja),
        comment(k.title.en.as_deref().unwrap_or("")),
        toml_str(&k.id)
    );
    let items = k.statement.ja.all_items();
    if !items.is_empty() {
        let list: Vec<String> = items
            .iter()
            .map(|i| format!("{} = \"\"", toml_str(&i.id)))
            .collect();
        s.push_str(&format!("items = {{ {} }}\n", list.join(", ")));
    }
    if !k.params.is_empty() {
        let list: Vec<String> = k
            .params
            .iter()
            .map(|p| format!("{} = \"\"", toml_str(&p.id.value)))
            .collect();
        s.push_str(&format!("params = {{ {} }}\n", list.join(", ")));
    }
    s
}

/// `guideline disclosure init`: every control (or every control that applies to `answers`),
/// unanswered, titles as comments.
pub fn init(
    g: &Guideline,
    preset: Option<&crate::applicability::Preset>,
    product: &str,
    vendor: &str,
    date: &str,
) -> String {
    let mut out = header(g, product, vendor, date, preset.map(|p| p.id.as_str()));
    for (_, _, k) in g.controls() {
        if preset.is_some_and(|p| !k.applies.condition.eval(&p.answers)) {
            continue;
        }
        out.push_str(&blank_entry(k));
    }
    out
}

pub use crate::syntax::parse_date;

/// Today as `YYYY-MM-DD`: `SOURCE_DATE_EPOCH` when set (reproducible runs), else the clock.
pub fn today() -> String {
    let now = crate::syntax::source_date_epoch()
        .unwrap_or_else(|| time::OffsetDateTime::now_utc().date());
    crate::syntax::format_date(now)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_answer_is_worded() {
        crate::text::assert_worded("answer", Answer::ALL.map(Answer::keyword));
        assert_eq!(Answer::NotApplicable.label(Lang::Ja), "該当なし");
        assert_eq!(Answer::NotApplicable.label(Lang::En), "n/a");
    }
}
