use std::collections::BTreeSet;

use crate::diagnostic::Diagnostic;
use crate::model::{Guideline, Lang};

declare_lint! {
    /// ## What it does
    /// Reports statement items that cannot be addressed: two items of one statement with
    /// the same label (so the same ID, `C-6.6.1`), an item whose ID is also a control's,
    /// an English statement whose items differ from the Japanese ones (another label, one
    /// more or one fewer, another order), and text of a statement with items that belongs
    /// to no item and is not its lead (a second paragraph in an item, an entry without a
    /// label, text after the list), which the OSCAL statement has no place for.
    ///
    /// ## Why is this bad?
    /// An item's ID comes from its label and is how everyone points at it: `related`, a
    /// vendor's disclosure, the OSCAL catalog (`C-6.6_smt.1`), the anchor on the site. Two
    /// items with one ID make every such pointer ambiguous; items that differ between the
    /// languages make `C-6.6.2` mean one duty in Japanese and another in English.
    ///
    /// ## Example
    /// ```markdown
    /// - **①** 共用のアカウントを使わないこと。
    /// - **①** 人以外のアカウントの用途を定めること。
    /// ```
    ///
    /// ## Use instead
    /// ```markdown
    /// - **①** 共用のアカウントを使わないこと。
    /// - **②** 人以外のアカウントの用途を定めること。
    /// ```
    /// with the same labels, in the same order, in the English file.
    "G0504", "item-mismatch", Error, Some(check)
}

fn check(g: &Guideline, out: &mut Vec<Diagnostic>) {
    let controls: BTreeSet<&str> = g.controls().map(|(_, _, k)| k.id.as_str()).collect();
    for (_, _, k) in g.controls() {
        for item in k.statement.ja.all_items() {
            let full = format!("{}.{}", k.id, item.id);
            if controls.contains(full.as_str()) {
                out.push(
                    LINT.at(
                        g.sources.get(k.statement.ja.file),
                        item.text.clone(),
                        format!("item {full} has the ID of a control"),
                    )
                    .help("an item's ID is its control's ID and its label; give the control (or the item) another ID"),
                );
            }
        }
        for lang in Lang::ALL {
            let Some(statement) = k.statement.get(lang) else {
                continue;
            };
            let mut seen = BTreeSet::new();
            for item in statement.all_items() {
                if !seen.insert(item.id.as_str()) {
                    out.push(
                        LINT.at(
                            g.sources.get(statement.file),
                            item.text.clone(),
                            format!("{} has two items {} ({})", k.id, item.id, lang.code()),
                        )
                        .help("give each item of a statement a label of its own"),
                    );
                }
            }
        }
        for lang in Lang::ALL {
            let Some(statement) = k.statement.get(lang) else {
                continue;
            };
            for span in &statement.loose {
                out.push(
                    LINT.at(
                        g.sources.get(statement.file),
                        span.clone(),
                        format!("text of {}'s statement that is in no item ({})", k.id, lang.code()),
                    )
                    .help("put it before the list (the statement's own text) or into an item of its own with a label, one paragraph each"),
                );
            }
        }
        let Some(en) = &k.statement.en else {
            continue;
        };
        let ids = |p: &crate::model::Prose| {
            p.all_items()
                .into_iter()
                .map(|i| i.id.clone())
                .collect::<Vec<_>>()
        };
        let (ja_ids, en_ids) = (ids(&k.statement.ja), ids(en));
        if ja_ids != en_ids {
            let at = en
                .all_items()
                .into_iter()
                .zip(&ja_ids)
                .find(|(e, j)| &e.id != *j)
                .map(|(e, _)| e.text.clone())
                .or_else(|| k.en_heading.as_ref().map(|(_, span)| span.clone()))
                .unwrap_or(0..0);
            let file = if at == (0..0) { k.file } else { en.file };
            let list = |v: &[String]| {
                if v.is_empty() {
                    "none".to_string()
                } else {
                    v.join(", ")
                }
            };
            out.push(
                LINT.at(
                    g.sources.get(file),
                    at,
                    format!(
                        "the English statement of {} has items {} but the Japanese has {}",
                        k.id,
                        list(&en_ids),
                        list(&ja_ids)
                    ),
                )
                .help("write the same items, with the same labels in the same order, in both languages"),
            );
        }
    }
}
