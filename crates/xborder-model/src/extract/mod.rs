//! From node tree to checked [`Map`], collecting every problem on the way.
//!
//! The walk never stops at the first problem: each field is checked on its own, a bad
//! value is reported and skipped, and references are resolved only after every entity,
//! category and agreement has been read, so a file with five independent mistakes gets
//! five diagnostics.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use crate::diag::{Diagnostic, Loc};
use crate::json::JsonItem;
use crate::map::*;
use crate::node::{Node, NodeKind, locate, offset_unknown};
use crate::text::{Interner, Text};
use crate::vocabulary::{Family, FieldKind, FieldSpec, Vocabulary};
pub(crate) use xborder_syntax::reader::{Fields, Reader, suggest};

const TOP_KEYS: &[&str] = &[
    "format",
    "organisation",
    "describes",
    "entities",
    "categories",
    "flows",
    "agreements",
];
const ENTITY_KEYS: &[&str] = &[
    "name",
    "kind",
    "country",
    "processing",
    "role",
    "sector",
    "subject-to",
    "legal-person",
    "certifications",
    "evidence",
];
const CERT_KEYS: &[&str] = &["framework", "from", "until", "scope"];
const CATEGORY_KEYS: &[&str] = &["like"];
const FLOW_KEYS: &[&str] = &[
    "id",
    "from",
    "to",
    "data",
    "purpose",
    "automated",
    "public-powers",
    "opt-in",
    "individuals-per-year",
    "pia",
    "roles",
    "mechanisms",
    "agreement",
    "evidence",
];
const AGREEMENT_KEYS: &[&str] = &["between", "signed", "expires", "mechanisms", "evidence"];
const PERIOD_KEYS: &[&str] = &["from", "until"];
/// The syntax a map is written in. Both carry the same format (`docs/format.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    Yaml,
    /// The fast path for generated and exported maps.
    Json,
}

impl Syntax {
    /// JSON for a `.json` file name, YAML otherwise.
    pub fn of_file(name: &str) -> Syntax {
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".json") {
            Syntax::Json
        } else {
            Syntax::Yaml
        }
    }
}

/// Loads and validates a YAML map. Returns the map when there is no error, and every
/// diagnostic (errors and warnings) in file order either way.
pub fn load(text: &str, vocabulary: &Vocabulary) -> (Option<Map>, Vec<Diagnostic>) {
    load_as(Syntax::Yaml, text, vocabulary)
}

/// Loads and validates a map written in `syntax`, like [`load`].
pub fn load_as(
    syntax: Syntax,
    text: &str,
    vocabulary: &Vocabulary,
) -> (Option<Map>, Vec<Diagnostic>) {
    load_reading(syntax, text, vocabulary, FlowReading::Usual)
}

/// How a map's flow items are read. The map and its diagnostics are the same whichever way
/// (the `map_loader` fuzz target compares them on every input).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlowReading {
    /// As [`load_as`] reads them: a JSON map's items straight from the text where they
    /// allow it, the others from their nodes, on the checking thread or, while it is
    /// behind, on the parser's (see `handoff`).
    Usual,
    /// As `Usual`, with everything the parser's thread reads of an item when the checking
    /// thread is behind read there for every item.
    Ahead,
    /// Every item from its node, as before the items were read from the text.
    FromNodes,
    /// Every item from its node on the parser's thread, as when the checking thread is
    /// always behind.
    AheadFromNodes,
}

/// [`load_as`], with the flow items read the way `reading` says.
pub fn load_reading(
    syntax: Syntax,
    text: &str,
    vocabulary: &Vocabulary,
    reading: FlowReading,
) -> (Option<Map>, Vec<Diagnostic>) {
    // Entities and flows are extracted while the parser reads them, on another core (see
    // `handoff`); the tree keeps the rest of the document.
    let reader = MapReader {
        cx: Cx::new(vocabulary),
        text_len: text.len(),
        ..MapReader::default()
    };
    let (parsed, reader) = handoff::read(syntax, text, reader, reading);
    let root = match parsed {
        Ok(root) => root,
        Err(diagnostic) => return (None, vec![diagnostic]),
    };
    let MapReader {
        mut cx,
        entities,
        flows,
        ..
    } = reader;
    let map = cx.map(&root, entities, flows);
    let mut diagnostics = cx.finish();
    for d in &mut diagnostics {
        if offset_unknown(d.loc) {
            d.loc = locate(d.loc, text);
        }
    }
    let has_error = diagnostics
        .iter()
        .any(|d| d.level == crate::DiagnosticLevel::Error);
    (if has_error { None } else { map }, diagnostics)
}

/// The walk's state: the vocabulary and the diagnostics collected so far. Shared with the
/// vendor intake loader (`intake.rs`), which reads its entities, categories and mechanisms
/// with the same helpers.
pub(crate) struct Cx {
    /// Shared rather than borrowed: a map's `Cx` lives on the extractor's thread while the
    /// document is read (`MapReader`).
    pub(crate) vocabulary: Arc<Vocabulary>,
    pub(crate) diagnostics: Vec<Diagnostic>,
    /// Entities declared but unusable because of their own errors: references to them are
    /// not reported again.
    pub(crate) broken: BTreeSet<String>,
    /// The data categories read so far: every flow names a few of a map's few dozen, and
    /// each is kept once (see [`Text`]).
    categories: Interner,
    /// `legal-person:` references read so far, `(entity, named id, where)`: resolved once every
    /// entity is known.
    legal_persons: Vec<(String, String, Loc)>,
}

/// The map's sections that are extracted item by item while the parser reads them (see
/// [`handoff`]): the entities (checked for duplicate ids as they come) and the flows
/// (resolved as they come when the entities came first, see [`resolve`]).
#[derive(Default)]
struct MapReader {
    cx: Cx,
    entity_ids: HashMap<String, Loc>,
    entities: Vec<Entity>,
    /// Entity entries read so far, kept or not.
    entity_entries: usize,
    flows: Flows,
    /// The length of the map's text, to estimate how many flows it holds.
    text_len: usize,
}

impl MapReader {
    /// One entry of the `entities` mapping.
    fn entry(&mut self, key: &Node, value: &Node) {
        self.entity_entries += 1;
        if let Some(entity) = self.cx.entity_entry(&mut self.entity_ids, key, value) {
            self.entities.push(entity);
        }
    }

    /// Item `index` of the `flows` list (numbered as the parser hands them over, see
    /// `handoff`: the `flow` number of the result contract).
    fn item(&mut self, index: usize, item: &Node) {
        self.flow_starts(index);
        let flow = self.cx.flow_item(index, item);
        self.flow(flow, item.loc);
    }

    /// Item `index` of the `flows` list, which the parser's thread read into a flow itself
    /// (see `handoff`), with the diagnostics made reading it.
    fn read_item(
        &mut self,
        index: usize,
        flow: Option<RawFlow>,
        diagnostics: Vec<Diagnostic>,
        loc: Loc,
    ) {
        self.flow_starts(index);
        self.cx.diagnostics.extend(diagnostics);
        self.flow(flow, loc);
    }

    /// Resolving starts with the first flow item.
    fn flow_starts(&mut self, index: usize) {
        if index == 0 {
            self.flows
                .start_resolving(self.entity_entries, &self.entities);
        }
    }

    /// A flow item as read (`None` when it could not be), at `loc`.
    fn flow(&mut self, flow: Option<RawFlow>, loc: Loc) {
        let Some(flow) = flow else {
            return;
        };
        match &mut self.flows {
            Flows::Waiting(raw) => raw.push(flow),
            Flows::Resolving {
                ends,
                resolved,
                first,
            } => {
                self.cx.resolve_flow(flow, &self.entities, ends, resolved);
                if !offset_unknown(loc) {
                    let first = *first.get_or_insert(loc.offset);
                    resolved.reserve(first, loc.offset, self.text_len);
                }
            }
        }
    }
}

/// A list filled one item at a time that never moves what it holds: it grows by a block of
/// fixed size, where a `Vec` doubles and copies itself (flows that wait for the entities,
/// see [`resolve`], are a few hundred bytes each). Consumed in order, each block is freed as
/// soon as it has been read.
struct Blocks<T> {
    full: Vec<Vec<T>>,
    last: Vec<T>,
}

impl<T> Blocks<T> {
    /// Items per block: a megabyte or so of raw flows.
    const BLOCK: usize = 4096;

    fn push(&mut self, item: T) {
        if self.last.len() == Self::BLOCK {
            let full = std::mem::replace(&mut self.last, Vec::with_capacity(Self::BLOCK));
            self.full.push(full);
        } else if self.last.capacity() == 0 {
            self.last.reserve_exact(Self::BLOCK);
        }
        self.last.push(item);
    }

    fn len(&self) -> usize {
        self.full.len() * Self::BLOCK + self.last.len()
    }

    /// The items in the order they were pushed, each block freed once read.
    fn into_items(self) -> impl Iterator<Item = T> {
        self.full
            .into_iter()
            .chain(std::iter::once(self.last))
            .flatten()
    }
}

impl<T> Default for Blocks<T> {
    fn default() -> Self {
        Blocks {
            full: Vec::new(),
            last: Vec::new(),
        }
    }
}

impl<T> Extend<T> for Blocks<T> {
    fn extend<I: IntoIterator<Item = T>>(&mut self, items: I) {
        for item in items {
            self.push(item);
        }
    }
}

/// A flow as read, before its references are resolved.
struct RawFlow {
    index: usize,
    loc: Loc,
    id: Option<(Text, Loc)>,
    from: Option<(Text, Loc)>,
    to: Option<(Text, Loc)>,
    agreement: Option<(Text, Loc)>,
    terms: FlowTerms,
}

struct RawAgreement {
    id: String,
    loc: Loc,
    between: Vec<(String, Loc)>,
    signed: Option<Date>,
    expires: Option<Date>,
    expires_loc: Option<Loc>,
    mechanisms: Vec<Mechanism>,
    evidence: Option<String>,
}

impl Reader for Cx {
    fn push(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }
}

impl Default for Cx {
    fn default() -> Self {
        Cx::new(&Vocabulary::default())
    }
}

impl Cx {
    pub(crate) fn new(vocabulary: &Vocabulary) -> Self {
        Cx::with(Arc::new(vocabulary.clone()))
    }

    /// A walk of its own over the same vocabulary as `other`'s.
    pub(crate) fn sharing(other: &Cx) -> Self {
        Cx::with(Arc::clone(&other.vocabulary))
    }

    fn with(vocabulary: Arc<Vocabulary>) -> Self {
        Cx {
            vocabulary,
            diagnostics: Vec::new(),
            broken: BTreeSet::new(),
            categories: Interner::default(),
            legal_persons: Vec::new(),
        }
    }

    /// Every diagnostic collected, in file order.
    pub(crate) fn finish(self) -> Vec<Diagnostic> {
        let mut diagnostics = self.diagnostics;
        diagnostics.sort_by_key(|d| (d.loc.line, d.loc.column));
        diagnostics
    }
}

mod entity;
mod flow;
mod handoff;

pub(crate) use flow::{FlowTerms, duplicate_flow_id};
mod map;
mod mechanism;
mod resolve;

pub(crate) use resolve::EndTraits;
use resolve::{Ends, Flows, Resolved};

#[cfg(test)]
mod tests {
    use super::*;

    fn vocabulary() -> Vocabulary {
        let set = |items: &[&str]| items.iter().map(|s| s.to_string()).collect();
        Vocabulary {
            categories: set(&["name", "email"]),
            regions: set(&["EEA"]),
            is_country: |c| c.len() == 2 && c.chars().all(|x| x.is_ascii_uppercase()),
            ..Vocabulary::default()
        }
    }

    /// Flows come after the entities they name in neither file: references are resolved
    /// once both sections are read, whatever their order.
    const YAML: &str = "format: 1
organisation: Example
flows:
  - { id: signup, from: learners, to: shop, data: [name] }
  - { from: shop, to: desk, data: [name, email] }
entities:
  shop: { name: Shop, kind: company, country: US }
  learners: { name: Learners, kind: subjects, country: EEA }
  desk: { name: Desk, kind: vendor, country: DE }
";

    const JSON: &str = r#"{"format": 1, "organisation": "Example",
"flows": [
  {"id": "signup", "from": "learners", "to": "shop", "data": ["name"]},
  {"from": "shop", "to": "desk", "data": ["name", "email"]}],
"entities": {
  "shop": {"name": "Shop", "kind": "company", "country": "US"},
  "learners": {"name": "Learners", "kind": "subjects", "country": "EEA"},
  "desk": {"name": "Desk", "kind": "vendor", "country": "DE"}}}
"#;

    /// A flow as (index, id, from, to, data).
    type FlowSummary = (usize, Option<String>, String, String, Vec<String>);

    fn summary(map: &Map) -> Vec<FlowSummary> {
        map.flows
            .iter()
            .map(|f| {
                (
                    f.index,
                    f.id.as_deref().map(str::to_string),
                    map.entities[f.from].id.clone(),
                    map.entities[f.to].id.clone(),
                    f.data.iter().map(|c| c.to_string()).collect(),
                )
            })
            .collect()
    }

    #[test]
    fn yaml_and_json_read_the_same_map_item_by_item() {
        let (yaml, d1) = load_as(Syntax::Yaml, YAML, &vocabulary());
        let (json, d2) = load_as(Syntax::Json, JSON, &vocabulary());
        assert!(d1.is_empty() && d2.is_empty(), "{d1:?} {d2:?}");
        let (yaml, json) = (yaml.expect("valid"), json.expect("valid"));
        let expected = vec![
            (
                0,
                Some("signup".to_string()),
                "learners".to_string(),
                "shop".to_string(),
                vec!["name".to_string()],
            ),
            (
                1,
                None,
                "shop".to_string(),
                "desk".to_string(),
                vec!["name".to_string(), "email".to_string()],
            ),
        ];
        assert_eq!(summary(&yaml), expected);
        assert_eq!(summary(&json), expected);
    }

    #[test]
    fn a_broken_flow_keeps_its_place_in_the_numbering() {
        let text = YAML.replace(
            "  - { from: shop, to: desk",
            "  - not a flow\n  - { from: shop, to: nowhere, data: [name] }\n  - { from: shop, to: desk }\n  - { from: shop, to: desk",
        );
        let (map, diagnostics) = load_as(Syntax::Yaml, &text, &vocabulary());
        assert!(map.is_none());
        let found: Vec<(&str, u32, &str)> = diagnostics
            .iter()
            .map(|d| (d.code, d.loc.line, d.message.as_str()))
            .collect();
        assert_eq!(
            found,
            vec![
                ("wrong-type", 5, "flow 1 must be a mapping, found a string"),
                ("unknown-entity", 6, "unknown entity \"nowhere\""),
                ("missing-key", 7, "flow 3 has no `data`"),
            ]
        );
    }

    /// The sections of a map with a mistake of each kind a flow's references can have.
    const ENTITIES: &str = "entities:
  shop: { name: Shop, kind: company, country: US }
  learners: { name: Learners, kind: subjects, country: EEA }
  desk: { name: Desk, kind: vendor, country: DE }
";
    const FLOWS: &str = "flows:
  - { id: signup, from: learners, to: shop, data: [name, headshot] }
  - { id: support, from: shop, to: desk, data: [email], agreement: desk-dpa }
  - { id: support, from: shop, to: desk, data: [emial], agreement: desk-dap }
  - { from: shop, to: dsk, data: [name], agreement: desk-dpa }
  - { from: shop, to: learners, data: [name], agreement: desk-dpa }
";
    const REST: &str = "categories:
  headshot: { like: name }
agreements:
  desk-dpa: { between: [shop, desk] }
";

    /// Flows are resolved as they are read when the entities come first, and at the end
    /// when they come after: the map and every diagnostic are the same either way.
    #[test]
    fn flows_are_resolved_the_same_whether_the_entities_come_first_or_last() {
        let head = "format: 1\norganisation: Example\n";
        let first = format!("{head}{ENTITIES}{FLOWS}{REST}");
        let last = format!("{head}{REST}{FLOWS}{ENTITIES}");
        let read = |text: &str| {
            let (map, diagnostics) = load_as(Syntax::Yaml, text, &vocabulary());
            assert!(map.is_none(), "the map has errors");
            let found: Vec<(&str, String)> = diagnostics
                .iter()
                .map(|d| (d.code, d.message.clone()))
                .collect();
            found
        };
        let expected: Vec<(&str, String)> = [
            ("duplicate-id", "duplicate flow id \"support\""),
            ("unknown-category", "unknown data category \"emial\""),
            ("unknown-agreement", "unknown agreement \"desk-dap\""),
            ("unknown-entity", "unknown entity \"dsk\""),
            (
                "flow-into-subjects",
                "flow goes into the data subjects \"learners\"",
            ),
            (
                "agreement-parties",
                "agreement \"desk-dpa\" is not between \"shop\" and \"learners\"",
            ),
        ]
        .into_iter()
        .map(|(code, message)| (code, message.to_string()))
        .collect();
        assert_eq!(read(&first), expected);
        assert_eq!(read(&last), expected);

        // Without the mistakes, the same flows, agreements included.
        let fixed = |text: String| {
            let text = text
                .replace("  - { id: support, from: shop, to: desk, data: [emial], agreement: desk-dap }\n", "")
                .replace("to: dsk", "to: desk")
                .replace("  - { from: shop, to: learners, data: [name], agreement: desk-dpa }\n", "");
            let (map, diagnostics) = load_as(Syntax::Yaml, &text, &vocabulary());
            assert!(diagnostics.is_empty(), "{diagnostics:?}");
            let map = map.expect("valid");
            let agreements: Vec<Option<usize>> = map.flows.iter().map(|f| f.agreement).collect();
            (summary(&map), agreements)
        };
        let (flows, agreements) = fixed(first);
        assert_eq!(fixed(last), (flows.clone(), agreements.clone()));
        assert_eq!(agreements, vec![None, Some(0), Some(0)]);
        assert_eq!(
            flows.iter().map(|f| f.0).collect::<Vec<_>>(),
            vec![0, 1, 2],
            "flow numbers follow the list"
        );
    }

    /// A flow item read on the parser's thread (when the extractor is behind), or from its
    /// node rather than from a JSON map's text, gives the same flows and the same
    /// diagnostics, in the same order, as one read the usual way.
    #[test]
    fn flows_read_on_the_parser_thread_or_from_their_nodes_are_read_the_same() {
        let head = "format: 1\norganisation: Example\n";
        let broken = YAML.replace(
            "  - { from: shop, to: desk",
            "  - not a flow\n  - { from: shop, to: nowhere, data: [name], colour: blue }\n  - { from: shop, to: desk }\n  - { from: shop, to: desk",
        );
        let texts = [
            (Syntax::Yaml, YAML.to_string()),
            (Syntax::Json, JSON.to_string()),
            (Syntax::Yaml, broken),
            (Syntax::Yaml, format!("{head}{ENTITIES}{FLOWS}{REST}")),
            (Syntax::Yaml, format!("{head}{REST}{FLOWS}{ENTITIES}")),
        ];
        let read = |syntax, text: &str, reading| {
            let (map, diagnostics) = load_reading(syntax, text, &vocabulary(), reading);
            let found: Vec<(&str, u32, u32, String)> = diagnostics
                .iter()
                .map(|d| (d.code, d.loc.line, d.loc.column, d.message.clone()))
                .collect();
            (map.as_ref().map(summary), found)
        };
        for (syntax, text) in &texts {
            let there = read(*syntax, text, FlowReading::Usual);
            assert!(there.0.is_some() || !there.1.is_empty());
            for reading in [
                FlowReading::Ahead,
                FlowReading::FromNodes,
                FlowReading::AheadFromNodes,
            ] {
                assert_eq!(read(*syntax, text, reading), there, "{reading:?}: {text}");
            }
        }
    }
}
