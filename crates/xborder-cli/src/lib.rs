//! The `xborder` command line: flags, files, the clock and exit codes. Domain logic lives
//! in the library crates; this crate wires them to the outside world. It is a library as
//! well as a binary so that benchmarks measure the same input and output code the command
//! runs.

#[macro_use]
mod stdout;
mod cli;
mod cli_interop;
mod cli_vendor;
mod cmd;
mod diagnostics;
mod http;
pub mod input;
pub mod output;
mod signing;
mod style;
mod write;

use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};

/// Exit codes of every command (`docs/format.md`): 0 clean, 1 findings of severity error (or an
/// invalid signature), 2 the input or the command line could not be used.
pub mod exit {
    pub const OK: u8 = 0;
    pub const FINDINGS: u8 = 1;
    pub const UNUSABLE: u8 = 2;
}

/// Runs the command line given to the process and returns its exit code.
pub fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let color = style::prescan(&args);
    let parsed = cli::Cli::command()
        .color(style::clap_choice(color))
        .try_get_matches_from(&args)
        .and_then(|matches| cli::Cli::from_arg_matches(&matches));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(err) => {
            let code = if err.use_stderr() {
                exit::UNUSABLE
            } else {
                exit::OK
            };
            let _ = err.print();
            return ExitCode::from(code);
        }
    };
    style::init(cli.global.color, cli.global.quiet);
    match cmd::run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(failure) => {
            eprintln!("{}", style::failure_text(&failure.to_string()));
            ExitCode::from(exit::UNUSABLE)
        }
    }
}
