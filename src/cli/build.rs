//! `guideline build` and `guideline serve`: every output into `--out`, atomically, and the
//! live preview that rebuilds the site on every save.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::{load, load_clean, print_findings, refuse, run, usage};
use crate::build::{BuildError, Output};
use crate::model::Guideline;

pub fn build(path: &Path, out: &Path, only: &[Output]) -> ExitCode {
    run(|| {
        let checked = load(path)?;
        let g = load_clean(&checked, path, "not building ")?;
        // Its warnings, before what the build writes.
        print_findings(&checked);
        Ok(build_clean(g, path, out, only))
    })
}

/// Builds the outputs of a guideline that checked clean.
fn build_clean(g: &Guideline, path: &Path, out: &Path, only: &[Output]) -> ExitCode {
    let only: BTreeSet<_> = if only.is_empty() {
        Output::ALL.into_iter().collect()
    } else {
        only.iter().copied().collect()
    };
    let start = std::time::Instant::now();
    match crate::build::build(g, g.previous_edition(), path, out, &only) {
        Ok(written) => {
            for w in &written {
                eprintln!("  wrote {} ({})", w.path.display(), w.size);
            }
            eprintln!(
                "built {} files into {} in {:.2} s",
                written.len(),
                out.display(),
                start.elapsed().as_secs_f64()
            );
            ExitCode::SUCCESS
        }
        Err(BuildError::Refused(e)) => {
            refuse(format_args!("not building into {}: {e}", out.display()))
        }
        Err(BuildError::Failed(e)) => refuse(format_args!(
            "build failed, {} left as it was: {e:#}",
            out.display()
        )),
    }
}

pub fn serve(path: PathBuf, port: u16, out: PathBuf) -> ExitCode {
    let only = [Output::Site];
    if build(&path, &out, &only) != ExitCode::SUCCESS {
        eprintln!("note: fix the findings; the preview starts once the guideline builds");
    }
    let (watched, target) = (path.clone(), out.clone());
    let rebuild = move || {
        eprintln!("change detected, rebuilding…");
        let _ = build(&watched, &target, &only);
    };
    match crate::serve::serve(&path, out.join("site"), port, rebuild) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            usage()
        }
    }
}
