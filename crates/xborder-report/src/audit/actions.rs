//! What to do: the open findings grouped by what fixes them, the actions that cover the most
//! hops first. A finding's remedy is the rulebook's text for its code (or its regime's own), so
//! findings with the same remedy are one piece of work however many flows they are on; each
//! finding of the findings section refers to its action instead of repeating the remedy.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use xborder_engine::Finding;
use xborder_law::Severity;
use xborder_model::Map;
use xborder_pdf::{Align, Block, Cell, Column, Section, Table, Tone};

use super::{AuditInput, severity_tone};

/// How many flows an action lists by name before it counts the rest.
const FLOWS_NAMED: usize = 12;

/// One remedy and the open findings it fixes.
#[derive(Debug)]
pub(crate) struct Action<'a> {
    /// The remedy, as the findings state it.
    pub remedy: &'a str,
    /// The worst severity among its findings.
    pub severity: Severity,
    /// Findings per code and severity.
    pub codes: BTreeMap<(&'a str, std::cmp::Reverse<Severity>), usize>,
    /// How many distinct hops its findings are on.
    pub hops: usize,
    /// Those hops: (flow, regime, destination).
    on: BTreeSet<(usize, &'a str, &'a str)>,
    /// The flows, by number.
    pub flows: BTreeSet<usize>,
    /// The importers of those flows, by entity index.
    pub importers: BTreeSet<usize>,
}

/// A finding that asks for work: an error or a warning no risk acceptance covers.
pub(crate) fn is_open(f: &Finding) -> bool {
    f.accepted.is_none() && f.severity != Severity::Info
}

/// The open findings grouped by remedy: most hops first, then errors before warnings, then
/// by remedy, so that the order is the same for the same inputs.
pub(crate) fn plan<'a>(findings: &'a [Finding], map: &Map) -> Vec<Action<'a>> {
    let mut by_remedy: HashMap<&str, Action<'a>> = HashMap::new();
    for f in findings.iter().filter(|f| is_open(f)) {
        let action = by_remedy.entry(&f.remediation).or_insert_with(|| Action {
            remedy: &f.remediation,
            severity: f.severity,
            codes: BTreeMap::new(),
            hops: 0,
            on: BTreeSet::new(),
            flows: BTreeSet::new(),
            importers: BTreeSet::new(),
        });
        action.severity = action.severity.max(f.severity);
        *action
            .codes
            .entry((f.code.as_str(), std::cmp::Reverse(f.severity)))
            .or_default() += 1;
        action.on.insert((f.flow, &f.regime, &f.destination));
        action.flows.insert(f.flow);
        if let Some(flow) = map.flows.get(f.flow) {
            action.importers.insert(flow.to);
        }
    }
    let mut actions: Vec<Action<'a>> = by_remedy
        .into_values()
        .map(|mut action| {
            action.hops = action.on.len();
            action
        })
        .collect();
    actions.sort_by(|a, b| {
        b.hops
            .cmp(&a.hops)
            .then(b.severity.cmp(&a.severity))
            .then(a.remedy.cmp(b.remedy))
    });
    actions
}

/// The label of action `index` (0-based): `A1`, `A2`, …
pub(crate) fn label(index: usize) -> String {
    format!("A{}", index + 1)
}

/// Each remedy's action label, for the findings that refer to it.
pub(crate) fn labels<'a>(actions: &[Action<'a>]) -> HashMap<&'a str, String> {
    actions
        .iter()
        .enumerate()
        .map(|(i, a)| (a.remedy, label(i)))
        .collect()
}

/// A flow as the report names it: `3 support` (number and id) or `flow 3`.
fn flow_name(map: &Map, flow: usize) -> String {
    map.flows
        .get(flow)
        .and_then(|f| f.id.as_deref())
        .map_or_else(|| format!("flow {flow}"), |id| format!("{flow} {id}"))
}

/// The "What to do" section, after the executive summary.
pub(super) fn actions(input: &AuditInput<'_>) -> Section {
    let map = input.map;
    let plan = plan(&input.evaluation.findings, map);
    let mut blocks = vec![Block::Paragraph(
        "The open findings (errors and warnings that no risk acceptance covers), grouped by what fixes them: the actions that cover the most hops come first. Each finding in the Findings section names its action.".to_string(),
    )];
    if plan.is_empty() {
        blocks.push(Block::Callout {
            tone: Tone::Good,
            text: "Nothing to do: no open error or warning.".to_string(),
        });
        return Section::new("What to do", blocks).on_new_page();
    }
    let rows = plan
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let codes: Vec<String> = a
                .codes
                .iter()
                .map(|((code, severity), n)| format!("{code} {} ×{n}", severity.0.as_str()))
                .collect();
            let mut named: Vec<String> = a
                .flows
                .iter()
                .take(FLOWS_NAMED)
                .map(|&f| flow_name(map, f))
                .collect();
            if a.flows.len() > FLOWS_NAMED {
                named.push(format!("and {} more", a.flows.len() - FLOWS_NAMED));
            }
            vec![
                Cell::toned(label(i), severity_tone(a.severity)),
                Cell::new(a.hops.to_string()),
                Cell::new(a.flows.len().to_string()),
                Cell::new(a.importers.len().to_string()),
                Cell::new(codes.join("\n")),
                Cell::new(format!("{}\nFlows: {}", a.remedy, named.join(", "))),
            ]
        })
        .collect();
    blocks.push(Block::Table(Table {
        columns: vec![
            Column::new("Action", 1.1),
            Column::new("Hops", 0.9).align(Align::Right),
            Column::new("Flows", 0.9).align(Align::Right),
            Column::new("Importers", 1.4).align(Align::Right),
            Column::new("Findings", 2.4),
            Column::new("What to do, and on which flows", 7.0),
        ],
        rows,
    }));
    Section::new("What to do", blocks).on_new_page()
}
