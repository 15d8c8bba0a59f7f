//! Helpers shared by the end-to-end tests: run the real binary from the project root.

#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `guideline ARGS` in the project root with colours off.
pub fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_guideline"))
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .env("SOURCE_DATE_EPOCH", "1764000000")
        .output()
        .expect("binary runs")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("stdout is UTF-8")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).expect("stderr is UTF-8")
}

/// The findings of a `check --format json` run.
pub fn findings(out: &Output) -> Vec<serde_json::Value> {
    let findings: serde_json::Value = serde_json::from_str(&stdout(out)).expect("json output");
    findings.as_array().expect("a list of findings").clone()
}

/// The codes of the findings of a `check --format json` run, in order.
pub fn codes(out: &Output) -> Vec<String> {
    findings(out)
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_string())
        .collect()
}

/// Copies a directory tree (for tests that modify a fixture).
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A copy of lint fixture `name` as `dir/g`, with the registry the fixtures share beside it
/// (as `../registry.toml` from the copy); returns the copy's path.
pub fn fixture_copy(name: &str, dir: &Path) -> std::path::PathBuf {
    let g = dir.join("g");
    copy_tree(&root().join("tests/fixtures").join(name), &g);
    std::fs::copy(
        root().join("tests/fixtures/registry.toml"),
        dir.join("registry.toml"),
    )
    .unwrap();
    g
}
