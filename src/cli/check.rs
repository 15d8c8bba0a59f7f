//! `guideline check`: the guideline's findings, like a compiler's.

use std::path::Path;
use std::process::ExitCode;

use super::{findings, load, print_as, print_findings, FindingsFormat};

pub fn check(path: &Path, format: FindingsFormat, deny_warnings: bool) -> ExitCode {
    let checked = match load(path) {
        Ok(c) => c,
        Err(code) => return code,
    };
    match format {
        FindingsFormat::Human => {
            print_findings(&checked);
            if let (Some(g), true) = (&checked.guideline, checked.diagnostics.is_empty()) {
                eprintln!(
                    "checked {}: {} parts, {} chapters, {} controls, {} technologies: no findings",
                    path.display(),
                    g.parts.len(),
                    g.chapters().count(),
                    g.controls().count(),
                    g.registry.technologies.len()
                );
            }
        }
        _ => {
            let empty = crate::source::SourceSet::default();
            let sources = checked.guideline.as_ref().map_or(&empty, |g| &g.sources);
            print_as(format, &checked.diagnostics, sources);
        }
    }
    let failed = checked.errors() > 0 || (deny_warnings && checked.warnings() > 0);
    // The process ends here: tearing down a large model allocation by allocation would only
    // add time the editor waits for.
    std::mem::forget(checked);
    if failed {
        findings()
    } else {
        ExitCode::SUCCESS
    }
}
