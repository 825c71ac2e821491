//! Renderers of a check result: compiler-style text, the JSON result contract, SARIF,
//! JUnit XML and GitHub workflow commands.

pub mod github;
pub mod junit;
pub mod sarif;
pub mod vendor;

use codespan_reporting::diagnostic::{Diagnostic as Report, Label, Severity as ReportSeverity};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::Config;
use serde_json::{Value, json};
use xborder_engine::{Baseline, Evaluation, Finding};
use xborder_law::{Rulebook, Severity};

use crate::diagnostics::span;
use crate::input::LoadedMap;

/// The JSON result contract of `DATA-MAP.md` (`format: 1`), extended with `regime`,
/// `destination`, `remediation` (and `baseline` with `--base`) on findings, `basis` and
/// `categories` on hops, and `resolved` findings with `--base`.
pub fn json(
    eval: &Evaluation,
    map: &LoadedMap,
    rulebook: &Rulebook,
    states: &[(Baseline, &Finding)],
    resolved: &[&Finding],
    with_base: bool,
) -> Value {
    let findings: Vec<Value> = states
        .iter()
        .map(|(b, f)| {
            let mut v = finding_json(f, &map.path);
            if with_base {
                v["baseline"] = json!(baseline_word(*b));
            }
            v
        })
        .collect();
    let mut doc = json!({
        "format": 1,
        "as_of": eval.as_of.to_string(),
        "inputs": {
            "map": { "path": map.path, "sha256": map.sha256 },
            "rulebook": { "version": rulebook.manifest.version, "sha256": rulebook.sha256 },
        },
        "hops": eval.hops,
        "findings": findings,
        "summary": eval.summary,
    });
    if with_base {
        doc["resolved"] = json!(
            resolved
                .iter()
                .map(|f| finding_json(f, "(base)"))
                .collect::<Vec<_>>()
        );
    }
    doc
}

pub fn baseline_word(b: Baseline) -> &'static str {
    match b {
        Baseline::New => "new",
        Baseline::Unchanged => "unchanged",
        Baseline::Resolved => "resolved",
    }
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

/// Findings as compiler diagnostics (new ones first with `--base`; errors, then warnings,
/// then notes), followed by the summary.
pub fn human(
    eval: &Evaluation,
    map: &LoadedMap,
    states: &[(Baseline, &Finding)],
    resolved: &[&Finding],
    with_base: bool,
) -> String {
    let file = SimpleFile::new(map.path.as_str(), map.text.as_str());
    let config = Config::default();
    let mut out = String::new();
    let mut ordered: Vec<&(Baseline, &Finding)> = states.iter().collect();
    ordered.sort_by_key(|(b, f)| {
        (
            *b != Baseline::New,
            std::cmp::Reverse(f.severity),
            f.loc.line,
            f.code.clone(),
        )
    });
    let mut heading = None;
    for (b, f) in ordered {
        if with_base && heading != Some(*b) {
            heading = Some(*b);
            let n = states.iter().filter(|(x, _)| x == b).count();
            out.push_str(&format!("== {} finding(s): {n} ==\n\n", baseline_word(*b)));
        }
        out.push_str(&finding_text(f, &file, &map.text, &config));
    }
    if with_base && !resolved.is_empty() {
        out.push_str(&format!("== resolved finding(s): {} ==\n", resolved.len()));
        for f in resolved {
            out.push_str(&format!(
                "  {} {} flow {} {} → {}: {}\n",
                f.code,
                f.severity.as_str(),
                f.flow,
                f.regime,
                f.destination,
                f.message
            ));
        }
        out.push('\n');
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
        "as of {}: {} hops — {} not a transfer, {} lawful, {} conditional, {} unlawful; {} error(s), {} warning(s)",
        eval.as_of, s.hops, s.not_a_transfer, s.lawful, s.conditional, s.unlawful, errors, warnings
    ));
    if with_base {
        let new = states.iter().filter(|(b, _)| *b == Baseline::New).count();
        out.push_str(&format!(
            "; against the base: {new} new, {} unchanged, {} resolved",
            states.len() - new,
            resolved.len()
        ));
    }
    out.push('\n');
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
    if crate::style::emit_diagnostic(
        &mut out,
        crate::style::Stream::Stdout,
        config,
        file,
        &report,
    )
    .is_err()
    {
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
