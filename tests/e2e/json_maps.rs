//! JSON maps: the same format in JSON syntax (`.json`), the fast path for generated and
//! exported maps. A JSON map must give the same verdicts as its YAML original, and its
//! mistakes must be located like YAML's.

use serde_json::Value;
use xborder_tests::{root, run};

/// The Coursera map of January 2021 re-written as JSON (same keys, same order of flows).
fn coursera_json(dir: &std::path::Path) -> String {
    let text = std::fs::read_to_string(root().join("data/coursera/2021-01.yaml")).expect("read");
    let value: Value = serde_saphyr::from_str(&text).expect("the Coursera map is YAML");
    let path = dir.join("2021-01.json");
    std::fs::write(&path, serde_json::to_string_pretty(&value).expect("json")).expect("write");
    path.display().to_string()
}

/// What a hop says, without where it is written.
fn verdicts(doc: &Value) -> Vec<String> {
    doc["hops"]
        .as_array()
        .expect("hops")
        .iter()
        .map(|h| {
            format!(
                "{} {} {} {} {} {} {}",
                h["flow"],
                h["regime"],
                h["destination"],
                h["verdict"],
                h["mechanism"],
                h["codes"],
                h["path"]
            )
        })
        .collect()
}

#[test]
fn a_json_map_gives_the_same_verdicts_as_its_yaml() {
    let dir = tempfile::tempdir().expect("tempdir");
    let json_map = coursera_json(dir.path());
    let args = |map: &str| {
        let out = run(&["check", map, "--as-of", "2021-01-01", "--format", "json"]);
        assert_eq!(out.code, 1, "{}", out.stderr);
        out.json()
    };
    let from_yaml = args("data/coursera/2021-01.yaml");
    let from_json = args(&json_map);
    assert_eq!(verdicts(&from_yaml), verdicts(&from_json));
    assert_eq!(from_yaml["summary"], from_json["summary"]);
    assert!(
        from_yaml["summary"]["unlawful"].as_u64().unwrap_or(0) > 0,
        "the January 2021 map has unlawful Privacy Shield hops"
    );
    // Locations point into the JSON file.
    let finding = &from_json["findings"][0];
    assert_eq!(finding["location"]["file"], json_map.as_str());
    let line = finding["location"]["line"].as_u64().unwrap_or(0);
    assert!(line > 1, "a JSON finding has its own line: {finding}");
}

#[test]
fn json_syntax_and_content_errors_are_located() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bad_syntax = dir.path().join("syntax.json");
    std::fs::write(
        &bad_syntax,
        "{\n  \"format\": 1,\n  \"organisation\": \"X\",\n}\n",
    )
    .expect("write");
    let out = run(&["validate", bad_syntax.to_str().expect("utf-8")]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    let all = format!("{}{}", out.stdout, out.stderr);
    assert!(all.contains("json-syntax"), "{all}");
    assert!(
        all.contains("syntax.json:4:1"),
        "line and column of the stray comma's end: {all}"
    );

    let bad_content = dir.path().join("content.json");
    std::fs::write(
        &bad_content,
        "{\"format\": 1, \"organisation\": \"X\",\n \"entities\": {\"a\": {\"name\": \"A\", \"kind\": \"company\", \"country\": \"XX\"}},\n \"flows\": [{\"from\": \"a\", \"to\": \"b\", \"data\": [\"email\"]}]}\n",
    )
    .expect("write");
    let out = run(&["validate", bad_content.to_str().expect("utf-8")]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    let all = format!("{}{}", out.stdout, out.stderr);
    // Both problems at once: the unknown country and the undeclared importer.
    assert!(all.contains("content.json:2:"), "{all}");
    assert!(all.contains("content.json:3:"), "{all}");
}
