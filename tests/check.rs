//! End-to-end tests of `guideline check`, `fix` and `explain` on real source trees.

mod common;

use common::{codes, findings, fixture_copy, root, run, stderr, stdout};

/// Every lint fixture reports its own code, at the positions in its snapshot.
#[test]
fn each_fixture_reports_its_code() {
    let mut dirs: Vec<_> = std::fs::read_dir(root().join("tests/fixtures"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    let mut seen_codes = Vec::new();
    for dir in dirs {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let rel = format!("tests/fixtures/{name}");
        // A disclosure fixture (G06xx) is a disclosure of tests/disclosure/guideline; an
        // `args` file holds the reader's options (`--preset online`).
        let disclosure = dir.join("disclosure.toml");
        let (human, json) = if disclosure.is_file() {
            let file = format!("{rel}/disclosure.toml");
            let extra = std::fs::read_to_string(dir.join("args")).unwrap_or_default();
            let mut args = vec!["disclosure", "check", &file, "tests/disclosure/guideline"];
            args.extend(extra.split_whitespace());
            let human = run(&args);
            args.extend(["--format", "json"]);
            (human, run(&args))
        } else {
            (
                run(&["check", &rel]),
                run(&["check", &rel, "--format", "json"]),
            )
        };
        let findings: serde_json::Value =
            serde_json::from_str(&stdout(&json)).expect("json output parses");
        let codes: Vec<&str> = findings
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["code"].as_str().unwrap())
            .collect();
        if name == "clean" {
            assert!(codes.is_empty(), "clean fixture has findings: {codes:?}");
            assert_eq!(human.status.code(), Some(0));
            continue;
        }
        let code = &name[..5];
        assert!(
            codes.contains(&code),
            "{name}: expected {code}, got {codes:?}"
        );
        assert!(
            guideline::lint::find(code).is_some(),
            "fixture {name} names no lint"
        );
        let has_error = findings
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["severity"] == "error");
        assert_eq!(
            human.status.code(),
            Some(if has_error { 1 } else { 0 }),
            "{name}: exit status"
        );
        insta::assert_snapshot!(format!("{name}-human"), stderr(&human));
        insta::assert_snapshot!(format!("{name}-json"), stdout(&json));
        seen_codes.push(code.to_string());
    }
    for lint in guideline::lint::ALL {
        assert!(
            seen_codes.iter().any(|c| c == lint.code),
            "no fixture for {}",
            lint.code
        );
    }
}

/// The 5.2 wording of 6.11 C-11 is reported as lock-in, naming FIDO as the stronger option.
#[test]
fn edition_5_2_client_certificates_are_lock_in() {
    let out = run(&["check", "tests/fixtures/G0202-lock-in", "--format", "json"]);
    let findings: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let lock_in: Vec<_> = findings
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "G0202")
        .collect();
    assert_eq!(lock_in.len(), 1, "{findings:#}");
    let message = lock_in[0]["message"].as_str().unwrap();
    assert!(message.contains("TLSクライアント認証"), "{message}");
    assert!(message.contains("FIDO2"), "{message}");
    assert!(lock_in[0]["help"]
        .as_str()
        .unwrap()
        .contains("example:fido2"));
    // TLS 1.3 is required too, but nothing in its category can be compared: no finding.
    assert_eq!(out.status.code(), Some(1));
}

/// The manifest's date is a checked type: anything but `YYYY-MM-DD` is a G0002 error at the
/// `date` key, found here by reading the manifest itself.
#[test]
fn manifest_date_must_be_a_date() {
    let tmp = tempfile::tempdir().unwrap();
    let g = fixture_copy("clean", tmp.path());
    let manifest = g.join("guideline.toml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    let dated = text
        .lines()
        .map(|l| {
            if l.starts_with("date = ") {
                "date = \"24 November 2026\""
            } else {
                l
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(&manifest, &dated).unwrap();
    let line = dated
        .lines()
        .position(|l| l.starts_with("date = "))
        .unwrap()
        + 1;
    let out = run(&["check", g.to_str().unwrap(), "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let all = findings(&out);
    let dates: Vec<_> = all.iter().filter(|d| d["code"] == "G0002").collect();
    assert_eq!(dates.len(), 1, "{all:#?}");
    assert_eq!(dates[0]["line"], line as u64, "{:#}", dates[0]);
    assert_eq!(dates[0]["column"], 1);
    assert!(dates[0]["message"]
        .as_str()
        .unwrap()
        .contains("24 November 2026"));
}

/// An earlier edition that shares the registry (loaded on the other core meanwhile) leaves
/// the registry's findings to the current edition: one finding, not two; the earlier
/// edition still counts as loaded cleanly (so the revision history compares with it) and
/// holds the current edition's registry, as when it was loaded after it with that registry.
#[test]
fn a_shared_registry_is_reported_once() {
    let tmp = tempfile::tempdir().unwrap();
    let g = fixture_copy("clean", tmp.path());
    // The earlier edition: the same text, in editions/1.0, with the same registry file.
    let old = g.join("editions/0.9");
    common::copy_tree(&g.join("parts"), &old.join("parts"));
    let manifest = std::fs::read_to_string(g.join("guideline.toml")).unwrap();
    std::fs::write(
        old.join("guideline.toml"),
        manifest
            .replace("edition = \"1.0\"", "edition = \"0.9\"")
            .replace("\"../registry.toml\"", "\"../../../registry.toml\""),
    )
    .unwrap();
    std::fs::write(
        g.join("guideline.toml"),
        format!("{manifest}\n[[previous]]\nedition = \"0.9\"\npath = \"editions/0.9\"\n"),
    )
    .unwrap();
    // A registry finding: one alias named by two technologies (G0006).
    let registry = tmp.path().join("registry.toml");
    let text = std::fs::read_to_string(&registry).unwrap();
    std::fs::write(
        &registry,
        text.replacen(
            "aliases = { ja = [\"FIDO認証\"]",
            "aliases = { ja = [\"クライアント証明書\"]",
            1,
        ),
    )
    .unwrap();
    let codes = codes(&run(&["check", g.to_str().unwrap(), "--format", "json"]));
    assert_eq!(
        codes.iter().filter(|c| *c == "G0006").count(),
        1,
        "{codes:?}"
    );
    assert!(!codes.iter().any(|c| c == "G0012"), "{codes:?}");
    let loaded = guideline::load::load_dir(&g).unwrap();
    let current = loaded.guideline.unwrap();
    let earlier = &current.earlier["0.9"];
    assert!(earlier.loaded_cleanly);
    assert_eq!(
        earlier.guideline.registry.technologies.len(),
        current.registry.technologies.len()
    );
    assert!(current.previous_edition().is_some());
}

#[test]
fn warnings_fail_only_when_denied() {
    let fixture = "tests/fixtures/G0101-untagged-mention";
    assert_eq!(run(&["check", fixture]).status.code(), Some(0));
    assert_eq!(
        run(&["check", fixture, "--deny-warnings"]).status.code(),
        Some(1)
    );
}

#[test]
fn bad_usage_and_unreadable_input_exit_2() {
    let missing = run(&["check", "tests/fixtures/does-not-exist"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        stderr(&missing).contains("no guideline.toml"),
        "{}",
        stderr(&missing)
    );
    assert_eq!(run(&["check", "--format", "xml"]).status.code(), Some(2));
    assert_eq!(run(&["explain", "G9999"]).status.code(), Some(2));
}

#[test]
fn sarif_is_sarif_2_1_0() {
    let out = run(&["check", "tests/fixtures/G0202-lock-in", "--format", "sarif"]);
    let log: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(log["version"], "2.1.0");
    let run0 = &log["runs"][0];
    assert_eq!(run0["columnKind"], "unicodeCodePoints");
    assert_eq!(
        run0["tool"]["driver"]["rules"].as_array().unwrap().len(),
        guideline::lint::ALL.len()
    );
    insta::assert_snapshot!(
        "sarif-lock-in",
        serde_json::to_string_pretty(&run0["results"]).unwrap()
    );
}

#[test]
fn explain_prints_the_lint_documentation() {
    let out = run(&["explain", "G0202"]);
    assert_eq!(out.status.code(), Some(0));
    insta::assert_snapshot!("explain-G0202", stdout(&out));
    let by_name = run(&["explain", "lock-in"]);
    assert_eq!(stdout(&by_name), stdout(&out));
    let list = stdout(&run(&["explain"]));
    assert_eq!(list.lines().count(), guideline::lint::ALL.len());
}

/// `fix` tags every untagged name, leaves code and links alone, and is idempotent.
#[test]
fn fix_tags_untagged_mentions_once() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = fixture_copy("G0101-untagged-mention", tmp.path());
    let dir_s = dir.to_str().unwrap();
    let first = run(&["fix", dir_s]);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    assert!(
        stdout(&first).contains("tagged 6 mentions in 2 files"),
        "{}",
        stdout(&first)
    );
    let ja = std::fs::read_to_string(dir.join("parts/1-p/01-c.ja.md")).unwrap();
    assert!(ja.contains("例えば[TLSクライアント認証](example:tls-client-auth)や[ＦＩＤＯ認証](example:fido2)がある。"), "{ja}");
    assert!(ja.contains("[ﾊﾟｽﾜｰﾄﾞ](example:password)"), "{ja}");
    assert!(ja.contains("`TLSクライアント認証`はコード"), "{ja}");
    let second = run(&["fix", dir_s]);
    assert!(
        stdout(&second).contains("tagged 0 mentions in 0 files"),
        "{}",
        stdout(&second)
    );
    // Only the name inside an ordinary link's text remains, which no tag can fix.
    let after = run(&["check", dir_s, "--format", "json"]);
    let findings: serde_json::Value = serde_json::from_str(&stdout(&after)).unwrap();
    assert_eq!(findings.as_array().unwrap().len(), 1, "{findings:#}");
    assert_eq!(
        findings[0]["message"],
        "untagged technology mention 「FIDO2」"
    );
}

/// The shipped guideline checks clean, warnings included.
#[test]
fn shipped_guideline_is_clean() {
    let out = run(&["check", "guideline", "--deny-warnings"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

/// The shipped 5.2 edition reports the lock-in finding on its 6.11 C-11.
#[test]
fn shipped_edition_5_2_shows_the_lock_in() {
    let out = run(&["check", "guideline/editions/5.2", "--format", "json"]);
    let findings: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let hit = findings.as_array().unwrap().iter().any(|f| {
        f["code"] == "G0202"
            && f["message"].as_str().unwrap().contains("6.11-C-11")
            && f["message"].as_str().unwrap().contains("FIDO")
    });
    assert!(hit, "{findings:#}");
}

/// Titles (`#`, `##`) and section headings (`###`) are labels; headings inside a section
/// (`####`) are text the reader reads, so a name there is a mention that needs its tag, as
/// guideline/README.md says.
#[test]
fn names_in_titles_are_labels_and_in_inner_headings_mentions() {
    let tmp = tempfile::tempdir().unwrap();
    let g = fixture_copy("clean", tmp.path());
    let ja = g.join("parts/1-p/01-c.ja.md");
    let text = std::fs::read_to_string(&ja)
        .unwrap()
        .replace("## C-1.1 認証", "## C-1.1 FIDO2による認証");
    std::fs::write(&ja, &text).unwrap();
    let titles = run(&["check", g.to_str().unwrap(), "--format", "json"]);
    assert_eq!(
        stdout(&titles).trim(),
        "[]",
        "a name in a title is not a mention"
    );
    let inner = text.replace(
        "例えば[FIDO2](example:fido2)がある。",
        "例えば[FIDO2](example:fido2)がある。\n\n#### ICカードの場合\n\n鍵を保護する。",
    );
    std::fs::write(&ja, &inner).unwrap();
    let out = run(&["check", g.to_str().unwrap(), "--format", "json"]);
    let findings: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let untagged: Vec<_> = findings
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "G0101")
        .collect();
    assert_eq!(untagged.len(), 1, "{findings:#}");
    assert!(untagged[0]["message"]
        .as_str()
        .unwrap()
        .contains("ICカード"));
    let line = inner.lines().position(|l| l.starts_with("#### ")).unwrap() + 1;
    assert_eq!(untagged[0]["line"], line);
}

/// `fix` writes a glossary variant as its preferred form, and only there.
#[test]
fn fix_replaces_glossary_variants() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = fixture_copy("G0302-terminology", tmp.path());
    let fixed = run(&["fix", dir.to_str().unwrap()]);
    assert_eq!(fixed.status.code(), Some(0), "{}", stderr(&fixed));
    assert!(
        stdout(&fixed).contains("replaced 2 variant spellings"),
        "{}",
        stdout(&fixed)
    );
    let ja = std::fs::read_to_string(dir.join("parts/1-p/01-c.ja.md")).unwrap();
    assert!(
        ja.contains("保守事業者との契約で責任の範囲を定めること。"),
        "{ja}"
    );
    assert!(!ja.contains("保守業者"));
    let en = std::fs::read_to_string(dir.join("parts/1-p/01-c.en.md")).unwrap();
    assert!(
        en.contains("the contract with the maintenance provider."),
        "{en}"
    );
    let after = run(&["check", dir.to_str().unwrap(), "--format", "json"]);
    let findings: serde_json::Value = serde_json::from_str(&stdout(&after)).unwrap();
    let messages: Vec<&str> = findings
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert!(messages[0].contains("医療機関等"), "{messages:?}");
}

/// Assurance levels are checked where they are written: a registry `aal` outside 1-3 and a
/// control `assurance` that is not `AAL1`-`AAL3` are G0002 at their keys (the lines found
/// here by reading the files this test wrote), and nothing else about the entry is lost.
#[test]
fn assurance_levels_must_be_levels() {
    let tmp = tempfile::tempdir().unwrap();
    let g = fixture_copy("clean", tmp.path());
    let edit = |path: &std::path::Path, from: &str, to: &str| -> usize {
        let text = std::fs::read_to_string(path).unwrap();
        let at = text
            .find(from)
            .unwrap_or_else(|| panic!("{from} in {}", path.display()));
        std::fs::write(path, text.replacen(from, to, 1)).unwrap();
        text[..at].lines().count() + 1
    };
    // fido2 is the second entry; its `aal = 3` becomes 300, which no `u8` holds (read as
    // one, the whole entry was lost and its tags became unknown technologies).
    let registry = tmp.path().join("registry.toml");
    let fido = std::fs::read_to_string(&registry)
        .unwrap()
        .find("id = \"fido2\"")
        .unwrap();
    let text = std::fs::read_to_string(&registry).unwrap();
    let aal_at = fido + text[fido..].find("aal = 3").unwrap();
    std::fs::write(
        &registry,
        format!("{}aal = 300{}", &text[..aal_at], &text[aal_at + 7..]),
    )
    .unwrap();
    let aal_line = text[..aal_at].lines().count() + 1;
    let chapter = g.join("parts/1-p/01-c.ja.md");
    let assurance_line = edit(&chapter, "assurance = \"AAL2\"", "assurance = \"AAL02\"");

    let out = run(&["check", g.to_str().unwrap(), "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let all = findings(&out);
    let malformed: Vec<_> = all.iter().filter(|d| d["code"] == "G0002").collect();
    assert_eq!(malformed.len(), 2, "{all:#?}");
    let at = |file: &str| {
        malformed
            .iter()
            .find(|d| d["file"].as_str().unwrap().ends_with(file))
            .unwrap_or_else(|| panic!("no G0002 in {file}: {all:#?}"))
    };
    let aal = at("registry.toml");
    assert_eq!(aal["line"], aal_line as u64, "{aal:#}");
    assert_eq!(aal["column"], 1);
    assert!(
        aal["message"]
            .as_str()
            .unwrap()
            .contains("`fido2` has aal 300"),
        "{aal:#}"
    );
    let assurance = at("01-c.ja.md");
    assert_eq!(assurance["line"], assurance_line as u64, "{assurance:#}");
    assert!(
        assurance["message"].as_str().unwrap().contains("AAL02"),
        "{assurance:#}"
    );
    // The entry itself stays: its tags are still known technologies.
    assert!(!all.iter().any(|d| d["code"] == "G0102"), "{all:#?}");
}

/// Glossary variants are found as a plain search for each variant in turn finds them (the
/// search here, written out in the test): each variant's occurrences left to right without
/// overlap (「業者業者」 in 「業者業者業者」 once), several variants at one place reported once
/// (the first in the glossary), none inside the preferred form or inside an English word.
#[test]
fn variants_are_found_as_a_plain_search_finds_them() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = fixture_copy("G0302-terminology", tmp.path());
    let glossary = dir.join("glossary.toml");
    let text = std::fs::read_to_string(&glossary).unwrap().replace(
        r#"variants = { ja = ["保守業者"], en = ["maintenance company"] }"#,
        r#"variants = { ja = ["保守業者", "保守", "業者業者"], en = ["maintenance company", "company", "nana"] }"#,
    );
    std::fs::write(&glossary, text).unwrap();
    let cases = [
        (
            "parts/1-p/01-c.ja.md",
            "業者業者業者と保守業者、保守事業者の保守。",
            vec!["保守業者", "保守", "業者業者"],
            "保守事業者",
        ),
        (
            "parts/1-p/01-c.en.md",
            "A maintenance company, companies, banananana and nanana.",
            vec!["maintenance company", "company", "nana"],
            "maintenance provider",
        ),
    ];
    // Each appended line: its file, that file's path as `check` prints it, its line number,
    // and the preferred form its findings must name.
    let mut appended_lines = Vec::new();
    let mut expected = Vec::new();
    for (file, line, variants, preferred) in &cases {
        let path = dir.join(file);
        let before = std::fs::read_to_string(&path).unwrap();
        let body = before.trim_end_matches('\n');
        std::fs::write(&path, format!("{body}\n\n{line}\n")).unwrap();
        let line_no = body.lines().count() + 2;
        appended_lines.push((
            *file,
            path.to_str().unwrap().to_string(),
            line_no,
            *preferred,
        ));
        let english = file.ends_with(".en.md");
        let mut found: Vec<(usize, &str)> = Vec::new();
        for variant in variants {
            let mut from = 0;
            while let Some(i) = line[from..].find(variant) {
                let (start, end) = (from + i, from + i + variant.len());
                from = end;
                let inside_preferred = preferred
                    .find(variant)
                    .is_some_and(|k| start >= k && line[start - k..].starts_with(preferred));
                let in_word = english
                    && (line[..start]
                        .chars()
                        .last()
                        .is_some_and(char::is_alphanumeric)
                        || line[end..]
                            .chars()
                            .next()
                            .is_some_and(char::is_alphanumeric));
                if !inside_preferred && !in_word {
                    found.push((start, variant));
                }
            }
        }
        found.sort_by_key(|(start, _)| *start);
        found.dedup_by_key(|(start, _)| *start);
        for (start, variant) in found {
            let column = line[..start].chars().count() + 1;
            expected.push((file.to_string(), column, variant.to_string()));
        }
    }
    assert_eq!(expected.len(), 5, "{expected:?}");
    let out = run(&["check", dir.to_str().unwrap(), "--format", "json"]);
    let mut reported: Vec<(String, usize, String)> = findings(&out)
        .iter()
        .filter(|f| f["code"] == "G0302")
        .filter_map(|f| {
            let (file, _, line_no, preferred) = appended_lines
                .iter()
                .find(|(_, path, _, _)| f["file"] == path.as_str())?;
            if f["line"].as_u64()? as usize != *line_no {
                return None;
            }
            let message = f["message"].as_str().unwrap();
            let found = message.split('「').nth(1)?.split('」').next()?;
            assert!(message.contains(&format!("「{preferred}」")), "{message}");
            Some((
                file.to_string(),
                f["column"].as_u64().unwrap() as usize,
                found.to_string(),
            ))
        })
        .collect();
    expected.sort();
    reported.sort();
    assert_eq!(reported, expected);
}

/// Loaded to be checked (`check`, `fix`, the language server), a guideline keeps no parsed
/// Markdown and is otherwise the very same: the same findings and the same model, earlier
/// editions included, down to each statement item's index into the events a renderer reads
/// (which must point at that item's `Start(Item)`). Over every lint fixture (their
/// findings), the shipped guideline and edition 5.2.
#[test]
fn loading_to_check_keeps_everything_but_the_parsed_markdown() {
    use guideline::load::Purpose;
    use guideline::model::{Guideline, Item, Prose};
    use pulldown_cmark::{Event, Tag};

    fn prose_mut(g: &mut Guideline) -> Vec<&mut Prose> {
        let mut out = Vec::new();
        for part in &mut g.parts {
            for chapter in &mut part.chapters {
                let mut blocks = vec![&mut chapter.intro];
                for control in &mut chapter.controls {
                    blocks.push(&mut control.statement);
                    blocks.push(&mut control.guidance);
                }
                for block in blocks {
                    out.push(&mut block.ja);
                    out.extend(block.en.as_mut());
                }
            }
        }
        out
    }
    /// The events the model held, and the model printed without them.
    fn without_events(mut g: Guideline, rendered: bool) -> (usize, String) {
        let mut events = 0;
        for earlier in g.earlier.values_mut() {
            for p in prose_mut(&mut earlier.guideline) {
                events += p.events.len();
                p.events.clear();
            }
        }
        for p in prose_mut(&mut g) {
            let mut items: Vec<&Item> = Vec::new();
            if rendered {
                p.items.iter().for_each(|i| i.walk(&mut items));
            }
            for item in items {
                assert!(
                    matches!(p.events.get(item.event), Some(Event::Start(Tag::Item))),
                    "item {} points at {:?}",
                    item.id,
                    p.events.get(item.event)
                );
            }
            events += p.events.len();
            p.events.clear();
        }
        (events, format!("{g:#?}"))
    }

    let mut dirs: Vec<_> = std::fs::read_dir(root().join("tests/fixtures"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir() && !p.join("disclosure.toml").exists())
        .collect();
    dirs.sort();
    dirs.push(root().join("guideline"));
    dirs.push(root().join("guideline/editions/5.2"));
    let mut compared = 0;
    for dir in &dirs {
        let rendered = guideline::check::check_dir(dir, Purpose::Render);
        let checked = guideline::check::check_dir(dir, Purpose::Check);
        let (rendered, checked) = match (rendered, checked) {
            (Ok(r), Ok(c)) => (r, c),
            (Err(r), Err(c)) => {
                assert_eq!(r.to_string(), c.to_string(), "{}", dir.display());
                continue;
            }
            (r, c) => panic!("{}: {:?} against {:?}", dir.display(), r.is_ok(), c.is_ok()),
        };
        assert_eq!(
            format!("{:#?}", rendered.diagnostics),
            format!("{:#?}", checked.diagnostics),
            "{}",
            dir.display()
        );
        match (rendered.guideline, checked.guideline) {
            (Some(r), Some(c)) => {
                let (kept, r) = without_events(r, true);
                let (left, c) = without_events(c, false);
                assert_eq!(left, 0, "{}: events kept to check", dir.display());
                // The fixtures may hold no prose; the guidelines do.
                if !dir.starts_with(root().join("tests")) {
                    assert!(kept > 0, "{}: nothing parsed", dir.display());
                }
                assert_eq!(r, c, "{}", dir.display());
                compared += 1;
            }
            (r, c) => assert_eq!(r.is_some(), c.is_some(), "{}", dir.display()),
        }
    }
    assert!(compared > 20, "only {compared} guidelines compared");
}
