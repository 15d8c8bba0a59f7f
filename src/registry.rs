//! The technology registry (`technologies.toml`): every technology the text may name, and
//! the matcher that finds their names in prose.
//!
//! Matching works on NFKC-normalised text with ASCII case folded, so full-width letters
//! (ＴＬＳ), half-width katakana (ｸﾗｲｱﾝﾄ) and case variants all match one alias. Matches are
//! leftmost-longest: 「TLSクライアント認証」 is one mention, not 「TLS」 plus a remainder.
//! An alias that begins or ends with an ASCII letter or digit must stand at a word boundary
//! there, so 「IKE」 does not match inside "like"; Japanese has no such boundaries.

use std::collections::BTreeMap;
use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, Input, MatchKind};
use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

use crate::text::Localised;

/// Kinds of technology; the lock-in lint compares technologies within one category.
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
#[serde(rename_all = "kebab-case")]
pub enum Category {
    Authentication,
    Transport,
    Network,
    Signature,
    Storage,
    Encryption,
    Detection,
    Backup,
    Architecture,
    Identity,
}

impl Category {
    pub const ALL: [Category; 10] = [
        Category::Authentication,
        Category::Transport,
        Category::Network,
        Category::Signature,
        Category::Storage,
        Category::Encryption,
        Category::Detection,
        Category::Backup,
        Category::Architecture,
        Category::Identity,
    ];

    /// The keyword of the registry format (`category = "…"`).
    pub fn keyword(self) -> &'static str {
        match self {
            Category::Authentication => "authentication",
            Category::Transport => "transport",
            Category::Network => "network",
            Category::Signature => "signature",
            Category::Storage => "storage",
            Category::Encryption => "encryption",
            Category::Detection => "detection",
            Category::Backup => "backup",
            Category::Architecture => "architecture",
            Category::Identity => "identity",
        }
    }

    /// The category as readers see it (templates/vocabulary.*.toml).
    pub fn label(self) -> Localised<&'static str> {
        crate::text::word("category", self.keyword())
    }
}

/// Whether a technology may still be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Current,
    Deprecated,
    Prohibited,
}

impl Status {
    /// The keyword of the registry format and of every machine-readable output.
    pub fn keyword(self) -> &'static str {
        match self {
            Status::Current => "current",
            Status::Deprecated => "deprecated",
            Status::Prohibited => "prohibited",
        }
    }
}

pub use crate::text::{Pair, PairList};

/// One registry entry.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Technology {
    pub id: String,
    pub name: Pair,
    #[serde(default)]
    pub aliases: PairList,
    pub category: Category,
    /// The highest NIST SP 800-63B authenticator assurance level (1-3) this technology can
    /// reach, where the notion applies.
    #[serde(default, deserialize_with = "crate::syntax::Aal::lenient")]
    pub aal: Option<crate::syntax::Aal>,
    /// With what the technology reaches `aal` (a memorised secret, user verification on
    /// the authenticator, validated hardware), in both languages.
    #[serde(default)]
    pub aal_condition: Option<Pair>,
    pub status: Status,
    /// The edition in which the status took effect.
    #[serde(default)]
    pub since: Option<String>,
    #[serde(default)]
    pub standards: Vec<String>,
    pub description: Pair,
    /// Phrases that contain one of the names but do not mean this technology
    /// (「多要素認証器」 is an authenticator, not multi-factor authentication): the matcher
    /// takes them as it takes names, longest first, and reports no mention for them.
    #[serde(default)]
    pub not_mentions: Vec<String>,
    /// Byte range of the entry in `technologies.toml`.
    #[serde(skip)]
    pub span: Range<usize>,
    /// Byte range of the entry's `id` key, where findings about the ID point.
    #[serde(skip)]
    pub id_span: Range<usize>,
}

impl Technology {
    /// Every name this technology may appear under, in both languages.
    pub fn all_names(&self) -> impl Iterator<Item = &str> {
        [self.name.ja.as_str(), self.name.en.as_str()]
            .into_iter()
            .chain(self.aliases.ja.iter().map(String::as_str))
            .chain(self.aliases.en.iter().map(String::as_str))
    }
}

/// The registry, in file order, with a name matcher.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    pub technologies: Vec<Technology>,
    by_id: BTreeMap<String, usize>,
    matcher: Option<NameMatcher>,
}

impl Registry {
    /// Builds a registry; returns it with the aliases that were dropped because an earlier
    /// technology already claims them (entry index, alias, owner id).
    pub fn new(technologies: Vec<Technology>) -> (Self, Vec<(usize, String, String)>) {
        Self::for_text(technologies, 0)
    }

    /// [`Registry::new`] with a matcher chosen for about `text_bytes` of text to search.
    ///
    /// Building a DFA over a registry's ~200 names costs more than searching a whole
    /// guideline with the contiguous NFA (it was 40% of `check`'s instructions), while on
    /// tens of megabytes the DFA's faster search wins; the threshold sits where the two
    /// costs meet on the shipped registry (measured by `cargo bench --bench check`). Below
    /// a megabyte, even the contiguous NFA's construction (about 1.2 ms for the shipped
    /// registry's 338 needles, 15% of checking edition 5.2) costs more than it saves, and
    /// the needles are found through an index of their first characters ([`FirstChar`]).
    pub fn for_text(
        technologies: Vec<Technology>,
        text_bytes: usize,
    ) -> (Self, Vec<(usize, String, String)>) {
        let mut by_id = BTreeMap::new();
        for (i, t) in technologies.iter().enumerate() {
            by_id.entry(t.id.clone()).or_insert(i);
        }
        let kind = if text_bytes >= DFA_FROM_BYTES {
            Some(aho_corasick::AhoCorasickKind::DFA)
        } else if text_bytes >= AHO_CORASICK_FROM_BYTES {
            Some(aho_corasick::AhoCorasickKind::ContiguousNFA)
        } else {
            None
        };
        let (matcher, clashes) = NameMatcher::new(&technologies, kind);
        (
            Registry {
                technologies,
                by_id,
                matcher: Some(matcher),
            },
            clashes,
        )
    }

    pub fn get(&self, id: &str) -> Option<&Technology> {
        self.by_id.get(id).map(|&i| &self.technologies[i])
    }

    /// Finds technology names in `text`; yields (byte range in `text`, technology index).
    pub fn find_names(&self, text: &str) -> Vec<(Range<usize>, usize)> {
        self.scan(text)
            .into_iter()
            .filter(|h| h.not_mention.is_none())
            .map(|h| (h.span, h.technology))
            .collect()
    }

    /// Finds names and not-mention phrases in `text`, leftmost-longest, in text order.
    pub fn scan(&self, text: &str) -> Vec<NameHit> {
        match &self.matcher {
            Some(m) => m.find(text),
            None => Vec::new(),
        }
    }
}

/// One match of the name matcher.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameHit {
    /// Byte range in the text searched.
    pub span: Range<usize>,
    /// Index of the technology in the registry.
    pub technology: usize,
    /// For a phrase of the technology's `not_mentions`, its index there: not a mention.
    pub not_mention: Option<usize>,
}

/// One needle of the automaton.
#[derive(Debug, Clone, Copy)]
struct Pattern {
    technology: usize,
    /// The needle starts (ends) with an ASCII letter or digit, so it needs a word boundary.
    first: bool,
    last: bool,
    not_mention: Option<usize>,
}

/// From this much text on, the name matcher is a DFA (see [`Registry::for_text`]).
pub const DFA_FROM_BYTES: usize = 8_000_000;

/// From this much text on, the name matcher is an Aho-Corasick automaton (see
/// [`Registry::for_text`]).
pub const AHO_CORASICK_FROM_BYTES: usize = 1_000_000;

/// Every normalised alias, found leftmost-longest.
#[derive(Debug, Clone)]
struct NameMatcher {
    automaton: Automaton,
    /// Pattern index -> what the needle stands for.
    patterns: Vec<Pattern>,
}

/// How the needles are searched; both find the same matches (a unit test compares them).
#[derive(Debug, Clone)]
enum Automaton {
    FirstChar(FirstChar),
    AhoCorasick(AhoCorasick),
}

impl Automaton {
    /// The leftmost-longest match in `hay[at..]`, ASCII case folded: (pattern, start, end).
    fn find(&self, hay: &str, at: usize) -> Option<(usize, usize, usize)> {
        match self {
            Automaton::FirstChar(index) => index.find(hay, at),
            Automaton::AhoCorasick(automaton) => automaton
                .find(Input::new(hay).span(at..hay.len()))
                .map(|m| (m.pattern().as_usize(), m.start(), m.end())),
        }
    }
}

/// The needles indexed by their first character (ASCII case folded), longest first: a
/// search tries, at each character of the text, the needles that start with it. Built in
/// microseconds; on a guideline's few hundred kilobytes it searches about as fast as an
/// Aho-Corasick automaton, which takes a millisecond to build.
#[derive(Debug, Clone)]
struct FirstChar {
    /// The needles with ASCII lower-cased, so that a comparison folds the text's side only.
    needles: Vec<String>,
    /// Needle indices grouped by first character, each group longest first (and in pattern
    /// order among equal lengths, as Aho-Corasick reports them).
    order: Vec<u32>,
    /// Each group, sorted by first character: the character, its range of `order`, and the
    /// [`FirstChar::second_bit`]s of the characters that follow it in the group's needles.
    groups: Vec<(char, Range<u32>, u64)>,
    /// One bit per `first character % 4096`: most characters of a text start no needle.
    seen: Vec<u64>,
}

impl FirstChar {
    fn new(needles: &[String]) -> Self {
        let needles: Vec<String> = needles.iter().map(|n| n.to_ascii_lowercase()).collect();
        let first = |i: u32| needles[i as usize].chars().next();
        let mut order: Vec<u32> = (0..needles.len() as u32)
            .filter(|&i| first(i).is_some())
            .collect();
        order.sort_by_key(|&i| (first(i), std::cmp::Reverse(needles[i as usize].len()), i));
        let mut groups = Vec::new();
        let mut seen = vec![0u64; 64];
        let mut start = 0;
        for group in order.chunk_by(|&a, &b| first(a) == first(b)) {
            let key = first(group[0]).expect("needles in order are not empty");
            let seconds = group
                .iter()
                .map(|&i| match needles[i as usize].chars().nth(1) {
                    Some(c) => Self::second_bit(c),
                    // A needle of one character matches whatever follows.
                    None => u64::MAX,
                })
                .fold(0, |all, bit| all | bit);
            let end = start + group.len() as u32;
            groups.push((key, start..end, seconds));
            seen[(key as usize % 4096) / 64] |= 1 << (key as u32 % 64);
            start = end;
        }
        FirstChar {
            needles,
            order,
            groups,
            seen,
        }
    }

    /// A character (ASCII case folded) as one bit of 64: a group's bits for the characters
    /// that follow its first one rule it out, without comparing a needle, where the text
    /// goes on with another.
    fn second_bit(c: char) -> u64 {
        1 << (u32::from(c.to_ascii_lowercase()) % 64)
    }

    /// The needles that start with `c` (lower-cased), longest first, and the bits of the
    /// characters that follow it in them ([`FirstChar::second_bit`]).
    fn starting_with(&self, c: char) -> (&[u32], u64) {
        if self.seen[(c as usize % 4096) / 64] & (1 << (c as u32 % 64)) == 0 {
            return (&[], 0);
        }
        match self.groups.binary_search_by_key(&c, |g| g.0) {
            Ok(at) => {
                let (_, range, seconds) = &self.groups[at];
                (
                    &self.order[range.start as usize..range.end as usize],
                    *seconds,
                )
            }
            Err(_) => (&[], 0),
        }
    }

    /// The leftmost-longest match from `at`, except that positions inside an ASCII word are
    /// skipped: a needle that starts there starts with a letter or digit, so it needs a word
    /// boundary before it, and [`NameMatcher::find`] would drop it and go on from the next
    /// character, as this does (the result of that search is the same).
    fn find(&self, hay: &str, at: usize) -> Option<(usize, usize, usize)> {
        let bytes = hay.as_bytes();
        for (offset, c) in hay[at..].char_indices() {
            let start = at + offset;
            if c.is_ascii_alphanumeric() && start > 0 && bytes[start - 1].is_ascii_alphanumeric() {
                continue;
            }
            // The first character is the one the needles are found by: compare the rest.
            let rest = start + c.len_utf8();
            let (group, seconds) = self.starting_with(c.to_ascii_lowercase());
            if group.is_empty() {
                continue;
            }
            if let Some(next) = hay[rest..].chars().next() {
                if seconds & Self::second_bit(next) == 0 {
                    continue;
                }
            }
            for &i in group {
                let needle = self.needles[i as usize].as_bytes();
                let end = start + needle.len();
                let Some(here) = bytes.get(rest..end) else {
                    continue;
                };
                if here
                    .iter()
                    .zip(&needle[rest - start..])
                    .all(|(h, n)| h.to_ascii_lowercase() == *n)
                {
                    return Some((i as usize, start, end));
                }
            }
        }
        None
    }
}

impl NameMatcher {
    /// A matcher over the technologies' names, searched by `kind` (by [`FirstChar`] where
    /// `None`).
    fn new(
        technologies: &[Technology],
        kind: Option<aho_corasick::AhoCorasickKind>,
    ) -> (Self, Vec<(usize, String, String)>) {
        let mut seen: BTreeMap<String, usize> = BTreeMap::new();
        let mut clashes = Vec::new();
        let mut needles = Vec::new();
        let mut patterns = Vec::new();
        let names = technologies.iter().enumerate().flat_map(|(i, t)| {
            t.all_names().map(move |n| (i, n, None)).chain(
                t.not_mentions
                    .iter()
                    .enumerate()
                    .map(move |(k, n)| (i, n.as_str(), Some(k))),
            )
        });
        for (i, name, not_mention) in names {
            let key = normalise_name(name);
            if key.is_empty() {
                continue;
            }
            match seen.get(&key) {
                Some(&owner) if owner == i && not_mention.is_none() => continue,
                Some(&owner) => {
                    clashes.push((i, name.to_string(), technologies[owner].id.clone()));
                    continue;
                }
                None => {}
            }
            seen.insert(key.clone(), i);
            let first = key
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphanumeric());
            let last = key
                .chars()
                .last()
                .is_some_and(|c| c.is_ascii_alphanumeric());
            patterns.push(Pattern {
                technology: i,
                first,
                last,
                not_mention,
            });
            needles.push(key);
        }
        let automaton = match kind {
            None => Automaton::FirstChar(FirstChar::new(&needles)),
            Some(kind) => Automaton::AhoCorasick(
                AhoCorasickBuilder::new()
                    .kind(Some(kind))
                    .match_kind(MatchKind::LeftmostLongest)
                    .ascii_case_insensitive(true)
                    .build(&needles)
                    .expect("alias automaton builds"),
            ),
        };
        (
            NameMatcher {
                automaton,
                patterns,
            },
            clashes,
        )
    }

    fn find(&self, text: &str) -> Vec<NameHit> {
        let normalised = Normalised::new(text);
        let hay = normalised.text.as_ref();
        let bytes = hay.as_bytes();
        let mut found = Vec::new();
        let mut at = 0;
        while at < hay.len() {
            let Some((pattern, start, end)) = self.automaton.find(hay, at) else {
                break;
            };
            let p = self.patterns[pattern];
            let boundary_ok = (!p.first || start == 0 || !bytes[start - 1].is_ascii_alphanumeric())
                && (!p.last || end == hay.len() || !bytes[end].is_ascii_alphanumeric());
            if boundary_ok {
                found.push(NameHit {
                    span: normalised.original(start)..normalised.original(end),
                    technology: p.technology,
                    not_mention: p.not_mention,
                });
                at = end;
            } else {
                at = start + hay[start..].chars().next().map_or(1, char::len_utf8);
            }
        }
        found
    }
}

/// How an alias is compared: NFKC, with the surrounding white space dropped.
pub fn normalise_name(name: &str) -> String {
    // NFKC leaves ASCII as it is.
    if name.is_ascii() {
        return name.trim().to_string();
    }
    name.nfkc().collect::<String>().trim().to_string()
}

/// NFKC-normalised text that remembers where each normalised byte came from.
struct Normalised<'a> {
    text: std::borrow::Cow<'a, str>,
    /// (normalised offset, original offset) at the start of each normalised chunk; empty
    /// when the text was already normal and offsets are the identity.
    map: Vec<(usize, usize)>,
    original_len: usize,
}

impl<'a> Normalised<'a> {
    fn new(text: &'a str) -> Self {
        if crate::text::is_nfkc(text) {
            return Normalised {
                text: text.into(),
                map: Vec::new(),
                original_len: text.len(),
            };
        }
        // Normalise chunk by chunk (a base character with the marks that follow it, such as
        // the half-width voiced sound mark), so every output byte maps to a chunk start.
        let mut out = String::with_capacity(text.len());
        let mut map = Vec::new();
        let mut iter = text.char_indices().peekable();
        while let Some((start, _)) = iter.next() {
            while let Some(&(_, next)) = iter.peek() {
                if joins_previous(next) {
                    iter.next();
                } else {
                    break;
                }
            }
            let end = iter.peek().map_or(text.len(), |&(i, _)| i);
            map.push((out.len(), start));
            out.extend(text[start..end].nfkc());
        }
        Normalised {
            text: out.into(),
            map,
            original_len: text.len(),
        }
    }

    /// The original byte offset of a normalised offset that starts or ends a match.
    fn original(&self, offset: usize) -> usize {
        if self.map.is_empty() {
            return offset;
        }
        if offset >= self.text.len() {
            return self.original_len;
        }
        let i = self.map.partition_point(|&(n, _)| n <= offset) - 1;
        self.map[i].1
    }
}

fn joins_previous(c: char) -> bool {
    matches!(c, '\u{FF9E}' | '\u{FF9F}' | '\u{3099}' | '\u{309A}')
        || unicode_normalization::char::is_combining_mark(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_category_is_worded_and_keyed_as_serde_reads_it() {
        crate::text::assert_worded("category", Category::ALL.map(Category::keyword));
        for c in Category::ALL {
            let read: Category = serde_json::from_str(&format!("\"{}\"", c.keyword())).unwrap();
            assert_eq!(read, c);
        }
        assert_eq!(Category::Signature.label().ja, "電子署名・タイムスタンプ");
    }

    fn tech(id: &str, ja: &str, en: &str, aliases_en: &[&str]) -> Technology {
        Technology {
            id: id.into(),
            name: Pair {
                ja: ja.into(),
                en: en.into(),
            },
            aliases: PairList {
                ja: vec![],
                en: aliases_en.iter().map(|s| s.to_string()).collect(),
            },
            category: Category::Authentication,
            aal: None,
            status: Status::Current,
            since: None,
            standards: vec![],
            description: Pair::default(),
            not_mentions: vec![],
            aal_condition: None,
            span: 0..0,
            id_span: 0..0,
        }
    }

    fn registry() -> Registry {
        Registry::new(vec![
            tech("tls", "TLS", "TLS", &[]),
            tech(
                "tls-client-auth",
                "TLSクライアント認証",
                "TLS client authentication",
                &[],
            ),
            tech("ike", "IKE", "IKE", &[]),
            tech("ic-card", "ICカード", "IC card", &[]),
        ])
        .0
    }

    fn names(text: &str) -> Vec<(&str, String)> {
        let r = registry();
        r.find_names(text)
            .into_iter()
            .map(|(span, t)| (&text[span], r.technologies[t].id.clone()))
            .collect()
    }

    #[test]
    fn leftmost_longest_in_japanese() {
        assert_eq!(
            names("通信はTLSクライアント認証で保護し、TLSも使う"),
            [
                ("TLSクライアント認証", "tls-client-auth".to_string()),
                ("TLS", "tls".to_string())
            ]
        );
    }

    #[test]
    fn full_width_letters_and_half_width_kana() {
        assert_eq!(
            names("ＴＬＳｸﾗｲｱﾝﾄ認証"),
            [("ＴＬＳｸﾗｲｱﾝﾄ認証", "tls-client-auth".to_string())]
        );
        assert_eq!(names("ＩＣｶｰﾄﾞを使う"), [("ＩＣｶｰﾄﾞ", "ic-card".to_string())]);
    }

    #[test]
    fn english_needs_word_boundaries() {
        assert_eq!(names("we like IKE and TLSv"), [("IKE", "ike".to_string())]);
        assert_eq!(
            names("tls client authentication."),
            [("tls client authentication", "tls-client-auth".to_string())]
        );
    }

    #[test]
    fn not_mention_phrases_win_as_the_longer_match() {
        let mut mfa = tech("mfa", "多要素認証", "multi-factor authentication", &[]);
        mfa.not_mentions = vec!["多要素認証器".into(), "multi-factor authenticator".into()];
        let r = Registry::new(vec![mfa]).0;
        let text = "多要素認証器を使った多要素認証。A multi-factor authenticator gives multi-factor authentication.";
        let hits = r.scan(text);
        let shown: Vec<_> = hits
            .iter()
            .map(|h| (&text[h.span.clone()], h.not_mention))
            .collect();
        assert_eq!(
            shown,
            [
                ("多要素認証器", Some(0)),
                ("多要素認証", None),
                ("multi-factor authenticator", Some(1)),
                ("multi-factor authentication", None),
            ]
        );
        assert_eq!(r.find_names(text).len(), 2);
        // Full-width and half-width forms of the phrase are the phrase too.
        assert!(r.find_names("ﾏﾙﾁ 多要素認証器").is_empty());
    }

    /// The first-character index finds exactly what Aho-Corasick finds (the second
    /// implementation), over every file of the shipped guideline and of edition 5.2, and over
    /// texts of names glued together, cut short, re-cased and run into letters and digits,
    /// where leftmost-longest and the word boundaries decide.
    #[test]
    fn the_first_character_index_finds_what_aho_corasick_finds() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("guideline");
        let g = crate::load::load_dir(&root)
            .expect("shipped guideline")
            .guideline
            .expect("loads");
        let technologies = g.registry.technologies.clone();
        let (index, _) = NameMatcher::new(&technologies, None);
        let (aho, _) = NameMatcher::new(
            &technologies,
            Some(aho_corasick::AhoCorasickKind::ContiguousNFA),
        );
        assert!(matches!(index.automaton, Automaton::FirstChar(_)));
        let mut texts: Vec<String> = std::iter::once(&g)
            .chain(g.earlier.values().map(|e| &e.guideline))
            .flat_map(|g| g.sources.iter().map(|(_, f)| f.text.clone()))
            .collect();
        assert!(texts.len() > 90, "{} files", texts.len());
        let names: Vec<String> = technologies
            .iter()
            .flat_map(|t| {
                t.all_names()
                    .map(str::to_string)
                    .chain(t.not_mentions.clone())
            })
            .collect();
        let glue = ["", " ", "a", "7", "の", "-", "Ｘ", "ｸﾞ", "\n"];
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        };
        for _ in 0..20_000 {
            let mut text = String::new();
            for _ in 0..1 + next(5) {
                let name = &names[next(names.len())];
                let name = match next(4) {
                    0 => name.to_ascii_uppercase(),
                    1 => name.to_ascii_lowercase(),
                    2 => {
                        let mut cut = name.clone();
                        cut.pop();
                        cut
                    }
                    _ => name.clone(),
                };
                text.push_str(glue[next(glue.len())]);
                text.push_str(&name);
            }
            text.push_str(glue[next(glue.len())]);
            texts.push(text);
        }
        let mut hits = 0;
        for text in &texts {
            let found = index.find(text);
            assert_eq!(found, aho.find(text), "in {text:?}");
            hits += found.len();
        }
        assert!(hits > 20_000, "{hits} hits");
    }

    #[test]
    fn clashing_alias_is_reported() {
        let (_, clashes) = Registry::new(vec![
            tech("a", "FIDO", "FIDO", &[]),
            tech("b", "ＦＩＤＯ", "x", &[]),
        ]);
        assert_eq!(clashes, [(1, "ＦＩＤＯ".to_string(), "a".to_string())]);
    }
}
