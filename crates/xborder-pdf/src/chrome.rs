//! Page furniture: running header, footer with "Page X of Y", watermark.
//!
//! This is the second pass of the layout: it runs after all content has been
//! placed, when the total page count is known. The furniture lives outside
//! the text area, so adding it cannot change the pagination.
//!
//! All of it is pagination artifacts (ISO 32000-1 §14.8.2.2.2): header, footer and
//! watermark repeat on every page and are not part of the document's content, so a screen
//! reader skips them and they stay out of the structure tree. (The watermark's words are on
//! the cover as content: "this is an UNSIGNED DRAFT".)

use printpdf::{ExtendedGraphicsState, ExtendedGraphicsStateId};

use crate::canvas::{Artifact, Canvas, Mark, P};
use crate::fonts::{Face, Fonts};
use crate::text::ellipsize;
use crate::theme::{
    BODY_W, CHROME, FOOTER_BASELINE, HEADER_BASELINE, MARGIN_X, PAGE_H, PAGE_W, RULE, SUBTLE,
    WATERMARK, WATERMARK_ALPHA,
};

/// Fixed resource name of the watermark's transparency state (see
/// [`crate::fonts::font_id`] for why names must not come from printpdf).
pub fn watermark_gs_id() -> ExtendedGraphicsStateId {
    ExtendedGraphicsStateId("XBGSWM".to_string())
}

/// The transparency state referenced by [`watermark_gs_id`].
pub fn watermark_gs() -> ExtendedGraphicsState {
    ExtendedGraphicsState::default().with_current_fill_alpha(WATERMARK_ALPHA)
}

/// What the furniture shows.
#[derive(Debug)]
pub struct Furniture<'a> {
    /// Text at the top left of every page.
    pub header: &'a str,
    /// Text at the bottom left of every page (the document title).
    pub footer: &'a str,
    /// Diagonal watermark text, if any.
    pub watermark: Option<&'a str>,
}

/// Decorate every page.
pub fn apply(pages: &mut [Canvas], fonts: &Fonts, furniture: &Furniture<'_>) {
    let total = pages.len();
    let regular = fonts.get(Face::Regular);
    let measure = |c: char| regular.char_em(c) * CHROME.size;
    let header = ellipsize(furniture.header, BODY_W, &measure);
    for (index, canvas) in pages.iter_mut().enumerate() {
        let page_label = format!("Page {} of {}", index + 1, total);
        let label_w = fonts.width(Face::Regular, &page_label, CHROME.size);
        let footer = ellipsize(furniture.footer, BODY_W - label_w - 24.0, &measure);

        canvas.mark(Mark::Artifact(Artifact::Header));
        canvas.text(
            MARGIN_X,
            HEADER_BASELINE,
            Face::Regular,
            CHROME.size,
            SUBTLE,
            &header,
        );
        hairline(canvas, HEADER_BASELINE + 5.0);
        canvas.mark(Mark::Artifact(Artifact::Footer));
        hairline(canvas, FOOTER_BASELINE - 9.0);
        canvas.text(
            MARGIN_X,
            FOOTER_BASELINE,
            Face::Regular,
            CHROME.size,
            SUBTLE,
            &footer,
        );
        canvas.text(
            MARGIN_X + BODY_W - label_w,
            FOOTER_BASELINE,
            Face::Regular,
            CHROME.size,
            SUBTLE,
            &page_label,
        );
        if let Some(mark) = furniture.watermark.filter(|m| !m.trim().is_empty()) {
            canvas.mark(Mark::Artifact(Artifact::Watermark));
            watermark(canvas, fonts, mark);
        }
    }
}

fn hairline(canvas: &mut Canvas, y: f32) {
    canvas.line(
        P { x: MARGIN_X, y },
        P {
            x: MARGIN_X + BODY_W,
            y,
        },
        0.4,
        RULE,
    );
}

/// Large translucent text along the page diagonal, drawn on top of the
/// content so that tinted table cells cannot hide it.
fn watermark(canvas: &mut Canvas, fonts: &Fonts, mark: &str) {
    let mark = mark.replace(['\n', '\t'], " ");
    let bold = fonts.get(Face::Bold);
    let em_width = bold.width(&mark, 1.0).max(0.1);
    let diagonal = PAGE_W.hypot(PAGE_H);
    let size = (diagonal * 0.62 / em_width).min(72.0);
    let width = em_width * size;
    let angle = PAGE_H.atan2(PAGE_W).to_degrees();
    canvas.save();
    canvas.graphics_state(&watermark_gs_id());
    canvas.rotate_about(
        P {
            x: PAGE_W / 2.0,
            y: PAGE_H / 2.0,
        },
        angle,
    );
    canvas.text_raw(
        -width / 2.0,
        -bold.cap_height * size / 2.0,
        Face::Bold,
        size,
        WATERMARK,
        &mark,
    );
    canvas.restore();
}
