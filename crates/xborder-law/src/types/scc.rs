//! Standard contractual clauses (GDPR Art. 46(2)(c); Directive 95/46/EC Art. 26(4)): each
//! set's modules, and how each regime treats the set over time (in force, new-contract
//! cut-off, grandfathering, the additions it demands).

use serde::{Deserialize, Serialize};

use super::{Citation, Date, Onward};

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
