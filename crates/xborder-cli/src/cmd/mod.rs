//! One module per subcommand; each returns the exit code or a [`Failure`].

mod audit;
mod ccpa;
mod check;
mod diff;
mod explain;
mod graph;
mod import;
mod keygen;
mod notice;
mod ropa;
mod rules;
mod schema;
mod shell;
mod timeline;
mod validate;
mod vendor;
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
        Command::Import(args) => import::run(&cli.global, &args),
        Command::Schema(args) => schema::run(&cli.global, &args),
        Command::Graph(args) => graph::run(&cli.global, &args),
        Command::Ropa(args) => ropa::run(&cli.global, &args),
        Command::Ccpa(args) => ccpa::run(&cli.global, &args),
        Command::Notice(args) => notice::run(&cli.global, &args),
        Command::Completions(args) => shell::completions(&args),
        Command::Man(args) => shell::man(&args),
        Command::Vendor(args) => vendor::run(&cli.global, &args),
    }
}

/// The engine's switches for `--assume-invalid ID ...`, or exit 2 naming the ids that are no
/// adequacy decision, framework or bridge of the rulebook.
pub fn what_if_options(
    assume_invalid: &[String],
    rulebook: &xborder_law::Rulebook,
) -> Result<xborder_engine::Options, Failure> {
    xborder_engine::Options::assuming_invalid(assume_invalid, rulebook).map_err(|unknown| {
        Failure::new(format!(
            "error: --assume-invalid {}: not the id of an adequacy decision, framework or bridge of the rulebook\n  hint: `xborder rules` lists them; frameworks are e.g. eu-us-dpf, eu-us-privacy-shield",
            unknown.join(", ")
        ))
    })
}

/// Today, from the clock: the default of `--as-of`. Only the CLI reads the clock.
pub fn today() -> chrono::NaiveDate {
    chrono::Utc::now().date_naive()
}
