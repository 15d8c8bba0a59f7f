//! `guideline explain`: a lint's documentation, or the list of every lint.

use std::process::ExitCode;

use crate::lint;

pub fn explain(code: Option<&str>) -> ExitCode {
    let Some(code) = code else {
        for l in lint::ALL {
            let documentation = l.documentation();
            let summary = documentation.lines().nth(1).unwrap_or_default();
            super::stdout(format_args!(
                "{}  {:<26} {:<8} {}\n",
                l.code,
                l.name,
                format!("{:?}", l.severity).to_lowercase(),
                summary
            ));
        }
        return ExitCode::SUCCESS;
    };
    match lint::find(code) {
        Some(l) => {
            super::stdout(format_args!(
                "# {} {} ({:?})\n\n{}\n",
                l.code,
                l.name,
                l.severity,
                l.documentation()
            ));
            ExitCode::SUCCESS
        }
        None => super::refuse(format_args!(
            "no lint `{code}`; `guideline explain` lists them all"
        )),
    }
}
