//! Minimal PDF reading and writing needed to add and check signatures.

pub(crate) mod document;
pub(crate) mod syntax;
pub(crate) mod text;
