//! `check --format human`: the findings as compiler-style diagnostics (codespan-reporting)
//! that quote the map's lines, between two summary lines, then the what-if comparison. A map
//! that cannot be loaded writes nothing here: its problems are on standard error.

use codespan_reporting::diagnostic::{Diagnostic as Report, Label, Severity as ReportSeverity};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::Config;
use xborder_engine::{Baseline, Evaluation, Finding};
use xborder_law::Severity;

use crate::diagnostics::span;
use crate::input::{Failure, LoadedMap};
use crate::output::json::baseline_word;
use crate::output::unusable::UnusableInput;
use crate::output::{CheckResult, Format};

/// The human format of `check`.
pub struct Human;

impl Format for Human {
    fn quotes_map(&self) -> bool {
        true
    }

    /// Writes the findings with the summary line before and after them, then the what-if
    /// comparison (`--what-if`).
    fn result(&self, r: &CheckResult<'_>) -> Result<(), Failure> {
        out!(
            "{}",
            human(
                r.eval,
                r.loaded,
                r.states,
                r.resolved,
                r.with_base,
                r.min_severity
            )
        );
        if let Some(w) = r.what_if {
            out!("\n{}", crate::output::vendor::what_if_human(w));
        }
        Ok(())
    }

    /// Writes nothing: standard error has the input's problems.
    fn unusable(&self, _input: &UnusableInput) -> Result<(), Failure> {
        Ok(())
    }
}

/// Findings as compiler diagnostics (new ones first with `--base`; errors, then warnings,
/// then notes; accepted ones last), with the summary line before and after them. Findings
/// less severe than `min` are counted but not listed.
pub fn human(
    eval: &Evaluation,
    map: &LoadedMap,
    states: &[(Baseline, &Finding)],
    resolved: &[&Finding],
    with_base: bool,
    min: crate::cli::MinSeverity,
) -> String {
    let file = SimpleFile::new(map.path.as_str(), map.text.as_str());
    let config = Config::default();
    let summary = summary_line(eval, states, resolved, with_base);
    let mut out = format!(
        "{summary}

"
    );
    let mut ordered: Vec<&(Baseline, &Finding)> = states
        .iter()
        .filter(|(_, f)| min.shows(f.severity))
        .collect();
    ordered.sort_by_key(|(b, f)| {
        (
            *b != Baseline::New,
            f.accepted.is_some(),
            std::cmp::Reverse(f.severity),
            f.loc.line,
            f.code,
        )
    });
    let mut heading = None;
    for (b, f) in ordered {
        if with_base && heading != Some(*b) {
            heading = Some(*b);
            let n = b.count(states.iter().map(|(x, _)| x));
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
    out.push_str(&summary);
    out.push('\n');
    out
}

/// "as of D: N hops — …; E error(s), W warning(s)[, A accepted][; against the base: …]".
/// Errors and warnings count the findings no risk acceptance covers.
fn summary_line(
    eval: &Evaluation,
    states: &[(Baseline, &Finding)],
    resolved: &[&Finding],
    with_base: bool,
) -> String {
    let s = &eval.summary;
    let counts = eval.counts();
    let mut line = format!(
        "as of {}: {} hops — {} not a transfer, {} lawful, {} conditional, {} unlawful; {} error(s), {} warning(s)",
        eval.as_of,
        s.hops,
        s.not_a_transfer,
        s.lawful,
        s.conditional,
        s.unlawful,
        counts.errors,
        counts.warnings
    );
    if counts.accepted > 0 {
        line.push_str(&format!(", {} accepted", counts.accepted));
    }
    if with_base {
        let new = Baseline::New.count(states.iter().map(|(b, _)| b));
        line.push_str(&format!(
            "; against the base: {new} new, {} unchanged, {} resolved",
            states.len() - new,
            resolved.len()
        ));
    }
    line
}

/// One finding as a compiler diagnostic quoting the line of its flow in `text` (the file
/// `file`), with its acceptance, witness path, citation and fix as notes.
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
    // An accepted finding is shown as a note, its acceptance first: it no longer asks for
    // action before the acceptance's end.
    let (severity, message) = match &f.accepted {
        Some(_) => (
            ReportSeverity::Note,
            format!("accepted {}: {}", f.severity.as_str(), f.message),
        ),
        None => (severity, f.message.to_string()),
    };
    let mut notes = Vec::with_capacity(4);
    if let Some(a) = &f.accepted {
        notes.push(format!(
            "accepted by {} until {} ({}:{}): {}",
            a.by, a.until, a.file, a.line, a.reason
        ));
    }
    notes.extend([
        format!("path: {}", f.path_text()),
        format!("citation: {}", f.citation),
        format!("fix: {}", f.remediation),
    ]);
    let report = Report::new(severity)
        .with_code(f.code)
        .with_message(message)
        .with_labels(vec![Label::primary((), span(text, f.loc)).with_message(
            format!("flow {} · {} → {}", f.flow, f.regime, f.destination),
        )])
        .with_notes(notes);
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
