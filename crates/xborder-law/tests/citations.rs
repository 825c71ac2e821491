//! Citations right for the date: no citation of the rulebook names an instrument on a date before
//! the instrument could be cited, and no user-facing text points at internal documents.
//!
//! Every entry of the embedded rulebook is walked through its serialized form, so that every
//! section is covered — regimes (periods, territory), regions, categories, adequacy decisions
//! (exclusions, HR citations, onward rules and their grounds and requirements), bridges, SCC sets
//! (set citations, terms with their assessment names and onward readings, the modules' onward
//! rules), tools (grounds, required facts, unavailability, onward rules), advisories (citation and
//! message), not-transfer rules, codes and any section added later. An entry's validity is its own
//! `from` / `until` / `invalid-from` intersected with those of the entries it sits in (a ground
//! within its tool, an exclusion within its decision); codes, categories and SCC sets have none.
//!
//! For each text of a citation (and each advisory message) the window in which it can be cited is
//! the entry's validity intersected with the text's own `from` / `until`. When that intersection is
//! empty the text speaks of the entry outside its validity (an invalidation cited after the
//! judgment) and its own period is the window. An instrument of `instruments.yaml` is named by a
//! text when one of its `cited-as` texts occurs in it, and then:
//! - the instrument's `from` must not be after the window's start;
//! - when the window's start is open on both sides (the entry has no `from` and the text none), the
//!   text stands for the oldest law the entry rests on: its start is taken as the earliest `from`
//!   among the instruments it names, so every instrument it names must exist from that day (a text
//!   naming Directive 95/46/EC alone passes; one naming Decision 2010/87/EU and C-311/18 fails);
//! - the instrument's `from` must not be after the window's end either.
//!
//! Besides: every instrument number in a citation (`2016/679`, `C-311/18`, `154/2018`, ...) belongs
//! to a registered instrument the text names; every registered instrument is cited somewhere; no
//! citation contains an address (`http`); no rulebook file (comments included) refers to internal
//! documents ("research §", "(research A", "legal-rulebook", "project brief", "DATA-MAP").

use serde_json::Value;
use xborder_law::{Date, Instrument, Rulebook};

fn d(text: &str) -> Date {
    text.parse().expect("test date")
}

fn rulebook() -> Rulebook {
    Rulebook::embedded().unwrap_or_else(|errors| {
        let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
        panic!("embedded rulebook has problems:\n{}", text.join("\n"))
    })
}

/// A window of dates, both ends inclusive and either open.
#[derive(Debug, Clone, Copy, Default)]
struct Window {
    from: Option<Date>,
    last: Option<Date>,
}

impl Window {
    fn of(value: &Value) -> Window {
        let date = |key: &str| value.get(key).and_then(Value::as_str).map(d);
        let until = date("until");
        let before_invalid = date("invalid-from").and_then(|i| i.pred_opt());
        let last = match (until, before_invalid) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        Window {
            from: date("from"),
            last,
        }
    }

    fn and(self, other: Window) -> Window {
        let from = match (self.from, other.from) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        let last = match (self.last, other.last) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        Window { from, last }
    }

    fn is_empty(self) -> bool {
        matches!((self.from, self.last), (Some(f), Some(l)) if l < f)
    }
}

/// One text to check: where it is, the window in which it is cited, the text.
struct Cited {
    place: String,
    window: Window,
    text: String,
}

const CITATION_KEYS: &[&str] = &[
    "citation",
    "hr-citation",
    "assessment-name",
    "onward-reading",
];

/// Every citation text and advisory message of the rulebook, with the window it is cited in.
fn cited_texts(rulebook: &Rulebook) -> Vec<Cited> {
    let value = serde_json::to_value(rulebook).expect("the rulebook serializes");
    let mut out = Vec::new();
    let Value::Object(sections) = &value else {
        panic!("the rulebook serializes as an object");
    };
    for (section, entries) in sections {
        // The registry itself is not law that is cited.
        if section == "instruments" {
            continue;
        }
        walk(entries, Window::default(), section.clone(), &mut out);
    }
    out
}

fn walk(value: &Value, outer: Window, place: String, out: &mut Vec<Cited>) {
    match value {
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let name = ["id", "code", "version", "regime", "kind", "ground", "name"]
                    .iter()
                    .find_map(|k| item.get(*k).and_then(Value::as_str))
                    .map_or_else(|| i.to_string(), str::to_owned);
                walk(item, outer, format!("{place}[{name}]"), out);
            }
        }
        Value::Object(fields) => {
            let window = outer.and(Window::of(value));
            for (key, field) in fields {
                let here = format!("{place}.{key}");
                if CITATION_KEYS.contains(&key.as_str()) {
                    citation_texts(field, window, &here, out);
                } else if key == "message" {
                    if let Some(text) = field.as_str() {
                        out.push(Cited {
                            place: here,
                            window,
                            text: text.to_owned(),
                        });
                    }
                } else if key != "sources" {
                    walk(field, window, here, out);
                }
            }
        }
        _ => {}
    }
}

/// The texts of one citation (a string, or a list of dated texts).
fn citation_texts(value: &Value, entry: Window, place: &str, out: &mut Vec<Cited>) {
    match value {
        Value::String(text) => out.push(Cited {
            place: place.to_owned(),
            window: entry,
            text: text.clone(),
        }),
        Value::Array(texts) => {
            for t in texts {
                let own = Window::of(t);
                let both = entry.and(own);
                out.push(Cited {
                    place: place.to_owned(),
                    window: if both.is_empty() { own } else { both },
                    text: t
                        .get("text")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_owned(),
                });
            }
        }
        _ => {}
    }
}

fn names<'a>(instrument: &'a Instrument, text: &str) -> Option<&'a str> {
    instrument
        .cited_as
        .iter()
        .map(String::as_str)
        .find(|c| !c.is_empty() && text.contains(c))
}

/// Instrument numbers in a text: `2016/679`, `311/18` (of C-311/18), `154/2018`, `2025/6610`.
fn numbers(text: &str) -> Vec<&str> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    for (slash, _) in text.match_indices('/') {
        let mut start = slash;
        while start > 0 && bytes[start - 1].is_ascii_digit() {
            start -= 1;
        }
        let mut end = slash + 1;
        while end < bytes.len() && bytes[end].is_ascii_digit() {
            end += 1;
        }
        let left_ok = start < slash && (start == 0 || !bytes[start - 1].is_ascii_alphanumeric());
        if left_ok && end > slash + 1 && (end - start) <= 9 {
            found.push(&text[start..end]);
        }
    }
    found
}

/// Every problem of the rulebook's citations, in words.
fn problems(rulebook: &Rulebook) -> Vec<String> {
    let mut problems = Vec::new();
    let texts = cited_texts(rulebook);
    for c in &texts {
        if c.text.contains("http") {
            problems.push(format!("{}: an address in a citation: {}", c.place, c.text));
        }
        let named: Vec<(&Instrument, &str)> = rulebook
            .instruments
            .iter()
            .filter_map(|i| names(i, &c.text).map(|as_| (i, as_)))
            .collect();
        let start = c
            .window
            .from
            .or_else(|| named.iter().map(|(i, _)| i.from).min());
        for (instrument, as_) in &named {
            if start.is_some_and(|s| instrument.from > s) {
                problems.push(format!(
                    "{}: `{}` names {} (`{as_}`, from {}) but is cited from {}",
                    c.place,
                    c.text,
                    instrument.id,
                    instrument.from,
                    start.map_or_else(String::new, |s| s.to_string()),
                ));
            }
            if c.window.last.is_some_and(|l| instrument.from > l) {
                problems.push(format!(
                    "{}: `{}` names {} (from {}) but is cited only until {}",
                    c.place,
                    c.text,
                    instrument.id,
                    instrument.from,
                    c.window.last.map_or_else(String::new, |l| l.to_string()),
                ));
            }
        }
        if CITATION_KEYS.iter().any(|k| c.place.ends_with(k)) {
            for number in numbers(&c.text) {
                let registered = named.iter().any(|(_, as_)| as_.contains(number));
                if !registered {
                    problems.push(format!(
                        "{}: `{number}` in `{}` is no registered instrument",
                        c.place, c.text
                    ));
                }
            }
        }
    }
    for instrument in &rulebook.instruments {
        if !texts.iter().any(|c| names(instrument, &c.text).is_some()) {
            problems.push(format!("instrument {} is cited nowhere", instrument.id));
        }
    }
    for (file, source) in rulebook.sources() {
        for internal in [
            "research §",
            "(research A",
            "legal-rulebook",
            "project brief",
            "DATA-MAP",
        ] {
            for (n, line) in source.lines().enumerate() {
                if line.contains(internal) {
                    problems.push(format!(
                        "{file}:{}: refers to an internal document ({internal}): {line}",
                        n + 1
                    ));
                }
            }
        }
    }
    problems
}

#[test]
fn every_citation_is_right_for_its_dates() {
    let rulebook = rulebook();
    let texts = cited_texts(&rulebook);
    // The walk reaches every section that cites law.
    for section in [
        "regimes",
        "regions",
        "categories",
        "adequacy",
        "bridges",
        "scc-sets",
        "tools",
        "advisories",
        "codes",
        "not-transfers",
    ] {
        assert!(
            texts
                .iter()
                .any(|c| c.place.starts_with(&format!("{section}["))),
            "no citation found in `{section}`"
        );
    }
    for nested in [
        ".territory[",
        ".periods[",
        ".excludes[",
        ".onward.grounds[",
        ".terms[",
        ".modules[",
        ".grounds[",
        ".requires[",
        ".unavailable[",
        ".hr-citation",
        ".assessment-name",
        ".message",
    ] {
        assert!(
            texts.iter().any(|c| c.place.contains(nested)),
            "no citation found under `{nested}`"
        );
    }
    let problems = problems(&rulebook);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_registry_has_the_key_instruments() {
    let rulebook = rulebook();
    let from = |id: &str| {
        rulebook
            .instruments
            .iter()
            .find(|i| i.id == id)
            .map(|i| i.from)
            .unwrap_or_else(|| panic!("instrument {id}"))
    };
    assert_eq!(from("directive-95-46"), d("1995-10-24"));
    assert_eq!(from("gdpr"), d("2018-05-25"));
    assert_eq!(from("uk-gdpr"), d("2021-01-01"));
    assert_eq!(from("cjeu-c-362-14"), d("2015-10-06"));
    assert_eq!(from("cjeu-c-311-18"), d("2020-07-16"));
    assert_eq!(from("dec-2021-914"), d("2021-06-27"));
    assert_eq!(from("edpb-recs-01-2020-v2"), d("2021-06-18"));
    assert_eq!(from("edpb-guidelines-05-2021-v1"), d("2021-11-18"));
    assert_eq!(from("edpb-guidelines-05-2021-v2"), d("2023-02-14"));
    assert_eq!(from("fadp-2020"), d("2023-09-01"));
    assert_eq!(from("duaa-2025"), d("2026-02-05"));
    assert_eq!(from("gc-t-553-23"), d("2025-09-03"));
    assert_eq!(from("cjeu-c-703-25-p"), d("2025-10-31"));
    assert_eq!(from("dec-2016-2295"), d("2016-12-16"));
    assert_eq!(from("review-2024-01-15"), d("2024-01-15"));
    // No two instruments share a `cited-as` text.
    let mut all: Vec<&str> = rulebook
        .instruments
        .iter()
        .flat_map(|i| i.cited_as.iter().map(String::as_str))
        .collect();
    all.sort_unstable();
    let before = all.len();
    all.dedup();
    assert_eq!(before, all.len(), "a `cited-as` text names two instruments");
}

/// A rulebook whose advisory cites C-311/18 (delivered 16 Jul 2020) from 2019, another that cites
/// the DPF appeal with no date, and a note pointing at the research: the checker reports each.
#[test]
fn a_citation_before_its_instrument_is_reported() {
    let base = rulebook();
    assert!(problems(&base).is_empty(), "the embedded rulebook is clean");
    let bad = "\
# advisories that cite too early
advisories:
  - id: too-early
    code: XB013
    regime: eu-gdpr
    when:
      destination: IN
    from: 2019-01-01
    message: A test advisory.
    citation: CJEU C-311/18 (ECLI:EU:C:2020:559)
  - id: open-start
    code: XB013
    regime: eu-gdpr
    when:
      destination: IN
    until: 2026-01-01
    message: Directive 95/46/EC and the appeal C-703/25 P, both named in one message.
    citation:
      - text: Directive 95/46/EC, Art. 25
        until: 2018-05-24
      - text: Regulation (EU) 2016/679, Art. 44 (see https://example.org)
        from: 2018-05-25
  - id: unregistered
    code: XB013
    regime: eu-gdpr
    when:
      destination: IN
    from: 2024-01-01
    message: A test advisory (research §9).
    citation: Commission Implementing Decision (EU) 2099/1
";
    let broken = Rulebook::with_overrides(&base, vec![("zz-bad.yaml".into(), bad.into())])
        .expect("the bad file loads: only its citations are wrong");
    let found = problems(&broken);
    let has = |needle: &[&str]| found.iter().any(|p| needle.iter().all(|n| p.contains(n)));
    assert!(
        has(&[
            "advisories[too-early].citation",
            "cjeu-c-311-18",
            "cited from 2019-01-01"
        ]),
        "{found:#?}"
    );
    assert!(
        has(&[
            "advisories[open-start].message",
            "cjeu-c-703-25-p",
            "cited from 1995-10-24"
        ]),
        "{found:#?}"
    );
    assert!(
        has(&["advisories[open-start].citation", "an address"]),
        "{found:#?}"
    );
    assert!(has(&["`2099/1`", "no registered instrument"]), "{found:#?}");
    assert!(has(&["zz-bad.yaml:", "research §"]), "{found:#?}");
    assert_eq!(found.len(), 5, "{found:#?}");
}
