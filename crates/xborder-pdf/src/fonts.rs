//! Embedded fonts and their metrics.
//!
//! The report embeds DejaVu Sans (regular and bold, Bitstream Vera licence,
//! see `fonts/LICENSE-DejaVu.txt`) so the PDF looks identical everywhere and
//! text stays extractable. printpdf subsets the fonts on save, so only the
//! glyphs actually used end up in the file.
//!
//! Text layout is done by hand, so widths must be measured with exactly the
//! advances printpdf will write into the `/W` array: the glyph's horizontal
//! advance from `hmtx`, without kerning. [`FontMetrics`] does that and caches
//! the advances of the Latin-1 range, which is nearly all the text we set.

use printpdf::{FontId, ParsedFont};

use crate::RenderError;

const REGULAR_TTF: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");
const BOLD_TTF: &[u8] = include_bytes!("../fonts/DejaVuSans-Bold.ttf");

/// Which face to set text in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Face {
    /// DejaVu Sans Book.
    Regular,
    /// DejaVu Sans Bold.
    Bold,
}

/// Metrics of one parsed font face.
#[derive(Debug)]
pub struct FontMetrics {
    font: ParsedFont,
    units_per_em: f32,
    /// Advance (in em) of U+0000..=U+00FF, looked up once.
    latin1: [f32; 256],
    /// Ascender in em (positive).
    pub ascent: f32,
    /// Descender in em (positive, below the baseline).
    pub descent: f32,
    /// Cap height in em, used to centre text vertically in boxes.
    pub cap_height: f32,
}

impl FontMetrics {
    fn parse(bytes: &[u8], name: &str) -> Result<Self, RenderError> {
        let mut warnings = Vec::new();
        let font = ParsedFont::from_bytes(bytes, 0, &mut warnings)
            .ok_or_else(|| RenderError::Font(format!("cannot parse embedded font {name}")))?;
        let units_per_em = f32::from(font.font_metrics.units_per_em.max(1));
        let ascent = font.font_metrics.ascent / units_per_em;
        let descent = font.font_metrics.descent.abs() / units_per_em;
        let cap_height = font
            .font_metrics
            .cap_height
            .map_or(ascent * 0.72, |c| c / units_per_em);
        let mut metrics = Self {
            font,
            units_per_em,
            latin1: [0.0; 256],
            ascent,
            descent,
            cap_height,
        };
        for (code, slot) in (0u32..).zip(metrics.latin1.iter_mut()) {
            *slot = metrics_lookup(&metrics.font, units_per_em, code);
        }
        Ok(metrics)
    }

    /// Advance width of `c` in em.
    ///
    /// Characters the font lacks are drawn (and measured) as glyph 0, the
    /// same fallback printpdf uses when it encodes the string.
    pub fn char_em(&self, c: char) -> f32 {
        let code = u32::from(c);
        match self.latin1.get(code as usize) {
            Some(w) => *w,
            None => metrics_lookup(&self.font, self.units_per_em, code),
        }
    }

    /// Width of `text` set at `size` points, in points.
    pub fn width(&self, text: &str, size: f32) -> f32 {
        text.chars().map(|c| self.char_em(c)).sum::<f32>() * size
    }

    /// The parsed font, for registration with printpdf.
    pub fn parsed(&self) -> &ParsedFont {
        &self.font
    }
}

fn metrics_lookup(font: &ParsedFont, units_per_em: f32, code: u32) -> f32 {
    let gid = font.lookup_glyph_index(code).unwrap_or(0);
    f32::from(font.get_horizontal_advance(gid)) / units_per_em
}

/// The two faces used by the report.
#[derive(Debug)]
pub struct Fonts {
    regular: FontMetrics,
    bold: FontMetrics,
}

impl Fonts {
    /// Parse the embedded fonts (a few milliseconds; done once per render).
    pub fn load() -> Result<Self, RenderError> {
        Ok(Self {
            regular: FontMetrics::parse(REGULAR_TTF, "DejaVuSans")?,
            bold: FontMetrics::parse(BOLD_TTF, "DejaVuSans-Bold")?,
        })
    }

    /// Metrics of `face`.
    pub fn get(&self, face: Face) -> &FontMetrics {
        match face {
            Face::Regular => &self.regular,
            Face::Bold => &self.bold,
        }
    }

    /// Width of `text` in `face` at `size` points.
    pub fn width(&self, face: Face, text: &str, size: f32) -> f32 {
        self.get(face).width(text, size)
    }
}

/// Fixed PDF resource name of a face.
///
/// printpdf's own `FontId::new()` draws from a process-wide counter, so two
/// renders in one process would name their fonts differently and produce
/// different bytes. Six capital letters also make a valid subset tag: printpdf
/// uses the first six characters of the id as the `XXXXXX+` prefix of the
/// embedded font's `/BaseFont`.
pub fn font_id(face: Face) -> FontId {
    match face {
        Face::Regular => FontId("XBREGU".to_string()),
        Face::Bold => FontId("XBBOLD".to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metrics_are_plausible() -> Result<(), RenderError> {
        let fonts = Fonts::load()?;
        let regular = fonts.get(Face::Regular);
        // DejaVu Sans: 'M' is wider than 'i'; bold is wider than regular.
        assert!(regular.char_em('M') > regular.char_em('i'));
        assert!(fonts.width(Face::Bold, "Audit", 10.0) > fonts.width(Face::Regular, "Audit", 10.0));
        // Outside Latin-1 goes through the cmap and still yields a width.
        assert!(regular.char_em('→') > 0.0);
        assert!(
            (regular.width("ab", 10.0) - 10.0 * (regular.char_em('a') + regular.char_em('b')))
                .abs()
                < 1e-4
        );
        assert!(regular.ascent > 0.5 && regular.ascent < 1.2);
        assert!(regular.cap_height > 0.5 && regular.cap_height < regular.ascent);
        Ok(())
    }
}
