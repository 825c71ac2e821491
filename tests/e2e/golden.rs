//! The outputs of every command on the Coursera maps, the vendor samples and a generated
//! 10,000-flow map, pinned by their SHA-256 in `tests/golden/outputs.sha256`.
//!
//! A change meant to keep behaviour (moving code, making it faster) proves it here: every
//! output stays byte-identical. A change meant to alter an output updates the manifest on
//! purpose, with `XBORDER_BLESS=1 cargo test -p xborder-tests --test e2e golden`, and the diff
//! of the manifest shows which outputs it changed.

use std::collections::BTreeMap;
use std::path::Path;

use sha2::{Digest, Sha256};
use xborder_tests::{root, run_in};

const MANIFEST: &str = "tests/golden/outputs.sha256";
/// The generated map, in the scratch directory.
const GENERATED: &str = "generated-10k.json";
/// Fixed generation time of the unsigned PDFs: same inputs, same bytes.
const GENERATED_AT: &str = "2026-01-01T00:00:00Z";

/// One output: a name for the manifest and the command that writes it (on standard output,
/// or into `{out}`, a file of the scratch directory).
struct Output {
    name: String,
    args: Vec<String>,
    file: Option<String>,
}

fn stdout(name: &str, args: &[&str]) -> Output {
    Output {
        name: name.to_string(),
        args: args.iter().map(|a| a.to_string()).collect(),
        file: None,
    }
}

fn written(name: &str, args: &[&str], file: &str) -> Output {
    Output {
        file: Some(file.to_string()),
        ..stdout(name, args)
    }
}

/// Every output pinned, for the maps and dates of the Coursera notices, the vendor samples and
/// the generated map `big`.
fn outputs(big: &str) -> Vec<Output> {
    let mut all = Vec::new();
    for (map, as_of) in [
        ("data/coursera/2018-07.yaml", "2018-07-11"),
        ("data/coursera/2020-08.yaml", "2020-09-01"),
        ("data/coursera/2021-01.yaml", "2021-01-01"),
        ("data/coursera/2021-01.yaml", "2024-06-01"),
    ] {
        let at = |what: &str| format!("{map}@{as_of} {what}");
        for format in ["human", "json", "sarif", "junit", "github"] {
            all.push(stdout(
                &at(&format!("check {format}")),
                &["check", map, "--as-of", as_of, "--format", format],
            ));
        }
        all.push(stdout(
            &at("check json horizon"),
            &[
                "check",
                map,
                "--as-of",
                as_of,
                "--horizon",
                "365d",
                "--format",
                "json",
            ],
        ));
        for format in ["dot", "mermaid"] {
            all.push(stdout(
                &at(&format!("graph {format}")),
                &["graph", map, "--as-of", as_of, "--format", format],
            ));
        }
        for format in ["md", "csv", "json"] {
            all.push(stdout(
                &at(&format!("ropa {format}")),
                &["ropa", map, "--as-of", as_of, "--format", format],
            ));
        }
        all.push(written(
            &at("audit pdf"),
            &[
                "audit",
                map,
                "--as-of",
                as_of,
                "--unsigned",
                "--generated-at",
                GENERATED_AT,
                "--out",
                "{out}",
            ],
            "audit.pdf",
        ));
    }
    for map in [
        "data/coursera/2018-07.yaml",
        "data/coursera/2020-08.yaml",
        "data/coursera/2021-01.yaml",
    ] {
        for format in ["human", "json"] {
            all.push(stdout(
                &format!("{map} timeline {format}"),
                &["timeline", map, "--to", "2026-12-31", "--format", format],
            ));
        }
        all.push(stdout(&format!("{map} ccpa md"), &["ccpa", map]));
    }
    for format in ["human", "json"] {
        all.push(stdout(
            &format!("diff 2020-08 2021-01 {format}"),
            &[
                "diff",
                "data/coursera/2020-08.yaml",
                "data/coursera/2021-01.yaml",
                "--as-of",
                "2021-01-01",
                "--format",
                format,
            ],
        ));
    }
    for vendor in [
        "analytics-metricly",
        "hosting-nimbus",
        "idv-veriface",
        "support-tandem",
    ] {
        let intake = format!("data/vendors/{vendor}.yaml");
        let review = |extra: &[&str]| {
            let mut args = vec![
                "vendor",
                "review",
                intake.as_str(),
                "--map",
                "data/coursera/2021-01.yaml",
                "--as-of",
                "2026-11-25",
            ];
            args.extend_from_slice(extra);
            args.iter().map(|a| a.to_string()).collect::<Vec<_>>()
        };
        for format in ["human", "json"] {
            all.push(Output {
                name: format!("vendor {vendor} {format}"),
                args: review(&["--format", format]),
                file: None,
            });
        }
        all.push(Output {
            name: format!("vendor {vendor} what-if json"),
            args: review(&["--assume-invalid", "eu-us-dpf", "--format", "json"]),
            file: None,
        });
        all.push(Output {
            name: format!("vendor {vendor} memo pdf"),
            args: review(&[
                "--out",
                "{out}",
                "--unsigned",
                "--generated-at",
                GENERATED_AT,
            ]),
            file: Some("memo.pdf".to_string()),
        });
    }
    for format in ["json", "sarif", "junit"] {
        all.push(stdout(
            &format!("generated-10k@2024-06-01 check {format}"),
            &["check", big, "--as-of", "2024-06-01", "--format", format],
        ));
    }
    all.push(written(
        "generated-10k@2024-06-01 audit pdf",
        &[
            "audit",
            big,
            "--as-of",
            "2024-06-01",
            "--unsigned",
            "--generated-at",
            GENERATED_AT,
            "--out",
            "{out}",
        ],
        "audit.pdf",
    ));
    all
}

/// The SHA-256 of what `output` writes, in hexadecimal.
fn digest(output: &Output, scratch: &Path) -> String {
    let target = output.file.as_ref().map(|f| scratch.join(f));
    if let Some(t) = &target {
        let _ = std::fs::remove_file(t);
    }
    let args: Vec<String> = output
        .args
        .iter()
        .map(|a| match &target {
            Some(t) if a == "{out}" => t.display().to_string(),
            _ => a.clone(),
        })
        .collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    // The generated map is named as it is in the scratch directory, so that its path — which
    // the outputs print — is the same on every run.
    let dir = if output.args.iter().any(|a| a == GENERATED) {
        scratch.to_path_buf()
    } else {
        root()
    };
    let out = run_in(&dir, &args);
    assert!(
        out.code == 0 || out.code == 1,
        "{}: exit {}\n{}",
        output.name,
        out.code,
        out.stderr
    );
    let bytes = match &target {
        Some(t) => std::fs::read(t).unwrap_or_else(|e| panic!("{}: {e}", output.name)),
        None => out.stdout.into_bytes(),
    };
    Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A deterministic synthetic map of 10,000 flows (`cargo xtask gen`, fixed seed), written as
/// [`GENERATED`] into `dir`.
fn generated_map(dir: &Path) {
    let map = dir.join(GENERATED);
    let made = std::process::Command::new(env!("CARGO"))
        .args(["xtask", "gen", "--flows", "10000", "--seed", "7", "--out"])
        .arg(&map)
        .current_dir(root())
        .output()
        .expect("cargo xtask gen");
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
}

#[test]
fn every_output_is_byte_identical_to_the_manifest() {
    let scratch = tempfile::tempdir().expect("scratch directory");
    generated_map(scratch.path());
    let mut got = BTreeMap::new();
    for output in outputs(GENERATED) {
        let hash = digest(&output, scratch.path());
        assert!(
            got.insert(output.name.clone(), hash).is_none(),
            "{} is listed twice",
            output.name
        );
    }
    let manifest: String = got
        .iter()
        .map(|(name, hash)| format!("{hash}  {name}\n"))
        .collect();
    let path = root().join(MANIFEST);
    if std::env::var_os("XBORDER_BLESS").is_some() {
        std::fs::write(&path, &manifest).expect("write the manifest");
        return;
    }
    let pinned = std::fs::read_to_string(&path).unwrap_or_default();
    let pinned: BTreeMap<&str, &str> = pinned
        .lines()
        .filter_map(|l| l.split_once("  ").map(|(h, n)| (n, h)))
        .collect();
    let differs: Vec<String> = got
        .iter()
        .filter(|(name, hash)| pinned.get(name.as_str()) != Some(&hash.as_str()))
        .map(|(name, _)| name.clone())
        .chain(
            pinned
                .keys()
                .filter(|n| !got.contains_key(**n))
                .map(|n| format!("{n} (no longer produced)")),
        )
        .collect();
    assert!(
        differs.is_empty(),
        "outputs differ from {MANIFEST}:\n  {}\nif the change is meant, re-pin them: XBORDER_BLESS=1 cargo test -p xborder-tests --test e2e golden",
        differs.join("\n  ")
    );
}
