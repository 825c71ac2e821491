//! Tidy checks over the source tree, run by `cargo test` (and so by `cargo xtask ci`): rules
//! about what the code may contain that no compiler checks.

mod law_in_code;
mod source;
