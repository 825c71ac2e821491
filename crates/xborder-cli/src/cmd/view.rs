//! `xborder view MAP --out FILE.html [--as-of DATE] [--base OLD] [--force]`: the whole map as
//! one self-contained HTML page with a time slider (`docs/view.md`).

use crate::cli::Global;
use crate::cli_interop::ViewArgs;
use crate::exit;
use crate::input::{self, Failure};
use crate::write;

pub fn run(global: &Global, args: &ViewArgs) -> Result<u8, Failure> {
    // Before any work: an existing page is replaced only on purpose.
    write::check_target(&args.out, args.force)?;
    let rulebook = input::rulebook(global)?;
    let (mut loaded, map) = input::valid_map(&args.map, &rulebook)?;
    let base = args
        .base
        .as_deref()
        .map(|spec| input::base_map(spec, &rulebook))
        .transpose()?;
    let as_of = args.as_of.unwrap_or_else(super::today);
    super::warn_outside_period(&mut loaded, &map, as_of);
    let mut view =
        xborder_view::ViewInput::new(&map, &loaded.path, &loaded.sha256, &rulebook, as_of);
    if let Some((base_loaded, base_map)) = &base {
        view = view.with_base(base_map, &base_loaded.path);
    }
    let page = xborder_view::render(&view);
    write::write_atomic(&args.out, page.html.as_bytes(), false, args.force)?;
    if !crate::style::quiet() {
        let span = match (page.dates.first(), page.dates.last()) {
            (Some(first), Some(last)) => format!("{first} to {last}"),
            _ => as_of.to_string(),
        };
        eprintln!(
            "wrote {} ({} KiB: {} flows, {} hops, {} dates from {span}; opens at {as_of})",
            args.out.display(),
            page.html.len().div_ceil(1024),
            map.flows.len(),
            page.hops,
            page.dates.len(),
        );
    }
    Ok(exit::OK)
}
