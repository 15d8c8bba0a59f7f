//! End-to-end tests of `guideline disclosure`: the shipped example, init, every finding at
//! its line, migration across editions and the rendered documents. Expected values come
//! from outputs that do not go through the disclosure code: catalog.json, `applies`,
//! `diff --format json`, and the TOML read with the toml crate.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use common::{copy_tree, root, run, stderr, stdout};

const EXAMPLE: &str = "examples/disclosures/cloud-pacs.toml";

/// `disclosure check` in JSON: (code, line, message) of each finding.
fn findings(file: &Path, guideline: &str, extra: &[&str]) -> Vec<(String, u64, String)> {
    let mut args = vec![
        "disclosure",
        "check",
        file.to_str().unwrap(),
        guideline,
        "--format",
        "json",
    ];
    args.extend(extra);
    let out = run(&args);
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&out)).unwrap_or_else(|e| panic!("{e}: {}", stderr(&out)));
    json.as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// The control IDs of the shipped guideline in document order, from catalog.json.
fn catalog_ids(dir: &Path) -> Vec<String> {
    let out = dir.join("catalog-out");
    let built = run(&[
        "build",
        "guideline",
        "--out",
        out.to_str().unwrap(),
        "--only",
        "catalog",
    ]);
    assert_eq!(built.status.code(), Some(0), "{}", stderr(&built));
    let catalog: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("catalog.json")).unwrap()).unwrap();
    let mut ids = Vec::new();
    for p in catalog["parts"].as_array().unwrap() {
        for c in p["chapters"].as_array().unwrap() {
            for k in c["controls"].as_array().unwrap() {
                ids.push(k["id"].as_str().unwrap().to_string());
            }
        }
    }
    ids
}

/// The answers of a disclosure, read with the toml crate: control ID -> its table.
fn answers(text: &str) -> BTreeMap<String, toml::Table> {
    let doc: toml::Table = text.parse().expect("a disclosure is TOML");
    doc.get("answers")
        .and_then(|a| a.as_table())
        .map(|t| {
            t.iter()
                .map(|(k, v)| (k.clone(), v.as_table().unwrap().clone()))
                .collect()
        })
        .unwrap_or_default()
}

/// The table header of a control's answer.
fn head(id: &str) -> String {
    format!("[answers.\"{id}\"]")
}

/// The 1-based line of the first line of `text` that contains `needle` after `after`.
fn line_of(text: &str, after: &str, needle: &str) -> u64 {
    let start = text.find(after).unwrap_or_else(|| panic!("no {after:?}"));
    let at = start
        + text[start..]
            .find(needle)
            .unwrap_or_else(|| panic!("no {needle:?}"));
    text[..at].matches('\n').count() as u64 + 1
}

#[test]
fn shipped_example_checks_clean_and_answers_every_control() {
    let tmp = tempfile::tempdir().unwrap();
    let out = run(&[
        "disclosure",
        "check",
        EXAMPLE,
        "guideline",
        "--deny-warnings",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = std::fs::read_to_string(root().join(EXAMPLE)).unwrap();
    let listed: Vec<String> = answers(&text).into_keys().collect();
    let mut expected = catalog_ids(tmp.path());
    expected.sort();
    assert_eq!(listed, expected, "one answer per control of the catalog");
}

#[test]
fn init_lists_every_control_or_those_of_a_preset() {
    let tmp = tempfile::tempdir().unwrap();
    let all = tmp.path().join("all.toml");
    let out = run(&[
        "disclosure",
        "init",
        "guideline",
        "--out",
        all.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = std::fs::read_to_string(&all).unwrap();
    let ids = catalog_ids(tmp.path());
    // Every control in order, its title as the comment above its table.
    let tables: Vec<&str> = text
        .lines()
        .filter_map(|l| l.strip_prefix("[answers.\"")?.strip_suffix("\"]"))
        .collect();
    assert_eq!(tables, ids.iter().map(String::as_str).collect::<Vec<_>>());
    let catalog: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(tmp.path().join("catalog-out/catalog.json")).unwrap(),
    )
    .unwrap();
    let first = &catalog["parts"][0]["chapters"][0]["controls"][0];
    assert!(
        text.contains(&format!(
            "# {} / {}\n[answers.\"{}\"]",
            first["title"]["ja"].as_str().unwrap(),
            first["title"]["en"].as_str().unwrap(),
            first["id"].as_str().unwrap()
        )),
        "titles as comments"
    );
    // Unanswered: check lists every control as missing.
    let f = findings(&all, "guideline", &[]);
    assert_eq!(f.len(), ids.len(), "{f:?}");
    assert!(f.iter().all(|(code, _, _)| code == "G0603"));
    // init never replaces a file.
    let again = run(&[
        "disclosure",
        "init",
        "guideline",
        "--out",
        all.to_str().unwrap(),
    ]);
    assert_eq!(again.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&all).unwrap(), text);

    // With a preset: the controls that `applies` lists for it.
    let clinic = tmp.path().join("clinic.toml");
    let out = run(&[
        "disclosure",
        "init",
        "guideline",
        "--out",
        clinic.to_str().unwrap(),
        "--preset",
        "small-clinic",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let applies = run(&[
        "applies",
        "guideline",
        "--preset",
        "small-clinic",
        "--format",
        "json",
    ]);
    let applies: serde_json::Value = serde_json::from_str(&stdout(&applies)).unwrap();
    let expected: BTreeSet<String> = applies["controls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect();
    let got: BTreeSet<String> = answers(&std::fs::read_to_string(&clinic).unwrap())
        .into_keys()
        .collect();
    assert_eq!(got, expected);
    assert!(expected.len() < ids.len());
}

/// Each fault injected into the shipped example is reported, with its code, at its line,
/// and nothing else is.
#[test]
fn each_injected_fault_is_reported_at_its_line() {
    let example = std::fs::read_to_string(root().join(EXAMPLE)).unwrap();
    let tables = answers(&example);
    // A yes with technologies, a yes with items, a planned answer, an AAL2 control.
    let with_items = tables
        .iter()
        .find(|(_, t)| t.contains_key("items") && t["answer"].as_str() == Some("yes"))
        .map(|(id, _)| id.clone())
        .expect("the example answers a control with items");
    let planned = tables
        .iter()
        .find(|(_, t)| t["answer"].as_str() == Some("planned"))
        .map(|(id, _)| id.clone())
        .expect("the example has a planned answer");
    let tmp = tempfile::tempdir().unwrap();
    type Fault = (&'static str, Box<dyn Fn(&str) -> (String, u64)>);
    let faults: Vec<Fault> = vec![
        (
            "G0602",
            Box::new(|t: &str| {
                let s = format!("{t}\n[answers.\"C-99.1\"]\nanswer = \"yes\"\n");
                let line = line_of(&s, "", "[answers.\"C-99.1\"]");
                (s, line)
            }),
        ),
        (
            "G0603",
            Box::new(|t: &str| {
                let at = t.find(&head("C-7.1")).unwrap();
                let rest = &t[at..];
                let a = at + rest.find("answer = \"yes\"").unwrap();
                let s = format!(
                    "{}answer = \"\"{}",
                    &t[..a],
                    &t[a + "answer = \"yes\"".len()..]
                );
                let line = line_of(&s, &head("C-7.1"), "answer = \"\"");
                (s, line)
            }),
        ),
        (
            "G0604",
            Box::new(move |t: &str| {
                let h = head(&with_items);
                let at = t.find(&h).unwrap();
                let items = at + t[at..].find("\nitems = ").unwrap() + 1;
                let end = items + t[items..].find('\n').unwrap() + 1;
                let s = format!("{}{}", &t[..items], &t[end..]);
                let line = line_of(&s, &h, "answer = ");
                (s, line)
            }),
        ),
        (
            "G0605",
            Box::new(|t: &str| {
                let at = t.find(&head("C-7.1")).unwrap();
                let tech = at + t[at..].find("technologies = [").unwrap();
                let s = format!(
                    "{}technologies = [\"fido\", {}",
                    &t[..tech],
                    &t[tech + "technologies = [".len()..]
                );
                let line = line_of(&s, &head("C-7.1"), "technologies = [");
                (s, line)
            }),
        ),
        (
            "G0606",
            Box::new(|t: &str| {
                let at = t.find(&head("C-7.1")).unwrap();
                let tech = at + t[at..].find("technologies = [").unwrap();
                let s = format!(
                    "{}technologies = [\"sms-otp\", {}",
                    &t[..tech],
                    &t[tech + "technologies = [".len()..]
                );
                let line = line_of(&s, &head("C-7.1"), "technologies = [");
                (s, line)
            }),
        ),
        (
            "G0607",
            Box::new(|t: &str| {
                let at = t.find(&head("C-7.1")).unwrap();
                let tech = at + t[at..].find("technologies = [").unwrap();
                let end = tech + t[tech..].find('\n').unwrap();
                let s = format!("{}technologies = [\"password\"]{}", &t[..tech], &t[end..]);
                let line = line_of(&s, &head("C-7.1"), "answer = ");
                (s, line)
            }),
        ),
        (
            "G0608",
            Box::new(move |t: &str| {
                let h = head(&planned);
                let at = t.find(&h).unwrap();
                let by = at + t[at..].find("by = \"").unwrap();
                let end = by + t[by..].find('\n').unwrap();
                let s = format!("{}by = \"2020-01-01\"{}", &t[..by], &t[end..]);
                let line = line_of(&s, &h, "by = ");
                (s, line)
            }),
        ),
        (
            "G0610",
            Box::new(|t: &str| {
                let s = t.replacen("edition = \"6.0-draft\"", "edition = \"5.2\"", 1);
                let line = line_of(&s, "", "edition = \"5.2\"");
                (s, line)
            }),
        ),
        (
            "G0610",
            Box::new(|t: &str| {
                let s = t.replacen("digest = \"sha256:", "digest = \"sha256:0", 1);
                let line = line_of(&s, "", "digest = ");
                (s, line)
            }),
        ),
    ];
    for (i, (code, inject)) in faults.iter().enumerate() {
        let (text, line) = inject(&example);
        let file = tmp.path().join(format!("fault-{i}.toml"));
        std::fs::write(&file, &text).unwrap();
        let f = findings(&file, "guideline", &[]);
        assert!(
            f.iter().any(|(c, l, _)| c == code && *l == line),
            "fault {i}: expected {code} at line {line}, got {f:?}"
        );
        assert!(
            f.iter().all(|(c, _, _)| c == code),
            "fault {i}: only {code} expected, got {f:?}"
        );
    }
}

/// The clinic's side: what applies to a small clinic and the vendor answers no or leaves open.
#[test]
fn clinic_side_lists_what_applies_and_is_not_met() {
    let example = std::fs::read_to_string(root().join(EXAMPLE)).unwrap();
    let tables = answers(&example);
    let applies = run(&[
        "applies",
        "guideline",
        "--preset",
        "small-clinic",
        "--format",
        "json",
    ]);
    let applies: serde_json::Value = serde_json::from_str(&stdout(&applies)).unwrap();
    let expected: BTreeSet<String> = applies["controls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .filter(|id| {
            let answer = tables
                .get(id)
                .and_then(|t| t["answer"].as_str())
                .unwrap_or("");
            answer == "no" || answer.is_empty()
        })
        .collect();
    let f = findings(
        &root().join(EXAMPLE),
        "guideline",
        &["--preset", "small-clinic"],
    );
    let got: BTreeSet<String> = f
        .iter()
        .filter(|(c, _, _)| c == "G0611")
        .map(|(_, _, m)| m.split_whitespace().next().unwrap().to_string())
        .collect();
    assert_eq!(got, expected);
    assert!(f.iter().all(|(c, _, _)| c == "G0611"), "{f:?}");
}

/// What `migrate` must mark, worked out from `diff --format json`: each control of the new
/// edition that was added, changed, or matched by more than one old control.
fn expected_reviews(old: &str, new: &str) -> (BTreeSet<String>, BTreeMap<String, String>) {
    let out = run(&["diff", old, new, "--format", "json"]);
    let diff: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let mut olds: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut review = BTreeSet::new();
    for c in diff["controls"].as_array().unwrap() {
        let Some(new_id) = c["new"]["id"].as_str() else {
            continue;
        };
        if c["kind"] == "added" || !c["fields"].as_array().unwrap().is_empty() {
            review.insert(new_id.to_string());
        }
        if let Some(old_id) = c["old"]["id"].as_str() {
            olds.entry(new_id.to_string())
                .or_default()
                .push(old_id.to_string());
        }
    }
    let mut carried_from = BTreeMap::new();
    for (new_id, list) in olds {
        if list.len() > 1 {
            review.insert(new_id.clone());
        }
        carried_from.insert(new_id, list[0].clone());
    }
    (review, carried_from)
}

/// Migrates an all-"no" disclosure of `old` to `new` and checks that exactly the expected
/// answers are marked, that check lists those and nothing else, and that the others are
/// carried.
fn migrate_and_compare(tmp: &Path, old: &str, new: &str) -> usize {
    let first = tmp.join("old.toml");
    let out = run(&["disclosure", "init", old, "--out", first.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = std::fs::read_to_string(&first)
        .unwrap()
        .replace("answer = \"\"", "answer = \"no\"")
        .lines()
        .filter(|l| !l.starts_with("items = ") && !l.starts_with("params = "))
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(&first, &text).unwrap();
    assert!(
        findings(&first, old, &[]).is_empty(),
        "the old disclosure checks clean"
    );
    let migrated = tmp.join("new.toml");
    let out = run(&[
        "disclosure",
        "migrate",
        first.to_str().unwrap(),
        "--from",
        old,
        "--to",
        new,
        "--out",
        migrated.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let (expected, carried_from) = expected_reviews(old, new);
    let result = std::fs::read_to_string(&migrated).unwrap();
    let tables = answers(&result);
    let marked: BTreeSet<String> = tables
        .iter()
        .filter(|(_, t)| t.contains_key("review"))
        .map(|(id, _)| id.clone())
        .collect();
    assert_eq!(marked, expected, "answers marked for review");
    // check lists exactly those, and nothing else.
    let f = findings(&migrated, new, &[]);
    assert!(f.iter().all(|(c, _, _)| c == "G0609"), "{f:?}");
    assert_eq!(f.len(), expected.len());
    // The others keep the old answer.
    for (id, t) in &tables {
        if !expected.contains(id) {
            assert_eq!(t["answer"].as_str(), Some("no"), "{id} carried");
            let from = carried_from.get(id).unwrap_or(id);
            assert!(
                text.contains(&format!("[answers.\"{from}\"]")),
                "{id} from {from}"
            );
        }
    }
    expected.len()
}

#[test]
fn migrate_from_5_2_marks_exactly_the_changed_controls() {
    let tmp = tempfile::tempdir().unwrap();
    let marked = migrate_and_compare(tmp.path(), "guideline/editions/5.2", "guideline");
    assert!(marked > 0);
    // Migrating the result again (to the same edition) keeps every pending review.
    let again = tmp.path().join("again.toml");
    let out = run(&[
        "disclosure",
        "migrate",
        tmp.path().join("new.toml").to_str().unwrap(),
        "--from",
        "guideline",
        "--to",
        "guideline",
        "--out",
        again.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let pending = answers(&std::fs::read_to_string(&again).unwrap())
        .values()
        .filter(|t| t.contains_key("review"))
        .count();
    assert_eq!(
        pending, marked,
        "pending reviews survive a second migration"
    );
    // A disclosure of another edition is refused, and nothing is written.
    let wrong = tmp.path().join("wrong.toml");
    let out = run(&[
        "disclosure",
        "migrate",
        tmp.path().join("old.toml").to_str().unwrap(),
        "--from",
        "guideline",
        "--to",
        "guideline",
        "--out",
        wrong.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(!wrong.exists());
}

/// Within an edition: one statement changed, one control added; every other answer is
/// carried without a mark.
#[test]
fn migrate_carries_unchanged_answers_without_review() {
    let tmp = tempfile::tempdir().unwrap();
    let old = tmp.path().join("old");
    let new = tmp.path().join("new");
    copy_tree(&root().join("guideline"), &old);
    copy_tree(&root().join("guideline"), &new);
    for lang in ["ja", "en"] {
        let path = new.join(format!("parts/4-control/07-authentication.{lang}.md"));
        let text = std::fs::read_to_string(&path).unwrap();
        let text = if lang == "ja" {
            text.replacen(
                "用いないこと。",
                "用いず、設定を年に1回確認すること。",
                1,
            ) + "\n## C-7.99 検査用の追加項目\n\n```toml meta\nlevel = \"recommended\"\n```\n\n### 要求事項\n\n認証の記録を残すこと。\n\n### 解説\n\n検査用である。\n"
        } else {
            text.replacen("Do not use", "Never use, and check the settings once a year for,", 1)
                + "\n## C-7.99 Added for the test\n\n### Statement\n\nKeep records of authentication.\n\n### Guidance\n\nFor the test.\n"
        };
        std::fs::write(&path, text).unwrap();
    }
    let (old, new) = (old.to_str().unwrap(), new.to_str().unwrap());
    let checked = run(&["check", new]);
    assert_eq!(checked.status.code(), Some(0), "{}", stderr(&checked));
    let marked = migrate_and_compare(tmp.path(), old, new);
    let (expected, _) = expected_reviews(old, new);
    assert!(expected.contains("C-7.99"), "{expected:?}");
    assert_eq!(marked, 2, "{expected:?}");
}

#[test]
fn renders_xlsx_html_and_oscal_with_every_answer() {
    use calamine::{DataType, Reader};
    let example = std::fs::read_to_string(root().join(EXAMPLE)).unwrap();
    let tables = answers(&example);
    let tmp = tempfile::tempdir().unwrap();
    let ids = catalog_ids(tmp.path());
    let label = |a: &str| match a {
        "yes" => "はい",
        "no" => "いいえ",
        "n/a" => "該当なし",
        "planned" => "予定",
        _ => "",
    };
    let xlsx = tmp.path().join("d.xlsx");
    let out = run(&[
        "disclosure",
        "render",
        EXAMPLE,
        "guideline",
        "--format",
        "xlsx",
        "-o",
        xlsx.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&xlsx).unwrap();
    let sheet = book.worksheet_range("回答 Answers").unwrap();
    let rows: Vec<Vec<String>> = sheet
        .rows()
        .skip(1)
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    assert_eq!(
        rows.iter().map(|r| r[0].as_str()).collect::<Vec<_>>(),
        ids.iter().map(String::as_str).collect::<Vec<_>>(),
        "one row a control, in the guideline's order"
    );
    for r in &rows {
        let want = label(tables[&r[0]]["answer"].as_str().unwrap());
        assert_eq!(r[3], want, "{}", r[0]);
    }
    let summary = book.worksheet_range("集計 Summary").unwrap();
    let total: f64 = summary
        .rows()
        .skip(1)
        .flat_map(|r| r[1..].iter().filter_map(|c| c.get_float()))
        .sum();
    assert_eq!(total as usize, ids.len(), "the summary counts every answer");

    let html = tmp.path().join("d.html");
    let out = run(&[
        "disclosure",
        "render",
        EXAMPLE,
        "guideline",
        "--format",
        "html",
        "-o",
        html.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let page = std::fs::read_to_string(&html).unwrap();
    for id in &ids {
        assert!(
            page.contains(&format!("<th scope=\"row\">{id}</th>")),
            "{id} in the page"
        );
    }
    assert!(!page.contains("<script"));

    let oscal = tmp.path().join("d.json");
    let out = run(&[
        "disclosure",
        "render",
        EXAMPLE,
        "guideline",
        "--format",
        "oscal",
        "-o",
        oscal.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&oscal).unwrap()).unwrap();
    let reqs = doc["component-definition"]["components"][0]["control-implementations"][0]
        ["implemented-requirements"]
        .as_array()
        .unwrap();
    let got: Vec<&str> = reqs
        .iter()
        .map(|r| r["control-id"].as_str().unwrap())
        .collect();
    assert_eq!(got, ids.iter().map(String::as_str).collect::<Vec<_>>());
    for r in reqs {
        let id = r["control-id"].as_str().unwrap();
        let answer = r["props"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == "answer")
            .unwrap();
        assert_eq!(
            answer["value"].as_str(),
            tables[id]["answer"].as_str(),
            "{id}"
        );
    }
    let pdf = tmp.path().join("d.pdf");
    let out = run(&[
        "disclosure",
        "render",
        EXAMPLE,
        "guideline",
        "--format",
        "pdf",
        "-o",
        pdf.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF-"), "a PDF");
    // A render never writes over a disclosure.
    let refused = run(&[
        "disclosure",
        "render",
        EXAMPLE,
        "guideline",
        "--format",
        "html",
        "-o",
        EXAMPLE,
    ]);
    assert_eq!(refused.status.code(), Some(2));
    assert_eq!(
        std::fs::read_to_string(root().join(EXAMPLE)).unwrap(),
        example
    );
}

/// A disclosure is read as a source file is: a byte-order mark is dropped (spreadsheet
/// exports write one), and a byte that is not UTF-8 is a usage error naming its line and
/// column, found here from the bytes this test wrote.
#[test]
fn a_disclosure_is_decoded_like_a_source_file() {
    let tmp = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(root().join(EXAMPLE)).unwrap();
    let with_bom = tmp.path().join("bom.toml");
    std::fs::write(&with_bom, format!("\u{feff}{text}")).unwrap();
    let out = run(&[
        "disclosure",
        "check",
        with_bom.to_str().unwrap(),
        "guideline",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));

    // A Latin-1 byte in the product's name, on its line.
    let at = text.find("product = \"").unwrap() + "product = \"".len();
    let mut bytes = text.as_bytes()[..at].to_vec();
    bytes.push(0xE9);
    bytes.extend_from_slice(&text.as_bytes()[at..]);
    let latin1 = tmp.path().join("latin1.toml");
    std::fs::write(&latin1, &bytes).unwrap();
    let line = text[..at].lines().count();
    let column = text[..at].rsplit('\n').next().unwrap().chars().count() + 1;
    let out = run(&["disclosure", "check", latin1.to_str().unwrap(), "guideline"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let expected = format!("latin1.toml:{line}:{column}: byte 0xE9 is not UTF-8");
    assert!(
        stderr(&out).contains(&expected),
        "{expected} in {}",
        stderr(&out)
    );
}
