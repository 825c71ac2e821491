//! Tidy checks over the source tree, run by `cargo test` (and so by `cargo xtask ci`): rules
//! about what the code may contain that no compiler checks.

mod absolute_paths;
mod architecture;
mod format_reference;
mod law_in_code;
mod markdown;
mod source;
