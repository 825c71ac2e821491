//! End-to-end tests: render documents and inspect the PDF with lopdf and,
//! where installed, poppler (`pdftotext`, `pdfinfo`) and `qpdf`.
//!
//! External tools are optional on a developer machine (the test prints a
//! notice and skips those checks) but required when `CI` is set, so CI can
//! never pass by silently skipping them.

use std::path::Path;
use std::process::Command;

use xborder_pdf::{
    Align, Block, Cell, Column, Document, FigureEdge, FigureGroup, FigureNode, FlowFigure, Meta,
    RenderError, Section, Table, Tone, render_pdf,
};

const HASH: &str = "9f2c4e1a7b3d5f60812e4c9a0b7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d";
const HEADER_MARKER: &str = "Importerjurisdiction";

/// Whether `tool` can be run. Panics under CI when it cannot.
fn have(tool: &str) -> bool {
    let ok = Command::new(tool)
        .arg("-v")
        .output()
        .is_ok_and(|o| o.status.success() || !o.stderr.is_empty() || !o.stdout.is_empty());
    if !ok {
        assert!(
            std::env::var_os("CI").is_none(),
            "{tool} is required in CI (apt-get install poppler-utils qpdf)"
        );
        eprintln!("notice: {tool} not installed, skipping its checks");
    }
    ok
}

fn run(tool: &str, args: &[&str], pdf: &Path) -> String {
    let out = Command::new(tool)
        .args(args)
        .arg(pdf)
        .args(if tool == "pdftotext" {
            &["-"][..]
        } else {
            &[][..]
        })
        .output()
        .unwrap_or_else(|e| panic!("cannot run {tool}: {e}"));
    assert!(
        out.status.success(),
        "{tool} {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn meta() -> Meta {
    Meta {
        title: "Transfer audit — test".to_string(),
        author: "Test Author".to_string(),
        subject: "Integration test".to_string(),
        keywords: "test, pdf".to_string(),
        language: "en".to_string(),
        created: chrono::NaiveDate::from_ymd_opt(2025, 2, 3)
            .and_then(|d| d.and_hms_opt(4, 5, 6))
            .expect("valid date"),
        document_id: *b"0123456789abcdef",
        custom_info: vec![
            ("XborderReportId".to_string(), "XB-TEST-1".to_string()),
            ("XborderMapSha256".to_string(), HASH.to_string()),
        ],
    }
}

fn figure() -> FlowFigure {
    let node = |id: &str| FigureNode {
        id: id.to_string(),
        label: format!("System {id}"),
    };
    let edge = |from: &str, to: &str, tone| FigureEdge {
        from: from.to_string(),
        to: to.to_string(),
        label: format!("{from} to {to}"),
        tone,
    };
    FlowFigure {
        caption: "Test flows".to_string(),
        groups: vec![
            FigureGroup {
                label: "EEA".to_string(),
                nodes: vec![node("a"), node("b")],
            },
            FigureGroup {
                label: "US".to_string(),
                nodes: vec![node("c")],
            },
            FigureGroup {
                label: "IN".to_string(),
                nodes: vec![node("d")],
            },
        ],
        edges: vec![
            edge("a", "c", Tone::Good),
            edge("b", "d", Tone::Bad),
            edge("d", "a", Tone::Caution),
            edge("a", "b", Tone::Neutral),
        ],
        legend: vec![(Tone::Good, "Allowed".to_string())],
        alt: "Four systems in three places, four flows between them.".to_string(),
    }
}

fn table(rows: usize) -> Table {
    Table {
        columns: vec![
            Column::new("Ref", 1.0),
            Column::new("Importer jurisdiction", 2.0),
            Column::new("Verdict", 1.0).align(Align::Center),
        ],
        rows: (0..rows)
            .map(|i| {
                vec![
                    Cell::new(format!("R{i}")),
                    Cell::new(format!("Importer number {i} with a longer name that wraps")),
                    Cell::toned("Compliant", Tone::Good),
                ]
            })
            .collect(),
    }
}

fn document(rows: usize, watermark: Option<&str>) -> Document {
    Document {
        meta: meta(),
        watermark: watermark.map(str::to_string),
        running_header: "XB-TEST-1 running header".to_string(),
        sections: vec![
            Section::new(
                "Cover",
                vec![
                    Block::Title("Roundtrip Report".to_string()),
                    Block::KeyValue(vec![
                        ("Report".to_string(), "XB-TEST-1".to_string()),
                        ("Map SHA-256".to_string(), HASH.to_string()),
                    ]),
                ],
            )
            .without_heading(),
            Section::new(
                "Summary",
                vec![
                    Block::Paragraph("Quick brown foxes audit lazy transfers.".to_string()),
                    Block::Bullets(vec![
                        "First bullet".to_string(),
                        "Second bullet".to_string(),
                    ]),
                    Block::Callout {
                        tone: Tone::Caution,
                        text: "Callout text here".to_string(),
                    },
                ],
            ),
            Section::new("Register", vec![Block::Table(table(rows))]).on_new_page(),
            Section::new("Map", vec![Block::Figure(figure())]),
        ],
    }
}

fn write_tmp(bytes: &[u8]) -> tempfile::NamedTempFile {
    let file = tempfile::Builder::new()
        .suffix(".pdf")
        .tempfile()
        .expect("temp file");
    std::fs::write(file.path(), bytes).expect("write pdf");
    file
}

fn page_count(bytes: &[u8]) -> usize {
    lopdf::Document::load_mem(bytes)
        .expect("lopdf can parse our output")
        .get_pages()
        .len()
}

#[test]
fn same_document_gives_identical_bytes_in_one_process() {
    let doc = document(60, Some("UNSIGNED DRAFT"));
    let first = render_pdf(&doc).expect("render");
    // Render something else in between, so any process-wide counter inside
    // printpdf would have moved on.
    let _ = render_pdf(&document(3, None)).expect("render");
    let second = render_pdf(&doc).expect("render");
    assert!(first == second, "renders differ");
    let third = render_pdf(&document(60, None)).expect("render");
    assert!(first != third, "watermark must change the output");
}

#[test]
fn info_outline_and_trailer_id() {
    let bytes = render_pdf(&document(10, None)).expect("render");
    let pdf = lopdf::Document::load_mem(&bytes).expect("parse");
    let info_id = pdf
        .trailer
        .get(b"Info")
        .and_then(lopdf::Object::as_reference)
        .expect("info ref");
    let info = pdf.get_dictionary(info_id).expect("info dict");
    let text = |key: &str| {
        info.get(key.as_bytes())
            .and_then(lopdf::Object::as_str)
            .map(|b| String::from_utf8_lossy(b).into_owned())
            .unwrap_or_else(|_| panic!("missing /{key}"))
    };
    assert_eq!(text("Author"), "Test Author");
    assert_eq!(text("Producer"), "xborder");
    assert_eq!(text("CreationDate"), "D:20250203040506Z");
    assert_eq!(text("ModDate"), "D:20250203040506Z");
    assert_eq!(text("XborderReportId"), "XB-TEST-1");
    assert_eq!(text("XborderMapSha256"), HASH);
    for absent in ["GTS_PDFXVersion", "Trapped", "Identifier"] {
        assert!(
            !info.has(absent.as_bytes()),
            "/{absent} must not be written"
        );
    }
    let id = pdf
        .trailer
        .get(b"ID")
        .and_then(lopdf::Object::as_array)
        .expect("trailer ID");
    assert_eq!(id.len(), 2);
    for half in id {
        assert_eq!(half.as_str().expect("string"), b"0123456789abcdef");
    }
    // One outline entry per section, in order.
    let catalog = pdf.catalog().expect("catalog");
    let outlines = pdf
        .get_dictionary(
            catalog
                .get(b"Outlines")
                .and_then(lopdf::Object::as_reference)
                .expect("outlines"),
        )
        .expect("outline dict");
    let mut titles = Vec::new();
    let mut next = outlines
        .get(b"First")
        .and_then(lopdf::Object::as_reference)
        .ok();
    while let Some(item_id) = next {
        let item = pdf.get_dictionary(item_id).expect("item");
        titles.push(
            String::from_utf8_lossy(
                item.get(b"Title")
                    .and_then(lopdf::Object::as_str)
                    .expect("title"),
            )
            .into_owned(),
        );
        next = item.get(b"Next").and_then(lopdf::Object::as_reference).ok();
    }
    assert_eq!(titles, ["Cover", "Summary", "Register", "Map"]);
    // One revision ending in a cross-reference stream (ISO 32000-1 §7.5.8), which a
    // signer's incremental update continues.
    let tail = String::from_utf8_lossy(&bytes[bytes.len().saturating_sub(64)..]).into_owned();
    let start: usize = tail
        .trim_end()
        .trim_end_matches("%%EOF")
        .trim_end()
        .rsplit('\n')
        .next()
        .and_then(|n| n.parse().ok())
        .expect("startxref offset");
    let xref = String::from_utf8_lossy(&bytes[start..]).into_owned();
    assert!(
        xref.contains("/Type/XRef") || xref.contains("/Type /XRef"),
        "a cross-reference stream expected at startxref"
    );
    let text = String::from_utf8_lossy(&bytes).into_owned();
    assert_eq!(text.matches("%%EOF").count(), 1, "one revision");
    assert!(!text.contains("\ntrailer"), "no classic trailer");

    if have("pdfinfo") {
        let file = write_tmp(&bytes);
        let out = run("pdfinfo", &[], file.path());
        assert!(out.contains("Producer:        xborder"), "{out}");
        assert!(!out.contains("PDF/X"), "must not claim PDF/X: {out}");
        let custom = run("pdfinfo", &["-custom"], file.path());
        assert!(custom.contains("XborderMapSha256"), "{custom}");
    }
}

#[test]
fn text_is_extractable() {
    if !have("pdftotext") {
        return;
    }
    let bytes = render_pdf(&document(5, None)).expect("render");
    let file = write_tmp(&bytes);
    let text = run("pdftotext", &[], file.path());
    for needle in [
        "Roundtrip Report",
        "Quick brown foxes audit lazy transfers.",
        "Second bullet",
        "Callout text here",
        "XB-TEST-1 running header",
        "System a",
        "Test flows",
        HASH,
    ] {
        assert!(text.contains(needle), "{needle:?} not found in:\n{text}");
    }
}

#[test]
fn every_page_has_footer_header_and_watermark() {
    let bytes = render_pdf(&document(150, Some("UNSIGNED DRAFT"))).expect("render");
    let pages = page_count(&bytes);
    assert!(pages >= 4, "expected a multi-page document, got {pages}");
    if !have("pdftotext") {
        return;
    }
    let file = write_tmp(&bytes);
    for page in 1..=pages {
        let p = page.to_string();
        let text = run("pdftotext", &["-f", &p, "-l", &p], file.path());
        assert!(
            text.contains(&format!("Page {page} of {pages}")),
            "page {page}: footer missing:\n{text}"
        );
        assert!(
            text.contains("XB-TEST-1 running header"),
            "page {page}: header missing"
        );
        // Diagonal text comes out one glyph run per line; raw mode keeps
        // content order, so the letters stay together.
        let raw = run("pdftotext", &["-raw", "-f", &p, "-l", &p], file.path());
        assert!(
            squash(&raw).contains("UNSIGNEDDRAFT"),
            "page {page}: watermark missing"
        );
    }
    let unmarked = write_tmp(&render_pdf(&document(5, None)).expect("render"));
    let raw = run("pdftotext", &["-raw"], unmarked.path());
    assert!(!squash(&raw).contains("UNSIGNEDDRAFT"));
}

#[test]
fn long_table_repeats_its_header_on_every_page() {
    let bytes = render_pdf(&document(150, None)).expect("render");
    let pages = page_count(&bytes);
    if !have("pdftotext") {
        return;
    }
    let file = write_tmp(&bytes);
    let mut with_header = 0;
    let mut with_rows = 0;
    for page in 1..=pages {
        let p = page.to_string();
        let text = squash(&run("pdftotext", &["-f", &p, "-l", &p], file.path()));
        let has_rows = text.contains("Importernumber");
        if has_rows {
            with_rows += 1;
            assert!(
                text.contains(HEADER_MARKER),
                "page {page} has rows but no header"
            );
        }
        if text.contains(HEADER_MARKER) {
            with_header += 1;
        }
    }
    assert!(
        with_header >= 2,
        "table should span pages, header seen on {with_header}"
    );
    assert_eq!(with_header, with_rows);
}

#[test]
fn qpdf_accepts_the_file() {
    if !have("qpdf") {
        return;
    }
    let file = write_tmp(&render_pdf(&document(150, Some("DRAFT"))).expect("render"));
    let out = Command::new("qpdf")
        .arg("--check")
        .arg(file.path())
        .output()
        .expect("qpdf runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "qpdf --check failed:\n{stdout}");
    assert!(
        stdout.contains("No syntax or stream encoding errors"),
        "{stdout}"
    );
}

#[test]
fn fonts_are_subset() {
    let bytes = render_pdf(&document(20, Some("DRAFT"))).expect("render");
    // The two DejaVu faces are 1.4 MB in full; subset and compressed, the
    // whole file stays far below that.
    assert!(bytes.len() < 120_000, "file is {} bytes", bytes.len());
}

#[test]
fn invalid_input_is_reported() {
    let mut doc = document(1, None);
    doc.sections[2].blocks = vec![Block::Table(Table {
        columns: vec![Column::new("A", 1.0), Column::new("B", 1.0)],
        rows: vec![vec![Cell::new("only one")]],
    })];
    assert_eq!(
        render_pdf(&doc),
        Err(RenderError::TableShape {
            row: 0,
            expected: 2,
            found: 1
        })
    );

    let mut doc = document(1, None);
    let mut fig = figure();
    fig.edges.push(FigureEdge {
        from: "a".to_string(),
        to: "nowhere".to_string(),
        label: String::new(),
        tone: Tone::Bad,
    });
    doc.sections[3].blocks = vec![Block::Figure(fig)];
    assert_eq!(
        render_pdf(&doc),
        Err(RenderError::UnknownFigureNode("nowhere".to_string()))
    );

    let mut doc = document(1, None);
    doc.meta
        .custom_info
        .push(("Title".to_string(), "x".to_string()));
    assert_eq!(
        render_pdf(&doc),
        Err(RenderError::InvalidInfoKey("Title".to_string()))
    );
}

#[test]
fn large_figure_and_edge_cases_render() {
    // ~30 nodes / ~60 edges, an empty group, a self-loop, an empty table,
    // an over-long unbreakable cell and a huge cell taller than a page.
    let groups: Vec<FigureGroup> = ["EEA", "GB", "CH", "US", "IN", "BR", "Empty"]
        .iter()
        .enumerate()
        .map(|(g, label)| FigureGroup {
            label: (*label).to_string(),
            nodes: if *label == "Empty" {
                Vec::new()
            } else {
                (0..5)
                    .map(|n| FigureNode {
                        id: format!("{g}-{n}"),
                        label: format!("Node {g}-{n} with quite a long label text"),
                    })
                    .collect()
            },
        })
        .collect();
    let edges = (0..60)
        .map(|i| FigureEdge {
            from: format!("{}-{}", i % 6, i % 5),
            to: format!("{}-{}", (i * 7 + 3) % 6, (i * 3) % 5),
            label: format!("edge {i}"),
            tone: [Tone::Good, Tone::Caution, Tone::Bad, Tone::Muted][i % 4],
        })
        .collect();
    let fig = FlowFigure {
        caption: "Big".to_string(),
        groups,
        edges,
        legend: Vec::new(),
        alt: String::new(),
    };
    let mut doc = document(0, Some("DRAFT"));
    doc.sections.push(Section::new(
        "Stress",
        vec![
            Block::Figure(fig),
            Block::Table(Table {
                columns: vec![Column::new("Only", 1.0)],
                rows: Vec::new(),
            }),
            Block::Table(Table {
                columns: vec![Column::new("Narrow", 1.0), Column::new("Wide", 9.0)],
                rows: vec![vec![
                    Cell::new("x".repeat(300)),
                    Cell::new("word ".repeat(4000)),
                ]],
            }),
            Block::Callout {
                tone: Tone::Bad,
                text: "long callout ".repeat(900),
            },
            Block::Spacer(f32::NAN),
            Block::PageBreak,
            Block::PageBreak,
        ],
    ));
    let bytes = render_pdf(&doc).expect("render");
    assert_eq!(bytes, render_pdf(&doc).expect("render"));
    if have("qpdf") {
        let file = write_tmp(&bytes);
        let out = Command::new("qpdf")
            .arg("--check")
            .arg(file.path())
            .output()
            .expect("qpdf runs");
        assert!(out.status.success());
    }
}

/// The structure element `id` and its descendants, depth first: (type, `/Alt`, pages of its
/// own marked content).
fn walk(
    pdf: &lopdf::Document,
    id: lopdf::ObjectId,
    pages: &[lopdf::ObjectId],
    out: &mut Vec<(String, Option<String>, Vec<usize>)>,
) {
    let dict = pdf.get_dictionary(id).expect("structure element");
    let role =
        String::from_utf8_lossy(dict.get(b"S").and_then(lopdf::Object::as_name).expect("/S"))
            .into_owned();
    let alt = dict
        .get(b"Alt")
        .ok()
        .map(|a| lopdf::decode_text_string(a).expect("text"));
    let page_of = |d: &lopdf::Dictionary| {
        let pg = d
            .get(b"Pg")
            .and_then(lopdf::Object::as_reference)
            .expect("/Pg");
        pages.iter().position(|p| *p == pg).expect("a page")
    };
    let kids = match dict.get(b"K") {
        Ok(lopdf::Object::Array(kids)) => kids.clone(),
        Ok(kid) => vec![kid.clone()],
        Err(_) => Vec::new(),
    };
    let at = out.len();
    out.push((role, alt, Vec::new()));
    for kid in kids {
        match kid {
            lopdf::Object::Integer(_) => out[at].2.push(page_of(dict)),
            lopdf::Object::Dictionary(mcr) => out[at].2.push(page_of(&mcr)),
            lopdf::Object::Reference(child) => walk(pdf, child, pages, out),
            other => panic!("unexpected kid {other:?}"),
        }
    }
}

#[test]
fn the_document_is_tagged_with_a_structure_tree_and_xmp_metadata() {
    let bytes = render_pdf(&document(150, Some("DRAFT"))).expect("render");
    let pdf = lopdf::Document::load_mem(&bytes).expect("parse");
    let catalog = pdf.catalog().expect("catalog");
    for key in [
        "MarkInfo",
        "StructTreeRoot",
        "Lang",
        "ViewerPreferences",
        "Metadata",
    ] {
        assert!(catalog.has(key.as_bytes()), "catalog lacks /{key}");
    }
    let pages: Vec<lopdf::ObjectId> = pdf.get_pages().into_values().collect();
    let root = pdf
        .get_dictionary(
            catalog
                .get(b"StructTreeRoot")
                .and_then(lopdf::Object::as_reference)
                .expect("root"),
        )
        .expect("structure tree root");
    let mut elements = Vec::new();
    walk(
        &pdf,
        root.get(b"K")
            .and_then(lopdf::Object::as_reference)
            .expect("/K"),
        &pages,
        &mut elements,
    );
    let roles: Vec<&str> = elements.iter().map(|(r, _, _)| r.as_str()).collect();
    assert_eq!(roles[..3], ["Document", "Sect", "H1"]);
    let sections = roles.iter().filter(|r| **r == "Sect").count();
    assert_eq!(sections, 4, "one Sect per section");
    // The 150-row table continues over several pages as one Table; its header is read once.
    let table = roles
        .iter()
        .position(|r| *r == "Table")
        .expect("key/value table");
    let register = roles[table + 1..]
        .iter()
        .position(|r| *r == "Table")
        .map(|i| i + table + 1)
        .expect("register");
    let register_end = roles[register + 1..]
        .iter()
        .position(|r| *r == "Sect")
        .map_or(roles.len(), |i| i + register + 1);
    let register_pages: std::collections::BTreeSet<usize> = elements[register..register_end]
        .iter()
        .flat_map(|(_, _, p)| p.clone())
        .collect();
    assert!(
        register_pages.len() >= 3,
        "register on pages {register_pages:?}"
    );
    assert_eq!(
        roles[register..register_end]
            .iter()
            .filter(|r| **r == "TH")
            .count(),
        3
    );
    assert_eq!(
        roles[register..register_end]
            .iter()
            .filter(|r| **r == "TR")
            .count(),
        151
    );
    // The figure, with the caller's alternative text.
    let figure = elements
        .iter()
        .find(|(r, _, _)| r == "Figure")
        .expect("figure");
    assert_eq!(
        figure.1.as_deref(),
        Some("Four systems in three places, four flows between them.")
    );
    for role in ["L", "LI", "Lbl", "LBody", "Caption", "P"] {
        assert!(roles.contains(&role), "no {role}");
    }
    if have("pdfinfo") {
        let file = write_tmp(&bytes);
        let info = run("pdfinfo", &[], file.path());
        assert!(info.contains("Tagged:          yes"), "{info}");
        let xmp = run("pdfinfo", &["-meta"], file.path());
        assert!(
            xmp.contains("<pdf:Producer>xborder</pdf:Producer>"),
            "{xmp}"
        );
        assert!(xmp.contains("<xborder:XborderMapSha256>"), "{xmp}");
    }
}

#[test]
fn a_figure_without_alternative_text_is_described_from_its_model() {
    let mut doc = document(1, None);
    let mut fig = figure();
    fig.alt = String::new();
    doc.sections[3].blocks = vec![Block::Figure(fig)];
    let bytes = render_pdf(&doc).expect("render");
    let pdf = lopdf::Document::load_mem(&bytes).expect("parse");
    let alt = pdf
        .objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .find(|d| d.get(b"S").and_then(lopdf::Object::as_name).ok() == Some(b"Figure"))
        .and_then(|d| d.get(b"Alt").ok())
        .map(|a| lopdf::decode_text_string(a).expect("text"));
    assert_eq!(
        alt.as_deref(),
        Some(
            "Diagram of 4 boxes in 3 groups (EEA, US, IN) joined by 4 arrows, listed in the key below it."
        )
    );
}
