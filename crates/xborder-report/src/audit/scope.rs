//! Scope and criteria: what the audit covers (the map, its regimes) and, for each regime,
//! the rulebook entries in force on the as-of date with their citations.

use xborder_law::InForce;
use xborder_pdf::{Block, Cell, Column, Section, Table};

use super::AuditInput;

/// The scope paragraphs and one criteria table per regime the map carries.
pub(super) fn scope(input: &AuditInput<'_>) -> Section {
    let map = input.map;
    let eval = input.evaluation;
    let regimes: Vec<&str> = {
        let mut r: Vec<&str> = eval.hops.iter().map(|h| h.regime.as_str()).collect();
        r.sort_unstable();
        r.dedup();
        r
    };
    let mut blocks = vec![
        Block::Paragraph(format!(
            "The audit covers the data map {} of {} ({} entities, {} flows, {} agreement(s)). Every flow is followed for each regime whose data it carries; each hop is judged for each country in which the importer processes the data. Regimes carried by the map on {}: {}.",
            input.map_file,
            input.organisation,
            map.entities.len(),
            map.flows.len(),
            map.agreements.len(),
            eval.as_of,
            if regimes.is_empty() {
                "none".to_string()
            } else {
                regimes.join(", ")
            }
        )),
        Block::Paragraph(format!(
            "Criteria: the rulebook {} entries in force on {} for those regimes, listed below with their citations. Entries the rulebook marks as unconfirmed (its sources do not settle them) are relied on only with a warning (XB014).",
            input.rulebook.manifest.version, eval.as_of
        )),
    ];
    for regime in &regimes {
        let f = input.rulebook.in_force(eval.as_of, Some(regime));
        blocks.push(Block::Heading(format!("Criteria in force for {regime}")));
        blocks.push(Block::Table(criteria_table(&f)));
    }
    Section::new("Scope and criteria", blocks).on_new_page()
}

/// The entries in force for one regime: the regime itself, adequacy and framework
/// decisions, bridges, SCC, transfer tools, onward-transfer rules, transfer rules
/// (exemptions, thresholds, prerequisites, restricted destinations) and advisories.
fn criteria_table(f: &InForce) -> Table {
    let mut rows = Vec::new();
    for r in &f.regimes {
        rows.push(vec![
            Cell::new("regime"),
            Cell::new(format!("{} — {}", r.id, r.name)),
            Cell::new(format!(
                "{}; territory: {}",
                r.period.as_deref().unwrap_or("not in force"),
                r.territory.join(" ")
            )),
            Cell::new(r.citation.clone().unwrap_or_default()),
        ]);
    }
    rows.extend(decision_rows(f));
    for b in &f.bridges {
        rows.push(vec![
            Cell::new("bridge"),
            Cell::new(format!("{} → {}", b.id, b.destination)),
            Cell::new(b.name.clone()),
            Cell::new(b.citation.clone()),
        ]);
    }
    for s in &f.scc {
        rows.push(vec![
            Cell::new("SCC"),
            Cell::new(format!("{} {}", s.version, s.name)),
            Cell::new(format!("{:?}; modules: {}", s.status, s.modules.join("; ")).to_lowercase()),
            Cell::new(s.citation.clone()),
        ]);
    }
    for t in &f.tools {
        rows.push(vec![
            Cell::new(t.kind.clone()),
            Cell::new(t.name.clone()),
            Cell::new(if t.grounds.is_empty() {
                format!("{:?}", t.effect).to_lowercase()
            } else {
                t.grounds
                    .iter()
                    .map(|g| g.ground.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            }),
            Cell::new(t.citation.clone()),
        ]);
    }
    for o in &f.onward {
        rows.push(vec![
            Cell::new(format!("onward rule: {}", o.instrument)),
            Cell::new(o.name.clone()),
            Cell::new(o.grounds.join("; ")),
            Cell::new(o.citation.clone()),
        ]);
    }
    for r in &f.transfer_rules {
        let (kind, what) = r.effect_parts();
        let when = r.when.as_deref().unwrap_or("every transfer");
        rows.push(vec![
            Cell::new(kind),
            Cell::new(r.name.clone()),
            Cell::new(format!("{what}; when: {when}")),
            Cell::new(r.citation.clone()),
        ]);
    }
    for a in &f.advisories {
        rows.push(vec![
            Cell::new(format!("advisory {}", a.code)),
            Cell::new(a.id.clone()),
            Cell::new(a.message.clone()),
            Cell::new(a.citation.clone()),
        ]);
    }
    Table {
        columns: vec![
            Column::new("Kind", 1.3),
            Column::new("Entry", 3.0),
            Column::new("Scope / status", 4.0),
            Column::new("Citation", 4.0),
        ],
        rows,
    }
}

/// Adequacy and framework decisions, one row per decision. Decisions that differ only in
/// their destination (the UK and Swiss lists name each country with the same instrument)
/// share one row.
fn decision_rows(f: &InForce) -> Vec<Vec<Cell>> {
    let mut groups: Vec<(&str, &str, &str, &str, Vec<String>)> = Vec::new();
    for a in f.adequacy.iter().chain(&f.frameworks) {
        let kind = if a.framework.is_some() {
            "framework"
        } else {
            "adequacy"
        };
        let destination = a
            .destination
            .clone()
            .unwrap_or_else(|| "organisation".to_string());
        match groups
            .iter_mut()
            .find(|g| g.0 == kind && g.2 == a.scope && g.3 == a.citation)
        {
            Some(g) => g.4.push(destination),
            None => groups.push((
                kind,
                a.reference.as_str(),
                a.scope.as_str(),
                a.citation.as_str(),
                vec![destination],
            )),
        }
    }
    groups
        .into_iter()
        .map(|(kind, reference, scope, citation, destinations)| {
            vec![
                Cell::new(kind),
                Cell::new(format!("{reference}\n→ {}", destinations.join(", "))),
                Cell::new(scope),
                Cell::new(citation),
            ]
        })
        .collect()
}
