//! The audit report: an evaluation, its inputs and its context laid out as a [`Document`]
//! with the sections an auditor expects (`PRODUCT.md`, "Report contents an auditor
//! expects"). Pure: every date, hash and identifier comes in through [`AuditInput`].
//!
//! This module holds what the report is made from, the document around its sections, and
//! the tones and labels the sections share. Each part of the report is a module of its
//! own, listed in order in [`audit_document`]: a new page is a new module and one line
//! there.
//! - `cover`: the cover and the executive summary;
//! - `actions`: what to do, the open findings grouped by remedy;
//! - `scope`: scope and the criteria in force;
//! - `methodology`: how the hops are judged;
//! - `figure`: the data-flow figure, entity by entity;
//! - `overview`: the data-flow figure of a large map, by country and kind of entity;
//! - `register`: the transfer register, one row per hop;
//! - `findings`: the findings by severity (and the finding table the other parts share);
//! - `finding_groups`: findings of one code and reasoning on many hops as one entry;
//! - `accepted`: the accepted risks, with `--accept`;
//! - `expiring`: the mechanisms expiring within the horizon;
//! - `changes`: the changes since a base map, with a base map;
//! - `sign_off`: the sign-off, or the unsigned-draft notice;
//! - `appendix`: how to verify the report, and the finding codes.

mod accepted;
mod actions;
mod appendix;
mod changes;
mod cover;
mod expiring;
mod figure;
mod finding_groups;
mod findings;
mod methodology;
mod overview;
mod register;
mod scope;
mod sign_off;

use chrono::NaiveDateTime;
use xborder_engine::{Comparison, Evaluation, Expiry, Verdict};
use xborder_law::{Rulebook, Severity};
use xborder_model::Map;

use crate::provenance::{self, InputFile, Made};
use xborder_pdf::{Document, Meta, Tone};

pub use figure::{FIGURE_MAX_EDGES, FIGURE_MAX_ENTITIES};
pub(crate) use findings::{finding_columns, finding_rows};

/// Who signs the report, as printed in the sign-off block.
#[derive(Debug, Clone)]
pub struct Signer {
    pub name: String,
    pub role: String,
    /// Subject of the signing certificate.
    pub certificate_subject: String,
    /// SHA-256 fingerprint of the signing certificate (hex).
    pub certificate_sha256: String,
    /// The signature's digest and algorithm in words, e.g. `SHA-256, ECDSA P-256`.
    pub signature: String,
}

/// The base map a report compares against ("changes since").
#[derive(Debug, Clone)]
pub struct BaseInput<'a> {
    pub file: &'a str,
    pub map: &'a Map,
    pub sha256: &'a str,
    pub comparison: &'a Comparison,
}

/// Everything an audit report is made from.
#[derive(Debug, Clone)]
pub struct AuditInput<'a> {
    pub map: &'a Map,
    pub map_file: &'a str,
    pub map_sha256: &'a str,
    pub rulebook: &'a Rulebook,
    pub evaluation: &'a Evaluation,
    /// Hops whose verdict worsens within the horizon after the as-of date.
    pub expiring: &'a [Expiry],
    pub horizon_days: i64,
    pub base: Option<BaseInput<'a>>,
    pub organisation: &'a str,
    pub report_id: &'a str,
    pub document_id: [u8; 16],
    pub generated_at: NaiveDateTime,
    pub tool_version: &'a str,
    /// `None` renders an unsigned draft, watermarked on every page.
    pub signer: Option<Signer>,
    /// The risk acceptances applied to the evaluation (`--accept`), if any.
    pub acceptances: Option<AcceptancesInput<'a>>,
}

/// A risk acceptance file: listed in its own section, each acceptance with what it covers.
#[derive(Debug, Clone)]
pub struct AcceptancesInput<'a> {
    pub file: &'a str,
    pub sha256: &'a str,
    pub list: &'a [xborder_model::Acceptance],
}

/// The watermark of reports made without a signing key.
pub const UNSIGNED: &str = "UNSIGNED DRAFT";

/// Builds the audit report document.
pub fn audit_document(input: &AuditInput<'_>) -> Document {
    let eval = input.evaluation;
    let as_of = eval.as_of;
    let meta = Meta {
        title: format!(
            "Cross-border transfer audit — {} — as of {as_of}",
            input.organisation
        ),
        author: provenance::author(input.signer.as_ref()),
        subject: format!(
            "Transfer audit of {} as of {as_of}; report {}",
            input.map_file, input.report_id
        ),
        keywords: "GDPR Chapter V, international transfers, audit, xborder".to_string(),
        language: provenance::LANGUAGE.to_string(),
        created: input.generated_at,
        document_id: input.document_id,
        custom_info: provenance::info(
            &made(input),
            input.report_id,
            &InputFile::map(input.map_file, input.map_sha256),
            Vec::new(),
        ),
    };
    // The sections in order; `None` where a section does not apply to this report.
    let sections = [
        Some(cover::cover(input)),
        Some(cover::summary(input)),
        Some(actions::actions(input)),
        Some(scope::scope(input)),
        Some(methodology::methodology(input)),
        Some(figure::figure(input)),
        Some(register::register(input)),
        Some(findings::findings(input)),
        accepted::accepted_risks(input),
        Some(expiring::expiring(input)),
        changes::changes(input),
        Some(sign_off::sign_off(input)),
        Some(appendix::appendix(input)),
    ];
    Document {
        meta,
        watermark: input.signer.is_none().then(|| UNSIGNED.to_string()),
        running_header: format!(
            "{} · transfer audit as of {as_of} · {}",
            input.organisation, input.report_id
        ),
        sections: sections.into_iter().flatten().collect(),
    }
}

/// When and with what the report was made.
fn made<'a>(input: &AuditInput<'a>) -> Made<'a> {
    Made {
        as_of: input.evaluation.as_of,
        generated_at: input.generated_at,
        tool_version: input.tool_version,
        rulebook: input.rulebook,
    }
}

/// The tone a verdict is printed in.
pub fn verdict_tone(v: Verdict) -> Tone {
    match v {
        Verdict::NotATransfer => Tone::Muted,
        Verdict::Lawful => Tone::Good,
        Verdict::Conditional => Tone::Caution,
        Verdict::Unlawful => Tone::Bad,
    }
}

/// The tone a finding's severity is printed in.
pub(crate) fn severity_tone(s: Severity) -> Tone {
    match s {
        Severity::Error => Tone::Bad,
        Severity::Warning => Tone::Caution,
        Severity::Info => Tone::Muted,
    }
}

/// An entity as "name (country)", or its id when the map has no such entity.
pub(crate) fn entity_label(map: &Map, id: &str) -> String {
    map.entities
        .iter()
        .find(|e| e.id == id)
        .map_or_else(|| id.to_string(), |e| format!("{} ({})", e.name, e.country))
}
