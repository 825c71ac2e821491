//! xborder-pdf: a small document model and a deterministic PDF renderer for it.
//!
//! Build a [`Document`] (sections of headings, paragraphs, key/value lists,
//! tables, data-flow figures, callouts) and call [`render_pdf`]. The result is
//! an A4 portrait PDF with embedded DejaVu Sans, a running header, "Page X of
//! Y" footers, an optional diagonal watermark, one bookmark per section and
//! the document information from [`Meta`], in the Info dictionary and as XMP metadata.
//!
//! The PDF is tagged (ISO 32000-1 §14.8): every heading, paragraph, list, table cell and
//! figure is an element of a structure tree in reading order, the figure with alternative
//! text, and the page furniture is marked as artifacts, so that the document reads in a
//! screen reader and its text extracts in order.
//!
//! Rendering is a pure function of the document: the same [`Document`]
//! produces byte-identical output, in the same process or another, because
//! dates, the trailer `/ID` and all resource names come from the input, never
//! from the clock or a counter. That is what lets a signature cover a report
//! that anyone can re-render and compare.
//!
//! The crate knows nothing about data-protection law, nor about any other xborder crate; it
//! only typesets. `xborder-report` lays out the audit report and the vendor memo on it.

#![forbid(unsafe_code)]

mod blocks;
mod canvas;
mod chrome;
mod figure;
mod flow;
mod fonts;
mod model;
mod pdf;
mod structure;
mod table;
mod text;
mod theme;
mod xmp;

use std::fmt;

pub use model::{
    Align, Block, Cell, Column, Document, FigureEdge, FigureGroup, FigureNode, FlowFigure, Meta,
    Section, Table, Tone,
};

/// Why a document could not be rendered.
#[derive(Debug, Clone, PartialEq)]
pub enum RenderError {
    /// The embedded font could not be parsed (a build problem, not an input
    /// problem).
    Font(String),
    /// A custom `/Info` key is empty, not a plain ASCII name, a duplicate, or
    /// one of the standard keys this crate writes itself.
    InvalidInfoKey(String),
    /// `meta.language` is not a language tag (letters, digits and `-`, starting with a
    /// letter).
    InvalidLanguage(String),
    /// `meta.created` has a year outside 0..=9999, which the PDF date format
    /// cannot express.
    InvalidDate(i32),
    /// A table row does not have one cell per column.
    TableShape {
        /// Zero-based row index.
        row: usize,
        /// Number of columns.
        expected: usize,
        /// Number of cells in the row.
        found: usize,
    },
    /// A figure edge refers to a node id that no group contains.
    UnknownFigureNode(String),
    /// Two figure nodes share an id.
    DuplicateFigureNode(String),
    /// printpdf or lopdf reported an error while writing the file.
    Pdf(String),
}

impl fmt::Display for RenderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Font(msg) => write!(f, "font error: {msg}"),
            Self::InvalidInfoKey(key) => write!(f, "invalid custom /Info key {key:?}"),
            Self::InvalidLanguage(tag) => write!(f, "invalid language tag {tag:?}"),
            Self::InvalidDate(year) => {
                write!(f, "creation year {year} cannot be written as a PDF date")
            }
            Self::TableShape {
                row,
                expected,
                found,
            } => write!(
                f,
                "table row {row} has {found} cells but the table has {expected} columns"
            ),
            Self::UnknownFigureNode(id) => write!(f, "figure edge refers to unknown node {id:?}"),
            Self::DuplicateFigureNode(id) => write!(f, "figure node id {id:?} is used twice"),
            Self::Pdf(msg) => write!(f, "PDF writer error: {msg}"),
        }
    }
}

impl std::error::Error for RenderError {}

/// Render `doc` to the bytes of a PDF file.
///
/// Deterministic: equal documents give byte-identical files.
pub fn render_pdf(doc: &Document) -> Result<Vec<u8>, RenderError> {
    pdf::validate_meta(&doc.meta)?;
    let fonts = fonts::Fonts::load()?;
    let mut flow = flow::Flow::new(&fonts);
    for section in &doc.sections {
        blocks::section(&mut flow, section)?;
    }
    let (mut pages, outline, tree) = flow.finish();
    let watermark = doc.watermark.as_deref().filter(|w| !w.trim().is_empty());
    chrome::apply(
        &mut pages,
        &fonts,
        &chrome::Furniture {
            header: &doc.running_header,
            footer: &doc.meta.title,
            watermark,
        },
    );
    pdf::write(
        &doc.meta,
        &fonts,
        pdf::Layout {
            pages,
            outline: &outline,
            tree,
        },
        watermark.is_some(),
    )
}
