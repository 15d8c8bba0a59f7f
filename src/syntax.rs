//! The grammar of the small languages inside the source: tags (`[text](role:id)`) and IDs.
//!
//! A leaf module: the loader, the lints, the renderers and the importer all read tags and
//! IDs, and none of them should reach into another stage to do it.

use serde::{Deserialize, Serialize};

use crate::text::Localised;

/// What a mention of a technology means in its sentence.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Example,
    Required,
    Prohibited,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Example, Role::Required, Role::Prohibited];

    pub fn keyword(self) -> &'static str {
        match self {
            Role::Example => "example",
            Role::Required => "required",
            Role::Prohibited => "prohibited",
        }
    }

    pub fn from_keyword(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.keyword() == s)
    }

    /// The role as readers see it (templates/vocabulary.*.toml).
    pub fn label(self) -> Localised<&'static str> {
        crate::text::word("role", self.keyword())
    }
}

/// A `YYYY-MM-DD` date (exactly that: no sign, no more digits).
pub fn parse_date(s: &str) -> Option<time::Date> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    (s.len() == 10 && s.as_bytes()[0].is_ascii_digit())
        .then(|| time::Date::parse(s, format).ok())
        .flatten()
}

/// The date a document records when its source gives none.
pub const UNDATED: time::Date = time::macros::date!(2000 - 01 - 01);

/// A date as `YYYY-MM-DD`.
pub fn format_date(date: time::Date) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    date.format(format).unwrap_or_default()
}

/// The day of `SOURCE_DATE_EPOCH` (seconds since 1970, UTC), the reproducible-builds
/// convention for "the time this was built", when it is set and valid.
pub fn source_date_epoch() -> Option<time::Date> {
    let secs = std::env::var("SOURCE_DATE_EPOCH")
        .ok()?
        .trim()
        .parse::<i64>()
        .ok()?;
    Some(time::OffsetDateTime::from_unix_timestamp(secs).ok()?.date())
}

/// An SP 800-63B authenticator assurance level: 1, 2 or 3, and nothing else. Registry
/// entries give one as a number (`aal = 2`), controls as a word (`assurance = "AAL2"`);
/// every output writes it as one of those two.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Aal(u8);

impl Aal {
    pub const ALL: [Aal; 3] = [Aal(1), Aal(2), Aal(3)];

    /// The level `n`, if SP 800-63B defines it.
    pub fn new(n: i64) -> Option<Aal> {
        Aal::ALL.into_iter().find(|a| i64::from(a.0) == n)
    }

    /// The level written as a word: `AAL2` (any case, spaces around it ignored).
    pub fn parse(word: &str) -> Option<Aal> {
        let word = word.trim();
        let digits = word
            .get(..3)
            .filter(|p| p.eq_ignore_ascii_case("aal"))
            .and_then(|_| word.get(3..))?;
        // One digit, so `AAL02` and `AAL+2` are not levels.
        (digits.len() == 1)
            .then(|| digits.parse::<i64>().ok().and_then(Aal::new))
            .flatten()
    }

    /// The number: 1, 2 or 3.
    pub fn get(self) -> u8 {
        self.0
    }

    /// For `#[serde(deserialize_with)]` on a registry field: an integer that is not a level
    /// reads as none, and the loader reports the key (a type error, such as a string, still
    /// fails the entry as before).
    pub fn lenient<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Aal>, D::Error> {
        let n: Option<i64> = serde::Deserialize::deserialize(d)?;
        Ok(n.and_then(Aal::new))
    }
}

/// `AAL2`.
impl std::fmt::Display for Aal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "AAL{}", self.0)
    }
}

/// As the number, where the registry has it.
impl serde::Serialize for Aal {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u8(self.0)
    }
}

/// An ID that matches the ID pattern ([`is_valid_id`]): a chapter's or a control's, read
/// from its heading. Only [`Id::parse`] makes one, so every such ID in the model can stand
/// in an anchor, an OSCAL id and a TOML key without another check. Whether it is also safe
/// as a file name (not `CON`, not too long) is G0007's finding, as for part and technology
/// IDs, which stay strings until that lint has passed.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Id(String);

impl Id {
    pub fn parse(text: &str) -> Option<Id> {
        is_valid_id(text).then(|| Id(text.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::ops::Deref for Id {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl std::borrow::Borrow<str> for Id {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Id {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl PartialEq<str> for Id {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for Id {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl PartialEq<String> for Id {
    fn eq(&self, other: &String) -> bool {
        &self.0 == other
    }
}

impl serde::Serialize for Id {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

/// The ID pattern: letters, digits, `.`, `_` and `-`, starting with a letter or digit.
pub fn is_valid_id(id: &str) -> bool {
    let mut chars = id.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

/// Why an ID cannot be used as a file name, if it cannot. IDs become page paths
/// (`chapters/C-4.md`, `technologies/fido2.md`), so beyond the ID pattern they must not be
/// names that file systems or the site reserve.
pub fn unsafe_as_file_name(id: &str) -> Option<&'static str> {
    if id.is_empty() {
        return Some("it is empty");
    }
    if id.chars().any(|c| matches!(c, '/' | '\\')) {
        return Some("it contains a path separator");
    }
    if id.contains("..") {
        return Some("it contains `..`");
    }
    if id.chars().any(char::is_control) {
        return Some("it contains a control character");
    }
    if !is_valid_id(id) {
        return Some(
            "IDs use ASCII letters, digits, `.`, `_` and `-`, starting with a letter or digit",
        );
    }
    if id.ends_with('.') {
        return Some("a name ending in `.` is changed by Windows file systems");
    }
    if id.len() > 100 {
        return Some("it is longer than 100 characters");
    }
    let stem = id.split('.').next().unwrap_or(id).to_ascii_lowercase();
    const DEVICES: &[&str] = &["con", "prn", "aux", "nul"];
    let device = DEVICES.contains(&stem.as_str())
        || ((stem.starts_with("com") || stem.starts_with("lpt"))
            && stem.len() == 4
            && stem.as_bytes()[3].is_ascii_digit());
    if device {
        return Some("it is a device name on Windows (CON, PRN, AUX, NUL, COM1-9, LPT1-9)");
    }
    // Pages the site writes itself in the directories IDs name files in.
    if matches!(
        stem.as_str(),
        "index" | "summary" | "readme" | "print" | "404" | "toc"
    ) {
        return Some("the site uses this name for a page of its own");
    }
    None
}

/// The link scheme of a parameter reference, `[text](param:ID)`.
pub const PARAM_SCHEME: &str = "param";

/// An item's ID from its label: the label in NFKC without punctuation and white space, so
/// `a.`, `(a)` and `ａ．` are `a`, and `①` is `1`. `None` when nothing is left or what is left
/// is not ID characters.
pub fn item_id(label: &str) -> Option<String> {
    use unicode_normalization::UnicodeNormalization;
    let id: String = label
        .nfkc()
        .filter(|c| !c.is_whitespace() && !matches!(c, '.' | '(' | ')' | '、' | '。' | ':'))
        .collect();
    (!id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))
    .then_some(id)
}

/// What a link destination says about tagging.
#[derive(Debug, PartialEq)]
pub enum TagParse<'a> {
    Tag(Role, &'a str),
    /// `param:ID`: a reference to a parameter of the control.
    Param(&'a str),
    /// `scheme:technology-id` where the scheme looks like a misspelt role.
    BadRole(&'a str, &'a str),
    NotATag,
}

/// Reads a link destination as a tag: `example:tls-client-auth`, `required:…`, `prohibited:…`.
pub fn parse_tag(dest: &str) -> TagParse<'_> {
    let Some((scheme, id)) = dest.split_once(':') else {
        return TagParse::NotATag;
    };
    if !is_valid_id(id) {
        return TagParse::NotATag;
    }
    if let Some(role) = Role::from_keyword(scheme) {
        return TagParse::Tag(role, id);
    }
    if scheme == PARAM_SCHEME {
        return TagParse::Param(id);
    }
    let lower = scheme.to_ascii_lowercase();
    let close = Role::ALL
        .iter()
        .any(|r| strsim::levenshtein(&lower, r.keyword()) <= 3 || lower == r.keyword());
    if close && scheme.chars().all(|c| c.is_ascii_alphabetic()) {
        TagParse::BadRole(scheme, id)
    } else {
        TagParse::NotATag
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_three_levels_are_assurance_levels() {
        assert_eq!(Aal::new(2).map(Aal::get), Some(2));
        assert_eq!(Aal::new(0), None);
        assert_eq!(Aal::new(4), None);
        assert_eq!(Aal::new(258), None);
        assert_eq!(Aal::parse(" aal3 "), Aal::new(3));
        assert_eq!(
            Aal::parse("AAL2").map(|a| a.to_string()).as_deref(),
            Some("AAL2")
        );
        for bad in [
            "AAL",
            "AAL4",
            "AAL02",
            "AAL+2",
            "2",
            "AAL 2",
            "ＡＡＬ２",
            "",
        ] {
            assert_eq!(Aal::parse(bad), None, "{bad}");
        }
        assert!(Aal::new(1) < Aal::new(3));
    }

    #[test]
    fn every_role_is_worded() {
        crate::text::assert_worded("role", Role::ALL.map(Role::keyword));
        assert_eq!(Role::Example.label().ja, "例示");
    }

    #[test]
    fn tags_parse() {
        assert_eq!(
            parse_tag("example:tls-client-auth"),
            TagParse::Tag(Role::Example, "tls-client-auth")
        );
        assert_eq!(
            parse_tag("requred:fido2"),
            TagParse::BadRole("requred", "fido2")
        );
        assert_eq!(
            parse_tag("Required:fido2"),
            TagParse::BadRole("Required", "fido2")
        );
        assert_eq!(parse_tag("https://example.org"), TagParse::NotATag);
        assert_eq!(parse_tag("mailto:a@b"), TagParse::NotATag);
        assert_eq!(parse_tag("#C-1.1"), TagParse::NotATag);
        assert_eq!(
            parse_tag("param:C-2.3_prm_1"),
            TagParse::Param("C-2.3_prm_1")
        );
    }

    #[test]
    fn item_ids_come_from_labels() {
        assert_eq!(item_id("a.").as_deref(), Some("a"));
        assert_eq!(item_id("(1)").as_deref(), Some("1"));
        assert_eq!(item_id("①").as_deref(), Some("1"));
        assert_eq!(item_id("ａ．").as_deref(), Some("a"));
        assert_eq!(item_id("ア"), None);
        assert_eq!(item_id("."), None);
    }

    #[test]
    fn file_names_refuse_paths_devices_and_our_pages() {
        for ok in [
            "C-4.6",
            "fido2",
            "tls-client-auth",
            "1-overview",
            "6.0-draft",
            "M-12.1",
        ] {
            assert_eq!(unsafe_as_file_name(ok), None, "{ok}");
        }
        for bad in [
            "../../../../x",
            "a/b",
            "a\\b",
            "a..b",
            "",
            "x\u{7}",
            "CON",
            "nul.txt",
            "COM1",
            "lpt9",
            "index",
            "SUMMARY",
            "trailing.",
            "日本語",
            ".hidden",
        ] {
            assert!(unsafe_as_file_name(bad).is_some(), "{bad:?} accepted");
        }
        assert!(unsafe_as_file_name(&"a".repeat(101)).is_some());
    }
}
