//! The PDFs xborder writes are tagged (ISO 32000-1 §14.8) and carry XMP metadata (§14.3.2):
//! a screen reader reads their headings, tables and figure in order, text extracts in
//! reading order, and an archive reads the same metadata from the XMP packet as from the
//! Info dictionary — signed or not.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use xborder_tests::tagged::{Element, Marked, Tagged};
use xborder_tests::{require_tool, run, tool};

const MAP: &str = "data/coursera/2021-01.yaml";
const AS_OF: &str = "2021-01-01";
const VENDOR: &str = "data/vendors/analytics-metricly.yaml";

/// The first-level headings of the Coursera audit report, in order: the title, then every
/// section that prints its title (the data-flow figure's does not).
const AUDIT_HEADINGS: [&str; 10] = [
    "Cross-border personal-data transfer audit",
    "Executive summary",
    "What to do",
    "Scope and criteria",
    "Methodology",
    "Transfer register",
    "Findings",
    "Expiring mechanisms",
    "Sign-off",
    "Appendix: how to verify this report",
];

/// The first-level headings of the vendor memo, in order.
const MEMO_HEADINGS: [&str; 9] = [
    "Vendor review memo",
    "Decision",
    "The vendor and its flows",
    "Hops the vendor creates",
    "New paths and findings",
    "Contract terms",
    "Security and retention",
    "Sign-off",
    "Appendix: how to verify this memo",
];

fn p(path: &Path) -> &str {
    path.to_str().expect("utf-8 path")
}

/// The unsigned vendor memo for the Metricly intake against the Coursera map.
fn unsigned_memo(dir: &Path) -> PathBuf {
    let memo = dir.join("memo.pdf");
    let out = run(&[
        "vendor",
        "review",
        VENDOR,
        "--map",
        MAP,
        "--as-of",
        "2026-11-25",
        "--unsigned",
        "--generated-at",
        "2026-01-01T00:00:00Z",
        "--out",
        p(&memo),
    ]);
    assert!(out.code == 0 || out.code == 1, "{}", out.stderr);
    memo
}

/// The audit report signed with a fresh demo key.
fn signed_audit(dir: &Path) -> PathBuf {
    let epoch = xborder_tests::now_epoch();
    let (pki, pdf) = xborder_tests::signed_audit(dir, "signed.pdf", MAP, AS_OF, &epoch, &[]);
    let ca = pki.join("ca.pem");
    let verified = run(&["verify", p(&pdf), "--trust", p(&ca)]);
    assert_eq!(verified.code, 0, "{}", verified.stdout);
    pdf
}

fn load(path: &Path) -> Tagged {
    Tagged::load(&std::fs::read(path).expect("PDF"))
}

#[test]
fn pdfinfo_says_every_report_is_tagged_with_a_metadata_stream() {
    if !require_tool("pdfinfo") {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let audit = xborder_tests::unsigned_audit(dir.path(), MAP, AS_OF, &[]);
    let memo = unsigned_memo(dir.path());
    let signed = signed_audit(dir.path());
    for pdf in [&audit, &memo, &signed] {
        let (code, info) = tool("pdfinfo", &[p(pdf)]);
        assert_eq!(code, 0, "{info}");
        for line in ["Tagged:          yes", "Metadata Stream: yes"] {
            assert!(
                info.contains(line),
                "{}: no {line:?} in\n{info}",
                pdf.display()
            );
        }
        let (code, xmp) = tool("pdfinfo", &["-meta", p(pdf)]);
        assert_eq!(code, 0, "{xmp}");
        assert!(xmp.contains("<x:xmpmeta"), "{xmp}");
    }
}

/// What every tagged page must hold, whatever the document: the catalog says it is tagged;
/// every MCID of every page is referenced exactly once from the tree and the parent tree
/// maps it to the element that references it; no text is outside an MCID or an artifact;
/// the running header and "Page X of Y" are artifacts.
fn assert_well_tagged(pdf: &Tagged) -> Element {
    let catalog = pdf.catalog();
    let marked = pdf
        .get(catalog, b"MarkInfo")
        .and_then(|m| m.as_dict().ok())
        .and_then(|m| m.get(b"Marked").ok())
        .and_then(|m| m.as_bool().ok());
    assert_eq!(marked, Some(true), "/MarkInfo << /Marked true >>");
    let lang = pdf.get(catalog, b"Lang").map(lopdf::decode_text_string);
    assert!(
        matches!(lang, Some(Ok(ref l)) if l == "en"),
        "/Lang {lang:?}"
    );
    let display_title = pdf
        .get(catalog, b"ViewerPreferences")
        .and_then(|v| v.as_dict().ok())
        .and_then(|v| v.get(b"DisplayDocTitle").ok())
        .and_then(|v| v.as_bool().ok());
    assert_eq!(display_title, Some(true));

    let tree = pdf.tree();
    assert_eq!(tree.role, "Document");
    let parent_tree = pdf.parent_tree();
    let next_key = pdf
        .struct_tree_root()
        .get(b"ParentTreeNextKey")
        .and_then(lopdf::Object::as_i64)
        .expect("/ParentTreeNextKey");
    let mut referenced: BTreeMap<(usize, i64), Vec<lopdf::ObjectId>> = BTreeMap::new();
    for (page, mcid, element) in tree.contents() {
        referenced.entry((page, mcid)).or_default().push(element);
    }
    let pages = pdf.pages.len();
    for (index, page_id) in pdf.pages.iter().enumerate() {
        let key = pdf
            .doc
            .get_dictionary(*page_id)
            .ok()
            .and_then(|d| d.get(b"StructParents").and_then(lopdf::Object::as_i64).ok())
            .unwrap_or_else(|| panic!("page {} has no /StructParents", index + 1));
        assert!(key < next_key, "/StructParents {key} ≥ /ParentTreeNextKey");
        let owners = parent_tree.get(&key).cloned().unwrap_or_default();
        let content = pdf.page(index);
        assert!(
            content.nested.is_empty(),
            "page {}: nested MCIDs",
            index + 1
        );
        let mut sorted = content.mcids.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(
            sorted.len(),
            content.mcids.len(),
            "page {}: an MCID opened twice",
            index + 1
        );
        for mcid in &content.mcids {
            let from_tree = referenced.remove(&(index, *mcid)).unwrap_or_default();
            assert_eq!(
                from_tree.len(),
                1,
                "page {} MCID {mcid} is referenced {} times from the tree",
                index + 1,
                from_tree.len()
            );
            let owner = usize::try_from(*mcid).ok().and_then(|m| owners.get(m));
            assert_eq!(
                owner,
                Some(&from_tree[0]),
                "parent tree of page {}",
                index + 1
            );
        }
        for (mark, text) in &content.runs {
            assert!(
                *mark != Marked::Unmarked,
                "page {}: untagged text {text:?}",
                index + 1
            );
        }
        let artifacts: String = content
            .runs
            .iter()
            .filter(|(m, _)| *m == Marked::Artifact)
            .map(|(_, t)| t.as_str())
            .collect();
        assert!(
            artifacts.contains(&format!("Page {} of {pages}", index + 1)),
            "page {}: the page number is not an artifact",
            index + 1
        );
    }
    assert!(
        referenced.is_empty(),
        "the tree references marked content that no page has: {:?}",
        referenced.keys().take(5).collect::<Vec<_>>()
    );
    tree
}

/// Every table is rows of header and data cells; a table's first row, when it has header
/// cells, heads the columns, and its header is in the tree once however many pages the table
/// spans.
fn assert_tables(tree: &Element) {
    let tables: Vec<&Element> = tree
        .all()
        .into_iter()
        .filter(|e| e.role == "Table")
        .collect();
    assert!(!tables.is_empty());
    for table in tables {
        let rows = table.children();
        assert!(!rows.is_empty(), "a table without rows");
        for row in &rows {
            assert_eq!(row.role, "TR");
            for cell in row.children() {
                assert!(
                    cell.role == "TH" || cell.role == "TD",
                    "{} in a row",
                    cell.role
                );
            }
        }
        let header_rows = rows
            .iter()
            .filter(|r| {
                r.children()
                    .iter()
                    .any(|c| c.scope.as_deref() == Some("Column"))
            })
            .count();
        assert!(header_rows <= 1, "a column header repeated in the tree");
    }
}

fn text_of(pdf: &Tagged, tree: &Element, role: &str) -> Vec<String> {
    tree.all()
        .into_iter()
        .filter(|e| e.role == role)
        .map(|e| e.text(pdf).trim().to_string())
        .collect()
}

/// Text without white space, for comparing with `pdftotext`'s lines.
fn squash(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn the_audit_report_reads_in_order_in_its_structure_tree() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = xborder_tests::unsigned_audit(dir.path(), MAP, AS_OF, &[]);
    let pdf = load(&path);
    let tree = assert_well_tagged(&pdf);
    assert!(tree.children().iter().all(|s| s.role == "Sect"));
    assert_eq!(text_of(&pdf, &tree, "H1"), AUDIT_HEADINGS);
    let h2 = text_of(&pdf, &tree, "H2");
    for heading in [
        "Hops by verdict",
        "Errors (59, in 10 entries)",
        "Warnings (12, in 8 entries)",
        "Finding codes",
    ] {
        assert!(
            h2.iter().any(|h| h == heading),
            "no H2 {heading:?} in {h2:?}"
        );
    }
    assert_tables(&tree);

    // The register: one row per hop under one header row, over several pages.
    let register = tree
        .children()
        .into_iter()
        .find(|s| s.children().first().map(|h| h.text(&pdf)) == Some("Transfer register".into()))
        .and_then(|s| s.children().into_iter().find(|e| e.role == "Table"))
        .expect("the register's table");
    let check = run(&["check", MAP, "--as-of", AS_OF, "--format", "json"]).json();
    let hops = check["hops"].as_array().expect("hops").len();
    assert_eq!(register.children().len(), hops + 1);
    assert!(register.pages().len() > 1, "the register spans pages");

    // The figure: one element, described in words by the figure's own numbers; its
    // caption and key follow it.
    let figures: Vec<&Element> = tree
        .all()
        .into_iter()
        .filter(|e| e.role == "Figure")
        .collect();
    assert_eq!(figures.len(), 1);
    let alt = figures[0].alt.clone().unwrap_or_default();
    assert!(
        alt.starts_with("Data-flow diagram: 29 entities in "),
        "{alt}"
    );
    let figure_sect = tree
        .children()
        .into_iter()
        .find(|s| s.children().iter().any(|e| e.role == "Figure"))
        .expect("the figure's section");
    let parts: Vec<&str> = figure_sect
        .children()
        .iter()
        .map(|e| e.role.as_str())
        .collect();
    assert_eq!(
        parts,
        ["Figure", "L", "Caption", "L"],
        "figure, legend, caption, key"
    );
    let key = figure_sect.children()[3];
    let flows = key.children().len();
    assert!(
        alt.contains(&format!("; {flows} edges between them")),
        "{alt}"
    );
    let tallied: usize = alt
        .split(": ")
        .nth(2)
        .unwrap_or_default()
        .split(", ")
        .filter_map(|t| t.split(' ').next()?.parse::<usize>().ok())
        .sum();
    assert_eq!(
        tallied, flows,
        "the verdicts in {alt:?} add up to the flows"
    );
    let caption = text_of(&pdf, &tree, "Caption");
    assert_eq!(caption.len(), 1);
    assert!(
        caption[0].starts_with("Figure 1. Data flows of Coursera"),
        "{caption:?}"
    );

    // Text extracts in reading order: the content streams set the text in the tree's order,
    // so pdftotext in content order (`-raw`) meets the headings as the tree has them. (Its
    // default mode guesses columns from the page's geometry instead.)
    if require_tool("pdftotext") {
        let (code, text) = tool("pdftotext", &["-raw", p(&path), "-"]);
        assert_eq!(code, 0);
        let text = squash(&text);
        let mut at = 0;
        let headings = tree
            .all()
            .into_iter()
            .filter(|e| e.role == "H1" || e.role == "H2")
            .map(|e| e.text(&pdf));
        for heading in headings {
            let found = text[at..].find(&squash(&heading));
            assert!(
                found.is_some(),
                "{heading:?} out of order in pdftotext's output"
            );
            at += found.unwrap_or(0);
        }
    }
}

#[test]
fn the_vendor_memo_and_the_signed_report_are_tagged_alike() {
    let dir = tempfile::tempdir().expect("temp dir");
    let memo = load(&unsigned_memo(dir.path()));
    let tree = assert_well_tagged(&memo);
    assert_eq!(text_of(&memo, &tree, "H1"), MEMO_HEADINGS);
    assert_tables(&tree);
    // Signing appends an incremental update and leaves the tagging alone.
    let signed = load(&signed_audit(dir.path()));
    let tree = assert_well_tagged(&signed);
    assert_eq!(text_of(&signed, &tree, "H1"), AUDIT_HEADINGS);
}

/// A PDF date (`D:YYYYMMDDHHmmSS` with `Z` or an offset) or an XMP date (ISO 8601 with an
/// offset) as an instant.
fn instant(date: &str) -> chrono::DateTime<chrono::FixedOffset> {
    if let Some(pdf) = date.strip_prefix("D:") {
        let (stamp, zone) = pdf.split_at(14);
        let zone = match zone {
            "Z" | "" => "+00:00".to_string(),
            z => z.replace('\'', ":").trim_end_matches(':').to_string(),
        };
        chrono::DateTime::parse_from_str(&format!("{stamp}{zone}"), "%Y%m%d%H%M%S%:z")
            .unwrap_or_else(|e| panic!("PDF date {date}: {e}"))
    } else {
        chrono::DateTime::parse_from_rfc3339(date)
            .unwrap_or_else(|e| panic!("XMP date {date}: {e}"))
    }
}

/// The XMP packet's properties: `prefix:name` → text (of the `x-default` or only `rdf:li` for
/// alternatives, sequences and bags).
fn xmp_properties(xml: &str) -> BTreeMap<String, String> {
    let doc = roxmltree::Document::parse(xml).expect("the XMP packet is well-formed XML");
    let prefix = |uri: Option<&str>| match uri {
        Some("http://purl.org/dc/elements/1.1/") => "dc",
        Some("http://ns.adobe.com/pdf/1.3/") => "pdf",
        Some("http://ns.adobe.com/xap/1.0/") => "xmp",
        Some("http://ns.adobe.com/xap/1.0/mm/") => "xmpMM",
        Some(u) if u.contains("xborder") => "xborder",
        _ => "?",
    };
    let description = doc
        .descendants()
        .find(|n| n.has_tag_name("Description"))
        .expect("rdf:Description");
    description
        .children()
        .filter(|n| n.is_element())
        .map(|property| {
            let value = property
                .descendants()
                .find(|n| n.has_tag_name("li"))
                .unwrap_or(property)
                .text()
                .unwrap_or_default()
                .to_string();
            let name = format!(
                "{}:{}",
                prefix(property.tag_name().namespace()),
                property.tag_name().name()
            );
            (name, value)
        })
        .collect()
}

#[test]
fn xmp_metadata_says_what_the_info_dictionary_says() {
    let dir = tempfile::tempdir().expect("temp dir");
    let audit = xborder_tests::unsigned_audit(dir.path(), MAP, AS_OF, &[]);
    let memo = unsigned_memo(dir.path());
    for path in [audit, memo] {
        let pdf = load(&path);
        let (dict, bytes) = pdf.metadata();
        let name = |key: &[u8]| dict.get(key).and_then(lopdf::Object::as_name).ok();
        assert_eq!(name(b"Type"), Some(&b"Metadata"[..]));
        assert_eq!(name(b"Subtype"), Some(&b"XML"[..]));
        assert!(dict.get(b"Filter").is_err(), "the packet is not compressed");
        let xmp = xmp_properties(std::str::from_utf8(bytes).expect("UTF-8"));
        let info = pdf.info();
        for (key, property) in [
            ("Title", "dc:title"),
            ("Author", "dc:creator"),
            ("Subject", "dc:description"),
            ("Keywords", "pdf:Keywords"),
            ("Producer", "pdf:Producer"),
            ("Creator", "xmp:CreatorTool"),
        ] {
            assert!(info.contains_key(key), "/{key} missing");
            assert_eq!(xmp.get(property), info.get(key), "{property} vs /{key}");
        }
        for (key, property) in [
            ("CreationDate", "xmp:CreateDate"),
            ("ModDate", "xmp:ModifyDate"),
        ] {
            assert_eq!(
                instant(&xmp[property]),
                instant(&info[key]),
                "{property} vs /{key}"
            );
        }
        let custom: Vec<(&String, &String)> = info
            .iter()
            .filter(|(k, _)| k.starts_with("Xborder"))
            .collect();
        assert!(custom.len() >= 8, "{custom:?}");
        for (key, value) in custom {
            assert_eq!(xmp.get(&format!("xborder:{key}")), Some(value), "{key}");
        }
        assert_eq!(xmp.get("dc:language").map(String::as_str), Some("en"));
    }
}
