//! Regimes beyond Europe are rulebook files: each can be left out with `--rules` (an empty file
//! of the same name), and its hops are then judged as if the law did not exist, the other
//! regimes' verdicts untouched; a negative list restricts only what the rulebook names; `rules`
//! lists each regime's entries cited; what-if, RoPA, vendor review and the audit report work on
//! the illustrative global map with no regime-specific code.

use std::collections::BTreeMap;

use serde_json::Value;
use xborder_tests::{files, run};

const MAP: &str = "data/examples/global-learning.yaml";
const VENDOR: &str = "data/examples/global-learning-vendor.yaml";
/// A date on which every regime of the example restricts transfers (India's Rule 15 included).
const ALL_IN_FORCE: &str = "2027-06-01";

/// The regime files of the built-in rulebook beyond Europe, with the regime each defines.
fn regime_files() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for file in files("data/rulebook", "yaml") {
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if !name.starts_with("regime-") {
            continue;
        }
        let text = std::fs::read_to_string(&file).expect("rulebook file readable");
        let id = text
            .lines()
            .find_map(|l| l.trim().strip_prefix("- id: "))
            .unwrap_or_else(|| panic!("{name} defines no regime"))
            .to_owned();
        out.push((name, id));
    }
    assert_eq!(out.len(), 6, "six regimes beyond Europe: {out:?}");
    out
}

/// `(flow id, regime, destination)` → `(verdict, codes)` of a check result.
fn verdicts(doc: &Value) -> BTreeMap<(String, String, String), (String, String)> {
    doc["hops"]
        .as_array()
        .expect("hops")
        .iter()
        .map(|h| {
            (
                (
                    h["id"].as_str().unwrap_or_default().to_owned(),
                    h["regime"].as_str().unwrap_or_default().to_owned(),
                    h["destination"].as_str().unwrap_or_default().to_owned(),
                ),
                (h["verdict"].to_string(), h["codes"].to_string()),
            )
        })
        .collect()
}

fn check(extra: &[&str], as_of: &str) -> Value {
    let mut args: Vec<&str> = extra.to_vec();
    args.extend(["check", MAP, "--as-of", as_of, "--format", "json"]);
    let out = run(&args);
    assert!(
        out.code == 0 || out.code == 1,
        "check failed: {}",
        out.stderr
    );
    out.json()
}

#[test]
fn a_regime_left_out_with_rules_judges_its_hops_as_untouched_by_it() {
    let all = verdicts(&check(&[], ALL_IN_FORCE));
    for (file, regime) in regime_files() {
        let dir = tempfile::tempdir().expect("temporary directory");
        std::fs::write(dir.path().join(&file), "# left out\n").expect("write the empty file");
        let rules = dir.path().to_string_lossy().into_owned();
        let without = verdicts(&check(&["--rules", &rules], ALL_IN_FORCE));
        assert!(
            all.keys().any(|(_, r, _)| *r == regime),
            "the example map has {regime} hops"
        );
        assert!(
            without.keys().all(|(_, r, _)| *r != regime),
            "without {file}, no hop is judged under {regime}"
        );
        let others: BTreeMap<_, _> = all
            .iter()
            .filter(|((_, r, _), _)| *r != regime)
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        assert_eq!(
            without, others,
            "without {file}, every other regime's hops keep their verdicts and codes"
        );
    }
}

#[test]
fn a_destination_restricted_under_a_negative_list_is_unlawful() {
    let scenario = "tests/scenarios/in-dpdp.yaml";
    let dir = tempfile::tempdir().expect("temporary directory");
    std::fs::write(
        dir.path().join("restricted.yaml"),
        "transfer-rules:\n  - id: in-restricted-us\n    regime: in-dpdp\n    effect: restricted\n    \
         destinations: [US]\n    name: a notification restricting the United States (hypothetical)\n    \
         from: 2027-06-01\n    says: the Central Government restricts transfers to this country\n    \
         citation: Digital Personal Data Protection Act, 2023, s.16(1)\n",
    )
    .expect("write the rule");
    let rules = dir.path().to_string_lossy().into_owned();
    let judge = |date: &str| {
        let out = run(&[
            "--rules", &rules, "check", scenario, "--as-of", date, "--format", "json",
        ]);
        (out.code, verdicts(&out.json()))
    };
    let key = |flow: &str, dest: &str| (flow.to_owned(), "in-dpdp".to_owned(), dest.to_owned());
    let (code, before) = judge("2027-05-31");
    assert_eq!(code, 0);
    assert_eq!(
        before[&key("cloud", "US")].0,
        "\"lawful\"",
        "not yet restricted"
    );
    let (code, after) = judge("2027-06-01");
    assert_eq!(code, 1, "an error finding fails the check");
    assert_eq!(after[&key("cloud", "US")].0, "\"unlawful\"");
    assert!(after[&key("cloud", "US")].1.contains("XB028"));
    assert_eq!(after[&key("local", "IN")].0, "\"not-a-transfer\"");
}

/// A restriction limited to some transfers (`when`) binds only those: met, the hop is unlawful;
/// not met, the destination stays open; a fact it needs that the map does not state is asked
/// for (XB021) and judged by the rule's `if-unknown` (here: not applying), never passed silently.
#[test]
fn a_restriction_limited_by_a_condition_binds_only_the_transfers_it_names() {
    let scenario = "tests/scenarios/in-dpdp.yaml";
    let judge = |when: &str| {
        let dir = tempfile::tempdir().expect("temporary directory");
        std::fs::write(
            dir.path().join("restricted.yaml"),
            format!(
                "transfer-rules:\n  - id: in-restricted-us-analytics\n    regime: in-dpdp\n    \
                 effect: restricted\n    destinations: [US]\n    when: {when}\n    \
                 name: a notification restricting transfers for analytics (hypothetical)\n    \
                 from: 2027-06-01\n    says: the Central Government restricts these transfers\n    \
                 citation: Digital Personal Data Protection Act, 2023, s.16(1)\n"
            ),
        )
        .expect("write the rule");
        let rules = dir.path().to_string_lossy().into_owned();
        let out = run(&[
            "--rules",
            &rules,
            "check",
            scenario,
            "--as-of",
            "2027-06-01",
            "--format",
            "json",
        ]);
        verdicts(&out.json())[&("cloud".to_owned(), "in-dpdp".to_owned(), "US".to_owned())].clone()
    };
    // The cloud flow carries name and email: no sensitive data, and no purpose stated.
    let (verdict, codes) = judge("{ sensitive: true }");
    assert_eq!(verdict, "\"lawful\"", "not sensitive: not restricted");
    assert!(
        !codes.contains("XB028") && !codes.contains("XB021"),
        "{codes}"
    );
    let (verdict, codes) = judge("{ sensitive: false }");
    assert_eq!(verdict, "\"unlawful\"", "the condition holds: restricted");
    assert!(codes.contains("XB028"), "{codes}");
    let (verdict, codes) = judge("{ purpose: analytics }");
    assert_eq!(
        verdict, "\"lawful\"",
        "unknown purpose, judged as not applying"
    );
    assert!(
        codes.contains("XB021") && !codes.contains("XB028"),
        "{codes}"
    );
}

/// A finding says what to do under the hop's own law: Korea's XB001 names the bases of PIPA
/// Art. 28-8(1), not the EU's SCCs, which an EU hop's XB001 still names.
#[test]
fn a_finding_gives_the_remedy_of_its_regimes_law() {
    let remedy = |scenario: &str, as_of: &str, regime: &str| {
        let out = run(&["check", scenario, "--as-of", as_of, "--format", "json"]);
        let doc = out.json();
        doc["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .find(|f| f["code"] == "XB001" && f["regime"] == regime)
            .and_then(|f| f["remediation"].as_str())
            .unwrap_or_else(|| panic!("an XB001 of {regime} in {scenario}"))
            .to_owned()
    };
    let korea = remedy("tests/scenarios/kr-pipa.yaml", "2025-09-15", "kr-pipa");
    assert!(
        korea.contains("PIPA Art. 28-8(1)") && korea.contains("separate consent"),
        "{korea}"
    );
    assert!(!korea.contains("SCCs"), "{korea}");
    let europe = remedy(
        "tests/scenarios/adq-korea-2021-12-16.yaml",
        "2021-12-16",
        "eu-gdpr",
    );
    assert!(europe.contains("2021 SCCs"), "{europe}");
}

#[test]
fn rules_lists_each_regime_with_its_entries_cited() {
    for (date, regime, expect) in [
        ("2026-06-01", "br-lgpd", "Resolution CD/ANPD 32/2026"),
        (
            "2024-06-01",
            "cn-pipl",
            "Provisions on Promoting and Regulating Cross-Border Data Flows",
        ),
        ("2024-06-01", "qc-law25", "CQLR c P-39.1, s.17"),
        ("2024-06-01", "kr-pipa", "Art. 28-8(1)(1)"),
        ("2024-06-01", "jp-appi", "Art. 28(1) and (3)"),
        (
            "2026-12-04",
            "in-dpdp",
            "transfers not restricted until 2027-05-13",
        ),
        (
            "2027-06-01",
            "in-dpdp",
            "allowed unless the destination is restricted",
        ),
    ] {
        let out = run(&["rules", "--as-of", date, "--regime", regime]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        assert!(
            out.stdout.contains(expect),
            "rules --regime {regime} on {date} says {expect:?}:\n{}",
            out.stdout
        );
        let json = run(&[
            "rules", "--as-of", date, "--regime", regime, "--format", "json",
        ])
        .json();
        let in_force = &json["in_force"];
        for section in ["adequacy", "tools", "transfer-rules"] {
            for entry in in_force[section].as_array().expect("a list") {
                assert_eq!(entry["regime"], regime, "only the regime asked for");
                assert!(
                    !entry["citation"].as_str().unwrap_or("").trim().is_empty(),
                    "every entry is cited: {entry}"
                );
            }
        }
    }
    // Before a regime's transfer rules apply, nothing of it is in force.
    let before = run(&["rules", "--as-of", "2023-09-21", "--regime", "qc-law25"]);
    assert!(
        before.stdout.contains("not restricted until 2023-09-22"),
        "{}",
        before.stdout
    );
}

#[test]
fn what_if_an_adequacy_recognition_fell() {
    let as_of = "2026-06-01";
    let key = ("br-to-ie".to_owned(), "br-lgpd".to_owned(), "IE".to_owned());
    let actual = verdicts(&check(&[], as_of));
    assert_eq!(actual[&key].0, "\"lawful\"", "Brazil recognises the EU");
    let out = run(&[
        "check",
        MAP,
        "--as-of",
        as_of,
        "--format",
        "json",
        "--assume-invalid",
        "br-eu-ie",
    ]);
    let what_if = verdicts(&out.json());
    assert_eq!(what_if[&key].0, "\"unlawful\"");
    assert!(what_if[&key].1.contains("XB001"));
}

#[test]
fn ropa_vendor_review_and_audit_cover_the_new_regimes() {
    let ropa = run(&["ropa", MAP, "--as-of", ALL_IN_FORCE, "--format", "csv"]);
    assert_eq!(ropa.code, 0, "{}", ropa.stderr);
    for regime in [
        "br-lgpd", "cn-pipl", "qc-law25", "kr-pipa", "jp-appi", "in-dpdp",
    ] {
        assert!(ropa.stdout.contains(regime), "the RoPA names {regime}");
    }

    let review = run(&[
        "vendor",
        "review",
        VENDOR,
        "--map",
        MAP,
        "--as-of",
        "2026-12-04",
        "--format",
        "json",
    ]);
    assert!(review.code == 0 || review.code == 1, "{}", review.stderr);
    let doc = review.json();
    let hops = doc["hops"].as_array().expect("hops");
    let regimes: Vec<&str> = hops.iter().filter_map(|h| h["regime"].as_str()).collect();
    assert!(
        regimes.contains(&"cn-pipl") && regimes.contains(&"br-lgpd"),
        "{regimes:?}"
    );
    let conditions = doc["conditions"].to_string();
    assert!(
        !conditions.contains("Regulation (EU) 2016/679"),
        "a PIPL or LGPD tool is not held to the GDPR's terms: {conditions}"
    );

    if !xborder_tests::require_tool("pdftotext") {
        return;
    }
    let dir = tempfile::tempdir().expect("temporary directory");
    let pdf = xborder_tests::unsigned_audit(dir.path(), MAP, ALL_IN_FORCE, &[]);
    let text = crate::audit::squash(&crate::audit::pdftotext(&pdf, None));
    for regime in [
        "br-lgpd", "cn-pipl", "qc-law25", "kr-pipa", "jp-appi", "in-dpdp",
    ] {
        assert!(
            text.contains(&crate::audit::squash(regime)),
            "the audit report shows {regime}"
        );
    }
}
