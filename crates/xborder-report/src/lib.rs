//! xborder-report: the documents xborder signs — the audit report (`audit`) and the vendor
//! review memo (`memo`) — laid out from an evaluation or a review on the document model of
//! `xborder-pdf`, with their provenance (`provenance`: what a report was made from and how to
//! verify it).
//!
//! The typesetting is `xborder-pdf`'s; this crate decides what each page says. The legal
//! statements it prints come from the rulebook's `texts`, so that `--rules` can change them.

#![forbid(unsafe_code)]

pub mod audit;
pub mod memo;
mod provenance;

pub use xborder_pdf::{RenderError, render_pdf};
