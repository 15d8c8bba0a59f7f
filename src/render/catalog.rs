//! `catalog.json`: the guideline as data for vendors, and its JSON Schema.
//!
//! The catalog types are the schema: `schemars` derives `schema/catalog.schema.json` from
//! them, so the two cannot drift. Order follows the source (parts, chapters, controls) and
//! the registry file; every map is a sorted list, so bytes are deterministic.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::model::{Audience, Guideline, Level, Prose, Role, TechnologyUse};
use crate::registry::{Category, Status};
use crate::syntax::Aal;

/// Bumped when the structure changes incompatibly.
pub const SCHEMA_VERSION: &str = "1.2.0";

/// A string in Japanese (authoritative) and English: the model's own bilingual type.
pub type Text = crate::text::Localised<String>;

/// A block of prose as Markdown and as plain text.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct Block {
    pub markdown: String,
    pub plain: String,
}

/// A block in both languages.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct Blocks {
    pub ja: Block,
    pub en: Option<Block>,
}

/// The whole guideline as data.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Catalog {
    /// Version of this structure (semantic versioning).
    pub schema_version: String,
    pub title: Text,
    pub edition: String,
    /// Publication date as written in the manifest (YYYY-MM-DD).
    pub date: String,
    pub publisher: Text,
    pub notice: Option<Text>,
    pub parts: Vec<CatalogPart>,
    pub technologies: Vec<CatalogTechnology>,
    pub glossary: Vec<GlossaryTerm>,
    /// The questions a reader answers and the named presets of answers, when the guideline
    /// declares them.
    pub applicability: Option<crate::applicability::Applicability>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct CatalogPart {
    pub id: String,
    pub title: Text,
    pub audience: Vec<Audience>,
    pub chapters: Vec<CatalogChapter>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct CatalogChapter {
    pub id: String,
    pub title: Text,
    pub audience: Vec<Audience>,
    pub introduction: Blocks,
    pub controls: Vec<CatalogControl>,
}

/// One compliance item.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct CatalogControl {
    /// Stable ID, unique in the edition.
    pub id: String,
    pub title: Text,
    /// `minimum` (must) or `recommended` (should).
    pub level: Level,
    pub audience: Vec<Audience>,
    /// SP 800-63B level the control demands of authentication, e.g. `AAL2`.
    pub assurance: Option<String>,
    /// The normative statement.
    pub statement: Blocks,
    /// Informative guidance.
    pub guidance: Blocks,
    pub references: Vec<String>,
    /// IDs of related chapters or controls in this edition.
    pub related: Vec<String>,
    /// IDs in earlier editions, `EDITION:ID`.
    pub previous: Vec<String>,
    /// Technologies the control names and the role each plays (from the Japanese text).
    pub technologies: Vec<TechnologyUse>,
    /// When the control applies: `always`, or a condition over the answers to the
    /// questions in `applicability` (`internet = yes or remote-maintenance = yes`).
    pub applies: String,
    /// The control this one enhances, when it is an enhancement.
    pub parent: Option<String>,
    /// The items of the statement (`- **①** …`), each addressable by its ID.
    pub items: Vec<CatalogItem>,
    /// The values an organisation sets, referenced in the statement as `[text](param:ID)`.
    pub params: Vec<CatalogParam>,
}

/// One item of a statement.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct CatalogItem {
    /// The control's ID and the item's path: `C-6.6.2.1`.
    pub id: String,
    /// The label as written: `①`, `a.`, `(1)`.
    pub label: String,
    /// The item's own Markdown, without its sub-items.
    pub markdown: Text,
    pub items: Vec<CatalogItem>,
}

/// A parameter of a control (OSCAL `param`).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct CatalogParam {
    pub id: String,
    pub label: Option<Text>,
    /// What the guideline says the value should be.
    pub guidelines: Vec<Text>,
    pub values: Vec<String>,
    pub select: Option<CatalogSelect>,
}

/// The choices of a parameter.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct CatalogSelect {
    /// `one` or `one-or-more`; absent means one.
    pub how_many: Option<String>,
    pub choice: Vec<Text>,
}

/// A registry entry, with every control that names it.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct CatalogTechnology {
    pub id: String,
    pub name: Text,
    pub aliases: TextList,
    pub category: Category,
    /// Highest SP 800-63B AAL reachable, where it applies.
    pub aal: Option<u8>,
    pub status: Status,
    pub since: Option<String>,
    pub standards: Vec<String>,
    pub description: Text,
    pub used_by: Vec<TechnologyMention>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct TextList {
    pub ja: Vec<String>,
    pub en: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq, Eq, PartialOrd, Ord)]
pub struct TechnologyMention {
    pub control: String,
    pub role: Role,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct GlossaryTerm {
    pub ja: String,
    pub en: String,
    pub reading: Option<String>,
    pub definition: Text,
}

fn block(p: &Prose) -> Block {
    Block {
        markdown: p.markdown.clone(),
        plain: p.plain.clone(),
    }
}

fn blocks(ja: &Prose, en: Option<&Prose>) -> Blocks {
    Blocks {
        ja: block(ja),
        en: en.map(block),
    }
}

/// The statement's items, the English text taken from the English item with the same ID.
fn items(g: &Guideline, k: &crate::model::Control) -> Vec<CatalogItem> {
    let en: BTreeMap<&str, (&crate::model::Item, &Prose)> = k
        .statement
        .en
        .iter()
        .flat_map(|p| {
            p.all_items()
                .into_iter()
                .map(move |i| (i.id.as_str(), (i, p)))
        })
        .collect();
    fn walk(
        g: &Guideline,
        k: &crate::model::Control,
        ja: &Prose,
        list: &[crate::model::Item],
        en: &BTreeMap<&str, (&crate::model::Item, &Prose)>,
    ) -> Vec<CatalogItem> {
        list.iter()
            .map(|i| CatalogItem {
                id: format!("{}.{}", k.id, i.id),
                label: i.label.clone(),
                markdown: Text {
                    ja: g.sources.get(ja.file).text[i.text.clone()].to_string(),
                    en: en
                        .get(i.id.as_str())
                        .map(|(e, p)| g.sources.get(p.file).text[e.text.clone()].to_string()),
                },
                items: walk(g, k, ja, &i.items, en),
            })
            .collect()
    }
    walk(g, k, &k.statement.ja, &k.statement.ja.items, &en)
}

fn params(k: &crate::model::Control) -> Vec<CatalogParam> {
    k.params
        .iter()
        .map(|p| CatalogParam {
            id: p.id.value.clone(),
            label: p.label.clone(),
            guidelines: p.guidelines.clone(),
            values: p.values.clone(),
            select: p.select.as_ref().map(|s| CatalogSelect {
                how_many: s.how_many.clone(),
                choice: s.choice.clone(),
            }),
        })
        .collect()
}

fn pair(p: &crate::registry::Pair) -> Text {
    Text {
        ja: p.ja.clone(),
        en: Some(p.en.clone()),
    }
}

/// Builds the catalog from the model.
pub fn build(g: &Guideline) -> Catalog {
    let parts: Vec<CatalogPart> = g
        .parts
        .iter()
        .map(|p| CatalogPart {
            id: p.id.clone(),
            title: Text {
                ja: p.title.ja.clone(),
                en: p.title.en.clone(),
            },
            audience: p.audience.clone(),
            chapters: p
                .chapters
                .iter()
                .map(|c| CatalogChapter {
                    id: c.id.to_string(),
                    title: Text {
                        ja: c.title.ja.clone(),
                        en: c.title.en.clone(),
                    },
                    audience: c.audience.clone(),
                    introduction: blocks(&c.intro.ja, c.intro.en.as_ref()),
                    controls: c
                        .controls
                        .iter()
                        .map(|k| CatalogControl {
                            id: k.id.to_string(),
                            title: Text {
                                ja: k.title.ja.clone(),
                                en: k.title.en.clone(),
                            },
                            level: k.level,
                            audience: k.audience.clone(),
                            assurance: k.assurance.map(|a| a.to_string()),
                            statement: blocks(&k.statement.ja, k.statement.en.as_ref()),
                            guidance: blocks(&k.guidance.ja, k.guidance.en.as_ref()),
                            references: k.references.clone(),
                            related: k.related.iter().map(|r| r.value.clone()).collect(),
                            previous: k.previous.iter().map(|r| r.value.clone()).collect(),
                            technologies: k.technology_uses(),
                            applies: k.applies.condition.to_source(),
                            parent: k.parent.as_ref().map(|p| p.value.clone()),
                            items: items(g, k),
                            params: params(k),
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect();
    // Who names each technology, read off the controls above (their uses are computed once).
    let mut used_by: BTreeMap<&str, Vec<TechnologyMention>> = BTreeMap::new();
    for k in parts
        .iter()
        .flat_map(|p: &CatalogPart| &p.chapters)
        .flat_map(|c| &c.controls)
    {
        for u in &k.technologies {
            let entry = used_by.entry(u.technology.as_str()).or_default();
            let mention = TechnologyMention {
                control: k.id.clone(),
                role: u.role,
            };
            if entry.last() != Some(&mention) {
                entry.push(mention);
            }
        }
    }
    let technologies = g
        .registry
        .technologies
        .iter()
        .map(|t| {
            let used_by = used_by.get(t.id.as_str()).cloned().unwrap_or_default();
            CatalogTechnology {
                id: t.id.clone(),
                name: pair(&t.name),
                aliases: TextList {
                    ja: t.aliases.ja.clone(),
                    en: t.aliases.en.clone(),
                },
                category: t.category,
                aal: t.aal.map(Aal::get),
                status: t.status,
                since: t.since.clone(),
                standards: t.standards.clone(),
                description: pair(&t.description),
                used_by,
            }
        })
        .collect();
    Catalog {
        schema_version: SCHEMA_VERSION.to_string(),
        title: pair(&g.manifest.title),
        edition: g.manifest.edition.clone(),
        date: g.manifest.date.clone(),
        publisher: pair(&g.manifest.publisher),
        notice: g.manifest.notice.as_ref().map(pair),
        parts,
        technologies,
        applicability: g.applicability.clone(),
        glossary: g
            .glossary
            .term
            .iter()
            .map(|t| GlossaryTerm {
                ja: t.ja.clone(),
                en: t.en.clone(),
                reading: t.reading.clone(),
                definition: pair(&t.definition),
            })
            .collect(),
    }
}

/// The catalog as pretty JSON with a trailing newline.
pub fn to_json(catalog: &Catalog) -> String {
    let mut s = serde_json::to_string_pretty(catalog).expect("catalog serialises");
    s.push('\n');
    s
}

/// The JSON Schema (draft 2020-12) of `catalog.json`.
pub fn schema_json() -> String {
    let mut schema = schemars::schema_for!(Catalog);
    schema.insert(
        "$id".into(),
        "https://guideline.example/schema/catalog.schema.json".into(),
    );
    let mut s = serde_json::to_string_pretty(&schema).expect("schema serialises");
    s.push('\n');
    s
}

/// Audience labels in a stable order, for table outputs.
pub fn audience_keywords(a: &[Audience]) -> String {
    a.iter().map(|x| x.keyword()).collect::<Vec<_>>().join(", ")
}
