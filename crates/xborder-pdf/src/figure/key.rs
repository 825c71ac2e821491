//! The text below a diagram: the legend of edge tones, the numbered caption
//! and the key of numbered edge labels.
//!
//! Structure: the legend is an `L` with one `LI` per tone, its text an `LBody` (the sample
//! arrows are artifacts: the words say what the colours mean); the caption is a `Caption`;
//! the key an `L` whose items have the edge number as `Lbl` and its label as `LBody`.

use super::draw::edge_ink;
use super::{ARROW_HALF, ARROW_LEN, KEY_TEXT};
use crate::canvas::{Artifact, P, Seg};
use crate::flow::Flow;
use crate::fonts::Face;
use crate::model::{FlowFigure, Tone};
use crate::structure::Role;
use crate::text;
use crate::theme::{BODY_W, INK, MARGIN_X, SMALL, SUBTLE};

/// One sample arrow and label per tone of the legend, wrapping onto further
/// lines when they do not fit side by side.
pub(super) fn legend(flow: &mut Flow<'_>, fig: &FlowFigure) {
    if fig.legend.is_empty() {
        return;
    }
    let fonts = flow.fonts();
    let base = flow.baseline(KEY_TEXT);
    let mut x = MARGIN_X;
    flow.ensure(KEY_TEXT.leading);
    flow.begin(Role::L);
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
        let canvas = flow.decor(Artifact::Layout);
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
        flow.begin(Role::LI);
        flow.begin(Role::LBody);
        flow.canvas()
            .text(x + 22.0, y, Face::Regular, KEY_TEXT.size, SUBTLE, &label);
        flow.end();
        flow.end();
        x += w;
    }
    flow.end();
    flow.advance(KEY_TEXT.leading + 4.0);
}

/// "Figure N." and the caption, kept on one page.
pub(super) fn caption(flow: &mut Flow<'_>, number: usize, caption: &str) {
    let prefix = format!("Figure {number}.");
    let fonts = flow.fonts();
    let prefix_w = fonts.width(Face::Bold, &prefix, SMALL.size) + 4.0;
    let lines = flow.wrap(caption, BODY_W - prefix_w, Face::Regular, SMALL);
    let base = flow.baseline(SMALL);
    // The whole caption stays on one page.
    flow.ensure(SMALL.leading * lines.len().max(1) as f32);
    let y = flow.y() + base;
    flow.begin(Role::Caption);
    // The space after the prefix has no ink; it keeps "Figure 1." apart from the caption in
    // the element's text.
    flow.canvas().text(
        MARGIN_X,
        y,
        Face::Bold,
        SMALL.size,
        INK,
        &format!("{prefix} "),
    );
    flow.lines(&lines, MARGIN_X + prefix_w, Face::Regular, SMALL, SUBTLE);
    flow.end();
    flow.advance(4.0);
}

/// The numbered edge labels, in three columns, row by row.
pub(super) fn key(flow: &mut Flow<'_>, fig: &FlowFigure) {
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
    flow.begin(Role::L);
    for row in entries.chunks(COLS) {
        let wrapped: Vec<Vec<String>> = row
            .iter()
            .map(|(_, label, _)| flow.wrap(label, col_w - NUM_W - 6.0, Face::Regular, KEY_TEXT))
            .collect();
        let n = wrapped.iter().map(Vec::len).max().unwrap_or(1);
        flow.ensure(n as f32 * KEY_TEXT.leading);
        let top = flow.y();
        for (c, ((number, _, tone), lines)) in row.iter().zip(&wrapped).enumerate() {
            let x = MARGIN_X + c as f32 * col_w;
            let label = number.to_string();
            let w = fonts.width(Face::Bold, &label, KEY_TEXT.size);
            flow.begin(Role::LI);
            flow.begin(Role::Lbl);
            flow.canvas().text(
                x + NUM_W - 4.0 - w,
                top + base,
                Face::Bold,
                KEY_TEXT.size,
                edge_ink(*tone),
                &label,
            );
            flow.end();
            flow.begin(Role::LBody);
            let canvas = flow.canvas();
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
            flow.end();
            flow.end();
        }
        flow.advance(n as f32 * KEY_TEXT.leading + 1.0);
    }
    flow.end();
}
