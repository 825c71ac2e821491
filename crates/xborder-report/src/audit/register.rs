//! The transfer register: one row per hop with its exporter and importer, regime,
//! destination, data, the mechanism that decided it and its verdict.

use chrono::NaiveDate;
use xborder_engine::Hop;
use xborder_model::Map;
use xborder_pdf::{Block, Cell, Column, Section, Table};

use super::{AuditInput, entity_label, verdict_tone};

/// A date, or a dash for none.
fn date(d: Option<NaiveDate>) -> String {
    d.map_or_else(|| "—".to_string(), |d| d.to_string())
}

/// The claimed mechanism of a hop in words: kind, version, module, dates, agreement.
fn mechanism_detail(map: &Map, hop: &Hop) -> String {
    let Some(flow) = map.flows.get(hop.flow) else {
        return String::new();
    };
    let Some(kind) = hop.mechanism.as_deref() else {
        return "none".to_string();
    };
    let agreement = flow.agreement.and_then(|a| map.agreements.get(a));
    let claimed = flow
        .mechanisms
        .iter()
        .chain(agreement.iter().flat_map(|a| a.mechanisms.iter()))
        .find(|m| m.kind_name() == kind);
    let mut text = claimed.map_or_else(|| kind.to_string(), |m| m.describe());
    if let Some(a) = agreement
        && claimed.is_some_and(|m| a.mechanisms.contains(m))
    {
        text.push_str(&format!(
            "; agreement {} signed {}, expires {}",
            a.id,
            date(a.signed),
            date(a.expires)
        ));
    }
    text
}

/// Every hop of the evaluation, in its order.
pub(super) fn register(input: &AuditInput<'_>) -> Section {
    let map = input.map;
    let rows: Vec<Vec<Cell>> = input
        .evaluation
        .hops
        .iter()
        .map(|h| {
            vec![
                Cell::new(
                    h.id.clone()
                        .map_or_else(|| format!("{}", h.flow), |id| format!("{} {id}", h.flow)),
                ),
                Cell::new(format!(
                    "{} → {}",
                    entity_label(map, &h.from),
                    entity_label(map, &h.to)
                )),
                Cell::new(h.regime.clone()),
                Cell::new(h.destination.clone()),
                Cell::new(h.categories.join(", ")),
                Cell::new(mechanism_detail(map, h)),
                Cell::toned(h.verdict.as_str(), verdict_tone(h.verdict)),
            ]
        })
        .collect();
    let table = Table {
        columns: vec![
            Column::new("Flow", 2.0),
            Column::new("Exporter → importer", 3.7),
            Column::new("Regime", 1.4),
            Column::new("Dest.", 1.1),
            Column::new("Data", 2.3),
            Column::new("Mechanism", 3.2),
            Column::new("Verdict", 1.6),
        ],
        rows,
    };
    Section::new(
        "Transfer register",
        vec![
            Block::Paragraph("One row per hop: a flow, a regime its data carries, and a destination country. The mechanism column shows the basis that decided the verdict with its contract dates; \"none\" means no mechanism was claimed or none applies.".to_string()),
            Block::Table(table),
        ],
    )
    .on_new_page()
}
