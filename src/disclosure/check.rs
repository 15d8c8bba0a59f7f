//! `guideline disclosure check`: a disclosure against the guideline edition it answers.
//!
//! Every finding points into the disclosure (file, line, column) and has a lint code of the
//! G06xx range, documented like the guideline's own lints.

use std::collections::{BTreeMap, BTreeSet};

use crate::applicability::Answers;
use crate::diagnostic::Diagnostic;
use crate::lint::{
    g0602_unknown_control, g0603_missing_answer, g0604_incomplete_answer,
    g0605_unknown_disclosed_technology, g0606_unacceptable_technology, g0607_below_assurance,
    g0608_past_plan, g0609_needs_review, g0610_edition_mismatch, g0611_open_for_reader,
};
use crate::model::{Control, Guideline, Role};
use crate::registry::Status;

use super::{catalog_digest, Answer, Disclosure};

/// Checks `d` against `g`. With `reader`, also lists the controls that apply to that
/// reader (a clinic's answers, or a preset) and that the vendor answers `no` or leaves open.
pub fn check(
    d: &Disclosure,
    g: &Guideline,
    reader: Option<(&str, &Answers)>,
    today: &str,
) -> Vec<Diagnostic> {
    let f = &d.file;
    let mut out = Vec::new();
    let controls: BTreeMap<&str, &Control> =
        g.controls().map(|(_, _, k)| (k.id.as_str(), k)).collect();

    // The edition and the exact catalog text answered.
    match &d.edition {
        Some(e) if e.value != g.manifest.edition => out.push(
            g0610_edition_mismatch::LINT
                .at(f, e.span.clone(), format!("the disclosure answers edition {} but the guideline is edition {}", e.value, g.manifest.edition))
                .help("carry the answers over with `guideline disclosure migrate`, then review what it marks"),
        ),
        None => out.push(
            g0610_edition_mismatch::LINT
                .at(f, d.header.clone(), "the disclosure names no edition")
                .help(format!("add `edition = \"{}\"` under [disclosure]", g.manifest.edition)),
        ),
        _ => {}
    }
    let digest = catalog_digest(g);
    match &d.digest {
        Some(x) if x.value != digest => out.push(
            g0610_edition_mismatch::LINT
                .at(f, x.span.clone(), "the catalog digest does not match this guideline's catalog.json")
                .help(format!("the text answered has changed since; review the answers, then set `digest = \"{digest}\"`")),
        ),
        None => out.push(
            g0610_edition_mismatch::LINT
                .at(f, d.header.clone(), "the disclosure names no catalog digest")
                .help(format!("add `digest = \"{digest}\"` under [disclosure]")),
        ),
        _ => {}
    }

    // Which controls the disclosure must answer: all, or those of its preset.
    let preset = d.preset.as_ref().and_then(|p| {
        let found = g
            .applicability
            .as_ref()
            .and_then(|a| a.presets.iter().find(|x| x.id == p.value));
        if found.is_none() {
            out.push(
                g0602_unknown_control::LINT
                    .at(f, p.span.clone(), format!("the guideline has no preset `{}`", p.value))
                    .help("name a preset of applicability.toml, or remove `preset` to answer every control"),
            );
        }
        found
    });
    let in_scope = |k: &Control| preset.is_none_or(|p| k.applies.condition.eval(&p.answers));

    for e in &d.entries {
        let Some(k) = controls.get(e.control.value.as_str()) else {
            let nearest = controls
                .keys()
                .min_by_key(|id| strsim::levenshtein(id, &e.control.value))
                .filter(|id| strsim::levenshtein(id, &e.control.value) <= 2);
            out.push(
                g0602_unknown_control::LINT
                    .at(f, e.control.span.clone(), format!("{} is not a control of edition {}", e.control.value, g.manifest.edition))
                    .help(nearest.map_or_else(
                        || "answer the controls of this edition; `guideline disclosure init` lists them".to_string(),
                        |n| format!("did you mean {n}?"),
                    )),
            );
            continue;
        };
        // An answer migrate carried over for review is the vendor's to look at first.
        if let Some(r) = &e.review {
            out.push(
                g0609_needs_review::LINT
                    .at(f, r.span.clone(), format!("the answer for {} needs review: {}", k.id, r.value))
                    .help("read the change (in the comment above), correct the answer, then remove `review`"),
            );
            continue;
        }
        let Some(answer) = &e.answer else {
            out.push(
                g0603_missing_answer::LINT
                    .at(
                        f,
                        e.answer_span.clone(),
                        format!("{} is not answered", k.id),
                    )
                    .help("answer \"yes\", \"no\", \"n/a\" or \"planned\""),
            );
            continue;
        };
        // The statement's item paths, in order (the Japanese text holds them; G0504 keeps
        // the English the same).
        let items: Vec<String> = k
            .statement
            .ja
            .all_items()
            .iter()
            .map(|i| i.id.clone())
            .collect();
        if answer.value == Answer::Yes {
            let answered: BTreeSet<&str> = e
                .items
                .iter()
                .filter(|(_, a)| a.is_some())
                .map(|(id, _)| id.value.as_str())
                .collect();
            let missing: Vec<&str> = items
                .iter()
                .map(String::as_str)
                .filter(|i| !answered.contains(i))
                .collect();
            // Every G0604 finding points at the `answer` that claims more than is given.
            let mut incomplete = |message: String, help: String| {
                out.push(
                    g0604_incomplete_answer::LINT
                        .at(f, answer.span.clone(), message)
                        .help(help),
                );
            };
            if !missing.is_empty() {
                incomplete(
                    format!(
                        "{} is answered yes, but not its items {}",
                        k.id,
                        missing.join(", ")
                    ),
                    format!(
                        "answer each item: `items = {{ {} }}`",
                        items
                            .iter()
                            .map(|i| format!("\"{i}\" = \"yes\""))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                );
            }
            let unmet: Vec<&str> = e
                .items
                .iter()
                .filter(|(_, a)| {
                    a.as_ref()
                        .is_some_and(|a| matches!(a.value, Answer::No | Answer::Planned))
                })
                .map(|(id, _)| id.value.as_str())
                .collect();
            if !unmet.is_empty() {
                incomplete(
                    format!("{} is answered yes, but its items {} are not met", k.id, unmet.join(", ")),
                    "`yes` means every item is met (or does not apply); answer \"no\" or \"planned\" for the control".into(),
                );
            }
            let valued: BTreeSet<&str> = e
                .params
                .iter()
                .filter(|(_, v)| !v.value.trim().is_empty())
                .map(|(id, _)| id.value.as_str())
                .collect();
            let missing: Vec<&str> = k
                .params
                .iter()
                .map(|p| p.id.value.as_str())
                .filter(|p| !valued.contains(p))
                .collect();
            if !missing.is_empty() {
                incomplete(
                    format!(
                        "{} is answered yes, but the value of {} is not given",
                        k.id,
                        missing.join(", ")
                    ),
                    "say what the product sets: `params = { \"ID\" = \"the value\" }`".into(),
                );
            }
        }
        let item_ids: BTreeSet<&str> = items.iter().map(String::as_str).collect();
        for (id, _) in &e.items {
            if !item_ids.contains(id.value.as_str()) {
                out.push(
                    g0604_incomplete_answer::LINT
                        .at(
                            f,
                            id.span.clone(),
                            format!("{} has no item {}", k.id, id.value),
                        )
                        .help(if item_ids.is_empty() {
                            "this control's statement has no items; remove `items`".to_string()
                        } else {
                            format!(
                                "its items are {}",
                                item_ids.iter().copied().collect::<Vec<_>>().join(", ")
                            )
                        }),
                );
            }
        }
        for (id, _) in &e.params {
            if !k.params.iter().any(|p| p.id.value == id.value) {
                out.push(
                    g0604_incomplete_answer::LINT
                        .at(
                            f,
                            id.span.clone(),
                            format!("{} has no parameter {}", k.id, id.value),
                        )
                        .help("give values only for the parameters the control declares"),
                );
            }
        }
        // The technologies named as realising the control.
        let mut best_aal: Option<crate::syntax::Aal> = None;
        for t in &e.technologies {
            let Some(tech) = g.registry.get(&t.value) else {
                let nearest = g
                    .registry
                    .technologies
                    .iter()
                    .map(|x| {
                        (
                            crate::lint::g0102_unknown_technology::distance(x, &t.value),
                            x.id.as_str(),
                        )
                    })
                    .min()
                    .filter(|(d, _)| *d <= 3);
                out.push(
                    g0605_unknown_disclosed_technology::LINT
                        .at(f, t.span.clone(), format!("unknown technology `{}`", t.value))
                        .help(nearest.map_or_else(
                            || "name technologies by their registry id (the guideline's technology list)".to_string(),
                            |(_, id)| format!("did you mean `{id}`?"),
                        )),
                );
                continue;
            };
            let prohibited_here = k
                .tags(crate::model::Lang::Ja)
                .contains(&(t.value.as_str(), Role::Prohibited));
            if prohibited_here {
                out.push(
                    g0606_unacceptable_technology::LINT
                        .at(f, t.span.clone(), format!("{} prohibits {}", k.id, tech.name.ja))
                        .help("a product that relies on it does not meet the control; answer \"no\" or name what replaces it"),
                );
            } else if tech.status != Status::Current {
                out.push(
                    g0606_unacceptable_technology::LINT
                        .at(
                            f,
                            t.span.clone(),
                            format!(
                                "{} is {} in the registry",
                                tech.name.ja,
                                tech.status.keyword()
                            ),
                        )
                        .help("name the current technology the product uses instead"),
                );
            }
            if tech.status == Status::Current && !prohibited_here {
                best_aal = best_aal.max(tech.aal);
            }
        }
        // An unknown technology is reported above; whether the right one reaches the level
        // is known once it is corrected.
        let all_known = e
            .technologies
            .iter()
            .all(|t| g.registry.get(&t.value).is_some());
        if let (Answer::Yes, Some(required), true) = (answer.value, k.assurance, all_known) {
            if best_aal.is_none_or(|a| a < required) {
                let what = if e.technologies.is_empty() {
                    "names no technology".to_string()
                } else {
                    format!(
                        "names none that reaches it (best: {})",
                        best_aal.map_or("none".to_string(), |a| a.to_string())
                    )
                };
                out.push(
                    g0607_below_assurance::LINT
                        .at(f, answer.span.clone(), format!("{} demands {required}; the answer {what}", k.id))
                        .help(format!("name the technologies that give {required} (`technologies = [\"fido2\"]`, say), or answer \"no\" or \"planned\"")),
                );
            }
        }
        if answer.value == Answer::Planned {
            match &e.by {
                None => out.push(
                    g0608_past_plan::LINT
                        .at(
                            f,
                            answer.span.clone(),
                            format!("{} is planned with no date", k.id),
                        )
                        .help("say when: `by = \"YYYY-MM-DD\"`"),
                ),
                Some(by)
                    if super::parse_date(&by.value)
                        .zip(super::parse_date(today))
                        .is_some_and(|(by, today)| by < today) =>
                {
                    out.push(
                        g0608_past_plan::LINT
                            .at(
                                f,
                                by.span.clone(),
                                format!(
                                    "{} was planned by {}, which has passed ({today})",
                                    k.id, by.value
                                ),
                            )
                            .help("answer what the product does now, or set a new date"),
                    )
                }
                _ => {}
            }
        }
    }

    // Controls in scope that the disclosure does not list at all.
    let listed: BTreeSet<&str> = d.entries.iter().map(|e| e.control.value.as_str()).collect();
    for (_, _, k) in g.controls() {
        if in_scope(k) && !listed.contains(k.id.as_str()) {
            out.push(
                g0603_missing_answer::LINT
                    .at(f, d.header.clone(), format!("{} is not answered", k.id))
                    .help(format!(
                        "add `[answers.\"{}\"]` with an answer ({})",
                        k.id, k.title.ja
                    )),
            );
        }
    }

    // The reader's side: what applies to them that the vendor does not meet.
    if let Some((who, answers)) = reader {
        for (_, _, k) in g.applying(answers) {
            let entry = d.entry(&k.id);
            let answer = entry.and_then(|e| e.answer.as_ref()).map(|a| a.value);
            let open = match answer {
                Some(Answer::No) => "answers no",
                None => "leaves it open",
                _ => continue,
            };
            let span = entry.map_or(d.header.clone(), |e| e.answer_span.clone());
            out.push(
                g0611_open_for_reader::LINT
                    .at(
                        f,
                        span,
                        format!("{} applies to {who}, and the vendor {open}", k.id),
                    )
                    .help(format!(
                        "ask the vendor how {} is met, or meet it another way ({})",
                        k.id, k.title.ja
                    )),
            );
        }
    }
    crate::diagnostic::sort(&mut out);
    out
}
