//! `guideline import oscal`: an OSCAL catalog into our source format.
//!
//! Groups become chapters of one part; controls and their enhancements become controls (in
//! document order); the `statement` part (with its lettered items) becomes the statement and
//! the `guidance` part the guidance, parameters rendered readably (`[Assignment: …]`,
//! `[Selection (one or more): …]`). The catalog's text is English and is written to both the
//! `.ja.md` (authoritative) and `.en.md` files so the tree checks as a full translation.
//! Everything that does not survive the trip (other part kinds, group-level text, nested
//! groups) is reported, never dropped silently.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use anyhow::{bail, Context, Result};

use crate::oscal::{self, Control, Document, Group, Param, Part};

/// What the import produced: files to write and what could not be carried over.
pub struct Imported {
    pub files: Vec<(PathBuf, String)>,
    pub controls: usize,
    pub warnings: Vec<String>,
}

/// Parses an OSCAL catalog document (JSON).
pub fn parse(json: &str) -> Result<Document> {
    let doc: Document = serde_json::from_str(json)
        .context("not an OSCAL catalog in JSON (expected a top-level \"catalog\")")?;
    Ok(doc)
}

/// Every parameter of a catalog by id (catalog-level and per control).
pub fn params_of(catalog: &oscal::Catalog) -> HashMap<String, Param> {
    let mut params: HashMap<String, Param> = HashMap::new();
    for p in &catalog.params {
        params.insert(p.id.clone(), p.clone());
    }
    for c in oscal::all_controls(catalog) {
        for p in &c.params {
            params.insert(p.id.clone(), p.clone());
        }
    }
    params
}

/// Renders a parameter the way SP 800-53 prints them.
pub fn render_param(id: &str, params: &HashMap<String, Param>, depth: usize) -> String {
    let Some(p) = params.get(id) else {
        return format!("[{id}]");
    };
    if depth > 8 {
        return format!("[{id}]");
    }
    let sub = |s: &str| oscal::insert_params(s, &|inner| render_param(inner, params, depth + 1));
    if !p.values.is_empty() {
        return p
            .values
            .iter()
            .map(|v| sub(v))
            .collect::<Vec<_>>()
            .join(", ");
    }
    if let Some(select) = &p.select {
        let how = match select.how_many.as_deref() {
            Some("one-or-more") => "Selection (one or more)",
            _ => "Selection",
        };
        let choices: Vec<String> = select.choice.iter().map(|c| sub(c)).collect();
        return format!("[{how}: {}]", choices.join("; "));
    }
    match &p.label {
        Some(label) => format!("[Assignment: {}]", sub(label)),
        None => format!("[Assignment: {id}]"),
    }
}

/// Backslash-escapes the characters Markdown would read as markup.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~' | '&' | '!'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Keeps a paragraph from starting a list: `1. text` would become an ordered list and
/// lose its label.
fn escape_block_start(p: String) -> String {
    let digits = p.chars().take_while(|c| c.is_ascii_digit()).count();
    if digits > 0 && matches!(p[digits..].chars().next(), Some('.' | ')')) {
        return format!("{}\\{}", &p[..digits], &p[digits..]);
    }
    if p.starts_with(['-', '+', '=']) {
        return format!("\\{p}");
    }
    p
}

/// A part as Markdown paragraphs: `a. text`, each item its own paragraph, so the plain
/// text reads back as the labels and prose in order.
fn part_markdown(part: &Part, params: &HashMap<String, Param>, out: &mut Vec<String>) {
    let label = part
        .props
        .iter()
        .find(|p| p.name == "label")
        .map(|p| p.value.clone());
    let prose = part
        .prose
        .as_deref()
        .map(|s| oscal::insert_params(s, &|id| render_param(id, params, 0)));
    let line = match (label, prose) {
        (Some(l), Some(t)) => Some(format!("{l} {t}")),
        (Some(l), None) => Some(l),
        (None, Some(t)) => Some(t),
        (None, None) => None,
    };
    if let Some(line) = line {
        for paragraph in line.split("\n\n") {
            let p = oscal::normalise_space(paragraph);
            if !p.is_empty() {
                out.push(escape_block_start(escape(&p)));
            }
        }
    }
    for sub in &part.parts {
        part_markdown(sub, params, out);
    }
}

/// Control IDs of OSCAL use letters, digits, `.`, `-` and `_`; ours too.
fn check_id(id: &str) -> Result<()> {
    if !crate::syntax::is_valid_id(id) {
        bail!("OSCAL id `{id}` cannot be a guideline ID (letters, digits, `.`, `_`, `-`)");
    }
    Ok(())
}

/// Turns a catalog into source files.
pub fn import(doc: &Document, source_name: &str) -> Result<Imported> {
    let catalog = &doc.catalog;
    let params = params_of(catalog);
    let mut warnings = Vec::new();
    let mut dropped: BTreeMap<String, (usize, String)> = BTreeMap::new();
    let mut files = Vec::new();
    let mut controls = 0;

    let title = oscal::normalise_space(&catalog.metadata.title);
    let manifest = format!(
        "# Imported from {source_name} by `guideline import oscal`.\ntitle = {{ ja = {t}, en = {t} }}\nedition = {v}\ndate = {d}\npublisher = {{ ja = {p}, en = {p} }}\nnotice = {{ ja = {n}, en = {n} }}\n",
        t = toml_str(&title),
        v = toml_str(&catalog.metadata.version),
        d = toml_str(catalog.metadata.last_modified.get(..10).unwrap_or("")),
        p = toml_str(&format!("imported from {source_name}")),
        n = toml_str("Imported OSCAL catalog: the original English text is kept in both language files."),
    );
    files.push(("guideline.toml".into(), manifest));
    files.push((
        "technologies.toml".into(),
        "# No technologies are tagged in an imported catalog.\n".into(),
    ));
    files.push((
        "parts/1-catalog/part.toml".into(),
        format!("id = \"catalog\"\ntitle = {{ ja = {t}, en = {t} }}\naudience = [\"manager\", \"operator\"]\n", t = toml_str(&title)),
    ));

    let mut groups: Vec<&Group> = catalog.groups.iter().collect();
    let loose = Group {
        id: Some("controls".into()),
        title: "Controls".into(),
        controls: catalog.controls.clone(),
        ..Group::default()
    };
    if !catalog.controls.is_empty() {
        groups.insert(0, &loose);
    }
    for (n, group) in groups.iter().enumerate() {
        let gid = group
            .id
            .clone()
            .unwrap_or_else(|| format!("group-{}", n + 1));
        check_id(&gid)?;
        if !group.groups.is_empty() {
            warnings.push(format!(
                "group {gid}: {} nested groups are flattened into it",
                group.groups.len()
            ));
        }
        if !group.parts.is_empty() {
            warnings.push(format!(
                "group {gid}: {} group-level parts are not imported",
                group.parts.len()
            ));
        }
        let mut flat = Vec::new();
        let mut stack: Vec<&Group> = vec![group];
        while let Some(g) = stack.pop() {
            for c in &g.controls {
                flatten(c, &mut flat);
            }
            for sub in g.groups.iter().rev() {
                stack.push(sub);
            }
        }
        let mut ja = format!(
            "# {gid} {}\n\n",
            escape(&oscal::normalise_space(&group.title))
        );
        let mut en = ja.clone();
        for c in flat {
            check_id(&c.id)?;
            controls += 1;
            for p in &c.parts {
                if p.name != "statement" && p.name != "guidance" {
                    dropped.entry(p.name.clone()).or_insert((0, c.id.clone())).0 += 1;
                }
            }
            let mut statement = Vec::new();
            if let Some(p) = c.parts.iter().find(|p| p.name == "statement") {
                part_markdown(p, &params, &mut statement);
            }
            if statement.is_empty() {
                warnings.push(format!(
                    "control {}: no statement in the catalog (withdrawn or incomplete)",
                    c.id
                ));
            }
            let mut guidance = Vec::new();
            if let Some(p) = c.parts.iter().find(|p| p.name == "guidance") {
                part_markdown(p, &params, &mut guidance);
            }
            let withdrawn = c
                .props
                .iter()
                .any(|p| p.name == "status" && p.value == "withdrawn");
            let level = if withdrawn { "recommended" } else { "minimum" };
            let related: Vec<String> = c
                .links
                .iter()
                .filter(|l| l.rel.as_deref() == Some("related") && l.href.starts_with('#'))
                .map(|l| l.href[1..].to_string())
                .collect();
            let label = c
                .props
                .iter()
                .find(|p| p.name == "label")
                .map(|p| p.value.clone())
                .unwrap_or_default();
            let title = escape(&oscal::normalise_space(&c.title));
            let heading = if label.is_empty() {
                title.clone()
            } else {
                format!("{title} ({label})")
            };
            let meta = format!(
                "```toml meta\nlevel = \"{level}\"\nreferences = [{}]\n```\n\n",
                toml_str(&format!(
                    "{source_name} {}",
                    if label.is_empty() { &c.id } else { &label }
                ))
            );
            let related_note = if related.is_empty() {
                String::new()
            } else {
                format!("Related: {}.", related.join(", "))
            };
            let body = |statement_heading: &str, guidance_heading: &str| {
                let mut s = format!(
                    "### {statement_heading}\n\n{}\n\n### {guidance_heading}\n\n",
                    statement.join("\n\n")
                );
                if !guidance.is_empty() {
                    s.push_str(&guidance.join("\n\n"));
                    s.push_str("\n\n");
                } else if !related_note.is_empty() {
                    s.push_str(&format!("{related_note}\n\n"));
                }
                s
            };
            ja.push_str(&format!(
                "## {} {heading}\n\n{meta}{}",
                c.id,
                body("要求事項", "解説")
            ));
            en.push_str(&format!(
                "## {} {heading}\n\n{}",
                c.id,
                body("Statement", "Guidance")
            ));
        }
        let stem = format!("{:02}-{gid}", n + 1);
        files.push((PathBuf::from(format!("parts/1-catalog/{stem}.ja.md")), ja));
        files.push((PathBuf::from(format!("parts/1-catalog/{stem}.en.md")), en));
    }
    for (name, (count, first)) in dropped {
        warnings.push(format!("{count} parts named `{name}` (first in {first}) are not imported: only statement and guidance are"));
    }
    Ok(Imported {
        files,
        controls,
        warnings,
    })
}

fn flatten<'a>(c: &'a Control, out: &mut Vec<&'a Control>) {
    out.push(c);
    for k in &c.controls {
        flatten(k, out);
    }
}

fn toml_str(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn params_render_readably() {
        let mut params = HashMap::new();
        params.insert(
            "p1".to_string(),
            Param {
                id: "p1".into(),
                label: Some("organization-defined frequency".into()),
                ..Param::default()
            },
        );
        params.insert(
            "p2".to_string(),
            Param {
                id: "p2".into(),
                select: Some(oscal::Select {
                    how_many: Some("one-or-more".into()),
                    choice: vec!["daily".into(), "{{ insert: param, p1 }}".into()],
                }),
                ..Param::default()
            },
        );
        assert_eq!(
            render_param("p1", &params, 0),
            "[Assignment: organization-defined frequency]"
        );
        assert_eq!(
            render_param("p2", &params, 0),
            "[Selection (one or more): daily; [Assignment: organization-defined frequency]]"
        );
    }

    #[test]
    fn escapes_markdown() {
        assert_eq!(escape("a*b [c] <d>"), "a\\*b \\[c\\] \\<d\\>");
    }
}
