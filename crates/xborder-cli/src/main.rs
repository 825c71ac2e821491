//! The `xborder` command line: flags, files, the clock and exit codes. Domain logic lives
//! in the library crates; this crate wires them to the outside world.

mod cli;
mod cmd;
mod diagnostics;
mod input;
mod output;
mod write;

use std::process::ExitCode;

use clap::Parser;

/// Exit codes of every command (`DATA-MAP.md`): 0 clean, 1 findings of severity error (or an
/// invalid signature), 2 the input or the command line could not be used.
pub mod exit {
    pub const OK: u8 = 0;
    pub const FINDINGS: u8 = 1;
    pub const UNUSABLE: u8 = 2;
}

fn main() -> ExitCode {
    let cli = match cli::Cli::try_parse() {
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
    match cmd::run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(failure) => {
            eprintln!("{failure}");
            ExitCode::from(exit::UNUSABLE)
        }
    }
}
