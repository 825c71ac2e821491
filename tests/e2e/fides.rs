//! `xborder import fides`: every Fides example imports into a map that `validate` accepts once
//! the reported fill-ins are made; the produced YAML is snapshotted; errors name
//! file:line:column and write nothing.

use std::path::Path;

use xborder_tests::{root, run, run_in};

/// (snapshot name, inputs relative to the root).
const EXAMPLES: &[(&str, &[&str])] = &[
    (
        "current-demo",
        &[
            "tests/data/fides/current/demo_system.yml",
            "tests/data/fides/current/demo_organization.yml",
        ],
    ),
    (
        "current-sample",
        &["tests/data/fides/current/sample_systems.yml"],
    ),
    (
        "legacy-2023-demo",
        &["tests/data/fides/legacy-2023/demo_system.yml"],
    ),
];

fn import(inputs: &[&str], out: &Path) -> xborder_tests::Run {
    let out_text = out.to_string_lossy().into_owned();
    let mut args = vec!["import", "fides"];
    args.extend_from_slice(inputs);
    args.extend_from_slice(&["--out", &out_text]);
    run(&args)
}

/// Lines of the report under "fill in" as (line, subject).
fn fill_in_lines(report: &str, out: &str) -> Vec<usize> {
    let mut lines = Vec::new();
    let mut in_section = false;
    for l in report.lines() {
        if !l.starts_with("  ") {
            in_section = l.starts_with("fill in before the map validates");
            continue;
        }
        if in_section && let Some(rest) = l.trim_start().strip_prefix(&format!("{out}:")) {
            let n: usize = rest
                .split(':')
                .next()
                .and_then(|n| n.parse().ok())
                .unwrap_or_else(|| panic!("no line number in {l}"));
            lines.push(n);
        }
    }
    lines
}

/// The map with every `~  # FILL IN` replaced by a plausible value.
fn filled(yaml: &str) -> String {
    yaml.lines()
        .map(|l| {
            if !l.contains("# FILL IN") {
                return l.to_string();
            }
            let head = l.split("~  # FILL IN").next().unwrap_or(l);
            if head.trim_start().starts_with("country:") {
                format!("{head}DE")
            } else if head.starts_with("organisation:") {
                format!("{head}Imported organisation")
            } else if head.contains("{ like: ") {
                format!("{head}ordinary }}")
            } else {
                panic!("unexpected fill-in line: {l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

#[test]
fn every_example_validates_once_the_reported_fill_ins_are_made() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, inputs) in EXAMPLES {
        let out = dir.path().join(format!("{name}.yaml"));
        let imported = import(inputs, &out);
        assert_eq!(imported.code, 0, "{name}: {}", imported.stderr);
        let yaml = std::fs::read_to_string(&out).expect("written");
        let out_text = out.to_string_lossy().into_owned();

        // The report names exactly the lines the validator rejects.
        let reported = fill_in_lines(&imported.stderr, &out_text);
        assert!(
            !reported.is_empty(),
            "{name}: Fides has no countries: {}",
            imported.stderr
        );
        let as_is = run(&["validate", &out_text, "--format", "json"]);
        assert_eq!(
            as_is.code, 2,
            "{name}: the draft must not validate before the fill-ins"
        );
        let doc = as_is.json();
        let mut rejected: Vec<usize> = doc["files"][0]["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .iter()
            .filter(|d| d["severity"] == "error")
            .map(|d| d["line"].as_u64().expect("line") as usize)
            .collect();
        rejected.sort_unstable();
        rejected.dedup();
        let mut expected = reported.clone();
        expected.sort_unstable();
        assert_eq!(
            rejected, expected,
            "{name}: errors only and exactly at the reported fill-ins\n{yaml}"
        );

        // After the fill-ins it is a valid map.
        let done = dir.path().join(format!("{name}-filled.yaml"));
        std::fs::write(&done, filled(&yaml)).expect("write");
        let valid = run(&["validate", &done.to_string_lossy()]);
        assert_eq!(valid.code, 0, "{name}: {}{}", valid.stdout, valid.stderr);
        let checked = run(&["check", &done.to_string_lossy(), "--as-of", "2024-01-01"]);
        assert!(
            checked.code == 0 || checked.code == 1,
            "{name}: {}",
            checked.stderr
        );

        insta::with_settings!({ snapshot_suffix => *name, prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!("fides-import", yaml);
            insta::assert_snapshot!("fides-report", imported.stderr.replace(&out_text, "OUT.yaml"));
        });
    }
}

#[test]
fn legacy_third_country_transfers_become_processing_countries() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("legacy.yaml");
    let imported = import(&["tests/data/fides/legacy-2023/demo_system.yml"], &out);
    assert_eq!(imported.code, 0, "{}", imported.stderr);
    let yaml = std::fs::read_to_string(&out).expect("written");
    assert!(
        yaml.contains("    processing: [US, CA]  # third_country_transfers: USA, CAN"),
        "{yaml}"
    );
    assert!(
        yaml.contains("    role: controller\n"),
        "Controller → role: {yaml}"
    );
    assert!(
        yaml.contains("    role: processor\n"),
        "Processor → role: {yaml}"
    );
}

#[test]
fn a_directory_imports_like_its_files_and_byte_for_byte_the_same_twice() {
    let dir = tempfile::tempdir().expect("tempdir");
    let a = dir.path().join("a.yaml");
    let b = dir.path().join("b.yaml");
    let c = dir.path().join("c.yaml");
    assert_eq!(import(&["tests/data/fides/current"], &a).code, 0);
    assert_eq!(import(&["tests/data/fides/current"], &b).code, 0);
    let first = std::fs::read(&a).expect("a");
    assert_eq!(first, std::fs::read(&b).expect("b"), "deterministic");
    let files = [
        "tests/data/fides/current/demo_organization.yml",
        "tests/data/fides/current/demo_system.yml",
        "tests/data/fides/current/sample_systems.yml",
    ];
    assert_eq!(import(&files, &c).code, 0);
    assert_eq!(
        first,
        std::fs::read(&c).expect("c"),
        "a directory is its files, sorted"
    );
    let text = String::from_utf8(first).expect("utf-8");
    assert!(text.contains("organisation: Demo Organization"), "{text}");
}

#[test]
fn categories_follow_the_mapping_table_and_unknown_ones_are_fill_ins() {
    let dir = tempfile::tempdir().expect("tempdir");
    let manifest = dir.path().join("m.yml");
    std::fs::write(
        &manifest,
        "system:\n  - fides_key: app\n    name: App\n    responsibility: [Controller]\n    ingress:\n      - fides_key: user\n        type: user\n    egress:\n      - fides_key: idv\n        type: system\n        data_categories: [user.biometric.fingerprint, custom.thing, system.operations]\n    privacy_declarations:\n      - data_categories: [user.name]\n        data_use: essential.service\n        data_subjects: [customer]\n    legal_basis_for_transfers: [Adequacy Decision, SCCs]\n",
    )
    .expect("write");
    let out = dir.path().join("out.yaml");
    let imported = run_in(
        dir.path(),
        &["import", "fides", "m.yml", "--out", "out.yaml"],
    );
    assert_eq!(imported.code, 0, "{}", imported.stderr);
    let yaml = std::fs::read_to_string(&out).expect("written");
    for expected in [
        "  user.biometric.fingerprint: { like: biometric }  # under user.biometric (Biometric Data)",
        "  custom.thing: { like: ~ }  # FILL IN",
        "  customer:\n    name: \"Data subjects: customer\"\n    kind: subjects",
        "    from: customer\n    to: app\n    data: [user.name]",
        "  idv:\n    name: idv\n    kind: vendor",
        "    mechanisms: [ { kind: adequacy } ]",
        "# DECIDE: app declares legal_basis_for_transfers \"SCCs\"",
    ] {
        assert!(yaml.contains(expected), "missing {expected:?} in\n{yaml}");
    }
    assert!(
        !yaml.contains("system.operations"),
        "not personal data: {yaml}"
    );
    assert!(
        imported.stderr.contains("categories.custom.thing"),
        "{}",
        imported.stderr
    );
    assert!(
        imported.stderr.contains("category system.operations"),
        "{}",
        imported.stderr
    );
}

#[test]
fn errors_name_file_line_and_column_and_nothing_is_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("bad.yml"),
        "system:\n  - name: No key\n  - fides_key: b\n    egress: 7\n",
    )
    .expect("write");
    std::fs::write(dir.path().join("broken.yml"), "system: [\n").expect("write");
    let out = run_in(
        dir.path(),
        &[
            "import",
            "fides",
            "bad.yml",
            "broken.yml",
            "--out",
            "map.yaml",
        ],
    );
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("error: bad.yml:2:5: this entry has no `fides_key`"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("error: bad.yml:4:13: `egress` must be a list"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("error: broken.yml:"),
        "syntax errors too: {}",
        out.stderr
    );
    assert!(out.stderr.contains("nothing was written"), "{}", out.stderr);
    assert!(!dir.path().join("map.yaml").exists());

    // An existing output is kept unless --force.
    std::fs::write(dir.path().join("good.yml"), "system:\n  - fides_key: a\n").expect("write");
    std::fs::write(dir.path().join("map.yaml"), "keep").expect("write");
    let refused = run_in(
        dir.path(),
        &["import", "fides", "good.yml", "--out", "map.yaml"],
    );
    assert_eq!(refused.code, 2);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("map.yaml")).expect("kept"),
        "keep"
    );
    let forced = run_in(
        dir.path(),
        &[
            "import", "fides", "good.yml", "--out", "map.yaml", "--force",
        ],
    );
    assert_eq!(forced.code, 0, "{}", forced.stderr);
}

#[test]
fn quiet_suppresses_the_report_but_not_errors() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("q.yaml");
    let quiet = run(&[
        "-q",
        "import",
        "fides",
        "tests/data/fides/current/demo_system.yml",
        "--out",
        &out.to_string_lossy(),
    ]);
    assert_eq!(quiet.code, 0);
    assert_eq!(quiet.stderr, "");
    let missing = run(&[
        "-q",
        "import",
        "fides",
        "no/such.yml",
        "--out",
        &out.to_string_lossy(),
        "--force",
    ]);
    assert_eq!(missing.code, 2);
    assert!(missing.stderr.contains("no/such.yml"), "{}", missing.stderr);
}

#[test]
fn docs_list_every_row_of_the_category_table() {
    let table = std::fs::read_to_string(root().join("data/interop/fideslang-categories.yaml"))
        .expect("table");
    let docs = std::fs::read_to_string(root().join("docs/interop.md")).expect("docs");
    let keys: Vec<&str> = table
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("- ").or(Some(l.trim_start())))
        .filter_map(|l| {
            let rest = l.trim_start_matches("{ ").strip_prefix("fides: ")?;
            Some(rest.split([',', ' ']).next().unwrap_or(rest))
        })
        .collect();
    assert!(keys.len() > 50, "{keys:?}");
    for key in keys {
        assert!(
            docs.contains(&format!("| `{key}` |")),
            "docs/interop.md does not list `{key}` of the mapping table"
        );
    }
}
