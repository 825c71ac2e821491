//! Comparing two evaluations (a base map and a changed one): which findings are new,
//! unchanged or resolved, and which hop verdicts changed.
//!
//! Findings are matched by code + flow identity + regime + destination, where a flow's
//! identity is its `id` or, without one, `exporter->importer`: robust to reordering flows
//! and to lines moving in the file.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use xborder_model::Map;

use crate::result::{Evaluation, Finding, Hop, Verdict};
use xborder_model::Text;

/// The identity of a flow across two versions of a map.
pub fn flow_identity(map: &Map, flow: usize) -> String {
    match map.flows.get(flow) {
        Some(f) => match &f.id {
            Some(id) => id.to_string(),
            None => format!(
                "{}->{}",
                map.entities.get(f.from).map_or("?", |e| e.id.as_str()),
                map.entities.get(f.to).map_or("?", |e| e.id.as_str())
            ),
        },
        None => format!("#{flow}"),
    }
}

/// Whether a finding is new, unchanged or gone relative to the base.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Baseline {
    New,
    Unchanged,
    Resolved,
}

/// A hop whose verdict differs between base and changed map.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VerdictChange {
    pub flow: String,
    pub regime: Text,
    pub destination: Text,
    pub before: Option<Verdict>,
    pub after: Option<Verdict>,
}

/// The comparison of two evaluations.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// Findings of the changed map, each classified as new or unchanged.
    pub current: Vec<(Baseline, Finding)>,
    /// Findings of the base that the changed map no longer has.
    pub resolved: Vec<Finding>,
    pub verdicts: Vec<VerdictChange>,
}

impl Comparison {
    pub fn new_findings(&self) -> impl Iterator<Item = &Finding> {
        self.current
            .iter()
            .filter(|(b, _)| *b == Baseline::New)
            .map(|(_, f)| f)
    }
}

type Key = (xborder_law::Code, String, Text, Text);

fn finding_key(map: &Map, f: &Finding) -> Key {
    (
        f.code,
        flow_identity(map, f.flow),
        f.regime.clone(),
        f.destination.clone(),
    )
}

fn hop_key(map: &Map, h: &Hop) -> (String, Text, Text) {
    (
        flow_identity(map, h.flow),
        h.regime.clone(),
        h.destination.clone(),
    )
}

/// Compares `current` (of `current_map`) with `base` (of `base_map`).
pub fn compare(
    base_map: &Map,
    base: &Evaluation,
    current_map: &Map,
    current: &Evaluation,
) -> Comparison {
    let base_keys: BTreeSet<Key> = base
        .findings
        .iter()
        .map(|f| finding_key(base_map, f))
        .collect();
    let current_keys: BTreeSet<Key> = current
        .findings
        .iter()
        .map(|f| finding_key(current_map, f))
        .collect();
    let classified = current
        .findings
        .iter()
        .map(|f| {
            let state = if base_keys.contains(&finding_key(current_map, f)) {
                Baseline::Unchanged
            } else {
                Baseline::New
            };
            (state, f.clone())
        })
        .collect();
    let mut seen = BTreeSet::new();
    let resolved = base
        .findings
        .iter()
        .filter(|f| {
            let k = finding_key(base_map, f);
            !current_keys.contains(&k) && seen.insert(k)
        })
        .cloned()
        .collect();

    let before: BTreeMap<_, Verdict> = base
        .hops
        .iter()
        .map(|h| (hop_key(base_map, h), h.verdict))
        .collect();
    let after: BTreeMap<_, Verdict> = current
        .hops
        .iter()
        .map(|h| (hop_key(current_map, h), h.verdict))
        .collect();
    let keys: BTreeSet<_> = before.keys().chain(after.keys()).cloned().collect();
    let verdicts = keys
        .into_iter()
        .filter_map(|k| {
            let (b, a) = (before.get(&k).copied(), after.get(&k).copied());
            (b != a).then_some(VerdictChange {
                flow: k.0,
                regime: k.1,
                destination: k.2,
                before: b,
                after: a,
            })
        })
        .collect();
    Comparison {
        current: classified,
        resolved,
        verdicts,
    }
}
