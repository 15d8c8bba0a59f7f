//! Prose to HTML fragments: the model's parsed events, with each technology tag turned into
//! a link to the technology's page and a role badge that carries a text label (例示 / 必須 /
//! 禁止), not colour alone.
//!
//! Shared by the renderers that write HTML (`render::site`, `disclosure::render`); it writes
//! no page by itself. Escaping of text for HTML happens here ([`escape`]).

use std::collections::BTreeMap;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use crate::model::{Lang, Prose, Role};
use crate::syntax::{parse_tag, TagParse};

/// Escapes text for HTML.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    pulldown_cmark_escape::escape_html(&mut out, s).expect("writing to a String");
    out
}

/// Escapes a value for any place in HTML, an attribute in either quotes included: the five
/// characters that can end an attribute or start markup. [`escape`] leaves `'`, as its
/// output goes into text and double-quoted attributes only.
pub fn escape_value(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Renders prose; `to_root` is the relative path from the page to the site root.
pub fn prose(p: &Prose, lang: Lang, to_root: &str) -> String {
    render(p, lang, to_root, &BTreeMap::new())
}

/// Renders a control's statement, each item's list entry carrying its ID as an anchor
/// (`<li id="C-6.6.2">`).
pub fn statement(p: &Prose, control: &str, lang: Lang, to_root: &str) -> String {
    let anchors: BTreeMap<usize, String> = p
        .all_items()
        .into_iter()
        .map(|i| (i.event, format!("{control}.{}", i.id)))
        .collect();
    render(p, lang, to_root, &anchors)
}

fn render(p: &Prose, lang: Lang, to_root: &str, anchors: &BTreeMap<usize, String>) -> String {
    let mut events: Vec<Event<'_>> = Vec::with_capacity(p.events.len());
    // Roles of the tags currently open (None for ordinary links).
    let mut open: Vec<Option<Role>> = Vec::new();
    for (index, e) in p.events.iter().enumerate() {
        if let (Some(id), Event::Start(Tag::Item)) = (anchors.get(&index), e) {
            events.push(Event::Html(CowStr::from(format!(
                "<li id=\"{}\" class=\"item\">",
                escape(id)
            ))));
            continue;
        }
        match e {
            Event::Start(Tag::Link { dest_url, .. }) => match parse_tag(dest_url) {
                // A parameter reference points at the parameter's entry under the control.
                TagParse::Param(id) => {
                    open.push(None);
                    events.push(Event::Html(CowStr::from(format!(
                        "<a class=\"param\" href=\"#{}\">",
                        escape(id)
                    ))));
                }
                TagParse::Tag(role, id) => {
                    open.push(Some(role));
                    events.push(Event::Html(CowStr::from(format!(
                        "<a class=\"mention role-{}\" href=\"{to_root}technologies/{}.html\">",
                        role.keyword(),
                        escape(id)
                    ))));
                }
                _ => {
                    open.push(None);
                    events.push(e.clone());
                }
            },
            Event::End(TagEnd::Link) => match open.pop() {
                Some(Some(role)) => {
                    let label = match lang {
                        Lang::Ja => role.label().ja,
                        Lang::En => role.label().en.unwrap_or_default(),
                    };
                    events.push(Event::Html(CowStr::from(format!(
                        "<span class=\"badge badge-{}\">{}</span></a>",
                        role.keyword(),
                        label
                    ))));
                }
                _ => events.push(e.clone()),
            },
            // The loader rejects raw HTML (G0005); never pass any through regardless.
            Event::Html(h) | Event::InlineHtml(h) => events.push(Event::Text(h.clone())),
            other => events.push(other.clone()),
        }
    }
    let mut out = String::new();
    pulldown_cmark::html::push_html(&mut out, events.into_iter());
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::Parser;

    fn prose_of(md: &str) -> Prose {
        Prose {
            events: Parser::new(md).map(|e| e.into_static()).collect(),
            ..Prose::default()
        }
    }

    #[test]
    fn tags_become_badged_links() {
        let html = prose(
            &prose_of("例えば[FIDO2](example:fido2)がある。"),
            Lang::Ja,
            "../",
        );
        assert_eq!(
            html,
            "<p>例えば<a class=\"mention role-example\" href=\"../technologies/fido2.html\">FIDO2<span class=\"badge badge-example\">例示</span></a>がある。</p>\n"
        );
    }

    #[test]
    fn raw_html_is_escaped() {
        let html = prose(&prose_of("a <script>alert(1)</script> b"), Lang::En, "");
        assert!(!html.contains("<script>"), "{html}");
    }
}
