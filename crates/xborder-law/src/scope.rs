//! Matching the facts of a hop against adequacy scopes and advisory conditions.
//!
//! Scoped adequacy covers only some importers (Canada: bodies under PIPEDA; Japan: private-sector
//! PIHBOs; Korea minus FSC-supervised recipients of credit information; the UK minus immigration
//! control until the renewal of Dec 2025). The map states the facts; this module only compares.

use std::fmt;

use crate::types::{Condition, Date, Dated, Exclusion, Scope, Sector};

impl Sector {
    /// The map spelling (`private`, `public`, `nonprofit`, `academic`).
    pub fn as_str(self) -> &'static str {
        match self {
            Sector::Private => "private",
            Sector::Public => "public",
            Sector::Nonprofit => "nonprofit",
            Sector::Academic => "academic",
        }
    }
}

impl fmt::Display for Sector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What the rulebook may test about an importer and a hop.
#[derive(Debug, Clone)]
pub struct HopFacts<'a> {
    /// The importer's sector (maps default to `private`).
    pub sector: Sector,
    /// The importer's `subject-to` facts (`pipeda`, `appi-pihbo`, `fsc-supervised`, ...).
    pub subject_to: Vec<&'a str>,
    /// The hop's `purpose`, if the map gives one.
    pub purpose: Option<&'a str>,
    /// Base category ids carried by the hop (map categories already resolved through `like`).
    pub categories: Vec<&'a str>,
}

impl Default for HopFacts<'_> {
    fn default() -> Self {
        HopFacts {
            sector: Sector::Private,
            subject_to: Vec::new(),
            purpose: None,
            categories: Vec::new(),
        }
    }
}

impl Condition {
    /// True when no field is set (such a condition is rejected by validation).
    pub fn is_empty(&self) -> bool {
        self.sector.is_none()
            && self.subject_to.is_none()
            && self.purpose.is_none()
            && self.categories.is_none()
    }

    /// Whether every given field holds for `facts`.
    pub fn matches(&self, facts: &HopFacts<'_>) -> bool {
        self.sector
            .as_ref()
            .is_none_or(|s| s.contains(&facts.sector))
            && self
                .subject_to
                .as_deref()
                .is_none_or(|fact| facts.subject_to.contains(&fact))
            && self
                .purpose
                .as_deref()
                .is_none_or(|p| facts.purpose == Some(p))
            && self
                .categories
                .as_ref()
                .is_none_or(|cats| cats.iter().any(|c| facts.categories.contains(&c.as_str())))
    }
}

impl fmt::Display for Condition {
    /// A short human description, e.g. `subject-to fsc-supervised, categories credit-information`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        if let Some(sectors) = &self.sector {
            let names: Vec<&str> = sectors.iter().map(|s| s.as_str()).collect();
            parts.push(format!("sector {}", names.join(" or ")));
        }
        if let Some(fact) = &self.subject_to {
            parts.push(format!("subject-to {fact}"));
        }
        if let Some(purpose) = &self.purpose {
            parts.push(format!("purpose {purpose}"));
        }
        if let Some(cats) = &self.categories {
            parts.push(format!("categories {}", cats.join(" or ")));
        }
        f.write_str(&parts.join(", "))
    }
}

/// Whether a scoped decision covers a hop.
#[derive(Debug, Clone, Copy)]
pub enum Coverage<'a> {
    Covered,
    /// The importer meets none of the `covers-any` conditions.
    NotCovered,
    /// An exclusion in force at the date applies.
    Excluded(&'a Exclusion),
}

impl Scope {
    /// Whether the scope covers a hop with these facts on `date`: the importer must meet one of
    /// `covers-any` (if any are given) and no exclusion in force that day may apply.
    pub fn coverage(&self, facts: &HopFacts<'_>, date: Date) -> Coverage<'_> {
        if !self.covers_any.is_empty() && !self.covers_any.iter().any(|c| c.matches(facts)) {
            return Coverage::NotCovered;
        }
        match self
            .excludes
            .iter()
            .find(|e| e.validity().contains(date) && e.when.matches(facts))
        {
            Some(exclusion) => Coverage::Excluded(exclusion),
            None => Coverage::Covered,
        }
    }
}
