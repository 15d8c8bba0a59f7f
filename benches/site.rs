//! `cargo bench --bench site`: the website build against plain `mdbook build` of the same
//! generated Markdown (same run, same machine), and the PDF build. Aim: the site within
//! 1.5x of plain mdBook.

use std::path::Path;
use std::time::{Duration, Instant};

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("guideline");
    let g = guideline::load::load_dir(&root)
        .expect("shipped guideline")
        .guideline
        .expect("loads");
    let runs = 5;
    let mut ours = Duration::MAX;
    let mut plain = Duration::MAX;
    for _ in 0..runs {
        let out = tempfile::tempdir().unwrap();
        let start = Instant::now();
        guideline::render::site::build(&g, None, out.path()).expect("site builds");
        ours = ours.min(start.elapsed());

        // The same Markdown through mdBook alone: generated once, untimed, then built.
        let work = tempfile::tempdir().unwrap();
        let out2 = tempfile::tempdir().unwrap();
        let prepared =
            guideline::render::site::prepare(&g, None, work.path(), out2.path()).unwrap();
        let start = Instant::now();
        for p in &prepared {
            guideline::render::site::run_mdbook(&p.root).unwrap();
        }
        plain = plain.min(start.elapsed());
    }
    println!(
        "site (ja + en), guideline build: {:.0} ms (best of {runs})",
        ours.as_secs_f64() * 1e3
    );
    println!(
        "site (ja + en), plain mdbook build of the same Markdown: {:.0} ms (best of {runs})",
        plain.as_secs_f64() * 1e3
    );
    println!(
        "ratio: {:.2} (aim: at most 1.5)",
        ours.as_secs_f64() / plain.as_secs_f64()
    );

    let fonts = guideline::render::pdf::Fonts::system();
    let mut pdf = Duration::MAX;
    let mut size = 0;
    for _ in 0..3 {
        let start = Instant::now();
        size = guideline::render::pdf::render(&g, &fonts)
            .expect("PDF builds")
            .len();
        pdf = pdf.min(start.elapsed());
    }
    println!(
        "PDF: {:.0} ms (best of 3), {:.1} MB",
        pdf.as_secs_f64() * 1e3,
        size as f64 / 1e6
    );
}
