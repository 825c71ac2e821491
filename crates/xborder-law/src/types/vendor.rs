//! The vendor review's law: what a contract with a vendor receiving a regime's data must
//! contain (GDPR Art. 28 and the provisions it refers to; the CCPA's service-provider terms).

use serde::{Deserialize, Serialize};

use super::{Citation, Date};

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
