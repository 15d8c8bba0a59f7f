//! The `guideline` command line: cargo-style subcommands over the library.

/// mimalloc: the tool allocates many small strings and JSON values, where it is markedly
/// faster than the system allocator (measured in `cargo bench --bench check` and
/// `scripts/bench-oscal.sh`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_arena_eager_commit` in mimalloc's `mi_option_e` (libmimalloc-sys names no
/// constant for it).
const MI_OPTION_ARENA_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 4;

/// The commands whose arenas are committed eagerly (see `ARENA_COMMIT`), as typed; a test
/// holds them to the subcommands the command line knows.
const EAGER_COMMIT_COMMANDS: [&str; 2] = ["build", "import"];

/// mimalloc commits each arena's memory up front by default (transparent huge pages, where
/// the kernel gives them on request, so a few page faults instead of one per 4 KiB page).
/// That nearly doubles the peak resident size of a short run such as `check` (41 MB against
/// 23 MB) for no speed, so every command commits lazily except the two that allocate tens
/// of megabytes in one go: `build` and `import`. There lazy commit cost a page fault per
/// page, 8,400 more than eager in `import oscal` of SP 800-53 moderate (775 against 9,216)
/// and a third more time (`scripts/bench-oscal.sh`).
///
/// The option must be set before the first allocation, so it is set from the loader's list
/// of initialisers, which runs before the Rust runtime starts (and allocates); glibc hands
/// those the program's arguments, which is where the command is read from.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[used]
#[link_section = ".init_array"]
static ARENA_COMMIT: extern "C" fn(
    std::ffi::c_int,
    *const *const std::ffi::c_char,
    *const *const std::ffi::c_char,
) = {
    extern "C" fn set(
        argc: std::ffi::c_int,
        argv: *const *const std::ffi::c_char,
        _envp: *const *const std::ffi::c_char,
    ) {
        // SAFETY: glibc calls the initialisers with the program's argc and argv, whose
        // strings live as long as the process.
        let command = (argc > 1 && !argv.is_null())
            .then(|| unsafe { *argv.add(1) })
            .filter(|arg| !arg.is_null())
            .map(|arg| unsafe { std::ffi::CStr::from_ptr(arg) }.to_bytes());
        let eager =
            command.is_some_and(|c| EAGER_COMMIT_COMMANDS.iter().any(|e| e.as_bytes() == c));
        if !eager {
            // SAFETY: sets a process-wide option of the allocator before any thread exists.
            unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_ARENA_EAGER_COMMIT, 0) }
        }
    }
    set
};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use guideline::cli::applies::AppliesFormat;
use guideline::cli::diff::DiffFormat;
use guideline::cli::disclosure::{DisclosureFormat, RenderLang};
use guideline::cli::{self, FindingsFormat as Format, EXIT_USAGE};

#[derive(Parser)]
#[command(
    name = "guideline",
    version,
    about = "Check and publish a security guideline kept as structured source"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check the guideline and report findings like a compiler
    Check {
        /// Guideline directory (the one holding guideline.toml)
        #[arg(default_value = "guideline")]
        path: PathBuf,
        /// Output format of the findings
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Treat warnings as errors (exit 1 when there is any finding)
        #[arg(long)]
        deny_warnings: bool,
    },
    /// Tag every untagged technology name as an example, in place
    Fix {
        #[arg(default_value = "guideline")]
        path: PathBuf,
        /// Show what would change without writing
        #[arg(long)]
        dry_run: bool,
    },
    /// Build every output (site, PDF, catalog, checklists) into --out, atomically
    Build {
        #[arg(default_value = "guideline")]
        path: PathBuf,
        /// Output directory; replaced only when the whole build succeeds
        #[arg(long, default_value = "out")]
        out: PathBuf,
        /// Build only these outputs (comma-separated)
        #[arg(long, value_enum, value_delimiter = ',')]
        only: Vec<guideline::build::Output>,
    },
    /// Live preview: build the website, serve it on 127.0.0.1, rebuild on every save
    Serve {
        #[arg(default_value = "guideline")]
        path: PathBuf,
        #[arg(long, default_value_t = 3000)]
        port: u16,
        /// Where the preview is built
        #[arg(long, default_value = "target/guideline-serve")]
        out: PathBuf,
    },
    /// Import a catalog from another format into the source format
    Import {
        #[command(subcommand)]
        format: ImportFormat,
    },
    /// Compare two editions: controls added, removed, renumbered, changed; technology roles
    Diff {
        /// Old edition: a directory (omit with --git)
        old: Option<PathBuf>,
        /// New edition: a directory (the only one with --git)
        new: Option<PathBuf>,
        /// Read the old side from git: REV[:PATH] (PATH defaults to `guideline`)
        #[arg(long, value_name = "REV[:PATH]")]
        git: Option<String>,
        #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
        format: DiffFormat,
        /// Write to this file instead of standard output (required for --format pdf)
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Language server over stdio for editors: diagnostics as you type, quick fixes, hover,
    /// go to definition
    Lsp,
    /// List the controls that apply to a reader, from answers to the questions of
    /// applicability.toml or a named preset
    Applies {
        /// Guideline directory (the one holding guideline.toml)
        #[arg(default_value = "guideline")]
        path: PathBuf,
        /// A preset of answers (`small-clinic`, `hospital`, ...)
        #[arg(long)]
        preset: Option<String>,
        /// An answer, KEY=VALUE (repeatable; over the preset's)
        #[arg(long = "answer", value_name = "KEY=VALUE")]
        answers: Vec<String>,
        #[arg(long, value_enum, default_value = "text")]
        format: AppliesFormat,
        /// Write to this file instead of standard output (required for xlsx)
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// A vendor's disclosure: write one, check it, carry it to a new edition, render it
    Disclosure {
        #[command(subcommand)]
        action: DisclosureAction,
    },
    /// Print the JSON Schema of catalog.json (or of the diff JSON with --diff)
    Schema {
        #[arg(long)]
        diff: bool,
    },
    /// Print the documentation of a lint (`guideline explain G0202`), or list them all
    Explain {
        /// Lint code or name; omit to list every lint
        code: Option<String>,
    },
}

#[derive(Subcommand)]
enum DisclosureAction {
    /// Write a disclosure with every control (or every control of a preset) unanswered
    Init {
        /// Guideline directory (the one holding guideline.toml)
        #[arg(default_value = "guideline")]
        path: PathBuf,
        /// The disclosure to write (must not exist)
        #[arg(long)]
        out: PathBuf,
        /// Only the controls that apply to this preset of applicability.toml
        #[arg(long)]
        preset: Option<String>,
        #[arg(long, default_value = "")]
        product: String,
        #[arg(long, default_value = "")]
        vendor: String,
    },
    /// Check a disclosure against the guideline, like `check` (findings G0601-G0611)
    Check {
        /// The disclosure (TOML)
        file: PathBuf,
        /// Guideline directory
        #[arg(default_value = "guideline")]
        path: PathBuf,
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
        /// Exit 1 on warnings too
        #[arg(long)]
        deny_warnings: bool,
        /// The clinic's side: also list what applies to this preset and is answered no or open
        #[arg(long)]
        preset: Option<String>,
        /// The clinic's own answers, KEY=VALUE (repeatable; over the preset's)
        #[arg(long = "answer", value_name = "KEY=VALUE")]
        answers: Vec<String>,
    },
    /// Carry a disclosure to a new edition; answers whose control changed are marked `review`
    Migrate {
        /// The disclosure of the old edition
        file: PathBuf,
        /// The old edition's guideline directory
        #[arg(long)]
        from: PathBuf,
        /// The new edition's guideline directory
        #[arg(long)]
        to: PathBuf,
        /// The migrated disclosure to write (must not exist)
        #[arg(long)]
        out: PathBuf,
    },
    /// Render a disclosure: XLSX, HTML or PDF in the exchanged layout, or an OSCAL component definition
    Render {
        /// The disclosure (TOML)
        file: PathBuf,
        /// Guideline directory
        #[arg(default_value = "guideline")]
        path: PathBuf,
        #[arg(long, value_enum)]
        format: DisclosureFormat,
        /// Language of the HTML page
        #[arg(long, value_enum, default_value = "ja")]
        lang: RenderLang,
        /// The file to write
        #[arg(long, short)]
        output: PathBuf,
    },
}

#[derive(Subcommand)]
enum ImportFormat {
    /// An OSCAL 1.x catalog in JSON (e.g. NIST SP 800-53)
    Oscal {
        file: PathBuf,
        /// Directory to create (must not exist or be empty)
        #[arg(long)]
        out: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { EXIT_USAGE } else { 0 });
        }
    };
    match cli.command {
        Command::Check {
            path,
            format,
            deny_warnings,
        } => cli::check::check(&path, format, deny_warnings),
        Command::Fix { path, dry_run } => cli::fix::fix(&path, dry_run),
        Command::Build { path, out, only } => cli::build::build(&path, &out, &only),
        Command::Serve { path, port, out } => cli::build::serve(path, port, out),
        Command::Import {
            format: ImportFormat::Oscal { file, out },
        } => cli::import::oscal(&file, &out),
        Command::Schema { diff } => {
            if diff {
                cli::stdout(guideline::diff::schema_json());
            } else {
                cli::stdout(guideline::render::catalog::schema_json());
            }
            ExitCode::SUCCESS
        }
        Command::Diff {
            old,
            new,
            git,
            format,
            output,
        } => cli::diff::diff(old, new, git.as_deref(), format, output.as_deref()),
        Command::Explain { code } => cli::explain::explain(code.as_deref()),
        Command::Lsp => match guideline::lsp::run() {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: language server: {e:#}");
                ExitCode::from(EXIT_USAGE)
            }
        },
        Command::Applies {
            path,
            preset,
            answers,
            format,
            output,
        } => cli::applies::applies(
            &path,
            preset.as_deref(),
            &answers,
            format,
            output.as_deref(),
        ),
        Command::Disclosure { action } => match action {
            DisclosureAction::Init {
                path,
                out,
                preset,
                product,
                vendor,
            } => cli::disclosure::init(&path, &out, preset.as_deref(), &product, &vendor),
            DisclosureAction::Check {
                file,
                path,
                format,
                deny_warnings,
                preset,
                answers,
            } => cli::disclosure::check(
                &file,
                &path,
                format,
                deny_warnings,
                preset.as_deref(),
                &answers,
            ),
            DisclosureAction::Migrate {
                file,
                from,
                to,
                out,
            } => cli::disclosure::migrate(&file, &from, &to, &out),
            DisclosureAction::Render {
                file,
                path,
                format,
                lang,
                output,
            } => cli::disclosure::render(&file, &path, format, lang, &output),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The allocator's initialiser reads the command before clap does: its names must be
    /// subcommands.
    #[test]
    fn the_eagerly_committing_commands_are_subcommands() {
        let cli = <Cli as clap::CommandFactory>::command();
        for name in EAGER_COMMIT_COMMANDS {
            assert!(
                cli.find_subcommand(name).is_some(),
                "{name} is no subcommand"
            );
        }
    }
}
