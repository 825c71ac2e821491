//! Edge numbers: the small badge on every labelled edge's route, placed where
//! it covers no node, group title or other badge.

use super::{BADGE_SIZE, Diagram, HEADER_H, Rect};
use crate::canvas::P;
use crate::fonts::{Face, Fonts};

/// Width and height of the badge showing `number`.
fn badge_size(fonts: &Fonts, number: usize) -> (f32, f32) {
    let w = fonts.width(Face::Bold, &number.to_string(), BADGE_SIZE) + 3.0;
    (w.max(7.0), 7.0)
}

/// Put each edge number on its route where it covers no node, group title
/// or other number; fall back to the middle of the longest segment.
pub(super) fn place_badges(d: &mut Diagram, fonts: &Fonts) {
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
