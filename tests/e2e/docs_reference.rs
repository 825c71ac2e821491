//! The output references cover what the binary writes: every field of `check --format json`
//! is documented in `docs/format.md` section 7, and every key of a `properties` bag of
//! `check --format sarif` is named in `docs/outputs.md`.
//!
//! The runs reach the optional parts of the result: `--base` (`baseline`, `resolved`),
//! `--assume-invalid … --what-if` (`what_if`, with and without changed hops), a date outside
//! the period the map describes (`warnings`), and a witness path long enough to be shortened
//! (`path_omitted`).
//!
//! The rules are exact:
//!
//! - a JSON field path is written with `.` between keys and `[]` for the items of a list
//!   (`findings[].location.line`, `summary.not-a-transfer`). In section 7 it is documented by a
//!   heading whose code span is the path, or by a table row whose first cell has a code span
//!   that is the path, or the path's rest after a code span of the heading the table is under
//!   (`location.line` in the table under `` ### `findings[]` ``, `hops` under
//!   `` ### `summary`, `what_if.before` and `what_if.after` ``); a heading without a code span
//!   (`### Top level`) stands for the document itself;
//! - a SARIF property is named by its path in the log (`runs[].results[].properties.flow`) in a
//!   heading or in the first cell of a table row of `docs/outputs.md`.

#[path = "../tidy/markdown.rs"]
mod markdown;

use std::collections::BTreeSet;

use serde_json::Value;
use xborder_tests::{root, run};

use markdown::{Line, code_spans, first_cell, lines};

const MAP: &str = "data/coursera/2021-01.yaml";

/// Every field path of a JSON document: `hops`, `hops[].verdict`, `inputs.map.path`, …
fn field_paths(doc: &Value) -> BTreeSet<String> {
    fn walk(value: &Value, path: &str, out: &mut BTreeSet<String>) {
        match value {
            Value::Object(fields) => {
                for (key, v) in fields {
                    let p = if path.is_empty() {
                        key.clone()
                    } else {
                        format!("{path}.{key}")
                    };
                    out.insert(p.clone());
                    walk(v, &p, out);
                }
            }
            Value::Array(items) => {
                for item in items {
                    walk(item, &format!("{path}[]"), out);
                }
            }
            _ => {}
        }
    }
    let mut out = BTreeSet::new();
    walk(doc, "", &mut out);
    out
}

/// The paths of the keys of every `properties` bag in a SARIF log.
fn property_paths(log: &Value) -> BTreeSet<String> {
    field_paths(log)
        .into_iter()
        .filter(|p| {
            p.rsplit_once('.')
                .is_some_and(|(bag, _)| bag == "properties" || bag.ends_with(".properties"))
        })
        .collect()
}

/// The field paths a reference documents: the code spans of its headings, and of the first
/// cells of its table rows, alone and after each code span of the heading above them.
fn documented(doc: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut contexts: Vec<String> = vec![String::new()];
    for (_, line) in lines(doc) {
        match line {
            Line::Heading { text, .. } => {
                let spans = code_spans(text);
                out.extend(spans.iter().map(|s| s.to_string()));
                contexts = if spans.is_empty() {
                    vec![String::new()]
                } else {
                    spans.iter().map(|s| s.to_string()).collect()
                };
            }
            Line::Row(row) => {
                for name in code_spans(first_cell(row)) {
                    out.insert(name.to_string());
                    for context in contexts.iter().filter(|c| !c.is_empty()) {
                        out.insert(format!("{context}.{name}"));
                    }
                }
            }
            Line::Text(_) => {}
        }
    }
    out
}

/// The part of `doc` from the level-2 heading containing `title` to the next heading of level
/// 1 or 2.
fn section(doc: &str, title: &str) -> String {
    let mut inside = false;
    let mut out = Vec::new();
    let all: Vec<&str> = doc.lines().collect();
    for (number, line) in lines(doc) {
        if let Line::Heading { level, text } = line
            && level <= 2
        {
            inside = level == 2 && text.contains(title);
        }
        if inside {
            out.push(all[number - 1]);
        }
    }
    assert!(!out.is_empty(), "no section \"{title}\"");
    out.join("\n")
}

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
}

/// Runs `check` with `args` and the format, and returns its document.
fn check(args: &[&str], format: &str) -> Value {
    let mut all = vec!["check"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", format]);
    let out = run(&all);
    assert!(
        out.code == 0 || out.code == 1,
        "xborder {}: exit {}\n{}",
        all.join(" "),
        out.code,
        out.stderr
    );
    out.json()
}

/// The argument lists of the runs, each with a field of the part of the result it is there
/// for.
fn runs(chain: &str) -> Vec<(Vec<&str>, &'static str)> {
    vec![
        (vec![MAP, "--as-of", "2021-01-01"], "hops[].verdict"),
        (
            vec![
                MAP,
                "--as-of",
                "2021-01-01",
                "--base",
                "data/coursera/2020-08.yaml",
            ],
            "resolved[].location.file",
        ),
        (
            vec![
                MAP,
                "--as-of",
                "2021-01-01",
                "--assume-invalid",
                "eu-us-dpf",
                "--what-if",
            ],
            "what_if.before.not-a-transfer",
        ),
        (
            vec![
                "tests/vendors/coursera-2021-01+nimbus.yaml",
                "--as-of",
                "2026-11-25",
                "--assume-invalid",
                "eu-us-dpf",
                "--what-if",
            ],
            "what_if.changes[].after_basis",
        ),
        (vec![MAP, "--as-of", "2020-07-15"], "warnings[].code"),
        (
            vec![
                MAP,
                "--as-of",
                "2021-01-01",
                "--accept",
                "tests/acceptances/coursera-2021-01.yaml",
            ],
            "findings[].accepted.until",
        ),
        (
            vec![chain, "--as-of", "2024-01-01"],
            "findings[].path_omitted",
        ),
    ]
}

#[test]
fn every_field_of_the_json_result_is_documented_in_format_md() {
    let chain = xborder_tests::chain_map(40);
    let chain_path = chain.path().to_string_lossy().into_owned();
    let mut seen = BTreeSet::new();
    for (args, part) in runs(&chain_path) {
        let paths = field_paths(&check(&args, "json"));
        assert!(
            paths.contains(part),
            "check {} --format json has no {part}: the run no longer reaches that part",
            args.join(" ")
        );
        seen.extend(paths);
    }
    let reference = section(&read("docs/format.md"), "The JSON result of");
    let documented = documented(&reference);
    let missing: Vec<&String> = seen.difference(&documented).collect();
    assert!(
        missing.is_empty(),
        "fields of `xborder check --format json` that docs/format.md section 7 does not \
         document (a heading, or a row of the table under the heading of the object):\n{}",
        missing
            .iter()
            .map(|p| p.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn every_sarif_property_is_named_in_outputs_md() {
    let mut seen = BTreeSet::new();
    for args in [
        vec![MAP, "--as-of", "2021-01-01"],
        vec![
            MAP,
            "--as-of",
            "2021-01-01",
            "--base",
            "data/coursera/2020-08.yaml",
        ],
        vec![MAP, "--as-of", "2020-07-15", "--horizon", "180d"],
    ] {
        seen.extend(property_paths(&check(&args, "sarif")));
    }
    for expected in [
        "runs[].properties.asOf",
        "runs[].results[].properties.flow",
        "runs[].tool.driver.rules[].properties.tags",
    ] {
        assert!(seen.contains(expected), "no {expected} in {seen:#?}");
    }
    let documented = documented(&read("docs/outputs.md"));
    let missing: Vec<&String> = seen.difference(&documented).collect();
    assert!(
        missing.is_empty(),
        "SARIF properties that docs/outputs.md does not name (in a heading or the first cell \
         of a table row, by their path in the log):\n{}",
        missing
            .iter()
            .map(|p| p.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// The rules find what a reference leaves out, and read a table under the heading of its
/// object, a row of several keys, and a heading of several objects.
#[test]
fn the_reference_rules_find_what_is_left_out() {
    let doc = "## 7. The JSON result\n\n### Top level\n\n| key | meaning |\n|---|---|\n\
               | `as_of` | … |\n| `summary` | … |\n\n### `summary` and `what_if.before`\n\n\
               | key | meaning |\n|---|---|\n| `hops`, `lawful` | … |\n\n\
               ```json\n### `what_if.after`\n```\n\n## 8. Codes\n\n### `codes`\n";
    let result = serde_json::json!({
        "as_of": "2021-01-01",
        "summary": { "hops": 1, "lawful": 1, "unlawful": 0 },
        "what_if": { "before": { "hops": 1 }, "after": { "hops": 1 } },
        "codes": ["XB001"]
    });
    let documented = documented(&section(doc, "The JSON result"));
    let missing: Vec<String> = field_paths(&result)
        .difference(&documented)
        .cloned()
        .collect();
    assert_eq!(
        missing,
        [
            "codes",
            "summary.unlawful",
            "what_if",
            "what_if.after",
            "what_if.after.hops"
        ]
    );
}
