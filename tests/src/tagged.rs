//! Reading a tagged PDF back as a screen reader or a checker would (ISO 32000-1 §14.7–14.8,
//! §14.3.2): the structure tree with each element's text, every page's marked content, the
//! parent tree, and the XMP metadata next to the Info dictionary. The tests hold the
//! reports xborder writes to what these return.

use std::collections::BTreeMap;

use lopdf::content::Operation;
use lopdf::{Dictionary, Document, Encoding, Object, ObjectId};

/// A structure element, with what the tests look at.
#[derive(Debug, Clone)]
pub struct Element {
    /// The structure type (`/S`).
    pub role: String,
    /// `/Alt`, if any.
    pub alt: Option<String>,
    /// The `/Scope` attribute of a header cell, if any.
    pub scope: Option<String>,
    /// The object the element is.
    pub id: ObjectId,
    pub kids: Vec<Kid>,
}

/// A child of an element.
#[derive(Debug, Clone)]
pub enum Kid {
    Element(Element),
    /// Marked content: zero-based page index and MCID.
    Content(usize, i64),
}

impl Element {
    /// This element and every element below it, depth first (reading order).
    pub fn all(&self) -> Vec<&Element> {
        let mut out = vec![self];
        for kid in &self.kids {
            if let Kid::Element(e) = kid {
                out.extend(e.all());
            }
        }
        out
    }

    /// The child elements.
    pub fn children(&self) -> Vec<&Element> {
        self.kids
            .iter()
            .filter_map(|k| match k {
                Kid::Element(e) => Some(e),
                Kid::Content(..) => None,
            })
            .collect()
    }

    /// Every marked-content reference in this element and below, in order, with the element
    /// that holds it.
    pub fn contents(&self) -> Vec<(usize, i64, ObjectId)> {
        let mut out = Vec::new();
        for kid in &self.kids {
            match kid {
                Kid::Element(e) => out.extend(e.contents()),
                Kid::Content(page, mcid) => out.push((*page, *mcid, self.id)),
            }
        }
        out
    }

    /// The pages this element's content is on.
    pub fn pages(&self) -> std::collections::BTreeSet<usize> {
        self.contents().into_iter().map(|(p, _, _)| p).collect()
    }

    /// The element's text: the text of its marked content, in order, as a screen reader
    /// reads it.
    pub fn text(&self, pdf: &Tagged) -> String {
        self.contents()
            .iter()
            .map(|(page, mcid, _)| pdf.content_text(*page, *mcid))
            .collect()
    }
}

/// One marked-content sequence (or unmarked text) of a page's content stream.
#[derive(Debug, Clone, PartialEq)]
pub enum Marked {
    /// A sequence with an MCID, and the tag it was opened with.
    Content { tag: String, mcid: i64 },
    /// An `/Artifact` sequence.
    Artifact,
    /// Outside any MCID or artifact sequence.
    Unmarked,
}

/// A page's text, by marked-content sequence, in content-stream order.
#[derive(Debug, Clone, Default)]
pub struct PageContent {
    pub runs: Vec<(Marked, String)>,
    /// Every MCID the page's content opens, in order (whether or not it shows text).
    pub mcids: Vec<i64>,
    /// MCIDs opened inside another MCID sequence (which §14.7.4.2 does not allow to be
    /// referenced from the tree as separate content).
    pub nested: Vec<i64>,
}

/// A parsed PDF and its pages' marked content.
pub struct Tagged {
    pub doc: Document,
    pub pages: Vec<ObjectId>,
    contents: Vec<PageContent>,
}

impl Tagged {
    /// Parses `bytes` and reads every page's content.
    pub fn load(bytes: &[u8]) -> Self {
        let doc = Document::load_mem(bytes).expect("lopdf parses the PDF");
        let pages: Vec<ObjectId> = doc.get_pages().into_values().collect();
        let contents = pages.iter().map(|p| page_content(&doc, *p)).collect();
        Self {
            doc,
            pages,
            contents,
        }
    }

    /// The catalog.
    pub fn catalog(&self) -> &Dictionary {
        self.doc.catalog().expect("catalog")
    }

    /// A dictionary entry, following a reference.
    pub fn get<'a>(&'a self, dict: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
        let object = dict.get(key).ok()?;
        match object {
            Object::Reference(id) => self.doc.get_object(*id).ok(),
            other => Some(other),
        }
    }

    /// The structure tree root.
    pub fn struct_tree_root(&self) -> &Dictionary {
        self.get(self.catalog(), b"StructTreeRoot")
            .and_then(|o| o.as_dict().ok())
            .expect("/StructTreeRoot in the catalog")
    }

    /// The root element (the one child of the structure tree root).
    pub fn tree(&self) -> Element {
        let id = self
            .struct_tree_root()
            .get(b"K")
            .and_then(Object::as_reference)
            .expect("/K of the structure tree root: one element");
        self.element(id, 0)
    }

    fn element(&self, id: ObjectId, depth: usize) -> Element {
        assert!(depth < 64, "structure tree deeper than 64");
        let dict = self.doc.get_dictionary(id).expect("structure element");
        let role = String::from_utf8_lossy(
            dict.get(b"S")
                .and_then(Object::as_name)
                .expect("/S of an element"),
        )
        .into_owned();
        let page_of = |d: &Dictionary| {
            let pg = d
                .get(b"Pg")
                .and_then(Object::as_reference)
                .expect("/Pg for marked content");
            self.pages
                .iter()
                .position(|p| *p == pg)
                .expect("/Pg is a page")
        };
        let kids = match dict.get(b"K") {
            Ok(Object::Array(items)) => items.clone(),
            Ok(other) => vec![other.clone()],
            Err(_) => Vec::new(),
        };
        let kids = kids
            .iter()
            .map(|kid| match kid {
                Object::Integer(mcid) => Kid::Content(page_of(dict), *mcid),
                Object::Reference(child) => {
                    let e = self.element(*child, depth + 1);
                    let parent = self
                        .doc
                        .get_dictionary(*child)
                        .ok()
                        .and_then(|d| d.get(b"P").and_then(Object::as_reference).ok());
                    assert_eq!(parent, Some(id), "/P of {} points at its parent", e.role);
                    Kid::Element(e)
                }
                Object::Dictionary(mcr) => Kid::Content(
                    page_of(mcr),
                    mcr.get(b"MCID")
                        .and_then(Object::as_i64)
                        .expect("/MCID of a marked-content reference"),
                ),
                other => panic!("unexpected kid {other:?} of {role}"),
            })
            .collect();
        let text = |o: &Object| lopdf::decode_text_string(o).expect("text string");
        let scope = dict
            .get(b"A")
            .ok()
            .and_then(|a| a.as_dict().ok())
            .and_then(|a| a.get(b"Scope").and_then(Object::as_name).ok())
            .map(|s| String::from_utf8_lossy(s).into_owned());
        Element {
            alt: dict.get(b"Alt").ok().map(text),
            scope,
            role,
            id,
            kids,
        }
    }

    /// The parent tree: for each `/StructParents` key, the element of each MCID.
    pub fn parent_tree(&self) -> BTreeMap<i64, Vec<ObjectId>> {
        let node = self
            .get(self.struct_tree_root(), b"ParentTree")
            .and_then(|o| o.as_dict().ok())
            .expect("/ParentTree");
        let mut out = BTreeMap::new();
        self.number_tree(node, &mut out, 0);
        out
    }

    fn number_tree(&self, node: &Dictionary, out: &mut BTreeMap<i64, Vec<ObjectId>>, depth: usize) {
        assert!(depth < 16, "parent tree too deep");
        if let Ok(nums) = node.get(b"Nums").and_then(Object::as_array) {
            for pair in nums.chunks(2) {
                let key = pair[0].as_i64().expect("number tree key");
                let value = match &pair[1] {
                    Object::Reference(id) => self.doc.get_object(*id).expect("value"),
                    other => other,
                };
                let refs = value
                    .as_array()
                    .expect("a page's entry is an array")
                    .iter()
                    .map(|r| r.as_reference().expect("reference to an element"))
                    .collect();
                out.insert(key, refs);
            }
        }
        if let Ok(kids) = node.get(b"Kids").and_then(Object::as_array) {
            for kid in kids {
                let id = kid.as_reference().expect("kid reference");
                let kid = self.doc.get_dictionary(id).expect("number tree node");
                self.number_tree(kid, out, depth + 1);
            }
        }
    }

    /// The marked content of page `index`.
    pub fn page(&self, index: usize) -> &PageContent {
        &self.contents[index]
    }

    /// The text of MCID `mcid` of page `page`.
    pub fn content_text(&self, page: usize, mcid: i64) -> String {
        self.contents[page]
            .runs
            .iter()
            .filter(|(m, _)| matches!(m, Marked::Content { mcid: n, .. } if *n == mcid))
            .map(|(_, t)| t.as_str())
            .collect()
    }

    /// The Info dictionary's text entries.
    pub fn info(&self) -> BTreeMap<String, String> {
        let id = self
            .doc
            .trailer
            .get(b"Info")
            .and_then(Object::as_reference)
            .expect("/Info");
        let info = self.doc.get_dictionary(id).expect("Info dictionary");
        info.iter()
            .map(|(k, v)| {
                (
                    String::from_utf8_lossy(k).into_owned(),
                    lopdf::decode_text_string(v).expect("Info value is a text string"),
                )
            })
            .collect()
    }

    /// The catalog's `/Metadata` stream: its dictionary and (unfiltered) bytes.
    pub fn metadata(&self) -> (&Dictionary, &[u8]) {
        let stream = self
            .get(self.catalog(), b"Metadata")
            .and_then(|o| o.as_stream().ok())
            .expect("/Metadata stream in the catalog");
        (&stream.dict, &stream.content)
    }
}

/// The text shown by a page's content stream, run by run with the marked-content sequence it
/// is in.
fn page_content(doc: &Document, page: ObjectId) -> PageContent {
    let fonts = doc.get_page_fonts(page).expect("page fonts");
    let encodings: BTreeMap<Vec<u8>, Encoding> = fonts
        .iter()
        .map(|(name, font)| (name.clone(), font.get_font_encoding(doc).expect("encoding")))
        .collect();
    let content = doc
        .get_and_decode_page_content(page)
        .expect("page content parses");
    let mut out = PageContent::default();
    let mut stack: Vec<Marked> = Vec::new();
    let mut font: Option<&Encoding> = None;
    for Operation { operator, operands } in &content.operations {
        match operator.as_str() {
            "BDC" | "BMC" => {
                let tag = operands
                    .first()
                    .and_then(|o| o.as_name().ok())
                    .map(|n| String::from_utf8_lossy(n).into_owned())
                    .unwrap_or_default();
                let mcid = operands
                    .get(1)
                    .and_then(|o| o.as_dict().ok())
                    .and_then(|d| d.get(b"MCID").and_then(Object::as_i64).ok());
                let mark = match mcid {
                    _ if tag == "Artifact" => Marked::Artifact,
                    Some(mcid) => {
                        if stack.iter().any(|m| matches!(m, Marked::Content { .. })) {
                            out.nested.push(mcid);
                        }
                        out.mcids.push(mcid);
                        Marked::Content { tag, mcid }
                    }
                    // A sequence without an MCID (such as /Span) inherits its parent's.
                    None => stack.last().cloned().unwrap_or(Marked::Unmarked),
                };
                stack.push(mark);
            }
            "EMC" => {
                stack.pop().expect("EMC closes a marked-content sequence");
            }
            "Tf" => {
                let name = operands[0].as_name().expect("font name");
                font = encodings.get(name);
            }
            "Tj" | "TJ" | "'" | "\"" => {
                let encoding = font.expect("text shown with a font set");
                let mut text = String::new();
                let mut show = |o: &Object| {
                    if let Ok(bytes) = o.as_str() {
                        text.push_str(&Document::decode_text(encoding, bytes).expect("decodes"));
                    }
                };
                match operands.last() {
                    Some(Object::Array(items)) => items.iter().for_each(&mut show),
                    Some(other) => show(other),
                    None => {}
                }
                let mark = stack
                    .iter()
                    .rev()
                    .find(|m| !matches!(m, Marked::Unmarked))
                    .cloned()
                    .unwrap_or(Marked::Unmarked);
                out.runs.push((mark, text));
            }
            _ => {}
        }
    }
    assert!(
        stack.is_empty(),
        "marked content left open at the end of a page"
    );
    out
}
