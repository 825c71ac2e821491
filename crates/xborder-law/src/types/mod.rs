//! The rulebook's vocabulary: every legal fact the engine uses, as plain data.
//!
//! These types are deserialized straight from `data/rulebook/*.yaml` (kebab-case keys,
//! unknown keys rejected). Every entry that states law carries a `citation`; every entry
//! that changes with time carries a [`Validity`]. Where the research behind an entry is
//! marked UNCONFIRMED or ambiguous, the entry carries `unconfirmed: "why"` and the engine
//! turns reliance on it into a warning instead of a pass or a fail.
//!
//! One module per family of rulebook sections, all re-exported here: regimes and regions
//! (`regimes`), the facts rules test (`conditions`), adequacy, frameworks and bridges
//! (`adequacy`), SCC sets (`scc`), tools, derogations and mechanism kinds (`tools`),
//! onward-transfer rules (`onward`), exemptions, thresholds, prerequisites and
//! negative lists (`rules`), codes, advisories, instruments and texts (`texts`),
//! and the vendor review (`vendor`). This module keeps what they share: dates, validity, the
//! manifest and the shape of one rulebook file.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

mod adequacy;
mod conditions;
mod onward;
mod regimes;
mod rules;
mod scc;
mod texts;
mod tools;
mod vendor;

pub use crate::citation::{Citation, CitationText};
pub use adequacy::*;
pub use conditions::*;
pub use onward::*;
pub use regimes::*;
pub use rules::*;
pub use scc::*;
pub use texts::*;
pub use tools::*;
pub use vendor::*;

/// A calendar date (`YYYY-MM-DD`).
pub type Date = NaiveDate;

/// When an entry is in force (entries write `from`, `until`, `invalid-from` inline; see
/// [`Dated::validity`]). Both ends are inclusive: `from` is the first day it may be
/// relied on, `until` the last. An instrument struck down by a judgment is written with
/// `invalid-from` (the day of the judgment: no grace period, EDPB FAQ of 23 Jul 2020 on
/// C-311/18); the loader folds it into `until` = the day before.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Validity {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invalid_from: Option<Date>,
}

impl Validity {
    /// The last day on which the entry may be relied on, if any.
    pub fn last_day(&self) -> Option<Date> {
        match (self.until, self.invalid_from.and_then(|d| d.pred_opt())) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Whether the entry is in force on `date` (both ends inclusive).
    pub fn contains(&self, date: Date) -> bool {
        self.from.is_none_or(|f| f <= date) && self.last_day().is_none_or(|u| date <= u)
    }

    /// The days both validities hold (a part of an entry, such as a derogation ground, is in
    /// force only while the entry is).
    pub fn within(&self, outer: &Validity) -> Validity {
        let later = |a: Option<Date>, b: Option<Date>| match (a, b) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        let earlier = |a: Option<Date>, b: Option<Date>| match (a, b) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        Validity {
            from: later(self.from, outer.from),
            until: earlier(self.last_day(), outer.last_day()),
            invalid_from: None,
        }
    }
}

/// Rulebook manifest (`rulebook.yaml`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Manifest {
    pub format: u32,
    /// Version of the rulebook content, e.g. `2026.11.0`.
    pub version: String,
    pub title: String,
    /// The date up to which the research behind the rulebook was checked.
    pub researched: Date,
    #[serde(default)]
    pub notes: Vec<String>,
    /// Base categories every map written against the format may use without declaring them,
    /// so the loader requires the rulebook to define them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub required_categories: Vec<String>,
}

/// One rulebook file: any subset of the sections. The loader merges all files of a directory.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RulebookFile {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rulebook: Option<Manifest>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub regimes: Vec<Regime>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub regions: Vec<Region>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<BaseCategory>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub adequacy: Vec<AdequacyDecision>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bridges: Vec<Bridge>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scc_sets: Vec<SccSet>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tools: Vec<TransferTool>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub advisories: Vec<Advisory>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub codes: Vec<CodeDoc>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mechanism_kinds: Vec<MechanismKindDef>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_transfers: Vec<NotATransfer>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub transfer_rules: Vec<TransferRule>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub instruments: Vec<Instrument>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub vendor_review: Vec<VendorLaw>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub texts: Vec<DocumentText>,
}

/// Entries that carry `from` / `until` / `invalid-from` inline.
pub trait Dated {
    fn validity(&self) -> Validity;
}

macro_rules! dated {
    ($($t:ty),*) => {$(
        impl Dated for $t {
            fn validity(&self) -> Validity {
                Validity { from: self.from, until: self.until, invalid_from: self.invalid_from }
            }
        }
    )*};
}

dated!(
    VendorLaw,
    DerogationGround,
    NotATransfer,
    RegimePeriod,
    Membership,
    Exclusion,
    AdequacyDecision,
    Bridge,
    SccTerms,
    TransferTool,
    TransferRule,
    Advisory
);
