//! Renderings of an edition diff: a terminal summary, a Markdown change list, JSON, and the
//! 新旧対照表 (HTML; the PDF renderer typesets the same rows).

use std::fmt::Write as _;

use serde::Serialize;

use crate::diff::{ChangeKind, EditionDiff};
use crate::model::Role;

fn roles(r: &[Role]) -> String {
    if r.is_empty() {
        "absent".into()
    } else {
        r.iter().map(|x| x.keyword()).collect::<Vec<_>>().join("+")
    }
}

fn roles_ja(r: &[Role]) -> String {
    if r.is_empty() {
        "記載なし".into()
    } else {
        r.iter()
            .map(|x| x.label().ja)
            .collect::<Vec<_>>()
            .join("・")
    }
}

fn kind_word(k: ChangeKind) -> &'static str {
    match k {
        ChangeKind::Added => "added",
        ChangeKind::Removed => "removed",
        ChangeKind::Renumbered => "renumbered",
        ChangeKind::Changed => "changed",
    }
}

fn ids(c: &crate::diff::ControlChange) -> String {
    match (&c.old, &c.new) {
        (Some(o), Some(n)) if o.id != n.id => format!("{} -> {}", o.id, n.id),
        (_, Some(n)) => n.id.clone(),
        (Some(o), None) => o.id.clone(),
        (None, None) => String::new(),
    }
}

/// The control's title as it now reads (or last read, if removed).
fn title_of(c: &crate::diff::ControlChange) -> &str {
    c.new
        .as_ref()
        .or(c.old.as_ref())
        .map_or("", |s| s.title.as_str())
}

fn places(t: &crate::diff::TechnologyChange) -> String {
    t.places(" -> ", &roles)
}

/// The terminal summary; `color` adds ANSI colours (only when writing to a terminal).
pub fn text(d: &EditionDiff, color: bool) -> String {
    let paint = |code: &str, s: &str| {
        if color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    };
    let s = &d.summary;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} {} -> {}: {} added, {} removed, {} renumbered, {} changed, {} unchanged; {} technology role changes",
        paint("1", "diff"),
        d.old_edition,
        d.new_edition,
        s.added,
        s.removed,
        s.renumbered,
        s.changed,
        s.unchanged,
        s.technology_role_changes
    );
    if !d.technologies.is_empty() {
        let _ = writeln!(out, "\n{}", paint("1", "technology roles"));
        for t in &d.technologies {
            let _ = writeln!(
                out,
                "  {} ({}): {} -> {}",
                paint("36", &t.technology),
                t.name,
                roles(&t.old_roles),
                roles(&t.new_roles)
            );
            if !t.controls.is_empty() {
                let _ = writeln!(out, "      in {}", places(t));
            }
        }
    }
    if !d.controls.is_empty() {
        let _ = writeln!(out, "\n{}", paint("1", "controls"));
        for c in &d.controls {
            let (mark, code) = match c.kind {
                ChangeKind::Added => ("+", "32"),
                ChangeKind::Removed => ("-", "31"),
                ChangeKind::Renumbered => (">", "33"),
                ChangeKind::Changed => ("~", "33"),
            };
            let title = title_of(c);
            let fields = if c.fields.is_empty() {
                String::new()
            } else {
                format!(" [{}]", c.fields.join(", "))
            };
            let _ = writeln!(
                out,
                "  {} {} {}{}",
                paint(code, mark),
                ids(c),
                title,
                fields
            );
        }
    }
    out
}

/// The change list in Markdown, for the edition's release notes.
pub fn markdown(d: &EditionDiff) -> String {
    let s = &d.summary;
    let mut out = format!(
        "# Changes from {} to {}\n\n{} added, {} removed, {} renumbered or moved, {} changed, {} unchanged.\n\n",
        d.old_edition, d.new_edition, s.added, s.removed, s.renumbered, s.changed, s.unchanged
    );
    out.push_str("## Technology roles\n\n| technology | before | after | where |\n| --- | --- | --- | --- |\n");
    for t in &d.technologies {
        let _ = writeln!(
            out,
            "| {} (`{}`) | {} | {} | {} |",
            t.name,
            t.technology,
            roles(&t.old_roles),
            roles(&t.new_roles),
            places(t)
        );
    }
    for kind in [
        ChangeKind::Added,
        ChangeKind::Removed,
        ChangeKind::Renumbered,
        ChangeKind::Changed,
    ] {
        let rows: Vec<_> = d.controls.iter().filter(|c| c.kind == kind).collect();
        if rows.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n## {} ({})\n", kind_word(kind), rows.len());
        for c in rows {
            let title = title_of(c);
            let fields = if c.fields.is_empty() {
                String::new()
            } else {
                format!(": {}", c.fields.join(", "))
            };
            let _ = writeln!(out, "- **{}** {}{}", ids(c), title, fields);
        }
    }
    out
}

pub fn json(d: &EditionDiff) -> String {
    let mut s = serde_json::to_string_pretty(d).expect("diff serialises");
    s.push('\n');
    s
}

#[derive(Serialize)]
struct TechnologyRow {
    technology: String,
    name: String,
    old_roles: String,
    new_roles: String,
    controls: String,
}

/// What `templates/diff.html.tera` shows.
#[derive(Serialize)]
struct DiffPage<'a> {
    old_edition: &'a str,
    new_edition: &'a str,
    old_title: &'a str,
    new_title: &'a str,
    summary: &'a crate::diff::Summary,
    rows: &'a [crate::diff::TableRow],
    technologies: Vec<TechnologyRow>,
}

/// The 新旧対照表 as a self-contained HTML page (no scripts, no remote resources).
pub fn html(d: &EditionDiff, old_title: &str, new_title: &str) -> String {
    static TEMPLATE: std::sync::OnceLock<tera::Tera> = std::sync::OnceLock::new();
    let tera = TEMPLATE.get_or_init(|| {
        let mut tera = tera::Tera::default();
        tera.add_raw_template("diff.html", include_str!("../../templates/diff.html.tera"))
            .expect("diff template parses");
        tera.autoescape_on(vec!["diff.html"]);
        tera
    });
    let technologies: Vec<TechnologyRow> = d
        .technologies
        .iter()
        .map(|t| TechnologyRow {
            technology: t.technology.clone(),
            name: t.name.clone(),
            old_roles: roles_ja(&t.old_roles),
            new_roles: roles_ja(&t.new_roles),
            controls: places(t),
        })
        .collect();
    let page = DiffPage {
        old_edition: &d.old_edition,
        new_edition: &d.new_edition,
        old_title,
        new_title,
        summary: &d.summary,
        rows: d.table(),
        technologies,
    };
    let ctx = tera::Context::from_serialize(&page).expect("the page serialises");
    tera.render("diff.html", &ctx)
        .expect("diff template renders")
}
