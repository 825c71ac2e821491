//! `xborder view`: one self-contained HTML page, checked as a file (same bytes for the same
//! inputs, nothing written on bad input) and in a real browser — headless Chromium driven
//! through WebDriver (`view/webdriver.rs`): it loads from `file://` with no console error and
//! no network request, and what it shows after a search, a filter, a selection or a move of
//! the time slider is what `xborder check --format json` says for that date.

mod webdriver;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use xborder_tests::{root, run};

use webdriver::Browser;

const MAP_2021: &str = "data/coursera/2021-01.yaml";
const AS_OF: &str = "2021-01-01";

/// Writes the page of `map` as of `date` into `dir`, named after the map; its path.
fn write_page(dir: &Path, map: &str, date: &str) -> PathBuf {
    let stem = Path::new(map)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned());
    let out = dir.join(format!("{}.html", stem.unwrap_or_default()));
    let made = run(&[
        "view",
        map,
        "--as-of",
        date,
        "--out",
        &out.to_string_lossy(),
    ]);
    assert_eq!(made.code, 0, "{}", made.stderr);
    out
}

/// `xborder check MAP --as-of DATE --format json`.
fn check(map: &str, date: &str) -> Value {
    let out = run(&["check", map, "--as-of", date, "--format", "json"]);
    assert!(out.code == 0 || out.code == 1, "{}", out.stderr);
    out.json()
}

/// The summary counts of a check result, with its findings counted by severity.
fn expected_summary(doc: &Value) -> BTreeMap<String, i64> {
    let mut counts = BTreeMap::new();
    for key in [
        "hops",
        "not-a-transfer",
        "lawful",
        "conditional",
        "unlawful",
    ] {
        counts.insert(key.to_string(), doc["summary"][key].as_i64().unwrap_or(-1));
    }
    for severity in ["error", "warning", "info"] {
        let n = findings(doc)
            .iter()
            .filter(|f| f["severity"] == json!(severity))
            .count();
        counts.insert(severity.to_string(), n as i64);
    }
    counts
}

fn findings(doc: &Value) -> Vec<Value> {
    doc["findings"].as_array().cloned().unwrap_or_default()
}

fn hops(doc: &Value) -> Vec<Value> {
    doc["hops"].as_array().cloned().unwrap_or_default()
}

fn page_summary(browser: &Browser) -> BTreeMap<String, i64> {
    let counts = browser.run(
        "return Object.fromEntries([...document.querySelectorAll('#summary dd')].map(d => [d.dataset.count, Number(d.textContent)]));",
        json!([]),
    );
    serde_json::from_value(counts).unwrap_or_default()
}

fn load(browser: &Browser, page: &Path) {
    browser.open(page);
    browser.wait(
        "return document.documentElement.dataset.ready === 'true';",
        "the page to be ready",
    );
}

/// The hops the list shows (all of them: the Coursera maps have fewer than a page).
fn listed(browser: &Browser) -> i64 {
    browser
        .run(
            "return document.querySelectorAll('#hop-rows tr').length;",
            json!([]),
        )
        .as_i64()
        .unwrap_or(-1)
}

/// Chooses the option of a `<select>` whose text starts with `prefix`, as a user does.
fn choose(browser: &Browser, select: &str, prefix: &str) {
    let index = browser.run(
        "return [...document.querySelectorAll(arguments[0] + ' option')].findIndex(o => o.textContent.startsWith(arguments[1])) + 1;",
        json!([select, prefix]),
    );
    assert!(
        index.as_i64().unwrap_or(0) > 0,
        "{select} has no option {prefix}"
    );
    browser.click(&browser.find(&format!("{select} option:nth-child({index})")));
}

fn clear_filters(browser: &Browser) {
    browser.click(&browser.find("#clear-filters"));
}

/// Moves the slider with the keyboard to `date`, one of its dates.
fn slide_to(browser: &Browser, date: &str) {
    let at = browser.run(
        "const o = [...document.querySelectorAll('#stop-dates option')]; return [o.findIndex(x => x.label === arguments[0]), Number(document.getElementById('stop').value)];",
        json!([date]),
    );
    let (target, now) = (at[0].as_i64().unwrap_or(-1), at[1].as_i64().unwrap_or(0));
    assert!(target >= 0, "{date} is not a date of the slider");
    let key = if target < now { "\u{E012}" } else { "\u{E014}" };
    let presses = key.repeat(target.abs_diff(now) as usize);
    browser.keys(&browser.find("#stop"), &presses);
    browser.wait(
        &format!("return document.getElementById('date-out').textContent === '{date}';"),
        "the slider's date",
    );
}

/// What the details panel says of the selected hop.
fn selected_hop(browser: &Browser) -> Value {
    browser.run(
        "const d = document.getElementById('details-body');
         return {
           verdict: d.querySelector('dd .verdict').dataset.verdict,
           codes: [...d.querySelectorAll('#findings > li')].map(li => li.dataset.code),
           messages: [...d.querySelectorAll('#findings .message')].map(p => p.textContent),
           path: [...d.querySelectorAll('ol.path code')].map(c => c.textContent),
           location: d.querySelector('.map-location').textContent,
         };",
        json!([]),
    )
}

/// The details of the selected hop are those of `hop` in the check result `doc`.
fn assert_selected_is(shown: &Value, doc: &Value, hop: &Value) {
    assert_eq!(shown["verdict"], hop["verdict"]);
    let mut codes: Vec<Value> = Vec::new();
    for code in shown["codes"].as_array().cloned().unwrap_or_default() {
        if !codes.contains(&code) {
            codes.push(code);
        }
    }
    assert_eq!(json!(codes), hop["codes"], "the hop's codes");
    let messages: Vec<Value> = findings(doc)
        .into_iter()
        .filter(|f| {
            f["flow"] == hop["flow"]
                && f["regime"] == hop["regime"]
                && f["destination"] == hop["destination"]
        })
        .map(|f| f["message"].clone())
        .collect();
    assert_eq!(
        shown["messages"],
        json!(messages),
        "the findings, word for word"
    );
    assert_eq!(shown["path"], hop["path"], "the witness path");
    assert!(
        shown["location"]
            .as_str()
            .is_some_and(|l| l.starts_with(&format!("{MAP_2021}:"))),
        "{shown}"
    );
}

#[test]
fn the_same_inputs_give_the_same_bytes_and_a_self_contained_page() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let a = write_page(dir.path(), MAP_2021, AS_OF);
    let first = std::fs::read(&a).expect("the page");
    let again = run(&[
        "view",
        MAP_2021,
        "--as-of",
        AS_OF,
        "--out",
        &a.to_string_lossy(),
        "--force",
    ]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert_eq!(first, std::fs::read(&a).expect("the page"), "same bytes");
    let html = String::from_utf8(first).expect("UTF-8");
    assert!(html.contains("http-equiv=\"Content-Security-Policy\""));
    assert!(html.contains("default-src 'none'; script-src 'sha256-"));
    for external in [
        "src=\"http",
        "href=\"http",
        "<script src",
        "rel=\"stylesheet\"",
        "@import",
    ] {
        assert!(!html.contains(external), "the page loads {external}");
    }
    assert!(html.contains(MAP_2021), "the page names the map as given");
}

#[test]
fn bad_input_writes_nothing_and_an_existing_page_needs_force() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let map = dir.path().join("broken.yaml");
    std::fs::write(
        &map,
        "format: 1\norganisation: X\nentities: {}\nflows:\n  - { from: a, to: b }\n",
    )
    .expect("write the map");
    let out = dir.path().join("view.html");
    let failed = run(&[
        "view",
        &map.to_string_lossy(),
        "--out",
        &out.to_string_lossy(),
    ]);
    assert_eq!(failed.code, 2, "{}", failed.stderr);
    assert!(
        failed.stderr.contains("not a valid data map"),
        "{}",
        failed.stderr
    );
    assert!(!out.exists(), "nothing is written for an invalid map");
    let leftovers = std::fs::read_dir(dir.path()).expect("list").count();
    assert_eq!(leftovers, 1, "no temporary file is left");

    std::fs::write(&out, "keep me").expect("write");
    let refused = run(&[
        "view",
        MAP_2021,
        "--as-of",
        AS_OF,
        "--out",
        &out.to_string_lossy(),
    ]);
    assert_eq!(refused.code, 2);
    assert!(refused.stderr.contains("--force"), "{}", refused.stderr);
    assert_eq!(std::fs::read_to_string(&out).expect("read"), "keep me");
    let bad_date = run(&["view", MAP_2021, "--as-of", "2021-13-01", "--out", "x.html"]);
    assert_eq!(bad_date.code, 2);
}

#[test]
fn the_page_loads_offline_without_errors_and_shows_the_summary_of_check() {
    let Some(browser) = Browser::start(1400, 1000) else {
        return;
    };
    let dir = tempfile::tempdir().expect("temporary directory");
    let plain = write_page(dir.path(), MAP_2021, AS_OF);
    load(&browser, &plain);
    let console = browser.console();
    assert!(console.is_empty(), "console: {console:#?}");
    let requests = browser.run(
        "return performance.getEntriesByType('resource').map(r => r.name);",
        json!([]),
    );
    assert_eq!(requests, json!([]), "the page fetches nothing");
    let csp = browser.run(
        "const m = document.querySelector('meta[http-equiv=\"Content-Security-Policy\"]'); return m && m.content;",
        json!([]),
    );
    assert!(
        csp.as_str()
            .is_some_and(|c| c.starts_with("default-src 'none';")),
        "{csp}"
    );
    let doc = check(MAP_2021, AS_OF);
    assert_eq!(page_summary(&browser), expected_summary(&doc));
    assert_eq!(
        listed(&browser),
        doc["summary"]["hops"].as_i64().unwrap_or(-1)
    );
    // Compared with a base map, the findings new on the date are those `check --base` finds.
    let base = "data/coursera/2020-08.yaml";
    let page = dir.path().join("with-base.html");
    let out = page.to_string_lossy();
    let made = run(&[
        "view", MAP_2021, "--as-of", AS_OF, "--base", base, "--out", &out,
    ]);
    assert_eq!(made.code, 0, "{}", made.stderr);
    let compared = run(&[
        "check", MAP_2021, "--as-of", AS_OF, "--base", base, "--format", "json",
    ]);
    let new = findings(&compared.json())
        .iter()
        .filter(|f| f["baseline"] == json!("new"))
        .count() as i64;
    load(&browser, &page);
    assert_eq!(
        page_summary(&browser).get("new"),
        Some(&new),
        "new findings"
    );
    assert!(browser.console().is_empty());
    load(&browser, &plain);
    // Every hop and every country is drawn: the Coursera map fits the screen expanded.
    let drawn = browser.run(
        "return [document.querySelectorAll('#graph .node').length, document.querySelectorAll('#graph .edge').length];",
        json!([]),
    );
    assert!(
        drawn[0].as_i64().unwrap_or(0) > 20 && drawn[1].as_i64().unwrap_or(0) > 20,
        "{drawn}"
    );
}

#[test]
fn after_moving_the_slider_the_page_shows_what_check_says_on_that_date() {
    let Some(browser) = Browser::start(1400, 1000) else {
        return;
    };
    let dir = tempfile::tempdir().expect("temporary directory");
    load(&browser, &write_page(dir.path(), MAP_2021, AS_OF));
    let date = "2020-07-16";
    slide_to(&browser, date);
    let doc = check(MAP_2021, date);
    assert_eq!(
        page_summary(&browser),
        expected_summary(&doc),
        "summary on {date}"
    );

    // The hop that forwards privacy requests from the EU representative to Coursera, Inc.
    let id = "representative-forward-eea";
    let hop = hops(&doc)
        .into_iter()
        .find(|h| h["id"] == json!(id) && h["regime"] == json!("eu-gdpr"))
        .expect("the hop in the check result");
    browser.keys(&browser.find("#search"), id);
    let same_flow = hops(&doc).iter().filter(|h| h["id"] == json!(id)).count();
    browser.wait(
        &format!("return document.querySelectorAll('#hop-rows tr').length === {same_flow};"),
        "the search to narrow the list",
    );
    let row = browser.run(
        "return [...document.querySelectorAll('#hop-rows button.pick')].findIndex(b => b.getAttribute('aria-label').includes('eu-gdpr to US')) + 1;",
        json!([]),
    );
    let button = browser.find(&format!("#hop-rows tr:nth-child({row}) button.pick"));
    browser.keys(&button, "\u{E007}");
    browser.wait(
        "return document.querySelector('#hop-rows tr[aria-current=true]') !== null && document.getElementById('hop-title') !== null;",
        "the hop to be selected",
    );
    let shown = selected_hop(&browser);
    assert_selected_is(&shown, &doc, &hop);
    // Back on the as-of date, the same hop as `check` says it then: a message that names the
    // date it was judged on names the new one.
    browser.click(&browser.find("#to-as-of"));
    browser.wait(
        &format!("return document.getElementById('date-out').textContent === '{AS_OF}';"),
        "the as-of date",
    );
    let later = check(MAP_2021, AS_OF);
    let hop_then = hops(&later)
        .into_iter()
        .find(|h| {
            h["flow"] == hop["flow"]
                && h["regime"] == hop["regime"]
                && h["destination"] == hop["destination"]
        })
        .expect("the hop on the as-of date");
    assert_selected_is(&selected_hop(&browser), &later, &hop_then);
    // The witness path is highlighted in the map: its entities and at least one edge.
    browser.wait(
        "return document.querySelectorAll('#graph .edge.on-path').length > 0;",
        "the path's edges",
    );
    let marked = browser.run(
        "return [...document.querySelectorAll('#graph .node.on-path')].map(n => n.dataset.id).sort();",
        json!([]),
    );
    let mut path: Vec<String> = serde_json::from_value(hop["path"].clone()).unwrap_or_default();
    path.sort();
    assert_eq!(marked, json!(path));
}

#[test]
fn search_and_filters_narrow_the_list_and_the_map() {
    let Some(browser) = Browser::start(1400, 1000) else {
        return;
    };
    let dir = tempfile::tempdir().expect("temporary directory");
    load(&browser, &write_page(dir.path(), MAP_2021, AS_OF));
    let doc = check(MAP_2021, AS_OF);
    let all = hops(&doc);
    let count = |keep: &dyn Fn(&Value) -> bool| all.iter().filter(|h| keep(h)).count() as i64;

    browser.click(&browser.find("#f-verdict-unlawful"));
    assert_eq!(
        listed(&browser),
        count(&|h| h["verdict"] != json!("unlawful"))
    );
    browser.wait(
        "return document.querySelectorAll('#graph .edge.v3, #hop-rows tr.v3').length === 0 && document.querySelectorAll('#graph .edge').length > 0;",
        "unlawful edges and rows to go",
    );
    clear_filters(&browser);
    assert_eq!(listed(&browser), all.len() as i64);

    choose(&browser, "#f-regime", "uk-gdpr");
    assert_eq!(
        listed(&browser),
        count(&|h| h["regime"] == json!("uk-gdpr"))
    );
    clear_filters(&browser);
    choose(&browser, "#f-code", "XB002");
    let has_code = |h: &Value| {
        h["codes"]
            .as_array()
            .is_some_and(|c| c.contains(&json!("XB002")))
    };
    assert_eq!(listed(&browser), count(&has_code));
    clear_filters(&browser);
    choose(&browser, "#f-category", "email");
    let carries = |h: &Value| {
        h["categories"]
            .as_array()
            .is_some_and(|c| c.contains(&json!("email")))
    };
    assert_eq!(listed(&browser), count(&carries));
    clear_filters(&browser);

    let term = "coursera-uk";
    browser.keys(&browser.find("#search"), term);
    let expected = count(&|h| {
        [&h["from"], &h["to"], &h["id"]]
            .iter()
            .any(|v| v.as_str().is_some_and(|s| s.contains(term)))
    });
    browser.wait(
        &format!("return document.querySelectorAll('#hop-rows tr').length === {expected};"),
        "the search to narrow the list",
    );
    let matched = browser.run(
        "return [...document.querySelectorAll('#graph .node.match')].map(n => n.dataset.id);",
        json!([]),
    );
    assert_eq!(
        matched,
        json!([term]),
        "the entity found is outlined in the map"
    );
}

#[test]
fn keyboard_and_pointer_select_hops_and_expand_countries() {
    let Some(browser) = Browser::start(1400, 1000) else {
        return;
    };
    let dir = tempfile::tempdir().expect("temporary directory");
    load(&browser, &write_page(dir.path(), MAP_2021, AS_OF));
    // Tab goes from the search to the filters.
    browser.keys(&browser.find("#search"), "\u{E004}");
    let focused = browser.run("return document.activeElement.id;", json!([]));
    assert_eq!(focused, json!("f-regime"));
    // Enter on a country collapses it, and again expands it.
    let us = "#graph [data-group][aria-label*='(US)']";
    browser.keys(&browser.find(us), "\u{E007}");
    browser.wait(
        &format!(
            "return document.querySelector(\"{us}\").getAttribute('aria-expanded') === 'false';"
        ),
        "the country to collapse",
    );
    browser.keys(&browser.find(us), "\u{E007}");
    browser.wait(
        &format!(
            "return document.querySelector(\"{us}\").getAttribute('aria-expanded') === 'true';"
        ),
        "the country to expand",
    );
    // A click on an edge of one flow selects that flow's worst hop.
    let target = browser.run(
        "for (const e of document.querySelectorAll('#graph .edge')) {
           const title = e.querySelector('title').textContent;
           if (/^[0-9]+ flows/.test(title)) continue;
           const line = e.querySelector('.line');
           const p = line.getPointAtLength(line.getTotalLength() / 2);
           const m = line.getScreenCTM();
           const x = p.x * m.a + p.y * m.c + m.e, y = p.x * m.b + p.y * m.d + m.f;
           const hit = document.elementFromPoint(x, y);
           if (hit && hit.closest('[data-edge]') === e) return [x, y, title.split(':')[0]];
         }
         return null;",
        json!([]),
    );
    let (x, y) = (
        target[0].as_f64().unwrap_or(0.0),
        target[1].as_f64().unwrap_or(0.0),
    );
    let flow = target[2]
        .as_str()
        .expect("an edge of one flow in view")
        .to_string();
    browser.click_at(x, y);
    browser.wait(
        "return document.getElementById('hop-title') !== null;",
        "the edge's hop to be selected",
    );
    let title = browser.run(
        "return document.getElementById('hop-title').textContent;",
        json!([]),
    );
    assert!(
        title
            .as_str()
            .is_some_and(|t| t.starts_with(&format!("{flow}:"))),
        "{title} is not about {flow}"
    );
    let console = browser.console();
    assert!(console.is_empty(), "console: {console:#?}");
}

/// Screenshots of the three Coursera maps, each on a date it describes, with a hop selected,
/// into `target/view-screenshots/` (`cargo test -p xborder-tests --test e2e view -- --ignored`).
#[test]
#[ignore = "writes screenshots for people to look at"]
fn screenshots_of_the_coursera_maps() {
    let Some(browser) = Browser::start(1440, 1000) else {
        return;
    };
    let out = xborder_tests::skipped_dir().with_file_name("view-screenshots");
    std::fs::create_dir_all(&out).expect("the screenshot directory");
    let dir = tempfile::tempdir().expect("temporary directory");
    for (map, date, flow) in [
        ("data/coursera/2018-07.yaml", "2018-07-11", "hosting"),
        ("data/coursera/2020-08.yaml", "2020-08-28", "hosting"),
        (
            "data/coursera/2021-01.yaml",
            "2021-01-01",
            "representative-forward-eea",
        ),
    ] {
        load(&browser, &write_page(dir.path(), map, date));
        browser.keys(&browser.find("#search"), flow);
        browser.wait(
            "return document.getElementById('hop-count').textContent.includes(' of ');",
            "the search to narrow the list",
        );
        let row = browser.run(
            "return [...document.querySelectorAll('#hop-rows button.pick')].findIndex(b => b.textContent === arguments[0]) + 1;",
            json!([flow]),
        );
        browser.click(&browser.find(&format!("#hop-rows tr:nth-child({row}) button.pick")));
        clear_filters(&browser);
        browser.run(
            "document.querySelector('#hop-rows tr[aria-current=true]').scrollIntoView({block: 'center'}); window.scrollTo(0, 0);",
            json!([]),
        );
        let name = Path::new(map)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned());
        let file = out.join(format!("view-coursera-{}.png", name.unwrap_or_default()));
        std::fs::write(&file, browser.screenshot()).expect("write the screenshot");
        eprintln!("wrote {}", file.display());
    }
}

/// How long a page of 10,000 generated flows takes to become interactive, and its size
/// (`cargo test -p xborder-tests --test e2e view -- --ignored --nocapture`).
#[test]
#[ignore = "generates and judges a 10,000-flow map: about a minute in a debug build"]
fn ten_thousand_flows_become_interactive_in_seconds() {
    let Some(browser) = Browser::start(1600, 1000) else {
        return;
    };
    let dir = tempfile::tempdir().expect("temporary directory");
    let map = dir.path().join("synthetic.yaml");
    let generated = std::process::Command::new(env!("CARGO"))
        .args(["xtask", "gen", "--flows", "10000", "--out"])
        .arg(&map)
        .current_dir(root())
        .output()
        .expect("cargo xtask gen");
    assert!(
        generated.status.success(),
        "{}",
        String::from_utf8_lossy(&generated.stderr)
    );
    let page = write_page(dir.path(), &map.to_string_lossy(), "2024-01-01");
    let bytes = std::fs::metadata(&page).map(|m| m.len()).unwrap_or(0);
    load(&browser, &page);
    let ready = browser.run("return window.xborderViewReady;", json!([]));
    let ms = ready.as_f64().unwrap_or(f64::MAX);
    eprintln!(
        "10,000 flows: {} KiB, interactive after {ms:.0} ms",
        bytes / 1024
    );
    let console = browser.console();
    assert!(console.is_empty(), "console: {console:#?}");
    assert!(ms < 10_000.0, "interactive after {ms} ms");
    let doc = check(&map.to_string_lossy(), "2024-01-01");
    assert_eq!(page_summary(&browser), expected_summary(&doc));
    let shots = xborder_tests::skipped_dir().with_file_name("view-screenshots");
    std::fs::create_dir_all(&shots).expect("the screenshot directory");
    std::fs::write(shots.join("view-10k.png"), browser.screenshot()).expect("write the screenshot");
}
