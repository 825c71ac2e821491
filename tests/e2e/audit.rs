//! `xborder audit`, `verify` and `keygen`: the signed report an auditor hands over, checked
//! by our verifier and by independent validators (pyHanko, poppler's pdfsig, qpdf).

use std::path::{Path, PathBuf};

use xborder_tests::{require_tool, root, run, run_env, tool};

const MAP: &str = "data/coursera/2021-01.yaml";

struct Signed {
    _dir: tempfile::TempDir,
    pki: PathBuf,
    pdf: PathBuf,
}

fn p(path: &Path) -> &str {
    path.to_str().expect("utf-8 path")
}

/// A demo PKI and a signed audit of the 2021 map as of 2021-01-01.
fn signed_report(epoch: &str) -> Signed {
    let dir = tempfile::tempdir().expect("temp dir");
    let (pki, pdf) = xborder_tests::signed_audit(
        dir.path(),
        "report.pdf",
        MAP,
        "2021-01-01",
        epoch,
        &["--signer-role", "Lead auditor"],
    );
    Signed {
        _dir: dir,
        pki,
        pdf,
    }
}

fn verify(s: &Signed, pdf: &Path) -> xborder_tests::Run {
    run(&[
        "verify",
        p(pdf),
        "--trust",
        p(&s.pki.join("ca.pem")),
        "--map",
        MAP,
    ])
}

#[test]
fn signed_report_verifies_everywhere() {
    let s = signed_report(&xborder_tests::now_epoch());
    let out = verify(&s, &s.pdf);
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    for expected in [
        "VALID",
        "covers the whole file",
        "trusted (chain of",
        "map SHA-256",
        "matches the report",
        "XB-20210101-",
        "signing time",
    ] {
        assert!(
            out.stdout.contains(expected),
            "verify output lacks {expected:?}:\n{}",
            out.stdout
        );
    }
    // Without a trust anchor the signature is intact but the signer is untrusted.
    let untrusted = run(&["verify", p(&s.pdf)]);
    assert_eq!(untrusted.code, 0);
    assert!(
        untrusted.stdout.contains("untrusted signer"),
        "{}",
        untrusted.stdout
    );
    // The wrong map is reported.
    let wrong = run(&["verify", p(&s.pdf), "--map", "data/coursera/2020-08.yaml"]);
    assert_eq!(wrong.code, 1, "{}", wrong.stdout);
    assert!(
        wrong
            .stdout
            .contains("is not the map this report was made from")
    );

    if require_tool("pdfsig") {
        let (_, text) = tool("pdfsig", &[p(&s.pdf)]);
        assert!(text.contains("Signature is Valid"), "{text}");
        assert!(text.contains("ETSI.CAdES.detached"), "{text}");
    }
    if require_tool("qpdf") {
        let (code, text) = tool("qpdf", &["--check", p(&s.pdf)]);
        assert_eq!(code, 0, "{text}");
    }
    if require_tool("pyhanko") {
        let (code, text) = tool(
            "pyhanko",
            &[
                "sign",
                "validate",
                "--pretty-print",
                "--trust",
                p(&s.pki.join("ca.pem")),
                p(&s.pdf),
            ],
        );
        assert_eq!(code, 0, "{text}");
        assert!(text.contains("The signature is judged VALID"), "{text}");
        assert!(text.contains("covers the entire file"), "{text}");
    }
}

#[test]
fn any_changed_byte_breaks_the_signature() {
    let s = signed_report(&xborder_tests::now_epoch());
    let bytes = std::fs::read(&s.pdf).expect("report");
    let out = run(&["verify", p(&s.pdf), "--format", "json"]);
    let doc = out.json();
    let range: Vec<u64> = doc["signatures"][0]["byte_range"]
        .as_array()
        .expect("range")
        .iter()
        .filter_map(|v| v.as_u64())
        .collect();
    let (gap_start, gap_end) = (range[1] as usize, range[2] as usize);
    let positions: Vec<usize> = (0..120)
        .map(|i| i * (bytes.len() - 1) / 119)
        .filter(|&i| i < gap_start || i >= gap_end)
        .collect();
    assert!(positions.len() > 70);
    let tampered = s.pdf.with_file_name("tampered.pdf");
    let use_pyhanko = require_tool("pyhanko");
    for (n, &pos) in positions.iter().enumerate() {
        let mut copy = bytes.clone();
        copy[pos] ^= 0x01;
        std::fs::write(&tampered, &copy).expect("write");
        let out = verify(&s, &tampered);
        assert_ne!(
            out.code, 0,
            "flipping byte {pos} was not detected:\n{}",
            out.stdout
        );
        if use_pyhanko && n % 16 == 0 {
            let (_, text) = tool(
                "pyhanko",
                &[
                    "sign",
                    "validate",
                    "--pretty-print",
                    "--trust",
                    p(&s.pki.join("ca.pem")),
                    p(&tampered),
                ],
            );
            assert!(
                !text.contains("The signature is judged VALID"),
                "pyHanko accepted byte {pos} flipped:\n{text}"
            );
        }
    }
    // Appending bytes is reported as a modification after signing.
    let mut appended = bytes.clone();
    appended.extend_from_slice(b"\n% appended\n");
    std::fs::write(&tampered, &appended).expect("write");
    let out = verify(&s, &tampered);
    assert_eq!(out.code, 1);
    assert!(
        out.stdout.contains("modified after signing"),
        "{}",
        out.stdout
    );
}

#[test]
fn same_inputs_give_the_same_bytes() {
    let epoch = xborder_tests::now_epoch();
    let a = signed_report(&epoch);
    let b = signed_report(&epoch);
    // Different demo keys sign these two; what must not differ is the verdict they carry.
    assert!(
        verify(&a, &a.pdf).stdout.contains("VALID") && verify(&b, &b.pdf).stdout.contains("VALID")
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let render = |name: &str| {
        let out_path = dir.path().join(name);
        let out = run(&[
            "audit",
            MAP,
            "--as-of",
            "2021-01-01",
            "--unsigned",
            "--generated-at",
            "2026-01-02T03:04:05Z",
            "--out",
            p(&out_path),
        ]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        std::fs::read(out_path).expect("pdf")
    };
    assert!(
        render("one.pdf") == render("two.pdf"),
        "unsigned reports differ between runs"
    );
    let key = a.pki.join("signer.key.pem");
    let cert = a.pki.join("signer.pem");
    let sign = |name: &str| {
        let out_path = dir.path().join(name);
        let out = run_env(
            &root(),
            &[
                "audit",
                MAP,
                "--as-of",
                "2021-01-01",
                "--key",
                p(&key),
                "--cert",
                p(&cert),
                "--out",
                p(&out_path),
            ],
            &[("SOURCE_DATE_EPOCH", &epoch)],
        );
        assert_eq!(out.code, 0, "{}", out.stderr);
        std::fs::read(out_path).expect("pdf")
    };
    assert!(
        sign("s1.pdf") == sign("s2.pdf"),
        "signed reports differ between runs with the same key and time"
    );
}

pub fn pdftotext(pdf: &Path, page: Option<usize>) -> String {
    text_of(pdf, page, false)
}

/// `raw` keeps the content-stream order, which keeps the diagonal watermark's letters
/// together.
fn text_of(pdf: &Path, page: Option<usize>, raw: bool) -> String {
    let mut args = vec![];
    if raw {
        args.push("-raw");
    }
    let page_text;
    if let Some(n) = page {
        page_text = n.to_string();
        args.extend(["-f", page_text.as_str(), "-l", page_text.as_str()]);
    }
    args.extend([p(pdf), "-"]);
    let (code, text) = tool("pdftotext", &args);
    assert_eq!(code, 0, "{text}");
    text
}

/// Text without white space, hyphens and code-span quotes: table cells wrap long citations
/// and URLs, pdftotext joins a line ending in a hyphen with the next one, and the report
/// prints the results' `code` spans between typographic quotes.
pub fn squash(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '`' | '‘' | '’'))
        .collect()
}

#[test]
fn report_text_has_every_finding_path_citation_and_hash() {
    if !require_tool("pdftotext") {
        return;
    }
    let s = signed_report(&xborder_tests::now_epoch());
    let text = squash(&pdftotext(&s.pdf, None));
    let check = run(&["check", MAP, "--as-of", "2021-01-01", "--format", "json"]).json();
    for f in check["findings"].as_array().expect("findings") {
        let code = f["code"].as_str().unwrap_or("");
        let path: Vec<&str> = f["path"]
            .as_array()
            .expect("path")
            .iter()
            .filter_map(|v| v.as_str())
            .collect();
        assert!(text.contains(code), "{code} missing");
        assert!(
            text.contains(&squash(&path.join(" → "))),
            "path {path:?} missing"
        );
        assert!(
            text.contains(&squash(f["citation"].as_str().unwrap_or(""))),
            "citation of {code} missing: {}",
            f["citation"]
        );
    }
    assert!(
        text.contains(
            &check["inputs"]["map"]["sha256"]
                .as_str()
                .map(squash)
                .unwrap_or_default()
        )
    );
    assert!(
        text.contains(
            &check["inputs"]["rulebook"]["sha256"]
                .as_str()
                .map(squash)
                .unwrap_or_default()
        )
    );
    for section in [
        "Executivesummary",
        "Scopeandcriteria",
        "Methodology",
        "Figure1.Dataflows",
        "Transferregister",
        "Findings",
        "Expiringmechanisms",
        "Signoff",
        "Appendix:howtoverifythisreport",
    ] {
        assert!(text.contains(section), "section {section} missing");
    }
    assert!(text.contains("Leadauditor") && text.contains("CertificateSHA256"));
}

#[test]
fn unsigned_drafts_are_marked_and_signing_is_not_silently_skipped() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out_path = dir.path().join("draft.pdf");
    let refused = run(&["audit", MAP, "--as-of", "2021-01-01", "--out", p(&out_path)]);
    assert_eq!(refused.code, 2);
    assert!(
        refused
            .stderr
            .contains("refusing to write an unsigned audit report"),
        "{}",
        refused.stderr
    );
    assert!(!out_path.exists(), "nothing is written when refused");

    let out = run(&[
        "audit",
        MAP,
        "--as-of",
        "2021-01-01",
        "--unsigned",
        "--generated-at",
        "2026-01-02T03:04:05Z",
        "--out",
        p(&out_path),
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let again = run(&[
        "audit",
        MAP,
        "--as-of",
        "2021-01-01",
        "--unsigned",
        "--out",
        p(&out_path),
    ]);
    assert_eq!(
        again.code, 2,
        "an existing report is not overwritten without --force"
    );
    if require_tool("qpdf") {
        let (code, text) = tool("qpdf", &["--check", p(&out_path)]);
        assert_eq!(code, 0, "{text}");
    }
    if require_tool("pdfinfo") && require_tool("pdftotext") {
        let (_, info) = tool("pdfinfo", &[p(&out_path)]);
        let pages: usize = info
            .lines()
            .find_map(|l| l.strip_prefix("Pages:"))
            .and_then(|n| n.trim().parse().ok())
            .expect("page count");
        assert!(pages > 5);
        for page in 1..=pages {
            let text = pdftotext(&out_path, Some(page));
            assert!(
                squash(&text_of(&out_path, Some(page), true)).contains("UNSIGNEDDRAFT"),
                "page {page} lacks the watermark"
            );
            assert!(
                text.contains(&format!("Page {page} of {pages}")),
                "page {page} lacks its number"
            );
        }
        // One snapshot per section of the report's text.
        let full = pdftotext(&out_path, None);
        let titles = [
            "Executive summary",
            "Scope and criteria",
            "Methodology",
            "Transfer register",
            "Findings",
            "Expiring mechanisms",
            "Sign-off",
            "Appendix: how to verify this report",
        ];
        for (i, title) in titles.iter().enumerate() {
            let start = full
                .find(&format!("\n{title}\n"))
                .unwrap_or_else(|| panic!("section {title}"));
            let end = titles[i + 1..]
                .iter()
                .filter_map(|t| {
                    full[start + 1..]
                        .find(&format!("\n{t}\n"))
                        .map(|e| start + 1 + e)
                })
                .next()
                .unwrap_or(full.len());
            let section: String = full[start..end]
                .lines()
                .filter(|l| {
                    !l.contains("UNSIGNED DRAFT")
                        && !l.starts_with("Page ")
                        && !l.contains("transfer audit as of")
                        && !l.contains("Cross-border transfer audit —")
                })
                .collect::<Vec<_>>()
                .join("\n");
            let name = title
                .split(':')
                .next()
                .unwrap_or(title)
                .to_lowercase()
                .replace(' ', "-");
            insta::with_settings!({ snapshot_suffix => name, prepend_module_to_snapshot => false }, {
                insta::assert_snapshot!("report-section", section);
            });
        }
    }
}

/// The text of the unsigned Coursera report as of 2021-01-01, laid out as on the page
/// (`pdftotext -layout`); `None` when pdftotext is missing outside CI.
fn layout_text_of_the_coursera_report() -> Option<String> {
    if !require_tool("pdftotext") {
        return None;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let pdf = xborder_tests::unsigned_audit(dir.path(), MAP, "2021-01-01", &[]);
    let (code, text) = tool("pdftotext", &["-layout", p(&pdf), "-"]);
    assert_eq!(code, 0);
    Some(text)
}

/// The executive summary's "Findings by code" table, one row per code and severity, adds up
/// to the JSON result's counts for the same inputs.
#[test]
fn findings_by_code_equal_the_json_result() {
    let Some(text) = layout_text_of_the_coursera_report() else {
        return;
    };
    let mut rows = std::collections::BTreeMap::new();
    for line in text.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        if let [code, severity, count, ..] = words.as_slice()
            && code.len() == 5
            && code.starts_with("XB")
            && matches!(*severity, "error" | "warning" | "info")
            && let Ok(n) = count.parse::<usize>()
        {
            rows.insert((code.to_string(), severity.to_string()), n);
        }
    }
    let json = run(&["check", MAP, "--as-of", "2021-01-01", "--format", "json"]).json();
    let mut expected = std::collections::BTreeMap::new();
    for f in json["findings"].as_array().expect("findings") {
        let key = (
            f["code"].as_str().unwrap_or("").to_string(),
            f["severity"].as_str().unwrap_or("").to_string(),
        );
        *expected.entry(key).or_insert(0usize) += 1;
    }
    assert_eq!(rows, expected);
}

/// "What to do" groups the open findings by remedy, as the JSON result has them: one action per
/// remedy, with the hops, flows and importers of its findings, the most hops first; every open
/// finding names its action instead of repeating the remedy.
#[test]
fn what_to_do_groups_the_open_findings_of_the_json_result_by_remedy() {
    let Some(text) = layout_text_of_the_coursera_report() else {
        return;
    };
    // Rows of the actions table: `A1  18  15  13  XB015 error ×17  Use a tool …`.
    let mut rows = Vec::new();
    for line in text.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        if let [action, hops, flows, importers, code, ..] = words.as_slice()
            && action.len() > 1
            && action.starts_with('A')
            && action[1..].parse::<usize>().is_ok()
            && code.starts_with("XB")
            && let (Ok(h), Ok(f), Ok(i)) = (
                hops.parse::<usize>(),
                flows.parse::<usize>(),
                importers.parse::<usize>(),
            )
        {
            rows.push((action.to_string(), h, f, i));
        }
    }
    let json = run(&["check", MAP, "--as-of", "2021-01-01", "--format", "json"]).json();
    let importer_of: std::collections::BTreeMap<u64, String> = json["hops"]
        .as_array()
        .expect("hops")
        .iter()
        .map(|h| (h["flow"].as_u64().unwrap_or(0), h["to"].to_string()))
        .collect();
    type Group = (
        std::collections::BTreeSet<String>,
        std::collections::BTreeSet<u64>,
        std::collections::BTreeSet<String>,
        bool,
    );
    let mut groups: std::collections::BTreeMap<String, Group> = Default::default();
    for f in json["findings"].as_array().expect("findings") {
        if f["severity"] == "info" {
            continue;
        }
        let flow = f["flow"].as_u64().unwrap_or(0);
        let g = groups
            .entry(f["remediation"].as_str().unwrap_or("").to_string())
            .or_default();
        g.0.insert(format!("{flow} {} {}", f["regime"], f["destination"]));
        g.1.insert(flow);
        g.2.insert(importer_of.get(&flow).cloned().unwrap_or_default());
        g.3 |= f["severity"] == "error";
    }
    let mut expected: Vec<(usize, bool, String, usize, usize)> = groups
        .into_iter()
        .map(|(remedy, (hops, flows, importers, error))| {
            (hops.len(), error, remedy, flows.len(), importers.len())
        })
        .collect();
    expected.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
    let expected: Vec<(String, usize, usize, usize)> = expected
        .into_iter()
        .enumerate()
        .map(|(i, (hops, _, _, flows, importers))| (format!("A{}", i + 1), hops, flows, importers))
        .collect();
    assert!(
        expected.len() >= 5,
        "the Coursera map has several remedies: {expected:?}"
    );
    assert_eq!(rows, expected);
    // Every open finding names its action, alone or in an entry of several findings ("of these
    // N findings"); no open finding repeats a remedy in full.
    let squashed = squash(&text);
    let grouped: usize = squashed
        .split("Remediationofthese")
        .skip(1)
        .filter_map(|rest| {
            let (n, after) = rest.split_once("findings:")?;
            after
                .starts_with("actionA")
                .then(|| n.parse::<usize>().ok())?
        })
        .sum();
    let references = squashed.matches("Remediation:actionA").count() + grouped;
    let open = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["severity"] != "info")
        .count();
    assert_eq!(references, open);
}

/// The findings section lists every finding of the JSON result — entries of several findings
/// included — with its code, its hop (flow, regime and destination), the line of the map it
/// points at and its witness path, and counts each severity as the JSON result does.
#[test]
fn every_finding_of_the_json_result_is_listed_with_its_hop_and_map_line() {
    if !require_tool("pdftotext") {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let pdf = xborder_tests::unsigned_audit(dir.path(), MAP, "2021-01-01", &[]);
    // Reading order, not layout: a wrapped cell's lines stay together.
    let text = pdftotext(&pdf, None);
    let start = text.find("\nFindings\n").expect("findings section");
    let end = text[start..]
        .find("\nExpiring mechanisms\n")
        .map_or(text.len(), |e| start + e);
    let section = &text[start..end];
    let squashed = squash(section);
    let json = run(&["check", MAP, "--as-of", "2021-01-01", "--format", "json"]).json();
    let flow_id: std::collections::BTreeMap<u64, String> = json["hops"]
        .as_array()
        .expect("hops")
        .iter()
        .map(|h| {
            (
                h["flow"].as_u64().unwrap_or(0),
                h["id"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    let findings = json["findings"].as_array().expect("findings");
    for f in findings {
        let flow = f["flow"].as_u64().unwrap_or(0);
        let path: Vec<&str> = f["path"]
            .as_array()
            .expect("path")
            .iter()
            .filter_map(|v| v.as_str())
            .collect();
        let hop = format!(
            "flow {flow} {}: {} → {}, line {}: {}",
            flow_id.get(&flow).map_or("", String::as_str),
            f["regime"].as_str().unwrap_or(""),
            f["destination"].as_str().unwrap_or(""),
            f["location"]["line"],
            path.join(" → ")
        );
        assert!(
            squashed.contains(&squash(&hop)),
            "{} on {hop} missing",
            f["code"]
        );
    }
    for (severity, title) in [
        ("error", "Errors"),
        ("warning", "Warnings"),
        ("info", "Information"),
    ] {
        let n = findings
            .iter()
            .filter(|f| f["severity"] == severity)
            .count();
        if n > 0 {
            assert!(
                section.contains(&format!("{title} ({n}, in ")),
                "{title} should count {n}"
            );
        }
    }
}

/// The pages of a PDF's text, in reading order.
fn pages_of(pdf: &Path) -> Vec<String> {
    pdftotext(pdf, None)
        .split('\u{c}')
        .map(str::to_string)
        .collect()
}

/// The Coursera figure titles every group with its place's code and name, cuts no entity name,
/// and keeps its whole key — every flow of the map, by id — on the figure's page.
#[test]
fn the_figure_names_every_place_whole_and_keeps_its_key_on_its_page() {
    if !require_tool("pdftotext") {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let pdf = xborder_tests::unsigned_audit(dir.path(), MAP, "2021-01-01", &[]);
    let pages = pages_of(&pdf);
    let page = pages
        .iter()
        .find(|p| p.contains("Figure 1."))
        .expect("figure page");
    let text = squash(page);
    for title in [
        "CH · Switzerland",
        "DE · Germany",
        "EEA · European Economic Area",
        "FR · France",
        "GB · United Kingdom",
        "IN · India",
        "NL · Netherlands",
        "PH · Philippines",
        "US-CA · California",
        "US · United States",
    ] {
        assert!(text.contains(&squash(title)), "group title {title} missing");
    }
    assert!(!page.contains('…'), "a name is cut");
    assert!(!page.contains("Key continues"), "the key does not fit");
    let json = run(&["check", MAP, "--as-of", "2021-01-01", "--format", "json"]).json();
    for hop in json["hops"].as_array().expect("hops") {
        let id = hop["id"].as_str().unwrap_or("");
        assert!(text.contains(&squash(id)), "flow {id} missing from the key");
    }
}

/// A map of more entities than the figure draws one by one is drawn by country and kind of
/// entity, and every one of its flows is accounted for once: on a drawn edge, among the
/// entities of one box, or in the caption's count of what is not drawn.
#[test]
fn a_large_map_is_drawn_by_country_and_kind_with_every_flow_counted() {
    if !require_tool("pdftotext") {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let map = dir.path().join("large.json");
    let made = std::process::Command::new(env!("CARGO"))
        .args(["xtask", "gen", "--flows", "900", "--entities", "240"])
        .args(["--seed", "5", "--out"])
        .arg(&map)
        .current_dir(root())
        .output()
        .expect("cargo xtask gen");
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let pdf = xborder_tests::unsigned_audit(dir.path(), p(&map), "2024-06-01", &[]);
    let pages = pages_of(&pdf);
    let page = squash(
        pages
            .iter()
            .find(|p| p.contains("Figure 1."))
            .expect("figure page"),
    );
    assert!(page.contains("bycountryandkindofentity"), "{page}");
    // The number before each occurrence of `marker`.
    let numbers_before = |marker: &str| -> Vec<usize> {
        let mut found = Vec::new();
        let mut rest = page.as_str();
        while let Some(at) = rest.find(marker) {
            let digits: String = rest[..at]
                .chars()
                .rev()
                .take_while(char::is_ascii_digit)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            if let Ok(n) = digits.parse() {
                found.push(n);
            }
            rest = &rest[at + marker.len()..];
        }
        found
    };
    let drawn = numbers_before("flows—");
    assert!(
        !drawn.is_empty() && drawn.len() <= 36,
        "{} edges drawn",
        drawn.len()
    );
    let within: usize = numbers_before("flowsamongthem").iter().sum();
    let left_out: usize = numbers_before("flows,arenot").iter().sum();
    assert_eq!(drawn.iter().sum::<usize>() + within + left_out, 900);
}
