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

/// The registry's assurance facts, which G0202 (lock-in) and G0203 (example below the
/// control's assurance) decide with, checked against NIST SP 800-63B (rev. 3,
/// `corpora/sp800-63b/`). `aal` is the highest AAL reachable in a conforming combination in
/// which the technology is the authenticator, alone or with a memorised secret;
/// `aal_condition` says with what (guideline/README.md, "The technology registry").
#[test]
fn registry_assurance_facts_follow_sp800_63b() {
    use guideline::registry::Category;
    // (id, expected aal, keyword that must appear in aal_condition.en)
    let expected: &[(&str, u8, &str)] = &[
        // §4.1.1: a memorised secret (§5.1.1) alone is AAL1; in §4.2.1 and §4.3.1 it only
        // ever stands beside another authenticator.
        ("password", 1, "alone"),
        // §4.2.1: single-factor OTP device (§5.1.4) + memorised secret, or multi-factor OTP
        // device (§5.1.5). Typed codes are not verifier-impersonation resistant (§5.2.5).
        ("otp", 2, "memorised secret"),
        // §4.2.1 with §5.1.4 (a software OTP generator); §4.2.2: the phone unlock is no factor.
        ("totp", 2, "memorised secret"),
        // §4.2.1 with §5.1.4.
        ("hotp", 2, "memorised secret"),
        // §4.2.1 with §5.1.4; §4.3.1 admits a hardware OTP device at AAL3 only beside
        // cryptographic software, a second authenticator, so that is not counted.
        ("hardware-otp", 2, "memorised secret"),
        // §4.2.1 with §5.1.3; the PSTN is RESTRICTED (§5.1.3.3, §5.2.10).
        ("sms-otp", 2, "RESTRICTED"),
        // §4.3.1: single-factor cryptographic device (§5.1.7, key in a TPM or IC card) +
        // memorised secret, hardware FIPS 140 Level 1 overall / Level 3 physical (§4.3.2);
        // a key in software (§5.1.6) reaches AAL2 with a memorised secret (§4.2.1).
        ("tls-client-auth", 3, "FIPS 140"),
        // §4.2.1: multi-factor cryptographic software (§5.1.8) through the authenticator's
        // user verification; §4.2.2: device unlock is no factor; not hardware, so not §4.3.
        ("passkey", 2, "user verification"),
        // §4.3.1: multi-factor cryptographic device (§5.1.9) with FIPS 140 Level 2 overall /
        // Level 3 physical (§4.3.2); touch only is a single-factor device (§5.1.7).
        ("fido2", 3, "user verification"),
        // §4.3.1 with §5.1.9.1 (activation secret of at least six digits) and §4.3.2 (FIPS 140).
        ("ic-card", 3, "FIPS 140"),
        // As ic-card: §4.3.1, §5.1.9.1, §4.3.2.
        ("hpki-card", 3, "FIPS 140"),
        // §5.1.9.1: a 4-digit PIN is no conforming activation secret, so the card is a
        // single-factor cryptographic device (§5.1.7) + memorised secret: AAL2 (§4.2.1);
        // AAL3 would also need FIPS 140 validation (§4.3.2).
        ("my-number-card", 2, "memorised secret"),
    ];
    let g = shipped();
    let mut wrong = Vec::new();
    for &(id, aal, keyword) in expected {
        let Some(t) = g.registry.get(id) else {
            wrong.push(format!("{id}: not in the registry"));
            continue;
        };
        if t.category != Category::Authentication {
            wrong.push(format!("{id}: not an authentication technology"));
        }
        if t.aal.map(|a| a.get()) != Some(aal) {
            wrong.push(format!("{id}: aal {:?}, SP 800-63B gives {aal}", t.aal));
        }
        match &t.aal_condition {
            None => wrong.push(format!("{id}: no aal_condition")),
            Some(c) => {
                if !c.en.contains(keyword) {
                    wrong.push(format!(
                        "{id}: aal_condition.en does not say {keyword:?}: {}",
                        c.en
                    ));
                }
                if c.ja.trim().is_empty() {
                    wrong.push(format!("{id}: aal_condition.ja is empty"));
                }
            }
        }
    }
    for t in &g.registry.technologies {
        if t.category != Category::Authentication || t.aal.is_none() {
            continue;
        }
        if t.aal_condition.is_none() {
            wrong.push(format!("{}: has an aal but no aal_condition", t.id));
        }
        if !expected.iter().any(|&(id, _, _)| id == t.id) {
            wrong.push(format!(
                "{}: has an aal that this table does not check",
                t.id
            ));
        }
    }
    // Not authenticators on their own (§5.2.3: a biometric is a factor, not an authenticator).
    for id in ["biometrics", "mfa"] {
        if g.registry.get(id).is_some_and(|t| t.aal.is_some()) {
            wrong.push(format!("{id}: is not an authenticator and has no aal"));
        }
    }
    assert!(
        wrong.is_empty(),
        "registry assurance facts:\n{}",
        wrong.join("\n")
    );
}
