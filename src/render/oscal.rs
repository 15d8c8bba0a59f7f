//! `catalog.oscal.json`: the guideline as an OSCAL 1.1 catalog.
//!
//! Parts and chapters become groups; each control has `statement` and `guidance` parts,
//! props for level, audience and assurance, and one prop per technology it names (in our
//! namespace, `class` = role); references become back-matter resources. UUIDs are name-based
//! (v5), so the same source always gives the same bytes.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::model::{Guideline, Item, Lang, Localised, Prose};
pub use crate::oscal::NS;
use crate::oscal::{
    self, token, uuid, Carried, Catalog, Citation, Control, Document, Fields, Group, Link,
    Metadata, Param, Part, Property, Resource,
};

fn prop(name: &str, value: &str) -> Property {
    Property {
        name: name.into(),
        value: value.into(),
        ns: Some(NS.into()),
        ..Property::default()
    }
}

fn text<'a>(ja: &'a str, en: Option<&'a String>, lang: Lang) -> &'a str {
    match (lang, en) {
        (Lang::En, Some(e)) if !e.trim().is_empty() => e,
        _ => ja,
    }
}

fn prose<'a>(ja: &'a Prose, en: Option<&'a Prose>, lang: Lang) -> &'a Prose {
    match (lang, en) {
        (Lang::En, Some(e)) if !e.is_blank() => e,
        _ => ja,
    }
}

fn local(l: &Localised<String>, lang: Lang) -> String {
    text(&l.ja, l.en.as_ref(), lang).to_string()
}

/// A span of prose as OSCAL prose (which is Markdown): the source as written, with each
/// technology tag reduced to its words (the technology is a prop of the control) and each
/// parameter reference written `{{ insert: param, ID }}`.
fn oscal_markdown(g: &Guideline, p: &Prose, span: Range<usize>) -> String {
    let source = &g.sources.get(p.file).text;
    let mut edits: Vec<(Range<usize>, String)> = p
        .mentions
        .iter()
        .filter(|m| m.role.is_some())
        .map(|m| (m.span.clone(), m.text.clone()))
        .chain(
            p.params
                .iter()
                .map(|r| (r.span.clone(), format!("{{{{ insert: param, {} }}}}", r.id))),
        )
        .filter(|(r, _)| r.start >= span.start && r.end <= span.end)
        .collect();
    edits.sort_by_key(|(r, _)| r.start);
    let mut out = String::with_capacity(span.len());
    let mut at = span.start;
    for (r, replacement) in edits {
        if r.start < at {
            continue;
        }
        out.push_str(&source[at..r.start]);
        out.push_str(&replacement);
        at = r.end;
    }
    out.push_str(&source[at..span.end]);
    out
}

/// The source Markdown of a span of prose, as written.
fn source_text(g: &Guideline, p: &Prose, span: Range<usize>) -> String {
    g.sources
        .get(p.file)
        .text
        .get(span)
        .unwrap_or("")
        .to_string()
}

/// Writes `fields` over what the export made: carried fields win. Fields in `skip` are the
/// caller's to place.
fn overlay<T: Serialize + DeserializeOwned>(made: T, fields: &Fields, skip: &[&str]) -> T {
    if fields.keys().all(|k| skip.contains(&k.as_str())) {
        return made;
    }
    let mut value = serde_json::to_value(&made).expect("OSCAL types serialise");
    if let Some(object) = value.as_object_mut() {
        for (k, v) in fields {
            if !skip.contains(&k.as_str()) {
                object.insert(k.clone(), v.clone());
            }
        }
    }
    T::deserialize(value).unwrap_or(made)
}

/// A carried list of OSCAL objects (props, links).
fn carried_list<T: DeserializeOwned>(v: &serde_json::Value) -> Vec<T> {
    Vec::<T>::deserialize(v).unwrap_or_default()
}

/// Parts from the carried list, where `statement`, `guidance` and `overview` stand for the
/// parts made from the source; those the list does not place come at the end.
fn place_parts(carried: Option<&serde_json::Value>, mut made: Vec<Part>) -> Vec<Part> {
    let Some(list) = carried.and_then(|v| v.as_array()) else {
        return made;
    };
    let mut out = Vec::with_capacity(list.len() + made.len());
    for value in list {
        let name = value.get("name").and_then(|n| n.as_str()).unwrap_or("");
        let stands_for = matches!(name, "statement" | "guidance" | "overview")
            && value.get("prose").is_none()
            && value
                .get("parts")
                .and_then(|p| p.as_array())
                .is_none_or(|p| {
                    p.iter()
                        .all(|s| s.get("name").and_then(|n| n.as_str()) != Some("item"))
                });
        if !stands_for {
            if let Ok(part) = Part::deserialize(value) {
                out.push(part);
            }
            continue;
        }
        if let Some(i) = made.iter().position(|m| m.name == name) {
            let m = made.remove(i);
            let fields = value.as_object().cloned().unwrap_or_default();
            let mut parts = m.parts.clone();
            // What the placeholder keeps under it besides the items (a note, an example).
            if let Some(list) = value.get("parts").and_then(|p| p.as_array()) {
                parts.extend(list.iter().filter_map(|p| Part::deserialize(p).ok()));
            }
            let mut placed = overlay(m, &fields, &["prose", "parts"]);
            placed.parts = parts;
            out.push(placed);
        }
    }
    out.extend(made);
    out
}

/// What the export needs besides the model.
struct Context<'a> {
    g: &'a Guideline,
    lang: Lang,
    carried: Option<&'a Carried>,
    /// Whether to write this tool's own props.
    own: bool,
    /// Item IDs (`C-7.4.a`) to their part ids (`C-7.4_smt.a`), for `related` links.
    items: HashMap<String, String>,
    empty: Fields,
}

impl Context<'_> {
    fn carried_control(&self, id: &str) -> &Fields {
        self.carried
            .and_then(|c| c.controls.get(id))
            .unwrap_or(&self.empty)
    }

    fn carried_group(&self, id: &str) -> &Fields {
        self.carried
            .and_then(|c| c.groups.get(id))
            .unwrap_or(&self.empty)
    }

    /// The carried fields of a part; its carried exact prose only while the Markdown is
    /// still what the import wrote (`current`), so an edit is never overridden.
    fn part_fields(&self, id: &str, current: &str) -> std::borrow::Cow<'_, Fields> {
        let Some(c) = self.carried else {
            return std::borrow::Cow::Borrowed(&self.empty);
        };
        let Some(fields) = c.part_fields.get(id) else {
            return std::borrow::Cow::Borrowed(&self.empty);
        };
        let stale = fields.contains_key("prose")
            && c.written.get(id).is_none_or(|w| w.trim() != current.trim());
        if stale {
            let mut f = fields.clone();
            f.remove("prose");
            std::borrow::Cow::Owned(f)
        } else {
            std::borrow::Cow::Borrowed(fields)
        }
    }

    fn audience_props(&self, audience: &[crate::model::Audience]) -> Vec<Property> {
        if !self.own {
            return Vec::new();
        }
        audience
            .iter()
            .map(|a| prop("audience", a.keyword()))
            .collect()
    }
}

/// The statement's part id for a control token.
fn statement_id(token: &str) -> String {
    format!("{token}_smt")
}

/// Builds the OSCAL catalog in one language (Japanese is authoritative).
pub fn build(g: &Guideline, lang: Lang) -> Document {
    let mut references: BTreeMap<String, String> = BTreeMap::new();
    let carried = g.carried.as_ref();
    let mut items = HashMap::new();
    for (_, _, k) in g.controls() {
        for item in k.statement.ja.all_items() {
            items.insert(
                format!("{}.{}", k.id, item.id),
                format!("{}.{}", statement_id(&token(&k.id)), item.id),
            );
        }
    }
    let cx = Context {
        g,
        lang,
        carried,
        own: carried.is_none_or(|c| c.own_props),
        items,
        empty: Fields::new(),
    };
    let chapter_group = |c: &crate::model::Chapter, references: &mut BTreeMap<String, String>| {
        let intro = prose(&c.intro.ja, c.intro.en.as_ref(), lang);
        let id = token(&c.id);
        let fields = cx.carried_group(&id);
        let ovw = format!("{id}_ovw");
        let made = (!intro.is_blank())
            .then(|| {
                overlay(
                    Part {
                        id: Some(ovw.clone()),
                        name: "overview".into(),
                        prose: Some(
                            oscal_markdown(g, intro, intro.span.clone())
                                .trim()
                                .to_string(),
                        ),
                        ..Part::default()
                    },
                    &cx.part_fields(&ovw, &source_text(g, intro, intro.span.clone())),
                    &[],
                )
            })
            .into_iter()
            .collect();
        let mut group = overlay(
            Group {
                id: Some(id.clone()),
                class: Some("chapter".into()),
                props: cx.audience_props(&c.audience),
                ..Group::default()
            },
            fields,
            &["parts", "controls", "groups", "id", "title"],
        );
        group.id = Some(id);
        group.title = text(&c.title.ja, c.title.en.as_ref(), lang).to_string();
        group.parts = place_parts(fields.get("parts"), made);
        group.controls = chapter_controls(&cx, c, references);
        group
    };
    let groups: Vec<Group> = if carried.is_some_and(|c| c.chapter_groups) {
        g.chapters()
            .map(|(_, c)| chapter_group(c, &mut references))
            .collect()
    } else {
        g.parts
            .iter()
            .map(|p| {
                let id = token(&p.id);
                let mut group = overlay(
                    Group {
                        id: Some(id.clone()),
                        class: Some("part".into()),
                        props: cx.audience_props(&p.audience),
                        ..Group::default()
                    },
                    cx.carried_group(&id),
                    &["groups", "id", "title"],
                );
                group.id = Some(id);
                group.title = text(&p.title.ja, p.title.en.as_ref(), lang).to_string();
                group.groups = p
                    .chapters
                    .iter()
                    .map(|c| chapter_group(c, &mut references))
                    .collect();
                group
            })
            .collect()
    };
    let last_modified = if g.manifest.date.len() == 10 {
        format!("{}T00:00:00Z", g.manifest.date)
    } else {
        "1970-01-01T00:00:00Z".to_string()
    };
    let mut back_matter = carried
        .and_then(|c| c.back_matter.clone())
        .unwrap_or_default();
    for (title, id) in references {
        if back_matter.resources.iter().all(|r| r.uuid != id) {
            back_matter.resources.push(Resource {
                uuid: id,
                title: Some(title.clone()),
                citation: Some(Citation {
                    text: title,
                    ..Citation::default()
                }),
                ..Resource::default()
            });
        }
    }
    let mut metadata = Metadata {
        title: text(&g.manifest.title.ja, Some(&g.manifest.title.en), lang).to_string(),
        last_modified,
        version: g.manifest.edition.clone(),
        oscal_version: oscal::OSCAL_VERSION.into(),
        props: if cx.own {
            vec![prop("language", lang.code())]
        } else {
            Vec::new()
        },
        remarks: g
            .manifest
            .notice
            .as_ref()
            .filter(|_| carried.is_none())
            .map(|n| text(&n.ja, Some(&n.en), lang).to_string()),
        ..Metadata::default()
    };
    if let Some(c) = carried {
        let (title, version, last_modified) = (
            metadata.title.clone(),
            metadata.version.clone(),
            metadata.last_modified.clone(),
        );
        let props = metadata.props.clone();
        metadata = overlay(
            metadata,
            &c.metadata,
            &["title", "version", "last-modified"],
        );
        metadata.title = title;
        metadata.version = version;
        metadata.last_modified = last_modified;
        if c.metadata.contains_key("props") {
            metadata.props.extend(props);
        }
    }
    let catalog = Catalog {
        uuid: uuid(&format!("{}/catalog/{}", g.manifest.edition, lang.code())),
        metadata,
        params: carried.map(|c| c.params.clone()).unwrap_or_default(),
        groups,
        back_matter: (!back_matter.resources.is_empty() || !back_matter.rest.is_empty())
            .then_some(back_matter),
        ..Catalog::default()
    };
    let empty = Fields::new();
    Document {
        catalog: overlay(catalog, carried.map_or(&empty, |c| &c.catalog_fields), &[]),
    }
}

/// The controls of a chapter, each enhancement (`parent`) inside the control it enhances.
fn chapter_controls(
    cx: &Context<'_>,
    c: &crate::model::Chapter,
    references: &mut BTreeMap<String, String>,
) -> Vec<Control> {
    let ids: HashSet<&str> = c.controls.iter().map(|k| k.id.as_str()).collect();
    fn children(
        cx: &Context<'_>,
        c: &crate::model::Chapter,
        parent: Option<&str>,
        ids: &HashSet<&str>,
        references: &mut BTreeMap<String, String>,
        depth: usize,
    ) -> Vec<Control> {
        let mut out = Vec::new();
        for k in &c.controls {
            let own_parent = k
                .parent
                .as_ref()
                .map(|p| p.value.as_str())
                .filter(|p| ids.contains(p) && **p != *k.id);
            if own_parent != parent {
                continue;
            }
            let mut built = control(cx, k, references);
            // A cycle of parents cannot nest; its controls stay where the loop is cut.
            if depth < 16 {
                built.controls = children(cx, c, Some(&k.id), ids, references, depth + 1);
            }
            out.push(built);
        }
        out
    }
    let mut top = children(cx, c, None, &ids, references, 0);
    // Controls whose parents form a cycle are reached from no top-level control.
    let mut seen = HashSet::new();
    fn collect(v: &[Control], seen: &mut HashSet<String>) {
        for k in v {
            seen.insert(k.id.clone());
            collect(&k.controls, seen);
        }
    }
    collect(&top, &mut seen);
    for k in &c.controls {
        if !seen.contains(&token(&k.id)) {
            top.push(control(cx, k, references));
        }
    }
    top
}

fn item_parts(cx: &Context<'_>, p: &Prose, items: &[Item], parent_id: &str) -> Vec<Part> {
    items
        .iter()
        .map(|item| {
            let id = format!("{parent_id}.{}", item.id.rsplit('.').next().unwrap_or(""));
            let made = Part {
                id: Some(id.clone()),
                name: "item".into(),
                props: vec![Property {
                    name: "label".into(),
                    value: item.label.clone(),
                    ..Property::default()
                }],
                prose: Some(oscal_markdown(cx.g, p, item.text.clone())),
                parts: item_parts(cx, p, &item.items, &id),
                ..Part::default()
            };
            let fields = cx.part_fields(&id, &source_text(cx.g, p, item.text.clone()));
            let mut parts = made.parts.clone();
            // Carried parts under the item that are not items.
            if let Some(list) = fields.get("parts").and_then(|v| v.as_array()) {
                parts.extend(list.iter().filter_map(|v| Part::deserialize(v).ok()));
            }
            let mut part = overlay(made, &fields, &["parts"]);
            part.parts = parts;
            part
        })
        .collect()
}

fn param(cx: &Context<'_>, p: &crate::model::Param) -> Param {
    let lang = cx.lang;
    let mut rest = BTreeMap::new();
    if !p.guidelines.is_empty() {
        rest.insert(
            "guidelines".to_string(),
            serde_json::Value::Array(
                p.guidelines
                    .iter()
                    .map(|t| serde_json::json!({ "prose": local(t, lang) }))
                    .collect(),
            ),
        );
    }
    let made = Param {
        id: p.id.value.clone(),
        label: p.label.as_ref().map(|l| local(l, lang)),
        values: p.values.clone(),
        select: p.select.as_ref().map(|s| oscal::Select {
            how_many: s.how_many.clone(),
            choice: s.choice.iter().map(|t| local(t, lang)).collect(),
            ..oscal::Select::default()
        }),
        rest,
        ..Param::default()
    };
    let empty = Fields::new();
    overlay(
        made,
        cx.carried
            .and_then(|c| c.param_fields.get(&p.id.value))
            .unwrap_or(&empty),
        &[],
    )
}

fn control(
    cx: &Context<'_>,
    k: &crate::model::Control,
    references: &mut BTreeMap<String, String>,
) -> Control {
    let (g, lang) = (cx.g, cx.lang);
    let id = token(&k.id);
    let fields = cx.carried_control(&id);
    let mut props = match fields.get("props") {
        Some(carried) => carried_list(carried),
        None => vec![Property {
            name: "label".into(),
            value: k.id.to_string(),
            ..Property::default()
        }],
    };
    if cx.own {
        props.push(prop("level", k.level.keyword()));
        props.extend(cx.audience_props(&k.audience));
        if k.applies.condition != crate::applicability::Condition::Always {
            props.push(prop("applies", &k.applies.condition.to_source()));
        }
        if let Some(a) = k.assurance {
            props.push(prop("assurance", &a.to_string()));
        }
        for u in k.technology_uses() {
            props.push(Property {
                class: Some(u.role.keyword().into()),
                ..prop("technology", &u.technology)
            });
        }
        for p in &k.previous {
            props.push(prop("previous", &p.value));
        }
    }
    let mut links: Vec<Link> = match fields.get("links") {
        Some(carried) => carried_list(carried),
        None => Vec::new(),
    };
    let mut made_links: Vec<Link> = k
        .related
        .iter()
        .map(|r| Link {
            href: format!(
                "#{}",
                cx.items
                    .get(&r.value)
                    .cloned()
                    .unwrap_or_else(|| token(&r.value))
            ),
            rel: Some("related".into()),
            ..Link::default()
        })
        .collect();
    for r in &k.references {
        let id = references
            .entry(r.clone())
            .or_insert_with(|| uuid(&format!("reference/{r}")))
            .clone();
        made_links.push(Link {
            href: format!("#{id}"),
            rel: Some("reference".into()),
            ..Link::default()
        });
    }
    for l in made_links {
        if !links.iter().any(|c| c.href == l.href && c.rel == l.rel) {
            links.push(l);
        }
    }
    let mut parts = Vec::new();
    let statement = prose(&k.statement.ja, k.statement.en.as_ref(), lang);
    if !statement.is_blank() {
        let smt = statement_id(&id);
        let fields = cx.part_fields(&smt, &source_text(g, statement, statement.lead.clone()));
        let lead = oscal_markdown(g, statement, statement.lead.clone());
        let made = Part {
            id: Some(smt.clone()),
            name: "statement".into(),
            prose: (!lead.trim().is_empty()).then_some(lead),
            parts: item_parts(cx, statement, &statement.items, &smt),
            ..Part::default()
        };
        // `parts` is skipped, so the items stay those made from the source.
        parts.push(overlay(made, &fields, &["parts"]));
    }
    let guidance = prose(&k.guidance.ja, k.guidance.en.as_ref(), lang);
    if !guidance.is_blank() {
        let gdn = format!("{id}_gdn");
        parts.push(overlay(
            Part {
                id: Some(gdn.clone()),
                name: "guidance".into(),
                prose: Some(
                    oscal_markdown(g, guidance, guidance.span.clone())
                        .trim()
                        .to_string(),
                ),
                ..Part::default()
            },
            &cx.part_fields(&gdn, &source_text(g, guidance, guidance.span.clone())),
            &[],
        ));
    }
    let mut made = overlay(
        Control {
            id: id.clone(),
            class: Some(k.level.keyword().into()),
            ..Control::default()
        },
        fields,
        &[
            "parts", "props", "links", "params", "controls", "id", "title",
        ],
    );
    made.id = id;
    made.title = text(&k.title.ja, k.title.en.as_ref(), lang).to_string();
    made.params = k.params.iter().map(|p| param(cx, p)).collect();
    made.props = props;
    made.links = links;
    made.parts = place_parts(fields.get("parts"), parts);
    made.controls = Vec::new();
    made
}

pub fn to_json(doc: &Document) -> String {
    let mut s = serde_json::to_string_pretty(doc).expect("OSCAL serialises");
    s.push('\n');
    s
}

/// A preset of `applicability.toml` as an OSCAL profile of the Japanese catalog
/// (`catalog.oscal.json`, beside the `profiles/` directory): the controls that apply to its
/// answers, listed in `include-controls`, merged as they are.
pub fn profile(g: &Guideline, preset: &crate::applicability::Preset) -> String {
    let ids: Vec<String> = g
        .applying(&preset.answers)
        .map(|(_, _, k)| token(&k.id))
        .collect();
    let last_modified = if g.manifest.date.len() == 10 {
        format!("{}T00:00:00Z", g.manifest.date)
    } else {
        "1970-01-01T00:00:00Z".to_string()
    };
    let answers: Vec<serde_json::Value> = preset
        .answers
        .iter()
        .map(|(q, v)| serde_json::json!({ "name": "answer", "ns": NS, "class": q, "value": v }))
        .collect();
    let doc = serde_json::json!({
        "profile": {
            "uuid": uuid(&format!("{}/profile/{}", g.manifest.edition, preset.id)),
            "metadata": {
                "title": format!("{}: {}", g.manifest.title.ja, preset.ja),
                "last-modified": last_modified,
                "version": g.manifest.edition,
                "oscal-version": oscal::OSCAL_VERSION,
                "props": answers,
            },
            "imports": [{
                "href": "../catalog.oscal.json",
                "include-controls": [{ "with-ids": ids }],
            }],
            "merge": { "as-is": true },
        }
    });
    let mut out = serde_json::to_string_pretty(&doc).expect("JSON of plain values");
    out.push('\n');
    out
}
