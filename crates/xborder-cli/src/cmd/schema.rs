//! `xborder schema`

use crate::cli::Global;
use crate::cli_interop::SchemaArgs;
use crate::exit;
use crate::input::{self, Failure};

pub fn run(global: &Global, args: &SchemaArgs) -> Result<u8, Failure> {
    let rulebook = input::rulebook(global)?;
    let vocabulary = xborder_engine::vocabulary(&rulebook);
    let schema = if args.vendor {
        xborder_model::schema::intake_schema(&vocabulary)
    } else {
        xborder_model::schema::map_schema(&vocabulary)
    };
    out!("{}", xborder_model::schema::to_pretty(&schema));
    Ok(exit::OK)
}
