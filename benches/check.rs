//! `cargo bench --bench check`: time of `check` on the shipped guideline and on generated
//! guidelines 10x and 100x larger (the shipped chapters repeated with fresh IDs), to show
//! the check stays in milliseconds and grows linearly. Also the name matcher alone on one
//! huge Markdown file (the textlint/prh comparison in DEVELOPERS.md).
//!
//! First, whole processes as an editor or CI runs them (start the binary, wait for it to
//! exit), against a plain pulldown-cmark + NFKC + Aho-Corasick scan of the same chapter
//! files with the same names, measured in the same run; then the in-process figures.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use guideline::source::{read_dir, RawFile};

#[path = "support/process.rs"]
mod process;
use process::{best_in_turns, run_process};

fn main() {
    // The reference of the whole-process figures: this binary re-run as a plain scan.
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--plain-scan") {
        let mentions = plain_scan(Path::new(&args[i + 1]));
        std::process::exit(i32::from(mentions == usize::MAX));
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("guideline");
    whole_process(&root);
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
    // As `guideline check` loads: to be checked, not rendered.
    let loaded = guideline::load::load_files_for(root, files, guideline::load::Purpose::Check);
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

/// The plain scan: every chapter file parsed with pulldown-cmark, each text event
/// NFKC-normalised and searched with a leftmost-longest Aho-Corasick automaton over the
/// registry's names (read straight from technologies.toml). No model, no lints: the least
/// any checker has to do. Returns the number of names found.
fn plain_scan(dir: &Path) -> usize {
    use unicode_normalization::UnicodeNormalization;
    #[derive(serde::Deserialize)]
    struct Registry {
        technology: Vec<toml::Value>,
    }
    let manifest: toml::Table = std::fs::read_to_string(dir.join("guideline.toml"))
        .unwrap()
        .parse()
        .unwrap();
    let registry_path = dir.join(manifest["registry"].as_str().unwrap_or("technologies.toml"));
    let registry: Registry =
        toml::from_str(&std::fs::read_to_string(registry_path).unwrap()).unwrap();
    let mut names = Vec::new();
    for t in &registry.technology {
        for key in ["name", "aliases"] {
            if let Some(table) = t.get(key).and_then(|v| v.as_table()) {
                for v in table.values() {
                    match v {
                        toml::Value::String(s) => names.push(s.nfkc().collect::<String>()),
                        toml::Value::Array(a) => names.extend(
                            a.iter()
                                .filter_map(|x| x.as_str())
                                .map(|s| s.nfkc().collect::<String>()),
                        ),
                        _ => {}
                    }
                }
            }
        }
    }
    let automaton = aho_corasick::AhoCorasick::builder()
        .match_kind(aho_corasick::MatchKind::LeftmostLongest)
        .ascii_case_insensitive(true)
        .build(&names)
        .unwrap();
    let mut found = 0;
    let mut stack = vec![dir.join("parts")];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "md") {
                let text = std::fs::read_to_string(&p).unwrap();
                for event in pulldown_cmark::Parser::new(&text) {
                    if let pulldown_cmark::Event::Text(t) = event {
                        let normal: String = t.nfkc().collect();
                        found += automaton.find_iter(&normal).count();
                    }
                }
            }
        }
    }
    found
}

/// The textlint comparison as a user meets it: `guideline check` on a guideline of one
/// chapter file of 73 MB of Japanese (and its English translation beside it), against the
/// plain scan of the same files, whole processes in turns.
fn one_file_check(files: &[RawFile], exe: &Path, me: &Path) {
    let dir = tempfile::tempdir().unwrap();
    let mut japanese = 0;
    for f in one_file(files, 73_000_000) {
        if f.relative.to_string_lossy().ends_with(".ja.md") {
            japanese = f.bytes.len();
        }
        let path = dir.path().join(&f.relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, &f.bytes).unwrap();
    }
    let dir_s = dir.path().to_str().unwrap();
    let [(scan, _), (check, check_mem)] = best_in_turns(
        2,
        [
            &mut || run_process(me, &["--plain-scan", dir_s]),
            &mut || run_process(exe, &["check", dir_s]),
        ],
    );
    println!(
        "  guideline check (one chapter file of {:.0} MB, with its translation): {:.0} ms, {:.0} MB peak; plain scan {:.0} ms; ratio {:.2}x (textlint + prh: 26 minutes on one 73 MB file)",
        japanese as f64 / 1e6,
        check.as_secs_f64() * 1e3,
        check_mem as f64 / 1e6,
        scan.as_secs_f64() * 1e3,
        check.as_secs_f64() / scan.as_secs_f64()
    );
}

/// A guideline of one part and one chapter whose Japanese file holds about `bytes`: the
/// first shipped chapter's heading and introduction, then the controls of every shipped
/// chapter in turn, again and again, renamed `O-1.1`, `O-1.2`, ... (their parameters with
/// them), without their links to other controls or earlier editions, which would dangle;
/// the English file holds the same controls in English. The registry, glossary and
/// questions are the shipped ones, so the check has the same work per control.
fn one_file(files: &[RawFile], bytes: usize) -> Vec<RawFile> {
    let text = |f: &RawFile| String::from_utf8_lossy(&f.bytes).into_owned();
    let file = |name: &str| files.iter().find(|f| f.relative == Path::new(name));
    // The text before the first control, and each control from its `## ` heading on.
    let split = |text: &str| -> (String, Vec<String>) {
        let mut head = String::new();
        let mut controls: Vec<String> = Vec::new();
        for line in text.split_inclusive('\n') {
            if line.starts_with("## ") {
                controls.push(String::new());
            }
            controls.last_mut().unwrap_or(&mut head).push_str(line);
        }
        (head, controls)
    };
    let mut pairs = Vec::new();
    let mut heads = None;
    for ja in files.iter().filter(|f| {
        f.relative.starts_with("parts") && f.relative.to_string_lossy().ends_with(".ja.md")
    }) {
        let en_path = ja.relative.to_string_lossy().replace(".ja.md", ".en.md");
        let Some(en) = file(&en_path) else { continue };
        let (head_ja, controls_ja) = split(&text(ja));
        let (head_en, controls_en) = split(&text(en));
        heads.get_or_insert((head_ja, head_en));
        if controls_ja.len() == controls_en.len() {
            pairs.extend(controls_ja.into_iter().zip(controls_en));
        }
    }
    let (head_ja, head_en) = heads.expect("the shipped guideline has chapters");
    // Each control once: without its links, and with a pattern for its ID.
    let links = regex::Regex::new(r"(?m)^(related|previous|enhances) = .*\n").unwrap();
    let pairs: Vec<(regex::Regex, String, String)> = pairs
        .iter()
        .map(|(ja, en)| {
            let old = ja[3..].split_whitespace().next().unwrap_or_default();
            let id = regex::Regex::new(&format!(r"{}([^0-9.]|$)", regex::escape(old))).unwrap();
            let unlinked = |c: &str| format!("{}\n\n", links.replace_all(c, "").trim_end());
            (id, unlinked(ja), unlinked(en))
        })
        .collect();
    let (mut ja, mut en) = (
        format!("{}\n\n", head_ja.trim_end()),
        format!("{}\n\n", head_en.trim_end()),
    );
    let mut k = 0;
    'fill: loop {
        for (id, control_ja, control_en) in &pairs {
            k += 1;
            let renamed = format!("O-1.{k}$1");
            ja.push_str(&id.replace_all(control_ja, renamed.as_str()));
            en.push_str(&id.replace_all(control_en, renamed.as_str()));
            if ja.len() >= bytes {
                break 'fill;
            }
        }
    }
    let manifest = text(file("guideline.toml").expect("a manifest"));
    let manifest = manifest.split("[[previous]]").next().unwrap_or_default();
    let mut out: Vec<RawFile> = ["technologies.toml", "glossary.toml", "applicability.toml"]
        .into_iter()
        .filter_map(file)
        .cloned()
        .collect();
    let mut add = |relative: &str, text: String| {
        out.push(RawFile {
            relative: relative.into(),
            bytes: text.into_bytes(),
        })
    };
    add("guideline.toml", manifest.to_string());
    add(
        "parts/1-big/part.toml",
        "id = \"O\"\ntitle = { ja = \"概説編\", en = \"Overview\" }\naudience = [\"executive\", \"manager\", \"operator\"]\n".to_string(),
    );
    add("parts/1-big/01-big.ja.md", ja);
    add("parts/1-big/01-big.en.md", en);
    out
}

/// Whole-process figures beside the goals of issue 17, ratios from the same run.
fn whole_process(root: &Path) {
    let exe = Path::new(env!("CARGO_BIN_EXE_guideline"));
    let me = std::env::current_exe().expect("bench binary path");
    let runs = 30;
    let root_s = root.to_str().unwrap();
    let edition = root.join("editions/5.2");
    let edition_s = edition.to_str().unwrap();
    let [(scan, scan_mem), (check, check_mem), (check_52, _)] = best_in_turns(
        runs,
        [
            &mut || run_process(&me, &["--plain-scan", root_s]),
            &mut || run_process(exe, &["check", root_s]),
            &mut || run_process(exe, &["check", edition_s]),
        ],
    );
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let mb = |b: u64| b as f64 / 1e6;
    println!("whole processes (best of {runs}, the plain scan and the checks in turns):");
    println!(
        "  guideline check guideline: {:.1} ms, {:.1} MB peak (goal < 20 ms, < 20 MB)",
        ms(check),
        mb(check_mem)
    );
    println!(
        "  plain pulldown-cmark + NFKC + Aho-Corasick scan of the same chapters: {:.1} ms, {:.1} MB",
        ms(scan),
        mb(scan_mem)
    );
    println!(
        "  ratio check / plain scan: {:.2}x (goal <= 1.5x)",
        check.as_secs_f64() / scan.as_secs_f64()
    );
    println!(
        "  guideline check guideline/editions/5.2: {:.1} ms (goal < 8 ms)",
        ms(check_52)
    );
    // The generated 10x and 100x guidelines, written to disk and checked as a user would.
    let files = read_dir(root).expect("shipped guideline").files;
    for (factor, runs) in [(10, 5), (100, 3)] {
        let dir = tempfile::tempdir().unwrap();
        for f in scale(&files, factor) {
            let path = dir.path().join(&f.relative);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, &f.bytes).unwrap();
        }
        let dir_s = dir.path().to_str().unwrap();
        let [(scan, _), (check, check_mem)] = best_in_turns(
            runs,
            [
                &mut || run_process(&me, &["--plain-scan", dir_s]),
                &mut || run_process(exe, &["check", dir_s]),
            ],
        );
        println!(
            "  guideline check (generated {factor}x): {:.0} ms, {:.0} MB peak; plain scan {:.0} ms; ratio {:.2}x{}",
            ms(check),
            mb(check_mem),
            ms(scan),
            check.as_secs_f64() / scan.as_secs_f64(),
            if factor == 100 { " (goal: under 1 s)" } else { "" }
        );
    }
    // Last: a child's peak memory counts what it shared with this process when it started,
    // and building the 73 MB file makes this one large.
    one_file_check(&files, exe, &me);
}
