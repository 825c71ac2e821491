//! The text below a diagram: the legend of edge tones, the numbered caption
//! and the key of numbered edge labels.
//!
//! The key is set in columns, numbers running down each column, the columns
//! as even as the entries allow, so that it takes as little of the figure's
//! page as it can. A key longer than the page leaves room for says so at the
//! bottom of the page and goes on, under a heading, on the next.
//!
//! Structure: the legend is an `L` with one `LI` per tone, its text an `LBody` (the sample
//! arrows are artifacts: the words say what the colours mean); the caption is a `Caption`;
//! the key an `L` whose items have the edge number as `Lbl` and its label as `LBody`; the
//! notes that say where the key goes on are artifacts.

use super::draw::edge_ink;
use super::{ARROW_HALF, ARROW_LEN, CAPTION, KEY_TEXT};
use crate::canvas::{Artifact, P, Seg};
use crate::flow::Flow;
use crate::fonts::Face;
use crate::model::{FlowFigure, Tone};
use crate::structure::Role;
use crate::text;
use crate::theme::{BODY_W, INK, MARGIN_X, SUBTLE};

/// Columns of the key.
const COLS: usize = 3;
/// Width of the number in front of an entry.
const NUM_W: f32 = 16.0;
/// Space between two entries of a column.
const ENTRY_GAP: f32 = 1.0;
/// Room for the line that says the key continues.
const NOTE_H: f32 = 12.0;

/// Width of a legend item: sample arrow, label and the space after it.
fn legend_item_w(flow: &Flow<'_>, label: &str) -> f32 {
    22.0 + flow.fonts().width(Face::Regular, label, KEY_TEXT.size) + 14.0
}

/// The legend's labels, each fitted to a line, in rows that fit the width.
fn legend_rows(flow: &Flow<'_>, fig: &FlowFigure) -> Vec<Vec<(Tone, String)>> {
    let fonts = flow.fonts();
    let mut rows: Vec<Vec<(Tone, String)>> = Vec::new();
    let mut x = 0.0;
    for (tone, label) in &fig.legend {
        let label = text::ellipsize(label, BODY_W - 30.0, &|c| {
            fonts.get(Face::Regular).char_em(c) * KEY_TEXT.size
        });
        let w = legend_item_w(flow, &label);
        if rows.is_empty() || (x > 0.0 && x + w > BODY_W) {
            rows.push(Vec::new());
            x = 0.0;
        }
        x += w;
        if let Some(row) = rows.last_mut() {
            row.push((*tone, label));
        }
    }
    rows
}

/// Height of the legend below the diagram.
pub(super) fn legend_height(flow: &Flow<'_>, fig: &FlowFigure) -> f32 {
    let rows = legend_rows(flow, fig).len();
    if rows == 0 {
        0.0
    } else {
        rows as f32 * KEY_TEXT.leading + 4.0
    }
}

/// One sample arrow and label per tone of the legend, wrapping onto further
/// lines when they do not fit side by side.
pub(super) fn legend(flow: &mut Flow<'_>, fig: &FlowFigure) {
    let rows = legend_rows(flow, fig);
    if rows.is_empty() {
        return;
    }
    let fonts = flow.fonts();
    let base = flow.baseline(KEY_TEXT);
    flow.begin(Role::L);
    for row in rows {
        flow.ensure(KEY_TEXT.leading);
        let y = flow.y() + base;
        let mid = y - fonts.get(Face::Regular).cap_height * KEY_TEXT.size / 2.0;
        let mut x = MARGIN_X;
        for (tone, label) in row {
            let w = legend_item_w(flow, &label);
            let ink = edge_ink(tone);
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
        flow.advance(KEY_TEXT.leading);
    }
    flow.end();
    flow.advance(4.0);
}

/// "Figure N." and the caption's lines beside it.
fn caption_lines(flow: &Flow<'_>, prefix: &str, caption: &str) -> (f32, Vec<String>) {
    let prefix_w = flow.fonts().width(Face::Bold, prefix, CAPTION.size) + 4.0;
    let lines = flow.wrap(caption, BODY_W - prefix_w, Face::Regular, CAPTION);
    (prefix_w, lines)
}

/// Height of the caption below the legend.
pub(super) fn caption_height(flow: &Flow<'_>, number: usize, caption: &str) -> f32 {
    let (_, lines) = caption_lines(flow, &format!("Figure {number}."), caption);
    lines.len().max(1) as f32 * CAPTION.leading + 4.0
}

/// "Figure N." and the caption, kept on one page.
pub(super) fn caption(flow: &mut Flow<'_>, number: usize, caption: &str) {
    let prefix = format!("Figure {number}.");
    let (prefix_w, lines) = caption_lines(flow, &prefix, caption);
    let base = flow.baseline(CAPTION);
    // The whole caption stays on one page.
    flow.ensure(CAPTION.leading * lines.len().max(1) as f32);
    let y = flow.y() + base;
    flow.begin(Role::Caption);
    // The space after the prefix has no ink; it keeps "Figure 1." apart from the caption in
    // the element's text.
    flow.canvas().text(
        MARGIN_X,
        y,
        Face::Bold,
        CAPTION.size,
        INK,
        &format!("{prefix} "),
    );
    flow.lines(&lines, MARGIN_X + prefix_w, Face::Regular, CAPTION, SUBTLE);
    flow.end();
    flow.advance(4.0);
}

/// One numbered edge label, wrapped to its column.
struct Entry {
    number: usize,
    tone: Tone,
    lines: Vec<String>,
}

impl Entry {
    fn height(&self) -> f32 {
        self.lines.len().max(1) as f32 * KEY_TEXT.leading + ENTRY_GAP
    }
}

/// How many of `entries` fit in the key's columns of height `h`, filled top
/// down and left to right.
fn fitting(entries: &[Entry], h: f32) -> usize {
    let (mut col, mut used) = (0, 0.0);
    for (i, e) in entries.iter().enumerate() {
        if used > 0.0 && used + e.height() > h + 1e-3 {
            col += 1;
            used = 0.0;
        }
        if col == COLS || e.height() > h + 1e-3 {
            return i;
        }
        used += e.height();
    }
    entries.len()
}

/// The shortest column height that holds all of `entries`.
fn balanced(entries: &[Entry]) -> f32 {
    let total: f32 = entries.iter().map(Entry::height).sum();
    let tallest = entries.iter().map(Entry::height).fold(0.0f32, f32::max);
    let mut h = (total / COLS as f32).max(tallest);
    while fitting(entries, h) < entries.len() {
        h += 1.0;
    }
    h
}

/// The numbered edge labels of a figure, ready to set.
pub(super) struct Key {
    entries: Vec<Entry>,
}

impl Key {
    pub(super) fn new(flow: &Flow<'_>, fig: &FlowFigure) -> Key {
        let col_w = BODY_W / COLS as f32;
        let entries = fig
            .edges
            .iter()
            .enumerate()
            .filter(|(_, e)| !e.label.trim().is_empty())
            .map(|(i, e)| Entry {
                number: i + 1,
                tone: e.tone,
                lines: flow.wrap(&e.label, col_w - NUM_W - 6.0, Face::Regular, KEY_TEXT),
            })
            .collect();
        Key { entries }
    }

    /// Height of the whole key in even columns.
    pub(super) fn height(&self) -> f32 {
        if self.entries.is_empty() {
            0.0
        } else {
            balanced(&self.entries)
        }
    }

    /// Height of the key's first entry: what must fit for it to start.
    pub(super) fn first_row_height(&self) -> f32 {
        self.entries.first().map_or(0.0, Entry::height)
    }

    /// Set the key at the cursor: in even columns if it fits the page, else
    /// as much as fits, a note that it continues, and the rest on the next
    /// page under a heading.
    pub(super) fn render(&self, flow: &mut Flow<'_>, figure: usize) {
        let mut rest = &self.entries[..];
        let mut opened = false;
        while !rest.is_empty() {
            let whole = balanced(rest);
            if whole <= flow.remaining() + 1e-3 {
                set(flow, rest, whole);
                return;
            }
            let h = flow.remaining() - NOTE_H;
            // An entry taller than a whole page still makes progress.
            let n = match fitting(rest, h) {
                0 if opened => 1,
                n => n,
            };
            if n > 0 {
                set(flow, &rest[..n], h);
                rest = &rest[n..];
                note(flow, "Key continues on the next page.");
            } else if !opened && flow.remaining() >= NOTE_H {
                note(flow, "Key on the next page.");
            }
            flow.new_page();
            note(flow, &format!("Key to Figure {figure}, continued"));
            opened = true;
        }
    }
}

/// A line of small print at the cursor.
fn note(flow: &mut Flow<'_>, text: &str) {
    let base = flow.baseline(CAPTION);
    let y = flow.y() + base;
    flow.decor(Artifact::Layout)
        .text(MARGIN_X, y, Face::Bold, CAPTION.size, SUBTLE, text);
    flow.advance(NOTE_H);
}

/// Set `entries` in the key's columns, at most `h` tall, numbers running
/// down each column.
fn set(flow: &mut Flow<'_>, entries: &[Entry], h: f32) {
    let col_w = BODY_W / COLS as f32;
    let base = flow.baseline(KEY_TEXT);
    let fonts = flow.fonts();
    let top = flow.y();
    let (mut col, mut used, mut deepest) = (0usize, 0.0f32, 0.0f32);
    flow.begin(Role::L);
    for e in entries {
        if used > 0.0 && used + e.height() > h + 1e-3 {
            col += 1;
            used = 0.0;
        }
        let x = MARGIN_X + col as f32 * col_w;
        let y = top + used + base;
        let label = e.number.to_string();
        let w = fonts.width(Face::Bold, &label, KEY_TEXT.size);
        flow.begin(Role::LI);
        flow.begin(Role::Lbl);
        flow.canvas().text(
            x + NUM_W - 4.0 - w,
            y,
            Face::Bold,
            KEY_TEXT.size,
            edge_ink(e.tone),
            &label,
        );
        flow.end();
        flow.begin(Role::LBody);
        let canvas = flow.canvas();
        for (i, line) in e.lines.iter().enumerate() {
            canvas.text(
                x + NUM_W,
                y + i as f32 * KEY_TEXT.leading,
                Face::Regular,
                KEY_TEXT.size,
                INK,
                line,
            );
        }
        flow.end();
        flow.end();
        used += e.height();
        deepest = deepest.max(used);
    }
    flow.end();
    flow.advance(deepest + 2.0);
}
