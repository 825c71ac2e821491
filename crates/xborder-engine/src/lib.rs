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

mod bitset;
mod codes;
mod diff;
mod judge;
mod mechanisms;
mod propagate;
mod result;
mod timeline;
mod vocabulary;

pub use codes::Code;
pub use diff::{Baseline, Comparison, VerdictChange, compare, flow_identity};
pub use propagate::Labels;
pub use result::{Evaluation, Finding, Hop, Summary, Verdict};
pub use timeline::{
    Expiry, HopTimeline, Interval, add_horizon_findings, breakpoints, expiring, timeline,
};
pub use vocabulary::vocabulary;

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

/// Evaluates every hop of `map` as of `as_of`.
pub fn check(map: &Map, rulebook: &Rulebook, as_of: NaiveDate, options: &Options) -> Evaluation {
    let labels = propagate::propagate(map, rulebook, as_of);
    judge::judge(map, rulebook, as_of, options, &labels)
}
