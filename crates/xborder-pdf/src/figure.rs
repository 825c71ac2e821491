//! Data-flow figures: grouped nodes and orthogonally routed, coloured edges.
//!
//! Layout, in order:
//! 1. Groups become columns of equal width, left to right, wrapping into
//!    further bands when they do not fit side by side. Node rows are aligned
//!    across all columns of a band, so the spaces between columns
//!    ("corridors") and between node rows ("channels") are free of nodes.
//! 2. Nodes are reordered inside their group with a few barycentre sweeps to
//!    reduce crossings (stable sorts: the result is deterministic).
//! 3. Every edge leaves its source on the side facing the target, runs
//!    vertically in a corridor, horizontally in a channel if it must cross
//!    columns, and enters the target from the side facing the source. Each
//!    edge gets its own lane in every corridor and channel it uses, so lines
//!    run parallel instead of on top of each other, and never through a node.
//! 4. Edges carry a small number (their position in the input); the numbered
//!    labels are listed below the figure, where they can be as long as they
//!    need to be and stay extractable text.
//!
//! The diagram is laid out at its natural size for the text width; if it is
//! taller than a page it is scaled down uniformly to fit.

use std::collections::BTreeMap;

use crate::RenderError;
use crate::canvas::{Canvas, P, Seg};
use crate::flow::{BODY_H, Flow};
use crate::fonts::{Face, Fonts};
use crate::model::{FlowFigure, Tone};
use crate::text::{self, wrap_clamped};
use crate::theme::{
    ACCENT, BODY_W, GROUP_FILL, INK, MARGIN_X, RULE, RULE_STRONG, Rgb, SMALL, SUBTLE, TextStyle,
    WHITE, tone_ink,
};

/// Width of the corridors between (and outside) the group columns in the
/// first layout pass; the second pass sizes each from its lane count.
const GAP: f32 = 20.0;
const MIN_GAP: f32 = 12.0;
const MAX_GAP: f32 = 56.0;
/// Distance between parallel vertical lanes.
const LANE_X: f32 = 2.4;
/// Distance between parallel horizontal lanes.
const LANE_Y: f32 = 3.4;
const MIN_ROW_GAP: f32 = 16.0;
const MAX_ROW_GAP: f32 = 60.0;
/// Extra routing cost per edge already using a channel.
const LOAD_PENALTY: f32 = 12.0;
/// Narrowest acceptable group column (decides how many fit side by side).
const MIN_COL_W: f32 = 66.0;
/// Corridors are only widened while columns stay at least this wide.
const PREFERRED_COL_W: f32 = 78.0;
/// Height of a group's title area.
const HEADER_H: f32 = 17.0;
/// Horizontal inset of nodes inside their group box.
const GROUP_PAD_X: f32 = 6.0;
/// Space below the last node row of a group box.
const GROUP_PAD_BOTTOM: f32 = 7.0;
/// Vertical distance between node rows (a channel for horizontal lanes) in
/// the first layout pass.
const ROW_GAP: f32 = 16.0;
/// Vertical distance between bands, and the channel below the last band.
const BAND_GAP: f32 = 18.0;
/// Node label type.
const NODE_TEXT: TextStyle = TextStyle {
    size: 6.5,
    leading: 7.8,
};
const NODE_PAD_X: f32 = 3.5;
const NODE_PAD_Y: f32 = 4.0;
const NODE_MAX_LINES: usize = 3;
const GROUP_LABEL_SIZE: f32 = 7.5;
const EDGE_W: f32 = 0.75;
const ARROW_LEN: f32 = 4.5;
const ARROW_HALF: f32 = 2.0;
const CORNER: f32 = 3.5;
const BADGE_SIZE: f32 = 5.5;
/// Key and legend type.
const KEY_TEXT: TextStyle = TextStyle {
    size: 7.0,
    leading: 9.2,
};

#[derive(Debug, Clone, Copy, PartialEq)]
struct Rect {
    x: f32,
    y: f32,
    w: f32,
    h: f32,
}

impl Rect {
    fn overlaps(&self, o: &Rect) -> bool {
        self.x < o.x + o.w && o.x < self.x + self.w && self.y < o.y + o.h && o.y < self.y + self.h
    }

    fn tuple(&self, origin: P) -> (f32, f32, f32, f32) {
        (origin.x + self.x, origin.y + self.y, self.w, self.h)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Left,
    Right,
}

struct Node {
    group: usize,
    lines: Vec<String>,
    rect: Rect,
}

struct GroupBox {
    label: String,
    rect: Rect,
}

/// How one edge travels.
struct Plan {
    from: usize,
    to: usize,
    side_from: Side,
    side_to: Side,
    corridor_from: usize,
    corridor_to: usize,
    port_from: f32,
    port_to: f32,
    channel: Option<usize>,
    channel_y: f32,
    lane_from: f32,
    lane_to: f32,
}

/// An edge end attached to one side of a node: (y of the other end, edge
/// index, whether this is the edge's source end).
type PortUser = (f32, usize, bool);

/// A routed edge in diagram coordinates.
struct Route {
    points: Vec<P>,
    tone: Tone,
    number: Option<usize>,
}

/// The laid-out diagram (without legend, key and caption).
struct Diagram {
    width: f32,
    height: f32,
    groups: Vec<GroupBox>,
    nodes: Vec<Node>,
    routes: Vec<Route>,
    badges: Vec<(Rect, usize, Tone)>,
}

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

fn spread(start: f32, len: f32, i: usize, n: usize) -> f32 {
    start + len * (i + 1) as f32 / (n + 1) as f32
}

/// Corridor widths and channel heights used by one layout pass.
struct Gaps {
    /// Width of each corridor, left to right (`n_cols + 1` entries).
    corridors: Vec<f32>,
    /// Height of each channel, in creation order (band by band, top down).
    channels: Vec<f32>,
}

impl Gaps {
    fn corridor(&self, k: usize) -> f32 {
        self.corridors.get(k).copied().unwrap_or(GAP)
    }

    fn channel(&self, k: usize, default: f32) -> f32 {
        self.channels.get(k).copied().unwrap_or(default)
    }

    /// Left edge of corridor `k`.
    fn corridor_left(&self, k: usize, col_w: f32) -> f32 {
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
fn layout(fig: &FlowFigure, fonts: &Fonts, width: f32) -> Result<Diagram, RenderError> {
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
    let regular = fonts.get(Face::Regular);
    let measure = |c: char| regular.char_em(c) * NODE_TEXT.size;

    let order = order_nodes(fig, ids, n_cols);
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

    // Place groups and nodes band by band.
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

    let col_of = |n: usize| nodes[n].group % n_cols;
    let center_y = |n: usize| nodes[n].rect.y + nodes[n].rect.h / 2.0;

    // Sides and corridors.
    let mut plans: Vec<Plan> = fig
        .edges
        .iter()
        .filter_map(|e| {
            let from = *ids.get(e.from.as_str())?;
            let to = *ids.get(e.to.as_str())?;
            let (ca, cb) = (col_of(from), col_of(to));
            let side_from = if cb < ca { Side::Left } else { Side::Right };
            let side_to = if ca < cb { Side::Left } else { Side::Right };
            let corridor = |c: usize, s: Side| if s == Side::Right { c + 1 } else { c };
            Some(Plan {
                from,
                to,
                side_from,
                side_to,
                corridor_from: corridor(ca, side_from),
                corridor_to: corridor(cb, side_to),
                port_from: 0.0,
                port_to: 0.0,
                channel: None,
                channel_y: 0.0,
                lane_from: 0.0,
                lane_to: 0.0,
            })
        })
        .collect();

    // Ports: spread the edges attached to one side of a node along it,
    // ordered by where their other end is, to avoid crossings at the node.
    let mut sides: BTreeMap<(usize, bool), Vec<PortUser>> = BTreeMap::new();
    for (i, p) in plans.iter().enumerate() {
        sides
            .entry((p.from, p.side_from == Side::Right))
            .or_default()
            .push((center_y(p.to), i, true));
        sides
            .entry((p.to, p.side_to == Side::Right))
            .or_default()
            .push((center_y(p.from), i, false));
    }
    for ((node, _), mut users) in sides {
        users.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)).then(b.2.cmp(&a.2)));
        let rect = nodes[node].rect;
        let m = users.len();
        for (k, (_, i, is_from)) in users.into_iter().enumerate() {
            let y = spread(rect.y + 2.0, rect.h - 4.0, k, m);
            if is_from {
                plans[i].port_from = y;
            } else {
                plans[i].port_to = y;
            }
        }
    }

    // Channels for edges that change corridor: the one closest to both ends,
    // with a penalty per edge already using it so the load spreads out.
    let mut channel_users: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, p) in plans.iter_mut().enumerate() {
        if p.corridor_from == p.corridor_to {
            continue;
        }
        let best = channels
            .iter()
            .enumerate()
            .map(|(c, (top, h))| {
                let mid = top + h / 2.0;
                let load = channel_users.get(&c).map_or(0, Vec::len) as f32;
                let cost =
                    (p.port_from - mid).abs() + (mid - p.port_to).abs() + load * LOAD_PENALTY;
                (cost, c)
            })
            .min_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        if let Some((_, c)) = best {
            p.channel = Some(c);
            channel_users.entry(c).or_default().push(i);
        }
    }
    let mut usage = Usage {
        corridors: vec![0; n_cols + 1],
        channels: vec![0; channels.len()],
    };
    for (c, users) in &channel_users {
        usage.channels[*c] = users.len();
    }
    for (c, mut users) in channel_users {
        let (top, h) = channels[c];
        users.sort_by(|&a, &b| {
            let ka = plans[a].corridor_from.min(plans[a].corridor_to);
            let kb = plans[b].corridor_from.min(plans[b].corridor_to);
            ka.cmp(&kb).then(a.cmp(&b))
        });
        let m = users.len();
        for (k, i) in users.into_iter().enumerate() {
            plans[i].channel_y = spread(top, h, k, m);
        }
    }

    // Corridor lanes: one per vertical segment.
    let mut corridor_users: BTreeMap<usize, Vec<(f32, f32, usize, bool)>> = BTreeMap::new();
    for (i, p) in plans.iter().enumerate() {
        match p.channel {
            None => {
                let (lo, hi) = minmax(p.port_from, p.port_to);
                corridor_users
                    .entry(p.corridor_from)
                    .or_default()
                    .push((lo, hi, i, true));
            }
            Some(_) => {
                let (lo, hi) = minmax(p.port_from, p.channel_y);
                corridor_users
                    .entry(p.corridor_from)
                    .or_default()
                    .push((lo, hi, i, true));
                let (lo, hi) = minmax(p.channel_y, p.port_to);
                corridor_users
                    .entry(p.corridor_to)
                    .or_default()
                    .push((lo, hi, i, false));
            }
        }
    }
    for (corridor, mut users) in corridor_users {
        if let Some(count) = usage.corridors.get_mut(corridor) {
            *count = users.len();
        }
        let left = gaps.corridor_left(corridor, col_w);
        let corridor_w = gaps.corridor(corridor);
        users.sort_by(|a, b| {
            a.0.total_cmp(&b.0)
                .then(a.1.total_cmp(&b.1))
                .then(a.2.cmp(&b.2))
        });
        let m = users.len();
        for (k, (_, _, i, first)) in users.into_iter().enumerate() {
            let x = spread(left, corridor_w, k, m);
            if first {
                plans[i].lane_from = x;
                if plans[i].channel.is_none() {
                    plans[i].lane_to = x;
                }
            } else {
                plans[i].lane_to = x;
            }
        }
    }

    let side_x = |n: usize, s: Side| {
        let r = nodes[n].rect;
        if s == Side::Right { r.x + r.w } else { r.x }
    };
    let routes: Vec<Route> = plans
        .iter()
        .zip(&fig.edges)
        .enumerate()
        .map(|(i, (p, e))| {
            let start = P {
                x: side_x(p.from, p.side_from),
                y: p.port_from,
            };
            let end = P {
                x: side_x(p.to, p.side_to),
                y: p.port_to,
            };
            let mut points = vec![
                start,
                P {
                    x: p.lane_from,
                    y: p.port_from,
                },
            ];
            if p.channel.is_some() {
                points.push(P {
                    x: p.lane_from,
                    y: p.channel_y,
                });
                points.push(P {
                    x: p.lane_to,
                    y: p.channel_y,
                });
            }
            points.push(P {
                x: p.lane_to,
                y: p.port_to,
            });
            points.push(end);
            points.dedup_by(|a, b| (a.x - b.x).abs() < 0.01 && (a.y - b.y).abs() < 0.01);
            Route {
                points,
                tone: e.tone,
                number: (!e.label.trim().is_empty()).then_some(i + 1),
            }
        })
        .collect();

    let height = routes
        .iter()
        .flat_map(|r| r.points.iter().map(|p| p.y + 3.0))
        .fold(content_bottom, f32::max);
    let mut diagram = Diagram {
        width,
        height,
        groups,
        nodes,
        routes,
        badges: Vec::new(),
    };
    place_badges(&mut diagram, fonts);
    (diagram, usage)
}

fn minmax(a: f32, b: f32) -> (f32, f32) {
    if a <= b { (a, b) } else { (b, a) }
}

fn badge_size(fonts: &Fonts, number: usize) -> (f32, f32) {
    let w = fonts.width(Face::Bold, &number.to_string(), BADGE_SIZE) + 3.0;
    (w.max(7.0), 7.0)
}

/// Put each edge number on its route where it covers no node, group title
/// or other number; fall back to the middle of the longest segment.
fn place_badges(d: &mut Diagram, fonts: &Fonts) {
    let mut obstacles: Vec<Rect> = d.nodes.iter().map(|n| n.rect).collect();
    obstacles.extend(d.groups.iter().map(|g| Rect {
        x: g.rect.x,
        y: g.rect.y,
        w: g.rect.w,
        h: HEADER_H - 2.0,
    }));
    let mut badges = Vec::new();
    for route in &d.routes {
        let Some(number) = route.number else { continue };
        let (w, h) = badge_size(fonts, number);
        let mut segments: Vec<(P, P, f32)> = route
            .points
            .windows(2)
            .map(|s| {
                (
                    s[0],
                    s[1],
                    (s[1].x - s[0].x).abs() + (s[1].y - s[0].y).abs(),
                )
            })
            .collect();
        // Longest segments first; the sort is stable, so ties keep route order.
        segments.sort_by(|a, b| b.2.total_cmp(&a.2));
        let mut chosen = None;
        'search: for &(a, b, len) in &segments {
            if len < w.max(h) + 2.0 {
                continue;
            }
            for t in [0.5, 0.3, 0.7, 0.15, 0.85] {
                let c = P {
                    x: a.x + (b.x - a.x) * t,
                    y: a.y + (b.y - a.y) * t,
                };
                let r = Rect {
                    x: c.x - w / 2.0,
                    y: c.y - h / 2.0,
                    w,
                    h,
                };
                let grown = Rect {
                    x: r.x - 0.8,
                    y: r.y - 0.8,
                    w: r.w + 1.6,
                    h: r.h + 1.6,
                };
                if !obstacles.iter().any(|o| o.overlaps(&grown)) {
                    chosen = Some(r);
                    break 'search;
                }
            }
        }
        let rect = chosen.unwrap_or_else(|| {
            let (a, b) = segments
                .first()
                .map_or((route.points[0], route.points[0]), |s| (s.0, s.1));
            Rect {
                x: (a.x + b.x) / 2.0 - w / 2.0,
                y: (a.y + b.y) / 2.0 - h / 2.0,
                w,
                h,
            }
        });
        obstacles.push(rect);
        badges.push((rect, number, route.tone));
    }
    d.badges = badges;
}

fn edge_ink(tone: Tone) -> Rgb {
    if tone == Tone::Neutral {
        SUBTLE
    } else {
        tone_ink(tone)
    }
}

/// Orthogonal polyline with rounded corners.
fn rounded(points: &[P]) -> Vec<Seg> {
    let mut segs = Vec::new();
    for i in 1..points.len() {
        let v = points[i];
        if i + 1 == points.len() {
            segs.push(Seg::Line(v));
            break;
        }
        let (a, b) = (points[i - 1], points[i + 1]);
        let len_in = (v.x - a.x).abs() + (v.y - a.y).abs();
        let len_out = (b.x - v.x).abs() + (b.y - v.y).abs();
        let r = CORNER.min(len_in / 2.0).min(len_out / 2.0);
        let toward = |from: P, to: P, d: f32, len: f32| P {
            x: from.x + (to.x - from.x) * d / len.max(1e-3),
            y: from.y + (to.y - from.y) * d / len.max(1e-3),
        };
        let p1 = toward(v, a, r, len_in);
        let p2 = toward(v, b, r, len_out);
        segs.push(Seg::Line(p1));
        let k = 0.5523;
        segs.push(Seg::Curve(
            P {
                x: p1.x + (v.x - p1.x) * k,
                y: p1.y + (v.y - p1.y) * k,
            },
            P {
                x: p2.x + (v.x - p2.x) * k,
                y: p2.y + (v.y - p2.y) * k,
            },
            p2,
        ));
    }
    segs
}

fn offset(p: P, o: P) -> P {
    P {
        x: p.x + o.x,
        y: p.y + o.y,
    }
}

fn draw(d: &Diagram, canvas: &mut Canvas, fonts: &Fonts, o: P) {
    let bold = fonts.get(Face::Bold);
    let regular = fonts.get(Face::Regular);
    for g in &d.groups {
        canvas.round_rect(g.rect.tuple(o), 4.0, GROUP_FILL, Some((RULE, 0.5)));
        let label = text::ellipsize(&g.label, g.rect.w - 8.0, &|c| {
            bold.char_em(c) * GROUP_LABEL_SIZE
        });
        let w = bold.width(&label, GROUP_LABEL_SIZE);
        canvas.text(
            o.x + g.rect.x + (g.rect.w - w) / 2.0,
            o.y + g.rect.y + 11.5,
            Face::Bold,
            GROUP_LABEL_SIZE,
            ACCENT,
            &label,
        );
    }
    for route in &d.routes {
        let ink = edge_ink(route.tone);
        let n = route.points.len();
        if n < 2 {
            continue;
        }
        // Stop the line at the arrowhead's base.
        let tip = route.points[n - 1];
        let dir = if route.points[n - 2].x <= tip.x {
            1.0
        } else {
            -1.0
        };
        let mut pts: Vec<P> = route.points.iter().map(|p| offset(*p, o)).collect();
        if let Some(last) = pts.last_mut() {
            last.x -= dir * (ARROW_LEN - 0.5);
        }
        canvas.stroke_path(pts[0], &rounded(&pts), EDGE_W, ink);
        let t = offset(tip, o);
        canvas.fill_path(
            t,
            &[
                Seg::Line(P {
                    x: t.x - dir * ARROW_LEN,
                    y: t.y - ARROW_HALF,
                }),
                Seg::Line(P {
                    x: t.x - dir * ARROW_LEN,
                    y: t.y + ARROW_HALF,
                }),
            ],
            ink,
        );
    }
    let base = (NODE_TEXT.leading - (regular.ascent + regular.descent) * NODE_TEXT.size) / 2.0
        + regular.ascent * NODE_TEXT.size;
    for node in &d.nodes {
        let r = node.rect;
        canvas.round_rect(r.tuple(o), 2.5, WHITE, Some((RULE_STRONG, 0.6)));
        let text_h = node.lines.len() as f32 * NODE_TEXT.leading;
        let top = r.y + (r.h - text_h) / 2.0;
        for (i, line) in node.lines.iter().enumerate() {
            let w = regular.width(line, NODE_TEXT.size);
            canvas.text(
                o.x + r.x + (r.w - w) / 2.0,
                o.y + top + i as f32 * NODE_TEXT.leading + base,
                Face::Regular,
                NODE_TEXT.size,
                INK,
                line,
            );
        }
    }
    for (rect, number, tone) in &d.badges {
        let ink = edge_ink(*tone);
        canvas.round_rect(rect.tuple(o), 3.5, WHITE, Some((ink, 0.6)));
        let label = number.to_string();
        let w = bold.width(&label, BADGE_SIZE);
        canvas.text(
            o.x + rect.x + (rect.w - w) / 2.0,
            o.y + rect.y + rect.h / 2.0 + bold.cap_height * BADGE_SIZE / 2.0,
            Face::Bold,
            BADGE_SIZE,
            ink,
            &label,
        );
    }
}

/// Lay out and draw `fig` at the cursor, followed by its legend, caption
/// and edge key.
pub fn render(flow: &mut Flow<'_>, fig: &FlowFigure) -> Result<(), RenderError> {
    let fonts = flow.fonts();
    let diagram = layout(fig, fonts, BODY_W)?;
    let number = flow.next_figure_number();
    let legend_h = if fig.legend.is_empty() {
        0.0
    } else {
        KEY_TEXT.leading * 2.0
    };
    let needed = diagram.height + legend_h + 2.0 * SMALL.leading;
    let mut scale = 1.0;
    if needed > flow.remaining() {
        if !flow.is_fresh() {
            flow.new_page();
        }
        if needed > BODY_H {
            scale = ((BODY_H - legend_h - 2.0 * SMALL.leading) / diagram.height).clamp(0.2, 1.0);
        }
    }
    let width = diagram.width * scale;
    let origin = P {
        x: MARGIN_X + (BODY_W - width) / 2.0,
        y: flow.y(),
    };
    {
        let canvas = flow.canvas();
        if scale < 1.0 {
            canvas.save();
            canvas.scale_about(origin, scale);
        }
        draw(&diagram, canvas, fonts, origin);
        if scale < 1.0 {
            canvas.restore();
        }
    }
    flow.advance(diagram.height * scale + 6.0);
    legend(flow, fig);
    caption(flow, number, &fig.caption);
    key(flow, fig);
    Ok(())
}

fn legend(flow: &mut Flow<'_>, fig: &FlowFigure) {
    if fig.legend.is_empty() {
        return;
    }
    let fonts = flow.fonts();
    let base = flow.baseline(KEY_TEXT);
    let mut x = MARGIN_X;
    flow.ensure(KEY_TEXT.leading);
    for (tone, label) in &fig.legend {
        let label = text::ellipsize(label, BODY_W - 30.0, &|c| {
            fonts.get(Face::Regular).char_em(c) * KEY_TEXT.size
        });
        let w = 22.0 + fonts.width(Face::Regular, &label, KEY_TEXT.size) + 14.0;
        if x > MARGIN_X && x + w > MARGIN_X + BODY_W {
            flow.advance(KEY_TEXT.leading);
            flow.ensure(KEY_TEXT.leading);
            x = MARGIN_X;
        }
        let y = flow.y() + base;
        let mid = y - fonts.get(Face::Regular).cap_height * KEY_TEXT.size / 2.0;
        let ink = edge_ink(*tone);
        let canvas = flow.canvas();
        canvas.line(
            P { x, y: mid },
            P {
                x: x + 14.0,
                y: mid,
            },
            1.2,
            ink,
        );
        canvas.fill_path(
            P {
                x: x + 18.0,
                y: mid,
            },
            &[
                Seg::Line(P {
                    x: x + 18.0 - ARROW_LEN,
                    y: mid - ARROW_HALF,
                }),
                Seg::Line(P {
                    x: x + 18.0 - ARROW_LEN,
                    y: mid + ARROW_HALF,
                }),
            ],
            ink,
        );
        canvas.text(x + 22.0, y, Face::Regular, KEY_TEXT.size, SUBTLE, &label);
        x += w;
    }
    flow.advance(KEY_TEXT.leading + 4.0);
}

fn caption(flow: &mut Flow<'_>, number: usize, caption: &str) {
    let prefix = format!("Figure {number}.");
    let fonts = flow.fonts();
    let prefix_w = fonts.width(Face::Bold, &prefix, SMALL.size) + 4.0;
    let lines = flow.wrap(caption, BODY_W - prefix_w, Face::Regular, SMALL);
    let base = flow.baseline(SMALL);
    // The whole caption stays on one page.
    flow.ensure(SMALL.leading * lines.len().max(1) as f32);
    let y = flow.y() + base;
    flow.canvas()
        .text(MARGIN_X, y, Face::Bold, SMALL.size, INK, &prefix);
    flow.lines(&lines, MARGIN_X + prefix_w, Face::Regular, SMALL, SUBTLE);
    flow.advance(4.0);
}

/// The numbered edge labels, in three columns, row by row.
fn key(flow: &mut Flow<'_>, fig: &FlowFigure) {
    const COLS: usize = 3;
    const NUM_W: f32 = 16.0;
    let entries: Vec<(usize, &str, Tone)> = fig
        .edges
        .iter()
        .enumerate()
        .filter(|(_, e)| !e.label.trim().is_empty())
        .map(|(i, e)| (i + 1, e.label.as_str(), e.tone))
        .collect();
    let col_w = BODY_W / COLS as f32;
    let base = flow.baseline(KEY_TEXT);
    let fonts = flow.fonts();
    for row in entries.chunks(COLS) {
        let wrapped: Vec<Vec<String>> = row
            .iter()
            .map(|(_, label, _)| flow.wrap(label, col_w - NUM_W - 6.0, Face::Regular, KEY_TEXT))
            .collect();
        let n = wrapped.iter().map(Vec::len).max().unwrap_or(1);
        flow.ensure(n as f32 * KEY_TEXT.leading);
        let top = flow.y();
        let canvas = flow.canvas();
        for (c, ((number, _, tone), lines)) in row.iter().zip(&wrapped).enumerate() {
            let x = MARGIN_X + c as f32 * col_w;
            let label = number.to_string();
            let w = fonts.width(Face::Bold, &label, KEY_TEXT.size);
            canvas.text(
                x + NUM_W - 4.0 - w,
                top + base,
                Face::Bold,
                KEY_TEXT.size,
                edge_ink(*tone),
                &label,
            );
            for (i, line) in lines.iter().enumerate() {
                canvas.text(
                    x + NUM_W,
                    top + base + i as f32 * KEY_TEXT.leading,
                    Face::Regular,
                    KEY_TEXT.size,
                    INK,
                    line,
                );
            }
        }
        flow.advance(n as f32 * KEY_TEXT.leading + 1.0);
    }
}
