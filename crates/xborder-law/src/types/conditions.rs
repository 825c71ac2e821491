//! Facts about the importer, the exporter and the hop that a rule tests (adequacy scopes,
//! exclusions, the situations in which a derogation ground is not available).

use serde::{Deserialize, Serialize};

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
