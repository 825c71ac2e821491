//! End-to-end tests: the real `xborder` binary over files, as a user runs it.

mod audit;
mod check;
mod scenarios;
mod validate;
