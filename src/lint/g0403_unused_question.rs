use std::collections::BTreeSet;

use crate::diagnostic::Diagnostic;
use crate::model::Guideline;

declare_lint! {
    /// ## What it does
    /// Reports a question in `applicability.toml` that no control's `applies` condition
    /// names.
    ///
    /// ## Why is this bad?
    /// Every question is one more thing a clinic must answer on the self-check page. A
    /// question whose answer changes nothing costs the reader time and suggests the
    /// guideline distinguishes something it does not.
    ///
    /// ## Example
    /// ```toml
    /// [[question]]
    /// id = "wireless-lan"
    /// kind = "yes-no"
    /// ```
    /// while no control says `applies = "wireless-lan = yes"`.
    ///
    /// ## Use instead
    /// Remove the question, or state in the controls it concerns when they apply.
    "G0403", "unused-question", Warning, Some(check)
}

fn check(g: &Guideline, out: &mut Vec<Diagnostic>) {
    let (Some(a), Some(file)) = (&g.applicability, g.applicability_file) else {
        return;
    };
    let used: BTreeSet<&str> = g
        .controls()
        .flat_map(|(_, _, k)| k.applies.condition.atoms().map(|atom| atom.key.as_str()))
        .collect();
    let f = g.sources.get(file);
    for q in &a.questions {
        if !used.contains(q.id.as_str()) {
            out.push(
                LINT.at(
                    f,
                    q.span.clone(),
                    format!("no control's `applies` names question `{}`", q.id),
                )
                .help(
                    "remove the question, or use it in the conditions of the controls it concerns",
                ),
            );
        }
    }
}
