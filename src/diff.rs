//! Comparing two editions: which controls were added, removed, moved or renumbered, or
//! changed, and how each technology's role changed.
//!
//! Controls match by ID first, then through the `previous` IDs the new edition declares, so a
//! renumbered control is one change, not a removal plus an addition. Text is compared at
//! character level (Japanese has no spaces to split on) and the differences grouped so a
//! changed word is one mark, not a scatter of single characters.

use std::collections::{BTreeMap, BTreeSet};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use similar::{ChangeTag, TextDiff};

use crate::model::{Audience, Control, Guideline, Lang, Level, Role};

/// Version of the diff JSON structure.
pub const SCHEMA_VERSION: &str = "1.0.0";

/// Everything that changed between two editions.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct EditionDiff {
    pub schema_version: String,
    pub old_edition: String,
    pub new_edition: String,
    pub summary: Summary,
    /// One entry per control that is not identical, in new-edition order, then removals.
    pub controls: Vec<ControlChange>,
    /// One entry per technology whose roles changed anywhere.
    pub technologies: Vec<TechnologyChange>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
pub struct Summary {
    pub added: usize,
    pub removed: usize,
    pub renumbered: usize,
    pub changed: usize,
    pub unchanged: usize,
    pub technology_role_changes: usize,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    Added,
    Removed,
    /// Matched through a `previous` ID or found in another chapter; may also have changed.
    Renumbered,
    Changed,
}

/// A control as it stood in one edition.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct ControlSide {
    pub id: String,
    pub chapter: String,
    pub title: String,
    pub level: Level,
    pub audience: Vec<Audience>,
    /// Statement and guidance in Japanese (authoritative), plain text.
    pub statement: String,
    pub guidance: String,
    pub technologies: BTreeMap<String, Vec<Role>>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct ControlChange {
    pub kind: ChangeKind,
    pub old: Option<ControlSide>,
    pub new: Option<ControlSide>,
    /// Which fields differ: `id`, `chapter`, `title`, `level`, `audience`, `statement`,
    /// `guidance`, `technologies`.
    pub fields: Vec<String>,
}

/// A technology's roles across the whole edition, before and after.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct TechnologyChange {
    pub technology: String,
    pub name: String,
    /// Roles in the old edition; empty when the technology was not named.
    pub old_roles: Vec<Role>,
    pub new_roles: Vec<Role>,
    /// Controls where its role changed (matched controls, additions and removals).
    pub controls: Vec<TechnologyControlChange>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq, Eq, PartialOrd, Ord)]
pub struct TechnologyControlChange {
    pub old_control: Option<String>,
    pub new_control: Option<String>,
    pub old_roles: Vec<Role>,
    pub new_roles: Vec<Role>,
}

fn roles_by_technology(k: &Control) -> BTreeMap<String, Vec<Role>> {
    let mut map: BTreeMap<String, BTreeSet<Role>> = BTreeMap::new();
    for m in k.mentions().filter(|m| m.lang == Lang::Ja) {
        if let Some(role) = m.role {
            map.entry(m.technology.clone()).or_default().insert(role);
        }
    }
    map.into_iter()
        .map(|(k, v)| (k, v.into_iter().collect()))
        .collect()
}

fn side(chapter: &str, k: &Control) -> ControlSide {
    ControlSide {
        id: k.id.clone(),
        chapter: chapter.to_string(),
        title: k.title.ja.clone(),
        level: k.level,
        audience: k.audience.clone(),
        statement: k.statement.ja.plain.clone(),
        guidance: k.guidance.ja.plain.clone(),
        technologies: roles_by_technology(k),
    }
}

/// Compares `old` with `new`.
pub fn diff(old: &Guideline, new: &Guideline) -> EditionDiff {
    let old_sides: Vec<ControlSide> = old.controls().map(|(_, c, k)| side(&c.id, k)).collect();
    let old_index: BTreeMap<&str, usize> = old_sides
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.as_str(), i))
        .collect();
    let mut matched_old: BTreeSet<usize> = BTreeSet::new();
    let mut controls = Vec::new();
    let mut summary = Summary::default();
    let old_edition = old.manifest.edition.as_str();

    for (_, chapter, k) in new.controls() {
        let new_side = side(&chapter.id, k);
        // By ID first, then through `previous` IDs that name the old edition; a control that
        // merges several old ones matches each of them.
        let mut matches: Vec<usize> = old_index
            .get(k.id.as_str())
            .copied()
            .filter(|i| !matched_old.contains(i))
            .into_iter()
            .collect();
        for p in &k.previous {
            let Some((edition, id)) = p.value.split_once(':') else {
                continue;
            };
            if let Some(&i) = old_index.get(id).filter(|_| edition == old_edition) {
                if !matched_old.contains(&i) && !matches.contains(&i) {
                    matches.push(i);
                }
            }
        }
        if matches.is_empty() {
            summary.added += 1;
            controls.push(ControlChange {
                kind: ChangeKind::Added,
                old: None,
                new: Some(new_side),
                fields: Vec::new(),
            });
            continue;
        }
        for i in matches {
            matched_old.insert(i);
            let old_side = &old_sides[i];
            let fields = changed_fields(old_side, &new_side);
            let kind = if old_side.id != new_side.id || old_side.chapter != new_side.chapter {
                summary.renumbered += 1;
                ChangeKind::Renumbered
            } else if !fields.is_empty() {
                summary.changed += 1;
                ChangeKind::Changed
            } else {
                summary.unchanged += 1;
                continue;
            };
            controls.push(ControlChange {
                kind,
                old: Some(old_side.clone()),
                new: Some(new_side.clone()),
                fields,
            });
        }
    }
    for (i, s) in old_sides.iter().enumerate() {
        if !matched_old.contains(&i) {
            summary.removed += 1;
            controls.push(ControlChange {
                kind: ChangeKind::Removed,
                old: Some(s.clone()),
                new: None,
                fields: Vec::new(),
            });
        }
    }
    let technologies = technology_changes(old, new, &controls);
    summary.technology_role_changes = technologies.len();
    EditionDiff {
        schema_version: SCHEMA_VERSION.to_string(),
        old_edition: old.manifest.edition.clone(),
        new_edition: new.manifest.edition.clone(),
        summary,
        controls,
        technologies,
    }
}

fn changed_fields(old: &ControlSide, new: &ControlSide) -> Vec<String> {
    let checks = [
        ("id", old.id != new.id),
        ("chapter", old.chapter != new.chapter),
        ("title", old.title != new.title),
        ("level", old.level != new.level),
        ("audience", old.audience != new.audience),
        ("statement", old.statement != new.statement),
        ("guidance", old.guidance != new.guidance),
        ("technologies", old.technologies != new.technologies),
    ];
    checks
        .iter()
        .filter(|(_, differs)| *differs)
        .map(|(name, _)| name.to_string())
        .collect()
}

fn edition_roles(g: &Guideline) -> BTreeMap<String, BTreeSet<Role>> {
    let mut map: BTreeMap<String, BTreeSet<Role>> = BTreeMap::new();
    for m in g.mentions().filter(|m| m.lang == Lang::Ja) {
        if let Some(role) = m.role {
            map.entry(m.technology.clone()).or_default().insert(role);
        }
    }
    map
}

fn technology_changes(
    old: &Guideline,
    new: &Guideline,
    controls: &[ControlChange],
) -> Vec<TechnologyChange> {
    let before = edition_roles(old);
    let after = edition_roles(new);
    let ids: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    let mut out = Vec::new();
    for id in ids {
        let old_roles: Vec<Role> = before
            .get(id)
            .map(|s| s.iter().copied().collect())
            .unwrap_or_default();
        let new_roles: Vec<Role> = after
            .get(id)
            .map(|s| s.iter().copied().collect())
            .unwrap_or_default();
        if old_roles == new_roles {
            continue;
        }
        let mut places: Vec<TechnologyControlChange> = controls
            .iter()
            .filter_map(|c| {
                let o = c
                    .old
                    .as_ref()
                    .and_then(|s| s.technologies.get(id))
                    .cloned()
                    .unwrap_or_default();
                let n = c
                    .new
                    .as_ref()
                    .and_then(|s| s.technologies.get(id))
                    .cloned()
                    .unwrap_or_default();
                (o != n).then(|| TechnologyControlChange {
                    old_control: c.old.as_ref().map(|s| s.id.clone()),
                    new_control: c.new.as_ref().map(|s| s.id.clone()),
                    old_roles: o,
                    new_roles: n,
                })
            })
            .collect();
        places.sort();
        let name = new
            .registry
            .get(id)
            .or_else(|| old.registry.get(id))
            .map_or_else(|| id.clone(), |t| t.name.ja.clone());
        out.push(TechnologyChange {
            technology: id.clone(),
            name,
            old_roles,
            new_roles,
            controls: places,
        });
    }
    out
}

/// A run of text in a character-level comparison.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Segment {
    pub text: String,
    /// Whether this run differs from the other side.
    pub changed: bool,
}

/// Character-level comparison of two texts, returned as the runs of each side. Unchanged
/// runs of up to two characters between changes are folded into the change, so a
/// rewritten phrase is marked as one passage rather than a scatter of single characters.
pub fn char_diff(old: &str, new: &str) -> (Vec<Segment>, Vec<Segment>) {
    let diff = TextDiff::from_chars(old, new);
    // (tag, text) runs in order, merging consecutive same-tag changes.
    let mut runs: Vec<(ChangeTag, String)> = Vec::new();
    for change in diff.iter_all_changes() {
        let tag = change.tag();
        match runs.last_mut() {
            Some((t, s)) if *t == tag => s.push_str(change.value()),
            _ => runs.push((tag, change.value().to_string())),
        }
    }
    let mut old_side: Vec<Segment> = Vec::new();
    let mut new_side: Vec<Segment> = Vec::new();
    let push = |side: &mut Vec<Segment>, text: &str, changed: bool| {
        if text.is_empty() {
            return;
        }
        match side.last_mut() {
            Some(last) if last.changed == changed => last.text.push_str(text),
            _ => side.push(Segment {
                text: text.to_string(),
                changed,
            }),
        }
    };
    for (i, (tag, text)) in runs.iter().enumerate() {
        match tag {
            ChangeTag::Equal => {
                let between = i > 0 && i + 1 < runs.len();
                let short = text.chars().count() <= 2 && !text.contains('\n');
                let fold = between && short;
                push(&mut old_side, text, fold);
                push(&mut new_side, text, fold);
            }
            ChangeTag::Delete => push(&mut old_side, text, true),
            ChangeTag::Insert => push(&mut new_side, text, true),
        }
    }
    (old_side, new_side)
}

/// The JSON Schema of the diff output.
pub fn schema_json() -> String {
    let mut s = serde_json::to_string_pretty(&schemars::schema_for!(EditionDiff))
        .expect("schema serialises");
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked(segments: &[Segment]) -> String {
        segments
            .iter()
            .map(|s| {
                if s.changed {
                    format!("[{}]", s.text)
                } else {
                    s.text.clone()
                }
            })
            .collect()
    }

    #[test]
    fn japanese_diff_marks_the_changed_word() {
        // A two-character common run between changes (認証) is folded into one passage.
        let (old, new) = char_diff(
            "TLSクライアント認証を実施すること。",
            "利用者をAAL2以上で認証すること。",
        );
        assert_eq!(marked(&old), "[TLSクライアント認証を実施]すること。");
        assert_eq!(marked(&new), "[利用者をAAL2以上で認証]すること。");
        let (old, new) = char_diff("年に1回点検すること。", "年に2回点検すること。");
        assert_eq!(marked(&old), "年に[1]回点検すること。");
        assert_eq!(marked(&new), "年に[2]回点検すること。");
    }

    #[test]
    fn identical_text_has_no_marks() {
        let (old, new) = char_diff("同じ文。", "同じ文。");
        assert!(old.iter().chain(&new).all(|s| !s.changed));
    }
}
