//! The data-flow figure of a large map, a level up from its entities: one node per kind of
//! entity in a country (its companies, vendors, partners, authorities, data subjects), and
//! one edge per pair of such nodes standing for all the flows between them, with their
//! number and the worst verdict of their hops.
//!
//! A generated or real group map of thousands of flows spreads over a long tail of
//! countries, and every pair of nodes exchanges some flow. So the countries with the most
//! flows are drawn each as a group, the others folded into one group, and the pairs with the
//! most flows are drawn, as many as a page can show; the caption says how much is left out,
//! and the transfer register lists every hop.

use std::collections::{BTreeMap, BTreeSet};

use xborder_engine::Verdict;
use xborder_model::{EntityKind, Map};
use xborder_pdf::{FigureEdge, FigureGroup, FigureNode, FlowFigure};

use super::AuditInput;
use super::figure::{
    edge_tone, kind_plural, legend, place_title, verdict_words, worse, worst_by_flow,
};

/// Most nodes (kinds of entity in a country) the overview draws.
const MAX_NODES: usize = 24;
/// Most edges (pairs of nodes) the overview draws.
const MAX_EDGES: usize = 36;

/// Where an entity is drawn: a country's code, or the group of the other countries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Place<'a> {
    Country(&'a str),
    Others,
}

/// A node of the overview: a place and a kind of entity.
type NodeKey<'a> = (Place<'a>, u8);

/// A stable rank for each kind, data subjects first, so nodes sort the same way every time.
fn kind_rank(kind: EntityKind) -> u8 {
    match kind {
        EntityKind::Subjects => 0,
        EntityKind::Company => 1,
        EntityKind::Partner => 2,
        EntityKind::Vendor => 3,
        EntityKind::Authority => 4,
    }
}

const KINDS: [EntityKind; 5] = [
    EntityKind::Subjects,
    EntityKind::Company,
    EntityKind::Partner,
    EntityKind::Vendor,
    EntityKind::Authority,
];

/// The places drawn as groups of their own: the most flows first, as many as keep the nodes
/// (their kinds, and those of the other places folded together) within [`MAX_NODES`].
fn kept_places<'a>(map: &'a Map, used: &[bool]) -> BTreeSet<&'a str> {
    let mut flows_at: BTreeMap<&str, usize> = BTreeMap::new();
    let mut kinds_at: BTreeMap<&str, BTreeSet<u8>> = BTreeMap::new();
    for f in &map.flows {
        for e in [f.from, f.to] {
            *flows_at
                .entry(map.entities[e].country.as_str())
                .or_default() += 1;
        }
    }
    for (e, _) in map.entities.iter().zip(used).filter(|(_, u)| **u) {
        kinds_at
            .entry(e.country.as_str())
            .or_default()
            .insert(kind_rank(e.kind));
    }
    let mut ranked: Vec<(&str, usize)> = flows_at.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let mut kept = BTreeSet::new();
    for (k, &(place, _)) in ranked.iter().enumerate() {
        let own: usize = kept
            .iter()
            .chain([&place])
            .map(|p| kinds_at.get(p).map_or(0, BTreeSet::len))
            .sum();
        let folded: BTreeSet<u8> = ranked[k + 1..]
            .iter()
            .flat_map(|(p, _)| kinds_at.get(p).into_iter().flatten().copied())
            .collect();
        if own + folded.len() > MAX_NODES {
            break;
        }
        kept.insert(place);
    }
    kept
}

/// One pair of nodes and the flows between them.
#[derive(Default)]
struct Pair {
    flows: usize,
    worst: Option<Verdict>,
}

/// The overview figure of a map with more entities than the entity figure draws.
pub(super) fn figure(input: &AuditInput<'_>, used: &[bool], links: usize) -> FlowFigure {
    let map = input.map;
    let kept = kept_places(map, used);
    let place = |e: usize| {
        let country = map.entities[e].country.as_str();
        if kept.contains(country) {
            Place::Country(country)
        } else {
            Place::Others
        }
    };
    let node = |e: usize| -> NodeKey<'_> { (place(e), kind_rank(map.entities[e].kind)) };
    // Entities per node, and the places folded into the others.
    let mut members: BTreeMap<NodeKey<'_>, usize> = BTreeMap::new();
    let mut folded: BTreeSet<&str> = BTreeSet::new();
    for (i, e) in map.entities.iter().enumerate().filter(|(i, _)| used[*i]) {
        *members.entry(node(i)).or_default() += 1;
        if place(i) == Place::Others {
            folded.insert(e.country.as_str());
        }
    }
    let worst = worst_by_flow(map, input.evaluation);
    let mut pairs: BTreeMap<(NodeKey<'_>, NodeKey<'_>), Pair> = BTreeMap::new();
    let mut within: BTreeMap<NodeKey<'_>, usize> = BTreeMap::new();
    for f in &map.flows {
        let (a, b) = (node(f.from), node(f.to));
        if a == b {
            *within.entry(a).or_default() += 1;
            continue;
        }
        let pair = pairs.entry((a, b)).or_default();
        pair.flows += 1;
        pair.worst = worse(pair.worst, worst.get(f.index).copied().flatten());
    }
    // The pairs with the most flows, the worse verdict first on a tie.
    let mut ranked: Vec<(&(NodeKey<'_>, NodeKey<'_>), &Pair)> = pairs.iter().collect();
    ranked.sort_by(|a, b| {
        b.1.flows
            .cmp(&a.1.flows)
            .then(badness(b.1.worst).cmp(&badness(a.1.worst)))
            .then(a.0.cmp(b.0))
    });
    let shown = &ranked[..ranked.len().min(MAX_EDGES)];
    let left_out: usize = ranked[shown.len()..].iter().map(|(_, p)| p.flows).sum();
    let id = |(place, kind): NodeKey<'_>| match place {
        Place::Country(c) => format!("{c}/{kind}"),
        Place::Others => format!("others/{kind}"),
    };
    let name = |(place, kind): NodeKey<'_>| {
        let kind = kind_plural(KINDS[usize::from(kind)]);
        match place {
            Place::Country(c) => format!("{c} {kind}"),
            Place::Others => format!("other countries' {kind}"),
        }
    };
    let edges = shown
        .iter()
        .map(|&(&(a, b), p)| FigureEdge {
            from: id(a),
            to: id(b),
            label: format!(
                "{} → {}: {} flows — {}",
                name(a),
                name(b),
                p.flows,
                verdict_words(p.worst)
            ),
            tone: edge_tone(p.worst),
        })
        .collect();
    let mut groups: BTreeMap<Place<'_>, Vec<FigureNode>> = BTreeMap::new();
    for (&key, &count) in &members {
        let inside = within.get(&key).copied().unwrap_or(0);
        let mut label = count_of(count, KINDS[usize::from(key.1)]);
        if inside > 0 {
            label.push_str(&format!(" ({inside} flows among them)"));
        }
        groups
            .entry(key.0)
            .or_default()
            .push(FigureNode { id: id(key), label });
    }
    let groups = groups
        .into_iter()
        .map(|(place, nodes)| FigureGroup {
            label: match place {
                Place::Country(c) => place_title(input.rulebook, c),
                Place::Others => format!("Other places · {} countries and regions", folded.len()),
            },
            nodes,
        })
        .collect();
    FlowFigure {
        caption: caption(
            input,
            (used.iter().filter(|u| **u).count(), links),
            kept.len(),
            pairs.len(),
            shown.len(),
            left_out,
        ),
        groups,
        edges,
        legend: legend(),
        alt: String::new(),
    }
}

/// `n` entities of a kind, in words: "1 vendor", "12 vendors", "3 groups of data subjects".
fn count_of(n: usize, kind: EntityKind) -> String {
    let one = match kind {
        EntityKind::Company => "company",
        EntityKind::Vendor => "vendor",
        EntityKind::Partner => "partner",
        EntityKind::Authority => "authority",
        EntityKind::Subjects => "group of data subjects",
    };
    match (n, kind) {
        (1, _) => format!("1 {one}"),
        (_, EntityKind::Subjects) => format!("{n} groups of data subjects"),
        _ => format!("{n} {}", kind_plural(kind)),
    }
}

fn badness(v: Option<Verdict>) -> u8 {
    v.map_or(0, |v| v.badness() + 1)
}

/// What the overview shows and what it leaves to the register.
fn caption(
    input: &AuditInput<'_>,
    (entities, links): (usize, usize),
    places: usize,
    pairs: usize,
    shown: usize,
    left_out: usize,
) -> String {
    let mut text = format!(
        "Data flows of {} by country and kind of entity, as of {}: each box is the entities of one kind in a country, each edge all the flows from one box to another, numbered in the key with their count and coloured by the worst verdict of their hops. The map has {entities} entities with flows and {links} pairs of exporter and importer, too many to draw one by one; the {places} places with the most flows have a group each, the others share one.",
        input.organisation, input.evaluation.as_of,
    );
    if shown < pairs {
        text.push_str(&format!(
            " The {shown} pairs of boxes with the most flows are drawn; the other {} pairs, with {left_out} flows, are not.",
            pairs - shown
        ));
    }
    text.push_str(" The transfer register lists every hop.");
    text
}
