//! No law in Rust: a string literal in `crates/*/src` (outside tests and comments) may not state
//! an article, clause, recital or section of a law, a legal time limit, a regime or framework
//! id, a transfer rule's id or a place of a regime's territory that the code would decide on;
//! and no number in the code may be a threshold of the rulebook's transfer rules. Those are the rulebook's (`data/rulebook/`),
//! where an auditor can read, cite and override them with `--rules`; doc comments may cite the
//! law the code implements.

use std::path::Path;

use xborder_law::Rulebook;
use xborder_tests::root;

use crate::source::{code_only, crate_sources, literals, without_test_items};

/// What a literal says that belongs in the rulebook, if anything.
fn states_law(text: &str, ids: &[String]) -> Option<String> {
    // Technical standards are not law: PDF (ISO 32000) and CMS (RFC 5652) sections.
    if text.contains("RFC ") || text.contains("ISO 32000") {
        return None;
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    for (i, w) in words.iter().enumerate() {
        let next = words.get(i + 1).copied().unwrap_or("");
        let numbered = next.chars().next().is_some_and(|c| c.is_ascii_digit());
        let bare = w.trim_matches(|c: char| !c.is_alphanumeric() && c != '.' && c != '§');
        match bare {
            "Art." | "Arts." | "Article" | "Articles" | "Clause" | "Clauses" | "recital"
            | "Recital" | "Sch." | "Schedule"
                if numbered =>
            {
                return Some(format!("cites `{w} {next}`"));
            }
            _ => {}
        }
        if w.starts_with('§')
            || (w.starts_with("s.") && w[2..].starts_with(|c: char| c.is_ascii_digit()))
        {
            return Some(format!("cites a section `{w}`"));
        }
        let unit = next.trim_end_matches(|c: char| !c.is_alphanumeric());
        if w.chars().all(|c| c.is_ascii_digit())
            && !w.is_empty()
            && matches!(unit, "hours" | "hour" | "days" | "months" | "years")
        {
            return Some(format!("states a time limit `{w} {unit}`"));
        }
    }
    ids.iter()
        .find(|id| text == id.as_str())
        .map(|id| format!("names the rulebook id `{id}`"))
}

/// Regime ids, the places of regimes' territories (other than the places every map names:
/// the territories of the regimes of Europe and of the CCPA also name the Coursera maps'
/// countries, which tests and fixtures in code may use), framework ids and framework
/// mechanism kinds, and transfer-rule ids of the embedded rulebook.
fn rulebook_ids() -> Vec<String> {
    let rulebook = Rulebook::embedded().expect("the embedded rulebook loads");
    let mut ids: Vec<String> = rulebook.regimes.iter().map(|r| r.id.clone()).collect();
    for r in &rulebook.regimes {
        if r.periods
            .iter()
            .any(|p| p.transfers != xborder_law::TransferModel::Restricted)
            || rulebook.transfer_rules.iter().any(|t| t.regime == r.id)
            || r.sensitive_categories.is_some()
        {
            ids.extend(r.territory.iter().flat_map(|m| m.countries.iter().cloned()));
        }
    }
    ids.extend(rulebook.transfer_rules.iter().map(|t| t.id.clone()));
    for d in &rulebook.adequacy {
        if let Some(f) = &d.framework {
            ids.push(f.id.clone());
            ids.push(f.mechanism.clone());
        }
    }
    ids.sort();
    ids.dedup();
    ids
}

/// The crates whose code decides verdicts, where a number may not be a legal threshold (and the
/// example crate of the check's own test).
const JUDGING_CRATES: [&str; 5] = [
    "crates/xborder-law/",
    "crates/xborder-engine/",
    "crates/xborder-model/",
    "crates/xborder-review/",
    "crates/xborder-example/",
];

/// The numbers the rulebook's transfer rules compare counts with.
fn thresholds() -> Vec<u64> {
    fn of(c: &xborder_law::Condition, out: &mut Vec<u64>) {
        for t in [&c.individuals_per_year, &c.sensitive_individuals_per_year]
            .into_iter()
            .flatten()
        {
            out.extend(t.more_than);
            out.extend(t.fewer_than);
        }
        for alternative in c.any.iter().flatten() {
            of(alternative, out);
        }
        if let Some(not) = &c.not {
            of(not, out);
        }
    }
    let rulebook = Rulebook::embedded().expect("the embedded rulebook loads");
    let mut out = Vec::new();
    for rule in &rulebook.transfer_rules {
        if let Some(when) = &rule.when {
            of(when, &mut out);
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Integer literals of the code (outside tests, comments and strings) that equal a threshold.
fn threshold_offences(source: &str, thresholds: &[u64]) -> Vec<(usize, u64)> {
    let code = code_only(&without_test_items(source));
    let mut out = Vec::new();
    for (i, line) in code.lines().enumerate() {
        for token in line.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')) {
            let digits: String = token.chars().filter(|c| *c != '_').collect();
            let digits = digits.trim_end_matches(|c: char| c.is_ascii_alphabetic());
            if let Ok(n) = digits.parse::<u64>()
                && token.starts_with(|c: char| c.is_ascii_digit())
                && thresholds.contains(&n)
            {
                out.push((i + 1, n));
            }
        }
    }
    out
}

fn offences(root: &Path, ids: &[String]) -> Vec<String> {
    let thresholds = thresholds();
    let mut out = Vec::new();
    for file in crate_sources(root) {
        let Ok(source) = std::fs::read_to_string(&file) else {
            continue;
        };
        let rel = file
            .strip_prefix(root)
            .unwrap_or(&file)
            .display()
            .to_string();
        for literal in literals(&source) {
            if let Some(why) = states_law(&literal.text, ids) {
                out.push(format!("{rel}:{}: {why}: {:?}", literal.line, literal.text));
            }
        }
        // Only the crates that judge transfers: parsing and signing limits elsewhere are not law.
        let judging = JUDGING_CRATES.iter().any(|c| rel.starts_with(c));
        for (line, n) in threshold_offences(&source, &thresholds)
            .into_iter()
            .filter(|_| judging)
        {
            out.push(format!(
                "{rel}:{line}: states the threshold `{n}` of a transfer rule"
            ));
        }
    }
    out
}

#[test]
fn no_law_in_rust_string_literals() {
    let found = offences(&root(), &rulebook_ids());
    assert!(
        found.is_empty(),
        "law stated in Rust; move it into data/rulebook/ and read it from there:\n{}",
        found.join("\n")
    );
}

/// The check fails on law written in code: a crate with each kind of offence is reported.
#[test]
fn the_check_finds_law_written_in_code() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let src = dir.path().join("crates/xborder-example/src");
    std::fs::create_dir_all(&src).expect("create the example crate");
    std::fs::write(
        src.join("lib.rs"),
        "/// Implements GDPR Art. 49(1) (a doc comment may cite the law).\n\
         pub fn message() -> &'static str { \"needs an Art. 9(2) condition\" }\n\
         pub fn limit() -> &'static str { \"notify within 72 hours\" }\n\
         pub fn regime(r: &str) -> bool { r == \"uk-gdpr\" }\n\
         pub fn ccpa() -> &'static str { \"Cal. Civ. Code §1798.100(d)\" }\n\
         pub fn fine() -> &'static str { \"a safeguard the rulebook names\" }\n\
         pub fn volume(n: u64) -> bool { n > 1_000_000 }\n\
         pub fn place(p: &str) -> bool { p == \"CA-QC\" }\n\
         #[cfg(test)]\nmod tests { const S: &str = \"Art. 28(3) in a test\"; }\n",
    )
    .expect("write the example");
    let found = offences(dir.path(), &rulebook_ids());
    let lines: Vec<&str> = found
        .iter()
        .map(|f| f.split(": ").nth(1).unwrap_or(""))
        .collect();
    assert_eq!(
        lines,
        [
            "cites `Art. 9(2)`",
            "states a time limit `72 hours`",
            "names the rulebook id `uk-gdpr`",
            "cites a section `§1798.100(d)`",
            "names the rulebook id `CA-QC`",
            "states the threshold `1000000` of a transfer rule"
        ],
        "{found:#?}"
    );
}
