//! `ARCHITECTURE.md` stays true: the crates and their dependencies as `cargo metadata` sees
//! them are the ones it documents and allows, every finding code of the rulebook is documented,
//! and the code stays in pieces a reader can hold: no file in `crates/*/src` over 1,000 lines,
//! no function over 150 lines unless it says it is a table (`// tidy: table — why` on the line
//! above its `fn`, after its doc comment and attributes).
//!
//! Each rule is a function of its inputs, so that the tests at the bottom show it failing on a
//! broken input as well as passing on the tree.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use xborder_tests::root;

use crate::source::{code_only, crate_sources};

const MAX_FILE_LINES: usize = 1000;
const MAX_FN_LINES: usize = 150;
const TABLE_MARKER: &str = "// tidy: table";

/// The workspace's own crates and, for each, the workspace crates it depends on (normal and
/// build dependencies; dev-dependencies may reach further, for tests).
fn workspace_dependencies(metadata: &serde_json::Value) -> BTreeMap<String, BTreeSet<String>> {
    let packages = metadata["packages"].as_array().cloned().unwrap_or_default();
    let ours: BTreeSet<String> = packages
        .iter()
        .filter(|p| {
            p["manifest_path"]
                .as_str()
                .is_some_and(|m| m.contains("/crates/"))
        })
        .filter_map(|p| p["name"].as_str().map(str::to_owned))
        .collect();
    packages
        .iter()
        .filter_map(|p| {
            let name = p["name"].as_str()?;
            if !ours.contains(name) {
                return None;
            }
            let deps = p["dependencies"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|d| d["kind"].as_str() != Some("dev"))
                .filter_map(|d| d["name"].as_str())
                .filter(|d| ours.contains(*d))
                .map(str::to_owned)
                .collect();
            Some((name.to_owned(), deps))
        })
        .collect()
}

/// The table under `## Dependencies` in `ARCHITECTURE.md`: `| \`crate\` | \`a\`, \`b\` |`,
/// "—" for none.
fn allowed_dependencies(architecture: &str) -> BTreeMap<String, BTreeSet<String>> {
    let Some(start) = architecture.find("\n## Dependencies") else {
        return BTreeMap::new();
    };
    let section = &architecture[start + 1..];
    let section = section[3..]
        .find("\n## ")
        .map_or(section, |end| &section[..end + 3]);
    section
        .lines()
        .filter(|l| l.starts_with("| `"))
        .filter_map(|l| {
            let mut cells = l.trim_matches('|').split('|');
            let krate = cells.next()?.trim().trim_matches('`').to_owned();
            let deps = cells
                .next()?
                .split(',')
                .map(|d| d.trim().trim_matches('`').to_owned())
                .filter(|d| !d.is_empty() && d != "—")
                .collect();
            Some((krate, deps))
        })
        .collect()
}

/// Every way the crates and their dependencies differ from what `ARCHITECTURE.md` says.
fn dependency_problems(
    actual: &BTreeMap<String, BTreeSet<String>>,
    allowed: &BTreeMap<String, BTreeSet<String>>,
    architecture: &str,
) -> Vec<String> {
    let mut problems = Vec::new();
    for (krate, deps) in actual {
        if !architecture.contains(&format!("### `crates/{krate}`")) {
            problems.push(format!(
                "crate {krate} has no `### \\`crates/{krate}\\`` section in the code map"
            ));
        }
        let Some(may) = allowed.get(krate) else {
            problems.push(format!(
                "crate {krate} is missing from the dependency table"
            ));
            continue;
        };
        for dep in deps.difference(may) {
            problems.push(format!(
                "{krate} depends on {dep}, which ARCHITECTURE.md does not allow"
            ));
        }
        for dep in may.difference(deps) {
            problems.push(format!(
                "ARCHITECTURE.md lets {krate} depend on {dep}, but it does not: update the table"
            ));
        }
    }
    for krate in allowed.keys().filter(|k| !actual.contains_key(*k)) {
        problems.push(format!(
            "the dependency table names {krate}, which is not a crate of the workspace"
        ));
    }
    problems
}

/// Finding codes that a document does not mention, and whether the range it states
/// ("XB001 to XBnnn") ends at the last code.
fn code_problems(codes: &[&str], document: &str, name: &str, states_range: bool) -> Vec<String> {
    let mut problems: Vec<String> = codes
        .iter()
        .filter(|c| !document.contains(*c))
        .map(|c| format!("{name} does not document {c}"))
        .collect();
    if states_range
        && let (Some(first), Some(last)) = (codes.first(), codes.last())
        && !document.contains(&format!("{first} to {last}"))
    {
        problems.push(format!(
            "{name} does not state the code range `{first} to {last}`"
        ));
    }
    problems
}

/// A function with a body: its name, first line and number of lines.
#[derive(Debug, PartialEq, Eq)]
struct Function {
    name: String,
    line: usize,
    lines: usize,
    table: bool,
}

/// The functions with a body in `source`, nested ones included.
fn functions(source: &str) -> Vec<Function> {
    let code = code_only(source);
    let original: Vec<&str> = source.lines().collect();
    let bytes = code.as_bytes();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(at) = code[from..].find("fn ").map(|p| p + from) {
        from = at + 3;
        let standalone =
            at == 0 || !(bytes[at - 1].is_ascii_alphanumeric() || bytes[at - 1] == b'_');
        if !standalone {
            continue;
        }
        let name: String = code[at + 3..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if name.is_empty() {
            continue;
        }
        // The body starts at the first `{` before any `;` (a declaration has none).
        let Some(open) = code[at..].find(['{', ';']).map(|p| p + at) else {
            continue;
        };
        if bytes[open] == b';' {
            continue;
        }
        let mut depth = 0usize;
        let mut close = code.len();
        for (k, b) in bytes[open..].iter().enumerate() {
            match b {
                b'{' => depth += 1,
                b'}' => {
                    depth -= 1;
                    if depth == 0 {
                        close = open + k;
                        break;
                    }
                }
                _ => {}
            }
        }
        let line = code[..at].matches('\n').count() + 1;
        let last = code[..close].matches('\n').count() + 1;
        // The marker sits above the doc comment and attributes, or between them and `fn`.
        let table = original[..line - 1]
            .iter()
            .rev()
            .map(|l| l.trim())
            .take_while(|l| l.starts_with("///") || l.starts_with("#[") || l.starts_with("//"))
            .any(|l| l.starts_with(TABLE_MARKER));
        out.push(Function {
            name,
            line,
            lines: last - line + 1,
            table,
        });
    }
    out
}

/// Files and functions over the limits, as `path:line: what`.
fn size_problems(path: &str, source: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let lines = source.lines().count();
    if lines > MAX_FILE_LINES {
        problems.push(format!(
            "{path}: {lines} lines (at most {MAX_FILE_LINES}): split it into modules a reader would name"
        ));
    }
    for f in functions(source) {
        if f.lines > MAX_FN_LINES && !f.table {
            problems.push(format!(
                "{path}:{}: fn {} has {} lines (at most {MAX_FN_LINES}): split it where a reader \
                 would name the parts, or mark a genuine table with `{TABLE_MARKER} — why`",
                f.line, f.name, f.lines
            ));
        }
    }
    problems
}

fn cargo_metadata(root: &Path) -> serde_json::Value {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = std::process::Command::new(cargo)
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
        ])
        .current_dir(root)
        .output()
        .expect("cargo metadata runs");
    assert!(
        output.status.success(),
        "cargo metadata failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("cargo metadata prints JSON")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn architecture_md_names_every_crate_and_allows_exactly_its_dependencies() {
    let root = root();
    let architecture = read(&root.join("ARCHITECTURE.md"));
    let actual = workspace_dependencies(&cargo_metadata(&root));
    assert!(actual.len() >= 10, "the workspace's crates: {actual:?}");
    let problems =
        dependency_problems(&actual, &allowed_dependencies(&architecture), &architecture);
    assert!(
        problems.is_empty(),
        "ARCHITECTURE.md is out of date:\n{}",
        problems.join("\n")
    );
}

#[test]
fn every_finding_code_is_documented() {
    let root = root();
    let codes: Vec<&str> = xborder_law::Code::ALL.iter().map(|c| c.as_str()).collect();
    let mut problems = code_problems(
        &codes,
        &read(&root.join("ARCHITECTURE.md")),
        "ARCHITECTURE.md",
        true,
    );
    problems.extend(code_problems(
        &codes,
        &read(&root.join("docs/format.md")),
        "docs/format.md",
        false,
    ));
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn no_file_or_function_is_too_long_to_read() {
    let root = root();
    let mut problems = Vec::new();
    for path in crate_sources(&root) {
        let relative = path
            .strip_prefix(&root)
            .unwrap_or(&path)
            .display()
            .to_string();
        problems.extend(size_problems(&relative, &read(&path)));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

// The rules fail when an invariant is broken.

#[test]
fn a_dependency_the_table_does_not_allow_fails() {
    let architecture = "### `crates/xborder-pdf`\n### `crates/xborder-report`\n\n## Dependencies\n\n| crate | may depend on |\n|---|---|\n| `xborder-pdf` | — |\n| `xborder-report` | `xborder-pdf` |\n\n## Next\n";
    let allowed = allowed_dependencies(architecture);
    let mut actual: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    actual.insert("xborder-pdf".into(), BTreeSet::new());
    actual.insert("xborder-report".into(), ["xborder-pdf".to_owned()].into());
    assert!(dependency_problems(&actual, &allowed, architecture).is_empty());
    // The renderer reaching back into the report: refused.
    actual.insert("xborder-pdf".into(), ["xborder-report".to_owned()].into());
    assert_eq!(
        dependency_problems(&actual, &allowed, architecture),
        ["xborder-pdf depends on xborder-report, which ARCHITECTURE.md does not allow"]
    );
    // A crate the document does not describe.
    actual.insert("xborder-new".into(), BTreeSet::new());
    let problems = dependency_problems(&actual, &allowed, architecture);
    assert!(
        problems.iter().any(|p| p.contains("xborder-new has no")),
        "{problems:?}"
    );
    assert!(
        problems
            .iter()
            .any(|p| p.contains("xborder-new is missing from the dependency table"))
    );
}

#[test]
fn an_undocumented_code_fails() {
    let codes = ["XB001", "XB002", "XB003"];
    assert!(code_problems(&codes, "XB001 to XB003, XB002", "A", true).is_empty());
    assert_eq!(
        code_problems(&codes, "XB001 to XB002, XB002", "A", true),
        [
            "A does not document XB003",
            "A does not state the code range `XB001 to XB003`"
        ]
    );
}

#[test]
fn a_long_file_or_function_fails_unless_it_is_a_table() {
    let body = "    let x = 1;\n".repeat(MAX_FN_LINES);
    let long = format!("/// Doc.\nfn long() {{\n{body}}}\n");
    let problems = size_problems("a.rs", &long);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].starts_with("a.rs:2: fn long has 152 lines"),
        "{}",
        problems[0]
    );
    let table = format!(
        "{TABLE_MARKER} — one row per code\n/// Doc.\n#[rustfmt::skip]\nfn long() {{\n{body}}}\n"
    );
    assert!(size_problems("a.rs", &table).is_empty());
    let short = "fn short() {\n    let s = \"fn fake() {\";\n    let c = '{';\n}\n".repeat(300);
    let problems = size_problems("b.rs", &short);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].starts_with("b.rs: 1200 lines"),
        "{}",
        problems[0]
    );
    assert_eq!(functions(&short).len(), 300);
}
