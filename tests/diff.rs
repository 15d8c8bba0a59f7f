//! `guideline diff`: matching controls across editions and every output format.

mod common;

use common::{run, stderr, stdout};

const OLD: &str = "tests/diff-fixtures/old";
const NEW: &str = "tests/diff-fixtures/new";

fn diff_json(old: &str, new: &str) -> serde_json::Value {
    let out = run(&["diff", old, new, "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    serde_json::from_str(&stdout(&out)).unwrap()
}

/// A renumbered, a changed, an added and a removed control each land in the right row with
/// the right marks.
#[test]
fn fixture_pair_rows_and_marks() {
    let d = diff_json(OLD, NEW);
    let kinds: Vec<(String, String, String)> = d["controls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["kind"].as_str().unwrap().to_string(),
                c["old"]["id"].as_str().unwrap_or("").to_string(),
                c["new"]["id"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    let expected = [
        ("renumbered", "A-1", "B-1"),
        ("changed", "A-2", "A-2"),
        ("added", "", "B-4"),
        ("removed", "A-3", ""),
    ];
    let expected: Vec<(String, String, String)> = expected
        .iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect();
    assert_eq!(kinds, expected);

    let html = stdout(&run(&["diff", OLD, NEW, "--format", "html"]));
    let rows: Vec<&str> = html.split("<tr id=\"row-").skip(1).collect();
    assert_eq!(rows.len(), 4);
    assert!(
        rows[0].starts_with("B-1\""),
        "renumbered row first: {}",
        rows[0]
    );
    assert!(
        rows[0].contains("B-1<br>(A-1)")
            && !rows[0].contains("<ins>")
            && !rows[0].contains("<del>"),
        "{}",
        rows[0]
    );
    assert!(
        rows[1].contains("<ins>利用者をAAL2以上の強度で認証</ins>すること。"),
        "{}",
        rows[1]
    );
    assert!(
        rows[1].contains("<del>TLS 1.3を用い、TLSクライアント認証を実施</del>すること。"),
        "{}",
        rows[1]
    );
    assert!(
        rows[2].starts_with("B-4\"")
            && rows[2].contains("(新設)")
            && rows[2].contains("<ins>アクセスログを定期的に確認すること。</ins>")
    );
    assert!(
        rows[3].starts_with("A-3\"")
            && rows[3].contains("(削る)")
            && rows[3].contains("<del>紙の記録は裁断して廃棄すること。</del>")
    );
    // Self-contained: no script, no remote resource.
    assert!(!html.contains("<script") && !html.contains("http://") && !html.contains("https://"));
}

#[test]
fn every_format_snapshots() {
    for format in ["text", "json", "md", "html"] {
        let out = run(&["diff", OLD, NEW, "--format", format]);
        assert_eq!(out.status.code(), Some(0));
        insta::assert_snapshot!(format!("fixture-diff-{format}"), stdout(&out));
    }
}

#[test]
fn diff_is_deterministic_and_self_diff_is_empty() {
    assert_eq!(
        stdout(&run(&["diff", OLD, NEW, "--format", "json"])),
        stdout(&run(&["diff", OLD, NEW, "--format", "json"]))
    );
    let d = diff_json("guideline", "guideline");
    assert_eq!(d["controls"].as_array().unwrap().len(), 0);
    assert_eq!(d["technologies"].as_array().unwrap().len(), 0);
    assert_eq!(d["summary"]["added"], 0);
    assert!(d["summary"]["unchanged"].as_u64().unwrap() > 150);
}

#[test]
fn old_side_from_git() {
    let out = run(&[
        "diff",
        "--git",
        "HEAD:tests/diff-fixtures/old",
        NEW,
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let from_git: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(from_git, diff_json(OLD, NEW));
}

/// A revision is read through `git ls-tree -z` and one `git cat-file --batch`: a path
/// outside ASCII (which git quotes in its plain listing) reads like any other, and the
/// result equals the same edition read from the directory.
#[test]
fn old_side_from_git_under_a_japanese_path() {
    let repo = tempfile::tempdir().unwrap();
    let git = |args: &[&str]| {
        let out = std::process::Command::new("git")
            .args(["-c", "user.name=test", "-c", "user.email=test@example.com"])
            .args(args)
            .current_dir(repo.path())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    git(&["init", "-q"]);
    let old = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(OLD);
    let copy = repo.path().join("版").join("旧");
    common::copy_tree(&old, &copy);
    // The fixture shares its registry from `../../fixtures/`, relative to itself.
    std::fs::create_dir_all(repo.path().join("fixtures")).unwrap();
    std::fs::copy(
        old.join("../../fixtures/registry.toml"),
        repo.path().join("fixtures/registry.toml"),
    )
    .unwrap();
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "old edition"]);
    let new = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(NEW);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_guideline"))
        .args(["diff", "--git", "HEAD:版/旧"])
        .arg(&new)
        .args(["--format", "json"])
        .current_dir(repo.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let from_git: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(from_git, diff_json(OLD, NEW));
}

/// Edition 5.2 against the draft: TLS client authentication goes from required to example,
/// FIDO2 appears as an example, in text and JSON alike.
#[test]
fn shipped_5_2_to_draft_role_changes() {
    let d = diff_json("guideline/editions/5.2", "guideline");
    let tech = |id: &str| {
        d["technologies"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["technology"] == id)
            .cloned()
            .unwrap_or_else(|| panic!("no change for {id}"))
    };
    let tca = tech("tls-client-auth");
    assert!(
        tca["old_roles"]
            .as_array()
            .unwrap()
            .contains(&"required".into()),
        "{tca:#}"
    );
    assert_eq!(tca["new_roles"], serde_json::json!(["example"]));
    let fido = tech("fido2");
    assert_eq!(fido["old_roles"], serde_json::json!([]));
    assert_eq!(fido["new_roles"], serde_json::json!(["example"]));
    // 6.11 C-11 is matched to its successor through `previous`, not reported as removed.
    let c11 = d["controls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["old"]["id"] == "6.11-C-11")
        .expect("6.11-C-11 is in the diff");
    assert_eq!(c11["kind"], "renumbered", "{c11:#}");
    let text = stdout(&run(&["diff", "guideline/editions/5.2", "guideline"]));
    assert!(
        text.contains("tls-client-auth (TLSクライアント認証): required -> example")
            || text.contains("tls-client-auth (TLSクライアント認証): example+required -> example"),
        "{text}"
    );
    assert!(text.contains("fido2 (FIDO2): absent -> example"), "{text}");
}

/// The 新旧対照表 as PDF: ministry layout, text extractable.
#[test]
fn comparison_table_pdf() {
    let tmp = tempfile::tempdir().unwrap();
    let pdf = tmp.path().join("comparison.pdf");
    let out = run(&[
        "diff",
        OLD,
        NEW,
        "--format",
        "pdf",
        "--output",
        pdf.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = std::process::Command::new("pdftotext")
        .args([pdf.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext is needed for this test: apt-get install poppler-utils (.ci/setup installs it)");
    // Table cells wrap, and Typst spaces Latin from Japanese: compare without white space.
    let text: String = String::from_utf8_lossy(&text.stdout)
        .split_whitespace()
        .collect();
    for expected in [
        "新旧対照表",
        "改正後",
        "改正前",
        "B-4",
        "(新設)",
        "(削る)",
        "利用者をAAL2以上の強度で認証",
    ] {
        assert!(text.contains(expected), "{expected} missing from:\n{text}");
    }
    assert_eq!(
        run(&["diff", OLD, NEW, "--format", "pdf"]).status.code(),
        Some(2),
        "pdf needs --output"
    );
}
