//! `xborder ccpa MAP --format md|csv|json`

use xborder_interop::ccpa;

use crate::cli::Global;
use crate::cli_interop::{CcpaArgs, TableFormat};
use crate::exit;
use crate::input::{self, Failure};

pub fn run(global: &Global, args: &CcpaArgs) -> Result<u8, Failure> {
    let unusable = crate::output::unusable::json_when(args.format == TableFormat::Json);
    let rulebook = input::rulebook(global).map_err(&unusable)?;
    let (loaded, map) = input::valid_map(&args.map, &rulebook).map_err(unusable)?;
    let table = ccpa::CategoryTable::embedded().map_err(|e| {
        Failure::new(format!(
            "error: the built-in CCPA category table is invalid: {e}"
        ))
    })?;
    let disclosure = ccpa::disclosure(&map, &table, &rulebook);
    match args.format {
        TableFormat::Md => out!("{}", ccpa::markdown(&disclosure, &loaded.path)),
        TableFormat::Csv => out!("{}", ccpa::table(&disclosure).csv()),
        TableFormat::Json => outln!(
            "{}",
            serde_json::to_string_pretty(&disclosure).unwrap_or_default()
        ),
    }
    Ok(exit::OK)
}
