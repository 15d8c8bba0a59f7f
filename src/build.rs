//! `guideline build`: every output from one checked model, written atomically.
//!
//! Outputs are rendered into a temporary directory beside `--out` and swapped in only when
//! all of them succeeded, so a failed or interrupted build leaves the previous output as it
//! was. Nothing here reads source files: renderers get the model.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::model::{Guideline, Lang};
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

/// Renders the selected outputs into a staging directory, then swaps it into `out`.
pub fn build(
    g: &Guideline,
    previous: Option<&Guideline>,
    out: &Path,
    only: &BTreeSet<Output>,
) -> Result<Vec<Written>> {
    // Typeset first: it is the step most likely to fail (fonts), and it needs no disk.
    let pdf = if only.contains(&Output::Pdf) {
        Some(
            render::pdf::render(g, &render::pdf::Fonts::system())
                .context("cannot typeset the PDF")?,
        )
    } else {
        None
    };
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent)
        .with_context(|| format!("cannot create {}", parent.display()))?;
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    let staging = tempfile::Builder::new()
        .prefix(&format!(".{name}.building-"))
        .tempdir_in(&parent)
        .with_context(|| format!("cannot create a staging directory in {}", parent.display()))?;
    let mut written = Vec::new();
    let mut put = |rel: &str, bytes: &[u8]| -> Result<()> {
        let path = staging.path().join(rel);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(&path, bytes).with_context(|| format!("cannot write {}", path.display()))?;
        written.push(Written {
            path: out.join(rel),
            size: Size::Bytes(bytes.len()),
        });
        Ok(())
    };
    if only.contains(&Output::Catalog) {
        let catalog = render::catalog::build(g);
        put(
            "catalog.json",
            render::catalog::to_json(&catalog).as_bytes(),
        )?;
        put(
            "schema/catalog.schema.json",
            render::catalog::schema_json().as_bytes(),
        )?;
        put(
            "catalog.oscal.json",
            render::oscal::to_json(&render::oscal::build(g, Lang::Ja)).as_bytes(),
        )?;
        put(
            "catalog.oscal.en.json",
            render::oscal::to_json(&render::oscal::build(g, Lang::En)).as_bytes(),
        )?;
    }
    if only.contains(&Output::Checklist) {
        put("checklist.csv", &render::checklist::csv(g))?;
        put(
            "checklist.xlsx",
            &render::checklist::xlsx(g).context("cannot write checklist.xlsx")?,
        )?;
    }
    if let Some(pdf) = &pdf {
        put("guideline.pdf", pdf)?;
    }
    if only.contains(&Output::Site) {
        let history =
            previous.map(|old| (crate::diff::diff(old, g), old.manifest.title.ja.clone()));
        let site = staging.path().join("site");
        std::fs::create_dir_all(&site)?;
        let report = render::site::build(g, history.as_ref().map(|(d, t)| (d, t.as_str())), &site)
            .context("cannot build the website")?;
        written.push(Written {
            path: out.join("site"),
            size: Size::Pages(report.pages),
        });
        for (lang, bytes) in report.search_bytes {
            written.push(Written {
                path: out.join(format!("site/{lang}/search/{lang}.json+bin")),
                size: Size::Bytes(bytes),
            });
        }
    }
    swap_in(staging.keep(), out)?;
    written.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(written)
}

/// Replaces `out` with `staging`: the old output is moved aside first and removed last, so
/// at every moment one complete output exists on disk.
fn swap_in(staging: PathBuf, out: &Path) -> Result<()> {
    if out.exists() {
        let aside = out.with_file_name(format!(
            ".{}.previous",
            out.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        ));
        if aside.exists() {
            std::fs::remove_dir_all(&aside).ok();
        }
        std::fs::rename(out, &aside)
            .with_context(|| format!("cannot move {} aside", out.display()))?;
        std::fs::rename(&staging, out)
            .with_context(|| format!("cannot move the new output to {}", out.display()))?;
        std::fs::remove_dir_all(&aside).ok();
    } else {
        std::fs::rename(&staging, out)
            .with_context(|| format!("cannot move the new output to {}", out.display()))?;
    }
    Ok(())
}
