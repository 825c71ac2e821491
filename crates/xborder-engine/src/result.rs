//! What an evaluation returns: hops with verdicts, findings, and the summary — the shape of
//! the JSON result contract in `docs/format.md` (the CLI adds the input section and file
//! names to locations).

use std::borrow::Borrow;
use std::collections::HashMap;
use std::sync::Arc;

use chrono::NaiveDate;
use serde::Serialize;
use xborder_law::{Code, Severity};
use xborder_model::Loc;

use xborder_model::Text;
/// A witness path shared by a hop and its findings.
pub type Path = std::sync::Arc<[Text]>;

/// A hop's finding codes in the order first found, shared by the hops with the same list: a
/// large map has a million hops and a few hundred lists.
pub type Codes = std::sync::Arc<[Code]>;

/// The verdict on one hop for one regime and one destination country.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Chapter V is not engaged: inside the territory, direct collection, or a bridge.
    NotATransfer,
    /// Adequacy-type basis: nothing more is needed for the transfer rules.
    Lawful,
    /// An Art. 46 tool or a derogation: lawful under conditions the finding names.
    Conditional,
    /// No valid mechanism on that date.
    Unlawful,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::NotATransfer => "not-a-transfer",
            Verdict::Lawful => "lawful",
            Verdict::Conditional => "conditional",
            Verdict::Unlawful => "unlawful",
        }
    }

    /// Rank for "worst of": unlawful > conditional > lawful > not-a-transfer.
    pub fn badness(self) -> u8 {
        self as u8
    }
}

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One hop: a flow, judged under one regime for one destination country.
///
/// Fields are in the alphabetical order of their JSON names: the result contract's key order,
/// so that `check --format json` can stream hops without building a JSON tree first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hop {
    /// One line on why: the decision, set or tool relied on, with its reference.
    pub basis: Text,
    /// Data categories of the regime this hop carries; shared by the hops of one flow and
    /// regime, like the path.
    pub categories: Arc<[Text]>,
    pub codes: Codes,
    pub destination: Text,
    /// Index of the flow in the map's `flows` list, from 0.
    pub flow: usize,
    pub from: Text,
    pub id: Option<Text>,
    /// The mechanism that decided the verdict (`adequacy`, `scc`, `privacy-shield`, a
    /// bridge id ...), or `None` when there was none.
    pub mechanism: Option<Text>,
    /// Witness path: entity ids from a data source of the regime to the importer. A path
    /// longer than `propagate::WITNESS_MAX` keeps its start and its last entities.
    pub path: Path,
    /// Entities of the witness path left out after its first entry (0: the path is whole).
    #[serde(skip_serializing_if = "is_zero")]
    pub path_omitted: usize,
    pub regime: Text,
    pub to: Text,
    pub verdict: Verdict,
    #[serde(skip)]
    pub loc: Loc,
    /// The rule that decided the verdict, cited for the date (not part of the JSON result:
    /// the findings carry their citations there).
    #[serde(skip)]
    pub citation: Text,
}

/// One finding about a hop.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub code: Code,
    pub severity: Severity,
    pub flow: usize,
    pub regime: Text,
    pub destination: Text,
    /// Shared when it is rulebook text (an advisory), kept at its exact length otherwise.
    pub message: Text,
    pub citation: Text,
    pub path: Path,
    /// As on [`Hop::path_omitted`].
    #[serde(skip_serializing_if = "is_zero")]
    pub path_omitted: usize,
    /// How to fix it (from the code's documentation).
    pub remediation: Text,
    #[serde(skip)]
    pub loc: Loc,
    /// The risk acceptance that covers this finding (`--accept`), if one does: the finding
    /// stays in every output, marked, but does not fail the check.
    #[serde(skip)]
    pub accepted: Option<Box<Accepted>>,
}

/// Who accepted a finding's risk, why, until when, and where that is written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Accepted {
    pub by: String,
    /// The acceptance file and the line of the acceptance in it.
    pub file: String,
    pub line: u32,
    pub reason: String,
    pub until: NaiveDate,
}

impl Finding {
    /// Whether the finding fails a check: an error no risk acceptance covers.
    pub fn fails(&self) -> bool {
        self.severity == Severity::Error && self.accepted.is_none()
    }
}

/// Counts by verdict (fields in the alphabetical order of their JSON names, like [`Hop`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub conditional: usize,
    pub hops: usize,
    pub lawful: usize,
    #[serde(rename = "not-a-transfer")]
    pub not_a_transfer: usize,
    pub unlawful: usize,
}

impl Summary {
    /// One hop more, with its verdict.
    pub fn count(&mut self, verdict: Verdict) {
        self.hops += 1;
        match verdict {
            Verdict::NotATransfer => self.not_a_transfer += 1,
            Verdict::Lawful => self.lawful += 1,
            Verdict::Conditional => self.conditional += 1,
            Verdict::Unlawful => self.unlawful += 1,
        }
    }

    /// The counts of another set of hops added.
    pub fn add(&mut self, other: &Summary) {
        self.hops += other.hops;
        self.not_a_transfer += other.not_a_transfer;
        self.lawful += other.lawful;
        self.conditional += other.conditional;
        self.unlawful += other.unlawful;
    }
}

/// Findings by severity; `accepted` counts those a risk acceptance covers, whatever their
/// severity, and the others leave them out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FindingCounts {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub accepted: usize,
}

/// Everything `check` found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evaluation {
    pub as_of: NaiveDate,
    pub hops: Vec<Hop>,
    pub findings: Vec<Finding>,
    pub summary: Summary,
}

impl Evaluation {
    /// Whether any finding is an error no risk acceptance covers: `xborder check` exits 1.
    pub fn has_errors(&self) -> bool {
        self.findings.iter().any(Finding::fails)
    }

    /// The findings counted by severity, those a risk acceptance covers apart: the one count
    /// the text summary, the audit's conclusion and the other outputs print.
    pub fn counts(&self) -> FindingCounts {
        let mut counts = FindingCounts::default();
        for f in &self.findings {
            let slot = if f.accepted.is_some() {
                &mut counts.accepted
            } else {
                match f.severity {
                    Severity::Error => &mut counts.errors,
                    Severity::Warning => &mut counts.warnings,
                    Severity::Info => &mut counts.infos,
                }
            };
            *slot += 1;
        }
        counts
    }

    /// The index in `hops` of each hop key ([`Hop::key`]): the first hop of a key, as a scan
    /// would find it. For code that matches hops of two evaluations, or hops and expiries,
    /// with one lookup each instead of a scan.
    pub fn hops_by_key(&self) -> HashMap<(usize, &str, &str), usize> {
        let mut index = HashMap::with_capacity(self.hops.len());
        for (i, hop) in self.hops.iter().enumerate() {
            index.entry(hop.key()).or_insert(i);
        }
        index
    }
}

/// A witness path as people read it: `a → b → c`, with the left-out middle of a long path
/// shown as `… (N more) …` after its start.
pub fn path_text<S: Borrow<str>>(path: &[S], omitted: usize) -> String {
    match path.split_first() {
        Some((first, rest)) if omitted > 0 => {
            let first: &str = first.borrow();
            format!("{first} → … ({omitted} more) … → {}", rest.join(" → "))
        }
        _ => path.join(" → "),
    }
}

impl Hop {
    /// What identifies a hop within one evaluation: its flow, regime and destination.
    pub fn key(&self) -> (usize, &str, &str) {
        (self.flow, &self.regime, &self.destination)
    }

    /// The witness path as text (see [`path_text`]).
    pub fn path_text(&self) -> String {
        path_text(&self.path, self.path_omitted)
    }
}

impl Finding {
    /// The witness path as text (see [`path_text`]).
    pub fn path_text(&self) -> String {
        path_text(&self.path, self.path_omitted)
    }
}

/// Finding codes as people read them: `XB002, XB006`.
pub fn codes_text(codes: &[Code]) -> String {
    codes
        .iter()
        .map(|c| c.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}
