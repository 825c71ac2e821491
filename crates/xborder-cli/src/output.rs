//! Renderers of a check result: compiler-style text and the JSON result contract.

use codespan_reporting::diagnostic::{Diagnostic as Report, Label, Severity as ReportSeverity};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, Config};
use serde_json::{Value, json};
use xborder_engine::{Evaluation, Finding};
use xborder_law::{Rulebook, Severity};

use crate::diagnostics::span;
use crate::input::LoadedMap;

/// The JSON result contract of `DATA-MAP.md` (`format: 1`), extended with `regime`,
/// `destination` and `remediation` on findings and `basis`, `categories` on hops.
pub fn json(eval: &Evaluation, map: &LoadedMap, rulebook: &Rulebook) -> Value {
    let findings: Vec<Value> = eval
        .findings
        .iter()
        .map(|f| finding_json(f, &map.path))
        .collect();
    json!({
        "format": 1,
        "as_of": eval.as_of.to_string(),
        "inputs": {
            "map": { "path": map.path, "sha256": map.sha256 },
            "rulebook": { "version": rulebook.manifest.version, "sha256": rulebook.sha256 },
        },
        "hops": eval.hops,
        "findings": findings,
        "summary": eval.summary,
    })
}

pub fn finding_json(f: &Finding, path: &str) -> Value {
    json!({
        "code": f.code,
        "severity": f.severity,
        "flow": f.flow,
        "regime": f.regime,
        "destination": f.destination,
        "message": f.message,
        "citation": f.citation,
        "path": f.path,
        "remediation": f.remediation,
        "location": { "file": path, "line": f.loc.line, "column": f.loc.column },
    })
}

/// Findings as compiler diagnostics (errors first, then warnings, then notes), followed by
/// the summary.
pub fn human(eval: &Evaluation, map: &LoadedMap) -> String {
    let file = SimpleFile::new(map.path.as_str(), map.text.as_str());
    let config = Config::default();
    let mut out = String::new();
    let mut ordered: Vec<&Finding> = eval.findings.iter().collect();
    ordered.sort_by_key(|f| (std::cmp::Reverse(f.severity), f.loc.line, f.code.clone()));
    for f in ordered {
        out.push_str(&finding_text(f, &file, &map.text, &config));
    }
    let s = &eval.summary;
    let errors = eval
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let warnings = eval
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Warning)
        .count();
    out.push_str(&format!(
        "as of {}: {} hops — {} not a transfer, {} lawful, {} conditional, {} unlawful; {} error(s), {} warning(s)\n",
        eval.as_of, s.hops, s.not_a_transfer, s.lawful, s.conditional, s.unlawful, errors, warnings
    ));
    out
}

pub fn finding_text(
    f: &Finding,
    file: &SimpleFile<&str, &str>,
    text: &str,
    config: &Config,
) -> String {
    let severity = match f.severity {
        Severity::Error => ReportSeverity::Error,
        Severity::Warning => ReportSeverity::Warning,
        Severity::Info => ReportSeverity::Note,
    };
    let report = Report::new(severity)
        .with_code(&f.code)
        .with_message(&f.message)
        .with_labels(vec![Label::primary((), span(text, f.loc)).with_message(
            format!("flow {} · {} → {}", f.flow, f.regime, f.destination),
        )])
        .with_notes(vec![
            format!("path: {}", f.path.join(" → ")),
            format!("citation: {}", f.citation),
            format!("fix: {}", f.remediation),
        ]);
    let mut out = String::new();
    if term::emit_to_string(&mut out, config, file, &report).is_err() {
        out = format!("{}[{}]: {}\n", f.severity_word(), f.code, f.message);
    }
    out
}

trait SeverityWord {
    fn severity_word(&self) -> &'static str;
}

impl SeverityWord for Finding {
    fn severity_word(&self) -> &'static str {
        match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "note",
        }
    }
}
