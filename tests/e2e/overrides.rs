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
