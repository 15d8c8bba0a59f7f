//! `guideline disclosure`: a vendor's answers to an edition: write one, check it, carry it
//! to a new edition, render it.

use std::path::Path;
use std::process::ExitCode;

use super::{findings, load_sound, print_as, refuse, run, write_new, write_output, FindingsFormat};
use crate::diagnostic::{self, Diagnostic, Severity};
use crate::disclosure::{self as answers, Disclosure};
use crate::model::Lang;
use crate::source::SourceSet;

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum DisclosureFormat {
    Xlsx,
    Html,
    Pdf,
    Oscal,
}

/// The language of a disclosure's HTML page.
#[derive(Clone, Copy, clap::ValueEnum)]
pub enum RenderLang {
    Ja,
    En,
}

impl From<RenderLang> for Lang {
    fn from(lang: RenderLang) -> Lang {
        match lang {
            RenderLang::Ja => Lang::Ja,
            RenderLang::En => Lang::En,
        }
    }
}

/// `disclosure init`: every control (or every control of a preset) unanswered.
pub fn init(
    path: &Path,
    out: &Path,
    preset: Option<&str>,
    product: &str,
    vendor: &str,
) -> ExitCode {
    run(|| {
        let g = &load_sound(path)?;
        let preset = match preset {
            Some(name) => Some(
                g.applicability
                    .as_ref()
                    .and_then(|a| a.presets.iter().find(|p| p.id == name))
                    .ok_or_else(|| {
                        refuse(format_args!("{} has no preset `{name}`", path.display()))
                    })?,
            ),
            None => None,
        };
        let text = answers::init(g, preset, product, vendor, &answers::today());
        write_new(out, text.as_bytes())?;
        let count = text.matches("\n[answers.").count();
        eprintln!("wrote {} ({count} controls to answer)", out.display());
        Ok(ExitCode::SUCCESS)
    })
}

/// `disclosure check`: findings G0601-G0611 in the disclosure, like `check`; with a preset
/// or answers, also what applies to that reader and is answered no or left open.
pub fn check(
    file: &Path,
    path: &Path,
    format: FindingsFormat,
    deny_warnings: bool,
    preset: Option<&str>,
    given: &[String],
) -> ExitCode {
    run(|| {
        let g = &load_sound(path)?;
        let (d, mut found) = read(file)?;
        let reader = if preset.is_some() || !given.is_empty() {
            let Some(a) = &g.applicability else {
                return Err(refuse(format_args!(
                    "{} declares no questions to answer",
                    path.display()
                )));
            };
            Some(crate::applicability::answers_from(a, preset, given).map_err(refuse)?)
        } else {
            None
        };
        let who = preset.unwrap_or("these answers");
        found.extend(crate::disclosure::check::check(
            &d,
            g,
            reader.as_ref().map(|a| (who, a)),
            &answers::today(),
        ));
        diagnostic::sort(&mut found);
        print_as(format, &found, &sources(&d));
        if let (FindingsFormat::Human, true) = (format, found.is_empty()) {
            eprintln!(
                "checked {} against {} edition {}: {} answers, no findings",
                file.display(),
                path.display(),
                g.manifest.edition,
                d.entries.len()
            );
        }
        let errors = found.iter().any(|f| f.severity == Severity::Error);
        Ok(if errors || (deny_warnings && !found.is_empty()) {
            findings()
        } else {
            ExitCode::SUCCESS
        })
    })
}

/// `disclosure migrate`: carries a disclosure of the `from` edition to the `to` edition;
/// answers whose control changed are marked for review.
pub fn migrate(file: &Path, from: &Path, to: &Path, out: &Path) -> ExitCode {
    run(|| {
        let old_g = &load_sound(from)?;
        let new_g = &load_sound(to)?;
        let d = read_readable(file)?;
        let digest = answers::catalog_digest(old_g);
        let answers_old = d
            .edition
            .as_ref()
            .is_some_and(|e| e.value == old_g.manifest.edition)
            && d.digest.as_ref().is_some_and(|x| x.value == digest);
        if !answers_old {
            return Err(refuse(format_args!(
                "{} does not answer {} (edition {}, digest {digest}); migrate starts from a disclosure of the --from edition",
                file.display(),
                from.display(),
                old_g.manifest.edition
            )));
        }
        let text = answers::migrate::migrate(&d, old_g, new_g, &answers::today());
        write_new(out, text.as_bytes())?;
        let review = text.matches("\nreview = ").count();
        eprintln!(
            "wrote {}: {review} answers to review (`guideline disclosure check {}` lists them)",
            out.display(),
            out.display()
        );
        Ok(ExitCode::SUCCESS)
    })
}

/// `disclosure render`: the answers as a workbook, a page, a PDF or an OSCAL component
/// definition.
pub fn render(
    file: &Path,
    path: &Path,
    format: DisclosureFormat,
    lang: RenderLang,
    output: &Path,
) -> ExitCode {
    run(|| {
        let g = &load_sound(path)?;
        let d = read_readable(file)?;
        if d.edition
            .as_ref()
            .is_none_or(|e| e.value != g.manifest.edition)
        {
            return Err(refuse(format_args!(
                "{} does not answer edition {} of {}; `guideline disclosure migrate` carries it over",
                file.display(),
                g.manifest.edition,
                path.display()
            )));
        }
        if output.extension().is_some_and(|e| e == "toml") {
            return Err(refuse(format_args!(
                "{} looks like a disclosure; render writes .xlsx, .html, .pdf or .json",
                output.display()
            )));
        }
        let bytes = match format {
            DisclosureFormat::Xlsx => answers::render::xlsx(&d, g)
                .map_err(|e| refuse(format_args!("cannot write the workbook: {e}")))?,
            DisclosureFormat::Html => answers::render::html(&d, g, lang.into()).into_bytes(),
            DisclosureFormat::Oscal => answers::render::oscal(&d, g).into_bytes(),
            DisclosureFormat::Pdf => {
                let fonts = crate::typeset::Fonts::system();
                answers::render::pdf(&d, g, &fonts)
                    .map_err(|e| refuse(format_args!("cannot typeset the PDF: {e:#}")))?
            }
        };
        write_output(Some(output), &bytes)?;
        eprintln!("wrote {} ({} bytes)", output.display(), bytes.len());
        Ok(ExitCode::SUCCESS)
    })
}

fn sources(d: &Disclosure) -> SourceSet {
    let mut sources = SourceSet::default();
    sources.add(d.file.clone());
    sources
}

/// Reads a disclosure file; an unreadable one is a usage error.
fn read(file: &Path) -> Result<(Disclosure, Vec<Diagnostic>), ExitCode> {
    let text = crate::source::read_input(file).map_err(refuse)?;
    Ok(answers::parse(file, text))
}

/// Reads a disclosure that must be readable as one (`migrate` and `render` work from its
/// answers): its errors are printed and refused.
fn read_readable(file: &Path) -> Result<Disclosure, ExitCode> {
    let (d, found) = read(file)?;
    if found.iter().any(|f| f.severity == Severity::Error) {
        print_as(FindingsFormat::Human, &found, &sources(&d));
        eprintln!("error: {} cannot be read as a disclosure", file.display());
        return Err(findings());
    }
    Ok(d)
}
