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
    /// Exporter lists this fact in `subject-to` (e.g. `ciio`; unknown when it has no
    /// `subject-to`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exporter_subject_to: Option<String>,
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
    /// Whether the hop carries data the regime counts as sensitive (its
    /// `sensitive-categories`, else the special-category and criminal classes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sensitive: Option<bool>,
    /// The individuals whose data the exporter transfers out of the regime's territory in the
    /// calendar year (its flows' `individuals-per-year` added up) are within these bounds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub individuals_per_year: Option<Threshold>,
    /// As `individuals-per-year`, counting only the exporter's flows that carry sensitive data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sensitive_individuals_per_year: Option<Threshold>,
    /// The flow's `automated` is this value (unknown when the flow does not say).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub automated: Option<bool>,
    /// The flow's `public-powers` is this value (unknown when the flow does not say).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_powers: Option<bool>,
    /// At least one of these holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub any: Option<Vec<Condition>>,
    /// This condition does not hold (unknown stays unknown).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not: Option<Box<Condition>>,
}

/// Bounds on a count, both exclusive as the law words them ("more than 1,000,000", "fewer
/// than 100,000"); at least one is given.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Threshold {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub more_than: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fewer_than: Option<u64>,
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
