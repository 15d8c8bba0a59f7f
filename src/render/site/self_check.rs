//! The self-check page: the questions of `applicability.toml` as a form, and every control
//! listed by part, so the reader's browser can show those that apply to their answers
//! (`book/guideline-self-check.js`). The page is complete without the script: before any
//! answer every control is listed, as every control may apply.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::applicability::{Applicability, Condition};
use crate::model::{Guideline, Lang};

#[derive(Serialize)]
pub(super) struct SelfCheckView {
    questions: Vec<QuestionView>,
    presets: Vec<PresetView>,
    parts: Vec<PartView>,
    total: usize,
    /// The data the script reads, as JSON safe inside `<script type="application/json">`.
    data_json: String,
}

#[derive(Serialize)]
struct QuestionView {
    id: String,
    text: String,
    help: Option<String>,
    options: Vec<OptionView>,
}

#[derive(Serialize)]
struct OptionView {
    value: String,
    label: String,
}

#[derive(Serialize)]
struct PresetView {
    id: String,
    label: String,
}

#[derive(Serialize)]
struct PartView {
    id: String,
    title: String,
    controls: Vec<ControlRow>,
}

#[derive(Serialize)]
struct ControlRow {
    id: String,
    title: String,
    href: String,
    level_label: &'static str,
}

/// A condition as nested arrays for the script: `["or", …]`, `["and", …]`, `["not", x]`,
/// `["=", key, value]`, `["!=", key, value]`, `true` for always.
fn condition_json(c: &Condition) -> serde_json::Value {
    use serde_json::json;
    match c {
        Condition::Always => json!(true),
        Condition::Is(a) => json!([if a.negated { "!=" } else { "=" }, a.key, a.value]),
        Condition::Not(x) => json!(["not", condition_json(x)]),
        Condition::And(xs) | Condition::Or(xs) => {
            let op = if matches!(c, Condition::And(_)) {
                "and"
            } else {
                "or"
            };
            std::iter::once(json!(op))
                .chain(xs.iter().map(condition_json))
                .collect()
        }
    }
}

pub(super) fn view(
    g: &Guideline,
    a: &Applicability,
    lang: Lang,
    href_of: &BTreeMap<&str, String>,
) -> SelfCheckView {
    let english = lang == Lang::En;
    let text = |ja: &str, en: &str| {
        if english && !en.trim().is_empty() {
            en
        } else {
            ja
        }
        .to_string()
    };
    let questions = a
        .questions
        .iter()
        .map(|q| QuestionView {
            id: q.id.clone(),
            text: text(&q.ja, &q.en),
            help: q.help.as_ref().map(|h| text(&h.ja, &h.en)),
            options: q
                .values()
                .into_iter()
                .map(|v| OptionView {
                    value: v.to_string(),
                    label: q.value_label(v, english).unwrap_or_else(|| v.to_string()),
                })
                .collect(),
        })
        .collect();
    let presets = a
        .presets
        .iter()
        .map(|p| PresetView {
            id: p.id.clone(),
            label: text(&p.ja, &p.en),
        })
        .collect();
    let parts: Vec<PartView> = g
        .parts
        .iter()
        .map(|p| PartView {
            id: p.id.clone(),
            title: p.title.in_lang(lang).to_string(),
            controls: p
                .chapters
                .iter()
                .flat_map(|c| &c.controls)
                .map(|k| ControlRow {
                    id: k.id.to_string(),
                    title: k.title.in_lang(lang).to_string(),
                    href: href_of.get(k.id.as_str()).cloned().unwrap_or_default(),
                    level_label: k.level.label().in_lang(lang),
                })
                .collect(),
        })
        .collect();
    let conditions: BTreeMap<&str, serde_json::Value> = g
        .controls()
        .filter(|(_, _, k)| k.applies.condition != Condition::Always)
        .map(|(_, _, k)| (k.id.as_str(), condition_json(&k.applies.condition)))
        .collect();
    let presets_data: BTreeMap<&str, &crate::applicability::Answers> = a
        .presets
        .iter()
        .map(|p| (p.id.as_str(), &p.answers))
        .collect();
    let data = serde_json::json!({
        "edition": g.manifest.edition,
        "questions": a.questions.iter().map(|q| (q.id.as_str(), q.values())).collect::<Vec<_>>(),
        "presets": presets_data,
        "conditions": conditions,
    });
    // `</` cannot end the data block early, whatever an id holds.
    let data_json = serde_json::to_string(&data)
        .expect("JSON of plain values")
        .replace("</", "<\\/");
    SelfCheckView {
        questions,
        presets,
        total: parts.iter().map(|p| p.controls.len()).sum(),
        parts,
        data_json,
    }
}
