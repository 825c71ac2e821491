//! Adequacy decisions and the frameworks that give adequacy through an importer's
//! certification (GDPR Art. 45, UK GDPR Art. 45 / 45A, revFADP Art. 16(1)), their scopes and
//! exclusions, and the bridges that make a hop no transfer for a while.

use serde::{Deserialize, Serialize};

use super::{Citation, Condition, Date, IfUnknown, Onward};

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
