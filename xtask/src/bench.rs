//! `cargo xtask bench [--quick]`: the scale benchmarks.
//!
//! 1. Writes the synthetic maps to `target/bench/` (kept between runs: same name, same
//!    parameters, same bytes): mixed maps of 10k / 100k / 1M flows in YAML and JSON, the
//!    adversarial shapes (chain, cluster, fan-out) at 10k and 100k flows. The audit PDF is
//!    measured on the 10k mixed map as of 2024-06-01 (its hop count is in `audit`'s output).
//! 2. Runs the criterion benchmarks of the in-process stages (`crates/xborder-cli/benches`)
//!    at 10k and 100k flows.
//! 3. Runs the release `xborder` end to end on every map, against the parse-only baseline
//!    (`examples/parse_only.rs`) on the same file, in three rounds: a round runs, map after
//!    map, the baseline and then the check. A slow spell of a shared machine therefore slows
//!    a map's baseline and check alike, and falls on every map, not on the largest alone.
//!    Per map: the median wall time of each, the median of the three check / baseline
//!    ratios, and peak resident memory as measured by GNU time. Per syntax: how the mixed
//!    maps' check time grows from 10k to 100k to 1M flows (the median of the ratios within a
//!    round), beside how the baseline's grows in the same rounds, the growth of a single
//!    linear pass on this machine. The table goes to stdout and to `target/bench/scale.md`,
//!    for `BENCHMARKS.md`.
//!
//! `--quick` leaves out the 1M-flow maps and the criterion step; `--skip-criterion` only the
//! criterion step.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::synthetic::{self, Shape};

/// One generated map: file name, flows, shape.
struct MapSpec {
    name: &'static str,
    flows: usize,
    shape: Shape,
    big: bool,
}

const MAPS: &[MapSpec] = &[
    MapSpec {
        name: "mixed-10k",
        flows: 10_000,
        shape: Shape::Mixed,
        big: false,
    },
    MapSpec {
        name: "mixed-100k",
        flows: 100_000,
        shape: Shape::Mixed,
        big: false,
    },
    MapSpec {
        name: "mixed-1m",
        flows: 1_000_000,
        shape: Shape::Mixed,
        big: true,
    },
    MapSpec {
        name: "chain-10k",
        flows: 10_000,
        shape: Shape::Chain,
        big: false,
    },
    MapSpec {
        name: "cluster-10k",
        flows: 10_000,
        shape: Shape::Cluster,
        big: false,
    },
    MapSpec {
        name: "fanout-10k",
        flows: 10_000,
        shape: Shape::Fanout,
        big: false,
    },
    MapSpec {
        name: "chain-100k",
        flows: 100_000,
        shape: Shape::Chain,
        big: false,
    },
    MapSpec {
        name: "cluster-100k",
        flows: 100_000,
        shape: Shape::Cluster,
        big: false,
    },
    MapSpec {
        name: "fanout-100k",
        flows: 100_000,
        shape: Shape::Fanout,
        big: false,
    },
];

const AS_OF: &str = "2024-06-01";
const RUNS: usize = 3;

pub fn run(args: &[String], root: &Path) -> Result<(), String> {
    let quick = args.iter().any(|a| a == "--quick");
    let dir = root.join("target/bench");
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    if !Path::new("/usr/bin/time").exists() {
        return Err(
            "GNU time (/usr/bin/time) is needed to read peak memory: apt-get install time".into(),
        );
    }

    let mut files = Vec::new();
    for spec in MAPS.iter().filter(|m| !(quick && m.big)) {
        for ext in ["yaml", "json"] {
            // The adversarial shapes and the audit map are measured in JSON only.
            if ext == "yaml" && !spec.name.starts_with("mixed") {
                continue;
            }
            let path = dir.join(format!("{}.{ext}", spec.name));
            if !path.exists() {
                eprintln!("generating {}", path.display());
                let yaml = synthetic::generate((spec.flows / 4).max(20), spec.flows, 1, spec.shape);
                let text = if ext == "json" {
                    synthetic::to_json(&yaml)?
                } else {
                    yaml
                };
                std::fs::write(&path, text)
                    .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            }
            files.push(path);
        }
    }

    crate::cargo(&[
        "build",
        "--release",
        "-p",
        "xborder-cli",
        "--bin",
        "xborder",
        "--example",
        "parse_only",
    ])?;
    if !quick && !args.iter().any(|a| a == "--skip-criterion") {
        let status = Command::new(env!("CARGO"))
            .args(["bench", "-p", "xborder-cli", "--bench", "pipeline"])
            .env("XBORDER_BENCH_DIR", &dir)
            .current_dir(root)
            .status()
            .map_err(|e| format!("cannot run cargo bench: {e}"))?;
        if !status.success() {
            return Err("cargo bench failed".into());
        }
    }

    let release = root.join("target/release");
    let xborder = release.join("xborder");
    let parse_only = release.join("examples/parse_only");
    let mut table = String::from(
        "| map | size (MB) | parse-only (s) | check (s) | check / parse | parse-only peak (MB) | check peak (MB) | check peak / size |\n|---|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    let report = report_file();
    let mut measured: Vec<(Runs, Runs)> = files
        .iter()
        .map(|_| (Runs::default(), Runs::default()))
        .collect();
    for round in 1..=RUNS {
        eprintln!("round {round} of {RUNS}");
        for (file, (base, check)) in files.iter().zip(&mut measured) {
            base.run(&parse_only, &[path_str(file)?], &report)?;
            check.run(
                &xborder,
                &[
                    "check",
                    path_str(file)?,
                    "--as-of",
                    AS_OF,
                    "--format",
                    "json",
                    "--fail-on",
                    "never",
                ],
                &report,
            )?;
        }
    }
    let _ = std::fs::remove_file(&report);
    let mut scaling = String::new();
    for ext in ["yaml", "json"] {
        let mixed: Vec<usize> = ["mixed-10k", "mixed-100k", "mixed-1m"]
            .iter()
            .filter_map(|name| {
                let file = format!("{name}.{ext}");
                files.iter().position(|f| file_name(f) == file)
            })
            .collect();
        let check = growth(&mixed.iter().map(|&i| &measured[i].1).collect::<Vec<_>>());
        if check.is_empty() {
            continue;
        }
        let base = growth(&mixed.iter().map(|&i| &measured[i].0).collect::<Vec<_>>());
        scaling.push_str(&format!(
            "- {}: check {}; parse-only, in the same rounds, {}.\n",
            ext.to_uppercase(),
            check.join(", "),
            base.join(", ")
        ));
    }
    for (file, (base, check)) in files.iter().zip(measured) {
        let size = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0) as f64 / 1e6;
        let ratio = check.ratio_to(&base);
        let (parse, check) = (base.measured(), check.measured());
        let line = format!(
            "| {} | {size:.1} | {:.3} | {:.2} | {ratio:.2} | {:.0} | {:.0} | {:.2} |\n",
            file_name(file),
            parse.seconds,
            check.seconds,
            parse.peak_mb,
            check.peak_mb,
            check.peak_mb / size.max(1e-3),
        );
        eprint!("{line}");
        table.push_str(&line);
    }
    let scaling = format!(
        "\nGrowth of the mixed maps' time by 10× the flows, median of the ratios within a round:\n{scaling}"
    );
    eprint!("{scaling}");
    table.push_str(&scaling);

    // The audit of about 10,000 hops, signed, end to end.
    let pki = dir.join("pki");
    crate::run_binary(
        &xborder,
        &[
            "keygen",
            "--name",
            "Benchmark",
            "--out",
            path_str(&pki)?,
            "--force",
        ],
    )?;
    let audit_map = dir.join("mixed-10k.json");
    let pdf = dir.join("mixed-10k.pdf");
    let key = pki.join("signer.key.pem");
    let cert = pki.join("signer.pem");
    let audit = measure(
        &xborder,
        &[
            "audit",
            path_str(&audit_map)?,
            "--as-of",
            AS_OF,
            "--key",
            path_str(&key)?,
            "--cert",
            path_str(&cert)?,
            "--out",
            path_str(&pdf)?,
            "--force",
        ],
    )?;
    let audit_line = format!(
        "\nSigned audit of `mixed-10k.json` (as of 2024-06-01; `xborder audit`, end to end): {:.2} s, peak {:.0} MB.\n",
        audit.seconds, audit.peak_mb
    );
    eprint!("{audit_line}");
    table.push_str(&audit_line);
    let out = dir.join("scale.md");
    std::fs::write(&out, &table).map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    println!("{table}");
    eprintln!("wrote {}", out.display());
    Ok(())
}

/// The file's name, as the tables print it.
fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn path_str(path: &Path) -> Result<&str, String> {
    path.to_str()
        .ok_or_else(|| format!("{} is not UTF-8", path.display()))
}

/// One program measured: median wall time (s) and the largest peak resident set (MB).
struct Measured {
    seconds: f64,
    peak_mb: f64,
}

/// The runs of one program so far.
#[derive(Default)]
struct Runs {
    times: Vec<f64>,
    peak_mb: f64,
}

impl Runs {
    /// Runs `program` once, stdout discarded; returns its wall time (s).
    fn run(&mut self, program: &PathBuf, args: &[&str], report: &Path) -> Result<f64, String> {
        let started = std::time::Instant::now();
        let status = Command::new("/usr/bin/time")
            .arg("-f")
            .arg("%M")
            .arg("-o")
            .arg(report)
            .arg(program)
            .args(args)
            .stdout(std::process::Stdio::null())
            .status()
            .map_err(|e| format!("cannot run {}: {e}", program.display()))?;
        let seconds = started.elapsed().as_secs_f64();
        if !status.success() {
            return Err(format!("{} {} failed", program.display(), args.join(" ")));
        }
        let text = std::fs::read_to_string(report)
            .map_err(|e| format!("cannot read GNU time's report: {e}"))?;
        let kib: f64 = text.trim().parse().unwrap_or(0.0);
        self.times.push(seconds);
        self.peak_mb = self.peak_mb.max(kib * 1024.0 / 1e6);
        Ok(seconds)
    }

    /// The median of the ratios of these runs' times to `other`'s, run for run: the runs
    /// of one round are compared with each other.
    fn ratio_to(&self, other: &Runs) -> f64 {
        median(
            self.times
                .iter()
                .zip(&other.times)
                .map(|(a, b)| a / b.max(1e-6))
                .collect(),
        )
    }

    fn measured(self) -> Measured {
        Measured {
            seconds: median(self.times),
            peak_mb: self.peak_mb,
        }
    }
}

/// How each map's runs took longer than the previous map's, round for round, as `×N`.
fn growth(runs: &[&Runs]) -> Vec<String> {
    runs.windows(2)
        .map(|pair| format!("×{:.1}", pair[1].ratio_to(pair[0])))
        .collect()
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(0.0)
}

/// Where GNU time writes its report (peak resident set) for this process's runs.
fn report_file() -> PathBuf {
    std::env::temp_dir().join(format!("xborder-bench-time-{}", std::process::id()))
}

/// `RUNS` runs of `program`.
fn measure(program: &PathBuf, args: &[&str]) -> Result<Measured, String> {
    let report = report_file();
    let mut runs = Runs::default();
    for _ in 0..RUNS {
        runs.run(program, args, &report)?;
    }
    let _ = std::fs::remove_file(&report);
    Ok(runs.measured())
}
