//! The findings, errors first, then warnings, then information, each finding of one code and
//! reasoning on many hops as one entry (`finding_groups`); and the finding table (columns and
//! rows, one per finding) that the changes section and the vendor memo print.

use std::collections::HashMap;

use xborder_engine::Finding;
use xborder_law::Severity;
use xborder_model::Map;
use xborder_pdf::{Block, Cell, Column, Section, Table, Tone};

use super::finding_groups::{self, Entry};
use super::{AuditInput, severity_tone};

/// A flow as a finding names it: `flow 3 support` (number and id) or `flow 3`.
fn flow_name(map: &Map, flow: usize) -> String {
    map.flows
        .get(flow)
        .and_then(|x| x.id.clone())
        .map_or_else(|| format!("flow {flow}"), |id| format!("flow {flow} {id}"))
}

/// The code cell of a finding: code and severity, and whether its risk is accepted.
fn code_cell(f: &Finding, suffix: &str) -> Cell {
    match &f.accepted {
        Some(_) => Cell::toned(
            format!("{}\n{}\naccepted{suffix}", f.code, f.severity.as_str()),
            Tone::Muted,
        ),
        None => Cell::toned(
            format!("{}\n{}{suffix}", f.code, f.severity.as_str()),
            severity_tone(f.severity),
        ),
    }
}

/// Who accepted a finding's risk, until when, where and why, on a line of its own.
fn acceptance(f: &Finding) -> String {
    f.accepted
        .as_ref()
        .map(|a| {
            format!(
                "\nRisk accepted by {} until {} ({}:{}): {}",
                a.by, a.until, a.file, a.line, a.reason
            )
        })
        .unwrap_or_default()
}

/// One row per finding: code and severity (and whether accepted), the hop with its witness
/// path, the reasoning with any acceptance and the remediation, and the citation.
pub(crate) fn finding_rows(findings: &[&Finding], map: &Map) -> Vec<Vec<Cell>> {
    findings
        .iter()
        .map(|f| {
            vec![
                code_cell(f, ""),
                Cell::new(format!(
                    "{}\n{} → {}\npath: {}",
                    flow_name(map, f.flow),
                    f.regime,
                    f.destination,
                    f.path_text()
                )),
                Cell::new(format!(
                    "{}{}\nRemediation: {}",
                    f.message,
                    acceptance(f),
                    f.remediation
                )),
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

/// One row per entry: the code, severity and number of findings; every hop with its flow,
/// regime and destination, the line of the map the finding points at, and its witness path;
/// and what the findings say, any acceptance, the remedy (for open findings, the action of
/// What to do) and the citation, once for all of them.
fn entry_row(entry: &Entry<'_>, map: &Map, actions: &HashMap<&str, String>) -> Vec<Cell> {
    let f = entry.first();
    let n = entry.findings.len();
    let hops: Vec<String> = entry
        .findings
        .iter()
        .map(|g| {
            format!(
                "{}: {} → {}, line {}: {}",
                flow_name(map, g.flow),
                g.regime,
                g.destination,
                g.loc.line,
                g.path_text()
            )
        })
        .collect();
    let these = if n > 1 {
        format!(" of these {n} findings")
    } else {
        String::new()
    };
    let remedy = match actions
        .get(&*f.remediation)
        .filter(|_| super::actions::is_open(f))
    {
        Some(action) => format!("Remediation{these}: action {action} (What to do)"),
        None => format!("Remediation{these}: {}", f.remediation),
    };
    let count = if n > 1 {
        format!("\n{n} findings")
    } else {
        String::new()
    };
    vec![
        code_cell(f, &count),
        Cell::new(hops.join("\n")),
        Cell::new(format!(
            "{}{}\n{remedy}\nCitation: {}",
            entry.says,
            acceptance(f),
            f.citation
        )),
    ]
}

/// One table per severity that has findings, or a note that there are none.
pub(super) fn findings(input: &AuditInput<'_>) -> Section {
    let map = input.map;
    let plan = super::actions::plan(&input.evaluation.findings, map);
    let actions = super::actions::labels(&plan);
    let mut blocks = vec![Block::Paragraph(
        "Each finding names its stable code (explained by `xborder explain CODE`), its severity, the hop with the line of the map it points at and the witness path from a data source to it, the reasoning, the remediation (for an open error or warning, the action of What to do that fixes it) and the citation of the rule that decided it. Findings of one code and one reasoning on several hops are one entry listing those hops; where the hops' own parts differ, the reasoning names them by their role in brackets — [exporter], [importer], [regime], [destination] — as the hops beside it fill them in. Errors first, then warnings, then information.".to_string(),
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
        let entries = finding_groups::group(&list, map);
        blocks.push(Block::Heading(format!(
            "{title} ({}, in {} {})",
            list.len(),
            entries.len(),
            if entries.len() == 1 {
                "entry"
            } else {
                "entries"
            }
        )));
        blocks.push(Block::Table(Table {
            columns: vec![
                Column::new("Code", 1.1),
                Column::new(
                    "Hops: flow, regime → destination, map line: witness path",
                    5.8,
                ),
                Column::new("Finding, remediation and citation", 5.4),
            ],
            rows: entries
                .iter()
                .map(|e| entry_row(e, map, &actions))
                .collect(),
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
