//! The `guideline` command line: cargo-style subcommands over the library.

use std::io::IsTerminal;

/// mimalloc: the tool allocates many small strings and JSON values, where it is markedly
/// faster than the system allocator (measured in `cargo bench --bench check` and
/// `scripts/bench-oscal.sh`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_arena_eager_commit` in mimalloc's `mi_option_e` (libmimalloc-sys names no
/// constant for it).
const MI_OPTION_ARENA_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 4;

/// mimalloc commits each arena's memory up front by default, which nearly doubles the peak
/// resident size of a short run such as `check` (41 MB against 23 MB) for no speed. The
/// option must be set before the first allocation, so it is set from the loader's list of
/// initialisers, which runs before the Rust runtime starts (and allocates).
#[cfg(target_os = "linux")]
#[used]
#[link_section = ".init_array"]
static LAZY_ARENA_COMMIT: extern "C" fn() = {
    extern "C" fn set() {
        // SAFETY: sets a process-wide option of the allocator before any thread exists.
        unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_ARENA_EAGER_COMMIT, 0) }
    }
    set
};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use guideline::check::{check_dir, Checked};
use guideline::diagnostic;
use guideline::lint;

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
        /// Old edition: a directory (omit with --git-old)
        old: Option<PathBuf>,
        /// New edition: a directory (omit with --git-new)
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

#[derive(Clone, Copy, ValueEnum)]
enum RenderLang {
    Ja,
    En,
}

#[derive(Clone, Copy, ValueEnum)]
enum DisclosureFormat {
    Xlsx,
    Html,
    Pdf,
    Oscal,
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

#[derive(Clone, Copy, ValueEnum)]
enum DiffFormat {
    Text,
    Json,
    Md,
    Html,
    Pdf,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum AppliesFormat {
    Text,
    Json,
    Csv,
    Xlsx,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Human,
    Json,
    Sarif,
}

/// Exit statuses, as documented in the README.
const EXIT_FINDINGS: u8 = 1;
const EXIT_USAGE: u8 = 2;

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
        } => check(&path, format, deny_warnings),
        Command::Fix { path, dry_run } => fix(&path, dry_run),
        Command::Build { path, out, only } => build(&path, &out, &only),
        Command::Serve { path, port, out } => serve(path, port, out),
        Command::Import {
            format: ImportFormat::Oscal { file, out },
        } => import_oscal(&file, &out),
        Command::Schema { diff } => {
            if diff {
                print!("{}", guideline::diff::schema_json());
            } else {
                print!("{}", guideline::render::catalog::schema_json());
            }
            ExitCode::SUCCESS
        }
        Command::Diff {
            old,
            new,
            git,
            format,
            output,
        } => diff(old, new, git, format, output),
        Command::Explain { code } => explain(code.as_deref()),
        Command::Disclosure { action } => disclosure(action),
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
        } => applies(
            &path,
            preset.as_deref(),
            &answers,
            format,
            output.as_deref(),
        ),
    }
}

/// `guideline applies`: the controls that apply to a reader's answers.
/// Loads the guideline a disclosure answers. Its text may have findings (edition 5.2 has
/// the lock-in that started this project, and vendors answer it as published), but its
/// structure must be sound: no error of the G00xx range, which the loader reports.
fn load_clean(path: &Path) -> Result<Checked, ExitCode> {
    let checked = load(path)?;
    let broken = checked
        .diagnostics
        .iter()
        .any(|d| d.severity == diagnostic::Severity::Error && lint::is_structural(d.code));
    if checked.guideline.is_none() || broken {
        print_findings(&checked);
        eprintln!(
            "error: {}: `guideline check` reports errors in its structure",
            path.display()
        );
        return Err(ExitCode::from(EXIT_FINDINGS));
    }
    Ok(checked)
}

/// Reads a disclosure file; an unreadable one is a usage error.
fn read_disclosure(
    file: &Path,
) -> Result<
    (
        guideline::disclosure::Disclosure,
        Vec<diagnostic::Diagnostic>,
    ),
    ExitCode,
> {
    match std::fs::read(file) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => Ok(guideline::disclosure::parse(file, text)),
            Err(_) => {
                eprintln!("error: {} is not UTF-8 text", file.display());
                Err(ExitCode::from(EXIT_USAGE))
            }
        },
        Err(e) => {
            eprintln!("error: cannot read {}: {e}", file.display());
            Err(ExitCode::from(EXIT_USAGE))
        }
    }
}

/// Reads a disclosure that must be readable as one (`migrate` and `render` work from its
/// answers): its G0601 errors are printed and refused.
fn read_readable_disclosure(file: &Path) -> Result<guideline::disclosure::Disclosure, ExitCode> {
    let (d, findings) = read_disclosure(file)?;
    if findings
        .iter()
        .any(|f| f.severity == diagnostic::Severity::Error)
    {
        let mut sources = guideline::source::SourceSet::default();
        sources.add(d.file.clone());
        eprint!("{}", diagnostic::render_human(&findings, &sources, color()));
        eprintln!("error: {} cannot be read as a disclosure", file.display());
        return Err(ExitCode::from(EXIT_FINDINGS));
    }
    Ok(d)
}

/// Writes a new file, refusing to replace one that exists (a disclosure is the vendor's work).
fn write_new(path: &Path, bytes: &[u8]) -> Result<(), ExitCode> {
    use std::io::Write;
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path);
    match file.and_then(|mut f| f.write_all(bytes)) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            eprintln!(
                "error: {} exists; choose another file (nothing was written)",
                path.display()
            );
            Err(ExitCode::from(EXIT_USAGE))
        }
        Err(e) => {
            eprintln!("error: cannot write {}: {e}", path.display());
            Err(ExitCode::from(EXIT_USAGE))
        }
    }
}

fn disclosure(action: DisclosureAction) -> ExitCode {
    let run = || -> Result<ExitCode, ExitCode> {
        match action {
            DisclosureAction::Init {
                path,
                out,
                preset,
                product,
                vendor,
            } => {
                let checked = load_clean(&path)?;
                let g = checked.guideline.as_ref().expect("checked clean");
                let preset = match preset {
                    Some(name) => {
                        let found = g
                            .applicability
                            .as_ref()
                            .and_then(|a| a.presets.iter().find(|p| p.id == name));
                        match found {
                            Some(p) => Some(p),
                            None => {
                                eprintln!("error: {} has no preset `{name}`", path.display());
                                return Err(ExitCode::from(EXIT_USAGE));
                            }
                        }
                    }
                    None => None,
                };
                let text = guideline::disclosure::init(
                    g,
                    preset,
                    &product,
                    &vendor,
                    &guideline::disclosure::today(),
                );
                write_new(&out, text.as_bytes())?;
                let count = text.matches("\n[answers.").count();
                eprintln!("wrote {} ({count} controls to answer)", out.display());
                Ok(ExitCode::SUCCESS)
            }
            DisclosureAction::Check {
                file,
                path,
                format,
                deny_warnings,
                preset,
                answers,
            } => {
                let checked = load_clean(&path)?;
                let g = checked.guideline.as_ref().expect("checked clean");
                let (d, mut findings) = read_disclosure(&file)?;
                let reader = if preset.is_some() || !answers.is_empty() {
                    let Some(a) = &g.applicability else {
                        eprintln!("error: {} declares no questions to answer", path.display());
                        return Err(ExitCode::from(EXIT_USAGE));
                    };
                    match guideline::applicability::answers_from(a, preset.as_deref(), &answers) {
                        Ok(a) => Some(a),
                        Err(why) => {
                            eprintln!("error: {why}");
                            return Err(ExitCode::from(EXIT_USAGE));
                        }
                    }
                } else {
                    None
                };
                let who = preset
                    .clone()
                    .unwrap_or_else(|| "these answers".to_string());
                findings.extend(guideline::disclosure::check::check(
                    &d,
                    g,
                    reader.as_ref().map(|a| (who.as_str(), a)),
                    &guideline::disclosure::today(),
                ));
                diagnostic::sort(&mut findings);
                let mut sources = guideline::source::SourceSet::default();
                sources.add(d.file.clone());
                match format {
                    Format::Human => {
                        eprint!("{}", diagnostic::render_human(&findings, &sources, color()));
                        if findings.is_empty() {
                            eprintln!(
                                "checked {} against {} edition {}: {} answers, no findings",
                                file.display(),
                                path.display(),
                                g.manifest.edition,
                                d.entries.len()
                            );
                        }
                    }
                    Format::Json => print!("{}", diagnostic::render_json(&findings)),
                    Format::Sarif => {
                        let rules: Vec<_> =
                            lint::ALL.iter().map(|l| (l.code, l.name, l.doc)).collect();
                        let base = std::env::current_dir().unwrap_or_default();
                        print!("{}", diagnostic::render_sarif(&findings, &rules, &base));
                    }
                }
                let errors = findings
                    .iter()
                    .filter(|f| f.severity == diagnostic::Severity::Error)
                    .count();
                let failed = errors > 0 || (deny_warnings && !findings.is_empty());
                Ok(if failed {
                    ExitCode::from(EXIT_FINDINGS)
                } else {
                    ExitCode::SUCCESS
                })
            }
            DisclosureAction::Migrate {
                file,
                from,
                to,
                out,
            } => {
                let old = load_clean(&from)?;
                let new = load_clean(&to)?;
                let d = read_readable_disclosure(&file)?;
                let old_g = old.guideline.as_ref().expect("checked clean");
                let digest = guideline::disclosure::catalog_digest(old_g);
                let answers_old = d
                    .edition
                    .as_ref()
                    .is_some_and(|e| e.value == old_g.manifest.edition)
                    && d.digest.as_ref().is_some_and(|x| x.value == digest);
                if !answers_old {
                    eprintln!(
                        "error: {} does not answer {} (edition {}, digest {digest}); migrate starts from a disclosure of the --from edition",
                        file.display(),
                        from.display(),
                        old_g.manifest.edition
                    );
                    return Err(ExitCode::from(EXIT_USAGE));
                }
                let text = guideline::disclosure::migrate::migrate(
                    &d,
                    old_g,
                    new.guideline.as_ref().expect("checked clean"),
                    &guideline::disclosure::today(),
                );
                write_new(&out, text.as_bytes())?;
                let review = text.matches("\nreview = ").count();
                eprintln!(
                    "wrote {}: {review} answers to review (`guideline disclosure check {}` lists them)",
                    out.display(),
                    out.display()
                );
                Ok(ExitCode::SUCCESS)
            }
            DisclosureAction::Render {
                file,
                path,
                format,
                lang,
                output,
            } => {
                let checked = load_clean(&path)?;
                let g = checked.guideline.as_ref().expect("checked clean");
                let d = read_readable_disclosure(&file)?;
                if d.edition
                    .as_ref()
                    .is_none_or(|e| e.value != g.manifest.edition)
                {
                    eprintln!(
                        "error: {} does not answer edition {} of {}; `guideline disclosure migrate` carries it over",
                        file.display(),
                        g.manifest.edition,
                        path.display()
                    );
                    return Err(ExitCode::from(EXIT_USAGE));
                }
                let lang = match lang {
                    RenderLang::En => guideline::model::Lang::En,
                    RenderLang::Ja => guideline::model::Lang::Ja,
                };
                if output.extension().is_some_and(|e| e == "toml") {
                    eprintln!(
                        "error: {} looks like a disclosure; render writes .xlsx, .html or .json",
                        output.display()
                    );
                    return Err(ExitCode::from(EXIT_USAGE));
                }
                let bytes = match format {
                    DisclosureFormat::Xlsx => match guideline::disclosure::render::xlsx(&d, g) {
                        Ok(b) => b,
                        Err(e) => {
                            eprintln!("error: cannot write the workbook: {e}");
                            return Err(ExitCode::from(EXIT_USAGE));
                        }
                    },
                    DisclosureFormat::Html => {
                        guideline::disclosure::render::html(&d, g, lang).into_bytes()
                    }
                    DisclosureFormat::Oscal => {
                        guideline::disclosure::render::oscal(&d, g).into_bytes()
                    }
                    DisclosureFormat::Pdf => {
                        let fonts = guideline::typeset::Fonts::system();
                        match guideline::disclosure::render::pdf(&d, g, &fonts) {
                            Ok(b) => b,
                            Err(e) => {
                                eprintln!("error: cannot typeset the PDF: {e:#}");
                                return Err(ExitCode::from(EXIT_USAGE));
                            }
                        }
                    }
                };
                if let Err(e) = std::fs::write(&output, &bytes) {
                    eprintln!("error: cannot write {}: {e}", output.display());
                    return Err(ExitCode::from(EXIT_USAGE));
                }
                eprintln!("wrote {} ({} bytes)", output.display(), bytes.len());
                Ok(ExitCode::SUCCESS)
            }
        }
    };
    match run() {
        Ok(code) | Err(code) => code,
    }
}

fn applies(
    path: &Path,
    preset: Option<&str>,
    given: &[String],
    format: AppliesFormat,
    output: Option<&Path>,
) -> ExitCode {
    let checked = match load(path) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let (Some(g), 0) = (&checked.guideline, checked.errors()) else {
        print_findings(&checked);
        eprintln!(
            "error: {}: `guideline check` reports errors",
            path.display()
        );
        return ExitCode::from(EXIT_FINDINGS);
    };
    let Some(a) = &g.applicability else {
        eprintln!(
            "error: {} has no {}: it declares no questions to answer",
            path.display(),
            guideline::applicability::FILE
        );
        return ExitCode::from(EXIT_USAGE);
    };
    let answers = match guideline::applicability::answers_from(a, preset, given) {
        Ok(a) => a,
        Err(why) => {
            eprintln!("error: {why}");
            eprintln!("  help: give --preset NAME, or --answer KEY=VALUE for every question:");
            for q in &a.questions {
                eprintln!("    {} = {}    ({})", q.id, q.values().join(" | "), q.en);
            }
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let bytes = match format {
        AppliesFormat::Text => guideline::render::checklist::applies_text(g, &answers).into_bytes(),
        AppliesFormat::Json => {
            guideline::render::checklist::applies_json(g, &answers, preset).into_bytes()
        }
        AppliesFormat::Csv => guideline::render::checklist::applies_csv(g, &answers),
        AppliesFormat::Xlsx => {
            let Some(_) = output else {
                eprintln!("error: --format xlsx needs --output FILE");
                return ExitCode::from(EXIT_USAGE);
            };
            let name = preset.unwrap_or("自己点検");
            match guideline::render::checklist::applies_xlsx(g, &answers, name) {
                Ok(b) => b,
                Err(e) => {
                    eprintln!("error: cannot write the workbook: {e}");
                    return ExitCode::from(EXIT_USAGE);
                }
            }
        }
    };
    let count = g.applying(&answers).count();
    let total = g.controls().count();
    match output {
        Some(file) => {
            if let Err(e) = std::fs::write(file, &bytes) {
                eprintln!("error: cannot write {}: {e}", file.display());
                return ExitCode::from(EXIT_USAGE);
            }
        }
        None => {
            use std::io::Write as _;
            let _ = std::io::stdout().write_all(&bytes);
        }
    }
    eprintln!("{count} of {total} controls apply");
    ExitCode::SUCCESS
}

fn color() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// Prints a check's findings, rustc-style, to standard error.
fn print_findings(checked: &Checked) {
    let empty = guideline::source::SourceSet::default();
    let sources = checked.guideline.as_ref().map_or(&empty, |g| &g.sources);
    eprint!(
        "{}",
        diagnostic::render_human(&checked.diagnostics, sources, color())
    );
}

fn load(path: &Path) -> Result<Checked, ExitCode> {
    check_dir(path).map_err(|e| {
        eprintln!("error: {e}");
        ExitCode::from(EXIT_USAGE)
    })
}

fn check(path: &Path, format: Format, deny_warnings: bool) -> ExitCode {
    let checked = match load(path) {
        Ok(c) => c,
        Err(code) => return code,
    };
    match format {
        Format::Human => {
            print_findings(&checked);
            if checked.diagnostics.is_empty() {
                if let Some(g) = &checked.guideline {
                    let controls = g.controls().count();
                    eprintln!(
                        "checked {}: {} parts, {} chapters, {} controls, {} technologies: no findings",
                        path.display(),
                        g.parts.len(),
                        g.chapters().count(),
                        controls,
                        g.registry.technologies.len()
                    );
                }
            }
        }
        Format::Json => print!("{}", diagnostic::render_json(&checked.diagnostics)),
        Format::Sarif => {
            let rules: Vec<_> = lint::ALL.iter().map(|l| (l.code, l.name, l.doc)).collect();
            let base = std::env::current_dir().unwrap_or_default();
            print!(
                "{}",
                diagnostic::render_sarif(&checked.diagnostics, &rules, &base)
            );
        }
    }
    let failed = checked.errors() > 0 || (deny_warnings && checked.warnings() > 0);
    // The process ends here: tearing down a large model allocation by allocation would only
    // add time the editor waits for.
    std::mem::forget(checked);
    if failed {
        ExitCode::from(EXIT_FINDINGS)
    } else {
        ExitCode::SUCCESS
    }
}

fn fix(path: &Path, dry_run: bool) -> ExitCode {
    let checked = match load(path) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let Some(g) = &checked.guideline else {
        print_findings(&checked);
        return ExitCode::from(EXIT_FINDINGS);
    };
    let plan = guideline::fix::plan(g);
    let (mut count, mut replaced) = (0, 0);
    for (file, (text, edits)) in &plan {
        for e in edits {
            let what = match &e.change {
                guideline::fix::Change::Tagged { technology } => {
                    count += 1;
                    format!("tagged 「{}」 as example:{technology}", e.text)
                }
                guideline::fix::Change::Replaced { preferred } => {
                    replaced += 1;
                    format!(
                        "replaced 「{}」 with the glossary's 「{preferred}」",
                        e.text
                    )
                }
            };
            println!("{}:{}:{}: {what}", e.file.display(), e.line, e.column);
        }
        if !dry_run {
            if let Err(e) = guideline::fix::write_atomic(file, text.as_bytes()) {
                eprintln!("error: cannot write {}: {e}", file.display());
                return ExitCode::from(EXIT_USAGE);
            }
        }
    }
    let verb = if dry_run { "would tag" } else { "tagged" };
    println!(
        "{verb} {count} mention{} in {} file{}",
        plural(count),
        plan.len(),
        plural(plan.len())
    );
    if replaced > 0 {
        let verb = if dry_run { "would replace" } else { "replaced" };
        println!(
            "{verb} {replaced} variant spelling{} of glossary terms",
            plural(replaced)
        );
    }
    ExitCode::SUCCESS
}

fn build(path: &Path, out: &Path, only: &[guideline::build::Output]) -> ExitCode {
    let checked = match load(path) {
        Ok(c) => c,
        Err(code) => return code,
    };
    print_findings(&checked);
    let (Some(g), 0) = (&checked.guideline, checked.errors()) else {
        eprintln!(
            "error: not building {}: `guideline check` reports errors",
            path.display()
        );
        return ExitCode::from(EXIT_FINDINGS);
    };
    let only: std::collections::BTreeSet<_> = if only.is_empty() {
        guideline::build::Output::ALL.into_iter().collect()
    } else {
        only.iter().copied().collect()
    };
    let start = std::time::Instant::now();
    match guideline::build::build(g, g.previous_edition(), path, out, &only) {
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
        Err(guideline::build::BuildError::Refused(e)) => {
            eprintln!("error: not building into {}: {e}", out.display());
            ExitCode::from(EXIT_USAGE)
        }
        Err(guideline::build::BuildError::Failed(e)) => {
            eprintln!(
                "error: build failed, {} left as it was: {e:#}",
                out.display()
            );
            ExitCode::from(EXIT_USAGE)
        }
    }
}

fn serve(path: PathBuf, port: u16, out: PathBuf) -> ExitCode {
    let only = [guideline::build::Output::Site];
    let status = build(&path, &out, &only);
    if status != ExitCode::SUCCESS {
        eprintln!("note: fix the findings; the preview starts once the guideline builds");
    }
    let (watch, target) = (path.clone(), out.clone());
    let rebuild = move || {
        eprintln!("change detected, rebuilding…");
        let _ = build(&watch, &target, &only);
    };
    match guideline::serve::serve(&path, out.join("site"), port, rebuild) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(EXIT_USAGE)
        }
    }
}

fn import_oscal(file: &Path, out: &Path) -> ExitCode {
    let text = match std::fs::read_to_string(file) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: cannot read {}: {e}", file.display());
            return ExitCode::from(EXIT_USAGE);
        }
    };
    // A file that is not an OSCAL catalog is unreadable input, not a finding.
    let doc = match guideline::import::parse(&text) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: {}: {e:#}", file.display());
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let name = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let imported = match guideline::import::import(&doc, &name) {
        Ok(i) => i,
        Err(e) => {
            eprintln!("error: {}: {e:#}", file.display());
            return ExitCode::from(EXIT_USAGE);
        }
    };
    if let Err(e) = guideline::output::write_new_tree(out, &imported.files) {
        eprintln!("error: {e}");
        return ExitCode::from(EXIT_USAGE);
    }
    for w in &imported.warnings {
        eprintln!("warning: {w}");
    }
    eprintln!(
        "imported {} controls into {} ({} files)",
        imported.controls,
        out.display(),
        imported.files.len()
    );
    ExitCode::SUCCESS
}

/// Loads one side of a diff; any error-level finding stops the diff.
fn load_side(
    side: Result<guideline::load::Loaded, guideline::load::LoadError>,
    what: &str,
) -> Result<guideline::model::Guideline, ExitCode> {
    let loaded = side.map_err(|e| {
        eprintln!("error: {what}: {e}");
        ExitCode::from(EXIT_USAGE)
    })?;
    let checked = guideline::check::lint_loaded(loaded);
    let Some(g) = checked.guideline else {
        print_findings(&checked);
        eprintln!("error: {what} cannot be read as a guideline");
        return Err(ExitCode::from(EXIT_FINDINGS));
    };
    let broken: Vec<_> = checked
        .diagnostics
        .iter()
        .filter(|d| lint::is_unreadable(d.code))
        .cloned()
        .collect();
    if !broken.is_empty() {
        eprint!("{}", diagnostic::render_human(&broken, &g.sources, color()));
        eprintln!("error: {what} has structural errors; fix them before comparing");
        return Err(ExitCode::from(EXIT_FINDINGS));
    }
    Ok(g)
}

fn diff(
    old: Option<PathBuf>,
    new: Option<PathBuf>,
    git: Option<String>,
    format: DiffFormat,
    output: Option<PathBuf>,
) -> ExitCode {
    let (old_side, new_path) = match (git, old, new) {
        (Some(spec), first, second) => {
            let side = guideline::source::RevPath::parse(&spec);
            let new_path = second
                .or(first)
                .unwrap_or_else(|| PathBuf::from(guideline::source::RevPath::DEFAULT_PATH));
            (guideline::load::load_git(&side.rev, &side.path), new_path)
        }
        (None, Some(old), Some(new)) => (guideline::load::load_dir(&old), new),
        _ => {
            eprintln!("error: give OLD and NEW directories, or --git REV[:PATH] and NEW");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let old = match load_side(old_side, "old edition") {
        Ok(g) => g,
        Err(code) => return code,
    };
    let new = match load_side(guideline::load::load_dir(&new_path), "new edition") {
        Ok(g) => g,
        Err(code) => return code,
    };
    let d = guideline::diff::diff(&old, &new);
    let out = match format {
        DiffFormat::Text => guideline::render::diff::text(
            &d,
            std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
        ),
        DiffFormat::Json => guideline::render::diff::json(&d),
        DiffFormat::Md => guideline::render::diff::markdown(&d),
        DiffFormat::Html => {
            guideline::render::diff::html(&d, &old.manifest.title.ja, &new.manifest.title.ja)
        }
        DiffFormat::Pdf => {
            let Some(file) = &output else {
                eprintln!("error: --format pdf needs --output FILE");
                return ExitCode::from(EXIT_USAGE);
            };
            let fonts = guideline::typeset::Fonts::system();
            return match guideline::render::pdf::render_comparison(&d, &old, &new, &fonts)
                .and_then(|pdf| Ok(guideline::fix::write_atomic(file, &pdf)?))
            {
                Ok(()) => {
                    eprintln!("wrote {}", file.display());
                    ExitCode::SUCCESS
                }
                // No fonts, or a file that cannot be written: the output failed, nothing
                // was found in the guideline.
                Err(e) => {
                    eprintln!("error: {e:#}");
                    ExitCode::from(EXIT_USAGE)
                }
            };
        }
    };
    match &output {
        Some(file) => match guideline::fix::write_atomic(file, out.as_bytes()) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: cannot write {}: {e}", file.display());
                ExitCode::from(EXIT_USAGE)
            }
        },
        None => {
            print!("{out}");
            ExitCode::SUCCESS
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn explain(code: Option<&str>) -> ExitCode {
    match code {
        None => {
            for l in lint::ALL {
                let summary = l
                    .documentation()
                    .lines()
                    .nth(1)
                    .unwrap_or_default()
                    .to_string();
                println!(
                    "{}  {:<26} {:<8} {}",
                    l.code,
                    l.name,
                    format!("{:?}", l.severity).to_lowercase(),
                    summary
                );
            }
            ExitCode::SUCCESS
        }
        Some(code) => match lint::find(code) {
            Some(l) => {
                println!(
                    "# {} {} ({:?})\n\n{}",
                    l.code,
                    l.name,
                    l.severity,
                    l.documentation()
                );
                ExitCode::SUCCESS
            }
            None => {
                eprintln!("error: no lint `{code}`; `guideline explain` lists them all");
                ExitCode::from(EXIT_USAGE)
            }
        },
    }
}
