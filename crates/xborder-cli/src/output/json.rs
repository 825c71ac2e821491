//! `check --format json`: the JSON result contract of `docs/format.md` (`format: 1`), and
//! for a map that cannot be loaded the `errors` document (`"valid": false`). The types of the
//! contract (`FileRef`, `RulebookRef`, `FindingJson`, …) are shared with the other commands
//! that write JSON (`vendor`, `rules`, `notice`).

use serde::Serialize;
use serde_json::{Value, json};
use xborder_engine::{Baseline, Evaluation, Finding, Hop, Summary};
use xborder_law::{Rulebook, Severity};
use xborder_review::WhatIf;

use crate::input::{Failure, LoadedMap};
use crate::output::pretty::Object;
use crate::output::unusable::UnusableInput;
use crate::output::{CheckResult, Format};

/// The JSON format of `check`.
pub struct Json;

impl Format for Json {
    /// Writes the [`JsonResult`] with `what_if` and the acceptance file given.
    fn result(&self, r: &CheckResult<'_>) -> Result<(), Failure> {
        let mut doc = json(
            r.eval,
            r.loaded,
            r.rulebook,
            r.states,
            r.resolved,
            r.with_base,
        );
        doc.what_if = r.what_if;
        doc.inputs.acceptances = r.acceptances.map(|a| FileRef {
            path: &a.path,
            sha256: &a.sha256,
        });
        crate::stdout::with(|out| doc.write(out))
    }

    /// Writes the [`unusable`] document.
    fn unusable(&self, input: &UnusableInput) -> Result<(), Failure> {
        crate::stdout::json(&unusable(input))
    }
}

/// `{"errors": [...], "format": 1, "inputs": {"map": …}, "valid": false}`: each entry as in
/// `validate --format json` (with `line` and `column` null for a problem of a rulebook that
/// has no place in a file).
pub fn unusable(input: &UnusableInput) -> Value {
    let errors: Vec<Value> = input
        .problems
        .iter()
        .map(|p| crate::diagnostics::entry(&p.file, &p.diagnostic))
        .collect();
    let given = match &input.sha256 {
        Some(sha256) => json!({ "path": input.path, "sha256": sha256 }),
        None => json!({ "path": input.path }),
    };
    json!({
        "errors": errors,
        "format": 1,
        "inputs": { input.key: given },
        "message": input.headline(),
        "valid": false,
    })
}

/// The JSON result contract of `docs/format.md` (`format: 1`), extended with `regime`,
/// `destination`, `remediation` (and `baseline` with `--base`) on findings, `basis` and
/// `categories` on hops, `resolved` findings with `--base`, and `what_if`.
///
/// The document is written straight from the evaluation (no intermediate JSON tree): a
/// large map's result is several times the size of the map, and building it twice in memory
/// would dominate the cost of a check. The findings and the hops are serialized on every
/// core ([`pretty`](super::pretty)). Keys are in alphabetical order, as a JSON object tree
/// would print them, so the bytes do not depend on how the document is produced.
pub struct JsonResult<'a> {
    /// The date the map was judged at (`--as-of`).
    pub as_of: String,
    /// The current findings, each with its file location.
    pub findings: FindingsJson<'a>,
    /// The version of the contract: 1.
    pub format: u8,
    /// Every hop of every flow with its verdict.
    pub hops: &'a [Hop],
    /// The files the result was computed from.
    pub inputs: JsonInputs<'a>,
    /// The findings of the base map the map no longer has (`--base`); absent otherwise.
    pub resolved: Option<Vec<FindingJson<'a>>>,
    /// The number of hops, in all and by verdict.
    pub summary: &'a Summary,
    /// The map's warnings (`validate` reports them too) and `outside-period`; absent when
    /// there is none.
    pub warnings: Vec<serde_json::Value>,
    /// The hops an assumption changes (`--what-if`); absent otherwise.
    pub what_if: Option<&'a WhatIf>,
}

impl JsonResult<'_> {
    /// Writes the document, indented, followed by a newline, as [`write_json`] writes any
    /// other document, with the two long lists serialized on every core.
    pub fn write(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        let mut doc = Object::begin(out, 0)?;
        doc.field("as_of", &self.as_of)?;
        doc.list("findings", self.findings.states, |(b, f)| {
            self.findings.finding(*b, f)
        })?;
        doc.field("format", &self.format)?;
        doc.list("hops", self.hops, |hop| hop)?;
        doc.field("inputs", &self.inputs)?;
        if let Some(resolved) = &self.resolved {
            doc.field("resolved", resolved)?;
        }
        doc.field("summary", self.summary)?;
        if !self.warnings.is_empty() {
            doc.field("warnings", &self.warnings)?;
        }
        if let Some(what_if) = self.what_if {
            doc.field("what_if", what_if)?;
        }
        doc.end()?;
        out.write_all(b"\n")
    }
}

/// `inputs`: what the result was computed from.
#[derive(Serialize)]
pub struct JsonInputs<'a> {
    /// The risk acceptance file (`--accept`), when one was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub acceptances: Option<FileRef<'a>>,
    /// The map file.
    pub map: FileRef<'a>,
    /// The rulebook the map was judged by.
    pub rulebook: RulebookRef<'a>,
}

/// A file and the SHA-256 of its bytes.
#[derive(Serialize)]
pub struct FileRef<'a> {
    /// The path as given on the command line.
    pub path: &'a str,
    /// The SHA-256 of the file's bytes, in hex.
    pub sha256: &'a str,
}

/// The rulebook's version and the SHA-256 of its files.
#[derive(Serialize)]
pub struct RulebookRef<'a> {
    /// The SHA-256 of the rulebook's files, in hex.
    pub sha256: &'a str,
    /// The rulebook's version (its manifest).
    pub version: &'a str,
}

impl<'a> RulebookRef<'a> {
    /// The reference to `rulebook`.
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

impl<'a> FindingsJson<'a> {
    /// The finding `f` as the contract prints it, with its baseline state under `--base`.
    fn finding(&self, b: Baseline, f: &'a Finding) -> FindingJson<'a> {
        FindingJson {
            baseline: self.with_base.then(|| baseline_word(b)),
            ..finding_json(f, self.file)
        }
    }
}

/// One finding as the contract prints it: the engine's finding plus its file location.
#[derive(Serialize)]
pub struct FindingJson<'a> {
    /// Who accepted the finding's risk, why and until when (`--accept`); absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accepted: Option<&'a xborder_engine::Accepted>,
    /// `new`, `unchanged` or `resolved` against the base map (`--base`); absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline: Option<&'static str>,
    /// The law the finding cites.
    pub citation: &'a str,
    /// The finding code (`XB…`).
    pub code: &'a str,
    /// The destination of the hop the finding is about.
    pub destination: &'a str,
    /// The flow the finding is about, as the map numbers it.
    pub flow: usize,
    /// Where the flow is in the map file.
    pub location: LocationJson<'a>,
    /// What is wrong.
    pub message: &'a str,
    /// The witness path: the entities the data goes through.
    pub path: &'a [xborder_engine::Text],
    /// Entities of the witness path left out after its first (absent when it is whole), as
    /// on the hop.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path_omitted: Option<usize>,
    /// The regime the finding is under.
    pub regime: &'a str,
    /// How to fix it.
    pub remediation: &'a str,
    /// The severity of the finding's code.
    pub severity: Severity,
}

/// `file:line:column` of the flow a finding is about.
#[derive(Serialize)]
pub struct LocationJson<'a> {
    /// The column (1-based, in characters).
    pub column: u32,
    /// The file's path.
    pub file: &'a str,
    /// The line (1-based).
    pub line: u32,
}

/// Builds the result document; write it with [`JsonResult::write`].
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

/// The word of a baseline state, as `baseline` of a finding and the human headings say it.
pub fn baseline_word(b: Baseline) -> &'static str {
    match b {
        Baseline::New => "new",
        Baseline::Unchanged => "unchanged",
        Baseline::Resolved => "resolved",
    }
}

/// One finding as the contract prints it, located in the file `path` (`(base)` for a
/// resolved finding of the base map).
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
