//! End-to-end tests: the real `xborder` binary over files, as a user runs it.

mod acceptances;
mod audit;
mod check;
mod ci_integration;
mod citations;
mod docs_reference;
mod fides;
mod gate;
mod golden;
mod graph;
mod json_maps;
mod malformed;
mod notice;
mod overrides;
mod pipes;
mod readme;
mod records;
mod regimes;
mod scenarios;
mod schema;
mod shell;
mod signing;
mod unusable;
mod validate;
mod vendor;
mod view;
