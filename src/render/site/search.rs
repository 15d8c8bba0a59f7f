//! The search data of a book, built from its pages as mdBook rendered them: the text a reader
//! sees in each page's `<main>` and nothing else, so search finds exactly the pages that show
//! the words. The text is split into segments that know the control they belong to (its
//! anchor) and what part of it they are (heading, statement, guidance, elsewhere), so the
//! browser can rank hits and link to the control.
//!
//! The visible text follows the rules of the DOM's `innerText` as far as our pages need
//! them: white space collapses to one space except in `<pre>`; block elements, table cells
//! and `<br>` break the line; hidden elements (`hidden`, mdBook's `hidden` class, a closed
//! `<details>`, scripts and styles) show nothing. The text is then NFKC-normalised here, at
//! build time; the browser only lower-cases it. Pages must not change which elements are
//! blocks through CSS (`display: block` on a `<span>`): use a block element instead.

use serde::Serialize;

use super::markup::{self, Raw, StartTag, Token};

/// What part of the page a stretch of text is, most useful first; the browser ranks a page
/// by its best hit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(into = "u8")]
pub enum Rank {
    /// A heading: a control's ID and title, a page or section title.
    Heading = 0,
    Statement = 1,
    Guidance = 2,
    Elsewhere = 3,
}

impl From<Rank> for u8 {
    fn from(r: Rank) -> u8 {
        r as u8
    }
}

/// A stretch of a page's text that belongs to one anchor and one rank.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Segment {
    /// Where it starts in the page's text, in UTF-16 code units (the browser's string
    /// offsets).
    pub start: usize,
    /// The fragment a hit here links to (`C-7.1`), or empty for the top of the page.
    pub anchor: String,
    pub rank: Rank,
}

/// A page's visible text (NFKC) and its segments, in order.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct PageText {
    pub text: String,
    pub segments: Vec<Segment>,
}

/// Where a rendered page's `<main>` element is: from its first `<main` to its last
/// `</main>` (mdBook's theme has one, and the text rendered from the source is inside it).
pub fn main_element(html: &str) -> Option<std::ops::Range<usize>> {
    let from = html.find("<main")?;
    let to = html.rfind("</main>")? + "</main>".len();
    (from < to).then_some(from..to)
}

/// [`main_text`] of a page's `<main>` element, which it finds itself (a page without one is
/// read whole).
#[cfg(test)]
pub fn page_text(html: &str) -> PageText {
    main_text(&html[main_element(html).unwrap_or(0..html.len())])
}

/// The visible text of a rendered page's `<main>` element, given as its markup
/// ([`main_element`]). Tokenising only `<main>` keeps the build fast.
pub fn main_text(main: &str) -> PageText {
    let state = markup::read(main, raw_text, |state: &mut State, token| match token {
        Token::Start(tag) => state.start(&tag),
        Token::End(name) => state.end(&name),
        Token::Text(text) => state.text(&text),
    });
    state.finish()
}

/// What a script or style holds is not markup (the tree builder switches the tokenizer the
/// same way).
fn raw_text(name: &str) -> Option<Raw> {
    match name {
        "script" => Some(Raw::Script),
        "style" | "noscript" | "template" => Some(Raw::Rawtext),
        "textarea" | "title" => Some(Raw::Rcdata),
        _ => None,
    }
}

/// Elements that break the line in `innerText` (block-level by default in every browser).
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "address"
            | "article"
            | "aside"
            | "blockquote"
            | "caption"
            | "dd"
            | "details"
            | "dialog"
            | "div"
            | "dl"
            | "dt"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "footer"
            | "form"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "header"
            | "hgroup"
            | "hr"
            | "legend"
            | "li"
            | "main"
            | "menu"
            | "nav"
            | "ol"
            | "p"
            | "pre"
            | "section"
            | "summary"
            | "table"
            | "tbody"
            | "td"
            | "tfoot"
            | "th"
            | "thead"
            | "tr"
            | "ul"
    )
}

fn is_void(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "source"
            | "track"
            | "wbr"
    )
}

fn is_heading(name: &str) -> bool {
    matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
}

struct Open {
    name: String,
    hidden: bool,
    /// A `<details>` without `open`: only its `<summary>` shows.
    closed_details: bool,
    pre: bool,
    /// The anchor this element gives the text inside it (a control's `<section>`, a
    /// history row).
    anchor: Option<String>,
    rank: Option<Rank>,
}

#[derive(Default)]
struct State {
    stack: Vec<Open>,
    /// The last `<h2>`/`<h3>` with an id outside any anchored element: Markdown pages have
    /// flat sections that start at a heading.
    heading_anchor: Option<String>,
    /// Finished segments: anchor, rank, text (before NFKC).
    done: Vec<(String, Rank, String)>,
    current: Option<(String, Rank, String)>,
    /// Text has been written on the current line (false at a line start).
    mid_line: bool,
    pending_space: bool,
    /// Right after `<pre>`, whose first newline is not content.
    pre_opened: bool,
    /// `current` belongs to the open elements' `key()`: it is computed and compared once
    /// per change of the stack (or of the heading anchor), not once per character.
    key_known: bool,
}

impl State {
    fn hidden(&self) -> bool {
        self.stack
            .last()
            .is_some_and(|o| o.hidden || o.closed_details)
    }

    fn in_pre(&self) -> bool {
        self.stack.iter().any(|o| o.pre)
    }

    fn key(&self) -> (&str, Rank) {
        let anchor = self
            .stack
            .iter()
            .rev()
            .find_map(|o| o.anchor.as_deref())
            .or(self.heading_anchor.as_deref())
            .unwrap_or_default();
        let field = self.stack.iter().rev().find_map(|o| o.rank);
        let rank = match field {
            Some(r) => r,
            None if self.stack.iter().any(|o| is_heading(&o.name)) => Rank::Heading,
            None => Rank::Elsewhere,
        };
        (anchor, rank)
    }

    /// Ends the line (a block boundary); the segment may change only here, so NFKC never
    /// has to look across segments.
    fn break_line(&mut self) {
        self.pending_space = false;
        if self.mid_line {
            if let Some((_, _, text)) = &mut self.current {
                text.push('\n');
            }
            self.mid_line = false;
        }
    }

    fn push_char(&mut self, c: char) {
        if !self.key_known {
            let (anchor, rank) = self.key();
            let same = matches!(&self.current, Some((a, r, _)) if a == anchor && *r == rank);
            if !same {
                let anchor = anchor.to_owned();
                // A new segment starts at a line start only: close the line first.
                self.break_line();
                if let Some(seg) = self.current.take() {
                    self.done.push(seg);
                }
                self.current = Some((anchor, rank, String::new()));
            }
            self.key_known = true;
        }
        if let Some((_, _, text)) = &mut self.current {
            // The separator between documents in the browser's data never occurs inside one.
            text.push(if c == '\u{1}' { ' ' } else { c });
        }
        self.mid_line = c != '\n';
    }

    fn text(&mut self, s: &str) {
        if self.hidden() || self.stack.is_empty() {
            return;
        }
        if self.in_pre() {
            let mut s = s;
            if self.pre_opened {
                s = s.strip_prefix('\n').unwrap_or(s);
            }
            self.pre_opened = false;
            for c in s.chars() {
                self.pending_space = false;
                self.push_char(c);
            }
            return;
        }
        for c in s.chars() {
            if matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{c}') {
                if self.mid_line {
                    self.pending_space = true;
                }
            } else {
                if self.pending_space {
                    self.pending_space = false;
                    self.push_char(' ');
                }
                self.push_char(c);
            }
        }
    }

    fn start(&mut self, tag: &StartTag<'_>) {
        let name: &str = &tag.name;
        let class = tag.attr("class").unwrap_or_default();
        let has_class = |c: &str| class.split_ascii_whitespace().any(|x| x == c);
        let parent_hidden = self
            .stack
            .last()
            .is_some_and(|o| o.hidden || (o.closed_details && name != "summary"));
        self.pre_opened = false;
        if name == "br" {
            if !self.hidden() {
                self.push_char('\n');
                self.pending_space = false;
            }
            return;
        }
        if is_block(name) && !parent_hidden {
            self.break_line();
        }
        if is_void(name) || tag.self_closing {
            return;
        }
        let id = tag.attr("id").map(str::to_owned);
        if matches!(name, "h2" | "h3")
            && id.is_some()
            && !self.stack.iter().any(|o| o.anchor.is_some())
        {
            self.heading_anchor = id.clone();
            self.key_known = false;
        }
        let hidden = parent_hidden
            || tag.attr("hidden").is_some()
            || has_class("hidden")
            || matches!(name, "script" | "style" | "template" | "noscript");
        self.stack.push(Open {
            closed_details: name == "details" && tag.attr("open").is_none(),
            pre: name == "pre",
            anchor: match name {
                "section" | "tr" => id,
                _ => None,
            },
            rank: if has_class("statement") {
                Some(Rank::Statement)
            } else if has_class("guidance") {
                Some(Rank::Guidance)
            } else {
                None
            },
            hidden,
            name: name.to_owned(),
        });
        self.pre_opened = self.stack.last().is_some_and(|o| o.pre);
        self.key_known = false;
    }

    fn end(&mut self, name: &str) {
        self.pre_opened = false;
        // Close up to the matching element; an end tag with no open element is ignored.
        if let Some(i) = self.stack.iter().rposition(|o| o.name == name) {
            let was_hidden = self.stack[i].hidden;
            self.stack.truncate(i);
            self.key_known = false;
            if is_block(name) && !was_hidden {
                self.break_line();
            }
        }
    }

    fn finish(mut self) -> PageText {
        if let Some(seg) = self.current.take() {
            self.done.push(seg);
        }
        let mut page = PageText::default();
        let mut at = 0;
        for (anchor, rank, raw) in self.done {
            // Segments end at a line break, a character NFKC never joins with its
            // neighbours: normalising each one is normalising the whole page.
            let text = crate::text::nfkc(&raw);
            if text.trim().is_empty() {
                continue;
            }
            match page.segments.last() {
                Some(s) if s.anchor == anchor && s.rank == rank => {}
                _ => page.segments.push(Segment {
                    start: at,
                    anchor,
                    rank,
                }),
            }
            at += text.encode_utf16().count();
            page.text.push_str(&text);
        }
        let trimmed = page.text.trim_end().len();
        page.text.truncate(trimmed);
        page
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(html: &str) -> String {
        page_text(&format!("<main>{html}</main>")).text
    }

    #[test]
    fn inline_elements_join_and_blocks_break() {
        assert_eq!(
            text("<p>TLS<span class=\"badge\">例示</span>と <em>FIDO2</em></p><p>次</p>"),
            "TLS例示と FIDO2\n次"
        );
        assert_eq!(text("<td>a</td><td>b</td>"), "a\nb");
        assert_eq!(text("<p>  a \n  b  </p>\n\n  <p> c</p>"), "a b\nc");
        assert_eq!(text("a<br>b"), "a\nb");
    }

    #[test]
    fn hidden_and_script_text_is_not_shown() {
        assert_eq!(
            text("<p>a<span hidden>x</span><span class=\"hidden\">y</span><script>if (a<b) z()</script>b</p>"),
            "ab"
        );
        assert_eq!(
            text("<details><summary>s</summary><p>inside</p></details>"),
            "s"
        );
        assert_eq!(
            text("<details open><summary>s</summary><p>inside</p></details>"),
            "s\ninside"
        );
    }

    #[test]
    fn pre_keeps_white_space_and_entities_decode() {
        // The newline right after `<pre>` is not content; after `<pre><code>` it is.
        assert_eq!(text("<pre>\na  b\n c</pre>"), "a  b\n c");
        assert_eq!(text("<pre><code>\na</code></pre>"), "\na");
        assert_eq!(text("<p>&lt;a&gt; &amp; &#x2F;</p>"), "<a> & /");
    }

    #[test]
    fn only_main_is_read_and_text_is_nfkc() {
        let page = page_text("<nav>menu</nav><main><p>ＴＬＳ ｶﾅ</p></main><footer>f</footer>");
        assert_eq!(page.text, "TLS カナ");
    }

    #[test]
    fn segments_know_their_control_and_field() {
        let page = page_text(concat!(
            "<main><h1 id=\"C-7\">C-7 章</h1><p>概要</p>",
            "<section class=\"control\" id=\"C-7.1\"><h2><a>C-7.1</a> 題</h2>",
            "<div class=\"statement\"><h3>要求事項</h3><p>本文𠮷</p></div>",
            "<div class=\"guidance\"><p>解説</p></div><p>技術</p></section>",
            "<h2 id=\"next\">見出し</h2><p>後</p></main>"
        ));
        assert_eq!(
            page.text,
            "C-7 章\n概要\nC-7.1 題\n要求事項\n本文𠮷\n解説\n技術\n見出し\n後"
        );
        let starts: Vec<(usize, &str, Rank)> = page
            .segments
            .iter()
            .map(|s| (s.start, s.anchor.as_str(), s.rank))
            .collect();
        // 𠮷 is two UTF-16 code units.
        assert_eq!(
            starts,
            vec![
                (0, "", Rank::Heading),
                (6, "", Rank::Elsewhere),
                (9, "C-7.1", Rank::Heading),
                (17, "C-7.1", Rank::Statement),
                (27, "C-7.1", Rank::Guidance),
                (30, "C-7.1", Rank::Elsewhere),
                (33, "next", Rank::Heading),
                (37, "next", Rank::Elsewhere),
            ]
        );
    }
}
