//! `catalog.oscal.json`: the guideline as an OSCAL 1.1 catalog.
//!
//! Parts and chapters become groups; each control has `statement` and `guidance` parts,
//! props for level, audience and assurance, and one prop per technology it names (in our
//! namespace, `class` = role); references become back-matter resources. UUIDs are name-based
//! (v5), so the same source always gives the same bytes.

use std::collections::BTreeMap;

use uuid::Uuid;

use crate::model::{Guideline, Lang, Prose};
use crate::oscal::{
    self, BackMatter, Catalog, Citation, Control, Document, Group, Link, Metadata, Part, Property,
    Resource,
};
use crate::render::catalog::technology_uses;

/// Namespace of our own OSCAL props.
pub const NS: &str = "https://guideline.example/ns/oscal";

fn uuid(name: &str) -> String {
    Uuid::new_v5(
        &Uuid::NAMESPACE_URL,
        format!("https://guideline.example/{name}").as_bytes(),
    )
    .to_string()
}

/// An OSCAL token for one of our IDs: they already use letters, digits, `.`, `_` and `-`,
/// but a token must not start with a digit.
pub fn token(id: &str) -> String {
    if id
        .chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_')
    {
        id.to_string()
    } else {
        format!("_{id}")
    }
}

fn prop(name: &str, value: &str) -> Property {
    Property {
        name: name.into(),
        value: value.into(),
        ns: Some(NS.into()),
        class: None,
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

/// Builds the OSCAL catalog in one language (Japanese is authoritative).
pub fn build(g: &Guideline, lang: Lang) -> Document {
    let mut references: BTreeMap<String, String> = BTreeMap::new();
    let groups = g
        .parts
        .iter()
        .map(|p| Group {
            id: Some(token(&p.id)),
            class: Some("part".into()),
            title: text(&p.title.ja, p.title.en.as_ref(), lang).to_string(),
            props: p
                .audience
                .iter()
                .map(|a| prop("audience", a.keyword()))
                .collect(),
            groups: p
                .chapters
                .iter()
                .map(|c| {
                    let intro = prose(&c.intro.ja, c.intro.en.as_ref(), lang);
                    Group {
                        id: Some(token(&c.id)),
                        class: Some("chapter".into()),
                        title: text(&c.title.ja, c.title.en.as_ref(), lang).to_string(),
                        props: c
                            .audience
                            .iter()
                            .map(|a| prop("audience", a.keyword()))
                            .collect(),
                        parts: (!intro.is_blank())
                            .then(|| Part {
                                id: Some(format!("{}_ovw", token(&c.id))),
                                name: "overview".into(),
                                prose: Some(intro.plain.clone()),
                                ..Part::default()
                            })
                            .into_iter()
                            .collect(),
                        controls: c
                            .controls
                            .iter()
                            .map(|k| control(k, lang, &mut references))
                            .collect(),
                        ..Group::default()
                    }
                })
                .collect(),
            ..Group::default()
        })
        .collect();
    let last_modified = if g.manifest.date.len() == 10 {
        format!("{}T00:00:00Z", g.manifest.date)
    } else {
        "1970-01-01T00:00:00Z".to_string()
    };
    let resources = references
        .into_iter()
        .map(|(title, id)| Resource {
            uuid: id,
            title: Some(title.clone()),
            citation: Some(Citation { text: title }),
        })
        .collect::<Vec<_>>();
    Document {
        catalog: Catalog {
            uuid: uuid(&format!("{}/catalog/{}", g.manifest.edition, lang.code())),
            metadata: Metadata {
                title: text(&g.manifest.title.ja, Some(&g.manifest.title.en), lang).to_string(),
                last_modified,
                version: g.manifest.edition.clone(),
                oscal_version: oscal::OSCAL_VERSION.into(),
                props: vec![prop("language", lang.code())],
                remarks: g
                    .manifest
                    .notice
                    .as_ref()
                    .map(|n| text(&n.ja, Some(&n.en), lang).to_string()),
                ..Metadata::default()
            },
            groups,
            back_matter: (!resources.is_empty()).then_some(BackMatter { resources }),
            ..Catalog::default()
        },
    }
}

fn control(
    k: &crate::model::Control,
    lang: Lang,
    references: &mut BTreeMap<String, String>,
) -> Control {
    let id = token(&k.id);
    let mut props = vec![Property {
        name: "label".into(),
        value: k.id.clone(),
        ns: None,
        class: None,
    }];
    props.push(prop("level", k.level.keyword()));
    props.extend(k.audience.iter().map(|a| prop("audience", a.keyword())));
    if k.applies.condition != crate::applicability::Condition::Always {
        props.push(prop("applies", &k.applies.condition.to_source()));
    }
    if let Some(a) = k.assurance {
        props.push(prop("assurance", &format!("AAL{a}")));
    }
    for u in technology_uses(k) {
        props.push(Property {
            class: Some(u.role.keyword().into()),
            ..prop("technology", &u.technology)
        });
    }
    for p in &k.previous {
        props.push(prop("previous", &p.value));
    }
    let mut links: Vec<Link> = k
        .related
        .iter()
        .map(|r| Link {
            href: format!("#{}", token(&r.value)),
            rel: Some("related".into()),
            text: None,
        })
        .collect();
    for r in &k.references {
        let id = references
            .entry(r.clone())
            .or_insert_with(|| uuid(&format!("reference/{r}")))
            .clone();
        links.push(Link {
            href: format!("#{id}"),
            rel: Some("reference".into()),
            text: None,
        });
    }
    let mut parts = Vec::new();
    let statement = prose(&k.statement.ja, k.statement.en.as_ref(), lang);
    if !statement.is_blank() {
        parts.push(Part {
            id: Some(format!("{id}_smt")),
            name: "statement".into(),
            prose: Some(statement.plain.clone()),
            ..Part::default()
        });
    }
    let guidance = prose(&k.guidance.ja, k.guidance.en.as_ref(), lang);
    if !guidance.is_blank() {
        parts.push(Part {
            id: Some(format!("{id}_gdn")),
            name: "guidance".into(),
            prose: Some(guidance.plain.clone()),
            ..Part::default()
        });
    }
    Control {
        id,
        class: Some(k.level.keyword().into()),
        title: text(&k.title.ja, k.title.en.as_ref(), lang).to_string(),
        props,
        links,
        parts,
        ..Control::default()
    }
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
