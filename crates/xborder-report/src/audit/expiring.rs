//! Expiring mechanisms: the hops whose verdict gets worse within the horizon after the as-of
//! date, with the day it happens.

use xborder_pdf::{Block, Cell, Column, Section, Table, Tone};

use super::{AuditInput, verdict_tone};

/// One row per expiring hop, or a note that nothing expires within the horizon.
pub(super) fn expiring(input: &AuditInput<'_>) -> Section {
    let mut blocks = vec![Block::Paragraph(format!(
        "Hops whose verdict gets worse within {} days after {} — a certification or agreement ending, an SCC grandfathering period closing, an adequacy decision's sunset — with the day it happens.",
        input.horizon_days, input.evaluation.as_of
    ))];
    if input.expiring.is_empty() {
        blocks.push(Block::Callout {
            tone: Tone::Good,
            text: "Nothing expires within the horizon.".to_string(),
        });
    } else {
        let rows = input
            .expiring
            .iter()
            .map(|e| {
                vec![
                    Cell::new(e.date.to_string()),
                    Cell::new(format!(
                        "{} {} → {}",
                        e.id.as_deref()
                            .map_or_else(|| format!("flow {}", e.flow), str::to_string),
                        e.from,
                        e.to
                    )),
                    Cell::new(format!("{} → {}", e.regime, e.destination)),
                    Cell::new(e.mechanism.clone().unwrap_or_default()),
                    Cell::toned(format!("{} → {}", e.before, e.after), verdict_tone(e.after)),
                    Cell::new(xborder_engine::codes_text(&e.codes)),
                ]
            })
            .collect();
        blocks.push(Block::Table(Table {
            columns: vec![
                Column::new("From", 1.6),
                Column::new("Hop", 4.0),
                Column::new("Regime", 2.0),
                Column::new("Basis now", 1.8),
                Column::new("Verdict", 2.4),
                Column::new("Codes", 1.6),
            ],
            rows,
        }));
    }
    Section::new("Expiring mechanisms", blocks).on_new_page()
}
