//! `guideline import oscal`: an OSCAL catalog into a new source tree.

use std::path::Path;
use std::process::ExitCode;

use super::{refuse, run};

pub fn oscal(file: &Path, out: &Path) -> ExitCode {
    run(|| {
        let text = crate::source::read_input(file).map_err(refuse)?;
        // A file that is not an OSCAL catalog is unreadable input, not a finding.
        let doc = crate::import::parse(&text)
            .map_err(|e| refuse(format_args!("{}: {e:#}", file.display())))?;
        let name = file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let imported = crate::import::import(&doc, &name)
            .map_err(|e| refuse(format_args!("{}: {e:#}", file.display())))?;
        crate::output::write_new_tree(out, &imported.files).map_err(refuse)?;
        for w in &imported.warnings {
            eprintln!("warning: {w}");
        }
        eprintln!(
            "imported {} controls into {} ({} files)",
            imported.controls,
            out.display(),
            imported.files.len()
        );
        Ok(ExitCode::SUCCESS)
    })
}
