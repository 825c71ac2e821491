//! Changes since the base map (with a base map): the hops whose verdict changed, and the
//! findings that are new or resolved.

use xborder_engine::{Finding, Verdict};
use xborder_pdf::{Block, Cell, Column, Section, Table};

use super::{AuditInput, finding_columns, finding_rows, verdict_tone};

/// The comparison with the base map; `None` without a base map.
pub(super) fn changes(input: &AuditInput<'_>) -> Option<Section> {
    let base = input.base.as_ref()?;
    let c = base.comparison;
    let new: Vec<&Finding> = c.new_findings().collect();
    let resolved: Vec<&Finding> = c.resolved.iter().collect();
    let mut blocks = vec![Block::KeyValue(vec![
        ("Base map".to_string(), base.file.to_string()),
        ("Base SHA-256".to_string(), base.sha256.to_string()),
        ("New findings".to_string(), new.len().to_string()),
        ("Resolved findings".to_string(), resolved.len().to_string()),
        (
            "Hops with a changed verdict".to_string(),
            c.verdicts.len().to_string(),
        ),
    ])];
    if !c.verdicts.is_empty() {
        let verdict = |v: Option<Verdict>| v.map_or("(no hop)", Verdict::as_str);
        blocks.push(Block::Heading("Verdict changes".to_string()));
        blocks.push(Block::Table(Table {
            columns: vec![
                Column::new("Flow", 3.0),
                Column::new("Regime → dest.", 2.5),
                Column::new("Before", 2.0),
                Column::new("Now", 2.0),
            ],
            rows: c
                .verdicts
                .iter()
                .map(|v| {
                    vec![
                        Cell::new(v.flow.clone()),
                        Cell::new(format!("{} → {}", v.regime, v.destination)),
                        Cell::new(verdict(v.before)),
                        v.after.map_or_else(
                            || Cell::new("(no hop)"),
                            |a| Cell::toned(a.as_str(), verdict_tone(a)),
                        ),
                    ]
                })
                .collect(),
        }));
    }
    for (title, list, map) in [
        ("New findings", &new, input.map),
        ("Resolved findings (base map)", &resolved, base.map),
    ] {
        if !list.is_empty() {
            blocks.push(Block::Heading(title.to_string()));
            blocks.push(Block::Table(Table {
                columns: finding_columns(),
                rows: finding_rows(list, map),
            }));
        }
    }
    Some(Section::new("Changes since the base map", blocks).on_new_page())
}
