//! `guideline check`: load, lint, and sort the findings.

use std::path::Path;

use crate::diagnostic::{self, Diagnostic, Severity};
use crate::load::{self, LoadError};
use crate::model::Guideline;

/// The checked guideline (absent when not even the manifest could be read) and every
/// finding, in reading order.
pub struct Checked {
    pub guideline: Option<Guideline>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Checked {
    pub fn errors(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    pub fn warnings(&self) -> usize {
        self.diagnostics.len() - self.errors()
    }
}

/// Loads the guideline at `root` for `purpose` and checks it.
pub fn check_dir(root: &Path, purpose: load::Purpose) -> Result<Checked, LoadError> {
    Ok(lint_loaded(load::load_dir_with(
        root,
        &load::Overlay::new(),
        purpose,
    )?))
}

/// Runs the lints over a loaded guideline.
pub fn lint_loaded(loaded: load::Loaded) -> Checked {
    let mut diagnostics = loaded.diagnostics;
    if let Some(g) = &loaded.guideline {
        diagnostics.extend(crate::lint::run(g));
    }
    diagnostic::sort(&mut diagnostics);
    Checked {
        guideline: loaded.guideline,
        diagnostics,
    }
}
