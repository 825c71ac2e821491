//! `xborder schema`: the committed JSON Schemas are what the binary prints, every map in
//! `data/`, `tests/maps/valid/` and `tests/scenarios/` validates against the map schema (and
//! every vendor intake in `data/vendors/` against the intake schema), and the schema rejects
//! what the validator rejects for shape.

use std::path::{Path, PathBuf};

use serde_json::Value;
use xborder_tests::{files, rel, root, run};

fn schema(args: &[&str]) -> Value {
    let out = run(args);
    assert_eq!(out.code, 0, "{}", out.stderr);
    out.json()
}

fn yaml_as_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    // Read as YAML 1.2, as xborder and the editors' YAML language servers read maps.
    let options = serde_saphyr::options! { strict_booleans: true };
    serde_saphyr::from_str_with_options(&text, options)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            yaml_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "yaml" || x == "yml") {
            out.push(p);
        }
    }
}

fn errors(validator: &jsonschema::Validator, doc: &Value) -> Vec<String> {
    validator
        .iter_errors(doc)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect()
}

#[test]
fn committed_schemas_are_what_the_binary_prints() {
    for (args, file) in [
        (vec!["schema"], "docs/schema/map.schema.json"),
        (
            vec!["schema", "--vendor"],
            "docs/schema/vendor-intake.schema.json",
        ),
    ] {
        let printed = run(&args);
        assert_eq!(printed.code, 0, "{}", printed.stderr);
        let committed = std::fs::read_to_string(root().join(file)).expect(file);
        assert!(
            printed.stdout == committed,
            "{file} is stale: regenerate it with `xborder {} > {file}`",
            args.join(" ")
        );
    }
}

#[test]
fn every_map_and_intake_in_the_repository_validates_against_the_schema() {
    let map_schema = schema(&["schema"]);
    let intake_schema = schema(&["schema", "--vendor"]);
    assert_eq!(
        map_schema["$schema"],
        "http://json-schema.org/draft-07/schema#"
    );
    let maps =
        jsonschema::draft7::new(&map_schema).expect("the map schema is a valid draft-07 schema");
    let intakes = jsonschema::draft7::new(&intake_schema).expect("the intake schema is valid");

    let mut candidates = Vec::new();
    yaml_files(&root().join("data"), &mut candidates);
    candidates.extend(files("tests/maps/valid", "yaml"));
    candidates.extend(files("tests/scenarios", "yaml"));
    let (mut n_maps, mut n_intakes) = (0, 0);
    for path in candidates {
        let doc = yaml_as_json(&path);
        let name = rel(&path);
        if doc.get("entities").is_some() && doc.get("flows").is_some() {
            n_maps += 1;
            let errs = errors(&maps, &doc);
            assert!(
                errs.is_empty(),
                "{name} does not match the map schema: {errs:#?}"
            );
        } else if doc.get("vendor").is_some() {
            n_intakes += 1;
            let errs = errors(&intakes, &doc);
            assert!(
                errs.is_empty(),
                "{name} does not match the intake schema: {errs:#?}"
            );
        }
    }
    assert!(
        n_maps >= 100,
        "data/coursera, tests/maps/valid and the scenarios: {n_maps}"
    );
    assert!(
        n_intakes >= 1 || !root().join("data/vendors").exists(),
        "the vendor intakes"
    );
}

#[test]
fn the_schema_rejects_what_the_validator_rejects_for_shape() {
    let map_schema = schema(&["schema"]);
    let maps = jsonschema::draft7::new(&map_schema).expect("valid schema");
    for bad in [
        "unknown-key",
        "unknown-top-key",
        "bad-kind",
        "lowercase-country",
        "unknown-mechanism",
        "framework-with-fields",
        "scc-module-range",
        "invalid-id",
        "unsupported-format",
    ] {
        let path = root().join(format!("tests/maps/invalid/{bad}.yaml"));
        let doc = yaml_as_json(&path);
        assert!(
            !errors(&maps, &doc).is_empty(),
            "{bad}.yaml passes the schema although `xborder validate` rejects it"
        );
    }
}

#[test]
fn the_schema_follows_the_rulebook_vocabulary() {
    let doc = schema(&["schema"]);
    let like =
        &doc["definitions"]["categories"]["additionalProperties"]["properties"]["like"]["enum"];
    let like: Vec<&str> = like
        .as_array()
        .expect("enum")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        like.contains(&"biometric") && like.contains(&"email"),
        "{like:?}"
    );
    let kinds: Vec<&str> = doc["definitions"]["mechanism"]["oneOf"]
        .as_array()
        .expect("oneOf")
        .iter()
        .filter_map(|k| k["properties"]["kind"]["const"].as_str())
        .collect();
    for k in [
        "adequacy",
        "scc",
        "idta",
        "bcr",
        "derogation",
        "privacy-shield",
        "dpf",
    ] {
        assert!(kinds.contains(&k), "{k} missing from {kinds:?}");
    }
}
