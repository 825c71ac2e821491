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

/// A hop carrying sensitive data cites what its own regime requires for them, in force on the
/// date: Swiss data the FADP's rule on disclosing sensitive personal data to third parties (old
/// FADP Art. 12(2)(c) before 1 Sep 2023, revised FADP Art. 30(2)(c) from then), EU data the
/// GDPR's Art. 9(2) — never another regime's law.
#[test]
fn special_category_findings_cite_their_own_regimes_law() {
    let map = tempfile::NamedTempFile::with_suffix(".yaml").expect("temp file");
    std::fs::write(
        map.path(),
        "format: 1\norganisation: Klinik\nentities:\n  \
         patients-ch: { name: Patients in Switzerland, kind: subjects, country: CH }\n  \
         patients-eea: { name: Patients in the EEA, kind: subjects, country: EEA }\n  \
         clinic: { name: Klinik AG, kind: company, country: CH, role: controller }\n  \
         platform: { name: Telehealth Inc., kind: vendor, country: US, role: processor }\n\
         flows:\n  \
         - { from: patients-ch, to: clinic, data: [name, health] }\n  \
         - { from: patients-eea, to: clinic, data: [name, health] }\n  \
         - { id: telemedicine, from: clinic, to: platform, data: [name, health] }\n",
    )
    .expect("write the map");
    let path = map.path().to_string_lossy().into_owned();
    let cited = |date: &str, regime: &str| -> String {
        let out = run(&["check", &path, "--as-of", date, "--format", "json"]);
        let doc = out.json();
        doc["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .find(|f| f["code"] == "XB008" && f["regime"] == regime)
            .and_then(|f| f["citation"].as_str())
            .unwrap_or_else(|| panic!("no XB008 for {regime} on {date}: {}", out.stdout))
            .to_owned()
    };
    let swiss_old = cited("2022-06-01", "ch-fadp");
    assert!(
        swiss_old.contains("Art") && swiss_old.contains("12(2)(c)"),
        "{swiss_old}"
    );
    let swiss_new = cited("2024-06-01", "ch-fadp");
    assert!(swiss_new.contains("FADP Arts. 30(2)(c)"), "{swiss_new}");
    for citation in [&swiss_old, &swiss_new] {
        assert!(!citation.contains("2016/679"), "{citation}");
    }
    let eu = cited("2024-06-01", "eu-gdpr");
    assert!(eu.contains("Regulation (EU) 2016/679, Art. 9(2)"), "{eu}");
}
