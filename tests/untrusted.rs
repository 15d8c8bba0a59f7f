//! Untrusted source and careless command lines: a hostile pull request cannot make the build
//! read or write outside its directories, and `build --out` never destroys the user's files.
//! Each test runs the real binary on a tree written for it, and checks the file system
//! afterwards, not what the tool says about it.

mod common;

use std::path::{Path, PathBuf};

use common::{codes, copy_tree, findings, fixture_copy, root, run, stderr, stdout};

/// A copy of the clean fixture (and the registry it shares) under `dir/g`.
fn clean_tree(dir: &Path) -> PathBuf {
    fixture_copy("clean", dir)
}

/// The bytes of every file under `dir`, in path order.
fn contents(dir: &Path) -> Vec<Vec<u8>> {
    listing(dir)
        .iter()
        .map(|f| std::fs::read(dir.join(f)).unwrap())
        .collect()
}

/// Every file under `dir`, relative to it.
fn listing(dir: &Path) -> Vec<String> {
    fn walk(base: &Path, dir: &Path, out: &mut Vec<String>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() && !p.is_symlink() {
                walk(base, &p, out);
            } else {
                out.push(p.strip_prefix(base).unwrap().to_string_lossy().into_owned());
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

fn build(g: &Path, out: &Path, only: &str) -> std::process::Output {
    run(&[
        "build",
        g.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--only",
        only,
    ])
}

#[test]
fn part_id_that_climbs_is_reported_and_never_written() {
    let tmp = tempfile::tempdir().unwrap();
    let deep = tmp.path().join("a/b/c/d");
    let g = clean_tree(&deep);
    std::fs::write(
        g.join("parts/1-p/part.toml"),
        "id = \"../../../../x\"\ntitle = { ja = \"検査編\", en = \"Fixture part\" }\naudience = [\"operator\"]\n",
    )
    .unwrap();
    let checked = run(&["check", g.to_str().unwrap(), "--format", "json"]);
    assert_eq!(checked.status.code(), Some(1));
    assert!(codes(&checked).contains(&"G0007".to_string()));
    let before = listing(tmp.path());
    let out = deep.join("out");
    let built = build(&g, &out, "site");
    assert_eq!(built.status.code(), Some(1), "{}", stderr(&built));
    assert_eq!(listing(tmp.path()), before, "the refused build wrote files");
}

#[test]
fn mdbook_directives_are_never_executed() {
    let tmp = tempfile::tempdir().unwrap();
    let secret = tmp.path().join("secret.txt");
    std::fs::write(&secret, "SECRET-7f3a9c").unwrap();
    let g = clean_tree(tmp.path());
    let chapter = g.join("parts/1-p/01-c.ja.md");
    let text = std::fs::read_to_string(&chapter).unwrap();
    // In a code span the directive is text: the build publishes it literally.
    let literal = text.replace(
        "`TLS 1.0`の設定を確認する。",
        &format!(
            "`TLS 1.0`の設定を確認する。`{{{{#include {}}}}}`と書いても取り込まれない。",
            secret.display()
        ),
    );
    std::fs::write(&chapter, &literal).unwrap();
    let out = tmp.path().join("out");
    let built = build(&g, &out, "site");
    assert_eq!(built.status.code(), Some(0), "{}", stderr(&built));
    let page = std::fs::read_to_string(out.join("site/ja/chapters/C-1.html")).unwrap();
    assert!(
        page.contains("{{#include"),
        "the directive is shown as written"
    );
    for file in listing(&out) {
        let bytes = std::fs::read(out.join(&file)).unwrap();
        assert!(
            !String::from_utf8_lossy(&bytes).contains("SECRET-7f3a9c"),
            "{file} contains the included file"
        );
    }
    // Outside code it is an error, and the build refuses.
    let directive = text.replace(
        "`TLS 1.0`の設定を確認する。",
        &format!("{{{{#include {}}}}}", secret.display()),
    );
    std::fs::write(&chapter, &directive).unwrap();
    let checked = run(&["check", g.to_str().unwrap(), "--format", "json"]);
    assert!(codes(&checked).contains(&"G0008".to_string()));
    let refused = build(&g, &out, "site");
    assert_eq!(refused.status.code(), Some(1));
}

#[test]
fn build_out_never_takes_a_directory_that_is_not_its_own() {
    let tmp = tempfile::tempdir().unwrap();
    let g = clean_tree(tmp.path());
    // A working directory with the user's files.
    let work = tmp.path().join("work");
    std::fs::create_dir_all(work.join("notes")).unwrap();
    std::fs::write(work.join("thesis.docx"), "mine").unwrap();
    std::fs::write(work.join("notes/a.txt"), "mine too").unwrap();
    let refused = build(&g, &work, "catalog");
    assert_eq!(refused.status.code(), Some(2), "{}", stderr(&refused));
    let message = stderr(&refused);
    assert!(message.contains("thesis.docx"), "{message}");
    assert!(message.contains(&*work.to_string_lossy()), "{message}");
    assert_eq!(listing(&work), ["notes/a.txt", "thesis.docx"]);
    // The guideline itself.
    let source_before = listing(&g);
    let into_source = build(&g, &g, "catalog");
    assert_eq!(into_source.status.code(), Some(2));
    assert_eq!(listing(&g), source_before);
    let inside_source = build(&g, &g.join("out"), "catalog");
    assert_eq!(inside_source.status.code(), Some(2));
    assert_eq!(listing(&g), source_before);
    // An existing file.
    let file = tmp.path().join("report.pdf");
    std::fs::write(&file, "a report").unwrap();
    let onto_file = build(&g, &file, "catalog");
    assert_eq!(onto_file.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "a report");
    // Nothing was created beside them either.
    let mut top = listing(tmp.path());
    top.retain(|p| !p.starts_with("g/") && !p.starts_with("work/"));
    assert_eq!(top, ["registry.toml", "report.pdf"]);

    // Absent, empty and previously built directories are ours.
    let out = tmp.path().join("out");
    assert_eq!(build(&g, &out, "catalog").status.code(), Some(0));
    assert!(out.join(".guideline-build").is_file());
    std::fs::write(out.join("stale.json"), "from an old build").unwrap();
    assert_eq!(build(&g, &out, "catalog").status.code(), Some(0));
    assert!(
        !out.join("stale.json").exists(),
        "the output is replaced as a whole"
    );
    let empty = tmp.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    assert_eq!(build(&g, &empty, "catalog").status.code(), Some(0));
}

#[test]
fn file_name_that_is_not_utf8_is_reported_not_a_panic() {
    use std::os::unix::ffi::OsStrExt;
    let tmp = tempfile::tempdir().unwrap();
    let g = clean_tree(tmp.path());
    let name = std::ffi::OsStr::from_bytes(b"02-\xff\xfe.ja.md");
    std::fs::write(g.join("parts/1-p").join(name), "# C-2 章\n").unwrap();
    let human = run(&["check", g.to_str().unwrap()]);
    let message = stderr(&human);
    assert!(!message.contains("panicked"), "{message}");
    assert_eq!(human.status.code(), Some(1), "{message}");
    assert!(
        message.contains("G0001") && message.contains("file name is not valid UTF-8"),
        "{message}"
    );
    let json = run(&["check", g.to_str().unwrap(), "--format", "json"]);
    assert_eq!(codes(&json), ["G0001"]);
}

#[test]
fn symlinks_out_of_the_guideline_are_not_read() {
    let tmp = tempfile::tempdir().unwrap();
    let g = clean_tree(tmp.path());
    let outside = tmp.path().join("outside");
    std::fs::create_dir_all(outside.join("part")).unwrap();
    // Valid chapter text, so that reading it would publish it.
    let secret_chapter = std::fs::read_to_string(g.join("parts/1-p/01-c.ja.md"))
        .unwrap()
        .replace("検査用の章である。", "SECRET-LINKED-FILE");
    std::fs::write(outside.join("secret.ja.md"), &secret_chapter).unwrap();
    std::fs::copy(
        g.join("parts/1-p/part.toml"),
        outside.join("part/part.toml"),
    )
    .unwrap();
    std::fs::write(outside.join("part/01-x.ja.md"), &secret_chapter).unwrap();
    std::fs::remove_file(g.join("parts/1-p/01-c.ja.md")).unwrap();
    std::os::unix::fs::symlink(outside.join("secret.ja.md"), g.join("parts/1-p/01-c.ja.md"))
        .unwrap();
    std::os::unix::fs::symlink(outside.join("part"), g.join("parts/2-linked")).unwrap();
    let checked = run(&["check", g.to_str().unwrap(), "--format", "json"]);
    let found = codes(&checked);
    assert_eq!(
        found.iter().filter(|c| *c == "G0007").count(),
        2,
        "{found:?}"
    );
    assert!(!stdout(&checked).contains("SECRET-LINKED-FILE"));
    let out = tmp.path().join("out");
    let built = build(&g, &out, "catalog");
    assert_eq!(built.status.code(), Some(1));
    assert!(!out.exists());
    // A link that stays inside the guideline is an ordinary file.
    std::fs::remove_file(g.join("parts/1-p/01-c.ja.md")).unwrap();
    std::fs::remove_file(g.join("parts/2-linked")).unwrap();
    std::fs::copy(
        root().join("tests/fixtures/clean/parts/1-p/01-c.ja.md"),
        g.join("chapter.ja.md.orig"),
    )
    .unwrap();
    std::os::unix::fs::symlink("../../chapter.ja.md.orig", g.join("parts/1-p/01-c.ja.md")).unwrap();
    let inside = run(&["check", g.to_str().unwrap(), "--format", "json"]);
    assert_eq!(codes(&inside), Vec::<String>::new(), "{}", stderr(&inside));
}

#[test]
fn manifest_paths_cannot_reach_outside_files() {
    let tmp = tempfile::tempdir().unwrap();
    let secret = tmp.path().join("secret.toml");
    std::fs::write(&secret, "token = SECRET-REGISTRY-TOKEN\n").unwrap();
    let g = clean_tree(&tmp.path().join("x/y"));
    let manifest = std::fs::read_to_string(g.join("guideline.toml"))
        .unwrap()
        .replace(
            "registry = \"../registry.toml\"",
            "registry = \"../../../secret.toml\"",
        );
    std::fs::write(g.join("guideline.toml"), &manifest).unwrap();
    for format in ["human", "json", "sarif"] {
        let checked = run(&["check", g.to_str().unwrap(), "--format", format]);
        assert_eq!(checked.status.code(), Some(1));
        let all = format!("{}{}", stdout(&checked), stderr(&checked));
        assert!(!all.contains("SECRET-REGISTRY-TOKEN"), "{all}");
        assert!(all.contains("G0007"), "{all}");
    }
    // Earlier editions must be inside the guideline, too.
    let other = tmp.path().join("other");
    copy_tree(&g, &other);
    let with_previous = std::fs::read_to_string(g.join("guideline.toml"))
        .unwrap()
        .replace(
            "registry = \"../../../secret.toml\"",
            "registry = \"../registry.toml\"",
        )
        + &format!(
            "\n[[previous]]\nedition = \"0.9\"\npath = \"{}\"\n",
            other.display()
        );
    std::fs::write(g.join("guideline.toml"), with_previous).unwrap();
    let checked = run(&["check", g.to_str().unwrap(), "--format", "json"]);
    assert_eq!(codes(&checked), ["G0007"], "{}", stdout(&checked));
}

#[test]
fn misspelt_key_is_named_even_when_a_required_one_is_missing() {
    let out = run(&[
        "check",
        "tests/fixtures/G0003-unknown-key",
        "--format",
        "json",
    ]);
    let all = findings(&out);
    let levl = all
        .iter()
        .find(|f| f["code"] == "G0003" && f["message"].as_str().unwrap().contains("levl"))
        .unwrap_or_else(|| panic!("no G0003 for `levl`: {all:#?}"));
    assert_eq!(levl["help"], "did you mean `level`?");
    let text = std::fs::read_to_string(
        root().join("tests/fixtures/G0003-unknown-key/parts/1-p/01-c.ja.md"),
    )
    .unwrap();
    let line = text.lines().position(|l| l.starts_with("levl")).unwrap() + 1;
    assert_eq!(
        (levl["line"].as_u64(), levl["column"].as_u64()),
        (Some(line as u64), Some(1))
    );
}

#[test]
fn unknown_technology_suggestion_searches_names() {
    let out = run(&[
        "check",
        "tests/fixtures/G0102-unknown-technology",
        "--format",
        "json",
    ]);
    let all = findings(&out);
    let sms = all
        .iter()
        .find(|f| f["message"].as_str().unwrap().contains("`sms`"))
        .unwrap_or_else(|| panic!("no finding for sms: {all:#?}"));
    assert_eq!(sms["help"], "did you mean `sms-otp`?");
}

#[test]
fn not_mention_phrases_are_left_alone_by_check_and_fix() {
    let tmp = tempfile::tempdir().unwrap();
    let g = tmp.path().join("g");
    copy_tree(&root().join("tests/fixtures/G0105-unused-not-mention"), &g);
    let checked = run(&["check", g.to_str().unwrap(), "--format", "json"]);
    // Only the two leftover phrases; 「多要素認証器」 in the text is not an untagged mention.
    assert_eq!(codes(&checked), ["G0105", "G0105"], "{}", stdout(&checked));
    let before = contents(&g);
    let fixed = run(&["fix", g.to_str().unwrap()]);
    assert!(
        stdout(&fixed).contains("tagged 0 mentions"),
        "{}",
        stdout(&fixed)
    );
    assert_eq!(contents(&g), before);
    // Without the phrase, the same words are an untagged mention.
    let registry = std::fs::read_to_string(g.join("technologies.toml"))
        .unwrap()
        .replace("\"多要素認証器\", ", "");
    std::fs::write(g.join("technologies.toml"), registry).unwrap();
    let checked = run(&["check", g.to_str().unwrap(), "--format", "json"]);
    assert!(codes(&checked).contains(&"G0101".to_string()));
}

/// SARIF that code scanning takes: repository-relative URIs under a base id, no invented
/// links; validated against the SARIF 2.1.0 schema that Microsoft's SARIF multitool ships
/// (installed by `npm ci` in tests/browser, as `.ci/run` does before the tests).
#[test]
fn sarif_uses_relative_uris_and_validates() {
    let schema_path =
        root().join("tests/browser/node_modules/@microsoft/sarif-multitool-linux/sarif-2.1.0.json");
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&schema_path).unwrap_or_else(|e| {
            panic!(
                "{}: {e}; run `npm ci` in tests/browser first",
                schema_path.display()
            )
        }))
        .unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the SARIF schema compiles");
    let absolute = root().join("tests/fixtures/G0202-lock-in");
    for path in [absolute.to_str().unwrap(), "tests/fixtures/G0202-lock-in"] {
        let out = run(&["check", path, "--format", "sarif"]);
        let log: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&log)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{errors:#?}");
        let run0 = &log["runs"][0];
        assert!(run0["tool"]["driver"].get("informationUri").is_none());
        let location = &run0["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"];
        assert_eq!(location["uriBaseId"], "%SRCROOT%");
        assert_eq!(
            location["uri"],
            "tests/fixtures/G0202-lock-in/parts/1-p/01-c.ja.md"
        );
        let base = run0["originalUriBaseIds"]["%SRCROOT%"]["uri"]
            .as_str()
            .unwrap();
        assert!(
            base.starts_with("file:///") && base.ends_with('/'),
            "{base}"
        );
    }
}
