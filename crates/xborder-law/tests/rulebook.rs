//! The embedded rulebook: it loads cleanly, every entry is cited, and the research's key dates
//! and scopes come out of the queries as the research says.

use std::collections::BTreeSet;

use xborder_law::{
    Date, Dated, HopFacts, RolePair, Rulebook, SccStanding, SccStatus, Sector, Severity,
};

fn d(text: &str) -> Date {
    text.parse().expect("test date")
}

fn rulebook() -> Rulebook {
    match Rulebook::embedded() {
        Ok(r) => r,
        Err(errors) => {
            let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
            panic!("embedded rulebook has problems:\n{}", text.join("\n"));
        }
    }
}

fn adequate(r: &Rulebook, regime: &str, dest: &str, date: &str) -> Vec<String> {
    r.adequacy_for(regime, dest, d(date))
        .map(|a| a.id.clone())
        .collect()
}

#[test]
fn embedded_rulebook_loads_without_diagnostics() {
    let r = rulebook();
    assert_eq!(r.manifest.format, 1);
    assert_eq!(r.manifest.version, "2026.12.0");
    assert_eq!(r.manifest.researched, d("2026-12-04"));
    assert_eq!(r.sha256.len(), 64);
    let shared = Rulebook::embedded_shared().expect("shared");
    assert_eq!(shared.sha256, r.sha256);
}

#[test]
fn embedded_files_are_the_rulebook_directory() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/rulebook");
    let mut on_disk: Vec<String> = std::fs::read_dir(dir)
        .expect("data/rulebook exists")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".yaml"))
        .collect();
    on_disk.sort();
    let embedded: Vec<String> = Rulebook::embedded_sources()
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    assert_eq!(embedded, on_disk);
    for (name, text) in Rulebook::embedded_sources() {
        assert!(
            text.starts_with("# "),
            "{name} must start with a comment saying what it holds"
        );
    }
}

#[test]
fn every_entry_has_a_citation() {
    let r = rulebook();
    let mut missing = Vec::new();
    let mut check = |what: String, citation: &xborder_law::Citation| {
        if citation.is_blank() {
            missing.push(what);
        }
    };
    for g in &r.regimes {
        for p in &g.periods {
            check(format!("regime {} period {}", g.id, p.name), &p.citation);
        }
        for m in &g.territory {
            check(format!("regime {} territory", g.id), &m.citation);
        }
    }
    for g in &r.regions {
        for m in &g.members {
            check(format!("region {}", g.id), &m.citation);
        }
    }
    for c in &r.categories {
        check(
            format!("category {}", c.id),
            &c.citation.clone().unwrap_or_default(),
        );
    }
    for a in &r.adequacy {
        check(format!("adequacy {}", a.id), &a.citation);
        for x in &a.scope.excludes {
            check(format!("adequacy {} exclusion", a.id), &x.citation);
        }
    }
    for b in &r.bridges {
        check(format!("bridge {}", b.id), &b.citation);
    }
    for s in &r.scc_sets {
        check(format!("scc {}", s.version), &s.citation);
        for t in &s.terms {
            check(format!("scc {} {}", s.version, t.regime), &t.citation);
        }
    }
    for t in &r.tools {
        check(format!("tool {} {}", t.kind, t.regime), &t.citation);
        for g in &t.grounds {
            check(format!("tool {} ground {}", t.kind, g.ground), &g.citation);
        }
    }
    for a in &r.advisories {
        check(format!("advisory {}", a.id), &a.citation);
    }
    for c in &r.codes {
        check(format!("code {}", c.code), &c.citation);
    }
    assert!(missing.is_empty(), "without citation: {missing:?}");
}

/// The registry documents every code the engine can report exactly once, and nothing else.
#[test]
fn the_code_registry_documents_every_code_once() {
    let r = rulebook();
    assert_eq!(r.codes.len(), xborder_law::Code::ALL.len());
    for &code in xborder_law::Code::ALL {
        let doc = r.doc(code);
        assert_eq!(doc.code, code.as_str());
        assert!(!doc.title.is_empty() && !doc.fix.is_empty(), "{code}");
    }
    let advisory_codes: BTreeSet<&str> = r.advisories.iter().map(|a| a.code.as_str()).collect();
    assert!(advisory_codes.iter().all(|c| r.code(c).is_some()));
    let _ = Severity::Error;
}

#[test]
fn base_categories_and_classes() {
    use xborder_law::CategoryClass::*;
    let r = rulebook();
    for id in ["ordinary", "name", "email", "hr", "credit-information"] {
        assert_eq!(r.category(id).map(|c| c.class), Some(Ordinary), "{id}");
    }
    for id in [
        "health",
        "biometric",
        "racial-ethnic-origin",
        "religious-belief",
        "political-opinion",
        "trade-union",
        "sex-life",
        "genetic",
    ] {
        let c = r.category(id).expect("special category");
        assert_eq!(c.class, Special, "{id}");
        assert!(
            c.citation
                .as_ref()
                .is_some_and(|t| t.latest().contains("Art. 9(1)"))
        );
    }
    assert_eq!(r.category("criminal").map(|c| c.class), Some(Criminal));
    assert_eq!(r.category("children").map(|c| c.class), Some(Children));
    assert_eq!(r.categories.len(), 27);
}

#[test]
fn territories_over_time() {
    let r = rulebook();
    // EEA EFTA: Directive 95/46/EC from EEA JCD 83/1999 (not before 26 Jun 1999, the day it took
    // effect unconfirmed: XB014), the GDPR from 20 Jul 2018 (EEA JCD 154/2018) — no gap between.
    assert!(!r.in_territory("eu-gdpr", "IS", d("1999-06-25")));
    assert!(r.in_territory("eu-gdpr", "IS", d("1999-06-26")));
    assert!(r.in_territory("eu-gdpr", "IS", d("2018-07-19")));
    assert!(r.in_territory("eu-gdpr", "IS", d("2018-07-20")));
    assert!(r.in_territory("eu-gdpr", "NO", d("2018-07-20")));
    let efta: Vec<&xborder_law::Membership> = r
        .regime("eu-gdpr")
        .expect("eu-gdpr")
        .territory
        .iter()
        .filter(|m| m.countries.iter().any(|c| c == "NO"))
        .collect();
    assert_eq!(efta.len(), 2, "a Directive-period and a GDPR membership");
    assert!(efta[0].citation.latest().contains("No 83/1999"));
    assert!(efta[1].citation.latest().contains("No 154/2018"));
    let efta_doubt: Vec<&str> = r
        .advisories_for("eu-gdpr")
        .filter(|a| a.code == "XB014" && a.when.destination.as_deref() == Some("NO"))
        .map(|a| a.id.as_str())
        .collect();
    assert_eq!(efta_doubt, ["eea-efta-directive-no"]);
    let doubt = r
        .advisories
        .iter()
        .find(|a| a.id == "eea-efta-directive-no")
        .expect("advisory");
    assert!(!doubt.validity().contains(d("1999-06-25")));
    assert!(doubt.validity().contains(d("1999-06-26")));
    assert!(doubt.validity().contains(d("2018-07-19")));
    assert!(!doubt.validity().contains(d("2018-07-20")));
    // Member states from their accession.
    for (country, before, from) in [
        ("AT", "1994-12-31", "1995-01-01"),
        ("SE", "1994-12-31", "1995-01-01"),
        ("PL", "2004-04-30", "2004-05-01"),
        ("SI", "2004-04-30", "2004-05-01"),
        ("BG", "2006-12-31", "2007-01-01"),
        ("RO", "2006-12-31", "2007-01-01"),
    ] {
        assert!(!r.in_territory("eu-gdpr", country, d(before)), "{country}");
        assert!(r.in_territory("eu-gdpr", country, d(from)), "{country}");
        assert!(
            !r.region_members("EU", d(before)).contains(&country),
            "{country}"
        );
        assert!(
            r.region_members("EU", d(from)).contains(&country),
            "{country}"
        );
    }
    // UK: inside until the end of the transition period, its own regime from 1 Jan 2021.
    assert!(r.in_territory("eu-gdpr", "GB", d("2020-12-31")));
    assert!(!r.in_territory("eu-gdpr", "GB", d("2021-01-01")));
    assert!(!r.in_territory("uk-gdpr", "GB", d("2020-12-31")));
    assert!(r.in_territory("uk-gdpr", "GB", d("2021-01-01")));
    assert!(r.in_territory("eu-gdpr", "DE", d("1990-01-01")));
    // 11 members before 1995, AT/FI/SE, the UK and the EEA EFTA states; then the ten of 2004.
    assert_eq!(r.territory("eu-gdpr", d("1999-06-26")).len(), 18);
    assert_eq!(r.territory("eu-gdpr", d("2004-05-01")).len(), 28);
    assert!(!r.in_territory("eu-gdpr", "HR", d("2013-06-30")));
    assert!(r.in_territory("eu-gdpr", "HR", d("2013-07-01")));
    // A subdivision is inside its country; a country is not inside one of its subdivisions.
    assert!(
        r.in_territory("eu-gdpr", "FR-75", d("2024-01-01"))
            || !xborder_law::is_subdivision("FR-75")
    );
    assert!(r.in_territory("us-ccpa", "US-CA", d("2024-01-01")));
    assert!(!r.in_territory("us-ccpa", "US", d("2024-01-01")));
    assert!(!r.regime("us-ccpa").expect("ccpa").restricts_transfers);
    assert!(r.in_territory("ch-fadp", "CH", d("2024-01-01")));
    assert_eq!(r.territory("eu-gdpr", d("2024-01-01")).len(), 30);
    assert_eq!(r.territory("eu-gdpr", d("2020-06-01")).len(), 31);
    // Law in force: the Directive's transfer rules from its transposition deadline (Art. 32(1)).
    assert_eq!(
        r.period("eu-gdpr", d("2018-05-24"))
            .map(|p| p.name.as_str()),
        Some("Directive 95/46/EC")
    );
    assert!(r.period("eu-gdpr", d("1998-10-23")).is_none());
    assert!(r.period("eu-gdpr", d("1998-10-24")).is_some());
    // A period's citation is the short citation of its transfer rules (cited with XB001).
    let period_citation = |regime: &str, date: &str| {
        r.period(regime, d(date))
            .map(|p| p.citation.on(d(date)).to_owned())
            .unwrap_or_default()
    };
    assert_eq!(
        period_citation("eu-gdpr", "2010-01-01"),
        "Directive 95/46/EC, Arts. 25-26"
    );
    assert_eq!(
        period_citation("eu-gdpr", "2024-01-01"),
        "Regulation (EU) 2016/679, Arts. 44-49"
    );
    assert_eq!(
        period_citation("uk-gdpr", "2024-01-01"),
        "UK GDPR Arts. 44-49"
    );
    assert!(period_citation("uk-gdpr", "2026-02-05").starts_with("UK GDPR Arts. 44A-49A"));
    assert_eq!(
        period_citation("ch-fadp", "2020-01-01"),
        "Federal Act on Data Protection of 19 Jun 1992, Art. 6"
    );
    assert_eq!(period_citation("ch-fadp", "2024-01-01"), "FADP Arts. 16-17");
    assert!(
        r.period("eu-gdpr", d("2018-05-25"))
            .is_some_and(|p| p.name.contains("2016/679"))
    );
    assert!(
        r.period("ch-fadp", d("2023-09-01"))
            .is_some_and(|p| p.name.contains("revFADP"))
    );
}

#[test]
fn regions() {
    let r = rulebook();
    assert!(r.region_members("EU", d("2020-01-31")).contains(&"GB"));
    assert!(!r.region_members("EU", d("2020-02-01")).contains(&"GB"));
    assert_eq!(r.region_members("EEA", d("2024-01-01")).len(), 30);
    assert!(r.region_in_territory("EEA", "eu-gdpr", d("2018-06-01")));
    assert!(!r.region_in_territory("EEA", "uk-gdpr", d("2024-01-01")));
    assert!(r.region("EEA").is_some() && r.region("EU").is_some());
}

#[test]
fn frameworks_and_their_judgments() {
    let r = rulebook();
    // Privacy Shield: unavailable from the day of Schrems II, no grace period.
    assert!(adequate(&r, "eu-gdpr", "US", "2020-07-15").contains(&"eu-us-privacy-shield".into()));
    assert!(!adequate(&r, "eu-gdpr", "US", "2020-07-16").contains(&"eu-us-privacy-shield".into()));
    // Safe Harbor: unavailable from Schrems I.
    assert!(adequate(&r, "eu-gdpr", "US", "2015-10-05").contains(&"eu-us-safe-harbor".into()));
    assert!(adequate(&r, "eu-gdpr", "US", "2015-10-06").is_empty());
    // DPF from 10 Jul 2023.
    assert!(adequate(&r, "eu-gdpr", "US", "2023-07-09").is_empty());
    assert_eq!(adequate(&r, "eu-gdpr", "US", "2023-07-10"), ["eu-us-dpf"]);
    // Swiss-US Privacy Shield until the FDPIC position of 8 Sep 2020; Swiss-US DPF from 15 Sep 2024.
    assert_eq!(
        adequate(&r, "ch-fadp", "US", "2020-09-07"),
        ["swiss-us-privacy-shield"]
    );
    assert!(adequate(&r, "ch-fadp", "US", "2020-09-08").is_empty());
    assert!(adequate(&r, "ch-fadp", "US", "2024-09-14").is_empty());
    assert_eq!(
        adequate(&r, "ch-fadp", "US", "2024-09-15"),
        ["swiss-us-dpf"]
    );
    // UK data bridge from 12 Oct 2023.
    assert!(adequate(&r, "uk-gdpr", "US", "2023-10-11").is_empty());
    assert_eq!(
        adequate(&r, "uk-gdpr", "US", "2023-10-12"),
        ["uk-us-data-bridge"]
    );
    // Mechanism kinds per regime.
    let ps: Vec<_> = r
        .frameworks_for("ch-fadp", "privacy-shield")
        .map(|a| a.id.as_str())
        .collect();
    assert_eq!(ps, ["swiss-us-privacy-shield"]);
    let dpf = r.framework("eu-us-dpf").expect("dpf");
    assert_eq!(
        dpf.framework.as_ref().map(|f| f.mechanism.as_str()),
        Some("dpf")
    );
    assert!(
        dpf.onward
            .as_ref()
            .is_some_and(|o| o.name.contains("Onward Transfer"))
    );
    assert!(dpf.scope.summary.contains("HR"));
    // The DPF citation says what was known of its challenges on the date.
    let dpf_on = |date: &str| dpf.citation.on(d(date)).to_owned();
    assert!(!dpf_on("2025-09-02").contains("T-553/23"));
    assert!(
        dpf_on("2025-09-03").contains("T-553/23") && !dpf_on("2025-09-03").contains("C-703/25 P")
    );
    assert!(
        dpf_on("2025-10-31").contains("appeal C-703/25 P pending")
            && !dpf_on("2025-10-31").contains("C/2025/6610")
    );
    assert!(dpf_on("2025-12-22").contains("OJ C/2025/6610"));
    // Invalidated frameworks name the judgment only from the day it was delivered.
    let ps = r.framework("eu-us-privacy-shield").expect("Privacy Shield");
    assert!(!ps.citation.on(d("2020-07-15")).contains("C-311/18"));
    assert!(ps.citation.on(d("2020-07-16")).contains("C-311/18"));
    let sh = r.framework("eu-us-safe-harbor").expect("Safe Harbor");
    assert!(!sh.citation.on(d("2015-10-05")).contains("C-362/14"));
    assert!(sh.citation.on(d("2015-10-06")).contains("C-362/14"));
    assert!(
        r.framework("eu-us-privacy-shield")
            .and_then(|a| a.onward.as_ref())
            .is_some()
    );
}

#[test]
fn uk_bridge_then_adequacy() {
    let r = rulebook();
    assert!(r.bridge_for("eu-gdpr", "GB", d("2020-12-31")).is_none());
    assert!(r.bridge_for("eu-gdpr", "GB", d("2021-01-01")).is_some());
    assert!(r.bridge_for("eu-gdpr", "GB", d("2021-06-27")).is_some());
    assert!(r.bridge_for("eu-gdpr", "GB", d("2021-06-28")).is_none());
    assert!(adequate(&r, "eu-gdpr", "GB", "2021-06-27").is_empty());
    assert_eq!(adequate(&r, "eu-gdpr", "GB", "2021-06-28"), ["eu-gb"]);
    // The extension adopted 24 Jun 2025 leaves no gap.
    assert_eq!(adequate(&r, "eu-gdpr", "GB", "2025-06-27"), ["eu-gb"]);
    assert_eq!(
        adequate(&r, "eu-gdpr", "GB", "2025-06-28"),
        ["eu-gb-extended"]
    );
    assert_eq!(
        adequate(&r, "eu-gdpr", "GB", "2031-12-27"),
        ["eu-gb-renewed"]
    );
    assert!(adequate(&r, "eu-gdpr", "GB", "2031-12-28").is_empty());
}

#[test]
fn scoped_adequacy() {
    let r = rulebook();
    let date = d("2024-01-01");
    let covered = |id: &str, facts: &HopFacts<'_>, date: Date| {
        let a = r.adequacy_decision(id).expect("decision");
        a.scope.coverage(facts, date).is_covered()
    };
    // Canada: PIPEDA bodies only.
    let public = HopFacts {
        sector: Sector::Public,
        ..HopFacts::default()
    };
    let pipeda = HopFacts {
        sector: Sector::Nonprofit,
        subject_to: Some(vec!["pipeda"]),
        ..HopFacts::default()
    };
    assert!(covered("eu-ca", &HopFacts::default(), date));
    assert!(!covered("eu-ca", &public, date));
    assert!(covered("eu-ca", &pipeda, date));
    // A Quebec importer is in Canada.
    assert!(adequate(&r, "eu-gdpr", "CA-QC", "2024-01-01").contains(&"eu-ca".into()));
    // Japan: private sector; academic covered but flagged (A3).
    assert!(!covered("eu-jp", &public, date));
    let academic = HopFacts {
        sector: Sector::Academic,
        ..HopFacts::default()
    };
    assert!(covered("eu-jp", &academic, date));
    assert!(
        r.advisories_for("eu-gdpr")
            .any(|a| a.code == "XB013" && a.when.decision.as_deref() == Some("eu-jp"))
    );
    // Israel: automated transfers (or further automated processing in Israel); a flow that does not
    // say is taken as covered, with the fact reported as unknown (a warning asking for it).
    for id in ["eu-il", "uk-il"] {
        let israel = r.adequacy_decision(id).expect("Israel");
        let automated = |value: Option<bool>| HopFacts {
            automated: value,
            ..HopFacts::default()
        };
        assert!(covered(id, &automated(Some(true)), date), "{id}");
        assert!(!covered(id, &automated(Some(false)), date), "{id}");
        let unknown = israel.scope.coverage(&automated(None), date);
        assert!(unknown.is_covered() && !unknown.unknown.is_empty(), "{id}");
        assert!(israel.scope.summary.contains("taken as covered"), "{id}");
    }
    assert!(
        r.adequacy_decision("eu-il")
            .is_some_and(|a| a.citation.on(date).contains("Art. 1 and recital 12"))
    );
    // Canada: an importer that is not private and states no `subject-to` is not covered, with
    // the fact reported as unknown.
    let public_unknown = r
        .adequacy_decision("eu-ca")
        .expect("Canada")
        .scope
        .coverage(&public, date);
    assert!(!public_unknown.is_covered() && !public_unknown.unknown.is_empty());
    // Korea: FSC-supervised recipients of credit information are excluded.
    let fsc_credit = HopFacts {
        subject_to: Some(vec!["fsc-supervised"]),
        categories: vec!["credit-information"],
        ..HopFacts::default()
    };
    let fsc_other = HopFacts {
        subject_to: Some(vec!["fsc-supervised"]),
        categories: vec!["email"],
        ..HopFacts::default()
    };
    assert!(!covered("eu-kr", &fsc_credit, date));
    assert!(covered("eu-kr", &fsc_other, date));
    let kr_unknown = r.adequacy_decision("eu-kr").expect("Korea").scope.coverage(
        &HopFacts {
            categories: vec!["credit-information"],
            ..HopFacts::default()
        },
        date,
    );
    assert!(kr_unknown.is_covered() && !kr_unknown.unknown.is_empty());
    // UK: immigration control excluded until the renewal.
    let immigration = HopFacts {
        purpose: Some("immigration-control"),
        ..HopFacts::default()
    };
    assert!(!covered("eu-gb-extended", &immigration, d("2025-12-18")));
    assert!(covered("eu-gb-extended", &immigration, d("2025-12-19")));
    assert!(covered("eu-gb-renewed", &immigration, d("2025-12-19")));
    assert!(!covered("eu-gb", &immigration, d("2022-01-01")));
    // EPO: no destination, matched through its scope wherever it sits.
    assert!(!adequate(&r, "eu-gdpr", "NL", "2025-08-01").contains(&"eu-epo".into()));
    let orgs: Vec<&str> = r
        .organisation_adequacy("eu-gdpr", d("2025-08-01"))
        .map(|a| a.id.as_str())
        .collect();
    assert_eq!(orgs, ["eu-epo"]);
    assert!(
        r.organisation_adequacy("eu-gdpr", d("2025-07-14"))
            .next()
            .is_none()
    );
    let epo = HopFacts {
        subject_to: Some(vec!["european-patent-organisation"]),
        ..HopFacts::default()
    };
    assert!(!covered("eu-epo", &HopFacts::default(), d("2025-08-01")));
    assert!(covered("eu-epo", &epo, d("2025-08-01")));
    let via_epo = r
        .covering_adequacy("eu-gdpr", "US", &epo, d("2025-08-01"))
        .map(|a| a.id.as_str());
    assert_eq!(via_epo, Some("eu-epo"));
    assert!(
        r.covering_adequacy("eu-gdpr", "US", &HopFacts::default(), d("2025-08-01"))
            .is_none()
    );
    let jp = r
        .covering_adequacy("eu-gdpr", "JP", &HopFacts::default(), date)
        .map(|a| a.id.as_str());
    assert_eq!(jp, Some("eu-jp"));
    assert!(
        r.covering_adequacy("eu-gdpr", "JP", &public, date)
            .is_none()
    );
    // Brazil from 26 Jan 2026; Korea in the UK from 19 Dec 2022.
    assert!(adequate(&r, "eu-gdpr", "BR", "2026-01-25").is_empty());
    assert_eq!(adequate(&r, "eu-gdpr", "BR", "2026-01-26"), ["eu-br"]);
    assert!(adequate(&r, "uk-gdpr", "KR", "2022-12-18").is_empty());
    assert_eq!(adequate(&r, "uk-gdpr", "KR", "2022-12-19"), ["uk-kr"]);
    // Switzerland: Annex 1 from the revFADP, the older FDPIC list unconfirmed.
    let before = r
        .adequacy_for("ch-fadp", "DE", d("2023-08-31"))
        .next()
        .expect("FDPIC list");
    assert!(before.unconfirmed.is_some());
    let after = r
        .adequacy_for("ch-fadp", "DE", d("2023-09-01"))
        .next()
        .expect("Annex 1");
    assert!(after.unconfirmed.is_none());
    assert!(adequate(&r, "ch-fadp", "JP", "2024-01-01").is_empty());
    assert_eq!(adequate(&r, "ch-fadp", "MC", "2024-01-01"), ["ch-mc"]);
    // UK list: Faroe Islands inclusion unconfirmed.
    assert!(
        r.adequacy_decision("uk-fo")
            .and_then(|a| a.unconfirmed.as_ref())
            .is_some()
    );
}

#[test]
fn scc_sets_and_transitions() {
    let r = rulebook();
    let eu_2010 = r.scc_terms("2010/87", "eu-gdpr").expect("2010/87 terms");
    // EU: new contracts until 26 Sep 2021, grandfathered until 27 Dec 2022 (2021/914 Art. 4).
    assert_eq!(
        eu_2010.status_on(d("2021-09-26")),
        Some(SccStatus::Available)
    );
    assert_eq!(
        eu_2010.status_on(d("2021-09-27")),
        Some(SccStatus::Grandfathered)
    );
    assert_eq!(
        eu_2010.status_on(d("2022-12-27")),
        Some(SccStatus::Grandfathered)
    );
    assert_eq!(eu_2010.status_on(d("2022-12-28")), None);
    assert!(
        eu_2010.unconfirmed.is_some(),
        "inclusive reading of `until` is unconfirmed"
    );
    let signed = Some(d("2020-01-10"));
    assert_eq!(
        eu_2010.standing(d("2022-12-27"), signed, None),
        SccStanding::Grandfathered {
            until: d("2022-12-27")
        }
    );
    assert_eq!(
        eu_2010.standing(d("2022-12-28"), signed, None),
        SccStanding::Expired {
            last_day: d("2022-12-27")
        }
    );
    assert_eq!(
        eu_2010.standing(d("2022-01-01"), Some(d("2021-09-27")), None),
        SccStanding::SignedAfterCutoff {
            last_day: d("2021-09-26")
        }
    );
    assert_eq!(
        eu_2010.standing(d("2022-01-01"), signed, Some(d("2021-11-01"))),
        SccStanding::ChangedAfterCutoff {
            last_day: d("2021-09-26")
        }
    );
    // UK legacy SCCs: contracts concluded on or before 21 Sep 2022, usable until 21 Mar 2024.
    let uk_2010 = r.scc_terms("2010/87", "uk-gdpr").expect("UK terms");
    assert_eq!(uk_2010.new_contracts_until, Some(d("2022-09-21")));
    assert_eq!(
        uk_2010.standing(d("2023-01-01"), Some(d("2022-09-21")), None),
        SccStanding::Grandfathered {
            until: d("2024-03-21")
        }
    );
    assert_eq!(
        uk_2010.standing(d("2023-01-01"), Some(d("2022-09-22")), None),
        SccStanding::SignedAfterCutoff {
            last_day: d("2022-09-21")
        }
    );
    assert_eq!(uk_2010.status_on(d("2024-03-22")), None);
    // Switzerland: grandfathered until 31 Dec 2022.
    let ch = r.scc_terms("2001/497", "ch-fadp").expect("Swiss terms");
    assert_eq!(
        ch.status_on(d("2022-12-31")),
        Some(SccStatus::Grandfathered)
    );
    assert_eq!(ch.status_on(d("2023-01-01")), None);
    // 2021 SCCs: in force 27 Jun 2021; UK with the Addendum from 21 Mar 2022; Swiss adapted.
    let eu_2021 = r.scc_terms("2021/914", "eu-gdpr").expect("2021 terms");
    assert_eq!(
        eu_2021.standing(d("2021-07-01"), Some(d("2021-06-26")), None),
        SccStanding::SignedBeforeInForce {
            from: d("2021-06-27")
        }
    );
    assert_eq!(
        eu_2021.standing(d("2030-01-01"), Some(d("2021-06-27")), None),
        SccStanding::Available
    );
    let uk_2021 = r.scc_terms("2021/914", "uk-gdpr").expect("UK 2021 terms");
    assert_eq!(uk_2021.from, Some(d("2022-03-21")));
    assert_eq!(uk_2021.requires, [xborder_law::SccRequirement::UkAddendum]);
    let ch_2021 = r
        .scc_terms("2021/914", "ch-fadp")
        .expect("Swiss 2021 terms");
    assert_eq!(ch_2021.from, Some(d("2021-08-27")));
    assert_eq!(
        ch_2021.requires,
        [xborder_law::SccRequirement::SwissAdapted]
    );
    // Modules and role pairs.
    let set = r.scc_set("2021/914").expect("2021 set");
    let pair = |s: &str| s.parse::<RolePair>().expect("pair");
    assert_eq!(
        set.module_for(pair("controller->controller"))
            .and_then(|m| m.number),
        Some(1)
    );
    assert_eq!(
        set.module_for(pair("controller->processor"))
            .and_then(|m| m.number),
        Some(2)
    );
    assert_eq!(
        set.module_for(pair("processor->processor"))
            .and_then(|m| m.number),
        Some(3)
    );
    let m4 = set
        .module_for(pair("processor->controller"))
        .expect("module 4");
    assert_eq!(m4.number, Some(4));
    assert!(m4.onward.is_none());
    assert!(
        set.module(Some(1))
            .and_then(|m| m.onward.as_ref())
            .is_some_and(|o| o.citation.latest().contains("Clause 8.7")
                && o.grounds.iter().any(|g| g.id == "explicit-consent"))
    );
    assert!(
        set.module(Some(2))
            .and_then(|m| m.onward.as_ref())
            .is_some_and(|o| o.citation.latest().contains("Clause 8.8")
                && !o.grounds.iter().any(|g| g.id == "explicit-consent"))
    );
    assert!(
        set.module(Some(3))
            .and_then(|m| m.onward.as_ref())
            .is_some_and(|o| o.citation.latest().contains("Clause 8.8")
                && !o.grounds.iter().any(|g| g.id == "explicit-consent"))
    );
    // Set I applies from 3 Sep 2001 (its Art. 6); set II's date of application is unconfirmed.
    let set1 = r.scc_terms("2001/497", "eu-gdpr").expect("set I terms");
    assert_eq!(set1.from, Some(d("2001-09-03")));
    assert_eq!(
        set1.standing(d("2001-09-10"), Some(d("2001-08-01")), None),
        SccStanding::SignedBeforeInForce {
            from: d("2001-09-03")
        }
    );
    let set2 = r.scc_terms("2004/915", "eu-gdpr").expect("set II terms");
    assert_eq!(set2.from, Some(d("2004-12-29")));
    assert!(
        set2.unconfirmed
            .as_deref()
            .is_some_and(|u| u.contains("1 Apr 2005"))
    );
    // 2002/16 (controller to processor): from 3 Apr 2002, no new contracts from 15 May 2010, old
    // contracts kept through 2010/87's transition until 2010/87 was repealed (27 Sep 2021) —
    // 2021/914 Art. 4(4) does not name them.
    let c2p_2002 = r.scc_terms("2002/16", "eu-gdpr").expect("2002/16 terms");
    assert_eq!(c2p_2002.from, Some(d("2002-04-03")));
    assert_eq!(c2p_2002.new_contracts_until, Some(d("2010-05-14")));
    let old = Some(d("2005-01-10"));
    assert_eq!(
        c2p_2002.standing(d("2021-09-26"), old, None),
        SccStanding::Grandfathered {
            until: d("2021-09-26")
        }
    );
    assert_eq!(
        c2p_2002.standing(d("2021-09-27"), old, None),
        SccStanding::Expired {
            last_day: d("2021-09-26")
        }
    );
    assert_eq!(
        c2p_2002.standing(d("2011-01-01"), Some(d("2010-05-15")), None),
        SccStanding::SignedAfterCutoff {
            last_day: d("2010-05-14")
        }
    );
    assert!(c2p_2002.unconfirmed.is_some());
    assert!(r.scc_terms("2002/16", "uk-gdpr").is_none());
    assert!(r.scc_terms("2002/16", "ch-fadp").is_none());
    let set_2002 = r.scc_set("2002/16").expect("2002/16");
    let c2p_module = set_2002
        .module_for(pair("controller->processor"))
        .expect("one role pair");
    assert!(
        c2p_module
            .onward
            .as_ref()
            .is_some_and(|o| o.unconfirmed.is_some() && o.citation.latest().contains("2002/16/EC"))
    );
    // Citations right for the date: C-311/18 only from its delivery, the repeal by 2021/914 only
    // from 2021/914's entry into force.
    let on = |date: &str| eu_2010.citation.on(d(date)).to_owned();
    assert!(!on("2019-01-01").contains("C-311/18") && !on("2019-01-01").contains("2021/914"));
    assert!(on("2020-07-16").contains("C-311/18") && !on("2020-07-16").contains("2021/914"));
    assert!(
        on("2021-06-27").contains("repealed by Implementing Decision (EU) 2021/914, Art. 4(3)")
    );
    // UK terms say what the assessment is called on the date.
    let assessment = |date: &str| {
        uk_2021
            .assessment_name
            .as_ref()
            .map(|c| c.on(d(date)).to_owned())
            .unwrap_or_default()
    };
    assert_eq!(assessment("2026-02-04"), "transfer risk assessment");
    assert!(assessment("2026-02-05").starts_with("data protection test"));
    assert!(
        uk_2021
            .citation
            .on(d("2026-02-05"))
            .contains("Data (Use and Access) Act 2025")
    );
    assert!(
        !uk_2021
            .citation
            .on(d("2026-02-04"))
            .contains("Data (Use and Access) Act 2025")
    );
    let c2p = r.scc_set("2010/87").expect("2010/87");
    assert!(c2p.module_for(pair("controller->processor")).is_some());
    assert!(c2p.module_for(pair("processor->processor")).is_none());
    assert!(r.scc_set("2004/915").and_then(|s| s.module(None)).is_some());
}

#[test]
fn tools() {
    let r = rulebook();
    assert!(
        r.tool_in_force("idta", "uk-gdpr", d("2022-03-20"))
            .is_none()
    );
    let idta = r
        .tool_in_force("idta", "uk-gdpr", d("2022-03-21"))
        .expect("IDTA");
    assert!(idta.needs_tia);
    assert!(
        r.tool_in_force("idta", "eu-gdpr", d("2024-01-01"))
            .is_none()
    );
    for regime in ["eu-gdpr", "uk-gdpr", "ch-fadp"] {
        let bcr = r
            .tool_in_force("bcr", regime, d("2024-01-01"))
            .expect("BCRs");
        assert!(
            bcr.needs_tia,
            "{regime}: Schrems II applies to BCRs (EDPB FAQ)"
        );
        assert!(
            r.tool_in_force("derogation", regime, d("2024-01-01"))
                .is_some()
        );
    }
    let derogation = r
        .tool_in_force("derogation", "eu-gdpr", d("2024-01-01"))
        .expect("Art. 49");
    let grounds: Vec<&str> = derogation
        .grounds
        .iter()
        .map(|g| g.ground.as_str())
        .collect();
    assert_eq!(
        grounds,
        [
            "explicit-consent",
            "contract",
            "public-interest",
            "legal-claims",
            "vital-interests",
            "public-register",
            "compelling-interests"
        ]
    );
    assert_eq!(r.tools_for("derogation", "ch-fadp").count(), 2);
}

#[test]
fn advisories() {
    let r = rulebook();
    let a1 = r.advisories.iter().find(|a| a.code == "XB012").expect("A1");
    assert_eq!(a1.when.scc_version.as_deref(), Some("2021/914"));
    assert_eq!(
        a1.when
            .importer
            .as_ref()
            .and_then(|c| c.subject_to.as_deref()),
        Some("gdpr-art-3-2")
    );
    let by_id = |id: &str| {
        r.advisories
            .iter()
            .find(|a| a.id == id)
            .unwrap_or_else(|| panic!("advisory {id}"))
    };
    let a4 = by_id("a4-dpf-after-trump-v-slaughter");
    assert_eq!(a4.when.mechanism.as_deref(), Some("dpf"));
    assert_eq!(a4.code, "XB013");
    assert!(!a4.validity().contains(d("2026-06-28")));
    assert!(a4.validity().contains(d("2026-06-29")));
    // The pending appeal is flagged from the day it was lodged, without naming what came later.
    let appeal = by_id("dpf-appeal-pending");
    assert_eq!(appeal.when.mechanism.as_deref(), Some("dpf"));
    assert_eq!(appeal.code, "XB013");
    assert!(!appeal.validity().contains(d("2025-10-30")));
    assert!(appeal.validity().contains(d("2025-10-31")));
    assert!(appeal.validity().contains(d("2026-06-28")));
    assert!(!appeal.validity().contains(d("2026-06-29")));
    assert!(!appeal.message.contains("Slaughter"));
    assert!(!appeal.citation.on(d("2025-11-01")).contains("C/2025/6610"));
    // The Japan academic-importer advisory mentions the 2023 review only from the review's date.
    let japan = by_id("a3-japan-academic-importer");
    assert!(!japan.message.contains("2023") && japan.validity().contains(d("2023-04-02")));
    assert!(
        by_id("a3-japan-academic-importer-after-review")
            .validity()
            .contains(d("2023-04-03"))
    );
    // UK adequacy regulations are treated as approved under Art. 45A from 5 Feb 2026 (DPA 2018
    // Sch. 21 para 4(1) as amended by the Data (Use and Access) Act 2025, Sch. 9 para 25): no
    // advisory doubts it.
    assert!(
        !r.advisories
            .iter()
            .any(|a| a.regime == "uk-gdpr" && a.when.mechanism.as_deref() == Some("adequacy"))
    );
}

#[test]
fn in_force_on_2024_01_01_for_the_eu() {
    let r = rulebook();
    let f = r.in_force(d("2024-01-01"), Some("eu-gdpr"));
    let destinations: Vec<&str> = f
        .adequacy
        .iter()
        .filter_map(|a| a.destination.as_deref())
        .collect();
    for dest in [
        "CA", "JP", "KR", "GB", "CH", "AR", "IL", "NZ", "UY", "AD", "FO", "GG", "IM", "JE",
    ] {
        assert!(
            destinations.contains(&dest),
            "{dest} adequate on 2024-01-01"
        );
    }
    assert!(
        !destinations.contains(&"BR"),
        "Brazil only from 26 Jan 2026"
    );
    let frameworks: Vec<&str> = f.frameworks.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(frameworks, ["eu-us-dpf"]);
    let scc: Vec<&str> = f.scc.iter().map(|s| s.version.as_str()).collect();
    assert_eq!(scc, ["2021/914"], "old sets ended 27 Dec 2022");
    assert!(f.bridges.is_empty());
    assert_eq!(f.regimes.len(), 1);
    assert!(f.regimes[0].territory.contains(&"IS".to_owned()));
    let advisories: Vec<&str> = f.advisories.iter().map(|a| a.id.as_str()).collect();
    assert!(advisories.contains(&"a1-scc-2021-importer-under-art-3-2"));
    assert!(!advisories.contains(&"a4-dpf-after-trump-v-slaughter"));
    // Grandfathered sets are listed while grandfathered.
    let g = r.in_force(d("2022-06-01"), Some("eu-gdpr"));
    assert!(
        g.scc
            .iter()
            .any(|s| s.version == "2010/87" && s.status == SccStatus::Grandfathered)
    );
}

#[test]
fn in_force_snapshot() {
    let r = rulebook();
    insta::assert_yaml_snapshot!("in_force_2024_01_01", r.in_force(d("2024-01-01"), None));
}

#[test]
fn breakpoints_are_sorted_and_include_the_key_dates() {
    let r = rulebook();
    let b = r.breakpoints();
    assert!(b.windows(2).all(|w| w[0] < w[1]), "sorted, no duplicates");
    for key in [
        "2015-10-06", // Schrems I
        "2018-05-25", // GDPR
        "2018-07-20", // EEA EFTA
        "2020-07-16", // Schrems II
        "2021-01-01", // end of transition
        "2021-06-27", // 2021 SCCs
        "2021-06-28", // UK adequacy, end of the TCA bridge
        "2021-09-27", // old SCCs: no new contracts
        "2022-12-28", // old SCCs: grandfathering over
        "2023-07-10", // DPF
        "2024-03-22", // UK legacy SCCs over
        "2026-06-29", // Trump v. Slaughter advisory
    ] {
        assert!(b.contains(&d(key)), "{key} is a breakpoint");
    }
}

#[test]
fn overrides_replace_and_extend() {
    let base = rulebook();
    // Same content: same rulebook and hash.
    let same = Rulebook::with_overrides(&base, vec![]).expect("no overrides");
    assert_eq!(same.sha256, base.sha256);
    // A new file extends the rulebook.
    let extra = "# extra advisory\nadvisories:\n  - id: local-note\n    code: XB013\n    regime: uk-gdpr\n    when:\n      destination: IN\n    message: Local policy.\n    citation: Internal policy memo 2026-01\n".to_owned();
    let extended =
        Rulebook::with_overrides(&base, vec![("local.yaml".into(), extra)]).expect("extends");
    assert_eq!(extended.advisories.len(), base.advisories.len() + 1);
    assert_ne!(extended.sha256, base.sha256);
    // A file with an embedded name replaces it: here the bridge goes away.
    let bridges = "# no bridges\n".to_owned();
    let replaced =
        Rulebook::with_overrides(&base, vec![("bridges.yaml".into(), bridges)]).expect("replaces");
    assert!(replaced.bridges.is_empty());
    assert_eq!(replaced.sources().len(), base.sources().len());
    // `--rules` lays the files over the embedded ones without loading those first: the same
    // rulebook, byte for byte of its sources, as over the loaded embedded rulebook.
    let bridges = "# no bridges\n".to_owned();
    let direct = Rulebook::embedded_with_overrides(vec![("bridges.yaml".into(), bridges)])
        .expect("replaces");
    assert_eq!(direct.sha256, replaced.sha256);
    assert_eq!(direct.sources(), replaced.sources());
    assert!(direct.bridges.is_empty());
}

#[test]
fn problems_of_many_files_are_reported_in_file_order() {
    // Files are read on two cores; their problems still come in the order of the files, as
    // read one after the other. Each file here is broken on its first line.
    let files: Vec<(String, String)> = (0..9)
        .map(|i| {
            (
                format!("f{i}.yaml"),
                format!("{}: [unclosed\n", "x".repeat(i * 50)),
            )
        })
        .collect();
    let errors = Rulebook::from_sources(files).expect_err("nine broken files");
    let named: Vec<&str> = errors.iter().filter_map(|e| e.file.as_deref()).collect();
    let mut sorted = named.clone();
    sorted.sort();
    assert_eq!(named, sorted, "{errors:?}");
    for i in 0..9 {
        assert!(
            named.contains(&format!("f{i}.yaml").as_str()),
            "f{i}: {errors:?}"
        );
    }
}
