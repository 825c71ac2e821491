//! Pagination: a cursor that moves down the text area and opens new pages.
//!
//! Content is laid out in one pass from top to bottom. Blocks ask the
//! [`Flow`] whether the next piece fits ([`Flow::ensure`]) and draw on the
//! current page's [`Canvas`]. Running header, footer and watermark are added
//! afterwards (see [`crate::chrome`]), once the page count is known.
//!
//! The flow also builds the structure tree (see [`crate::structure`]): a block opens its
//! element with [`Flow::begin`], draws through [`Flow::canvas`] (its content) or
//! [`Flow::decor`] (rules and tints, artifacts) and closes it with [`Flow::end`]. Content
//! drawn on two pages becomes two marked-content sequences of the same element.

use crate::canvas::{Artifact, Canvas, Mark};
use crate::fonts::{Face, Fonts};
use crate::structure::{ElementId, StructTree, Tag};
use crate::text;
use crate::theme::{BODY_BOTTOM, BODY_TOP, Rgb, TextStyle};

/// Where a section starts, for the PDF outline.
#[derive(Debug, Clone, PartialEq)]
pub struct OutlineEntry {
    /// Bookmark text.
    pub title: String,
    /// Zero-based page index.
    pub page: usize,
    /// Top of the section in layout coordinates (points from the page top).
    pub y: f32,
}

/// The layout cursor and the pages produced so far.
#[derive(Debug)]
pub struct Flow<'f> {
    fonts: &'f Fonts,
    pages: Vec<Canvas>,
    y: f32,
    fresh: bool,
    outline: Vec<OutlineEntry>,
    figures: usize,
    tree: StructTree,
    /// The open elements, innermost last; the root is always open.
    open: Vec<ElementId>,
}

/// Height of the usable text area of a page.
pub const BODY_H: f32 = BODY_BOTTOM - BODY_TOP;

impl<'f> Flow<'f> {
    /// Start with one empty page.
    pub fn new(fonts: &'f Fonts) -> Self {
        Self {
            fonts,
            pages: vec![Canvas::new()],
            y: BODY_TOP,
            fresh: true,
            outline: Vec::new(),
            figures: 0,
            open: Vec::new(),
            tree: StructTree::new(),
        }
    }

    /// Font metrics.
    pub fn fonts(&self) -> &'f Fonts {
        self.fonts
    }

    /// The innermost open element.
    fn current(&self) -> ElementId {
        self.open.last().copied().unwrap_or(self.tree.root())
    }

    /// A new element, the last child of the innermost open one, not opened.
    pub fn element(&mut self, tag: impl Into<Tag>) -> ElementId {
        self.tree.add(self.current(), tag.into())
    }

    /// A new element, the last child of the innermost open one, opened: what is drawn
    /// through [`Flow::canvas`] until it is closed is its content.
    pub fn begin(&mut self, tag: impl Into<Tag>) -> ElementId {
        let id = self.element(tag);
        self.open.push(id);
        id
    }

    /// Open an element made earlier again, to add more content to it: a table cell whose
    /// row continues on the next page.
    pub fn enter(&mut self, id: ElementId) {
        self.open.push(id);
    }

    /// Close the innermost open element.
    pub fn end(&mut self) {
        self.open.pop();
    }

    /// The current page, marked as no longer empty, drawing content of the innermost open
    /// element.
    pub fn canvas(&mut self) -> &mut Canvas {
        let element = self.current();
        let mark = Mark::Content(element, self.tree.role(element));
        self.page(mark)
    }

    /// The current page, marked as no longer empty, drawing an artifact of `kind`: what lays
    /// the content out without being part of it.
    pub fn decor(&mut self, kind: Artifact) -> &mut Canvas {
        self.page(Mark::Artifact(kind))
    }

    fn page(&mut self, mark: Mark) -> &mut Canvas {
        self.fresh = false;
        let last = self.pages.len() - 1;
        let canvas = &mut self.pages[last];
        canvas.mark(mark);
        canvas
    }

    /// Current cursor position (top of the next piece of content).
    pub fn y(&self) -> f32 {
        self.y
    }

    /// Move the cursor down by `dy` points.
    pub fn advance(&mut self, dy: f32) {
        self.y += dy;
    }

    /// Space left on the current page.
    pub fn remaining(&self) -> f32 {
        BODY_BOTTOM - self.y
    }

    /// Whether nothing has been drawn on the current page yet.
    pub fn is_fresh(&self) -> bool {
        self.fresh
    }

    /// Zero-based index of the current page.
    pub fn page_index(&self) -> usize {
        self.pages.len() - 1
    }

    /// Open a new page and move the cursor to its top.
    pub fn new_page(&mut self) {
        self.pages.push(Canvas::new());
        self.y = BODY_TOP;
        self.fresh = true;
    }

    /// Make sure `height` points fit below the cursor, opening a new page if
    /// they do not (unless the page is still empty: then nothing would be
    /// gained). Returns whether a page was opened.
    pub fn ensure(&mut self, height: f32) -> bool {
        if height > self.remaining() + 1e-3 && !self.fresh {
            self.new_page();
            true
        } else {
            false
        }
    }

    /// Vertical space between blocks. Suppressed at the top of a page so
    /// every page starts flush with the text area.
    pub fn space(&mut self, height: f32) {
        if !self.fresh && height.is_finite() && height > 0.0 {
            self.y = (self.y + height).min(BODY_BOTTOM);
        }
    }

    /// Record an outline entry at the cursor.
    pub fn bookmark(&mut self, title: &str) {
        self.outline.push(OutlineEntry {
            title: title.to_string(),
            page: self.page_index(),
            y: self.y,
        });
    }

    /// Next figure number (1-based).
    pub fn next_figure_number(&mut self) -> usize {
        self.figures += 1;
        self.figures
    }

    /// Baseline offset from the top of a line box of `style`.
    pub fn baseline(&self, style: TextStyle) -> f32 {
        let m = self.fonts.get(Face::Regular);
        let content = (m.ascent + m.descent) * style.size;
        (style.leading - content) / 2.0 + m.ascent * style.size
    }

    /// Wrap `text` to `width` in `face`/`style`.
    ///
    /// A line that ends between two words keeps a trailing space for text read from the
    /// structure tree ([`text::wrap_for_reading`]): measure `line.trim_end()` to align it.
    pub fn wrap(&self, text: &str, width: f32, face: Face, style: TextStyle) -> Vec<String> {
        let metrics = self.fonts.get(face);
        text::wrap_for_reading(text, width, &|c| metrics.char_em(c) * style.size)
    }

    /// Set already wrapped lines at `x`, one line box per line, breaking
    /// pages between lines where needed.
    pub fn lines(&mut self, lines: &[String], x: f32, face: Face, style: TextStyle, ink: Rgb) {
        let base = self.baseline(style);
        for line in lines {
            self.ensure(style.leading);
            let y = self.y;
            self.canvas().text(x, y + base, face, style.size, ink, line);
            self.y += style.leading;
        }
    }

    /// Finish layout: the pages, the outline and the structure tree (whose pages are added
    /// when the pages are written).
    pub fn finish(mut self) -> (Vec<Canvas>, Vec<OutlineEntry>, StructTree) {
        for page in &mut self.pages {
            page.unmark();
        }
        (self.pages, self.outline, self.tree)
    }
}
