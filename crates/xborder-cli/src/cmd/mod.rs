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

/// The engine's switches for `--assume-invalid ID ...`. Each id must name an adequacy
/// decision, a framework or a bridge of the rulebook: an assumption about an id the engine
/// never consults would change nothing while the report says it was made.
pub fn what_if_options(
    assume_invalid: &[String],
    rulebook: &xborder_law::Rulebook,
) -> Result<xborder_engine::Options, Failure> {
    let known: std::collections::BTreeSet<&str> = rulebook
        .adequacy
        .iter()
        .flat_map(|d| {
            std::iter::once(d.id.as_str()).chain(d.framework.as_ref().map(|f| f.id.as_str()))
        })
        .chain(rulebook.bridges.iter().map(|b| b.id.as_str()))
        .collect();
    let unknown: Vec<&str> = assume_invalid
        .iter()
        .map(String::as_str)
        .filter(|id| !known.contains(id))
        .collect();
    if !unknown.is_empty() {
        return Err(Failure::new(format!(
            "error: --assume-invalid {}: not the id of an adequacy decision, framework or bridge of the rulebook\n  hint: `xborder rules` lists them; frameworks are e.g. eu-us-dpf, eu-us-privacy-shield",
            unknown.join(", ")
        )));
    }
    Ok(xborder_engine::Options {
        assume_invalid: assume_invalid.iter().cloned().collect(),
    })
}

/// Today, from the clock: the default of `--as-of`. Only the CLI reads the clock.
pub fn today() -> chrono::NaiveDate {
    chrono::Utc::now().date_naive()
}
