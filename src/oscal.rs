//! The subset of the OSCAL 1.1 catalog model this tool reads and writes.
//!
//! Field names follow the OSCAL JSON format (kebab-case); anything not modelled here is
//! kept in `rest` on import so it can be reported instead of silently dropped.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Namespace of our own OSCAL props.
pub const NS: &str = "https://guideline.example/ns/oscal";

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

/// A name-based (v5) UUID, so the same source always gives the same bytes.
pub fn uuid(name: &str) -> String {
    Uuid::new_v5(
        &Uuid::NAMESPACE_URL,
        format!("https://guideline.example/{name}").as_bytes(),
    )
    .to_string()
}

/// The OSCAL version written on export.
pub const OSCAL_VERSION: &str = "1.1.2";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Document {
    pub catalog: Catalog,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "kebab-case")]
pub struct Catalog {
    pub uuid: String,
    pub metadata: Metadata,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub params: Vec<Param>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub controls: Vec<Control>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<Group>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub back_matter: Option<BackMatter>,

    #[serde(flatten)]
    pub rest: BTreeMap<String, serde_json::Value>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "kebab-case")]
pub struct Metadata {
    pub title: String,
    pub last_modified: String,
    pub version: String,
    pub oscal_version: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub props: Vec<Property>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remarks: Option<String>,
    #[serde(flatten)]
    pub rest: BTreeMap<String, serde_json::Value>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "kebab-case")]
pub struct Group {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class: Option<String>,
    pub title: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub params: Vec<Param>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub props: Vec<Property>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<Part>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<Group>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub controls: Vec<Control>,

    #[serde(flatten)]
    pub rest: BTreeMap<String, serde_json::Value>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "kebab-case")]
pub struct Control {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class: Option<String>,
    pub title: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub params: Vec<Param>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub props: Vec<Property>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<Part>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub controls: Vec<Control>,

    #[serde(flatten)]
    pub rest: BTreeMap<String, serde_json::Value>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "kebab-case")]
pub struct Part {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ns: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub props: Vec<Property>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prose: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<Part>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,

    #[serde(flatten)]
    pub rest: BTreeMap<String, serde_json::Value>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "kebab-case")]
pub struct Param {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub select: Option<Select>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub props: Vec<Property>,
    #[serde(flatten)]
    pub rest: BTreeMap<String, serde_json::Value>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "kebab-case")]
pub struct Select {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub how_many: Option<String>,
    #[serde(default)]
    pub choice: Vec<String>,

    #[serde(flatten)]
    pub rest: BTreeMap<String, serde_json::Value>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Property {
    pub name: String,
    pub value: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ns: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class: Option<String>,

    #[serde(flatten)]
    pub rest: BTreeMap<String, serde_json::Value>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Link {
    pub href: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rel: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,

    #[serde(flatten)]
    pub rest: BTreeMap<String, serde_json::Value>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct BackMatter {
    #[serde(default)]
    pub resources: Vec<Resource>,

    #[serde(flatten)]
    pub rest: BTreeMap<String, serde_json::Value>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Resource {
    pub uuid: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub citation: Option<Citation>,

    #[serde(flatten)]
    pub rest: BTreeMap<String, serde_json::Value>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Citation {
    pub text: String,

    #[serde(flatten)]
    pub rest: BTreeMap<String, serde_json::Value>,
}

pub use crate::source::CARRIED_FILE;

/// An object's fields, as OSCAL JSON.
pub type Fields = serde_json::Map<String, serde_json::Value>;

/// What an imported catalog holds that the source format does not model, so that export
/// writes it back unchanged: `oscal.json` beside `guideline.toml`, written by `import oscal`.
///
/// Each map is keyed by the OSCAL id of its object, and its fields replace or join what the
/// export makes from the source: a control's `props` and `links` (which the source's
/// `related` links join), its `class`, and its `parts`, where the parts named `statement` and
/// `guidance` (a group's `overview`) stand for the source's text and keep only their other
/// fields. `part_fields` holds the other fields of statement items and of those parts (an
/// exact `prose` there wins over the text, for prose Markdown cannot hold as it is, such as
/// trailing spaces); `param_fields` the fields of parameters beyond id, label, guidelines,
/// values and select.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "kebab-case")]
pub struct Carried {
    /// The catalog's top-level groups are the chapters (a part makes no group of its own).
    #[serde(default)]
    pub chapter_groups: bool,
    /// Add this tool's own props (level, audience, technologies …) to what is carried.
    #[serde(default)]
    pub own_props: bool,
    /// Metadata fields beyond title, version and last-modified.
    #[serde(default)]
    pub metadata: Fields,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub back_matter: Option<BackMatter>,
    /// Catalog-level parameters.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub params: Vec<Param>,
    /// Catalog-level fields other than those above.
    #[serde(default, skip_serializing_if = "serde_json::Map::is_empty")]
    pub catalog_fields: Fields,
    #[serde(default)]
    pub groups: BTreeMap<String, Fields>,
    #[serde(default)]
    pub controls: BTreeMap<String, Fields>,
    #[serde(default)]
    pub part_fields: BTreeMap<String, Fields>,
    #[serde(default)]
    pub param_fields: BTreeMap<String, Fields>,
    /// For each part whose exact prose `part_fields` carries: the Markdown the import wrote
    /// for it. Once the Markdown is edited, the edit wins and the carried prose is dropped.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub written: BTreeMap<String, String>,
}

/// The parameter ids `{{ insert: param, ID }}` names in `text`, read by [`insert_params`].
pub fn inserted_params(text: &str) -> Vec<String> {
    let ids = std::cell::RefCell::new(Vec::new());
    insert_params(text, &|id| {
        ids.borrow_mut().push(id.to_string());
        String::new()
    });
    ids.into_inner()
}

/// Every control of a catalog, depth first (enhancements right after their parent).
pub fn all_controls(catalog: &Catalog) -> Vec<&Control> {
    fn from_control<'a>(c: &'a Control, out: &mut Vec<&'a Control>) {
        out.push(c);
        for k in &c.controls {
            from_control(k, out);
        }
    }
    fn from_group<'a>(g: &'a Group, out: &mut Vec<&'a Control>) {
        for c in &g.controls {
            from_control(c, out);
        }
        for sub in &g.groups {
            from_group(sub, out);
        }
    }
    let mut out = Vec::new();
    for c in &catalog.controls {
        from_control(c, &mut out);
    }
    for g in &catalog.groups {
        from_group(g, &mut out);
    }
    out
}

/// Replaces `{{ insert: param, ID }}` with the rendered parameter.
pub fn insert_params(text: &str, params: &dyn Fn(&str) -> String) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let Some(len) = rest[start..].find("}}") else {
            break;
        };
        out.push_str(&rest[..start]);
        let inner = &rest[start + 2..start + len];
        let mut fields = inner.split(',').map(str::trim);
        match (
            fields
                .next()
                .map(|s| s.trim_start_matches("insert:").trim()),
            fields.next(),
        ) {
            (Some("param"), Some(id)) => out.push_str(&params(id)),
            _ => out.push_str(&rest[start..start + len + 2]),
        }
        rest = &rest[start + len + 2..];
    }
    out.push_str(rest);
    out
}

pub fn normalise_space(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inserts_params() {
        let r = insert_params("every {{ insert: param, ac-1_prm_1 }} days", &|id| {
            format!("[{id}]")
        });
        assert_eq!(r, "every [ac-1_prm_1] days");
    }
}
