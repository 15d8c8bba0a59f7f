use crate::diagnostic::Diagnostic;
use crate::model::Guideline;

declare_lint! {
    /// ## What it does
    /// Reports a `previous` entry that does not resolve: not written `EDITION:ID`, naming an
    /// edition the manifest does not list under `[[previous]]`, or naming an ID that edition
    /// does not contain.
    ///
    /// ## Why is this bad?
    /// `previous` IDs are how the edition diff and the 新旧対照表 match a renumbered control
    /// with its predecessor. A wrong one shows the control as new and its predecessor as
    /// removed, which misleads every vendor reading the change list.
    ///
    /// ## Example
    /// ```toml
    /// previous = ["6.11-C-11"]
    /// ```
    ///
    /// ## Use instead
    /// ```toml
    /// previous = ["5.2:6.11-C-11"]
    /// ```
    "G0012", "dangling-previous", Error, Some(check)
}

fn check(g: &Guideline, out: &mut Vec<Diagnostic>) {
    for (_, _, control) in g.controls() {
        for p in &control.previous {
            let file = g.sources.get(p.file);
            let Some((edition, id)) = p.value.split_once(':') else {
                out.push(
                    LINT.at(
                        file,
                        p.span.clone(),
                        format!("previous ID `{}` names no edition", p.value),
                    )
                    .help(format!("write `EDITION:ID`, for example `5.2:{}`", p.value)),
                );
                continue;
            };
            if !g.manifest.previous.iter().any(|e| e.edition == edition) {
                out.push(
                    LINT.at(file, p.span.clone(), format!("edition {edition} is not declared in guideline.toml"))
                        .help(format!("add `[[previous]]` with `edition = \"{edition}\"` and the `path` of its source")),
                );
                continue;
            }
            if let Some(earlier) = g.earlier.get(edition) {
                if !earlier.guideline.controls().any(|(_, _, c)| c.id == id) {
                    out.push(
                        LINT.at(
                            file,
                            p.span.clone(),
                            format!("edition {edition} has no control {id}"),
                        )
                        .help("check the ID against that edition's source"),
                    );
                }
            }
        }
    }
}
