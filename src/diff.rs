//! Comparing two editions: which controls were added, removed, moved or renumbered, or
//! changed, and how each technology's role changed.
//!
//! Controls match by ID first, then through the `previous` IDs the new edition declares, so a
//! renumbered control is one change, not a removal plus an addition. Text is compared at
//! character level (Japanese has no spaces to split on) and the differences grouped so a
//! changed word is one mark, not a scatter of single characters.

use crate::text::Localised;
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
    /// The 新旧対照表, compared character by character on first use and kept: the site's
    /// two books and the PDF read the same rows.
    #[serde(skip)]
    #[schemars(skip)]
    table: std::sync::OnceLock<Vec<TableRow>>,
}

impl TechnologyChange {
    /// Where a technology's role changed: `OLD -> NEW (before -> after)` per control, with
    /// `arrow` between the sides and `roles` naming the roles (in the reader's language).
    pub fn places(&self, arrow: &str, roles: &dyn Fn(&[Role]) -> String) -> String {
        self.controls
            .iter()
            .map(|p| {
                let id = match (&p.old_control, &p.new_control) {
                    (Some(o), Some(n)) if o != n => format!("{o}{arrow}{n}"),
                    (_, Some(n)) => n.clone(),
                    (Some(o), None) => o.clone(),
                    (None, None) => String::new(),
                };
                format!(
                    "{id} ({}{arrow}{})",
                    roles(&p.old_roles),
                    roles(&p.new_roles)
                )
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl EditionDiff {
    /// The rows of the 新旧対照表 (改正後 / 改正前), computed once.
    pub fn table(&self) -> &[TableRow] {
        self.table.get_or_init(|| table_rows(self))
    }
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

impl ChangeKind {
    pub const ALL: [ChangeKind; 4] = [
        ChangeKind::Added,
        ChangeKind::Removed,
        ChangeKind::Renumbered,
        ChangeKind::Changed,
    ];

    /// The keyword of the diff's JSON.
    pub fn keyword(self) -> &'static str {
        match self {
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
            ChangeKind::Renumbered => "renumbered",
            ChangeKind::Changed => "changed",
        }
    }

    /// The word a 新旧対照表 uses for the change (templates/vocabulary.*.toml).
    pub fn label(self) -> Localised<&'static str> {
        crate::text::word("change", self.keyword())
    }
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
        id: k.id.to_string(),
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
        table: std::sync::OnceLock::new(),
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

/// Texts compared character by character at most this long (both sides, in characters).
/// Myers' algorithm takes time proportional to the length times the number of differences:
/// two long unrelated texts (a rewritten chapter, or a hostile source) would take minutes.
const CHAR_DIFF_LIMIT: usize = 2_000;

/// Texts compared line by line at most this many lines long (both sides), for the same
/// reason; longer ones are marked changed as a whole.
const LINE_DIFF_LIMIT: usize = 4_000;

/// Character-level comparison of two texts, returned as the runs of each side. Unchanged
/// runs of up to two characters between changes are folded into the change, so a
/// rewritten phrase is marked as one passage rather than a scatter of single characters.
///
/// Long texts are compared line by line first and character by character only within a
/// changed stretch short enough; the work is bounded by the sizes alone (never by a clock,
/// so the same editions always give the same table).
pub fn char_diff(old: &str, new: &str) -> (Vec<Segment>, Vec<Segment>) {
    if old == new {
        return (whole(old, false), whole(new, false));
    }
    if old.chars().count() + new.chars().count() <= CHAR_DIFF_LIMIT {
        return char_level(old, new);
    }
    if old.lines().count() + new.lines().count() > LINE_DIFF_LIMIT {
        return (whole(old, true), whole(new, true));
    }
    let lines = TextDiff::from_lines(old, new);
    let (mut old_side, mut new_side) = (Vec::new(), Vec::new());
    for op in lines.ops() {
        let (o, n) = (op.old_range(), op.new_range());
        let old_part: String = lines.old_slices()[o].concat();
        let new_part: String = lines.new_slices()[n].concat();
        let (a, b) = if old_part == new_part {
            (whole(&old_part, false), whole(&new_part, false))
        } else if old_part.chars().count() + new_part.chars().count() <= CHAR_DIFF_LIMIT {
            char_level(&old_part, &new_part)
        } else {
            (whole(&old_part, true), whole(&new_part, true))
        };
        append(&mut old_side, a);
        append(&mut new_side, b);
    }
    (old_side, new_side)
}

/// Appends runs, joining the first to the last one already there when they agree.
fn append(side: &mut Vec<Segment>, runs: Vec<Segment>) {
    for run in runs {
        match side.last_mut() {
            Some(last) if last.changed == run.changed => last.text.push_str(&run.text),
            _ => side.push(run),
        }
    }
}

fn char_level(old: &str, new: &str) -> (Vec<Segment>, Vec<Segment>) {
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

/// One compared section of a 新旧対照表 row.
#[derive(Debug, Clone, Serialize)]
pub struct SectionRow {
    pub label: &'static str,
    pub old: Vec<Segment>,
    pub new: Vec<Segment>,
}

/// One row of the 新旧対照表.
#[derive(Debug, Clone, Serialize)]
pub struct TableRow {
    pub anchor: String,
    pub kind: &'static str,
    pub new_id: String,
    pub old_id: String,
    pub has_old: bool,
    pub has_new: bool,
    pub sections: Vec<SectionRow>,
}

fn whole(text: &str, changed: bool) -> Vec<Segment> {
    if text.is_empty() {
        Vec::new()
    } else {
        vec![Segment {
            text: text.to_string(),
            changed,
        }]
    }
}

/// The rows of the 新旧対照表: every control that is not identical, new-edition order.
/// The controls are compared on all cores: a rewritten edition holds long texts.
fn table_rows(d: &EditionDiff) -> Vec<TableRow> {
    use rayon::prelude::*;
    type Field = (&'static str, fn(&ControlSide) -> &str);
    let fields: [Field; 3] = [
        ("見出し", |s| s.title.as_str()),
        ("要求事項", |s| s.statement.as_str()),
        ("解説", |s| s.guidance.as_str()),
    ];
    d.controls
        .par_iter()
        .map(|c| {
            let sections = fields
                .iter()
                .map(|(label, get)| {
                    let (old, new) = match (&c.old, &c.new) {
                        (Some(o), Some(n)) => char_diff(get(o), get(n)),
                        (Some(o), None) => (whole(get(o), true), Vec::new()),
                        (None, Some(n)) => (Vec::new(), whole(get(n), true)),
                        (None, None) => (Vec::new(), Vec::new()),
                    };
                    SectionRow { label, old, new }
                })
                .collect();
            let new_id = c.new.as_ref().map(|s| s.id.clone()).unwrap_or_default();
            let old_id = c.old.as_ref().map(|s| s.id.clone()).unwrap_or_default();
            TableRow {
                anchor: format!("row-{}", if new_id.is_empty() { &old_id } else { &new_id }),
                kind: c.kind.label().ja,
                has_old: c.old.is_some(),
                has_new: c.new.is_some(),
                new_id,
                old_id,
                sections,
            }
        })
        .collect()
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

    #[test]
    fn every_change_is_worded_and_keyed_as_the_json_writes_it() {
        crate::text::assert_worded("change", ChangeKind::ALL.map(ChangeKind::keyword));
        for k in ChangeKind::ALL {
            assert_eq!(
                serde_json::to_string(&k).unwrap(),
                format!("\"{}\"", k.keyword())
            );
        }
        assert_eq!(ChangeKind::Renumbered.label().ja, "番号変更・移動");
    }

    /// Two long unrelated texts (the fuzzer's 65 KB input took 36 s) are compared in
    /// bounded time, and the runs still spell out both texts.
    #[test]
    fn long_unrelated_texts_are_compared_quickly() {
        let old: String = (0..30_000u32)
            .map(|i| char::from_u32(0x4e00 + (i * 7919) % 20_000).unwrap())
            .collect();
        let new: String = (0..30_000u32)
            .map(|i| char::from_u32(0x4e00 + (i * 104_729) % 20_000).unwrap())
            .collect();
        let start = std::time::Instant::now();
        let (a, b) = char_diff(&old, &new);
        assert!(start.elapsed() < std::time::Duration::from_secs(2));
        assert_eq!(a.iter().map(|s| s.text.as_str()).collect::<String>(), old);
        assert_eq!(b.iter().map(|s| s.text.as_str()).collect::<String>(), new);
        let many_lines_old: String = (0..3_000).map(|i| format!("{i}\n")).collect();
        let many_lines_new: String = (0..3_000).map(|i| format!("{}\n", i * 7)).collect();
        let (a, b) = char_diff(&many_lines_old, &many_lines_new);
        assert_eq!(
            a.iter().map(|s| s.text.as_str()).collect::<String>(),
            many_lines_old
        );
        assert_eq!(
            b.iter().map(|s| s.text.as_str()).collect::<String>(),
            many_lines_new
        );
    }

    /// A long text with one changed line: only that line's characters are marked.
    #[test]
    fn long_texts_mark_only_the_changed_line() {
        let body: String = (0..400)
            .map(|i| format!("第{i}項は変わらない文である。\n"))
            .collect();
        let old = format!("{body}年に1回点検すること。\n{body}");
        let new = format!("{body}年に2回点検すること。\n{body}");
        assert!(old.chars().count() + new.chars().count() > CHAR_DIFF_LIMIT);
        let (a, b) = char_diff(&old, &new);
        let changed = |side: &[Segment]| {
            side.iter()
                .filter(|s| s.changed)
                .map(|s| s.text.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(changed(&a), vec!["1"]);
        assert_eq!(changed(&b), vec!["2"]);
    }

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
