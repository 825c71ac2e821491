//! Rendering of sections and of the text blocks (everything except tables
//! and figures, which have their own modules).
//!
//! Typographic rules applied here: headings are kept with the content that
//! follows them; vertical space is added after blocks and swallowed at the top
//! of a page; nothing is drawn outside the text area, long content continues
//! on the next page line by line.
//!
//! Each block is one structure element (ISO 32000-1 §14.8.4): a section is a `Sect` with
//! an `H1`, a title an `H1`, a heading an `H2`, text and callouts `P`, bullets an `L` of
//! `LI`s (`Lbl` the bullet, `LBody` the text), a key/value list a `Table` whose rows have the
//! key as a row header (`TH`) and the value as a `TD`. Accent bars, rules and tints are
//! artifacts.

use crate::RenderError;
use crate::canvas::Artifact;
use crate::figure;
use crate::flow::{BODY_H, Flow};
use crate::fonts::Face;
use crate::model::{Block, Section, Tone};
use crate::structure::{Role, Scope, Tag};
use crate::table;
use crate::theme::{
    ACCENT, BODY, BODY_W, H1, H2, INK, MARGIN_X, RULE, RULE_STRONG, Rgb, SMALL, SUBTLE, TITLE,
    TextStyle, tone_ink, tone_tint,
};

/// Space after ordinary blocks.
const BLOCK_GAP: f32 = 7.0;

/// Lay out one section.
pub fn section(flow: &mut Flow<'_>, section: &Section) -> Result<(), RenderError> {
    if section.new_page && !flow.is_fresh() {
        flow.new_page();
    }
    flow.begin(Role::Sect);
    if section.show_title {
        flow.space(14.0);
        let lines = flow.wrap(&section.title, BODY_W, Face::Bold, H1);
        // Keep the heading with at least three lines of what follows.
        flow.ensure(lines.len() as f32 * H1.leading + 6.0 + 3.0 * BODY.leading);
        flow.bookmark(&section.title);
        flow.begin(Role::H1);
        flow.lines(&lines, MARGIN_X, Face::Bold, H1, ACCENT);
        flow.end();
        let y = flow.y() + 2.0;
        flow.decor(Artifact::Layout).line(
            crate::canvas::P { x: MARGIN_X, y },
            crate::canvas::P {
                x: MARGIN_X + BODY_W,
                y,
            },
            0.6,
            RULE_STRONG,
        );
        flow.advance(10.0);
    } else {
        flow.bookmark(&section.title);
    }
    for (i, b) in section.blocks.iter().enumerate() {
        match b {
            // A heading stays on the page of what it introduces.
            Block::Heading(text) => heading(flow, text, section.blocks.get(i + 1)),
            _ => block(flow, b)?,
        }
    }
    flow.end();
    Ok(())
}

/// Text lines as one element of `role`.
fn text(flow: &mut Flow<'_>, role: Role, text: &str, face: Face, style: TextStyle, ink: Rgb) {
    let lines = flow.wrap(text, BODY_W, face, style);
    flow.begin(role);
    flow.lines(&lines, MARGIN_X, face, style, ink);
    flow.end();
}

fn block(flow: &mut Flow<'_>, block: &Block) -> Result<(), RenderError> {
    match block {
        Block::Title(text) => title(flow, text),
        Block::Heading(text) => heading(flow, text, None),
        Block::Paragraph(t) => {
            text(flow, Role::P, t, Face::Regular, BODY, INK);
            flow.space(BLOCK_GAP);
        }
        Block::Small(t) => {
            text(flow, Role::P, t, Face::Regular, SMALL, SUBTLE);
            flow.space(BLOCK_GAP);
        }
        Block::Bullets(items) => bullets(flow, items),
        Block::KeyValue(pairs) => key_value(flow, pairs),
        Block::Table(t) => {
            table::render(flow, t)?;
            flow.space(BLOCK_GAP + 4.0);
        }
        Block::Figure(f) => {
            figure::render(flow, f)?;
            flow.space(BLOCK_GAP + 4.0);
        }
        Block::Callout { tone, text } => callout(flow, *tone, text),
        Block::Spacer(h) => flow.space(*h),
        Block::PageBreak => {
            if !flow.is_fresh() {
                flow.new_page();
            }
        }
    }
    Ok(())
}

fn title(flow: &mut Flow<'_>, text: &str) {
    let lines = flow.wrap(text, BODY_W, Face::Bold, TITLE);
    flow.ensure(lines.len() as f32 * TITLE.leading + 40.0);
    let y = flow.y();
    flow.decor(Artifact::Layout)
        .fill_rect(MARGIN_X, y, 36.0, 3.0, ACCENT);
    flow.advance(12.0);
    flow.begin(Role::H1);
    flow.lines(&lines, MARGIN_X, Face::Bold, TITLE, ACCENT);
    flow.end();
    flow.space(12.0);
}

fn heading(flow: &mut Flow<'_>, text: &str, next: Option<&Block>) {
    flow.space(6.0);
    let lines = flow.wrap(text, BODY_W, Face::Bold, H2);
    // Keep the heading with a table's header and first row, or with three lines of anything
    // else.
    let follows = match next {
        Some(Block::Table(t)) => 3.0 + table::opening_height(flow, t),
        _ => 3.0 * BODY.leading,
    };
    flow.ensure(lines.len() as f32 * H2.leading + follows);
    flow.begin(Role::H2);
    flow.lines(&lines, MARGIN_X, Face::Bold, H2, ACCENT);
    flow.end();
    flow.advance(3.0);
}

fn bullets(flow: &mut Flow<'_>, items: &[String]) {
    const INDENT: f32 = 12.0;
    let base = flow.baseline(BODY);
    flow.begin(Role::L);
    for item in items {
        let lines = flow.wrap(item, BODY_W - INDENT, Face::Regular, BODY);
        // Keep short items whole; long ones may continue on the next page.
        let h = lines.len() as f32 * BODY.leading;
        if h <= BODY_H {
            flow.ensure(h);
        }
        flow.begin(Role::LI);
        let label = flow.element(Role::Lbl);
        let body = flow.element(Role::LBody);
        for (i, line) in lines.iter().enumerate() {
            flow.ensure(BODY.leading);
            let y = flow.y() + base;
            if i == 0 {
                flow.enter(label);
                flow.canvas()
                    .text(MARGIN_X + 2.0, y, Face::Bold, BODY.size, ACCENT, "•");
                flow.end();
            }
            flow.enter(body);
            flow.canvas()
                .text(MARGIN_X + INDENT, y, Face::Regular, BODY.size, INK, line);
            flow.end();
            flow.advance(BODY.leading);
        }
        flow.end();
        flow.advance(2.0);
    }
    flow.end();
    flow.space(BLOCK_GAP - 2.0);
}

fn key_value(flow: &mut Flow<'_>, pairs: &[(String, String)]) {
    const PAD: f32 = 3.0;
    const KEY_GAP: f32 = 12.0;
    let fonts = flow.fonts();
    let widest_key = pairs
        .iter()
        .map(|(k, _)| fonts.width(Face::Bold, k, SMALL.size))
        .fold(0.0f32, f32::max);
    let key_w = (widest_key + KEY_GAP).clamp(70.0, BODY_W * 0.38);
    let value_x = MARGIN_X + key_w;
    let value_w = BODY_W - key_w;
    // Keys are set smaller than values but share their baselines.
    let base = flow.baseline(BODY);
    flow.begin(Role::Table);
    for (key, value) in pairs {
        let key_lines = flow.wrap(key, key_w - KEY_GAP, Face::Bold, SMALL);
        let value_lines = flow.wrap(value, value_w, Face::Regular, BODY);
        let n = key_lines.len().max(value_lines.len());
        let h = n as f32 * BODY.leading + 2.0 * PAD;
        if h <= BODY_H {
            flow.ensure(h);
        }
        flow.advance(PAD);
        flow.begin(Role::TR);
        let key_cell = flow.element(Tag::header(Scope::Row));
        let value_cell = flow.element(Role::TD);
        for i in 0..n {
            if flow.ensure(BODY.leading + PAD) {
                flow.advance(PAD);
            }
            let y = flow.y() + base;
            if let Some(k) = key_lines.get(i) {
                flow.enter(key_cell);
                flow.canvas()
                    .text(MARGIN_X, y, Face::Bold, SMALL.size, SUBTLE, k);
                flow.end();
            }
            if let Some(v) = value_lines.get(i) {
                flow.enter(value_cell);
                flow.canvas()
                    .text(value_x, y, Face::Regular, BODY.size, INK, v);
                flow.end();
            }
            flow.advance(BODY.leading);
        }
        flow.end();
        flow.advance(PAD);
        let y = flow.y();
        flow.decor(Artifact::Layout).line(
            crate::canvas::P { x: MARGIN_X, y },
            crate::canvas::P {
                x: MARGIN_X + BODY_W,
                y,
            },
            0.4,
            RULE,
        );
    }
    flow.end();
    flow.space(BLOCK_GAP + 2.0);
}

fn callout(flow: &mut Flow<'_>, tone: Tone, text: &str) {
    const PAD: f32 = 7.0;
    const BAR: f32 = 3.0;
    let text_x = MARGIN_X + BAR + PAD + 2.0;
    let lines = flow.wrap(text, BODY_W - BAR - 2.0 * PAD - 2.0, Face::Regular, BODY);
    let base = flow.baseline(BODY);
    let mut rest: &[String] = &lines;
    let whole = lines.len() as f32 * BODY.leading + 2.0 * PAD;
    if whole <= BODY_H {
        flow.ensure(whole);
    }
    flow.begin(Role::P);
    while !rest.is_empty() {
        // As many lines as fit on this page (at least one, on a fresh page).
        let fit = ((flow.remaining() - 2.0 * PAD) / BODY.leading).floor();
        if fit < 1.0 && !flow.is_fresh() {
            flow.new_page();
            continue;
        }
        let take = (fit.max(1.0) as usize).min(rest.len());
        let (chunk, tail) = rest.split_at(take);
        let h = chunk.len() as f32 * BODY.leading + 2.0 * PAD;
        let top = flow.y();
        let decor = flow.decor(Artifact::Layout);
        decor.fill_rect(MARGIN_X, top, BODY_W, h, tone_tint(tone));
        decor.fill_rect(MARGIN_X, top, BAR, h, tone_ink(tone));
        let canvas = flow.canvas();
        for (i, line) in chunk.iter().enumerate() {
            let y = top + PAD + i as f32 * BODY.leading + base;
            canvas.text(text_x, y, Face::Regular, BODY.size, INK, line);
        }
        flow.advance(h);
        rest = tail;
    }
    flow.end();
    flow.space(BLOCK_GAP + 2.0);
}
