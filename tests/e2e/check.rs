//! `xborder check`, `explain` and `rules` on the Coursera maps: the verdicts an auditor
//! relies on, the JSON contract, and snapshots at meaningful dates.

use serde_json::Value;
use xborder_tests::run;

const MAP_2021: &str = "data/coursera/2021-01.yaml";

fn check(map: &str, date: &str) -> Value {
    let out = run(&["check", map, "--as-of", date, "--format", "json"]);
    assert!(
        out.code == 0 || out.code == 1,
        "check failed ({}):\n{}",
        out.code,
        out.stderr
    );
    out.json()
}

fn hops(doc: &Value) -> &Vec<Value> {
    doc["hops"].as_array().expect("hops")
}

fn key(h: &Value) -> (u64, String, String) {
    (
        h["flow"].as_u64().unwrap_or(u64::MAX),
        h["regime"].as_str().unwrap_or("").to_string(),
        h["destination"].as_str().unwrap_or("").to_string(),
    )
}

fn codes(h: &Value) -> Vec<&str> {
    h["codes"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

#[test]
fn privacy_shield_hops_flip_on_schrems_ii() {
    let after = check(MAP_2021, "2021-01-01");
    let before = check(MAP_2021, "2020-07-15");
    let flagged: Vec<&Value> = hops(&after)
        .iter()
        .filter(|h| {
            h["regime"] == "eu-gdpr"
                && h["destination"] == "US"
                && h["mechanism"] == "privacy-shield"
                && codes(h).contains(&"XB002")
        })
        .collect();
    assert!(
        flagged.len() >= 5,
        "EU-US hops relying on Privacy Shield must be flagged, got {}",
        flagged.len()
    );
    for h in &flagged {
        assert_eq!(h["verdict"], "unlawful", "{h}");
        assert_eq!(h["mechanism"], "privacy-shield", "{h}");
        let path: Vec<&str> = h["path"]
            .as_array()
            .expect("path")
            .iter()
            .filter_map(Value::as_str)
            .collect();
        assert!(
            path.len() >= 2,
            "witness path from a data source to the importer: {h}"
        );
        assert_eq!(path.last().copied(), h["to"].as_str());
        let earlier = hops(&before)
            .iter()
            .find(|b| key(b) == key(h))
            .expect("same hop on 2020-07-15");
        assert_eq!(
            earlier["verdict"], "lawful",
            "lawful the day before Schrems II: {earlier}"
        );
        assert_eq!(earlier["mechanism"], "privacy-shield");
    }
    let finding = after["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["code"] == "XB002" && f["regime"] == "eu-gdpr")
        .expect("an XB002 finding");
    assert!(
        finding["citation"]
            .as_str()
            .unwrap_or("")
            .contains("C-311/18"),
        "{finding}"
    );
    assert_eq!(finding["severity"], "error");
}

#[test]
fn learner_as_exporter_scc_is_not_needed_for_direct_collection() {
    let doc = check(MAP_2021, "2021-01-01");
    let signup = hops(&doc)
        .iter()
        .find(|h| h["id"] == "signup-eea" && h["regime"] == "eu-gdpr")
        .expect("signup hop");
    assert_eq!(signup["verdict"], "not-a-transfer");
    let notes: Vec<&Value> = doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["flow"] == signup["flow"] && f["code"] == "XB011")
        .collect();
    assert!(
        notes.iter().any(|f| f["severity"] == "info"
            && f["message"]
                .as_str()
                .unwrap_or("")
                .contains("`scc` mechanism is not needed")),
        "{notes:?}"
    );
    // ... while the importer's onward hops to its vendors are judged as transfers.
    let onward: Vec<&Value> = hops(&doc)
        .iter()
        .filter(|h| {
            h["from"] == "coursera-inc" && h["regime"] == "eu-gdpr" && h["destination"] == "US"
        })
        .collect();
    assert!(!onward.is_empty());
    assert!(
        onward.iter().all(|h| h["verdict"] != "not-a-transfer"),
        "onward hops are transfers"
    );
}

#[test]
fn json_contract_is_complete() {
    let out = run(&[
        "check",
        MAP_2021,
        "--as-of",
        "2021-01-01",
        "--format",
        "json",
    ]);
    assert_eq!(out.code, 1, "unlawful transfers exit 1");
    let doc = out.json();
    assert_eq!(doc["format"], 1);
    assert_eq!(doc["as_of"], "2021-01-01");
    assert_eq!(doc["inputs"]["map"]["path"], MAP_2021);
    assert_eq!(
        doc["inputs"]["map"]["sha256"].as_str().map(str::len),
        Some(64)
    );
    assert_eq!(
        doc["inputs"]["rulebook"]["sha256"].as_str().map(str::len),
        Some(64)
    );
    for h in hops(&doc) {
        for field in [
            "flow",
            "from",
            "to",
            "regime",
            "destination",
            "verdict",
            "codes",
            "path",
        ] {
            assert!(!h[field].is_null(), "hop without {field}: {h}");
        }
        assert!(
            ["not-a-transfer", "lawful", "conditional", "unlawful"]
                .contains(&h["verdict"].as_str().unwrap_or(""))
        );
    }
    for f in doc["findings"].as_array().expect("findings") {
        assert!(
            f["code"].as_str().is_some_and(|c| c.starts_with("XB")),
            "{f}"
        );
        assert!(
            ["error", "warning", "info"].contains(&f["severity"].as_str().unwrap_or("")),
            "{f}"
        );
        assert!(
            !f["citation"].as_str().unwrap_or("").is_empty(),
            "finding without citation: {f}"
        );
        assert!(!f["path"].as_array().expect("path").is_empty(), "{f}");
        assert_eq!(f["location"]["file"], MAP_2021);
        assert!(
            f["location"]["line"].as_u64().unwrap_or(0) > 0
                && f["location"]["column"].as_u64().unwrap_or(0) > 0,
            "{f}"
        );
    }
    let s = &doc["summary"];
    let total = ["not-a-transfer", "lawful", "conditional", "unlawful"]
        .iter()
        .map(|k| s[k].as_u64().unwrap_or(0))
        .sum::<u64>();
    assert_eq!(s["hops"].as_u64(), Some(total));
    assert_eq!(s["hops"].as_u64(), Some(hops(&doc).len() as u64));
}

#[test]
fn output_is_deterministic() {
    let a = run(&[
        "check",
        MAP_2021,
        "--as-of",
        "2023-01-15",
        "--format",
        "json",
    ]);
    let b = run(&[
        "check",
        MAP_2021,
        "--as-of",
        "2023-01-15",
        "--format",
        "json",
    ]);
    assert_eq!(a.stdout, b.stdout);
    let c = run(&["check", MAP_2021, "--as-of", "2023-01-15"]);
    let d = run(&["check", MAP_2021, "--as-of", "2023-01-15"]);
    assert_eq!(c.stdout, d.stdout);
}

/// One line per hop: what changes between dates is easy to review.
fn verdict_table(doc: &Value) -> String {
    let mut out = format!(
        "as of {} — {}\n",
        doc["as_of"].as_str().unwrap_or(""),
        doc["summary"]
    );
    for h in hops(doc) {
        out.push_str(&format!(
            "{:>3} {:<22} {:<8} {:<3} {:<15} {:<16} {}\n",
            h["flow"],
            h["id"].as_str().unwrap_or("-"),
            h["regime"].as_str().unwrap_or(""),
            h["destination"].as_str().unwrap_or(""),
            h["verdict"].as_str().unwrap_or(""),
            h["mechanism"].as_str().unwrap_or("-"),
            codes(h).join(",")
        ));
    }
    out
}

#[test]
fn coursera_snapshots_at_meaningful_dates() {
    for (map, date) in [
        ("data/coursera/2018-07.yaml", "2018-07-20"),
        ("data/coursera/2020-08.yaml", "2020-07-15"),
        ("data/coursera/2020-08.yaml", "2020-07-17"),
        (MAP_2021, "2021-01-01"),
        (MAP_2021, "2023-01-15"),
        (MAP_2021, "2024-06-01"),
    ] {
        let doc = check(map, date);
        let name = format!(
            "{}@{date}",
            std::path::Path::new(map)
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or("map")
        );
        insta::with_settings!({ snapshot_suffix => name, prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!("verdicts", verdict_table(&doc));
        });
    }
    let human = run(&["check", MAP_2021, "--as-of", "2021-01-01"]);
    insta::with_settings!({ prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("human-2021-01@2021-01-01", human.stdout);
    });
}

#[test]
fn invalid_map_is_not_checked() {
    let out = run(&[
        "check",
        "tests/maps/invalid/five-mistakes.yaml",
        "--as-of",
        "2021-01-01",
        "--format",
        "json",
    ]);
    assert_eq!(out.code, 2);
    // Nothing is judged: the document says why instead of giving hops (see unusable.rs).
    let doc = out.json();
    assert!(
        doc.get("hops").is_none() && doc.get("findings").is_none(),
        "{doc}"
    );
    assert_eq!(doc["valid"], serde_json::Value::Bool(false));
    assert!(out.stderr.contains("nothing was checked"), "{}", out.stderr);
}

#[test]
fn bad_date_is_a_usage_error() {
    let out = run(&["check", MAP_2021, "--as-of", "2021-13-01"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("write YYYY-MM-DD"), "{}", out.stderr);
}

#[test]
fn explain_documents_every_code() {
    for n in 1..=19 {
        let code = format!("XB{n:03}");
        let out = run(&["explain", &code]);
        assert_eq!(out.code, 0, "{code}: {}", out.stderr);
        for section in ["What it means", "Why", "Citation", "How to fix it"] {
            assert!(out.stdout.contains(section), "{code} lacks {section}");
        }
    }
    let out = run(&["explain", "XB002"]);
    assert!(out.stdout.contains("C-311/18"), "{}", out.stdout);
    let unknown = run(&["explain", "XB999"]);
    assert_eq!(unknown.code, 2);
    assert!(unknown.stderr.contains("known codes"));
}

#[test]
fn rules_list_adequacy_in_force_with_scopes() {
    let out = run(&[
        "rules",
        "--as-of",
        "2024-01-01",
        "--regime",
        "eu-gdpr",
        "--format",
        "json",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let doc = out.json();
    let adequacy = doc["in_force"]["adequacy"].as_array().expect("adequacy");
    let destinations: Vec<&str> = adequacy
        .iter()
        .filter_map(|a| a["destination"].as_str())
        .collect();
    for d in ["CA", "JP", "KR", "GB", "CH", "NZ", "IL", "AR", "UY"] {
        assert!(
            destinations.contains(&d),
            "{d} adequate on 2024-01-01: {destinations:?}"
        );
    }
    assert!(!destinations.contains(&"BR"), "Brazil only from 2026");
    assert!(
        adequacy
            .iter()
            .all(|a| !a["scope"].as_str().unwrap_or("").is_empty()
                && !a["citation"].as_str().unwrap_or("").is_empty())
    );
    let frameworks = doc["in_force"]["frameworks"]
        .as_array()
        .expect("frameworks");
    assert!(frameworks.iter().any(|f| f["id"] == "eu-us-dpf"));
    assert!(
        frameworks.iter().all(|f| f["id"] != "eu-us-privacy-shield"),
        "Privacy Shield is gone by 2024"
    );

    let human = run(&["rules", "--as-of", "2024-01-01", "--regime", "eu-gdpr"]);
    assert!(
        human
            .stdout
            .contains("scope: Only recipients subject to PIPEDA"),
        "{}",
        human.stdout
    );
    let early = run(&["rules", "--as-of", "2019-01-22", "--format", "json"]).json();
    assert!(
        early["in_force"]["adequacy"]
            .as_array()
            .expect("adequacy")
            .iter()
            .all(|a| a["destination"] != "JP"),
        "Japan from 2019-01-23"
    );
}

#[test]
fn an_assumption_about_an_unknown_id_is_refused() {
    // A misspelt framework would otherwise leave every verdict unchanged while the output
    // says the framework was assumed struck down.
    let out = run(&[
        "check",
        MAP_2021,
        "--as-of",
        "2024-06-01",
        "--assume-invalid",
        "eu-us-dfp",
        "--what-if",
    ]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("eu-us-dfp"), "{}", out.stderr);
    assert!(out.stdout.is_empty(), "{}", out.stdout);
    let known = run(&[
        "check",
        MAP_2021,
        "--as-of",
        "2024-06-01",
        "--assume-invalid",
        "eu-us-dpf",
        "--what-if",
    ]);
    assert_eq!(known.code, 1, "{}", known.stderr);
}

/// A chain of 40 onward transfers: the witness path of the last hop keeps the learners it
/// starts from and the last 32 entities, and says on the hop and on its finding how many it
/// left out — a consumer reading either knows the path was shortened.
#[test]
fn a_long_witness_path_says_what_it_left_out_on_hops_and_findings() {
    let map = xborder_tests::chain_map(40);
    let doc = check(&map.path().to_string_lossy(), "2024-01-01");
    let last = hops(&doc)
        .iter()
        .find(|h| h["to"] == "e40")
        .expect("the last hop");
    let path = last["path"].as_array().expect("path");
    assert_eq!(path.len(), 33, "{path:?}");
    assert_eq!(path[0], "learners");
    assert_eq!(path[32], "e40");
    assert_eq!(last["path_omitted"], 8, "41 entities, 33 listed");
    let finding = doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["flow"] == last["flow"])
        .expect("a finding on the last hop");
    assert_eq!(finding["path"], last["path"]);
    assert_eq!(finding["path_omitted"], 8);
    let short = &hops(&doc)[0];
    assert!(short.get("path_omitted").is_none(), "{short}");
}
