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
mod view;

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
        Command::View(args) => view::run(&cli.global, &args),
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

/// Warns when the map is judged on a day outside the period it says it describes
/// (`describes:`): before it, the map lists flows that did not exist yet in that form; after
/// it, the verdicts show what would have happened had nothing changed. The warning joins the
/// map's diagnostics, so that every output format carries it.
pub fn warn_outside_period(
    loaded: &mut crate::input::LoadedMap,
    map: &xborder_model::Map,
    as_of: chrono::NaiveDate,
) {
    let Some(period) = map.describes.as_ref() else {
        return;
    };
    let message = match (period.from, period.until) {
        (Some(from), _) if as_of < from => format!(
            "the map describes the flows from {from} (`describes`), but is judged as of {as_of}, before them"
        ),
        (_, Some(until)) if until < as_of => format!(
            "the map describes the flows up to {until} (`describes`): as of {as_of} the verdicts show what would happen had nothing changed since"
        ),
        _ => return,
    };
    let diagnostic = xborder_model::Diagnostic::warning("outside-period", period.loc, message)
        .with_hint("judge the map on a date in the period it describes, or use the map that describes the date");
    let shown = crate::input::LoadedMap {
        path: loaded.path.clone(),
        text: loaded.text.clone(),
        sha256: String::new(),
        map: None,
        diagnostics: vec![diagnostic.clone()],
        what: loaded.what,
    };
    if !crate::style::quiet() {
        eprint!("{}", crate::diagnostics::human(&shown));
    }
    loaded.diagnostics.push(diagnostic);
}
