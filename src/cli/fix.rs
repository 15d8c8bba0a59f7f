//! `guideline fix`: tags untagged technology names as examples and writes the glossary's
//! spelling, in place (or shows what it would do).

use std::path::Path;
use std::process::ExitCode;

use super::{findings, load_to_check, plural, print_findings, refuse};
use crate::fix::{plan, write_atomic, Change};

pub fn fix(path: &Path, dry_run: bool) -> ExitCode {
    let checked = match load_to_check(path) {
        Ok(checked) => checked,
        Err(code) => return code,
    };
    let Some(g) = &checked.guideline else {
        print_findings(&checked);
        return findings();
    };
    let plan = plan(g);
    let (mut tagged, mut replaced) = (0, 0);
    for (file, (text, edits)) in &plan {
        for e in edits {
            let what = match &e.change {
                Change::Tagged { technology } => {
                    tagged += 1;
                    format!("tagged 「{}」 as example:{technology}", e.text)
                }
                Change::Replaced { preferred } => {
                    replaced += 1;
                    format!(
                        "replaced 「{}」 with the glossary's 「{preferred}」",
                        e.text
                    )
                }
            };
            super::stdout(format_args!(
                "{}:{}:{}: {what}\n",
                e.file.display(),
                e.line,
                e.column
            ));
        }
        if !dry_run {
            if let Err(e) = write_atomic(file, text.as_bytes()) {
                return refuse(format_args!("cannot write {}: {e}", file.display()));
            }
        }
    }
    let verb = if dry_run { "would tag" } else { "tagged" };
    super::stdout(format_args!(
        "{verb} {tagged} mention{} in {} file{}\n",
        plural(tagged),
        plan.len(),
        plural(plan.len())
    ));
    if replaced > 0 {
        let verb = if dry_run { "would replace" } else { "replaced" };
        super::stdout(format_args!(
            "{verb} {replaced} variant spelling{} of glossary terms\n",
            plural(replaced)
        ));
    }
    ExitCode::SUCCESS
}
