//! The parse-only baseline of the scale benchmark: reads a map and parses its syntax with
//! the general-purpose parser (serde-saphyr for YAML, serde_json for JSON) into nothing,
//! then prints the seconds it took. `cargo xtask bench` runs it as its own process, like
//! `xborder check`, so that their time and peak memory compare on the same file.

use std::time::Instant;

#[path = "../benches/support/baseline.rs"]
mod baseline;

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
    let parsed = baseline::parse_only(&text, path.ends_with(".json"));
    if let Err(e) = parsed {
        eprintln!("{path}: {e}");
        return std::process::ExitCode::from(2);
    }
    println!("{:.3}", start.elapsed().as_secs_f64());
    std::process::ExitCode::SUCCESS
}
