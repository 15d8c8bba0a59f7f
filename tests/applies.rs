//! `guideline applies` on the shipped guideline, held to a second, independent reading of the
//! source: the `applies = "…"` lines are read from the chapter files with a regular
//! expression and evaluated here by a separate little evaluator, for every preset and 300
//! other answer sets. The OSCAL profiles list the same controls.

mod common;

use std::collections::BTreeMap;

use common::{root, run, stderr, stdout};

/// Every control of the shipped guideline in document order, with its condition as written
/// (`always` when absent), read straight from the Japanese chapter files.
fn conditions_from_source() -> Vec<(String, String)> {
    let heading = regex::Regex::new(r"^## ([A-Z]+-[0-9]+\.[0-9]+) ").unwrap();
    let applies = regex::Regex::new(r#"^applies = "([^"]*)""#).unwrap();
    let mut parts: Vec<_> = std::fs::read_dir(root().join("guideline/parts"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    parts.sort();
    let mut out: Vec<(String, String)> = Vec::new();
    for part in parts {
        let mut files: Vec<_> = std::fs::read_dir(&part)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.to_string_lossy().ends_with(".ja.md"))
            .collect();
        files.sort();
        for file in files {
            for line in std::fs::read_to_string(&file).unwrap().lines() {
                if let Some(m) = heading.captures(line) {
                    out.push((m[1].to_string(), "always".into()));
                } else if let Some(m) = applies.captures(line) {
                    out.last_mut().expect("applies after a heading").1 = m[1].to_string();
                }
            }
        }
    }
    out
}

/// Evaluates a condition by rewriting each comparison to `T`/`F` and reducing the boolean
/// expression with two stacks (shunting-yard), independent of the library's parser.
fn holds(condition: &str, answers: &BTreeMap<String, String>) -> bool {
    if condition.trim() == "always" {
        return true;
    }
    let cmp = regex::Regex::new(r"([a-z][a-z0-9-]*)\s*(!=|=)\s*([a-z][a-z0-9-]*)").unwrap();
    let rewritten = cmp.replace_all(condition, |c: &regex::Captures| {
        let equal = answers.get(&c[1]).is_some_and(|v| *v == c[3]);
        if equal == (&c[2] == "=") {
            " T "
        } else {
            " F "
        }
    });
    let tokens: Vec<String> = rewritten
        .replace('(', " ( ")
        .replace(')', " ) ")
        .split_whitespace()
        .map(str::to_string)
        .collect();
    let prec = |op: &str| match op {
        "or" => 1,
        "and" => 2,
        "not" => 3,
        _ => 0,
    };
    let mut values: Vec<bool> = Vec::new();
    let mut ops: Vec<String> = Vec::new();
    fn apply(op: &str, values: &mut Vec<bool>) {
        match op {
            "not" => {
                let v = values.pop().unwrap();
                values.push(!v);
            }
            _ => {
                let b = values.pop().unwrap();
                let a = values.pop().unwrap();
                values.push(if op == "and" { a && b } else { a || b });
            }
        }
    }
    for t in tokens {
        match t.as_str() {
            "T" => values.push(true),
            "F" => values.push(false),
            "(" | "not" => ops.push(t),
            ")" => {
                while let Some(op) = ops.pop() {
                    if op == "(" {
                        break;
                    }
                    apply(&op, &mut values);
                }
            }
            "and" | "or" => {
                while let Some(top) = ops.last() {
                    if top != "(" && prec(top) >= prec(&t) {
                        let op = ops.pop().unwrap();
                        apply(&op, &mut values);
                    } else {
                        break;
                    }
                }
                ops.push(t);
            }
            other => panic!("unexpected token {other} in {condition}"),
        }
    }
    while let Some(op) = ops.pop() {
        apply(&op, &mut values);
    }
    assert_eq!(values.len(), 1, "{condition}");
    values[0]
}

fn listed(args: &[&str]) -> Vec<String> {
    let out = run(args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let ids: Vec<String> = doc["controls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(doc["count"].as_u64().unwrap() as usize, ids.len());
    ids
}

struct Questions {
    /// question id -> its answers
    values: Vec<(String, Vec<String>)>,
    presets: Vec<(String, BTreeMap<String, String>)>,
}

fn questions() -> Questions {
    let file: toml::Table = std::fs::read_to_string(root().join("guideline/applicability.toml"))
        .unwrap()
        .parse()
        .unwrap();
    let values = file["question"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| {
            let id = q["id"].as_str().unwrap().to_string();
            let vals = match q["kind"].as_str().unwrap() {
                "yes-no" => vec!["yes".to_string(), "no".to_string()],
                _ => q["choice"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|c| c["id"].as_str().unwrap().to_string())
                    .collect(),
            };
            (id, vals)
        })
        .collect();
    let presets = file["preset"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let answers = p["answers"]
                .as_table()
                .unwrap()
                .iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
                .collect();
            (p["id"].as_str().unwrap().to_string(), answers)
        })
        .collect();
    Questions { values, presets }
}

#[test]
fn applies_lists_exactly_the_controls_whose_condition_holds() {
    let source = conditions_from_source();
    assert_eq!(source.len(), 224, "controls read from the source");
    let q = questions();
    let expect = |answers: &BTreeMap<String, String>| -> Vec<String> {
        source
            .iter()
            .filter(|(_, c)| holds(c, answers))
            .map(|(id, _)| id.clone())
            .collect()
    };
    // The catalog build writes one OSCAL profile per preset.
    let out = tempfile::tempdir().unwrap();
    let built = run(&[
        "build",
        "guideline",
        "--out",
        out.path().to_str().unwrap(),
        "--only",
        "catalog",
    ]);
    assert_eq!(built.status.code(), Some(0), "{}", stderr(&built));
    for (name, answers) in &q.presets {
        let ids = listed(&["applies", "guideline", "--preset", name, "--format", "json"]);
        assert_eq!(ids, expect(answers), "preset {name}");
        // The preset's OSCAL profile includes the same controls.
        let profile: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(out.path().join(format!("profiles/{name}.oscal.json")))
                .unwrap(),
        )
        .unwrap();
        let with_ids: Vec<String> = profile["profile"]["imports"][0]["include-controls"][0]
            ["with-ids"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect();
        assert_eq!(with_ids, ids, "profile {name}");
    }
    // 300 more answer sets from a fixed-seed generator (xorshift): every question answered.
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut distinct = std::collections::BTreeSet::new();
    for _ in 0..300 {
        let answers: BTreeMap<String, String> = q
            .values
            .iter()
            .map(|(k, vals)| (k.clone(), vals[next() as usize % vals.len()].clone()))
            .collect();
        let args: Vec<String> = answers.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let mut cmd = vec!["applies", "guideline", "--format", "json"];
        for a in &args {
            cmd.push("--answer");
            cmd.push(a);
        }
        let ids = listed(&cmd);
        let want = expect(&answers);
        assert_eq!(ids, want, "answers {answers:?}");
        distinct.insert(want);
    }
    // The answers really change the list (a broken evaluation that lists everything fails).
    assert!(distinct.len() > 10, "{} distinct lists", distinct.len());
    // Every control is reachable: some preset or answer set lists it.
    for (id, c) in &source {
        assert!(
            c == "always" || distinct.iter().any(|l| l.contains(id)),
            "{id} ({c}) listed by none of the answer sets"
        );
    }
}

#[test]
fn incomplete_or_wrong_answers_are_usage_errors() {
    let out = run(&["applies", "guideline", "--answer", "internet=yes"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no answer to facility"),
        "{}",
        stderr(&out)
    );
    let out = run(&[
        "applies",
        "guideline",
        "--preset",
        "small-clinic",
        "--answer",
        "internet=maybe",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("`maybe` is not an answer to `internet`"),
        "{}",
        stderr(&out)
    );
    let out = run(&["applies", "guideline", "--preset", "village"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("the presets are"), "{}", stderr(&out));
}

#[test]
fn checklists_have_one_row_per_applying_control() {
    let ids = listed(&[
        "applies",
        "guideline",
        "--preset",
        "small-clinic",
        "--format",
        "json",
    ]);
    let out = run(&[
        "applies",
        "guideline",
        "--preset",
        "small-clinic",
        "--format",
        "csv",
    ]);
    let csv = stdout(&out);
    assert!(csv.starts_with('\u{feff}'), "CSV starts with a BOM");
    let mut reader = csv::Reader::from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let header = reader.headers().unwrap().clone();
    assert!(header.iter().any(|h| h.starts_with("回答")));
    assert!(header.iter().any(|h| h.starts_with("対応予定日")));
    let rows: Vec<String> = reader
        .records()
        .map(|r| r.unwrap()[0].to_string())
        .collect();
    assert_eq!(rows, ids);
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("c.xlsx");
    let out = run(&[
        "applies",
        "guideline",
        "--preset",
        "small-clinic",
        "--format",
        "xlsx",
        "-o",
        xlsx.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(std::fs::read(&xlsx).unwrap().starts_with(b"PK"));
}
