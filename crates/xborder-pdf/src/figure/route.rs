//! Edge routing: which side of its nodes every edge uses, where on that side
//! (ports), which channel it crosses columns in, its lane in every corridor
//! and channel, and the resulting orthogonal polyline.

use std::collections::BTreeMap;

use super::layout::{Gaps, Grid};
use super::{LOAD_PENALTY, Node, Route, Side};
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

fn minmax(a: f32, b: f32) -> (f32, f32) {
    if a <= b { (a, b) } else { (b, a) }
}

fn center_y(nodes: &[Node], n: usize) -> f32 {
    nodes[n].rect.y + nodes[n].rect.h / 2.0
}

/// Sides and corridors: every edge leaves its source on the side facing
/// the target's column and enters the target on the side facing the
/// source's, in the corridor beside that side.
pub(super) fn plan_sides(
    fig: &FlowFigure,
    ids: &BTreeMap<&str, usize>,
    nodes: &[Node],
    n_cols: usize,
) -> Vec<Plan> {
    let col_of = |n: usize| nodes[n].group % n_cols;
    fig.edges
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
        .collect()
}

/// Ports: spread the edges attached to one side of a node along it,
/// ordered by where their other end is, to avoid crossings at the node.
pub(super) fn assign_ports(plans: &mut [Plan], nodes: &[Node]) {
    let mut sides: BTreeMap<(usize, bool), Vec<PortUser>> = BTreeMap::new();
    for (i, p) in plans.iter().enumerate() {
        sides
            .entry((p.from, p.side_from == Side::Right))
            .or_default()
            .push((center_y(nodes, p.to), i, true));
        sides
            .entry((p.to, p.side_to == Side::Right))
            .or_default()
            .push((center_y(nodes, p.from), i, false));
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
}

/// Channels for edges that change corridor: the one closest to both ends,
/// with a penalty per edge already using it so the load spreads out; then
/// one lane per edge in its channel. Returns the number of edges in each
/// channel.
pub(super) fn assign_channels(plans: &mut [Plan], channels: &[(f32, f32)]) -> Vec<usize> {
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
    let mut counts = vec![0; channels.len()];
    for (c, users) in &channel_users {
        counts[*c] = users.len();
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
    counts
}

/// Corridor lanes: one per vertical segment, ordered by where the segment
/// runs. Returns the number of lanes in each corridor.
pub(super) fn assign_corridor_lanes(plans: &mut [Plan], gaps: &Gaps, grid: Grid) -> Vec<usize> {
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
    let mut counts = vec![0; grid.n_cols + 1];
    for (corridor, mut users) in corridor_users {
        if let Some(count) = counts.get_mut(corridor) {
            *count = users.len();
        }
        let left = gaps.corridor_left(corridor, grid.col_w);
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
