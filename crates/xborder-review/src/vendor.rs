//! The vendor review: the engine's verdicts on the map with and without the vendor, read as
//! the memo a lawyer files — every new hop with what it needs, the new findings, missing
//! contract terms, special-category data, security and retention, and a decision with its
//! reasons and conditions.
//!
//! What the contract must hold is the rulebook's (`vendor-review.yaml`, read by the modules of
//! `checklist/`); the decision (`decide.rs`) follows fixed rules (documented in
//! `docs/vendor-intake.md`):
//! - **reject** when a new hop is unlawful on the date (or a new finding is an error), when
//!   special-category data would flow without a documented Art. 9(2) condition, or when a
//!   processor would use the data for its own purposes;
//! - **approve with conditions** when every new hop stands but something must be done or
//!   kept up: a missing contract term, a transfer resting on an Art. 46 tool (transfer impact
//!   assessment and supplementary measures), a framework under legal risk without a signed
//!   fallback, special-category safeguards, a stale attestation, a slow breach notice, no
//!   retention limit;
//! - **approve** otherwise.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use serde::Serialize;
use xborder_engine::{Finding, Hop, Options, Summary, Verdict, VerdictChange};
use xborder_law::Rulebook;
use xborder_model::{Intake, Map, Mechanism, MechanismKind};

use crate::checklist;
use crate::needs::{Need, need};
use crate::whatif::{WhatIf, summary_of, what_if};

/// The outcome of the review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Decision {
    Approve,
    ApproveWithConditions,
    Reject,
}

impl Decision {
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Approve => "approve",
            Decision::ApproveWithConditions => "approve-with-conditions",
            Decision::Reject => "reject",
        }
    }

    /// As printed at the head of a memo.
    pub fn title(self) -> &'static str {
        match self {
            Decision::Approve => "APPROVE",
            Decision::ApproveWithConditions => "APPROVE WITH CONDITIONS",
            Decision::Reject => "REJECT",
        }
    }
}

/// A reason, condition or note, with the rule it rests on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Point {
    pub text: String,
    pub citation: String,
}

/// Whether a term is in place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Present,
    Missing,
    NotNeeded,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Present => "present",
            Status::Missing => "missing",
            Status::NotNeeded => "not needed",
        }
    }
}

/// What a checklist line is about, so that the decision reads kinds, never display text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TermKind {
    ProcessorTerms,
    TransferBasis,
    /// A contract addition a transfer tool needs (module, assessment, UK Addendum, ...).
    ToolAddition,
    ServiceProviderTerms,
    SubProcessors,
    SpecialCategoryCondition,
    Attestation,
    BreachNotice,
    Retention,
    OwnPurposes,
}

/// One item of a checklist (contract terms, security, retention).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Term {
    pub kind: TermKind,
    pub term: String,
    pub status: Status,
    /// What the intake shows.
    pub detail: String,
    /// What to do when it is missing.
    pub action: String,
    pub citation: String,
}

/// What happens to a hop that rests on a framework if the framework falls.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fallback {
    /// The framework assumed struck down (e.g. `eu-us-dpf`).
    pub framework: String,
    pub verdict: Verdict,
    pub mechanism: Option<String>,
    pub basis: String,
}

/// One hop the vendor creates.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HopReview {
    #[serde(flatten)]
    pub hop: Hop,
    /// `vendor` or `sub-processor`: the importer of the hop.
    pub importer_is: &'static str,
    pub need: Need,
    /// What the hop rests on, with the contract's dates.
    pub has: String,
    /// For hops resting on a framework: the verdict if it fell.
    pub fallback: Option<Fallback>,
}

/// Special-category (or criminal) data the vendor would receive, and what it adds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpecialData {
    pub category: String,
    /// The base category it is treated like (`biometric`).
    pub like: String,
    /// Who of the vendor and its sub-processors would receive it.
    pub recipients: Vec<String>,
    /// The Art. 9(2) condition documented on the intake flows carrying it.
    pub condition: Option<String>,
    /// What it adds beyond a transfer tool.
    pub adds: Vec<String>,
    pub citation: String,
}

/// The whole review.
#[derive(Debug, Clone, Serialize)]
pub struct VendorReview {
    pub as_of: NaiveDate,
    pub assumed_invalid: Vec<String>,
    pub vendor: String,
    pub vendor_name: String,
    pub sub_processors: Vec<String>,
    /// The map with the vendor, as judged.
    #[serde(skip)]
    pub merged: Map,
    /// Flows of the map without the vendor: new flows are those from this index on.
    #[serde(skip)]
    pub base_flows: usize,
    pub hops: Vec<HopReview>,
    /// Verdict counts of the new hops.
    pub summary: Summary,
    /// Findings the vendor adds to the map's.
    pub findings: Vec<Finding>,
    /// Verdicts of the map's own hops that the vendor changes (normally none).
    pub existing_changes: Vec<VerdictChange>,
    pub terms: Vec<Term>,
    pub special: Vec<SpecialData>,
    pub security: Vec<Term>,
    /// With `assume_invalid`: the vendor's hops that change under the assumption.
    pub what_if: Option<WhatIf>,
    pub decision: Decision,
    pub reasons: Vec<Point>,
    pub conditions: Vec<Point>,
    pub notes: Vec<Point>,
}

/// Adds a point unless the same text is already there.
pub(crate) fn add(list: &mut Vec<Point>, text: String, citation: impl Into<String>) {
    if !list.iter().any(|p| p.text == text) {
        list.push(Point {
            text,
            citation: citation.into(),
        });
    }
}

pub(crate) fn country(code: &str) -> &str {
    code.split('-').next().unwrap_or(code)
}

/// The mechanisms a flow of `map` claims: its own, then its agreement's.
pub(crate) fn claimed(map: &Map, flow: usize) -> Vec<&Mechanism> {
    let Some(f) = map.flows.get(flow) else {
        return Vec::new();
    };
    let mut list: Vec<&Mechanism> = f.mechanisms.iter().collect();
    if let Some(a) = f.agreement.and_then(|a| map.agreements.get(a)) {
        list.extend(a.mechanisms.iter());
    }
    list
}

/// What a hop rests on, in words.
fn has(map: &Map, hop: &Hop) -> String {
    let Some(kind) = hop.mechanism.as_deref() else {
        return format!("nothing valid ({})", hop.basis);
    };
    match claimed(map, hop.flow)
        .into_iter()
        .find(|m| m.kind_name() == kind && !matches!(m.kind, MechanismKind::Framework(_)))
    {
        Some(m) => m.describe(),
        None => hop.basis.to_string(),
    }
}

/// The framework a lawful hop rests on, if it rests on one.
pub(crate) fn framework_of<'r>(rulebook: &'r Rulebook, hop: &Hop) -> Option<&'r str> {
    if hop.verdict != Verdict::Lawful {
        return None;
    }
    let mechanism = hop.mechanism.as_deref()?;
    rulebook.adequacy.iter().find_map(|d| {
        let f = d.framework.as_ref()?;
        (d.regime == hop.regime
            && d.destination.as_deref() == Some(country(&hop.destination))
            && f.mechanism == mechanism)
            .then_some(f.id.as_str())
    })
}

/// Reviews the vendor of `intake` against `map` as of `as_of`.
pub fn review(
    map: &Map,
    intake: &Intake,
    rulebook: &Rulebook,
    as_of: NaiveDate,
    options: &Options,
) -> VendorReview {
    let merged = intake.merge_into(map);
    let base_flows = map.flows.len();
    let base_eval = xborder_engine::check(map, rulebook, as_of, options);
    let eval = xborder_engine::check(&merged, rulebook, as_of, options);
    let comparison = xborder_engine::compare(map, &base_eval, &merged, &eval);
    let findings: Vec<Finding> = comparison.new_findings().cloned().collect();
    let existing_changes: Vec<VerdictChange> = comparison
        .verdicts
        .iter()
        .filter(|v| v.before.is_some())
        .cloned()
        .collect();
    let new_hops: Vec<&Hop> = eval.hops.iter().filter(|h| h.flow >= base_flows).collect();
    let vendor = &intake.vendor;

    // Fallbacks: the same map with every framework the new hops rest on struck down.
    let frameworks: BTreeSet<String> = new_hops
        .iter()
        .filter_map(|h| framework_of(rulebook, h))
        .map(str::to_string)
        .collect();
    let fallback_eval = (!frameworks.is_empty()).then(|| {
        let mut o = options.clone();
        o.assume_invalid.extend(frameworks.iter().cloned());
        xborder_engine::check(&merged, rulebook, as_of, &o)
    });
    let fallback_hops = fallback_eval.as_ref().map(|e| (e, e.hops_by_key()));

    let hops: Vec<HopReview> = new_hops
        .iter()
        .map(|h| {
            let importer_is = if h.to == vendor.id {
                "vendor"
            } else {
                "sub-processor"
            };
            let fallback = framework_of(rulebook, h).and_then(|framework| {
                let (eval, index) = fallback_hops.as_ref()?;
                let after = eval.hops.get(*index.get(&h.key())?)?;
                Some(Fallback {
                    framework: framework.to_string(),
                    verdict: after.verdict,
                    mechanism: after.mechanism.as_deref().map(str::to_string),
                    basis: after.basis.to_string(),
                })
            });
            HopReview {
                hop: (*h).clone(),
                importer_is,
                need: need(&merged, rulebook, h, as_of, &format!("the {importer_is}")),
                has: has(&merged, h),
                fallback,
            }
        })
        .collect();

    let summary = summary_of(new_hops.iter().copied());

    // What-if: the vendor's hops with and without the assumption.
    let what_if = (!options.assume_invalid.is_empty()).then(|| {
        let actual = xborder_engine::check(&merged, rulebook, as_of, &Options::default());
        let mut w = what_if(
            &actual,
            &eval,
            &options.assume_invalid.iter().cloned().collect::<Vec<_>>(),
        );
        w.changes.retain(|c| c.flow >= base_flows);
        w.before = summary_of(actual.hops.iter().filter(|h| h.flow >= base_flows));
        w.after = summary_of(eval.hops.iter().filter(|h| h.flow >= base_flows));
        w
    });

    let mut r = VendorReview {
        as_of,
        assumed_invalid: options.assume_invalid.iter().cloned().collect(),
        vendor: vendor.id.clone(),
        vendor_name: vendor.name.clone(),
        sub_processors: intake
            .sub_processors
            .iter()
            .map(|s| s.entity.id.clone())
            .collect(),
        merged,
        base_flows,
        hops,
        summary,
        findings,
        existing_changes,
        terms: Vec::new(),
        special: Vec::new(),
        security: Vec::new(),
        what_if,
        decision: Decision::Approve,
        reasons: Vec::new(),
        conditions: Vec::new(),
        notes: Vec::new(),
    };
    let law = checklist::law_for(&r, rulebook);
    r.terms = checklist::contract::terms(&r, intake, rulebook, law);
    r.terms.extend(checklist::ccpa::terms(&r, intake, rulebook));
    r.terms
        .extend(checklist::special::terms(&r, intake, rulebook, law));
    r.special = checklist::special::data(&r, intake, rulebook, law);
    r.security = checklist::security::terms(intake, as_of, law);
    r.security
        .extend(checklist::retention::terms(intake, as_of, law));
    crate::decide::decide(&mut r, rulebook, law);
    r
}

/// One checklist line.
pub(crate) fn term(
    kind: TermKind,
    term: &str,
    status: Status,
    detail: String,
    action: &str,
    citation: String,
) -> Term {
    Term {
        kind,
        term: term.to_string(),
        status,
        detail,
        action: action.to_string(),
        citation,
    }
}
