//! Drawing a laid-out diagram as vector graphics: group boxes with their
//! titles, edges with rounded corners and arrowheads, node boxes with their
//! labels, and the edge-number badges, in that order (later on top).

use super::{
    ARROW_HALF, ARROW_LEN, BADGE_SIZE, CORNER, Diagram, EDGE_W, GROUP_LABEL_LEADING,
    GROUP_LABEL_SIZE, HEADER_PAD, NODE_TEXT,
};
use crate::canvas::{Canvas, P, Seg};
use crate::fonts::{Face, Fonts};
use crate::model::Tone;
use crate::theme::{ACCENT, GROUP_FILL, INK, RULE, RULE_STRONG, Rgb, SUBTLE, WHITE, tone_ink};

/// The colour of an edge (and its badge and key number) of `tone`.
pub(super) fn edge_ink(tone: Tone) -> Rgb {
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

/// Draw the diagram with its top left corner at `o`.
pub(super) fn draw(d: &Diagram, canvas: &mut Canvas, fonts: &Fonts, o: P) {
    draw_groups(d, canvas, fonts, o);
    draw_edges(d, canvas, o);
    draw_nodes(d, canvas, fonts, o);
    draw_badges(d, canvas, fonts, o);
}

/// Group boxes, each with its title centred at the top, line by line.
fn draw_groups(d: &Diagram, canvas: &mut Canvas, fonts: &Fonts, o: P) {
    let bold = fonts.get(Face::Bold);
    let base = HEADER_PAD + bold.cap_height * GROUP_LABEL_SIZE + 1.0;
    for g in &d.groups {
        canvas.round_rect(g.rect.tuple(o), 4.0, GROUP_FILL, Some((RULE, 0.5)));
        for (i, line) in g.lines.iter().enumerate() {
            let w = bold.width(line, GROUP_LABEL_SIZE);
            canvas.text(
                o.x + g.rect.x + (g.rect.w - w) / 2.0,
                o.y + g.rect.y + base + i as f32 * GROUP_LABEL_LEADING,
                Face::Bold,
                GROUP_LABEL_SIZE,
                ACCENT,
                line,
            );
        }
    }
}

/// Every routed edge in its tone, ending in an arrowhead at the target.
fn draw_edges(d: &Diagram, canvas: &mut Canvas, o: P) {
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
}

/// Node boxes, each with its label lines centred in it.
fn draw_nodes(d: &Diagram, canvas: &mut Canvas, fonts: &Fonts, o: P) {
    let regular = fonts.get(Face::Regular);
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
}

/// The edge-number badges, outlined and numbered in their edge's tone; a
/// badge away from its route is tied to it by a thin leader line.
fn draw_badges(d: &Diagram, canvas: &mut Canvas, fonts: &Fonts, o: P) {
    let bold = fonts.get(Face::Bold);
    for badge in &d.badges {
        let ink = edge_ink(badge.tone);
        if let Some(anchor) = badge.leader {
            canvas.line(offset(badge.rect.center(), o), offset(anchor, o), 0.4, ink);
        }
        canvas.round_rect(badge.rect.tuple(o), 3.5, WHITE, Some((ink, 0.6)));
        let label = badge.number.to_string();
        let w = bold.width(&label, BADGE_SIZE);
        canvas.text(
            o.x + badge.rect.x + (badge.rect.w - w) / 2.0,
            o.y + badge.rect.y + badge.rect.h / 2.0 + bold.cap_height * BADGE_SIZE / 2.0,
            Face::Bold,
            BADGE_SIZE,
            ink,
            &label,
        );
    }
}
