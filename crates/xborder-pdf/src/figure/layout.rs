//! Figure layout: group columns and bands, node order and node boxes, and
//! the two layout passes that size corridors and channels from the lanes
//! their edges need. Routing the edges is `route`'s, numbering them
//! `badges`'.

use std::collections::BTreeMap;

use super::{
    BAND_GAP, Diagram, GAP, GROUP_PAD_BOTTOM, GROUP_PAD_X, GroupBox, HEADER_H, LANE_X, LANE_Y,
    MAX_GAP, MAX_ROW_GAP, MIN_COL_W, MIN_GAP, MIN_ROW_GAP, NODE_MAX_LINES, NODE_PAD_X, NODE_PAD_Y,
    NODE_TEXT, Node, PREFERRED_COL_W, ROW_GAP, Rect, badges, route,
};
use crate::RenderError;
use crate::fonts::{Face, Fonts};
use crate::model::FlowFigure;
use crate::text::wrap_clamped;

/// Every node's global index by id; fails on a duplicate id or an edge to
/// an unknown node.
fn validate(fig: &FlowFigure) -> Result<BTreeMap<&str, usize>, RenderError> {
    let mut ids = BTreeMap::new();
    for node in fig.groups.iter().flat_map(|g| &g.nodes) {
        let next = ids.len();
        if ids.insert(node.id.as_str(), next).is_some() {
            return Err(RenderError::DuplicateFigureNode(node.id.clone()));
        }
    }
    for edge in &fig.edges {
        for id in [&edge.from, &edge.to] {
            if !ids.contains_key(id.as_str()) {
                return Err(RenderError::UnknownFigureNode(id.clone()));
            }
        }
    }
    Ok(ids)
}

/// Order nodes inside each group by the mean position of their neighbours.
fn order_nodes(fig: &FlowFigure, ids: &BTreeMap<&str, usize>, n_cols: usize) -> Vec<Vec<usize>> {
    // Global node index -> group, and each group's node list in input order.
    let mut rows: Vec<Vec<usize>> = Vec::with_capacity(fig.groups.len());
    let mut next = 0;
    for g in &fig.groups {
        rows.push((next..next + g.nodes.len()).collect());
        next += g.nodes.len();
    }
    let edges: Vec<(usize, usize)> = fig
        .edges
        .iter()
        .filter_map(|e| Some((*ids.get(e.from.as_str())?, *ids.get(e.to.as_str())?)))
        .filter(|(a, b)| a != b)
        .collect();
    let mut pos = vec![0.0f32; next];
    let set_pos = |rows: &Vec<Vec<usize>>, pos: &mut Vec<f32>| {
        for (g, row) in rows.iter().enumerate() {
            let band = (g / n_cols.max(1)) as f32;
            for (r, &n) in row.iter().enumerate() {
                pos[n] = band * 1000.0 + r as f32;
            }
        }
    };
    set_pos(&rows, &mut pos);
    for _ in 0..4 {
        for row in rows.iter_mut() {
            let mut keyed: Vec<(f32, usize)> = row
                .iter()
                .map(|&n| {
                    let (sum, count) = edges
                        .iter()
                        .filter_map(|&(a, b)| {
                            if a == n {
                                Some(pos[b])
                            } else if b == n {
                                Some(pos[a])
                            } else {
                                None
                            }
                        })
                        .fold((0.0f32, 0usize), |(s, c), p| (s + p, c + 1));
                    let key = if count == 0 {
                        pos[n]
                    } else {
                        sum / count as f32
                    };
                    (key, n)
                })
                .collect();
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0));
            *row = keyed.into_iter().map(|(_, n)| n).collect();
        }
        set_pos(&rows, &mut pos);
    }
    rows
}

/// Corridor widths and channel heights used by one layout pass.
pub(super) struct Gaps {
    /// Width of each corridor, left to right (`n_cols + 1` entries).
    corridors: Vec<f32>,
    /// Height of each channel, in creation order (band by band, top down).
    channels: Vec<f32>,
}

impl Gaps {
    /// Width of corridor `k`.
    pub(super) fn corridor(&self, k: usize) -> f32 {
        self.corridors.get(k).copied().unwrap_or(GAP)
    }

    fn channel(&self, k: usize, default: f32) -> f32 {
        self.channels.get(k).copied().unwrap_or(default)
    }

    /// Left edge of corridor `k`.
    pub(super) fn corridor_left(&self, k: usize, col_w: f32) -> f32 {
        (0..k).map(|j| self.corridor(j)).sum::<f32>() + k as f32 * col_w
    }
}

/// Lane counts observed in a layout pass.
struct Usage {
    corridors: Vec<usize>,
    channels: Vec<usize>,
}

/// Lay the figure out twice: once with uniform gaps to count how many lanes
/// every corridor and channel needs, then with gaps sized to those counts,
/// so busy corridors get room and quiet ones give their width to the nodes.
pub(super) fn layout(fig: &FlowFigure, fonts: &Fonts, width: f32) -> Result<Diagram, RenderError> {
    let ids = validate(fig)?;
    let n_groups = fig.groups.len().max(1);
    let fit = ((width - GAP) / (MIN_COL_W + GAP)).floor().max(1.0) as usize;
    let n_cols = fit.min(n_groups);
    let uniform = Gaps {
        corridors: vec![GAP; n_cols + 1],
        channels: Vec::new(),
    };
    let (_, usage) = layout_pass(fig, fonts, width, &ids, n_cols, &uniform);
    let wanted: Vec<f32> = usage
        .corridors
        .iter()
        .map(|&n| (8.0 + n as f32 * LANE_X).clamp(MIN_GAP, MAX_GAP))
        .collect();
    // Never squeeze the columns below their minimum width.
    let budget = (width - n_cols as f32 * PREFERRED_COL_W).max((n_cols + 1) as f32 * MIN_GAP);
    let total: f32 = wanted.iter().sum();
    let shrink = if total > budget && total > 0.0 {
        budget / total
    } else {
        1.0
    };
    let gaps = Gaps {
        corridors: wanted.iter().map(|w| w * shrink).collect(),
        channels: usage
            .channels
            .iter()
            .map(|&n| (8.0 + n as f32 * LANE_Y).clamp(MIN_ROW_GAP, MAX_ROW_GAP))
            .collect(),
    };
    let (diagram, _) = layout_pass(fig, fonts, width, &ids, n_cols, &gaps);
    Ok(diagram)
}

/// The column grid of one layout pass.
#[derive(Debug, Clone, Copy)]
pub(super) struct Grid {
    /// Group columns side by side in a band.
    pub(super) n_cols: usize,
    /// Width of a group column.
    pub(super) col_w: f32,
    /// Width of a node box inside its column.
    node_w: f32,
    /// Height of every node box (that of the longest label).
    node_h: f32,
}

/// Group and node boxes of one layout pass, and the channels between them.
pub(super) struct Placement {
    pub(super) groups: Vec<GroupBox>,
    pub(super) nodes: Vec<Node>,
    /// Top and height of every channel, band by band, top down.
    pub(super) channels: Vec<(f32, f32)>,
    /// Bottom of the last band (the top of the channel below it).
    pub(super) content_bottom: f32,
}

/// One layout pass with the given gaps: place the boxes, route the edges,
/// number them, and count the lanes every corridor and channel needed.
fn layout_pass(
    fig: &FlowFigure,
    fonts: &Fonts,
    width: f32,
    ids: &BTreeMap<&str, usize>,
    n_cols: usize,
    gaps: &Gaps,
) -> (Diagram, Usage) {
    let corridor_total: f32 = (0..=n_cols).map(|k| gaps.corridor(k)).sum();
    let col_w = (width - corridor_total) / n_cols as f32;
    let node_w = col_w - 2.0 * GROUP_PAD_X;
    let (labels, node_h) = node_labels(fig, fonts, node_w);
    let grid = Grid {
        n_cols,
        col_w,
        node_w,
        node_h,
    };
    let order = order_nodes(fig, ids, n_cols);
    let placed = place_boxes(fig, &order, &labels, grid, gaps);

    let mut plans = route::plan_sides(fig, ids, &placed.nodes, n_cols);
    route::assign_ports(&mut plans, &placed.nodes);
    let channel_counts = route::assign_channels(&mut plans, &placed.channels);
    let corridor_counts = route::assign_corridor_lanes(&mut plans, gaps, grid);
    let usage = Usage {
        corridors: corridor_counts,
        channels: channel_counts,
    };
    let routes = route::routes(&plans, fig, &placed.nodes);

    let height = routes
        .iter()
        .flat_map(|r| r.points.iter().map(|p| p.y + 3.0))
        .fold(placed.content_bottom, f32::max);
    let mut diagram = Diagram {
        width,
        height,
        groups: placed.groups,
        nodes: placed.nodes,
        routes,
        badges: Vec::new(),
    };
    badges::place_badges(&mut diagram, fonts);
    (diagram, usage)
}

/// Every node's label wrapped to the node width, in global node order, and
/// the node height that fits the longest of them.
fn node_labels(fig: &FlowFigure, fonts: &Fonts, node_w: f32) -> (Vec<Vec<String>>, f32) {
    let regular = fonts.get(Face::Regular);
    let measure = |c: char| regular.char_em(c) * NODE_TEXT.size;
    let labels: Vec<Vec<String>> = fig
        .groups
        .iter()
        .flat_map(|g| &g.nodes)
        .map(|n| {
            wrap_clamped(
                &n.label,
                node_w - 2.0 * NODE_PAD_X,
                NODE_MAX_LINES,
                &measure,
            )
        })
        .collect();
    let max_lines = labels.iter().map(Vec::len).max().unwrap_or(1).max(1);
    let node_h = max_lines as f32 * NODE_TEXT.leading + 2.0 * NODE_PAD_Y;
    (labels, node_h)
}

/// Place groups and nodes band by band: `n_cols` group columns per band,
/// node rows aligned across the band, a channel between node rows and
/// below every band.
fn place_boxes(
    fig: &FlowFigure,
    order: &[Vec<usize>],
    labels: &[Vec<String>],
    grid: Grid,
    gaps: &Gaps,
) -> Placement {
    let Grid {
        n_cols,
        col_w,
        node_w,
        node_h,
    } = grid;
    let mut nodes: Vec<Option<Node>> = (0..labels.len()).map(|_| None).collect();
    let mut groups = Vec::with_capacity(fig.groups.len());
    let mut channels: Vec<(f32, f32)> = Vec::new();
    let mut band_top = 0.0f32;
    for (band, chunk) in order.chunks(n_cols).enumerate() {
        let rows = chunk.iter().map(Vec::len).max().unwrap_or(0).max(1);
        // Top of every node row in this band; the channels between rows
        // take their height from `gaps`.
        let mut row_tops = Vec::with_capacity(rows);
        let mut y = band_top + HEADER_H;
        for r in 0..rows {
            row_tops.push(y);
            y += node_h;
            if r + 1 < rows {
                let h = gaps.channel(channels.len(), ROW_GAP);
                channels.push((y, h));
                y += h;
            }
        }
        let band_h = y + GROUP_PAD_BOTTOM - band_top;
        for (c, members) in chunk.iter().enumerate() {
            let g = band * n_cols + c;
            let x = gaps.corridor_left(c, col_w) + gaps.corridor(c);
            groups.push(GroupBox {
                label: fig.groups[g].label.clone(),
                rect: Rect {
                    x,
                    y: band_top,
                    w: col_w,
                    h: band_h,
                },
            });
            for (r, &n) in members.iter().enumerate() {
                nodes[n] = Some(Node {
                    group: g,
                    lines: labels[n].clone(),
                    rect: Rect {
                        x: x + GROUP_PAD_X,
                        y: row_tops[r],
                        w: node_w,
                        h: node_h,
                    },
                });
            }
        }
        band_top += band_h;
        let h = gaps.channel(channels.len(), BAND_GAP);
        channels.push((band_top, h));
        band_top += h;
    }
    // Every node was placed: `order` is a permutation of all node indices.
    let nodes: Vec<Node> = nodes.into_iter().flatten().collect();
    let content_bottom = channels.last().map_or(band_top, |(top, _)| *top);
    Placement {
        groups,
        nodes,
        channels,
        content_bottom,
    }
}
