//! Renderers of a check result: compiler-style text, the JSON result contract, SARIF,
//! JUnit XML and GitHub workflow commands.

pub mod github;
pub mod junit;
pub mod sarif;
pub mod unusable;
pub mod vendor;

use codespan_reporting::diagnostic::{Diagnostic as Report, Label, Severity as ReportSeverity};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::Config;
use serde::Serialize;
use xborder_engine::{Baseline, Evaluation, Finding, Hop, Summary};
use xborder_law::{Rulebook, Severity};
use xborder_review::WhatIf;

use crate::diagnostics::span;
use crate::input::LoadedMap;

/// Where SARIF's `informationUri` points: the project's repository (Cargo.toml).
pub const INFORMATION_URI: &str = env!("CARGO_PKG_REPOSITORY");

/// The JSON result contract of `docs/format.md` (`format: 1`), extended with `regime`,
/// `destination`, `remediation` (and `baseline` with `--base`) on findings, `basis` and
/// `categories` on hops, `resolved` findings with `--base`, and `what_if`.
///
/// The document is serialized straight from the evaluation (no intermediate JSON tree): a
/// large map's result is several times the size of the map, and building it twice in memory
/// would dominate the cost of a check. Keys are in alphabetical order, as a JSON object tree
/// would print them, so the bytes do not depend on how the document is produced.
#[derive(Serialize)]
pub struct JsonResult<'a> {
    pub as_of: String,
    pub findings: FindingsJson<'a>,
    pub format: u8,
    pub hops: &'a [Hop],
    pub inputs: JsonInputs<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolved: Option<Vec<FindingJson<'a>>>,
    pub summary: &'a Summary,
    /// The map's warnings (`validate` reports them too) and `outside-period`; absent when
    /// there is none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub what_if: Option<&'a WhatIf>,
}

/// `inputs`: what the result was computed from.
#[derive(Serialize)]
pub struct JsonInputs<'a> {
    /// The risk acceptance file (`--accept`), when one was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub acceptances: Option<FileRef<'a>>,
    pub map: FileRef<'a>,
    pub rulebook: RulebookRef<'a>,
}

/// A file and the SHA-256 of its bytes.
#[derive(Serialize)]
pub struct FileRef<'a> {
    pub path: &'a str,
    pub sha256: &'a str,
}

/// The rulebook's version and the SHA-256 of its files.
#[derive(Serialize)]
pub struct RulebookRef<'a> {
    pub sha256: &'a str,
    pub version: &'a str,
}

impl<'a> RulebookRef<'a> {
    pub fn of(rulebook: &'a Rulebook) -> Self {
        RulebookRef {
            sha256: &rulebook.sha256,
            version: &rulebook.manifest.version,
        }
    }
}

/// The findings of a result, each turned into its [`FindingJson`] as it is written: a large
/// map has hundreds of thousands of findings, and a list of them made first would be held
/// next to the evaluation while the document is written.
pub struct FindingsJson<'a> {
    states: &'a [(Baseline, &'a Finding)],
    /// The map's path, as every location names it.
    file: &'a str,
    /// Whether each finding says if it is new (`check --base`).
    with_base: bool,
}

impl Serialize for FindingsJson<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.states.iter().map(|(b, f)| FindingJson {
            baseline: self.with_base.then(|| baseline_word(*b)),
            ..finding_json(f, self.file)
        }))
    }
}

/// One finding as the contract prints it: the engine's finding plus its file location.
#[derive(Serialize)]
pub struct FindingJson<'a> {
    /// Who accepted the finding's risk, why and until when (`--accept`); absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accepted: Option<&'a xborder_engine::Accepted>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline: Option<&'static str>,
    pub citation: &'a str,
    pub code: &'a str,
    pub destination: &'a str,
    pub flow: usize,
    pub location: LocationJson<'a>,
    pub message: &'a str,
    pub path: &'a [xborder_engine::Text],
    /// Entities of the witness path left out after its first (absent when it is whole), as
    /// on the hop.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path_omitted: Option<usize>,
    pub regime: &'a str,
    pub remediation: &'a str,
    pub severity: Severity,
}

/// `file:line:column` of the flow a finding is about.
#[derive(Serialize)]
pub struct LocationJson<'a> {
    pub column: u32,
    pub file: &'a str,
    pub line: u32,
}

/// Builds the result document; serialize it with [`write_json`].
pub fn json<'a>(
    eval: &'a Evaluation,
    map: &'a LoadedMap,
    rulebook: &'a Rulebook,
    states: &'a [(Baseline, &'a Finding)],
    resolved: &[&'a Finding],
    with_base: bool,
) -> JsonResult<'a> {
    JsonResult {
        as_of: eval.as_of.to_string(),
        findings: FindingsJson {
            states,
            file: &map.path,
            with_base,
        },
        format: 1,
        hops: &eval.hops,
        inputs: JsonInputs {
            acceptances: None,
            map: FileRef {
                path: &map.path,
                sha256: &map.sha256,
            },
            rulebook: RulebookRef::of(rulebook),
        },
        resolved: with_base.then(|| resolved.iter().map(|f| finding_json(f, "(base)")).collect()),
        summary: &eval.summary,
        warnings: crate::diagnostics::json(map),
        what_if: None,
    }
}

/// Writes a JSON document, indented, followed by a newline, through a buffer.
pub fn write_json(out: impl std::io::Write, doc: &impl Serialize) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut out = std::io::BufWriter::with_capacity(1 << 16, out);
    serde_json::to_writer_pretty(&mut out, doc)?;
    out.write_all(b"\n")?;
    out.flush()
}

pub fn baseline_word(b: Baseline) -> &'static str {
    match b {
        Baseline::New => "new",
        Baseline::Unchanged => "unchanged",
        Baseline::Resolved => "resolved",
    }
}

pub fn finding_json<'a>(f: &'a Finding, path: &'a str) -> FindingJson<'a> {
    FindingJson {
        accepted: f.accepted.as_deref(),
        baseline: None,
        citation: &f.citation,
        code: f.code.as_str(),
        destination: &f.destination,
        flow: f.flow,
        location: LocationJson {
            column: f.loc.column,
            file: path,
            line: f.loc.line,
        },
        message: &f.message,
        path: &f.path,
        path_omitted: (f.path_omitted > 0).then_some(f.path_omitted),
        regime: &f.regime,
        remediation: &f.remediation,
        severity: f.severity,
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
        let new = states.iter().filter(|(b, _)| *b == Baseline::New).count();
        line.push_str(&format!(
            "; against the base: {new} new, {} unchanged, {} resolved",
            states.len() - new,
            resolved.len()
        ));
    }
    line
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
