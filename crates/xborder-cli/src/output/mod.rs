//! The outputs of `xborder check`, one module per `--format`: compiler-style text
//! ([`human`]), the JSON result contract ([`json`](mod@json)), SARIF ([`sarif`]), JUnit XML
//! ([`junit`]) and GitHub workflow commands ([`github`]). Each module writes both the result
//! of a check and the problems of a map that cannot be loaded ([`unusable`]), and
//! [`format`](fn@format) is the one place that maps a `--format` to its module.
//!
//! A new format is a module here implementing [`Format`], one line in
//! [`format`](fn@format), and its variant of `CheckFormat` (`cli.rs`).

pub mod github;
pub mod human;
pub mod json;
pub mod junit;
mod pretty;
pub mod sarif;
pub mod unusable;
pub mod vendor;

use xborder_engine::{Baseline, Evaluation, Finding};
use xborder_law::Rulebook;
use xborder_model::Map;
use xborder_review::WhatIf;

use crate::cli::{CheckFormat, MinSeverity};
use crate::input::{AcceptanceFile, Failure, LoadedMap};
use unusable::UnusableInput;

pub use human::finding_text;
pub use json::{FileRef, RulebookRef, finding_json, json, write_json};

/// Everything the result of a check is written from, as `cmd/check.rs` has judged it.
pub struct CheckResult<'a> {
    /// The evaluation of the map: hops, findings (acceptances applied), summary.
    pub eval: &'a Evaluation,
    /// The map file: its path, SHA-256, diagnostics (and its text for the formats that
    /// [quote it](Format::quotes_map)).
    pub loaded: &'a LoadedMap,
    /// The map as read from the file.
    pub map: &'a Map,
    /// The rulebook the map was judged by.
    pub rulebook: &'a Rulebook,
    /// The current findings, each with its baseline state (`New` without `--base`).
    pub states: &'a [(Baseline, &'a Finding)],
    /// The findings of the base map the current map no longer has (`--base`).
    pub resolved: &'a [&'a Finding],
    /// Whether the map was compared with a base map (`--base`).
    pub with_base: bool,
    /// The hops an assumption changes (`--what-if`).
    pub what_if: Option<&'a WhatIf>,
    /// The risk acceptance file applied (`--accept`).
    pub acceptances: Option<&'a AcceptanceFile>,
    /// The least severe findings the human output lists (`--min-severity`).
    pub min_severity: MinSeverity,
}

/// A format of `xborder check`: how it writes a result, and how it writes the problems of a
/// map that cannot be loaded, on standard output.
pub trait Format {
    /// Whether the result quotes the map's lines: the other formats let the map's text go
    /// (as large as the map file) before the map is judged.
    fn quotes_map(&self) -> bool {
        false
    }

    /// Writes the result of a check.
    fn result(&self, result: &CheckResult<'_>) -> Result<(), Failure>;

    /// Writes the problems of an input that could not be used, a map or the rulebook (the
    /// command then exits 2).
    fn unusable(&self, input: &UnusableInput) -> Result<(), Failure>;
}

/// The module that writes `format`: the one dispatch on `--format`, for a result
/// (`cmd/check.rs`) and for a map that cannot be loaded ([`unusable::report`]).
pub fn format(format: CheckFormat) -> &'static dyn Format {
    match format {
        CheckFormat::Human => &human::Human,
        CheckFormat::Json => &json::Json,
        CheckFormat::Sarif => &sarif::Sarif,
        CheckFormat::Junit => &junit::Junit,
        CheckFormat::Github => &github::Github,
    }
}
