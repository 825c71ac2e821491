//! Tables: column sizing, cell wrapping, pagination with repeated headers.
//!
//! Style: shaded header row, horizontal hairlines only (no vertical rules),
//! toned cells get a light tint and bold coloured text. A short row moves to
//! the next page as a whole when it does not fit; a long one (a list of many
//! items) is split between lines instead, so it does not leave most of a
//! page empty. Every page the table touches starts with the header row, so a
//! reader of page 37 still knows what the columns are.
//!
//! Structure (ISO 32000-1 §14.8.4.3.4): a `Table` of `TR`s, the header row's cells `TH`s
//! with `/Scope /Column`, the body's `TD`s. The header repeated on a continuation page is a
//! pagination artifact: it is read once, where the table starts. A row split over two pages
//! keeps one `TD` per cell, with content on both pages. Tints and rules are artifacts.

use crate::RenderError;
use crate::canvas::{Artifact, Canvas, P};
use crate::flow::{BODY_H, Flow};
use crate::fonts::Face;
use crate::model::{Align, Cell, Table, Tone};
use crate::structure::{ElementId, Role, Scope, Tag};
use crate::theme::{
    BODY_W, CELL, HEADER_FILL, INK, MARGIN_X, RULE, RULE_STRONG, tone_ink, tone_tint,
};

const PAD_X: f32 = 4.0;
const PAD_Y: f32 = 3.0;
/// A row of up to this many lines is kept on one page.
const KEEP_WHOLE_LINES: usize = 12;
/// A longer row starts on the current page only if this many of its lines fit.
const SPLIT_MIN_LINES: usize = 4;

/// Column geometry.
struct Col {
    x: f32,
    w: f32,
    align: Align,
}

/// A laid-out cell: wrapped lines plus style.
struct CellLayout {
    lines: Vec<String>,
    face: Face,
    tone: Option<Tone>,
}

/// Normalise relative widths to absolute column positions.
fn columns(table: &Table) -> Vec<Col> {
    let weights: Vec<f32> = table
        .columns
        .iter()
        .map(|c| {
            if c.width.is_finite() && c.width > 0.0 {
                c.width
            } else {
                1.0
            }
        })
        .collect();
    let total: f32 = weights.iter().sum();
    let mut x = MARGIN_X;
    table
        .columns
        .iter()
        .zip(weights)
        .map(|(c, weight)| {
            let w = BODY_W * weight / total;
            let col = Col {
                x,
                w,
                align: c.align,
            };
            x += w;
            col
        })
        .collect()
}

fn line_x(col: &Col, line_w: f32) -> f32 {
    match col.align {
        Align::Left => col.x + PAD_X,
        Align::Right => col.x + col.w - PAD_X - line_w,
        Align::Center => col.x + (col.w - line_w) / 2.0,
    }
}

fn layout_cell(flow: &Flow<'_>, cell: &Cell, col: &Col) -> CellLayout {
    let tone = cell.tone.filter(|t| *t != Tone::Neutral);
    let face = match tone {
        Some(Tone::Good | Tone::Caution | Tone::Bad) => Face::Bold,
        _ => Face::Regular,
    };
    CellLayout {
        lines: flow.wrap(&cell.text, col.w - 2.0 * PAD_X, face, CELL),
        face,
        tone,
    }
}

struct Painter<'a> {
    cols: &'a [Col],
    header: &'a [Vec<String>],
    header_h: f32,
    base: f32,
}

impl Painter<'_> {
    /// The header row: the table's first `TR` where the table starts (`first`), a pagination
    /// artifact where it is repeated.
    fn header(&self, flow: &mut Flow<'_>, first: bool) {
        let top = flow.y();
        let fonts = flow.fonts();
        let (cols, header, base, header_h) = (self.cols, self.header, self.base, self.header_h);
        flow.decor(Artifact::Layout)
            .fill_rect(MARGIN_X, top, BODY_W, header_h, HEADER_FILL);
        if first {
            flow.begin(Role::TR);
        }
        for (col, lines) in cols.iter().zip(header) {
            let canvas = if first {
                flow.begin(Tag::header(Scope::Column));
                flow.canvas()
            } else {
                flow.decor(Artifact::Repeated)
            };
            for (i, line) in lines.iter().enumerate() {
                let w = fonts.width(Face::Bold, line.trim_end(), CELL.size);
                let y = top + PAD_Y + i as f32 * CELL.leading + base;
                canvas.text(line_x(col, w), y, Face::Bold, CELL.size, INK, line);
            }
            if first {
                flow.end();
            }
        }
        if first {
            flow.end();
        }
        rule(
            flow.decor(Artifact::Layout),
            top + header_h,
            0.8,
            RULE_STRONG,
        );
        flow.advance(header_h);
    }

    /// Draw lines `from..from + count` of every cell as one row slice; `tds` are the cells'
    /// elements.
    fn row_slice(
        &self,
        flow: &mut Flow<'_>,
        row: &[(CellLayout, ElementId)],
        from: usize,
        count: usize,
    ) {
        let top = flow.y();
        let h = count as f32 * CELL.leading + 2.0 * PAD_Y;
        let fonts = flow.fonts();
        let base = self.base;
        // The tints first, in one artifact sequence: they lie under their own cell only, so
        // drawing them before the text of the cells to their left changes nothing on the page.
        for (col, (cell, _)) in self.cols.iter().zip(row) {
            if let Some(tone) = cell.tone {
                flow.decor(Artifact::Layout)
                    .fill_rect(col.x, top, col.w, h, tone_tint(tone));
            }
        }
        for (col, (cell, td)) in self.cols.iter().zip(row) {
            let ink = cell.tone.map_or(INK, tone_ink);
            flow.enter(*td);
            let canvas = flow.canvas();
            for (i, line) in cell.lines.iter().skip(from).take(count).enumerate() {
                let w = fonts.width(cell.face, line.trim_end(), CELL.size);
                let y = top + PAD_Y + i as f32 * CELL.leading + base;
                canvas.text(line_x(col, w), y, cell.face, CELL.size, ink, line);
            }
            flow.end();
        }
        rule(flow.decor(Artifact::Layout), top + h, 0.35, RULE);
        flow.advance(h);
    }
}

fn rule(canvas: &mut Canvas, y: f32, width: f32, ink: crate::theme::Rgb) {
    canvas.line(
        P { x: MARGIN_X, y },
        P {
            x: MARGIN_X + BODY_W,
            y,
        },
        width,
        ink,
    );
}

/// A table's column layout, wrapped header, and the height of its header with its first row:
/// what must fit before the table starts on a page.
struct Opening {
    cols: Vec<Col>,
    header: Vec<Vec<String>>,
    header_h: f32,
    height: f32,
}

fn opening(flow: &Flow<'_>, table: &Table) -> Opening {
    let cols = columns(table);
    let header: Vec<Vec<String>> = table
        .columns
        .iter()
        .zip(&cols)
        .map(|(c, col)| flow.wrap(&c.title, col.w - 2.0 * PAD_X, Face::Bold, CELL))
        .collect();
    let header_lines = header.iter().map(Vec::len).max().unwrap_or(1).max(1);
    let header_h = header_lines as f32 * CELL.leading + 2.0 * PAD_Y;
    let one_line = CELL.leading + 2.0 * PAD_Y;
    let first_h = table.rows.first().map_or(0.0, |row| {
        let n = row
            .iter()
            .zip(&cols)
            .map(|(c, col)| layout_cell(flow, c, col).lines.len())
            .max()
            .unwrap_or(1);
        // A long first row is split: only its first lines need to fit.
        let first = if n > KEEP_WHOLE_LINES {
            SPLIT_MIN_LINES
        } else {
            n
        };
        (first.min(page_lines(header_h))) as f32 * CELL.leading + 2.0 * PAD_Y
    });
    Opening {
        cols,
        header,
        header_h,
        height: header_h + first_h.max(one_line),
    }
}

/// Lines of a single row that fit on an otherwise empty page under the header.
fn page_lines(header_h: f32) -> usize {
    (((BODY_H - header_h - 2.0 * PAD_Y) / CELL.leading).floor() as usize).max(1)
}

/// The height `table` needs on its first page (header and first row), so that a heading
/// above it can stay on the same page.
pub fn opening_height(flow: &Flow<'_>, table: &Table) -> f32 {
    if table.columns.is_empty() {
        0.0
    } else {
        opening(flow, table).height
    }
}

/// Lay out `table` at the cursor, continuing over as many pages as needed.
pub fn render(flow: &mut Flow<'_>, table: &Table) -> Result<(), RenderError> {
    if table.columns.is_empty() {
        return Ok(());
    }
    for (index, row) in table.rows.iter().enumerate() {
        if row.len() != table.columns.len() {
            return Err(RenderError::TableShape {
                row: index,
                expected: table.columns.len(),
                found: row.len(),
            });
        }
    }
    let Opening {
        cols,
        header,
        header_h,
        height,
    } = opening(flow, table);
    let painter = Painter {
        cols: &cols,
        header: &header,
        header_h,
        base: flow.baseline(CELL),
    };
    let page_lines = page_lines(header_h);
    flow.ensure(height);
    flow.begin(Role::Table);
    painter.header(flow, true);

    for row in &table.rows {
        flow.begin(Role::TR);
        let cells: Vec<(CellLayout, ElementId)> = row
            .iter()
            .zip(&cols)
            .map(|(c, col)| (layout_cell(flow, c, col), flow.element(Role::TD)))
            .collect();
        let n = cells
            .iter()
            .map(|(c, _)| c.lines.len())
            .max()
            .unwrap_or(1)
            .max(1);
        let h = n as f32 * CELL.leading + 2.0 * PAD_Y;
        let fit_here = ((flow.remaining() - 2.0 * PAD_Y) / CELL.leading).floor();
        let keep_whole = n <= page_lines.min(KEEP_WHOLE_LINES);
        if h > flow.remaining() && (keep_whole || fit_here < SPLIT_MIN_LINES as f32) {
            flow.new_page();
            painter.header(flow, false);
        }
        let mut from = 0;
        let mut just_opened = false;
        while from < n {
            let fit = ((flow.remaining() - 2.0 * PAD_Y) / CELL.leading).floor();
            if fit < 1.0 && !just_opened {
                flow.new_page();
                painter.header(flow, false);
                just_opened = true;
                continue;
            }
            // On a page that holds nothing but the header, always make
            // progress, even if an absurdly tall header leaves no room.
            let count = (fit.max(1.0) as usize).min(n - from);
            painter.row_slice(flow, &cells, from, count);
            from += count;
            just_opened = false;
        }
        flow.end();
    }
    flow.end();
    let y = flow.y();
    rule(flow.decor(Artifact::Layout), y, 0.8, RULE_STRONG);
    Ok(())
}
