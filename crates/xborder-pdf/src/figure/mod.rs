//! Data-flow figures: grouped nodes and orthogonally routed, coloured edges.
//!
//! Layout, in order:
//! 1. Groups take the cells of a grid of columns, wrapping into bands when
//!    they do not fit side by side. The busiest group goes near the middle
//!    and the groups it exchanges the most edges with next to it, so a hub's
//!    edges fan out to its neighbours instead of crossing the whole figure.
//!    Node rows are aligned across the columns of a band, so the spaces
//!    between columns ("corridors") and between node rows ("channels") are
//!    free of nodes.
//! 2. Nodes are reordered inside their group with a few barycentre sweeps to
//!    reduce crossings (stable sorts: the result is deterministic). A node is
//!    as tall as its whole label, never cut, and as the edges attached to
//!    one of its sides need to stay apart.
//! 3. Every edge leaves its source on the side facing the target, runs
//!    vertically in a corridor, horizontally in a channel if it must cross
//!    columns, and enters the target from the side facing the source. Runs
//!    that overlap get lanes of their own, a visible distance apart, so lines
//!    never merge into one trunk; runs that do not overlap share a lane, so a
//!    corridor is only as wide as its busiest point.
//! 4. Edges carry a small number (their position in the input), on a badge
//!    that covers no node, group title or other badge; the numbered labels
//!    are listed below the figure, where they can be as long as they need to
//!    be and stay extractable text.
//!
//! The diagram is laid out at its natural size for the text width, then
//! scaled down so that it and its key share a page where they can.
//!
//! This module holds the shared geometry and [`render`], which places the
//! figure on the page. The parts, in the order they run:
//! - `grid`: which cell of the grid each group takes (step 1);
//! - `layout`: columns, bands, node boxes and the layout passes (steps 1
//!   and 2);
//! - `route`: sides, ports and channels of every edge, and its polyline
//!   (step 3);
//! - `lanes`: the lanes of the runs inside one corridor or channel (step 3);
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
mod grid;
mod key;
mod lanes;
mod layout;
mod route;
#[cfg(test)]
mod tests;

use crate::RenderError;
use crate::canvas::P;
use crate::flow::Flow;
use crate::model::{FlowFigure, Tone};
use crate::structure::Tag;
use crate::theme::{BODY_W, MARGIN_X, PAGE_H, SMALL, TextStyle};

/// Width of the corridors between (and outside) the group columns in the
/// first layout pass; the second pass sizes each from its lanes.
const GAP: f32 = 20.0;
const MIN_GAP: f32 = 12.0;
const MAX_GAP: f32 = 72.0;
/// Distance between parallel vertical lanes, when there is room.
const LANE_X: f32 = 3.8;
/// Distance between parallel horizontal lanes.
const LANE_Y: f32 = 4.0;
/// The closest lanes may come when a figure is short of room: closer, and
/// two lines drawn at the report's scale read as one.
const LANE_MIN: f32 = 2.8;
/// Distance between the ends of edges on one side of a node; the ends on
/// left sides sit half of it below those on right sides.
const PORT_GAP: f32 = 5.6;
/// Space between a node's top or bottom and the nearest end of an edge.
const PORT_PAD: f32 = 3.0;
const MIN_ROW_GAP: f32 = 12.0;
/// Extra routing cost per edge already using a channel.
const LOAD_PENALTY: f32 = 12.0;
/// A group is split into columns of at least this many nodes.
const MIN_PART: usize = 4;
/// Narrowest acceptable group column (decides how many fit side by side).
const MIN_COL_W: f32 = 66.0;
/// Corridors are only widened while columns stay at least this wide.
const PREFERRED_COL_W: f32 = 84.0;
/// Group title type; the title wraps onto as many lines as its column needs.
const GROUP_LABEL_SIZE: f32 = 7.5;
const GROUP_LABEL_LEADING: f32 = 8.6;
/// Space above and below a group's title.
const HEADER_PAD: f32 = 5.0;
/// Horizontal inset of nodes inside their group box.
const GROUP_PAD_X: f32 = 4.0;
/// Space below the last node row of a group box.
const GROUP_PAD_BOTTOM: f32 = 7.0;
/// Vertical distance between node rows (a channel for horizontal lanes) in
/// the first layout pass.
const ROW_GAP: f32 = 16.0;
/// Vertical distance between bands, and the channel below the last band.
const BAND_GAP: f32 = 18.0;
/// Node label type.
const NODE_TEXT: TextStyle = TextStyle {
    size: 6.3,
    leading: 7.4,
};
const NODE_PAD_X: f32 = 2.5;
const NODE_PAD_Y: f32 = 3.0;
/// A safety valve, not a design limit: entity names wrap onto as many lines
/// as they need, and only a name longer than a short paragraph is cut.
const NODE_MAX_LINES: usize = 8;
const EDGE_W: f32 = 0.75;
const ARROW_LEN: f32 = 4.5;
const ARROW_HALF: f32 = 2.0;
const CORNER: f32 = 3.0;
const BADGE_SIZE: f32 = 5.5;
/// Key and legend type.
const KEY_TEXT: TextStyle = TextStyle {
    size: 7.0,
    leading: 8.8,
};
/// The smallest scale the diagram is drawn at to keep its key on its page:
/// below it, the key continues on the next page instead.
const MIN_KEY_SCALE: f32 = 0.62;

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

    fn grown(&self, by: f32) -> Rect {
        Rect {
            x: self.x - by,
            y: self.y - by,
            w: self.w + 2.0 * by,
            h: self.h + 2.0 * by,
        }
    }

    fn center(&self) -> P {
        P {
            x: self.x + self.w / 2.0,
            y: self.y + self.h / 2.0,
        }
    }

    fn tuple(&self, origin: P) -> (f32, f32, f32, f32) {
        (origin.x + self.x, origin.y + self.y, self.w, self.h)
    }
}

/// The side of a node an edge attaches to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
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

/// A channel: the free space across a band between two node rows (or below
/// the band), where edges run across columns; `closed` lists the columns
/// where a node reaching down from the row above fills it.
struct Channel {
    top: f32,
    h: f32,
    closed: Vec<usize>,
}

/// A placed group: its title, wrapped, and the box around its nodes.
struct GroupBox {
    lines: Vec<String>,
    rect: Rect,
    /// Height of the title area at the top of the box.
    header_h: f32,
}

/// A routed edge in diagram coordinates.
struct Route {
    points: Vec<P>,
    tone: Tone,
    number: Option<usize>,
}

/// An edge's number on the diagram: its box, and where on its route it is
/// tied to when no free place on the route was found (a leader line joins
/// them).
struct Badge {
    rect: Rect,
    number: usize,
    tone: Tone,
    leader: Option<P>,
}

/// The laid-out diagram (without legend, key and caption).
struct Diagram {
    width: f32,
    height: f32,
    groups: Vec<GroupBox>,
    nodes: Vec<Node>,
    routes: Vec<Route>,
    badges: Vec<Badge>,
}

/// Lay out and draw `fig` at the cursor, followed by its legend, caption
/// and edge key: scaled down so that the key fits on the figure's page
/// where it can, or with the key continuing on the next page.
pub fn render(flow: &mut Flow<'_>, fig: &FlowFigure) -> Result<(), RenderError> {
    let fonts = flow.fonts();
    let diagram = layout::layout(fig, fonts, BODY_W)?;
    let number = flow.next_figure_number();
    let key = key::Key::new(flow, fig);
    let legend_h = key::legend_height(flow, fig);
    let caption_h = key::caption_height(flow, number, &fig.caption);
    // Below the diagram: its gap, the legend, the caption and the key.
    let below = 6.0 + legend_h + caption_h + key.height();
    let needed = diagram.height + below;
    if needed > flow.remaining() && !flow.is_fresh() {
        flow.new_page();
    }
    let room = flow.remaining();
    let scale = if needed <= room {
        1.0
    } else {
        // The whole key on this page while the diagram stays legible; when
        // the key cannot fit even so, it continues on the next page and the
        // diagram is drawn as large as the page allows with the start of it.
        let with_key = (room - below) / diagram.height;
        let alone = (room - 6.0 - legend_h - caption_h - key.first_row_height()) / diagram.height;
        // Never larger than the page, however small that makes it.
        if with_key >= MIN_KEY_SCALE {
            with_key
        } else {
            alone
        }
        .clamp(0.0, 1.0)
        .min((room / diagram.height).max(0.0))
    };
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
    key.render(flow, number);
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

/// The small print style of captions, shared with the key.
const CAPTION: TextStyle = SMALL;
