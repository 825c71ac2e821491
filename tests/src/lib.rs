//! Test harness: runs the real `xborder` binary in a temporary directory and captures what
//! a user would see.

use std::path::{Path, PathBuf};
use std::process::Command;

pub mod tagged;

/// What one run of the binary produced.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// stdout parsed as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
                self.stdout, self.stderr
            )
        })
    }
}

pub mod pki;

/// The workspace root (where `data/` and `tests/` are).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from(".."))
}

/// The `xborder` binary next to the running test (`target/<profile>/xborder`). `cargo test
/// --workspace` and `cargo xtask ci` build it before tests run.
pub fn binary() -> PathBuf {
    let exe =
        std::env::current_exe().unwrap_or_else(|e| panic!("cannot find the test binary: {e}"));
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .unwrap_or_else(|| panic!("unexpected test binary location {}", exe.display()));
    let bin = profile_dir.join(format!("xborder{}", std::env::consts::EXE_SUFFIX));
    assert!(
        bin.exists(),
        "{} does not exist: build it first with `cargo build -p xborder-cli` (cargo xtask ci does)",
        bin.display()
    );
    bin
}

/// Runs `xborder ARGS…` in `dir` with a fixed environment (no colour, no CI variables).
pub fn run_in(dir: &Path, args: &[&str]) -> Run {
    run_env(dir, args, &[])
}

/// Like [`run_in`], with extra environment variables.
pub fn run_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut command = Command::new(binary());
    command
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("SOURCE_DATE_EPOCH")
        .env_remove("XBORDER_KEY_PASSPHRASE")
        .env_remove("GITHUB_STEP_SUMMARY");
    for (k, v) in env {
        command.env(k, v);
    }
    let output = command
        .output()
        .unwrap_or_else(|e| panic!("cannot run xborder: {e}"));
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Runs `xborder ARGS…` from the workspace root, so paths like `data/coursera/…` work and
/// appear in output as written.
pub fn run(args: &[&str]) -> Run {
    run_in(&root(), args)
}

/// Asserts that `xborder verify PDF --trust ANCHOR` names the time-stamping authority's
/// signature algorithm and key, `words`, for the first signature's time-stamp (`TSA
/// algorithm:`) and for the document time-stamp that follows it (`signature 2`), in the
/// human output and in the JSON.
pub fn assert_names_tsa_algorithm(pdf: &str, anchor: &str, words: &str) {
    let human = run(&["verify", pdf, "--trust", anchor]);
    assert!(
        human
            .stdout
            .contains(&format!("  TSA algorithm: {words}\n")),
        "{}",
        human.stdout
    );
    let document_time_stamp = human
        .stdout
        .split("signature 2 (document time-stamp)")
        .nth(1)
        .unwrap_or_default();
    assert!(
        document_time_stamp.contains(&format!("  algorithm:     {words}\n")),
        "{}",
        human.stdout
    );
    let json = run(&["verify", pdf, "--trust", anchor, "--format", "json"]).json();
    assert_eq!(json["signatures"][1]["algorithm"], words, "{json}");
    assert_eq!(
        json["signatures"][0]["time_stamp"]["algorithm"], words,
        "{json}"
    );
}

/// Files with extension `ext` directly in `dir` (relative to the root), sorted.
pub fn files(dir: &str, ext: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(root().join(dir))
        .unwrap_or_else(|e| panic!("cannot list {dir}: {e}"))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .collect();
    out.sort();
    out
}

/// A path relative to the root, as a string for command lines.
pub fn rel(path: &Path) -> String {
    path.strip_prefix(root())
        .unwrap_or(path)
        .to_string_lossy()
        .into_owned()
}

/// Whether external validators must be present (under CI they must; elsewhere a missing
/// tool skips the check). A skip is recorded in [`skipped_dir`], which `cargo xtask ci`
/// reports loudly at the end: a passing run must not hide a validator that never ran.
pub fn require_tool(tool: &str) -> bool {
    let present = Command::new(tool).arg("--version").output().is_ok();
    if !present {
        assert!(
            std::env::var_os("CI").is_none(),
            "{tool} is required under CI (.ci/run installs it)"
        );
        eprintln!("notice: {tool} not installed; skipping its check");
        let dir = skipped_dir();
        let test = std::thread::current()
            .name()
            .unwrap_or("a test")
            .to_string();
        let _ = std::fs::create_dir_all(&dir);
        let _ = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(dir.join(tool))
            .and_then(|mut f| {
                use std::io::Write as _;
                writeln!(f, "{test}")
            });
    }
    present
}

/// Where the tests record the external validators they could not run, one file per tool
/// listing the tests that skipped it (`target/skipped-validators/`).
pub fn skipped_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"))
        .join("skipped-validators")
}

/// Runs an external tool, returning its exit code and combined output.
pub fn tool(program: &str, args: &[&str]) -> (i32, String) {
    let output = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {program}: {e}"));
    let mut text = String::from_utf8_lossy(&output.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&output.stderr));
    (output.status.code().unwrap_or(-1), text)
}

/// Seconds since the Unix epoch, for `SOURCE_DATE_EPOCH` inside a demo certificate's
/// validity.
pub fn now_epoch() -> String {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs().to_string())
        .unwrap_or_else(|_| "0".to_string())
}

/// A map with a chain of `length` onward transfers from EEA learners (`e1` in DE, then `e2`…
/// in the US), written to a temporary `.yaml` file: its last hops' witness paths are longer
/// than a path is kept whole.
pub fn chain_map(length: usize) -> tempfile::NamedTempFile {
    let mut text = String::from(
        "format: 1\norganisation: Chain\nentities:\n  \
         learners: { name: Learners, kind: subjects, country: EEA }\n  \
         e1: { name: E1, kind: company, country: DE, role: controller }\n",
    );
    for i in 2..=length {
        text.push_str(&format!(
            "  e{i}: {{ name: E{i}, kind: company, country: US, role: controller }}\n"
        ));
    }
    text.push_str("flows:\n  - { from: learners, to: e1, data: [name] }\n");
    for i in 2..=length {
        text.push_str(&format!(
            "  - {{ from: e{}, to: e{i}, data: [name] }}\n",
            i - 1
        ));
    }
    let map = tempfile::NamedTempFile::with_suffix(".yaml").expect("temporary map");
    std::fs::write(map.path(), text).expect("write the map");
    map
}

/// Decodes standard base64 (RFC 4648, as in PEM bodies and WebDriver screenshots); padding,
/// line breaks and any other character outside the alphabet are skipped.
pub fn decode_base64(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let sextets: Vec<u8> = text.bytes().filter_map(value).collect();
    let mut out = Vec::with_capacity(sextets.len() * 3 / 4);
    for group in sextets.chunks(4) {
        let n = group
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &s)| n | (u32::from(s) << (18 - 6 * i)));
        let bytes = n.to_be_bytes();
        out.extend_from_slice(&bytes[1..group.len()]);
    }
    out
}

/// A fresh demo PKI in `dir/pki` (keygen) and the audit of `map` as of `as_of` signed with it
/// into `dir/<name>`, at `SOURCE_DATE_EPOCH` `epoch`, with `extra` arguments; returns the PKI
/// directory and the report.
pub fn signed_audit(
    dir: &Path,
    name: &str,
    map: &str,
    as_of: &str,
    epoch: &str,
    extra: &[&str],
) -> (PathBuf, PathBuf) {
    let pki = dir.join("pki");
    let out = run(&[
        "keygen",
        "--name",
        "Test Auditor",
        "--out",
        &pki.display().to_string(),
    ]);
    assert_eq!(out.code, 0, "keygen: {}", out.stderr);
    let pdf = dir.join(name);
    let [pdf_arg, key, cert, ca] = [
        pdf.clone(),
        pki.join("signer.key.pem"),
        pki.join("signer.pem"),
        pki.join("ca.pem"),
    ]
    .map(|path| path.display().to_string());
    let mut args = vec![
        "audit", map, "--as-of", as_of, "--out", &pdf_arg, "--key", &key, "--cert", &cert,
        "--chain", &ca,
    ];
    args.extend_from_slice(extra);
    let out = run_env(&root(), &args, &[("SOURCE_DATE_EPOCH", epoch)]);
    assert_eq!(out.code, 0, "audit: {}", out.stderr);
    (pki, pdf)
}

/// Renders an unsigned audit of `map` as of `as_of` (with `extra` flags) at a fixed
/// generation time into `dir/audit.pdf`, and returns its path; the run must succeed.
pub fn unsigned_audit(dir: &Path, map: &str, as_of: &str, extra: &[&str]) -> PathBuf {
    let pdf = dir.join("audit.pdf");
    let out_path = pdf.display().to_string();
    let mut args = vec![
        "audit",
        map,
        "--as-of",
        as_of,
        "--unsigned",
        "--generated-at",
        "2026-01-01T00:00:00Z",
        "--out",
        out_path.as_str(),
    ];
    args.extend_from_slice(extra);
    let out = run(&args);
    assert_eq!(out.code, 0, "{}", out.stderr);
    pdf
}
