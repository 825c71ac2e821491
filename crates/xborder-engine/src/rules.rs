//! The rules that qualify a regime's transfers beyond "a hop needs a valid mechanism"
//! (`transfer-rules` in the rulebook), judged the same way for every regime:
//!
//! - a **restricted destination** (a negative list, e.g. India's DPDP Act s.16) makes the hop
//!   unlawful whatever it claims (XB028);
//! - under a period whose law is a **negative list**, any other destination is lawful;
//! - an **exemption** (e.g. China's 2024 Provisions, Art. 5) makes the hop lawful without a
//!   mechanism (XB029);
//! - a **threshold** (`requires`) picks which mechanism kinds count (e.g. a CAC security
//!   assessment above the volumes of Art. 7 of those Provisions); any other kind claimed is
//!   insufficient (XB027);
//! - a **prerequisite** (e.g. Québec's privacy impact assessment, s.17) must be met by every
//!   transfer whatever makes it lawful (XB030).
//!
//! The facts the conditions test come from the map ([`HopContext::facts`]); where a fact is
//! missing the rule is judged as its `if-unknown` says, with a warning naming the fact (XB021).

use std::collections::BTreeSet;

use chrono::NaiveDate;
use xborder_law::{Code, Fact, RuleEffect, Rulebook, Tally, TransferModel, TransferRule};
use xborder_model::{EntityIx, Map, Mechanism};

use crate::hop::{HopContext, Note, Outcome};
use crate::propagate::Labels;
use crate::result::Verdict;

/// The regime's rules of one effect in force on the hop's date.
fn rules_of<'a>(
    cx: &HopContext<'a, '_>,
    effect: RuleEffect,
) -> impl Iterator<Item = &'a TransferRule> + use<'a> {
    cx.rulebook
        .transfer_rules_on(cx.regime, cx.date)
        .filter(move |r| r.effect == effect)
}

/// Whether a rule concerns the hop: `(holds, facts the answer had to assume)`.
fn concerns(cx: &HopContext<'_, '_>, rule: &TransferRule) -> (bool, BTreeSet<Fact>) {
    match &rule.when {
        Some(when) => when.test(cx.facts()).decide(rule.if_unknown),
        None => (true, BTreeSet::new()),
    }
}

/// The rule's unconfirmed point, if its research left one.
fn unconfirmed<'a>(outcome: &mut Outcome<'a>, rule: &'a TransferRule, citation: &'a str) {
    if let Some(why) = &rule.unconfirmed {
        outcome.notes.push(Note::unconfirmed(why.trim(), citation));
    }
}

/// What goes with a rule that decided a hop: the facts it had to assume (XB021) and its
/// unconfirmed point (XB014).
fn applied<'a>(
    cx: &HopContext<'a, '_>,
    outcome: &mut Outcome<'a>,
    rule: &'a TransferRule,
    assumed: &BTreeSet<Fact>,
    citation: &'a str,
) {
    outcome.notes.extend(cx.unknown_facts(
        assumed,
        &format!("whether {} applies", rule.name),
        "applying",
        citation,
    ));
    unconfirmed(outcome, rule, citation);
}

/// A destination the regime restricts: unlawful, whatever the hop claims (XB028).
/// A restriction may be limited by a condition (`when`: for some data, some exporters); a
/// fact it needs that the map does not state is decided by the rule's `if-unknown` and asked
/// for (XB021).
pub fn restricted<'a>(cx: &HopContext<'a, '_>, destination: &str) -> Restriction<'a> {
    let mut open = Vec::new();
    for rule in rules_of(cx, RuleEffect::Restricted).filter(|r| {
        r.destinations
            .iter()
            .any(|d| xborder_law::place_within(cx.destination, d) || d == destination)
    }) {
        let (holds, assumed) = concerns(cx, rule);
        if holds {
            return Restriction::Restricted(restriction(cx, rule, &assumed));
        }
        open.extend(cx.unknown_facts(
            &assumed,
            &format!("whether {} applies", rule.name),
            "not applying",
            rule.citation.on(cx.date),
        ));
    }
    Restriction::Open(open)
}

/// What the restrictions answer for a hop: the one that holds, or the warnings for the facts
/// that kept the others from applying.
pub enum Restriction<'a> {
    Restricted(Outcome<'a>),
    Open(Vec<Note<'a>>),
}

fn restriction<'a>(
    cx: &HopContext<'a, '_>,
    rule: &'a TransferRule,
    assumed: &BTreeSet<Fact>,
) -> Outcome<'a> {
    let citation = rule.citation.on(cx.date);
    let mut outcome = Outcome::new(
        Verdict::Unlawful,
        None,
        format!("{} ({citation})", rule.name),
    )
    .with(Note::new(
        Code::DestinationRestricted,
        format!(
            "{} data may not go to {} on {}: {} ({})",
            cx.regime,
            cx.destination,
            cx.date,
            rule.says.trim(),
            rule.name
        ),
        citation,
    ));
    applied(cx, &mut outcome, rule, assumed, citation);
    outcome
}

/// Under a negative-list law, a destination not restricted is lawful without a mechanism.
pub fn negative_list<'a>(cx: &HopContext<'a, '_>) -> Option<Outcome<'a>> {
    if cx.rulebook.transfer_model(cx.regime, cx.date) != TransferModel::NegativeList {
        return None;
    }
    let period = cx.rulebook.period(cx.regime, cx.date)?;
    let citation = period.citation.on(cx.date);
    let outcome = Outcome::new(
        Verdict::Lawful,
        None,
        format!(
            "not restricted: under {} a transfer is allowed unless its destination is restricted, and {} is not on {} ({citation})",
            period.name, cx.destination, cx.date
        ),
    )
    .citing(citation);
    Some(outcome)
}

/// What the exemptions answer for a hop: the exemption that holds, or the warnings for the
/// facts that kept the others from being decided.
pub enum Exemption<'a> {
    Exempt(Outcome<'a>),
    NotExempt(Vec<Note<'a>>),
}

/// The first exemption of the regime that holds for the hop (XB029).
pub fn exemption<'a>(cx: &HopContext<'a, '_>) -> Exemption<'a> {
    // Each fact left unknown is asked for once, cited by the first exemption that needed it.
    let mut asked: BTreeSet<Fact> = BTreeSet::new();
    let mut notes = Vec::new();
    for rule in rules_of(cx, RuleEffect::Exempt) {
        let (holds, assumed) = concerns(cx, rule);
        let citation = rule.citation.on(cx.date);
        if holds {
            let mut outcome = Outcome::new(
                Verdict::Lawful,
                None,
                format!("exempt: {} ({citation})", rule.name),
            )
            .citing(citation)
            .with(Note::new(
                Code::Exempt,
                format!(
                    "the hop from \"{}\" to \"{}\" needs no {} transfer mechanism: {} ({})",
                    cx.exporter.id,
                    cx.importer.id,
                    cx.regime,
                    rule.says.trim(),
                    rule.name
                ),
                citation,
            ));
            applied(cx, &mut outcome, rule, &assumed, citation);
            return Exemption::Exempt(outcome);
        }
        let new: BTreeSet<Fact> = assumed.difference(&asked).copied().collect();
        notes.extend(cx.unknown_facts(
            &new,
            &format!("whether {} applies", rule.name),
            "not exempt",
            citation,
        ));
        asked.extend(new);
    }
    Exemption::NotExempt(notes)
}

/// The threshold rule that picks the mechanisms the hop needs, if one holds, with the
/// warnings for facts the thresholds had to assume.
pub fn required_mechanisms<'a>(
    cx: &HopContext<'a, '_>,
) -> (Option<&'a TransferRule>, Vec<Note<'a>>) {
    let mut notes = Vec::new();
    for rule in rules_of(cx, RuleEffect::Requires) {
        let (holds, assumed) = concerns(cx, rule);
        let citation = rule.citation.on(cx.date);
        let judged = if holds { "applying" } else { "not applying" };
        notes.extend(cx.unknown_facts(
            &assumed,
            &format!("whether {} applies", rule.name),
            judged,
            citation,
        ));
        if holds {
            return (Some(rule), notes);
        }
    }
    (None, notes)
}

/// A claimed mechanism the threshold rule does not count (XB027).
pub fn insufficient<'a>(
    cx: &HopContext<'a, '_>,
    mechanism: &'a Mechanism,
    rule: &'a TransferRule,
) -> Outcome<'a> {
    let citation = rule.citation.on(cx.date);
    let message = format!(
        "`{}` does not make the hop from \"{}\" to \"{}\" lawful: {} ({}) requires {}",
        mechanism.kind_name(),
        cx.exporter.id,
        cx.importer.id,
        rule.name,
        rule.says.trim(),
        kinds(rule)
    );
    let mut outcome = Outcome::new(
        Verdict::Unlawful,
        Some(mechanism.kind_name()),
        format!("{} requires {}", rule.name, kinds(rule)),
    )
    .with(Note::new(Code::MechanismInsufficient, message, citation).at(mechanism.loc));
    unconfirmed(&mut outcome, rule, citation);
    outcome
}

/// The mechanism kinds a rule requires, in words: `` `a` or `b` ``.
pub fn kinds(rule: &TransferRule) -> String {
    let names: Vec<String> = rule.mechanisms.iter().map(|k| format!("`{k}`")).collect();
    names.join(" or ")
}

/// The prerequisites every transfer of the regime must meet, whatever made the hop lawful:
/// met on or before the date, fine; met later, unlawful (XB030); not stated, at best
/// conditional, with a warning asking for the fact (XB021).
pub fn prerequisites<'a>(cx: &HopContext<'a, '_>, outcome: &mut Outcome<'a>) {
    if outcome.verdict == Verdict::NotATransfer {
        return;
    }
    for rule in rules_of(cx, RuleEffect::Prerequisite) {
        let Some(fact) = rule.fact else { continue };
        let (holds, assumed) = concerns(cx, rule);
        let citation = rule.citation.on(cx.date);
        outcome.notes.extend(cx.unknown_facts(
            &assumed,
            &format!("whether {} is required", rule.name),
            if holds { "required" } else { "not required" },
            citation,
        ));
        if !holds {
            continue;
        }
        let stated = match fact {
            xborder_law::FlowFact::Pia => cx.flow.pia,
        };
        match stated {
            Some(day) if day <= cx.date => {}
            Some(day) => {
                outcome.verdict = Verdict::Unlawful;
                outcome.basis = format!("{} is dated {day}, after {}", rule.name, cx.date).into();
                outcome.citation = citation.into();
                outcome.notes.push(
                    Note::new(
                        Code::PrerequisiteNotMet,
                        format!(
                            "the hop from \"{}\" to \"{}\" needs {} before the data leaves ({}), but `{}: {day}` is after {}",
                            cx.exporter.id,
                            cx.importer.id,
                            rule.name,
                            rule.says.trim(),
                            fact.field(),
                            cx.date
                        ),
                        citation,
                    )
                    .at(cx.flow.loc),
                );
            }
            None => {
                if outcome.verdict == Verdict::Lawful {
                    outcome.verdict = Verdict::Conditional;
                }
                outcome.notes.push(Note::new(
                    Code::FactNotStated,
                    format!(
                        "{} requires {} ({}): the flow does not state `{}`; add `{}: DATE` to the flow",
                        cx.regime,
                        rule.name,
                        rule.says.trim(),
                        fact.field(),
                        fact.field()
                    ),
                    citation,
                ));
            }
        }
        unconfirmed(outcome, rule, citation);
    }
}

/// `individuals-per-year` added up per exporter, for each regime slot whose rules count
/// individuals (`None` for the others): over the exporter's flows that carry the regime's
/// data to an importer processing outside its territory, all of them and those carrying data
/// the regime counts as sensitive. PIPL thresholds are per exporter ("since 1 January of the
/// current year, cumulatively": 2024 Provisions, Arts. 5 and 7-8), hence the sum.
pub fn tallies(
    map: &Map,
    rulebook: &Rulebook,
    date: NaiveDate,
    labels: &Labels,
) -> Vec<Option<Vec<(Tally, Tally)>>> {
    labels
        .regimes
        .iter()
        .enumerate()
        .map(|(slot, &r)| {
            let regime = rulebook.regimes[r].id.as_str();
            rulebook
                .counts_individuals(regime)
                .then(|| tally_slot(map, rulebook, date, labels, slot, regime))
        })
        .collect()
}

fn tally_slot(
    map: &Map,
    rulebook: &Rulebook,
    date: NaiveDate,
    labels: &Labels,
    slot: usize,
    regime: &str,
) -> Vec<(Tally, Tally)> {
    let fresh = Tally {
        known: 0,
        complete: true,
    };
    let mut out = vec![(fresh, fresh); map.entities.len()];
    let mut outside: std::collections::HashMap<&str, bool> = std::collections::HashMap::new();
    let own_list = rulebook.sensitive_list(regime);
    for flow in &map.flows {
        let carried = labels.carried(flow, slot);
        if carried.is_empty() {
            continue;
        }
        let Some(importer) = map.entities.get(flow.to) else {
            continue;
        };
        let abroad = importer.processing.iter().any(|place| {
            *outside
                .entry(place.as_str())
                .or_insert_with(|| !rulebook.in_territory(regime, place, date))
        });
        if !abroad {
            continue;
        }
        let sensitive = labels
            .category_names(&carried)
            .iter()
            .any(|c| rulebook.is_sensitive_in(own_list, map.base_category(c)));
        let exporter: EntityIx = flow.from;
        let Some((all, sensitive_tally)) = out.get_mut(exporter) else {
            continue;
        };
        let add = |tally: &mut Tally| match flow.individuals_per_year {
            Some(n) => tally.known = tally.known.saturating_add(n),
            None => tally.complete = false,
        };
        add(all);
        if sensitive {
            add(sensitive_tally);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use xborder_law::{Threshold, Truth};

    fn yes(truth: Truth) -> bool {
        truth == Truth::Yes
    }

    #[test]
    fn thresholds_decide_on_what_is_known_and_wait_for_what_is_not() {
        let over = Threshold {
            more_than: Some(100),
            fewer_than: None,
        };
        let under = Threshold {
            more_than: None,
            fewer_than: Some(100),
        };
        let complete = |known| Tally {
            known,
            complete: true,
        };
        let partial = |known| Tally {
            known,
            complete: false,
        };
        assert!(yes(over.test(complete(101))));
        assert_eq!(over.test(complete(100)), Truth::No, "more than is strict");
        assert!(
            yes(over.test(partial(101))),
            "the known part already exceeds"
        );
        assert!(matches!(over.test(partial(100)), Truth::Unknown(_)));
        assert!(yes(under.test(complete(99))));
        assert_eq!(under.test(complete(100)), Truth::No, "fewer than is strict");
        assert_eq!(under.test(partial(100)), Truth::No, "already too many");
        assert!(matches!(under.test(partial(99)), Truth::Unknown(_)));
    }
}
