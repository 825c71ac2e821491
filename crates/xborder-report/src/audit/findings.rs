//! The findings, errors first, then warnings, then information; and the finding table
//! (columns and rows) that the changes section and the vendor memo print as well.

use std::collections::HashMap;

use xborder_engine::Finding;
use xborder_law::Severity;
use xborder_model::Map;
use xborder_pdf::{Block, Cell, Column, Section, Table, Tone};

use super::{AuditInput, severity_tone};

/// One row per finding: code and severity (and whether accepted), the hop with its witness
/// path, the reasoning with any acceptance and the remediation, and the citation. With
/// `actions`, a finding whose remedy is an action of the report names the action instead of
/// repeating the remedy.
pub(crate) fn finding_rows(
    findings: &[&Finding],
    map: &Map,
    actions: Option<&HashMap<&str, String>>,
) -> Vec<Vec<Cell>> {
    findings
        .iter()
        .map(|f| {
            let flow = map
                .flows
                .get(f.flow)
                .and_then(|x| x.id.clone())
                .map_or_else(
                    || format!("flow {}", f.flow),
                    |id| format!("flow {} {id}", f.flow),
                );
            let (code, tone) = match &f.accepted {
                Some(_) => (
                    format!("{}\n{}\naccepted", f.code, f.severity.as_str()),
                    Tone::Muted,
                ),
                None => (
                    format!("{}\n{}", f.code, f.severity.as_str()),
                    severity_tone(f.severity),
                ),
            };
            let accepted = f
                .accepted
                .as_ref()
                .map(|a| {
                    format!(
                        "\nRisk accepted by {} until {} ({}:{}): {}",
                        a.by, a.until, a.file, a.line, a.reason
                    )
                })
                .unwrap_or_default();
            vec![
                Cell::toned(code, tone),
                Cell::new(format!(
                    "{flow}\n{} → {}\npath: {}",
                    f.regime,
                    f.destination,
                    f.path_text()
                )),
                Cell::new(
                    match actions
                        .filter(|_| super::actions::is_open(f))
                        .and_then(|a| a.get(&*f.remediation))
                    {
                        Some(action) => format!(
                            "{}{accepted}\nRemediation: action {action} (What to do)",
                            f.message
                        ),
                        None => format!("{}{accepted}\nRemediation: {}", f.message, f.remediation),
                    },
                ),
                Cell::new(f.citation.clone()),
            ]
        })
        .collect()
}

/// The columns of [`finding_rows`].
pub(crate) fn finding_columns() -> Vec<Column> {
    vec![
        Column::new("Code", 1.2),
        Column::new("Hop and witness path", 3.0),
        Column::new("Finding, reasoning and remediation", 5.2),
        Column::new("Citation", 3.0),
    ]
}

/// One table per severity that has findings, or a note that there are none.
pub(super) fn findings(input: &AuditInput<'_>) -> Section {
    let map = input.map;
    let plan = super::actions::plan(&input.evaluation.findings, map);
    let actions = super::actions::labels(&plan);
    let mut blocks = vec![Block::Paragraph(
        "Each finding names its stable code (explained by `xborder explain CODE`), its severity, the hop with the witness path from a data source to it, the reasoning, the citation of the rule that decided it, and the remediation: for an open error or warning, the action of What to do that fixes it. Errors first, then warnings, then information.".to_string(),
    )];
    for (severity, title) in [
        (Severity::Error, "Errors"),
        (Severity::Warning, "Warnings"),
        (Severity::Info, "Information"),
    ] {
        let list: Vec<&Finding> = input
            .evaluation
            .findings
            .iter()
            .filter(|f| f.severity == severity)
            .collect();
        if list.is_empty() {
            continue;
        }
        blocks.push(Block::Heading(format!("{title} ({})", list.len())));
        blocks.push(Block::Table(Table {
            columns: finding_columns(),
            rows: finding_rows(&list, map, Some(&actions)),
        }));
    }
    if input.evaluation.findings.is_empty() {
        blocks.push(Block::Callout {
            tone: Tone::Good,
            text: "No findings.".to_string(),
        });
    }
    Section::new("Findings", blocks).on_new_page()
}
