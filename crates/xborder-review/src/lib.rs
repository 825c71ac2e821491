//! Reading the engine's verdicts for two questions a lawyer asks.
//!
//! - **What if** a framework or decision fell ([`what_if`]): which hops change, and which
//!   fallback mechanisms (e.g. SCCs already signed) keep them lawful.
//! - **May this vendor receive our data** ([`review`]): the vendor intake is merged into the
//!   map ([`xborder_model::Intake::merge_into`]), the map is judged with and without it by
//!   [`xborder_engine::check`] and compared by [`xborder_engine::compare`] — one engine, so a
//!   review finds exactly what `check --base` finds on the map edited by hand. On top of the
//!   verdicts the review derives what each new hop needs from the rulebook ([`need`]), which
//!   contract terms are missing, what special-category data adds, and a decision (approve,
//!   approve with conditions, reject) with its reasons and conditions, each cited.
//!
//! Architecture invariant: pure like the engine — a map, an intake, a rulebook, a date and
//! options in; a [`VendorReview`] out. No files, no clock.

mod checklist;
mod decide;
mod needs;
#[cfg(test)]
mod testing;
mod vendor;
mod whatif;

pub use needs::{Need, need};
pub use vendor::{
    Decision, Fallback, HopReview, Point, SpecialData, Status, Term, TermKind, VendorReview, review,
};
pub use whatif::{HopChange, WhatIf, what_if};
