//! Project automation: `cargo xtask <task>`.
//!
//! - `ci`: everything CI checks — formatting, clippy with warnings denied, the whole test
//!   suite (which runs the real `xborder` binary and the external PDF validators).

use std::process::{Command, ExitCode};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("ci") => ci(),
        _ => {
            eprintln!(
                "usage: cargo xtask <task>\n\ntasks:\n  ci    fmt check, clippy -D warnings, build, all tests"
            );
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

fn cargo(args: &[&str]) -> Result<(), String> {
    eprintln!("$ cargo {}", args.join(" "));
    let status = Command::new(env!("CARGO"))
        .args(args)
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`cargo {}` failed", args.join(" ")))
    }
}

fn ci() -> Result<(), String> {
    cargo(&["fmt", "--all", "--", "--check"])?;
    cargo(&[
        "clippy",
        "--workspace",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ])?;
    // The end-to-end tests run the real binary: build it first.
    cargo(&["build", "--workspace", "--bins"])?;
    cargo(&["test", "--workspace"])?;
    Ok(())
}
