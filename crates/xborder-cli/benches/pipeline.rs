//! Criterion benchmarks of each in-process stage of `xborder check` and `xborder audit`, on
//! the synthetic maps `cargo xtask bench` generates (`XBORDER_BENCH_DIR`, default
//! `target/bench`): parse-only baselines, load (parse + validate), engine (propagate +
//! evaluate), the JSON and SARIF outputs, and the audit PDF (render, sign).
//!
//! Run through `cargo xtask bench`, which writes the maps first. `XBORDER_BENCH_SIZES`
//! (default `10k,100k`) picks the map sizes; the 1M-flow map is measured end to end by the
//! `scale` runner instead, since criterion needs ten samples of every stage.

#[path = "support/baseline.rs"]
mod baseline;

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

use chrono::NaiveDate;
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use xborder_cli::input::{self, LoadedMap};
use xborder_cli::output;
use xborder_engine::{Baseline, Evaluation, Finding};
use xborder_law::Rulebook;

fn bench_dir() -> PathBuf {
    std::env::var_os("XBORDER_BENCH_DIR").map_or_else(
        || PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../target/bench")),
        PathBuf::from,
    )
}

fn sizes() -> Vec<String> {
    std::env::var("XBORDER_BENCH_SIZES")
        .unwrap_or_else(|_| "10k,100k".to_string())
        .split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 6, 1).unwrap_or_default()
}

fn read(name: &str) -> Option<(String, String)> {
    let path = bench_dir().join(name);
    match std::fs::read_to_string(&path) {
        Ok(text) => Some((path.display().to_string(), text)),
        Err(e) => {
            eprintln!(
                "skipping {}: {e} (run `cargo xtask bench` to generate the maps)",
                path.display()
            );
            None
        }
    }
}

fn loaded(path: &str, text: &str, rulebook: &Rulebook) -> (LoadedMap, xborder_model::Map) {
    let mut loaded = input::load_text(path.to_string(), text.to_string(), rulebook);
    let map = loaded
        .map
        .take()
        .unwrap_or_else(|| panic!("{path} is not a valid map: {} error(s)", loaded.errors()));
    (loaded, map)
}

fn stages(c: &mut Criterion) {
    let rulebook = Rulebook::embedded().unwrap_or_else(|_| panic!("the embedded rulebook loads"));
    for size in sizes() {
        let mut group = c.benchmark_group(format!("flows-{size}"));
        group.sample_size(10);
        group.warm_up_time(Duration::from_millis(500));
        group.measurement_time(Duration::from_secs(5));
        for ext in ["yaml", "json"] {
            let Some((path, text)) = read(&format!("mixed-{size}.{ext}")) else {
                continue;
            };
            group.throughput(criterion::Throughput::Bytes(text.len() as u64));
            group.bench_function(BenchmarkId::new("parse-only", ext), |b| {
                b.iter(|| {
                    // `assert!`: a baseline that stops at an error would measure nothing.
                    let parsed = baseline::parse_only(black_box(&text), ext == "json");
                    assert!(parsed.is_ok(), "{path} parses: {parsed:?}");
                })
            });
            group.bench_function(BenchmarkId::new("load", ext), |b| {
                b.iter(|| input::load_text(path.clone(), black_box(text.clone()), &rulebook))
            });
            if ext == "yaml" {
                continue;
            }
            let (loaded, map) = loaded(&path, &text, &rulebook);
            let options = xborder_engine::Options::default();
            group.bench_function("engine", |b| {
                b.iter(|| xborder_engine::check(black_box(&map), &rulebook, as_of(), &options))
            });
            let eval = xborder_engine::check(&map, &rulebook, as_of(), &options);
            let states = new_states(&eval);
            group.bench_function("output-json", |b| {
                b.iter(|| {
                    let doc = output::json(&eval, &loaded, &rulebook, &states, &[], false);
                    doc.write(&mut std::io::sink())
                })
            });
            group.bench_function("output-sarif", |b| {
                b.iter(|| {
                    let doc = output::sarif::sarif(&eval, &loaded, &map, &rulebook, &states, false);
                    output::write_json(std::io::sink(), &doc)
                })
            });
        }
        group.finish();
    }
}

/// The engine alone on the adversarial shapes: one long chain, a dense strongly connected
/// cluster, a fan-out from one company. Each must scale like the mixed map.
fn engine_shapes(c: &mut Criterion) {
    let rulebook = Rulebook::embedded().unwrap_or_else(|_| panic!("the embedded rulebook loads"));
    let options = xborder_engine::Options::default();
    let mut group = c.benchmark_group("engine-shapes");
    group.sample_size(10);
    group.warm_up_time(Duration::from_millis(500));
    group.measurement_time(Duration::from_secs(5));
    for shape in ["chain", "cluster", "fanout"] {
        for size in sizes() {
            let Some((path, text)) = read(&format!("{shape}-{size}.json")) else {
                continue;
            };
            let (_, map) = loaded(&path, &text, &rulebook);
            group.bench_function(BenchmarkId::new(shape, &size), |b| {
                b.iter(|| xborder_engine::check(black_box(&map), &rulebook, as_of(), &options))
            });
        }
    }
    group.finish();
}

fn new_states(eval: &Evaluation) -> Vec<(Baseline, &Finding)> {
    eval.findings.iter().map(|f| (Baseline::New, f)).collect()
}

/// The audit report of the 10k-flow map (10,819 hops): layout and PDF writing, then signing.
fn audit_pdf(c: &mut Criterion) {
    let rulebook = Rulebook::embedded().unwrap_or_else(|_| panic!("the embedded rulebook loads"));
    let Some((path, text)) = read("mixed-10k.json") else {
        return;
    };
    let (loaded, map) = loaded(&path, &text, &rulebook);
    let options = xborder_engine::Options::default();
    let eval = xborder_engine::check(&map, &rulebook, as_of(), &options);
    let expiring = xborder_engine::expiring(&map, &rulebook, as_of(), as_of(), &options);
    let generated_at = as_of().and_hms_opt(0, 0, 0).unwrap_or_default();
    let input = xborder_report::audit::AuditInput {
        map: &map,
        map_file: &loaded.path,
        map_sha256: &loaded.sha256,
        rulebook: &rulebook,
        evaluation: &eval,
        expiring: &expiring,
        horizon_days: 0,
        base: None,
        organisation: "Synthetic Group",
        report_id: "XB-BENCH",
        document_id: [0; 16],
        generated_at,
        tool_version: env!("CARGO_PKG_VERSION"),
        signer: None,
        acceptances: None,
    };
    let start = generated_at.and_utc() - chrono::Duration::days(1);
    let pki = xborder_sign::keygen("Benchmark", start, start + chrono::Duration::days(30))
        .unwrap_or_else(|e| panic!("demo PKI: {e}"));
    let mut group = c.benchmark_group(format!("audit-{}-hops", eval.hops.len()));
    group.sample_size(10);
    group.warm_up_time(Duration::from_millis(500));
    group.bench_function("render", |b| {
        b.iter(|| {
            let document = xborder_report::audit::audit_document(black_box(&input));
            xborder_report::render_pdf(&document)
        })
    });
    let pdf = xborder_report::render_pdf(&xborder_report::audit::audit_document(&input))
        .unwrap_or_else(|e| panic!("render: {e}"));
    group.bench_function("sign", |b| {
        b.iter(|| {
            xborder_sign::sign_pdf(&xborder_sign::SignRequest {
                pdf: black_box(&pdf),
                key_pem: &pki.signer_key_pem,
                cert_pem: &pki.signer_cert_pem,
                chain_pem: Some(&pki.ca_cert_pem),
                signing_time: generated_at.and_utc(),
                signer_name: Some("Benchmark"),
                reason: Some("benchmark"),
                location: None,
            })
        })
    });
    group.finish();
}

criterion_group!(benches, stages, engine_shapes, audit_pdf);
criterion_main!(benches);
