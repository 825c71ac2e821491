//! `xborder vendor review` and `vendor validate` on the example vendors of `data/vendors/`
//! against the Coursera map, and `check --what-if`: the decisions a privacy lawyer would reach,
//! one engine with `check --base` on the map edited by hand, the DPF what-if, the memo.

use std::path::Path;

use serde_json::Value;
use xborder_tests::{root, run, run_in};

const MAP: &str = "data/coursera/2021-01.yaml";
const AS_OF: &str = "2026-11-25";
const ANALYTICS: &str = "data/vendors/analytics-metricly.yaml";
const SUPPORT: &str = "data/vendors/support-tandem.yaml";
const IDV: &str = "data/vendors/idv-veriface.yaml";
const HOSTING: &str = "data/vendors/hosting-nimbus.yaml";

fn review(intake: &str, extra: &[&str]) -> (i32, Value) {
    let mut args = vec![
        "vendor", "review", intake, "--map", MAP, "--as-of", AS_OF, "--format", "json",
    ];
    args.extend_from_slice(extra);
    let out = run(&args);
    assert!(
        out.code == 0 || out.code == 1,
        "vendor review {intake} failed ({}):\n{}",
        out.code,
        out.stderr
    );
    (out.code, out.json())
}

fn list<'a>(doc: &'a Value, key: &str) -> &'a Vec<Value> {
    doc[key]
        .as_array()
        .unwrap_or_else(|| panic!("`{key}` is not a list: {doc}"))
}

fn texts(doc: &Value, key: &str) -> Vec<String> {
    list(doc, key)
        .iter()
        .map(|p| format!("{} — {}", p["text"], p["citation"]))
        .collect()
}

/// The new hop `from → to` for `regime` and `destination`.
fn hop<'a>(doc: &'a Value, to: &str, regime: &str, destination: &str) -> &'a Value {
    list(doc, "hops")
        .iter()
        .find(|h| h["to"] == to && h["regime"] == regime && h["destination"] == destination)
        .unwrap_or_else(|| panic!("no hop to {to} {regime} → {destination}"))
}

fn cited(points: &[Value]) {
    for p in points {
        assert!(
            !p["citation"].as_str().unwrap_or("").trim().is_empty(),
            "every reason and condition cites its rule: {p}"
        );
    }
}

#[test]
fn analytics_vendor_is_approved_with_a_scc_fallback_and_the_india_sub_processor_on_module_3() {
    let (code, doc) = review(ANALYTICS, &[]);
    assert_eq!(code, 0);
    assert_eq!(doc["decision"], "approve-with-conditions");
    cited(list(&doc, "reasons"));
    cited(list(&doc, "conditions"));

    let us = hop(&doc, "metricly", "eu-gdpr", "US");
    assert_eq!(us["verdict"], "lawful");
    assert_eq!(us["mechanism"], "dpf");
    assert_eq!(
        us["fallback"]["verdict"], "unlawful",
        "DPF only: no fallback"
    );
    let india = hop(&doc, "metricly-india", "eu-gdpr", "IN");
    assert_eq!(india["verdict"], "conditional");
    assert!(
        india["need"]["text"]
            .as_str()
            .unwrap_or("")
            .starts_with("EU SCC 2021/914 Module 3 + TIA for the sub-processor in IN"),
        "{india}"
    );
    assert_eq!(
        india["path"],
        serde_json::json!(["eea-learners", "coursera-inc", "metricly", "metricly-india"])
    );
    let uk_india = hop(&doc, "metricly-india", "uk-gdpr", "IN");
    assert!(
        uk_india["need"]["text"]
            .as_str()
            .unwrap_or("")
            .contains("UK Addendum"),
        "{uk_india}"
    );

    let conditions = texts(&doc, "conditions").join("\n");
    assert!(
        conditions.contains("eu-us-dpf alone")
            && conditions.contains("EU SCC 2021/914 Module 2 + TIA as a fallback")
            && conditions.contains("Trump v. Slaughter"),
        "the DPF's legal risk (rulebook advisory A4) calls for signed SCCs:\n{conditions}"
    );
    assert!(
        conditions.contains("metricly → metricly-india (IN) rests on SCC 2021/914 Module 3")
            && conditions.contains("an appropriate safeguard"),
        "{conditions}"
    );
}

#[test]
fn support_vendor_with_philippine_access_is_approved_with_conditions() {
    let (code, doc) = review(SUPPORT, &[]);
    assert_eq!(code, 0);
    assert_eq!(doc["decision"], "approve-with-conditions");
    cited(list(&doc, "conditions"));
    for regime in ["eu-gdpr", "uk-gdpr", "ch-fadp"] {
        let ph = hop(&doc, "tandem-support", regime, "PH");
        assert_eq!(ph["verdict"], "conditional", "{ph}");
        assert_eq!(ph["mechanism"], "scc");
        let us = hop(&doc, "tandem-support", regime, "US");
        assert_eq!(us["verdict"], "lawful", "{us}");
        assert_ne!(
            us["fallback"]["verdict"], "unlawful",
            "the signed SCCs are a fallback: {us}"
        );
    }
    let conditions = texts(&doc, "conditions").join("\n");
    let ccpa = list(&doc, "conditions")
        .iter()
        .find(|p| {
            p["text"]
                .as_str()
                .unwrap_or("")
                .contains("CCPA service-provider terms")
        })
        .cloned()
        .unwrap_or_default();
    assert!(
        ccpa["citation"]
            .as_str()
            .unwrap_or("")
            .contains("§1798.100(d)"),
        "Californian learners' data reaches the vendor without CCPA terms, cited:\n{conditions}"
    );
    assert!(
        conditions.contains("(PH) rests on SCC 2021/914 Module 2")
            && conditions.contains("an appropriate safeguard"),
        "{conditions}"
    );
}

#[test]
fn identity_verification_vendor_is_rejected_and_its_biometric_data_called_out() {
    let (code, doc) = review(IDV, &[]);
    assert_eq!(code, 1, "reject exits 1");
    assert_eq!(doc["decision"], "reject");
    cited(list(&doc, "reasons"));
    cited(list(&doc, "conditions"));
    let reasons = texts(&doc, "reasons").join("\n");
    assert!(
        reasons.contains("Special-category data without a documented Art. 9(2) condition")
            && reasons.contains("webcam-headshot (biometric")
            && reasons.contains("Art. 9(1)"),
        "{reasons}"
    );
    assert!(
        reasons.contains("uk-gdpr data to US") && reasons.contains("ch-fadp data to US"),
        "no UK Extension, no Swiss-US DPF, no SCCs:\n{reasons}"
    );
    assert!(reasons.contains("Art. 28(10)"), "model training: {reasons}");

    let special = list(&doc, "special");
    let headshot = special
        .iter()
        .find(|s| s["category"] == "webcam-headshot")
        .expect("webcam headshots are special-category data");
    assert!(
        headshot["like"]
            .as_str()
            .unwrap_or("")
            .starts_with("biometric")
    );
    assert_eq!(
        headshot["recipients"],
        serde_json::json!(["veriface", "kao-vision"])
    );
    assert!(headshot["condition"].is_null());

    let japan = hop(&doc, "kao-vision", "eu-gdpr", "JP");
    assert_eq!(japan["verdict"], "lawful");
    assert!(
        japan["need"]["text"]
            .as_str()
            .unwrap_or("")
            .starts_with("not needed: adequacy — Japan"),
        "{japan}"
    );
    let findings = list(&doc, "findings");
    assert!(findings.iter().any(|f| f["code"] == "XB008"));
    assert!(
        findings
            .iter()
            .all(|f| f["location"]["file"] == IDV && f["location"]["line"].as_u64() > Some(0)),
        "new findings point into the intake"
    );
}

#[test]
fn hosting_vendor_with_eu_and_us_regions_is_approved() {
    let (code, doc) = review(HOSTING, &[]);
    assert_eq!(code, 0);
    assert_eq!(doc["decision"], "approve");
    assert!(list(&doc, "conditions").is_empty());
    cited(list(&doc, "reasons"));
    assert_eq!(
        hop(&doc, "nimbus-cloud", "eu-gdpr", "IE")["verdict"],
        "not-a-transfer"
    );
    assert_eq!(
        hop(&doc, "nimbus-cloud", "uk-gdpr", "IE")["verdict"],
        "lawful"
    );
    let us = hop(&doc, "nimbus-cloud", "eu-gdpr", "US");
    assert_eq!(us["verdict"], "lawful");
    assert_eq!(us["fallback"]["verdict"], "conditional");
    assert_eq!(us["fallback"]["mechanism"], "scc");
    let notes = texts(&doc, "notes").join("\n");
    assert!(notes.contains("signed fallback `scc`"), "{notes}");
}

/// Findings reduced to what both commands must agree on (locations differ by construction:
/// the intake file vs the hand-merged map).
fn finding_keys(findings: &[&Value]) -> Vec<String> {
    findings
        .iter()
        .map(|f| {
            format!(
                "{} {} flow {} {} → {}: {} [{}] {}",
                f["code"],
                f["severity"],
                f["flow"],
                f["regime"],
                f["destination"],
                f["message"],
                f["citation"],
                f["path"]
            )
        })
        .collect()
}

#[test]
fn the_map_edited_by_hand_gives_the_same_new_findings_as_the_review() {
    for (intake, merged) in [
        (ANALYTICS, "tests/vendors/coursera-2021-01+metricly.yaml"),
        (HOSTING, "tests/vendors/coursera-2021-01+nimbus.yaml"),
    ] {
        for extra in [&[][..], &["--assume-invalid", "eu-us-dpf"][..]] {
            let mut args = vec![
                "check", merged, "--base", MAP, "--as-of", AS_OF, "--format", "json",
            ];
            args.extend_from_slice(extra);
            let out = run(&args);
            assert!(out.code == 0 || out.code == 1, "{}", out.stderr);
            let checked = out.json();
            let new: Vec<&Value> = list(&checked, "findings")
                .iter()
                .filter(|f| f["baseline"] == "new")
                .collect();
            let (_, reviewed) = review(intake, extra);
            let from_review: Vec<&Value> = list(&reviewed, "findings").iter().collect();
            assert!(
                !from_review.is_empty() || extra.len() == 2,
                "{intake}: no findings?"
            );
            assert_eq!(
                finding_keys(&new),
                finding_keys(&from_review),
                "{intake} {extra:?}: check --base on {merged} and vendor review disagree"
            );
            // The hops too: the review's new hops are the merged map's hops of the new flows.
            let base_flows = 45; // data/coursera/2021-01.yaml has 45 flows
            let merged_hops: Vec<String> = list(&checked, "hops")
                .iter()
                .filter(|h| h["flow"].as_u64() >= Some(base_flows))
                .map(|h| {
                    format!(
                        "{} {} {} {}",
                        h["flow"], h["regime"], h["destination"], h["verdict"]
                    )
                })
                .collect();
            let review_hops: Vec<String> = list(&reviewed, "hops")
                .iter()
                .map(|h| {
                    format!(
                        "{} {} {} {}",
                        h["flow"], h["regime"], h["destination"], h["verdict"]
                    )
                })
                .collect();
            assert_eq!(merged_hops, review_hops, "{intake} {extra:?}");
        }
    }
}

#[test]
fn dpf_struck_down_leaves_only_hops_with_signed_sccs_standing() {
    // DPF only: the analytics vendor's EU hop falls and the review rejects.
    let (code, doc) = review(ANALYTICS, &["--assume-invalid", "eu-us-dpf"]);
    assert_eq!(code, 1);
    assert_eq!(doc["decision"], "reject");
    let us = hop(&doc, "metricly", "eu-gdpr", "US");
    assert_eq!(us["verdict"], "unlawful");
    assert!(
        us["codes"]
            .as_array()
            .is_some_and(|c| c.iter().any(|x| x == "XB001"))
    );
    let changes = list(&doc["what_if"], "changes");
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!(changes[0]["before"], "lawful");
    assert_eq!(changes[0]["after"], "unlawful");
    // The India hop rests on SCCs and does not change.
    assert_eq!(
        hop(&doc, "metricly-india", "eu-gdpr", "IN")["verdict"],
        "conditional"
    );

    // DPF plus signed SCCs: the hops fall back to the SCCs and stay conditional.
    for (intake, vendor) in [(HOSTING, "nimbus-cloud"), (SUPPORT, "tandem-support")] {
        let (code, doc) = review(intake, &["--assume-invalid", "eu-us-dpf"]);
        assert_eq!(code, 0, "{intake}");
        assert_eq!(doc["decision"], "approve-with-conditions", "{intake}");
        let us = hop(&doc, vendor, "eu-gdpr", "US");
        assert_eq!(us["verdict"], "conditional", "{us}");
        assert_eq!(us["mechanism"], "scc");
        let changes = list(&doc["what_if"], "changes");
        assert!(
            changes.iter().any(|c| c["to"] == vendor
                && c["after"] == "conditional"
                && c["after_mechanism"] == "scc"),
            "{changes:?}"
        );
        assert!(
            changes.iter().all(|c| c["after"] != "unlawful"),
            "{changes:?}"
        );
    }

    // The same through `check --what-if` on the maps edited by hand.
    for (merged, flow, after, mechanism) in [
        (
            "tests/vendors/coursera-2021-01+metricly.yaml",
            "product-analytics",
            "unlawful",
            Value::Null,
        ),
        (
            "tests/vendors/coursera-2021-01+nimbus.yaml",
            "platform-hosting",
            "conditional",
            Value::from("scc"),
        ),
    ] {
        let out = run(&[
            "check",
            merged,
            "--as-of",
            AS_OF,
            "--assume-invalid",
            "eu-us-dpf",
            "--what-if",
            "--format",
            "json",
        ]);
        assert!(out.code == 0 || out.code == 1, "{}", out.stderr);
        let doc = out.json();
        let what_if = &doc["what_if"];
        assert_eq!(what_if["assumed_invalid"], serde_json::json!(["eu-us-dpf"]));
        let change = list(what_if, "changes")
            .iter()
            .find(|c| c["id"] == flow && c["regime"] == "eu-gdpr")
            .unwrap_or_else(|| panic!("{merged}: {flow} must change"));
        assert_eq!(change["before"], "lawful");
        assert_eq!(change["before_mechanism"], "dpf");
        assert_eq!(change["after"], after, "{change}");
        if after == "conditional" {
            assert_eq!(change["after_mechanism"], mechanism);
        }
        let human = run(&[
            "check",
            merged,
            "--as-of",
            AS_OF,
            "--assume-invalid",
            "eu-us-dpf",
            "--what-if",
        ]);
        assert!(
            human
                .stdout
                .contains("== what if eu-us-dpf were struck down"),
            "{}",
            human.stdout
        );
    }
}

#[test]
fn what_if_needs_an_assumption() {
    let out = run(&["check", MAP, "--as-of", AS_OF, "--what-if"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
}

#[test]
fn memo_text_snapshots() {
    for (name, intake) in [
        ("analytics", ANALYTICS),
        ("support", SUPPORT),
        ("idv", IDV),
        ("hosting", HOSTING),
    ] {
        let out = run(&["vendor", "review", intake, "--map", MAP, "--as-of", AS_OF]);
        assert!(out.code == 0 || out.code == 1, "{}", out.stderr);
        insta::with_settings!({ snapshot_suffix => name, prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!("vendor-review", out.stdout);
        });
    }
    let out = run(&[
        "vendor",
        "review",
        ANALYTICS,
        "--map",
        MAP,
        "--as-of",
        AS_OF,
        "--assume-invalid",
        "eu-us-dpf",
    ]);
    insta::with_settings!({ prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("vendor-review-analytics-without-dpf", out.stdout);
    });
}

#[test]
fn examples_validate_against_the_map() {
    for intake in [ANALYTICS, SUPPORT, IDV, HOSTING] {
        let out = run(&["vendor", "validate", intake, "--map", MAP]);
        assert_eq!(out.code, 0, "{intake}: {}", out.stderr);
        assert!(out.stdout.starts_with("ok: "), "{}", out.stdout);
    }
    for merged in [
        "tests/vendors/coursera-2021-01+metricly.yaml",
        "tests/vendors/coursera-2021-01+nimbus.yaml",
    ] {
        assert_eq!(run(&["validate", merged]).code, 0, "{merged}");
    }
}

#[test]
fn an_invalid_intake_reports_every_problem_and_nothing_is_written() {
    let path = "tests/vendors/invalid/many-mistakes.yaml";
    let text = std::fs::read_to_string(root().join(path)).expect("fixture");
    let mut expected: Vec<(u64, String)> = text
        .lines()
        .filter_map(|l| l.strip_prefix("# expect: "))
        .filter_map(|rest| {
            let (line, code) = rest.split_once(' ')?;
            Some((line.parse().ok()?, code.to_string()))
        })
        .collect();
    expected.sort();
    assert!(expected.len() >= 8);
    let out = run(&["vendor", "validate", path, "--map", MAP, "--format", "json"]);
    assert_eq!(out.code, 2);
    let doc = out.json();
    let mut got: Vec<(u64, String)> = list(&doc["files"][0], "diagnostics")
        .iter()
        .map(|d| {
            (
                d["line"].as_u64().unwrap_or(0),
                d["code"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    got.sort();
    assert_eq!(got, expected);
    for d in list(&doc["files"][0], "diagnostics") {
        assert!(d["hint"].is_string(), "every problem has a hint: {d}");
    }

    let dir = tempfile::tempdir().expect("temp dir");
    let memo = dir.path().join("memo.pdf");
    let memo_arg = memo.to_str().expect("utf-8");
    let out = run(&[
        "vendor",
        "review",
        path,
        "--map",
        MAP,
        "--as-of",
        AS_OF,
        "--out",
        memo_arg,
        "--unsigned",
    ]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("many-mistakes.yaml:25:11"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("not a valid vendor intake"),
        "{}",
        out.stderr
    );
    assert!(out.stdout.is_empty());
    assert!(!memo.exists(), "nothing is written on error");

    // An unsigned memo must be asked for.
    let out = run(&[
        "vendor", "review", ANALYTICS, "--map", MAP, "--as-of", AS_OF, "--out", memo_arg,
    ]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("refusing to write an unsigned vendor memo"),
        "{}",
        out.stderr
    );
    assert!(!memo.exists());
}

fn arg(path: &Path) -> &str {
    path.to_str().expect("utf-8 path")
}

#[test]
fn the_memo_is_signed_like_an_audit_and_verifies() {
    let dir = tempfile::tempdir().expect("temp dir");
    let pki = dir.path().join("pki");
    let out = run(&["keygen", "--name", "Privacy Counsel", "--out", arg(&pki)]);
    assert_eq!(out.code, 0, "keygen: {}", out.stderr);
    let (key, cert, ca) = (
        pki.join("signer.key.pem"),
        pki.join("signer.pem"),
        pki.join("ca.pem"),
    );
    for (intake, code) in [(IDV, 1), (HOSTING, 0)] {
        let memo = dir.path().join("memo.pdf");
        let out = run(&[
            "vendor",
            "review",
            intake,
            "--map",
            MAP,
            "--as-of",
            AS_OF,
            "--out",
            arg(&memo),
            "--key",
            arg(&key),
            "--cert",
            arg(&cert),
            "--chain",
            arg(&ca),
            "--force",
        ]);
        assert_eq!(out.code, code, "{intake}: {}", out.stderr);
        assert!(
            out.stderr.contains("signed, memo XBV-20261125-"),
            "{}",
            out.stderr
        );
        let verified = run(&[
            "verify",
            arg(&memo),
            "--trust",
            arg(&ca),
            "--map",
            MAP,
            "--format",
            "json",
        ]);
        assert_eq!(
            verified.code, 0,
            "{intake}: {}\n{}",
            verified.stdout, verified.stderr
        );
        let bytes = std::fs::read(&memo).expect("memo written");
        assert!(bytes.starts_with(b"%PDF-"));
    }

    // Deterministic: the same inputs and generation time give the same unsigned bytes.
    let a = dir.path().join("a.pdf");
    let b = dir.path().join("b.pdf");
    for file in [&a, &b] {
        let out = run_in(
            &root(),
            &[
                "vendor",
                "review",
                ANALYTICS,
                "--map",
                MAP,
                "--as-of",
                AS_OF,
                "--out",
                arg(file),
                "--unsigned",
                "--generated-at",
                "2026-11-25T12:00:00Z",
            ],
        );
        assert_eq!(out.code, 0, "{}", out.stderr);
    }
    assert_eq!(
        std::fs::read(&a).expect("a"),
        std::fs::read(&b).expect("b"),
        "the memo is deterministic"
    );
}

#[test]
fn docs_show_the_reviews_as_the_tool_prints_them() {
    let doc = std::fs::read_to_string(root().join("docs/vendor-reviews.md")).expect("docs");
    for intake in [ANALYTICS, SUPPORT, IDV, HOSTING] {
        let out = run(&["vendor", "review", intake, "--map", MAP, "--as-of", AS_OF]);
        assert!(
            doc.contains(out.stdout.trim_end()),
            "docs/vendor-reviews.md is out of date for {intake}: regenerate it (see its header)"
        );
    }
}

#[test]
fn several_vendors_are_reviewed_and_validated_in_one_run() {
    let map = "data/coursera/2021-01.yaml";
    let vendors = [
        "data/vendors/analytics-metricly.yaml",
        "data/vendors/hosting-nimbus.yaml",
        "data/vendors/idv-veriface.yaml",
    ];
    let mut args = vec!["vendor", "review"];
    args.extend(vendors);
    args.extend(["--map", map, "--as-of", "2026-11-25", "--format", "json"]);
    let out = run(&args);
    // idv-veriface is rejected: the run exits 1, as a single review of it does.
    assert_eq!(out.code, 1, "{}", out.stderr);
    let doc = out.json();
    let reviews = doc["reviews"].as_array().cloned().unwrap_or_default();
    assert_eq!(reviews.len(), 3);
    for (vendor, review) in vendors.iter().zip(&reviews) {
        let alone = run(&[
            "vendor",
            "review",
            vendor,
            "--map",
            map,
            "--as-of",
            "2026-11-25",
            "--format",
            "json",
        ])
        .json();
        assert_eq!(&alone, review, "{vendor} reviewed with others as alone");
    }

    let human = run(&[
        "vendor",
        "review",
        vendors[0],
        vendors[1],
        "--map",
        map,
        "--as-of",
        "2026-11-25",
    ]);
    assert_eq!(human.code, 0, "{}", human.stderr);
    for vendor in &vendors[..2] {
        assert!(
            human.stdout.contains(vendor),
            "{vendor} missing:\n{}",
            human.stdout
        );
    }

    let memo = run(&[
        "vendor",
        "review",
        vendors[0],
        vendors[1],
        "--map",
        map,
        "--out",
        "memo.pdf",
        "--unsigned",
    ]);
    assert_eq!(memo.code, 2);
    assert!(memo.stderr.contains("once per vendor"), "{}", memo.stderr);

    let validate = run(&[
        "vendor",
        "validate",
        vendors[0],
        "tests/malformed/intakes/wrong-types.yaml",
        "--map",
        map,
        "--format",
        "json",
    ]);
    assert_eq!(validate.code, 2);
    let files = validate.json()["files"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(files.len(), 2);
    assert_eq!(files[0]["valid"], true);
    assert_eq!(files[1]["valid"], false);
    assert!(
        files[1]["diagnostics"]
            .as_array()
            .is_some_and(|d| !d.is_empty())
    );
}
