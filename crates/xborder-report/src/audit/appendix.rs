//! The verification appendix: how to check the report's signature and recompute its
//! verdicts, the hashes it was made from, and every finding code.

use xborder_pdf::{Block, Cell, Column, Section, Table};

use super::AuditInput;

/// The verification commands, the report's identifiers and hashes, and the table of
/// finding codes with their fixes.
pub(super) fn appendix(input: &AuditInput<'_>) -> Section {
    let file = "REPORT.pdf";
    // A draft keeps the wording of a report signed with the demo key (`xborder keygen`).
    let signature = input
        .signer
        .as_ref()
        .map_or("SHA-256, ECDSA P-256", |s| s.signature.as_str());
    let mut blocks = vec![
        Block::Paragraph(format!(
            "The report carries a PAdES-B-B digital signature (ETSI.CAdES.detached, {signature}) over every byte except the signature itself, and records the SHA-256 of the data map and of the rulebook it was computed from. To check it:"
        )),
        Block::Bullets(vec![
            format!(
                "xborder verify {file} --trust ca.pem --map {} — checks the byte range, digest, signature and certificate chain, prints signer, time, report ID and input hashes, and confirms the map's hash.",
                input.map_file
            ),
            format!(
                "pyhanko sign validate --pretty-print --trust ca.pem {file} — an independent validator."
            ),
            format!("pdfsig {file} — poppler's signature check."),
            format!(
                "sha256sum {} — must equal the map hash below.",
                input.map_file
            ),
            format!(
                "xborder check {} --as-of {} — recomputes every verdict of this report.",
                input.map_file, input.evaluation.as_of
            ),
        ]),
        Block::KeyValue(vec![
            ("Report ID".to_string(), input.report_id.to_string()),
            ("Map SHA-256".to_string(), input.map_sha256.to_string()),
            (
                "Rulebook".to_string(),
                input.rulebook.manifest.version.clone(),
            ),
            (
                "Rulebook SHA-256".to_string(),
                input.rulebook.sha256.clone(),
            ),
        ]),
        Block::Heading("Finding codes".to_string()),
    ];
    blocks.push(Block::Table(Table {
        columns: vec![
            Column::new("Code", 1.0),
            Column::new("Title", 4.0),
            Column::new("Fix", 6.0),
        ],
        rows: input
            .rulebook
            .codes
            .iter()
            .map(|c| {
                vec![
                    Cell::new(c.code.clone()),
                    Cell::new(c.title.clone()),
                    Cell::new(c.fix.clone()),
                ]
            })
            .collect(),
    }));
    Section::new("Appendix: how to verify this report", blocks).on_new_page()
}
