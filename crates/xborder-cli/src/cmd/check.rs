//! `xborder check MAP --as-of DATE`

use crate::cli::{CheckArgs, Format, Global};
use crate::exit;
use crate::input::{self, Failure};
use crate::output;

pub fn run(global: &Global, args: &CheckArgs) -> Result<u8, Failure> {
    let rulebook = input::rulebook(global)?;
    let (loaded, map) = input::valid_map(&args.map, &rulebook)?;
    let as_of = args.as_of.unwrap_or_else(super::today);
    let options = xborder_engine::Options {
        assume_invalid: args.assume_invalid.iter().cloned().collect(),
    };
    let eval = xborder_engine::check(&map, &rulebook, as_of, &options);
    match args.format {
        Format::Human => print!("{}", output::human(&eval, &loaded)),
        Format::Json => {
            let doc = output::json(&eval, &loaded, &rulebook);
            println!("{}", serde_json::to_string_pretty(&doc).unwrap_or_default());
        }
    }
    Ok(if eval.has_errors() {
        exit::FINDINGS
    } else {
        exit::OK
    })
}
