//! A reader that stops early (`xborder … | head`) closes standard output: every command then
//! ends quietly, without a panic or an error message, and keeps the exit code it would have
//! had, so that `set -o pipefail` still tells whether the check found errors.

use std::process::{Command, Stdio};

use xborder_tests::{binary, root, run};

/// Every command that writes to standard output, in each of its formats, with the exit code it
/// has when its output is read to the end.
const COMMANDS: &[&[&str]] = &[
    &["validate", "data/coursera/2021-01.yaml"],
    &["validate", "data/coursera/2021-01.yaml", "--format", "json"],
    &[
        "check",
        "data/coursera/2021-01.yaml",
        "--as-of",
        "2021-01-01",
    ],
    &[
        "check",
        "data/coursera/2021-01.yaml",
        "--as-of",
        "2021-01-01",
        "--color",
        "always",
    ],
    &[
        "check",
        "data/coursera/2021-01.yaml",
        "--as-of",
        "2021-01-01",
        "--format",
        "json",
    ],
    &[
        "check",
        "data/coursera/2021-01.yaml",
        "--as-of",
        "2021-01-01",
        "--format",
        "sarif",
    ],
    &[
        "check",
        "data/coursera/2021-01.yaml",
        "--as-of",
        "2021-01-01",
        "--format",
        "junit",
    ],
    &[
        "check",
        "data/coursera/2021-01.yaml",
        "--as-of",
        "2021-01-01",
        "--format",
        "github",
    ],
    &[
        "diff",
        "data/coursera/2020-08.yaml",
        "data/coursera/2021-01.yaml",
        "--as-of",
        "2021-01-01",
    ],
    &[
        "diff",
        "data/coursera/2020-08.yaml",
        "data/coursera/2021-01.yaml",
        "--as-of",
        "2021-01-01",
        "--format",
        "json",
    ],
    &["timeline", "data/coursera/2021-01.yaml"],
    &["timeline", "data/coursera/2021-01.yaml", "--format", "json"],
    &["explain", "XB002"],
    &["rules", "--as-of", "2024-01-01"],
    &["rules", "--as-of", "2024-01-01", "--format", "json"],
    &[
        "graph",
        "data/coursera/2021-01.yaml",
        "--as-of",
        "2021-01-01",
    ],
    &[
        "ropa",
        "data/coursera/2021-01.yaml",
        "--as-of",
        "2021-01-01",
    ],
    &[
        "ropa",
        "data/coursera/2021-01.yaml",
        "--as-of",
        "2021-01-01",
        "--format",
        "csv",
    ],
    &[
        "ropa",
        "data/coursera/2021-01.yaml",
        "--as-of",
        "2021-01-01",
        "--format",
        "json",
    ],
    &["ccpa", "data/coursera/2021-01.yaml"],
    &["schema"],
    &["schema", "--vendor"],
    &["completions", "bash"],
    &["man"],
    &[
        "vendor",
        "review",
        "data/vendors/analytics-metricly.yaml",
        "--map",
        "data/coursera/2021-01.yaml",
        "--as-of",
        "2026-11-25",
    ],
    &[
        "vendor",
        "review",
        "data/vendors/analytics-metricly.yaml",
        "--map",
        "data/coursera/2021-01.yaml",
        "--as-of",
        "2026-11-25",
        "--format",
        "json",
    ],
    &[
        "verify",
        "reports/coursera-2021-01-as-of-2021-01-01.pdf",
        "--trust",
        "reports/demo-ca.pem",
    ],
    &[
        "verify",
        "reports/coursera-2021-01-as-of-2021-01-01.pdf",
        "--trust",
        "reports/demo-ca.pem",
        "--format",
        "json",
    ],
];

/// Runs `args` with standard output a pipe whose reading end is already closed: the first
/// write fails with `BrokenPipe`, as it does when `head` has read enough and exited.
fn run_into_closed_pipe(args: &[&str]) -> (i32, String) {
    let mut child = Command::new(binary())
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .env_remove("GITHUB_STEP_SUMMARY")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run xborder: {e}"));
    drop(child.stdout.take());
    let output = child
        .wait_with_output()
        .unwrap_or_else(|e| panic!("cannot wait for xborder: {e}"));
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn a_reader_that_closes_early_ends_every_command_quietly() {
    let mut failures = Vec::new();
    for args in COMMANDS {
        let full = run(args);
        assert!(
            !full.stdout.is_empty(),
            "`xborder {}` printed nothing (exit {}): {}",
            args.join(" "),
            full.code,
            full.stderr
        );
        let (code, stderr) = run_into_closed_pipe(args);
        let said_more = stderr.len() > full.stderr.len()
            || stderr.contains("panicked")
            || stderr.contains("Broken pipe")
            || stderr.contains("cannot write");
        if code != full.code || said_more {
            failures.push(format!(
                "`xborder {}`: exit {code} (read to the end: {}), stderr:\n{stderr}",
                args.join(" "),
                full.code
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
