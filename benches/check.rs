//! `cargo bench --bench check`: time of `check` on the shipped guideline and on generated
//! guidelines 10x and 100x larger (the shipped chapters repeated with fresh IDs), to show
//! the check stays in milliseconds and grows linearly. Also the name matcher alone on one
//! huge Markdown file (the textlint/prh comparison in DEVELOPERS.md).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use guideline::source::{read_dir, RawFile};

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("guideline");
    let files = read_dir(&root)
        .expect("shipped guideline is readable")
        .files;
    let registry = files
        .iter()
        .find(|f| f.relative == Path::new("technologies.toml"))
        .map(|f| f.bytes.clone());
    let bytes: usize = files.iter().map(|f| f.bytes.len()).sum();
    println!(
        "shipped guideline: {} files, {:.2} MB",
        files.len(),
        bytes as f64 / 1e6
    );
    // PROFILE=1: only the 100x check, for a profiler.
    if std::env::var_os("PROFILE").is_some() {
        let big = scale(&files, 100);
        time("check generated guideline (100x)", 3, || {
            check(&root, big.clone())
        });
        return;
    }
    let base = time_each(
        "check shipped guideline (1x)",
        30,
        || files.clone(),
        |input| check(&root, input),
    );
    for factor in [10, 100] {
        let big = scale(&files, factor);
        let big_bytes: usize = big.iter().map(|f| f.bytes.len()).sum();
        let t = time_each(
            &format!(
                "check generated guideline ({factor}x, {:.1} MB)",
                big_bytes as f64 / 1e6
            ),
            3,
            || big.clone(),
            |input| check(&root, input),
        );
        println!(
            "  ratio to 1x: {:.1} (linear would be {factor})",
            t.as_secs_f64() / base.as_secs_f64()
        );
    }
    if let Some(registry) = registry {
        matcher_bench(&files, &registry);
    }
}

fn check(root: &Path, files: Vec<RawFile>) -> guideline::check::Checked {
    let loaded = guideline::load::load_files(root, files);
    guideline::check::lint_loaded(loaded)
}

/// Repeats every chapter `factor` times under new part directories, renaming IDs so they
/// stay unique; cross-references keep pointing at the first copy.
fn scale(files: &[RawFile], factor: usize) -> Vec<RawFile> {
    let mut out: Vec<RawFile> = files
        .iter()
        .filter(|f| !f.relative.starts_with("parts"))
        .cloned()
        .collect();
    for copy in 0..factor {
        for f in files.iter().filter(|f| f.relative.starts_with("parts")) {
            let mut rel = PathBuf::from("parts");
            let mut comps = f.relative.components().skip(1);
            let part = comps.next().unwrap().as_os_str().to_string_lossy();
            rel.push(format!("{copy:03}-{part}"));
            rel.extend(comps);
            let text = String::from_utf8_lossy(&f.bytes);
            let renamed = if copy == 0 {
                text.into_owned()
            } else {
                rename_ids(&text, copy)
            };
            out.push(RawFile {
                relative: rel,
                bytes: renamed.into_bytes(),
            });
        }
    }
    out
}

fn rename_ids(text: &str, copy: usize) -> String {
    text.lines()
        .map(|l| {
            if let Some(rest) = l.strip_prefix("## ") {
                format!("## x{copy}-{rest}")
            } else if let Some(rest) = l.strip_prefix("# ") {
                format!("# x{copy}-{rest}")
            } else if l.starts_with("id = ") {
                format!("id = \"x{copy}-{}", &l[6..])
            } else if l.starts_with("related = ") {
                "related = []".to_string()
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The name matcher over one large file of real Japanese guideline text.
fn matcher_bench(files: &[RawFile], registry: &[u8]) {
    let text: String = files
        .iter()
        .filter(|f| f.relative.to_string_lossy().ends_with(".ja.md"))
        .map(|f| String::from_utf8_lossy(&f.bytes).into_owned())
        .collect::<Vec<_>>()
        .join("\n");
    let mb = text.len() as f64 / 1e6;
    let raw = RawFile {
        relative: "technologies.toml".into(),
        bytes: registry.to_vec(),
    };
    let files = vec![
        RawFile { relative: "guideline.toml".into(), bytes: b"title = { ja = \"t\", en = \"t\" }\nedition = \"1\"\ndate = \"d\"\npublisher = { ja = \"p\", en = \"p\" }\n".to_vec() },
        raw,
    ];
    let loaded = guideline::load::load_files(Path::new("g"), files);
    let registry = loaded.guideline.expect("registry loads").registry;
    let t = time(
        &format!("match names in the Japanese text ({mb:.2} MB)"),
        20,
        || registry.find_names(&text).len(),
    );
    // The textlint/prh comparison: one pulldown-cmark pass with NFKC + Aho-Corasick on every
    // text event, the work the checker does per chapter file.
    time(
        &format!("pulldown-cmark + name matching over the Japanese Markdown ({mb:.2} MB)"),
        20,
        || {
            pulldown_cmark::Parser::new(&text)
                .filter_map(|e| match e {
                    pulldown_cmark::Event::Text(t) => Some(registry.find_names(&t).len()),
                    _ => None,
                })
                .sum::<usize>()
        },
    );
    let huge = text.repeat((73.0 / mb).ceil() as usize);
    let t2 = time(
        &format!("match names in one {:.0} MB text", huge.len() as f64 / 1e6),
        1,
        || registry.find_names(&huge).len(),
    );
    println!(
        "  throughput {:.0} MB/s and {:.0} MB/s (linear: equal)",
        mb / t.as_secs_f64(),
        huge.len() as f64 / 1e6 / t2.as_secs_f64()
    );
}

/// Like `time`, but the input each run consumes is made outside the timed part.
fn time_each<I, T>(
    label: &str,
    runs: usize,
    mut setup: impl FnMut() -> I,
    mut f: impl FnMut(I) -> T,
) -> Duration {
    let _ = f(setup());
    let mut best = Duration::MAX;
    for _ in 0..runs {
        let input = setup();
        let start = Instant::now();
        let output = std::hint::black_box(f(input));
        best = best.min(start.elapsed());
        // Freeing the model is not part of checking: the CLI exits without it.
        drop(output);
    }
    println!(
        "{label}: {:.2} ms (best of {runs})",
        best.as_secs_f64() * 1e3
    );
    best
}

fn time<T>(label: &str, runs: usize, mut f: impl FnMut() -> T) -> Duration {
    let _ = f();
    let mut best = Duration::MAX;
    for _ in 0..runs {
        let start = Instant::now();
        std::hint::black_box(f());
        best = best.min(start.elapsed());
    }
    println!(
        "{label}: {:.2} ms (best of {runs})",
        best.as_secs_f64() * 1e3
    );
    best
}
