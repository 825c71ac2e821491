//! xborder-interop: the formats around the data map that users already work with.
//!
//! - [`fides`]: Fides privacy-as-code manifests → a draft data map, with a report of what the
//!   user must still fill in;
//! - [`graph`]: the map as a DOT or Mermaid graph with verdicts on the edges;
//! - [`ropa`]: the GDPR Art. 30 record of processing with its transfers section;
//! - [`ccpa`]: the CCPA disclosure table (categories, sources, recipients);
//! - [`notice`]: the transfer claims of a privacy notice checked against the rulebook and a map.
//!
//! Architecture invariant: like every library crate, no files, no clock, no environment. Texts
//! and dates come in as arguments; strings come out. The lookup tables these conversions need
//! (fideslang categories, CCPA categories, notice claim phrases, ISO alpha-3 codes) are data in
//! `data/interop/` and `data/countries/`, embedded at build time and documented in
//! `docs/interop.md`. Law (dates, validity, citations of instruments) comes only from the
//! rulebook.

pub mod ccpa;
pub mod fides;
pub mod graph;
pub mod notice;
pub mod ropa;
pub mod table;

mod countries;
mod yaml;

pub use countries::alpha3_to_alpha2;
