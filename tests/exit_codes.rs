//! The exit status of every command, as README.md states it: 0 clean, 1 findings at error
//! level (or any finding with `--deny-warnings`, and a build or `applies` refused because of
//! them), 2 bad usage, unreadable input, an output directory that is not the build's to
//! replace, or an output that cannot be written. Each case runs the real binary.

mod common;

use common::{run, stderr};

#[test]
fn exit_status_is_what_the_readme_says() {
    let scratch = tempfile::tempdir().unwrap();
    let dir = |name: &str| scratch.path().join(name).to_string_lossy().into_owned();
    let a_file = dir("a-file");
    std::fs::write(&a_file, "not a directory").unwrap();
    let not_oscal = dir("not-oscal.json");
    std::fs::write(&not_oscal, r#"{"hello": "world"}"#).unwrap();
    let not_json = dir("not-json.json");
    std::fs::write(&not_json, "catalog = nope").unwrap();
    let unwritable = dir("no/such/dir/table.pdf");
    let (built, refused, imported_a, imported_b) = (
        dir("built"),
        dir("refused"),
        dir("imported-a"),
        dir("imported-b"),
    );

    let pdf_diff = vec![
        "diff",
        "tests/diff-fixtures/old",
        "tests/diff-fixtures/new",
        "--format",
        "pdf",
    ];
    let cases: Vec<(&str, Vec<&str>, i32)> = vec![
        // 0: clean.
        ("a clean check", vec!["check", "tests/fixtures/clean"], 0),
        ("an explained lint", vec!["explain", "G0202"], 0),
        (
            "a clean build",
            vec![
                "build",
                "tests/fixtures/clean",
                "--out",
                &built,
                "--only",
                "catalog",
            ],
            0,
        ),
        (
            "a diff",
            vec!["diff", "tests/diff-fixtures/old", "tests/diff-fixtures/new"],
            0,
        ),
        // 1: findings at error level, and what they refuse.
        (
            "a check with an error",
            vec!["check", "tests/fixtures/G0202-lock-in"],
            1,
        ),
        (
            "a build refused by an error",
            vec![
                "build",
                "tests/fixtures/G0202-lock-in",
                "--out",
                &refused,
                "--only",
                "catalog",
            ],
            1,
        ),
        // 2: usage, unreadable input, outputs that are not ours or cannot be written.
        ("an unknown option", vec!["check", "--no-such-option"], 2),
        ("an unknown command", vec!["no-such-command"], 2),
        ("an unknown lint", vec!["explain", "G9999"], 2),
        (
            "a guideline that does not exist",
            vec!["check", "tests/fixtures/no-such-guideline"],
            2,
        ),
        (
            "--out naming a file",
            vec!["build", "tests/fixtures/clean", "--out", &a_file],
            2,
        ),
        (
            "JSON that is not an OSCAL catalog",
            vec!["import", "oscal", &not_oscal, "--out", &imported_a],
            2,
        ),
        (
            "a file that is not JSON",
            vec!["import", "oscal", &not_json, "--out", &imported_b],
            2,
        ),
        ("a PDF diff without --output", pdf_diff.clone(), 2),
        (
            "a PDF diff that cannot be written",
            [pdf_diff.as_slice(), &["-o", &unwritable]].concat(),
            2,
        ),
    ];
    let mut wrong = Vec::new();
    for (what, args, expected) in &cases {
        let out = run(args);
        let code = out.status.code();
        if code != Some(*expected) {
            wrong.push(format!(
                "{what} (guideline {}): exit {code:?}, expected {expected}\n{}",
                args.join(" "),
                stderr(&out)
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // Nothing was imported from input that could not be read.
    assert!(!std::path::Path::new(&imported_a)
        .join("guideline.toml")
        .exists());
}

/// A reader that stops reading (`guideline explain | head -1`) ends the output, not the
/// program with a panic: every command that writes to standard output, with the pipe
/// closed before it writes.
#[test]
fn a_closed_pipe_is_no_panic() {
    let bin = env!("CARGO_BIN_EXE_guideline");
    let cases: &[&[&str]] = &[
        &["explain"],
        &["schema"],
        &["check", "tests/fixtures/G0202-lock-in", "--format", "json"],
        &["diff", "tests/diff-fixtures/old", "tests/diff-fixtures/new"],
    ];
    for args in cases {
        let mut child = std::process::Command::new(bin)
            .args(*args)
            .current_dir(common::root())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // Close the reading end before the program writes.
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert_ne!(out.status.code(), Some(101), "{args:?}: {err}");
    }
}
