//! Chapter Markdown: one walk over pulldown-cmark's events with offsets, reading headings,
//! metadata blocks, prose with its technology mentions and tags, parameter references and
//! statement items.

use super::*;

/// A chapter or control heading: `# ID title`.
#[derive(Debug, Clone)]
pub(super) struct Heading {
    pub(super) id: Id,
    pub(super) id_span: Range<usize>,
    pub(super) title: String,
}

#[derive(Debug, Clone)]
pub(super) struct ControlDoc {
    pub(super) id: Id,
    pub(super) id_span: Range<usize>,
    pub(super) title: String,
    pub(super) file: FileId,
    pub(super) meta: Option<Range<usize>>,
    pub(super) statement: Option<Prose>,
    pub(super) guidance: Option<Prose>,
}

#[derive(Debug, Clone)]
pub(super) struct ChapterDoc {
    pub(super) file: FileId,
    pub(super) heading: Option<Heading>,
    pub(super) meta: Option<Range<usize>>,
    pub(super) intro: Prose,
    pub(super) controls: Vec<ControlDoc>,
}

/// Section headings of a control, per language.
pub(super) fn section_of(lang: Lang, title: &str) -> Option<Section> {
    match (lang, title.trim()) {
        (Lang::Ja, "要求事項") | (Lang::En, "Statement") => Some(Section::Statement),
        (Lang::Ja, "解説") | (Lang::En, "Guidance") => Some(Section::Guidance),
        _ => None,
    }
}

pub(super) fn section_names(lang: Lang) -> &'static str {
    match lang {
        Lang::Ja => "`### 要求事項` (statement) and `### 解説` (guidance)",
        Lang::En => "`### Statement` and `### Guidance`",
    }
}

/// Where prose is going while walking a chapter.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Target {
    Intro,
    /// After a control heading, before its first section.
    ControlHead,
    Section(Section),
}

pub(super) fn markdown_options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES
}

pub(super) fn parse_chapter(
    f: &SourceFile,
    file: FileId,
    lang: Lang,
    registry: &Registry,
    keep_events: bool,
) -> (ChapterDoc, Vec<Diagnostic>) {
    let text = f.text.as_str();
    let mut diags = Vec::new();
    let mut doc = ChapterDoc {
        file,
        heading: None,
        meta: None,
        intro: empty_prose(file),
        controls: Vec::new(),
    };
    let mut target = Target::Intro;
    let mut prose = ProseBuilder::new(file, lang, Section::Intro, keep_events);
    // Heading being read: (level, span, text).
    let mut heading: Option<(HeadingLevel, Range<usize>, String)> = None;
    let mut meta_allowed = false;
    // Content span of the metadata block being read, and whether a misplaced one is skipped.
    let mut in_meta: Option<Range<usize>> = None;
    let mut skipping_meta = false;
    let mut stray_reported = false;

    let finish = |prose: ProseBuilder, target: Target, doc: &mut ChapterDoc, text: &str| {
        let p = prose.finish(text);
        match target {
            Target::Intro => doc.intro = p,
            Target::ControlHead => {}
            Target::Section(s) => {
                if let Some(c) = doc.controls.last_mut() {
                    let slot = if s == Section::Statement {
                        &mut c.statement
                    } else {
                        &mut c.guidance
                    };
                    *slot = Some(p);
                }
            }
        }
    };

    for (event, range) in Parser::new_ext(text, markdown_options()).into_offset_iter() {
        if let Some((_, _, buf)) = &mut heading {
            match event {
                Event::End(TagEnd::Heading(_)) => {}
                Event::Text(t) => {
                    g0008_build_directive::find(f, range, &mut diags);
                    buf.push_str(&t);
                    continue;
                }
                Event::Code(t) => {
                    buf.push_str(&t);
                    continue;
                }
                Event::Html(_) | Event::InlineHtml(_) => {
                    diags.push(g0005_raw_html::diagnostic(f, range));
                    continue;
                }
                _ => continue,
            }
        }
        match event {
            Event::Start(Tag::Heading { level, .. }) if level <= HeadingLevel::H3 => {
                heading = Some((level, range, String::new()));
                meta_allowed = false;
            }
            Event::End(TagEnd::Heading(_)) if heading.is_some() => {
                let (level, span, title) = heading.take().expect("heading is open");
                match level {
                    HeadingLevel::H1 | HeadingLevel::H2 => {
                        let Some(h) = parse_heading(f, span.clone(), &title, &mut diags) else {
                            continue;
                        };
                        if level == HeadingLevel::H1 {
                            if doc.heading.is_some() {
                                diags.push(
                                    structure::LINT
                                        .at(f, span, "second chapter heading in one file")
                                        .help("one chapter per file: use `##` for controls"),
                                );
                                continue;
                            }
                            if !doc.controls.is_empty() {
                                diags.push(
                                    structure::LINT
                                        .at(f, span, "chapter heading after controls")
                                        .help("put `# ID title` first in the file"),
                                );
                            }
                            doc.heading = Some(h);
                        } else {
                            let old = std::mem::replace(
                                &mut prose,
                                ProseBuilder::new(file, lang, Section::Statement, keep_events),
                            );
                            finish(old, target, &mut doc, text);
                            doc.controls.push(ControlDoc {
                                id: h.id,
                                id_span: h.id_span,
                                title: h.title,
                                file,
                                meta: None,
                                statement: None,
                                guidance: None,
                            });
                            target = Target::ControlHead;
                        }
                        meta_allowed = true;
                    }
                    _ => {
                        let Some(section) = section_of(lang, &title) else {
                            diags.push(
                                structure::LINT
                                    .at(
                                        f,
                                        span,
                                        format!("unknown section heading 「{}」", title.trim()),
                                    )
                                    .help(format!(
                                        "a control has {}; use `####` for headings inside them",
                                        section_names(lang)
                                    )),
                            );
                            continue;
                        };
                        let Some(control) = doc.controls.last() else {
                            diags.push(
                                structure::LINT
                                    .at(f, span, "section heading outside a control")
                                    .help("put `## ID title` above it"),
                            );
                            continue;
                        };
                        let already = match section {
                            Section::Statement => control.statement.is_some(),
                            _ => control.guidance.is_some(),
                        };
                        if already || (target == Target::Section(section)) {
                            diags.push(
                                structure::LINT
                                    .at(
                                        f,
                                        span,
                                        format!("control {} has this section twice", control.id),
                                    )
                                    .help("merge the two sections"),
                            );
                            continue;
                        }
                        if section == Section::Statement
                            && (control.guidance.is_some()
                                || target == Target::Section(Section::Guidance))
                        {
                            diags.push(
                                structure::LINT
                                    .at(f, span.clone(), "statement after guidance")
                                    .help("the statement comes first, then the guidance"),
                            );
                        }
                        let old = std::mem::replace(
                            &mut prose,
                            ProseBuilder::new(file, lang, section, keep_events),
                        );
                        finish(old, target, &mut doc, text);
                        target = Target::Section(section);
                    }
                }
            }
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info)))
                if info.trim() == "toml meta" =>
            {
                if meta_allowed {
                    // The content starts after the opening fence line.
                    let content = text[range.clone()]
                        .find('\n')
                        .map_or(range.end, |i| range.start + i + 1);
                    in_meta = Some(content..content);
                } else {
                    diags.push(
                        structure::LINT
                            .at(f, range, "metadata block not directly under a heading")
                            .help("a ```toml meta block belongs right after a `#` chapter or `##` control heading"),
                    );
                    skipping_meta = true;
                }
                meta_allowed = false;
            }
            Event::Text(_) if in_meta.is_some() || skipping_meta => {
                if let Some(block) = &mut in_meta {
                    block.end = block.end.max(range.end);
                }
            }
            Event::End(TagEnd::CodeBlock) if in_meta.is_some() || skipping_meta => {
                if let Some(block) = in_meta.take() {
                    let slot = match doc.controls.last_mut() {
                        Some(c) if target == Target::ControlHead => &mut c.meta,
                        _ => &mut doc.meta,
                    };
                    *slot = Some(block);
                }
                skipping_meta = false;
            }
            Event::Html(_) | Event::InlineHtml(_) => {
                diags.push(g0005_raw_html::diagnostic(f, range));
            }
            event => {
                meta_allowed = false;
                if matches!(event, Event::Text(_)) && prose.code_depth == 0 {
                    g0008_build_directive::find(f, range.clone(), &mut diags);
                }
                if doc.heading.is_none() && !stray_reported && !matches!(event, Event::End(_)) {
                    stray_reported = true;
                    diags.push(
                        structure::LINT
                            .at(f, range.clone(), "text before the chapter heading")
                            .help(
                                "start the file with `# ID title`, for example `# M-3 リスク評価`",
                            ),
                    );
                }
                if target == Target::ControlHead && !prose.reported_stray {
                    if let Event::Start(_) = event {
                        prose.reported_stray = true;
                        let id = doc
                            .controls
                            .last()
                            .map(|c| c.id.to_string())
                            .unwrap_or_default();
                        diags.push(
                            structure::LINT
                                .at(
                                    f,
                                    range.clone(),
                                    format!("text of control {id} outside its sections"),
                                )
                                .help(format!("put it under {}", section_names(lang))),
                        );
                    }
                }
                prose.push(event, range, text, registry);
            }
        }
    }
    finish(prose, target, &mut doc, text);
    if doc.heading.is_none() {
        diags.push(
            structure::LINT
                .at(f, 0..0, "chapter file has no `# ID title` heading")
                .help("start the file with `# ID title`, for example `# M-3 リスク評価`"),
        );
    }
    (doc, diags)
}

pub(super) fn parse_heading(
    f: &SourceFile,
    span: Range<usize>,
    title: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<Heading> {
    let trimmed = title.trim_start();
    let id = trimmed.split_whitespace().next().unwrap_or("");
    let rest = trimmed[id.len()..].trim().to_string();
    let source = &f.text[span.clone()];
    let id_span = match source.find(id) {
        Some(i) if !id.is_empty() => span.start + i..span.start + i + id.len(),
        _ => span.clone(),
    };
    let Some(id) = Id::parse(id).filter(|_| !rest.is_empty()) else {
        diags.push(
            structure::LINT
                .at(f, id_span, format!("heading 「{}」 does not start with an ID and a title", title.trim()))
                .help("write `## ID title`, for example `## C-11.2 外部ネットワークの利用`; IDs use letters, digits, `.`, `_` and `-`"),
        );
        return None;
    };
    Some(Heading {
        id,
        id_span,
        title: rest,
    })
}

/// A link being read inside prose.
pub(super) enum OpenLink {
    /// A tag: role, technology id, start offset, and the link text so far.
    Tag(Role, String, usize, String),
    /// A tag with a misspelt role: its text is not matched again as a mention.
    Malformed,
    /// A parameter reference: id and start offset. Its text is the parameter's label, not
    /// prose of the control, so it holds no mentions.
    Param(String, usize),
    /// An ordinary link.
    Plain,
}

/// Collects one block of prose: its events, plain text and technology mentions.
pub(super) struct ProseBuilder {
    pub(super) prose: Prose,
    pub(super) lang: Lang,
    pub(super) section: Section,
    /// Whether `prose.events` is kept (see [`super::Purpose`]).
    pub(super) keep_events: bool,
    /// Events read so far, kept or not: the index of the next one, which items record.
    pub(super) events_read: usize,
    pub(super) code_depth: usize,
    /// Open links, innermost last.
    pub(super) links: Vec<OpenLink>,
    pub(super) reported_stray: bool,
    /// Open list items (statements only), innermost last.
    pub(super) open_items: Vec<OpenItem>,
    pub(super) list_depth: usize,
    /// Start of the top-level list being read.
    pub(super) list_start: usize,
    /// Entries without a label in the top-level list being read (loose if it has items).
    pub(super) unlabelled: Vec<Range<usize>>,
    /// Where the first top-level list with items ends.
    pub(super) items_end: Option<usize>,
}

/// A list item being read in a statement: an item if it starts with a bold label.
pub(super) struct OpenItem {
    pub(super) event: usize,
    /// The list depth the entry is in.
    pub(super) depth: usize,
    /// The entry's whole span.
    pub(super) span: Range<usize>,
    pub(super) state: LabelState,
    pub(super) label: String,
    pub(super) label_end: usize,
    pub(super) text_end: Option<usize>,
    pub(super) items: Vec<Item>,
}

#[derive(PartialEq)]
pub(super) enum LabelState {
    /// Nothing of the item read yet (a paragraph start may come first).
    Awaiting,
    /// Inside the bold label.
    Reading,
    /// The label is read: this is an item.
    Item,
    /// The item did not start with a bold label: an ordinary list item.
    NotItem,
}

impl ProseBuilder {
    pub(super) fn new(file: FileId, lang: Lang, section: Section, keep_events: bool) -> Self {
        ProseBuilder {
            prose: empty_prose(file),
            lang,
            section,
            keep_events,
            events_read: 0,
            code_depth: 0,
            links: Vec::new(),
            reported_stray: false,
            open_items: Vec::new(),
            list_depth: 0,
            list_start: 0,
            unlabelled: Vec::new(),
            items_end: None,
        }
    }

    /// Follows list items in a statement to find its items (`- **a.** text`).
    pub(super) fn track_items(&mut self, event: &Event<'_>, range: &Range<usize>, source: &str) {
        if self.section != Section::Statement {
            return;
        }
        let index = self.events_read;
        // A second paragraph of an item: not part of the item's text.
        if let (Some(top), Event::Start(Tag::Paragraph)) = (self.open_items.last(), event) {
            if top.state == LabelState::Item
                && top.text_end.is_some()
                && self.list_depth == top.depth
            {
                self.prose.loose.push(range.clone());
            }
        }
        if let Some(top) = self.open_items.last_mut() {
            match (&top.state, event) {
                (LabelState::Awaiting, Event::Start(Tag::Paragraph)) => {}
                (LabelState::Awaiting, Event::Start(Tag::Strong)) => {
                    top.state = LabelState::Reading
                }
                (LabelState::Awaiting, _) => top.state = LabelState::NotItem,
                (LabelState::Reading, Event::Text(t) | Event::Code(t)) => top.label.push_str(t),
                (LabelState::Reading, Event::End(TagEnd::Strong)) => {
                    top.state = LabelState::Item;
                    top.label_end = range.end;
                }
                (LabelState::Reading, _) => top.state = LabelState::NotItem,
                (LabelState::Item, Event::End(TagEnd::Paragraph) | Event::Start(Tag::List(_)))
                    if top.text_end.is_none() =>
                {
                    top.text_end = Some(range.start.max(top.label_end));
                    if matches!(event, Event::End(TagEnd::Paragraph)) {
                        top.text_end = Some(range.end);
                    }
                }
                _ => {}
            }
        }
        match event {
            Event::Start(Tag::List(_)) => {
                if self.list_depth == 0 {
                    self.list_start = range.start;
                }
                self.list_depth += 1;
            }
            Event::End(TagEnd::List(_)) => {
                self.list_depth = self.list_depth.saturating_sub(1);
                if self.list_depth == 0 {
                    let unlabelled = std::mem::take(&mut self.unlabelled);
                    if !self.prose.items.is_empty() {
                        if self.prose.lead.end == usize::MAX {
                            self.prose.lead.end = self.list_start;
                        }
                        if self.items_end.is_none() {
                            self.items_end = Some(range.end);
                            self.prose.loose.extend(unlabelled);
                        }
                    }
                }
            }
            Event::Start(Tag::Item) => self.open_items.push(OpenItem {
                event: index,
                depth: self.list_depth,
                span: range.clone(),
                state: LabelState::Awaiting,
                label: String::new(),
                label_end: range.start,
                text_end: None,
                items: Vec::new(),
            }),
            Event::End(TagEnd::Item) => {
                let Some(open) = self.open_items.pop() else {
                    return;
                };
                let ancestors_are_items =
                    self.open_items.iter().all(|o| o.state == LabelState::Item);
                let label = open.label.trim().to_string();
                let own = crate::syntax::item_id(&label).filter(|_| open.state == LabelState::Item);
                let Some(own) = own.filter(|_| ancestors_are_items) else {
                    // An entry without a label: loose inside an item, and in a top-level
                    // list if that list turns out to hold items.
                    if ancestors_are_items {
                        if self.open_items.is_empty() {
                            self.unlabelled.push(open.span.start..range.end);
                        } else {
                            self.prose.loose.push(open.span.start..range.end);
                        }
                    }
                    return;
                };
                let mut path: Vec<String> = self
                    .open_items
                    .iter()
                    .filter_map(|o| crate::syntax::item_id(o.label.trim()))
                    .collect();
                path.push(own);
                let end = open.text_end.unwrap_or(range.end).max(open.label_end);
                let written = &source[open.label_end..end];
                let start = open.label_end + (written.len() - written.trim_start().len());
                let end = (open.label_end + written.trim_end().len()).max(start);
                let item = Item {
                    id: path.join("."),
                    label,
                    text: start..end,
                    event: open.event,
                    items: open.items,
                };
                match self.open_items.last_mut() {
                    Some(parent) => parent.items.push(item),
                    None => self.prose.items.push(item),
                }
            }
            _ => {}
        }
    }

    pub(super) fn push(
        &mut self,
        event: Event<'_>,
        range: Range<usize>,
        source: &str,
        registry: &Registry,
    ) {
        if self.prose.span.is_empty() && self.events_read == 0 {
            self.prose.span = range.clone();
            self.prose.lead = range.start..usize::MAX;
        }
        self.track_items(&event, &range, source);
        let p = &mut self.prose;
        p.span.end = p.span.end.max(range.end);
        match &event {
            Event::Start(Tag::CodeBlock(_)) => self.code_depth += 1,
            Event::End(TagEnd::CodeBlock) => {
                self.code_depth = self.code_depth.saturating_sub(1);
                p.plain.push_str("\n\n");
            }
            Event::Start(Tag::Link { dest_url, .. }) => match parse_tag(dest_url) {
                TagParse::Tag(role, id) => self.links.push(OpenLink::Tag(
                    role,
                    id.to_string(),
                    range.start,
                    String::new(),
                )),
                TagParse::BadRole(scheme, id) => {
                    p.malformed_tags.push(MalformedTag {
                        file: p.file,
                        span: range.clone(),
                        scheme: scheme.to_string(),
                        technology: id.to_string(),
                    });
                    self.links.push(OpenLink::Malformed);
                }
                TagParse::Param(id) => self
                    .links
                    .push(OpenLink::Param(id.to_string(), range.start)),
                TagParse::NotATag => self.links.push(OpenLink::Plain),
            },
            Event::End(TagEnd::Link) => {
                let closed = self.links.pop();
                if let Some(OpenLink::Param(id, start)) = &closed {
                    p.params.push(ParamRef {
                        id: id.clone(),
                        span: *start..range.end,
                    });
                }
                if let Some(OpenLink::Tag(role, technology, start, text)) = closed {
                    p.mentions.push(Mention {
                        file: p.file,
                        span: start..range.end,
                        text,
                        technology,
                        role: Some(role),
                        in_link: false,
                        lang: self.lang,
                        section: self.section,
                    });
                }
            }
            Event::Text(t) => {
                p.plain.push_str(t);
                if let Some(OpenLink::Tag(_, _, _, text)) = self.links.last_mut() {
                    text.push_str(t);
                } else if self.code_depth == 0
                    && !self
                        .links
                        .iter()
                        .any(|l| matches!(l, OpenLink::Malformed | OpenLink::Param(..)))
                {
                    let in_link = !self.links.is_empty();
                    let written = &source[range.clone()];
                    // Escapes and entities make the event differ from the source; then the
                    // whole event's span is the best position we have.
                    let exact = written == t.as_ref();
                    for hit in registry.scan(t) {
                        let (span, index) = (hit.span, hit.technology);
                        if let Some(phrase) = hit.not_mention {
                            p.not_mentions.push(NotMention {
                                technology: index,
                                phrase,
                            });
                            continue;
                        }
                        let t_span = if exact {
                            range.start + span.start..range.start + span.end
                        } else {
                            range.clone()
                        };
                        p.mentions.push(Mention {
                            file: p.file,
                            span: t_span,
                            text: t[span].to_string(),
                            technology: registry.technologies[index].id.clone(),
                            role: None,
                            in_link,
                            lang: self.lang,
                            section: self.section,
                        });
                    }
                }
            }
            Event::Code(t) => {
                p.plain.push_str(t);
                if let Some(OpenLink::Tag(_, _, _, text)) = self.links.last_mut() {
                    text.push_str(t);
                }
            }
            // Japanese lines join without a space; English ones with one.
            Event::SoftBreak if self.lang == Lang::En => p.plain.push(' '),
            Event::HardBreak => p.plain.push('\n'),
            Event::End(
                TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Table | TagEnd::BlockQuote(_),
            ) => p.plain.push_str("\n\n"),
            Event::End(TagEnd::Item | TagEnd::TableHead | TagEnd::TableRow) => p.plain.push('\n'),
            // A sub-list starts on a line of its own.
            Event::Start(Tag::List(_)) if !p.plain.is_empty() && !p.plain.ends_with('\n') => {
                p.plain.push('\n')
            }
            Event::End(TagEnd::TableCell) => p.plain.push(' '),
            _ => {}
        }
        self.events_read += 1;
        if self.keep_events {
            p.events.push(event.into_static());
        }
    }

    pub(super) fn finish(mut self, source: &str) -> Prose {
        let p = &mut self.prose;
        p.plain = collapse_blank_lines(p.plain.trim());
        if !p.span.is_empty() {
            p.markdown = source[p.span.clone()].trim().to_string();
        }
        // The lead: up to the first item list, or the whole block; without the white space
        // around it.
        let end = p.lead.end.min(p.span.end);
        let start = p.lead.start.min(end);
        let written = &source[start..end];
        let lead_start = start + (written.len() - written.trim_start().len());
        p.lead = lead_start..(start + written.trim_end().len()).max(lead_start);
        // A loose span ends with its own block: pulldown-cmark's ranges in a loose list run
        // on to the next entry.
        for span in &mut p.loose {
            let text = &source[span.clone()];
            let mut end = text.len();
            for stop in ["\n\n", "\n- ", "\n* ", "\n+ "] {
                if let Some(i) = text.find(stop) {
                    end = end.min(i);
                }
            }
            span.end = span.start + text[..end].trim_end().len();
        }
        // Anything after the item list.
        if let Some(end) = self.items_end.filter(|e| *e < p.span.end) {
            let rest = &source[end..p.span.end];
            if !rest.trim().is_empty() {
                let at = end + (rest.len() - rest.trim_start().len());
                p.loose.push(at..end + rest.trim_end().len());
            }
        }
        self.prose
    }
}

pub(super) fn collapse_blank_lines(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut newlines = 0;
    for c in s.chars() {
        if c == '\n' {
            newlines += 1;
            if newlines <= 2 {
                out.push(c);
            }
        } else {
            newlines = 0;
            out.push(c);
        }
    }
    out
}
