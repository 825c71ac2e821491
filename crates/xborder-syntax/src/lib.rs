//! The syntax of xborder's input files: YAML and JSON read into a tree of nodes that each
//! keep their source location ([`Node`]), the diagnostics that point into the file
//! ([`Diagnostic`]), the [`Reader`] whose primitives check one value at a time and report
//! every problem of a file at once, and [`from_node`], which deserializes a typed value from
//! a node with the location of the first value that does not fit.
//!
//! The data map, the vendor intake, the risk acceptances, the Fides import and the rulebook
//! are all read through this crate; it knows no format of its own.
//!
//! Architecture invariant: no file system, no clock, no xborder crate below it.

pub mod de;
pub mod diag;
pub mod json;
pub mod node;
pub mod reader;
pub mod text;

pub use de::{NodeError, from_node};
pub use diag::{Diagnostic, DiagnosticLevel, Loc};
pub use json::parse_json;
pub use node::{Node, NodeKind, ParseLimits, input_budget, parse_yaml};
pub use reader::{Fields, Reader, suggest};
pub use text::{Interner, Lasting, Text};
