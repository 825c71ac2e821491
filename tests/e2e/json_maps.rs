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

/// A JSON map's flow items are read straight from the text where they allow it, and from
/// their nodes otherwise: the map and every diagnostic must be what reading each item from
/// its node gives, on either thread, whatever the items hold. Each item below alone, then
/// all of them in one map, then the Coursera map as JSON.
#[test]
fn flows_read_from_the_text_are_the_flows_read_from_their_nodes() {
    use xborder_model::{FlowReading, Syntax, load_reading};
    let rulebook = xborder_law::Rulebook::embedded().expect("the built-in rulebook");
    let vocabulary = xborder_engine::vocabulary(&rulebook);
    let items = [
        // Read from the text.
        r#"{"id": "f1", "from": "a", "to": "b", "data": ["name", "email"]}"#,
        r#"{ "from" : "a" ,"to":"b","data":[ "health" ],"roles":"controller->processor",
            "purpose": "Support tickets", "automated": true, "public-powers": false,
            "opt-in": false, "agreement": "dpa", "evidence": "https://example.com/dpa"}"#,
        r#"{"id": "f3", "from": "a", "to": "b", "data": ["name"],
            "mechanisms": [{"kind": "scc", "version": "2021/914", "module": 2,
            "signed": "2022-05-15", "tia": "2022-01-10"}, {"kind": "adequacy"}]}"#,
        r#"{"id": "f4", "from": "a", "to": "b", "data": ["Ünïcode kategorie"], "mechanisms": []}"#,
        // Read from their nodes: each gives the text reader something it leaves to them.
        r#"{"id": "f5", "from": "a", "to": "b", "data": ["na\u006de"]}"#,
        r#"{"id": "f6", "from": "a", "to": "b", "data": ["name"], "pia": "2021-01-01"}"#,
        r#"{"id": "f7", "from": "a", "to": "b", "data": ["name"], "individuals-per-year": 12}"#,
        r#"{"id": "f8", "from": "a", "to": "b", "data": ["name"], "colour": "red"}"#,
        r#"{"id": "f9", "from": "a", "from": "b", "to": "b", "data": ["name"]}"#,
        r#"{"id": "f10", "from": "a", "to": "b", "data": []}"#,
        r#"{"id": "f11", "from": "a", "to": "b", "data": ["name", " "]}"#,
        r#"{"id": "f12", "from": 7, "to": "b", "data": ["name"]}"#,
        r#"{"id": "F13", "from": "a", "to": "b", "data": ["name"]}"#,
        r#"{"id": "f14", "from": "a", "to": "b", "data": ["name"], "roles": "boss->worker"}"#,
        r#"{"id": "f15", "from": "a", "to": "b", "data": ["name"], "automated": "yes"}"#,
        r#"{"id": "f16", "from": "a", "to": "b", "data": ["name"], "purpose": null}"#,
        r#"{"id": "f17", "to": "b", "data": ["name"]}"#,
        r#"{"id": "f18", "from": "a", "to": "b"}"#,
        r#"{"id": "f19", "from": "a", "to": "b", "data": ["name"],
            "mechanisms": [{"kind": "scc", "version": "1999/1"}]}"#,
        r#"{"id": "f20", "from": "a", "to": "zz", "data": ["name"]}"#,
        r#"{"id": "f21", "from": "a", "to": "a", "data": ["name"]}"#,
        r#"{"id": "f22", "from": "a", "to": "s", "data": ["name"]}"#,
        r#"{"id": "f1", "from": "a", "to": "b", "data": ["name"]}"#,
        r#"{"id": "f24", "from": "a", "to": "b", "data": "name"}"#,
        r#"["not", "a", "flow"]"#,
        r#"{}"#,
        r#"{"id": "f27", "from": "a", "to": "b", "data": ["name"], "mechanisms": {"kind": "scc"}}"#,
    ];
    let map = |items: &[&str]| {
        format!(
            r#"{{"format": 1, "organisation": "Example",
  "entities": {{
    "a": {{"name": "A", "kind": "company", "country": "DE", "role": "controller"}},
    "b": {{"name": "B", "kind": "vendor", "country": "US", "role": "processor"}},
    "s": {{"name": "Subjects", "kind": "subjects", "country": "DE"}}
  }},
  "agreements": {{"dpa": {{"between": ["a", "b"], "signed": "2021-01-01"}}}},
  "flows": [
    {}
  ]
}}"#,
            items.join(",\n    ")
        )
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let coursera = std::fs::read_to_string(coursera_json(dir.path())).expect("read");
    let texts = items.iter().map(|item| map(&[item])).chain([
        map(&items),
        coursera,
        map(&items).replace('\n', "\r\n"),
    ]);
    for text in texts {
        let (usual, found) = load_reading(Syntax::Json, &text, &vocabulary, FlowReading::Usual);
        for reading in [
            FlowReading::Ahead,
            FlowReading::FromNodes,
            FlowReading::AheadFromNodes,
        ] {
            let (other, other_found) = load_reading(Syntax::Json, &text, &vocabulary, reading);
            assert_eq!(other_found, found, "{reading:?}: diagnostics of\n{text}");
            assert_eq!(
                format!("{other:?}"),
                format!("{usual:?}"),
                "{reading:?}: the map of\n{text}"
            );
        }
    }
}
