//! `xborder diff OLD NEW`: what changed in the map, and which hop verdicts changed with it.

use std::fmt::Write as _;

use serde_json::json;
use xborder_engine::{Change, MapChange};

use crate::cli::{DiffArgs, Format, Global};
use crate::exit;
use crate::input::{self, Failure};

pub fn run(global: &Global, args: &DiffArgs) -> Result<u8, Failure> {
    let unusable = crate::output::unusable::json_when(args.format == Format::Json);
    let rulebook = input::rulebook(global).map_err(&unusable)?;
    let (old_loaded, old) = input::base_map(&args.old, &rulebook).map_err(&unusable)?;
    let (new_loaded, new) = input::valid_map(&args.new, &rulebook).map_err(&unusable)?;
    let as_of = args.as_of.unwrap_or_else(super::today);
    let options = xborder_engine::Options::default();
    let before = xborder_engine::check(&old, &rulebook, as_of, &options);
    let after = xborder_engine::check(&new, &rulebook, as_of, &options);
    let comparison = xborder_engine::compare(&old, &before, &new, &after);
    let changes = xborder_engine::map_changes(&old, &new);
    match args.format {
        Format::Json => {
            let doc = json!({
                "format": 1,
                "as_of": as_of.to_string(),
                "old": { "path": old_loaded.path, "sha256": old_loaded.sha256 },
                "new": { "path": new_loaded.path, "sha256": new_loaded.sha256 },
                "changes": changes.iter().map(change_json).collect::<Vec<_>>(),
                "verdicts": comparison.verdicts,
                "new_findings": comparison.new_findings().count(),
                "resolved_findings": comparison.resolved.len(),
            });
            crate::stdout::json(&doc)?;
        }
        Format::Human => {
            let mut out = format!("{} → {}\n", old_loaded.path, new_loaded.path);
            if changes.is_empty() {
                out.push_str(
                    "\nno change to entities, flows, mechanisms, certifications or agreements\n",
                );
            } else {
                out.push_str("\nmap changes\n");
                for c in &changes {
                    let _ = writeln!(
                        out,
                        "  {:<8} {}: {}",
                        c.change.as_str(),
                        c.what(),
                        c.detail()
                    );
                }
            }
            let _ = writeln!(out, "\nverdicts as of {as_of}");
            if comparison.verdicts.is_empty() {
                out.push_str("  no hop verdict changed\n");
            }
            for v in &comparison.verdicts {
                let word =
                    |x: Option<xborder_engine::Verdict>| x.map_or("(no hop)", |v| v.as_str());
                let _ = writeln!(
                    out,
                    "  {} [{} → {}]: {} → {}",
                    v.flow,
                    v.regime,
                    v.destination,
                    word(v.before),
                    word(v.after)
                );
            }
            let _ = writeln!(
                out,
                "\nfindings: {} new, {} resolved",
                comparison.new_findings().count(),
                comparison.resolved.len()
            );
            out!("{out}");
        }
    }
    Ok(exit::OK)
}

/// One entry of `changes[]`: `change`, `what`, `detail`, and for a changed subject the
/// `fields` that differ, each with `field`, `before` and `after`.
fn change_json(c: &MapChange) -> serde_json::Value {
    let mut entry = json!({ "change": c.change.as_str(), "what": c.what(), "detail": c.detail() });
    if c.change == Change::Changed {
        entry["fields"] = json!(c.fields);
    }
    entry
}
