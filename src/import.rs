//! `guideline import oscal`: an OSCAL catalog into our source format.
//!
//! Groups become chapters of one part; controls and their enhancements become controls (in
//! document order); the `statement` part (with its lettered items) becomes the statement and
//! the `guidance` part the guidance, parameters rendered readably (`[Assignment: …]`,
//! `[Selection (one or more): …]`). The catalog's text is English and is written to both the
//! `.ja.md` (authoritative) and `.en.md` files so the tree checks as a full translation.
//! Everything that does not survive the trip (other part kinds, group-level text, nested
//! groups) is reported, never dropped silently.

use std::collections::HashMap;
use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use serde::Serialize;

use crate::oscal::{self, Control, Document, Group, Param, Part};
use crate::text::Pair;

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

/// Control IDs of OSCAL use letters, digits, `.`, `-` and `_`; ours too.
fn check_id(id: &str) -> Result<()> {
    if !crate::syntax::is_valid_id(id) {
        bail!("OSCAL id `{id}` cannot be a guideline ID (letters, digits, `.`, `_`, `-`)");
    }
    Ok(())
}

/// Our ID for an OSCAL token: the export prefixes IDs that start with a digit with `_`
/// (`_1-overview`), which comes off again here.
fn our_id(token: &str) -> String {
    match token.strip_prefix('_') {
        Some(rest) if rest.starts_with(|c: char| c.is_ascii_digit()) => rest.to_string(),
        _ => token.to_string(),
    }
}

fn fields_of<T: serde::Serialize>(value: &T, without: &[&str]) -> oscal::Fields {
    let mut fields = match serde_json::to_value(value) {
        Ok(serde_json::Value::Object(m)) => m,
        _ => oscal::Fields::new(),
    };
    for key in without {
        fields.remove(*key);
    }
    fields
}

/// A group's own fields for `oscal.json`: not its id, title, controls, sub-groups or parts,
/// which the source holds or the caller carries (serialising the controls here would copy
/// every control of the group).
fn group_fields(g: &Group) -> oscal::Fields {
    let shallow = Group {
        class: g.class.clone(),
        params: g.params.clone(),
        props: g.props.clone(),
        rest: g.rest.clone(),
        ..Group::default()
    };
    fields_of(&shallow, &["id", "title"])
}

/// Where prose goes in the Markdown, which decides what it may hold as it is.
#[derive(Clone, Copy, PartialEq)]
enum Place {
    /// A statement item: one line after its label.
    Item,
    /// A statement's text before its items: no lists, which would read as items.
    Lead,
    /// Guidance or a chapter's opening text.
    Block,
}

/// Whether OSCAL prose can be written into the Markdown as it is and read back the same:
/// no white space around it, no line that would start a heading, a fence or raw HTML, no
/// build directive. Anything else is written readably and carried exactly in `oscal.json`.
fn verbatim_ok(prose: &str, place: Place) -> bool {
    let unsafe_anywhere = prose.is_empty()
        || prose != prose.trim()
        || prose.contains('<')
        || prose.contains("{{#")
        || prose.contains('\r')
        || prose.contains("\n\n\n")
        || (place == Place::Item && prose.contains('\n'));
    !unsafe_anywhere && prose.lines().all(|line| line_verbatim_ok(line, place))
}

/// One line of [`verbatim_ok`]: nothing Markdown would read as structure.
fn line_verbatim_ok(line: &str, place: Place) -> bool {
    let l = line.trim_start();
    let list = l.starts_with(['-', '+', '*'])
        || (l.chars().take_while(char::is_ascii_digit).count() > 0
            && l.trim_start_matches(|c: char| c.is_ascii_digit())
                .starts_with(['.', ')']));
    let structure = line != line.trim_end()
        || line.starts_with("    ")
        || line.starts_with('\t')
        || l.starts_with('#')
        || l.starts_with("```")
        || l.starts_with("~~~")
        || l.starts_with('=')
        || l.chars().all(|c| matches!(c, '-' | '*' | '_' | ' '))
        || (place == Place::Lead && list);
    !structure
}

/// The readable text of a parameter reference: its label, or its choices.
fn param_text(id: &str, params: &HashMap<String, Param>) -> String {
    let text = match params.get(id) {
        Some(p) => match (&p.label, &p.select) {
            (Some(label), _) => label.clone(),
            (None, Some(select)) => select.choice.join(" / "),
            (None, None) => id.to_string(),
        },
        None => id.to_string(),
    };
    let text = oscal::insert_params(&text, &|inner| inner.to_string());
    let text = escape(&oscal::normalise_space(&text));
    if text.is_empty() {
        escape(id)
    } else {
        text
    }
}

/// OSCAL prose as our Markdown: parameters become `[label](param:ID)`.
fn prose_markdown(prose: &str, params: &HashMap<String, Param>) -> String {
    oscal::insert_params(prose, &|id| {
        format!(
            "[{}]({}:{id})",
            param_text(id, params),
            crate::syntax::PARAM_SCHEME
        )
    })
}

/// Writes prose for the Markdown, and when it cannot be read back exactly, carries the
/// original for `part_id`.
fn write_prose(
    prose: &str,
    place: Place,
    part_id: Option<&str>,
    params: &HashMap<String, Param>,
    carried: &mut oscal::Carried,
    warnings: &mut Vec<String>,
) -> String {
    if verbatim_ok(prose, place) {
        return prose_markdown(prose, params);
    }
    let id = match part_id {
        Some(id) => {
            carried
                .part_fields
                .entry(id.to_string())
                .or_default()
                .insert("prose".into(), serde_json::Value::String(prose.to_string()));
            Some(id.to_string())
        }
        None => {
            warnings.push(format!(
                "prose without a part id changes in white space: {:?}",
                prose.chars().take(60).collect::<String>()
            ));
            None
        }
    };
    // Escape the words but not the parameter references, which become links.
    // Each reference becomes a marker holding its index, which escaping leaves alone.
    let inserts = std::cell::RefCell::new(Vec::new());
    let marked = oscal::insert_params(prose, &|id| {
        let mut list = inserts.borrow_mut();
        list.push(id.to_string());
        format!("\u{E000}{}\u{E001}", list.len() - 1)
    });
    let inserts = inserts.into_inner();
    let paragraphs: Vec<String> = marked
        .split("\n\n")
        .map(|p| escape_block_start(escape(&oscal::normalise_space(p))))
        .filter(|p| !p.is_empty())
        .collect();
    let sep = if place == Place::Item { " " } else { "\n\n" };
    let joined = paragraphs.join(sep);
    let mut out = String::with_capacity(joined.len());
    let mut rest = joined.as_str();
    while let Some(start) = rest.find('\u{E000}') {
        let Some(len) = rest[start..].find('\u{E001}') else {
            break;
        };
        out.push_str(&rest[..start]);
        let index: usize = rest[start + '\u{E000}'.len_utf8()..start + len]
            .parse()
            .unwrap_or(usize::MAX);
        let id = inserts.get(index).map_or("", String::as_str);
        out.push_str(&format!(
            "[{}]({}:{id})",
            param_text(id, params),
            crate::syntax::PARAM_SCHEME
        ));
        rest = &rest[start + len + '\u{E001}'.len_utf8()..];
    }
    out.push_str(rest);
    if let Some(id) = id {
        carried.written.insert(id, out.clone());
    }
    out
}

/// The importer's state across the catalog.
struct Importer<'a> {
    params: HashMap<String, Param>,
    carried: oscal::Carried,
    warnings: Vec<String>,
    source_name: &'a str,
}

impl Importer<'_> {
    /// A statement or guidance part stands in `oscal.json` for the text: everything but its
    /// prose and items.
    fn placeholder(part: &Part) -> serde_json::Value {
        let mut p = part.clone();
        p.prose = None;
        p.parts.retain(|s| s.name != "item");
        serde_json::to_value(p).expect("OSCAL types serialise")
    }

    fn items(
        &mut self,
        parts: &[Part],
        parent: &str,
        depth: usize,
        out: &mut String,
    ) -> Result<()> {
        for item in parts.iter().filter(|p| p.name == "item") {
            let label = item
                .props
                .iter()
                .find(|p| p.name == "label")
                .map(|p| p.value.clone())
                .unwrap_or_default();
            let id = item.id.clone().unwrap_or_default();
            let expected = crate::syntax::item_id(&label).map(|l| format!("{parent}.{l}"));
            if expected.as_deref() != Some(id.as_str()) || label.contains(['*', '\\', '`']) {
                self.warnings.push(format!(
                    "item {id} (label {label:?}): the id does not follow from the label, so it cannot be written as an item"
                ));
            }
            let mut fields = fields_of(item, &["id", "name", "prose", "parts"]);
            // Parts under an item that are not items (an objective, a note) are carried.
            let others: Vec<&Part> = item.parts.iter().filter(|p| p.name != "item").collect();
            if !others.is_empty() {
                fields.insert("parts".into(), serde_json::to_value(&others)?);
            }
            if fields.get("props")
                == Some(&serde_json::json!([{ "name": "label", "value": label }]))
            {
                fields.remove("props");
            }
            if !fields.is_empty() {
                self.carried.part_fields.insert(id.clone(), fields);
            }
            let text = item.prose.as_deref().unwrap_or("");
            let text = if text.is_empty() {
                String::new()
            } else {
                write_prose(
                    text,
                    Place::Item,
                    Some(&id),
                    &self.params,
                    &mut self.carried,
                    &mut self.warnings,
                )
            };
            out.push_str(&format!("{}- **{label}** {text}\n", "  ".repeat(depth)));
            self.items(&item.parts, &id, depth + 1, out)?;
        }
        Ok(())
    }

    /// The Markdown of one control and its enhancements, appended to the chapter files.
    fn control(
        &mut self,
        c: &Control,
        parent: Option<&str>,
        ja: &mut String,
        en: &mut String,
    ) -> Result<usize> {
        check_id(&c.id)?;
        let id = our_id(&c.id);
        // Only the fields the format does not model; parts, parameters and enhancements are
        // handled below (and serialising them here would copy every enhancement twice).
        let shallow = Control {
            class: c.class.clone(),
            props: c.props.clone(),
            links: c.links.clone(),
            rest: c.rest.clone(),
            ..Control::default()
        };
        let mut carried = fields_of(&shallow, &["id", "title"]);
        let withdrawn = c
            .props
            .iter()
            .any(|p| p.name == "status" && p.value == "withdrawn");
        let level = match c.class.as_deref() {
            Some("minimum") => "minimum",
            Some("recommended") => "recommended",
            _ if withdrawn => "recommended",
            _ => "minimum",
        };
        let mut meta = format!("```toml meta\nlevel = \"{level}\"\n");
        if let Some(p) = parent {
            meta.push_str(&format!("parent = {}\n", toml_str(&our_id(p))));
        }
        for p in &c.params {
            meta.push_str(&format!("\n[[param]]\nid = {}\n", toml_str(&p.id)));
            if let Some(label) = &p.label {
                meta.push_str(&format!("label = {}\n", toml_str(label)));
            }
            let guidelines: Vec<String> = p
                .rest
                .get("guidelines")
                .and_then(|g| g.as_array())
                .map(|list| {
                    list.iter()
                        .filter_map(|g| {
                            let o = g.as_object()?;
                            (o.len() == 1).then(|| o.get("prose")?.as_str().map(str::to_string))?
                        })
                        .collect()
                })
                .unwrap_or_default();
            let mut extra = fields_of(p, &["id", "label", "values", "select"]);
            let all_guidelines_plain = p
                .rest
                .get("guidelines")
                .and_then(|g| g.as_array())
                .is_none_or(|list| list.len() == guidelines.len());
            if all_guidelines_plain {
                extra.remove("guidelines");
                if !guidelines.is_empty() {
                    let list: Vec<String> = guidelines.iter().map(|g| toml_str(g)).collect();
                    meta.push_str(&format!("guidelines = [{}]\n", list.join(", ")));
                }
            }
            if !p.values.is_empty() {
                let list: Vec<String> = p.values.iter().map(|v| toml_str(v)).collect();
                meta.push_str(&format!("values = [{}]\n", list.join(", ")));
            }
            if let Some(select) = &p.select {
                let choices: Vec<String> = select.choice.iter().map(|v| toml_str(v)).collect();
                meta.push_str(&format!(
                    "select = {{ {}choice = [{}] }}\n",
                    select
                        .how_many
                        .as_ref()
                        .map(|h| format!("how-many = {}, ", toml_str(h)))
                        .unwrap_or_default(),
                    choices.join(", ")
                ));
                if !select.rest.is_empty() {
                    extra.insert("select".into(), serde_json::to_value(select)?);
                }
            }
            if !extra.is_empty() {
                self.carried.param_fields.insert(p.id.clone(), extra);
            }
        }
        meta.push_str("```\n\n");

        let mut placeholders = Vec::new();
        let mut statement = String::new();
        let mut guidance = String::new();
        for part in &c.parts {
            match part.name.as_str() {
                "statement" if statement.is_empty() => {
                    placeholders.push(Self::placeholder(part));
                    let smt = part.id.clone().unwrap_or_else(|| format!("{}_smt", c.id));
                    if part.id.as_deref() != Some(smt.as_str()) {
                        self.warnings
                            .push(format!("{}: statement without an id", c.id));
                    }
                    if let Some(prose) = part.prose.as_deref().filter(|p| !p.is_empty()) {
                        statement.push_str(&write_prose(
                            prose,
                            Place::Lead,
                            Some(&smt),
                            &self.params,
                            &mut self.carried,
                            &mut self.warnings,
                        ));
                        statement.push_str("\n\n");
                    }
                    let mut items = String::new();
                    self.items(&part.parts, &smt, 0, &mut items)?;
                    statement.push_str(&items);
                }
                "guidance" if guidance.is_empty() => {
                    placeholders.push(Self::placeholder(part));
                    let gdn = part.id.clone().unwrap_or_default();
                    if let Some(prose) = part.prose.as_deref().filter(|p| !p.is_empty()) {
                        guidance = write_prose(
                            prose,
                            Place::Block,
                            part.id.as_deref().map(|_| gdn.as_str()),
                            &self.params,
                            &mut self.carried,
                            &mut self.warnings,
                        );
                    }
                }
                _ => placeholders.push(serde_json::to_value(part)?),
            }
        }
        if statement.trim().is_empty() {
            self.warnings.push(format!(
                "control {}: no statement in the catalog (withdrawn or incomplete)",
                c.id
            ));
        }
        carried.insert("parts".into(), serde_json::Value::Array(placeholders));
        self.carried.controls.insert(c.id.clone(), carried);

        let title = escape(&c.title);
        let body = |s: &str, g: &str| {
            let mut out = format!("### {s}\n\n{}\n\n", statement.trim_end());
            if !guidance.is_empty() {
                out.push_str(&format!("### {g}\n\n{guidance}\n\n"));
            }
            out
        };
        ja.push_str(&format!(
            "## {id} {title}\n\n{meta}{}",
            body("要求事項", "解説")
        ));
        en.push_str(&format!(
            "## {id} {title}\n\n{}",
            body("Statement", "Guidance")
        ));
        let mut count = 1;
        for k in &c.controls {
            count += self.control(k, Some(&c.id), ja, en)?;
        }
        Ok(count)
    }

    /// One group as a chapter file pair.
    fn chapter(
        &mut self,
        group: &Group,
        n: usize,
        dir: &str,
        files: &mut Vec<(PathBuf, String)>,
    ) -> Result<usize> {
        let gid = group
            .id
            .clone()
            .unwrap_or_else(|| format!("group-{}", n + 1));
        check_id(&gid)?;
        if group.id.is_none() {
            self.warnings.push(format!(
                "group {} has no id; the export gives it {gid}",
                group.title
            ));
        }
        let id = our_id(&gid);
        let mut carried = group_fields(group);
        let mut intro = String::new();
        let mut parts = Vec::new();
        for part in &group.parts {
            let overview = part.name == "overview" && part.parts.is_empty() && intro.is_empty();
            match part.prose.as_deref() {
                Some(prose) if overview => {
                    parts.push(Self::placeholder(part));
                    intro = write_prose(
                        prose,
                        Place::Block,
                        part.id.as_deref(),
                        &self.params,
                        &mut self.carried,
                        &mut self.warnings,
                    );
                }
                _ => parts.push(serde_json::to_value(part)?),
            }
        }
        if !parts.is_empty() {
            carried.insert("parts".into(), serde_json::Value::Array(parts));
        }
        if !group.groups.is_empty() {
            self.warnings.push(format!(
                "group {gid}: {} nested groups are flattened into it",
                group.groups.len()
            ));
        }
        self.carried.groups.insert(gid.clone(), carried);
        let mut ja = format!("# {id} {}\n\n", escape(&group.title));
        if !intro.is_empty() {
            ja.push_str(&format!("{intro}\n\n"));
        }
        let mut en = ja.clone();
        let mut controls = 0;
        let mut stack: Vec<&Group> = vec![group];
        while let Some(g) = stack.pop() {
            for c in &g.controls {
                controls += self.control(c, None, &mut ja, &mut en)?;
            }
            for sub in g.groups.iter().rev() {
                stack.push(sub);
            }
        }
        let stem = format!("{:02}-{id}", n + 1);
        files.push((PathBuf::from(format!("{dir}/{stem}.ja.md")), ja));
        files.push((PathBuf::from(format!("{dir}/{stem}.en.md")), en));
        Ok(controls)
    }

    fn part_toml(&self, id: &str, title: &str, audience: &[String]) -> Result<String> {
        #[derive(Serialize)]
        struct PartToml<'a> {
            id: &'a str,
            audience: &'a [String],
            title: Pair,
        }
        let part = PartToml {
            id,
            audience,
            title: Pair {
                ja: title.to_string(),
                en: title.to_string(),
            },
        };
        Ok(format!(
            "# Imported from {} by `guideline import oscal`.\n{}",
            self.source_name,
            toml::to_string(&part)?
        ))
    }
}

/// The audience props of our own export, when a group carries them.
fn audience_of(props: &[oscal::Property]) -> Vec<String> {
    let found: Vec<String> = props
        .iter()
        .filter(|p| p.name == "audience" && p.ns.as_deref() == Some(crate::oscal::NS))
        .map(|p| p.value.clone())
        .filter(|v| matches!(v.as_str(), "executive" | "manager" | "operator"))
        .collect();
    if found.is_empty() {
        vec!["manager".into(), "operator".into()]
    } else {
        found
    }
}

/// Turns a catalog into source files.
///
/// The groups become chapters of one part; a catalog whose groups all hold groups (our own
/// export: parts, then chapters) becomes parts and chapters. What the format does not model
/// goes to `oscal.json` (see [`oscal::Carried`]).
pub fn import(doc: &Document, source_name: &str) -> Result<Imported> {
    let catalog = &doc.catalog;
    let mut im = Importer {
        params: params_of(catalog),
        carried: oscal::Carried::default(),
        warnings: Vec::new(),
        source_name,
    };
    let mut files = Vec::new();
    let mut controls = 0;

    let meta = &catalog.metadata;
    im.carried.metadata = fields_of(meta, &["title", "version", "last-modified"]);
    im.carried.back_matter = catalog.back_matter.clone();
    im.carried.params = catalog.params.clone();
    im.carried.catalog_fields = catalog.rest.clone().into_iter().collect();
    let title = &meta.title;
    #[derive(Serialize)]
    struct ManifestToml<'a> {
        edition: &'a str,
        date: &'a str,
        title: Pair,
        publisher: Pair,
        notice: Pair,
    }
    let both = |s: &str| Pair {
        ja: s.to_string(),
        en: s.to_string(),
    };
    let manifest = ManifestToml {
        edition: &meta.version,
        date: meta.last_modified.get(..10).unwrap_or(""),
        title: both(&meta.title),
        publisher: both(&format!("imported from {source_name}")),
        notice: both(
            "Imported OSCAL catalog: the original English text is kept in both language files.",
        ),
    };
    let manifest = format!(
        "# Imported from {source_name} by `guideline import oscal`.\n{}",
        toml::to_string(&manifest)?
    );
    files.push(("guideline.toml".into(), manifest));
    files.push((
        "technologies.toml".into(),
        "# No technologies are tagged in an imported catalog.\n".into(),
    ));

    let nested = !catalog.groups.is_empty()
        && catalog.groups.iter().all(|g| {
            g.controls.is_empty()
                && !g.groups.is_empty()
                && g.groups.iter().all(|s| s.groups.is_empty())
        });
    if nested {
        for (n, part) in catalog.groups.iter().enumerate() {
            let gid = part.id.clone().unwrap_or_else(|| format!("part-{}", n + 1));
            check_id(&gid)?;
            let id = our_id(&gid);
            let dir = format!("parts/{}-{id}", n + 1);
            files.push((
                PathBuf::from(format!("{dir}/part.toml")),
                im.part_toml(&id, &part.title, &audience_of(&part.props))?,
            ));
            let mut carried = group_fields(part);
            if !part.parts.is_empty() {
                carried.insert("parts".into(), serde_json::to_value(&part.parts)?);
                im.warnings
                    .push(format!("group {gid}: its parts are carried, not shown"));
            }
            im.carried.groups.insert(gid, carried);
            for (m, chapter) in part.groups.iter().enumerate() {
                controls += im.chapter(chapter, m, &dir, &mut files)?;
            }
        }
    } else {
        im.carried.chapter_groups = true;
        let dir = "parts/1-catalog";
        files.push((
            PathBuf::from(format!("{dir}/part.toml")),
            im.part_toml("catalog", title, &["manager".into(), "operator".into()])?,
        ));
        let mut groups: Vec<&Group> = catalog.groups.iter().collect();
        let loose = Group {
            id: Some("controls".into()),
            title: "Controls".into(),
            controls: catalog.controls.clone(),
            ..Group::default()
        };
        if !catalog.controls.is_empty() {
            im.warnings.push(format!(
                "{} controls outside any group are put into a group `controls`",
                catalog.controls.len()
            ));
            groups.insert(0, &loose);
        }
        for (n, group) in groups.iter().enumerate() {
            controls += im.chapter(group, n, dir, &mut files)?;
        }
    }
    let mut carried = serde_json::to_string_pretty(&im.carried)?;
    carried.push('\n');
    files.push((PathBuf::from(oscal::CARRIED_FILE), carried));
    let carried_parts = im
        .carried
        .controls
        .values()
        .filter_map(|c| c.get("parts")?.as_array().map(|p| p.len()))
        .sum::<usize>();
    if carried_parts > 0 {
        im.warnings.push(format!(
            "parts other than statement and guidance (such as assessment-objective), props, links and back-matter are carried in {} and written back on export",
            oscal::CARRIED_FILE
        ));
    }
    Ok(Imported {
        files,
        controls,
        warnings: im.warnings,
    })
}

fn toml_str(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markdown() {
        assert_eq!(escape("a*b [c] <d>"), "a\\*b \\[c\\] \\<d\\>");
    }
}
