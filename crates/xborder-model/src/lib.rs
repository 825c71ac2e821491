//! The xborder data map (format 1, see `docs/format.md`): its types, loading from YAML (or JSON) with a
//! source location for every value, and validation that reports every problem of a file
//! at once.
//!
//! This crate knows the format, not the law: the vocabulary the law defines (base data
//! categories, regions, certification frameworks, SCC versions, countries) comes in
//! through a [`Vocabulary`] that the caller builds from the rulebook.
//!
//! Architecture invariant: no file system, no clock. `load` takes text and returns a
//! checked [`Map`] or the complete list of [`Diagnostic`]s.

// The intake schema is one large `json!` literal.
#![recursion_limit = "512"]

mod accept;
mod extract;
mod intake;
mod map;
pub mod schema;
pub mod vocabulary;

// The syntax every input file shares: spanned nodes, diagnostics and the reader.
use xborder_syntax::{diag, json, node, text};

pub use accept::{Acceptance, load_acceptances};
pub use diag::{Diagnostic, DiagnosticLevel, Loc};
pub use extract::{FlowReading, Syntax, load, load_as, load_reading};
pub use intake::{
    AtEnd, Attestation, AttestationKind, Authorisation, Contract, Intake, IntakeFlow, Retention,
    Security, SubProcessor, load_intake,
};
pub use map::*;
pub use node::{Node, NodeKind, ParseLimits, input_budget, parse_yaml};
pub use text::{Interner, Lasting, Text};
pub use vocabulary::Vocabulary;
pub use xborder_syntax::parse_json;
