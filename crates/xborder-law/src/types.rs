//! The rulebook's vocabulary: every legal fact the engine uses, as plain data.
//!
//! These types are deserialized straight from `data/rulebook/*.yaml` (kebab-case keys,
//! unknown keys rejected). Every entry that states law carries a `citation`; every entry
//! that changes with time carries a [`Validity`]. Where the research behind an entry is
//! marked UNCONFIRMED or ambiguous, the entry carries `unconfirmed: "why"` and the engine
//! turns reliance on it into a warning instead of a pass or a fail.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub use crate::citation::{Citation, CitationText};

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
    /// Base categories every map written against the format may use without declaring them,
    /// so the loader requires the rulebook to define them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub required_categories: Vec<String>,
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
    /// What special-category and criminal data need besides a transfer mechanism under the
    /// regime (GDPR Arts. 9 and 10), said with each hop carrying them (XB008).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub special_categories: Option<RegimeRule>,
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
    pub citation: Citation,
    /// Where the facts were researched (addresses, documents): provenance, not law.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
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
    pub citation: Citation,
    /// Where the facts were researched (addresses, documents): provenance, not law.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
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
    pub citation: Option<Citation>,
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

/// What an entity is (map field `kind`), as conditions test it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EntityKind {
    Company,
    Vendor,
    Partner,
    Authority,
    Subjects,
}

/// Facts about the importer, the exporter and the hop that a rule tests. All given fields
/// must hold; `any` holds when one of its conditions does. A fact the map does not state
/// (no `subject-to`, no `purpose`, no `automated` ...) makes the condition unknown rather
/// than false: the rule that uses the condition says how an unknown is judged, and the
/// engine warns with the field to add (XB021).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Condition {
    /// Importer's `sector` is one of these.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sector: Option<Vec<Sector>>,
    /// Importer lists this fact in `subject-to` (unknown when it has no `subject-to`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject_to: Option<String>,
    /// Importer's `kind` is one of these (`company`, `vendor`, `partner`, `authority`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<Vec<EntityKind>>,
    /// Exporter's `kind` is one of these.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exporter_kind: Option<Vec<EntityKind>>,
    /// Exporter's `sector` is one of these.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exporter_sector: Option<Vec<Sector>>,
    /// The hop's `purpose` equals this value (unknown when the flow states none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purpose: Option<String>,
    /// The hop carries at least one of these categories (base ids; map categories match
    /// through their `like`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub categories: Option<Vec<String>>,
    /// The flow's `automated` is this value (unknown when the flow does not say).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub automated: Option<bool>,
    /// The flow's `public-powers` is this value (unknown when the flow does not say).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_powers: Option<bool>,
    /// At least one of these holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub any: Option<Vec<Condition>>,
}

/// How a rule judges a condition the map's facts leave unknown: as holding or as not
/// holding — and either way the engine warns with the fact to add (XB021).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum IfUnknown {
    Holds,
    #[default]
    DoesNotHold,
}

/// Part of a scope that is carved out, possibly only for a while.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Exclusion {
    pub when: Condition,
    /// When the map's facts leave `when` unknown: `holds` excludes the hop, `does-not-hold`
    /// (the default) lets the decision apply; either way with a warning naming the fact.
    #[serde(default)]
    pub if_unknown: IfUnknown,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invalid_from: Option<Date>,
    pub citation: Citation,
    /// Where the facts were researched (addresses, documents): provenance, not law.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
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
    /// When the map's facts leave `covers-any` unknown: `holds` treats the hop as covered,
    /// `does-not-hold` (the default) as not covered; either way with a warning naming the fact.
    #[serde(default)]
    pub if_unknown: IfUnknown,
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
    /// Base categories that are human-resources data: the importer's certification must
    /// cover HR data for them, and non-HR data for every other category.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hr_categories: Vec<String>,
    /// Why HR and non-HR data are certified separately.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hr_citation: Option<Citation>,
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
    pub citation: Citation,
    /// Where the facts were researched (addresses, documents): provenance, not law.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
    /// Onward-transfer rule that travels with data received under this decision.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub onward: Option<Onward>,
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
    pub citation: Citation,
    /// Where the facts were researched (addresses, documents): provenance, not law.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
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
    /// The clause governing onward transfers by the importer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub onward: Option<Onward>,
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
    /// What the documented assessment is called on the date, with where the law requires it
    /// ("transfer impact assessment", "transfer risk assessment", the UK "data protection
    /// test"). Absent: "transfer impact assessment".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assessment_name: Option<Citation>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub requires: Vec<SccRequirement>,
    /// How the modules' onward clauses read under this regime (e.g. through the UK Addendum),
    /// cited after the clause.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub onward_reading: Option<Citation>,
    pub citation: Citation,
    /// Where the facts were researched (addresses, documents): provenance, not law.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
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
    pub citation: Citation,
    /// Where the facts were researched (addresses, documents): provenance, not law.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
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
    /// What the documented assessment is called on the date, with where the law requires it
    /// ("transfer impact assessment", "transfer risk assessment", the UK "data protection
    /// test"). Absent: "transfer impact assessment".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assessment_name: Option<Citation>,

    /// For derogations: the grounds this regime knows, each with its conditions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub grounds: Vec<DerogationGround>,
    /// The tool's rule for onward transfers by the importer, if it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub onward: Option<Onward>,
    /// The tool covers transfers within a corporate group only (BCRs), never to an outside
    /// vendor: the vendor review does not offer it.
    #[serde(default)]
    pub within_group: bool,
    pub citation: Citation,
    /// Where the facts were researched (addresses, documents): provenance, not law.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
    /// Context that is not a legal condition (e.g. why the entry has no `from`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unconfirmed: Option<String>,
}

/// One derogation ground (GDPR Art. 49(1), revFADP Art. 17(1), ...) and what it demands.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct DerogationGround {
    /// Map value: `explicit-consent`, `contract`, ...
    pub ground: String,
    /// When the ground exists (within the tool's own period).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invalid_from: Option<Date>,
    /// The ground's conditions in words (printed by `xborder rules` and with XB019).
    pub conditions: String,
    /// Facts the mechanism must state as met (`occasional`, `authority-informed`, ...): stated
    /// as not met, the ground fails; not stated, the engine warns (XB021).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub requires: Vec<FactRequirement>,
    /// Situations in which the ground is not available at all (Art. 49(3): public authorities
    /// in the exercise of their public powers).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unavailable: Vec<Unavailability>,
    pub citation: Citation,
    /// Where the facts were researched (addresses, documents): provenance, not law.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
}

/// A fact of a claimed mechanism that a rule requires, e.g. `occasional: true` for a
/// derogation, or `authority-informed: DATE` for the compelling-legitimate-interests ground.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct FactRequirement {
    /// The mechanism field (a `bool` field must be `true`; a `date` field must be on or
    /// before the as-of date).
    pub fact: String,
    /// What the law requires, in words.
    pub says: String,
    pub citation: Citation,
    /// When the fact is stated as not met: the finding code (default XB022).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
}

/// A situation in which a ground is not available.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Unavailability {
    pub when: Condition,
    /// When the map's facts leave `when` unknown (default: `holds`, the ground is not available).
    #[serde(default = "holds")]
    pub if_unknown: IfUnknown,
    /// Why, in words.
    pub says: String,
    pub citation: Citation,
}

fn holds() -> IfUnknown {
    IfUnknown::Holds
}

/// What an onward hop rests on, as a rule of an upstream instrument tests it. All given
/// fields must hold.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct OnwardBasis {
    /// What the hop's verdict rests on: `adequacy` (an adequacy decision or framework
    /// covering the onward transfer), `safeguard` (an appropriate safeguard such as SCCs or
    /// BCRs), `derogation`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effect: Option<Vec<ToolEffectOrAdequacy>>,
    /// The deciding mechanism kind is one of these.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mechanism: Option<Vec<String>>,
    /// For SCCs: the set the onward hop claims.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scc_version: Option<String>,
    /// For derogations: the ground is one of these.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ground: Option<Vec<String>>,
    /// The onward flow names an agreement (a written contract with the recipient) or claims
    /// a contractual mechanism; unknown when it does neither.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agreement: Option<bool>,
    /// The onward hop's role pair.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub roles: Option<String>,
    /// The onward hop's importer acts in this role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub importer_role: Option<Role>,
    /// The onward hop carries special-category or criminal data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sensitive: Option<bool>,
    /// The onward flow's `opt-in` (affirmative express consent of the data subjects to this
    /// disclosure) is this value; unknown when the flow does not say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opt_in: Option<bool>,
}

/// What a verdict can rest on, for onward rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ToolEffectOrAdequacy {
    Adequacy,
    Safeguard,
    Derogation,
}

/// One ground on which an onward transfer is permitted.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct OnwardGround {
    pub id: String,
    /// The ground in words ("the recipient is bound by these Clauses under the appropriate Module").
    pub name: String,
    pub when: OnwardBasis,
    pub citation: Citation,
}

/// A condition every onward hop it applies to must meet besides a ground (e.g. opt-in consent
/// for sensitive data disclosed to a third-party controller).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct OnwardRequirement {
    pub name: String,
    /// The onward hops it applies to.
    pub applies: OnwardBasis,
    /// What they must meet.
    pub requires: OnwardBasis,
    pub citation: Citation,
}

/// The onward-transfer rule of an instrument: the data an importer received under it may go
/// on to a third party only on one of its grounds (2021/914 Clause 8.7 / 8.8; the frameworks'
/// Accountability for Onward Transfer principle; the IDTA's onward-transfer section).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Onward {
    /// The rule's name ("Clause 8.8, onward transfers").
    pub name: String,
    pub citation: Citation,
    /// The grounds; an onward hop resting on none of them is not permitted (XB023).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub grounds: Vec<OnwardGround>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub requires: Vec<OnwardRequirement>,
    /// The rule's wording is not confirmed: a failed check is a warning (XB014), not an error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unconfirmed: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
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

/// The family of a mechanism kind: how the engine judges it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MechanismFamily {
    /// An adequacy decision of the hop's regime covering the destination and the importer.
    Adequacy,
    /// Standard contractual clauses of a set in `scc-sets` (fields `version`, `module`,
    /// `signed`, `changed`, `uk-addendum`, `swiss-adapted`, `tia`).
    StandardClauses,
    /// A transfer tool of the hop's regime in `tools` (IDTA, BCRs, codes of conduct, ...).
    Tool,
    /// A derogation ground of the hop's regime (field `ground`, and the facts its grounds
    /// require).
    Derogation,
}

/// The type of a mechanism field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FieldType {
    /// `YYYY-MM-DD`.
    Date,
    /// `true` or `false`.
    Bool,
    /// Free text.
    Text,
    /// A whole number of zero or more.
    Count,
    /// An SCC set version of `scc-sets` (quoted: `"2021/914"`).
    SccVersion,
    /// An SCC module number (1–4).
    SccModule,
    /// A derogation ground of `tools`.
    Ground,
    /// One of `values`.
    Choice,
}

/// One field a mechanism kind takes.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct FieldDef {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: FieldType,
    #[serde(default)]
    pub required: bool,
    /// For `choice`: the values allowed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
    /// What the field states, for the format reference, the schema and editors.
    pub summary: String,
}

/// One mechanism kind a map may claim, with the fields it takes: the single table from which
/// the map reader, the JSON Schema and the engine's dispatch learn the kinds. Frameworks
/// (`privacy-shield`, `dpf`, ...) are the mechanisms of their adequacy entries instead.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct MechanismKindDef {
    pub kind: String,
    pub family: MechanismFamily,
    /// What the kind is, in one line.
    pub summary: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldDef>,
    /// For tools: the date field from which the tool protects the hop (`signed`, `approved`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effective: Option<String>,
    /// The date field recording a documented transfer impact / risk assessment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assessment: Option<String>,
    /// A written contract with the importer (the onward rules' `agreement`).
    #[serde(default)]
    pub contractual: bool,
}

/// Situations the law does not treat as a transfer although the data crosses a border.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum NotATransferWhen {
    /// Data subjects give their data to the importer themselves: there is no exporter.
    DirectCollection,
    /// Exporter and importer are one legal person (map field `legal-person`).
    SameLegalPerson,
}

/// A rule of a regime that a kind of hop is not a transfer (EDPB Guidelines 05/2021, criteria
/// 1 and 2; ICO guidance on restricted transfers).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct NotATransfer {
    pub regime: String,
    pub when: NotATransferWhen,
    /// The reason in words, for the hop's basis.
    pub says: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invalid_from: Option<Date>,
    pub citation: Citation,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unconfirmed: Option<String>,
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

/// One item of the vendor review's checklist: what the law requires of the contract with a
/// vendor, what to do when it is missing, and where the law says so.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct VendorTerm {
    /// The checklist line (`Art. 28(3) data-processing terms (DPA)`).
    pub term: String,
    /// What to do when it is missing.
    pub action: String,
    /// What the law requires, in words (for notes and conditions that explain it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub says: Option<String>,
    /// Why it is not needed when it is not (`no Californian consumers' data reaches the vendor`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_needed: Option<String>,
    /// What to keep doing once it is in place (a condition of approval).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keep: Option<String>,
    pub citation: Citation,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
}

/// Which new hops a finding-backed checklist line applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TermApplies {
    /// Hops that rest on standard contractual clauses.
    StandardClauses,
    /// Hops that are lawful under conditions (appropriate safeguards, derogations).
    Conditional,
    /// Hops on standard contractual clauses whose terms under the hop's regime require the
    /// UK Addendum.
    UkAddendum,
    /// Likewise for the Swiss adaptations.
    SwissAdapted,
}

/// A checklist line backed by a finding code: missing when the review's new findings have the
/// code, present when a hop it applies to has none.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct FindingTerm {
    pub code: String,
    pub applies: TermApplies,
    pub term: String,
    pub action: String,
}

/// How long a security attestation of some kinds counts as current without an `until`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct AttestationRule {
    /// Intake attestation kinds (`soc-2-type-2`, `iso-27001`, ...).
    pub kinds: Vec<String>,
    pub current_for_months: u32,
    /// Why, in words.
    pub says: String,
}

/// The security checklist: a current attestation, and the breach-notice window.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct VendorSecurity {
    pub attestation: VendorTerm,
    pub attestations: Vec<AttestationRule>,
    pub breach_notice: VendorTerm,
    /// The controller's deadline to notify the supervisory authority: a processor's notice
    /// at or after it leaves the controller no time.
    pub authority_notice_hours: u32,
}

/// What the vendor review requires for a vendor receiving a regime's data (GDPR Art. 28 and the
/// provisions it refers to; the CCPA's service-provider terms).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct VendorLaw {
    pub regime: String,
    /// The checklist used when no data of a regime with its own checklist reaches the vendor.
    #[serde(default)]
    pub default: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invalid_from: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub processor_terms: Option<VendorTerm>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub_processors: Option<VendorTerm>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub special_categories: Option<VendorTerm>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_provider_terms: Option<VendorTerm>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security: Option<VendorSecurity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retention: Option<VendorTerm>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub own_purposes: Option<VendorTerm>,
    /// The condition for a hop resting on an appropriate safeguard (keep the assessment
    /// current, apply its supplementary measures).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub safeguard_upkeep: Option<VendorTerm>,
    /// Contract additions the transfer tools need, read from the engine's findings.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub finding_terms: Vec<FindingTerm>,
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

/// A rule of a regime stated once for every hop it concerns.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RegimeRule {
    /// What the rule requires, in words.
    pub says: String,
    pub citation: Citation,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
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
    Advisory
);
