//! What the rulebook says besides the rules: finding codes and their severity, advisories on
//! ambiguous points, the instruments it cites with the day each exists in law, and statements
//! of law in the wording of the documents the tool writes.

use serde::{Deserialize, Serialize};

use super::{Citation, Condition, Date};

/// How severe a finding is. `error` makes `xborder check` exit 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

/// Documentation of one stable finding code, printed by `xborder explain`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct CodeDoc {
    pub code: String,
    pub title: String,
    /// The severity of every finding with this code, in every output (text, JSON, SARIF,
    /// JUnit, GitHub, the audit report) and for the exit code.
    pub severity: Severity,
    /// The severity instead when the finding is about one claimed mechanism and the hop stands
    /// on another (a hop is lawful if any claimed mechanism is valid). Absent: `severity`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity_if_hop_stands: Option<Severity>,
    pub meaning: String,
    pub why: String,
    pub citation: Citation,
    /// Where the facts were researched (addresses, documents): provenance, not law.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
    pub fix: String,
}

/// A point the research marks as ambiguous or a legal risk: reported as a warning whenever a
/// hop's verdict rests on what it describes (never as a pass or a fail on its own).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Advisory {
    pub id: String,
    /// Finding code the engine reports (`XB012`, `XB013`, ...).
    pub code: String,
    pub regime: String,
    pub when: AdvisoryWhen,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invalid_from: Option<Date>,
    pub message: String,
    pub citation: Citation,
    /// Where the facts were researched (addresses, documents): provenance, not law.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
    /// The severity of its findings; absent: the code's (`codes.yaml`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<Severity>,
}

/// What a hop must rest on for an advisory to apply. All given fields must hold.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct AdvisoryWhen {
    /// The deciding mechanism kind (`dpf`, `scc`, `adequacy`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mechanism: Option<String>,
    /// For SCCs: the set version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scc_version: Option<String>,
    /// The adequacy decision id the hop rests on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destination: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub importer: Option<Condition>,
    /// Said of every transfer hop of the regime (a duty that goes with every transfer, such
    /// as a notice to the individuals): written out, so that an empty `when` stays an error.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub every_hop: bool,
}

/// An instrument the rulebook cites, with the date from which it exists in law (adoption,
/// entry into force or judgment): a finding as of an earlier date must not cite it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Instrument {
    pub id: String,
    pub name: String,
    /// Texts that name the instrument in a citation.
    pub cited_as: Vec<String>,
    /// The first day it may be cited: in force, adopted (guidance) or delivered (judgments).
    pub from: Date,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
}

/// A statement of law in the wording of a document the tool writes (the audit report's
/// methodology, the record of processing's headings, the CCPA disclosure's introduction), so
/// that what reports say about the law is the rulebook's too. `{name}` placeholders are filled
/// by the writer (the audit's `{horizon-days}`, the record's `{map}` and `{as-of}`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct DocumentText {
    pub id: String,
    pub text: String,
}
