//! Regimes and regions: the law each regime applies over time, the territory in which its
//! data moves freely, the regions maps may name as where data subjects are, the base data
//! categories, and the rules that a kind of hop is not a transfer at all.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{Citation, Date};

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
    /// The base categories the regime itself counts as sensitive (PIPL Art. 28, LGPD Art. 5 II),
    /// tested by the `sensitive` conditions and said with XB008; absent: the special-category
    /// and criminal classes of `categories`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sensitive_categories: Option<Vec<String>>,
    /// How to fix a finding of a code under this regime's law, where the code's own `fix`
    /// (written for European law: SCCs, the IDTA) does not fit: finding code → text. A regime
    /// file carries its own remedies with its own law.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fixes: BTreeMap<String, String>,
}

fn yes() -> bool {
    true
}

fn is_restricted(model: &TransferModel) -> bool {
    *model == TransferModel::Restricted
}

/// How a period's law treats transfers out of the territory.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TransferModel {
    /// A transfer needs adequacy, a transfer tool or a derogation (GDPR Chapter V and most laws).
    #[default]
    Restricted,
    /// A transfer is allowed unless its destination is restricted (`transfer-rules` with
    /// `effect: restricted`), e.g. India's DPDP Act s.16.
    NegativeList,
}

/// One period of a regime's law.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RegimePeriod {
    pub name: String,
    /// How the period's law treats transfers (default `restricted`).
    #[serde(default, skip_serializing_if = "is_restricted")]
    pub transfers: TransferModel,
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
