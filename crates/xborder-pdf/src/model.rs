//! The document model: a small, generic description of a report.
//!
//! Nothing here knows about data-protection law. A later layer maps audit
//! results onto these types; this crate only decides how they look on paper.
//! All fields are public so callers can build documents with plain struct
//! literals; the few constructors below only cover the common cases.

/// A complete report, ready to be rendered with [`crate::render_pdf`].
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// Document information written to the PDF `/Info` dictionary and trailer.
    pub meta: Meta,
    /// Text drawn diagonally across every page (e.g. `"UNSIGNED DRAFT"`).
    pub watermark: Option<String>,
    /// Short text at the top of every page (e.g. the report reference).
    pub running_header: String,
    /// The body. Each section becomes one entry in the PDF outline.
    pub sections: Vec<Section>,
}

/// Document metadata.
///
/// Everything that ends up in the file comes from here, so that rendering the
/// same [`Document`] always produces the same bytes: the renderer never reads
/// the clock or a random number generator.
#[derive(Debug, Clone, PartialEq)]
pub struct Meta {
    /// `/Title`.
    pub title: String,
    /// `/Author`.
    pub author: String,
    /// `/Subject`.
    pub subject: String,
    /// `/Keywords` (free text, conventionally comma separated).
    pub keywords: String,
    /// The natural language of the text, a BCP 47 tag such as `"en"`: the catalog's `/Lang`
    /// (ISO 32000-1 §14.9.2), which tells a screen reader how to pronounce it, and
    /// `dc:language` in the XMP metadata.
    pub language: String,
    /// `/CreationDate` and `/ModDate`. Interpreted as UTC.
    pub created: chrono::NaiveDateTime,
    /// Both halves of the trailer `/ID`. Derive it from the report identity so
    /// that a re-render of the same report is recognisably the same file.
    pub document_id: [u8; 16],
    /// Additional `/Info` entries such as `XborderReportId`, mirrored in the XMP metadata.
    /// Keys must be plain ASCII names (a letter, then letters, digits, `_`, `-`, `.`: a name
    /// in PDF and in XML alike) and must not shadow a standard key; see
    /// [`crate::RenderError::InvalidInfoKey`].
    pub custom_info: Vec<(String, String)>,
}

/// A run of blocks with one outline (bookmark) entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// Outline entry text, and the printed section heading when
    /// `show_title` is set.
    pub title: String,
    /// Print `title` as a first-level heading at the start of the section.
    /// The cover sets this to `false` and uses a [`Block::Title`] instead.
    pub show_title: bool,
    /// Start this section on a fresh page.
    pub new_page: bool,
    /// Content, rendered top to bottom.
    pub blocks: Vec<Block>,
}

impl Section {
    /// A section that prints its title as a heading and flows on from the
    /// previous section.
    pub fn new(title: impl Into<String>, blocks: Vec<Block>) -> Self {
        Self {
            title: title.into(),
            show_title: true,
            new_page: false,
            blocks,
        }
    }

    /// Same section, but starting on a new page.
    #[must_use]
    pub fn on_new_page(mut self) -> Self {
        self.new_page = true;
        self
    }

    /// Same section, but without a printed heading (outline entry only).
    #[must_use]
    pub fn without_heading(mut self) -> Self {
        self.show_title = false;
        self
    }
}

/// One unit of content inside a [`Section`].
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// Large cover title.
    Title(String),
    /// Second-level heading inside a section.
    Heading(String),
    /// Body text. `\n` forces a line break.
    Paragraph(String),
    /// Secondary, smaller grey text (notes, disclaimers).
    Small(String),
    /// A bulleted list; each entry may wrap over several lines.
    Bullets(Vec<String>),
    /// Label/value pairs laid out in two aligned columns.
    KeyValue(Vec<(String, String)>),
    /// A table that may span pages (its header row is repeated).
    Table(Table),
    /// A data-flow diagram drawn as vector graphics.
    Figure(FlowFigure),
    /// A highlighted box whose accent colour follows `tone`.
    Callout {
        /// Colour of the accent bar and background tint.
        tone: Tone,
        /// Text inside the box. `\n` forces a line break.
        text: String,
    },
    /// Vertical white space in points.
    Spacer(f32),
    /// Continue on a new page.
    PageBreak,
}

/// Semantic colour used for cells, callouts and figure edges.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Tone {
    /// Ordinary text colour, no tint.
    #[default]
    Neutral,
    /// Green: compliant, allowed.
    Good,
    /// Amber: needs attention.
    Caution,
    /// Red: violation, blocked.
    Bad,
    /// Grey: not applicable, out of scope.
    Muted,
}

/// Horizontal alignment of a table column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Align {
    /// Flush left (default).
    #[default]
    Left,
    /// Centred.
    Center,
    /// Flush right (numbers).
    Right,
}

/// A table column definition.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// Header text (repeated on every page the table spans).
    pub title: String,
    /// Relative width; widths are normalised to the text width. Non-positive
    /// or non-finite values count as 1.
    pub width: f32,
    /// Alignment for the header and the cells of this column.
    pub align: Align,
}

impl Column {
    /// Left-aligned column with the given relative width.
    pub fn new(title: impl Into<String>, width: f32) -> Self {
        Self {
            title: title.into(),
            width,
            align: Align::Left,
        }
    }

    /// Same column with a different alignment.
    #[must_use]
    pub fn align(mut self, align: Align) -> Self {
        self.align = align;
        self
    }
}

/// One table cell.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Cell {
    /// Cell text; wraps within the column, long tokens are broken.
    pub text: String,
    /// Colour the cell (tinted background, coloured bold text).
    pub tone: Option<Tone>,
}

impl Cell {
    /// A plain cell.
    pub fn new(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            tone: None,
        }
    }

    /// A coloured cell.
    pub fn toned(text: impl Into<String>, tone: Tone) -> Self {
        Self {
            text: text.into(),
            tone: Some(tone),
        }
    }
}

impl From<&str> for Cell {
    fn from(text: &str) -> Self {
        Self::new(text)
    }
}

impl From<String> for Cell {
    fn from(text: String) -> Self {
        Self::new(text)
    }
}

/// A table. Every row must have exactly one cell per column.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    /// Column definitions.
    pub columns: Vec<Column>,
    /// Body rows.
    pub rows: Vec<Vec<Cell>>,
}

/// A diagram of nodes grouped in labelled boxes (e.g. jurisdictions) and
/// directed, coloured edges between them (e.g. data transfers).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FlowFigure {
    /// Caption printed under the figure.
    pub caption: String,
    /// Groups, drawn left to right in this order (wrapping to further rows
    /// when there are too many to fit side by side).
    pub groups: Vec<FigureGroup>,
    /// Edges; their 1-based position is the number shown on the edge and in
    /// the edge key below the figure.
    pub edges: Vec<FigureEdge>,
    /// Colour legend entries.
    pub legend: Vec<(Tone, String)>,
    /// What the diagram shows, in words, for a reader who cannot see it: the figure's
    /// alternative text (`/Alt`, ISO 32000-1 §14.9.3), read by screen readers in place of the
    /// drawing. When empty, the renderer counts the boxes, groups and arrows instead.
    pub alt: String,
}

/// A labelled box of nodes.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FigureGroup {
    /// Group title, e.g. `"EEA"`.
    pub label: String,
    /// Nodes inside the group. Their vertical order is chosen by the layout
    /// to reduce edge crossings (deterministically).
    pub nodes: Vec<FigureNode>,
}

/// A node; `id` must be unique across the whole figure.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FigureNode {
    /// Identifier referenced by [`FigureEdge::from`] / [`FigureEdge::to`].
    pub id: String,
    /// Text inside the node box (wrapped to at most three lines).
    pub label: String,
}

/// A directed edge between two nodes.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FigureEdge {
    /// Source node id.
    pub from: String,
    /// Target node id.
    pub to: String,
    /// Short description, listed in the edge key under the number drawn on
    /// the edge. Empty labels get no number.
    pub label: String,
    /// Line colour.
    pub tone: Tone,
}
