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
//!
//! This module holds the shared geometry and [`render`], which places the
//! figure on the page. The parts, in the order they run:
//! - `layout`: columns, bands, node boxes and the two layout passes (steps 1
//!   and 2);
//! - `route`: sides, ports, channels and corridor lanes of every edge (step 3);
//! - `badges`: where each edge's number sits on its route (step 4);
//! - `draw`: the diagram as vector graphics;
//! - `key`: the legend, caption and numbered edge key below the diagram.
//!
//! In the structure tree (ISO 32000-1 §14.8.4.5) the drawing is one `Figure` element whose
//! `/Alt` says in words what it shows ([`FlowFigure::alt`], or a count of its boxes and
//! arrows when the caller gives none); the legend, caption and key that follow are text
//! elements of their own (see `key`).

mod badges;
mod draw;
mod key;
mod layout;
mod route;

use crate::RenderError;
use crate::canvas::P;
use crate::flow::{BODY_H, Flow};
use crate::model::{FlowFigure, Tone};
use crate::structure::Tag;
use crate::theme::{BODY_W, MARGIN_X, PAGE_H, SMALL, TextStyle};

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

/// A box in diagram coordinates (y grows downwards).
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

/// The side of a node an edge attaches to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Left,
    Right,
}

/// A placed node: its group, wrapped label lines and box.
struct Node {
    group: usize,
    lines: Vec<String>,
    rect: Rect,
}

/// A placed group: its title and the box around its nodes.
struct GroupBox {
    label: String,
    rect: Rect,
}

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

/// Lay out and draw `fig` at the cursor, followed by its legend, caption
/// and edge key.
pub fn render(flow: &mut Flow<'_>, fig: &FlowFigure) -> Result<(), RenderError> {
    let fonts = flow.fonts();
    let diagram = layout::layout(fig, fonts, BODY_W)?;
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
    // Left, bottom, right, top in PDF user space.
    let bbox = [
        origin.x,
        PAGE_H - origin.y - diagram.height * scale,
        origin.x + width,
        PAGE_H - origin.y,
    ];
    flow.begin(Tag::figure(alt_text(fig), bbox));
    {
        let canvas = flow.canvas();
        if scale < 1.0 {
            canvas.save();
            canvas.scale_about(origin, scale);
        }
        draw::draw(&diagram, canvas, fonts, origin);
        if scale < 1.0 {
            canvas.restore();
        }
    }
    flow.end();
    flow.advance(diagram.height * scale + 6.0);
    key::legend(flow, fig);
    key::caption(flow, number, &fig.caption);
    key::key(flow, fig);
    Ok(())
}

/// The figure's alternative text: the caller's, or what the model says of its shape.
fn alt_text(fig: &FlowFigure) -> String {
    if !fig.alt.trim().is_empty() {
        return fig.alt.trim().to_string();
    }
    let nodes: usize = fig.groups.iter().map(|g| g.nodes.len()).sum();
    format!(
        "Diagram of {nodes} boxes in {} groups ({}) joined by {} arrows, listed in the key below it.",
        fig.groups.len(),
        fig.groups
            .iter()
            .map(|g| g.label.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        fig.edges.len()
    )
}
