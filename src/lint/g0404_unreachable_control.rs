use crate::diagnostic::Diagnostic;
use crate::model::Guideline;

declare_lint! {
    /// ## What it does
    /// Reports a control whose `applies` condition no set of answers makes true, such as
    /// `internet = yes and internet = no`. Every combination of the answers of the questions
    /// the condition names is tried.
    ///
    /// ## Why is this bad?
    /// Such a control applies to nobody: it disappears from every reader's list and every
    /// preset's checklist, although the guideline still states it.
    ///
    /// ## Example
    /// ```toml
    /// applies = "facility = clinic and facility = hospital"
    /// ```
    ///
    /// ## Use instead
    /// ```toml
    /// applies = "facility = clinic or facility = hospital"
    /// ```
    /// A condition that names a question or answer not declared is reported as G0402
    /// instead.
    "G0404", "unreachable-control", Error, Some(check)
}

fn check(g: &Guideline, out: &mut Vec<Diagnostic>) {
    let Some(a) = &g.applicability else {
        return;
    };
    for (_, _, k) in g.controls() {
        let Some(start) = k.applies.text_start else {
            continue;
        };
        let c = &k.applies.condition;
        let all_known = c.atoms().all(|atom| {
            a.question(&atom.key)
                .is_some_and(|q| q.values().contains(&atom.value.as_str()))
        });
        if all_known && !a.reachable(c) {
            let end = c.atoms().map(|x| x.value_span.end).max().unwrap_or(0);
            let f = g.sources.get(k.file);
            out.push(
                LINT.at(
                    f,
                    start..start + end,
                    format!(
                        "{} applies to nobody: no answers make `{}` true",
                        k.id,
                        c.to_source()
                    ),
                )
                .help("check `and` against `or`; a question has one answer at a time"),
            );
        }
    }
}
