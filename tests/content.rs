//! The shipped guideline is a realistic, complete draft: every part and language counted,
//! every control translated, every registry technology used and described.

mod common;

use std::collections::BTreeSet;

use guideline::model::{Guideline, Lang};

fn shipped() -> Guideline {
    let loaded =
        guideline::load::load_dir(&common::root().join("guideline")).expect("guideline/ loads");
    loaded.guideline.expect("manifest is valid")
}

#[test]
fn controls_per_part_and_language() {
    let g = shipped();
    let mut total = 0;
    let mut report = Vec::new();
    for part in &g.parts {
        let controls: Vec<_> = part.chapters.iter().flat_map(|c| &c.controls).collect();
        let ja = controls
            .iter()
            .filter(|k| !k.statement.ja.is_blank())
            .count();
        let en = controls
            .iter()
            .filter(|k| k.statement.en.as_ref().is_some_and(|p| !p.is_blank()))
            .count();
        report.push(format!(
            "{} {}: {} chapters, {} controls, ja {ja}, en {en}",
            part.id,
            part.title.ja,
            part.chapters.len(),
            controls.len()
        ));
        assert_eq!(
            ja,
            controls.len(),
            "part {}: Japanese statements missing",
            part.id
        );
        assert_eq!(
            en,
            controls.len(),
            "part {}: English translations missing",
            part.id
        );
        for k in &controls {
            assert!(
                k.title.en.as_ref().is_some_and(|t| !t.trim().is_empty()),
                "{} has no English title",
                k.id
            );
            assert!(
                k.guidance.ja.is_blank() || k.guidance.en.as_ref().is_some_and(|p| !p.is_blank()),
                "{} guidance untranslated",
                k.id
            );
        }
        assert!(!controls.is_empty(), "part {} is empty", part.id);
        total += controls.len();
    }
    let ids: Vec<&str> = g.parts.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(
        ids,
        ["O", "G", "M", "C"],
        "the four parts of edition 6 for four readers"
    );
    assert!(
        total >= 150,
        "only {total} controls:\n{}",
        report.join("\n")
    );
    eprintln!("{}\ntotal {total}", report.join("\n"));
}

#[test]
fn every_technology_is_used_and_described() {
    let g = shipped();
    assert!(g.registry.technologies.len() >= 40);
    let used: BTreeSet<&str> = g
        .mentions()
        .filter(|m| m.role.is_some() && m.lang == Lang::Ja)
        .map(|m| m.technology.as_str())
        .collect();
    for t in &g.registry.technologies {
        assert!(
            used.contains(t.id.as_str()),
            "technology {} is never named in the text",
            t.id
        );
        assert!(
            t.description.ja.chars().count() >= 30,
            "{} has no real Japanese description",
            t.id
        );
        assert!(
            t.description.en.split_whitespace().count() >= 12,
            "{} has no real English description",
            t.id
        );
    }
    assert!(
        g.glossary.term.len() >= 40,
        "glossary has {} terms",
        g.glossary.term.len()
    );
}

#[test]
fn network_and_authentication_chapters_are_complete() {
    let g = shipped();
    let chapter = |id: &str| {
        g.chapters()
            .find(|(_, c)| c.id == id)
            .map(|(_, c)| c)
            .unwrap_or_else(|| panic!("chapter {id}"))
    };
    let auth = chapter("C-7");
    let auth_tech: BTreeSet<&str> = auth
        .controls
        .iter()
        .flat_map(|k| k.mentions())
        .map(|m| m.technology.as_str())
        .collect();
    for t in [
        "password",
        "fido2",
        "passkey",
        "tls-client-auth",
        "ic-card",
        "biometrics",
        "mfa",
    ] {
        assert!(auth_tech.contains(t), "C-7 does not cover {t}");
    }
    let net = chapter("C-4");
    let net_tech: BTreeSet<&str> = net
        .controls
        .iter()
        .flat_map(|k| k.mentions())
        .map(|m| m.technology.as_str())
        .collect();
    for t in [
        "ipsec-vpn",
        "tls-1-3",
        "closed-network",
        "tls-client-auth",
        "fido2",
    ] {
        assert!(net_tech.contains(t), "C-4 does not cover {t}");
    }
}
