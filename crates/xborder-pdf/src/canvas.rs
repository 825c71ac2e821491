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

use printpdf::{
    Color, CurTransMat, ExtendedGraphicsStateId, Line, LinePoint, Op, PaintMode, PdfFontHandle,
    Point, Polygon, PolygonRing, Pt, Rect, TextItem, WindingOrder,
};

use crate::fonts::{Face, font_id};
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

/// Accumulates the operations of one page.
#[derive(Debug, Default)]
pub struct Canvas {
    ops: Vec<Op>,
    /// The fill colour in effect, when known.
    fill: Option<Rgb>,
    /// The font and size in effect, when known.
    font: Option<(Face, f32)>,
}

impl Canvas {
    /// An empty page.
    pub fn new() -> Self {
        Self::default()
    }

    /// The finished operation list.
    pub fn into_ops(self) -> Vec<Op> {
        self.ops
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
