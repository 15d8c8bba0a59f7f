//! The commands of the `guideline` binary, one module each; `main.rs` parses the arguments
//! and calls one of them.
//!
//! Each command prints to the terminal and returns the process's exit status, as the README
//! documents it: 0 clean, 1 findings, 2 usage or unreadable input (or an output that could
//! not be written). Inside a command, `Result<T, ExitCode>` carries a status that ends it,
//! once its reason has been printed.

pub mod applies;
pub mod build;
pub mod check;
pub mod diff;
pub mod disclosure;
pub mod explain;
pub mod fix;
pub mod import;

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

use crate::check::{check_dir, Checked};
use crate::diagnostic::{self, Diagnostic, Severity};
use crate::lint;
use crate::source::SourceSet;

/// The guideline, or the text, has findings (errors, or warnings under `--deny-warnings`).
pub const EXIT_FINDINGS: u8 = 1;
/// Bad arguments, unreadable input, or an output that could not be written.
pub const EXIT_USAGE: u8 = 2;

pub(crate) fn findings() -> ExitCode {
    ExitCode::from(EXIT_FINDINGS)
}

pub(crate) fn usage() -> ExitCode {
    ExitCode::from(EXIT_USAGE)
}

/// Prints `error: {message}` and gives the usage status, for `?` in a command.
pub(crate) fn refuse(message: impl std::fmt::Display) -> ExitCode {
    eprintln!("error: {message}");
    usage()
}

/// Runs a command body written with `?`: both sides are the status to exit with.
pub(crate) fn run(body: impl FnOnce() -> Result<ExitCode, ExitCode>) -> ExitCode {
    match body() {
        Ok(code) | Err(code) => code,
    }
}

/// How findings are printed: rustc-style with the source lines on standard error (`Human`),
/// or for a program on standard output (a JSON array, or SARIF 2.1.0 for code scanning).
// The variants carry no doc comment: clap would print it in `--help`.
#[derive(Clone, Copy, clap::ValueEnum)]
pub enum FindingsFormat {
    Human,
    Json,
    Sarif,
}

/// Prints findings in `format`; `Human` goes to standard error, the others to standard output.
pub(crate) fn print_as(format: FindingsFormat, findings: &[Diagnostic], sources: &SourceSet) {
    match format {
        FindingsFormat::Human => {
            eprint!("{}", diagnostic::render_human(findings, sources, color()))
        }
        FindingsFormat::Json => stdout(diagnostic::render_json(findings)),
        FindingsFormat::Sarif => {
            let rules: Vec<_> = lint::ALL.iter().map(|l| (l.code, l.name, l.doc)).collect();
            let base = std::env::current_dir().unwrap_or_default();
            stdout(diagnostic::render_sarif(findings, &rules, &base));
        }
    }
}

/// Colour on standard error only for a terminal, and never under `NO_COLOR`.
pub(crate) fn color() -> bool {
    stream_color(&std::io::stderr())
}

pub(crate) fn stream_color(stream: &impl IsTerminal) -> bool {
    stream.is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// Prints a check's findings, rustc-style, to standard error.
pub(crate) fn print_findings(checked: &Checked) {
    print_as(
        FindingsFormat::Human,
        &checked.diagnostics,
        sources(checked),
    );
}

/// The files a check's findings point into (none when the guideline could not be read).
pub(crate) fn sources(checked: &Checked) -> &SourceSet {
    static NONE: std::sync::LazyLock<SourceSet> = std::sync::LazyLock::new(SourceSet::default);
    checked.guideline.as_ref().map_or(&NONE, |g| &g.sources)
}

/// Loads a guideline to be rendered and checks it; a directory that cannot be read is a
/// usage error.
pub(crate) fn load(path: &Path) -> Result<Checked, ExitCode> {
    check_dir(path, crate::load::Purpose::Render).map_err(refuse)
}

/// [`load`] for a command that only checks or mends the source and renders nothing
/// (`check`, `fix`): the parsed Markdown is not kept ([`crate::load::Purpose::Check`]).
pub(crate) fn load_to_check(path: &Path) -> Result<Checked, ExitCode> {
    check_dir(path, crate::load::Purpose::Check).map_err(refuse)
}

/// Loads a guideline whose structure must be sound for the command to work from it: no
/// error of the range the loader reports. Its text may have findings (edition 5.2 has the
/// lock-in that started this project, and vendors answer it as published).
pub(crate) fn load_sound(path: &Path) -> Result<crate::model::Guideline, ExitCode> {
    let checked = load(path)?;
    let broken = checked
        .diagnostics
        .iter()
        .any(|d| d.severity == Severity::Error && lint::is_structural(d.code));
    match checked.guideline {
        Some(g) if !broken => Ok(g),
        _ => {
            print_findings(&checked);
            eprintln!(
                "error: {}: `guideline check` reports errors in its structure",
                path.display()
            );
            Err(findings())
        }
    }
}

/// The guideline of a check that must have no error at all (building and listing from it);
/// where it has one, its findings and why the command stops are printed.
pub(crate) fn load_clean<'a>(
    checked: &'a Checked,
    path: &Path,
    doing: &str,
) -> Result<&'a crate::model::Guideline, ExitCode> {
    match (&checked.guideline, checked.errors()) {
        (Some(g), 0) => Ok(g),
        _ => {
            print_findings(checked);
            eprintln!(
                "error: {doing}{}: `guideline check` reports errors",
                path.display()
            );
            Err(findings())
        }
    }
}

/// Writes a new file, refusing to replace one that exists (a disclosure is the vendor's work).
pub(crate) fn write_new(path: &Path, bytes: &[u8]) -> Result<(), ExitCode> {
    use std::io::Write;
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path);
    match file.and_then(|mut f| f.write_all(bytes)) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(refuse(format_args!(
            "{} exists; choose another file (nothing was written)",
            path.display()
        ))),
        Err(e) => Err(refuse(format_args!("cannot write {}: {e}", path.display()))),
    }
}

/// Writes an output the user named, or standard output when none is named. A new or
/// regular file is replaced whole (never left half-written); anything else the name stands
/// for (`/dev/stdout`, a pipe, a link the user keeps) is written through.
pub(crate) fn write_output(output: Option<&Path>, bytes: &[u8]) -> Result<(), ExitCode> {
    match output {
        Some(file) => {
            let through = std::fs::symlink_metadata(file).is_ok_and(|m| !m.is_file());
            let written = if through {
                std::fs::write(file, bytes)
            } else {
                crate::fix::write_atomic(file, bytes)
            };
            written.map_err(|e| refuse(format_args!("cannot write {}: {e}", file.display())))
        }
        None => {
            use std::io::Write as _;
            match std::io::stdout().lock().write_all(bytes) {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                    Err(refuse(format_args!("cannot write to standard output: {e}")))
                }
                _ => Ok(()),
            }
        }
    }
}

/// Writes to standard output as `print!` does, except that a reader who stopped reading
/// (`guideline check --format json | head -c 100`) ends nothing with a panic: the rest is
/// simply not written. Any other failure is said on standard error.
pub fn stdout(text: impl std::fmt::Display) {
    use std::io::Write as _;
    match write!(std::io::stdout().lock(), "{text}") {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            eprintln!("error: cannot write to standard output: {e}")
        }
        _ => {}
    }
}

/// The plural ending of an English count.
pub(crate) fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
