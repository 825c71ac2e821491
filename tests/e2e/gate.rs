//! The CI gate: `check --base`, SARIF validated against the official schema, JUnit XML,
//! GitHub workflow commands, `diff`, `--horizon` and `timeline`.

use serde_json::Value;
use xborder_tests::{root, run, run_env};

const MAP_2021: &str = "data/coursera/2021-01.yaml";
const MAP_2020: &str = "data/coursera/2020-08.yaml";

#[test]
fn base_diff_reports_only_what_the_change_introduced() {
    let out = run(&[
        "check",
        MAP_2021,
        "--base",
        MAP_2020,
        "--as-of",
        "2021-01-01",
        "--format",
        "json",
    ]);
    assert!(out.code == 0 || out.code == 1, "{}", out.stderr);
    let doc = out.json();
    let findings = doc["findings"].as_array().expect("findings");
    assert!(
        findings
            .iter()
            .all(|f| f["baseline"] == "new" || f["baseline"] == "unchanged")
    );
    let new: Vec<&Value> = findings.iter().filter(|f| f["baseline"] == "new").collect();
    let unchanged = findings.len() - new.len();
    assert!(
        unchanged > 0,
        "the 2020 map shares findings with the 2021 map"
    );
    // Every new finding is about a flow the 2020 map does not have, or has differently:
    // the same finding (code, flow identity, regime, destination) never counts as new.
    let base = run(&[
        "check",
        MAP_2020,
        "--as-of",
        "2021-01-01",
        "--format",
        "json",
    ])
    .json();
    let key = |f: &Value, doc: &Value| {
        let flow = f["flow"].as_u64().unwrap_or(0) as usize;
        let id = doc["hops"]
            .as_array()
            .and_then(|h| h.iter().find(|h| h["flow"].as_u64() == Some(flow as u64)))
            .and_then(|h| h["id"].as_str())
            .unwrap_or("")
            .to_string();
        (
            f["code"].as_str().unwrap_or("").to_string(),
            id,
            f["regime"].as_str().unwrap_or("").to_string(),
            f["destination"].as_str().unwrap_or("").to_string(),
        )
    };
    let base_keys: Vec<_> = base["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| key(f, &base))
        .collect();
    for f in &new {
        assert!(
            !base_keys.contains(&key(f, &doc)),
            "reported as new but present in the base: {f}"
        );
    }
    // Exit 1 only for new errors (default --fail-on new).
    let new_errors = new.iter().any(|f| f["severity"] == "error");
    assert_eq!(out.code, i32::from(new_errors));
    let never = run(&[
        "check",
        MAP_2021,
        "--base",
        MAP_2020,
        "--as-of",
        "2021-01-01",
        "--fail-on",
        "never",
    ]);
    assert_eq!(never.code, 0);
    // The summary line, then the new findings first.
    let (summary, rest) = never.stdout.split_once("\n\n").unwrap_or_default();
    assert!(summary.starts_with("as of 2021-01-01:"), "{summary}");
    assert!(
        rest.starts_with("== new finding(s)"),
        "human output leads with the new ones:\n{}",
        &rest[..200.min(rest.len())]
    );
}

#[test]
fn reordering_flows_produces_no_new_findings() {
    let text = std::fs::read_to_string(root().join(MAP_2021)).expect("map");
    let (head, flows) = text.split_once("\nflows:\n").expect("flows section");
    let (flows, tail) = match flows.find("\nagreements:") {
        Some(i) => (&flows[..i], &flows[i..]),
        None => (flows, ""),
    };
    // Split the list into items and reverse them.
    let mut items: Vec<String> = Vec::new();
    for line in flows.lines() {
        if line.starts_with("  - ") {
            items.push(String::new());
        }
        if let Some(last) = items.last_mut() {
            last.push_str(line);
            last.push('\n');
        }
    }
    items.reverse();
    let dir = tempfile::tempdir().expect("temp dir");
    let reordered = dir.path().join("reordered.yaml");
    std::fs::write(
        &reordered,
        format!("{head}\nflows:\n{}{tail}", items.concat()),
    )
    .expect("write");
    let out = run(&[
        "check",
        reordered.to_str().expect("path"),
        "--base",
        MAP_2021,
        "--as-of",
        "2021-01-01",
        "--format",
        "json",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let doc = out.json();
    let new: Vec<&Value> = doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["baseline"] == "new")
        .collect();
    assert!(new.is_empty(), "reordering created new findings: {new:?}");
    assert_eq!(doc["resolved"].as_array().map(Vec::len), Some(0));
}

/// The official SARIF 2.1.0 schema, ready to validate a log.
pub fn sarif_validator() -> jsonschema::Validator {
    // The schema (SARIF 2.1.0 rtm.5 as published on SchemaStore and shipped by
    // @microsoft/jest-sarif, MIT) writes run.language's pattern with a lone `]`, which ECMA
    // regular expressions read as a literal and Rust's do not: escape it, same meaning.
    let text =
        std::fs::read_to_string(root().join("tests/data/sarif-schema-2.1.0.json")).expect("schema");
    let text = text.replace(r#"{2}-[a-zA-Z]{2}]?$"#, r#"{2}-[a-zA-Z]{2}\\]?$"#);
    let schema: Value = serde_json::from_str(&text).expect("schema JSON");
    jsonschema::draft4::new(&schema).expect("valid schema")
}

/// Fails unless `log` is valid SARIF 2.1.0 by `validator` (see [`sarif_validator`]), listing
/// every violation with where it is.
pub fn assert_valid_sarif(validator: &jsonschema::Validator, log: &Value) {
    let errors: Vec<String> = validator
        .iter_errors(log)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "not valid SARIF 2.1.0: {errors:#?}");
}

#[test]
fn sarif_validates_against_the_official_schema() {
    let validator = sarif_validator();
    for args in [
        vec![
            "check",
            MAP_2021,
            "--as-of",
            "2021-01-01",
            "--format",
            "sarif",
        ],
        vec![
            "check",
            MAP_2021,
            "--base",
            MAP_2020,
            "--as-of",
            "2021-01-01",
            "--format",
            "sarif",
        ],
    ] {
        let out = run(&args);
        let doc = out.json();
        assert_valid_sarif(&validator, &doc);
        let run0 = &doc["runs"][0];
        assert_eq!(run0["columnKind"], "unicodeCodePoints");
        let rules = run0["tool"]["driver"]["rules"].as_array().expect("rules");
        let codes = std::fs::read_to_string(xborder_tests::root().join("data/rulebook/codes.yaml"))
            .expect("code registry");
        let documented = codes.matches("\n  - code: XB").count();
        assert_eq!(rules.len(), documented, "one rule per finding code");
        let results = run0["results"].as_array().expect("results");
        assert!(!results.is_empty());
        for r in results {
            let region = &r["locations"][0]["physicalLocation"]["region"];
            assert!(
                region["startLine"].as_u64().unwrap_or(0) > 0
                    && region["startColumn"].as_u64().unwrap_or(0) > 0
            );
            assert!(
                !r["codeFlows"][0]["threadFlows"][0]["locations"]
                    .as_array()
                    .expect("flow")
                    .is_empty()
            );
            let rule = &rules[r["ruleIndex"].as_u64().expect("rule index") as usize];
            assert_eq!(rule["id"], r["ruleId"]);
        }
        if args.contains(&"--base") {
            assert!(
                results
                    .iter()
                    .all(|r| r["baselineState"] == "new" || r["baselineState"] == "unchanged")
            );
        }
    }
}

#[test]
fn junit_is_one_case_per_hop_with_failures_for_unlawful_ones() {
    let out = run(&[
        "check",
        MAP_2021,
        "--as-of",
        "2021-01-01",
        "--format",
        "junit",
    ]);
    let xml = roxmltree::Document::parse(&out.stdout).expect("JUnit output parses as XML");
    let json = run(&[
        "check",
        MAP_2021,
        "--as-of",
        "2021-01-01",
        "--format",
        "json",
    ])
    .json();
    let hops = json["hops"].as_array().expect("hops");
    let cases: Vec<roxmltree::Node> = xml
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    assert_eq!(xml.root_element().tag_name().name(), "testsuites");
    assert_eq!(cases.len(), hops.len());
    let failures = cases
        .iter()
        .filter(|c| c.children().any(|n| n.has_tag_name("failure")))
        .count();
    assert_eq!(
        failures,
        hops.iter().filter(|h| h["verdict"] == "unlawful").count()
    );
    let suite = xml
        .descendants()
        .find(|n| n.has_tag_name("testsuite"))
        .expect("testsuite");
    assert_eq!(
        suite.attribute("failures"),
        Some(failures.to_string().as_str())
    );
}

#[test]
fn github_commands_are_escaped_and_capped() {
    let dir = tempfile::tempdir().expect("temp dir");
    let summary = dir.path().join("summary.md");
    let out = run_env(
        &root(),
        &[
            "check",
            MAP_2021,
            "--as-of",
            "2021-01-01",
            "--format",
            "github",
        ],
        &[("GITHUB_STEP_SUMMARY", summary.to_str().expect("path"))],
    );
    assert_eq!(out.code, 1);
    let errors = out
        .stdout
        .lines()
        .filter(|l| l.starts_with("::error "))
        .count();
    assert!(
        errors > 0 && errors <= 10,
        "at most 10 annotations per type, got {errors}"
    );
    assert!(out.stdout.contains("more finding(s) not annotated"));
    for line in out.stdout.lines() {
        assert!(line.starts_with("::"), "one command per line: {line}");
        let (props, message) = line
            .split_once("::")
            .and_then(|(_, rest)| rest.split_once("::"))
            .expect("command format");
        assert!(!message.contains('\n') && !message.contains('\r'));
        assert!(
            props.contains("file=data/coursera/2021-01.yaml") || props.starts_with("notice title="),
            "{props}"
        );
    }
    let text = std::fs::read_to_string(&summary).expect("step summary written");
    assert!(text.starts_with("## xborder:") && text.contains("| hops |"));
}

#[test]
fn diff_names_the_changes_and_the_verdicts_they_change() {
    let out = run(&[
        "diff",
        MAP_2020,
        MAP_2021,
        "--as-of",
        "2021-01-01",
        "--format",
        "json",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let doc = out.json();
    let changes = doc["changes"].as_array().expect("changes");
    assert!(
        changes
            .iter()
            .any(|c| c["change"] == "added"
                && c["what"].as_str().unwrap_or("").starts_with("entity "))
    );
    assert!(
        changes
            .iter()
            .any(|c| c["change"] == "changed" && c["what"] == "flow signup-eea"),
        "{changes:?}"
    );
    // A changed subject lists the fields that differ, in words (never Rust's Debug text).
    for c in changes.iter().filter(|c| c["change"] == "changed") {
        let fields = c["fields"].as_array().expect("fields of a change");
        assert!(!fields.is_empty(), "{c}");
        assert!(
            fields.iter().all(|f| f["field"].is_string()
                && f["before"].is_string()
                && f["after"].is_string())
        );
    }
    assert!(
        !out.stdout.contains("Some(") && !out.stdout.contains("None"),
        "Debug text in the diff"
    );
    assert!(!doc["verdicts"].as_array().expect("verdicts").is_empty());
    let same = run(&["diff", MAP_2021, MAP_2021, "--as-of", "2021-01-01"]);
    assert!(
        same.stdout.contains("no change to entities")
            && same.stdout.contains("no hop verdict changed")
    );
}

#[test]
fn horizon_warns_about_what_expires_with_the_date() {
    // On 2022-07-01 the 2010/87 clauses of the enterprise DPA are grandfathered until
    // 2022-12-27: within 180 days they stop providing safeguards.
    let out = run(&[
        "check",
        MAP_2021,
        "--as-of",
        "2022-07-01",
        "--horizon",
        "180d",
        "--format",
        "json",
    ]);
    let doc = out.json();
    let soon: Vec<&Value> = doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["code"] == "XB020")
        .collect();
    assert!(!soon.is_empty(), "expected XB020 warnings");
    assert!(
        soon.iter()
            .any(|f| f["message"].as_str().unwrap_or("").contains("2022-12-28")),
        "{soon:?}"
    );
    assert!(soon.iter().all(|f| f["severity"] == "warning"));
    let without = run(&[
        "check",
        MAP_2021,
        "--as-of",
        "2022-07-01",
        "--format",
        "json",
    ])
    .json();
    assert!(
        without["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .all(|f| f["code"] != "XB020")
    );
}

#[test]
fn timeline_shows_privacy_shield_flipping_on_schrems_ii() {
    let out = run(&[
        "timeline",
        "data/coursera/2018-07.yaml",
        "--from",
        "2018-07-11",
        "--to",
        "2021-12-31",
        "--format",
        "json",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let doc = out.json();
    let mut flipped = 0;
    for hop in doc["hops"].as_array().expect("hops") {
        let intervals = hop["intervals"].as_array().expect("intervals");
        for pair in intervals.windows(2) {
            if pair[0]["mechanism"] == "privacy-shield" && pair[0]["verdict"] == "lawful" {
                assert_eq!(pair[0]["until"], "2020-07-15", "{hop}");
                assert_eq!(pair[1]["from"], "2020-07-16", "{hop}");
                assert_eq!(pair[1]["verdict"], "unlawful");
                flipped += 1;
            }
        }
    }
    assert!(
        flipped >= 3,
        "Privacy Shield hops flip on 2020-07-16 ({flipped})"
    );
    let human = run(&[
        "timeline",
        "data/coursera/2018-07.yaml",
        "--from",
        "2018-07-11",
        "--to",
        "2021-12-31",
    ]);
    assert!(
        human
            .stdout
            .contains("lawful         2018-07-11…2020-07-15 (privacy-shield)"),
        "{}",
        &human.stdout[..600.min(human.stdout.len())]
    );
}
