//! The website: two mdBook books (Japanese and English) generated from the model, with
//! role badges, a page per technology, views by reader and level, a revision history, and
//! search that works in Japanese.
//!
//! Pages are rendered by tera templates (`templates/site/`) into HTML that mdBook wraps in
//! its theme; mdBook runs as a library with the configuration in `book/`. After mdBook, the
//! search data is written and every page gets a Content-Security-Policy that allows only
//! its own inline scripts (by hash) and nothing from another host.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use anyhow::{Context, Result};
use base64::Engine as _;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::diff::EditionDiff;
use crate::html::prose;
use crate::model::{Audience, Control, Guideline, Lang, Level, Role, Section};
use crate::registry::Status;

mod search;
mod self_check;

const BOOK_TOML: &str = include_str!("../../../book/book.toml");
const CSS: &str = include_str!("../../../book/guideline.css");
const SEARCH_JS: &str = include_str!("../../../book/guideline-search.js");
const SELF_CHECK_JS: &str = include_str!("../../../book/guideline-self-check.js");
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
    ];
    t.add_raw_templates(files).expect("site templates parse");
    t.autoescape_on(vec![".html"]);
    t
}

fn pick<'a>(lang: Lang, ja: &'a str, en: &'a str) -> &'a str {
    match lang {
        Lang::Ja => ja,
        Lang::En => en,
    }
}

fn loc(lang: Lang, l: crate::model::Localised<&'static str>) -> &'static str {
    match lang {
        Lang::Ja => l.ja,
        Lang::En => l.en.unwrap_or(l.ja),
    }
}

fn loc_string(lang: Lang, l: &crate::model::Localised<String>) -> String {
    match (lang, &l.en) {
        (Lang::En, Some(e)) if !e.trim().is_empty() => e.clone(),
        _ => l.ja.clone(),
    }
}

/// A page of one book: its path under `src/`, its title in the sidebar, and its body.
struct Page {
    path: String,
    title: String,
    /// Markdown (template output arrives already wrapped as one HTML block).
    body: String,
    /// Sidebar depth (0 = top level).
    depth: usize,
}

/// HTML inside Markdown ends at a blank line; keep the block whole.
fn html_block(html: String) -> String {
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

fn labels(lang: Lang) -> BTreeMap<&'static str, &'static str> {
    let pairs: &[(&str, &str, &str)] = &[
        ("statement", "要求事項", "Statement"),
        ("params", "組織が定める値", "Values the organisation sets"),
        ("guidance", "解説", "Guidance"),
        ("references", "参考文献", "References"),
        ("related", "関連項目", "Related"),
        ("previous", "旧版での項目", "In earlier editions"),
        ("assurance", "認証の強度", "Assurance"),
        ("technologies", "技術", "Technologies"),
        ("id", "ID", "ID"),
        ("category", "分類", "Category"),
        ("status", "状態", "Status"),
        ("since", "適用版", "since edition"),
        ("standards", "規格", "Standards"),
        ("aliases", "別名", "Also called"),
        ("used_by", "この技術に言及する項目", "Controls that name this technology"),
        ("control", "項目", "Control"),
        ("role", "役割", "Role"),
        ("where", "箇所", "Where"),
        ("unused", "この版では言及されていない。", "Not named in this edition."),
        ("not_applicable", "該当しない", "not applicable"),
        ("edition", "版", "Edition"),
        ("parts", "編", "Parts"),
        ("controls", "項目", "controls"),
        ("views", "読者別・区分別", "Views by reader and level"),
        ("technology_roles", "技術の役割の変更", "Changes in technology roles"),
        ("technology", "技術", "Technology"),
        ("before", "改正前", "Before"),
        ("after", "改正後", "After"),
        ("item", "項目", "Item"),
        ("legend", "下線部分は改正後の変更箇所、取消線部分は改正前の変更箇所を示す。", "Underlined: changed passages in the new text; struck out: changed passages in the old text."),
        (
            "how_to_read",
            "本文中で名前が挙げられる技術には、その役割を示す表示が付く。要求事項は達成すべき結果を定め、例示された技術以外でも同等以上の強度があれば用いてよい。",
            "Every technology named in the text carries a label saying what role it plays. Statements set the outcome to achieve; any technology of equal or higher strength may be used, not only the examples.",
        ),
        ("example_means", "例示:一つの例であり、他の手段でもよい", "one example among others; other means are acceptable"),
        ("required_means", "必須:その技術そのものが求められる", "the technology itself is required"),
        ("prohibited_means", "禁止:用いてはならない", "must not be used"),
    ];
    pairs
        .iter()
        .map(|(k, ja, en)| (*k, pick(lang, ja, en)))
        .collect()
}

fn status_label(lang: Lang, s: Status) -> &'static str {
    match s {
        Status::Current => pick(lang, "現行", "current"),
        Status::Deprecated => pick(lang, "非推奨", "deprecated"),
        Status::Prohibited => pick(lang, "禁止", "prohibited"),
    }
}

fn section_label(lang: Lang, s: Section) -> &'static str {
    match s {
        Section::Statement => pick(lang, "要求事項", "statement"),
        Section::Guidance => pick(lang, "解説", "guidance"),
        Section::Intro => pick(lang, "章の概要", "chapter introduction"),
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

fn other(lang: Lang) -> Lang {
    match lang {
        Lang::Ja => Lang::En,
        Lang::En => Lang::Ja,
    }
}

/// The generated pages of one language.
fn book(
    g: &Guideline,
    lang: Lang,
    history: Option<&EditionDiff>,
    previous_title: Option<&str>,
) -> Result<Book> {
    let t = templates();
    // Template output is HTML inside a Markdown page: keep it one HTML block.
    let render = |name: &str, ctx: &tera::Context| -> Result<String> {
        Ok(html_block(t.render(name, ctx)?))
    };
    let l = labels(lang);
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
    let switch = |path: &str| -> (String, &'static str) {
        let depth = path.matches('/').count();
        let up = "../".repeat(depth + 1);
        let html = path.trim_end_matches(".md").to_string() + ".html";
        (
            format!("{up}{}/{html}", other(lang).code()),
            pick(lang, "English", "日本語"),
        )
    };
    let base_ctx = |path: &str| {
        let mut ctx = tera::Context::new();
        let (href, label) = switch(path);
        ctx.insert("switch_href", &href);
        ctx.insert("switch_label", label);
        ctx.insert("other_lang", other(lang).code());
        ctx.insert("labels", &l);
        ctx.insert("to_root", &"../".repeat(path.matches('/').count()));
        ctx
    };
    let role_name = |r: Role| loc(lang, r.label());
    let tech_name = |id: &str| {
        g.registry.get(id).map_or_else(
            || id.to_string(),
            |t| pick(lang, &t.name.ja, &t.name.en).to_string(),
        )
    };

    // Home.
    {
        let path = "index.md";
        let mut ctx = base_ctx(path);
        ctx.insert(
            "title",
            pick(lang, &g.manifest.title.ja, &g.manifest.title.en),
        );
        ctx.insert("edition", &g.manifest.edition);
        ctx.insert("date", &g.manifest.date);
        ctx.insert(
            "publisher",
            pick(lang, &g.manifest.publisher.ja, &g.manifest.publisher.en),
        );
        ctx.insert(
            "notice",
            &g.manifest.notice.as_ref().map(|n| pick(lang, &n.ja, &n.en)),
        );
        let roles: BTreeMap<&str, &str> = Role::ALL
            .iter()
            .map(|r| (r.keyword(), role_name(*r)))
            .collect();
        ctx.insert("roles", &roles);
        #[derive(Serialize)]
        struct PartLink {
            href: String,
            title: String,
            audience: String,
            controls: usize,
        }
        let parts: Vec<PartLink> = g
            .parts
            .iter()
            .map(|p| PartLink {
                href: format!("parts/{}.html", p.id),
                title: loc_string(lang, &p.title),
                audience: p
                    .audience
                    .iter()
                    .map(|a| loc(lang, a.label()))
                    .collect::<Vec<_>>()
                    .join(", "),
                controls: p.chapters.iter().map(|c| c.controls.len()).sum(),
            })
            .collect();
        ctx.insert("parts", &parts);
        #[derive(Serialize)]
        struct ViewLink {
            href: String,
            title: String,
        }
        let views: Vec<ViewLink> = view_pages(lang)
            .into_iter()
            .map(|(file, title, _)| ViewLink {
                href: format!("views/{file}.html"),
                title,
            })
            .collect();
        ctx.insert("views", &views);
        let body = render("home.html", &ctx)?;
        pages.push(Page {
            path: path.into(),
            title: pick(lang, "はじめに", "Introduction").into(),
            body,
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
                id: c.id.clone(),
                href: format!("../{}", chapter_url(&c.id)),
                title: loc_string(lang, &c.title),
                badge: String::new(),
                badge_class: String::new(),
                extra: format!("{} {}", c.controls.len(), l["controls"]),
            })
            .collect();
        let mut ctx = base_ctx(&path);
        ctx.insert("title", &loc_string(lang, &part.title));
        ctx.insert(
            "intro",
            &format!(
                "{}: {}",
                pick(lang, "対象読者", "Readers"),
                part.audience
                    .iter()
                    .map(|a| loc(lang, a.label()))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
        ctx.insert(
            "headers",
            &[l["id"], pick(lang, "章", "Chapter"), l["controls"]],
        );
        ctx.insert(
            "groups",
            &[Group {
                title: String::new(),
                anchor: String::new(),
                rows,
            }],
        );
        pages.push(Page {
            path: path.clone(),
            title: loc_string(lang, &part.title),
            body: render("list.html", &ctx)?,
            depth: 0,
        });
        for chapter in &part.chapters {
            let path = format!("chapters/{}.md", chapter.id);
            let mut ctx = base_ctx(&path);
            let intro = chapter
                .intro
                .get(lang)
                .filter(|p| !p.is_blank())
                .unwrap_or(&chapter.intro.ja);
            #[derive(Serialize)]
            struct ChapterView {
                id: String,
                title: String,
                intro_html: String,
            }
            ctx.insert(
                "chapter",
                &ChapterView {
                    id: chapter.id.clone(),
                    title: loc_string(lang, &chapter.title),
                    intro_html: if intro.is_blank() {
                        String::new()
                    } else {
                        prose(intro, lang, "../")
                    },
                },
            );
            ctx.insert("part_title", &loc_string(lang, &part.title));
            let controls: Vec<ControlView> = chapter
                .controls
                .iter()
                .map(|k| control_view(g, k, lang, &href_of))
                .collect();
            ctx.insert("controls", &controls);
            let title = format!("{} {}", chapter.id, loc_string(lang, &chapter.title));
            pages.push(Page {
                path,
                title,
                body: render("chapter.html", &ctx)?,
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
                .entry(loc(lang, tech.category.label()).to_string())
                .or_default()
                .push(Row {
                    id: pick(lang, &tech.name.ja, &tech.name.en).to_string(),
                    href: format!("{}.html", tech.id),
                    title: tech.aal.map(|a| format!("AAL{a}")).unwrap_or_default(),
                    badge: status_label(lang, tech.status).to_string(),
                    badge_class: match tech.status {
                        Status::Current => "example",
                        Status::Deprecated => "required",
                        Status::Prohibited => "prohibited",
                    }
                    .to_string(),
                    extra: String::new(),
                });
        }
        let groups: Vec<Group> = groups
            .into_iter()
            .enumerate()
            .map(|(i, (title, rows))| Group {
                title,
                anchor: format!("category-{i}"),
                rows,
            })
            .collect();
        let mut ctx = base_ctx(path);
        ctx.insert("title", pick(lang, "技術一覧", "Technologies"));
        ctx.insert(
            "intro",
            pick(
                lang,
                "本文で名前が挙がる技術の一覧。各技術のページに、到達できる認証の強度、状態、関連する規格、言及する項目とその役割を示す。",
                "Every technology the text names. Each page gives the assurance it can reach, its status, its standards, and every control that names it with the role it plays there.",
            ),
        );
        ctx.insert(
            "headers",
            &[
                pick(lang, "技術", "Technology"),
                l["assurance"],
                l["status"],
            ],
        );
        ctx.insert("groups", &groups);
        pages.push(Page {
            path: path.into(),
            title: pick(lang, "技術一覧", "Technologies").into(),
            body: render("list.html", &ctx)?,
            depth: 0,
        });
        for tech in &g.registry.technologies {
            let path = format!("technologies/{}.md", tech.id);
            #[derive(Serialize)]
            struct UseRow {
                id: String,
                title: String,
                href: String,
                role: &'static str,
                role_label: &'static str,
                section: String,
            }
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
                        id: k.id.clone(),
                        title: loc_string(lang, &k.title),
                        href: format!("../{}#{}", chapter_url(&chapter.id), k.id),
                        role: role.keyword(),
                        role_label: role_name(role),
                        section: section_label(lang, m.section).to_string(),
                    });
                }
            }
            #[derive(Serialize)]
            struct TechView {
                id: String,
                name: String,
                category: &'static str,
                aal: Option<u8>,
                status: &'static str,
                status_label: &'static str,
                since: Option<String>,
                standards: Vec<String>,
                aliases: Vec<String>,
                description: String,
                uses: Vec<UseRow>,
            }
            let name = pick(lang, &tech.name.ja, &tech.name.en).to_string();
            let description = pick(lang, &tech.description.ja, &tech.description.en).to_string();
            let view = TechView {
                id: tech.id.clone(),
                name: name.clone(),
                category: loc(lang, tech.category.label()),
                aal: tech.aal,
                status: tech.status.keyword(),
                status_label: status_label(lang, tech.status),
                since: tech.since.clone(),
                standards: tech.standards.clone(),
                aliases: match lang {
                    Lang::Ja => tech.aliases.ja.clone(),
                    Lang::En => tech.aliases.en.clone(),
                },
                description: description.clone(),
                uses,
            };
            let mut ctx = base_ctx(&path);
            ctx.insert("t", &view);
            pages.push(Page {
                path,
                title: name,
                body: render("technology.html", &ctx)?,
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
                    id: k.id.clone(),
                    href: format!("../{}#{}", chapter_url(&c.id), k.id),
                    title: loc_string(lang, &k.title),
                    badge: loc(lang, k.level.label()).to_string(),
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
                    title: loc_string(lang, &part.title),
                    anchor: format!("part-{}", part.id),
                    rows,
                });
            }
        }
        let mut ctx = base_ctx(&path);
        ctx.insert("title", &title);
        ctx.insert("intro", "");
        ctx.insert(
            "headers",
            &[
                l["id"],
                pick(lang, "項目", "Control"),
                pick(lang, "区分", "Level"),
            ],
        );
        ctx.insert("groups", &groups);
        pages.push(Page {
            path,
            title,
            body: render("list.html", &ctx)?,
            depth: if file == "index" { 0 } else { 1 },
        });
    }

    // Self-check: which controls apply to the reader.
    if let Some(a) = &g.applicability {
        let path = "self-check.md";
        let mut ctx = base_ctx(path);
        ctx.insert("lang", lang.code());
        ctx.insert("view", &self_check::view(g, a, lang, &href_of));
        pages.push(Page {
            path: path.into(),
            title: pick(lang, "自己点検", "Self-check").into(),
            body: render("self-check.html", &ctx)?,
            depth: 0,
        });
    }

    // Glossary.
    {
        let path = "glossary.md";
        #[derive(Serialize)]
        struct TermView {
            term: String,
            other: String,
            definition: String,
        }
        let terms: Vec<TermView> = g
            .glossary
            .term
            .iter()
            .map(|t| TermView {
                term: pick(lang, &t.ja, &t.en).to_string(),
                other: pick(lang, &t.en, &t.ja).to_string(),
                definition: pick(lang, &t.definition.ja, &t.definition.en).to_string(),
            })
            .collect();
        let mut ctx = base_ctx(path);
        ctx.insert("title", pick(lang, "用語集", "Glossary"));
        ctx.insert("terms", &terms);
        pages.push(Page {
            path: path.into(),
            title: pick(lang, "用語集", "Glossary").into(),
            body: render("glossary.html", &ctx)?,
            depth: 0,
        });
    }

    // Revision history: change list and 新旧対照表 against the previous edition.
    if let Some(d) = history {
        let path = "history.md";
        let s = &d.summary;
        let mut ctx = base_ctx(path);
        ctx.insert("title", pick(lang, "改定履歴", "Revision history"));
        ctx.insert(
            "summary",
            &match lang {
                Lang::Ja => format!(
                    "{}({})から{}への改定:新設 {} 件、削除 {} 件、番号変更・移動 {} 件、改正 {} 件、変更なし {} 件。",
                    previous_title.unwrap_or_default(),
                    d.old_edition,
                    d.new_edition,
                    s.added,
                    s.removed,
                    s.renumbered,
                    s.changed,
                    s.unchanged
                ),
                Lang::En => format!(
                    "Changes from edition {} to {}: {} added, {} removed, {} renumbered or moved, {} changed, {} unchanged. The comparison table is in Japanese, the authoritative text.",
                    d.old_edition, d.new_edition, s.added, s.removed, s.renumbered, s.changed, s.unchanged
                ),
            },
        );
        ctx.insert("old_edition", &d.old_edition);
        ctx.insert("new_edition", &d.new_edition);
        #[derive(Serialize)]
        struct TechRow {
            technology: String,
            name: String,
            old_roles: String,
            new_roles: String,
            controls: String,
        }
        let roles = |r: &[Role]| {
            if r.is_empty() {
                pick(lang, "記載なし", "absent").to_string()
            } else {
                r.iter()
                    .map(|x| role_name(*x))
                    .collect::<Vec<_>>()
                    .join(" / ")
            }
        };
        let techs: Vec<TechRow> = d
            .technologies
            .iter()
            .map(|tc| TechRow {
                technology: tc.technology.clone(),
                name: tech_name(&tc.technology),
                old_roles: roles(&tc.old_roles),
                new_roles: roles(&tc.new_roles),
                controls: tc.places("→", &roles),
            })
            .collect();
        ctx.insert("technologies", &techs);
        ctx.insert("rows", d.table());
        pages.push(Page {
            path: path.into(),
            title: pick(lang, "改定履歴", "Revision history").into(),
            body: render("history.html", &ctx)?,
            depth: 0,
        });
    }

    // Reference pages for editors (English: they document the tool).
    pages.push(Page {
        path: "writing.md".into(),
        title: pick(lang, "原稿の書き方(英語)", "Writing the guideline").into(),
        body: WRITING.trim_start_matches('\u{feff}').to_string(),
        depth: 0,
    });
    let mut lints = String::from("# Lint reference\n\nEvery finding `guideline check` can report; `guideline explain CODE` prints the same text.\n");
    for lint in crate::lint::ALL {
        let doc = lint.documentation().replace("\n## ", "\n### ");
        let _ = write!(
            lints,
            "\n## {} {} ({:?})\n\n{}\n",
            lint.code, lint.name, lint.severity, doc
        );
    }
    pages.push(Page {
        path: "lints.md".into(),
        title: pick(lang, "検査項目一覧(英語)", "Lint reference").into(),
        body: lints,
        depth: 0,
    });
    Ok(Book { lang, pages })
}

/// Views by reader and level: (file, title, filter).
fn view_pages(lang: Lang) -> Vec<(String, String, ViewFilter)> {
    let mut v = vec![(
        "index".to_string(),
        pick(lang, "項目一覧", "Index of controls").to_string(),
        ViewFilter::All,
    )];
    for a in Audience::ALL {
        v.push((
            a.keyword().to_string(),
            format!("{}{}", pick(lang, "読者別:", "For "), loc(lang, a.label())),
            ViewFilter::Reader(a),
        ));
    }
    for level in [Level::Minimum, Level::Recommended] {
        let file = level.keyword().to_string();
        v.push((
            file,
            format!(
                "{}{}",
                pick(lang, "区分別:", "Level: "),
                loc(lang, level.label())
            ),
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
        id: k.id.clone(),
        title: loc_string(lang, &k.title),
        level: k.level.keyword(),
        level_label: loc(lang, k.level.label()),
        audience: k.audience.iter().map(|a| loc(lang, a.label())).collect(),
        assurance: k.assurance.map(|a| format!("AAL{a}")),
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
                name: g.registry.get(&u.technology).map_or_else(
                    || u.technology.clone(),
                    |t| pick(lang, &t.name.ja, &t.name.en).to_string(),
                ),
                id: u.technology,
                role: u.role.keyword(),
                role_label: loc(lang, u.role.label()),
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
                    crate::oscal::insert_params(&loc_string(lang, l), &|id| format!("[{id}]"))
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
                        Some("one-or-more") => pick(lang, "一つ以上を選ぶ", "choose one or more"),
                        _ => pick(lang, "一つを選ぶ", "choose one"),
                    }
                    .to_string(),
                }
            })
            .collect(),
    }
}

/// Writes the book's source (SUMMARY.md, pages, config) under `root`.
fn write_book_source(g: &Guideline, book: &Book, root: &Path, build_dir: &Path) -> Result<()> {
    let mut config: toml::Table = BOOK_TOML.parse().context("book/book.toml")?;
    let title = pick(book.lang, &g.manifest.title.ja, &g.manifest.title.en).to_string();
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
    std::fs::write(root.join("book.toml"), toml::to_string(&config)?)?;
    std::fs::write(root.join("guideline.css"), CSS)?;
    std::fs::write(root.join("guideline-search.js"), SEARCH_JS)?;
    // Only the self-check page loads this script, so it is a file of the book, not theme.
    std::fs::create_dir_all(root.join("src"))?;
    std::fs::write(root.join("src/guideline-self-check.js"), SELF_CHECK_JS)?;
    for file in UNUSED_THEME_FILES {
        let file = root.join("theme").join(file);
        std::fs::create_dir_all(file.parent().expect("theme files are in a directory"))?;
        std::fs::write(file, "")?;
    }
    let src = root.join("src");
    let mut summary = String::from("# Summary\n\n");
    for (i, page) in book.pages.iter().enumerate() {
        // Page paths come from ids; the output module refuses any that would leave `src`.
        let file = crate::output::contained(&src, &page.path)?;
        if let Some(dir) = file.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(&file, &page.body)?;
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
    std::fs::write(src.join("SUMMARY.md"), summary)?;
    Ok(())
}

/// Writes `search/LANG.bin`: one gzip file holding a line of JSON (each page's URL, title
/// and segments, and the text's encoding) and then the text of every page as mdBook
/// rendered it, in UTF-8 or UTF-16, whichever compresses smaller. And `search/LANG.js`, the
/// same uncompressed, for pages opened from disk or browsers without DecompressionStream.
/// Every page of the book is indexed, from the HTML file a reader opens.
fn write_search(book: &Book, out: &Path) -> Result<usize> {
    use rayon::prelude::*;
    let pages: Vec<(String, &str, search::PageText)> = book
        .pages
        .par_iter()
        .map(|page| {
            let url = format!("{}.html", page.path.trim_end_matches(".md"));
            let file = crate::output::contained(out, &url)?;
            let html = std::fs::read_to_string(&file)
                .with_context(|| format!("reading the rendered page {}", file.display()))?;
            Ok((url, page.title.as_str(), search::page_text(&html)))
        })
        .collect::<Result<_>>()?;
    let dir = out.join("search");
    std::fs::create_dir_all(&dir)?;
    let text: String = pages
        .iter()
        .map(|(_, _, p)| p.text.as_str())
        .collect::<Vec<_>>()
        .join("\u{1}");
    let docs: Vec<serde_json::Value> = pages
        .iter()
        .map(|(url, title, p)| {
            let segments: Vec<(usize, &str, search::Rank)> = p
                .segments
                .iter()
                .map(|s| (s.start, s.anchor.as_str(), s.rank))
                .collect();
            serde_json::json!([url, title, segments])
        })
        .collect();
    let gzip = |encoding: &str, text_bytes: Vec<u8>| -> Result<Vec<u8>> {
        let meta = serde_json::json!({ "encoding": encoding, "docs": docs });
        // gzip with no timestamp or file name in the header: the same text, the same bytes.
        let mut gz = flate2::GzBuilder::new()
            .mtime(0)
            .write(Vec::new(), flate2::Compression::best());
        std::io::Write::write_all(&mut gz, serde_json::to_string(&meta)?.as_bytes())?;
        std::io::Write::write_all(&mut gz, b"\n")?;
        std::io::Write::write_all(&mut gz, &text_bytes)?;
        Ok(gz.finish()?)
    };
    let (utf8, utf16) = rayon::join(
        || gzip("utf-8", text.as_bytes().to_vec()),
        || {
            gzip(
                "utf-16le",
                text.encode_utf16().flat_map(|u| u.to_le_bytes()).collect(),
            )
        },
    );
    let (utf8, utf16) = (utf8?, utf16?);
    let bin = if utf16.len() < utf8.len() {
        utf16
    } else {
        utf8
    };
    let lang = book.lang.code();
    std::fs::write(dir.join(format!("{lang}.bin")), &bin)?;
    let script = format!(
        "window.guidelineSearchData = {{ docs: {}, text: {} }};\n",
        serde_json::to_string(&docs)?,
        serde_json::to_string(&text)?
    );
    std::fs::write(dir.join(format!("{lang}.js")), script)?;
    Ok(bin.len())
}

/// What every page of the site runs in place of highlight.js and clipboard.js, which it does
/// not load: mdBook's book.js only needs the two names to exist. Code blocks stay plain
/// monospace text (only the format reference has any), and no copy buttons are offered
/// (`output.html.playground.copyable = false`).
const THEME_STUBS: &str = "window.hljs = { configure: function () {}, highlightBlock: function () {} };\nwindow.ClipboardJS = function () { this.on = function () { return this; }; };\n";

/// Put in every page's head: a page opened with `?search=` starts fetching the search data
/// at once, while the page itself loads, instead of after its scripts ran
/// (guideline-search.js picks the response up).
const EARLY_SEARCH_FETCH: &str = "if (/[?&]search=/.test(location.search) && window.DecompressionStream && location.protocol !== 'file:') { window.guidelineSearchEarly = fetch(path_to_root + 'search/' + document.documentElement.lang + '.bin'); }\n";

/// The files of mdBook's theme that the pages do not use, replaced by empty ones so they are
/// neither copied nor fetched: web fonts (the site uses the reader's own fonts, which have
/// Japanese glyphs; Open Sans has none), code highlighting and the clipboard library.
const UNUSED_THEME_FILES: &[&str] = &[
    "fonts/fonts.css",
    "highlight.js",
    "clipboard.min.js",
    "highlight.css",
    "tomorrow-night.css",
    "ayu-highlight.css",
];

/// The finishing pass over one page that mdBook wrote: drops the links to the theme files
/// in `UNUSED_THEME_FILES` (book.js switches the highlight stylesheets by id, so each
/// becomes an empty `<style>` with that id), puts `THEME_STUBS` in place of the highlight.js
/// script, and adds a Content-Security-Policy: scripts only from the site itself or inline
/// blocks whose hash is listed, nothing from any other host.
fn finish_page(html: &str) -> String {
    static UNUSED: std::sync::OnceLock<[regex::Regex; 4]> = std::sync::OnceLock::new();
    let [fonts, highlight_css, clipboard, highlight_js] = UNUSED.get_or_init(|| {
        [
            regex::Regex::new(
                r#"\s*<link rel="stylesheet" href="[^"]*fonts/fonts(-[0-9a-f]+)?\.css">"#,
            ),
            regex::Regex::new(r#"<link rel="stylesheet" id="(mdbook-[a-z-]+-css)" href="[^"]*">"#),
            regex::Regex::new(r#"\s*<script src="[^"]*clipboard-[0-9a-f]+\.min\.js"></script>"#),
            regex::Regex::new(r#"<script src="[^"]*highlight-[0-9a-f]+\.js"></script>"#),
        ]
        .map(|r| r.expect("the theme patterns are valid"))
    });
    let html = fonts.replace_all(html, "");
    let html = highlight_css.replace_all(&html, r#"<style id="$1"></style>"#);
    let html = clipboard.replace_all(&html, "");
    // mdBook's sidebar toggle is a <label> carrying aria-label, aria-controls and (set by
    // book.js) aria-expanded, which only a button may have (axe-core: aria-allowed-attr):
    // it becomes a button for assistive technology and the keyboard (guideline-search.js
    // answers Enter and Space on it).
    let html = html.replace(
        r#"<label id="mdbook-sidebar-toggle" class="icon-button""#,
        r#"<label id="mdbook-sidebar-toggle" role="button" tabindex="0" class="icon-button""#,
    );
    let html = highlight_js.replace_all(
        &html,
        regex::NoExpand(&format!("<script>{THEME_STUBS}</script>")),
    );
    let html = html.replacen(
        "</head>",
        &format!("<script>{EARLY_SEARCH_FETCH}</script>\n    </head>"),
        1,
    );
    let mut hashes = Vec::new();
    let mut rest = &*html;
    while let Some(i) = rest.find("<script") {
        let after = &rest[i..];
        let Some(open_end) = after.find('>') else {
            break;
        };
        let tag = &after[..open_end];
        let body_start = open_end + 1;
        let Some(close) = after[body_start..].find("</script>") else {
            break;
        };
        if !tag.contains("src=") {
            let body = &after[body_start..body_start + close];
            let digest = Sha256::digest(body.as_bytes());
            hashes.push(format!(
                "'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            ));
        }
        rest = &after[body_start + close..];
    }
    let policy = format!(
        "default-src 'self'; script-src 'self' {}; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; frame-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'",
        hashes.join(" ")
    );
    let meta = format!(
        "<head>\n        <meta http-equiv=\"Content-Security-Policy\" content=\"{policy}\">"
    );
    html.replacen("<head>", &meta, 1)
}

/// Runs `finish_page` on every HTML file under `dir`; returns how many there were.
fn finish_pages(dir: &Path) -> Result<usize> {
    use rayon::prelude::*;
    let mut pages = Vec::new();
    html_files(dir, &mut pages)?;
    pages.par_iter().try_for_each(|path| -> Result<()> {
        let html = std::fs::read_to_string(path)?;
        std::fs::write(path, finish_page(&html))?;
        Ok(())
    })?;
    Ok(pages.len())
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
fn root_redirect() -> String {
    let script = "location.replace('ja/index.html' + location.search + location.hash);";
    let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(script.as_bytes()));
    format!(
        "<!DOCTYPE html>\n<html lang=\"ja\"><head><meta charset=\"utf-8\"><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'sha256-{hash}'\"><script>{script}</script><noscript><meta http-equiv=\"refresh\" content=\"0; url=ja/index.html\"></noscript><title>guideline</title></head>\n<body><p><a href=\"ja/index.html\">日本語</a> | <a href=\"en/index.html\">English</a></p></body></html>\n"
    )
}

/// What the site build reports.
pub struct SiteReport {
    pub pages: usize,
    pub search_bytes: BTreeMap<&'static str, usize>,
}

/// One language's book, written as mdBook source and waiting for mdBook.
pub struct Prepared {
    book: Book,
    /// The mdBook root (book.toml, src/).
    pub root: std::path::PathBuf,
}

/// Writes the mdBook source of both books under `work` (`work/ja`, `work/en`), configured
/// to build into `out/ja` and `out/en`.
pub fn prepare(
    g: &Guideline,
    history: Option<(&EditionDiff, &str)>,
    work: &Path,
    out: &Path,
) -> Result<Vec<Prepared>> {
    use rayon::prelude::*;
    Lang::ALL
        .par_iter()
        .map(|&lang| {
            let b = book(g, lang, history.map(|h| h.0), history.map(|h| h.1))?;
            let root = work.join(lang.code());
            std::fs::create_dir_all(&root)?;
            write_book_source(g, &b, &root, &out.join(lang.code()))?;
            Ok(Prepared { book: b, root })
        })
        .collect()
}

/// The pages of both books as they go to mdBook (`ja/chapters/C-4.md`, body), without
/// writing anything: for the fuzz target, which drives every renderer on hostile input.
pub fn page_sources(
    g: &Guideline,
    history: Option<(&EditionDiff, &str)>,
) -> Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    for lang in Lang::ALL {
        let b = book(g, lang, history.map(|h| h.0), history.map(|h| h.1))?;
        for page in b.pages {
            out.push((format!("{}/{}", lang.code(), page.path), page.body));
        }
    }
    Ok(out)
}

/// Runs mdBook (as a library) on one prepared book.
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
    let work = tempfile::tempdir()?;
    let prepared = prepare(g, history, work.path(), out)?;
    let mut report = SiteReport {
        pages: 0,
        search_bytes: BTreeMap::new(),
    };
    // The two books share nothing and mdBook renders on one thread: one thread each.
    let books: Vec<Result<(&'static str, usize, usize)>> = std::thread::scope(|s| {
        let running: Vec<_> = prepared
            .iter()
            .map(|p| {
                s.spawn(move || {
                    run_mdbook(&p.root)?;
                    let target = out.join(p.book.lang.code());
                    let bytes = write_search(&p.book, &target)?;
                    let pages = finish_pages(&target)?;
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
    std::fs::write(out.join("index.html"), root_redirect())?;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_lines_do_not_end_the_html_block() {
        assert_eq!(
            html_block("<div>\n\n<p>a</p>\n</div>".into()),
            "<div>\n<!-- -->\n<p>a</p>\n</div>\n"
        );
    }

    #[test]
    fn escape_is_html_escape() {
        assert_eq!(crate::html::escape("<a&b>"), "&lt;a&amp;b&gt;");
    }
}
