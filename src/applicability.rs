//! Which controls apply to a reader: the questions of `applicability.toml`, named presets
//! of answers, and the condition each control states in its `applies` metadata.
//!
//! A condition is a small boolean language over the answers, written in a TOML string:
//! `KEY = VALUE` and `KEY != VALUE`, combined with `not`, `and` and `or` (in that order of
//! precedence) and parentheses; `always` (or no `applies` at all) means every reader. KEY is
//! a question id; VALUE is `yes` or `no` for a yes/no question, or one of a choice's ids.
//! This module parses and evaluates conditions; it knows nothing of files (the loader maps
//! its byte offsets into the source).

use std::collections::BTreeMap;
use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::text::Pair;

/// The answers a reader gives: question id -> value id.
pub type Answers = BTreeMap<String, String>;

/// The file that holds the questions, beside `guideline.toml`.
pub const FILE: &str = "applicability.toml";

/// Everything `applicability.toml` declares.
#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct Applicability {
    #[serde(default, rename = "question")]
    pub questions: Vec<Question>,
    #[serde(default, rename = "preset")]
    pub presets: Vec<Preset>,
}

/// When a control applies, as its metadata states it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applies {
    pub condition: Condition,
    /// Where the condition's text starts in the control's (Japanese) file; `None` when the
    /// control has no `applies` key (it then applies always).
    pub text_start: Option<usize>,
}

impl Default for Applies {
    fn default() -> Self {
        Applies {
            condition: Condition::Always,
            text_start: None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum QuestionKind {
    YesNo,
    Choice,
}

#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
pub struct Question {
    /// Where the question's table is in `applicability.toml` (set by the loader).
    #[serde(skip)]
    pub span: Range<usize>,
    pub id: String,
    pub kind: QuestionKind,
    pub ja: String,
    pub en: String,
    #[serde(default)]
    pub help: Option<Pair>,
    /// The values of a choice question (empty for yes/no).
    #[serde(default, rename = "choice")]
    pub choices: Vec<Choice>,
}

#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
pub struct Choice {
    pub id: String,
    pub ja: String,
    pub en: String,
}

#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
pub struct Preset {
    /// Where the preset's table is in `applicability.toml` (set by the loader).
    #[serde(skip)]
    pub span: Range<usize>,
    pub id: String,
    pub ja: String,
    pub en: String,
    pub answers: Answers,
}

/// The values a yes/no question takes.
pub const YES_NO: [&str; 2] = ["yes", "no"];

impl Question {
    /// The values an answer to this question may take, in declared order.
    pub fn values(&self) -> Vec<&str> {
        match self.kind {
            QuestionKind::YesNo => YES_NO.to_vec(),
            QuestionKind::Choice => self.choices.iter().map(|c| c.id.as_str()).collect(),
        }
    }

    /// The label of a value in `ja` or `en` ("はい", "Clinic").
    pub fn value_label(&self, value: &str, english: bool) -> Option<String> {
        match self.kind {
            QuestionKind::YesNo => match value {
                "yes" => Some(if english { "Yes" } else { "はい" }.to_string()),
                "no" => Some(if english { "No" } else { "いいえ" }.to_string()),
                _ => None,
            },
            QuestionKind::Choice => self.choices.iter().find(|c| c.id == value).map(|c| {
                if english {
                    c.en.clone()
                } else {
                    c.ja.clone()
                }
            }),
        }
    }
}

impl Applicability {
    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.id == id)
    }

    pub fn preset(&self, id: &str) -> Option<&Preset> {
        self.presets.iter().find(|p| p.id == id)
    }

    /// Why `answers` is not a complete, valid set of answers, if it is not.
    pub fn check_answers(&self, answers: &Answers) -> Result<(), String> {
        for (key, value) in answers {
            let Some(q) = self.question(key) else {
                let known: Vec<&str> = self.questions.iter().map(|q| q.id.as_str()).collect();
                return Err(format!(
                    "no question `{key}`; the questions are {}",
                    known.join(", ")
                ));
            };
            if !q.values().contains(&value.as_str()) {
                return Err(format!(
                    "`{value}` is not an answer to `{key}`; answer one of {}",
                    q.values().join(", ")
                ));
            }
        }
        let missing: Vec<&str> = self
            .questions
            .iter()
            .filter(|q| !answers.contains_key(&q.id))
            .map(|q| q.id.as_str())
            .collect();
        if missing.is_empty() {
            Ok(())
        } else {
            Err(format!("no answer to {}", missing.join(", ")))
        }
    }

    /// Whether some complete set of answers makes `condition` true: every combination of
    /// the values of the questions it names is tried (a condition names a few questions).
    /// Questions it names that are not declared make it unreachable.
    pub fn reachable(&self, condition: &Condition) -> bool {
        let mut keys: Vec<&str> = condition.atoms().map(|a| a.key.as_str()).collect();
        keys.sort_unstable();
        keys.dedup();
        let mut domains = Vec::new();
        for key in &keys {
            match self.question(key) {
                Some(q) => domains.push(q.values()),
                None => return false,
            }
        }
        if domains.iter().any(Vec::is_empty) {
            return false;
        }
        let mut index = vec![0usize; keys.len()];
        loop {
            let answers: Answers = keys
                .iter()
                .zip(&index)
                .zip(&domains)
                .map(|((k, &i), d)| (k.to_string(), d[i].to_string()))
                .collect();
            if condition.eval(&answers) {
                return true;
            }
            // Next combination, like an odometer.
            let mut i = 0;
            loop {
                if i == index.len() {
                    return false;
                }
                index[i] += 1;
                if index[i] < domains[i].len() {
                    break;
                }
                index[i] = 0;
                i += 1;
            }
        }
    }
}

/// The answers of `--preset NAME` (if any) with each `KEY=VALUE` of `--answer` over them,
/// checked to be complete and valid.
pub fn answers_from(
    a: &Applicability,
    preset: Option<&str>,
    given: &[String],
) -> Result<Answers, String> {
    let mut answers = match preset {
        None => Answers::new(),
        Some(name) => match a.preset(name) {
            Some(p) => p.answers.clone(),
            None => {
                let known: Vec<&str> = a.presets.iter().map(|p| p.id.as_str()).collect();
                return Err(format!(
                    "no preset `{name}`; the presets are {}",
                    known.join(", ")
                ));
            }
        },
    };
    for pair in given {
        let Some((key, value)) = pair.split_once('=') else {
            return Err(format!(
                "`{pair}` is not KEY=VALUE (for example internet=yes)"
            ));
        };
        answers.insert(key.trim().to_string(), value.trim().to_string());
    }
    a.check_answers(&answers)?;
    Ok(answers)
}

/// `KEY = VALUE` or `KEY != VALUE`, with the byte ranges of key and value in the
/// condition's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Atom {
    pub key: String,
    pub value: String,
    pub negated: bool,
    pub key_span: Range<usize>,
    pub value_span: Range<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Condition {
    Always,
    Is(Atom),
    Not(Box<Condition>),
    And(Vec<Condition>),
    Or(Vec<Condition>),
}

impl Condition {
    /// Whether the condition holds for `answers`. A question left unanswered matches no
    /// `=` and every `!=`.
    pub fn eval(&self, answers: &Answers) -> bool {
        match self {
            Condition::Always => true,
            Condition::Is(a) => {
                let equal = answers.get(&a.key).is_some_and(|v| *v == a.value);
                equal != a.negated
            }
            Condition::Not(c) => !c.eval(answers),
            Condition::And(cs) => cs.iter().all(|c| c.eval(answers)),
            Condition::Or(cs) => cs.iter().any(|c| c.eval(answers)),
        }
    }

    /// Every comparison in the condition, in text order.
    pub fn atoms(&self) -> Box<dyn Iterator<Item = &Atom> + '_> {
        match self {
            Condition::Always => Box::new(std::iter::empty()),
            Condition::Is(a) => Box::new(std::iter::once(a)),
            Condition::Not(c) => c.atoms(),
            Condition::And(cs) | Condition::Or(cs) => Box::new(cs.iter().flat_map(|c| c.atoms())),
        }
    }

    /// The condition written back in the source syntax (for the catalog).
    pub fn to_source(&self) -> String {
        fn go(c: &Condition, parent: u8, out: &mut String) {
            // Precedence: or 1, and 2, not 3.
            match c {
                Condition::Always => out.push_str("always"),
                Condition::Is(a) => {
                    let op = if a.negated { "!=" } else { "=" };
                    out.push_str(&format!("{} {op} {}", a.key, a.value));
                }
                Condition::Not(inner) => {
                    out.push_str("not ");
                    go(inner, 3, out);
                }
                Condition::And(cs) | Condition::Or(cs) => {
                    let (level, word) = if matches!(c, Condition::And(_)) {
                        (2, " and ")
                    } else {
                        (1, " or ")
                    };
                    if parent > level {
                        out.push('(');
                    }
                    for (i, x) in cs.iter().enumerate() {
                        if i > 0 {
                            out.push_str(word);
                        }
                        go(x, level, out);
                    }
                    if parent > level {
                        out.push(')');
                    }
                }
            }
        }
        let mut out = String::new();
        go(self, 0, &mut out);
        out
    }
}

/// A condition that does not parse: where (byte range in its text) and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub span: Range<usize>,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Word(String),
    Eq,
    NotEq,
    Open,
    Close,
}

fn tokens(text: &str) -> Result<Vec<(Token, Range<usize>)>, ParseError> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        match c {
            b' ' | b'\t' | b'\n' | b'\r' => i += 1,
            b'(' => {
                out.push((Token::Open, i..i + 1));
                i += 1;
            }
            b')' => {
                out.push((Token::Close, i..i + 1));
                i += 1;
            }
            b'=' => {
                // `==` is read as `=`, the way a programmer might write it.
                let len = if bytes.get(i + 1) == Some(&b'=') {
                    2
                } else {
                    1
                };
                out.push((Token::Eq, i..i + len));
                i += len;
            }
            b'!' if bytes.get(i + 1) == Some(&b'=') => {
                out.push((Token::NotEq, i..i + 2));
                i += 2;
            }
            c if c.is_ascii_alphanumeric() || c == b'_' || c == b'-' => {
                let start = i;
                while i < bytes.len()
                    && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_' || bytes[i] == b'-')
                {
                    i += 1;
                }
                out.push((Token::Word(text[start..i].to_string()), start..i));
            }
            _ => {
                let ch = text[i..].chars().next().unwrap_or('?');
                return Err(ParseError {
                    span: i..i + ch.len_utf8(),
                    message: format!("`{ch}` cannot appear in a condition"),
                });
            }
        }
    }
    Ok(out)
}

/// Parses a condition (`always`, or comparisons joined by `and`, `or`, `not`, parentheses).
pub fn parse(text: &str) -> Result<Condition, ParseError> {
    let toks = tokens(text)?;
    if toks.is_empty() {
        return Err(ParseError {
            span: 0..text.len(),
            message: "the condition is empty".into(),
        });
    }
    if let [(Token::Word(w), _)] = toks.as_slice() {
        if w == "always" {
            return Ok(Condition::Always);
        }
    }
    let mut p = Parser {
        toks: &toks,
        at: 0,
        end: text.len(),
    };
    let c = p.or()?;
    if let Some((t, span)) = toks.get(p.at) {
        return Err(ParseError {
            span: span.clone(),
            message: format!(
                "unexpected {} after a complete condition; join conditions with `and` or `or`",
                describe(t)
            ),
        });
    }
    Ok(c)
}

fn describe(t: &Token) -> String {
    match t {
        Token::Word(w) => format!("`{w}`"),
        Token::Eq => "`=`".into(),
        Token::NotEq => "`!=`".into(),
        Token::Open => "`(`".into(),
        Token::Close => "`)`".into(),
    }
}

fn is_keyword(w: &str) -> bool {
    matches!(w, "and" | "or" | "not" | "always")
}

struct Parser<'a> {
    toks: &'a [(Token, Range<usize>)],
    at: usize,
    end: usize,
}

impl Parser<'_> {
    fn peek_word(&self, word: &str) -> bool {
        matches!(self.toks.get(self.at), Some((Token::Word(w), _)) if w == word)
    }

    fn or(&mut self) -> Result<Condition, ParseError> {
        self.joined("or", Self::and, Condition::Or)
    }

    fn and(&mut self) -> Result<Condition, ParseError> {
        self.joined("and", Self::not, Condition::And)
    }

    /// Operands of `next` joined by `word`; a single operand stands alone.
    fn joined(
        &mut self,
        word: &str,
        next: fn(&mut Self) -> Result<Condition, ParseError>,
        all: fn(Vec<Condition>) -> Condition,
    ) -> Result<Condition, ParseError> {
        let mut items = vec![next(self)?];
        while self.peek_word(word) {
            self.at += 1;
            items.push(next(self)?);
        }
        Ok(if items.len() == 1 {
            items.remove(0)
        } else {
            all(items)
        })
    }

    fn not(&mut self) -> Result<Condition, ParseError> {
        if self.peek_word("not") {
            self.at += 1;
            return Ok(Condition::Not(Box::new(self.not()?)));
        }
        self.atom()
    }

    fn missing(&self, what: &str) -> ParseError {
        match self.toks.get(self.at) {
            Some((t, span)) => ParseError {
                span: span.clone(),
                message: format!("expected {what}, found {}", describe(t)),
            },
            None => ParseError {
                span: self.end..self.end,
                message: format!("the condition ends where {what} should follow"),
            },
        }
    }

    fn atom(&mut self) -> Result<Condition, ParseError> {
        match self.toks.get(self.at) {
            Some((Token::Open, open)) => {
                let open = open.clone();
                self.at += 1;
                let c = self.or()?;
                match self.toks.get(self.at) {
                    Some((Token::Close, _)) => {
                        self.at += 1;
                        Ok(c)
                    }
                    _ => Err(ParseError {
                        span: open,
                        message: "this `(` is never closed".into(),
                    }),
                }
            }
            Some((Token::Word(key), key_span)) if !is_keyword(key) => {
                let (key, key_span) = (key.clone(), key_span.clone());
                self.at += 1;
                let negated = match self.toks.get(self.at) {
                    Some((Token::Eq, _)) => false,
                    Some((Token::NotEq, _)) => true,
                    _ => return Err(self.missing("`=` or `!=` after the question")),
                };
                self.at += 1;
                match self.toks.get(self.at) {
                    Some((Token::Word(value), value_span)) if !is_keyword(value) => {
                        self.at += 1;
                        Ok(Condition::Is(Atom {
                            key,
                            value: value.clone(),
                            negated,
                            key_span,
                            value_span: value_span.clone(),
                        }))
                    }
                    _ => Err(self.missing("an answer (`yes`, `no` or a choice)")),
                }
            }
            _ => Err(self.missing("a question id or `(`")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answers(pairs: &[(&str, &str)]) -> Answers {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn precedence_is_not_and_or() {
        let c = parse("a = yes or b = yes and not c = yes").unwrap();
        assert_eq!(c.to_source(), "a = yes or b = yes and not c = yes");
        assert!(c.eval(&answers(&[("a", "yes"), ("b", "no"), ("c", "yes")])));
        assert!(c.eval(&answers(&[("a", "no"), ("b", "yes"), ("c", "no")])));
        assert!(!c.eval(&answers(&[("a", "no"), ("b", "yes"), ("c", "yes")])));
        let p = parse("(a = yes or b = yes) and c != no").unwrap();
        assert_eq!(p.to_source(), "(a = yes or b = yes) and c != no");
        assert!(!p.eval(&answers(&[("a", "yes"), ("c", "no")])));
        assert_eq!(parse("always").unwrap(), Condition::Always);
    }

    #[test]
    fn errors_say_where_and_what() {
        let e = parse("internet = yes and").unwrap_err();
        assert_eq!(e.span, 18..18);
        assert!(e.message.contains("ends"), "{}", e.message);
        let e = parse("internet yes").unwrap_err();
        assert_eq!(e.span, 9..12);
        let e = parse("(a = yes").unwrap_err();
        assert_eq!(e.span, 0..1);
        let e = parse("a = yes b = no").unwrap_err();
        assert!(e.message.contains("join"), "{}", e.message);
        let e = parse("a = 'yes'").unwrap_err();
        assert_eq!(e.span, 4..5);
        assert!(parse("").is_err());
    }

    #[test]
    fn reachability_tries_every_combination() {
        let a: Applicability = toml::from_str(
            r#"
            [[question]]
            id = "a"
            kind = "yes-no"
            ja = "問"
            en = "Q"
            [[question]]
            id = "f"
            kind = "choice"
            ja = "種類"
            en = "Kind"
            choice = [{ id = "x", ja = "x", en = "x" }, { id = "y", ja = "y", en = "y" }]
            "#,
        )
        .unwrap();
        assert!(a.reachable(&parse("a = yes and f = y").unwrap()));
        assert!(!a.reachable(&parse("a = yes and a = no").unwrap()));
        assert!(!a.reachable(&parse("f = z").unwrap()));
        assert!(!a.reachable(&parse("nope = yes").unwrap()));
        assert!(a.reachable(&Condition::Always));
        assert!(a.check_answers(&answers(&[("a", "yes")])).is_err());
        assert!(a
            .check_answers(&answers(&[("a", "yes"), ("f", "x")]))
            .is_ok());
        assert!(a
            .check_answers(&answers(&[("a", "maybe"), ("f", "x")]))
            .is_err());
    }
}
