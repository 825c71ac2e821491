//! Page geometry, palette and type scale.
//!
//! Kept in one place so the look of the report is decided once: every other
//! module refers to these constants instead of scattering magic numbers.
//! All lengths are PDF points (1/72 inch); y grows downwards from the top edge
//! of the page in our own layout coordinates (see [`crate::canvas`]).

use crate::model::Tone;

/// A4 portrait width in points.
pub const PAGE_W: f32 = 595.276;
/// A4 portrait height in points.
pub const PAGE_H: f32 = 841.89;

/// Left and right margin (20 mm).
pub const MARGIN_X: f32 = 56.69;
/// Top of the text area (25 mm), below the running header.
pub const BODY_TOP: f32 = 70.87;
/// Bottom of the text area (22 mm above the page edge), above the footer.
pub const BODY_BOTTOM: f32 = PAGE_H - 62.36;
/// Width of the text area.
pub const BODY_W: f32 = PAGE_W - 2.0 * MARGIN_X;
/// Baseline of the running header.
pub const HEADER_BASELINE: f32 = 42.0;
/// Baseline of the footer.
pub const FOOTER_BASELINE: f32 = PAGE_H - 34.0;

/// An RGB colour with components in `0.0..=1.0`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rgb(pub f32, pub f32, pub f32);

const fn hex(v: u32) -> Rgb {
    Rgb(
        ((v >> 16) & 0xff) as f32 / 255.0,
        ((v >> 8) & 0xff) as f32 / 255.0,
        (v & 0xff) as f32 / 255.0,
    )
}

/// Body text.
pub const INK: Rgb = hex(0x1f2933);
/// Headings and accents: a dark, desaturated blue.
pub const ACCENT: Rgb = hex(0x1b3a5c);
/// Secondary text (labels, header/footer, captions).
pub const SUBTLE: Rgb = hex(0x5b6573);
/// Hairlines between table rows.
pub const RULE: Rgb = hex(0xd3d8de);
/// Stronger rules (under table headers, header/footer lines).
pub const RULE_STRONG: Rgb = hex(0x9aa3ad);
/// Table header background.
pub const HEADER_FILL: Rgb = hex(0xe8ecf1);
/// Figure group box background.
pub const GROUP_FILL: Rgb = hex(0xf3f5f8);
/// Figure node background.
pub const WHITE: Rgb = hex(0xffffff);
/// Watermark colour (drawn with transparency on top of the page).
pub const WATERMARK: Rgb = hex(0xc0392b);
/// Fill opacity of the watermark.
pub const WATERMARK_ALPHA: f32 = 0.13;

/// Strong colour of a tone: text, lines and accent bars.
pub fn tone_ink(tone: Tone) -> Rgb {
    match tone {
        Tone::Neutral => INK,
        Tone::Good => hex(0x1e7b45),
        Tone::Caution => hex(0x9a6200),
        Tone::Bad => hex(0xb3261e),
        Tone::Muted => hex(0x7b8490),
    }
}

/// Light tint of a tone: cell and callout backgrounds.
pub fn tone_tint(tone: Tone) -> Rgb {
    match tone {
        Tone::Neutral => hex(0xeef1f5),
        Tone::Good => hex(0xe3f3e8),
        Tone::Caution => hex(0xfdf1d6),
        Tone::Bad => hex(0xfbe5e3),
        Tone::Muted => hex(0xf1f2f4),
    }
}

/// Size and leading of one text style.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TextStyle {
    /// Font size in points.
    pub size: f32,
    /// Distance between baselines in points.
    pub leading: f32,
}

/// Cover title.
pub const TITLE: TextStyle = TextStyle {
    size: 22.0,
    leading: 28.0,
};
/// Section heading (level 1).
pub const H1: TextStyle = TextStyle {
    size: 14.0,
    leading: 18.0,
};
/// Sub-heading (level 2).
pub const H2: TextStyle = TextStyle {
    size: 10.5,
    leading: 14.0,
};
/// Body text. DejaVu Sans is wide, so 9 pt reads like 10 pt of most faces.
pub const BODY: TextStyle = TextStyle {
    size: 9.0,
    leading: 13.0,
};
/// Small print.
pub const SMALL: TextStyle = TextStyle {
    size: 7.5,
    leading: 10.5,
};
/// Table cells.
pub const CELL: TextStyle = TextStyle {
    size: 7.0,
    leading: 9.0,
};
/// Running header and footer.
pub const CHROME: TextStyle = TextStyle {
    size: 7.0,
    leading: 9.0,
};
