//! The map format's reference covers the whole format: every key the JSON Schema
//! `docs/schema/map.schema.json` accepts has its place in `docs/format.md`.
//!
//! The rule is exact, no search for a word in the text:
//!
//! - a key of the map, an entity, a category, a flow or an agreement has a heading whose code
//!   span is its key path, as section 3 writes them: `` #### `flows[].purpose` ``,
//!   `` #### `entities.<id>.certifications[].scope` `` (`<id>` for a key the map chooses, `[]`
//!   for the items of a list);
//! - a mechanism's `kind` has a row in the table of kinds (the table whose first column is
//!   `kind`, section 4.2) for each of its values;
//! - every other field of a mechanism has a row in the table of its kind: the tables that follow
//!   a line naming the kinds in bold code spans (`` **`scc`** ``, section 4.3), up to the next
//!   such line or heading.

use std::collections::BTreeSet;

use serde_json::Value;
use xborder_tests::root;

use crate::markdown::{Line, code_spans, first_cell, lines};

/// A key the schema accepts.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct SchemaKey {
    /// `flows[].mechanisms[].version`.
    path: String,
    /// The last segment: `version`.
    name: String,
    /// The mechanism kind whose variant of the schema has the key (`scc`), if any.
    kind: Option<String>,
}

/// Follows `$ref`s to `#/definitions/…`.
fn resolve<'a>(schema: &'a Value, mut node: &'a Value) -> &'a Value {
    for _ in 0..16 {
        let Some(target) = node.get("$ref").and_then(Value::as_str) else {
            break;
        };
        let Some(name) = target.strip_prefix("#/definitions/") else {
            panic!("unexpected $ref {target} in the map schema");
        };
        node = &schema["definitions"][name];
    }
    node
}

fn join(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_string()
    } else {
        format!("{path}.{name}")
    }
}

/// Every property key the schema accepts, with its key path.
fn schema_keys(schema: &Value) -> Vec<SchemaKey> {
    fn walk(
        schema: &Value,
        node: &Value,
        path: &str,
        kind: Option<&str>,
        out: &mut Vec<SchemaKey>,
    ) {
        let node = resolve(schema, node);
        if let Some(properties) = node.get("properties").and_then(Value::as_object) {
            for (name, sub) in properties {
                let key = join(path, name);
                out.push(SchemaKey {
                    path: key.clone(),
                    name: name.clone(),
                    kind: kind.map(str::to_string),
                });
                walk(schema, sub, &key, kind, out);
            }
        }
        // A mapping whose keys the map chooses (entity, category, agreement ids).
        if let Some(values) = node.get("additionalProperties").filter(|v| v.is_object()) {
            walk(schema, values, &join(path, "<id>"), kind, out);
        }
        if let Some(items) = node.get("items") {
            walk(schema, items, &format!("{path}[]"), kind, out);
        }
        for alternatives in ["oneOf", "anyOf", "allOf"] {
            for variant in node
                .get(alternatives)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let variant = resolve(schema, variant);
                // A mechanism: the variant of one kind, `kind: { const: … }`.
                let own = variant["properties"]["kind"]["const"].as_str();
                walk(schema, variant, path, own.or(kind), out);
            }
        }
    }
    let mut out = Vec::new();
    walk(schema, schema, "", None, &mut out);
    out.sort();
    out.dedup();
    out
}

/// What the reference documents, read from its headings and tables.
#[derive(Debug, Default)]
struct Documented {
    /// Code spans of headings: `flows[].purpose`.
    headings: BTreeSet<String>,
    /// Rows of the table of kinds: `scc`.
    kinds: BTreeSet<String>,
    /// Rows of each kind's table of fields: (`scc`, `version`).
    fields: BTreeSet<(String, String)>,
}

/// The kinds a line names when it is only bold code spans: `**\`code-of-conduct\`** and
/// **\`certification\`**` → `code-of-conduct`, `certification`.
fn bold_kinds(text: &str) -> Option<Vec<&str>> {
    let mut rest = text.trim();
    let mut kinds = Vec::new();
    loop {
        let inner = rest.strip_prefix("**`")?;
        let end = inner.find("`**")?;
        kinds.push(&inner[..end]);
        rest = inner[end + 3..].trim_start();
        if rest.is_empty() {
            return Some(kinds);
        }
        rest = rest
            .strip_prefix("and ")
            .or_else(|| rest.strip_prefix(", "))
            .or_else(|| rest.strip_prefix(','))?
            .trim_start();
    }
}

fn documented(doc: &str) -> Documented {
    let mut out = Documented::default();
    let mut block: Vec<&str> = Vec::new();
    let mut header: Option<&str> = None;
    for (_, line) in lines(doc) {
        match line {
            Line::Heading { text, .. } => {
                out.headings
                    .extend(code_spans(text).into_iter().map(str::to_string));
                block.clear();
                header = None;
            }
            Line::Row(row) => {
                let cell = first_cell(row);
                let Some(head) = header else {
                    header = Some(cell);
                    continue;
                };
                for name in code_spans(cell) {
                    if head == "kind" {
                        out.kinds.insert(name.to_string());
                    }
                    for kind in &block {
                        out.fields.insert((kind.to_string(), name.to_string()));
                    }
                }
            }
            Line::Text(text) => {
                header = None;
                if let Some(kinds) = bold_kinds(text) {
                    block = kinds;
                }
            }
        }
    }
    out
}

/// The keys of `schema` that `doc` does not document, each with what is missing.
fn undocumented(schema: &Value, doc: &str) -> Vec<String> {
    let documented = documented(doc);
    let mut out = Vec::new();
    for key in schema_keys(schema) {
        match &key.kind {
            None if !documented.headings.contains(&key.path) => {
                out.push(format!("{}: no heading names it", key.path))
            }
            Some(kind) if key.name == "kind" && !documented.kinds.contains(kind) => {
                out.push(format!(
                    "{} of kind {kind}: no row `{kind}` in the table of kinds (section 4.2)",
                    key.path
                ))
            }
            Some(kind)
                if key.name != "kind"
                    && !documented
                        .fields
                        .contains(&(kind.clone(), key.name.clone())) =>
            {
                out.push(format!(
                    "{} of kind {kind}: no row `{}` in the fields of **`{kind}`** (section 4.3)",
                    key.path, key.name
                ))
            }
            _ => {}
        }
    }
    out.dedup();
    out
}

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
}

#[test]
fn every_key_of_the_map_schema_is_in_the_format_reference() {
    let schema: Value = serde_json::from_str(&read("docs/schema/map.schema.json"))
        .expect("docs/schema/map.schema.json is JSON");
    let keys = schema_keys(&schema);
    // The walk reaches every part of the format: top level, entities, certifications,
    // categories, flows, agreements and the mechanisms of both.
    for expected in [
        "format",
        "entities.<id>.certifications[].scope",
        "categories.<id>.like",
        "flows[].purpose",
        "agreements.<id>.signed",
        "flows[].mechanisms[].version",
        "agreements.<id>.mechanisms[].ground",
    ] {
        assert!(
            keys.iter().any(|k| k.path == expected),
            "the schema walk misses {expected}: {keys:#?}"
        );
    }
    let missing = undocumented(&schema, &read("docs/format.md"));
    assert!(
        missing.is_empty(),
        "docs/format.md does not document every key of docs/schema/map.schema.json:\n{}",
        missing.join("\n")
    );
}

/// The check finds a missing heading, a kind without a row and a field missing from its kind's
/// table, and accepts a table shared by two kinds.
#[test]
fn the_check_finds_keys_missing_from_the_reference() {
    let schema = serde_json::json!({
        "definitions": {
            "mechanism": { "oneOf": [
                { "properties": { "kind": { "const": "scc" }, "signed": {}, "tia": {} } },
                { "properties": { "kind": { "const": "idta" }, "signed": {} } },
                { "properties": { "kind": { "const": "dpf" } } }
            ] }
        },
        "properties": {
            "format": {},
            "flows": { "items": { "properties": {
                "from": {},
                "mechanisms": { "items": { "$ref": "#/definitions/mechanism" } }
            } } }
        }
    });
    let doc = "# Reference\n\n#### `format`\n\n```yaml\n#### `flows[].from`\n```\n\n\
               | kind | fields |\n|---|---|\n| `scc` | … |\n| `idta` | … |\n\n\
               **`scc`** and **`idta`**\n\n| field | meaning |\n|---|---|\n| `signed` | … |\n";
    assert_eq!(
        undocumented(&schema, doc),
        [
            "flows: no heading names it",
            "flows[].from: no heading names it",
            "flows[].mechanisms: no heading names it",
            "flows[].mechanisms[].kind of kind dpf: no row `dpf` in the table of kinds (section 4.2)",
            "flows[].mechanisms[].tia of kind scc: no row `tia` in the fields of **`scc`** (section 4.3)",
        ]
    );
}
