//! When a map cannot be loaded, every machine format still says why.
//!
//! A CI job that runs `check --format sarif|github|junit|json` reads standard output, not the
//! terminal: an invalid map that printed its problems only on standard error would show as an
//! empty SARIF upload and no annotation on the pull request. So the map's diagnostics are
//! written in the format asked for — SARIF results with their locations and a tool execution
//! notification, GitHub `::error file=…` commands, a failed JUnit case per problem, a JSON
//! `errors` list — and the command still exits 2 (nothing was judged).

use std::fmt::Write as _;

use serde_json::{Value, json};
use xborder_model::{Diagnostic, DiagnosticLevel};

use crate::cli::CheckFormat;
use crate::input::{Failure, LoadedMap};
use crate::output::github::{escape_data, escape_property};
use crate::output::junit::escape;

/// The one line that says nothing was judged, as on standard error.
pub fn headline(loaded: &LoadedMap) -> String {
    format!(
        "{} is not a valid {} ({} problem(s)); nothing was checked",
        loaded.path,
        loaded.what,
        loaded.errors()
    )
}

/// The key of `inputs` the file is given under, as in the result of a check.
fn input_key(loaded: &LoadedMap) -> &'static str {
    match loaded.what {
        "risk acceptance file" => "acceptances",
        "vendor intake" => "intake",
        _ => "map",
    }
}

fn level(d: &Diagnostic) -> &'static str {
    match d.level {
        DiagnosticLevel::Error => "error",
        DiagnosticLevel::Warning => "warning",
    }
}

fn with_hint(d: &Diagnostic) -> String {
    match &d.hint {
        Some(hint) => format!("{} (hint: {hint})", d.message),
        None => d.message.clone(),
    }
}

/// `{"errors": [...], "format": 1, "inputs": {"map": …}, "valid": false}`: each entry as in
/// `validate --format json`.
pub fn json(loaded: &LoadedMap) -> Value {
    json!({
        "errors": crate::diagnostics::json(loaded),
        "format": 1,
        "inputs": { input_key(loaded): { "path": loaded.path, "sha256": loaded.sha256 } },
        "message": headline(loaded),
        "valid": false,
    })
}

/// A SARIF 2.1.0 log: one result per diagnostic (its rule is the diagnostic's code), and the
/// run's invocation marked unsuccessful with a notification that nothing was checked.
pub fn sarif(loaded: &LoadedMap) -> Value {
    let uri = loaded.path.as_str();
    let location = |d: &Diagnostic| {
        json!({
            "physicalLocation": {
                "artifactLocation": { "uri": uri },
                "region": { "startColumn": d.loc.column, "startLine": d.loc.line }
            }
        })
    };
    let mut codes: Vec<&str> = loaded.diagnostics.iter().map(|d| d.code).collect();
    codes.sort_unstable();
    codes.dedup();
    let rules: Vec<Value> = codes
        .iter()
        .map(|code| {
            json!({
                "id": code,
                "properties": { "tags": ["xborder-map-format"] },
                "shortDescription": { "text": format!("data map problem: {code}") }
            })
        })
        .collect();
    let results: Vec<Value> = loaded
        .diagnostics
        .iter()
        .map(|d| {
            json!({
                "level": level(d),
                "locations": [location(d)],
                "message": { "text": with_hint(d) },
                "ruleId": d.code,
                "ruleIndex": codes.binary_search(&d.code).ok(),
            })
        })
        .collect();
    let first_error = loaded
        .diagnostics
        .iter()
        .find(|d| d.level == DiagnosticLevel::Error);
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "runs": [{
            "artifacts": [{ "hashes": { "sha-256": loaded.sha256 }, "location": { "uri": uri } }],
            "columnKind": "unicodeCodePoints",
            "invocations": [{
                "executionSuccessful": false,
                "exitCode": crate::exit::UNUSABLE,
                "toolExecutionNotifications": [{
                    "level": "error",
                    "locations": first_error.map(|d| vec![location(d)]).unwrap_or_default(),
                    "message": { "text": headline(loaded) }
                }]
            }],
            "results": results,
            "tool": { "driver": {
                "informationUri": crate::output::INFORMATION_URI,
                "name": "xborder",
                "rules": rules,
                "version": env!("CARGO_PKG_VERSION")
            }}
        }],
        "version": "2.1.0"
    })
}

/// GitHub workflow commands: one annotation per diagnostic, then the headline as an error
/// without a file.
pub fn github(loaded: &LoadedMap) -> String {
    let mut out = github_diagnostics(loaded);
    let _ = writeln!(
        out,
        "::error title=xborder::{}",
        escape_data(&headline(loaded))
    );
    out
}

/// One annotation per diagnostic of a file (GitHub shows ten of each type per step; the rest
/// are counted): also the warnings of a map that could be checked.
pub fn github_diagnostics(loaded: &LoadedMap) -> String {
    let mut out = String::new();
    let mut shown = [0usize; 2];
    let mut hidden = 0;
    for d in &loaded.diagnostics {
        let slot = usize::from(d.level == DiagnosticLevel::Warning);
        if shown[slot] >= crate::output::github::CAP_PER_TYPE {
            hidden += 1;
            continue;
        }
        shown[slot] += 1;
        let _ = writeln!(
            out,
            "::{} file={},line={},col={},title={}::{}",
            level(d),
            escape_property(&loaded.path),
            d.loc.line,
            d.loc.column,
            escape_property(&format!("xborder {}", d.code)),
            escape_data(&with_hint(d))
        );
    }
    if hidden > 0 {
        let _ = writeln!(
            out,
            "::notice title=xborder::{}",
            escape_data(&format!(
                "{hidden} more problem(s) not annotated; run `xborder validate {}` for all of them",
                loaded.path
            ))
        );
    }
    out
}

/// JUnit XML: one test case per diagnostic, failing for errors; the suite is the map's
/// validation.
pub fn junit(loaded: &LoadedMap) -> String {
    let tests = loaded.diagnostics.len();
    let failures = loaded.errors();
    let path = escape(&loaded.path);
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"xborder check\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\">"
    );
    let _ = writeln!(
        out,
        "  <testsuite name=\"{path}: the data map is valid\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" skipped=\"0\">"
    );
    for d in &loaded.diagnostics {
        let name = escape(&format!(
            "{}:{}:{} {}",
            loaded.path, d.loc.line, d.loc.column, d.code
        ));
        let _ = write!(
            out,
            "    <testcase classname=\"xborder.map\" name=\"{name}\" file=\"{path}\" line=\"{}\">",
            d.loc.line
        );
        let text = escape(&with_hint(d));
        match d.level {
            DiagnosticLevel::Error => {
                let _ = write!(
                    out,
                    "\n      <failure message=\"{text}\" type=\"{}\">{}</failure>\n    ",
                    d.code,
                    escape(&headline(loaded))
                );
            }
            DiagnosticLevel::Warning => {
                let _ = write!(
                    out,
                    "\n      <system-out>warning: {text}</system-out>\n    "
                );
            }
        }
        out.push_str("</testcase>\n");
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}

/// Writes the diagnostics of the map a [`Failure`] could not load to standard output in
/// `format` (nothing for the human format: standard error has them), and hands the failure
/// back for its exit code and its text on standard error.
pub fn report(failure: Failure, format: CheckFormat) -> Failure {
    let Some(loaded) = failure.invalid_map.as_deref() else {
        return failure;
    };
    let written = match format {
        CheckFormat::Human => Ok(()),
        CheckFormat::Json => crate::stdout::json(&json(loaded)),
        CheckFormat::Sarif => crate::stdout::json(&sarif(loaded)),
        CheckFormat::Github => crate::stdout::text(&github(loaded)),
        CheckFormat::Junit => crate::stdout::text(&junit(loaded)),
    };
    written.err().unwrap_or(failure)
}

/// For the commands whose only machine format is JSON (`diff`, `timeline`, `ropa`, `ccpa`):
/// with `json`, the diagnostics of a file that cannot be loaded are written as the JSON
/// `errors` document, as `check --format json` writes them.
pub fn json_when(json: bool) -> impl Fn(Failure) -> Failure {
    move |failure| {
        if json {
            report(failure, CheckFormat::Json)
        } else {
            failure
        }
    }
}
