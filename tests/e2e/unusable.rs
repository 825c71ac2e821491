//! A map that cannot be loaded still shows in CI: every machine format of `check` carries the
//! map's problems (with their file, line and column), and the command exits 2.

use serde_json::Value;
use xborder_tests::run;

use crate::gate::{assert_valid_sarif, sarif_validator};

const BAD: &str = "tests/maps/invalid/five-mistakes.yaml";

/// The problems as `validate --format json` reports them: (line, column, code, severity).
fn expected() -> Vec<(u64, u64, String, String)> {
    let out = run(&["validate", BAD, "--format", "json"]);
    assert_eq!(out.code, 2);
    let doc = out.json();
    let diagnostics = doc["files"][0]["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(diagnostics.len() >= 5, "{doc}");
    diagnostics
        .iter()
        .map(|d| {
            (
                d["line"].as_u64().unwrap_or(0),
                d["column"].as_u64().unwrap_or(0),
                d["code"].as_str().unwrap_or("").to_string(),
                d["severity"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

fn check(format: &str) -> xborder_tests::Run {
    let out = run(&["check", BAD, "--as-of", "2021-01-01", "--format", format]);
    assert_eq!(out.code, 2, "{format}: {}", out.stderr);
    assert!(
        out.stderr.contains("is not a valid data map"),
        "{format}: standard error still explains: {}",
        out.stderr
    );
    out
}

#[test]
fn json_lists_the_errors() {
    let doc = check("json").json();
    assert_eq!(doc["valid"], Value::Bool(false));
    assert_eq!(doc["inputs"]["map"]["path"], BAD);
    assert!(doc.get("hops").is_none(), "nothing was judged: {doc}");
    let got: Vec<_> = doc["errors"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|d| {
                    (
                        d["line"].as_u64().unwrap_or(0),
                        d["column"].as_u64().unwrap_or(0),
                        d["code"].as_str().unwrap_or("").to_string(),
                        d["severity"].as_str().unwrap_or("").to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(got, expected());
}

#[test]
fn sarif_has_a_located_result_per_problem_and_an_unsuccessful_invocation() {
    let doc = check("sarif").json();
    assert_valid_sarif(&sarif_validator(), &doc);
    let run0 = &doc["runs"][0];
    let results = run0["results"].as_array().cloned().unwrap_or_default();
    let got: Vec<_> = results
        .iter()
        .map(|r| {
            let region = &r["locations"][0]["physicalLocation"]["region"];
            assert_eq!(
                r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                BAD
            );
            (
                region["startLine"].as_u64().unwrap_or(0),
                region["startColumn"].as_u64().unwrap_or(0),
                r["ruleId"].as_str().unwrap_or("").to_string(),
                r["level"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert_eq!(got, expected());
    let invocation = &run0["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], Value::Bool(false));
    assert_eq!(invocation["exitCode"], 2);
    let note = &invocation["toolExecutionNotifications"][0];
    assert_eq!(note["level"], "error");
    assert!(
        note["message"]["text"]
            .as_str()
            .is_some_and(|t| t.contains("nothing was checked")),
        "{note}"
    );
}

#[test]
fn github_annotates_each_problem_at_its_line() {
    let out = check("github");
    for (line, column, code, severity) in expected() {
        let prefix =
            format!("::{severity} file={BAD},line={line},col={column},title=xborder {code}::");
        assert!(
            out.stdout.lines().any(|l| l.starts_with(&prefix)),
            "no annotation {prefix}\n{}",
            out.stdout
        );
    }
    assert!(
        out.stdout.contains("::error title=xborder::"),
        "{}",
        out.stdout
    );
}

#[test]
fn junit_fails_a_case_per_error() {
    let out = check("junit");
    let doc = roxmltree::Document::parse(&out.stdout)
        .unwrap_or_else(|e| panic!("not XML ({e}):\n{}", out.stdout));
    let expected = expected();
    let errors = expected.iter().filter(|d| d.3 == "error").count();
    let cases: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    assert_eq!(cases.len(), expected.len());
    let failed = cases
        .iter()
        .filter(|c| c.children().any(|n| n.has_tag_name("failure")))
        .count();
    assert_eq!(failed, errors);
    let suites = doc.root_element();
    assert_eq!(
        suites.attribute("failures"),
        Some(errors.to_string().as_str())
    );
    for (line, column, code, _) in &expected {
        let name = format!("{BAD}:{line}:{column} {code}");
        assert!(
            cases
                .iter()
                .any(|c| c.attribute("name") == Some(name.as_str())),
            "no case {name}"
        );
    }
}

#[test]
fn every_json_output_lists_the_errors_of_a_map_it_cannot_load() {
    let expected = expected().len();
    for args in [
        vec!["timeline", BAD, "--format", "json"],
        vec![
            "diff",
            BAD,
            "data/coursera/2021-01.yaml",
            "--format",
            "json",
        ],
        vec![
            "diff",
            "data/coursera/2021-01.yaml",
            BAD,
            "--format",
            "json",
        ],
        vec!["ropa", BAD, "--format", "json"],
        vec!["ccpa", BAD, "--format", "json"],
        vec![
            "notice",
            "check",
            "tests/data/notices/2021-01-privacy-notice.txt",
            "--effective",
            "2021-01-01",
            "--map",
            BAD,
            "--format",
            "json",
        ],
    ]
    .into_iter()
    .chain(["review", "validate"].map(|verb| {
        let intake = "tests/vendors/coursera-2021-01+nimbus.yaml";
        vec!["vendor", verb, intake, "--map", BAD, "--format", "json"]
    })) {
        let out = run(&args);
        assert_eq!(out.code, 2, "{args:?}");
        let doc = out.json();
        assert_eq!(doc["valid"], Value::Bool(false), "{args:?}");
        assert_eq!(doc["inputs"]["map"]["path"], BAD, "{args:?}");
        assert_eq!(
            doc["errors"].as_array().map(Vec::len),
            Some(expected),
            "{args:?}"
        );
    }
}

/// A `--rules` folder with a file that is not YAML: the rulebook cannot be loaded.
fn broken_rules() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temporary folder: {e}"));
    let file = dir.path().join("regime-broken.yaml");
    std::fs::write(&file, "regimes:\n  - id: [\n")
        .unwrap_or_else(|e| panic!("write {}: {e}", file.display()));
    dir
}

#[test]
fn a_rulebook_that_cannot_be_loaded_is_reported_in_every_machine_format() {
    let rules = broken_rules();
    let folder = rules.path().display().to_string();
    let file = rules
        .path()
        .join("regime-broken.yaml")
        .display()
        .to_string();
    let check = |format: &str| {
        let out = run(&[
            "check",
            "data/coursera/2021-01.yaml",
            "--as-of",
            "2024-06-01",
            "--rules",
            &folder,
            "--format",
            format,
        ]);
        assert_eq!(out.code, 2, "{format}: {}", out.stderr);
        assert!(
            out.stderr.contains(&format!("{file}:2:")),
            "{format}: standard error still names the place: {}",
            out.stderr
        );
        out
    };

    let doc = check("json").json();
    assert_eq!(doc["valid"], Value::Bool(false));
    assert_eq!(doc["inputs"]["rules"]["path"], folder.as_str());
    assert!(doc.get("hops").is_none(), "nothing was judged: {doc}");
    let error = &doc["errors"][0];
    assert_eq!(error["file"], file.as_str(), "{doc}");
    assert_eq!(error["line"], 2, "{doc}");
    assert_eq!(error["severity"], "error", "{doc}");
    assert!(
        doc["message"]
            .as_str()
            .is_some_and(|m| m.contains("is not a valid rulebook")),
        "{doc}"
    );

    let sarif = check("sarif").json();
    assert_valid_sarif(&sarif_validator(), &sarif);
    let place = &sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"];
    assert_eq!(place["artifactLocation"]["uri"], file.as_str(), "{sarif}");
    assert_eq!(place["region"]["startLine"], 2, "{sarif}");
    assert_eq!(
        sarif["runs"][0]["invocations"][0]["executionSuccessful"],
        Value::Bool(false)
    );

    let github = check("github").stdout;
    assert!(
        github
            .lines()
            .any(|l| l.starts_with(&format!("::error file={file},line=2,"))),
        "{github}"
    );

    let junit = check("junit").stdout;
    let xml =
        roxmltree::Document::parse(&junit).unwrap_or_else(|e| panic!("not XML ({e}):\n{junit}"));
    let failing = xml
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .filter(|c| c.children().any(|n| n.has_tag_name("failure")))
        .count();
    assert_eq!(failing, 1, "{junit}");

    for args in [
        vec!["validate", "data/coursera/2021-01.yaml"],
        vec!["timeline", "data/coursera/2021-01.yaml"],
        vec!["rules", "--as-of", "2024-06-01"],
    ] {
        let mut args = args;
        args.extend(["--rules", &folder, "--format", "json"]);
        let out = run(&args);
        assert_eq!(out.code, 2, "{args:?}");
        assert_eq!(out.json()["errors"][0]["file"], file.as_str(), "{args:?}");
    }
}

#[test]
fn a_vendor_intake_that_cannot_be_read_is_listed_in_the_json_review() {
    let intake = "tests/vendors/invalid/many-mistakes.yaml";
    let out = run(&[
        "vendor",
        "review",
        intake,
        "--map",
        "data/coursera/2021-01.yaml",
        "--as-of",
        "2024-06-01",
        "--format",
        "json",
    ]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("nothing was reviewed"),
        "{}",
        out.stderr
    );
    let doc = out.json();
    assert_eq!(doc["valid"], Value::Bool(false));
    assert_eq!(doc["inputs"]["intake"]["path"], intake);
    assert!(
        doc["message"]
            .as_str()
            .is_some_and(|m| m.ends_with("nothing was reviewed")),
        "the document says what standard error says: {doc}"
    );
    let errors = doc["errors"].as_array().cloned().unwrap_or_default();
    assert!(errors.len() >= 3, "{doc}");
    assert!(
        errors
            .iter()
            .all(|e| e["file"] == intake && e["line"].as_u64().is_some()),
        "every problem is located in the intake: {doc}"
    );
}
