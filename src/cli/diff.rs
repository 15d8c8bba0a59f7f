//! `guideline diff`: two editions compared, as text, JSON, Markdown, an HTML or PDF 新旧対照表.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::{findings, print_findings, refuse, run, stream_color, usage, write_output};
use crate::load::{load_dir, load_git, LoadError, Loaded};
use crate::model::Guideline;
use crate::source::RevPath;

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum DiffFormat {
    Text,
    Json,
    Md,
    Html,
    Pdf,
}

/// The old side of a comparison and the new side's directory, from the arguments: two
/// directories, or a git revision and the new directory.
fn sides(
    old: Option<PathBuf>,
    new: Option<PathBuf>,
    git: Option<&str>,
) -> Result<(Result<Loaded, LoadError>, PathBuf), ExitCode> {
    match (git, old, new) {
        (Some(spec), first, second) => {
            let side = RevPath::parse(spec);
            let new_path = second
                .or(first)
                .unwrap_or_else(|| PathBuf::from(RevPath::DEFAULT_PATH));
            Ok((load_git(&side.rev, &side.path), new_path))
        }
        (None, Some(old), Some(new)) => Ok((load_dir(&old), new)),
        _ => Err(refuse(
            "give OLD and NEW directories, or --git REV[:PATH] and NEW",
        )),
    }
}

pub fn diff(
    old: Option<PathBuf>,
    new: Option<PathBuf>,
    git: Option<&str>,
    format: DiffFormat,
    output: Option<&Path>,
) -> ExitCode {
    run(|| {
        let (old_side, new_path) = sides(old, new, git)?;
        let old = readable(old_side, "old edition")?;
        let new = readable(load_dir(&new_path), "new edition")?;
        let d = crate::diff::diff(&old, &new);
        let bytes = match format {
            DiffFormat::Text => {
                crate::render::diff::text(&d, output.is_none() && stream_color(&std::io::stdout()))
                    .into_bytes()
            }
            DiffFormat::Json => crate::render::diff::json(&d).into_bytes(),
            DiffFormat::Md => crate::render::diff::markdown(&d).into_bytes(),
            DiffFormat::Html => {
                crate::render::diff::html(&d, &old.manifest.title.ja, &new.manifest.title.ja)
                    .into_bytes()
            }
            DiffFormat::Pdf => {
                if output.is_none() {
                    return Err(refuse("--format pdf needs --output FILE"));
                }
                let fonts = crate::typeset::Fonts::system();
                // No fonts: the output failed, nothing was found in the guideline.
                crate::render::pdf::render_comparison(&d, &old, &new, &fonts).map_err(|e| {
                    eprintln!("error: {e:#}");
                    usage()
                })?
            }
        };
        write_output(output, &bytes)?;
        if let (DiffFormat::Pdf, Some(file)) = (format, output) {
            eprintln!("wrote {}", file.display());
        }
        Ok(ExitCode::SUCCESS)
    })
}

/// One side of a comparison, which must be readable as a guideline: any finding of the
/// ranges that leave the model incomplete stops the comparison.
fn readable(side: Result<Loaded, LoadError>, what: &str) -> Result<Guideline, ExitCode> {
    let loaded = side.map_err(|e| refuse(format_args!("{what}: {e}")))?;
    let checked = crate::check::lint_loaded(loaded);
    let Some(g) = checked.guideline else {
        print_findings(&checked);
        eprintln!("error: {what} cannot be read as a guideline");
        return Err(findings());
    };
    let broken: Vec<_> = checked
        .diagnostics
        .iter()
        .filter(|d| crate::lint::is_unreadable(d.code))
        .cloned()
        .collect();
    if !broken.is_empty() {
        super::print_as(super::FindingsFormat::Human, &broken, &g.sources);
        eprintln!("error: {what} has structural errors; fix them before comparing");
        return Err(findings());
    }
    Ok(g)
}
