//! The catalog outputs: JSON against its schema, OSCAL export, and OSCAL import round trips
//! on the real NIST SP 800-53 catalogs.

mod common;

use std::path::PathBuf;

use common::{root, run, stderr, stdout};

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

/// The fields the build regenerates, and so the only ones a round trip may change: the
/// document's uuid and its `last-modified`.
fn without_regenerated(mut doc: serde_json::Value) -> serde_json::Value {
    let catalog = doc["catalog"].as_object_mut().expect("a catalog");
    catalog.remove("uuid");
    catalog["metadata"]
        .as_object_mut()
        .expect("metadata")
        .remove("last-modified");
    doc
}

/// Counts in an OSCAL catalog, read off the JSON itself (not through our types): what the
/// issue measured, so a failure says what was lost.
#[derive(Debug, PartialEq, Default)]
struct Structure {
    controls: usize,
    nested_controls: usize,
    params: usize,
    inserts: usize,
    parts_with_id: usize,
    links: usize,
    props: usize,
    resources: usize,
}

fn structure(doc: &serde_json::Value) -> Structure {
    fn len(v: &serde_json::Value, key: &str) -> usize {
        v.get(key).and_then(|a| a.as_array()).map_or(0, Vec::len)
    }
    fn parts(v: &serde_json::Value, s: &mut Structure) {
        for p in v
            .get("parts")
            .and_then(|a| a.as_array())
            .into_iter()
            .flatten()
        {
            if p.get("id").is_some() {
                s.parts_with_id += 1;
            }
            parts(p, s);
        }
    }
    fn control(c: &serde_json::Value, nested: bool, s: &mut Structure) {
        s.controls += 1;
        if nested {
            s.nested_controls += 1;
        }
        s.params += len(c, "params");
        s.links += len(c, "links");
        s.props += len(c, "props");
        parts(c, s);
        for k in c
            .get("controls")
            .and_then(|a| a.as_array())
            .into_iter()
            .flatten()
        {
            control(k, true, s);
        }
    }
    fn group(g: &serde_json::Value, s: &mut Structure) {
        for c in g
            .get("controls")
            .and_then(|a| a.as_array())
            .into_iter()
            .flatten()
        {
            control(c, false, s);
        }
        for sub in g
            .get("groups")
            .and_then(|a| a.as_array())
            .into_iter()
            .flatten()
        {
            group(sub, s);
        }
    }
    let mut s = Structure::default();
    group(&doc["catalog"], &mut s);
    s.inserts = doc.to_string().matches("{{ insert: param,").count();
    s.resources = len(&doc["catalog"]["back-matter"], "resources");
    s
}

/// Import a catalog, check the tree with `--deny-warnings`, build its catalog and return
/// (original JSON, exported JSON in `lang_file`, the tree).
fn import_and_export(
    source: &std::path::Path,
    lang_file: &str,
    tmp: &std::path::Path,
) -> (serde_json::Value, serde_json::Value, PathBuf) {
    let tree = tmp.join("tree");
    let out = tmp.join("out");
    let imported = run(&[
        "import",
        "oscal",
        source.to_str().unwrap(),
        "--out",
        tree.to_str().unwrap(),
    ]);
    assert_eq!(imported.status.code(), Some(0), "{}", stderr(&imported));
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
    let original: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(source).unwrap()).unwrap();
    let exported: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join(lang_file)).unwrap()).unwrap();
    (original, exported, tree)
}

/// The first place two JSON values differ, for a readable failure.
fn first_difference(a: &serde_json::Value, b: &serde_json::Value, path: String) -> Option<String> {
    use serde_json::Value::{Array, Object};
    match (a, b) {
        (Object(x), Object(y)) => {
            for k in x.keys().chain(y.keys()) {
                match (x.get(k), y.get(k)) {
                    (Some(p), Some(q)) => {
                        if let Some(d) = first_difference(p, q, format!("{path}.{k}")) {
                            return Some(d);
                        }
                    }
                    (p, q) => return Some(format!("{path}.{k}: {p:?} vs {q:?}")),
                }
            }
            None
        }
        (Array(x), Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .find_map(|(i, (p, q))| first_difference(p, q, format!("{path}[{i}]"))),
        _ if a == b => None,
        _ => {
            let short = |v: &serde_json::Value| v.to_string().chars().take(300).collect::<String>();
            Some(format!("{path}: {} vs {}", short(a), short(b)))
        }
    }
}

/// Import, check, export: the exported catalog equals the original as JSON, apart from the
/// document uuid and `last-modified`.
fn round_trip(file: &str, expected: Structure) {
    let source = corpus(file);
    let tmp = tempfile::tempdir().unwrap();
    let (original, exported, _) = import_and_export(&source, "catalog.oscal.en.json", tmp.path());
    assert_eq!(
        structure(&original),
        expected,
        "the corpus is the one measured"
    );
    assert_eq!(
        structure(&exported),
        expected,
        "structure after the round trip"
    );
    let (original, exported) = (without_regenerated(original), without_regenerated(exported));
    if let Some(d) = first_difference(&original, &exported, String::new()) {
        panic!("the round trip changed {file}: {d}");
    }
    assert_eq!(original, exported);
}

#[test]
fn sp800_53_moderate_round_trips() {
    round_trip(
        "NIST_SP-800-53_rev5_MODERATE-baseline-resolved-profile_catalog.json",
        Structure {
            controls: 287,
            nested_controls: 110,
            params: 643,
            inserts: 1271,
            parts_with_id: 3885,
            links: 2777,
            props: 1567,
            resources: 147,
        },
    );
}

#[test]
fn sp800_53_low_round_trips() {
    let source = corpus("NIST_SP-800-53_rev5_LOW-baseline-resolved-profile_catalog.json");
    let original: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&source).unwrap()).unwrap();
    let counts = structure(&original);
    assert_eq!(counts.controls, 149);
    round_trip(
        "NIST_SP-800-53_rev5_LOW-baseline-resolved-profile_catalog.json",
        counts,
    );
}

#[test]
fn sp800_53_high_round_trips() {
    let source = corpus("NIST_SP-800-53_rev5_HIGH-baseline-resolved-profile_catalog-min.json");
    let original: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&source).unwrap()).unwrap();
    let counts = structure(&original);
    assert_eq!(counts.controls, 370);
    round_trip(
        "NIST_SP-800-53_rev5_HIGH-baseline-resolved-profile_catalog-min.json",
        counts,
    );
}

/// Our own guideline exported, imported and exported again gives the same catalog, in
/// both languages; its items and parameters are in the first export.
#[test]
fn own_catalog_round_trips() {
    let tmp = tempfile::tempdir().unwrap();
    let first = tmp.path().join("first");
    let built = run(&[
        "build",
        "guideline",
        "--out",
        first.to_str().unwrap(),
        "--only",
        "catalog",
    ]);
    assert_eq!(built.status.code(), Some(0), "{}", stderr(&built));
    for file in ["catalog.oscal.json", "catalog.oscal.en.json"] {
        let work = tmp.path().join(file);
        let (original, exported, _) = import_and_export(&first.join(file), file, &work);
        let s = structure(&original);
        assert!(
            s.params >= 6 && s.inserts >= 6,
            "{file}: our parameters are exported: {s:?}"
        );
        let text = original.to_string();
        assert!(
            text.contains("\"C-6.6_smt.2.1\""),
            "{file}: nested items are exported"
        );
        let (original, exported) = (without_regenerated(original), without_regenerated(exported));
        if let Some(d) = first_difference(&original, &exported, String::new()) {
            panic!("the round trip changed {file}: {d}");
        }
    }
}

/// The items and parameters of an imported catalog live in the Markdown and the metadata,
/// not in what `oscal.json` carries: editing them there changes the export, and only there.
#[test]
fn imported_items_and_params_are_source() {
    let source = corpus("NIST_SP-800-53_rev5_LOW-baseline-resolved-profile_catalog.json");
    let tmp = tempfile::tempdir().unwrap();
    let (_, before, tree) = import_and_export(&source, "catalog.oscal.en.json", tmp.path());
    let en = tree.join("parts/1-catalog/01-ac.en.md");
    let text = std::fs::read_to_string(&en).unwrap();
    let item = "- **b.** Assign account managers;";
    assert!(
        text.contains(item),
        "ac-2 b. is an item line in {}",
        en.display()
    );
    std::fs::write(
        &en,
        text.replace(item, "- **b.** Assign two account managers;"),
    )
    .unwrap();
    let ja = tree.join("parts/1-catalog/01-ac.ja.md");
    let meta = std::fs::read_to_string(&ja).unwrap();
    let label = "label = \"prerequisites and criteria\"";
    assert!(
        meta.contains(label),
        "ac-02_odp.01 is declared in the metadata"
    );
    std::fs::write(&ja, meta.replace(label, "label = \"entry criteria\"")).unwrap();
    let out = tmp.path().join("out2");
    let built = run(&[
        "build",
        tree.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--only",
        "catalog",
    ]);
    assert_eq!(built.status.code(), Some(0), "{}", stderr(&built));
    let after: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("catalog.oscal.en.json")).unwrap())
            .unwrap();
    let ac2 = |doc: &serde_json::Value| {
        doc["catalog"]["groups"][0]["controls"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == "ac-2")
            .cloned()
            .unwrap()
    };
    let (b, a) = (ac2(&before), ac2(&after));
    assert_eq!(b["parts"][0]["parts"][1]["id"], "ac-2_smt.b");
    assert_eq!(
        a["parts"][0]["parts"][1]["prose"],
        "Assign two account managers;"
    );
    assert_eq!(b["params"][0]["label"], "prerequisites and criteria");
    assert_eq!(a["params"][0]["label"], "entry criteria");
    // Nothing else moved.
    let mut a2 = a.clone();
    a2["parts"][0]["parts"][1]["prose"] = b["parts"][0]["parts"][1]["prose"].clone();
    a2["params"][0]["label"] = b["params"][0]["label"].clone();
    assert_eq!(a2, b);
}

/// Prose that Markdown cannot hold exactly (trailing spaces) is carried in oscal.json, but
/// only while the Markdown is what the import wrote: an edit there wins.
#[test]
fn carried_exact_prose_gives_way_to_an_edit() {
    let source = corpus("NIST_SP-800-53_rev5_MODERATE-baseline-resolved-profile_catalog.json");
    let tmp = tempfile::tempdir().unwrap();
    let (_, _, tree) = import_and_export(&source, "catalog.oscal.en.json", tmp.path());
    let carried: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(tree.join("oscal.json")).unwrap()).unwrap();
    let (id, written) = carried["written"]
        .as_object()
        .unwrap()
        .iter()
        .find(|(id, _)| id.contains("_smt."))
        .map(|(id, w)| (id.clone(), w.as_str().unwrap().to_string()))
        .expect("SP 800-53 moderate has items whose exact prose is carried");
    let chapter = std::fs::read_dir(tree.join("parts/1-catalog"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".en.md"))
        .find(|p| std::fs::read_to_string(p).unwrap().contains(&written))
        .expect("the written Markdown is in an English chapter");
    let text = std::fs::read_to_string(&chapter).unwrap();
    std::fs::write(
        &chapter,
        text.replacen(&written, "Edited text of the item.", 1),
    )
    .unwrap();
    let out = tmp.path().join("edited");
    let built = run(&[
        "build",
        tree.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--only",
        "catalog",
    ]);
    assert_eq!(built.status.code(), Some(0), "{}", stderr(&built));
    let exported = std::fs::read_to_string(out.join("catalog.oscal.en.json")).unwrap();
    let doc: serde_json::Value = serde_json::from_str(&exported).unwrap();
    fn find<'a>(v: &'a serde_json::Value, id: &str) -> Option<&'a serde_json::Value> {
        match v {
            serde_json::Value::Object(o) => {
                if o.get("id").and_then(|i| i.as_str()) == Some(id) {
                    return Some(v);
                }
                o.values().find_map(|c| find(c, id))
            }
            serde_json::Value::Array(a) => a.iter().find_map(|c| find(c, id)),
            _ => None,
        }
    }
    let part = find(&doc, &id).expect("the item is exported");
    assert_eq!(part["prose"], "Edited text of the item.", "{id}");
}
