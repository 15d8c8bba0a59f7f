//! The subset of the OSCAL 1.1 catalog model this tool reads and writes.
//!
//! Field names follow the OSCAL JSON format (kebab-case); anything not modelled here is
//! kept in `rest` on import so it can be reported instead of silently dropped.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The OSCAL version written on export.
pub const OSCAL_VERSION: &str = "1.1.2";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Document {
    pub catalog: Catalog,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
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
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
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

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
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
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
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
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
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
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
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

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Select {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub how_many: Option<String>,
    #[serde(default)]
    pub choice: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Property {
    pub name: String,
    pub value: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ns: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Link {
    pub href: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rel: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct BackMatter {
    #[serde(default)]
    pub resources: Vec<Resource>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Resource {
    pub uuid: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub citation: Option<Citation>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Citation {
    pub text: String,
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

/// Plain text of a control's part named `name`: labels and prose, depth first, with
/// parameters rendered by `params`, white space collapsed.
pub fn part_text(control: &Control, name: &str, params: &dyn Fn(&str) -> String) -> Option<String> {
    fn walk(p: &Part, params: &dyn Fn(&str) -> String, out: &mut Vec<String>) {
        let label = p
            .props
            .iter()
            .find(|x| x.name == "label")
            .map(|x| x.value.clone());
        let prose = p.prose.as_deref().map(|s| insert_params(s, params));
        match (label, prose) {
            (Some(l), Some(t)) => out.push(format!("{l} {t}")),
            (Some(l), None) => out.push(l),
            (None, Some(t)) => out.push(t),
            (None, None) => {}
        }
        for sub in &p.parts {
            walk(sub, params, out);
        }
    }
    let part = control.parts.iter().find(|p| p.name == name)?;
    let mut out = Vec::new();
    walk(part, params, &mut out);
    Some(normalise_space(&out.join(" ")))
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
