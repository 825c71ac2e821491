//! Project automation: `cargo xtask <task>`.
//!
//! - `ci`: everything CI checks — formatting, clippy with warnings denied, the whole test
//!   suite (which runs the real `xborder` binary and the external PDF validators).
//! - `demo`: the main job — a demo PKI and a signed audit of the Coursera map, verified.
//! - `reports`: regenerates `reports/` (signed sample audits and the demo CA to verify them).
//! - `gen`: a deterministic synthetic data map, for benchmarks.
//! - `bench`: the scale benchmarks (criterion stages, end-to-end time and memory).

mod advisories;
mod bench;
#[path = "../../tests/src/pki.rs"]
mod pki;
mod synthetic;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

const USAGE: &str = "usage: cargo xtask <task>

tasks:
  ci        fmt check, clippy -D warnings, build, all tests
  demo      signed demo audit of the Coursera map (target/demo/), verified
  reports   regenerate reports/: signed audits of the January 2021 Coursera map
  gen       --flows M [--entities N] [--seed S] [--shape mixed|chain|cluster|fanout]
            --out FILE.yaml|FILE.json                          synthetic data map
  bench     [--quick] [--skip-criterion]   scale benchmarks (see BENCHMARKS.md)
  advisories --from DIR   regenerate deny/advisory-db/ from a full RustSec advisory-db tree";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("ci") => ci(),
        Some("demo") => demo(),
        Some("reports") => reports(),
        Some("gen") => synthetic::run(&args[1..]),
        Some("bench") => bench::run(&args[1..], &root()),
        Some("advisories") => advisories::run(&args[1..], &root()),
        _ => {
            eprintln!("{USAGE}");
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

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

fn cargo(args: &[&str]) -> Result<(), String> {
    eprintln!("$ cargo {}", args.join(" "));
    let status = Command::new(env!("CARGO"))
        .args(args)
        .current_dir(root())
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`cargo {}` failed", args.join(" ")))
    }
}

/// Runs the freshly built release `xborder` binary from the workspace root.
fn xborder(args: &[&str]) -> Result<(), String> {
    let binary = root()
        .join("target")
        .join("release")
        .join(format!("xborder{}", std::env::consts::EXE_SUFFIX));
    run_binary(&binary, args)
}

/// Runs a built program from the workspace root, echoing the command.
fn run_binary(binary: &Path, args: &[&str]) -> Result<(), String> {
    eprintln!("$ xborder {}", args.join(" "));
    let status = Command::new(binary)
        .args(args)
        .current_dir(root())
        .status()
        .map_err(|e| format!("cannot run {}: {e}", binary.display()))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`xborder {}` failed", args.join(" ")))
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
    advisories::check(&root())?;
    // The end-to-end tests run the real binary: build it first.
    cargo(&["build", "--workspace", "--bins"])?;
    let skipped = root().join("target").join("skipped-validators");
    let _ = std::fs::remove_dir_all(&skipped);
    let tests = cargo(&["test", "--workspace"]);
    report_skipped(&skipped);
    tests
}

/// Says loudly which external validators the tests could not run (they record each skip in
/// `target/skipped-validators/`): outside CI a missing tool skips its checks, and a green run
/// must not let that pass unseen. Under CI a missing validator fails its test instead.
fn report_skipped(dir: &Path) {
    if let Some(text) = skipped_report(dir) {
        eprintln!("{text}");
    }
}

/// The banner for the validators recorded in `dir`, or `None` when every one ran.
fn skipped_report(dir: &Path) -> Option<String> {
    let entries = std::fs::read_dir(dir).ok()?;
    let mut tools: Vec<(String, usize)> = entries
        .filter_map(Result::ok)
        .map(|e| {
            let tests = std::fs::read_to_string(e.path())
                .map(|t| t.lines().count())
                .unwrap_or(0);
            (e.file_name().to_string_lossy().into_owned(), tests)
        })
        .collect();
    if tools.is_empty() {
        return None;
    }
    tools.sort();
    let bar = "=".repeat(78);
    let mut text =
        format!("\n{bar}\nxtask: NOT RUN — external validators missing on this machine:\n");
    for (tool, tests) in &tools {
        text.push_str(&format!("  - {tool}: {tests} check(s) skipped\n"));
    }
    text.push_str(&format!(
        "Install them (.ci/run shows how: poppler-utils, qpdf, graphviz, pyHanko in a venv),\nor run `CI=1 cargo xtask ci` to make a missing validator fail its test.\n{bar}"
    ));
    Some(text)
}

/// Builds the binary the tasks run: the release build, as a user installs it (its audit runs
/// in a fraction of the debug build's time).
fn build() -> Result<(), String> {
    // Build into the default target directory so that the binary is where `xborder()` looks.
    if std::env::var_os("CARGO_TARGET_DIR").is_some() {
        return Err("unset CARGO_TARGET_DIR: the tasks run target/release/xborder".to_string());
    }
    cargo(&["build", "--release", "--locked", "-p", "xborder-cli"])
}

fn demo() -> Result<(), String> {
    build()?;
    let dir = "target/demo";
    xborder(&[
        "keygen",
        "--name",
        "Demo Auditor",
        "--out",
        &format!("{dir}/pki"),
        "--force",
    ])?;
    let pdf = format!("{dir}/coursera-2021-01-as-of-2021-01-01.pdf");
    xborder(&[
        "audit",
        "data/coursera/2021-01.yaml",
        "--as-of",
        "2021-01-01",
        "--organisation",
        "Coursera, Inc.",
        "--key",
        &format!("{dir}/pki/signer.key.pem"),
        "--cert",
        &format!("{dir}/pki/signer.pem"),
        "--chain",
        &format!("{dir}/pki/ca.pem"),
        "--signer-role",
        "Demo auditor",
        "--out",
        &pdf,
        "--force",
    ])?;
    xborder(&[
        "verify",
        &pdf,
        "--trust",
        &format!("{dir}/pki/ca.pem"),
        "--map",
        "data/coursera/2021-01.yaml",
    ])?;
    eprintln!(
        "\nsigned demo audit: {pdf}\nverify it yourself: pyhanko sign validate --pretty-print --trust {dir}/pki/ca.pem {pdf}\nthe binary used: target/release/xborder (put it on your PATH: cargo install --locked --path crates/xborder-cli)"
    );
    Ok(())
}

fn reports() -> Result<(), String> {
    build()?;
    let pki = "target/reports-pki";
    xborder(&[
        "keygen",
        "--name",
        "xborder Sample Reports",
        "--out",
        pki,
        "--force",
    ])?;
    let today = chrono_today();
    std::fs::create_dir_all(root().join("reports"))
        .map_err(|e| format!("cannot create reports/: {e}"))?;
    std::fs::copy(
        root().join(pki).join("ca.pem"),
        root().join("reports/demo-ca.pem"),
    )
    .map_err(|e| format!("cannot copy the demo CA: {e}"))?;
    let coursera = ["2021-01-01", today.as_str()].map(|as_of| {
        (
            "data/coursera/2021-01.yaml",
            as_of.to_string(),
            "Coursera, Inc.",
            format!("reports/coursera-2021-01-as-of-{as_of}.pdf"),
        )
    });
    // The illustrative global map on a day every regime of it restricts transfers (India's
    // Rule 15 included).
    let global = (
        GLOBAL_EXAMPLE,
        GLOBAL_AS_OF.to_string(),
        "Meridian Learning Group (illustrative)",
        format!("reports/global-learning-as-of-{GLOBAL_AS_OF}.pdf"),
    );
    for (map, as_of, organisation, pdf) in coursera.iter().chain([&global]) {
        xborder(&[
            "audit",
            map,
            "--as-of",
            as_of,
            "--organisation",
            organisation,
            "--key",
            &format!("{pki}/signer.key.pem"),
            "--cert",
            &format!("{pki}/signer.pem"),
            "--chain",
            &format!("{pki}/ca.pem"),
            "--signer-role",
            "Sample report",
            "--out",
            pdf,
            "--force",
        ])?;
        xborder(&[
            "verify",
            pdf,
            "--trust",
            "reports/demo-ca.pem",
            "--map",
            map,
        ])?;
    }
    archive_sample()
}

/// The B-LTA sample: the January 2021 Coursera report signed with a time-stamp, the status of
/// its certificates and a document time-stamp, from the test PKI served on localhost
/// (certomancer), then verified with the servers stopped. Its trust anchor is copied beside
/// it.
fn archive_sample() -> Result<(), String> {
    for tool in ["certomancer", "openssl"] {
        if Command::new(tool).arg("--version").output().is_err() {
            return Err(format!(
                "{tool} is needed for the B-LTA sample report: install certomancer with \
                 `pip install 'certomancer[web-api]'` in a virtual environment on PATH (as \
                 .ci/run does), openssl from your system's packages"
            ));
        }
    }
    let dir = root().join("target/reports-lta-pki");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let mut pki = pki::Pki::start(&root().join("tests/data/pki/certomancer.yml"), &dir);
    let pdf = format!("reports/{ARCHIVE_SAMPLE}");
    let url = pki.tsa_url();
    let mut args = vec![
        "audit",
        "data/coursera/2021-01.yaml",
        "--as-of",
        "2021-01-01",
        "--organisation",
        "Coursera, Inc.",
        "--signer-role",
        "Sample report",
        "--tsa",
        url.as_str(),
        "--pades-level",
        "B-LTA",
        "--out",
        &pdf,
        "--force",
    ];
    let flags = pki.signing_flags();
    args.extend(flags.iter().map(String::as_str));
    xborder(&args)?;
    pki.stop();
    std::fs::copy(pki.root_cert(), root().join("reports/archive-root-ca.pem"))
        .map_err(|e| format!("cannot copy the test PKI's root: {e}"))?;
    xborder(&[
        "verify",
        &pdf,
        "--trust",
        "reports/archive-root-ca.pem",
        "--map",
        "data/coursera/2021-01.yaml",
    ])
}

/// The B-LTA sample report's file name in `reports/`.
const ARCHIVE_SAMPLE: &str = "coursera-2021-01-as-of-2021-01-01-b-lta.pdf";

/// The illustrative map of a global learning company with the regimes beyond Europe.
const GLOBAL_EXAMPLE: &str = "data/examples/global-learning.yaml";
/// The day its sample report is judged on.
const GLOBAL_AS_OF: &str = "2027-06-01";

/// Today's date (UTC) as YYYY-MM-DD, without a date library: days since the epoch to a
/// civil date (H. Hinnant's algorithm).
fn chrono_today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let z = (secs / 86_400) as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::skipped_report;

    #[test]
    fn a_skipped_validator_is_named_with_its_count() {
        let dir = std::env::temp_dir().join(format!("xtask-skipped-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(
            skipped_report(&dir),
            None,
            "no directory: nothing was skipped"
        );
        std::fs::create_dir_all(&dir).expect("temp dir");
        assert_eq!(skipped_report(&dir), None, "empty: every validator ran");
        std::fs::write(dir.join("pdfsig"), "audit::a\nsigning::b\n").expect("write");
        std::fs::write(dir.join("dot"), "graph::c\n").expect("write");
        let text = skipped_report(&dir).unwrap_or_default();
        let _ = std::fs::remove_dir_all(&dir);
        assert!(text.contains("NOT RUN"), "{text}");
        let dot = text.find("  - dot: 1 check(s) skipped");
        let pdfsig = text.find("  - pdfsig: 2 check(s) skipped");
        assert!(dot.is_some() && pdfsig.is_some() && dot < pdfsig, "{text}");
    }
}
