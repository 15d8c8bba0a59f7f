use crate::applicability::{Applicability, Atom};
use crate::diagnostic::Diagnostic;
use crate::model::Guideline;

declare_lint! {
    /// ## What it does
    /// Reports a question or an answer that `applicability.toml` does not declare: in a
    /// control's `applies` condition, or in a preset's `answers`. It also reports a preset
    /// that leaves a question unanswered, and a question or preset declared twice.
    ///
    /// ## Why is this bad?
    /// A comparison with a question nobody is asked, or with an answer nobody can give, is
    /// never true: the control would vanish from every reader's list without a word. A
    /// preset is a whole reader (a small clinic); an unanswered question makes its list
    /// depend on an accident.
    ///
    /// ## Example
    /// ```toml
    /// applies = "cloud = yes"
    /// ```
    /// where the question is declared as `external-service`, or
    /// ```toml
    /// applies = "facility = clinc"
    /// ```
    ///
    /// ## Use instead
    /// ```toml
    /// applies = "external-service = yes"
    /// ```
    "G0402", "unknown-answer", Error, Some(check)
}

/// What is wrong with one comparison, if anything.
fn problem(a: &Applicability, atom: &Atom) -> Option<(bool, String, String)> {
    let Some(q) = a.question(&atom.key) else {
        let known: Vec<&str> = a.questions.iter().map(|q| q.id.as_str()).collect();
        let suggestion = crate::diagnostic::nearest(&atom.key, &known);
        return Some((
            true,
            format!("no question `{}` in applicability.toml", atom.key),
            match suggestion {
                Some(s) => format!("did you mean `{s}`?"),
                None if known.is_empty() => {
                    "declare the question in applicability.toml beside guideline.toml".into()
                }
                None => format!("the questions are {}", known.join(", ")),
            },
        ));
    };
    let values = q.values();
    if values.contains(&atom.value.as_str()) {
        return None;
    }
    let suggestion = crate::diagnostic::nearest(&atom.value, &values);
    Some((
        false,
        format!("`{}` is not an answer to `{}`", atom.value, atom.key),
        match suggestion {
            Some(s) => format!("did you mean `{s}`? the answers are {}", values.join(", ")),
            None => format!("the answers are {}", values.join(", ")),
        },
    ))
}

fn check(g: &Guideline, out: &mut Vec<Diagnostic>) {
    let empty = Applicability::default();
    let a = g.applicability.as_ref().unwrap_or(&empty);
    for (_, _, k) in g.controls() {
        let Some(start) = k.applies.text_start else {
            continue;
        };
        let f = g.sources.get(k.file);
        for atom in k.applies.condition.atoms() {
            if let Some((on_key, message, help)) = problem(a, atom) {
                let span = if on_key {
                    &atom.key_span
                } else {
                    &atom.value_span
                };
                out.push(
                    LINT.at(
                        f,
                        start + span.start..start + span.end,
                        format!("{}: {message}", k.id),
                    )
                    .help(help),
                );
            }
        }
    }
    let Some(file) = g.applicability_file else {
        return;
    };
    let f = g.sources.get(file);
    let mut seen = std::collections::BTreeSet::new();
    for q in &a.questions {
        if !seen.insert(("question", q.id.as_str())) {
            out.push(
                LINT.at(
                    f,
                    q.span.clone(),
                    format!("question `{}` is declared twice", q.id),
                )
                .help("give each question its own id"),
            );
        }
    }
    for p in &a.presets {
        if !seen.insert(("preset", p.id.as_str())) {
            out.push(
                LINT.at(
                    f,
                    p.span.clone(),
                    format!("preset `{}` is declared twice", p.id),
                )
                .help("give each preset its own id"),
            );
        }
        if let Err(why) = a.check_answers(&p.answers) {
            out.push(
                LINT.at(f, p.span.clone(), format!("preset `{}`: {why}", p.id))
                    .help("a preset answers every question with one of its answers"),
            );
        }
    }
}
