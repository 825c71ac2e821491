//! `xborder timeline MAP [--from DATE] [--to DATE]`: verdict intervals per hop, computed from
//! the breakpoints of the rulebook and the map.

use std::fmt::Write as _;

use serde_json::json;

use crate::cli::{Format, Global, TimelineArgs};
use crate::exit;
use crate::input::{self, Failure};

pub fn run(global: &Global, args: &TimelineArgs) -> Result<u8, Failure> {
    let unusable = crate::output::unusable::json_when(args.format == Format::Json);
    let rulebook = input::rulebook(global).map_err(&unusable)?;
    let (loaded, map) = input::valid_map(&args.map, &rulebook).map_err(unusable)?;
    // By default from the day the rulebook's first entry applies: before it, it says nothing.
    let from = args.from.unwrap_or_else(|| {
        rulebook
            .breakpoints()
            .first()
            .copied()
            .unwrap_or_else(super::today)
    });
    let to = args.to.unwrap_or_else(super::today);
    if to < from {
        return Err(Failure::new(format!(
            "error: --to {to} is before --from {from}"
        )));
    }
    let lines = xborder_engine::timeline(
        &map,
        &rulebook,
        from,
        to,
        &xborder_engine::Options::default(),
    );
    match args.format {
        Format::Json => {
            let doc = json!({ "format": 1, "map": loaded.path, "from": from.to_string(), "to": to.to_string(), "hops": lines });
            crate::stdout::json(&doc)?;
        }
        Format::Human => {
            let mut out = format!("{} from {from} to {to}\n", loaded.path);
            for line in &lines {
                let name = line
                    .id
                    .as_deref()
                    .map_or_else(|| format!("flow {}", line.flow), str::to_string);
                let _ = writeln!(
                    out,
                    "\n{name}: {} → {} [{} → {}]",
                    line.from, line.to, line.regime, line.destination
                );
                for i in &line.intervals {
                    let until = i.until.map_or_else(String::new, |d| d.to_string());
                    let basis = i
                        .mechanism
                        .as_deref()
                        .map_or_else(String::new, |m| format!(" ({m})"));
                    let codes = if i.codes.is_empty() {
                        String::new()
                    } else {
                        format!(
                            " {}",
                            xborder_engine::codes_text(&i.codes).replace(", ", ",")
                        )
                    };
                    let _ = writeln!(
                        out,
                        "  {:<14} {}…{until}{basis}{codes}",
                        i.verdict.as_str(),
                        i.from
                    );
                }
            }
            out!("{out}");
        }
    }
    Ok(exit::OK)
}
