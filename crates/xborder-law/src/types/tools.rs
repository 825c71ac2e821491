//! Transfer tools other than SCCs and adequacy (IDTA, BCRs, derogations, other regimes' tools),
//! the derogation grounds and what they demand, and the table of mechanism kinds a map may
//! claim with the fields each takes.

use serde::{Deserialize, Serialize};

use super::{Citation, Condition, Date, IfUnknown, Onward};

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
    /// Facts the claimed mechanism must state as met under this regime (a filing with the
    /// authority, a form of consent): stated as not met, the tool fails; not stated, a warning
    /// asks for them (XB021).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub requires: Vec<FactRequirement>,
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
    /// before the as-of date; a `choice` field must be one of `values`).
    pub fact: String,
    /// For a `choice` field: the values that meet the requirement.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
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
    /// For tools: the date field of the last day the tool protects the hop (`until`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
    /// The date field recording a documented transfer impact / risk assessment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assessment: Option<String>,
    /// A written contract with the importer (the onward rules' `agreement`).
    #[serde(default)]
    pub contractual: bool,
}
