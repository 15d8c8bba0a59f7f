//! `guideline check`: the guideline's findings, like a compiler's.

use std::path::Path;
use std::process::ExitCode;

use crate::check::Checked;

use super::{findings, load_to_check, print_as, run, sources, FindingsFormat};

pub fn check(path: &Path, format: FindingsFormat, deny_warnings: bool) -> ExitCode {
    run(|| Ok(report(path, load_to_check(path)?, format, deny_warnings)))
}

fn report(path: &Path, checked: Checked, format: FindingsFormat, deny_warnings: bool) -> ExitCode {
    print_as(format, &checked.diagnostics, sources(&checked));
    if let (FindingsFormat::Human, Some(g), true) =
        (format, &checked.guideline, checked.diagnostics.is_empty())
    {
        eprintln!(
            "checked {}: {} parts, {} chapters, {} controls, {} technologies: no findings",
            path.display(),
            g.parts.len(),
            g.chapters().count(),
            g.controls().count(),
            g.registry.technologies.len()
        );
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
