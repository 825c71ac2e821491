//! `xborder validate` over the fixture folders.
//!
//! Every file in `tests/maps/invalid/` declares what it must produce in header comments:
//! `# expect: LINE CODE` per diagnostic. The file must exit 2 with exactly those errors
//! (so a file with five mistakes must produce five diagnostics), and its human output is
//! snapshotted.

use xborder_tests::{files, rel, run};

#[test]
fn valid_maps_pass() {
    let mut maps = files("tests/maps/valid", "yaml");
    maps.extend(files("data/coursera", "yaml"));
    assert!(maps.len() >= 4, "fixtures missing");
    for map in maps {
        let out = run(&["validate", &rel(&map)]);
        assert_eq!(
            out.code,
            0,
            "{} should be valid:\n{}",
            map.display(),
            out.stderr
        );
        assert!(out.stdout.starts_with("ok: "), "{}", out.stdout);
    }
}

/// `(line, code)` pairs a fixture declares.
fn expectations(text: &str) -> Vec<(u64, String)> {
    text.lines()
        .take_while(|l| l.starts_with('#'))
        .filter_map(|l| l.strip_prefix("# expect:"))
        .map(|rest| {
            let mut parts = rest.split_whitespace();
            let line = parts
                .next()
                .and_then(|n| n.parse().ok())
                .expect("# expect: LINE CODE");
            let code = parts.next().expect("# expect: LINE CODE").to_string();
            (line, code)
        })
        .collect()
}

#[test]
fn invalid_maps_fail_with_located_diagnostics() {
    let maps = files("tests/maps/invalid", "yaml");
    assert!(
        maps.len() >= 25,
        "at least 25 invalid fixtures, found {}",
        maps.len()
    );
    for map in maps {
        let path = rel(&map);
        let text = std::fs::read_to_string(&map).expect("fixture readable");
        let mut expected = expectations(&text);
        assert!(!expected.is_empty(), "{path} declares no `# expect:` lines");

        let out = run(&["validate", "--format", "json", &path]);
        assert_eq!(out.code, 2, "{path} must be rejected with exit code 2");
        let doc = out.json();
        let mut got: Vec<(u64, String)> = doc["files"][0]["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .iter()
            .filter(|d| d["severity"] == "error")
            .map(|d| {
                (
                    d["line"].as_u64().unwrap_or(0),
                    d["code"].as_str().unwrap_or("").to_string(),
                )
            })
            .collect();
        got.sort();
        expected.sort();
        assert_eq!(got, expected, "{path}: diagnostics (line, code) differ");

        let human = run(&["validate", &path]);
        assert_eq!(human.code, 2);
        let name = map
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("fixture")
            .to_string();
        insta::with_settings!({ snapshot_suffix => name, prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!("invalid", human.stderr);
        });
    }
}

#[test]
fn json_format_lists_every_file() {
    let out = run(&[
        "validate",
        "--format",
        "json",
        "data/coursera/2021-01.yaml",
        "tests/maps/invalid/unknown-key.yaml",
    ]);
    assert_eq!(out.code, 2, "one invalid file makes the run fail");
    let doc = out.json();
    assert_eq!(doc["files"][0]["valid"], true);
    assert_eq!(doc["files"][1]["valid"], false);
}

#[test]
fn missing_file_is_a_clear_error() {
    let out = run(&["validate", "no/such/map.yaml"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("cannot read no/such/map.yaml: no such file"),
        "{}",
        out.stderr
    );
}

#[test]
fn every_coursera_entity_and_flow_cites_its_source() {
    for map in files("data/coursera", "yaml") {
        let text = std::fs::read_to_string(&map).expect("map");
        let doc: serde_json::Value = serde_saphyr::from_str(&text).expect("YAML");
        let entities = doc["entities"].as_object().expect("entities");
        for (id, entity) in entities {
            let evidence = entity["evidence"].as_str().unwrap_or("");
            assert!(
                evidence.contains("seed")
                    || evidence.contains("Privacy")
                    || evidence.contains("Notice"),
                "{}: entity {id} has no evidence naming its source",
                map.display()
            );
        }
        for flow in doc["flows"].as_array().expect("flows") {
            assert!(
                !flow["evidence"].as_str().unwrap_or("").trim().is_empty(),
                "{}: flow {} has no evidence",
                map.display(),
                flow["id"]
            );
        }
    }
}

#[test]
fn an_empty_required_value_is_not_fixed_by_removing_the_key() {
    let out = run(&[
        "validate",
        "--format",
        "json",
        "tests/maps/invalid/empty-required-value.yaml",
    ]);
    assert_eq!(out.code, 2);
    let doc = out.json();
    let diagnostics = doc["files"][0]["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(!diagnostics.is_empty());
    for d in diagnostics {
        let hint = d["hint"].as_str().unwrap_or("");
        assert!(hint.contains("is required"), "{hint}");
        assert!(!hint.contains("remove"), "{hint}");
    }
}

#[test]
fn judging_a_map_before_the_period_it_describes_warns_in_every_format() {
    let map = "data/coursera/2021-01.yaml";
    let inside = run(&["check", map, "--as-of", "2021-01-01", "--format", "json"]);
    assert!(inside.json().get("warnings").is_none());
    assert!(!inside.stderr.contains("outside-period"));
    let before = run(&["check", map, "--as-of", "2020-07-15", "--format", "json"]);
    let doc = before.json();
    let warning = &doc["warnings"][0];
    assert_eq!(warning["code"], "outside-period");
    assert_eq!(warning["file"], map);
    assert!(
        warning["message"]
            .as_str()
            .is_some_and(|m| m.contains("from 2021-01-01") && m.contains("2020-07-15"))
    );
    assert!(before.stderr.contains("warning[outside-period]"));
    let sarif = run(&["check", map, "--as-of", "2020-07-15", "--format", "sarif"]).json();
    let note = &sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"][0];
    assert_eq!(note["level"], "warning");
    let github = run(&["check", map, "--as-of", "2020-07-15", "--format", "github"]).stdout;
    assert!(
        github.starts_with(&format!("::warning file={map},line=")),
        "{github}"
    );
}
