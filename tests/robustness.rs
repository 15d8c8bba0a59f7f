//! Any bytes as a source file give diagnostics, never a panic.

use std::path::{Path, PathBuf};

use guideline::source::RawFile;
use proptest::prelude::*;

const MANIFEST: &str = "title = { ja = \"t\", en = \"t\" }\nedition = \"1\"\ndate = \"2026-01-01\"\npublisher = { ja = \"p\", en = \"p\" }\n";
const PART: &str = "id = \"P\"\ntitle = { ja = \"p\", en = \"p\" }\naudience = [\"operator\"]\n";
const REGISTRY: &str = "[[technology]]\nid = \"fido2\"\nname = { ja = \"FIDO2\", en = \"FIDO2\" }\ncategory = \"authentication\"\naal = 3\nstatus = \"current\"\ndescription = { ja = \"d\", en = \"d\" }\n";

fn tree(chapter: Vec<u8>, registry: Vec<u8>, part: Vec<u8>) -> Vec<RawFile> {
    let f = |p: &str, b: Vec<u8>| RawFile {
        relative: PathBuf::from(p),
        bytes: b,
    };
    vec![
        f("guideline.toml", MANIFEST.as_bytes().to_vec()),
        f("technologies.toml", registry),
        f("parts/1-p/part.toml", part),
        f("parts/1-p/01-c.ja.md", chapter.clone()),
        f("parts/1-p/01-c.en.md", chapter),
    ]
}

fn check(files: Vec<RawFile>) {
    let loaded = guideline::load::load_files(Path::new("g"), files);
    let checked = guideline::check::lint_loaded(loaded);
    if let Some(g) = &checked.guideline {
        let _ = guideline::diagnostic::render_human(&checked.diagnostics, &g.sources, false);
        let _ = guideline::fix::plan(g);
    }
    let _ = guideline::diagnostic::render_json(&checked.diagnostics);
}

/// Markdown-ish fragments, so that generated input reaches deep into the parser.
fn markdownish() -> impl Strategy<Value = Vec<u8>> {
    let pieces = prop::sample::select(vec![
        "# C-1 章\n",
        "## C-1.1 項目\n",
        "### 要求事項\n",
        "### 解説\n",
        "### Statement\n",
        "```toml meta\n",
        "```\n",
        "level = \"minimum\"\n",
        "assurance = \"AAL9\"\n",
        "related = [\"X\"]\n",
        "[FIDO2](example:fido2)",
        "[x](requred:fido2)",
        "[FIDO2](",
        "](",
        "ＦＩＤＯ２",
        "ﾊﾟｽﾜｰﾄﾞ",
        "FIDO2",
        "<script>",
        "`code`",
        "\n\n",
        "- item\n",
        "| a | b |\n|---|---|\n",
        "\u{FF9E}",
        "\u{0301}",
        "テキスト",
        "\r\n",
        "\t",
        "> quote\n",
        "[^1]\n\n[^1]: note\n",
    ]);
    prop::collection::vec(pieces, 0..40).prop_map(|v| v.concat().into_bytes())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn arbitrary_bytes_never_panic(chapter in prop::collection::vec(any::<u8>(), 0..400),
                                   registry in prop::collection::vec(any::<u8>(), 0..200)) {
        check(tree(chapter, registry, PART.as_bytes().to_vec()));
    }

    #[test]
    fn markdown_like_input_never_panics(chapter in markdownish(), part in markdownish()) {
        check(tree(chapter.clone(), REGISTRY.as_bytes().to_vec(), PART.as_bytes().to_vec()));
        check(tree(chapter, REGISTRY.as_bytes().to_vec(), part));
    }
}

/// Path segments of every kind a source tree can hold: ordinary, climbing, absolute,
/// empty, not UTF-8, with separators or control characters, names the site reserves.
fn segment() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::sample::select(vec![
            "parts",
            "1-p",
            "2-q",
            "01-c.ja.md",
            "01-c.en.md",
            "02-d.ja.md",
            "part.toml",
            "..",
            ".",
            "",
            "index",
            "CON",
            "a\\b",
            "technologies.toml",
            "guideline.toml",
            "x.md",
        ])
        .prop_map(|s| s.as_bytes().to_vec()),
        prop::collection::vec(any::<u8>(), 0..8),
    ]
}

fn raw_path() -> impl Strategy<Value = PathBuf> {
    use std::os::unix::ffi::OsStrExt;
    prop::collection::vec(segment(), 1..5).prop_map(|segments| {
        let joined = segments.join(&b'/');
        PathBuf::from(std::ffi::OsStr::from_bytes(&joined))
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// File names and directory shapes vary too, not only contents.
    #[test]
    fn arbitrary_file_names_and_shapes_never_panic(
        paths in prop::collection::vec(raw_path(), 0..6),
        chapter in markdownish(),
        part_id in prop::sample::select(vec!["P", "../../x", "", "index", "a/b", "日本"]),
    ) {
        let mut files = tree(
            chapter.clone(),
            REGISTRY.as_bytes().to_vec(),
            PART.replace("\"P\"", &format!("{part_id:?}")).into_bytes(),
        );
        for path in paths {
            files.push(RawFile { relative: path, bytes: chapter.clone() });
        }
        check(files);
    }
}

/// Every input the fuzzer (`scripts/fuzz.sh`) found a crash with stays a test.
#[test]
fn fuzz_regressions_never_panic() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions");
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let files = guideline::source::unpack_tree(&std::fs::read(&path).unwrap());
        check(files);
        count += 1;
    }
    assert!(count > 0, "no regression inputs in {}", dir.display());
}

/// Inputs on which the fuzzer found a renderer taking tens of seconds (`slow-*`: the
/// 新旧対照表 compared two long unrelated texts character by character) now render their
/// comparison in well under the fuzzer's 20-second limit.
#[test]
fn fuzz_slow_inputs_render_in_bounded_time() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions");
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if !path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("slow-")
        {
            continue;
        }
        let files = guideline::source::unpack_tree(&std::fs::read(&path).unwrap());
        let loaded = guideline::load::load_files(Path::new("g"), files);
        let checked = guideline::check::lint_loaded(loaded);
        let g = checked.guideline.expect("the slow inputs load");
        let start = std::time::Instant::now();
        let d = guideline::diff::diff(&g, &g);
        let html = guideline::render::diff::html(&d, "old", "new");
        let elapsed = start.elapsed();
        assert!(
            !d.table().is_empty(),
            "{}: the comparison has rows",
            path.display()
        );
        assert!(html.contains("<table"), "{}", path.display());
        assert!(
            elapsed < std::time::Duration::from_secs(2),
            "{}: the comparison took {elapsed:?}",
            path.display()
        );
        count += 1;
    }
    assert!(count >= 2, "the slow inputs are in {}", dir.display());
}
