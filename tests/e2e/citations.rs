//! Citations right for the date: every finding of the three Coursera maps, judged at three dates
//! each, cites only instruments that existed on the as-of date — the rulebook knows when each
//! instrument it cites was adopted, entered into force or was delivered (`instruments.yaml`).

use xborder_law::Rulebook;
use xborder_tests::run;

/// The maps and the dates each is judged at: around the changes each map's period saw.
const CASES: &[(&str, &[&str])] = &[
    (
        "data/coursera/2018-07.yaml",
        &["2018-08-01", "2019-06-01", "2020-07-15"],
    ),
    (
        "data/coursera/2020-08.yaml",
        &["2020-08-01", "2021-01-01", "2022-06-01"],
    ),
    (
        "data/coursera/2021-01.yaml",
        &["2021-01-01", "2023-01-01", "2026-11-25"],
    ),
];

#[test]
fn coursera_findings_cite_only_instruments_in_force_on_the_date() {
    let rulebook = Rulebook::embedded().expect("the embedded rulebook loads");
    assert!(
        rulebook.instruments.len() >= 20,
        "the rulebook lists the instruments it cites"
    );
    let mut wrong = Vec::new();
    let mut checked = 0;
    for (map, dates) in CASES {
        for date in *dates {
            let out = run(&["check", map, "--as-of", date, "--format", "json"]);
            assert!(out.code <= 1, "{map} at {date}: {}", out.stderr);
            let doc = out.json();
            let as_of: chrono::NaiveDate = date.parse().expect("a date");
            for f in doc["findings"].as_array().expect("findings") {
                let citation = f["citation"].as_str().unwrap_or_default();
                checked += 1;
                for instrument in &rulebook.instruments {
                    let named = instrument
                        .cited_as
                        .iter()
                        .any(|text| !text.is_empty() && citation.contains(text.as_str()));
                    if named && instrument.from > as_of {
                        wrong.push(format!(
                            "{map} as of {date}: {} finding on flow {} cites {} (from {}): {citation}",
                            f["code"], f["flow"], instrument.name, instrument.from
                        ));
                    }
                }
            }
        }
    }
    assert!(checked > 100, "only {checked} findings checked");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
