//! The vendor review: the engine's verdicts on the map with and without the vendor, read as
//! the memo a lawyer files — every new hop with what it needs, the new findings, missing
//! contract terms, special-category data, security and retention, and a decision with its
//! reasons and conditions.
//!
//! The decision follows fixed rules (documented in `docs/vendor-intake.md`):
//! - **reject** when a new hop is unlawful on the date (or a new finding is an error), when
//!   special-category data would flow without a documented Art. 9(2) condition, or when a
//!   processor would use the data for its own purposes;
//! - **approve with conditions** when every new hop stands but something must be done or
//!   kept up: a missing contract term, a transfer resting on an Art. 46 tool (transfer impact
//!   assessment and supplementary measures), a framework under legal risk without a signed
//!   fallback, special-category safeguards, a stale attestation, a slow breach notice, no
//!   retention limit;
//! - **approve** otherwise.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Months, NaiveDate};
use serde::Serialize;
use xborder_engine::{Code, Finding, Hop, Options, Summary, Text, Verdict, VerdictChange};
use xborder_law::{CategoryClass, Dated, Rulebook, SccStanding, Severity};
use xborder_model::{
    AtEnd, AttestationKind, Authorisation, Intake, Map, Mechanism, MechanismKind, Role,
};

use crate::needs::{Need, need};
use crate::whatif::{WhatIf, summary_of, what_if};

/// The regime whose service-provider terms the intake's `ccpa-service-provider-terms` records.
const CCPA_REGIME: &str = "us-ccpa";
/// A SOC 2 report older than this no longer describes the controls in place (the usual
/// bridge-letter convention).
const SOC2_FRESH_MONTHS: u32 = 12;
/// ISO/IEC 27001 certificates run in three-year cycles; one without `until` counts for that long.
const ISO_CYCLE_MONTHS: u32 = 36;
/// The controller must notify the supervisory authority within 72 hours (GDPR Art. 33(1)); a
/// processor's notice at or after that leaves it no time.
const CONTROLLER_BREACH_HOURS: u32 = 72;

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

/// One item of a checklist (contract terms, security, retention).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Term {
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
fn add(list: &mut Vec<Point>, text: String, citation: impl Into<String>) {
    if !list.iter().any(|p| p.text == text) {
        list.push(Point {
            text,
            citation: citation.into(),
        });
    }
}

fn country(code: &str) -> &str {
    code.split('-').next().unwrap_or(code)
}

/// The mechanisms a flow of `map` claims: its own, then its agreement's.
fn claimed(map: &Map, flow: usize) -> Vec<&Mechanism> {
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

/// The citation of the rulebook entry that decided a hop.
fn basis_citation(rulebook: &Rulebook, map: &Map, hop: &Hop, date: NaiveDate) -> String {
    let destination = country(&hop.destination);
    let code = |c: Code| rulebook.doc(c).citation.on(date).to_string();
    match (hop.verdict, hop.mechanism.as_deref()) {
        (Verdict::NotATransfer, Some(bridge)) => rulebook
            .bridges
            .iter()
            .find(|b| b.id == bridge)
            .map(|b| b.citation.on(date).to_string())
            .unwrap_or_default(),
        (Verdict::NotATransfer, None) => rulebook
            .regime(&hop.regime)
            .and_then(|r| {
                r.territory.iter().find(|m| {
                    m.validity().contains(date)
                        && m.countries
                            .iter()
                            .any(|c| xborder_law::place_within(destination, c))
                })
            })
            .map(|m| m.citation.on(date).to_string())
            .unwrap_or_else(|| code(Code::DirectCollection)),
        (_, Some("adequacy")) => rulebook
            .adequacy
            .iter()
            .find(|d| {
                d.regime == hop.regime
                    && d.framework.is_none()
                    && d.destination.as_deref() == Some(destination)
                    && d.validity().contains(date)
            })
            .map(|d| d.citation.on(date).to_string())
            .unwrap_or_default(),
        (_, Some("scc")) => {
            let version = claimed(map, hop.flow)
                .into_iter()
                .find_map(|m| match &m.kind {
                    MechanismKind::Scc(s) => Some(s.version.clone()),
                    _ => None,
                });
            version
                .and_then(|v| rulebook.scc_terms(&v, &hop.regime))
                .map(|t| t.citation.on(date).to_string())
                .unwrap_or_default()
        }
        (_, Some(kind)) => rulebook
            .adequacy
            .iter()
            .find(|d| {
                d.regime == hop.regime
                    && d.destination.as_deref() == Some(destination)
                    && d.framework.as_ref().is_some_and(|f| f.mechanism == kind)
            })
            .map(|d| d.citation.on(date).to_string())
            .or_else(|| {
                rulebook
                    .tools
                    .iter()
                    .find(|t| t.kind == kind && t.regime == hop.regime)
                    .map(|t| t.citation.on(date).to_string())
            })
            .unwrap_or_default(),
        (_, None) => code(Code::NoMechanism),
    }
}

/// The framework a lawful hop rests on, if it rests on one.
fn framework_of<'r>(rulebook: &'r Rulebook, hop: &Hop) -> Option<&'r str> {
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
    r.terms = contract_terms(&r, intake, rulebook);
    r.special = special_data(&r, intake, rulebook);
    r.security = security_terms(intake, as_of);
    decide(&mut r, rulebook);
    r
}

/// The SCC set a new contract would use on the date, with its module for `roles`.
fn current_module<'r>(
    rulebook: &'r Rulebook,
    regime: &str,
    roles: &str,
    date: NaiveDate,
) -> Option<(&'r xborder_law::SccSet, &'r xborder_law::SccModule)> {
    rulebook.scc_sets.iter().find_map(|set| {
        let terms = set.terms.iter().find(|t| t.regime == regime)?;
        if terms.standing(date, Some(date), None) != SccStanding::Available {
            return None;
        }
        let module = set
            .modules
            .iter()
            .find(|m| m.number.is_some() && m.roles.replace(' ', "") == roles)?;
        Some((set, module))
    })
}

fn term(term: &str, status: Status, detail: String, action: &str, citation: String) -> Term {
    Term {
        term: term.to_string(),
        status,
        detail,
        action: action.to_string(),
        citation,
    }
}

/// Findings of the review with this code, as "regime → destination: message" lines.
fn coded(r: &VendorReview, code: Code) -> Vec<&Finding> {
    r.findings.iter().filter(|f| f.code == code).collect()
}

fn contract_terms(r: &VendorReview, intake: &Intake, rulebook: &Rulebook) -> Vec<Term> {
    let as_of = r.as_of;
    let contract = intake.contract.as_ref();
    let vendor = &intake.vendor;
    let doc = |c: Code| rulebook.doc(c).citation.on(as_of).to_string();
    let mut out = Vec::new();
    let processor = vendor.role == Some(Role::Processor);
    let vendor_hops: Vec<&HopReview> = r.hops.iter().filter(|h| h.hop.to == vendor.id).collect();
    let roles = intake
        .flows
        .iter()
        .find_map(|f| f.roles)
        .map(|p| p.to_string())
        .unwrap_or_else(|| "controller->processor".to_string());
    let regime = vendor_hops
        .first()
        .map_or("eu-gdpr", |h| h.hop.regime.as_str());
    let module = current_module(rulebook, regime, &roles, as_of);

    // Art. 28(3) processing terms.
    let citation = format!(
        "Regulation (EU) 2016/679 Art. 28(3); {}",
        module
            .map(|(s, _)| s.citation.on(as_of).to_string())
            .unwrap_or_default()
    );
    out.push(if !processor {
        term(
            "Art. 28(3) data-processing terms (DPA)",
            Status::NotNeeded,
            format!("\"{}\" acts as controller", vendor.id),
            "",
            citation,
        )
    } else if vendor_hops.is_empty() {
        term(
            "Art. 28(3) data-processing terms (DPA)",
            Status::NotNeeded,
            "no data of a regime with processor rules reaches the vendor".to_string(),
            "",
            citation,
        )
    } else {
        match contract.and_then(|c| c.dpa) {
            Some(d) if d <= as_of => term(
                "Art. 28(3) data-processing terms (DPA)",
                Status::Present,
                format!("signed {d}"),
                "",
                citation,
            ),
            Some(d) => term(
                "Art. 28(3) data-processing terms (DPA)",
                Status::Missing,
                format!("signed only on {d}, after {as_of}"),
                "sign the data-processing terms before any data flows",
                citation,
            ),
            None => term(
                "Art. 28(3) data-processing terms (DPA)",
                Status::Missing,
                "no data-processing terms".to_string(),
                "sign data-processing terms meeting Art. 28(3) before any data flows",
                citation,
            ),
        }
    });

    // A transfer basis for each new flow.
    let mut flows: BTreeMap<usize, Vec<&HopReview>> = BTreeMap::new();
    for h in &r.hops {
        flows.entry(h.hop.flow).or_default().push(h);
    }
    for (flow, hops) in &flows {
        let Some(first) = hops.first() else { continue };
        let name = format!("Transfer basis {} → {}", first.hop.from, first.hop.to);
        let unlawful: Vec<&&HopReview> = hops
            .iter()
            .filter(|h| h.hop.verdict == Verdict::Unlawful)
            .collect();
        let transfers: Vec<&&HopReview> = hops
            .iter()
            .filter(|h| h.hop.verdict != Verdict::NotATransfer)
            .collect();
        let lines = |list: &[&&HopReview], text: &dyn Fn(&HopReview) -> String| {
            list.iter()
                .map(|h| format!("{} → {}: {}", h.hop.regime, h.hop.destination, text(h)))
                .collect::<Vec<_>>()
                .join("; ")
        };
        let citation = r
            .findings
            .iter()
            .find(|f| f.flow == *flow && f.severity == Severity::Error)
            .map(|f| f.citation.to_string())
            .unwrap_or_else(|| doc(Code::NoMechanism));
        out.push(if !unlawful.is_empty() {
            term(
                &name,
                Status::Missing,
                lines(&unlawful, &|h| format!("needs {}", h.need.text)),
                "put the mechanism each hop needs in place before data flows",
                citation,
            )
        } else if transfers.is_empty() {
            term(
                &name,
                Status::NotNeeded,
                "no hop of this flow is a transfer".to_string(),
                "",
                citation,
            )
        } else {
            term(
                &name,
                Status::Present,
                lines(&transfers, &|h| {
                    format!(
                        "{} on {}",
                        h.hop.verdict,
                        h.hop.mechanism.as_deref().unwrap_or("?")
                    )
                }),
                "",
                citation,
            )
        });
    }

    // Additions the tools need, from the engine's findings.
    let rests_on = |pred: &dyn Fn(&HopReview) -> bool| r.hops.iter().any(pred);
    let scc = |h: &HopReview| {
        h.hop.verdict == Verdict::Conditional && h.hop.mechanism.as_deref() == Some("scc")
    };
    for (code, name, action, applies) in [
        (
            Code::WrongSccModule,
            "SCC module matching the hop's roles",
            "use the SCC module for the hop's role pair (2021/914 Annex Clause 2(a))",
            &scc as &dyn Fn(&HopReview) -> bool,
        ),
        (
            Code::MissingTia,
            "Transfer impact assessment (TIA)",
            "carry out and document a transfer impact assessment before data flows",
            &|h: &HopReview| h.hop.verdict == Verdict::Conditional,
        ),
        (
            Code::MissingUkAddendum,
            "UK Addendum to the SCCs",
            "sign the UK International Data Transfer Addendum (or an IDTA) for UK data",
            &|h: &HopReview| scc(h) && h.hop.regime == "uk-gdpr",
        ),
        (
            Code::MissingSwissAdaptation,
            "Swiss adaptations of the SCCs",
            "add the Swiss adaptations to the SCCs for Swiss data",
            &|h: &HopReview| scc(h) && h.hop.regime == "ch-fadp",
        ),
    ] {
        let missing = coded(r, code);
        let citation = missing
            .first()
            .map(|f| f.citation.to_string())
            .unwrap_or_else(|| doc(code));
        out.push(if !missing.is_empty() {
            term(
                name,
                Status::Missing,
                missing
                    .iter()
                    .map(|f| f.message.clone())
                    .collect::<BTreeSet<_>>()
                    .into_iter()
                    .collect::<Vec<_>>()
                    .join("; "),
                action,
                citation,
            )
        } else if rests_on(applies) {
            term(
                name,
                Status::Present,
                "in place for every hop that needs it".to_string(),
                "",
                citation,
            )
        } else {
            term(
                name,
                Status::NotNeeded,
                "no new hop relies on it".to_string(),
                "",
                citation,
            )
        });
    }

    // CCPA service-provider terms, when Californian consumers' data reaches the vendor.
    let holdings = xborder_engine::holdings(&r.merged, rulebook, as_of);
    let vendor_ix = r.merged.entity(&vendor.id);
    let ccpa = vendor_ix
        .and_then(|i| holdings.get(i))
        .is_some_and(|held| held.iter().any(|(regime, _)| regime == CCPA_REGIME));
    if let Some(period) = rulebook.period(CCPA_REGIME, as_of) {
        let name = "CCPA service-provider terms (Cal. Civ. Code §1798.100(d), §1798.140(ag))";
        out.push(if !ccpa {
            term(
                name,
                Status::NotNeeded,
                "no Californian consumers' data reaches the vendor".to_string(),
                "",
                period.citation.on(as_of).to_string(),
            )
        } else {
            match contract.and_then(|c| c.ccpa_terms) {
                Some(d) if d <= as_of => term(name, Status::Present, format!("signed {d}"), "", period.citation.on(as_of).to_string()),
                other => term(
                    name,
                    Status::Missing,
                    match other {
                        Some(d) => format!("Californian consumers' data reaches the vendor; the terms are signed only on {d}"),
                        None => "Californian consumers' data reaches the vendor; no service-provider terms".to_string(),
                    },
                    "sign service-provider terms (limited purposes, no selling or sharing, same protection, notice and remediation rights) — without them the disclosure may be a sale or share",
                    period.citation.on(as_of).to_string(),
                ),
            }
        });
    }

    // Authorisation of the sub-processors.
    let onward = module
        .and_then(|(_, m)| m.onward.as_ref())
        .map(|o| o.citation.on(as_of).to_string())
        .unwrap_or_default();
    let citation = format!("Regulation (EU) 2016/679 Art. 28(2), 28(4); {onward}");
    out.push(if intake.sub_processors.is_empty() {
        term(
            "Sub-processor authorisation",
            Status::NotNeeded,
            "the vendor names no sub-processor".to_string(),
            "",
            citation,
        )
    } else {
        let names = r.sub_processors.join(", ");
        match contract.and_then(|c| c.sub_processor_authorisation) {
            Some(a @ (Authorisation::General | Authorisation::Specific)) => term(
                "Sub-processor authorisation",
                Status::Present,
                format!(
                    "{} written authorisation covering {names}",
                    if a == Authorisation::General {
                        "general"
                    } else {
                        "specific"
                    }
                ),
                "",
                citation,
            ),
            _ => term(
                "Sub-processor authorisation",
                Status::Missing,
                format!("{names} not authorised"),
                "authorise the sub-processors in writing (specific, or general with notice of changes and a right to object) and make the vendor impose the same obligations on them",
                citation,
            ),
        }
    });

    // The Art. 9(2) condition for special-category data on each intake flow.
    for (i, flow) in intake.flows.iter().enumerate() {
        let sensitive: Vec<String> = flow
            .data
            .iter()
            .filter(|c| is_sensitive(rulebook, &r.merged, c))
            .cloned()
            .collect();
        if sensitive.is_empty() {
            continue;
        }
        let citation = sensitive
            .first()
            .and_then(|c| rulebook.category(r.merged.base_category(c)))
            .and_then(|c| c.citation.as_ref())
            .map(|c| c.on(as_of).to_string())
            .unwrap_or_default();
        let name = format!(
            "Art. 9(2) condition for {} on flow {}",
            sensitive.join(", "),
            flow.id
                .clone()
                .unwrap_or_else(|| (r.base_flows + i).to_string())
        );
        out.push(match &flow.special_category_condition {
            Some(c) => term(&name, Status::Present, c.clone(), "", citation),
            None => term(
                &name,
                Status::Missing,
                "no condition documented".to_string(),
                "document the Art. 9(2) condition (e.g. explicit consent with a real alternative) before special-category data flows",
                citation,
            ),
        });
    }
    out
}

fn is_sensitive(rulebook: &Rulebook, map: &Map, category: &str) -> bool {
    rulebook
        .category(map.base_category(category))
        .is_some_and(|c| matches!(c.class, CategoryClass::Special | CategoryClass::Criminal))
}

fn special_data(r: &VendorReview, intake: &Intake, rulebook: &Rulebook) -> Vec<SpecialData> {
    let received = intake.received();
    let mut order: Vec<String> = Vec::new();
    for data in std::iter::once(&intake.vendor.id)
        .chain(r.sub_processors.iter())
        .filter_map(|id| received.get(id))
    {
        for c in data {
            if is_sensitive(rulebook, &r.merged, c) && !order.contains(c) {
                order.push(c.clone());
            }
        }
    }
    order
        .into_iter()
        .map(|category| {
            let like = r.merged.base_category(&category).to_string();
            let recipients: Vec<String> = std::iter::once(&intake.vendor.id)
                .chain(r.sub_processors.iter())
                .filter(|id| received.get(*id).is_some_and(|d| d.contains(&category)))
                .cloned()
                .collect();
            let conditions: BTreeSet<&str> = intake
                .flows
                .iter()
                .filter(|f| f.data.contains(&category))
                .filter_map(|f| f.special_category_condition.as_deref())
                .collect();
            let condition = (!conditions.is_empty())
                .then(|| conditions.into_iter().collect::<Vec<_>>().join("; "));
            let base = rulebook.category(&like);
            let mut adds = vec![match &condition {
                Some(c) => format!("a condition of GDPR Art. 9(2) (or Art. 10 for criminal data) besides the transfer tool — documented: {c}"),
                None => "a condition of GDPR Art. 9(2) (or Art. 10 for criminal data) besides the transfer tool — none documented".to_string(),
            }];
            for f in r.findings.iter().filter(|f| f.code == Code::SpecialCategory && f.message.contains(category.as_str())) {
                let line = format!("{} → {}: {}", f.regime, f.destination, f.message);
                if !adds.contains(&line) {
                    adds.push(line);
                }
            }
            SpecialData {
                category,
                like: base.map_or(like.clone(), |b| format!("{like} — {}", b.name)),
                recipients,
                condition,
                adds,
                citation: base
                    .and_then(|b| b.citation.as_ref())
                    .map(|c| c.on(r.as_of).to_string())
                    .unwrap_or_default(),
            }
        })
        .collect()
}

fn security_terms(intake: &Intake, as_of: NaiveDate) -> Vec<Term> {
    let mut out = Vec::new();
    let attest_citation =
        "Regulation (EU) 2016/679 Art. 28(1) (sufficient guarantees), Art. 32 (security of processing)"
            .to_string();
    let attestations = intake
        .security
        .as_ref()
        .map(|s| s.attestations.as_slice())
        .unwrap_or_default();
    if attestations.is_empty() {
        out.push(term(
            "Security attestation",
            Status::Missing,
            "no ISO/IEC 27001 certificate or SOC 2 report".to_string(),
            "obtain a current ISO/IEC 27001 certificate or SOC 2 Type II report, or audit the vendor",
            attest_citation.clone(),
        ));
    }
    let mut current = 0;
    for a in attestations {
        let months = match a.kind {
            AttestationKind::Soc2Type1 | AttestationKind::Soc2Type2 => SOC2_FRESH_MONTHS,
            AttestationKind::Iso27001 | AttestationKind::Iso27701 => ISO_CYCLE_MONTHS,
        };
        let end = a.until.unwrap_or_else(|| {
            a.date
                .checked_add_months(Months::new(months))
                .and_then(|d| d.pred_opt())
                .unwrap_or(a.date)
        });
        let (status, detail) = if a.date > as_of {
            (Status::Missing, format!("dated {}, after {as_of}", a.date))
        } else if end < as_of {
            (
                Status::Missing,
                format!(
                    "dated {}, no longer current after {end}{}",
                    a.date,
                    if a.until.is_none() {
                        format!(" ({months} months)")
                    } else {
                        String::new()
                    }
                ),
            )
        } else {
            current += 1;
            (
                Status::Present,
                format!("dated {}, current until {end}", a.date),
            )
        };
        // One stale attestation among current ones is informational (no action): the
        // condition is having none current, below.
        out.push(term(
            a.kind.name(),
            status,
            detail,
            "",
            attest_citation.clone(),
        ));
    }
    if !attestations.is_empty() && current == 0 {
        out.push(term(
            "Security attestation",
            Status::Missing,
            "no attestation is current".to_string(),
            "obtain a current ISO/IEC 27001 certificate or SOC 2 Type II report, or audit the vendor",
            attest_citation,
        ));
    }

    let breach_citation = format!(
        "Regulation (EU) 2016/679 Art. 33(1) (controller to the supervisory authority within {CONTROLLER_BREACH_HOURS} hours), Art. 33(2) and Art. 28(3)(f) (processor to the controller without undue delay)"
    );
    let hours = intake
        .security
        .as_ref()
        .and_then(|s| s.breach_notification_hours);
    out.push(match hours {
        Some(h) if h < CONTROLLER_BREACH_HOURS => term(
            "Breach notification",
            Status::Present,
            format!("within {h} hours"),
            "",
            breach_citation,
        ),
        Some(h) => term(
            "Breach notification",
            Status::Missing,
            format!("within {h} hours — leaves no time for the controller's {CONTROLLER_BREACH_HOURS}-hour notification"),
            "agree notification without undue delay, well within the controller's 72 hours (e.g. 24–48 hours)",
            breach_citation,
        ),
        None => term(
            "Breach notification",
            Status::Missing,
            "no notification deadline".to_string(),
            "agree notification without undue delay, well within the controller's 72 hours (e.g. 24–48 hours)",
            breach_citation,
        ),
    });

    let retention_citation =
        "Regulation (EU) 2016/679 Art. 5(1)(e) (storage limitation), Art. 28(3)(g) (deletion or return at the end)"
            .to_string();
    let retention = intake.retention.as_ref();
    let days = retention.and_then(|r| r.days);
    let at_end = retention.and_then(|r| r.at_end);
    let period = days.map_or_else(
        || "retention period as the controller instructs".to_string(),
        |d| format!("kept {d} days"),
    );
    out.push(match at_end {
        Some(AtEnd::Retain) => term(
            "Retention and deletion",
            Status::Missing,
            format!("{period}; keeps the data when the contract ends"),
            "require deletion or return of all data at the end of the services",
            retention_citation,
        ),
        Some(end) => term(
            "Retention and deletion",
            Status::Present,
            format!(
                "{period}; {} at the end",
                if end == AtEnd::Delete {
                    "deleted"
                } else {
                    "returned"
                }
            ),
            "",
            retention_citation,
        ),
        None => term(
            "Retention and deletion",
            Status::Missing,
            format!("{period}; nothing agreed for the end of the contract"),
            "agree deletion or return of all data at the end of the services (and a retention period)",
            retention_citation,
        ),
    });
    let own = retention
        .map(|r| r.own_purposes.as_slice())
        .unwrap_or_default();
    if !own.is_empty() {
        out.push(term(
            "Use for the vendor's own purposes",
            if intake.vendor.role == Some(Role::Processor) {
                Status::Missing
            } else {
                Status::Present
            },
            format!("would also use the data for: {}", own.join(", ")),
            "prohibit any use beyond the controller's documented instructions",
            "Regulation (EU) 2016/679 Art. 28(3)(a) (documented instructions only), Art. 28(10) (a processor determining purposes is a controller)".to_string(),
        ));
    }
    out
}

fn decide(r: &mut VendorReview, rulebook: &Rulebook) {
    let mut reasons: Vec<Point> = Vec::new();
    let mut conditions: Vec<Point> = Vec::new();
    let mut notes: Vec<Point> = Vec::new();
    let doc = |c: Code| rulebook.doc(c).citation.on(r.as_of).to_string();

    // Unlawful hops: one reason per flow and regime.
    let mut unlawful: BTreeMap<(usize, Text), Vec<&HopReview>> = BTreeMap::new();
    for h in r.hops.iter().filter(|h| h.hop.verdict == Verdict::Unlawful) {
        unlawful
            .entry((h.hop.flow, h.hop.regime.clone()))
            .or_default()
            .push(h);
    }
    for ((flow, regime), hops) in &unlawful {
        let Some(first) = hops.first() else { continue };
        let errors: Vec<&Finding> = r
            .findings
            .iter()
            .filter(|f| f.flow == *flow && f.regime == *regime && f.severity == Severity::Error)
            .collect();
        let why: BTreeSet<&str> = errors.iter().map(|f| f.message.as_str()).collect();
        let destinations: Vec<&str> = hops.iter().map(|h| h.hop.destination.as_str()).collect();
        add(
            &mut reasons,
            format!(
                "No valid transfer basis on {}: {} → {} carries {regime} data to {} — {}",
                r.as_of,
                first.hop.from,
                first.hop.to,
                destinations.join(", "),
                why.into_iter().collect::<Vec<_>>().join("; ")
            ),
            errors
                .first()
                .map(|f| f.citation.to_string())
                .unwrap_or_else(|| doc(Code::NoMechanism)),
        );
        for h in hops {
            add(
                &mut conditions,
                format!(
                    "Put in place for {} → {}: {}",
                    h.hop.from, h.hop.to, h.need.text
                ),
                basis_or(&h.need, rulebook, &r.merged, &h.hop, r.as_of),
            );
        }
    }
    // Error findings on hops that are not unlawful (should another mechanism fail loudly).
    for f in &r.findings {
        if f.severity == Severity::Error
            && !r.hops.iter().any(|h| {
                h.hop.flow == f.flow
                    && h.hop.regime == f.regime
                    && h.hop.destination == f.destination
                    && h.hop.verdict == Verdict::Unlawful
            })
        {
            add(
                &mut reasons,
                format!("{}: {}", f.code, f.message),
                f.citation.clone(),
            );
        }
    }

    // Special categories.
    let undocumented: Vec<&SpecialData> =
        r.special.iter().filter(|s| s.condition.is_none()).collect();
    if let Some(first) = undocumented.first() {
        add(
            &mut reasons,
            format!(
                "Special-category data without a documented Art. 9(2) condition: {}",
                undocumented
                    .iter()
                    .map(|s| format!(
                        "{} ({}) would go to {}",
                        s.category,
                        s.like,
                        s.recipients.join(", ")
                    ))
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
            first.citation.clone(),
        );
    }
    for s in &r.special {
        match &s.condition {
            None => {}
            Some(c) => add(
                &mut conditions,
                format!(
                    "Special-category data {} ({}): rely on the documented condition ({c}), record the sensitive-data safeguards of the transfer tool (SCC Clause 8.6/8.7 and Annex I.B, or the framework's opt-in for onward disclosure) and assess the processing in a DPIA",
                    s.category, s.like
                ),
                s.citation.clone(),
            ),
        }
    }

    // Contract, security and retention checklists.
    for t in r.terms.iter().chain(r.security.iter()) {
        if t.status != Status::Missing || t.action.is_empty() {
            continue;
        }
        if t.term.starts_with("Transfer basis") || t.term.starts_with("Art. 9(2) condition") {
            continue; // covered by the reasons above
        }
        if t.term == "Use for the vendor's own purposes" {
            add(
                &mut reasons,
                format!(
                    "The vendor would use the data for its own purposes ({}): a processor may act only on documented instructions; for those purposes it would be a controller",
                    t.detail.trim_start_matches("would also use the data for: ")
                ),
                t.citation.clone(),
            );
            continue;
        }
        add(
            &mut conditions,
            format!("{}: {} ({})", t.term, t.action, t.detail),
            t.citation.clone(),
        );
    }

    // Hops on Art. 46 tools and derogations: their conditions.
    let mut seen = BTreeSet::new();
    for h in r
        .hops
        .iter()
        .filter(|h| h.hop.verdict == Verdict::Conditional)
    {
        let has_tia_gap = r.findings.iter().any(|f| {
            f.code == Code::MissingTia && f.flow == h.hop.flow && f.regime == h.hop.regime
        });
        if has_tia_gap
            || !seen.insert((
                h.hop.from.clone(),
                h.hop.to.clone(),
                h.hop.mechanism.clone(),
            ))
        {
            continue;
        }
        let destinations: BTreeSet<&str> = r
            .hops
            .iter()
            .filter(|o| {
                o.hop.from == h.hop.from
                    && o.hop.to == h.hop.to
                    && o.hop.verdict == Verdict::Conditional
                    && o.hop.mechanism == h.hop.mechanism
            })
            .map(|o| o.hop.destination.as_str())
            .collect();
        let destinations = destinations.into_iter().collect::<Vec<_>>().join(", ");
        if h.hop.mechanism.as_deref() == Some("derogation") {
            for f in r
                .findings
                .iter()
                .filter(|f| f.code == Code::OccasionalDerogation && f.flow == h.hop.flow)
            {
                add(&mut conditions, f.message.to_string(), f.citation.clone());
            }
        } else {
            add(
                &mut conditions,
                format!(
                    "{} → {} ({destinations}) rests on an Art. 46 safeguard ({}): keep the transfer impact assessment current and apply the supplementary measures it identifies; suspend the transfer if they cannot ensure essentially equivalent protection",
                    h.hop.from, h.hop.to, h.has
                ),
                doc(Code::MissingTia),
            );
        }
    }

    // Frameworks: legal risk without a fallback is a condition; with one, a note.
    for h in &r.hops {
        let Some(fb) = &h.fallback else { continue };
        let advisory = r.findings.iter().find(|f| {
            f.code == Code::Advisory
                && f.flow == h.hop.flow
                && f.regime == h.hop.regime
                && f.destination == h.hop.destination
        });
        if fb.verdict == Verdict::Unlawful {
            if let Some(a) = advisory {
                let fallback = h
                    .need
                    .options
                    .iter()
                    .find(|o| !o.contains("certification"))
                    .cloned()
                    .unwrap_or_else(|| "another transfer tool".to_string());
                add(
                    &mut conditions,
                    format!(
                        "{} → {} ({} → {}) rests on {} alone, which is under legal risk: sign {fallback} as a fallback now",
                        h.hop.from, h.hop.to, h.hop.regime, h.hop.destination, fb.framework
                    ),
                    a.citation.clone(),
                );
            } else {
                add(
                    &mut notes,
                    format!(
                        "{} → {} ({} → {}) rests on {} alone: if it fell, the hop would have no basis",
                        h.hop.from, h.hop.to, h.hop.regime, h.hop.destination, fb.framework
                    ),
                    basis_citation(rulebook, &r.merged, &h.hop, r.as_of),
                );
            }
        } else {
            add(
                &mut notes,
                format!(
                    "{} → {} ({} → {}) rests on {}; if it fell, the signed fallback `{}` keeps it {}: {}",
                    h.hop.from,
                    h.hop.to,
                    h.hop.regime,
                    h.hop.destination,
                    fb.framework,
                    fb.mechanism.as_deref().unwrap_or("?"),
                    fb.verdict,
                    fb.basis
                ),
                advisory.map_or_else(
                    || basis_citation(rulebook, &r.merged, &h.hop, r.as_of),
                    |a| a.citation.to_string(),
                ),
            );
        }
    }

    // Other warnings and information: notes.
    for f in &r.findings {
        if f.severity == Severity::Error
            || [
                Code::MissingTia,
                Code::SpecialCategory,
                Code::OccasionalDerogation,
            ]
            .contains(&f.code)
        {
            continue;
        }
        if f.code == Code::Advisory
            && r.hops
                .iter()
                .any(|h| h.fallback.is_some() && h.hop.flow == f.flow)
        {
            continue; // said with the fallback above
        }
        // Onward-transfer notes end with the rule they cite: say it once.
        let message = match f.message.strip_suffix(f.citation.as_str()) {
            Some(head) if !f.citation.is_empty() => format!("{}the rule cited", head),
            _ => f.message.to_string(),
        };
        add(
            &mut notes,
            format!("{}: {message}", f.code),
            f.citation.clone(),
        );
    }
    if !r.existing_changes.is_empty() {
        add(
            &mut notes,
            format!(
                "{} verdict(s) of the map's own hops change with the vendor",
                r.existing_changes.len()
            ),
            String::new(),
        );
    }

    r.decision = if !reasons.is_empty() {
        Decision::Reject
    } else if !conditions.is_empty() {
        Decision::ApproveWithConditions
    } else {
        Decision::Approve
    };
    if r.decision != Decision::Reject {
        // The grounds for approving: what each new transfer rests on.
        let mut grounds: Vec<Point> = Vec::new();
        for h in &r.hops {
            let text = match h.hop.verdict {
                Verdict::NotATransfer => format!(
                    "{} → {} ({} → {}): not a transfer — {}",
                    h.hop.from, h.hop.to, h.hop.regime, h.hop.destination, h.hop.basis
                ),
                v => format!(
                    "{} → {} ({} → {}): {v} — {}",
                    h.hop.from, h.hop.to, h.hop.regime, h.hop.destination, h.has
                ),
            };
            add(
                &mut grounds,
                text,
                basis_citation(rulebook, &r.merged, &h.hop, r.as_of),
            );
        }
        reasons = grounds;
    }
    r.reasons = reasons;
    r.conditions = conditions;
    r.notes = notes;
}

/// The citation for putting a needed mechanism in place: the SCC terms or framework the need
/// names, else the rule that decided the hop.
fn basis_or(need: &Need, rulebook: &Rulebook, map: &Map, hop: &Hop, date: NaiveDate) -> String {
    let first = need.options.first().map(String::as_str).unwrap_or("");
    if let Some(set) = rulebook
        .scc_sets
        .iter()
        .find(|s| first.starts_with(&format!("EU SCC {}", s.version)))
        && let Some(t) = set.terms.iter().find(|t| t.regime == hop.regime)
    {
        return t.citation.on(date).to_string();
    }
    basis_citation(rulebook, map, hop, date)
}
