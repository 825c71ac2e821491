//! Edge numbers: the small badge on every labelled edge's route. A badge
//! never covers a node, a group title or another badge; it prefers a place
//! where no other edge runs under it either, so the number reads as that
//! edge's. When its route has no such place (a short edge between crowded
//! lanes), it goes to the nearest free place with a leader line to its
//! route, and as a last resort below the diagram: the search always ends.

use super::{BADGE_SIZE, Badge, Diagram, Rect, Route};
use crate::canvas::P;
use crate::fonts::{Face, Fonts};

/// Distance between candidate places along a route.
const STEP: f32 = 2.0;
/// Candidate places tried along one route, at most: enough for every
/// segment of a routed edge, bounded so a crowded figure stays fast.
const MAX_ALONG: usize = 96;
/// Space kept free around a badge.
const MARGIN: f32 = 0.8;

/// Width and height of the badge showing `number`.
fn badge_size(fonts: &Fonts, number: usize) -> (f32, f32) {
    let w = fonts.width(Face::Bold, &number.to_string(), BADGE_SIZE) + 3.0;
    (w.max(7.0), 7.0)
}

/// A badge of size `w`×`h` centred on `c`.
fn centred(c: P, w: f32, h: f32) -> Rect {
    Rect {
        x: c.x - w / 2.0,
        y: c.y - h / 2.0,
        w,
        h,
    }
}

/// The box a straight segment covers, a hair thick.
fn segment_box(a: P, b: P) -> Rect {
    Rect {
        x: a.x.min(b.x) - 0.4,
        y: a.y.min(b.y) - 0.4,
        w: (a.x - b.x).abs() + 0.8,
        h: (a.y - b.y).abs() + 0.8,
    }
}

/// Places along `route` for a badge of `w`×`h`, best first: the longest
/// segments first, and on each from its middle outward.
fn along(route: &Route, w: f32, h: f32) -> Vec<P> {
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
    // Longest first; the sort is stable, so ties keep route order.
    segments.sort_by(|a, b| b.2.total_cmp(&a.2));
    let mut places = Vec::new();
    for (a, b, len) in segments {
        let vertical = (a.x - b.x).abs() < 0.01;
        // How far from each end the badge's centre must stay.
        let inset = if vertical { h } else { w } / 2.0 + 1.0;
        let room = (len / 2.0 - inset).max(0.0);
        let at = |t: f32| P {
            x: a.x + (b.x - a.x) * t,
            y: a.y + (b.y - a.y) * t,
        };
        places.push(at(0.5));
        let mut off = STEP;
        while off <= room && len > 0.0 {
            places.push(at(0.5 - off / len));
            places.push(at(0.5 + off / len));
            off += STEP;
        }
    }
    if places.len() > MAX_ALONG {
        // Keep an even sample, the best places first.
        let keep = places.len().div_ceil(MAX_ALONG);
        places = places.into_iter().step_by(keep).collect();
    }
    places
}

/// The point halfway along a route.
fn midpoint(route: &Route) -> P {
    let lengths: Vec<f32> = route
        .points
        .windows(2)
        .map(|s| (s[1].x - s[0].x).abs() + (s[1].y - s[0].y).abs())
        .collect();
    let mut left = lengths.iter().sum::<f32>() / 2.0;
    for (s, len) in route.points.windows(2).zip(&lengths) {
        if left <= *len && *len > 0.0 {
            let t = left / len;
            return P {
                x: s[0].x + (s[1].x - s[0].x) * t,
                y: s[0].y + (s[1].y - s[0].y) * t,
            };
        }
        left -= len;
    }
    route
        .points
        .first()
        .copied()
        .unwrap_or(P { x: 0.0, y: 0.0 })
}

/// Put each edge number on its route, where it covers no node, group title
/// or other number and, if possible, no other edge.
pub(super) fn place_badges(d: &mut Diagram, fonts: &Fonts) {
    let mut hard: Vec<Rect> = d.nodes.iter().map(|n| n.rect).collect();
    hard.extend(d.groups.iter().map(|g| Rect {
        x: g.rect.x,
        y: g.rect.y,
        w: g.rect.w,
        h: g.header_h - 2.0,
    }));
    let lines: Vec<(usize, Rect)> = d
        .routes
        .iter()
        .enumerate()
        .flat_map(|(i, r)| {
            r.points
                .windows(2)
                .map(move |s| (i, segment_box(s[0], s[1])))
        })
        .collect();
    let mut placed: Vec<Rect> = Vec::new();
    let mut badges = Vec::new();
    for (i, route) in d.routes.iter().enumerate() {
        let Some(number) = route.number else { continue };
        let (w, h) = badge_size(fonts, number);
        let free = |r: &Rect| {
            let grown = r.grown(MARGIN);
            !hard.iter().chain(&placed).any(|o| o.overlaps(&grown))
        };
        let clear = |r: &Rect| !lines.iter().any(|(j, l)| *j != i && l.overlaps(r));
        let places: Vec<Rect> = along(route, w, h)
            .into_iter()
            .map(|c| centred(c, w, h))
            .collect();
        let on_route = places
            .iter()
            .find(|r| free(r) && clear(r))
            .or_else(|| places.iter().find(|r| free(r)))
            .copied();
        let (rect, leader) = match on_route {
            Some(rect) => (rect, None),
            None => {
                let anchor = midpoint(route);
                let rect = nearest_free(anchor, w, h, d.width, d.height, &free)
                    .unwrap_or_else(|| below(d.width, d.height, w, h, &placed));
                (rect, Some(anchor))
            }
        };
        placed.push(rect);
        badges.push(Badge {
            rect,
            number,
            tone: route.tone,
            leader,
        });
    }
    let bottom = badges
        .iter()
        .map(|b| b.rect.y + b.rect.h + 1.0)
        .fold(d.height, f32::max);
    d.height = bottom;
    d.badges = badges;
}

/// The free place inside the diagram nearest to `anchor`, searched on
/// square rings of growing size around it.
fn nearest_free(
    anchor: P,
    w: f32,
    h: f32,
    width: f32,
    height: f32,
    free: &impl Fn(&Rect) -> bool,
) -> Option<Rect> {
    let inside = |r: &Rect| r.x >= 0.0 && r.y >= 0.0 && r.x + r.w <= width && r.y + r.h <= height;
    let max_r = width.max(height);
    let mut r = STEP;
    while r <= max_r {
        let steps = (2.0 * r / STEP).ceil() as usize;
        for k in 0..=steps {
            let t = -r + k as f32 * STEP;
            for c in [
                P {
                    x: anchor.x + t,
                    y: anchor.y - r,
                },
                P {
                    x: anchor.x + t,
                    y: anchor.y + r,
                },
                P {
                    x: anchor.x - r,
                    y: anchor.y + t,
                },
                P {
                    x: anchor.x + r,
                    y: anchor.y + t,
                },
            ] {
                let rect = centred(c, w, h);
                if inside(&rect) && free(&rect) {
                    return Some(rect);
                }
            }
        }
        r += STEP;
    }
    None
}

/// A place in a row below the diagram, after the badges already there.
fn below(width: f32, height: f32, w: f32, h: f32, placed: &[Rect]) -> Rect {
    let mut y = height + 2.0;
    loop {
        let mut x = 0.0;
        while x + w <= width.max(w) {
            let rect = Rect { x, y, w, h };
            if !placed.iter().any(|o| o.overlaps(&rect.grown(MARGIN))) {
                return rect;
            }
            x += w + 2.0;
        }
        y += h + 2.0;
    }
}
