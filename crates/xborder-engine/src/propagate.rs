//! Which regimes' data each entity holds: labels propagated along flows to a fixed point.
//!
//! Data carries the regime it started under through every later hop (GDPR Art. 44,
//! "including for onward transfers"). A regime's data starts at data subjects in its
//! territory and at every entity established there (GDPR Art. 3(1)); a flow carries, of
//! each regime its exporter holds, the categories it lists. Labels are bitsets of
//! categories per (entity, regime); a worklist adds bits until nothing changes. Each bit
//! is added at most once, so the work is O((entities + flows) × regimes × categories/64),
//! whatever the cycles — no path is ever enumerated.

use std::collections::VecDeque;
use std::collections::hash_map::{Entry, HashMap};

use foldhash::fast::RandomState;

use chrono::NaiveDate;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;
use xborder_law::Rulebook;
use xborder_model::{EntityIx, EntityKind, Flow, Map, Text};

use crate::bitset::Bits;

/// The result of propagation.
#[derive(Debug, Clone)]
pub struct Labels {
    /// Indices into `Rulebook::regimes` of the regimes that restrict transfers.
    pub regimes: Vec<usize>,
    /// The category universe: every category a flow names, in first-seen order.
    pub categories: Vec<String>,
    flow_bits: Vec<Bits>,
    /// The label of each entity under each regime slot, at `entity * regimes.len() + slot`:
    /// one list rather than a list per entity and field, so that judging a hop, which reads
    /// all of its exporter's label, finds it in one place (a million-flow map's flows name
    /// their entities in no order, and each list read was a cache miss).
    labels: Vec<Label>,
}

/// What propagation learns of one entity under one regime.
#[derive(Debug, Clone)]
struct Label {
    /// The categories of the regime's data the entity holds.
    held: Bits,
    /// The flow that first brought the regime to the entity (breadth-first: fewest hops).
    first_flow: Option<usize>,
    /// The exporter of `first_flow`: a witness path is walked back through these alone,
    /// not through the flows, which a large map lists in no order (a cache miss a step).
    from: EntityIx,
    /// Where the entity's witness path starts and how many flows it has. First-arrival
    /// flows form a tree and are set once, so both are fixed when `first_flow` is.
    root: EntityIx,
    depth: u32,
    /// Whether the regime starts at the entity (subjects in, or entity established in, its
    /// territory).
    origin: bool,
}

/// A witness path: the entities from where a regime's data starts to an entity. Paths longer
/// than [`WITNESS_MAX`] keep their start and their last entities; `omitted` says how many
/// were left out between them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Witness {
    pub entities: Vec<EntityIx>,
    pub omitted: usize,
}

/// Most entities a witness path lists. An auditor reads the start (the people or the
/// establishment the data comes from) and the last hops; listing every entity of a chain of
/// thousands would make the result quadratic in the map's size.
pub const WITNESS_MAX: usize = 32;

impl Labels {
    /// Categories of regime slot `slot` that `flow` carries.
    pub fn carried(&self, flow: &Flow, slot: usize) -> Bits {
        match (self.label(flow.from, slot), self.flow_bits.get(flow.index)) {
            (Some(label), Some(bits)) => label.held.and(bits),
            _ => Bits::default(),
        }
    }

    /// The label of `entity` under regime slot `slot`.
    fn label(&self, entity: EntityIx, slot: usize) -> Option<&Label> {
        let slots = self.regimes.len();
        if slot >= slots {
            return None;
        }
        self.labels.get(position(entity, slot, slots)?)
    }

    /// Names of the categories in `bits`.
    pub fn category_names(&self, bits: &Bits) -> Vec<&str> {
        bits.iter()
            .filter_map(|i| self.categories.get(i).map(String::as_str))
            .collect()
    }

    /// Names of the categories of regime slot `slot` that `entity` holds.
    pub fn held(&self, entity: EntityIx, slot: usize) -> Vec<String> {
        self.label(entity, slot)
            .map(|label| {
                self.category_names(&label.held)
                    .into_iter()
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Whether the regime starts at `entity` rather than arriving through a flow.
    pub fn is_origin(&self, entity: EntityIx, slot: usize) -> bool {
        self.label(entity, slot).is_some_and(|label| label.origin)
    }

    /// The flow through which the regime first reached `entity`, if it did not start there.
    pub fn arrived_through(&self, entity: EntityIx, slot: usize) -> Option<usize> {
        self.label(entity, slot)?.first_flow
    }

    /// Witness path: entities from where the regime's data starts to `entity`, at most
    /// [`WITNESS_MAX`] of them. O(`WITNESS_MAX`) whatever the path's length.
    pub fn witness(&self, entity: EntityIx, slot: usize) -> Witness {
        let label = self.label(entity, slot);
        let depth = label.map_or(0, |label| label.depth as usize);
        let root = label.map_or(entity, |label| label.root);
        // Walk up at most WITNESS_MAX - 1 flows; a longer path gets its root in front.
        let steps = if depth < WITNESS_MAX {
            depth
        } else {
            WITNESS_MAX - 2
        };
        let mut entities = Vec::with_capacity(steps + 2);
        entities.push(entity);
        let mut at = entity;
        for _ in 0..steps {
            match self.label(at, slot).filter(|l| l.first_flow.is_some()) {
                Some(label) => {
                    at = label.from;
                    entities.push(at);
                }
                None => break,
            }
        }
        let omitted = (depth + 1).saturating_sub(entities.len() + 1);
        if omitted > 0 {
            entities.push(root);
        }
        entities.reverse();
        Witness { entities, omitted }
    }
}

/// Where the label of `entity` under regime slot `slot` (of `slots`) is in [`Labels`]' list:
/// each entity's labels side by side, in slot order.
fn position(entity: EntityIx, slot: usize, slots: usize) -> Option<usize> {
    entity.checked_mul(slots)?.checked_add(slot)
}

/// Where regime `regime` starts on `date`: data subjects in its territory (a country, a
/// subdivision, or a region wholly inside it) and entities established there.
pub fn is_origin(
    rulebook: &Rulebook,
    regime: &str,
    kind: EntityKind,
    country: &str,
    date: NaiveDate,
) -> bool {
    if rulebook.region(country).is_some() {
        return kind == EntityKind::Subjects && rulebook.region_in_territory(country, regime, date);
    }
    // A subdivision lies inside its country (`place_within`), so the whole code is tested:
    // `US-CA` is inside a territory naming `US` and inside one naming `US-CA`.
    rulebook.in_territory(regime, country, date)
}

/// The ISO 3166-1 part of a country or subdivision code (`US-CA` → `US`). A plain scan of
/// the few bytes: judging asks it several times a hop, and the general string searcher was
/// a twenty-fifth of judging a large map.
pub fn country_of(code: &str) -> &str {
    match code.bytes().position(|b| b == b'-') {
        Some(dash) => &code[..dash],
        None => code,
    }
}

/// Propagates regime labels over the map's flows as of `date`, for the regimes that restrict
/// transfers on that date: a regime's transfer rules bind only while one of its periods is in
/// force (EU data before Directive 95/46/EC applied, 24 Oct 1998, carried no restriction).
pub fn propagate(map: &Map, rulebook: &Rulebook, date: NaiveDate) -> Labels {
    propagate_regimes(map, rulebook, date, |r| {
        r.restricts_transfers
            && (r.periods.is_empty()
                || r.periods
                    .iter()
                    .any(|p| xborder_law::Dated::validity(p).contains(date)))
    })
}

/// Propagates the labels of the regimes `keep` selects (e.g. all of them, to learn which
/// entities hold data under a regime that asks for contract terms rather than transfer tools).
pub fn propagate_regimes(
    map: &Map,
    rulebook: &Rulebook,
    date: NaiveDate,
    keep: impl Fn(&xborder_law::Regime) -> bool,
) -> Labels {
    let regimes: Vec<usize> = rulebook
        .regimes
        .iter()
        .enumerate()
        .filter(|(_, r)| keep(r))
        .map(|(i, _)| i)
        .collect();

    let (categories, flow_bits) = category_bits(map);
    let width = categories.len();

    // One node per entity, one edge per flow carrying its categories. petgraph lists a
    // node's edges newest first, and the worklist takes them in that order, on which every
    // witness path depends: each entity's flows are added together and in file order, so
    // that each entity lists its own in reverse file order, as when all flows were added in
    // file order, but from one stretch of memory rather than from all over a list of a
    // million flows.
    let mut graph: DiGraph<(), (usize, Bits)> =
        DiGraph::with_capacity(map.entities.len(), map.flows.len());
    for _ in &map.entities {
        graph.add_node(());
    }
    for i in by_exporter(map) {
        let flow = &map.flows[i];
        graph.add_edge(
            NodeIndex::new(flow.from),
            NodeIndex::new(flow.to),
            (flow.index, flow_bits[flow.index].clone()),
        );
    }

    let slots = regimes.len();
    let mut labels: Vec<Label> = (0..map.entities.len())
        .flat_map(|e| {
            std::iter::repeat_with(move || Label {
                held: Bits::empty(width),
                first_flow: None,
                from: e,
                root: e,
                depth: 0,
                origin: false,
            })
            .take(slots)
        })
        .collect();
    // Every entity and slot here has a label: an index past the list cannot come out.
    let at = |entity: EntityIx, slot: usize| position(entity, slot, slots).unwrap_or(usize::MAX);
    let mut queue = VecDeque::new();
    let mut queued = vec![false; map.entities.len()];

    // Data subjects are queued before established entities, so that a witness path starts,
    // where it can, with the people the data is about.
    let mut seeding: Vec<(EntityIx, &xborder_model::Entity)> =
        map.entities.iter().enumerate().collect();
    seeding.sort_by_key(|(e, entity)| (entity.kind != EntityKind::Subjects, *e));
    // Where each regime starts depends only on the place and on whether the entity is data
    // subjects: a map has few distinct places and many entities, so ask the rulebook once
    // per place.
    let mut origins: std::collections::HashMap<(&str, bool), Vec<bool>> =
        std::collections::HashMap::new();
    for (e, entity) in seeding {
        let subjects = entity.kind == EntityKind::Subjects;
        let starts = origins
            .entry((entity.country.as_str(), subjects))
            .or_insert_with(|| {
                regimes
                    .iter()
                    .map(|&r| {
                        let regime = &rulebook.regimes[r].id;
                        is_origin(rulebook, regime, entity.kind, &entity.country, date)
                    })
                    .collect()
            });
        for (slot, &starts_here) in starts.iter().enumerate() {
            if starts_here {
                let label = &mut labels[at(e, slot)];
                label.held = Bits::full(width);
                label.origin = true;
                if !queued[e] {
                    queued[e] = true;
                    queue.push_back(e);
                }
            }
        }
    }

    while let Some(e) = queue.pop_front() {
        queued[e] = false;
        for edge in graph.edges(NodeIndex::new(e)) {
            let (flow, ref bits) = *edge.weight();
            let to = edge.target().index();
            for slot in 0..slots {
                let from = &labels[at(e, slot)];
                let carried = from.held.and(bits);
                if carried.is_empty() {
                    continue;
                }
                let (from_root, from_depth) = (from.root, from.depth);
                let label = &mut labels[at(to, slot)];
                // An entity where the regime starts anyway (established in the territory)
                // still records the data subjects it collects from, so that its witness
                // paths begin with the people the data is about. Subjects receive no flows,
                // so this cannot close a cycle.
                if label.origin
                    && label.first_flow.is_none()
                    && map.entities[e].kind == EntityKind::Subjects
                {
                    label.first_flow = Some(flow);
                    label.from = e;
                    label.root = e;
                    label.depth = 1;
                }
                if label.held.union_with(&carried) {
                    if !label.origin && label.first_flow.is_none() {
                        label.first_flow = Some(flow);
                        label.from = e;
                        label.root = from_root;
                        label.depth = from_depth.saturating_add(1);
                    }
                    if !queued[to] {
                        queued[to] = true;
                        queue.push_back(to);
                    }
                }
            }
        }
    }

    Labels {
        regimes,
        categories,
        flow_bits,
        labels,
    }
}

/// The category universe (every category a flow names, in first-seen order) and each flow's
/// categories as a set over it.
fn category_bits(map: &Map) -> (Vec<String>, Vec<Bits>) {
    // Each category's number found by the address of its text: the flows share a few dozen
    // category texts, and hashing and comparing every name of every flow, twice, was a
    // quarter of propagation on a million flows. Sound as `Lasting` is: the texts are the
    // map's, borrowed for this whole function, so no address changes hands meanwhile.
    let address = |c: &Text| (c.as_ptr() as usize, c.len());
    let mut categories: Vec<String> = Vec::new();
    let mut by_contents: HashMap<&str, usize, RandomState> = HashMap::default();
    let mut by_address: HashMap<(usize, usize), usize, RandomState> = HashMap::default();
    for flow in &map.flows {
        for c in &flow.data {
            if let Entry::Vacant(vacant) = by_address.entry(address(c)) {
                let number = *by_contents.entry(c.as_str()).or_insert_with(|| {
                    categories.push(c.to_string());
                    categories.len() - 1
                });
                vacant.insert(number);
            }
        }
    }
    let width = categories.len();
    let flow_bits = map
        .flows
        .iter()
        .map(|flow| {
            let mut bits = Bits::empty(width);
            for c in &flow.data {
                if let Some(&i) = by_address.get(&address(c)) {
                    bits.insert(i);
                }
            }
            bits
        })
        .collect();
    (categories, flow_bits)
}

/// The indices of the map's flows whose two entities exist, grouped by exporter (in entity
/// order) and in file order within each exporter: a counting sort, two passes over the flows.
fn by_exporter(map: &Map) -> Vec<usize> {
    let entities = map.entities.len();
    let counted = |flow: &&Flow| flow.from < entities && flow.to < entities;
    // `next[e]`: where the next flow of entity `e` goes.
    let mut next = vec![0usize; entities + 1];
    for flow in map.flows.iter().filter(counted) {
        next[flow.from + 1] += 1;
    }
    for e in 1..next.len() {
        next[e] += next[e - 1];
    }
    let mut order = vec![0; next[entities]];
    for (i, flow) in map.flows.iter().enumerate().filter(|(_, f)| counted(f)) {
        order[next[flow.from]] = i;
        next[flow.from] += 1;
    }
    order
}
