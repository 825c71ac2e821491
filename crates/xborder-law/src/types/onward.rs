//! Onward-transfer rules that travel with an instrument (2021/914 Clause 8.7 / 8.8; the
//! frameworks' Accountability for Onward Transfer principle; the IDTA's onward-transfer
//! section): the grounds on which an importer may pass the data on, and what they test.

use serde::{Deserialize, Serialize};

use super::{Citation, Role};

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
