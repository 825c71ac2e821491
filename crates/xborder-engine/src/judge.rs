//! The verdict on each hop: for every regime a flow's data carries and every country the
//! importer processes in, not-a-transfer / lawful / conditional / unlawful as of the date.
//!
//! Order of reasoning (`docs/format.md`, section 6.4; EDPB Guidelines 05/2021; GDPR Arts. 44–49):
//! 1. data collected directly from data subjects, or passed within one legal person, is not a
//!    transfer where the regime's `not-transfers` rules say so (no exporter; no other
//!    controller or processor);
//! 2. a destination inside the regime's territory, or under a bridge, is not a transfer;
//! 3. a destination the regime restricts is unlawful; under a negative-list law any other is
//!    lawful (`rules.rs`);
//! 4. an adequacy decision covering the importer makes the hop lawful, claimed or not;
//!    framework-based adequacy (DPF, Privacy Shield) needs the importer's certification;
//! 5. an exemption of the regime makes it lawful without a mechanism; otherwise the claimed
//!    mechanisms decide, among the kinds a threshold of the regime requires if one applies:
//!    lawful if any is valid, best verdict wins;
//! 6. a prerequisite of the regime (an impact assessment) qualifies any transfer verdict;
//! 7. an onward hop is also held to the onward rule of the instrument its exporter received
//!    the data under (`onward.rs`).

use std::borrow::Cow;
use std::cell::OnceCell;
use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use chrono::NaiveDate;
use foldhash::fast::RandomState;
use xborder_law::{AdequacyDecision, Code, Dated, NotATransferWhen, Rulebook, Severity};
use xborder_model::{Entity, EntityIx, EntityKind, Flow, Map, Mechanism, MechanismKind};
use xborder_model::{Lasting, Text};

use crate::Options;
use crate::bitset::Bits;
use crate::hop::{AtDestination, HopContext, Message, Note, OnwardRule, Outcome};
use crate::mechanisms::{self, AdequacyAnswer};
use crate::onward::{OnwardFacts, judge_onward};
use crate::parallel::{cores, in_parallel, in_waves};
use crate::propagate::{Labels, country_of};
use crate::result::{Codes, Evaluation, Finding, Hop, Path, Summary, Verdict};
use crate::rules::{self, Exemption};

/// Judges every hop of `map`, on the machine's cores for a large map (see [`parts`]). The
/// result does not depend on how many parts the work was split into.
pub fn judge(
    map: &Map,
    rulebook: &Rulebook,
    date: NaiveDate,
    options: &Options,
    labels: Labels,
) -> Evaluation {
    judge_in(map, rulebook, date, options, labels, parts(map.flows.len()))
}

/// How many parts to judge `flows` flows in: four per core for a large map, judged a wave
/// of one per core at a time (see [`in_waves`]: each wave's parts but the first are held
/// twice while they are added, so the more parts, the less), one for a small map, where
/// starting threads would cost more than they save.
fn parts(flows: usize) -> usize {
    const FLOWS_PER_PART_AT_LEAST: usize = 4096;
    (4 * cores())
        .min(flows / FLOWS_PER_PART_AT_LEAST)
        .clamp(1, 32)
}

/// What holds for every hop of one judgement: read by all parts at once.
struct Shared<'a, 'l> {
    map: &'a Map,
    rulebook: &'a Rulebook,
    date: NaiveDate,
    options: &'a Options,
    /// Needed while hops are judged only: nothing judged borrows from them, so they are
    /// dropped before findings are made.
    labels: &'l Labels,
    entity_ids: Vec<Text>,
    /// The adequacy entries of each regime slot (see [`HopContext::adequacy`]).
    adequacy_by_slot: Vec<Vec<&'a AdequacyDecision>>,
    /// Per regime slot whose rules count individuals, each exporter's tallies
    /// (see [`rules::tallies`]).
    tallies: Vec<Option<Vec<(xborder_law::Tally, xborder_law::Tally)>>>,
}

/// The hops of runs of consecutive flows, in flow order.
#[derive(Default)]
struct Judged<'a> {
    hops: Vec<Hop>,
    /// The notes of each hop, by hop index: judged into findings once onward rules are known.
    notes: Vec<Vec<Note<'a>>>,
    /// The onward-transfer rule of the instrument each (flow, regime slot) was judged under.
    onward_rules: HashMap<(usize, usize), OnwardRule<'a>, RandomState>,
    /// Hops that pass on data received over another flow, a list per run of flows: each
    /// run's list is made at the run's size and kept as it is when runs are joined, since
    /// a list that grows, and is then copied into the joined one, faulted in fresh pages
    /// three times over (2% of a million-flow check's samples, the kernel zeroing them).
    pending_onward: Vec<Vec<Pending<'a>>>,
}

/// A hop bound by an upstream instrument's onward rule, once that rule is known: (hop
/// index, upstream flow, regime slot, what the hop rests on).
type Pending<'a> = (usize, usize, usize, OnwardFacts<'a>);

impl<'a> Judged<'a> {
    /// Lists made for `hops` hops: a list that doubles as it grows copies itself each time,
    /// and at a million hops the copies and the fresh pages they fault in were a sixth of a
    /// check.
    fn with_capacity(hops: usize) -> Self {
        Judged {
            hops: Vec::with_capacity(hops),
            notes: Vec::with_capacity(hops),
            ..Judged::default()
        }
    }

    /// The hops of the next run of flows added: their indices move up by the hops before
    /// them. Onward rules are keyed by flow, and each flow is in one run, so no key is in
    /// two.
    fn append(&mut self, run: Judged<'a>) {
        let offset = self.hops.len();
        self.hops.extend(run.hops);
        self.notes.extend(run.notes);
        self.onward_rules.extend(run.onward_rules);
        for mut list in run.pending_onward {
            for (hop, ..) in &mut list {
                *hop += offset;
            }
            self.pending_onward.push(list);
        }
    }
}

/// [`judge`] in `parts` parts of consecutive flows, joined in flow order.
fn judge_in(
    map: &Map,
    rulebook: &Rulebook,
    date: NaiveDate,
    options: &Options,
    labels: Labels,
    parts: usize,
) -> Evaluation {
    let shared = Shared {
        map,
        rulebook,
        date,
        options,
        labels: &labels,
        entity_ids: map.entities.iter().map(|e| Text::from(&e.id)).collect(),
        adequacy_by_slot: labels
            .regimes
            .iter()
            .map(|&r| {
                let regime = &rulebook.regimes[r].id;
                rulebook
                    .adequacy
                    .iter()
                    .filter(|d| &d.regime == regime)
                    .collect()
            })
            .collect(),
        tallies: rules::tallies(map, rulebook, date, &labels),
    };
    let shared = &shared;
    let part_len = map.flows.len().div_ceil(parts.max(1)).max(1);
    // The lists are made at their final size once (see [`Judged::with_capacity`]), each
    // run adding to them in flow order.
    let runs = sized_runs(shared, part_len);
    let mut judged = Judged::with_capacity(runs.iter().map(|(_, size)| size).sum());
    in_waves(
        &mut judged,
        runs,
        |(flows, size), into| judge_flows(shared, flows, size, into),
        |&(_, size)| Judged::with_capacity(size),
        Judged::append,
    );
    drop(labels);

    let Judged {
        mut hops,
        mut notes,
        onward_rules,
        pending_onward,
    } = judged;

    // Onward transfers: the rule of the instrument under which the exporter received the
    // data also binds this hop (GDPR Art. 44; SCC 2021 Clause 8.7/8.8; DPF Onward Transfer
    // Principle).
    for (hop_ix, upstream, slot, facts) in pending_onward.into_iter().flatten() {
        if let Some(rule) = onward_rules.get(&(upstream, slot))
            && let Some(hop) = hops.get_mut(hop_ix)
            && let Some(notes) = notes.get_mut(hop_ix)
        {
            judge_onward(map, date, hop, notes, upstream, *rule, &facts);
        }
    }

    // Findings, in hop order, again in parts; one finding per note.
    let hop_part_len = hops.len().div_ceil(parts.max(1)).max(1);
    let all = notes.iter().map(Vec::len).sum();
    let mut found = (Vec::with_capacity(all), Summary::default());
    in_waves(
        &mut found,
        hops.chunks_mut(hop_part_len)
            .zip(notes.chunks_mut(hop_part_len)),
        |(hops, notes), into| findings_of(rulebook, date, hops, notes, into),
        |(_, notes)| {
            let size = notes.iter().map(Vec::len).sum();
            (Vec::with_capacity(size), Summary::default())
        },
        |(findings, summary), (part, counts)| {
            findings.extend(part);
            summary.add(&counts);
        },
    );
    drop(notes);
    let (findings, summary) = found;

    Evaluation {
        as_of: date,
        hops,
        findings,
        summary,
    }
}

/// The map's flows in runs of `part_len`, each with how many hops it makes: counted on
/// every core (a pass over every flow's labels, a fortieth of a large check when it ran on
/// one).
fn sized_runs<'m>(shared: &Shared<'m, '_>, part_len: usize) -> Vec<(&'m [Flow], usize)> {
    let runs: Vec<&[Flow]> = shared.map.flows.chunks(part_len).collect();
    let per_core = runs.len().div_ceil(cores()).max(1);
    in_parallel(runs.chunks(per_core).map(|some| {
        move || {
            some.iter()
                .map(|&flows| (flows, hop_count(shared, flows)))
                .collect::<Vec<_>>()
        }
    }))
    .into_iter()
    .flatten()
    .collect()
}

/// How many hops [`judge_flows`] makes of `flows`.
fn hop_count(shared: &Shared<'_, '_>, flows: &[Flow]) -> usize {
    flows
        .iter()
        .filter_map(|flow| {
            let (_, importer) = ends(shared.map, flow)?;
            Some(regimes_carried(shared.labels, flow).count() * importer.processing.len())
        })
        .sum()
}

/// The exporter and the importer of a flow; a flow without both makes no hop.
fn ends<'m>(map: &'m Map, flow: &Flow) -> Option<(&'m Entity, &'m Entity)> {
    Some((map.entities.get(flow.from)?, map.entities.get(flow.to)?))
}

/// The regime slots whose data a flow carries, with the categories it carries of each: it
/// makes one hop for each and for each place its importer processes in.
fn regimes_carried<'l>(
    labels: &'l Labels,
    flow: &'l Flow,
) -> impl Iterator<Item = (usize, Bits)> + 'l {
    (0..labels.regimes.len())
        .map(|slot| (slot, labels.carried(flow, slot)))
        .filter(|(_, carried)| !carried.is_empty())
}

/// The names of each set of categories a flow carries under a regime, with their list
/// shared by the hops.
type CategoryLists<'s> = HashMap<Bits, (Vec<&'s str>, Arc<[Text]>), RandomState>;

/// The hops of a run of consecutive flows, `hops` of them, added to `judged`.
fn judge_flows<'a, 's>(
    shared: &'s Shared<'a, '_>,
    flows: &'a [Flow],
    hops: usize,
    judged: &mut Judged<'a>,
) {
    let Shared {
        map,
        rulebook,
        date,
        options,
        labels,
        ..
    } = *shared;
    let mut texts: Lasting<'s> = Lasting::default();
    // The names of the categories a flow carries under a regime, and their shared list for
    // the hops: a map has a few distinct sets and a million flows.
    let mut category_lists = CategoryLists::default();
    let mut pending = Vec::with_capacity(hops);
    // What the rulebook says of each (regime slot, destination): the same for every hop.
    let mut at_destinations: HashMap<(usize, &str), AtDestination<'a>, RandomState> =
        HashMap::default();
    for flow in flows {
        let Some((exporter, importer)) = ends(map, flow) else {
            continue;
        };
        // What the flow claims is the same for each of its hops.
        let flow_mechanisms = claimed(map, flow);
        for (slot, carried) in regimes_carried(labels, flow) {
            let regime = &rulebook.regimes[labels.regimes[slot]].id;
            let (categories, category_texts) = match category_lists.entry(carried) {
                Entry::Occupied(lists) => &*lists.into_mut(),
                Entry::Vacant(entry) => {
                    let names = labels.category_names(entry.key());
                    let shared = names.iter().map(|c| texts.text(c)).collect();
                    &*entry.insert((names, shared))
                }
            };
            let witness = labels.witness(flow.from, slot);
            // One path for all the hops of this flow and regime, and for their findings.
            let path: Path = witness
                .entities
                .iter()
                .chain(std::iter::once(&flow.to))
                .map(|&e| shared.entity_ids[e].clone())
                .collect();
            let regime_text = texts.text(regime);
            let path_omitted = witness.omitted;
            for destination in &importer.processing {
                let at_destination =
                    &*at_destinations
                        .entry((slot, destination))
                        .or_insert_with(|| {
                            AtDestination::of(
                                rulebook,
                                regime,
                                &shared.adequacy_by_slot[slot],
                                destination,
                                date,
                                options,
                            )
                        });
                let cx = HopContext {
                    map,
                    rulebook,
                    date,
                    options,
                    flow,
                    exporter,
                    importer,
                    regime,
                    adequacy: &shared.adequacy_by_slot[slot],
                    destination,
                    at_destination,
                    categories,
                    individuals: shared.tallies[slot]
                        .as_ref()
                        .and_then(|t| t.get(flow.from).copied()),
                    facts: OnceCell::new(),
                };
                let mut outcome = decide(&cx, &flow_mechanisms);
                if outcome.verdict != Verdict::NotATransfer {
                    rules::prerequisites(&cx, &mut outcome);
                    mechanisms::destination_advisories(&cx, &mut outcome);
                    special_categories(&cx, &mut outcome);
                    // Only an instrument the hop actually stands on binds the importer's
                    // onward hops.
                    if let Some(rule) = outcome.onward
                        && outcome.verdict != Verdict::Unlawful
                    {
                        judged
                            .onward_rules
                            .entry((flow.index, slot))
                            .or_insert(rule);
                    }
                    if !labels.is_origin(flow.from, slot)
                        && let Some(upstream) = labels.arrived_through(flow.from, slot)
                    {
                        let facts = onward_facts(&cx, &outcome);
                        pending.push((judged.hops.len(), upstream, slot, facts));
                    }
                }
                judged.hops.push(Hop {
                    flow: flow.index,
                    id: flow.id.clone(),
                    from: shared.entity_ids[flow.from].clone(),
                    to: shared.entity_ids[flow.to].clone(),
                    regime: regime_text.clone(),
                    destination: texts.text(destination),
                    verdict: outcome.verdict,
                    mechanism: outcome.mechanism.map(|m| texts.text(m)),
                    codes: Codes::default(),
                    path: path.clone(),
                    path_omitted,
                    basis: texts.cow(outcome.basis),
                    categories: category_texts.clone(),
                    loc: flow.loc,
                    citation: texts.cow(outcome.citation),
                });
                // Most hops have one or two notes: keep no room for more.
                let mut notes = outcome.notes;
                notes.shrink_to_fit();
                judged.notes.push(notes);
            }
        }
    }
    judged.pending_onward.push(pending);
}

/// The findings of a run of hops from their notes, added to `findings`, with the hops'
/// codes filled in and the run's verdicts counted in `summary`.
fn findings_of<'a>(
    rulebook: &'a Rulebook,
    date: NaiveDate,
    hops: &mut [Hop],
    notes: &mut [Vec<Note<'a>>],
    (findings, summary): &mut (Vec<Finding>, Summary),
) {
    let mut texts = Lasting::default();
    let mut code_lists: HashSet<Codes, RandomState> = HashSet::default();
    let mut codes: Vec<Code> = Vec::new();
    let regime_fixes = rulebook.regime_fixes();
    // Each hop's notes are freed as its findings are made.
    for (hop, notes) in hops.iter_mut().zip(notes.iter_mut().map(std::mem::take)) {
        summary.count(hop.verdict);
        codes.clear();
        for note in notes {
            let code = note.code;
            if !codes.contains(&code) {
                codes.push(code);
            }
            let doc = rulebook.doc(code);
            let citation = if note.citation.is_empty() {
                texts.text(doc.citation.on(date))
            } else {
                texts.cow(note.citation)
            };
            findings.push(Finding {
                code,
                severity: note.severity.unwrap_or(doc.severity),
                flow: hop.flow,
                regime: hop.regime.clone(),
                destination: hop.destination.clone(),
                // Rulebook text (advisories) is shared; a message made for this hop was
                // kept at its exact length when it was made, and moves here.
                message: match note.message {
                    Message::Rulebook(text) => texts.text(text),
                    Message::Made(text) => text,
                },
                citation,
                path: hop.path.clone(),
                path_omitted: hop.path_omitted,
                remediation: texts.text(
                    regime_fixes
                        .iter()
                        .find(|(regime, c, _)| *c == code && *regime == &*hop.regime)
                        .map_or(doc.fix.as_str(), |(_, _, fix)| fix),
                ),
                loc: note.loc.unwrap_or(hop.loc),
                accepted: None,
            });
        }
        hop.codes = match code_lists.get(codes.as_slice()) {
            Some(shared) => shared.clone(),
            None => {
                let list = Codes::from(codes.as_slice());
                code_lists.insert(list.clone());
                list
            }
        };
    }
}

/// The entity at the root of an entity's `legal-person` chain (itself when it has none).
fn legal_person(map: &Map, entity: EntityIx) -> EntityIx {
    map.entities
        .get(entity)
        .and_then(|e| e.legal_person)
        .unwrap_or(entity)
}

/// The hop is not a transfer under the regime's rule of this kind in force on the date, if the
/// regime has one (`not-transfers` in the rulebook).
fn not_a_transfer<'a>(
    cx: &HopContext<'a, '_>,
    when: NotATransferWhen,
) -> Option<(&'a xborder_law::NotATransfer, &'a str)> {
    cx.rulebook
        .not_transfers
        .iter()
        .find(|r| r.regime == cx.regime && r.when == when && r.validity().contains(cx.date))
        .map(|r| (r, r.citation.on(cx.date)))
}

/// Steps 1–6 of the module documentation: the first that decides the hop wins.
fn decide<'a>(
    cx: &HopContext<'a, '_>,
    flow_mechanisms: &[(&'a Mechanism, Option<usize>)],
) -> Outcome<'a> {
    match not_a_transfer_step(cx, flow_mechanisms) {
        Some(outcome) => outcome,
        None => transfer(cx, flow_mechanisms),
    }
}

/// Steps 1–2: direct collection, one legal person, the regime's territory and its bridges.
fn not_a_transfer_step<'a>(
    cx: &HopContext<'a, '_>,
    flow_mechanisms: &[(&'a Mechanism, Option<usize>)],
) -> Option<Outcome<'a>> {
    if cx.exporter.kind == EntityKind::Subjects
        && let Some((rule, citation)) = not_a_transfer(cx, NotATransferWhen::DirectCollection)
    {
        let mut outcome = Outcome::new(
            Verdict::NotATransfer,
            None,
            format!(
                "direct collection from data subjects: {} ({citation})",
                rule.says
            ),
        )
        .citing(citation);
        for (mechanism, _) in flow_mechanisms {
            outcome.notes.push(
                Note::new(
                    Code::DirectCollection,
                    format!(
                        "\"{}\" collects the data directly from data subjects \"{}\": not a transfer, the `{}` mechanism is not needed for this hop; the importer's own onward hops are judged as transfers",
                        cx.importer.id,
                        cx.exporter.id,
                        mechanism.kind_name()
                    ),
                    citation,
                )
                .at(mechanism.loc),
            );
        }
        unconfirmed_rule(&mut outcome, rule, citation);
        return Some(outcome);
    }

    if legal_person(cx.map, cx.flow.from) == legal_person(cx.map, cx.flow.to)
        && let Some((rule, citation)) = not_a_transfer(cx, NotATransferWhen::SameLegalPerson)
    {
        let mut outcome = Outcome::new(
            Verdict::NotATransfer,
            None,
            format!("one legal person: {} ({citation})", rule.says),
        )
        .citing(citation)
        .with(Note::new(
            Code::SameLegalPerson,
            format!(
                "\"{}\" and \"{}\" are one legal person (`legal-person`): not a transfer under {}; the onward hops of \"{}\" to other persons are judged as transfers",
                cx.exporter.id, cx.importer.id, cx.regime, cx.importer.id
            ),
            citation,
        ));
        unconfirmed_rule(&mut outcome, rule, citation);
        return Some(outcome);
    }

    // An international organisation is a third party wherever its seat is: a hop to it is a
    // transfer (GDPR Art. 44; EDPB Guidelines 05/2021, criterion 3), judged under the
    // organisation-level decisions (e.g. the EPO, Implementing Decision (EU) 2025/1382).
    let organisation = cx
        .adequacy
        .iter()
        .filter(|d| d.destination.is_none())
        .flat_map(|d| &d.scope.covers_any)
        .any(|c| c.matches(cx.facts()));
    if !organisation && let Some(membership) = cx.at_destination.membership {
        let mut outcome = Outcome::new(
            Verdict::NotATransfer,
            None,
            format!(
                "{} is inside the territory of {} on {}",
                cx.destination, cx.regime, cx.date
            ),
        )
        .citing(membership.citation.on(cx.date));
        // A doubt on the destination's membership on the date qualifies this verdict too.
        mechanisms::destination_advisories(cx, &mut outcome);
        return Some(outcome);
    }

    if !organisation && let Some(bridge) = cx.at_destination.bridge {
        let citation = bridge.citation.on(cx.date);
        let mut outcome = Outcome::new(
            Verdict::NotATransfer,
            Some(&bridge.id),
            format!("{} ({citation})", bridge.name),
        )
        .citing(citation);
        if let Some(why) = &bridge.unconfirmed {
            outcome.notes.push(Note::new(
                Code::Unconfirmed,
                format!("relies on an unconfirmed point: {why}"),
                citation,
            ));
        }
        return Some(outcome);
    }

    None
}

/// Steps 3–6 for a hop that is a transfer: restricted destinations and negative lists,
/// adequacy, exemptions, then the claimed mechanisms the regime's thresholds let count.
fn transfer<'a>(
    cx: &HopContext<'a, '_>,
    flow_mechanisms: &[(&'a Mechanism, Option<usize>)],
) -> Outcome<'a> {
    let destination = country_of(cx.destination);
    let open = match rules::restricted(cx, destination) {
        rules::Restriction::Restricted(outcome) => return outcome,
        rules::Restriction::Open(notes) => notes,
    };
    let mut outcome = allowed(cx, destination, flow_mechanisms);
    outcome.notes.extend(open);
    outcome
}

/// A transfer to a destination the regime does not restrict: the negative list, adequacy,
/// the exemptions, then the claimed mechanisms (with the thresholds that pick them).
fn allowed<'a>(
    cx: &HopContext<'a, '_>,
    destination: &str,
    flow_mechanisms: &[(&'a Mechanism, Option<usize>)],
) -> Outcome<'a> {
    let rb = cx.rulebook;
    if let Some(outcome) = rules::negative_list(cx) {
        return outcome;
    }

    let (scope_miss, mut scope_notes) = match mechanisms::adequacy(cx, destination) {
        AdequacyAnswer::Lawful(outcome) => return outcome,
        AdequacyAnswer::NotCovered { scope_miss, notes } => (scope_miss, notes),
    };
    match rules::exemption(cx) {
        Exemption::Exempt(mut outcome) => {
            outcome.notes.extend(scope_notes);
            return outcome;
        }
        Exemption::NotExempt(notes) => scope_notes.extend(notes),
    }
    let (required, threshold_notes) = rules::required_mechanisms(cx);
    scope_notes.extend(threshold_notes);

    let mut outcome = if flow_mechanisms.is_empty() {
        let outcome = Outcome::new(Verdict::Unlawful, None, "no transfer mechanism");
        let needs = required.map_or(String::new(), |rule| {
            format!("; {} requires {} for it", rule.name, rules::kinds(rule))
        });
        match scope_miss {
            Some(decision) => outcome.with(Note::new(
                Code::OutsideAdequacyScope,
                format!(
                    "transfer of {} data to {} in {}: {} does not cover this importer or data ({}) and no other mechanism is claimed",
                    cx.regime, cx.importer.id, cx.destination, decision.name, decision.scope.summary
                ),
                decision.citation.on(cx.date),
            )),
            None => outcome.with(Note::new(
                Code::NoMechanism,
                format!(
                    "transfer of {} data from \"{}\" to \"{}\" in {} has no transfer mechanism and {} is not adequate for it on {}{needs}",
                    cx.regime, cx.exporter.id, cx.importer.id, cx.destination, cx.destination, cx.date
                ),
                rb.period(cx.regime, cx.date)
                    .map_or("", |p| p.citation.on(cx.date)),
            )),
        }
    } else {
        let outcomes: Vec<Outcome<'a>> = flow_mechanisms
            .iter()
            .map(|(mechanism, agreement)| match required {
                Some(rule)
                    if !rule
                        .mechanisms
                        .iter()
                        .any(|k| k.as_str() == mechanism.kind_name()) =>
                {
                    rules::insufficient(cx, mechanism, rule)
                }
                _ => mechanisms::evaluate(cx, mechanism, *agreement, scope_miss),
            })
            .collect();
        combine(cx.rulebook, outcomes)
    };
    outcome.notes.extend(scope_notes);
    outcome
}

/// The XB014 warning of a rule the research could not confirm.
fn unconfirmed_rule<'a>(
    outcome: &mut Outcome<'a>,
    rule: &'a xborder_law::NotATransfer,
    citation: &'a str,
) {
    if let Some(why) = &rule.unconfirmed {
        outcome.notes.push(Note::unconfirmed(why.trim(), citation));
    }
}

/// What an onward hop rests on, for the upstream instrument's onward rule.
fn onward_facts<'a>(cx: &HopContext<'a, '_>, outcome: &Outcome<'a>) -> OnwardFacts<'a> {
    let contractual = |m: &Mechanism| match &m.kind {
        MechanismKind::Scc(_) => true,
        MechanismKind::Tool(t) => cx
            .rulebook
            .mechanism_kind(&t.kind)
            .is_some_and(|k| k.contractual),
        _ => false,
    };
    let sensitive = cx.base_categories().any(|c| cx.rulebook.is_sensitive(c));
    OnwardFacts {
        rests_on: outcome.rests_on,
        mechanism: outcome.mechanism,
        agreement: cx.flow.agreement.is_some() || cx.flow.mechanisms.iter().any(contractual),
        roles: cx.flow.roles,
        sensitive,
        opt_in: cx.flow.opt_in,
    }
}

/// The mechanisms a flow claims, its own first, then those of its agreement.
fn claimed<'a>(map: &'a Map, flow: &'a Flow) -> Vec<(&'a Mechanism, Option<usize>)> {
    let mut list: Vec<(&Mechanism, Option<usize>)> =
        flow.mechanisms.iter().map(|m| (m, None)).collect();
    if let Some(a) = flow.agreement
        && let Some(agreement) = map.agreements.get(a)
    {
        list.extend(agreement.mechanisms.iter().map(|m| (m, Some(a))));
    }
    list
}

/// The hop is lawful if ANY claimed mechanism is valid: the best verdict wins. Problems of
/// the other mechanisms stay visible, as warnings, when the hop is saved by another.
fn combine<'a>(rulebook: &Rulebook, outcomes: Vec<Outcome<'a>>) -> Outcome<'a> {
    let best = outcomes
        .iter()
        .enumerate()
        .min_by_key(|(i, o)| (o.verdict.badness(), *i))
        .map(|(i, _)| i)
        .unwrap_or(0);
    let mut iter = outcomes.into_iter().enumerate();
    let mut rest = Vec::new();
    let mut chosen = None;
    for (i, o) in iter.by_ref() {
        if i == best {
            chosen = Some(o);
        } else {
            rest.push(o);
        }
    }
    let Some(mut chosen) = chosen else {
        return Outcome::new(Verdict::Unlawful, None, "no transfer mechanism");
    };
    let saved = chosen.verdict != Verdict::Unlawful;
    for other in rest {
        for mut note in other.notes {
            let severity = note.severity.unwrap_or(rulebook.severity(note.code));
            if saved && severity == Severity::Error {
                note.severity = Some(rulebook.severity_if_hop_stands(note.code));
                note.message = format!(
                    "{} (the hop rests on `{}` instead)",
                    note.message,
                    chosen.mechanism.unwrap_or("another mechanism")
                )
                .into();
            }
            chosen.notes.push(note);
        }
    }
    chosen
}

/// Special categories and criminal data need more than a transfer tool: an Art. 9(2) or
/// Art. 10 condition and the tool's sensitive-data safeguards (SCC 2021 Clause 8.6 / 8.7,
/// DPF Choice Principle opt-in).
fn special_categories<'a>(cx: &HopContext<'a, '_>, outcome: &mut Outcome<'a>) {
    let mut sensitive: Vec<Cow<'_, str>> = Vec::new();
    let regime = cx.rulebook.regime(cx.regime);
    let own_list = regime.and_then(|r| r.sensitive_categories.as_deref());
    for (name, base) in cx.categories.iter().zip(cx.base_categories()) {
        if cx.rulebook.is_sensitive_in(own_list, base) {
            sensitive.push(if *name == base {
                Cow::Borrowed(*name)
            } else {
                Cow::Owned(format!("{name} (like {base})"))
            });
        }
    }
    if !sensitive.is_empty() {
        // What the regime requires for such data besides the transfer tool, in its words; a
        // regime whose rulebook entry states nothing is cited by its own law, never another's.
        let rule = regime.and_then(|r| r.special_categories.as_ref());
        // A regime with its own list of sensitive categories (PIPL Art. 28) is said in its
        // terms; the others in the GDPR's (Arts. 9 and 10).
        let kind = if own_list.is_some() {
            "data its law treats as sensitive"
        } else {
            "special-category or criminal data"
        };
        let (needs, citation) = match rule {
            Some(r) => (r.says.trim(), r.citation.on(cx.date)),
            None => (
                "the rulebook states no rule of the regime for such data",
                cx.rulebook
                    .period(cx.regime, cx.date)
                    .map_or("", |p| p.citation.on(cx.date)),
            ),
        };
        outcome.notes.push(Note::new(
            Code::SpecialCategory,
            format!(
                "{} carries {kind} ({}) to {} in {}: {needs}, and the sensitive-data safeguards of `{}`",
                cx.regime,
                sensitive.join(", "),
                cx.importer.id,
                cx.destination,
                outcome.mechanism.unwrap_or("the transfer tool")
            ),
            citation,
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Chains learners (EEA) → company (DE) → vendor (JP, adequacy with an onward rule) →
    /// sub-processor (US), with the flows listed last hop first, so that a hop's onward rule
    /// comes from a flow judged in a later part.
    fn chains(count: usize) -> String {
        let mut text = String::from("format: 1\norganisation: Example\nentities:\n");
        for i in 0..count {
            text.push_str(&format!(
                "  learners-{i}: {{ name: Learners, kind: subjects, country: EEA }}\n  \
                 company-{i}: {{ name: Company, kind: company, country: DE, role: controller }}\n  \
                 vendor-{i}: {{ name: Vendor, kind: vendor, country: JP, role: processor }}\n  \
                 sub-{i}: {{ name: Sub, kind: vendor, country: US, role: processor }}\n"
            ));
        }
        text.push_str("flows:\n");
        for (from, to) in [
            ("vendor", "sub"),
            ("company", "vendor"),
            ("learners", "company"),
        ] {
            for i in 0..count {
                text.push_str(&format!(
                    "  - {{ from: {from}-{i}, to: {to}-{i}, data: [name, email] }}\n"
                ));
            }
        }
        text
    }

    #[test]
    fn judging_in_parts_gives_the_same_evaluation() {
        let rulebook = Rulebook::embedded().expect("the embedded rulebook loads");
        let (map, diagnostics) = xborder_model::load(&chains(6), &crate::vocabulary(&rulebook));
        let map = map.unwrap_or_else(|| panic!("invalid test map: {diagnostics:?}"));
        let date = NaiveDate::from_ymd_opt(2024, 6, 1).expect("a date");
        let options = Options::default();
        let labels = || crate::propagate::propagate(&map, &rulebook, date);
        let whole = judge_in(&map, &rulebook, date, &options, labels(), 1);
        let onward = whole
            .findings
            .iter()
            .filter(|f| f.code == Code::OnwardTransfer)
            .count();
        assert_eq!(
            onward, 6,
            "each chain's last hop is bound by Japan's onward rule"
        );
        for parts in [2, 3, 5, 18, 40] {
            assert!(
                judge_in(&map, &rulebook, date, &options, labels(), parts) == whole,
                "judged in {parts} parts, the evaluation differs"
            );
        }
    }
}
