//! Risk acceptances (`--accept FILE`): accepted findings stay in every output, marked, and do
//! not fail the gate; an expired acceptance is an error naming it; one that accepts nothing is a
//! warning; a bad file is reported like a bad map, all at once, in every format.

use serde_json::Value;
use xborder_tests::{Run, run};

const MAP: &str = "data/coursera/2021-01.yaml";
const ACCEPT: &str = "tests/acceptances/coursera-2021-01.yaml";
const INVALID: &str = "tests/acceptances/invalid.yaml";

fn check(extra: &[&str]) -> Run {
    let mut args = vec!["check", MAP, "--as-of", "2021-01-01", "--accept", ACCEPT];
    args.extend_from_slice(extra);
    run(&args)
}

fn findings(doc: &Value) -> Vec<Value> {
    doc["findings"].as_array().cloned().unwrap_or_default()
}

/// The flow number of the flow with id `id`, as the JSON result gives it.
fn flow_number(doc: &Value, id: &str) -> u64 {
    doc["hops"]
        .as_array()
        .and_then(|hops| hops.iter().find(|h| h["id"] == id))
        .and_then(|h| h["flow"].as_u64())
        .unwrap_or_else(|| panic!("no hop of flow {id}"))
}

#[test]
fn an_acceptance_marks_exactly_the_findings_it_names() {
    let plain = run(&["check", MAP, "--as-of", "2021-01-01", "--format", "json"]).json();
    let out = check(&["--format", "json"]);
    let doc = out.json();
    let roster = flow_number(&doc, "enterprise-roster");
    let accepted: Vec<Value> = findings(&doc)
        .into_iter()
        .filter(|f| f.get("accepted").is_some())
        .collect();
    // The acceptance names XB002 on the roster flow for eu-gdpr → US: the Swiss finding of
    // the same flow and code stays open.
    let expected: Vec<Value> = findings(&plain)
        .into_iter()
        .filter(|f| {
            f["code"] == "XB002"
                && f["flow"] == roster
                && f["regime"] == "eu-gdpr"
                && f["destination"] == "US"
        })
        .collect();
    assert!(!expected.is_empty());
    assert_eq!(accepted.len(), expected.len(), "{accepted:#?}");
    let a = &accepted[0]["accepted"];
    assert_eq!(a["by"], "Jane Roe, DPO");
    assert_eq!(a["until"], "2021-03-31");
    assert_eq!(a["file"], ACCEPT);
    assert_eq!(a["line"], 7);
    assert!(
        a["reason"]
            .as_str()
            .is_some_and(|r| r.contains("LEGAL-142"))
    );
    assert!(findings(&doc).iter().any(|f| f["code"] == "XB002"
        && f["flow"] == roster
        && f["regime"] == "ch-fadp"
        && f.get("accepted").is_none()));
    assert_eq!(doc["inputs"]["acceptances"]["path"], ACCEPT);
    // Verdicts do not change: an accepted risk is still a risk.
    assert_eq!(doc["hops"], plain["hops"]);
    assert_eq!(doc["summary"], plain["summary"]);
}

#[test]
fn an_expired_acceptance_is_an_error_naming_it_and_accepts_nothing() {
    let doc = check(&["--format", "json"]).json();
    let hosting = flow_number(&doc, "hosting");
    let expired: Vec<Value> = findings(&doc)
        .into_iter()
        .filter(|f| f["code"] == "XB025")
        .collect();
    assert_eq!(expired.len(), 1, "{expired:#?}");
    let e = &expired[0];
    assert_eq!(e["severity"], "error");
    assert_eq!(e["flow"], hosting);
    let message = e["message"].as_str().unwrap_or("");
    for part in [
        "XB002 on flow hosting",
        "tests/acceptances/coursera-2021-01.yaml:15",
        "Jane Roe, DPO",
        "2020-12-31",
    ] {
        assert!(message.contains(part), "{part} missing in {message}");
    }
    assert!(
        findings(&doc)
            .iter()
            .filter(|f| f["flow"] == hosting && f["code"] == "XB002")
            .all(|f| f.get("accepted").is_none()),
        "an expired acceptance covers nothing"
    );
    let unused: Vec<Value> = findings(&doc)
        .into_iter()
        .filter(|f| f["code"] == "XB026")
        .collect();
    assert_eq!(unused.len(), 1);
    assert_eq!(unused[0]["severity"], "warning");
    assert!(
        unused[0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("XB001 on flow signup-eea"))
    );
}

#[test]
fn accepted_findings_do_not_fail_the_gate_but_an_expired_acceptance_does() {
    // A small map: one flow on Privacy Shield to an importer with no certification — one
    // error finding (XB003), which an acceptance in force lets through and an expired one
    // does not.
    let dir = tempfile::tempdir().expect("temp dir");
    let map = dir.path().join("map.yaml");
    std::fs::write(
        &map,
        "format: 1\norganisation: Example\nentities:\n  learners: { name: Learners, kind: subjects, country: EEA }\n  shop: { name: Shop BV, kind: company, country: NL, role: controller }\n  desk: { name: Desk Inc, kind: vendor, country: US, role: processor }\nflows:\n  - { id: signup, from: learners, to: shop, data: [name, email] }\n  - id: support\n    from: shop\n    to: desk\n    data: [name, email]\n    mechanisms: [ { kind: privacy-shield } ]\n",
    )
    .expect("write map");
    let accept = |until: &str| {
        let file = dir.path().join(format!("accept-{until}.yaml"));
        std::fs::write(
            &file,
            format!("format: 1\nacceptances:\n  - code: XB003\n    flow: support\n    accepted-by: A. Auditor\n    reason: Vendor moving to SCCs\n    until: {until}\n"),
        )
        .expect("write acceptances");
        file
    };
    let gate = |file: Option<&std::path::Path>| {
        let mut args = vec![
            "check".to_string(),
            map.display().to_string(),
            "--as-of".to_string(),
            "2021-01-01".to_string(),
            "--fail-on".to_string(),
            "any".to_string(),
        ];
        if let Some(f) = file {
            args.extend(["--accept".to_string(), f.display().to_string()]);
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        run(&args)
    };
    let open = gate(None);
    assert_eq!(open.code, 1, "{}", open.stdout);
    let errors: Vec<String> = open
        .stdout
        .lines()
        .filter(|l| l.starts_with("error["))
        .map(str::to_string)
        .collect();
    assert!(!errors.is_empty());
    assert!(
        errors.iter().all(|l| l.starts_with("error[XB003]")),
        "{errors:?}"
    );

    let in_force = gate(Some(&accept("2021-06-30")));
    assert_eq!(in_force.code, 0, "{}", in_force.stdout);
    assert!(
        in_force.stdout.contains("note[XB003]: accepted error"),
        "{}",
        in_force.stdout
    );
    assert!(
        in_force
            .stdout
            .contains("accepted by A. Auditor until 2021-06-30")
    );
    let first = in_force.stdout.lines().next().unwrap_or("");
    let last = in_force.stdout.lines().last().unwrap_or("");
    assert!(
        first.starts_with("as of 2021-01-01:"),
        "summary first: {first}"
    );
    assert_eq!(first, last, "the summary line is first and last");
    assert!(
        first.contains("0 error(s)") && first.contains("1 accepted"),
        "{first}"
    );

    let expired = gate(Some(&accept("2020-12-31")));
    assert_eq!(expired.code, 1);
    assert!(
        expired.stdout.contains("error[XB025]"),
        "{}",
        expired.stdout
    );
}

#[test]
fn every_machine_format_shows_the_acceptance() {
    let sarif = check(&["--format", "sarif"]).json();
    let results = sarif["runs"][0]["results"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let suppressed: Vec<&Value> = results
        .iter()
        .filter(|r| r.get("suppressions").is_some())
        .collect();
    assert_eq!(suppressed.len(), 1);
    let s = &suppressed[0]["suppressions"][0];
    assert_eq!(s["kind"], "external");
    assert_eq!(s["status"], "accepted");
    assert!(
        s["justification"]
            .as_str()
            .is_some_and(|j| j.contains("Jane Roe, DPO"))
    );
    crate::gate::assert_valid_sarif(&crate::gate::sarif_validator(), &sarif);

    let github = check(&["--format", "github"]).stdout;
    assert!(
        github
            .lines()
            .any(|l| l.starts_with("::notice ") && l.contains("(accepted)")),
        "{github}"
    );

    let junit = check(&["--format", "junit"]).stdout;
    let doc = roxmltree::Document::parse(&junit).expect("JUnit XML");
    let skipped: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("skipped"))
        .collect();
    // The roster hop to the US for EU data is unlawful with its one error accepted.
    assert!(
        skipped.iter().all(|n| n
            .attribute("message")
            .is_some_and(|m| m.contains("risk accepted"))),
        "{junit}"
    );
}

#[test]
fn min_severity_hides_lesser_findings_but_counts_them() {
    let all = run(&["check", MAP, "--as-of", "2021-01-01"]);
    let errors_only = run(&[
        "check",
        MAP,
        "--as-of",
        "2021-01-01",
        "--min-severity",
        "error",
    ]);
    assert_eq!(all.code, errors_only.code);
    assert!(all.stdout.contains("warning[") && all.stdout.contains("note["));
    assert!(!errors_only.stdout.contains("warning[") && !errors_only.stdout.contains("note["));
    assert_eq!(
        all.stdout
            .lines()
            .filter(|l| l.starts_with("error["))
            .count(),
        errors_only
            .stdout
            .lines()
            .filter(|l| l.starts_with("error["))
            .count()
    );
    assert_eq!(all.stdout.lines().last(), errors_only.stdout.lines().last());
}

#[test]
fn a_bad_acceptance_file_reports_every_problem_in_every_format() {
    let human = run(&["check", MAP, "--as-of", "2021-01-01", "--accept", INVALID]);
    assert_eq!(human.code, 2);
    for (line, col, code) in [
        (4, 11, "unknown-code"),
        (5, 11, "unknown-flow"),
        (8, 12, "bad-date"),
        (9, 5, "missing-key"),
        (11, 13, "unknown-regime"),
        (13, 5, "unknown-key"),
    ] {
        assert!(
            human.stderr.contains(&format!("{INVALID}:{line}:{col}")),
            "{code} at {line}:{col} missing:\n{}",
            human.stderr
        );
        assert!(human.stderr.contains(&format!("[{code}]")));
    }
    assert!(human.stderr.contains("did you mean \"enterprise-roster\"?"));
    assert!(human.stderr.contains("did you mean \"eu-gdpr\"?"));
    let json = run(&[
        "check",
        MAP,
        "--as-of",
        "2021-01-01",
        "--accept",
        INVALID,
        "--format",
        "json",
    ]);
    assert_eq!(json.code, 2);
    let doc = json.json();
    assert_eq!(doc["errors"].as_array().map(Vec::len), Some(7));
    assert_eq!(doc["inputs"]["acceptances"]["path"], INVALID);
    let github = run(&[
        "check",
        MAP,
        "--as-of",
        "2021-01-01",
        "--accept",
        INVALID,
        "--format",
        "github",
    ]);
    assert_eq!(github.code, 2);
    assert!(github.stdout.contains(&format!(
        "::error file={INVALID},line=5,col=11,title=xborder unknown-flow::"
    )));
}

#[test]
fn the_audit_report_lists_the_acceptances_in_their_own_section() {
    if !xborder_tests::require_tool("pdftotext") {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let pdf = xborder_tests::unsigned_audit(dir.path(), MAP, "2021-01-01", &["--accept", ACCEPT]);
    let text = crate::audit::squash(&crate::audit::pdftotext(&pdf, None));
    for part in [
        "Accepted risks",
        "XB002 on flow enterprise-roster · eu-gdpr · US",
        "Replacement SCCs (2021/914, Module 2) under signature",
        "covers 1 finding(s)",
        "expired on 2020-12-31 (XB025)",
        "covers no finding (XB026)",
        "Risk accepted by Jane Roe, DPO until 2021-03-31",
    ] {
        let squashed = crate::audit::squash(part);
        assert!(text.contains(&squashed), "{part} missing from the report");
    }
}
