//! Reading the site's finished pages as tokens (start tags, end tags, text), as html5ever's
//! tokenizer reads them, for the search text and the CSP's script hashes.
//!
//! Both read every page of both books, and html5ever's tokenizer spent most of their time
//! on markup that is always the same simple kind: our templates' and mdBook's output. So
//! [`read`] first tries a small reader that understands only that kind (lower-case names,
//! quoted or plain attributes, the entities our escapers write, comments, the doctype) and
//! gives up, returning `None`, at anything else (a carriage return, an unknown entity, a
//! `<` that starts no tag, a comment inside a script, ...). Then html5ever reads the page.
//! So the small reader never has to be right about the rare cases: it only has to know
//! when it is not sure. Both readers produce the same [`Token`]s, and the callers keep one
//! set of rules for what the tokens mean. A test below compares the two readers on every
//! page of the shipped guideline's site.

use std::borrow::Cow;
use std::cell::RefCell;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token as Html5everToken, TokenSink, TokenSinkResult, Tokenizer,
    TokenizerOpts,
};

/// One token of a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Token<'a> {
    Start(StartTag<'a>),
    End(Cow<'a, str>),
    /// Text with its character references decoded; a run of text may come in several
    /// pieces.
    Text(Cow<'a, str>),
}

/// A start tag: lower-case name, attributes in order (a repeated one kept once, the first,
/// as the tokenizer keeps it), and whether it ended with `/>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StartTag<'a> {
    pub name: Cow<'a, str>,
    pub attrs: Vec<(Cow<'a, str>, Cow<'a, str>)>,
    pub self_closing: bool,
}

impl StartTag<'_> {
    /// The value of attribute `name`, if the tag has it.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_ref())
    }
}

/// How the text after a start tag is read, as the tree builder switches the tokenizer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Raw {
    /// `<script>`: text up to `</script>`.
    Script,
    /// Text up to the element's end tag, no references (`<style>`).
    Rawtext,
    /// Text up to the element's end tag, references decoded (`<title>`).
    Rcdata,
}

/// Reads `html` token by token into a fresh `S` with `step`, switching to raw text after the
/// start tags `raw` names: with the small reader where it is sure of the page, else (from a
/// fresh `S` again) with html5ever.
pub fn read<S: Default>(
    html: &str,
    raw: impl Fn(&str) -> Option<Raw>,
    mut step: impl FnMut(&mut S, Token<'_>),
) -> S {
    let mut state = S::default();
    if quick(html, &raw, &mut |t| step(&mut state, t)).is_some() {
        return state;
    }
    let mut state = S::default();
    html5ever_read(html, &raw, &mut |t| step(&mut state, t));
    state
}

/// The reader html5ever gives: the reference the small reader is held to.
fn html5ever_read(html: &str, raw: &dyn Fn(&str) -> Option<Raw>, emit: &mut dyn FnMut(Token<'_>)) {
    struct Sink<'s> {
        raw: &'s dyn Fn(&str) -> Option<Raw>,
        emit: RefCell<&'s mut dyn FnMut(Token<'_>)>,
    }
    impl TokenSink for Sink<'_> {
        type Handle = ();
        fn process_token(&self, token: Html5everToken, _line: u64) -> TokenSinkResult<()> {
            let mut emit = self.emit.borrow_mut();
            match token {
                Html5everToken::TagToken(tag) => match tag.kind {
                    TagKind::StartTag => {
                        let name: &str = &tag.name;
                        let kind = (self.raw)(name);
                        emit(Token::Start(StartTag {
                            name: Cow::Borrowed(name),
                            attrs: tag
                                .attrs
                                .iter()
                                .map(|a| (Cow::Borrowed(&*a.name.local), Cow::Borrowed(&*a.value)))
                                .collect(),
                            self_closing: tag.self_closing,
                        }));
                        if let Some(kind) = kind {
                            return TokenSinkResult::RawData(match kind {
                                Raw::Script => RawKind::ScriptData,
                                Raw::Rawtext => RawKind::Rawtext,
                                Raw::Rcdata => RawKind::Rcdata,
                            });
                        }
                    }
                    TagKind::EndTag => emit(Token::End(Cow::Borrowed(&tag.name))),
                },
                Html5everToken::CharacterTokens(s) => emit(Token::Text(Cow::Borrowed(&s))),
                _ => {}
            }
            TokenSinkResult::Continue
        }
    }
    let sink = Sink {
        raw,
        emit: RefCell::new(emit),
    };
    let tokenizer = Tokenizer::new(sink, TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
}

/// The small reader: `None` as soon as the page holds something it does not handle.
fn quick<'a>(
    html: &'a str,
    raw: &dyn Fn(&str) -> Option<Raw>,
    emit: &mut dyn FnMut(Token<'_>),
) -> Option<()> {
    // The tokenizer turns CR and CR LF into LF and NUL into U+FFFD before anything else,
    // and drops a leading byte order mark.
    if html.starts_with('\u{feff}') || html.bytes().any(|b| b == b'\r' || b == 0) {
        return None;
    }
    let mut rest = html;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            emit(Token::Text(decode(rest)?));
            break;
        };
        if lt > 0 {
            emit(Token::Text(decode(&rest[..lt])?));
        }
        rest = &rest[lt..];
        let b = rest.as_bytes();
        match b.get(1) {
            Some(c) if c.is_ascii_lowercase() => {
                let (tag, after) = start_tag(rest)?;
                let kind = raw(&tag.name);
                let name = tag.name.clone();
                emit(Token::Start(tag));
                rest = after;
                if let Some(kind) = kind {
                    let end = raw_text_end(rest, &name)?;
                    let body = &rest[..end];
                    if kind == Raw::Script && body.contains("<!--") {
                        // Script data escapes: the tokenizer's states for them are not ours.
                        return None;
                    }
                    if !body.is_empty() {
                        emit(Token::Text(match kind {
                            Raw::Rcdata => decode(body)?,
                            _ => Cow::Borrowed(body),
                        }));
                    }
                    rest = &rest[end..];
                }
            }
            Some(b'/') if b.get(2).is_some_and(|c| c.is_ascii_alphabetic()) => {
                let close = rest.find('>')?;
                let inner = &rest[2..close];
                let name_end = inner
                    .find(|c: char| c.is_ascii_whitespace() || c == '/')
                    .unwrap_or(inner.len());
                // (A script's `</SCRIPT>` ends it too.)
                let name = lower_case(&inner[..name_end]);
                if !valid_name(&name) || inner[name_end..].contains(['"', '\'', '<']) {
                    return None;
                }
                emit(Token::End(name));
                rest = &rest[close + 1..];
            }
            Some(b'!') if rest.starts_with("<!--") => {
                let body = &rest[4..];
                if body.starts_with('>') || body.starts_with("->") {
                    return None;
                }
                let end = body.find("-->")?;
                if body[..end].contains("--!") {
                    return None;
                }
                rest = &body[end + 3..];
            }
            Some(b'!')
                if rest
                    .get(..9)
                    .is_some_and(|d| d.eq_ignore_ascii_case("<!doctype")) =>
            {
                let end = rest.find('>')?;
                if rest[..end].contains(['"', '\'']) {
                    return None;
                }
                rest = &rest[end + 1..];
            }
            _ => return None,
        }
    }
    Some(())
}

/// A tag name the small reader takes as the tokenizer would give it.
fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// A name as the tokenizer gives it: ASCII lower-cased.
fn lower_case(name: &str) -> Cow<'_, str> {
    if name.bytes().any(|c| c.is_ascii_uppercase()) {
        Cow::Owned(name.to_ascii_lowercase())
    } else {
        Cow::Borrowed(name)
    }
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\x0c')
}

/// The start tag at the start of `s` (which begins `<` and a letter), and what follows it.
fn start_tag(s: &str) -> Option<(StartTag<'_>, &str)> {
    let b = s.as_bytes();
    let mut i = 1;
    while i < b.len() && !is_space(b[i]) && b[i] != b'/' && b[i] != b'>' {
        i += 1;
    }
    let name = &s[1..i];
    if !valid_name(name) {
        return None;
    }
    let mut tag = StartTag {
        name: Cow::Borrowed(name),
        attrs: Vec::new(),
        self_closing: false,
    };
    loop {
        while i < b.len() && is_space(b[i]) {
            i += 1;
        }
        match b.get(i)? {
            b'>' => return Some((tag, &s[i + 1..])),
            b'/' => {
                // Only `/>` at the end; a slash elsewhere the tokenizer reads its own way.
                if b.get(i + 1) != Some(&b'>') {
                    return None;
                }
                tag.self_closing = true;
                return Some((tag, &s[i + 2..]));
            }
            _ => {}
        }
        let from = i;
        while i < b.len() && !is_space(b[i]) && !matches!(b[i], b'/' | b'>' | b'=') {
            if matches!(b[i], b'"' | b'\'' | b'<') {
                return None;
            }
            i += 1;
        }
        let name = &s[from..i];
        if name.is_empty() {
            return None;
        }
        // (An SVG's `viewBox`.)
        let name = lower_case(name);
        let mut j = i;
        while j < b.len() && is_space(b[j]) {
            j += 1;
        }
        let value = if b.get(j) == Some(&b'=') {
            j += 1;
            while j < b.len() && is_space(b[j]) {
                j += 1;
            }
            match b.get(j)? {
                q @ (b'"' | b'\'') => {
                    let len = s[j + 1..].find(*q as char)?;
                    let value = decode(&s[j + 1..j + 1 + len])?;
                    i = j + 1 + len + 1;
                    // The tokenizer wants space, `/` or `>` after a quoted value.
                    if !b
                        .get(i)
                        .is_some_and(|&c| is_space(c) || c == b'/' || c == b'>')
                    {
                        return None;
                    }
                    value
                }
                b'>' => return None,
                _ => {
                    let from = j;
                    while j < b.len() && !is_space(b[j]) && b[j] != b'>' {
                        if matches!(b[j], b'"' | b'\'' | b'<' | b'=' | b'`') {
                            return None;
                        }
                        j += 1;
                    }
                    i = j;
                    decode(&s[from..j])?
                }
            }
        } else {
            Cow::Borrowed("")
        };
        if !tag.attrs.iter().any(|(n, _)| *n == name) {
            tag.attrs.push((name, value));
        }
    }
}

/// Where the raw text after a `<name>` start tag ends: at `</name` followed by space, `/`
/// or `>`, in any case.
fn raw_text_end(s: &str, name: &str) -> Option<usize> {
    let mut at = 0;
    loop {
        let i = at + s[at..].find("</")?;
        let after = &s.as_bytes()[i + 2..];
        if after.len() > name.len()
            && after[..name.len()].eq_ignore_ascii_case(name.as_bytes())
            && (is_space(after[name.len()]) || matches!(after[name.len()], b'/' | b'>'))
        {
            return Some(i);
        }
        at = i + 2;
    }
}

/// `s` with its character references decoded; `None` for a reference the small reader
/// does not know (the tokenizer's table has over two thousand, some without `;`).
fn decode(s: &str) -> Option<Cow<'_, str>> {
    let Some(first) = s.find('&') else {
        return Some(Cow::Borrowed(s));
    };
    let mut out = String::with_capacity(s.len());
    out.push_str(&s[..first]);
    let mut rest = &s[first..];
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp + 1..];
        let b = rest.as_bytes();
        match b.first() {
            Some(b'#') => {
                let (digits, radix) = match b.get(1) {
                    Some(b'x' | b'X') => (&rest[2..], 16),
                    _ => (&rest[1..], 10),
                };
                let len = digits
                    .find(|c: char| !c.is_digit(radix))
                    .unwrap_or(digits.len());
                if len == 0 || len > 6 || !digits[len..].starts_with(';') {
                    return None;
                }
                let code = u32::from_str_radix(&digits[..len], radix).ok()?;
                // Zero, C1 controls (read as windows-1252) and surrogates are mapped.
                if code == 0 || (0x80..=0x9f).contains(&code) {
                    return None;
                }
                out.push(char::from_u32(code)?);
                rest = &digits[len + 1..];
            }
            Some(c) if c.is_ascii_alphanumeric() => {
                let len = rest
                    .find(|c: char| !c.is_ascii_alphanumeric())
                    .unwrap_or(rest.len());
                if !rest[len..].starts_with(';') {
                    return None;
                }
                out.push(match &rest[..len] {
                    "amp" => '&',
                    "lt" => '<',
                    "gt" => '>',
                    "quot" => '"',
                    "apos" => '\'',
                    "nbsp" => '\u{a0}',
                    _ => return None,
                });
                rest = &rest[len + 1..];
            }
            // `&` before anything else is just an ampersand.
            _ => out.push('&'),
        }
    }
    out.push_str(rest);
    Some(Cow::Owned(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(name: &str) -> Option<Raw> {
        match name {
            "script" => Some(Raw::Script),
            "style" => Some(Raw::Rawtext),
            "title" => Some(Raw::Rcdata),
            _ => None,
        }
    }

    /// The tokens of each reader, text pieces joined (either may split a run of text).
    fn tokens(html: &str, quick_only: bool) -> Option<Vec<String>> {
        let mut out: Vec<String> = Vec::new();
        let mut text = String::new();
        let mut push = |t: Token<'_>| match t {
            Token::Text(s) => text.push_str(&s),
            other => {
                if !text.is_empty() {
                    out.push(format!("Text({text:?})"));
                    text.clear();
                }
                out.push(format!("{other:?}"));
            }
        };
        if quick_only {
            quick(html, &raw, &mut push)?;
        } else {
            html5ever_read(html, &raw, &mut push);
        }
        if !text.is_empty() {
            out.push(format!("Text({text:?})"));
        }
        Some(out)
    }

    #[test]
    fn the_small_reader_reads_as_html5ever_does() {
        let pages = [
            "<!DOCTYPE html>\n<html lang=\"ja\"><head><title>a &amp; b &lt;script&gt;</title>",
            "<svg viewBox=\"0 0 1 1\"><p class=\"x y\" id=a data-k='v&quot;' hidden>t&#x2F;&#47;&nbsp;&apos;x</p>",
            "<!-- <script>no()</script> --><script>if (a < b && c > d) {}</script>",
            "<br/><img src=\"i.png\" alt=\"\"><style>p > a { }</style></P ><a href=\"?a=1&amp;b=2\">",
            "<mdbook-sidebar-scrollbox class=a class=b>x &amp; y</mdbook-sidebar-scrollbox>",
            "<script>x = '</scripts>'; y = 1</SCRIPT >",
            "text & more &#12354; done",
        ];
        for page in pages {
            assert_eq!(
                tokens(page, true).expect("the small reader reads it"),
                tokens(page, false).unwrap(),
                "{page}"
            );
        }
    }

    #[test]
    fn the_small_reader_gives_up_where_it_is_not_sure() {
        for page in [
            "a\r\nb",
            "\u{feff}<p>a</p>",
            "<p>&copy; 2026</p>",
            "<p>&amp</p>",
            "<p>AT&T</p>",
            "<a href=\"?a=1&b=2\">",
            "<P>upper</P>",
            "<p>a < b</p>",
            "<script><!-- x --></script>",
            "<!-->",
            "<?xml ?>",
            "<![CDATA[x]]>",
            "<a href=\"x\"title=\"y\">",
            "<a b=c\"d>",
            "<p/ x>",
            "<p>&#128;</p>",
            "<p>&#0;</p>",
            "<script>unterminated",
            "<p",
        ] {
            assert!(tokens(page, true).is_none(), "{page}");
        }
    }

    /// Every page of the shipped guideline's site, both books: the small reader reads each
    /// whole (else the build would fall back to html5ever on it, at several times the cost)
    /// and gives html5ever's tokens.
    #[test]
    fn the_small_reader_reads_every_page_of_the_site_as_html5ever_does() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("guideline");
        let g = crate::load::load_dir(&root).unwrap().guideline.unwrap();
        let out = tempfile::tempdir().unwrap();
        let history = g
            .previous_edition()
            .map(|old| (crate::diff::diff(old, &g), old.manifest.title.ja.clone()));
        let history = history.as_ref().map(|(d, t)| (d, t.as_str()));
        assert!(history.is_some(), "the history page is read too");
        crate::render::site::build(&g, history, out.path()).unwrap();
        let mut pages = Vec::new();
        super::super::html_files(out.path(), &mut pages).unwrap();
        assert!(pages.len() > 200, "{} pages", pages.len());
        for page in pages {
            let html = std::fs::read_to_string(&page).unwrap();
            let quick = tokens(&html, true)
                .unwrap_or_else(|| panic!("the small reader gives up on {}", page.display()));
            assert_eq!(quick, tokens(&html, false).unwrap(), "{}", page.display());
        }
    }
}
