//! One module per subcommand; each returns the exit code or a [`Failure`].

mod audit;
mod check;
mod diff;
mod explain;
mod keygen;
mod rules;
mod timeline;
mod validate;
mod verify;

use crate::cli::{Cli, Command};
use crate::input::Failure;

pub fn run(cli: Cli) -> Result<u8, Failure> {
    match cli.command {
        Command::Validate(args) => validate::run(&cli.global, &args),
        Command::Check(args) => check::run(&cli.global, &args),
        Command::Diff(args) => diff::run(&cli.global, &args),
        Command::Timeline(args) => timeline::run(&cli.global, &args),
        Command::Explain(args) => explain::run(&cli.global, &args),
        Command::Rules(args) => rules::run(&cli.global, &args),
        Command::Audit(args) => audit::run(&cli.global, &args),
        Command::Verify(args) => verify::run(&args),
        Command::Keygen(args) => keygen::run(&args),
    }
}

/// Today, from the clock: the default of `--as-of`. Only the CLI reads the clock.
pub fn today() -> chrono::NaiveDate {
    chrono::Utc::now().date_naive()
}
