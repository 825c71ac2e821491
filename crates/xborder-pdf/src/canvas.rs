//! Drawing primitives for one page, on top of printpdf operations.
//!
//! Layout code thinks top-down (y grows towards the bottom of the page, like
//! reading order); PDF user space is bottom-up. The [`Canvas`] converts once,
//! here, so no other module has to.
//!
//! Two printpdf details shape this module:
//! * `Op::SetTextCursor` emits a relative `Td`, which is only absolute as the
//!   first move after `BT`. Every text run therefore gets its own text object
//!   (`BT … Td … Tj ET`), which keeps positioning exact and simple.
//! * Coordinates are rounded to 1/100 pt before they are written: it keeps the
//!   content streams short and the output independent of float noise.
//!
//! The fill colour and the font (`rg`, `Tf`) are part of the graphics state and persist
//! across text objects (ISO 32000-1 §8.4, §9.3.1), so the canvas writes them only when they
//! change: a table page of the audit sets the same colour and font for hundreds of cells.
//! `Q` restores a state the canvas does not track, so after it both are written again.
//!
//! Every operation is marked (tagged PDF, ISO 32000-1 §14.6 and §14.8.2.2): as content of a
//! structure element, in a `/Role <</MCID n>> BDC … EMC` sequence, or as an artifact (page
//! furniture, rules and tints), in `/Artifact <<…>> BDC … EMC`. Layout says what comes next
//! with [`Canvas::mark`]; the canvas opens the sequence lazily, before the first operation
//! that draws, and closes it when the mark changes or the page ends, so a mark that draws
//! nothing leaves nothing in the file. Marked content never starts or ends inside a text
//! object, and a `q … Q` pair opened inside a sequence is closed inside it.

use printpdf::{
    Color, CurTransMat, ExtendedGraphicsStateId, Line, LinePoint, Op, PaintMode, PdfFontHandle,
    Point, Polygon, PolygonRing, Pt, Rect, TextItem, WindingOrder,
};

use crate::fonts::{Face, font_id};
use crate::structure::{ElementId, Role};
use crate::theme::{PAGE_H, Rgb};

fn round(v: f32) -> f32 {
    (v * 100.0).round() / 100.0
}

fn color(c: Rgb) -> Color {
    Color::Rgb(printpdf::Rgb {
        r: (c.0 * 1000.0).round() / 1000.0,
        g: (c.1 * 1000.0).round() / 1000.0,
        b: (c.2 * 1000.0).round() / 1000.0,
        icc_profile: None,
    })
}

/// A point in layout coordinates (points, y from the top of the page).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct P {
    /// Distance from the left edge.
    pub x: f32,
    /// Distance from the top edge.
    pub y: f32,
}

/// One segment of a path.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Seg {
    /// Straight line to the point.
    Line(P),
    /// Cubic Bézier with two control points and an end point.
    Curve(P, P, P),
}

/// What an artifact is (ISO 32000-1 §14.8.2.2.2, Table 330 `/Type` and `/Subtype`): not
/// part of the document's content, so a screen reader skips it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Artifact {
    /// Rules, tints and bars that only lay the content out.
    Layout,
    /// The running header.
    Header,
    /// The footer: title and page number.
    Footer,
    /// The diagonal watermark.
    Watermark,
    /// A table's header row repeated on a continuation page.
    Repeated,
}

impl Artifact {
    fn properties(self) -> printpdf::DictItem {
        let name = |n: &str| printpdf::DictItem::Name(n.as_bytes().to_vec());
        let (kind, subtype) = match self {
            Self::Layout => ("Layout", None),
            Self::Header => ("Pagination", Some("Header")),
            Self::Footer => ("Pagination", Some("Footer")),
            Self::Watermark => ("Pagination", Some("Watermark")),
            Self::Repeated => ("Pagination", None),
        };
        let mut map = std::collections::BTreeMap::new();
        map.insert("Type".to_string(), name(kind));
        if let Some(subtype) = subtype {
            map.insert("Subtype".to_string(), name(subtype));
        }
        printpdf::DictItem::Dict { map }
    }
}

/// What the operations drawn next are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// Content of a structure element.
    Content(ElementId, Role),
    /// An artifact.
    Artifact(Artifact),
}

/// Accumulates the operations of one page.
#[derive(Debug, Default)]
pub struct Canvas {
    ops: Vec<Op>,
    /// The fill colour in effect, when known.
    fill: Option<Rgb>,
    /// The font and size in effect, when known.
    font: Option<(Face, f32)>,
    /// What the next drawing operation is.
    wanted: Option<Mark>,
    /// The marked-content sequence open in the stream, if any.
    open: Option<Mark>,
    /// The element of each MCID of the page, in order: MCIDs are numbered from 0 on every
    /// page (§14.7.4.4).
    owners: Vec<ElementId>,
}

impl Canvas {
    /// An empty page.
    pub fn new() -> Self {
        Self::default()
    }

    /// The finished operation list, and the element of each of the page's MCIDs.
    pub fn finish(mut self) -> (Vec<Op>, Vec<ElementId>) {
        self.close();
        (self.ops, self.owners)
    }

    /// Mark what is drawn next; takes effect at the next operation that draws.
    pub fn mark(&mut self, mark: Mark) {
        self.wanted = Some(mark);
    }

    /// Mark nothing: what is drawn next is outside any marked-content sequence until the
    /// next [`Canvas::mark`]. Layout ends every page so, so that drawing added later must say
    /// what it is rather than run on as the content of the page's last element.
    pub fn unmark(&mut self) {
        self.wanted = None;
    }

    /// Close the open marked-content sequence, if any.
    fn close(&mut self) {
        if self.open.take().is_some() {
            self.ops.push(Op::EndMarkedContent);
        }
    }

    /// Open the sequence of the wanted mark, unless it is already open. Called first by every
    /// method that writes an operation, so that no operation goes unmarked.
    fn sync(&mut self) {
        if self.open == self.wanted {
            return;
        }
        self.close();
        match self.wanted {
            Some(Mark::Content(element, role)) => {
                let mcid = self.owners.len() as i64;
                self.owners.push(element);
                let mut map = std::collections::BTreeMap::new();
                map.insert("MCID".to_string(), printpdf::DictItem::Int(mcid));
                self.ops.push(Op::BeginMarkedContentWithProperties {
                    tag: role.name().to_string(),
                    properties: printpdf::DictItem::Dict { map },
                });
            }
            Some(Mark::Artifact(kind)) => {
                self.ops.push(Op::BeginMarkedContentWithProperties {
                    tag: "Artifact".to_string(),
                    properties: kind.properties(),
                });
            }
            None => {}
        }
        self.open = self.wanted;
    }

    fn pdf_point(p: P) -> Point {
        Point {
            x: Pt(round(p.x)),
            y: Pt(round(PAGE_H - p.y)),
        }
    }

    /// Set one run of text with its baseline starting at (`x`, `baseline`).
    pub fn text(&mut self, x: f32, baseline: f32, face: Face, size: f32, ink: Rgb, text: &str) {
        if text.is_empty() {
            return;
        }
        self.sync();
        self.set_fill(ink);
        self.ops.push(Op::StartTextSection);
        self.set_font(face, size);
        self.ops.push(Op::SetTextCursor {
            pos: Self::pdf_point(P { x, y: baseline }),
        });
        self.ops.push(Op::ShowText {
            items: vec![TextItem::Text(text.to_string())],
        });
        self.ops.push(Op::EndTextSection);
    }

    /// Fill an axis-aligned rectangle whose top-left corner is (`x`, `y`).
    pub fn fill_rect(&mut self, x: f32, y: f32, w: f32, h: f32, fill: Rgb) {
        self.sync();
        self.set_fill(fill);
        self.ops.push(Op::DrawRectangle {
            rectangle: Rect {
                x: Pt(round(x)),
                y: Pt(round(PAGE_H - y - h)),
                width: Pt(round(w)),
                height: Pt(round(h)),
                mode: Some(PaintMode::Fill),
                winding_order: Some(WindingOrder::NonZero),
            },
        });
    }

    /// Straight line.
    pub fn line(&mut self, from: P, to: P, width: f32, ink: Rgb) {
        self.stroke_path(from, &[Seg::Line(to)], width, ink);
    }

    /// Stroke an open path made of lines and curves.
    pub fn stroke_path(&mut self, start: P, segs: &[Seg], width: f32, ink: Rgb) {
        self.sync();
        self.ops.push(Op::SetOutlineColor { col: color(ink) });
        self.ops.push(Op::SetOutlineThickness { pt: Pt(width) });
        self.ops.push(Op::DrawLine {
            line: Line {
                points: path_points(start, segs),
                is_closed: false,
            },
        });
    }

    /// Fill a closed shape made of lines and curves.
    pub fn fill_path(&mut self, start: P, segs: &[Seg], fill: Rgb) {
        self.sync();
        self.set_fill(fill);
        self.ops.push(Op::DrawPolygon {
            polygon: Polygon {
                rings: vec![PolygonRing {
                    points: path_points(start, segs),
                }],
                mode: PaintMode::Fill,
                winding_order: WindingOrder::NonZero,
            },
        });
    }

    /// Rounded rectangle, filled and optionally outlined.
    pub fn round_rect(
        &mut self,
        (x, y, w, h): (f32, f32, f32, f32),
        radius: f32,
        fill: Rgb,
        stroke: Option<(Rgb, f32)>,
    ) {
        let r = radius.min(w / 2.0).min(h / 2.0).max(0.0);
        // 0.5523 is the usual cubic approximation of a quarter circle.
        let k = r * 0.5523;
        let start = P { x: x + r, y };
        let segs = [
            Seg::Line(P { x: x + w - r, y }),
            Seg::Curve(
                P {
                    x: x + w - r + k,
                    y,
                },
                P {
                    x: x + w,
                    y: y + r - k,
                },
                P { x: x + w, y: y + r },
            ),
            Seg::Line(P {
                x: x + w,
                y: y + h - r,
            }),
            Seg::Curve(
                P {
                    x: x + w,
                    y: y + h - r + k,
                },
                P {
                    x: x + w - r + k,
                    y: y + h,
                },
                P {
                    x: x + w - r,
                    y: y + h,
                },
            ),
            Seg::Line(P { x: x + r, y: y + h }),
            Seg::Curve(
                P {
                    x: x + r - k,
                    y: y + h,
                },
                P {
                    x,
                    y: y + h - r + k,
                },
                P { x, y: y + h - r },
            ),
            Seg::Line(P { x, y: y + r }),
            Seg::Curve(P { x, y: y + r - k }, P { x: x + r - k, y }, start),
        ];
        self.sync();
        self.set_fill(fill);
        let mode = match stroke {
            Some((ink, width)) => {
                self.ops.push(Op::SetOutlineColor { col: color(ink) });
                self.ops.push(Op::SetOutlineThickness { pt: Pt(width) });
                PaintMode::FillStroke
            }
            None => PaintMode::Fill,
        };
        self.ops.push(Op::DrawPolygon {
            polygon: Polygon {
                rings: vec![PolygonRing {
                    points: path_points(start, &segs),
                }],
                mode,
                winding_order: WindingOrder::NonZero,
            },
        });
    }

    /// `q`: save the graphics state.
    pub fn save(&mut self) {
        self.sync();
        self.ops.push(Op::SaveGraphicsState);
    }

    /// `Q`: restore the graphics state.
    pub fn restore(&mut self) {
        self.ops.push(Op::RestoreGraphicsState);
        self.fill = None;
        self.font = None;
    }

    /// Apply an extended graphics state (used for the watermark's opacity). An extended
    /// state may carry a font (ISO 32000-1 Table 58), so the font is written again after it.
    pub fn graphics_state(&mut self, id: &ExtendedGraphicsStateId) {
        self.ops.push(Op::LoadGraphicsState { gs: id.clone() });
        self.font = None;
    }

    /// `rg`, unless that colour is already the fill colour.
    fn set_fill(&mut self, fill: Rgb) {
        if self.fill != Some(fill) {
            self.ops.push(Op::SetFillColor { col: color(fill) });
            self.fill = Some(fill);
        }
    }

    /// `Tf`, unless that font and size are already set.
    fn set_font(&mut self, face: Face, size: f32) {
        if self.font != Some((face, size)) {
            self.ops.push(Op::SetFont {
                font: PdfFontHandle::External(font_id(face)),
                size: Pt(size),
            });
            self.font = Some((face, size));
        }
    }

    /// Scale everything drawn afterwards by `s` around the layout point
    /// `origin` (which stays fixed). Wrap in [`save`](Self::save)/
    /// [`restore`](Self::restore).
    pub fn scale_about(&mut self, origin: P, s: f32) {
        let ox = origin.x;
        let oy = PAGE_H - origin.y;
        self.ops.push(Op::SetTransformationMatrix {
            matrix: CurTransMat::Raw([s, 0.0, 0.0, s, round(ox - s * ox), round(oy - s * oy)]),
        });
    }

    /// Rotate everything drawn afterwards counter-clockwise by `degrees`
    /// about the layout point `center`, which becomes the new origin of the
    /// (bottom-up) user space.
    pub fn rotate_about(&mut self, center: P, degrees: f32) {
        let (sin, cos) = degrees.to_radians().sin_cos();
        self.ops.push(Op::SetTransformationMatrix {
            matrix: CurTransMat::Raw([
                (cos * 1e4).round() / 1e4,
                (sin * 1e4).round() / 1e4,
                (-sin * 1e4).round() / 1e4,
                (cos * 1e4).round() / 1e4,
                round(center.x),
                round(PAGE_H - center.y),
            ]),
        });
    }

    /// Set text in the current user space (after [`rotate_about`](Self::rotate_about)),
    /// with the baseline starting at (`x`, `y`) given in bottom-up units.
    pub fn text_raw(&mut self, x: f32, y: f32, face: Face, size: f32, ink: Rgb, text: &str) {
        self.sync();
        self.set_fill(ink);
        self.ops.push(Op::StartTextSection);
        self.set_font(face, size);
        self.ops.push(Op::SetTextCursor {
            pos: Point {
                x: Pt(round(x)),
                y: Pt(round(y)),
            },
        });
        self.ops.push(Op::ShowText {
            items: vec![TextItem::Text(text.to_string())],
        });
        self.ops.push(Op::EndTextSection);
    }
}

fn path_points(start: P, segs: &[Seg]) -> Vec<LinePoint> {
    let mut points = vec![LinePoint {
        p: Canvas::pdf_point(start),
        bezier: false,
    }];
    for seg in segs {
        match *seg {
            Seg::Line(p) => points.push(LinePoint {
                p: Canvas::pdf_point(p),
                bezier: false,
            }),
            Seg::Curve(c1, c2, end) => {
                points.push(LinePoint {
                    p: Canvas::pdf_point(c1),
                    bezier: true,
                });
                points.push(LinePoint {
                    p: Canvas::pdf_point(c2),
                    bezier: true,
                });
                points.push(LinePoint {
                    p: Canvas::pdf_point(end),
                    bezier: false,
                });
            }
        }
    }
    points
}
