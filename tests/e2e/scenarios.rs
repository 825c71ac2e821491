//! The scenario corpus: small maps in `tests/scenarios/` with their expected verdicts.
//!
//! Header comments of each file:
//! - `# as-of: DATE` — the date to check on (required);
//! - `# expect: [DATE] FLOW-ID REGIME DESTINATION VERDICT [CODE…]` — the hop must exist with
//!   that verdict and at least those finding codes; `-CODE` means the code must be absent; the
//!   verdict `none` means the flow makes no hop under that regime there (its law does not
//!   restrict the transfer on the date); a leading date checks the map on that date instead of
//!   `as-of` (both sides of a date in one file);
//! - `# path: FLOW-ID REGIME a > b > c` — the hop's witness path;
//! - `# exit: N` — the expected exit code (default: 1 if any expected verdict is
//!   unlawful, else 0).

use serde_json::Value;
use xborder_tests::{files, rel, run};

struct Scenario {
    path: String,
    as_of: String,
    expects: Vec<Vec<String>>,
    paths: Vec<(String, String, Vec<String>)>,
    exit: Option<i32>,
}

fn parse(path: &std::path::Path) -> Scenario {
    let text = std::fs::read_to_string(path).expect("scenario readable");
    let mut s = Scenario {
        path: rel(path),
        as_of: String::new(),
        expects: Vec::new(),
        paths: Vec::new(),
        exit: None,
    };
    for line in text.lines().take_while(|l| l.starts_with('#')) {
        if let Some(v) = line.strip_prefix("# as-of:") {
            s.as_of = v.trim().to_string();
        } else if let Some(v) = line.strip_prefix("# expect:") {
            s.expects
                .push(v.split_whitespace().map(str::to_string).collect());
        } else if let Some(v) = line.strip_prefix("# path:") {
            let mut parts = v.split_whitespace();
            let flow = parts.next().unwrap_or_default().to_string();
            let regime = parts.next().unwrap_or_default().to_string();
            let rest: Vec<String> = parts
                .collect::<Vec<_>>()
                .join(" ")
                .split('>')
                .map(|p| p.trim().to_string())
                .collect();
            s.paths.push((flow, regime, rest));
        } else if let Some(v) = line.strip_prefix("# exit:") {
            s.exit = v.trim().parse().ok();
        }
    }
    assert!(!s.as_of.is_empty(), "{}: no `# as-of:` line", s.path);
    assert!(!s.expects.is_empty(), "{}: no `# expect:` line", s.path);
    s
}

/// `YYYY-MM-DD`.
fn is_date(word: &str) -> bool {
    chrono::NaiveDate::parse_from_str(word, "%Y-%m-%d").is_ok()
}

fn find_hop<'a>(
    doc: &'a Value,
    flow: &str,
    regime: &str,
    destination: Option<&str>,
) -> Option<&'a Value> {
    doc["hops"].as_array()?.iter().find(|h| {
        h["id"] == flow
            && h["regime"] == regime
            && destination.is_none_or(|d| h["destination"] == d)
    })
}

#[test]
fn scenario_corpus() {
    let scenarios = files("tests/scenarios", "yaml");
    assert!(
        scenarios.len() >= 60,
        "at least 60 scenarios, found {}",
        scenarios.len()
    );
    let mut failures = Vec::new();
    for file in scenarios {
        let s = parse(&file);
        let check = |date: &str| run(&["check", &s.path, "--as-of", date, "--format", "json"]);
        let out = check(&s.as_of);
        if out.code == 2 {
            failures.push(format!("{}: unusable input:\n{}", s.path, out.stderr));
            continue;
        }
        let base = out.json();
        let mut on_dates: std::collections::BTreeMap<String, Value> = Default::default();
        let mut any_unlawful = false;
        for raw in &s.expects {
            let (date, e) = match raw.split_first() {
                Some((first, rest)) if is_date(first) => (Some(first.clone()), rest),
                _ => (None, raw.as_slice()),
            };
            let doc: &Value = match &date {
                Some(d) => on_dates.entry(d.clone()).or_insert_with(|| check(d).json()),
                None => {
                    any_unlawful |= e.get(3).is_some_and(|v| v == "unlawful");
                    &base
                }
            };
            let [flow, regime, destination, verdict, codes @ ..] = e else {
                failures.push(format!("{}: malformed expect {e:?}", s.path));
                continue;
            };
            if verdict == "none" {
                if let Some(hop) = find_hop(doc, flow, regime, Some(destination)) {
                    failures.push(format!(
                        "{}: {flow} {regime} {destination}: expected no hop, found {hop}",
                        s.path
                    ));
                }
                continue;
            }
            let Some(hop) = find_hop(doc, flow, regime, Some(destination)) else {
                failures.push(format!("{}: no hop {flow} {regime} {destination}", s.path));
                continue;
            };
            if hop["verdict"] != verdict.as_str() {
                failures.push(format!(
                    "{}: {flow} {regime} {destination}: verdict {} (expected {verdict}); codes {}",
                    s.path, hop["verdict"], hop["codes"]
                ));
            }
            let have: Vec<&str> = hop["codes"]
                .as_array()
                .map(|a| a.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            for code in codes {
                match code.strip_prefix('-') {
                    Some(absent) if have.contains(&absent) => failures.push(format!(
                        "{}: {flow}: code {absent} must be absent, codes {have:?}",
                        s.path
                    )),
                    Some(_) => {}
                    None if !have.contains(&code.as_str()) => failures.push(format!(
                        "{}: {flow}: code {code} missing, codes {have:?}",
                        s.path
                    )),
                    None => {}
                }
            }
        }
        for (flow, regime, path) in &s.paths {
            match find_hop(&base, flow, regime, None) {
                Some(hop) => {
                    let got: Vec<&str> = hop["path"]
                        .as_array()
                        .map(|a| a.iter().filter_map(Value::as_str).collect())
                        .unwrap_or_default();
                    if got != *path {
                        failures.push(format!(
                            "{}: {flow} path {got:?}, expected {path:?}",
                            s.path
                        ));
                    }
                }
                None => failures.push(format!("{}: no hop {flow} {regime} for path", s.path)),
            }
        }
        let expected_exit = s.exit.unwrap_or(i32::from(any_unlawful));
        if out.code != expected_exit {
            failures.push(format!(
                "{}: exit {} (expected {expected_exit})",
                s.path, out.code
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} scenario failure(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}
