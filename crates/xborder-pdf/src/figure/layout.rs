//! Figure layout: group columns and bands, node order and node boxes, and
//! the layout passes that size corridors and channels from the lanes their
//! edges need. Where each group goes is `grid`'s, routing the edges
//! `route`'s, numbering them `badges`'.

use std::collections::BTreeMap;

use super::grid::{self, Cell};
use super::{
    BAND_GAP, Channel, Diagram, GAP, GROUP_LABEL_LEADING, GROUP_LABEL_SIZE, GROUP_PAD_BOTTOM,
    GROUP_PAD_X, GroupBox, HEADER_PAD, LANE_MIN, LANE_X, LANE_Y, MAX_GAP, MIN_COL_W, MIN_GAP,
    MIN_PART, MIN_ROW_GAP, NODE_MAX_LINES, NODE_PAD_X, NODE_PAD_Y, NODE_TEXT, Node, PORT_GAP,
    PORT_PAD, PREFERRED_COL_W, ROW_GAP, Rect, badges, route,
};
use crate::RenderError;
use crate::fonts::{Face, Fonts};
use crate::model::FlowFigure;
use crate::text::{wrap, wrap_clamped};

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
#[derive(Debug, Clone, PartialEq)]
struct Usage {
    corridors: Vec<usize>,
    channels: Vec<usize>,
}

impl Usage {
    /// Take the larger count of every corridor and channel from `seen`;
    /// whether any grew.
    fn grow(&mut self, seen: &Usage) -> bool {
        let mut grew = false;
        for (mine, theirs) in [
            (&mut self.corridors, &seen.corridors),
            (&mut self.channels, &seen.channels),
        ] {
            if theirs.len() > mine.len() {
                mine.resize(theirs.len(), 0);
            }
            for (m, t) in mine.iter_mut().zip(theirs) {
                if t > m {
                    *m = *t;
                    grew = true;
                }
            }
        }
        grew
    }
}

/// The column grid of one layout pass.
#[derive(Debug, Clone, Copy)]
pub(super) struct Grid {
    /// Group columns side by side in a band.
    pub(super) n_cols: usize,
    /// Width of a group column.
    pub(super) col_w: f32,
}

/// What a layout with a given number of columns keeps between its passes:
/// the figure's nodes and edges by index, the cell of every group, the
/// order of the nodes in their groups, and how many edges attach to each
/// side of every node.
struct Frame<'a> {
    fig: &'a FlowFigure,
    n_cols: usize,
    parts: Vec<Part>,
    edges: Vec<(usize, usize)>,
    cells: Vec<Cell>,
    order: Vec<Vec<usize>>,
    ports: Vec<[usize; 2]>,
}

/// Lay the figure out with as many group columns as fit the width, or fewer
/// when the lanes of the corridors would not leave the columns room.
pub(super) fn layout(fig: &FlowFigure, fonts: &Fonts, width: f32) -> Result<Diagram, RenderError> {
    let ids = validate(fig)?;
    let edges: Vec<(usize, usize)> = fig
        .edges
        .iter()
        .filter_map(|e| Some((*ids.get(e.from.as_str())?, *ids.get(e.to.as_str())?)))
        .collect();
    let n_nodes = ids.len();
    let fit = ((width - GAP) / (MIN_COL_W + GAP)).floor().max(1.0) as usize;
    // The shortest layout so far that squeezes its lanes, and its height.
    let mut best: Option<(f32, Diagram)> = None;
    for n_cols in (1..=fit.min(fig.groups.len().max(1))).rev() {
        let parts = parts(fig, n_cols, n_nodes);
        let mut node_part = vec![0; n_nodes];
        for (p, part) in parts.iter().enumerate() {
            for &n in &part.nodes {
                node_part[n] = p;
            }
        }
        let links: Vec<(usize, usize)> = edges
            .iter()
            .map(|&(a, b)| (node_part[a], node_part[b]))
            .collect();
        let cells = grid::place_groups(parts.len(), n_cols, &links);
        let node_col: Vec<usize> = node_part.iter().map(|&g| cells[g].col).collect();
        let plans = route::plan_sides(&edges, &node_col);
        let frame = Frame {
            fig,
            n_cols,
            order: order_nodes(&node_part, &parts, &cells, &edges),
            ports: route::port_counts(&plans, n_nodes),
            edges: edges.clone(),
            cells,
            parts,
        };
        let (diagram, room) = frame.layout(fonts, width);
        if room >= 1.0 {
            return Ok(finish(diagram, fonts));
        }
        if best.as_ref().is_none_or(|(h, _)| diagram.height < *h) {
            best = Some((diagram.height, diagram));
        }
    }
    // Every number of columns squeezes the lanes: the shortest layout, which
    // the page shrinks least.
    Ok(finish(best.map_or_else(|| empty(width), |(_, d)| d), fonts))
}

/// A group as drawn: a column of nodes (global indices) under a title.
struct Part {
    title: String,
    nodes: Vec<usize>,
}

/// The groups as columns: a group far longer than the others would make
/// its band, and so the figure, tall and narrow to fit the page, so one
/// with more nodes than an even share of the columns is split into columns
/// of that many nodes, each after the first titled as its continuation.
fn parts(fig: &FlowFigure, n_cols: usize, n_nodes: usize) -> Vec<Part> {
    let share = n_nodes.div_ceil(n_cols.max(1)).max(MIN_PART);
    let mut parts = Vec::with_capacity(fig.groups.len());
    let mut next = 0;
    for g in &fig.groups {
        let nodes: Vec<usize> = (next..next + g.nodes.len()).collect();
        next += g.nodes.len();
        let pieces = nodes.len().div_ceil(share).max(1);
        // Even pieces: 9 nodes in two columns are 5 and 4, not 6 and 3.
        let size = nodes.len().div_ceil(pieces).max(1);
        for (k, chunk) in nodes.chunks(size).enumerate() {
            parts.push(Part {
                title: if k == 0 {
                    g.label.clone()
                } else {
                    format!("{} (continued)", g.label)
                },
                nodes: chunk.to_vec(),
            });
        }
        if nodes.is_empty() {
            parts.push(Part {
                title: g.label.clone(),
                nodes,
            });
        }
    }
    parts
}

/// The diagram with its edges numbered.
fn finish(mut diagram: Diagram, fonts: &Fonts) -> Diagram {
    badges::place_badges(&mut diagram, fonts);
    diagram
}

fn empty(width: f32) -> Diagram {
    Diagram {
        width,
        height: 0.0,
        groups: Vec::new(),
        nodes: Vec::new(),
        routes: Vec::new(),
        badges: Vec::new(),
    }
}

/// Order nodes inside each group by the mean position of their neighbours.
fn order_nodes(
    node_part: &[usize],
    parts: &[Part],
    cells: &[Cell],
    edges: &[(usize, usize)],
) -> Vec<Vec<usize>> {
    let mut rows: Vec<Vec<usize>> = parts.iter().map(|p| p.nodes.clone()).collect();
    let next = node_part.len();
    let edges: Vec<(usize, usize)> = edges.iter().copied().filter(|(a, b)| a != b).collect();
    let mut pos = vec![0.0f32; next];
    let set_pos = |rows: &Vec<Vec<usize>>, pos: &mut Vec<f32>| {
        for row in rows {
            for (r, &n) in row.iter().enumerate() {
                let band = cells[node_part[n]].band as f32;
                pos[n] = band * 1000.0 + r as f32;
            }
        }
    };
    set_pos(&rows, &mut pos);
    // Each node's neighbours, once, so a sweep is linear in the edges.
    let mut neighbours: Vec<Vec<usize>> = vec![Vec::new(); next];
    for &(a, b) in &edges {
        neighbours[a].push(b);
        neighbours[b].push(a);
    }
    for _ in 0..4 {
        for row in rows.iter_mut() {
            let mut keyed: Vec<(f32, usize)> = row
                .iter()
                .map(|&n| {
                    let near = &neighbours[n];
                    let key = if near.is_empty() {
                        pos[n]
                    } else {
                        near.iter().map(|&m| pos[m]).sum::<f32>() / near.len() as f32
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

/// Group and node boxes of one layout pass, and the channels between them.
pub(super) struct Placement {
    pub(super) groups: Vec<GroupBox>,
    pub(super) nodes: Vec<Node>,
    /// Every channel, band by band, top down.
    pub(super) channels: Vec<Channel>,
    /// Bottom of the last band (the top of the channel below it).
    pub(super) content_bottom: f32,
}

impl Frame<'_> {
    /// Size the gaps from the lanes the edges need until a pass needs no
    /// more than the gaps were sized for (five passes at most: every pass
    /// sizes for the most lanes any pass needed, so it settles); with the
    /// share of the closest allowed lane distance the lanes kept (1 or more:
    /// they kept it).
    fn layout(&self, fonts: &Fonts, width: f32) -> (Diagram, f32) {
        let gaps = Gaps {
            corridors: vec![GAP; self.n_cols + 1],
            channels: Vec::new(),
        };
        let (mut diagram, mut needed) = self.pass(fonts, width, &gaps);
        for _ in 0..5 {
            let (gaps, room) = self.size_gaps(&needed, width);
            let (next, seen) = self.pass(fonts, width, &gaps);
            diagram = next;
            if !needed.grow(&seen) {
                return (diagram, room);
            }
        }
        // The lanes never settled: the last pass squeezes some of them.
        (diagram, 0.0)
    }

    /// Corridors as wide as their lanes want, shrunk toward the closest
    /// lanes allowed while the columns are narrower than preferred, and
    /// closer still if the columns would be narrower than their minimum;
    /// with the share of the closest allowed distance the lanes keep.
    fn size_gaps(&self, usage: &Usage, width: f32) -> (Gaps, f32) {
        let least: Vec<f32> = usage
            .corridors
            .iter()
            .map(|&n| ((n + 1) as f32 * LANE_MIN).max(MIN_GAP))
            .collect();
        let wanted: Vec<f32> = usage
            .corridors
            .iter()
            .zip(&least)
            .map(|(&n, &least)| ((n + 1) as f32 * LANE_X).min(MAX_GAP).max(least))
            .collect();
        let cols = self.n_cols as f32;
        let budget = width - cols * PREFERRED_COL_W;
        let (sum_least, sum_wanted) = (least.iter().sum::<f32>(), wanted.iter().sum::<f32>());
        let keep = if sum_wanted <= budget || sum_wanted <= sum_least {
            1.0
        } else {
            ((budget - sum_least) / (sum_wanted - sum_least)).clamp(0.0, 1.0)
        };
        // The share of the least widths the minimum columns leave room for.
        let room = if sum_least > 0.0 {
            (width - cols * MIN_COL_W) / sum_least
        } else {
            1.0
        };
        let squeeze = room.clamp(0.05, 1.0);
        let corridors = least
            .iter()
            .zip(&wanted)
            .map(|(l, w)| (l + (w - l) * keep) * squeeze)
            .collect();
        let channels = usage
            .channels
            .iter()
            .map(|&n| ((n + 1) as f32 * LANE_Y).max(MIN_ROW_GAP))
            .collect();
        (
            Gaps {
                corridors,
                channels,
            },
            room,
        )
    }

    /// One layout pass with the given gaps: place the boxes, route the
    /// edges, and count the lanes every corridor and channel needed.
    fn pass(&self, fonts: &Fonts, width: f32, gaps: &Gaps) -> (Diagram, Usage) {
        let corridor_total: f32 = (0..=self.n_cols).map(|k| gaps.corridor(k)).sum();
        let col_w = ((width - corridor_total) / self.n_cols as f32).max(2.0 * GROUP_PAD_X + 8.0);
        let grid = Grid {
            n_cols: self.n_cols,
            col_w,
        };
        let placed = self.place_boxes(fonts, grid, gaps);
        let node_col: Vec<usize> = placed
            .nodes
            .iter()
            .map(|n| self.cells[n.group].col)
            .collect();
        let mut plans = route::plan_sides(&self.edges, &node_col);
        route::assign_ports(&mut plans, &placed.nodes);
        let channel_counts = route::assign_channels(&mut plans, &placed.channels);
        let corridor_counts = route::assign_corridor_lanes(&mut plans, gaps, grid);
        let usage = Usage {
            corridors: corridor_counts,
            channels: channel_counts,
        };
        let routes = route::routes(&plans, self.fig, &placed.nodes);
        let height = routes
            .iter()
            .flat_map(|r| r.points.iter().map(|p| p.y + 3.0))
            .fold(placed.content_bottom, f32::max);
        let diagram = Diagram {
            width,
            height,
            groups: placed.groups,
            nodes: placed.nodes,
            routes,
            badges: Vec::new(),
        };
        (diagram, usage)
    }

    /// Every node's label wrapped to the node width, in global node order,
    /// the height of the label and the node's height: the whole label, and
    /// room for the edges on its busier side to stay apart.
    fn node_labels(&self, fonts: &Fonts, node_w: f32) -> Vec<(Vec<String>, f32, f32)> {
        let regular = fonts.get(Face::Regular);
        let measure = |c: char| regular.char_em(c) * NODE_TEXT.size;
        self.fig
            .groups
            .iter()
            .flat_map(|g| &g.nodes)
            .zip(&self.ports)
            .map(|(n, ports)| {
                let lines = wrap_clamped(
                    &n.label,
                    node_w - 2.0 * NODE_PAD_X,
                    NODE_MAX_LINES,
                    &measure,
                );
                let text_h = lines.len().max(1) as f32 * NODE_TEXT.leading + 2.0 * NODE_PAD_Y;
                let busiest = ports[0].max(ports[1]);
                let ports_h = busiest as f32 * PORT_GAP + 2.0 * PORT_PAD;
                (lines, text_h, text_h.max(ports_h))
            })
            .collect()
    }

    /// Place groups and nodes band by band: node rows aligned across the
    /// band, each as tall as its tallest node, a channel between node rows
    /// and below every band. The last node of a group does not stretch its
    /// row for its ports (a hub with many edges): it reaches down into the
    /// rows below, empty in its column, and the channels it covers are
    /// closed to edges crossing that column.
    fn place_boxes(&self, fonts: &Fonts, grid: Grid, gaps: &Gaps) -> Placement {
        let col_w = grid.col_w;
        let node_w = col_w - 2.0 * GROUP_PAD_X;
        let labels = self.node_labels(fonts, node_w);
        let bold = fonts.get(Face::Bold);
        let titles: Vec<Vec<String>> = self
            .parts
            .iter()
            .map(|g| {
                wrap(&g.title, col_w - 8.0, &|c| {
                    bold.char_em(c) * GROUP_LABEL_SIZE
                })
            })
            .collect();
        let n_bands = self.cells.iter().map(|c| c.band + 1).max().unwrap_or(1);
        let mut nodes: Vec<Option<Node>> = (0..labels.len()).map(|_| None).collect();
        let mut groups: Vec<Option<GroupBox>> = (0..self.parts.len()).map(|_| None).collect();
        let mut channels: Vec<Channel> = Vec::new();
        let mut band_top = 0.0f32;
        for band in 0..n_bands {
            let members: Vec<usize> = (0..self.parts.len())
                .filter(|&g| self.cells[g].band == band)
                .collect();
            let title_lines = members.iter().map(|&g| titles[g].len()).max().unwrap_or(1);
            let header_h = title_lines.max(1) as f32 * GROUP_LABEL_LEADING + 2.0 * HEADER_PAD;
            let rows = members
                .iter()
                .map(|&g| self.order[g].len())
                .max()
                .unwrap_or(0)
                .max(1);
            // Top of every node row in this band; the channels between rows
            // take their height from `gaps`.
            let first_channel = channels.len();
            let mut row_tops = Vec::with_capacity(rows);
            let mut y = band_top + header_h;
            for r in 0..rows {
                row_tops.push(y);
                y += members
                    .iter()
                    .filter_map(|&g| {
                        let order = &self.order[g];
                        let n = *order.get(r)?;
                        let last = r + 1 == order.len();
                        Some(if last { labels[n].1 } else { labels[n].2 })
                    })
                    .fold(0.0f32, f32::max);
                if r + 1 < rows {
                    let h = gaps.channel(channels.len(), ROW_GAP);
                    channels.push(Channel {
                        top: y,
                        h,
                        closed: Vec::new(),
                    });
                    y += h;
                }
            }
            // The last nodes reaching below their row close the channels they cover.
            for &g in &members {
                let Some(&n) = self.order[g].last() else {
                    continue;
                };
                let top = row_tops[self.order[g].len() - 1];
                let bottom = top + labels[n].2;
                y = y.max(bottom);
                for c in &mut channels[first_channel..] {
                    if c.top < bottom {
                        c.closed.push(self.cells[g].col);
                    }
                }
            }
            let band_h = y + GROUP_PAD_BOTTOM - band_top;
            for &g in &members {
                let c = self.cells[g].col;
                let x = gaps.corridor_left(c, col_w) + gaps.corridor(c);
                groups[g] = Some(GroupBox {
                    lines: titles[g].clone(),
                    header_h,
                    rect: Rect {
                        x,
                        y: band_top,
                        w: col_w,
                        h: band_h,
                    },
                });
                for (r, &n) in self.order[g].iter().enumerate() {
                    nodes[n] = Some(Node {
                        group: g,
                        lines: labels[n].0.clone(),
                        rect: Rect {
                            x: x + GROUP_PAD_X,
                            y: row_tops[r],
                            w: node_w,
                            h: labels[n].2,
                        },
                    });
                }
            }
            band_top += band_h;
            let h = gaps.channel(channels.len(), BAND_GAP);
            channels.push(Channel {
                top: band_top,
                h,
                closed: Vec::new(),
            });
            band_top += h;
        }
        // Every node and group was placed: `order` is a permutation of all
        // node indices, and every group has a cell.
        let nodes: Vec<Node> = nodes.into_iter().flatten().collect();
        let groups: Vec<GroupBox> = groups.into_iter().flatten().collect();
        let content_bottom = channels.last().map_or(band_top, |c| c.top);
        Placement {
            groups,
            nodes,
            channels,
            content_bottom,
        }
    }
}
