//! `guideline disclosure migrate`: a disclosure of one edition carried into the next through
//! the edition diff's matching (same ID, or `previous` IDs).
//!
//! An answer whose control did not change (or was only renumbered) is carried as it is. An
//! answer whose control was added, changed or merged is marked `review`, with the old and the
//! new statement (the 新旧対照表 passage) in a comment above it, so that `check` on the result
//! lists exactly those.

use std::collections::BTreeMap;

use crate::diff::{ChangeKind, ControlChange};
use crate::model::Guideline;

use super::{blank_entry, comment, header, toml_str, Disclosure, Entry};

/// One answer as TOML, with `review` when given.
fn entry_toml(id: &str, e: &Entry, review: Option<&str>) -> String {
    let mut s = format!("[answers.{}]\n", toml_str(id));
    s.push_str(&format!(
        "answer = {}\n",
        toml_str(e.answer.as_ref().map_or("", |a| a.value.keyword()))
    ));
    if let Some(by) = &e.by {
        s.push_str(&format!("by = {}\n", toml_str(&by.value)));
    }
    if !e.technologies.is_empty() {
        let list: Vec<String> = e.technologies.iter().map(|t| toml_str(&t.value)).collect();
        s.push_str(&format!("technologies = [{}]\n", list.join(", ")));
    }
    if !e.items.is_empty() {
        let list: Vec<String> = e
            .items
            .iter()
            .map(|(i, a)| {
                format!(
                    "{} = {}",
                    toml_str(&i.value),
                    toml_str(a.as_ref().map_or("", |a| a.value.keyword()))
                )
            })
            .collect();
        s.push_str(&format!("items = {{ {} }}\n", list.join(", ")));
    }
    if !e.params.is_empty() {
        let list: Vec<String> = e
            .params
            .iter()
            .map(|(p, v)| format!("{} = {}", toml_str(&p.value), toml_str(&v.value)))
            .collect();
        s.push_str(&format!("params = {{ {} }}\n", list.join(", ")));
    }
    match (&e.note_ja, &e.note_en) {
        (Some(ja), Some(en)) => s.push_str(&format!(
            "note = {{ ja = {}, en = {} }}\n",
            toml_str(ja),
            toml_str(en)
        )),
        (Some(one), None) | (None, Some(one)) => s.push_str(&format!("note = {}\n", toml_str(one))),
        (None, None) => {}
    }
    if let Some(r) = review {
        s.push_str(&format!("review = {}\n", toml_str(r)));
    }
    s
}

/// What changed, as comment lines: the fields, and the statement before and after.
fn change_comment(old_edition: &str, changes: &[&ControlChange]) -> String {
    let mut s = String::new();
    for c in changes {
        if let (Some(old), Some(new)) = (&c.old, &c.new) {
            if !c.fields.is_empty() {
                s.push_str(&format!("# changed: {}\n", c.fields.join(", ")));
            }
            s.push_str(&format!(
                "# 改正前 ({old_edition} {}): {}\n# 改正後 ({}): {}\n",
                old.id,
                comment(&old.statement),
                new.id,
                comment(&new.statement)
            ));
        }
    }
    s
}

/// The migrated disclosure: `d` answered `old`; the result answers `new`.
pub fn migrate(d: &Disclosure, old: &Guideline, new: &Guideline, date: &str) -> String {
    let diff = crate::diff::diff(old, new);
    let mut by_new: BTreeMap<&str, Vec<&ControlChange>> = BTreeMap::new();
    let mut removed = Vec::new();
    for c in &diff.controls {
        match (&c.new, c.kind) {
            (Some(n), _) => by_new.entry(n.id.as_str()).or_default().push(c),
            (None, ChangeKind::Removed) => removed.push(c),
            _ => {}
        }
    }
    let preset = d.preset.as_ref().and_then(|p| {
        new.applicability
            .as_ref()
            .and_then(|a| a.presets.iter().find(|x| x.id == p.value))
    });
    let mut out = header(
        new,
        d.product.as_ref().map_or("", |p| p.value.as_str()),
        d.vendor.as_ref().map_or("", |p| p.value.as_str()),
        date,
        d.preset.as_ref().map(|p| p.value.as_str()),
    );
    out.push_str(&format!(
        "# Migrated from edition {} by `guideline disclosure migrate`: answers marked `review` belong to controls that were added, changed or merged.\n",
        comment(&old.manifest.edition)
    ));
    let old_edition = old.manifest.edition.as_str();
    let old_ids: std::collections::BTreeSet<&str> =
        old.controls().map(|(_, _, k)| k.id.as_str()).collect();
    for (_, _, k) in new.controls() {
        if preset.is_some_and(|p| !k.applies.condition.eval(&p.answers)) {
            continue;
        }
        let title = format!(
            "\n# {} / {}\n",
            comment(&k.title.ja),
            comment(k.title.en.as_deref().unwrap_or(""))
        );
        let changes = by_new.get(k.id.as_str()).cloned().unwrap_or_default();
        let mut olds: Vec<&str> = changes
            .iter()
            .filter_map(|c| c.old.as_ref().map(|o| o.id.as_str()))
            .collect();
        // The diff lists no change for an old control of the same ID that did not change,
        // also when other old controls merge into it: it is matched all the same.
        if !changes.is_empty() && old_ids.contains(k.id.as_str()) && !olds.contains(&k.id.as_str())
        {
            olds.insert(0, k.id.as_str());
        }
        let carried = |id: &str| d.entry(id);
        if changes.is_empty() {
            // Unchanged: the same ID in the old edition, the same text.
            match carried(&k.id) {
                Some(e) => {
                    out.push_str(&title);
                    // A review still pending from an earlier migration stays pending.
                    out.push_str(&entry_toml(
                        &k.id,
                        e,
                        e.review.as_ref().map(|r| r.value.as_str()),
                    ));
                }
                None => out.push_str(&blank_entry(k)),
            }
            continue;
        }
        let added = changes.iter().any(|c| c.kind == ChangeKind::Added) && olds.is_empty();
        let changed = changes.iter().any(|c| !c.fields.is_empty());
        let merged = olds.len() > 1;
        let pending = olds
            .iter()
            .find_map(|o| carried(o))
            .and_then(|e| e.review.as_ref())
            .map(|r| r.value.clone());
        let review = if added {
            Some(format!("added in edition {}", new.manifest.edition))
        } else if merged {
            Some(format!(
                "merged from {} of edition {old_edition}",
                olds.join(", ")
            ))
        } else if changed {
            Some(format!(
                "changed since edition {old_edition}: {}",
                changes
                    .iter()
                    .flat_map(|c| c.fields.iter().map(String::as_str))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        } else {
            pending
        };
        if added {
            let mut blank = blank_entry(k);
            blank.push_str(&format!(
                "review = {}\n",
                toml_str(review.as_deref().unwrap_or(""))
            ));
            out.push_str(&blank);
            continue;
        }
        out.push_str(&title);
        if olds.first().is_some_and(|o| **o != *k.id) {
            out.push_str(&format!(
                "# was {} in edition {old_edition}\n",
                olds.join(", ")
            ));
        }
        if review.is_some() {
            out.push_str(&change_comment(old_edition, &changes));
        }
        match olds.iter().find_map(|o| carried(o)) {
            Some(e) => out.push_str(&entry_toml(&k.id, e, review.as_deref())),
            None => {
                // The old disclosure did not answer it: nothing to carry, ask for an answer.
                let mut s = format!("[answers.{}]\nanswer = \"\"\n", toml_str(&k.id));
                if let Some(r) = &review {
                    s.push_str(&format!("review = {}\n", toml_str(r)));
                }
                out.push_str(&s);
            }
        }
    }
    if !removed.is_empty() {
        out.push_str(&format!(
            "\n# Removed in edition {}:\n",
            comment(&new.manifest.edition)
        ));
        for c in removed {
            if let Some(o) = &c.old {
                let answer = d
                    .entry(&o.id)
                    .and_then(|e| e.answer.as_ref())
                    .map_or("unanswered", |a| a.value.keyword());
                out.push_str(&format!(
                    "#   {} {} (was answered: {answer})\n",
                    o.id,
                    comment(&o.title)
                ));
            }
        }
    }
    out
}
