//! Rules of a regime that qualify its transfers beyond "a hop needs a valid mechanism": an
//! exemption that needs no mechanism at all, a threshold that picks which mechanisms count, a
//! prerequisite every transfer must meet whatever its mechanism (a documented impact
//! assessment), and destinations the regime does not let its data go to (a negative list).
//! Each is a `transfer-rules` entry with a condition on the facts of the hop (see
//! [`Condition`]); the engine judges every regime's entries the same way.

use serde::{Deserialize, Serialize};

use super::{Citation, Condition, Date, IfUnknown};

/// What a transfer rule does to the hops whose facts meet its condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RuleEffect {
    /// The hop needs no transfer mechanism: lawful, with the exemption cited (XB029).
    Exempt,
    /// Only the mechanism kinds listed in `mechanisms` make the hop lawful; any other claimed
    /// mechanism is insufficient for it (XB027). The first such rule that holds decides.
    Requires,
    /// The flow must state `fact` on or before the as-of date, whatever makes the hop lawful:
    /// stated later, the hop is unlawful (XB030); not stated, a warning asks for it (XB021).
    Prerequisite,
    /// The regime's data may not go to `destinations` at all (XB028).
    Restricted,
}

/// A dated fact of a flow that a prerequisite can demand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FlowFact {
    /// `pia: DATE`: the day an impact assessment of the transfer was documented.
    Pia,
}

impl FlowFact {
    /// The map key that states it.
    pub fn field(self) -> &'static str {
        match self {
            FlowFact::Pia => "pia",
        }
    }
}

/// One `transfer-rules` entry.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TransferRule {
    pub id: String,
    pub regime: String,
    pub effect: RuleEffect,
    /// A short name, for verdicts and listings.
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invalid_from: Option<Date>,
    /// The hops the rule concerns; absent: every transfer hop of the regime.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<Condition>,
    /// How `when` is judged where the map's facts leave it unknown (default: it does not
    /// hold); either way with a warning naming the fact (XB021).
    #[serde(default)]
    pub if_unknown: IfUnknown,
    /// For `requires`: the mechanism kinds that count.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mechanisms: Vec<String>,
    /// For `prerequisite`: the flow fact to state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fact: Option<FlowFact>,
    /// For `restricted`: the countries (or subdivisions) the data may not go to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub destinations: Vec<String>,
    /// What the law says, in words (printed with the finding and by `xborder rules`).
    pub says: String,
    pub citation: Citation,
    /// Where the facts were researched (addresses, documents): provenance, not law.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unconfirmed: Option<String>,
}
