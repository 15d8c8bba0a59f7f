//! `cargo bench --bench site`: the website build against plain mdBook on the same generated
//! Markdown (same run, same machine), the full build and the PDF, beside the goals of
//! issue 17.
//!
//! First whole processes, as a user or CI times them (start the binary, wait for it to exit;
//! peak memory from the kernel's accounting): `guideline build` against mdBook run as a
//! process per generated book (this bench binary re-run with `--plain-mdbook`, the same
//! mdBook library our build uses), the two taking turns so that both are timed in the same
//! minutes, each writing into a new directory. Then the same in one process.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

#[path = "support/process.rs"]
mod process;
use process::{best, best_in_turns, in_turns, run_process, run_process_env};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    // The reference: mdBook alone building each book root given, one after another, as
    // `mdbook build ja && mdbook build en` would.
    if let Some(i) = args.iter().position(|a| a == "--plain-mdbook") {
        for root in &args[i + 1..] {
            guideline::render::site::run_mdbook(Path::new(root)).expect("mdBook builds");
        }
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("guideline");
    let g = guideline::load::load_dir(&root)
        .expect("shipped guideline")
        .guideline
        .expect("loads");
    whole_process(&root, &g);
    in_process(&g);
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// Best wall time over `runs` builds, each into a directory that does not exist yet (as in
/// CI), after an untimed warm-up build, with the peak memory of the best run.
fn best_build(exe: &Path, root: &Path, extra: &[&str], runs: usize) -> (Duration, u64) {
    let scratch = tempfile::tempdir().unwrap();
    let mut run = 0;
    let [best] = best_in_turns(
        runs,
        [&mut || {
            run += 1;
            build_process(exe, root, &scratch.path().join(format!("out{run}")), extra)
        }],
    );
    best
}

/// One `guideline build ROOT --out OUT EXTRA...` process.
fn build_process(exe: &Path, root: &Path, out: &Path, extra: &[&str]) -> (Duration, u64) {
    let mut args = vec![
        "build",
        root.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    run_process(exe, &args)
}

fn whole_process(root: &Path, g: &guideline::model::Guideline) {
    let exe = Path::new(env!("CARGO_BIN_EXE_guideline"));
    let me = std::env::current_exe().expect("bench binary path");
    let runs = 5;
    // The Markdown our build hands mdBook (with the history page against the previous
    // edition, as `guideline build` makes it), written once, untimed.
    let history = g
        .previous_edition()
        .map(|old| (guideline::diff::diff(old, g), old.manifest.title.ja.clone()));
    let work = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let prepared = guideline::render::site::prepare(
        g,
        history.as_ref().map(|(d, t)| (d, t.as_str())),
        work.path(),
        out.path(),
    )
    .unwrap();
    for p in &prepared {
        p.write_source().unwrap();
    }
    let roots: Vec<String> = prepared
        .iter()
        .map(|p| p.root.to_string_lossy().into_owned())
        .collect();
    // Our site build and plain mdBook one after the other, in turns, so that both are
    // measured in the same minutes of a machine whose speed drifts (measured one block after
    // the other, the ratio of the best times moved between 0.99 and 1.24 in two runs).
    let scratch = tempfile::tempdir().unwrap();
    // Each turn writes into directories of its own.
    let turn = std::cell::Cell::new(0);
    let [ours, reference] = in_turns(
        3 * runs,
        [
            &mut || {
                turn.set(turn.get() + 1);
                let site_out = scratch.path().join(format!("site{}", turn.get()));
                build_process(exe, root, &site_out, &["--only", "site"])
            },
            // mdBook, like our build, writes into a directory that does not exist yet, as in
            // CI (it would otherwise first delete its previous output inside the timed run,
            // and a file system slows down creating files right after deleting as many): one
            // `mdbook build` process per book, its build directory set as a user would set it.
            &mut || {
                let mut both = (Duration::ZERO, 0);
                for book in &roots {
                    let lang = Path::new(book).file_name().unwrap().to_str().unwrap();
                    let build_dir = scratch
                        .path()
                        .join(format!("mdbook{}", turn.get()))
                        .join(lang);
                    let (time, memory) = run_process_env(
                        &me,
                        &["--plain-mdbook", book],
                        &[("MDBOOK_BUILD__BUILD_DIR", build_dir.to_str().unwrap())],
                    );
                    both = (both.0 + time, both.1.max(memory));
                }
                both
            },
        ],
    );
    let mut ratios: Vec<f64> = ours
        .iter()
        .zip(&reference)
        .map(|(o, r)| o.0.as_secs_f64() / r.0.as_secs_f64())
        .collect();
    ratios.sort_by(f64::total_cmp);
    let (site, site_mem) = best(&ours);
    let (plain, plain_mem) = best(&reference);
    let (full, full_mem) = best_build(exe, root, &[], runs);
    let (pdf, pdf_mem) = best_build(exe, root, &["--only", "pdf"], runs);
    let mb = |b: u64| b as f64 / 1e6;
    println!(
        "whole processes (best of {runs}; site and plain mdBook in turns, best of {}):",
        3 * runs
    );
    println!(
        "  guideline build guideline --only site: {:.0} ms, {:.0} MB peak",
        ms(site),
        mb(site_mem)
    );
    println!(
        "  plain mdBook on the same generated Markdown (ja then en, two `mdbook build` processes): {:.0} ms, {:.0} MB peak",
        ms(plain),
        mb(plain_mem)
    );
    println!(
        "  ratio site build / plain mdBook, median of the {} turns: {:.2} (goal <= 1.10; from {:.2} to {:.2}); of the best times: {:.2}",
        ratios.len(),
        ratios[ratios.len() / 2],
        ratios[0],
        ratios[ratios.len() - 1],
        site.as_secs_f64() / plain.as_secs_f64()
    );
    println!(
        "  guideline build guideline (all outputs): {:.0} ms, {:.0} MB peak (goal < 1000 ms)",
        ms(full),
        mb(full_mem)
    );
    println!(
        "  guideline build guideline --only pdf: {:.0} ms, {:.0} MB peak",
        ms(pdf),
        mb(pdf_mem)
    );
}

fn in_process(g: &guideline::model::Guideline) {
    let runs = 5;
    let mut ours = Duration::MAX;
    let mut plain = Duration::MAX;
    let mut plain_parallel = Duration::MAX;
    // With the history page against the previous edition, as `guideline build` makes it (its
    // diff computed once, untimed, as the whole build computes it before the site).
    let history = g
        .previous_edition()
        .map(|old| (guideline::diff::diff(old, g), old.manifest.title.ja.clone()));
    let history = history.as_ref().map(|(d, t)| (d, t.as_str()));
    for _ in 0..runs {
        let out = tempfile::tempdir().unwrap();
        let start = Instant::now();
        guideline::render::site::build(g, history, out.path()).expect("site builds");
        ours = ours.min(start.elapsed());

        // The same Markdown through mdBook alone: generated once, untimed, then built, the
        // books one after another and then on one thread each (as our build runs them).
        let work = tempfile::tempdir().unwrap();
        let out2 = tempfile::tempdir().unwrap();
        let prepared =
            guideline::render::site::prepare(g, history, work.path(), out2.path()).unwrap();
        for p in &prepared {
            p.write_source().unwrap();
        }
        let roots: Vec<PathBuf> = prepared.iter().map(|p| p.root.clone()).collect();
        let start = Instant::now();
        for r in &roots {
            guideline::render::site::run_mdbook(r).unwrap();
        }
        plain = plain.min(start.elapsed());
        let start = Instant::now();
        std::thread::scope(|s| {
            for r in &roots {
                s.spawn(move || guideline::render::site::run_mdbook(r).unwrap());
            }
        });
        plain_parallel = plain_parallel.min(start.elapsed());
    }
    println!("in one process (best of {runs}):");
    println!("  site (ja + en), guideline build: {:.0} ms", ms(ours));
    println!(
        "  plain mdBook of the same Markdown: {:.0} ms one book after the other, {:.0} ms one thread per book",
        ms(plain),
        ms(plain_parallel)
    );
    println!(
        "  ratio: {:.2} to mdBook one after the other (goal <= 1.10), {:.2} to mdBook on two threads",
        ours.as_secs_f64() / plain.as_secs_f64(),
        ours.as_secs_f64() / plain_parallel.as_secs_f64()
    );

    let fonts = guideline::typeset::Fonts::system();
    let mut pdf = Vec::new();
    let mut size = 0;
    for _ in 0..3 {
        let start = Instant::now();
        size = guideline::render::pdf::render(g, &fonts)
            .expect("PDF builds")
            .len();
        pdf.push(start.elapsed());
    }
    // Typst memoises layout within a process, so later runs are far faster than the first,
    // which is what a build pays.
    println!(
        "  PDF: {:.0} ms the first time, {:.0} ms best of 3 (Typst memoises between runs), {:.1} MB",
        ms(pdf[0]),
        ms(*pdf.iter().min().unwrap()),
        size as f64 / 1e6
    );
    let start = Instant::now();
    let fonts = guideline::typeset::Fonts::system();
    println!(
        "  finding the fonts: {:.1} ms ({} Japanese families)",
        ms(start.elapsed()),
        fonts.japanese().len()
    );
}
