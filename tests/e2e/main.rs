//! End-to-end tests: the real `xborder` binary over files, as a user runs it.

mod audit;
mod check;
mod gate;
mod scenarios;
mod validate;
