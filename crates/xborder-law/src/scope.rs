//! Testing the facts of a hop against the rulebook's conditions: adequacy scopes, exclusions,
//! advisories and the availability of derogation grounds.
//!
//! Scoped adequacy covers only some importers (Canada: bodies under PIPEDA; Japan: private-sector
//! PIHBOs; Israel: automated transfers; Korea minus FSC-supervised recipients of credit
//! information; the UK minus immigration control until the renewal of Dec 2025). The map states
//! the facts and this module compares. A fact the map does not state makes a test *unknown*,
//! not false: the rule that asked decides how to judge it (`if-unknown`), and the caller warns
//! with the fact to add.

use std::collections::BTreeSet;
use std::fmt;

use crate::types::{
    Condition, Date, Dated, EntityKind, Exclusion, IfUnknown, Scope, Sector, Threshold,
};

impl EntityKind {
    /// The map spelling (`company`, `vendor`, `partner`, `authority`, `subjects`).
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Company => "company",
            EntityKind::Vendor => "vendor",
            EntityKind::Partner => "partner",
            EntityKind::Authority => "authority",
            EntityKind::Subjects => "subjects",
        }
    }
}

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

/// A map fact a test needed and did not find.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Fact {
    /// The importer's `subject-to` list.
    ImporterSubjectTo,
    /// The exporter's `subject-to` list.
    ExporterSubjectTo,
    /// The `individuals-per-year` of the exporter's flows.
    IndividualsPerYear,
    /// The flow's `purpose`.
    Purpose,
    /// The flow's `automated`.
    Automated,
    /// The flow's `public-powers`.
    PublicPowers,
    /// The flow's `agreement` (a written contract with the recipient).
    Agreement,
    /// The flow's `opt-in`.
    OptIn,
    /// The flow's `roles` (or the entities' `role`).
    Roles,
}

impl Fact {
    /// The map field that states it.
    pub fn field(self) -> &'static str {
        match self {
            Fact::ImporterSubjectTo | Fact::ExporterSubjectTo => "subject-to",
            Fact::IndividualsPerYear => "individuals-per-year",
            Fact::Purpose => "purpose",
            Fact::Automated => "automated",
            Fact::PublicPowers => "public-powers",
            Fact::Agreement => "agreement",
            Fact::OptIn => "opt-in",
            Fact::Roles => "roles",
        }
    }

    /// Where the map states it.
    pub fn whose(self) -> Whose {
        match self {
            Fact::ImporterSubjectTo => Whose::Importer,
            Fact::ExporterSubjectTo => Whose::Exporter,
            Fact::IndividualsPerYear => Whose::ExporterFlows,
            _ => Whose::Flow,
        }
    }
}

/// Where a fact is stated in a map.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Whose {
    Importer,
    Exporter,
    Flow,
    /// Every flow of the exporter that carries the regime's data out of its territory.
    ExporterFlows,
}

/// A count added up over several flows: what the flows that state it add up to, and whether
/// every flow stated it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub known: u64,
    pub complete: bool,
}

impl Threshold {
    /// Whether the count is within the bounds: decided where the stated part already decides
    /// (more than the bound), unknown where a flow that does not state its figure could
    /// change the answer.
    pub fn test(&self, tally: Tally) -> Truth {
        let mut truth = Truth::Yes;
        if let Some(bound) = self.more_than {
            truth = truth.and(if tally.known > bound {
                Truth::Yes
            } else if tally.complete {
                Truth::No
            } else {
                Truth::unknown(Fact::IndividualsPerYear)
            });
        }
        if let Some(bound) = self.fewer_than {
            truth = truth.and(if tally.known >= bound {
                Truth::No
            } else if tally.complete {
                Truth::Yes
            } else {
                Truth::unknown(Fact::IndividualsPerYear)
            });
        }
        truth
    }
}

impl fmt::Display for Threshold {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.more_than, self.fewer_than) {
            (Some(a), Some(b)) => write!(f, "more than {a} and fewer than {b}"),
            (Some(a), None) => write!(f, "more than {a}"),
            (None, Some(b)) => write!(f, "fewer than {b}"),
            (None, None) => f.write_str("any number"),
        }
    }
}

/// The outcome of a test: yes, no, or unknown for want of the facts named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Truth {
    Yes,
    No,
    Unknown(BTreeSet<Fact>),
}

impl Truth {
    /// Unknown for want of `fact`.
    pub fn unknown(fact: Fact) -> Truth {
        Truth::Unknown(BTreeSet::from([fact]))
    }

    pub fn of(holds: bool) -> Truth {
        if holds { Truth::Yes } else { Truth::No }
    }

    /// Both hold: a `No` decides, else any unknown stays unknown.
    pub fn and(self, other: Truth) -> Truth {
        match (self, other) {
            (Truth::No, _) | (_, Truth::No) => Truth::No,
            (Truth::Unknown(mut a), Truth::Unknown(b)) => {
                a.extend(b);
                Truth::Unknown(a)
            }
            (Truth::Unknown(a), Truth::Yes) | (Truth::Yes, Truth::Unknown(a)) => Truth::Unknown(a),
            (Truth::Yes, Truth::Yes) => Truth::Yes,
        }
    }

    /// The opposite: unknown stays unknown.
    pub fn negated(self) -> Truth {
        match self {
            Truth::Yes => Truth::No,
            Truth::No => Truth::Yes,
            unknown => unknown,
        }
    }

    /// Either holds: a `Yes` decides, else any unknown stays unknown.
    pub fn or(self, other: Truth) -> Truth {
        match (self, other) {
            (Truth::Yes, _) | (_, Truth::Yes) => Truth::Yes,
            (Truth::Unknown(mut a), Truth::Unknown(b)) => {
                a.extend(b);
                Truth::Unknown(a)
            }
            (Truth::Unknown(a), Truth::No) | (Truth::No, Truth::Unknown(a)) => Truth::Unknown(a),
            (Truth::No, Truth::No) => Truth::No,
        }
    }

    /// Judged as the rule says for an unknown: `(holds, facts that were unknown)`.
    pub fn decide(self, if_unknown: IfUnknown) -> (bool, BTreeSet<Fact>) {
        match self {
            Truth::Yes => (true, BTreeSet::new()),
            Truth::No => (false, BTreeSet::new()),
            Truth::Unknown(facts) => (if_unknown == IfUnknown::Holds, facts),
        }
    }
}

/// What the rulebook may test about the importer, the exporter and a hop.
#[derive(Debug, Clone)]
pub struct HopFacts<'a> {
    /// The importer's sector (maps default to `private`).
    pub sector: Sector,
    /// The importer's `subject-to` facts (`pipeda`, `appi-pihbo`, `fsc-supervised`, ...);
    /// `None` when the map gives the importer no `subject-to` at all.
    pub subject_to: Option<Vec<&'a str>>,
    /// The importer's kind (`company`, `vendor`, `partner`, `authority`).
    pub kind: EntityKind,
    /// The exporter's kind and sector.
    pub exporter_kind: EntityKind,
    pub exporter_sector: Sector,
    /// The hop's `purpose`, if the map gives one.
    pub purpose: Option<&'a str>,
    /// Base category ids carried by the hop (map categories already resolved through `like`).
    pub categories: Vec<&'a str>,
    /// The flow's `automated` and `public-powers`, if the map gives them.
    pub automated: Option<bool>,
    pub public_powers: Option<bool>,
    /// The exporter's `subject-to` facts (`ciio`, ...); `None` when the map gives none.
    pub exporter_subject_to: Option<Vec<&'a str>>,
    /// Whether the hop carries data the regime counts as sensitive.
    pub sensitive: bool,
    /// The exporter's `individuals-per-year`, all its flows of the regime's data out of the
    /// territory and those carrying sensitive data; `None` where nobody counted them, which
    /// makes a threshold unknown.
    pub individuals: Option<Tally>,
    pub sensitive_individuals: Option<Tally>,
}

impl Default for HopFacts<'_> {
    fn default() -> Self {
        HopFacts {
            sector: Sector::Private,
            subject_to: None,
            kind: EntityKind::Company,
            exporter_kind: EntityKind::Company,
            exporter_sector: Sector::Private,
            purpose: None,
            categories: Vec::new(),
            automated: None,
            public_powers: None,
            exporter_subject_to: None,
            sensitive: false,
            individuals: None,
            sensitive_individuals: None,
        }
    }
}

impl Condition {
    /// True when no field is set (such a condition is rejected by validation).
    pub fn is_empty(&self) -> bool {
        self.sector.is_none()
            && self.subject_to.is_none()
            && self.kind.is_none()
            && self.exporter_kind.is_none()
            && self.exporter_sector.is_none()
            && self.purpose.is_none()
            && self.categories.is_none()
            && self.automated.is_none()
            && self.public_powers.is_none()
            && self.any.is_none()
            && self.exporter_subject_to.is_none()
            && self.sensitive.is_none()
            && self.individuals_per_year.is_none()
            && self.sensitive_individuals_per_year.is_none()
            && self.not.is_none()
    }

    /// Whether every given field holds for `facts` (`Unknown` where a fact is not stated).
    pub fn test(&self, facts: &HopFacts<'_>) -> Truth {
        let mut truth = Truth::Yes;
        if let Some(sectors) = &self.sector {
            truth = truth.and(Truth::of(sectors.contains(&facts.sector)));
        }
        if let Some(fact) = &self.subject_to {
            truth = truth.and(match &facts.subject_to {
                Some(list) => Truth::of(list.contains(&fact.as_str())),
                None => Truth::unknown(Fact::ImporterSubjectTo),
            });
        }
        if let Some(kinds) = &self.kind {
            truth = truth.and(Truth::of(kinds.contains(&facts.kind)));
        }
        if let Some(kinds) = &self.exporter_kind {
            truth = truth.and(Truth::of(kinds.contains(&facts.exporter_kind)));
        }
        if let Some(sectors) = &self.exporter_sector {
            truth = truth.and(Truth::of(sectors.contains(&facts.exporter_sector)));
        }
        if let Some(purpose) = &self.purpose {
            truth = truth.and(match facts.purpose {
                Some(p) => Truth::of(p == purpose),
                None => Truth::unknown(Fact::Purpose),
            });
        }
        if let Some(cats) = &self.categories {
            let carried = cats.iter().any(|c| facts.categories.contains(&c.as_str()));
            truth = truth.and(Truth::of(carried));
        }
        if let Some(wanted) = self.automated {
            truth = truth.and(match facts.automated {
                Some(a) => Truth::of(a == wanted),
                None => Truth::unknown(Fact::Automated),
            });
        }
        if let Some(wanted) = self.public_powers {
            truth = truth.and(match facts.public_powers {
                Some(p) => Truth::of(p == wanted),
                None => Truth::unknown(Fact::PublicPowers),
            });
        }
        if let Some(fact) = &self.exporter_subject_to {
            truth = truth.and(match &facts.exporter_subject_to {
                Some(list) => Truth::of(list.contains(&fact.as_str())),
                None => Truth::unknown(Fact::ExporterSubjectTo),
            });
        }
        if let Some(wanted) = self.sensitive {
            truth = truth.and(Truth::of(facts.sensitive == wanted));
        }
        let counted = |threshold: &Threshold, tally: Option<Tally>| match tally {
            Some(tally) => threshold.test(tally),
            None => Truth::unknown(Fact::IndividualsPerYear),
        };
        if let Some(threshold) = &self.individuals_per_year {
            truth = truth.and(counted(threshold, facts.individuals));
        }
        if let Some(threshold) = &self.sensitive_individuals_per_year {
            truth = truth.and(counted(threshold, facts.sensitive_individuals));
        }
        if let Some(any) = &self.any {
            let either = any.iter().map(|c| c.test(facts)).fold(Truth::No, Truth::or);
            truth = truth.and(either);
        }
        if let Some(not) = &self.not {
            truth = truth.and(not.test(facts).negated());
        }
        truth
    }

    /// Whether every given field holds, an unknown fact counting as not holding.
    pub fn matches(&self, facts: &HopFacts<'_>) -> bool {
        self.test(facts) == Truth::Yes
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
        if let Some(kinds) = &self.kind {
            let names: Vec<&str> = kinds.iter().map(|k| k.as_str()).collect();
            parts.push(format!("kind {}", names.join(" or ")));
        }
        if let Some(kinds) = &self.exporter_kind {
            let names: Vec<&str> = kinds.iter().map(|k| k.as_str()).collect();
            parts.push(format!("exporter kind {}", names.join(" or ")));
        }
        if let Some(sectors) = &self.exporter_sector {
            let names: Vec<&str> = sectors.iter().map(|s| s.as_str()).collect();
            parts.push(format!("exporter sector {}", names.join(" or ")));
        }
        if let Some(purpose) = &self.purpose {
            parts.push(format!("purpose {purpose}"));
        }
        if let Some(cats) = &self.categories {
            parts.push(format!("categories {}", cats.join(" or ")));
        }
        if let Some(a) = self.automated {
            parts.push(format!("automated {a}"));
        }
        if let Some(p) = self.public_powers {
            parts.push(format!("public-powers {p}"));
        }
        if let Some(fact) = &self.exporter_subject_to {
            parts.push(format!("exporter subject-to {fact}"));
        }
        if let Some(s) = self.sensitive {
            parts.push(
                if s {
                    "sensitive data"
                } else {
                    "no sensitive data"
                }
                .to_string(),
            );
        }
        if let Some(t) = &self.individuals_per_year {
            parts.push(format!("{t} individuals a year"));
        }
        if let Some(t) = &self.sensitive_individuals_per_year {
            parts.push(format!("{t} individuals' sensitive data a year"));
        }
        if let Some(any) = &self.any {
            let alternatives: Vec<String> = any.iter().map(|c| format!("({c})")).collect();
            parts.push(format!("any of {}", alternatives.join(" or ")));
        }
        if let Some(not) = &self.not {
            parts.push(format!("not ({not})"));
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

/// A scope's answer for a hop, with the facts it had to judge by `if-unknown`.
#[derive(Debug, Clone)]
pub struct ScopeAnswer<'a> {
    pub coverage: Coverage<'a>,
    /// Facts the map does not state that the answer depends on (each one a warning).
    pub unknown: BTreeSet<Fact>,
}

impl ScopeAnswer<'_> {
    pub fn is_covered(&self) -> bool {
        matches!(self.coverage, Coverage::Covered)
    }
}

impl Scope {
    /// Whether the scope covers a hop with these facts on `date`: the importer must meet one of
    /// `covers-any` (if any are given) and no exclusion in force that day may apply; unknown
    /// facts are judged as the scope's and the exclusions' `if-unknown` say.
    pub fn coverage(&self, facts: &HopFacts<'_>, date: Date) -> ScopeAnswer<'_> {
        let mut unknown = BTreeSet::new();
        if !self.covers_any.is_empty() {
            let truth = self
                .covers_any
                .iter()
                .map(|c| c.test(facts))
                .fold(Truth::No, Truth::or);
            let (covered, assumed) = truth.decide(self.if_unknown);
            unknown.extend(assumed);
            if !covered {
                return ScopeAnswer {
                    coverage: Coverage::NotCovered,
                    unknown,
                };
            }
        }
        for exclusion in self.excludes.iter().filter(|e| e.validity().contains(date)) {
            let (excluded, assumed) = exclusion.when.test(facts).decide(exclusion.if_unknown);
            unknown.extend(assumed);
            if excluded {
                return ScopeAnswer {
                    coverage: Coverage::Excluded(exclusion),
                    unknown,
                };
            }
        }
        ScopeAnswer {
            coverage: Coverage::Covered,
            unknown,
        }
    }
}
