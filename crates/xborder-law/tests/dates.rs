//! Data-driven check of every dated entry against `expected-dates.tsv`, written from the research
//! independently of the YAML: a typo in a date on either side fails here. For each entry the day
//! before `from`, `from`, the last day and the day after are checked through `Dated::validity()`
//! as folded by the loader (`invalid-from` = the day after the last day). Entries that share a key
//! (the same countries in successive memberships) are matched, in rulebook order, to the lines
//! with that exact key, in file order.

use xborder_law::{Date, Rulebook};

struct Expected {
    key: String,
    pattern: bool,
    from: Option<Date>,
    last: Option<Date>,
    line: usize,
}

fn date(text: &str, line: usize) -> Option<Date> {
    if text == "-" {
        return None;
    }
    match text.parse() {
        Ok(d) => Some(d),
        Err(e) => panic!("expected-dates.tsv:{line}: bad date `{text}`: {e}"),
    }
}

fn expectations() -> Vec<Expected> {
    include_str!("expected-dates.tsv")
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.starts_with('#') && !l.trim().is_empty())
        .map(|(i, l)| {
            let line = i + 1;
            let cols: Vec<&str> = l.split('\t').collect();
            assert_eq!(
                cols.len(),
                3,
                "expected-dates.tsv:{line}: want 3 tab-separated columns"
            );
            let (key, pattern) = match cols[0].strip_suffix('*') {
                Some(prefix) => (prefix.to_owned(), true),
                None => (cols[0].to_owned(), false),
            };
            Expected {
                key,
                pattern,
                from: date(cols[1], line),
                last: date(cols[2], line),
                line,
            }
        })
        .collect()
}

/// The expectation for the `nth` entry (from 0) with a key: the `nth` exact line with the key,
/// else — for a key with no exact line — the longest matching pattern.
fn lookup<'a>(all: &'a [Expected], key: &str, nth: usize) -> Option<&'a Expected> {
    let mut exact = all.iter().filter(|e| !e.pattern && e.key == key).peekable();
    if exact.peek().is_some() {
        return exact.nth(nth);
    }
    all.iter()
        .filter(|e| e.pattern && key.starts_with(&e.key))
        .max_by_key(|e| e.key.len())
}

#[test]
fn every_dated_entry_has_the_expected_boundaries() {
    let rulebook = Rulebook::embedded().expect("embedded rulebook loads");
    let expected = expectations();
    let mut used = vec![false; expected.len()];
    let mut problems = Vec::new();
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();

    for entry in rulebook.dated_entries() {
        let nth = seen.entry(entry.key.clone()).or_default();
        let exp = lookup(&expected, &entry.key, *nth);
        *nth += 1;
        let Some(exp) = exp else {
            problems.push(format!(
                "{}: no line in expected-dates.tsv (entry {} with this key)",
                entry.key, nth
            ));
            continue;
        };
        if let Some(i) = expected.iter().position(|e| std::ptr::eq(e, exp)) {
            used[i] = true;
        }
        let v = entry.validity;
        if v.from != exp.from || v.last_day() != exp.last {
            problems.push(format!(
                "{}: rulebook {:?}..{:?}, expected {:?}..{:?} (expected-dates.tsv:{})",
                entry.key,
                v.from,
                v.last_day(),
                exp.from,
                exp.last,
                exp.line
            ));
            continue;
        }
        // The four boundary days, through the same `contains` the engine uses.
        if let Some(from) = exp.from {
            let before = from.pred_opt().expect("date after 0000-01-01");
            if v.contains(before) {
                problems.push(format!(
                    "{}: in force the day before `from` ({before})",
                    entry.key
                ));
            }
            if !v.contains(from) {
                problems.push(format!("{}: not in force on `from` ({from})", entry.key));
            }
        }
        if let Some(last) = exp.last {
            let after = last.succ_opt().expect("date before 9999-12-31");
            if !v.contains(last) {
                problems.push(format!(
                    "{}: not in force on its last day ({last})",
                    entry.key
                ));
            }
            if v.contains(after) {
                problems.push(format!(
                    "{}: still in force the day after ({after})",
                    entry.key
                ));
            }
        }
    }
    for (exp, used) in expected.iter().zip(&used) {
        if !used {
            problems.push(format!(
                "expected-dates.tsv:{}: `{}` matches no dated entry",
                exp.line, exp.key
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
