//! Edge routing: which side of its nodes every edge uses, where on that side
//! (ports), which channel it crosses columns in, its lane in every corridor
//! and channel (`lanes`), and the resulting orthogonal polyline.

use std::collections::BTreeMap;

use super::lanes::{self, Run, Toward};
use super::layout::{Gaps, Grid};
use super::{Channel, LANE_MIN, LOAD_PENALTY, Node, PORT_GAP, PORT_PAD, Route, Side};
use crate::canvas::P;
use crate::model::FlowFigure;

/// How one edge travels.
pub(super) struct Plan {
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

/// Position `i` of `n` evenly spread over `len` from `start`, ends excluded.
fn spread(start: f32, len: f32, i: usize, n: usize) -> f32 {
    start + len * (i + 1) as f32 / (n + 1) as f32
}

fn center_y(nodes: &[Node], n: usize) -> f32 {
    nodes[n].rect.y + nodes[n].rect.h / 2.0
}

/// The corridor beside side `s` of column `c`.
fn corridor(c: usize, s: Side) -> usize {
    if s == Side::Right { c + 1 } else { c }
}

/// Sides and corridors: every edge leaves its source on the side facing
/// the target's column and enters the target on the side facing the
/// source's, in the corridor beside that side. An edge within one column
/// uses one side for both ends, the side of its source with fewer edges so
/// far, so that a node's edges split between its two sides.
pub(super) fn plan_sides(edges: &[(usize, usize)], node_col: &[usize]) -> Vec<Plan> {
    let mut load: BTreeMap<(usize, Side), usize> = BTreeMap::new();
    edges
        .iter()
        .map(|&(from, to)| {
            let (ca, cb) = (node_col[from], node_col[to]);
            let (side_from, side_to) = if cb < ca {
                (Side::Left, Side::Right)
            } else if ca < cb {
                (Side::Right, Side::Left)
            } else {
                let count = |s| load.get(&(from, s)).copied().unwrap_or(0);
                let s = if count(Side::Left) < count(Side::Right) {
                    Side::Left
                } else {
                    Side::Right
                };
                (s, s)
            };
            *load.entry((from, side_from)).or_default() += 1;
            *load.entry((to, side_to)).or_default() += 1;
            Plan {
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
            }
        })
        .collect()
}

/// How many edge ends attach to each node's left and right side.
pub(super) fn port_counts(plans: &[Plan], n_nodes: usize) -> Vec<[usize; 2]> {
    let mut counts = vec![[0usize; 2]; n_nodes];
    for p in plans {
        counts[p.from][usize::from(p.side_from == Side::Right)] += 1;
        counts[p.to][usize::from(p.side_to == Side::Right)] += 1;
    }
    counts
}

/// Ports: the edges attached to one side of a node, ordered by where their
/// other end is (to avoid crossings at the node), on slots `PORT_GAP` apart
/// counted from the node's top and centred on the node as a block. The slots
/// of left sides lie half a gap below those of right sides: the nodes of a
/// row share their top, so two ends facing each other across a corridor are
/// never closer than half a gap, and their lines never run into one.
pub(super) fn assign_ports(plans: &mut [Plan], nodes: &[Node]) {
    let mut sides: BTreeMap<(usize, Side), Vec<PortUser>> = BTreeMap::new();
    for (i, p) in plans.iter().enumerate() {
        sides
            .entry((p.from, p.side_from))
            .or_default()
            .push((center_y(nodes, p.to), i, true));
        sides
            .entry((p.to, p.side_to))
            .or_default()
            .push((center_y(nodes, p.from), i, false));
    }
    for ((node, side), mut users) in sides {
        users.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)).then(b.2.cmp(&a.2)));
        let rect = nodes[node].rect;
        let m = users.len();
        let half = if side == Side::Left { 0.5 } else { 0.0 };
        // The slots that fit, and the first of the block centred on the node.
        let slots = ((rect.h - 2.0 * PORT_PAD) / PORT_GAP - half)
            .floor()
            .max(0.0) as usize
            + 1;
        let centred = ((rect.h / 2.0 - PORT_PAD) / PORT_GAP - half - (m as f32 - 1.0) / 2.0)
            .round()
            .max(0.0) as usize;
        let first = centred.min(slots.saturating_sub(m));
        for (k, (_, i, is_from)) in users.into_iter().enumerate() {
            let y = rect.y + PORT_PAD + ((first + k) as f32 + half) * PORT_GAP;
            if is_from {
                plans[i].port_from = y;
            } else {
                plans[i].port_to = y;
            }
        }
    }
}

/// Which way a vertical piece at `port` leaves a channel at `y`.
fn vertical_toward(port: f32, y: f32) -> Toward {
    if port < y { Toward::Low } else { Toward::High }
}

/// Channels for edges that change corridor: the one closest to both ends
/// among those open in every column the edge crosses, with a penalty per
/// edge already using it so the load spreads out; then the lanes of the
/// channel (runs that share a corridor overlap). Returns the number of lanes
/// of each channel.
pub(super) fn assign_channels(plans: &mut [Plan], channels: &[Channel]) -> Vec<usize> {
    let mut channel_users: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, p) in plans.iter_mut().enumerate() {
        if p.corridor_from == p.corridor_to {
            continue;
        }
        // Column k lies between corridors k and k + 1.
        let (a, b) = (
            p.corridor_from.min(p.corridor_to),
            p.corridor_from.max(p.corridor_to),
        );
        let best = channels
            .iter()
            .enumerate()
            .filter(|(_, ch)| !ch.closed.iter().any(|&k| a <= k && k < b))
            .map(|(c, ch)| {
                let mid = ch.top + ch.h / 2.0;
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
    let mut counts = vec![0; channels.len()];
    for (c, users) in channel_users {
        let Channel { top, h, .. } = channels[c];
        let mid = top + h / 2.0;
        let runs: Vec<Run> = users
            .iter()
            .map(|&i| {
                let p = &plans[i];
                Run::between(
                    p.corridor_from as f32,
                    vertical_toward(p.port_from, mid),
                    p.corridor_to as f32,
                    vertical_toward(p.port_to, mid),
                )
            })
            .collect();
        // Runs meeting in one corridor overlap there: a gap of half a corridor.
        // Their turns are vertical pieces in corridors, kept apart there.
        let (lane, n) = lanes::assign(&runs, 0.5, 0.0);
        counts[c] = n;
        for (&i, l) in users.iter().zip(lane) {
            plans[i].channel_y = spread(top, h, l, n);
        }
    }
    counts
}

/// Which way a horizontal piece at the end of a vertical run leaves its
/// corridor: toward the node of a port (`side` of that node), or toward the
/// other corridor of a channel.
fn port_toward(side: Side) -> Toward {
    // The node's right side faces the corridor to its right: the node is on
    // the corridor's low (left) side.
    if side == Side::Right {
        Toward::Low
    } else {
        Toward::High
    }
}

fn channel_toward(here: usize, there: usize) -> Toward {
    if there < here {
        Toward::Low
    } else {
        Toward::High
    }
}

/// Corridor lanes: one per vertical run, shared by runs that do not overlap.
/// Returns the number of lanes in each corridor.
pub(super) fn assign_corridor_lanes(plans: &mut [Plan], gaps: &Gaps, grid: Grid) -> Vec<usize> {
    // (run, edge, whether it is the run at the edge's source)
    let mut corridor_users: BTreeMap<usize, Vec<(Run, usize, bool)>> = BTreeMap::new();
    for (i, p) in plans.iter().enumerate() {
        let from_end = port_toward(p.side_from);
        let to_end = port_toward(p.side_to);
        match p.channel {
            None => {
                let run = Run::between(p.port_from, from_end, p.port_to, to_end);
                corridor_users
                    .entry(p.corridor_from)
                    .or_default()
                    .push((run, i, true));
            }
            Some(_) => {
                let out = channel_toward(p.corridor_from, p.corridor_to);
                let run = Run::between(p.port_from, from_end, p.channel_y, out);
                corridor_users
                    .entry(p.corridor_from)
                    .or_default()
                    .push((run, i, true));
                let back = channel_toward(p.corridor_to, p.corridor_from);
                let run = Run::between(p.channel_y, back, p.port_to, to_end);
                corridor_users
                    .entry(p.corridor_to)
                    .or_default()
                    .push((run, i, false));
            }
        }
    }
    let mut counts = vec![0; grid.n_cols + 1];
    for (corridor, users) in corridor_users {
        let runs: Vec<Run> = users.iter().map(|u| u.0).collect();
        let (lane, n) = lanes::assign(&runs, LANE_MIN, LANE_MIN);
        if let Some(count) = counts.get_mut(corridor) {
            *count = n;
        }
        let left = gaps.corridor_left(corridor, grid.col_w);
        let corridor_w = gaps.corridor(corridor);
        for ((_, i, first), l) in users.into_iter().zip(lane) {
            let x = spread(left, corridor_w, l, n);
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
    counts
}

/// The polyline of every planned edge: out of the source port to its lane,
/// through its channel if it has one, along the target's lane and into the
/// target port; numbered when the edge has a label.
pub(super) fn routes(plans: &[Plan], fig: &FlowFigure, nodes: &[Node]) -> Vec<Route> {
    let side_x = |n: usize, s: Side| {
        let r = nodes[n].rect;
        if s == Side::Right { r.x + r.w } else { r.x }
    };
    plans
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
        .collect()
}
