//! `xborder validate MAP…`

use serde_json::json;

use crate::cli::{Format, Global, ValidateArgs};
use crate::diagnostics;
use crate::exit;
use crate::input::{self, Failure};

pub fn run(global: &Global, args: &ValidateArgs) -> Result<u8, Failure> {
    // A rulebook that cannot be loaded leaves no map to validate: with `json`, its problems
    // are the document, as for `check`.
    let unusable = crate::output::unusable::json_when(args.format == Format::Json);
    let rulebook = input::rulebook(global).map_err(unusable)?;
    let mut invalid = 0;
    let mut reports = Vec::new();
    let mut text = String::new();
    for (n, path) in args.maps.iter().enumerate() {
        let loaded = input::load_map(path, &rulebook)?;
        if loaded.errors() > 0 {
            invalid += 1;
        }
        match args.format {
            Format::Human => {
                text.push_str(&diagnostics::human(&loaded));
                if loaded.errors() == 0 {
                    let entities = loaded.map.as_ref().map_or(0, |m| m.entities.len());
                    let flows = loaded.map.as_ref().map_or(0, |m| m.flows.len());
                    text.push_str(&format!(
                        "ok: {} ({entities} entities, {flows} flows)\n",
                        loaded.path
                    ));
                } else {
                    text.push_str(&format!(
                        "invalid: {} ({} error(s))\n",
                        loaded.path,
                        loaded.errors()
                    ));
                }
            }
            Format::Json => reports.push(json!({
                "file": loaded.path,
                "valid": loaded.errors() == 0,
                "diagnostics": diagnostics::json(&loaded),
            })),
        }
        if n + 1 == args.maps.len() {
            // The process ends after the last map: freeing a large map one allocation at a
            // time costs a twentieth of validating it, for memory the system takes back at
            // exit (as `check` does).
            std::mem::forget(loaded);
        }
    }
    match args.format {
        Format::Human => {
            if invalid > 0 {
                eprint!("{text}");
            } else {
                out!("{text}");
            }
        }
        Format::Json => {
            let doc = json!({ "format": 1, "files": reports });
            crate::stdout::json(&doc)?;
        }
    }
    Ok(if invalid > 0 {
        exit::UNUSABLE
    } else {
        exit::OK
    })
}
