//! Verdicts over time: the intervals over which each hop's verdict held, computed from the
//! breakpoints of the rulebook and of the map (the only days on which a verdict can change),
//! never by sampling days.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::Serialize;
use xborder_law::Rulebook;
use xborder_model::{Map, MechanismKind, Text};

use crate::Options;
use crate::result::{Codes, Verdict};

/// Days on which some verdict of `map` can change: every start and every day after an end
/// in the rulebook, and the map's own dates (certifications, agreements, contract
/// signatures, changes, assessments). Sorted, without duplicates.
pub fn breakpoints(map: &Map, rulebook: &Rulebook) -> Vec<NaiveDate> {
    let mut dates: BTreeSet<NaiveDate> = rulebook.breakpoints().into_iter().collect();
    let mut after = |d: Option<NaiveDate>| dates.extend(d.and_then(|d| d.succ_opt()));
    for entity in &map.entities {
        for c in &entity.certifications {
            after(c.until);
        }
    }
    for agreement in &map.agreements {
        after(agreement.expires);
    }
    let mut on: Vec<NaiveDate> = Vec::new();
    for entity in &map.entities {
        on.extend(entity.certifications.iter().map(|c| c.from));
    }
    for agreement in &map.agreements {
        on.extend(agreement.signed);
    }
    let mechanisms = map
        .flows
        .iter()
        .flat_map(|f| f.mechanisms.iter())
        .chain(map.agreements.iter().flat_map(|a| a.mechanisms.iter()));
    for m in mechanisms {
        match &m.kind {
            MechanismKind::Scc(s) => on.extend(
                [s.signed, s.changed, s.uk_addendum, s.tia]
                    .into_iter()
                    .flatten(),
            ),
            // Every date a tool or a derogation states can change a verdict on that day, and
            // a tool granted for a time stops protecting the day after its last day.
            MechanismKind::Tool(t) => {
                on.extend(t.fields.iter().filter_map(|(_, v)| v.date()));
                let expires = rulebook
                    .mechanism_kind(&t.kind)
                    .and_then(|k| k.expires.as_deref());
                on.extend(
                    expires
                        .and_then(|field| t.fields.date(field))
                        .and_then(|d| d.succ_opt()),
                );
            }
            MechanismKind::Derogation(d) => on.extend(d.facts.iter().filter_map(|(_, v)| v.date())),
            MechanismKind::Adequacy | MechanismKind::Framework(_) => {}
        }
    }
    // An impact assessment documented on a day can change the verdict that day.
    on.extend(map.flows.iter().filter_map(|f| f.pia));
    dates.extend(on);
    dates.into_iter().collect()
}

/// One stretch of days with the same verdict on the same basis.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Interval {
    pub from: NaiveDate,
    /// Last day, inclusive; `None` while it still holds at the end of the range.
    pub until: Option<NaiveDate>,
    pub verdict: Verdict,
    pub mechanism: Option<Text>,
    pub codes: Codes,
}

/// The verdict history of one hop.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HopTimeline {
    pub flow: usize,
    pub id: Option<Text>,
    pub from: Text,
    pub to: Text,
    pub regime: Text,
    pub destination: Text,
    pub intervals: Vec<Interval>,
}

/// The verdict intervals of every hop between `start` and `end` (inclusive).
pub fn timeline(
    map: &Map,
    rulebook: &Rulebook,
    start: NaiveDate,
    end: NaiveDate,
    options: &Options,
) -> Vec<HopTimeline> {
    let mut dates = vec![start];
    dates.extend(
        breakpoints(map, rulebook)
            .into_iter()
            .filter(|d| *d > start && *d <= end),
    );
    let mut lines: BTreeMap<(usize, Text, Text), HopTimeline> = BTreeMap::new();
    let mut previous: BTreeSet<(usize, Text, Text)> = BTreeSet::new();
    for date in dates {
        let eval = crate::check(map, rulebook, date, options);
        let mut present = BTreeSet::new();
        for hop in eval.hops {
            let key = (hop.flow, hop.regime.clone(), hop.destination.clone());
            present.insert(key.clone());
            let line = lines.entry(key).or_insert_with(|| HopTimeline {
                flow: hop.flow,
                id: hop.id.clone(),
                from: hop.from.clone(),
                to: hop.to.clone(),
                regime: hop.regime.clone(),
                destination: hop.destination.clone(),
                intervals: Vec::new(),
            });
            let same = line.intervals.last().is_some_and(|last| {
                last.until.is_none()
                    && last.verdict == hop.verdict
                    && last.mechanism == hop.mechanism
            });
            if !same {
                if let Some(last) = line.intervals.last_mut()
                    && last.until.is_none()
                {
                    last.until = date.pred_opt();
                }
                line.intervals.push(Interval {
                    from: date,
                    until: None,
                    verdict: hop.verdict,
                    mechanism: hop.mechanism.clone(),
                    codes: hop.codes.clone(),
                });
            }
        }
        // A hop that stops existing (its regime no longer reaches it) ends its interval.
        for gone in previous.difference(&present) {
            if let Some(last) = lines.get_mut(gone).and_then(|l| l.intervals.last_mut())
                && last.until.is_none()
            {
                last.until = date.pred_opt();
            }
        }
        previous = present;
    }
    lines.into_values().collect()
}

/// A hop whose verdict gets worse on a later day: what expires within a horizon.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Expiry {
    pub date: NaiveDate,
    pub flow: usize,
    pub id: Option<Text>,
    pub from: Text,
    pub to: Text,
    pub regime: Text,
    pub destination: Text,
    pub before: Verdict,
    pub mechanism: Option<Text>,
    pub after: Verdict,
    pub codes: Codes,
}

/// Every hop whose verdict worsens after `as_of` and no later than `until`.
pub fn expiring(
    map: &Map,
    rulebook: &Rulebook,
    as_of: NaiveDate,
    until: NaiveDate,
    options: &Options,
) -> Vec<Expiry> {
    let mut out = Vec::new();
    for line in timeline(map, rulebook, as_of, until, options) {
        for pair in line.intervals.windows(2) {
            let [a, b] = pair else { continue };
            // A hop "expires" when it needs more than before: lawful → conditional →
            // unlawful. Leaving a bridge for adequacy (not a transfer → lawful) is not one.
            if b.verdict.badness() > a.verdict.badness()
                && matches!(b.verdict, Verdict::Conditional | Verdict::Unlawful)
                && a.until.and_then(|d| d.succ_opt()) == Some(b.from)
            {
                out.push(Expiry {
                    date: b.from,
                    flow: line.flow,
                    id: line.id.clone(),
                    from: line.from.clone(),
                    to: line.to.clone(),
                    regime: line.regime.clone(),
                    destination: line.destination.clone(),
                    before: a.verdict,
                    mechanism: a.mechanism.clone(),
                    after: b.verdict,
                    codes: b.codes.clone(),
                });
            }
        }
    }
    out.sort_by(|a, b| {
        (a.date, a.flow, &a.regime, &a.destination).cmp(&(
            b.date,
            b.flow,
            &b.regime,
            &b.destination,
        ))
    });
    out
}

/// Warnings for what stops being valid within a horizon (`check --horizon`): one `XB020`
/// finding per hop whose verdict worsens, with the day, added to `eval`.
pub fn add_horizon_findings(
    eval: &mut crate::Evaluation,
    expiring: &[Expiry],
    rulebook: &Rulebook,
) {
    use xborder_law::Code;
    let index = eval.hops_by_key();
    let found: Vec<(usize, &Expiry)> = expiring
        .iter()
        .filter_map(|e| {
            index
                .get(&(e.flow, &*e.regime, &*e.destination))
                .map(|&i| (i, e))
        })
        .collect();
    drop(index);
    let code = Code::ExpiresSoon;
    for (hop_ix, e) in found {
        let Some(hop) = eval.hops.get_mut(hop_ix) else {
            continue;
        };
        if !hop.codes.contains(&code) {
            hop.codes = hop.codes.iter().chain([&code]).cloned().collect();
        }
        // The rule that makes the hop worse decides the citation.
        let doc = e
            .codes
            .iter()
            .find_map(|&c| {
                Some(rulebook.doc(c)).filter(|d| d.severity == xborder_law::Severity::Error)
            })
            .unwrap_or(rulebook.doc(code));
        eval.findings.push(crate::Finding {
            code,
            severity: rulebook.severity(code),
            flow: hop.flow,
            regime: hop.regime.clone(),
            destination: hop.destination.clone(),
            message: format!(
                "\"{}\" → \"{}\" is {} now on {} but becomes {} on {}{}",
                hop.from,
                hop.to,
                e.before,
                e.mechanism.as_deref().unwrap_or("its current basis"),
                e.after,
                e.date,
                if e.codes.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", crate::codes_text(&e.codes))
                }
            )
            .into(),
            citation: doc.citation.on(eval.as_of).into(),
            path: hop.path.clone(),
            path_omitted: hop.path_omitted,
            remediation: rulebook.doc(code).fix.as_str().into(),
            loc: hop.loc,
            accepted: None,
        });
    }
}
