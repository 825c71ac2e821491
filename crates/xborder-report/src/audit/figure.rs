//! The data-flow figure: every entity with flows, grouped by country or region, and every
//! flow as an edge coloured by the worst verdict of its hops; beyond
//! [`FIGURE_MAX_ENTITIES`] a note in its place.

use std::collections::{BTreeMap, BTreeSet};

use xborder_engine::{Hop, Verdict};
use xborder_model::{EntityKind, Map};
use xborder_pdf::{Block, FigureEdge, FigureGroup, FigureNode, FlowFigure, Section, Tone};

use super::{AuditInput, verdict_tone};

/// Most entities the data-flow figure draws. Beyond that a page cannot show them legibly,
/// and laying out the edges between them grows with the square of their number.
pub const FIGURE_MAX_ENTITIES: usize = 120;

/// The worst verdict of some hops, if there are any.
fn worst(hops: &[&Hop]) -> Option<Verdict> {
    hops.iter().map(|h| h.verdict).max_by_key(|v| v.badness())
}

/// The figure of the map's flows, or the note that replaces it for a large map.
pub(super) fn figure(input: &AuditInput<'_>) -> Section {
    let map = input.map;
    let mut used = vec![false; map.entities.len()];
    for f in &map.flows {
        used[f.from] = true;
        used[f.to] = true;
    }
    let drawn = used.iter().filter(|u| **u).count();
    if drawn > FIGURE_MAX_ENTITIES {
        return too_large(map, &used, drawn);
    }
    let mut figure = FlowFigure {
        caption: format!(
            "Data flows of {} grouped by country or region; each edge is coloured by the worst verdict of its hops as of {}.",
            input.organisation, input.evaluation.as_of
        ),
        groups: groups(map, &used),
        edges: edges(input),
        legend: vec![
            (Tone::Bad, "unlawful".into()),
            (Tone::Caution, "conditional".into()),
            (Tone::Good, "lawful".into()),
            (Tone::Muted, "not a transfer / no restricted regime".into()),
        ],
        alt: String::new(),
    };
    figure.alt = alt_text(&figure, countries(map, &used).len());
    Section::new("Data-flow figure", vec![Block::Figure(figure)])
        .on_new_page()
        .without_heading()
}

/// The countries and regions of the entities with flows.
fn countries<'m>(map: &'m Map, used: &[bool]) -> BTreeSet<&'m str> {
    map.entities
        .iter()
        .zip(used)
        .filter(|(_, u)| **u)
        .map(|(e, _)| e.country.as_str())
        .collect()
}

/// The figure in words, for a reader who cannot see it (its `/Alt` text): how many entities
/// in how many places and groups, and how many flows of each colour of the legend.
fn alt_text(figure: &FlowFigure, countries: usize) -> String {
    let entities: usize = figure.groups.iter().map(|g| g.nodes.len()).sum();
    let groups: Vec<&str> = figure.groups.iter().map(|g| g.label.as_str()).collect();
    let tallies: Vec<String> = figure
        .legend
        .iter()
        .map(|(tone, label)| {
            let n = figure.edges.iter().filter(|e| e.tone == *tone).count();
            format!("{n} {label}")
        })
        .collect();
    format!(
        "Data-flow diagram: {entities} entities in {countries} countries or regions, drawn in {} groups ({}); {} flows between them, by the worst verdict of their hops: {}. Each flow is numbered and listed with its verdict in the key below the figure.",
        groups.len(),
        groups.join(", "),
        figure.edges.len(),
        tallies.join(", ")
    )
}

/// The note in place of a figure of `drawn` entities, more than a figure can show.
fn too_large(map: &Map, used: &[bool], drawn: usize) -> Section {
    let countries = countries(map, used);
    Section::new(
        "Data-flow figure",
        vec![Block::Callout {
            tone: Tone::Muted,
            text: format!(
                "The map has {drawn} entities with flows, in {} countries and regions: more than the {FIGURE_MAX_ENTITIES} a figure can show legibly, so none is drawn. The transfer register lists every hop with its verdict and witness path, and the findings give each problem with its location in the map.",
                countries.len()
            ),
        }],
    )
}

/// One group per country or region of the entities with flows; a country with many
/// entities is split by kind of entity, so that no column runs off the page.
fn groups(map: &Map, used: &[bool]) -> Vec<FigureGroup> {
    let mut per_place: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, e) in map.entities.iter().enumerate().filter(|(i, _)| used[*i]) {
        *per_place.entry(e.country.as_str()).or_default() += 1;
    }
    let mut groups: BTreeMap<String, Vec<FigureNode>> = BTreeMap::new();
    for (_, e) in map.entities.iter().enumerate().filter(|(i, _)| used[*i]) {
        let place = e.country.as_str();
        let label = if per_place.get(place).copied().unwrap_or(0) > 8 {
            let kind = match e.kind {
                EntityKind::Company => "company",
                EntityKind::Vendor => "vendors",
                EntityKind::Partner => "partners",
                EntityKind::Authority => "authorities",
                EntityKind::Subjects => "data subjects",
            };
            format!("{place} · {kind}")
        } else {
            // The code, with the name when it fits the column.
            xborder_law::place_name(place)
                .map(|n| format!("{place} · {n}"))
                .filter(|label| label.chars().count() <= 14)
                .unwrap_or_else(|| place.to_string())
        };
        groups.entry(label).or_default().push(FigureNode {
            id: e.id.clone(),
            label: e.name.clone(),
        });
    }
    groups
        .into_iter()
        .map(|(label, nodes)| FigureGroup { label, nodes })
        .collect()
}

/// One edge per flow, labelled with the flow and the worst verdict of its hops and
/// coloured by it.
fn edges(input: &AuditInput<'_>) -> Vec<FigureEdge> {
    let map = input.map;
    let mut by_flow: BTreeMap<usize, Vec<&Hop>> = BTreeMap::new();
    for h in &input.evaluation.hops {
        by_flow.entry(h.flow).or_default().push(h);
    }
    map.flows
        .iter()
        .map(|f| {
            let hops = by_flow.get(&f.index).map(Vec::as_slice).unwrap_or(&[]);
            let verdict = worst(hops);
            let label = format!(
                "{}: {} → {} — {}",
                f.id.as_deref()
                    .map_or_else(|| format!("flow {}", f.index), str::to_string),
                map.entities[f.from].id,
                map.entities[f.to].id,
                verdict.map_or("no restricted regime", Verdict::as_str)
            );
            FigureEdge {
                from: map.entities[f.from].id.clone(),
                to: map.entities[f.to].id.clone(),
                label,
                tone: verdict.map_or(Tone::Muted, verdict_tone),
            }
        })
        .collect()
}
