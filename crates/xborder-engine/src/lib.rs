//! The transfer engine: which law each flow's data carries, and whether each hop that
//! takes it out of that law's territory is lawful on a given date.
//!
//! Architecture invariants:
//! - pure: a map, a rulebook and a date in; a [`Evaluation`] out. No files, no clock.
//! - no path enumeration: regime labels (regime × category bitsets) are propagated along
//!   flows to a fixed point, each label bit set at most once, so the work is linear in
//!   flows × regimes × (categories / 64); the witness path of a hop is read back from one
//!   predecessor flow kept per (entity, regime).
//! - every finding has a stable code, a severity, a citation from the rulebook and the
//!   location of the flow or mechanism it is about.

mod acceptance;
mod bitset;
mod diff;
mod hop;
mod judge;
mod mechanisms;
mod onward;
mod parallel;
mod propagate;
mod result;
mod rules;
mod timeline;
mod vocabulary;

pub use acceptance::accept;
pub use diff::{
    Baseline, Change, Comparison, Fact, FieldChange, MapChange, Subject, VerdictChange, compare,
    flow_identity, map_changes,
};
pub use parallel::{cores, in_parallel};
pub use propagate::Labels;
pub use propagate::{WITNESS_MAX, Witness};
pub use result::{
    Accepted, Codes, Evaluation, Finding, FindingCounts, Hop, Path, Summary, Verdict, codes_text,
    path_text,
};
pub use timeline::{
    Expiry, HopTimeline, Interval, add_horizon_findings, breakpoints, expiring, timeline,
};
pub use vocabulary::vocabulary;
pub use xborder_law::Code;
pub use xborder_model::{Interner, Text};

use std::collections::BTreeSet;

use chrono::NaiveDate;
use xborder_law::Rulebook;
use xborder_model::Map;

/// What-if switches.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Adequacy decisions or certification frameworks (by id, e.g. `eu-us-dpf`) to treat as
    /// struck down on every date: "what if the DPF falls like Privacy Shield did?".
    pub assume_invalid: BTreeSet<String>,
}

impl Options {
    /// Whether `id` (an adequacy decision, its framework or a bridge) is assumed struck down.
    pub fn assumes_invalid(&self, id: &str) -> bool {
        self.assume_invalid.contains(id)
    }

    /// The switches for assuming `ids` struck down. Each id must name what the engine
    /// consults by id — an adequacy decision, its framework, or a bridge — or the assumption
    /// would change nothing while the output says it was made: those ids are returned as the
    /// error.
    pub fn assuming_invalid(ids: &[String], rulebook: &Rulebook) -> Result<Options, Vec<String>> {
        let known: BTreeSet<&str> = rulebook
            .adequacy
            .iter()
            .flat_map(|d| {
                std::iter::once(d.id.as_str()).chain(d.framework.as_ref().map(|f| f.id.as_str()))
            })
            .chain(rulebook.bridges.iter().map(|b| b.id.as_str()))
            .collect();
        let unknown: Vec<String> = ids
            .iter()
            .filter(|id| !known.contains(id.as_str()))
            .cloned()
            .collect();
        if unknown.is_empty() {
            Ok(Options {
                assume_invalid: ids.iter().cloned().collect(),
            })
        } else {
            Err(unknown)
        }
    }
}

/// Which regimes' data each entity holds on `as_of` (indexed like `map.entities`), with the
/// categories: every regime of the rulebook, including those that restrict no transfer (the
/// CCPA asks for service-provider contract terms instead).
pub fn holdings(
    map: &Map,
    rulebook: &Rulebook,
    as_of: NaiveDate,
) -> Vec<Vec<(String, Vec<String>)>> {
    let labels = propagate::propagate_regimes(map, rulebook, as_of, |_| true);
    (0..map.entities.len())
        .map(|e| {
            labels
                .regimes
                .iter()
                .enumerate()
                .filter_map(|(slot, &r)| {
                    let held = labels.held(e, slot);
                    (!held.is_empty()).then(|| (rulebook.regimes[r].id.clone(), held))
                })
                .collect()
        })
        .collect()
}

/// Evaluates every hop of `map` as of `as_of`.
pub fn check(map: &Map, rulebook: &Rulebook, as_of: NaiveDate, options: &Options) -> Evaluation {
    let labels = propagate::propagate(map, rulebook, as_of);
    judge::judge(map, rulebook, as_of, options, labels)
}
