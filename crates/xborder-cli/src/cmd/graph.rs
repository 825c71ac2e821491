//! `xborder graph MAP [--as-of DATE] --format dot|mermaid`

use xborder_interop::graph::{self, Style};

use crate::cli::Global;
use crate::cli_interop::{GraphArgs, GraphFormat};
use crate::exit;
use crate::input::{self, Failure};

pub fn run(global: &Global, args: &GraphArgs) -> Result<u8, Failure> {
    let rulebook = input::rulebook(global)?;
    let (_, map) = input::valid_map(&args.map, &rulebook)?;
    let as_of = args.as_of.unwrap_or_else(super::today);
    let eval = xborder_engine::check(&map, &rulebook, as_of, &xborder_engine::Options::default());
    let style = match args.format {
        GraphFormat::Dot => Style::Dot,
        GraphFormat::Mermaid => Style::Mermaid,
    };
    out!("{}", graph::render(&map, &eval, &rulebook, style));
    Ok(exit::OK)
}
