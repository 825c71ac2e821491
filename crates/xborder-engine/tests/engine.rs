//! Engine checks that need the real rulebook: every code documented as the engine uses it,
//! propagation along onward paths and cycles, and timelines built from breakpoints.

use chrono::NaiveDate;
use xborder_engine::{Code, Options, Verdict, check, timeline, vocabulary};
use xborder_law::Rulebook;

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
}

fn rulebook() -> Rulebook {
    Rulebook::embedded().expect("embedded rulebook is valid")
}

fn map(text: &str, rb: &Rulebook) -> xborder_model::Map {
    let (map, diagnostics) = xborder_model::load(text, &vocabulary(rb));
    map.unwrap_or_else(|| panic!("invalid test map: {diagnostics:?}"))
}

/// The severity of a finding is the rulebook's: a `codes.yaml` given through `--rules` that
/// raises XB019 (occasional derogation) from info to error makes those findings errors, and
/// the evaluation then has errors (`check` exits 1).
#[test]
fn the_rulebook_decides_a_findings_severity() {
    const MAP: &str = "format: 1\norganisation: Travel\nentities:\n  agency: { name: Agency, kind: company, country: DE, role: controller }\n  hotel: { name: Hotel, kind: partner, country: US, role: controller }\nflows:\n  - id: booking\n    from: agency\n    to: hotel\n    data: [name]\n    mechanisms: [ { kind: derogation, ground: contract, occasional: true } ]\n";
    let rb = rulebook();
    let as_of = date("2022-06-01");
    let with = |rb: &Rulebook| check(&map(MAP, rb), rb, as_of, &Options::default());
    let before = with(&rb);
    let xb019 = |e: &xborder_engine::Evaluation| {
        e.findings
            .iter()
            .filter(|f| f.code == Code::OccasionalDerogation)
            .map(|f| f.severity)
            .collect::<Vec<_>>()
    };
    assert_eq!(xb019(&before), vec![xborder_law::Severity::Info]);
    assert!(!before.has_errors());

    let codes = rb
        .sources()
        .iter()
        .find(|(name, _)| name == "codes.yaml")
        .map(|(_, text)| text.clone())
        .expect("codes.yaml is embedded");
    let at = codes.find("code: XB019").expect("XB019 is documented");
    let raised = format!(
        "{}{}",
        &codes[..at],
        codes[at..].replacen("severity: info", "severity: error", 1)
    );
    let stricter = Rulebook::with_overrides(&rb, vec![("codes.yaml".into(), raised)])
        .expect("the raised registry loads");
    let after = with(&stricter);
    assert_eq!(xb019(&after), vec![xborder_law::Severity::Error]);
    assert!(after.has_errors(), "an error finding fails the check");
}

const CHAIN: &str = r#"
format: 1
organisation: Chain
entities:
  people: { name: People in the EEA, kind: subjects, country: EEA }
  shop: { name: Shop, kind: company, country: US, role: controller }
  cloud: { name: Cloud, kind: vendor, country: US, role: processor }
  sub: { name: Sub-processor, kind: vendor, country: IN, role: processor }
flows:
  - { id: collect, from: people, to: shop, data: [email] }
  - id: host
    from: shop
    to: cloud
    data: [email]
    mechanisms: [ { kind: scc, version: "2021/914", module: 2, signed: 2022-01-10, tia: 2022-01-01 } ]
  - { id: back, from: cloud, to: shop, data: [email], roles: processor->controller }
  - { id: outsource, from: cloud, to: sub, data: [email] }
"#;

#[test]
fn regimes_follow_onward_paths_and_survive_cycles() {
    let rb = rulebook();
    let m = map(CHAIN, &rb);
    let eval = check(&m, &rb, date("2023-03-01"), &Options::default());
    let hop = |id: &str| {
        eval.hops
            .iter()
            .find(|h| h.id.as_deref() == Some(id) && h.regime == "eu-gdpr")
            .unwrap_or_else(|| panic!("hop {id}"))
    };
    assert_eq!(hop("collect").verdict, Verdict::NotATransfer);
    assert_eq!(hop("host").verdict, Verdict::Conditional);
    assert_eq!(
        hop("outsource").verdict,
        Verdict::Unlawful,
        "the sub-processor in India has no mechanism"
    );
    assert_eq!(*hop("outsource").path, ["people", "shop", "cloud", "sub"]);
    assert!(hop("outsource").codes.iter().any(|c| c == "XB001"));
    // The cycle shop -> cloud -> shop terminates and keeps the shortest witness.
    assert_eq!(*hop("back").path, ["people", "shop", "cloud", "shop"]);
}

#[test]
fn timeline_flips_on_the_day_of_the_judgment() {
    let rb = rulebook();
    let text = r#"
format: 1
organisation: PS
entities:
  people: { name: People in the EEA, kind: subjects, country: EEA }
  shop: { name: Shop, kind: company, country: US, role: controller, subject-to: [gdpr-art-3-2] }
  analytics:
    name: Analytics
    kind: vendor
    country: US
    role: processor
    certifications: [ { framework: eu-us-privacy-shield, from: 2016-09-29 } ]
flows:
  - { id: collect, from: people, to: shop, data: [email] }
  - { id: analyse, from: shop, to: analytics, data: [email], mechanisms: [ { kind: privacy-shield } ] }
"#;
    let m = map(text, &rb);
    let lines = timeline(
        &m,
        &rb,
        date("2016-01-01"),
        date("2022-01-01"),
        &Options::default(),
    );
    let line = lines
        .iter()
        .find(|l| l.id.as_deref() == Some("analyse") && l.regime == "eu-gdpr")
        .expect("analyse");
    let spans: Vec<(String, Option<String>, Verdict)> = line
        .intervals
        .iter()
        .map(|i| {
            (
                i.from.to_string(),
                i.until.map(|d| d.to_string()),
                i.verdict,
            )
        })
        .collect();
    assert_eq!(
        spans,
        vec![
            (
                "2016-01-01".to_string(),
                Some("2016-09-28".to_string()),
                Verdict::Unlawful
            ),
            (
                "2016-09-29".to_string(),
                Some("2020-07-15".to_string()),
                Verdict::Lawful
            ),
            ("2020-07-16".to_string(), None, Verdict::Unlawful),
        ]
    );
}

#[test]
fn holdings_include_regimes_that_restrict_no_transfer() {
    let rb = rulebook();
    let m = map(
        r#"
format: 1
organisation: Holdings
entities:
  californians: { name: People in California, kind: subjects, country: US-CA }
  europeans: { name: People in the EEA, kind: subjects, country: EEA }
  shop: { name: Shop, kind: company, country: US, role: controller }
  vendor: { name: Vendor, kind: vendor, country: US, role: processor }
flows:
  - { from: californians, to: shop, data: [email, name] }
  - { from: europeans, to: shop, data: [email] }
  - { from: shop, to: vendor, data: [email] }
"#,
        &rb,
    );
    let held = xborder_engine::holdings(&m, &rb, date("2026-11-25"));
    let vendor = m.entity("vendor").expect("vendor");
    let regimes: Vec<(&str, Vec<&str>)> = held[vendor]
        .iter()
        .map(|(r, c)| (r.as_str(), c.iter().map(String::as_str).collect()))
        .collect();
    assert!(regimes.contains(&("us-ccpa", vec!["email"])), "{regimes:?}");
    assert!(regimes.contains(&("eu-gdpr", vec!["email"])), "{regimes:?}");
    // Before the CPRA amendments the rulebook models no CCPA period, so no holding.
    let before = xborder_engine::holdings(&m, &rb, date("2022-06-01"));
    assert!(before[vendor].iter().all(|(r, _)| r != "us-ccpa"));
    // Verdicts are only for regimes that restrict transfers.
    let eval = check(&m, &rb, date("2026-11-25"), &Options::default());
    assert!(eval.hops.iter().all(|h| h.regime != "us-ccpa"));
}
