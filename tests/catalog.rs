//! The catalog outputs: JSON against its schema, OSCAL export, and OSCAL import round trips
//! on the real NIST SP 800-53 catalogs.

mod common;

use std::path::PathBuf;

use common::{root, run, stderr, stdout};
use guideline::oscal;

fn shipped() -> guideline::model::Guideline {
    guideline::load::load_dir(&root().join("guideline"))
        .unwrap()
        .guideline
        .expect("shipped guideline loads")
}

/// The committed schema is the one the Rust types generate.
#[test]
fn committed_schema_is_current() {
    let committed = std::fs::read_to_string(root().join("schema/catalog.schema.json"))
        .expect("schema/catalog.schema.json exists");
    assert_eq!(
        committed,
        guideline::render::catalog::schema_json(),
        "regenerate with `cargo run -- schema > schema/catalog.schema.json`"
    );
    assert_eq!(stdout(&run(&["schema"])), committed);
    let diff = std::fs::read_to_string(root().join("schema/diff.schema.json"))
        .expect("schema/diff.schema.json exists");
    assert_eq!(
        diff,
        guideline::diff::schema_json(),
        "regenerate with `cargo run -- schema --diff > schema/diff.schema.json`"
    );
}

/// The diff JSON of the shipped editions validates against its published schema.
#[test]
fn diff_json_validates_against_schema() {
    let schema: serde_json::Value = serde_json::from_str(&guideline::diff::schema_json()).unwrap();
    let validator = jsonschema::draft202012::new(&schema).expect("diff schema compiles");
    let out = run(&[
        "diff",
        "guideline/editions/5.2",
        "guideline",
        "--format",
        "json",
    ]);
    let value: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&value)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

/// The shipped guideline's catalog validates against the published schema.
#[test]
fn shipped_catalog_validates_against_schema() {
    let schema: serde_json::Value =
        serde_json::from_str(&guideline::render::catalog::schema_json()).unwrap();
    let validator = jsonschema::draft202012::new(&schema).expect("schema compiles");
    let catalog = guideline::render::catalog::build(&shipped());
    let value = serde_json::to_value(&catalog).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&value)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert!(
        catalog
            .parts
            .iter()
            .flat_map(|p| &p.chapters)
            .flat_map(|c| &c.controls)
            .count()
            > 0
    );
    // And a broken catalog does not validate: the schema really constrains.
    let mut broken = value.clone();
    broken["parts"][0]["chapters"][0]["controls"][0]["level"] = "mandatory".into();
    assert!(!validator.is_valid(&broken));
}

/// Same source, same bytes, for every catalog output.
#[test]
fn catalog_outputs_are_deterministic() {
    let tmp = tempfile::tempdir().unwrap();
    let a = tmp.path().join("a");
    let b = tmp.path().join("b");
    for out in [&a, &b] {
        let o = run(&[
            "build",
            "tests/fixtures/clean",
            "--out",
            out.to_str().unwrap(),
            "--only",
            "catalog,checklist",
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    }
    for name in [
        "catalog.json",
        "catalog.oscal.json",
        "catalog.oscal.en.json",
        "schema/catalog.schema.json",
        "checklist.csv",
        "checklist.xlsx",
    ] {
        assert_eq!(
            std::fs::read(a.join(name)).unwrap(),
            std::fs::read(b.join(name)).unwrap(),
            "{name} differs"
        );
    }
    let csv = std::fs::read(a.join("checklist.csv")).unwrap();
    assert!(
        csv.starts_with(b"\xEF\xBB\xBFID,"),
        "CSV starts with a BOM and the header"
    );
    insta::assert_snapshot!(
        "clean-catalog-json",
        std::fs::read_to_string(a.join("catalog.json")).unwrap()
    );
    insta::assert_snapshot!(
        "clean-oscal-json",
        std::fs::read_to_string(a.join("catalog.oscal.json")).unwrap()
    );
    insta::assert_snapshot!(
        "clean-checklist-csv",
        String::from_utf8(csv[3..].to_vec()).unwrap()
    );
}

/// A build refused or failed leaves the previous output untouched.
#[test]
fn failed_build_keeps_previous_output() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let ok = run(&[
        "build",
        "tests/fixtures/clean",
        "--out",
        out.to_str().unwrap(),
        "--only",
        "catalog",
    ]);
    assert_eq!(ok.status.code(), Some(0));
    let before = std::fs::read(out.join("catalog.json")).unwrap();
    let refused = run(&[
        "build",
        "tests/fixtures/G0202-lock-in",
        "--out",
        out.to_str().unwrap(),
        "--only",
        "catalog",
    ]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr(&refused).contains("not building"),
        "{}",
        stderr(&refused)
    );
    assert_eq!(std::fs::read(out.join("catalog.json")).unwrap(), before);
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        leftovers.len(),
        1,
        "no staging directory left behind: {leftovers:?}"
    );
}

fn corpus(name: &str) -> PathBuf {
    let path = root().join("../shared/corpora/oscal").join(name);
    assert!(
        path.is_file(),
        "test data missing: {} (the NIST SP 800-53 corpora live in ../shared/corpora/oscal beside the checkout)",
        path.display()
    );
    path
}

/// Import, check, export again, compare with the original: same IDs in the same order, same
/// statement and guidance text after white-space normalisation.
fn round_trip(file: &str, expected_controls: usize) {
    let source = corpus(file);
    let original: oscal::Document =
        serde_json::from_str(&std::fs::read_to_string(&source).unwrap()).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let tree = tmp.path().join("tree");
    let out = tmp.path().join("out");
    let imported = run(&[
        "import",
        "oscal",
        source.to_str().unwrap(),
        "--out",
        tree.to_str().unwrap(),
    ]);
    assert_eq!(imported.status.code(), Some(0), "{}", stderr(&imported));
    assert!(
        stderr(&imported).contains(&format!("imported {expected_controls} controls")),
        "{}",
        stderr(&imported)
    );
    // What did not come over is reported, not dropped silently.
    assert!(
        stderr(&imported).contains("assessment-objective"),
        "{}",
        stderr(&imported)
    );
    let checked = run(&["check", tree.to_str().unwrap(), "--deny-warnings"]);
    assert_eq!(checked.status.code(), Some(0), "{}", stderr(&checked));
    let built = run(&[
        "build",
        tree.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--only",
        "catalog",
    ]);
    assert_eq!(built.status.code(), Some(0), "{}", stderr(&built));
    let exported: oscal::Document =
        serde_json::from_str(&std::fs::read_to_string(out.join("catalog.oscal.en.json")).unwrap())
            .unwrap();

    let params = guideline::import::params_of(&original.catalog);
    let render = |id: &str| guideline::import::render_param(id, &params, 0);
    let before = oscal::all_controls(&original.catalog);
    let after = oscal::all_controls(&exported.catalog);
    let ids = |v: &[&oscal::Control]| v.iter().map(|c| c.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&before), ids(&after), "control IDs and order");
    assert_eq!(after.len(), expected_controls);
    let none = |_: &str| String::new();
    for (a, b) in before.iter().zip(&after) {
        for part in ["statement", "guidance"] {
            let want = oscal::part_text(a, part, &render).unwrap_or_default();
            let got = oscal::part_text(b, part, &none).unwrap_or_default();
            assert_eq!(got, want, "{} {part}", a.id);
        }
    }
}

#[test]
fn sp800_53_moderate_round_trips() {
    round_trip(
        "NIST_SP-800-53_rev5_MODERATE-baseline-resolved-profile_catalog.json",
        287,
    );
}

#[test]
fn sp800_53_low_round_trips() {
    round_trip(
        "NIST_SP-800-53_rev5_LOW-baseline-resolved-profile_catalog.json",
        149,
    );
}

#[test]
fn sp800_53_high_round_trips() {
    round_trip(
        "NIST_SP-800-53_rev5_HIGH-baseline-resolved-profile_catalog-min.json",
        370,
    );
}
