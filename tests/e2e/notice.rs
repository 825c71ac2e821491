//! `xborder notice check`: the January 2021 notice still relies on both Privacy Shields after
//! they fell; the July 2018 notice relied on the EU-US one while it stood. Dates come from the
//! rulebook (a `--rules` override moves them).

use serde_json::Value;
use xborder_tests::{root, run};

const NOTICE_2021: &str = "tests/data/notices/2021-01-privacy-notice.txt";
const NOTICE_2018: &str = "tests/data/notices/2018-07-privacy-policy.txt";
const CCPA_2021: &str = "tests/data/notices/2021-01-ccpa-notice.txt";

fn check(notice: &str, date: &str, extra: &[&str]) -> (i32, Value) {
    let mut args = vec![
        "notice",
        "check",
        notice,
        "--effective",
        date,
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    let out = run(&args);
    assert!(out.code == 0 || out.code == 1, "{}", out.stderr);
    (out.code, out.json())
}

fn claims<'a>(doc: &'a Value, rulebook_id: &str) -> Vec<&'a Value> {
    doc["claims"]
        .as_array()
        .expect("claims")
        .iter()
        .filter(|c| c["rulebook"] == rulebook_id)
        .collect()
}

#[test]
fn the_2021_notice_relies_on_both_privacy_shields_after_they_fell() {
    let (code, doc) = check(
        NOTICE_2021,
        "2021-01-01",
        &["--map", "data/coursera/2021-01.yaml"],
    );
    assert_eq!(
        code, 1,
        "a claim relying on an invalid framework makes the exit code 1"
    );
    for (id, since, citation) in [
        ("eu-us-privacy-shield", "2020-07-16", "C-311/18"),
        ("swiss-us-privacy-shield", "2020-09-08", "FDPIC"),
    ] {
        let found = claims(&doc, id);
        assert_eq!(found.len(), 1, "{id}: {doc}");
        let c = found[0];
        assert_eq!(c["status"], "invalid", "{c}");
        assert!(
            c["message"].as_str().expect("message").contains(since),
            "{c}"
        );
        assert!(
            c["citation"].as_str().expect("citation").contains(citation),
            "{c}"
        );
        assert!(
            c["sentence"]
                .as_str()
                .expect("sentence")
                .starts_with("We participate in and commit to adhering to the EU-U.S. and Swiss-U.S. Privacy Shield Frameworks"),
            "{c}"
        );
        assert_eq!(c["line"], 104);
        assert_eq!(c["assumed"], false);
        assert_eq!(
            c["map"]["consistent"], true,
            "the map claims privacy-shield too: {c}"
        );
    }
    // "Please see our Privacy Shield Notice below" is a mention, not a claim.
    let mentions = doc["mentions"].as_array().expect("mentions");
    assert!(mentions.iter().any(|m| {
        m["sentence"]
            .as_str()
            .is_some_and(|s| s.contains("Privacy Shield Notice below"))
    }));
}

#[test]
fn the_2018_notice_relied_on_a_valid_framework() {
    let (code, doc) = check(
        NOTICE_2018,
        "2018-07-11",
        &["--map", "data/coursera/2018-07.yaml"],
    );
    assert_eq!(code, 0, "{doc}");
    let all = doc["claims"].as_array().expect("claims");
    assert!(
        all.iter()
            .all(|c| c["status"] != "invalid" && c["status"] != "not-yet-valid"),
        "{doc}"
    );
    let ps = claims(&doc, "eu-us-privacy-shield");
    assert!(
        !ps.is_empty(),
        "the EU-U.S. Privacy Shield reliance is found"
    );
    assert!(ps.iter().all(|c| c["status"] == "valid"));
    assert!(
        claims(&doc, "swiss-us-privacy-shield").is_empty(),
        "no Swiss claim in 2018"
    );
    // The revision history removing the Swiss Safe Harbor policy is not reliance on it.
    let mentions = doc["mentions"].as_array().expect("mentions");
    assert!(
        mentions
            .iter()
            .any(|m| m["claim"] == "safe-harbor" && m["line"] == 379),
        "{mentions:?}"
    );
    assert!(
        claims(&doc, "eu-us-safe-harbor").is_empty()
            && claims(&doc, "swiss-us-safe-harbor").is_empty()
    );
}

#[test]
fn validity_follows_the_rulebook_day_by_day() {
    let status = |date: &str, id: &str| {
        let (_, doc) = check(NOTICE_2021, date, &[]);
        claims(&doc, id)[0]["status"]
            .as_str()
            .expect("status")
            .to_string()
    };
    assert_eq!(status("2020-07-15", "eu-us-privacy-shield"), "valid");
    assert_eq!(status("2020-07-16", "eu-us-privacy-shield"), "invalid");
    assert_eq!(status("2020-09-07", "swiss-us-privacy-shield"), "valid");
    assert_eq!(status("2020-09-08", "swiss-us-privacy-shield"), "invalid");
    assert_eq!(
        status("2016-07-31", "eu-us-privacy-shield"),
        "not-yet-valid"
    );
}

#[test]
fn a_rulebook_override_moves_the_dates() {
    let dir = tempfile::tempdir().expect("tempdir");
    let original =
        std::fs::read_to_string(root().join("data/rulebook/frameworks.yaml")).expect("frameworks");
    let moved = original.replacen("invalid-from: 2020-07-16", "invalid-from: 2021-06-01", 1);
    assert_ne!(original, moved);
    std::fs::write(dir.path().join("frameworks.yaml"), moved).expect("write");
    let rules = dir.path().to_string_lossy().into_owned();
    let (_, doc) = check(NOTICE_2021, "2021-01-01", &["--rules", &rules]);
    assert_eq!(
        claims(&doc, "eu-us-privacy-shield")[0]["status"],
        "valid",
        "{doc}"
    );
    assert_eq!(
        claims(&doc, "swiss-us-privacy-shield")[0]["status"],
        "invalid"
    );
}

#[test]
fn we_do_not_sell_is_compared_with_the_map() {
    let (code, doc) = check(
        CCPA_2021,
        "2021-01-01",
        &["--map", "data/coursera/2021-01.yaml"],
    );
    assert_eq!(code, 0, "a review is not an error");
    let sale: Vec<&Value> = doc["claims"]
        .as_array()
        .expect("claims")
        .iter()
        .filter(|c| c["claim"] == "no-sale")
        .collect();
    assert!(!sale.is_empty());
    assert_eq!(sale[0]["status"], "review");
    assert!(
        sale[0]["map"]["message"]
            .as_str()
            .expect("map")
            .contains("business-partners (partner-marketing)")
    );
}

#[test]
fn human_output_quotes_and_cites() {
    for (name, notice, date, map) in [
        (
            "2021-01",
            NOTICE_2021,
            "2021-01-01",
            "data/coursera/2021-01.yaml",
        ),
        (
            "2018-07",
            NOTICE_2018,
            "2018-07-11",
            "data/coursera/2018-07.yaml",
        ),
    ] {
        let out = run(&["notice", "check", notice, "--effective", date, "--map", map]);
        assert!(out.code == 0 || out.code == 1, "{}", out.stderr);
        insta::with_settings!({ snapshot_suffix => name, prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!("notice-check", out.stdout);
        });
    }
}
