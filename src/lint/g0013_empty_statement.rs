use crate::diagnostic::Diagnostic;
use crate::model::{Guideline, Lang};

declare_lint! {
    /// ## What it does
    /// Reports a control whose normative statement is missing or empty, in either language.
    ///
    /// ## Why is this bad?
    /// The statement is the requirement itself: a control without one asks nothing of
    /// anybody, yet appears in checklists as if it did.
    ///
    /// ## Example
    /// ```markdown
    /// ## C-6.2 二要素認証
    ///
    /// ### 要求事項
    ///
    /// ### 解説
    /// ...
    /// ```
    ///
    /// ## Use instead
    /// ```markdown
    /// ### 要求事項
    ///
    /// 利用者の認証はAAL2以上の強度で行うこと。
    /// ```
    "G0013", "empty-statement", Error, Some(check)
}

fn check(g: &Guideline, out: &mut Vec<Diagnostic>) {
    for (_, _, control) in g.controls() {
        for lang in Lang::ALL {
            let Some(statement) = control.statement.get(lang) else {
                continue;
            };
            if statement.is_blank() {
                let (file, span) = match lang {
                    Lang::Ja => (control.file, control.id_span.clone()),
                    Lang::En => control
                        .en_heading
                        .clone()
                        .unwrap_or((control.file, control.id_span.clone())),
                };
                let heading = if lang == Lang::Ja {
                    "### 要求事項"
                } else {
                    "### Statement"
                };
                out.push(
                    LINT.at(g.sources.get(file), span, format!("control {} has an empty statement ({})", control.id, lang.code()))
                        .help(format!("write the requirement under `{heading}`: the outcome the reader must achieve")),
                );
            }
        }
    }
}
