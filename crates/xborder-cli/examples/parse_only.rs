//! The parse-only baseline of the scale benchmark: reads a map and parses its syntax with
//! the general-purpose parser (serde-saphyr for YAML, serde_json for JSON) into nothing,
//! then prints the seconds it took. `cargo xtask bench` runs it as its own process, like
//! `xborder check`, so that their time and peak memory compare on the same file.

use std::time::Instant;

fn main() -> std::process::ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: parse_only MAP.yaml|MAP.json");
        return std::process::ExitCode::from(2);
    };
    let start = Instant::now();
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("cannot read {path}: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    let parsed = if path.ends_with(".json") {
        serde_json::from_str::<serde::de::IgnoredAny>(&text).map_err(|e| e.to_string())
    } else {
        // The same input budgets as the map loader, so that the baseline parses any file
        // the loader accepts.
        let budget = xborder_model::input_budget(text.len(), xborder_model::ParseLimits::default());
        let options = serde_saphyr::options! { budget: Some(budget) };
        serde_saphyr::from_str_with_options::<serde::de::IgnoredAny>(&text, options)
            .map_err(|e| e.to_string())
    };
    if let Err(e) = parsed {
        eprintln!("{path}: {e}");
        return std::process::ExitCode::from(2);
    }
    println!("{:.3}", start.elapsed().as_secs_f64());
    std::process::ExitCode::SUCCESS
}
