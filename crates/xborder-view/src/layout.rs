//! Where everything is drawn: one box per country or region, its entities inside in rows,
//! one band per kind of entity (data subjects, companies, partners, vendors, authorities),
//! and the boxes packed in shelves, largest first. Computed here rather than in the page so
//! that the page carries its coordinates and the same map always looks the same.
//!
//! A box's area grows with its number of entities and nothing moves when a country is
//! expanded or collapsed in the page: collapsing only hides the entities and draws the flows
//! from box to box.

use std::collections::BTreeMap;

use xborder_model::{EntityKind, Map};

/// An entity's box.
pub const NODE_W: u32 = 150;
pub const NODE_H: u32 = 26;
const GAP_X: u32 = 12;
const GAP_Y: u32 = 10;
const PAD: u32 = 14;
/// The country's title above its entities.
const HEADER_H: u32 = 34;
/// The label of a kind's band.
const KIND_H: u32 = 18;
/// Between boxes.
const BOX_GAP: u32 = 48;
/// A box is at least this wide, for its title.
const MIN_BOX_W: u32 = 2 * PAD + NODE_W;
/// Boxes aim for this width-to-height ratio.
const ASPECT: f64 = 1.6;
/// And the whole drawing for this one: about the map's panel on a wide screen.
const DRAWING_ASPECT: f64 = 2.0;

/// The kinds in the order their bands are drawn: where data starts first.
pub const KINDS: [EntityKind; 5] = [
    EntityKind::Subjects,
    EntityKind::Company,
    EntityKind::Partner,
    EntityKind::Vendor,
    EntityKind::Authority,
];

pub fn kind_index(kind: EntityKind) -> usize {
    KINDS.iter().position(|k| *k == kind).unwrap_or(0)
}

/// One country's box.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupBox {
    pub country: String,
    pub x: u32,
    pub y: u32,
    pub w: u32,
    pub h: u32,
    /// The bands: kind (index into [`KINDS`]) and the top of its label.
    pub bands: Vec<(usize, u32)>,
    /// Its entities, in drawing order.
    pub entities: Vec<usize>,
}

/// The whole drawing.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    pub width: u32,
    pub height: u32,
    pub groups: Vec<GroupBox>,
    /// Per entity of the map: its group and the top-left corner of its box.
    pub nodes: Vec<(usize, u32, u32)>,
}

/// Lays out every entity of `map`.
pub fn layout(map: &Map) -> Layout {
    let mut by_country: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, e) in map.entities.iter().enumerate() {
        by_country.entry(e.country.as_str()).or_default().push(i);
    }
    let mut groups: Vec<GroupBox> = by_country
        .into_iter()
        .map(|(country, members)| inner(map, country, members))
        .collect();
    // Largest first, then by code: the shelves fill evenly and the order is stable.
    groups.sort_by(|a, b| {
        b.h.cmp(&a.h)
            .then(b.w.cmp(&a.w))
            .then_with(|| a.country.cmp(&b.country))
    });
    let (width, height) = pack(&mut groups);
    let mut nodes = vec![(0, 0, 0); map.entities.len()];
    for (g, group) in groups.iter_mut().enumerate() {
        place_nodes(map, g, group, &mut nodes);
    }
    Layout {
        width,
        height,
        groups,
        nodes,
    }
}

/// Columns of entities for a box of `n`: about [`ASPECT`] wide for high.
fn columns(n: usize) -> u32 {
    let cell_w = f64::from(NODE_W + GAP_X);
    let cell_h = f64::from(NODE_H + GAP_Y);
    let cols = (n as f64 * ASPECT * cell_h / cell_w).sqrt().ceil();
    (cols as u32).clamp(1, 24)
}

/// A country's box at the origin: its size and bands, its entities sorted by kind and id.
fn inner(map: &Map, country: &str, mut members: Vec<usize>) -> GroupBox {
    members.sort_by(|&a, &b| {
        let (ea, eb) = (&map.entities[a], &map.entities[b]);
        (kind_index(ea.kind), &ea.id).cmp(&(kind_index(eb.kind), &eb.id))
    });
    let cols = columns(members.len());
    let mut bands = Vec::new();
    let mut y = HEADER_H;
    let mut start = 0;
    while start < members.len() {
        let kind = kind_index(map.entities[members[start]].kind);
        let count = members[start..]
            .iter()
            .take_while(|&&e| kind_index(map.entities[e].kind) == kind)
            .count();
        bands.push((kind, y));
        let rows = u32::try_from(count.div_ceil(cols as usize)).unwrap_or(1);
        y += KIND_H + rows * (NODE_H + GAP_Y);
        start += count;
    }
    let used_cols = cols.min(u32::try_from(members.len()).unwrap_or(1)).max(1);
    GroupBox {
        country: country.to_string(),
        x: 0,
        y: 0,
        w: (2 * PAD + used_cols * NODE_W + (used_cols - 1) * GAP_X).max(MIN_BOX_W),
        h: y + PAD - GAP_Y,
        bands,
        entities: members,
    }
}

/// Packs the boxes in shelves (rows) left to right, as wide as a screen-shaped drawing of
/// their total area, and returns the drawing's size.
fn pack(groups: &mut [GroupBox]) -> (u32, u32) {
    let area: f64 = groups
        .iter()
        .map(|g| f64::from(g.w + BOX_GAP) * f64::from(g.h + BOX_GAP))
        .sum();
    let widest = groups.iter().map(|g| g.w).max().unwrap_or(MIN_BOX_W);
    let limit = ((area * DRAWING_ASPECT).sqrt() as u32).max(widest);
    let (mut x, mut y, mut shelf_h, mut width) = (0u32, 0u32, 0u32, 0u32);
    for g in groups.iter_mut() {
        if x > 0 && x + g.w > limit {
            y += shelf_h + BOX_GAP;
            x = 0;
            shelf_h = 0;
        }
        g.x = x;
        g.y = y;
        x += g.w + BOX_GAP;
        shelf_h = shelf_h.max(g.h);
        width = width.max(g.x + g.w);
    }
    (width.max(1), (y + shelf_h).max(1))
}

/// The entities' boxes inside group `g`, band by band, row by row.
fn place_nodes(map: &Map, g: usize, group: &GroupBox, nodes: &mut [(usize, u32, u32)]) {
    let cols = columns(group.entities.len()) as usize;
    let mut band = 0;
    let mut in_band = 0;
    for &e in &group.entities {
        let kind = kind_index(map.entities[e].kind);
        while band + 1 < group.bands.len() && group.bands[band].0 != kind {
            band += 1;
            in_band = 0;
        }
        let top = group.bands.get(band).map_or(HEADER_H, |b| b.1) + KIND_H;
        let (row, col) = ((in_band / cols) as u32, (in_band % cols) as u32);
        nodes[e] = (
            g,
            group.x + PAD + col * (NODE_W + GAP_X),
            group.y + top + row * (NODE_H + GAP_Y),
        );
        in_band += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boxes_do_not_overlap_and_hold_their_entities() {
        let groups: Vec<GroupBox> = [1usize, 3, 17, 266, 2, 40]
            .iter()
            .enumerate()
            .map(|(i, &n)| GroupBox {
                country: format!("C{i}"),
                x: 0,
                y: 0,
                w: 2 * PAD + columns(n).min(n as u32) * (NODE_W + GAP_X),
                h: HEADER_H + (n as u32).div_ceil(columns(n)) * (NODE_H + GAP_Y),
                bands: Vec::new(),
                entities: Vec::new(),
            })
            .collect();
        let mut packed = groups.clone();
        let (w, h) = pack(&mut packed);
        for (i, a) in packed.iter().enumerate() {
            assert!(a.x + a.w <= w && a.y + a.h <= h);
            for b in &packed[i + 1..] {
                let apart =
                    a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y;
                assert!(apart, "{} and {} overlap", a.country, b.country);
            }
        }
    }
}
