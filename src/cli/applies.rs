//! `guideline applies`: the controls that apply to a reader, from answers to the questions
//! of `applicability.toml` or a named preset.

use std::path::Path;
use std::process::ExitCode;

use super::{load, load_clean, refuse, run, usage, write_output};
use crate::applicability::{answers_from, FILE};
use crate::render::checklist;

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum AppliesFormat {
    Text,
    Json,
    Csv,
    Xlsx,
}

pub fn applies(
    path: &Path,
    preset: Option<&str>,
    given: &[String],
    format: AppliesFormat,
    output: Option<&Path>,
) -> ExitCode {
    run(|| {
        let checked = load(path)?;
        let g = load_clean(&checked, path, "")?;
        let Some(a) = &g.applicability else {
            return Err(refuse(format_args!(
                "{} has no {FILE}: it declares no questions to answer",
                path.display()
            )));
        };
        let answers = answers_from(a, preset, given).map_err(|why| {
            eprintln!("error: {why}");
            eprintln!("  help: give --preset NAME, or --answer KEY=VALUE for every question:");
            for q in &a.questions {
                eprintln!("    {} = {}    ({})", q.id, q.values().join(" | "), q.en);
            }
            usage()
        })?;
        let bytes = match format {
            AppliesFormat::Text => checklist::applies_text(g, &answers).into_bytes(),
            AppliesFormat::Json => checklist::applies_json(g, &answers, preset).into_bytes(),
            AppliesFormat::Csv => checklist::applies_csv(g, &answers),
            AppliesFormat::Xlsx => {
                if output.is_none() {
                    return Err(refuse("--format xlsx needs --output FILE"));
                }
                let name = preset.unwrap_or("自己点検");
                checklist::applies_xlsx(g, &answers, name)
                    .map_err(|e| refuse(format_args!("cannot write the workbook: {e}")))?
            }
        };
        write_output(output, &bytes)?;
        eprintln!(
            "{} of {} controls apply",
            g.applying(&answers).count(),
            g.controls().count()
        );
        Ok(ExitCode::SUCCESS)
    })
}
