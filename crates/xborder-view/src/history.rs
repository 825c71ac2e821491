//! The map judged on every date on which a verdict can change, kept per hop as the stretches
//! of dates over which its state — verdict, mechanism, basis, witness path, findings — stays
//! the same. This is what lets the page move through time without judging anything itself.
//!
//! The dates are the engine's breakpoints (`xborder_engine::breakpoints`: the rulebook's and
//! the map's own dates), so the state a stretch starts with holds on every day of it, and
//! what the page shows for a date is what `xborder check --as-of` says for that date. The
//! timeline of `xborder timeline` merges stretches with the same verdict and mechanism; here a
//! changed finding (a new citation, a warning that starts) starts a stretch too, so that the
//! findings and their counts are exact at every date of the slider.

use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDate;
use serde::{Serialize, Serializer};
use xborder_engine::{Evaluation, Finding, Hop, Options};
use xborder_law::{Code, Rulebook, Severity};
use xborder_model::{Map, Text};

use crate::strings::Strings;

/// How far past the as-of date the slider reaches: far enough to show the changes already
/// scheduled (a transition period that ends, a certification that lapses) that an auditor
/// judging the as-of date should see coming.
pub const LOOK_AHEAD_DAYS: i64 = 366;

/// A hop's state on the dates of one stretch. Indices point into the string table, the code
/// table (`Code::index`), the map's entities and [`History::findings`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct State {
    /// The verdict's rank: 0 not a transfer, 1 lawful, 2 conditional, 3 unlawful.
    pub verdict: u8,
    pub mechanism: Option<u32>,
    pub basis: u32,
    pub codes: Vec<u32>,
    pub path: Vec<u32>,
    pub path_omitted: usize,
    pub categories: Vec<u32>,
    pub findings: Vec<u32>,
}

impl Serialize for State {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mechanism = self.mechanism.map_or(-1, i64::from);
        (
            self.verdict,
            mechanism,
            self.basis,
            &self.codes,
            &self.path,
            self.path_omitted,
            &self.categories,
            &self.findings,
        )
            .serialize(s)
    }
}

/// One finding as the page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FindingRow {
    pub code: u32,
    /// 0 info, 1 warning, 2 error.
    pub severity: u8,
    pub message: u32,
    pub citation: u32,
    pub remediation: u32,
    pub line: u32,
    pub column: u32,
    /// Against `--base` on the same date: 1 new, 0 unchanged; -1 without a base.
    pub baseline: i8,
}

impl Serialize for FindingRow {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        (
            self.code,
            self.severity,
            self.message,
            self.citation,
            self.remediation,
            self.line,
            self.column,
            self.baseline,
        )
            .serialize(s)
    }
}

/// One hop through time: which flow, regime and destination, and from which stop on it has
/// which state (`-1`: the hop does not exist then, as when its regime no longer reaches it).
#[derive(Debug, Clone)]
pub struct HopLine {
    pub flow: usize,
    pub regime: u32,
    pub destination: u32,
    pub segments: Vec<(u32, i64)>,
}

impl HopLine {
    fn current(&self) -> i64 {
        self.segments.last().map_or(-1, |s| s.1)
    }
}

impl Serialize for HopLine {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let flat: Vec<i64> = self
            .segments
            .iter()
            .flat_map(|&(stop, state)| [i64::from(stop), state])
            .collect();
        (self.flow, self.regime, self.destination, flat).serialize(s)
    }
}

/// Everything the page needs about verdicts over time.
#[derive(Debug, Default)]
pub struct History {
    /// The dates of the slider, ascending: the first day the rulebook speaks of, every date
    /// on which some hop's state changes, and the as-of date.
    pub stops: Vec<NaiveDate>,
    /// The stop of the as-of date.
    pub initial: usize,
    /// The last day judged: the slider's last date holds up to it.
    pub until: NaiveDate,
    /// Regime ids, in the rulebook's order.
    pub regimes: Vec<String>,
    pub hops: Vec<HopLine>,
    pub states: Vec<State>,
    pub findings: Vec<FindingRow>,
    state_index: HashMap<State, u32>,
    finding_index: HashMap<FindingRow, u32>,
    hop_index: HashMap<(usize, u32, u32, usize), usize>,
}

/// A finding's identity against a base map: code, flow identity, regime, destination.
type BaseKey = (Code, String, Text, Text);

/// What is compared with the base map: the base and its flows' identities.
struct Base<'a> {
    map: &'a Map,
    identities: Vec<String>,
}

/// The dates to judge the map on: the rulebook's first day, every breakpoint up to a year
/// after `as_of`, and `as_of` itself.
pub fn candidate_dates(map: &Map, rulebook: &Rulebook, as_of: NaiveDate) -> Vec<NaiveDate> {
    let start = rulebook
        .breakpoints()
        .first()
        .copied()
        .unwrap_or(as_of)
        .min(as_of);
    let end = as_of + chrono::Duration::days(LOOK_AHEAD_DAYS);
    let mut dates: BTreeSet<NaiveDate> = xborder_engine::breakpoints(map, rulebook)
        .into_iter()
        .filter(|d| *d > start && *d <= end)
        .collect();
    dates.insert(start);
    dates.insert(as_of);
    dates.into_iter().collect()
}

/// Judges `map` on every candidate date and keeps each hop's stretches. With `base`, every
/// finding is also marked new or unchanged against the base map judged on the same date.
pub fn build(
    map: &Map,
    rulebook: &Rulebook,
    as_of: NaiveDate,
    base: Option<&Map>,
    strings: &mut Strings,
) -> History {
    let options = Options::default();
    let dates = candidate_dates(map, rulebook, as_of);
    let mut history = History {
        regimes: rulebook.regimes.iter().map(|r| r.id.clone()).collect(),
        ..History::default()
    };
    let identities: Vec<String> = (0..map.flows.len())
        .map(|f| xborder_engine::flow_identity(map, f))
        .collect();
    let base = base.map(|m| Base {
        map: m,
        identities: (0..m.flows.len())
            .map(|f| xborder_engine::flow_identity(m, f))
            .collect(),
    });
    let entities = map.entity_index();
    // A few dates at a time on every core (a large map is also judged on every core within
    // one date); they are taken in date order, so the result does not depend on the cores.
    let cores = xborder_engine::cores().max(1);
    for (chunk, some) in dates.chunks(cores).enumerate() {
        let judged = xborder_engine::in_parallel(some.iter().map(|&date| {
            let (base, options) = (base.as_ref(), &options);
            move || {
                let eval = xborder_engine::check(map, rulebook, date, options);
                (eval, base.map(|b| base_keys(b, rulebook, date, options)))
            }
        }));
        for (offset, ((eval, keys), date)) in judged.into_iter().zip(some).enumerate() {
            let judged = Judged {
                eval: &eval,
                date: date.to_string(),
                base: keys.as_ref(),
                identities: &identities,
                entities: &entities,
            };
            let stop = u32::try_from(chunk * cores + offset).unwrap_or(u32::MAX);
            history.absorb(stop, &judged, strings);
        }
    }
    history.initial = dates.iter().position(|d| *d == as_of).unwrap_or(0);
    history.until = as_of + chrono::Duration::days(LOOK_AHEAD_DAYS);
    history.stops = dates;
    history.keep_changing_stops();
    // In flow order, then regime by regime as the rulebook lists them: the order of
    // `xborder check`, whichever date a hop first appeared on. The sort is stable, so the
    // destinations of one flow and regime keep the order they were first met in.
    history.hops.sort_by_key(|line| (line.flow, line.regime));
    history
}

/// The findings of the base map on `date`, by their identity.
fn base_keys(
    base: &Base<'_>,
    rulebook: &Rulebook,
    date: NaiveDate,
    options: &Options,
) -> BTreeSet<BaseKey> {
    let eval = xborder_engine::check(base.map, rulebook, date, options);
    eval.findings
        .iter()
        .map(|f| key(&base.identities, f))
        .collect()
}

fn key(identities: &[String], f: &Finding) -> BaseKey {
    (
        f.code,
        identities.get(f.flow).cloned().unwrap_or_default(),
        f.regime.clone(),
        f.destination.clone(),
    )
}

/// One date's evaluation with what its hops' states are read against.
struct Judged<'a> {
    eval: &'a Evaluation,
    date: String,
    base: Option<&'a BTreeSet<BaseKey>>,
    identities: &'a [String],
    entities: &'a HashMap<&'a str, usize>,
}

impl History {
    /// Adds one date's hops: a hop whose state differs from its last one starts a stretch,
    /// and a hop that no longer exists ends its own.
    fn absorb(&mut self, stop: u32, judged: &Judged<'_>, strings: &mut Strings) {
        let eval = judged.eval;
        // The findings of each hop: they carry the hop's flow, regime and destination.
        let mut by_hop: HashMap<(usize, &str, &str), Vec<&Finding>> = HashMap::new();
        for f in &eval.findings {
            by_hop
                .entry((f.flow, &*f.regime, &*f.destination))
                .or_default()
                .push(f);
        }
        let mut nth: HashMap<(usize, &str, &str), usize> = HashMap::new();
        let mut present = vec![false; self.hops.len()];
        for hop in &eval.hops {
            let count = nth.entry(hop.key()).or_default();
            let occurrence = *count;
            *count += 1;
            // A second hop with the same key (none today) gets no findings twice.
            let findings = match occurrence {
                0 => by_hop.get(&hop.key()).map(Vec::as_slice).unwrap_or(&[]),
                _ => &[],
            };
            let line = self.line_of(hop, occurrence, strings);
            let state = self.state_of(hop, findings, judged, strings);
            if let Some(slot) = present.get_mut(line) {
                *slot = true;
            } else {
                present.resize(line + 1, false);
                present[line] = true;
            }
            if self.hops[line].current() != state {
                self.hops[line].segments.push((stop, state));
            }
        }
        for (line, here) in self.hops.iter_mut().zip(&present) {
            if !here && line.current() != -1 {
                line.segments.push((stop, -1));
            }
        }
    }

    /// The index of the hop's line, made on first sight.
    fn line_of(&mut self, hop: &Hop, occurrence: usize, strings: &mut Strings) -> usize {
        let regime = self.regime(&hop.regime);
        let destination = strings.plain(&hop.destination);
        let key = (hop.flow, regime, destination, occurrence);
        if let Some(&line) = self.hop_index.get(&key) {
            return line;
        }
        self.hops.push(HopLine {
            flow: hop.flow,
            regime,
            destination,
            segments: Vec::new(),
        });
        self.hop_index.insert(key, self.hops.len() - 1);
        self.hops.len() - 1
    }

    fn regime(&mut self, id: &str) -> u32 {
        let at = match self.regimes.iter().position(|r| r == id) {
            Some(at) => at,
            None => {
                self.regimes.push(id.to_string());
                self.regimes.len() - 1
            }
        };
        u32::try_from(at).unwrap_or(u32::MAX)
    }

    fn state_of(
        &mut self,
        hop: &Hop,
        findings: &[&Finding],
        judged: &Judged<'_>,
        strings: &mut Strings,
    ) -> i64 {
        let date = judged.date.as_str();
        let findings = findings
            .iter()
            .map(|f| {
                let baseline = judged.base.map_or(-1, |keys| {
                    i8::from(!keys.contains(&key(judged.identities, f)))
                });
                let row = FindingRow {
                    code: index_of(f.code),
                    severity: severity_rank(f.severity),
                    message: strings.dated(&f.message, date),
                    citation: strings.dated(&f.citation, date),
                    remediation: strings.dated(&f.remediation, date),
                    line: f.loc.line,
                    column: f.loc.column,
                    baseline,
                };
                intern(&mut self.findings, &mut self.finding_index, row)
            })
            .collect();
        let state = State {
            verdict: hop.verdict.badness(),
            mechanism: hop.mechanism.as_deref().map(|m| strings.plain(m)),
            basis: strings.dated(&hop.basis, date),
            codes: hop.codes.iter().map(|c| index_of(*c)).collect(),
            path: hop
                .path
                .iter()
                .filter_map(|id| judged.entities.get(&**id))
                .map(|&e| u32::try_from(e).unwrap_or(u32::MAX))
                .collect(),
            path_omitted: hop.path_omitted,
            categories: hop.categories.iter().map(|c| strings.plain(c)).collect(),
            findings,
        };
        i64::from(intern(&mut self.states, &mut self.state_index, state))
    }

    /// Drops the dates on which no hop changes (keeping the first and the as-of date): the
    /// slider then moves only between dates that show something new.
    fn keep_changing_stops(&mut self) {
        let mut starts = vec![false; self.stops.len()];
        for line in &self.hops {
            for &(stop, _) in &line.segments {
                if let Some(s) = starts.get_mut(stop as usize) {
                    *s = true;
                }
            }
        }
        let mut remap = vec![0u32; self.stops.len()];
        let mut kept = Vec::new();
        for (i, date) in self.stops.iter().enumerate() {
            if i == 0 || i == self.initial || starts[i] {
                kept.push(*date);
            }
            remap[i] = u32::try_from(kept.len().saturating_sub(1)).unwrap_or(u32::MAX);
        }
        for line in &mut self.hops {
            for segment in &mut line.segments {
                segment.0 = remap[segment.0 as usize];
            }
        }
        self.initial = remap.get(self.initial).map_or(0, |&i| i as usize);
        self.stops = kept;
    }
}

fn intern<T: Clone + Eq + std::hash::Hash>(
    items: &mut Vec<T>,
    index: &mut HashMap<T, u32>,
    item: T,
) -> u32 {
    if let Some(&i) = index.get(&item) {
        return i;
    }
    let i = u32::try_from(items.len()).unwrap_or(u32::MAX);
    items.push(item.clone());
    index.insert(item, i);
    i
}

fn index_of(code: Code) -> u32 {
    u32::try_from(code.index()).unwrap_or(u32::MAX)
}

pub fn severity_rank(severity: Severity) -> u8 {
    match severity {
        Severity::Info => 0,
        Severity::Warning => 1,
        Severity::Error => 2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::strings::Entry;

    fn coursera(name: &str) -> (Map, Rulebook) {
        let rulebook = Rulebook::embedded().expect("the embedded rulebook");
        let path = format!(
            "{}/../../data/coursera/{name}.yaml",
            env!("CARGO_MANIFEST_DIR")
        );
        let text = std::fs::read_to_string(&path).expect("the Coursera map");
        let vocabulary = xborder_engine::vocabulary(&rulebook);
        let (map, diagnostics) = xborder_model::load(&text, &vocabulary);
        (map.unwrap_or_else(|| panic!("{diagnostics:?}")), rulebook)
    }

    /// A hop as the test compares it: flow, regime, destination, verdict, and its findings'
    /// messages with their severities.
    type Seen = (usize, String, String, u8, Vec<(String, u8)>);

    fn text(strings: &Strings, i: u32, date: &str) -> String {
        match &strings.entries()[i as usize] {
            Entry::Plain(t) => t.clone(),
            Entry::Dated(parts) => parts.join(date),
        }
    }

    /// On every date of the slider, the hops' states give exactly what the engine says on
    /// that date: the same hops, each with its verdict and its findings' words and severities
    /// (so the page's summary, counted from them, is `check`'s).
    #[test]
    fn every_date_of_the_slider_shows_what_check_says() {
        for (name, as_of) in [
            ("2018-07", "2018-07-11"),
            ("2020-08", "2020-08-28"),
            ("2021-01", "2021-01-01"),
        ] {
            let (map, rulebook) = coursera(name);
            let as_of = NaiveDate::parse_from_str(as_of, "%Y-%m-%d").expect("date");
            let mut strings = Strings::default();
            let history = build(&map, &rulebook, as_of, None, &mut strings);
            assert_eq!(history.stops[history.initial], as_of);
            for (stop, date) in history.stops.iter().enumerate() {
                let eval = xborder_engine::check(&map, &rulebook, *date, &Options::default());
                let day = date.to_string();
                let mut shown: Vec<Seen> = Vec::new();
                for line in &history.hops {
                    let state = line
                        .segments
                        .iter()
                        .take_while(|s| s.0 as usize <= stop)
                        .last()
                        .map_or(-1, |s| s.1);
                    let Ok(state) = usize::try_from(state) else {
                        continue;
                    };
                    let state = &history.states[state];
                    let messages = state
                        .findings
                        .iter()
                        .map(|&f| {
                            let row = &history.findings[f as usize];
                            (text(&strings, row.message, &day), row.severity)
                        })
                        .collect();
                    let regime = history.regimes[line.regime as usize].clone();
                    let destination = text(&strings, line.destination, &day);
                    shown.push((line.flow, regime, destination, state.verdict, messages));
                }
                let mut judged: Vec<Seen> = eval
                    .hops
                    .iter()
                    .map(|h| {
                        let messages = eval
                            .findings
                            .iter()
                            .filter(|f| (f.flow, &*f.regime, &*f.destination) == h.key())
                            .map(|f| (f.message.to_string(), severity_rank(f.severity)))
                            .collect();
                        let (regime, destination) =
                            (h.regime.to_string(), h.destination.to_string());
                        (h.flow, regime, destination, h.verdict.badness(), messages)
                    })
                    .collect();
                judged.sort();
                shown.sort();
                assert_eq!(shown, judged, "{name} on {date}");
            }
        }
    }
}
