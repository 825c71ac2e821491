//! Adequacy: a decision of the hop's regime covering the destination and the importer makes
//! the hop lawful whether or not the map claims it (GDPR Art. 45(1); UK GDPR Art. 45 / 45A;
//! FADP Art. 16(1)). A scoped decision covers only the importers and processing its scope
//! names; framework-based adequacy (DPF, Privacy Shield) also needs the importer's
//! certification (see `framework.rs`).

use std::collections::BTreeSet;

use xborder_law::{AdequacyDecision, Code, Coverage, Fact, ToolEffectOrAdequacy};
use xborder_model::Mechanism;

use super::{certified, reliance_notes};
use crate::hop::{HopContext, Note, OnwardRule, Outcome, RestsOn};
use crate::result::Verdict;

/// Step 3 of the judgement: the adequacy covering the hop, or the decision that names the
/// destination but does not cover this importer or data.
pub enum AdequacyAnswer<'a> {
    Lawful(Outcome<'a>),
    NotCovered {
        /// The first decision naming the destination whose scope leaves the hop out.
        scope_miss: Option<&'a AdequacyDecision>,
        /// Warnings for facts the scopes needed and the map does not state.
        notes: Vec<Note<'a>>,
    },
}

/// What an adequacy decision in force gives a hop it covers, with a warning for each fact its
/// scope needed that the map does not state (`unknown`).
pub(crate) fn lawful_on<'a>(
    cx: &HopContext<'a, '_>,
    decision: &'a AdequacyDecision,
    mechanism: &'a str,
    basis: String,
    unknown: &BTreeSet<Fact>,
) -> Outcome<'a> {
    let mut outcome = Outcome::new(Verdict::Lawful, Some(mechanism), basis)
        .resting_on(RestsOn {
            effect: Some(ToolEffectOrAdequacy::Adequacy),
            ..RestsOn::default()
        })
        .citing(decision.citation.on(cx.date));
    outcome.onward = decision.onward.as_ref().map(|rule| OnwardRule {
        rule,
        reading: None,
    });
    reliance_notes(
        cx,
        &mut outcome,
        mechanism,
        Some(&decision.id),
        None,
        decision.unconfirmed.as_deref(),
        decision.citation.on(cx.date),
    );
    outcome
        .notes
        .extend(scope_notes(cx, decision, unknown, true));
    outcome
}

/// Warnings for the facts a decision's scope needed, saying how they were judged.
pub(crate) fn scope_notes<'a>(
    cx: &HopContext<'a, '_>,
    decision: &'a AdequacyDecision,
    unknown: &BTreeSet<Fact>,
    covered: bool,
) -> Vec<Note<'a>> {
    if unknown.is_empty() {
        return Vec::new();
    }
    let rule = format!("whether {} covers this hop", decision.name);
    let judged = if covered {
        "covered by the decision"
    } else {
        "not covered by the decision"
    };
    cx.unknown_facts(unknown, &rule, judged, decision.citation.on(cx.date))
}

/// Step 3: the decisions (not framework-based) naming the destination, or an international
/// organisation the importer is, then the frameworks whose certification the importer holds.
pub fn adequacy<'a>(cx: &HopContext<'a, '_>, destination: &str) -> AdequacyAnswer<'a> {
    let mut scope_miss: Option<&AdequacyDecision> = None;
    let mut notes = Vec::new();
    // The entries in force that name the destination's country or no country (see
    // [`AtDestination`](crate::hop::AtDestination)).
    let here = &cx.at_destination.adequacy;
    for &decision in here.iter().filter(|d| d.framework.is_none()) {
        let names_destination = decision.destination.as_deref() == Some(destination);
        let answer = decision.scope.coverage(cx.facts(), cx.date);
        if answer.is_covered() {
            return AdequacyAnswer::Lawful(lawful_on(
                cx,
                decision,
                "adequacy",
                format!("{} ({})", decision.name, decision.reference),
                &answer.unknown,
            ));
        }
        if names_destination {
            notes.extend(scope_notes(cx, decision, &answer.unknown, false));
            scope_miss = scope_miss.or(Some(decision));
        }
    }

    for &decision in here {
        let Some(framework) = &decision.framework else {
            continue;
        };
        if decision.destination.as_deref() != Some(destination) {
            continue;
        }
        if certified(cx, framework).is_err() {
            continue;
        }
        let answer = decision.scope.coverage(cx.facts(), cx.date);
        if answer.is_covered() {
            return AdequacyAnswer::Lawful(lawful_on(
                cx,
                decision,
                &framework.mechanism,
                format!(
                    "{} ({}); \"{}\" certified",
                    decision.name, decision.reference, cx.importer.id
                ),
                &answer.unknown,
            ));
        }
    }
    AdequacyAnswer::NotCovered { scope_miss, notes }
}

/// Why a scope leaves a hop out, in words.
pub(crate) fn why_not_covered(
    cx: &HopContext<'_, '_>,
    decision: &AdequacyDecision,
    coverage: &Coverage,
) -> String {
    match coverage {
        Coverage::Covered => String::new(),
        Coverage::NotCovered => format!("the decision covers only: {}", decision.scope.summary),
        Coverage::Excluded(x) => format!("excluded: {} ({})", x.when, x.citation.on(cx.date)),
    }
}

/// Adequacy was claimed, but step 3 of the judgement found none that covers the hop.
pub fn claimed<'a>(
    cx: &HopContext<'a, '_>,
    mechanism: &Mechanism,
    scope_miss: Option<&'a AdequacyDecision>,
) -> Outcome<'a> {
    let outcome = Outcome::new(
        Verdict::Unlawful,
        Some("adequacy"),
        "claimed adequacy does not hold",
    );
    if let Some(decision) = scope_miss {
        let answer = decision.scope.coverage(cx.facts(), cx.date);
        let reason = why_not_covered(cx, decision, &answer.coverage);
        return outcome.with(
            Note::new(
                Code::OutsideAdequacyScope,
                format!(
                    "{} does not cover this hop to \"{}\": {reason}",
                    decision.name, cx.importer.id
                ),
                decision.citation.on(cx.date),
            )
            .at(mechanism.loc),
        );
    }
    let destination = crate::propagate::country_of(cx.destination);
    let out_of_force = cx
        .adequacy
        .iter()
        .find(|d| d.framework.is_none() && d.destination.as_deref() == Some(destination));
    let (message, citation) = match out_of_force {
        Some(d) => (
            format!(
                "claims adequacy, but {} is not in force for {} on {}",
                d.name, cx.destination, cx.date
            ),
            d.citation.on(cx.date),
        ),
        None => (
            format!(
                "claims adequacy, but no {} adequacy decision covers {} on {}",
                cx.regime, cx.destination, cx.date
            ),
            cx.rulebook
                .period(cx.regime, cx.date)
                .map_or("", |p| p.citation.on(cx.date)),
        ),
    };
    outcome.with(Note::new(Code::NoMechanism, message, citation).at(mechanism.loc))
}
