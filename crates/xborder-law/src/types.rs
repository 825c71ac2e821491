//! The rulebook's vocabulary: every legal fact the engine uses, as plain data.
//!
//! These types are deserialized straight from `data/rulebook/*.yaml` (kebab-case keys,
//! unknown keys rejected). Every entry that states law carries a `citation`; every entry
//! that changes with time carries a [`Validity`]. Where the research behind an entry is
//! marked UNCONFIRMED or ambiguous, the entry carries `unconfirmed: "why"` and the engine
//! turns reliance on it into a warning instead of a pass or a fail.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

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
}

/// The roles of exporter and importer on one hop (GDPR Art. 4(7), 4(8)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    Controller,
    Processor,
}

/// `controller->processor` and friends, as written in maps and in the rulebook.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RolePair {
    pub exporter: Role,
    pub importer: Role,
}

/// How severe a finding is. `error` makes `xborder check` exit 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    Info,
    Warning,
    Error,
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
}

/// A legal regime whose data keeps its protection along every onward hop (GDPR Art. 44).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Regime {
    /// `eu-gdpr`, `uk-gdpr`, `ch-fadp`.
    pub id: String,
    pub name: String,
    /// The law in force over time (e.g. Directive 95/46/EC before 25 May 2018, then the GDPR).
    pub periods: Vec<RegimePeriod>,
    /// Countries in which data is inside the regime: a hop into them is not a transfer.
    pub territory: Vec<Membership>,
    /// Whether the regime restricts transfers out of its territory at all (CCPA does not).
    #[serde(default = "yes")]
    pub restricts_transfers: bool,
}

fn yes() -> bool {
    true
}

/// One period of a regime's law.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RegimePeriod {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invalid_from: Option<Date>,
    pub citation: String,
}

/// Countries that belong to a territory or region over an interval.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Membership {
    /// ISO 3166-1 alpha-2 codes, or ISO 3166-2 subdivision codes (`US-CA`) for a regime whose
    /// territory is part of a country. A subdivision of a listed country is inside with it.
    pub countries: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invalid_from: Option<Date>,
    pub citation: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A region name usable as the country of data subjects in maps (`EEA`, `EU`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Region {
    pub id: String,
    pub name: String,
    pub members: Vec<Membership>,
}

/// Whether a base category is ordinary or gets extra protection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CategoryClass {
    Ordinary,
    /// GDPR Art. 9(1) special categories.
    Special,
    /// GDPR Art. 10 criminal convictions and offences.
    Criminal,
    /// Children's data (GDPR Art. 8, recital 38).
    Children,
}

/// A base data category that maps refer to directly or through `like:`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct BaseCategory {
    pub id: String,
    pub name: String,
    pub class: CategoryClass,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub citation: Option<String>,
}

/// Sectors an importer can belong to (map field `sector`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Sector {
    Private,
    Public,
    Nonprofit,
    Academic,
}

/// A fact about the importer or the hop that a scope rule tests. All given fields must hold.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Condition {
    /// Importer's `sector` is one of these.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sector: Option<Vec<Sector>>,
    /// Importer lists this fact in `subject-to`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject_to: Option<String>,
    /// The hop's `purpose` equals this value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purpose: Option<String>,
    /// The hop carries at least one of these categories (base ids; map categories match
    /// through their `like`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub categories: Option<Vec<String>>,
}

/// Part of a scope that is carved out, possibly only for a while.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Exclusion {
    pub when: Condition,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invalid_from: Option<Date>,
    pub citation: String,
}

/// Who an adequacy decision covers.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Scope {
    /// Human summary printed by `xborder rules`.
    pub summary: String,
    /// The importer must meet at least one of these; empty = every importer in the destination.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub covers_any: Vec<Condition>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub excludes: Vec<Exclusion>,
}

/// Adequacy that holds only for importers certified under a framework (Safe Harbor,
/// Privacy Shield, DPF, UK extension): the map's `certifications` must list it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct FrameworkRef {
    /// Certification id as written in maps (`eu-us-privacy-shield`).
    pub id: String,
    /// Mechanism kind a map uses to claim it (`privacy-shield`).
    pub mechanism: String,
}

/// An adequacy finding (GDPR Art. 45, UK GDPR Art. 45 / 45A, revFADP Art. 16(1) + Annex 1 DPO).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct AdequacyDecision {
    pub id: String,
    pub regime: String,
    /// ISO 3166-1 alpha-2 destination; `None` for an international organisation matched
    /// through the scope (e.g. `subject-to: european-patent-organisation`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destination: Option<String>,
    pub name: String,
    /// Official reference, e.g. `Commission Decision 2002/2/EC`.
    pub reference: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invalid_from: Option<Date>,
    pub scope: Scope,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub framework: Option<FrameworkRef>,
    pub citation: String,
    /// Onward-transfer rule that travels with data received under this decision.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub onward: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unconfirmed: Option<String>,
}

/// A hop that the law says is not a transfer for a while (EU→UK under TCA Art. FINPROV.10A).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Bridge {
    pub id: String,
    pub regime: String,
    pub destination: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invalid_from: Option<Date>,
    pub citation: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unconfirmed: Option<String>,
}

/// One module of an SCC set, or the single role pair of a pre-2021 set (`number` absent).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct SccModule {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<u8>,
    /// `controller->processor` etc.
    pub roles: String,
    /// The clause governing onward transfers by the importer, cited.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub onward: Option<String>,
}

/// Which additions a regime demands when it accepts a set (UK Addendum, Swiss adaptations).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SccRequirement {
    UkAddendum,
    SwissAdapted,
}

/// How one regime treats one SCC set over time.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct SccTerms {
    pub regime: String,
    /// `from`: first day the set may be relied on under this regime; `until` / `invalid-from`
    /// a hard end for every contract.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invalid_from: Option<Date>,
    /// Last day a new contract on this set may be concluded (`signed`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_contracts_until: Option<Date>,
    /// Last day a contract concluded by `new-contracts-until` still provides safeguards,
    /// provided the processing operations stay unchanged (2021/914 Art. 4(4)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grandfathered_until: Option<Date>,
    /// First day a documented transfer impact assessment is expected for this tool: the
    /// case-by-case assessment the CJEU required in C-311/18 (16 Jul 2020), adopted for Swiss
    /// transfers by the FDPIC on 8 Sep 2020. Absent: always expected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tia_from: Option<Date>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub requires: Vec<SccRequirement>,
    pub citation: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unconfirmed: Option<String>,
}

/// A set of standard contractual clauses (GDPR Art. 46(2)(c); Directive 95/46 Art. 26(4)).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct SccSet {
    /// `2001/497`, `2004/915`, `2010/87`, `2021/914`.
    pub version: String,
    pub name: String,
    pub reference: String,
    pub citation: String,
    pub modules: Vec<SccModule>,
    pub terms: Vec<SccTerms>,
}

/// What a transfer tool makes of a hop when it is valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ToolEffect {
    /// Art. 46 appropriate safeguard: lawful with conditions (transfer impact assessment and
    /// supplementary measures, C-311/18 paras 134-135; EDPB Recommendations 01/2020).
    Safeguard,
    /// Art. 49 derogation: lawful only when occasional, with the ground's conditions.
    Derogation,
}

/// A transfer tool other than SCCs and adequacy: IDTA, BCRs, derogations, other regimes' tools.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TransferTool {
    /// Map mechanism kind: `idta`, `bcr`, `derogation`, `lgpd-scc`, `pipl-standard-contract`, `pia`.
    pub kind: String,
    pub regime: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invalid_from: Option<Date>,
    pub effect: ToolEffect,
    /// A documented transfer impact / risk assessment is expected (`tia:` on the mechanism).
    #[serde(default)]
    pub needs_tia: bool,
    /// First day a documented transfer impact assessment is expected for this tool: the
    /// case-by-case assessment the CJEU required in C-311/18 (16 Jul 2020), adopted for Swiss
    /// transfers by the FDPIC on 8 Sep 2020. Absent: always expected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tia_from: Option<Date>,

    /// For derogations: the grounds this regime knows, each with its conditions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub grounds: Vec<DerogationGround>,
    pub citation: String,
    /// Context that is not a legal condition (e.g. why the entry has no `from`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unconfirmed: Option<String>,
}

/// One Art. 49 ground and what it demands.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct DerogationGround {
    /// Map value: `explicit-consent`, `contract`, ...
    pub ground: String,
    pub conditions: String,
    pub citation: String,
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
    pub citation: String,
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
    pub citation: String,
    pub fix: String,
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
    RegimePeriod,
    Membership,
    Exclusion,
    AdequacyDecision,
    Bridge,
    SccTerms,
    TransferTool,
    Advisory
);
