//! The data-flow figure: every entity with flows, grouped by country or region, and one
//! edge per exporter and importer, standing for all the flows between them, coloured by the
//! worst verdict of their hops. Beyond [`FIGURE_MAX_ENTITIES`] entities or
//! [`FIGURE_MAX_EDGES`] edges the map is drawn a level up, by country and kind of entity
//! (`overview`).
//!
//! A group is always titled by its place's code and name ("DE · Germany"), the renderer
//! wrapping what does not fit its column; a place with many entities is split by kind, the
//! kind on a line of its own under the same title.

use std::collections::{BTreeMap, BTreeSet};

use xborder_engine::{Evaluation, Verdict};
use xborder_law::Rulebook;
use xborder_model::{EntityKind, Map};
use xborder_pdf::{Block, FigureEdge, FigureGroup, FigureNode, FlowFigure, Section, Tone};

use super::{AuditInput, overview, verdict_tone};

/// Most entities the data-flow figure draws one by one. Beyond that a page cannot show them
/// legibly, and laying out the edges between them grows with the square of their number:
/// the figure shows countries and kinds of entity instead.
pub const FIGURE_MAX_ENTITIES: usize = 120;

/// Most edges (pairs of exporter and importer) the figure draws one by one: a page of more
/// is a thicket of lines whatever their layout, and the figure is drawn a level up instead.
pub const FIGURE_MAX_EDGES: usize = 120;

/// A place with more entities than this is split into one group per kind of entity, so that
/// no column runs off the page.
const SPLIT_PLACE_OVER: usize = 8;

/// The worst verdict of every flow's hops, by flow index (`None`: no hop of a restricting
/// regime).
pub(super) fn worst_by_flow(map: &Map, evaluation: &Evaluation) -> Vec<Option<Verdict>> {
    let mut worst: Vec<Option<Verdict>> = vec![None; map.flows.len()];
    for h in &evaluation.hops {
        if let Some(slot) = worst.get_mut(h.flow) {
            *slot = Some(match *slot {
                Some(v) if v.badness() >= h.verdict.badness() => v,
                _ => h.verdict,
            });
        }
    }
    worst
}

/// The worse of two verdicts.
pub(super) fn worse(a: Option<Verdict>, b: Option<Verdict>) -> Option<Verdict> {
    match (a, b) {
        (Some(x), Some(y)) => Some(if y.badness() > x.badness() { y } else { x }),
        (x, None) => x,
        (None, y) => y,
    }
}

/// A verdict in words, or that no regime restricts the flow.
pub(super) fn verdict_words(v: Option<Verdict>) -> &'static str {
    v.map_or("no restricted regime", Verdict::as_str)
}

/// The tone of an edge whose worst verdict is `v`.
pub(super) fn edge_tone(v: Option<Verdict>) -> Tone {
    v.map_or(Tone::Muted, verdict_tone)
}

/// The legend every data-flow figure shares.
pub(super) fn legend() -> Vec<(Tone, String)> {
    vec![
        (Tone::Bad, "unlawful".into()),
        (Tone::Caution, "conditional".into()),
        (Tone::Good, "lawful".into()),
        (Tone::Muted, "not a transfer / no restricted regime".into()),
    ]
}

/// A place's title: its code and its name (a country's or subdivision's ISO name, a region's
/// rulebook name without the explanation in brackets), or the code alone for a place neither
/// knows.
pub(super) fn place_title(rulebook: &Rulebook, place: &str) -> String {
    xborder_law::place_name(place)
        .or_else(|| {
            rulebook
                .region(place)
                .map(|r| r.name.split(" (").next().unwrap_or(&r.name))
        })
        .map_or_else(|| place.to_string(), |name| format!("{place} · {name}"))
}

/// A kind of entity in the plural, as a group's second line and the overview's nodes say it.
pub(super) fn kind_plural(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::Company => "companies",
        EntityKind::Vendor => "vendors",
        EntityKind::Partner => "partners",
        EntityKind::Authority => "authorities",
        EntityKind::Subjects => "data subjects",
    }
}

/// The figure of the map's flows, entity by entity, or by country and kind for a large map.
pub(super) fn figure(input: &AuditInput<'_>) -> Section {
    let map = input.map;
    let mut used = vec![false; map.entities.len()];
    for f in &map.flows {
        used[f.from] = true;
        used[f.to] = true;
    }
    let drawn = used.iter().filter(|u| **u).count();
    let pairs: BTreeSet<(usize, usize)> = map.flows.iter().map(|f| (f.from, f.to)).collect();
    let places = map
        .entities
        .iter()
        .zip(&used)
        .filter(|(_, u)| **u)
        .map(|(e, _)| e.country.as_str())
        .collect::<BTreeSet<_>>()
        .len();
    let overview = drawn > FIGURE_MAX_ENTITIES || pairs.len() > FIGURE_MAX_EDGES;
    let mut figure = if overview {
        overview::figure(input, &used, pairs.len())
    } else {
        FlowFigure {
            caption: format!(
                "Data flows of {} grouped by country or region, as of {}: one edge per exporter and importer, numbered in the key with the flows it stands for, and coloured by the worst verdict of their hops.",
                input.organisation, input.evaluation.as_of
            ),
            groups: groups(map, input.rulebook, &used),
            edges: edges(input),
            legend: legend(),
            alt: String::new(),
        }
    };
    figure.alt = alt_text(&figure, drawn, places, overview);
    Section::new("Data-flow figure", vec![Block::Figure(figure)])
        .on_new_page()
        .without_heading()
}

/// The figure in words, for a reader who cannot see it (its `/Alt` text, ISO 32000-1
/// §14.9.3): how many entities in how many places, what the boxes stand for, and how many
/// edges of each colour of the legend.
fn alt_text(figure: &FlowFigure, entities: usize, places: usize, overview: bool) -> String {
    let boxes: usize = figure.groups.iter().map(|g| g.nodes.len()).sum();
    // A split place's title has the kind on a second line.
    let groups: Vec<String> = figure
        .groups
        .iter()
        .map(|g| g.label.replace('\n', ", "))
        .collect();
    let tallies: Vec<String> = figure
        .legend
        .iter()
        .map(|(tone, label)| {
            let n = figure.edges.iter().filter(|e| e.tone == *tone).count();
            format!("{n} {label}")
        })
        .collect();
    let what = if overview {
        format!(
            "{entities} entities in {places} countries or regions, drawn as {boxes} boxes, one per place and kind of entity, in {} groups ({})",
            groups.len(),
            groups.join(", ")
        )
    } else {
        format!(
            "{entities} entities in {places} countries or regions, drawn in {} groups ({})",
            groups.len(),
            groups.join(", ")
        )
    };
    format!(
        "Data-flow diagram: {what}; {} edges between them, by the worst verdict of their hops: {}. Each edge is numbered and listed in the key below the figure.",
        figure.edges.len(),
        tallies.join(", ")
    )
}

/// One group per country or region of the entities with flows; a place with many entities is
/// split by kind of entity.
fn groups(map: &Map, rulebook: &Rulebook, used: &[bool]) -> Vec<FigureGroup> {
    let drawn = || map.entities.iter().enumerate().filter(|(i, _)| used[*i]);
    let mut per_place: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, e) in drawn() {
        *per_place.entry(e.country.as_str()).or_default() += 1;
    }
    // Keyed by place, then kind (for a split place), so groups of one place stay together.
    let mut groups: BTreeMap<(&str, Option<&str>), Vec<FigureNode>> = BTreeMap::new();
    for (_, e) in drawn() {
        let place = e.country.as_str();
        let split = per_place.get(place).copied().unwrap_or(0) > SPLIT_PLACE_OVER;
        groups
            .entry((place, split.then(|| kind_plural(e.kind))))
            .or_default()
            .push(FigureNode {
                id: e.id.clone(),
                label: e.name.clone(),
            });
    }
    groups
        .into_iter()
        .map(|((place, kind), nodes)| {
            let title = place_title(rulebook, place);
            FigureGroup {
                label: kind.map_or_else(|| title.clone(), |k| format!("{title}\n{k}")),
                nodes,
            }
        })
        .collect()
}

/// One edge per exporter and importer, in the order of their first flow, labelled with the
/// flows between them (by id) and the worst verdict of their hops, and coloured by it.
fn edges(input: &AuditInput<'_>) -> Vec<FigureEdge> {
    let map = input.map;
    let worst = worst_by_flow(map, input.evaluation);
    let mut pairs: Vec<((usize, usize), Vec<usize>)> = Vec::new();
    let mut index: BTreeMap<(usize, usize), usize> = BTreeMap::new();
    for f in &map.flows {
        let at = *index.entry((f.from, f.to)).or_insert_with(|| {
            pairs.push(((f.from, f.to), Vec::new()));
            pairs.len() - 1
        });
        pairs[at].1.push(f.index);
    }
    pairs
        .into_iter()
        .map(|((from, to), flows)| {
            let verdict = flows
                .iter()
                .fold(None, |acc, &f| worse(acc, worst.get(f).copied().flatten()));
            let (from, to) = (&map.entities[from].id, &map.entities[to].id);
            let names: Vec<String> = flows
                .iter()
                .map(|&f| {
                    map.flows[f]
                        .id
                        .as_deref()
                        .map_or_else(|| format!("flow {f}"), str::to_string)
                })
                .collect();
            // The edge shows who sends to whom: the key names the flows and the verdict.
            let label = format!("{} — {}", names.join(", "), verdict_words(verdict));
            FigureEdge {
                from: from.clone(),
                to: to.clone(),
                label,
                tone: edge_tone(verdict),
            }
        })
        .collect()
}
