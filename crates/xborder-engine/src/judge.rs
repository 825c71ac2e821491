//! The verdict on each hop: for every regime a flow's data carries and every country the
//! importer processes in, not-a-transfer / lawful / conditional / unlawful as of the date.
//!
//! Order of reasoning (`DATA-MAP.md`, Semantics; EDPB Guidelines 05/2021; GDPR Arts. 44–49):
//! 1. data collected directly from data subjects is not a transfer (no exporter);
//! 2. a destination inside the regime's territory, or under a bridge, is not a transfer;
//! 3. an adequacy decision covering the importer makes the hop lawful, claimed or not;
//!    framework-based adequacy (DPF, Privacy Shield) needs the importer's certification;
//! 4. otherwise the claimed mechanisms decide: lawful if any is valid, best verdict wins.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use xborder_law::{AdequacyDecision, CategoryClass, Dated, Rulebook, Severity};
use xborder_model::{Entity, EntityKind, Flow, Loc, Map, Mechanism};

use crate::Options;
use crate::mechanisms;
use crate::parallel::{cores, in_parallel};
use crate::propagate::{Labels, country_of};
use crate::result::{Codes, Evaluation, Finding, Hop, Path, Summary, Verdict};
use xborder_law::Code;
use xborder_model::{Interner, Text};

/// Everything known about one hop while it is judged: `'a` is the map and the rulebook,
/// which what the judgement returns may borrow; `'h` is the hop's own working data (its
/// categories come from the propagation labels, which are dropped before findings are made).
pub struct HopContext<'a, 'h> {
    pub map: &'a Map,
    pub rulebook: &'a Rulebook,
    pub date: NaiveDate,
    pub options: &'a Options,
    pub flow: &'a Flow,
    pub exporter: &'a Entity,
    pub importer: &'a Entity,
    pub regime: &'a str,
    /// The rulebook's adequacy entries (decisions and frameworks) of `regime`, in rulebook
    /// order: selected once per regime rather than per hop, since every hop consults them.
    pub adequacy: &'h [&'a AdequacyDecision],
    pub destination: &'a str,
    /// Categories of the regime's data on this hop, as named in the map.
    pub categories: &'h [&'h str],
}

impl HopContext<'_, '_> {
    /// Base categories of the carried data (map categories resolved through `like:`).
    pub fn base_categories(&self) -> impl Iterator<Item = &str> {
        self.categories.iter().map(|c| self.map.base_category(c))
    }

    /// Whether an entry with this id has been switched off by `--assume-invalid`.
    pub fn assumed_invalid(&self, id: &str) -> bool {
        self.options.assume_invalid.contains(id)
    }

    /// Whether an adequacy decision is in force for this hop's date and not assumed away.
    pub fn decision_in_force(&self, decision: &AdequacyDecision) -> bool {
        decision.validity().contains(self.date)
            && !self.assumed_invalid(&decision.id)
            && !decision
                .framework
                .as_ref()
                .is_some_and(|f| self.assumed_invalid(&f.id))
    }
}

/// A note the judgement produces, before it becomes a [`Finding`]. Text taken from the map
/// or the rulebook as it is (citations, advisories) is borrowed, not copied: a large map
/// has hundreds of thousands of notes, most citing one of a few dozen sources.
#[derive(Debug, Clone)]
pub struct Note<'a> {
    pub code: Code,
    /// `None`: the rulebook's severity for the code (`codes.yaml`).
    pub severity: Option<Severity>,
    pub message: Cow<'a, str>,
    pub citation: Cow<'a, str>,
    pub loc: Option<Loc>,
}

impl<'a> Note<'a> {
    pub fn new(
        code: Code,
        message: impl Into<Cow<'a, str>>,
        citation: impl Into<Cow<'a, str>>,
    ) -> Self {
        Note {
            code,
            severity: None,
            message: message.into(),
            citation: citation.into(),
            loc: None,
        }
    }

    #[must_use]
    pub fn at(mut self, loc: Loc) -> Self {
        self.loc = Some(loc);
        self
    }
}

/// The judgement on one hop.
#[derive(Debug, Clone)]
pub struct Outcome<'a> {
    pub verdict: Verdict,
    pub mechanism: Option<&'a str>,
    pub basis: Cow<'a, str>,
    pub notes: Vec<Note<'a>>,
    /// Onward-transfer rule that travels with data received on this basis (SCC clause,
    /// DPF principle), for the importer's own onward hops.
    pub onward: Option<&'a str>,
}

impl<'a> Outcome<'a> {
    pub fn new(
        verdict: Verdict,
        mechanism: Option<&'a str>,
        basis: impl Into<Cow<'a, str>>,
    ) -> Self {
        Outcome {
            verdict,
            mechanism,
            basis: basis.into(),
            notes: Vec::new(),
            onward: None,
        }
    }

    #[must_use]
    pub fn with(mut self, note: Note<'a>) -> Self {
        self.notes.push(note);
        self
    }
}

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

/// How many parts to judge `flows` flows in: one per core for a large map, one for a small
/// map, where starting threads would cost more than they save.
fn parts(flows: usize) -> usize {
    const FLOWS_PER_PART_AT_LEAST: usize = 4096;
    cores().min(flows / FLOWS_PER_PART_AT_LEAST).clamp(1, 8)
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
}

/// The hops of a run of consecutive flows, before the runs are joined in flow order.
#[derive(Default)]
struct Judged<'a> {
    hops: Vec<Hop>,
    /// The notes of each hop, by hop index: judged into findings once onward rules are known.
    notes: Vec<Vec<Note<'a>>>,
    /// The onward-transfer rule of the instrument each (flow, regime slot) was judged under.
    onward_rules: HashMap<(usize, usize), &'a str>,
    /// (hop index, upstream flow, slot) of hops that pass on data received over another flow.
    pending_onward: Vec<(usize, usize, usize)>,
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
    };
    let shared = &shared;
    let part_len = map.flows.len().div_ceil(parts.max(1)).max(1);
    let runs: Vec<Judged<'_>> = in_parallel(
        map.flows
            .chunks(part_len)
            .map(|flows| move || judge_flows(shared, flows)),
    );
    drop(labels);

    // Joined in flow order: hop indices of later runs move up by the hops before them.
    // Onward rules are keyed by flow, and each flow is in one run, so no key is in two.
    let total_hops = runs.iter().map(|run| run.hops.len()).sum::<usize>();
    let mut runs = runs.into_iter();
    let mut judged = runs.next().unwrap_or_default();
    let more = total_hops - judged.hops.len();
    judged.hops.reserve_exact(more);
    judged.notes.reserve_exact(more);
    for run in runs {
        let offset = judged.hops.len();
        judged.hops.extend(run.hops);
        judged.notes.extend(run.notes);
        judged.onward_rules.extend(run.onward_rules);
        judged.pending_onward.extend(
            run.pending_onward
                .into_iter()
                .map(|(hop, upstream, slot)| (hop + offset, upstream, slot)),
        );
    }
    let Judged {
        mut hops,
        mut notes,
        onward_rules,
        pending_onward,
    } = judged;

    // Onward transfers: the rule of the instrument under which the exporter received the
    // data also binds this hop (GDPR Art. 44; SCC 2021 Clause 8.7/8.8; DPF Onward Transfer
    // Principle).
    for (hop_ix, upstream, slot) in pending_onward {
        if let Some(rule) = onward_rules.get(&(upstream, slot))
            && let Some(hop) = hops.get(hop_ix)
            && let Some(notes) = notes.get_mut(hop_ix)
        {
            let upstream_flow = map.flows.get(upstream);
            let via = upstream_flow
                .map(|f| format!("{} → {}", map.entities[f.from].id, map.entities[f.to].id))
                .unwrap_or_default();
            notes.push(Note::new(
                Code::OnwardTransfer,
                format!(
                    "onward transfer by \"{}\": data received over {via} stays bound by: {rule}",
                    hop.from
                ),
                *rule,
            ));
        }
    }

    // Findings, in hop order, again in parts.
    let hop_part_len = hops.len().div_ceil(parts.max(1)).max(1);
    let mut notes = notes.into_iter();
    let notes_parts: Vec<Vec<Vec<Note<'_>>>> = hops
        .chunks(hop_part_len)
        .map(|run| notes.by_ref().take(run.len()).collect())
        .collect();
    let found: Vec<(Vec<Finding>, Summary)> = in_parallel(
        hops.chunks_mut(hop_part_len)
            .zip(notes_parts)
            .map(|(hops, notes)| move || findings_of(rulebook, hops, notes)),
    );
    let total_findings = found.iter().map(|(f, _)| f.len()).sum::<usize>();
    let mut found = found.into_iter();
    let (mut findings, mut summary) = found.next().unwrap_or_default();
    findings.reserve_exact(total_findings - findings.len());
    for (part, counts) in found {
        findings.extend(part);
        summary.hops += counts.hops;
        summary.not_a_transfer += counts.not_a_transfer;
        summary.lawful += counts.lawful;
        summary.conditional += counts.conditional;
        summary.unlawful += counts.unlawful;
    }

    Evaluation {
        as_of: date,
        hops,
        findings,
        summary,
    }
}

/// The hops of a run of consecutive flows.
fn judge_flows<'a>(shared: &Shared<'a, '_>, flows: &'a [Flow]) -> Judged<'a> {
    let Shared {
        map,
        rulebook,
        date,
        options,
        labels,
        ..
    } = *shared;
    let mut judged = Judged::default();
    let mut texts = Interner::default();
    for flow in flows {
        let (Some(exporter), Some(importer)) =
            (map.entities.get(flow.from), map.entities.get(flow.to))
        else {
            continue;
        };
        for (slot, &r) in labels.regimes.iter().enumerate() {
            let carried = labels.carried(flow, slot);
            if carried.is_empty() {
                continue;
            }
            let regime = &rulebook.regimes[r].id;
            let categories = labels.category_names(&carried);
            let witness = labels.witness(map, flow.from, slot);
            // One path for all the hops of this flow and regime, and for their findings.
            let path: Path = witness
                .entities
                .iter()
                .chain(std::iter::once(&flow.to))
                .map(|&e| shared.entity_ids[e].clone())
                .collect();
            let regime_text = texts.text(regime);
            let category_texts: std::sync::Arc<[Text]> =
                categories.iter().map(|c| texts.text(c)).collect();
            let path_omitted = witness.omitted;
            for destination in &importer.processing {
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
                    categories: &categories,
                };
                let mut outcome = decide(&cx);
                if outcome.verdict != Verdict::NotATransfer {
                    mechanisms::destination_advisories(&cx, &mut outcome);
                    special_categories(&cx, &mut outcome);
                    if let Some(rule) = outcome.onward {
                        judged
                            .onward_rules
                            .entry((flow.index, slot))
                            .or_insert(rule);
                    }
                    if !labels.is_origin(flow.from, slot)
                        && let Some(upstream) = labels.arrived_through(flow.from, slot)
                    {
                        judged
                            .pending_onward
                            .push((judged.hops.len(), upstream, slot));
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
                    basis: texts.text(&outcome.basis),
                    categories: category_texts.clone(),
                    loc: flow.loc,
                });
                // Most hops have one or two notes: keep no room for more.
                let mut notes = outcome.notes;
                notes.shrink_to_fit();
                judged.notes.push(notes);
            }
        }
    }
    judged
}

/// The findings of a run of hops from their notes, with the hops' codes filled in and the
/// run's verdicts counted.
fn findings_of(
    rulebook: &Rulebook,
    hops: &mut [Hop],
    notes: Vec<Vec<Note<'_>>>,
) -> (Vec<Finding>, Summary) {
    let mut texts = Interner::default();
    let mut code_lists: HashSet<Codes> = HashSet::new();
    let mut codes: Vec<Code> = Vec::new();
    let mut findings = Vec::new();
    let mut summary = Summary::default();
    for (hop, notes) in hops.iter_mut().zip(notes) {
        summary.hops += 1;
        match hop.verdict {
            Verdict::NotATransfer => summary.not_a_transfer += 1,
            Verdict::Lawful => summary.lawful += 1,
            Verdict::Conditional => summary.conditional += 1,
            Verdict::Unlawful => summary.unlawful += 1,
        }
        codes.clear();
        for note in notes {
            let code = note.code;
            if !codes.contains(&code) {
                codes.push(code);
            }
            let doc = rulebook.doc(code);
            let citation = if note.citation.is_empty() {
                texts.text(&doc.citation)
            } else {
                texts.text(&note.citation)
            };
            findings.push(Finding {
                code,
                severity: note.severity.unwrap_or(doc.severity),
                flow: hop.flow,
                regime: hop.regime.clone(),
                destination: hop.destination.clone(),
                // Rulebook text (advisories) is shared; a message made for this hop is
                // kept at its exact length.
                message: match note.message {
                    Cow::Borrowed(text) => texts.text(text),
                    Cow::Owned(text) => Text::from(text),
                },
                citation,
                path: hop.path.clone(),
                path_omitted: hop.path_omitted,
                remediation: texts.text(&doc.fix),
                loc: note.loc.unwrap_or(hop.loc),
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
    (findings, summary)
}

/// Steps 1–4 of the module documentation.
fn decide<'a>(cx: &HopContext<'a, '_>) -> Outcome<'a> {
    let rb = cx.rulebook;
    let flow_mechanisms = claimed(cx);

    if cx.exporter.kind == EntityKind::Subjects {
        let mut outcome = Outcome::new(
            Verdict::NotATransfer,
            None,
            "direct collection from data subjects (EDPB Guidelines 05/2021: no exporter)",
        );
        for (mechanism, _) in &flow_mechanisms {
            outcome.notes.push(
                Note::new(
                    Code::DirectCollection,
                    format!(
                        "\"{}\" collects the data directly from data subjects \"{}\": not a transfer, the `{}` mechanism is not needed for this hop; the importer's own onward hops are judged as transfers",
                        cx.importer.id,
                        cx.exporter.id,
                        mechanism.kind_name()
                    ),
                    "EDPB Guidelines 05/2021 on the interplay between Art. 3 and Chapter V GDPR, v2.0 (14 Feb 2023), criterion 2",
                )
                .at(mechanism.loc),
            );
        }
        return outcome;
    }

    // An international organisation is a third party wherever its seat is: a hop to it is a
    // transfer (GDPR Art. 44; EDPB Guidelines 05/2021, criterion 3), judged under the
    // organisation-level decisions (e.g. the EPO, Implementing Decision (EU) 2025/1382).
    let organisation = cx.adequacy.iter().any(|d| {
        d.destination.is_none()
            && !d.scope.covers_any.is_empty()
            && d.scope
                .covers_any
                .iter()
                .any(|c| mechanisms::condition_holds(cx, c))
    });
    let destination = country_of(cx.destination);
    if !organisation && rb.in_territory(cx.regime, destination, cx.date) {
        return Outcome::new(
            Verdict::NotATransfer,
            None,
            format!(
                "{} is inside the territory of {} on {}",
                cx.destination, cx.regime, cx.date
            ),
        );
    }

    for bridge in rb.bridges.iter().filter(|_| !organisation) {
        if bridge.regime == cx.regime
            && bridge.destination == destination
            && bridge.validity().contains(cx.date)
            && !cx.assumed_invalid(&bridge.id)
        {
            let mut outcome = Outcome::new(
                Verdict::NotATransfer,
                Some(&bridge.id),
                format!("{} ({})", bridge.name, bridge.citation),
            );
            if let Some(why) = &bridge.unconfirmed {
                outcome.notes.push(Note::new(
                    Code::Unconfirmed,
                    format!("relies on an unconfirmed point: {why}"),
                    &bridge.citation,
                ));
            }
            return outcome;
        }
    }

    let mut scope_miss: Option<&AdequacyDecision> = None;
    for decision in cx.adequacy.iter().filter(|d| d.framework.is_none()) {
        let names_destination = decision.destination.as_deref() == Some(destination);
        if !(names_destination || decision.destination.is_none()) || !cx.decision_in_force(decision)
        {
            continue;
        }
        match mechanisms::scope_excludes(cx, &decision.scope) {
            None => {
                let mut outcome = Outcome::new(
                    Verdict::Lawful,
                    Some("adequacy"),
                    format!("{} ({})", decision.name, decision.reference),
                );
                outcome.onward = decision.onward.as_deref();
                mechanisms::reliance_notes(
                    cx,
                    &mut outcome,
                    "adequacy",
                    Some(&decision.id),
                    None,
                    decision.unconfirmed.as_deref(),
                    &decision.citation,
                );
                return outcome;
            }
            Some(_) if names_destination => scope_miss = scope_miss.or(Some(decision)),
            Some(_) => {}
        }
    }

    for decision in cx.adequacy {
        let Some(framework) = &decision.framework else {
            continue;
        };
        if decision.destination.as_deref() != Some(destination) || !cx.decision_in_force(decision) {
            continue;
        }
        if mechanisms::certified(cx, &framework.id).is_ok()
            && mechanisms::scope_excludes(cx, &decision.scope).is_none()
        {
            let mut outcome = Outcome::new(
                Verdict::Lawful,
                Some(&framework.mechanism),
                format!(
                    "{} ({}); \"{}\" certified",
                    decision.name, decision.reference, cx.importer.id
                ),
            );
            outcome.onward = decision.onward.as_deref();
            mechanisms::reliance_notes(
                cx,
                &mut outcome,
                &framework.mechanism,
                Some(&decision.id),
                None,
                decision.unconfirmed.as_deref(),
                &decision.citation,
            );
            return outcome;
        }
    }

    if flow_mechanisms.is_empty() {
        let outcome = Outcome::new(Verdict::Unlawful, None, "no transfer mechanism");
        return match scope_miss {
            Some(decision) => outcome.with(Note::new(
                Code::OutsideAdequacyScope,
                format!(
                    "transfer of {} data to {} in {}: {} does not cover this importer or data ({}) and no other mechanism is claimed",
                    cx.regime, cx.importer.id, cx.destination, decision.name, decision.scope.summary
                ),
                &decision.citation,
            )),
            None => outcome.with(Note::new(
                Code::NoMechanism,
                format!(
                    "transfer of {} data from \"{}\" to \"{}\" in {} has no transfer mechanism and {} is not adequate for it on {}",
                    cx.regime, cx.exporter.id, cx.importer.id, cx.destination, cx.destination, cx.date
                ),
                "",
            )),
        };
    }

    let outcomes: Vec<Outcome<'a>> = flow_mechanisms
        .iter()
        .map(|(mechanism, agreement)| mechanisms::evaluate(cx, mechanism, *agreement, scope_miss))
        .collect();
    combine(cx.rulebook, outcomes)
}

/// The mechanisms a flow claims, its own first, then those of its agreement.
fn claimed<'a>(cx: &HopContext<'a, '_>) -> Vec<(&'a Mechanism, Option<usize>)> {
    let mut list: Vec<(&Mechanism, Option<usize>)> =
        cx.flow.mechanisms.iter().map(|m| (m, None)).collect();
    if let Some(a) = cx.flow.agreement
        && let Some(agreement) = cx.map.agreements.get(a)
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
    let mut citation: &str = "";
    for (name, base) in cx.categories.iter().zip(cx.base_categories()) {
        if let Some(category) = cx.rulebook.category(base)
            && matches!(
                category.class,
                CategoryClass::Special | CategoryClass::Criminal
            )
        {
            sensitive.push(if *name == base {
                Cow::Borrowed(*name)
            } else {
                Cow::Owned(format!("{name} (like {base})"))
            });
            if citation.is_empty() {
                citation = category.citation.as_deref().unwrap_or_default();
            }
        }
    }
    if !sensitive.is_empty() {
        outcome.notes.push(Note::new(
            Code::SpecialCategory,
            format!(
                "{} carries special-category or criminal data ({}) to {} in {}: document the Art. 9(2)/Art. 10 condition and the sensitive-data safeguards of `{}`",
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
