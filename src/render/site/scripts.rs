//! The inline scripts of a finished page, read as a browser's tokenizer reads them
//! ([`markup`]), so that the page's Content-Security-Policy can allow exactly those (by hash).

use super::markup::{self, Raw, Token};

/// The text of every inline `<script>` (one without `src`) of `html`, in order. A script
/// inside a comment, or text that only looks like a script tag inside another script, is
/// not one.
pub fn inline_scripts(html: &str) -> Vec<String> {
    #[derive(Default)]
    struct Scripts {
        done: Vec<String>,
        /// The body of the inline script being read, if one is open.
        open: Option<String>,
    }
    let scripts = markup::read(html, raw_text, |s: &mut Scripts, token| match token {
        Token::Start(tag) if tag.name == "script" => {
            s.open = tag.attr("src").is_none().then(String::new);
        }
        Token::End(name) if name == "script" => {
            if let Some(body) = s.open.take() {
                s.done.push(body);
            }
        }
        Token::Text(text) => {
            if let Some(body) = s.open.as_mut() {
                body.push_str(&text);
            }
        }
        _ => {}
    });
    scripts.done
}

/// What follows these start tags is not markup, as the tree builder switches the
/// tokenizer. (A `<template>`'s content is markup, and its scripts run once cloned.)
fn raw_text(name: &str) -> Option<Raw> {
    match name {
        "script" => Some(Raw::Script),
        "style" | "noscript" | "iframe" | "noembed" | "noframes" | "xmp" => Some(Raw::Rawtext),
        "textarea" | "title" => Some(Raw::Rcdata),
        _ => None,
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
