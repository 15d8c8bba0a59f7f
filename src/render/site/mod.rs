//! The website: two mdBook books (Japanese and English) generated from the model, with
//! role badges, a page per technology, views by reader and level, a revision history, and
//! search that works in Japanese.
//!
//! Pages are rendered by tera templates (`templates/site/`) into HTML that goes into the
//! `<main>` of a page mdBook rendered with its theme around nothing ([`Body`]); mdBook runs
//! as a library with the configuration in `book/`. After mdBook, the search data is written
//! and every page gets a Content-Security-Policy that allows only its own inline scripts
//! (by hash) and nothing from another host.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::Path;

use anyhow::{Context, Result};
use base64::Engine as _;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::diff::EditionDiff;
use crate::html::prose;
use crate::model::{Audience, Control, Guideline, Lang, Level, Role, Section};
use crate::registry::Status;

mod javascript;
mod markup;
mod repeats;
mod scripts;
mod search;
mod self_check;
mod stylesheet;

const BOOK_TOML: &str = include_str!("../../../book/book.toml");
const CSS: &str = include_str!("../../../book/guideline.css");
const SEARCH_JS: &str = include_str!("../../../book/guideline-search.js");
const SELF_CHECK_JS: &str = include_str!("../../../book/guideline-self-check.js");
/// The theme's script, in place of mdBook's (see its opening comment for what it does).
const BOOK_JS: &str = include_str!("../../../book/book.js");
/// The sidebar script's template, in place of mdBook's (see the file).
const TOC_JS: &str = include_str!("../../../book/toc.js.hbs");
/// The site's icon: book/favicon.svg drawn at 32 pixels (709 bytes). With only a PNG in
/// the theme, mdBook links that and writes no SVG icon of its own. Chromium draws an SVG
/// icon by building a document for it on the page's main thread, about 20 ms just after the
/// page has loaded, in the way of whatever the reader does next; a small PNG decodes in well
/// under a millisecond.
const FAVICON_PNG: &[u8] = include_bytes!("../../../book/favicon.png");
const WRITING: &str = include_str!("../../../guideline/README.md");

/// The page templates, parsed once per process (serve rebuilds and the fuzz target render
/// many times).
fn templates() -> &'static tera::Tera {
    static TEMPLATES: std::sync::OnceLock<tera::Tera> = std::sync::OnceLock::new();
    TEMPLATES.get_or_init(parse_templates)
}

fn parse_templates() -> tera::Tera {
    let mut t = tera::Tera::default();
    let files = [
        (
            "chapter.html",
            include_str!("../../../templates/site/chapter.html.tera"),
        ),
        (
            "technology.html",
            include_str!("../../../templates/site/technology.html.tera"),
        ),
        (
            "list.html",
            include_str!("../../../templates/site/list.html.tera"),
        ),
        (
            "home.html",
            include_str!("../../../templates/site/home.html.tera"),
        ),
        (
            "glossary.html",
            include_str!("../../../templates/site/glossary.html.tera"),
        ),
        (
            "self-check.html",
            include_str!("../../../templates/site/self-check.html.tera"),
        ),
        (
            "history.html",
            include_str!("../../../templates/site/history.html.tera"),
        ),
        // The site's front door, which sends a reader to the Japanese book.
        (
            "root.html",
            include_str!("../../../templates/site/root.html.tera"),
        ),
        // Markdown, which mdBook renders; not escaped (every lint's text is ours).
        (
            "lints.md",
            include_str!("../../../templates/site/lints.md.tera"),
        ),
    ];
    t.add_raw_templates(files).expect("site templates parse");
    t.autoescape_on(vec![".html"]);
    // Tera's own escaping also writes `/` as `&#x2F;`, which HTML does not need; the HTML
    // goes into the page as the template wrote it ([`Body::Html`]), so every link would read
    // `..&#x2F;chapters&#x2F;C-7.html` in the page source.
    t.set_escape_fn(crate::html::escape_value);
    t
}

/// A page of one book: its path under `src/`, its title in the sidebar, and its body.
struct Page {
    path: String,
    title: String,
    body: Body,
    /// Sidebar depth (0 = top level).
    depth: usize,
}

/// What a page holds.
enum Body {
    /// HTML from a page template: mdBook renders only the theme around it, and the HTML goes
    /// into the page's `<main>` as it is ([`finish_book`]). Given to mdBook whole, it would
    /// tokenize and re-serialize every page's HTML for the same elements, attributes and
    /// text (checked on every page of both books when this was introduced): that was most
    /// of mdBook's time.
    Html(String),
    /// Markdown (the lint reference, the format reference), which mdBook renders.
    Markdown(String),
}

impl Body {
    /// The page as Markdown, as a plain mdBook book holds it.
    fn markdown(&self) -> std::borrow::Cow<'_, str> {
        match self {
            Body::Html(html) => html_block(html).into(),
            Body::Markdown(markdown) => markdown.as_str().into(),
        }
    }

    /// What mdBook is given to render: the Markdown, or nothing for a page whose HTML
    /// [`finish_book`] puts in.
    fn for_mdbook(&self) -> &str {
        match self {
            Body::Html(_) => "",
            Body::Markdown(markdown) => markdown,
        }
    }
}

/// HTML inside Markdown ends at a blank line; keep the block whole.
fn html_block(html: &str) -> String {
    let mut out = String::with_capacity(html.len() + 16);
    for line in html.lines() {
        if line.trim().is_empty() {
            out.push_str("<!-- -->\n");
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// The wording of a book's pages: `templates/site/labels.LANG.toml`, one file per language
/// with the same keys. Templates read it as `labels`; the page code fills in the few values
/// with `{name}` placeholders ([`fill`]).
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Labels {
    switch_label: String,
    statement: String,
    params: String,
    guidance: String,
    references: String,
    related: String,
    previous: String,
    assurance: String,
    technologies: String,
    id: String,
    category: String,
    status: String,
    since: String,
    standards: String,
    aliases: String,
    used_by: String,
    control: String,
    level: String,
    chapter: String,
    role: String,
    #[serde(rename = "where")]
    where_: String,
    unused: String,
    not_applicable: String,
    edition: String,
    parts: String,
    controls: String,
    readers: String,
    views: String,
    choose_one: String,
    choose_one_or_more: String,
    home_title: String,
    how_to_read: String,
    example_means: String,
    required_means: String,
    prohibited_means: String,
    technologies_title: String,
    technologies_intro: String,
    technology: String,
    status_current: String,
    status_deprecated: String,
    status_prohibited: String,
    section_statement: String,
    section_guidance: String,
    section_intro: String,
    controls_index: String,
    for_reader: String,
    by_level: String,
    self_check_title: String,
    glossary_title: String,
    writing_title: String,
    lints_title: String,
    history_title: String,
    history_summary: String,
    technology_roles: String,
    absent: String,
    before: String,
    after: String,
    item: String,
    legend: String,
}

const LABELS_JA: &str = include_str!("../../../templates/site/labels.ja.toml");
const LABELS_EN: &str = include_str!("../../../templates/site/labels.en.toml");

/// The labels of `lang`, parsed once per process.
fn labels(lang: Lang) -> &'static Labels {
    static JA: std::sync::OnceLock<Labels> = std::sync::OnceLock::new();
    static EN: std::sync::OnceLock<Labels> = std::sync::OnceLock::new();
    let (cell, text, name) = match lang {
        Lang::Ja => (&JA, LABELS_JA, "labels.ja.toml"),
        Lang::En => (&EN, LABELS_EN, "labels.en.toml"),
    };
    // Both files are compiled in and a unit test parses them: a failure here is a build of
    // this program with a broken file, not bad input.
    cell.get_or_init(|| {
        toml::from_str(text).unwrap_or_else(|e| panic!("templates/site/{name}: {e}"))
    })
}

/// A label with its `{name}` placeholders filled in.
fn fill(label: &str, values: &[(&str, &dyn std::fmt::Display)]) -> String {
    let mut out = label.to_string();
    for (name, value) in values {
        out = out.replace(&format!("{{{name}}}"), &value.to_string());
    }
    out
}

fn status_label(l: &'static Labels, s: Status) -> &'static str {
    match s {
        Status::Current => &l.status_current,
        Status::Deprecated => &l.status_deprecated,
        Status::Prohibited => &l.status_prohibited,
    }
}

fn section_label(l: &'static Labels, s: Section) -> &'static str {
    match s {
        Section::Statement => &l.section_statement,
        Section::Guidance => &l.section_guidance,
        Section::Intro => &l.section_intro,
    }
}

/// A control's prose in `lang`, falling back to the authoritative Japanese.
fn in_lang(l: &crate::model::Localised<crate::model::Prose>, lang: Lang) -> &crate::model::Prose {
    l.get(lang).filter(|p| !p.is_blank()).unwrap_or(&l.ja)
}

fn chapter_url(chapter_id: &str) -> String {
    format!("chapters/{chapter_id}.html")
}

#[derive(Serialize)]
struct TechUse {
    id: String,
    name: String,
    role: &'static str,
    role_label: &'static str,
}

#[derive(Serialize)]
struct Related {
    id: String,
    href: String,
}

#[derive(Serialize)]
struct ControlView {
    id: String,
    title: String,
    level: &'static str,
    level_label: &'static str,
    audience: Vec<&'static str>,
    assurance: Option<String>,
    statement_html: String,
    guidance_html: String,
    technologies: Vec<TechUse>,
    references: Vec<String>,
    related: Vec<Related>,
    previous: Vec<String>,
    params: Vec<ParamView>,
}

/// A parameter as the chapter page lists it under its control.
#[derive(Serialize)]
struct ParamView {
    id: String,
    label: String,
    /// What the guideline says of the value, and the choices when it has them.
    guidelines: Vec<String>,
    choices: Vec<String>,
    /// 「いずれか」 / 「一つ以上」 for choices.
    how_many: String,
}

#[derive(Serialize)]
struct Row {
    id: String,
    href: String,
    title: String,
    badge: String,
    badge_class: String,
    extra: String,
}

#[derive(Serialize)]
struct Group {
    title: String,
    anchor: String,
    rows: Vec<Row>,
}

/// Everything one language's book is made of.
struct Book {
    lang: Lang,
    pages: Vec<Page>,
}

/// What every page template reads besides its own data: the language switch, the labels,
/// and the way back to the book's root.
#[derive(Serialize)]
struct Common {
    switch_href: String,
    switch_label: &'static str,
    other_lang: &'static str,
    labels: &'static Labels,
    to_root: String,
}

/// One page's template context: the common part and the page's own struct, side by side
/// at the top level of the template's variables.
#[derive(Serialize)]
struct PageContext<'a, T: Serialize> {
    #[serde(flatten)]
    common: Common,
    #[serde(flatten)]
    page: &'a T,
}

/// A page's own context struct, as the page renderer takes it.
trait PageData {
    fn context(&self, common: Common) -> Result<tera::Context>;
}

impl<T: Serialize> PageData for T {
    fn context(&self, common: Common) -> Result<tera::Context> {
        Ok(tera::Context::from_serialize(PageContext {
            common,
            page: self,
        })?)
    }
}

/// The front door (`index.html` above both books): its script's hash for its policy.
#[derive(Serialize)]
struct RootPage<'a> {
    script_hashes: &'a str,
}

/// The lint reference (`lints.md`): every lint's documentation, as `explain` prints it.
#[derive(Serialize)]
struct LintsPage {
    lints: Vec<LintDoc>,
}

#[derive(Serialize)]
struct LintDoc {
    code: &'static str,
    name: &'static str,
    severity: String,
    doc: String,
}

/// The home page (`home.html`).
#[derive(Serialize)]
struct HomePage<'a> {
    title: &'a str,
    edition: &'a str,
    date: &'a str,
    publisher: &'a str,
    notice: Option<&'a str>,
    roles: BTreeMap<&'static str, &'static str>,
    parts: Vec<PartLink>,
    views: Vec<ViewLink>,
}

#[derive(Serialize)]
struct PartLink {
    href: String,
    title: String,
    audience: String,
    controls: usize,
}

#[derive(Serialize)]
struct ViewLink {
    href: String,
    title: String,
}

/// A table of links in groups (`list.html`): a part, the technologies, a view.
#[derive(Serialize)]
struct ListPage<'a> {
    title: &'a str,
    intro: &'a str,
    headers: [&'a str; 3],
    groups: Vec<Group>,
}

/// A chapter with its controls (`chapter.html`).
#[derive(Serialize)]
struct ChapterPage<'a> {
    chapter: ChapterView,
    part_title: &'a str,
    controls: Vec<ControlView>,
}

#[derive(Serialize)]
struct ChapterView {
    id: String,
    title: String,
    intro_html: String,
}

/// One technology (`technology.html`).
#[derive(Serialize)]
struct TechnologyPage {
    t: TechView,
}

#[derive(Serialize)]
struct TechView {
    id: String,
    name: String,
    category: &'static str,
    aal: Option<crate::syntax::Aal>,
    status: &'static str,
    status_label: &'static str,
    since: Option<String>,
    standards: Vec<String>,
    aliases: Vec<String>,
    description: String,
    uses: Vec<UseRow>,
}

#[derive(Serialize)]
struct UseRow {
    id: String,
    title: String,
    href: String,
    role: &'static str,
    role_label: &'static str,
    section: String,
}

/// The self-check (`self-check.html`).
#[derive(Serialize)]
struct SelfCheckPage {
    lang: &'static str,
    view: self_check::SelfCheckView,
}

/// The glossary (`glossary.html`).
#[derive(Serialize)]
struct GlossaryPage<'a> {
    title: &'a str,
    terms: Vec<TermView>,
}

#[derive(Serialize)]
struct TermView {
    term: String,
    other: String,
    definition: String,
}

/// The revision history and its 新旧対照表 (`history.html`).
#[derive(Serialize)]
struct HistoryPage<'a> {
    title: &'a str,
    summary: String,
    old_edition: &'a str,
    new_edition: &'a str,
    technologies: Vec<TechRow>,
    rows: &'a [crate::diff::TableRow],
}

#[derive(Serialize)]
struct TechRow {
    technology: String,
    name: String,
    old_roles: String,
    new_roles: String,
    controls: String,
}

/// The generated pages of one language.
fn book(
    g: &Guideline,
    lang: Lang,
    history: Option<&EditionDiff>,
    previous_title: Option<&str>,
) -> Result<Book> {
    let t = templates();
    let l = labels(lang);
    // Every page is one template and one context struct beside the common part.
    let render = |name: &str, path: &str, page: &dyn PageData| -> Result<Body> {
        let depth = path.matches('/').count();
        let html = path.trim_end_matches(".md").to_string() + ".html";
        let common = Common {
            switch_href: format!("{}{}/{html}", "../".repeat(depth + 1), lang.other().code()),
            switch_label: &l.switch_label,
            other_lang: lang.other().code(),
            labels: l,
            to_root: "../".repeat(depth),
        };
        let ctx = page.context(common)?;
        Ok(Body::Html(t.render(name, &ctx)?))
    };
    let mut pages = Vec::new();
    // Where each chapter and control lives, for links.
    let mut href_of: BTreeMap<&str, String> = BTreeMap::new();
    // Statement items have anchors of their own (`C-6.6.2`).
    let item_ids: Vec<(String, &str)> = g
        .controls()
        .flat_map(|(_, c, k)| {
            k.statement
                .ja
                .all_items()
                .into_iter()
                .map(move |i| (format!("{}.{}", k.id, i.id), c.id.as_str()))
        })
        .collect();
    for (_, c) in g.chapters() {
        href_of.insert(&c.id, chapter_url(&c.id));
        for k in &c.controls {
            href_of.insert(&k.id, format!("{}#{}", chapter_url(&c.id), k.id));
        }
    }
    for (id, chapter) in &item_ids {
        href_of
            .entry(id.as_str())
            .or_insert_with(|| format!("{}#{id}", chapter_url(chapter)));
    }
    let role_name = |r: Role| r.label().in_lang(lang);
    let tech_name = |id: &str| {
        g.registry
            .get(id)
            .map_or_else(|| id.to_string(), |t| t.name.get(lang).to_string())
    };
    let audience_list = |audience: &[Audience]| {
        audience
            .iter()
            .map(|a| a.label().in_lang(lang))
            .collect::<Vec<_>>()
            .join(", ")
    };

    // Home.
    {
        let path = "index.md";
        let page = HomePage {
            title: g.manifest.title.get(lang),
            edition: &g.manifest.edition,
            date: &g.manifest.date,
            publisher: g.manifest.publisher.get(lang),
            notice: g.manifest.notice.as_ref().map(|n| n.get(lang)),
            roles: Role::ALL
                .iter()
                .map(|r| (r.keyword(), role_name(*r)))
                .collect(),
            parts: g
                .parts
                .iter()
                .map(|p| PartLink {
                    href: format!("parts/{}.html", p.id),
                    title: p.title.in_lang(lang).to_string(),
                    audience: audience_list(&p.audience),
                    controls: p.chapters.iter().map(|c| c.controls.len()).sum(),
                })
                .collect(),
            views: view_pages(lang)
                .into_iter()
                .map(|(file, title, _)| ViewLink {
                    href: format!("views/{file}.html"),
                    title,
                })
                .collect(),
        };
        pages.push(Page {
            path: path.into(),
            title: l.home_title.clone(),
            body: render("home.html", path, &page)?,
            depth: 0,
        });
    }

    // Parts and chapters.
    for part in &g.parts {
        let path = format!("parts/{}.md", part.id);
        let rows = part
            .chapters
            .iter()
            .map(|c| Row {
                id: c.id.to_string(),
                href: format!("../{}", chapter_url(&c.id)),
                title: c.title.in_lang(lang).to_string(),
                badge: String::new(),
                badge_class: String::new(),
                extra: format!("{} {}", c.controls.len(), l.controls),
            })
            .collect();
        let title = part.title.in_lang(lang);
        let intro = format!("{}: {}", l.readers, audience_list(&part.audience));
        let page = ListPage {
            title,
            intro: &intro,
            headers: [&l.id, &l.chapter, &l.controls],
            groups: vec![Group {
                title: String::new(),
                anchor: String::new(),
                rows,
            }],
        };
        pages.push(Page {
            path: path.clone(),
            title: title.to_string(),
            body: render("list.html", &path, &page)?,
            depth: 0,
        });
        for chapter in &part.chapters {
            let path = format!("chapters/{}.md", chapter.id);
            let intro = in_lang(&chapter.intro, lang);
            let page = ChapterPage {
                chapter: ChapterView {
                    id: chapter.id.to_string(),
                    title: chapter.title.in_lang(lang).to_string(),
                    intro_html: if intro.is_blank() {
                        String::new()
                    } else {
                        prose(intro, lang, "../")
                    },
                },
                part_title: title,
                controls: chapter
                    .controls
                    .iter()
                    .map(|k| control_view(g, k, lang, &href_of))
                    .collect(),
            };
            pages.push(Page {
                title: format!("{} {}", chapter.id, chapter.title.in_lang(lang)),
                body: render("chapter.html", &path, &page)?,
                path,
                depth: 1,
            });
        }
    }

    // Technologies.
    {
        let path = "technologies/index.md";
        let mut groups: BTreeMap<String, Vec<Row>> = BTreeMap::new();
        for tech in &g.registry.technologies {
            groups
                .entry(tech.category.label().in_lang(lang).to_string())
                .or_default()
                .push(Row {
                    id: tech.name.get(lang).to_string(),
                    href: format!("{}.html", tech.id),
                    title: tech.aal.map(|a| a.to_string()).unwrap_or_default(),
                    badge: status_label(l, tech.status).to_string(),
                    badge_class: match tech.status {
                        Status::Current => "example",
                        Status::Deprecated => "required",
                        Status::Prohibited => "prohibited",
                    }
                    .to_string(),
                    extra: String::new(),
                });
        }
        let page = ListPage {
            title: &l.technologies_title,
            intro: &l.technologies_intro,
            headers: [&l.technology, &l.assurance, &l.status],
            groups: groups
                .into_iter()
                .enumerate()
                .map(|(i, (title, rows))| Group {
                    title,
                    anchor: format!("category-{i}"),
                    rows,
                })
                .collect(),
        };
        pages.push(Page {
            path: path.into(),
            title: l.technologies_title.clone(),
            body: render("list.html", path, &page)?,
            depth: 0,
        });
        for tech in &g.registry.technologies {
            let path = format!("technologies/{}.md", tech.id);
            let mut uses: Vec<UseRow> = Vec::new();
            for (_, chapter, k) in g.controls() {
                let mut seen: Vec<(Role, Section)> = Vec::new();
                for m in k
                    .mentions()
                    .filter(|m| m.lang == Lang::Ja && m.technology == tech.id)
                {
                    let Some(role) = m.role else { continue };
                    if seen.contains(&(role, m.section)) {
                        continue;
                    }
                    seen.push((role, m.section));
                    uses.push(UseRow {
                        id: k.id.to_string(),
                        title: k.title.in_lang(lang).to_string(),
                        href: format!("../{}#{}", chapter_url(&chapter.id), k.id),
                        role: role.keyword(),
                        role_label: role_name(role),
                        section: section_label(l, m.section).to_string(),
                    });
                }
            }
            let page = TechnologyPage {
                t: TechView {
                    id: tech.id.clone(),
                    name: tech.name.get(lang).to_string(),
                    category: tech.category.label().in_lang(lang),
                    aal: tech.aal,
                    status: tech.status.keyword(),
                    status_label: status_label(l, tech.status),
                    since: tech.since.clone(),
                    standards: tech.standards.clone(),
                    aliases: match lang {
                        Lang::Ja => tech.aliases.ja.clone(),
                        Lang::En => tech.aliases.en.clone(),
                    },
                    description: tech.description.get(lang).to_string(),
                    uses,
                },
            };
            pages.push(Page {
                title: page.t.name.clone(),
                body: render("technology.html", &path, &page)?,
                path,
                depth: 1,
            });
        }
    }

    // Views by reader, by level, and the index of controls.
    for (file, title, filter) in view_pages(lang) {
        let path = format!("views/{file}.md");
        let mut groups = Vec::new();
        for part in &g.parts {
            let rows: Vec<Row> = part
                .chapters
                .iter()
                .flat_map(|c| c.controls.iter().map(move |k| (c, k)))
                .filter(|(_, k)| filter.matches(k))
                .map(|(c, k)| Row {
                    id: k.id.to_string(),
                    href: format!("../{}#{}", chapter_url(&c.id), k.id),
                    title: k.title.in_lang(lang).to_string(),
                    badge: k.level.label().in_lang(lang).to_string(),
                    badge_class: if k.level == Level::Minimum {
                        "required"
                    } else {
                        "example"
                    }
                    .into(),
                    extra: String::new(),
                })
                .collect();
            if !rows.is_empty() {
                groups.push(Group {
                    title: part.title.in_lang(lang).to_string(),
                    anchor: format!("part-{}", part.id),
                    rows,
                });
            }
        }
        let page = ListPage {
            title: &title,
            intro: "",
            headers: [&l.id, &l.control, &l.level],
            groups,
        };
        pages.push(Page {
            body: render("list.html", &path, &page)?,
            path,
            title,
            depth: if file == "index" { 0 } else { 1 },
        });
    }

    // Self-check: which controls apply to the reader.
    if let Some(a) = &g.applicability {
        let path = "self-check.md";
        let page = SelfCheckPage {
            lang: lang.code(),
            view: self_check::view(g, a, lang, &href_of),
        };
        pages.push(Page {
            path: path.into(),
            title: l.self_check_title.clone(),
            body: render("self-check.html", path, &page)?,
            depth: 0,
        });
    }

    // Glossary.
    {
        let path = "glossary.md";
        let page = GlossaryPage {
            title: &l.glossary_title,
            terms: g
                .glossary
                .term
                .iter()
                .map(|t| TermView {
                    term: t.name(lang).to_string(),
                    other: t.name(lang.other()).to_string(),
                    definition: t.definition.get(lang).to_string(),
                })
                .collect(),
        };
        pages.push(Page {
            path: path.into(),
            title: l.glossary_title.clone(),
            body: render("glossary.html", path, &page)?,
            depth: 0,
        });
    }

    // Revision history: change list and 新旧対照表 against the previous edition.
    if let Some(d) = history {
        let path = "history.md";
        let s = &d.summary;
        let roles = |r: &[Role]| {
            if r.is_empty() {
                l.absent.clone()
            } else {
                r.iter()
                    .map(|x| role_name(*x))
                    .collect::<Vec<_>>()
                    .join(" / ")
            }
        };
        let page = HistoryPage {
            title: &l.history_title,
            summary: fill(
                &l.history_summary,
                &[
                    ("previous_title", &previous_title.unwrap_or_default()),
                    ("old_edition", &d.old_edition),
                    ("new_edition", &d.new_edition),
                    ("added", &s.added),
                    ("removed", &s.removed),
                    ("renumbered", &s.renumbered),
                    ("changed", &s.changed),
                    ("unchanged", &s.unchanged),
                ],
            ),
            old_edition: &d.old_edition,
            new_edition: &d.new_edition,
            technologies: d
                .technologies
                .iter()
                .map(|tc| TechRow {
                    technology: tc.technology.clone(),
                    name: tech_name(&tc.technology),
                    old_roles: roles(&tc.old_roles),
                    new_roles: roles(&tc.new_roles),
                    controls: tc.places("→", &roles),
                })
                .collect(),
            rows: d.table(),
        };
        pages.push(Page {
            path: path.into(),
            title: l.history_title.clone(),
            body: render("history.html", path, &page)?,
            depth: 0,
        });
    }

    // Reference pages for editors (English: they document the tool).
    pages.push(Page {
        path: "writing.md".into(),
        title: l.writing_title.clone(),
        body: Body::Markdown(WRITING.trim_start_matches('\u{feff}').to_string()),
        depth: 0,
    });
    let lints = LintsPage {
        lints: crate::lint::ALL
            .iter()
            .map(|lint| LintDoc {
                code: lint.code,
                name: lint.name,
                severity: format!("{:?}", lint.severity),
                // The page's sections are `##`; a lint's own sections go one level down.
                doc: lint.documentation().replace("\n## ", "\n### "),
            })
            .collect(),
    };
    let lints = t.render("lints.md", &tera::Context::from_serialize(&lints)?)?;
    pages.push(Page {
        path: "lints.md".into(),
        title: l.lints_title.clone(),
        body: Body::Markdown(lints),
        depth: 0,
    });
    Ok(Book { lang, pages })
}

/// Views by reader and level: (file, title, filter).
fn view_pages(lang: Lang) -> Vec<(String, String, ViewFilter)> {
    let l = labels(lang);
    let mut v = vec![(
        "index".to_string(),
        l.controls_index.clone(),
        ViewFilter::All,
    )];
    for a in Audience::ALL {
        v.push((
            a.keyword().to_string(),
            fill(&l.for_reader, &[("reader", &a.label().in_lang(lang))]),
            ViewFilter::Reader(a),
        ));
    }
    for level in [Level::Minimum, Level::Recommended] {
        v.push((
            level.keyword().to_string(),
            fill(&l.by_level, &[("level", &level.label().in_lang(lang))]),
            ViewFilter::Level(level),
        ));
    }
    v
}

enum ViewFilter {
    All,
    Reader(Audience),
    Level(Level),
}

impl ViewFilter {
    fn matches(&self, k: &Control) -> bool {
        match self {
            ViewFilter::All => true,
            ViewFilter::Reader(a) => k.audience.contains(a),
            ViewFilter::Level(l) => k.level == *l,
        }
    }
}

fn control_view(
    g: &Guideline,
    k: &Control,
    lang: Lang,
    href_of: &BTreeMap<&str, String>,
) -> ControlView {
    let statement = in_lang(&k.statement, lang);
    let guidance = in_lang(&k.guidance, lang);
    ControlView {
        id: k.id.to_string(),
        title: k.title.in_lang(lang).to_string(),
        level: k.level.keyword(),
        level_label: k.level.label().in_lang(lang),
        audience: k.audience.iter().map(|a| a.label().in_lang(lang)).collect(),
        assurance: k.assurance.map(|a| a.to_string()),
        statement_html: crate::html::statement(statement, &k.id, lang, "../"),
        guidance_html: if guidance.is_blank() {
            String::new()
        } else {
            prose(guidance, lang, "../")
        },
        technologies: k
            .technology_uses()
            .into_iter()
            .map(|u| TechUse {
                name: g
                    .registry
                    .get(&u.technology)
                    .map_or_else(|| u.technology.clone(), |t| t.name.get(lang).to_string()),
                id: u.technology,
                role: u.role.keyword(),
                role_label: u.role.label().in_lang(lang),
            })
            .collect(),
        references: k.references.clone(),
        related: k
            .related
            .iter()
            .map(|r| Related {
                id: r.value.clone(),
                href: href_of
                    .get(r.value.as_str())
                    .map_or_else(String::new, |h| format!("../{h}")),
            })
            .collect(),
        previous: k.previous.iter().map(|p| p.value.clone()).collect(),
        params: k
            .params
            .iter()
            .map(|p| {
                let text = |l: &crate::model::Localised<String>| {
                    // A reference to another parameter reads as that parameter's ID.
                    crate::oscal::insert_params(l.in_lang(lang), &|id| format!("[{id}]"))
                };
                ParamView {
                    id: p.id.value.clone(),
                    label: p.label.as_ref().map_or_else(|| p.id.value.clone(), text),
                    guidelines: p.guidelines.iter().map(text).collect(),
                    choices: p
                        .select
                        .iter()
                        .flat_map(|s| s.choice.iter().map(text))
                        .collect(),
                    how_many: match p.select.as_ref().and_then(|s| s.how_many.as_deref()) {
                        Some("one-or-more") => labels(lang).choose_one_or_more.as_str(),
                        _ => labels(lang).choose_one.as_str(),
                    }
                    .to_string(),
                }
            })
            .collect(),
    }
}

/// Writes what mdBook reads from disk under `root` (the theme's files, the stylesheet and
/// scripts the configuration names, the self-check script) and returns the book's
/// configuration (book.toml) and its SUMMARY.md; the pages stay in memory
/// ([`Prepared::render`]).
fn write_book_frame(
    g: &Guideline,
    book: &Book,
    root: &Path,
    build_dir: &Path,
) -> Result<(String, String)> {
    let mut config: toml::Table = BOOK_TOML.parse().context("book/book.toml")?;
    let title = g.manifest.title.get(book.lang).to_string();
    let b = config
        .entry("book")
        .or_insert_with(|| toml::Value::Table(Default::default()));
    if let toml::Value::Table(b) = b {
        b.insert("title".into(), title.into());
        b.insert("language".into(), book.lang.code().into());
    }
    let mut build = toml::Table::new();
    build.insert(
        "build-dir".into(),
        build_dir.to_string_lossy().into_owned().into(),
    );
    build.insert("create-missing".into(), false.into());
    // No `{{#include}}`, `{{#playground}}` or other mdBook directives: text from the source
    // is published as written, never executed (a chapter could otherwise pull any file of
    // the build machine into the site).
    build.insert("use-default-preprocessors".into(), false.into());
    config.insert("build".into(), toml::Value::Table(build));
    let config = toml::to_string(&config)?;
    std::fs::write(root.join("guideline.css"), CSS)?;
    std::fs::write(root.join("guideline-search.js"), SEARCH_JS)?;
    // Only the self-check page loads this script, so it is a file of the book, not theme.
    std::fs::create_dir_all(root.join("src"))?;
    std::fs::write(root.join("src/guideline-self-check.js"), SELF_CHECK_JS)?;
    std::fs::create_dir_all(root.join("theme"))?;
    std::fs::write(root.join("theme/book.js"), BOOK_JS)?;
    std::fs::write(root.join("theme/toc.js.hbs"), TOC_JS)?;
    std::fs::write(root.join("theme/favicon.png"), FAVICON_PNG)?;
    for file in UNUSED_THEME_FILES {
        let file = root.join("theme").join(file);
        std::fs::create_dir_all(file.parent().expect("theme files are in a directory"))?;
        std::fs::write(file, "")?;
    }
    let src = root.join("src");
    let mut summary = String::from("# Summary\n\n");
    for (i, page) in book.pages.iter().enumerate() {
        // Page paths come from ids; the output module refuses any that would leave `src`.
        crate::output::contained(&src, &page.path)?;
        let title = page.title.replace(['[', ']'], "");
        if i == 0 {
            let _ = writeln!(summary, "[{title}]({})\n", page.path);
        } else {
            let _ = writeln!(
                summary,
                "{}- [{title}]({})",
                "  ".repeat(page.depth),
                page.path
            );
        }
    }
    Ok((config, summary))
}

/// Writes `search/LANG.bin`: one gzip file holding a line of JSON and then the text of
/// every page as the reader sees it, with its long repeats sent once ([`repeats`]): the
/// JSON holds each page's URL, title and segments, the copies (`copies`, see
/// [`repeats::Repeats`]) and the literal text's encoding; the literal text follows, in
/// UTF-8 or UTF-16, whichever is fewer bytes (UTF-16 for Japanese: two bytes a character
/// instead of three; it also compressed smaller in every book measured). And
/// `search/LANG.js`, the same uncompressed, for pages opened from disk or browsers without
/// DecompressionStream. The browser joins the pages' texts back from the literal text and
/// the copies, with U+0001 between pages (guideline-search.js).
///
/// A page's segments are three numbers or strings each, flat: the segment's start less the
/// one before it, its rank, and its anchor, or 0 where the anchor is the one before it
/// (most segments of a control share its anchor).
///
/// Every page of the book is indexed: `texts` holds the text of each of `book.pages`, in
/// order, read from the HTML file a reader opens ([`finish_book`]).
fn write_search(book: &Book, texts: &[search::PageText], out: &Path) -> Result<usize> {
    let bin_path = out.join(search_data(book.lang));
    std::fs::create_dir_all(bin_path.parent().expect("the data is in a folder"))?;
    let text: String = texts
        .iter()
        .map(|p| p.text.as_str())
        .collect::<Vec<_>>()
        .join("\u{1}");
    let docs: Vec<serde_json::Value> = book
        .pages
        .iter()
        .zip(texts)
        .map(|(page, p)| {
            let mut flat = Vec::with_capacity(p.segments.len() * 3);
            let (mut start, mut anchor) = (0, None);
            for s in &p.segments {
                flat.push(serde_json::json!(s.start - start));
                flat.push(serde_json::json!(u8::from(s.rank)));
                if anchor == Some(s.anchor.as_str()) {
                    flat.push(serde_json::json!(0));
                } else {
                    flat.push(serde_json::json!(s.anchor));
                }
                start = s.start;
                anchor = Some(s.anchor.as_str());
            }
            serde_json::json!([page_url(page), page.title, flat])
        })
        .collect();
    let utf16: Vec<u16> = text.encode_utf16().collect();
    let repeats = repeats::encode(&utf16);
    let literal = String::from_utf16(&repeats.literal)
        .context("the search text's literal runs split a character")?;
    let (encoding, literal_bytes): (&str, Vec<u8>) = if repeats.literal.len() * 2 < literal.len() {
        (
            "utf-16le",
            repeats
                .literal
                .iter()
                .flat_map(|u| u.to_le_bytes())
                .collect(),
        )
    } else {
        ("utf-8", literal.as_bytes().to_vec())
    };
    // Each part is serialised once, for both files.
    let docs = serde_json::to_string(&docs)?;
    let copies = serde_json::to_string(&repeats.ops)?;
    let literal_json = serde_json::to_string(&literal)?;
    // gzip with no timestamp or file name in the header: the same text, the same bytes.
    // Level 6 for UTF-16 (the Japanese book: 1% smaller than level 5 for 5 ms more; level 9
    // saved 0.3% more for another 20 ms); level 5 for UTF-8, where the best level took five
    // times as long on English for 0.3%.
    let level = if encoding == "utf-16le" { 6 } else { 5 };
    let mut gz = flate2::GzBuilder::new()
        .mtime(0)
        .write(Vec::new(), flate2::Compression::new(level));
    let meta = format!(r#"{{"copies":{copies},"docs":{docs},"encoding":"{encoding}"}}"#);
    std::io::Write::write_all(&mut gz, meta.as_bytes())?;
    std::io::Write::write_all(&mut gz, b"\n")?;
    std::io::Write::write_all(&mut gz, &literal_bytes)?;
    let bin = gz.finish()?;
    std::fs::write(&bin_path, &bin)?;
    let script = format!(
        "window.guidelineSearchData = {{ docs: {docs}, copies: {copies}, literal: {literal_json} }};\n"
    );
    std::fs::write(bin_path.with_extension("js"), script)?;
    Ok(bin.len())
}

/// Where a book's search data is, relative to the book (`search/ja.bin`). The pages' head
/// script builds the same address from the page's `lang` ([`EARLY_SEARCH_FETCH`]), and
/// guideline-search.js that of the script copy beside it (`search/ja.js`).
fn search_data(lang: Lang) -> String {
    format!("search/{}.bin", lang.code())
}

/// Put first in every page's head, with the page's `path_to_root` for `ROOT`: the one way
/// the search data is fetched and decompressed (`guidelineSearchFetch`, defined where
/// fetching is possible: not from disk, not without DecompressionStream), started at once
/// when the page opens with `?search=`, while the page's stylesheets and scripts load
/// (guideline-search.js picks the result up, and calls the function itself when a reader
/// searches later; without it, it loads the data as a script).
const EARLY_SEARCH_FETCH: &str = concat!(
    "(function () { var searching = /[?&]search=/.test(location.search); ",
    "if (window.DecompressionStream && location.protocol !== 'file:') { ",
    "window.guidelineSearchFetch = function () { ",
    "return fetch(ROOT + 'search/' + document.documentElement.lang + '.bin').then(function (r) { ",
    "if (!r.ok) { throw new Error('search data'); } return r.arrayBuffer(); ",
    "}).then(function (gz) { ",
    // The whole file goes into the decompressor at once: fed from the network as it comes,
    // each piece waits for a turn among the page's other tasks.
    "var inflate = new DecompressionStream('gzip'); var w = inflate.writable.getWriter(); ",
    "w.write(new Uint8Array(gz)).catch(function () {}); w.close().catch(function () {}); ",
    // The output is read piece by piece and joined here: each read is a promise, where a
    // Response reading the stream (`new Response(readable).arrayBuffer()`) waits a task for
    // each piece, and so for the page's other tasks in between (20-30 ms on a first visit).
    "var reader = inflate.readable.getReader(), pieces = [], size = 0; ",
    "function next(piece) { if (piece.done) { var all = new Uint8Array(size), at = 0; ",
    "pieces.forEach(function (p) { all.set(p, at); at += p.length; }); return all.buffer; } ",
    "pieces.push(piece.value); size += piece.value.length; return reader.read().then(next); } ",
    "return reader.read().then(next); }); }; ",
    "if (searching) { window.guidelineSearchEarly = window.guidelineSearchFetch(); ",
    "window.guidelineSearchEarly.catch(function () {}); } } ",
    // While the first results are on their way, the page is hidden (its content would be
    // hidden by them a moment later) and what can wait for them does (toc.js): until they
    // are shown, or cannot be (guideline-search.js says so), or a second after the page has
    // loaded without word from the search script.
    "if (searching) { document.documentElement.classList.add('guideline-searching'); ",
    "window.guidelineSearchShown = new Promise(function (done) { window.guidelineSearchDone = function () { ",
    "document.documentElement.classList.remove('guideline-searching'); done(); }; ",
    "window.addEventListener('load', function () { setTimeout(window.guidelineSearchDone, 1000); }); }); } })();\n",
);

/// The files of mdBook's theme that the pages do not use, replaced by empty ones so they are
/// neither copied nor fetched: web fonts (the site uses the reader's own fonts, which have
/// Japanese glyphs; Open Sans has none), code highlighting and the clipboard library (only
/// mdBook's own book.js used the last two; the site's book.js needs neither).
const UNUSED_THEME_FILES: &[&str] = &[
    "fonts/fonts.css",
    "highlight.js",
    "clipboard.min.js",
    "highlight.css",
    "tomorrow-night.css",
    "ayu-highlight.css",
];

/// [`finish_page_parts`] of a whole page.
#[cfg(test)]
fn finish_page(html: &str) -> String {
    finish_page_parts(&PageParts::of(html), None, None)
}

/// A page mdBook wrote, as finishing reads it: the theme before the `<main>` element
/// ([`search::main_element`]), the element, and the theme after it. A page without `<main>`
/// is all theme (`before`).
struct PageParts<'a> {
    before: &'a str,
    main: Option<std::borrow::Cow<'a, str>>,
    after: &'a str,
}

impl<'a> PageParts<'a> {
    fn of(html: &'a str) -> Self {
        match search::main_element(html) {
            Some(main) => PageParts {
                before: &html[..main.start],
                main: Some(html[main.clone()].into()),
                after: &html[main.end..],
            },
            None => PageParts {
                before: html,
                main: None,
                after: "",
            },
        }
    }

    /// The page with `content` in its `<main>` element, which mdBook rendered empty (a page
    /// whose body is [`Body::Html`]). None if the page has no `<main>` or mdBook put
    /// something in it.
    fn with_content(self, content: &str) -> Option<Self> {
        let main = self.main.as_deref()?;
        let inside = main.find('>')? + 1;
        let end = main.len() - "</main>".len();
        if !main.get(inside..end)?.trim().is_empty() {
            return None;
        }
        let filled = [&main[..inside], "\n", content, &main[end..]].concat();
        Some(PageParts {
            main: Some(filled.into()),
            ..self
        })
    }

    /// The visible text of the page's `<main>` (of the whole page without one), for the
    /// search data.
    fn text(&self) -> search::PageText {
        search::main_text(self.main.as_deref().unwrap_or(self.before))
    }
}

/// The finishing pass over one page that mdBook wrote ([`PageParts`]): drops the links to the theme files and scripts in
/// `UNUSED_THEME_FILES`, starts what the page loads early ([`load_early`]), and adds a
/// Content-Security-Policy: scripts only from the site itself or inline blocks whose hash is
/// listed, nothing from any other host.
///
/// All of it is the theme's markup, before and after `<main>` (a page without one is all
/// theme): only those parts are read and changed, and the content between them, the text
/// rendered from the source and the bulk of a page, is copied as it is. So the theme's
/// inline scripts are allowed, and a script that the source's text could have put on the
/// page never is (the loader refuses raw HTML, and this holds even if some got through).
fn finish_page_parts(
    page: &PageParts<'_>,
    stylesheets: Option<&Stylesheets>,
    search_data: Option<&str>,
) -> String {
    let unused = unused_theme();
    let (mut before, content, mut after) = match page.main.as_deref() {
        Some(main) => (
            drop_unused_theme(page.before, &unused.head),
            main,
            drop_unused_theme(page.after, &unused.end),
        ),
        None => (
            drop_unused_theme(page.before, unused.head.iter().chain(&unused.end)),
            "",
            String::new(),
        ),
    };
    if let Some(stylesheets) = stylesheets {
        before = stylesheets.link_merged(&before);
    }
    // mdBook's sidebar toggle is a <label> carrying aria-label, aria-controls and (set by
    // book.js) aria-expanded, which only a button may have (axe-core: aria-allowed-attr):
    // it becomes a button for assistive technology and the keyboard (guideline-search.js
    // answers Enter and Space on it).
    before = before.replace(
        r#"<label id="mdbook-sidebar-toggle" class="icon-button""#,
        r#"<label id="mdbook-sidebar-toggle" role="button" tabindex="0" class="icon-button""#,
    );
    load_early(&mut before, content, &mut after, search_data);
    let mut hashes = script_hashes(&before);
    hashes.extend(script_hashes(&after));
    let policy = format!(
        "default-src 'self'; script-src 'self' {}; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; frame-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'",
        hashes.join(" ")
    );
    let meta = format!(
        "<head>\n        <meta http-equiv=\"Content-Security-Policy\" content=\"{policy}\">"
    );
    let before = before.replacen("<head>", &meta, 1);
    [before.as_str(), content, after.as_str()].concat()
}

/// What the theme writes that the site does not use, as patterns: the links to the theme
/// files in `UNUSED_THEME_FILES`, which are in the head; the scripts in `UNUSED_THEME_FILES`
/// and the icon templates (`<template id=fa-copy>`, ...) that only mdBook's own book.js
/// copied into code blocks (the site's book.js uses none; they were a tenth of every page),
/// which are at the end of the body.
struct UnusedTheme {
    head: [regex::Regex; 2],
    end: [regex::Regex; 3],
}

fn unused_theme() -> &'static UnusedTheme {
    static UNUSED: std::sync::OnceLock<UnusedTheme> = std::sync::OnceLock::new();
    UNUSED.get_or_init(|| {
        let pattern = |p: &str| regex::Regex::new(p).expect("the theme patterns are valid");
        UnusedTheme {
            head: [
                r#"\s*<link rel="stylesheet" href="[^"]*fonts/fonts(-[0-9a-f]+)?\.css">"#,
                r#"\s*<link rel="stylesheet" id="mdbook-[a-z-]+-css" href="[^"]*">"#,
            ]
            .map(pattern),
            end: [
                r#"\s*<script src="[^"]*clipboard-[0-9a-f]+\.min\.js"></script>"#,
                r#"\s*<script src="[^"]*highlight-[0-9a-f]+\.js"></script>"#,
                r#"(?s)\s*<template id=fa-[a-z-]+>.*?</template>"#,
            ]
            .map(pattern),
        }
    })
}

/// A part of a page's theme without what `patterns` find ([`unused_theme`]).
fn drop_unused_theme<'a>(
    theme: &str,
    patterns: impl IntoIterator<Item = &'a regex::Regex>,
) -> String {
    let mut theme = theme.to_string();
    for pattern in patterns {
        if let std::borrow::Cow::Owned(changed) = pattern.replace_all(&theme, "") {
            theme = changed;
        }
    }
    theme
}

/// What a page loads, started as early as the page allows, and what it runs in an order that
/// shows the first search results soonest. mdBook puts the scripts after the stylesheets
/// and the search script at the end of the body, so a browser asks for them late and runs
/// the search only after the whole page is parsed and laid out. Instead:
/// - [`EARLY_SEARCH_FETCH`], mdBook's `path_to_root` script and a preload of every other
///   script go first in the head, before the stylesheets (an inline script after a
///   stylesheet waits for it, and the body waits for such a script);
/// - guideline-search.js is loaded from the head too, `async`: it runs as soon as it has
///   come, without waiting for the stylesheet or the page, works out the results of
///   `?search=` as soon as the data is in, and shows them as soon as the results list is
///   parsed (the body's inline scripts wait for the stylesheet, so the list may come after
///   the data);
/// - the sidebar script (toc.js, which mdBook runs in the head) runs right after the results
///   list, before the page's content, so that filling the sidebar does not hold up the
///   results;
/// - the theme's script that decides whether the sidebar shows reads the window's width
///   instead of the body's, which would make the browser lay out the page so far;
/// - on the page given `search_data` (the book's first page, where readers start and where
///   shared search links land), the search data is preloaded before anything else: the
///   browser then asks for it as soon as the page arrives, before any script of the page
///   runs, and [`EARLY_SEARCH_FETCH`] takes it from there.
///
/// The page is given as its theme before `<main>`, its content, and its theme after it;
/// the two theme parts change. A page without mdBook's `path_to_root` or content is left as
/// it is.
fn load_early(before: &mut String, content: &str, after: &mut String, search_data: Option<&str>) {
    static PATTERNS: std::sync::OnceLock<[regex::Regex; 5]> = std::sync::OnceLock::new();
    let [root, script, search_script, root_script, toc_script] = PATTERNS.get_or_init(|| {
        [
            regex::Regex::new(r#"const path_to_root = ("[^"\\]*");"#),
            regex::Regex::new(r#"<script src="([^"]+)"></script>"#),
            regex::Regex::new(r#"\s*<script src="([^"]*guideline-search-[0-9a-f]+\.js)"></script>"#),
            regex::Regex::new(
                r#"\s*(?:<!-- Provide site root[^>]*-->\s*)?(<script>\s*const path_to_root = [^<]*</script>)"#,
            ),
            regex::Regex::new(
                r#"\s*(?:<!-- Start loading toc\.js asap -->\s*)?<script src="([^"]*toc-[0-9a-f]+\.js)"></script>"#,
            ),
        ]
        .map(|r| r.expect("the page patterns are valid"))
    });
    const CONTENT: &str = r#"<div id="mdbook-content""#;
    const CHARSET: &str = r#"<meta charset="UTF-8">"#;
    const BODY_WIDTH: &str = "document.body.clientWidth >= 1080";
    let Some(root) = root.captures(before).map(|c| c[1].to_string()) else {
        return;
    };
    if !before.contains(CONTENT) || !before.contains(CHARSET) {
        return;
    }
    // Cut out of the head what moves: mdBook's `path_to_root` script and toc.js; and the
    // search script out of the end of the body.
    let root_tag = cut(before, root_script);
    let toc_src = cut(before, toc_script);
    let search_src = cut(after, search_script);
    let mut early = String::from(CHARSET);
    if let Some(data) = search_data {
        // `crossorigin`: the fetch of EARLY_SEARCH_FETCH is a CORS request, and a preload
        // serves only a request of the same mode.
        let _ = write!(
            early,
            "\n        <link rel=\"preload\" href=\"{data}\" as=\"fetch\" crossorigin>"
        );
    }
    let _ = write!(
        early,
        "\n        <script>{}</script>",
        EARLY_SEARCH_FETCH.replace("ROOT", &root)
    );
    if let Some(tag) = &root_tag {
        let _ = write!(early, "\n        {tag}");
    }
    if let Some(src) = &search_src {
        let _ = write!(early, "\n        <script async src=\"{src}\"></script>");
    }
    let mut preloaded = std::collections::BTreeSet::new();
    let scripts = [before.as_str(), content, after.as_str()]
        .into_iter()
        .flat_map(|part| script.captures_iter(part).map(|c| c[1].to_string()))
        .chain(toc_src.clone());
    for src in scripts {
        if preloaded.insert(src.clone()) {
            let _ = write!(
                early,
                "\n        <link rel=\"preload\" href=\"{src}\" as=\"script\">"
            );
        }
    }
    *before = before.replacen(CHARSET, &early, 1);
    *before = before.replacen(BODY_WIDTH, "window.innerWidth >= 1080", 1);
    if let Some(src) = toc_src {
        *before = before.replacen(
            CONTENT,
            &format!("<script src=\"{src}\"></script>\n                {CONTENT}"),
            1,
        );
    }
}

/// Takes the first match of `pattern` out of `text`, and gives its first group.
fn cut(text: &mut String, pattern: &regex::Regex) -> Option<String> {
    let found = pattern
        .captures(text)
        .map(|c| (c.get(0).expect("a match").range(), c[1].to_string()));
    found.map(|(range, group)| {
        text.replace_range(range, "");
        group
    })
}

/// The stylesheets every page of a book links (mdBook's theme, then the site's own), merged
/// into one file. A first visit then asks for one stylesheet instead of four: each request
/// is a round trip on a slow line, and a browser opens at most six connections to a host at
/// once, which the page's scripts and the search data need at the same time.
struct Stylesheets {
    /// The merged files, relative to the book's root (`css/variables-8adf115d.css`, ...),
    /// in the order the pages link them.
    parts: Vec<String>,
    /// The file that holds them, relative to the book's root (`css/site-1a2b3c4d.css`).
    merged: String,
}

impl Stylesheets {
    /// Merges the stylesheets that the book's `index.html` links (apart from the unused
    /// theme files that finishing drops), in that order, into `css/site-HASH.css` under
    /// `dir`, and removes them. None if the page links none.
    fn merge(dir: &Path) -> Result<Option<Stylesheets>> {
        let index = std::fs::read_to_string(dir.join("index.html"))
            .context("reading the book's index.html for its stylesheets")?;
        let head = &index[..index.find("<main").unwrap_or(index.len())];
        let head = drop_unused_theme(head, &unused_theme().head);
        let parts: Vec<String> = stylesheet_link()
            .captures_iter(&head)
            .map(|c| c[2].to_string())
            .collect();
        if parts.is_empty() {
            return Ok(None);
        }
        let mut merged = String::new();
        for part in &parts {
            let file = crate::output::contained(dir, part)?;
            merged.push_str(
                &std::fs::read_to_string(&file)
                    .with_context(|| format!("reading the stylesheet {}", file.display()))?,
            );
            merged.push('\n');
        }
        let digest = Sha256::digest(merged.as_bytes());
        let hash: String = digest[..4].iter().map(|b| format!("{b:02x}")).collect();
        let name = format!("css/site-{hash}.css");
        let file = crate::output::contained(dir, &name)?;
        std::fs::create_dir_all(file.parent().expect("the merged file is in css/"))?;
        std::fs::write(&file, merged)?;
        for part in &parts {
            std::fs::remove_file(crate::output::contained(dir, part)?)?;
        }
        Ok(Some(Stylesheets {
            parts,
            merged: name,
        }))
    }

    /// A page's theme with one link to the merged file, where the first of the merged ones
    /// was, and none to them; links to other stylesheets stay.
    fn link_merged(&self, theme: &str) -> String {
        let mut first = true;
        stylesheet_link()
            .replace_all(theme, |c: &regex::Captures<'_>| {
                let href = &c[2];
                // The page's way to the book's root (`../../`), then a merged file.
                let to_root = self
                    .parts
                    .iter()
                    .find_map(|part| href.strip_suffix(part.as_str()))
                    .filter(|prefix| prefix.trim_start_matches("../").is_empty());
                match to_root {
                    Some(to_root) if first => {
                        first = false;
                        format!(
                            "{}<link rel=\"stylesheet\" href=\"{to_root}{}\">",
                            &c[1], self.merged
                        )
                    }
                    Some(_) => String::new(),
                    None => c[0].to_string(),
                }
            })
            .into_owned()
    }
}

/// A stylesheet link as mdBook writes it, with the white space before it and its address.
fn stylesheet_link() -> &'static regex::Regex {
    static LINK: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    LINK.get_or_init(|| {
        regex::Regex::new(r#"(\s*)<link rel="stylesheet" href="([^"]*)">"#)
            .expect("the link pattern is valid")
    })
}

/// The finishing pass over a book's other files: every stylesheet minified
/// ([`stylesheet::minify`]), every script compacted where that is sure to change nothing
/// ([`javascript::compact`]).
fn finish_assets(dir: &Path) -> Result<()> {
    let mut files = Vec::new();
    for dir in [dir.to_path_buf(), dir.join("css")] {
        for entry in std::fs::read_dir(&dir)? {
            files.push(entry?.path());
        }
    }
    for path in files {
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        let finished = match path.extension().and_then(|e| e.to_str()) {
            Some("css") => stylesheet::minify(&std::fs::read_to_string(&path)?),
            Some("js") if name.starts_with("toc-") => {
                javascript::compact(&shorten_sidebar_list(&std::fs::read_to_string(&path)?))
            }
            Some("js") => javascript::compact(&std::fs::read_to_string(&path)?),
            _ => continue,
        };
        std::fs::write(&path, finished)?;
    }
    Ok(())
}

/// The sidebar script (book/toc.js.hbs) with its list of pages shorter: mdBook writes each
/// entry of the list with the same markup (about 80 bytes of `<li class=…><span class=…><a
/// href="`), two thirds of the list, sent with the first page a reader opens. Each piece of
/// markup that repeats (mdBook's entries, fold arrows and sublists, and the folders of the
/// pages' addresses) goes into the script's `REPEATED` once and is written in the list as
/// `\x02`, `\x03`, … (skipping `\x09` to `\x0d`: tab and line breaks), which the script
/// puts back.
///
/// The list is a single-quoted string; a piece is replaced only where no backslash escapes
/// its first character. A script without `var PAGES = '…';` and `var REPEATED = [];`, or
/// whose list already holds such an escape, is returned as it is.
fn shorten_sidebar_list(js: &str) -> String {
    const PAGES: &str = "var PAGES = '";
    const REPEATED: &str = "var REPEATED = [];";
    // \x02 to \x08 and \x0e to \x1f, in the order the script maps them back.
    const MARKERS: [u8; 25] = [
        0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x0e, 0x0f, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15,
        0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f,
    ];
    const MARKUP: [&str; 5] = [
        r#"<li class="chapter-item "><span class="chapter-link-wrapper"><a href=""#,
        r#"<li class="chapter-item expanded "><span class="chapter-link-wrapper"><a href=""#,
        "</a></span></li>",
        r#"<a class="chapter-fold-toggle"><div>❱</div></a></span><ol class="section">"#,
        "</ol>",
    ];
    let (Some(start), Some(repeated)) = (js.find(PAGES), js.find(REPEATED)) else {
        return js.to_string();
    };
    if repeated < start {
        return js.to_string();
    }
    let start = start + PAGES.len();
    // The list ends at the first quote no backslash escapes.
    let bytes = js.as_bytes();
    let mut end = start;
    while end < bytes.len() && bytes[end] != b'\'' {
        end += if bytes[end] == b'\\' { 2 } else { 1 };
    }
    let list = &js[start..end.min(js.len())];
    // The markers are control characters; a list that holds any, raw or escaped, is left
    // as it is.
    if end >= js.len()
        || repeated < end
        || ["\\x0", "\\x1", "\\u00"].iter().any(|e| list.contains(e))
        || list.chars().any(|c| (c as u32) < 0x20)
    {
        return js.to_string();
    }
    let mut pieces: Vec<String> = MARKUP.iter().map(|m| m.to_string()).collect();
    let folders = regex::Regex::new(r#"href="([a-z0-9-]+/)"#).expect("the folder pattern is valid");
    let mut seen = std::collections::BTreeSet::new();
    for found in folders.captures_iter(list) {
        if seen.insert(found[1].to_string()) && pieces.len() < MARKERS.len() {
            pieces.push(found[1].to_string());
        }
    }
    let mut short = list.to_string();
    let mut used = Vec::new();
    for piece in pieces {
        let marker = format!("\\x{:02x}", MARKERS[used.len()]);
        let mut out = String::with_capacity(short.len());
        let mut rest = short.as_str();
        let mut replaced = false;
        while let Some(at) = rest.find(&piece) {
            let escaped = rest[..at].bytes().rev().take_while(|&b| b == b'\\').count() % 2 == 1;
            out.push_str(&rest[..at]);
            out.push_str(if escaped { &piece } else { &marker });
            replaced |= !escaped;
            rest = &rest[at + piece.len()..];
        }
        out.push_str(rest);
        if replaced {
            short = out;
            used.push(piece);
        }
    }
    let table = serde_json::to_string(&used).expect("strings serialise");
    let mut result = String::with_capacity(js.len());
    result.push_str(&js[..start]);
    result.push_str(&short);
    let after = &js[end..];
    let at = repeated - end;
    result.push_str(&after[..at]);
    let _ = write!(result, "var REPEATED = {table};");
    result.push_str(&after[at + REPEATED.len()..]);
    result
}

/// The CSP sources (`'sha256-…'`) of every inline script of `html`, in order.
fn script_hashes(html: &str) -> Vec<String> {
    scripts::inline_scripts(html)
        .iter()
        .map(|body| {
            let digest = Sha256::digest(body.as_bytes());
            format!(
                "'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            )
        })
        .collect()
}

/// The finishing pass over a book that mdBook wrote into `dir`: every HTML file is read
/// once, a page whose body is [`Body::Html`] gets it ([`PageParts::with_content`]), the
/// visible text of each page of the book is taken for the search data (from the page's
/// `<main>`, which finishing leaves as it is), and the page is finished
/// ([`finish_page_parts`]) and written back; then the search data is written
/// ([`write_search`]). Returns the search data's size and how many HTML files there were.
fn finish_book(
    book: &Book,
    dir: &Path,
    stylesheets: Option<&Stylesheets>,
) -> Result<(usize, usize)> {
    use rayon::prelude::*;
    let mut files = Vec::new();
    html_files(dir, &mut files)?;
    let pages: HashMap<std::path::PathBuf, usize> = book
        .pages
        .iter()
        .enumerate()
        .map(|(i, page)| Ok((crate::output::contained(dir, &page_url(page))?, i)))
        .collect::<Result<_>>()?;
    // The book's first page is where readers start and where shared search links land
    // (`?search=`): it asks for the search data at once, as the first thing it loads.
    let landing = dir.join("index.html");
    let landing_data = search_data(book.lang);
    let mut read: Vec<(usize, search::PageText)> = files
        .par_iter()
        .map(|path| -> Result<Option<(usize, search::PageText)>> {
            let html = std::fs::read_to_string(path)
                .with_context(|| format!("reading the rendered page {}", path.display()))?;
            let page = pages.get(path).copied();
            let mut parts = PageParts::of(&html);
            if let Some(Body::Html(content)) = page.map(|i| &book.pages[i].body) {
                parts = parts.with_content(content).with_context(|| {
                    format!(
                        "mdBook's page {} has no empty <main> element for the page's HTML",
                        path.display()
                    )
                })?;
            }
            let text = page.map(|page| (page, parts.text()));
            let landing = (path == &landing).then_some(landing_data.as_str());
            std::fs::write(path, finish_page_parts(&parts, stylesheets, landing))?;
            Ok(text)
        })
        .collect::<Result<Vec<_>>>()?
        .into_iter()
        .flatten()
        .collect();
    // Each page of the book is one file, so the texts in page order are one per page unless
    // mdBook left a page out.
    read.sort_unstable_by_key(|(page, _)| *page);
    if let Some(missing) = (0..book.pages.len()).find(|&i| read.get(i).map(|r| r.0) != Some(i)) {
        anyhow::bail!("mdBook wrote no page {}", page_url(&book.pages[missing]));
    }
    let texts: Vec<search::PageText> = read.into_iter().map(|(_, text)| text).collect();
    let bytes = write_search(book, &texts, dir)?;
    Ok((bytes, files.len()))
}

/// Where mdBook writes a page (`chapters/C-7.html` for `chapters/C-7.md`), relative to its
/// book.
fn page_url(page: &Page) -> String {
    format!("{}.html", page.path.trim_end_matches(".md"))
}

/// Every `.html` file under `dir`, found depth first.
fn html_files(dir: &Path, found: &mut Vec<std::path::PathBuf>) -> Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            html_files(&path, found)?;
        } else if path.extension().is_some_and(|e| e == "html") {
            found.push(path);
        }
    }
    Ok(())
}

/// The site's front door: it opens the Japanese book and keeps what the link carried
/// (`?search=…`, `#fragment`), so a shared search link still searches. Without scripts it
/// falls back to a plain redirect and links to both books.
fn root_redirect() -> Result<String> {
    // The policy lists the hashes of the page's own scripts: render, read them, render
    // with them.
    let render = |script_hashes: &str| {
        let page = RootPage { script_hashes };
        templates().render("root.html", &tera::Context::from_serialize(&page)?)
    };
    let hashes = script_hashes(&render("")?);
    Ok(render(&hashes.join(" "))?)
}

/// What the site build reports.
pub struct SiteReport {
    pub pages: usize,
    pub search_bytes: BTreeMap<&'static str, usize>,
}

/// One language's book, ready for mdBook: its pages and SUMMARY.md in memory, the files
/// mdBook reads from disk under `root`.
pub struct Prepared {
    book: Book,
    /// The mdBook root (theme/, src/, the additional stylesheet and script).
    pub root: std::path::PathBuf,
    /// book.toml.
    config: String,
    /// SUMMARY.md.
    summary: String,
}

impl Prepared {
    /// Renders the book with mdBook (as a library) from the pages in memory: mdBook is
    /// handed the book its loader would have read back from the same files, so the pages
    /// are never written as Markdown. The configuration is this one alone (no `MDBOOK_*`
    /// variable of the environment changes it).
    pub fn render(&self) -> Result<()> {
        use mdbook_driver::book::{BookItem, Chapter};
        use mdbook_summary::SummaryItem;
        let pages: HashMap<&str, &str> = self
            .book
            .pages
            .iter()
            .map(|p| (p.path.as_str(), p.body.for_mdbook()))
            .collect();
        // As mdBook's loader does: a chapter per link, numbered as the summary numbers it,
        // knowing the names of the chapters above it.
        fn items(
            summary: &[SummaryItem],
            pages: &HashMap<&str, &str>,
            parents: &[String],
        ) -> Result<Vec<BookItem>> {
            summary
                .iter()
                .map(|item| match item {
                    SummaryItem::Separator => Ok(BookItem::Separator),
                    SummaryItem::PartTitle(title) => Ok(BookItem::PartTitle(title.clone())),
                    SummaryItem::Link(link) => {
                        let mut chapter = match &link.location {
                            Some(path) => {
                                let body = path.to_str().and_then(|p| pages.get(p)).with_context(
                                    || {
                                        format!(
                                            "SUMMARY.md links {}, which is no page",
                                            path.display()
                                        )
                                    },
                                )?;
                                Chapter::new(&link.name, body.to_string(), path, parents.to_vec())
                            }
                            None => Chapter::new_draft(&link.name, parents.to_vec()),
                        };
                        chapter.number = link.number.clone();
                        let mut inner = parents.to_vec();
                        inner.push(link.name.clone());
                        chapter.sub_items = items(&link.nested_items, pages, &inner)?;
                        Ok(BookItem::Chapter(chapter))
                    }
                    other => anyhow::bail!(
                        "SUMMARY.md holds an item mdBook's loader does not take: {other:?}"
                    ),
                })
                .collect()
        }
        let summary = mdbook_summary::parse_summary(&self.summary)
            .map_err(|e| anyhow::anyhow!("mdBook cannot read the generated SUMMARY.md: {e:#}"))?;
        let book_items: Vec<BookItem> = [
            &summary.prefix_chapters,
            &summary.numbered_chapters,
            &summary.suffix_chapters,
        ]
        .into_iter()
        .map(|part| items(part, &pages, &[]))
        .collect::<Result<Vec<_>>>()?
        .concat();
        let config: mdbook_driver::config::Config = self
            .config
            .parse()
            .map_err(|e| anyhow::anyhow!("mdBook cannot read the generated book.toml: {e:#}"))?;
        let mut md = mdbook_driver::MDBook::load_with_config_and_summary(
            &self.root,
            config,
            Default::default(),
        )
        .map_err(|e| anyhow::anyhow!("mdBook cannot load the generated book: {e:#}"))?;
        md.book = mdbook_driver::book::Book::new_with_items(book_items);
        md.build()
            .map_err(|e| anyhow::anyhow!("mdBook build failed: {e:#}"))
    }

    /// Writes the rest of the book's source under `root` (book.toml, SUMMARY.md, every page
    /// as Markdown), making it a book plain `mdbook build` takes ([`run_mdbook`]): the
    /// reference the site bench measures against.
    pub fn write_source(&self) -> Result<()> {
        std::fs::write(self.root.join("book.toml"), &self.config)?;
        let src = self.root.join("src");
        for page in &self.book.pages {
            let file = crate::output::contained(&src, &page.path)?;
            if let Some(dir) = file.parent() {
                std::fs::create_dir_all(dir)?;
            }
            std::fs::write(&file, page.body.markdown().as_bytes())?;
        }
        std::fs::write(src.join("SUMMARY.md"), &self.summary)?;
        Ok(())
    }
}

/// Prepares both books under `work` (`work/ja`, `work/en`), configured to build into
/// `out/ja` and `out/en`.
pub fn prepare(
    g: &Guideline,
    history: Option<(&EditionDiff, &str)>,
    work: &Path,
    out: &Path,
) -> Result<Vec<Prepared>> {
    use rayon::prelude::*;
    Lang::ALL
        .par_iter()
        .map(|&lang| prepare_book(g, lang, history, work, out))
        .collect()
}

/// Prepares the book in `lang` under `work/<lang>`, configured to build into `out/<lang>`.
fn prepare_book(
    g: &Guideline,
    lang: Lang,
    history: Option<(&EditionDiff, &str)>,
    work: &Path,
    out: &Path,
) -> Result<Prepared> {
    let b = book(g, lang, history.map(|h| h.0), history.map(|h| h.1))?;
    let root = work.join(lang.code());
    std::fs::create_dir_all(&root)?;
    let (config, summary) = write_book_frame(g, &b, &root, &out.join(lang.code()))?;
    Ok(Prepared {
        book: b,
        root,
        config,
        summary,
    })
}

/// The pages of both books (`ja/chapters/C-4.md`, the page as Markdown: [`Body::markdown`]),
/// without writing anything: for the fuzz target, which drives every renderer on hostile
/// input.
pub fn page_sources(
    g: &Guideline,
    history: Option<(&EditionDiff, &str)>,
) -> Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    for lang in Lang::ALL {
        let b = book(g, lang, history.map(|h| h.0), history.map(|h| h.1))?;
        for page in b.pages {
            out.push((
                format!("{}/{}", lang.code(), page.path),
                page.body.markdown().into_owned(),
            ));
        }
    }
    Ok(out)
}

/// Runs mdBook (as a library) on a book on disk, as `mdbook build` does.
pub fn run_mdbook(root: &Path) -> Result<()> {
    let md = mdbook_driver::MDBook::load(root)
        .map_err(|e| anyhow::anyhow!("mdBook cannot load the generated book: {e:#}"))?;
    md.build()
        .map_err(|e| anyhow::anyhow!("mdBook build failed: {e:#}"))
}

/// Builds both books into `out` (which must exist and be empty).
pub fn build(
    g: &Guideline,
    history: Option<(&EditionDiff, &str)>,
    out: &Path,
) -> Result<SiteReport> {
    let temp = tempfile::tempdir()?;
    let work = temp.path();
    let mut report = SiteReport {
        pages: 0,
        search_bytes: BTreeMap::new(),
    };
    // Both books show the same 新旧対照表, compared on all cores on first use: compare it
    // before the books part, so that neither book's thread sits waiting while the other
    // compares it; the page templates are parsed meanwhile, for the same reason.
    rayon::join(templates, || history.map(|(d, _)| d.table()));
    // The two books share nothing else and mdBook renders on one thread: one thread each,
    // from the generated pages to the finished ones, so neither waits for the other between
    // steps.
    let books: Vec<Result<(&'static str, usize, usize)>> = std::thread::scope(|s| {
        let running: Vec<_> = Lang::ALL
            .into_iter()
            .map(|lang| {
                s.spawn(move || {
                    let p = prepare_book(g, lang, history, work, out)?;
                    p.render()?;
                    let target = out.join(p.book.lang.code());
                    let stylesheets = Stylesheets::merge(&target)?;
                    let (bytes, pages) = finish_book(&p.book, &target, stylesheets.as_ref())?;
                    finish_assets(&target)?;
                    Ok((p.book.lang.code(), bytes, pages))
                })
            })
            .collect();
        running
            .into_iter()
            .map(|t| {
                t.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    for book in books {
        let (lang, bytes, pages) = book?;
        report.search_bytes.insert(lang, bytes);
        report.pages += pages;
    }
    std::fs::write(out.join("index.html"), root_redirect()?)?;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The `<main>` element of a page as the tokens a browser reads: tags with their
    /// attributes, and text with each run of white space made one space and white space
    /// alone between tags left out (mdBook's serializer puts line breaks between blocks).
    fn main_tokens(html: &str) -> Vec<String> {
        #[derive(Default)]
        struct Tokens {
            all: Vec<String>,
            text: String,
        }
        impl Tokens {
            fn end_text(&mut self) {
                let text = self.text.split_whitespace().collect::<Vec<_>>().join(" ");
                if !text.is_empty() {
                    self.all.push(text);
                }
                self.text.clear();
            }
        }
        let main = search::main_element(html).expect("the page has a <main> element");
        let mut tokens = markup::read(
            &html[main],
            |name| (name == "script").then_some(markup::Raw::Script),
            |t: &mut Tokens, token| match token {
                markup::Token::Text(text) => t.text.push_str(&text),
                markup::Token::Start(tag) => {
                    t.end_text();
                    t.all.push(format!("<{} {:?}>", tag.name, tag.attrs));
                }
                markup::Token::End(name) => {
                    t.end_text();
                    t.all.push(format!("</{name}>"));
                }
            },
        );
        tokens.end_text();
        tokens.all
    }

    /// mdBook is given no page's template HTML (it renders the theme around an empty
    /// `<main>`, [`Body::Html`]), so each page must hold what mdBook itself makes of that
    /// HTML. Every page of both books of the shipped guideline is built both ways, by the
    /// site build and by plain mdBook from the same Markdown (the site bench's reference),
    /// and each page's `<main>` must read the same.
    #[test]
    fn each_page_holds_what_mdbook_makes_of_its_html() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("guideline");
        let g = crate::load::load_dir(&root).unwrap().guideline.unwrap();
        let history = g
            .previous_edition()
            .map(|old| (crate::diff::diff(old, &g), old.manifest.title.ja.clone()));
        let history = history.as_ref().map(|(d, t)| (d, t.as_str()));
        let site = tempfile::tempdir().unwrap();
        build(&g, history, site.path()).unwrap();
        let work = tempfile::tempdir().unwrap();
        let plain = tempfile::tempdir().unwrap();
        let mut html_pages = 0;
        for p in prepare(&g, history, work.path(), plain.path()).unwrap() {
            p.write_source().unwrap();
            run_mdbook(&p.root).unwrap();
            for page in &p.book.pages {
                let path = format!("{}/{}", p.book.lang.code(), page_url(page));
                let read = |dir: &Path| std::fs::read_to_string(dir.join(&path)).unwrap();
                let (ours, mdbook) = (
                    main_tokens(&read(site.path())),
                    main_tokens(&read(plain.path())),
                );
                assert!(ours.len() > 10, "{path}: {ours:?}");
                assert_eq!(ours, mdbook, "{path}");
                html_pages += usize::from(matches!(page.body, Body::Html(_)));
            }
        }
        assert!(html_pages > 200, "{html_pages} template pages");
    }

    /// The stylesheets `index.html` links become one file, in their order, and every page
    /// links that file where the first of them was, from its own depth; a link to another
    /// stylesheet stays.
    #[test]
    fn stylesheets_merge_into_one_file() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("css")).unwrap();
        std::fs::write(root.join("css/a-1.css"), "a{}").unwrap();
        std::fs::write(root.join("b-2.css"), "b{}").unwrap();
        let link = |href: &str| format!("\n  <link rel=\"stylesheet\" href=\"{href}\">");
        let index = format!(
            "<head>{}{}{}\n</head><main></main>",
            link("css/a-1.css"),
            link("fonts/fonts.css"),
            link("b-2.css")
        );
        std::fs::write(root.join("index.html"), index).unwrap();
        let merged = Stylesheets::merge(root).unwrap().unwrap();
        assert_eq!(merged.parts, ["css/a-1.css", "b-2.css"]);
        assert!(merged.merged.starts_with("css/site-") && merged.merged.ends_with(".css"));
        assert_eq!(
            std::fs::read_to_string(root.join(&merged.merged)).unwrap(),
            "a{}\nb{}\n"
        );
        assert!(!root.join("css/a-1.css").exists() && !root.join("b-2.css").exists());
        let page = [
            link("../../css/a-1.css"),
            link("../other.css"),
            link("x/b-2.css"),
            link("../../b-2.css"),
            "\n".into(),
        ]
        .concat();
        assert_eq!(
            merged.link_merged(&page),
            [
                link(&format!("../../{}", merged.merged)),
                link("../other.css"),
                link("x/b-2.css"),
                "\n".into(),
            ]
            .concat()
        );
    }

    #[test]
    fn the_page_html_goes_into_an_empty_main() {
        let frame = "<head></head><main>\n   \n</main><nav>x</nav>";
        let page = PageParts::of(frame).with_content("<p>a</p>").unwrap();
        let main = page.main.as_deref().unwrap();
        assert_eq!(
            [page.before, main, page.after].concat(),
            "<head></head><main>\n<p>a</p></main><nav>x</nav>"
        );
        assert_eq!(main, "<main>\n<p>a</p></main>");
        let put = |frame| PageParts::of(frame).with_content("<p>a</p>");
        assert!(put("<main><p>mdBook's</p></main>").is_none());
        assert!(put("<div></div>").is_none());
    }

    #[test]
    fn only_the_themes_scripts_are_allowed() {
        let hash = |body: &str| script_hashes(&format!("<script>{body}</script>")).remove(0);
        let page = "<head><script>theme()</script></head><body><main><p>text</p><script>content()</script></main><script>footer()</script></body>";
        let finished = finish_page(page);
        let policy = &finished[..finished.find("</head>").expect("a head")];
        assert!(policy.contains(&hash("theme()")), "{finished}");
        assert!(policy.contains(&hash("footer()")), "{finished}");
        assert!(!finished.contains(&hash("content()")), "{finished}");
        // The content is copied as it is.
        assert!(finished.contains("<main><p>text</p><script>content()</script></main>"));
        // mdBook's icon templates go, from the theme only.
        let page = "<head></head><body><main><template id=fa-copy>kept</template></main>\n<template id=fa-copy><span>x</span></template>\n<template id=fa-play><svg></svg></template><script>footer()</script></body>";
        let finished = finish_page(page);
        assert!(
            finished.ends_with(
                "<main><template id=fa-copy>kept</template></main><script>footer()</script></body>"
            ),
            "{finished}"
        );
        // A page without a main element is read whole.
        assert!(finish_page("<head></head><script>a()</script>").contains(&hash("a()")));
    }

    #[test]
    fn what_a_page_loads_starts_first() {
        let page = concat!(
            "<head>\n<meta charset=\"UTF-8\">\n<link rel=\"stylesheet\" href=\"../a.css\">\n",
            "<!-- Provide site root and default themes to javascript -->\n",
            "<script>\nconst path_to_root = \"../\";\n</script>\n",
            "<!-- Start loading toc.js asap -->\n<script src=\"../toc-1a.js\"></script>\n",
            "</head><body><script>if (document.body.clientWidth >= 1080) { }</script>\n",
            "<nav id=\"mdbook-sidebar\"></nav><div id=\"mdbook-searchresults-outer\"></div>\n",
            "<div id=\"mdbook-content\"><main>text</main></div>\n",
            "<script src=\"../book-2b.js\"></script>\n<script src=\"../guideline-search-3c.js\"></script>\n</body>"
        );
        let finish = |data: Option<&str>| {
            let main = search::main_element(page).expect("a main element");
            let (mut before, mut after) =
                (page[..main.start].to_string(), page[main.end..].to_string());
            load_early(&mut before, &page[main.clone()], &mut after, data);
            format!("{before}{}{after}", &page[main])
        };
        let done = finish(None);
        let at = |done: &str, needle: &str| {
            done.find(needle)
                .unwrap_or_else(|| panic!("{needle} is not in\n{done}"))
        };
        // The search data is asked for before the stylesheet, from the page's root, and
        // mdBook's root script runs before it too (so the body need not wait for it).
        assert!(at(&done, "fetch(\"../\" + 'search/'") < at(&done, "a.css"));
        assert!(at(&done, "const path_to_root") < at(&done, "a.css"));
        assert_eq!(done.matches("const path_to_root").count(), 1);
        for script in ["../toc-1a.js", "../book-2b.js"] {
            assert!(
                at(
                    &done,
                    &format!("<link rel=\"preload\" href=\"{script}\" as=\"script\">")
                ) < at(&done, "a.css")
            );
        }
        // The search script is asked for once, from the head, without the page waiting for
        // it, after the root script it reads; the sidebar script runs once, after the
        // results list and before the content (not in the head).
        let search = "<script async src=\"../guideline-search-3c.js\"></script>";
        let toc = "<script src=\"../toc-1a.js\">";
        assert_eq!(done.matches("guideline-search-3c.js").count(), 1, "{done}");
        assert!(at(&done, "const path_to_root") < at(&done, search));
        assert!(at(&done, search) < at(&done, "a.css"));
        assert_eq!(done.matches(toc).count(), 1);
        assert!(at(&done, "mdbook-searchresults-outer") < at(&done, toc));
        assert!(at(&done, toc) < at(&done, "mdbook-content"));
        assert!(!done.contains("toc.js asap"));
        // No layout of the page while it is read in, for the sidebar's width test.
        assert!(done.contains("if (window.innerWidth >= 1080)"), "{done}");
        // Only the page given the data's address preloads it, before anything else.
        assert!(!done.contains("as=\"fetch\""));
        let landing = finish(Some("search/ja.bin"));
        let preload = "<link rel=\"preload\" href=\"search/ja.bin\" as=\"fetch\" crossorigin>";
        assert_eq!(landing.matches(preload).count(), 1);
        assert!(at(&landing, preload) < at(&landing, "<script>"));
        // A page that is not mdBook's (no root, no content) is left as it is.
        let other =
            "<head>\n<meta charset=\"UTF-8\">\n</head><body><script src=\"x.js\"></script></body>";
        let (mut before, mut after) = (other.to_string(), String::new());
        load_early(&mut before, "", &mut after, None);
        assert_eq!((before.as_str(), after.as_str()), (other, ""));
    }

    /// The list comes back as it was when each marker is put back, as the script does; a
    /// piece whose first character a backslash escapes stays, and a script without the
    /// two places is left alone.
    #[test]
    fn the_sidebar_list_is_shorter_and_the_same() {
        let entry = |href: &str, title: &str| {
            format!(
                r#"<li class="chapter-item "><span class="chapter-link-wrapper"><a href="{href}">{title}</a></span></li>"#
            )
        };
        let mut list = String::from(r#"<ol class="chapter">"#);
        for i in 1..=9 {
            list.push_str(&entry(
                &format!("chapters/C-{i}.html"),
                &format!("C-{i} it\\'s"),
            ));
            list.push_str(&entry(&format!("technologies/t{i}.html"), "t"));
            // Enough folders to need markers past the skipped \x09 to \x0d.
            list.push_str(&entry(&format!("folder-{i}/index.html"), "f"));
        }
        list.push_str(r#"\<li class="chapter-item "><span class="chapter-link-wrapper"><a href="x.html">x</a></span></li></ol>"#);
        let script = format!("var PAGES = '{list}';\nvar REPEATED = [];\nrest();\n");
        let short = shorten_sidebar_list(&script);
        assert!(short.len() < script.len() / 2, "{short}");
        let table: Vec<String> = {
            let at = short.find("var REPEATED = ").unwrap() + "var REPEATED = ".len();
            let end = at + short[at..].find(";\n").unwrap();
            serde_json::from_str(&short[at..end]).unwrap()
        };
        assert!(
            table.contains(&"chapters/".to_string())
                && table.contains(&"technologies/".to_string())
        );
        // Only the pieces the list holds: three of the markup, two folders and nine more.
        assert_eq!(table.len(), 3 + 2 + 9, "{table:?}");
        assert!(!short.contains("\\x09") && !short.contains("\\x0a") && short.contains("\\x0e"));
        let at = "var PAGES = '".len();
        let end = at + short[at..].find("';\n").unwrap();
        let mut back = short[at..end].to_string();
        for (i, piece) in table.iter().enumerate().rev() {
            let code = if i < 7 { i + 2 } else { i + 7 };
            back = back.replace(&format!("\\x{code:02x}"), piece);
        }
        assert_eq!(back, list);
        assert!(short.ends_with(";\nrest();\n"));
        // Without both places, or with a control character in the list (raw or escaped,
        // which a marker could be taken for), the script is left as it is.
        for other in [
            "var PAGES = 'a';\nrest();",
            "var REPEATED = [];\nvar PAGES = 'a';",
            "x",
            "var PAGES = '</ol>\\x02</ol>';\nvar REPEATED = [];",
            "var PAGES = '</ol>\t</ol>';\nvar REPEATED = [];",
        ] {
            assert_eq!(shorten_sidebar_list(other), other);
        }
    }

    #[test]
    fn blank_lines_do_not_end_the_html_block() {
        assert_eq!(
            html_block("<div>\n\n<p>a</p>\n</div>"),
            "<div>\n<!-- -->\n<p>a</p>\n</div>\n"
        );
    }

    /// Both label files hold every key the pages read, and nothing else (the struct denies
    /// unknown keys), so a label added for one language only fails here.
    #[test]
    fn both_label_files_parse_with_the_same_keys() {
        let keys = |text: &str| -> Vec<String> {
            let table: toml::Table = toml::from_str(text).unwrap();
            table.keys().cloned().collect()
        };
        assert_eq!(keys(LABELS_JA), keys(LABELS_EN));
        assert_eq!(labels(Lang::Ja).switch_label, "English");
        assert_eq!(labels(Lang::En).switch_label, "日本語");
        assert_eq!(
            fill(&labels(Lang::En).for_reader, &[("reader", &"managers")]),
            "For managers"
        );
    }

    #[test]
    fn templates_escape_what_could_leave_a_value() {
        let hostile = "a\"b'c<d>e&f/g";
        assert_eq!(
            crate::html::escape_value(hostile),
            "a&quot;b&#39;c&lt;d&gt;e&amp;f/g"
        );
        let mut ctx = tera::Context::new();
        ctx.insert("v", hostile);
        let mut t = parse_templates();
        t.add_raw_template(
            "probe.html",
            "<a title='{{ v }}' href=\"{{ v }}\">{{ v }}</a>",
        )
        .expect("the probe parses");
        let page = t.render("probe.html", &ctx).expect("the probe renders");
        let escaped = "a&quot;b&#39;c&lt;d&gt;e&amp;f/g";
        assert_eq!(
            page,
            format!("<a title='{escaped}' href=\"{escaped}\">{escaped}</a>")
        );
    }

    #[test]
    fn escape_is_html_escape() {
        assert_eq!(crate::html::escape("<a&b>"), "&lt;a&amp;b&gt;");
    }
}
