//! `xborder ropa` (GDPR Art. 30 record with its transfers section, from the engine's hops) and
//! `xborder ccpa` (the CCPA disclosure table) on the January 2021 Coursera map.

use serde_json::Value;
use xborder_tests::run;

const MAP_2021: &str = "data/coursera/2021-01.yaml";

fn stdout(args: &[&str]) -> String {
    let out = run(args);
    assert_eq!(out.code, 0, "{}", out.stderr);
    out.stdout
}

/// A minimal RFC 4180 reader: rows of fields.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    rows
}

#[test]
fn ropa_transfers_section_lists_every_transfer_hop_of_the_engine() {
    let check = run(&[
        "check",
        MAP_2021,
        "--as-of",
        "2021-01-01",
        "--format",
        "json",
    ])
    .json();
    let transfer_hops: Vec<&Value> = check["hops"]
        .as_array()
        .expect("hops")
        .iter()
        .filter(|h| h["verdict"] != "not-a-transfer")
        .collect();
    let record: Value = serde_json::from_str(&stdout(&[
        "ropa",
        MAP_2021,
        "--as-of",
        "2021-01-01",
        "--format",
        "json",
    ]))
    .expect("json");
    let transfers = record["transfers"].as_array().expect("transfers");
    assert_eq!(
        transfers.len(),
        transfer_hops.len(),
        "one row per transfer hop"
    );
    let unlawful = transfers
        .iter()
        .filter(|t| t["verdict"] == "unlawful")
        .count();
    assert_eq!(
        unlawful,
        check["summary"]["unlawful"].as_u64().expect("summary") as usize
    );
    let support = record["activities"]
        .as_array()
        .expect("activities")
        .iter()
        .find(|a| a["purpose"] == "customer-support")
        .expect("customer-support activity");
    let countries: Vec<&str> = support["third_countries"]
        .as_array()
        .expect("countries")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(countries, ["PH (Philippines)", "US (United States)"]);
    assert!(
        support["recipients"]
            .to_string()
            .contains("Zendesk (zendesk, processor, US)"),
        "{support}"
    );
    let idv = record["activities"]
        .as_array()
        .expect("activities")
        .iter()
        .find(|a| a["purpose"] == "identity-verification")
        .expect("identity-verification");
    assert!(
        idv["special_categories"]
            .to_string()
            .contains("webcam-headshot (biometric)")
    );
}

#[test]
fn ropa_csv_is_one_well_formed_row_per_activity() {
    let csv = stdout(&["ropa", MAP_2021, "--as-of", "2021-01-01", "--format", "csv"]);
    let rows = parse_csv(&csv);
    let width = rows[0].len();
    assert_eq!(rows[0][1], "Purpose of processing");
    assert!(
        rows.iter().all(|r| r.len() == width),
        "every row has {width} fields"
    );
    let purposes: Vec<&str> = rows[1..].iter().map(|r| r[1].as_str()).collect();
    assert!(
        purposes.contains(&"hosting") && purposes.contains(&"legal-process"),
        "{purposes:?}"
    );
}

#[test]
fn ropa_and_ccpa_snapshots() {
    let ropa = stdout(&["ropa", MAP_2021, "--as-of", "2021-01-01"]);
    let ccpa = stdout(&["ccpa", MAP_2021]);
    insta::with_settings!({ prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("ropa-2021-01@2021-01-01", ropa);
        insta::assert_snapshot!("ccpa-2021-01", ccpa);
    });
}

#[test]
fn ccpa_table_lines_up_with_the_notice_chart() {
    let doc: Value =
        serde_json::from_str(&stdout(&["ccpa", MAP_2021, "--format", "json"])).expect("json");
    let rows = doc["rows"].as_array().expect("rows");
    let row = |name: &str| {
        rows.iter()
            .find(|r| r["category"].as_str().is_some_and(|c| c.starts_with(name)))
            .unwrap_or_else(|| panic!("no row {name}: {doc}"))
    };
    // The categories of the CCPA Notice's chart (seed 000) that the map also holds.
    for name in [
        "Identifiers",
        "Personal information described in Cal. Civ. Code §1798.80(e)",
        "Characteristics of protected classifications",
        "Commercial information",
        "Internet or other electronic network activity",
        "Geolocation data",
        "Professional or employment-related",
        "Inferences",
        "Audio, electronic, visual",
    ] {
        let _ = row(name);
    }
    let notice = std::fs::read_to_string(
        xborder_tests::root().join("tests/data/notices/2021-01-ccpa-notice.txt"),
    )
    .expect("notice");
    assert!(notice.contains("Commercial information") && notice.contains("Inferences"));
    let identifiers = row("Identifiers");
    let sp = identifiers["service_providers"].to_string();
    assert!(
        sp.contains("Zendesk") && sp.contains("Cloud hosting provider"),
        "{sp}"
    );
    let tp = identifiers["third_parties"].to_string();
    assert!(tp.contains("Other business partners of Coursera"), "{tp}");
    let sources = identifiers["sources"].to_string();
    assert!(
        sources.contains("consumers directly") && sources.contains("Learners in California"),
        "{sources}"
    );
    // Biometric information is not on the notice's chart but is in the map (identity
    // verification): the regenerated table shows it.
    assert!(
        row("Biometric information")["map_categories"]
            .to_string()
            .contains("webcam-headshot")
    );
}
