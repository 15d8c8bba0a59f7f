use crate::diagnostic::Diagnostic;
use crate::model::{Guideline, Lang, Role};

declare_lint! {
    /// ## What it does
    /// Reports a technology given as an example in a control that demands an assurance level
    /// (`assurance = "AAL2"`) the technology cannot reach on its own.
    ///
    /// ## Why is this bad?
    /// Readers copy examples. An example that does not meet the control's own bar (a
    /// password alone where AAL2 is demanded, or an SMS code where AAL3 is) teaches them to
    /// fall short.
    ///
    /// ## Example
    /// ```markdown
    /// <!-- control with assurance = "AAL2" -->
    /// 例えば[パスワード](example:password)による認証がある。
    /// ```
    ///
    /// ## Use instead
    /// Give examples that reach the level, or say what they must be combined with:
    /// ```markdown
    /// 例えば[パスワード](example:password)と[ワンタイムパスワード](example:totp)の組合せがある。
    /// ```
    "G0203", "example-below-assurance", Warning, Some(check)
}

fn check(g: &Guideline, out: &mut Vec<Diagnostic>) {
    for (_, _, control) in g.controls() {
        let Some(required) = control.assurance else {
            continue;
        };
        // A sentence that combines a weak factor with a stronger one is fine: only report
        // when no example in the control reaches the level.
        let examples: Vec<_> = control
            .mentions()
            .filter(|m| m.lang == Lang::Ja && m.role == Some(Role::Example))
            .filter_map(|m| g.registry.get(&m.technology).map(|t| (m, t)))
            .collect();
        for (m, t) in &examples {
            let Some(aal) = t.aal else { continue };
            if aal >= required {
                continue;
            }
            let paired = examples.iter().any(|(other, o)| {
                o.aal.is_some_and(|a| a >= required)
                    && other.file == m.file
                    && same_paragraph(g, m.file, m.span.start, other.span.start)
            });
            if paired {
                continue;
            }
            out.push(
                LINT.at(
                    g.sources.get(m.file),
                    m.span.clone(),
                    format!("example 「{}」 reaches {aal}, below the {required} that {} demands", m.text, control.id),
                )
                .help("give an example that reaches the level, or name what it must be combined with in the same paragraph"),
            );
        }
    }
}

/// Whether two offsets are in one paragraph (no blank line between them).
fn same_paragraph(g: &Guideline, file: usize, a: usize, b: usize) -> bool {
    let text = &g.sources.get(file).text;
    let (lo, hi) = if a < b { (a, b) } else { (b, a) };
    !text[lo..hi].contains("\n\n")
}
