//! The law is data: replacing a rulebook file with `--rules DIR` changes a verdict, a
//! requirement or an output, with no change of code. Each test copies one embedded rulebook
//! file, changes one rule in it, and runs the real binary with and without the override.

use xborder_tests::{root, run_in};

/// A temporary directory holding one rulebook file: the embedded file `name` with `from`
/// replaced by `to` (once, after the first occurrence of `anchor`).
fn override_dir(name: &str, anchor: &str, from: &str, to: &str) -> tempfile::TempDir {
    let text = std::fs::read_to_string(root().join("data/rulebook").join(name))
        .unwrap_or_else(|e| panic!("cannot read {name}: {e}"));
    let at = text
        .find(anchor)
        .unwrap_or_else(|| panic!("{name} has no {anchor:?}"));
    let (head, tail) = text.split_at(at);
    assert!(tail.contains(from), "{name}: no {from:?} after {anchor:?}");
    let changed = format!("{head}{}", tail.replacen(from, to, 1));
    let dir = tempfile::tempdir().expect("temporary directory");
    std::fs::write(dir.path().join(name), changed).expect("write the override");
    dir
}

/// A map file in its own temporary directory.
fn map_dir(text: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary directory");
    std::fs::write(dir.path().join("map.yaml"), text).expect("write the map");
    dir
}

const OCCASIONAL_BOOKING: &str = "\
format: 1
organisation: Travel Agency
entities:
  agency: { name: Reisebüro GmbH, kind: company, country: DE, role: controller }
  hotel: { name: Hotel Chain Inc., kind: partner, country: US, role: controller }
flows:
  - id: booking
    from: agency
    to: hotel
    data: [name, contact]
    purpose: hotel-booking
    mechanisms:
      - { kind: derogation, ground: contract, occasional: true }
";

/// Raising XB019 (occasional derogation) to `error` in `codes.yaml` changes the exit code of
/// `check` and the SARIF level of its results: the registry's severity drives every output.
#[test]
fn a_severity_raised_in_the_registry_fails_the_check() {
    let map = map_dir(OCCASIONAL_BOOKING);
    let rules = override_dir(
        "codes.yaml",
        "code: XB019",
        "severity: info",
        "severity: error",
    );
    let rules_path = rules.path().to_string_lossy().into_owned();
    let dir = map.path();
    let args = [
        "check",
        "map.yaml",
        "--as-of",
        "2022-06-01",
        "--format",
        "sarif",
    ];

    let before = run_in(dir, &args);
    assert_eq!(before.code, 0, "{}", before.stderr);
    let levels = |doc: &serde_json::Value| -> Vec<String> {
        doc["runs"][0]["results"]
            .as_array()
            .expect("results")
            .iter()
            .filter(|r| r["ruleId"] == "XB019")
            .map(|r| r["level"].as_str().unwrap_or_default().to_owned())
            .collect()
    };
    assert_eq!(levels(&before.json()), ["note"]);

    let mut with_rules = vec!["--rules", rules_path.as_str()];
    with_rules.extend_from_slice(&args);
    let after = run_in(dir, &with_rules);
    assert_eq!(
        after.code, 1,
        "an error finding fails the check: {}",
        after.stderr
    );
    assert_eq!(levels(&after.json()), ["error"]);

    // The human output and `explain` say the same.
    let human = run_in(
        dir,
        &[
            "--rules",
            &rules_path,
            "check",
            "map.yaml",
            "--as-of",
            "2022-06-01",
        ],
    );
    assert!(human.stdout.contains("error[XB019]"), "{}", human.stdout);
    let explain = run_in(dir, &["--rules", &rules_path, "explain", "XB019"]);
    assert!(
        explain.stdout.contains("XB019 (error)"),
        "{}",
        explain.stdout
    );
}

/// The vendor review's security check reads how long a SOC 2 report counts as current from the
/// rulebook: the identity-verification vendor's report of 31 Mar 2025 is stale on 25 Nov 2026
/// after 12 months, current with a rulebook that allows 24.
#[test]
fn a_time_limit_changed_in_the_rulebook_changes_the_vendor_review() {
    let rules = override_dir(
        "vendor-review.yaml",
        "kinds: [soc-2-type-1, soc-2-type-2]",
        "current-for-months: 12",
        "current-for-months: 24",
    );
    let rules_path = rules.path().to_string_lossy().into_owned();
    let args = [
        "vendor",
        "review",
        "data/vendors/idv-veriface.yaml",
        "--map",
        "data/coursera/2021-01.yaml",
        "--as-of",
        "2026-11-25",
        "--format",
        "json",
    ];
    let soc2 = |doc: &serde_json::Value| -> (String, String) {
        let term = doc["security"]
            .as_array()
            .expect("security terms")
            .iter()
            .find(|t| t["term"] == "SOC 2 Type II report")
            .cloned()
            .expect("the SOC 2 report is listed");
        (
            term["status"].as_str().unwrap_or_default().to_owned(),
            term["detail"].as_str().unwrap_or_default().to_owned(),
        )
    };
    let before = run_in(&root(), &args);
    let (status, detail) = soc2(&before.json());
    assert_eq!(status, "missing", "{detail}");
    assert!(
        detail.contains("no longer current after 2026-03-30 (12 months)"),
        "{detail}"
    );

    let mut with_rules = vec!["--rules", rules_path.as_str()];
    with_rules.extend_from_slice(&args);
    let after = run_in(&root(), &with_rules);
    let (status, detail) = soc2(&after.json());
    assert_eq!(status, "present", "{detail}");
    assert!(detail.contains("current until 2027-03-30"), "{detail}");
}

/// The processor terms the review asks for are the rulebook's: with another action in
/// `vendor-review.yaml`, the review of a vendor whose terms are not signed yet (on 5 Nov 2026,
/// before its DPA of 10 Nov) asks for that instead.
#[test]
fn a_processor_term_changed_in_the_rulebook_changes_the_vendor_review() {
    let rules = override_dir(
        "vendor-review.yaml",
        "processor-terms:",
        "action: sign data-processing terms meeting Art. 28(3) before any data flows",
        "action: sign the group's model processing agreement before any data flows",
    );
    let rules_path = rules.path().to_string_lossy().into_owned();
    let args = [
        "vendor",
        "review",
        "data/vendors/idv-veriface.yaml",
        "--map",
        "data/coursera/2021-01.yaml",
        "--as-of",
        "2026-11-05",
        "--format",
        "json",
    ];
    let before = run_in(&root(), &args).stdout;
    assert!(before.contains("meeting Art. 28(3)"));
    let mut with_rules = vec!["--rules", rules_path.as_str()];
    with_rules.extend_from_slice(&args);
    let after = run_in(&root(), &with_rules).stdout;
    assert!(
        after.contains("the group's model processing agreement")
            && !after.contains("meeting Art. 28(3)"),
        "{after}"
    );
}

const PROCESSOR_ONWARD_ON_CONSENT: &str = "\
format: 1
organisation: Shop GmbH
entities:
  shop-de: { name: Shop GmbH, kind: company, country: DE, role: controller }
  cloud-us: { name: Cloud Inc., kind: vendor, country: US, role: processor }
  support-in: { name: Support Pvt Ltd, kind: vendor, country: IN, role: controller }
flows:
  - id: c2p
    from: shop-de
    to: cloud-us
    data: [email]
    purpose: hosting
    mechanisms: [ { kind: scc, version: \"2021/914\", module: 2, signed: 2022-01-10, tia: 2022-01-05 } ]
  - id: onward
    from: cloud-us
    to: support-in
    data: [email]
    purpose: support
    mechanisms: [ { kind: derogation, ground: explicit-consent, occasional: true } ]
";

/// The grounds of an onward-transfer clause are rulebook data: Clause 8.8 (Module Two) has no
/// consent ground, so the processor's onward hop on consent is unlawful; a rulebook that adds
/// one makes the same hop conditional.
#[test]
fn an_onward_ground_added_in_the_rulebook_permits_the_onward_hop() {
    let map = map_dir(PROCESSOR_ONWARD_ON_CONSENT);
    let rules = override_dir(
        "scc.yaml",
        "for a processor importer (Clause 8.8)",
        "          grounds:\n",
        "          grounds:\n            - id: consent\n              name: the data subject's explicit consent\n              when: { ground: [explicit-consent] }\n              citation: a clause the parties added\n",
    );
    let rules_path = rules.path().to_string_lossy().into_owned();
    let args = [
        "check",
        "map.yaml",
        "--as-of",
        "2024-06-01",
        "--format",
        "json",
    ];
    let verdict = |doc: &serde_json::Value| -> String {
        doc["hops"]
            .as_array()
            .expect("hops")
            .iter()
            .find(|h| h["id"] == "onward")
            .map(|h| h["verdict"].as_str().unwrap_or_default().to_owned())
            .unwrap_or_default()
    };
    let before = run_in(map.path(), &args);
    assert_eq!(before.code, 1);
    assert_eq!(verdict(&before.json()), "unlawful");
    let mut with_rules = vec!["--rules", rules_path.as_str()];
    with_rules.extend_from_slice(&args);
    let after = run_in(map.path(), &with_rules);
    assert_eq!(after.code, 0, "{}", after.stderr);
    assert_eq!(verdict(&after.json()), "conditional");
}

/// A derogation ground is rulebook data: a map naming a ground the rulebook does not know is
/// invalid; with a rulebook that defines it, the same map is judged under the new ground.
#[test]
fn a_derogation_ground_added_in_the_rulebook_is_accepted_and_judged() {
    let map = map_dir(&OCCASIONAL_BOOKING.replace("ground: contract", "ground: humanitarian-aid"));
    let rules = override_dir(
        "tools.yaml",
        "name: Derogations for specific situations (GDPR Art. 49)",
        "    grounds:\n",
        "    grounds:\n      - ground: humanitarian-aid\n        conditions: a ground a national law added for the test\n        citation: a national law\n",
    );
    let rules_path = rules.path().to_string_lossy().into_owned();
    let args = [
        "check",
        "map.yaml",
        "--as-of",
        "2022-06-01",
        "--format",
        "json",
    ];
    let before = run_in(map.path(), &args);
    assert_eq!(before.code, 2, "an unknown ground is refused");
    assert!(before.stdout.is_empty() || before.stdout.contains("humanitarian-aid"));
    let mut with_rules = vec!["--rules", rules_path.as_str()];
    with_rules.extend_from_slice(&args);
    let after = run_in(map.path(), &with_rules);
    assert_eq!(after.code, 0, "{}", after.stderr);
    let doc = after.json();
    let hop = &doc["hops"][0];
    assert_eq!(hop["verdict"], "conditional");
    assert_eq!(hop["mechanism"], "derogation");
}
