//! `xborder ropa MAP [--as-of DATE] --format md|csv|json`

use xborder_interop::ropa;

use crate::cli::Global;
use crate::cli_interop::{RopaArgs, TableFormat};
use crate::exit;
use crate::input::{self, Failure};

pub fn run(global: &Global, args: &RopaArgs) -> Result<u8, Failure> {
    let unusable = crate::output::unusable::json_when(args.format == TableFormat::Json);
    let rulebook = input::rulebook(global).map_err(&unusable)?;
    let (loaded, map) = input::valid_map(&args.map, &rulebook).map_err(unusable)?;
    let as_of = args.as_of.unwrap_or_else(super::today);
    let eval = xborder_engine::check(&map, &rulebook, as_of, &xborder_engine::Options::default());
    let record = ropa::record(&map, &eval, &rulebook);
    match args.format {
        TableFormat::Md => out!("{}", ropa::markdown(&record, &loaded.path)),
        TableFormat::Csv => out!("{}", ropa::activities_table(&record).csv()),
        TableFormat::Json => outln!(
            "{}",
            serde_json::to_string_pretty(&record).unwrap_or_default()
        ),
    }
    Ok(exit::OK)
}
