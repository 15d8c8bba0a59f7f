//! The inline scripts of a finished page, read with html5ever's tokenizer as a browser
//! reads them, so that the page's Content-Security-Policy can allow exactly those (by hash).

use std::cell::RefCell;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

/// The text of every inline `<script>` (one without `src`) of `html`, in order. A script
/// inside a comment, or text that only looks like a script tag inside another script, is
/// not one.
pub fn inline_scripts(html: &str) -> Vec<String> {
    let tokenizer = Tokenizer::new(Sink::default(), TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.scripts.into_inner()
}

#[derive(Default)]
struct Sink {
    /// The body of the inline script being read, if one is open.
    open: RefCell<Option<String>>,
    scripts: RefCell<Vec<String>>,
}

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        match token {
            Token::TagToken(tag) if &*tag.name == "script" => match tag.kind {
                TagKind::StartTag => {
                    let inline = !tag.attrs.iter().any(|a| &*a.name.local == "src");
                    *self.open.borrow_mut() = inline.then(String::new);
                    // What follows is script text up to `</script>`, as the tree builder
                    // would switch the tokenizer.
                    return TokenSinkResult::RawData(RawKind::ScriptData);
                }
                TagKind::EndTag => {
                    if let Some(body) = self.open.borrow_mut().take() {
                        self.scripts.borrow_mut().push(body);
                    }
                }
            },
            // Other raw-text elements hold no tags either.
            Token::TagToken(tag) if tag.kind == TagKind::StartTag => match &*tag.name {
                // (A `<template>`'s content is markup, and its scripts run once cloned.)
                "style" | "noscript" | "iframe" | "noembed" | "noframes" | "xmp" => {
                    return TokenSinkResult::RawData(RawKind::Rawtext)
                }
                "textarea" | "title" => return TokenSinkResult::RawData(RawKind::Rcdata),
                _ => {}
            },
            Token::CharacterTokens(text) => {
                if let Some(body) = self.open.borrow_mut().as_mut() {
                    body.push_str(&text);
                }
            }
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_inline_scripts_as_the_browser_reads_them() {
        let html = concat!(
            "<head><script>var a = 1;</script><script src=\"x.js\"></script>",
            "<!-- <script>commented()</script> --><title><script>no()</script></title></head>",
            "<body><script type=\"module\">if (a < 2 && '<b>') {}</script>",
            "<noscript><script>never()</script></noscript><script></script>",
            "<template><script>cloned()</script></template></body>"
        );
        assert_eq!(
            inline_scripts(html),
            ["var a = 1;", "if (a < 2 && '<b>') {}", "", "cloned()"]
        );
    }
}
