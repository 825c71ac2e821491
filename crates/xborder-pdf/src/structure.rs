//! The structure tree: what each piece of a page *is* (heading, paragraph, table cell,
//! figure…), in reading order, so that a screen reader can read the document and a text
//! extractor can put its text in order (tagged PDF, ISO 32000-1 §14.7 and §14.8).
//!
//! Layout builds the tree as it goes ([`crate::flow::Flow::begin`] and friends): every
//! element is a child of the element open when it was created, so the tree's order is the
//! order the blocks are laid out in, which is their logical order. Content is tied to the
//! tree by marked-content identifiers (MCIDs, §14.7.4): each page numbers its marked-content
//! sequences from 0 (see [`crate::canvas`]) and records which element each belongs to; a
//! paragraph or table cell that runs over a page break gets one sequence on each page, all
//! children of the same element. [`StructTree::write`] turns the tree into PDF objects: the
//! `/StructTreeRoot`, one `/StructElem` per element, and the `/ParentTree` that maps each
//! page's MCIDs back to their elements (§14.7.4.4).
//!
//! Only standard structure types are used (§14.8.4), so no `/RoleMap` is needed.

use lopdf::{Dictionary, Object, ObjectId};

use crate::RenderError;

/// A standard structure type (ISO 32000-1 §14.8.4, Tables 333–337).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The whole document: the root element.
    Document,
    /// A section of the document (one per [`crate::Section`]).
    Sect,
    /// First-level heading: the cover title and section titles.
    H1,
    /// Second-level heading.
    H2,
    /// A paragraph: body text, small print, callouts, a figure's legend.
    P,
    /// A list (bullets, a figure's edge key).
    L,
    /// A list item, holding a [`Role::Lbl`] and a [`Role::LBody`].
    LI,
    /// A list item's label: the bullet or number.
    Lbl,
    /// A list item's text.
    LBody,
    /// A table (tables and key/value lists).
    Table,
    /// A table row.
    TR,
    /// A header cell.
    TH,
    /// A data cell.
    TD,
    /// An illustration, with alternative text.
    Figure,
    /// A figure's caption.
    Caption,
}

impl Role {
    /// The structure type's name, as written after `/S` and as the marked-content tag.
    pub fn name(self) -> &'static str {
        match self {
            Self::Document => "Document",
            Self::Sect => "Sect",
            Self::H1 => "H1",
            Self::H2 => "H2",
            Self::P => "P",
            Self::L => "L",
            Self::LI => "LI",
            Self::Lbl => "Lbl",
            Self::LBody => "LBody",
            Self::Table => "Table",
            Self::TR => "TR",
            Self::TH => "TH",
            Self::TD => "TD",
            Self::Figure => "Figure",
            Self::Caption => "Caption",
        }
    }
}

/// Which cells a header cell is the header of (§14.8.5.7, Table 349 `/Scope`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// A column header (a table's header row).
    Column,
    /// A row header (the key of a key/value pair).
    Row,
}

/// An element to create: its type, and what some types carry besides their content.
#[derive(Debug, Clone, PartialEq)]
pub struct Tag {
    role: Role,
    /// `/Alt` (§14.9.3): what a figure shows, in words.
    alt: Option<String>,
    scope: Option<Scope>,
    /// The layout attribute `/BBox` (§14.8.5.4.3) in PDF user space: where a figure is.
    bbox: Option<[f32; 4]>,
}

impl From<Role> for Tag {
    fn from(role: Role) -> Self {
        Self {
            role,
            alt: None,
            scope: None,
            bbox: None,
        }
    }
}

impl Tag {
    /// A header cell of `scope`.
    pub fn header(scope: Scope) -> Self {
        Self {
            scope: Some(scope),
            ..Role::TH.into()
        }
    }

    /// A figure described by `alt`, drawn in `bbox` (PDF user space: left, bottom, right,
    /// top).
    pub fn figure(alt: String, bbox: [f32; 4]) -> Self {
        Self {
            alt: Some(alt),
            bbox: Some(bbox),
            ..Role::Figure.into()
        }
    }
}

/// An element of the tree, by its position (the root is 0; a child always comes after its
/// parent).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ElementId(usize);

/// A child of an element: another element, or a marked-content sequence of a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kid {
    Element(usize),
    Content { page: usize, mcid: usize },
}

#[derive(Debug)]
struct Element {
    tag: Tag,
    parent: Option<usize>,
    kids: Vec<Kid>,
}

/// The logical structure of a document, built during layout.
#[derive(Debug)]
pub struct StructTree {
    elements: Vec<Element>,
    /// Per page, the element of each MCID (`pages[p][mcid]`), filled by [`Self::add_page`].
    pages: Vec<Vec<ElementId>>,
}

impl StructTree {
    /// A tree holding only the `Document` root.
    pub fn new() -> Self {
        Self {
            elements: vec![Element {
                tag: Role::Document.into(),
                parent: None,
                kids: Vec::new(),
            }],
            pages: Vec::new(),
        }
    }

    /// The root element.
    pub fn root(&self) -> ElementId {
        ElementId(0)
    }

    /// The type of `id`.
    pub fn role(&self, id: ElementId) -> Role {
        self.elements[id.0].tag.role
    }

    /// A new last child of `parent`.
    pub fn add(&mut self, parent: ElementId, tag: Tag) -> ElementId {
        let id = self.elements.len();
        self.elements.push(Element {
            tag,
            parent: Some(parent.0),
            kids: Vec::new(),
        });
        self.elements[parent.0].kids.push(Kid::Element(id));
        ElementId(id)
    }

    /// Records the next page's marked content: MCID `n` of the page belongs to `owners[n]`.
    /// Pages must be added in order; an element's content comes after its child elements
    /// (content is only ever placed in elements without children).
    pub fn add_page(&mut self, owners: Vec<ElementId>) {
        let page = self.pages.len();
        for (mcid, owner) in owners.iter().enumerate() {
            self.elements[owner.0]
                .kids
                .push(Kid::Content { page, mcid });
        }
        self.pages.push(owners);
    }

    /// Whether each element has marked content in it or below it: elements without any
    /// (a table with no rows, an empty paragraph) are left out of the file.
    fn with_content(&self) -> Vec<bool> {
        let mut has = vec![false; self.elements.len()];
        // Children come after their parents, so one pass from the end sees every child first.
        for i in (0..self.elements.len()).rev() {
            let element = &self.elements[i];
            has[i] |= element.kids.iter().any(|k| match k {
                Kid::Content { .. } => true,
                Kid::Element(child) => has[*child],
            });
        }
        has[0] = true;
        has
    }

    /// Writes the tree into `doc` (whose pages are `page_ids`, in order): every element
    /// with content, the `/ParentTree`, and `/StructParents` on every page. Returns the
    /// `/StructTreeRoot` to put in the catalog.
    pub fn write(
        &self,
        doc: &mut lopdf::Document,
        page_ids: &[ObjectId],
    ) -> Result<ObjectId, RenderError> {
        if page_ids.len() != self.pages.len() {
            return Err(RenderError::Pdf(format!(
                "{} pages but marked content for {}",
                page_ids.len(),
                self.pages.len()
            )));
        }
        let kept = self.with_content();
        let root_id = doc.new_object_id();
        let ids: Vec<Option<ObjectId>> = kept
            .iter()
            .map(|keep| keep.then(|| doc.new_object_id()))
            .collect();
        for (i, element) in self.elements.iter().enumerate() {
            if let Some(id) = ids[i] {
                let parent = element.parent.and_then(|p| ids[p]).unwrap_or(root_id);
                let dict = element_dictionary(element, parent, &ids, page_ids);
                doc.objects.insert(id, Object::Dictionary(dict));
            }
        }
        let parent_tree = self.parent_tree(&ids)?;
        let parent_tree_id = doc.add_object(Object::Dictionary(parent_tree));
        for (index, page_id) in page_ids.iter().enumerate() {
            let page = doc
                .get_object_mut(*page_id)
                .and_then(Object::as_dict_mut)
                .map_err(|e| RenderError::Pdf(format!("page is not a dictionary: {e}")))?;
            // The page's key in the parent tree (§14.7.4.4, Table 30 /StructParents).
            page.set("StructParents", Object::Integer(index as i64));
        }
        let mut root = Dictionary::new();
        root.set("Type", Object::Name(b"StructTreeRoot".to_vec()));
        root.set("K", Object::Reference(ids[0].unwrap_or(root_id)));
        root.set("ParentTree", Object::Reference(parent_tree_id));
        root.set("ParentTreeNextKey", Object::Integer(page_ids.len() as i64));
        doc.objects.insert(root_id, Object::Dictionary(root));
        Ok(root_id)
    }

    /// The number tree (§7.9.7) from each page's `/StructParents` key to the array of the
    /// elements of its MCIDs, in MCID order: how a reader finds the element of a piece of
    /// content it is showing. One root node with all the keys is enough.
    fn parent_tree(&self, ids: &[Option<ObjectId>]) -> Result<Dictionary, RenderError> {
        let mut nums = Vec::with_capacity(2 * self.pages.len());
        for (index, owners) in self.pages.iter().enumerate() {
            let refs = owners
                .iter()
                .map(|owner| {
                    ids[owner.0].map(Object::Reference).ok_or_else(|| {
                        RenderError::Pdf("marked content of a dropped element".to_string())
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            nums.push(Object::Integer(index as i64));
            nums.push(Object::Array(refs));
        }
        let mut tree = Dictionary::new();
        tree.set("Nums", Object::Array(nums));
        Ok(tree)
    }
}

impl Default for StructTree {
    fn default() -> Self {
        Self::new()
    }
}

/// One `/StructElem` (§14.7.2, Table 323). `/Type` is optional and left out: a report has
/// tens of thousands of table cells. `/Pg` is the page of the element's first content; its
/// content there is a bare MCID, content on another page a marked-content reference
/// (§14.7.4.2, Table 324).
fn element_dictionary(
    element: &Element,
    parent: ObjectId,
    ids: &[Option<ObjectId>],
    page_ids: &[ObjectId],
) -> Dictionary {
    let mut dict = Dictionary::new();
    dict.set(
        "S",
        Object::Name(element.tag.role.name().as_bytes().to_vec()),
    );
    dict.set("P", Object::Reference(parent));
    let first_page = element.kids.iter().find_map(|k| match k {
        Kid::Content { page, .. } => Some(*page),
        Kid::Element(_) => None,
    });
    if let Some(page) = first_page {
        dict.set("Pg", Object::Reference(page_ids[page]));
    }
    let kids: Vec<Object> = element
        .kids
        .iter()
        .filter_map(|kid| match *kid {
            Kid::Element(child) => ids[child].map(Object::Reference),
            Kid::Content { page, mcid } if Some(page) == first_page => {
                Some(Object::Integer(mcid as i64))
            }
            Kid::Content { page, mcid } => {
                let mut mcr = Dictionary::new();
                mcr.set("Type", Object::Name(b"MCR".to_vec()));
                mcr.set("Pg", Object::Reference(page_ids[page]));
                mcr.set("MCID", Object::Integer(mcid as i64));
                Some(Object::Dictionary(mcr))
            }
        })
        .collect();
    // A single kid is written alone rather than as a one-element array (Table 323 allows
    // both): most elements are table cells with one piece of content.
    match <[Object; 1]>::try_from(kids) {
        Ok([kid]) => dict.set("K", kid),
        Err(kids) => dict.set("K", Object::Array(kids)),
    }
    if let Some(alt) = &element.tag.alt {
        dict.set("Alt", crate::pdf::text_string(alt));
    }
    if let Some(attributes) = attributes(&element.tag) {
        dict.set("A", Object::Dictionary(attributes));
    }
    dict
}

/// The standard attributes of an element (§14.8.5): a header cell's `/Scope` (table
/// attributes, owner `/Table`) or a figure's `/BBox` (layout attributes, owner `/Layout`).
fn attributes(tag: &Tag) -> Option<Dictionary> {
    let mut a = Dictionary::new();
    if let Some(scope) = tag.scope {
        a.set("O", Object::Name(b"Table".to_vec()));
        let scope: &[u8] = match scope {
            Scope::Column => b"Column",
            Scope::Row => b"Row",
        };
        a.set("Scope", Object::Name(scope.to_vec()));
        return Some(a);
    }
    let bbox = tag.bbox?;
    a.set("O", Object::Name(b"Layout".to_vec()));
    a.set("Placement", Object::Name(b"Block".to_vec()));
    a.set(
        "BBox",
        Object::Array(
            bbox.iter()
                .map(|v| Object::Real((v * 100.0).round() / 100.0))
                .collect(),
        ),
    );
    Some(a)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree() -> (StructTree, ElementId, ElementId) {
        let mut tree = StructTree::new();
        let sect = tree.add(tree.root(), Role::Sect.into());
        let heading = tree.add(sect, Role::H1.into());
        let para = tree.add(sect, Role::P.into());
        let _empty = tree.add(sect, Role::P.into());
        // Page 0: the heading and the start of the paragraph; page 1: its end.
        tree.add_page(vec![heading, para]);
        tree.add_page(vec![para]);
        (tree, heading, para)
    }

    #[test]
    fn a_paragraph_over_a_page_break_is_one_element_with_content_on_both_pages()
    -> Result<(), RenderError> {
        let (tree, _, _) = tree();
        let mut doc = lopdf::Document::with_version("1.7");
        let pages = [
            doc.add_object(Dictionary::new()),
            doc.add_object(Dictionary::new()),
        ];
        let root = tree.write(&mut doc, &pages)?;
        let get = |id: ObjectId| doc.get_dictionary(id).expect("dictionary");
        let reference = |d: &Dictionary, key: &[u8]| {
            d.get(key)
                .and_then(Object::as_reference)
                .expect("reference")
        };
        let document = get(reference(get(root), b"K"));
        assert_eq!(
            document.get(b"S").and_then(Object::as_name).ok(),
            Some(&b"Document"[..])
        );
        // One kid: written alone, not in an array.
        let sect_id = reference(document, b"K");
        let sect = get(sect_id);
        let kids = sect.get(b"K").and_then(Object::as_array).expect("kids");
        assert_eq!(kids.len(), 2, "the empty paragraph is left out");
        let para = get(kids[1].as_reference().expect("para"));
        assert_eq!(reference(para, b"P"), sect_id);
        assert_eq!(reference(para, b"Pg"), pages[0]);
        let content = para.get(b"K").and_then(Object::as_array).expect("content");
        assert_eq!(content[0], Object::Integer(1));
        let mcr = content[1].as_dict().expect("marked-content reference");
        assert_eq!(reference(mcr, b"Pg"), pages[1]);
        assert_eq!(mcr.get(b"MCID").and_then(Object::as_i64).ok(), Some(0));
        // The parent tree maps each page's MCIDs back to their elements.
        let parent_tree = get(reference(get(root), b"ParentTree"));
        let nums = parent_tree
            .get(b"Nums")
            .and_then(Object::as_array)
            .expect("nums");
        assert_eq!(nums.len(), 4);
        assert_eq!(nums[3].as_array().expect("page 1")[0], kids[1]);
        for (index, page) in pages.iter().enumerate() {
            assert_eq!(
                get(*page)
                    .get(b"StructParents")
                    .and_then(Object::as_i64)
                    .ok(),
                Some(index as i64)
            );
        }
        Ok(())
    }

    #[test]
    fn header_cells_and_figures_carry_their_attributes() {
        let th = attributes(&Tag::header(Scope::Row)).expect("scope");
        assert_eq!(
            th.get(b"Scope").and_then(Object::as_name).ok(),
            Some(&b"Row"[..])
        );
        let figure =
            attributes(&Tag::figure("Two boxes".into(), [1.0, 2.0, 3.0, 4.0])).expect("bbox");
        assert_eq!(
            figure.get(b"O").and_then(Object::as_name).ok(),
            Some(&b"Layout"[..])
        );
        assert!(attributes(&Role::P.into()).is_none());
    }
}
