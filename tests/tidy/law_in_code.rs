//! No law in Rust: a string literal in `crates/*/src` (outside tests and comments) may not state
//! an article, clause, recital or section of a law, a legal time limit, or a regime or
//! framework id that the code would decide on. Those are the rulebook's (`data/rulebook/`),
//! where an auditor can read, cite and override them with `--rules`; doc comments may cite the
//! law the code implements.

use std::path::Path;

use xborder_law::Rulebook;
use xborder_tests::root;

use crate::source::{crate_sources, literals};

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

/// Regime ids, framework ids and framework mechanism kinds of the embedded rulebook.
fn rulebook_ids() -> Vec<String> {
    let rulebook = Rulebook::embedded().expect("the embedded rulebook loads");
    let mut ids: Vec<String> = rulebook.regimes.iter().map(|r| r.id.clone()).collect();
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

fn offences(root: &Path, ids: &[String]) -> Vec<String> {
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
            "cites a section `§1798.100(d)`"
        ],
        "{found:#?}"
    );
}
