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

/// Every hop of the evaluation, in its order. The hops of one flow follow each other: the
/// first names the flow and its exporter and importer, the others leave them blank, and data
/// or a mechanism the same as the hop above is said to be so, so a flow of many hops takes a
/// few short rows instead of many tall ones.
pub(super) fn register(input: &AuditInput<'_>) -> Section {
    let map = input.map;
    let hops = &input.evaluation.hops;
    let rows: Vec<Vec<Cell>> = hops
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let above = i
                .checked_sub(1)
                .and_then(|j| hops.get(j))
                .filter(|a| a.flow == h.flow);
            let flow = match above {
                Some(_) => String::new(),
                None => format!(
                    "{}\n{} → {}",
                    h.id.clone()
                        .map_or_else(|| format!("{}", h.flow), |id| format!("{} {id}", h.flow)),
                    entity_label(map, &h.from),
                    entity_label(map, &h.to)
                ),
            };
            let data = match above {
                Some(a) if a.categories == h.categories => "as above".to_string(),
                _ => h.categories.join(", "),
            };
            let mechanism = mechanism_detail(map, h);
            let mechanism = match above {
                Some(a) if a.mechanism == h.mechanism && mechanism_detail(map, a) == mechanism => {
                    "as above".to_string()
                }
                _ => mechanism,
            };
            vec![
                Cell::new(flow),
                Cell::new(format!("{} → {}", h.regime, h.destination)),
                Cell::new(data),
                Cell::new(mechanism),
                Cell::toned(h.verdict.as_str(), verdict_tone(h.verdict)),
            ]
        })
        .collect();
    let table = Table {
        columns: vec![
            Column::new("Flow: exporter → importer", 4.6),
            Column::new("Regime → dest.", 1.9),
            Column::new("Data", 3.1),
            Column::new("Mechanism", 3.0),
            Column::new("Verdict", 1.5),
        ],
        rows,
    };
    Section::new(
        "Transfer register",
        vec![
            Block::Paragraph("One row per hop: a flow, a regime its data carries, and a destination country; the hops of one flow follow each other under its first row. The mechanism column shows the basis that decided the verdict with its contract dates; \"none\" means no mechanism was claimed or none applies.".to_string()),
            Block::Table(table),
        ],
    )
    .on_new_page()
}
