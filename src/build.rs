//! `guideline build`: every output from one checked model, written atomically.
//!
//! Outputs are rendered into a staging directory beside `--out` and swapped in only when
//! all of them succeeded, so a failed or interrupted build leaves the previous output as it
//! was; which directories may be replaced, and where files may go, is [`crate::output`]'s
//! job. Nothing here reads source files: renderers get the model.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::model::{Guideline, Lang};
use crate::output;
use crate::render;

/// The outputs `--only` can select.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, clap::ValueEnum)]
pub enum Output {
    Site,
    Pdf,
    Catalog,
    Checklist,
}

impl Output {
    pub const ALL: [Output; 4] = [
        Output::Site,
        Output::Pdf,
        Output::Catalog,
        Output::Checklist,
    ];
}

/// One written output and its size, for the build report.
#[derive(Debug, Clone)]
pub struct Written {
    pub path: PathBuf,
    pub size: Size,
}

/// How big an output is: files in bytes, the website in pages.
#[derive(Debug, Clone, Copy)]
pub enum Size {
    Bytes(usize),
    Pages(usize),
}

impl std::fmt::Display for Size {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Size::Bytes(n) => write!(f, "{n} bytes"),
            Size::Pages(n) => write!(f, "{n} pages"),
        }
    }
}

/// Why a build did not happen or did not finish.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// The output directory is not ours to replace; nothing was written.
    #[error(transparent)]
    Refused(#[from] output::Refusal),
    /// Rendering or writing failed; the previous output is as it was.
    #[error(transparent)]
    Failed(#[from] anyhow::Error),
}

/// Renders the selected outputs of the guideline at `source` into a staging directory,
/// then swaps it into `out`. `out` must be absent, empty or an earlier build's output.
pub fn build(
    g: &Guideline,
    previous: Option<&Guideline>,
    source: &Path,
    out: &Path,
    only: &BTreeSet<Output>,
) -> Result<Vec<Written>, BuildError> {
    output::claim(out, source)?;
    // Typesetting is the longest step and needs no disk: it runs on its own thread while the
    // other outputs are written, and the output is swapped in only when both succeeded.
    std::thread::scope(|s| {
        let pdf = only
            .contains(&Output::Pdf)
            .then(|| s.spawn(|| render::pdf::render(g, &crate::typeset::Fonts::system())));
        let staging = output::Staging::new(out).with_context(|| {
            format!("cannot create a staging directory beside {}", out.display())
        })?;
        let rendered = render_into(g, previous, &staging, out, only).and_then(|mut written| {
            if let Some(pdf) = pdf {
                let bytes = pdf
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
                    .context("cannot typeset the PDF")?;
                staging.write("guideline.pdf", &bytes).with_context(|| {
                    format!("cannot write {}", out.join("guideline.pdf").display())
                })?;
                written.push(Written {
                    path: out.join("guideline.pdf"),
                    size: Size::Bytes(bytes.len()),
                });
            }
            Ok(written)
        });
        match rendered {
            Ok(mut written) => {
                staging
                    .commit()
                    .with_context(|| format!("cannot move the new output to {}", out.display()))?;
                written.sort_by(|a, b| a.path.cmp(&b.path));
                Ok(written)
            }
            Err(e) => {
                staging.abandon();
                Err(e.into())
            }
        }
    })
}

fn render_into(
    g: &Guideline,
    previous: Option<&Guideline>,
    staging: &output::Staging,
    out: &Path,
    only: &BTreeSet<Output>,
) -> Result<Vec<Written>> {
    let mut written = Vec::new();
    let mut put = |rel: &str, bytes: &[u8]| -> Result<()> {
        staging
            .write(rel, bytes)
            .with_context(|| format!("cannot write {}", out.join(rel).display()))?;
        written.push(Written {
            path: out.join(rel),
            size: Size::Bytes(bytes.len()),
        });
        Ok(())
    };
    if only.contains(&Output::Catalog) {
        // The three are independent and large for a big catalog: one thread each.
        let (catalog, oscal_ja, oscal_en) = std::thread::scope(|s| {
            let ja = s.spawn(|| render::oscal::to_json(&render::oscal::build(g, Lang::Ja)));
            let en = s.spawn(|| render::oscal::to_json(&render::oscal::build(g, Lang::En)));
            let catalog = render::catalog::to_json(&render::catalog::build(g));
            (
                catalog,
                ja.join().expect("the OSCAL export does not panic"),
                en.join().expect("the OSCAL export does not panic"),
            )
        });
        put("catalog.json", catalog.as_bytes())?;
        put(
            "schema/catalog.schema.json",
            render::catalog::schema_json().as_bytes(),
        )?;
        put("catalog.oscal.json", oscal_ja.as_bytes())?;
        put("catalog.oscal.en.json", oscal_en.as_bytes())?;
        // Each preset of applicability.toml as an OSCAL profile of the catalog.
        for preset in g.applicability.iter().flat_map(|a| &a.presets) {
            put(
                &format!("profiles/{}.oscal.json", preset.id),
                render::oscal::profile(g, preset).as_bytes(),
            )?;
        }
    }
    if only.contains(&Output::Checklist) {
        put("checklist.csv", &render::checklist::csv(g))?;
        put(
            "checklist.xlsx",
            &render::checklist::xlsx(g).context("cannot write checklist.xlsx")?,
        )?;
    }
    if only.contains(&Output::Site) {
        let history =
            previous.map(|old| (crate::diff::diff(old, g), old.manifest.title.ja.clone()));
        let site = staging.join("site")?;
        std::fs::create_dir_all(&site)?;
        let report = render::site::build(g, history.as_ref().map(|(d, t)| (d, t.as_str())), &site)
            .context("cannot build the website")?;
        written.push(Written {
            path: out.join("site"),
            size: Size::Pages(report.pages),
        });
        for (lang, bytes) in report.search_bytes {
            written.push(Written {
                path: out.join(format!("site/{lang}/search/{lang}.bin")),
                size: Size::Bytes(bytes),
            });
        }
    }
    Ok(written)
}
