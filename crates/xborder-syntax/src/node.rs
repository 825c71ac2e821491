//! A YAML document as a tree of nodes, each with its source location.
//!
//! Maps are not deserialized straight into typed structs: serde stops at the first error,
//! and a compliance file deserves every problem reported in one run. Instead the document
//! becomes this tree (keys in file order, duplicates kept), and `extract` walks it.

use std::cell::RefCell;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::{Budget, DuplicateKeyPolicy, Spanned};

use crate::diag::{Diagnostic, Loc};
use crate::json::JsonItem;
use std::sync::Mutex;

use crate::text::{Interner, Text};

/// One YAML node with the location of its first character.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub loc: Loc,
    pub kind: NodeKind,
}

/// The shape of a node. Scalars keep their text: the extractor decides what a value means.
#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    // Shared and boxed rather than `String`/`Vec`: exact size, no spare capacity, 8 bytes
    // less per node (a million-flow map has tens of millions of nodes), and a key, which
    // every flow repeats, is stored once ([`key_text`]).
    Str(Text),
    Seq(Box<[Node]>),
    /// Entries in file order; duplicate keys are kept so that they can be reported.
    Map(Box<[(Node, Node)]>),
}

impl NodeKind {
    /// What a user would call this kind of value, for messages.
    pub fn describe(&self) -> &'static str {
        match self {
            NodeKind::Null => "nothing (null)",
            NodeKind::Bool(_) => "a boolean",
            NodeKind::Int(_) | NodeKind::Float(_) => "a number",
            NodeKind::Str(_) => "a string",
            NodeKind::Seq(_) => "a list",
            NodeKind::Map(_) => "a mapping",
        }
    }
}

/// The text of a mapping key, shared with the equal keys read before it.
///
/// A map repeats a handful of keys (`from`, `to`, `data`, `kind`, ...) on every flow and
/// entity: each is allocated once. Values are not looked up here: most of a large map's
/// values are ids and names that occur once or twice, and a table holding all of them costs
/// more to search than the values cost to allocate. The values that do recur and are kept
/// (data categories) are shared by the extractor. A key longer than a few words is rare and
/// not looked up either.
///
/// The first keys a process reads are kept for its whole life ([`Text::forever`]), so that
/// sharing them counts nothing: the parser and the extractor, on two cores, both take and
/// drop copies of the same dozen keys, and each count written by one core made the other
/// wait (a tenth of the parser's time).
///
/// The ids that key the entries of a streamed `entities:` section are read as values: each
/// occurs once, and on a map whose entities come first they took every lasting place (a
/// million-flow map's `from`, `to` and `data` were then counted on both cores again) and
/// filled the table with a quarter of a million ids.
pub fn key_text(keys: &mut Interner, s: &str) -> Text {
    const SHARED_MAX: usize = 32;
    if s.len() > SHARED_MAX {
        Text::from(s)
    } else {
        keys.text_or(s, lasting_key)
    }
}

/// The process's lasting copy of key `s`, while it keeps fewer than [`LASTING_KEYS`]: a
/// map format has a few dozen keys, and a file with thousands of made-up keys costs no more
/// than their counts.
fn lasting_key(s: &str) -> Text {
    /// Most keys kept for the process's life (at most 32 bytes each).
    const LASTING_KEYS: usize = 512;
    static KEYS: Mutex<Vec<Text>> = Mutex::new(Vec::new());
    let Ok(mut kept) = KEYS.lock() else {
        return Text::from(s);
    };
    if let Some(key) = kept.iter().find(|k| k.as_str() == s) {
        return key.clone();
    }
    if kept.len() >= LASTING_KEYS {
        return Text::from(s);
    }
    let key = Text::forever(s);
    kept.push(key.clone());
    key
}

/// Input budgets. Sized so that a map of a million flows loads, while alias bombs and
/// pathological nesting are rejected after a bounded amount of work.
#[derive(Debug, Clone, Copy)]
pub struct ParseLimits {
    /// Deepest nesting accepted. The format needs six levels; 64 leaves room for comments
    /// of structure without letting a deeply nested file cost real time.
    pub max_depth: usize,
    /// Most aliases (`*name`) accepted in one file.
    pub max_aliases: usize,
}

impl Default for ParseLimits {
    fn default() -> Self {
        ParseLimits {
            max_depth: 64,
            max_aliases: 10_000,
        }
    }
}

/// The serde-saphyr budget for an input of `len` bytes.
///
/// The node budget is tied to the input length: a node needs at least one byte of input
/// unless it comes from an alias, so more nodes than bytes means alias amplification (a
/// "billion laughs" bomb) and is refused as soon as it exceeds that bound. Scalar text is
/// bounded the same way (serde-saphyr's default of 64 MiB would refuse a plain map of a
/// million flows).
pub fn input_budget(len: usize, limits: ParseLimits) -> Budget {
    let mut budget = Budget::default();
    budget.max_nodes = len.saturating_add(1024);
    budget.max_events = len.saturating_mul(2).saturating_add(4096);
    budget.max_total_scalar_bytes = len.saturating_add(1024);
    budget.max_depth = limits.max_depth;
    budget.max_aliases = limits.max_aliases;
    budget.max_documents = 1;
    budget
}

/// A section of a map that is read item by item: each item goes to an [`ItemSink`] as soon
/// as it is parsed and is not kept in the tree. The entities and flows are nearly all of a
/// large map; read this way, the located tree of a million flows never exists whole, only
/// one item's at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// The root's `entities` mapping: each entry is handed over.
    Entities,
    /// The root's `flows` list: each item is handed over.
    Flows,
}

/// Receives the items of the sections it claims while a document is parsed.
///
/// The parser asks [`ItemSink::section`] for every key of the root mapping, in file order.
/// When the sink claims a key and its value has the section's shape (a mapping for
/// entities, a list for flows), the items go to the sink and the tree keeps an empty
/// mapping or list in their place; any other value stays in the tree as usual, for the
/// extractor to report.
pub trait ItemSink: std::any::Any {
    /// Whether the value of the root mapping's `key` is read item by item.
    fn section(&mut self, key: &str) -> Option<Section>;
    /// One entry of the `entities` mapping.
    fn entry(&mut self, key: Node, value: Node);
    /// One item of the `flows` list.
    fn item(&mut self, item: Node);
    /// One item of the `flows` list of a JSON document, offered before it is parsed into a
    /// node: `true` when the sink read the item whole from the text ([`JsonItem`]); with
    /// `false` the parser reads it as a node and hands it to [`ItemSink::item`] as usual.
    fn json_item(&mut self, _item: &mut JsonItem<'_, '_, '_>) -> bool {
        false
    }
}

/// Parses YAML text into a node tree, or a diagnostic saying where the syntax breaks.
pub fn parse_yaml(text: &str, limits: ParseLimits) -> Result<Node, Diagnostic> {
    parse_yaml_with(text, limits, None).0
}

/// Parses YAML text like [`parse_yaml`], handing the items of the sections `sink` claims to
/// it as they are read.
///
/// Locations handed to the sink may carry an unknown byte offset ([`offset_unknown`]) in
/// the rare case serde-saphyr has none; [`locate`] finds it.
pub fn parse_yaml_streaming<S: ItemSink + Default>(
    text: &str,
    limits: ParseLimits,
    sink: &mut S,
) -> Result<Node, Diagnostic> {
    // serde's `Deserialize` carries no state, so the sink lives with the thread's parse
    // state for the length of the parse and comes back afterwards.
    let lent: Box<dyn ItemSink> = Box::new(std::mem::take(sink));
    let (parsed, returned) = parse_yaml_with(text, limits, Some(lent));
    if let Some(Ok(returned)) =
        returned.map(|boxed| (boxed as Box<dyn std::any::Any>).downcast::<S>())
    {
        *sink = *returned;
    }
    parsed
}

/// The parse, with the sink it was given (if any) returned.
fn parse_yaml_with(
    text: &str,
    limits: ParseLimits,
    sink: Option<Box<dyn ItemSink>>,
) -> (Result<Node, Diagnostic>, Option<Box<dyn ItemSink>>) {
    let budget = input_budget(text.len(), limits);
    let options = serde_saphyr::options! {
        budget: Some(budget),
        duplicate_keys: DuplicateKeyPolicy::PassThrough,
        // YAML 1.2 (the current spec, and what editors' YAML servers use): `NO`, `Y`, `on`,
        // `off` are text, so Norway's country code needs no quotes.
        strict_booleans: true,
    };
    with_state(|state| {
        *state = YamlParse {
            sink,
            ..YamlParse::default()
        }
    });
    let parsed = serde_saphyr::from_str_with_options::<Spanned<Raw>>(text, options);
    let root = parsed.map(to_node);
    let state = with_state(std::mem::take);
    let parsed = match root {
        Ok(mut root) => {
            if state.offsets_missing {
                fill_offsets(&mut root, text);
            }
            Ok(root)
        }
        Err(err) => Err(syntax_diagnostic(&err, text)),
    };
    (parsed, state.sink)
}

/// What the YAML visitor keeps while serde-saphyr drives it (serde's `Deserialize` carries no
/// state of its own, so it lives with the thread for the length of one `parse_yaml`).
#[derive(Default)]
struct YamlParse {
    keys: Interner,
    /// A mapping key is being read (its scalars are shared, see [`key_text`]).
    in_key: bool,
    /// A node came without a byte offset and has [`OFFSET_UNKNOWN`]: found from its line
    /// and column once the whole text is parsed.
    offsets_missing: bool,
    /// Where the items of streamed sections go, when the caller gave one.
    sink: Option<Box<dyn ItemSink>>,
    /// The document's root mapping or list has been entered: every later one is nested.
    root_entered: bool,
    /// The section the sink claimed for the root key whose value is being read; taken by
    /// that value's mapping or list, so nothing nested inside sees it.
    pending: Option<Section>,
}

/// Runs `f` on the parse state of this thread.
fn with_state<R>(f: impl FnOnce(&mut YamlParse) -> R) -> R {
    YAML_PARSE.with(|state| f(&mut state.borrow_mut()))
}

thread_local! {
    static YAML_PARSE: RefCell<YamlParse> = RefCell::new(YamlParse::default());
}

const OFFSET_UNKNOWN: usize = usize::MAX;

/// Whether `loc` came without a byte offset (see [`parse_yaml_streaming`]).
pub fn offset_unknown(loc: Loc) -> bool {
    loc.offset == OFFSET_UNKNOWN
}

/// `loc` with its byte offset found from its line and column in `text`.
pub fn locate(loc: Loc, text: &str) -> Loc {
    loc_from(loc.line.into(), loc.column.into(), text)
}

fn fill_offsets(node: &mut Node, text: &str) {
    if node.loc.offset == OFFSET_UNKNOWN {
        node.loc = loc_from(node.loc.line.into(), node.loc.column.into(), text);
    }
    match &mut node.kind {
        NodeKind::Seq(items) => items.iter_mut().for_each(|n| fill_offsets(n, text)),
        NodeKind::Map(entries) => entries.iter_mut().for_each(|(k, v)| {
            fill_offsets(k, text);
            fill_offsets(v, text);
        }),
        _ => {}
    }
}

fn syntax_diagnostic(err: &serde_saphyr::Error, text: &str) -> Diagnostic {
    let plain = err.without_snippet().to_string();
    // The plain rendering ends in " at line L, column C"; the location goes elsewhere.
    let message = match plain.rfind(" at line ") {
        Some(cut) => plain[..cut].to_string(),
        None => plain,
    };
    let loc = err
        .location()
        .map(|l| loc_from(l.line(), l.column(), text))
        .unwrap_or(Loc {
            line: 1,
            column: 1,
            offset: 0,
        });
    // serde-saphyr names a breached budget by its Rust debug form (`Documents { documents: 2
    // }`); say in words which limit it was.
    let (message, hint) = if message.contains("budget breached: Documents") {
        (
            "the file holds more than one YAML document (a second `---`)".to_string(),
            "a file holds one document: remove the `---` line or split the file",
        )
    } else if message.contains("budget breached: Depth") || message.contains("recursion") {
        (
            "values nest deeper than 64 levels (input budget)".to_string(),
            "no real file nests this deep; write the values out plainly",
        )
    } else if message.contains("budget breached") {
        (
            "aliases expand to more values than the file is long (input budget): an alias bomb?"
                .to_string(),
            "write the values out plainly instead of repeating them through aliases",
        )
    } else {
        (
            message,
            "fix the YAML syntax here; quote values that contain ':' or start with '*', '&' or '!'",
        )
    };
    Diagnostic::error("yaml-syntax", loc, format!("invalid YAML: {message}")).with_hint(hint)
}

/// Converts a 1-based line and character column into a [`Loc`] with its byte offset.
///
/// Lines end where YAML ends them (`\n`, `\r\n` or a lone `\r`), byte order marks that
/// start a line are not columns, and a column past the end of its line stops at the line
/// break rather than running on into the next line.
fn loc_from(line: u64, column: u64, text: &str) -> Loc {
    let line = u32::try_from(line.max(1)).unwrap_or(u32::MAX);
    let column = u32::try_from(column.max(1)).unwrap_or(u32::MAX);
    // Line n starts after the (n - 1)th line break; the `\r` of a `\r\n` is not one.
    let mut line_start = match (line as usize).checked_sub(2) {
        None => 0,
        Some(breaks_before) => text
            .match_indices(['\n', '\r'])
            .filter(|(i, brk)| *brk == "\n" || text.as_bytes().get(i + 1) != Some(&b'\n'))
            .nth(breaks_before)
            .map_or(text.len(), |(i, _)| i + 1),
    };
    let line_from = text.get(line_start..).unwrap_or_default();
    let rest = line_from.trim_start_matches('\u{feff}');
    line_start += line_from.len() - rest.len();
    let line_text = rest.split(['\n', '\r']).next().unwrap_or_default();
    let offset = line_text
        .char_indices()
        .nth((column - 1) as usize)
        .map_or(line_start + line_text.len(), |(i, _)| line_start + i);
    Loc {
        line,
        column,
        offset,
    }
}

/// A node as soon as serde-saphyr has read it: children are converted while their parent is
/// still being read, so the document never exists twice (as serde-saphyr's spanned values
/// and as nodes).
fn to_node(spanned: Spanned<Raw>) -> Node {
    let at = spanned.referenced;
    let offset = match at
        .span()
        .byte_offset()
        .and_then(|b| usize::try_from(b).ok())
    {
        Some(offset) => offset,
        None => {
            with_state(|state| state.offsets_missing = true);
            OFFSET_UNKNOWN
        }
    };
    let loc = Loc {
        line: u32::try_from(at.line().max(1)).unwrap_or(u32::MAX),
        column: u32::try_from(at.column().max(1)).unwrap_or(u32::MAX),
        offset,
    };
    let kind = match spanned.value {
        Raw::Null => NodeKind::Null,
        Raw::Bool(b) => NodeKind::Bool(b),
        Raw::Int(i) => NodeKind::Int(i),
        Raw::Float(f) => NodeKind::Float(f),
        Raw::Str(s) => NodeKind::Str(s),
        Raw::Seq(items) => NodeKind::Seq(items.into_boxed_slice()),
        Raw::Map(entries) => NodeKind::Map(entries.into_boxed_slice()),
    };
    Node { loc, kind }
}

/// The next key of a mapping, with its text shared (see [`key_text`]).
fn next_key<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Option<Node>, A::Error> {
    with_state(|state| state.in_key = true);
    let key = map.next_key::<Spanned<Raw>>();
    with_state(|state| state.in_key = false);
    Ok(key?.map(to_node))
}

/// The next key of the streamed entities: an id, each its own, so not shared.
fn next_id<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Option<Node>, A::Error> {
    Ok(map.next_key::<Spanned<Raw>>()?.map(to_node))
}

/// The tree as serde-saphyr builds it, before locations are normalised.
enum Raw {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(Text),
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

impl<'de> Deserialize<'de> for Raw {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(RawVisitor)
    }
}

struct RawVisitor;

impl<'de> Visitor<'de> for RawVisitor {
    type Value = Raw;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_unit<E: de::Error>(self) -> Result<Raw, E> {
        Ok(Raw::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Raw, E> {
        Ok(Raw::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Raw, D::Error> {
        Raw::deserialize(d)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Raw, E> {
        Ok(Raw::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Raw, E> {
        Ok(Raw::Int(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Raw, E> {
        Ok(i64::try_from(v).map_or(Raw::Float(v as f64), Raw::Int))
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Raw, E> {
        Ok(i64::try_from(v).map_or(Raw::Float(v as f64), Raw::Int))
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Raw, E> {
        Ok(i64::try_from(v).map_or(Raw::Float(v as f64), Raw::Int))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Raw, E> {
        Ok(Raw::Float(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Raw, E> {
        Ok(Raw::Str(with_state(|state| {
            if state.in_key {
                key_text(&mut state.keys, v)
            } else {
                Text::from(v)
            }
        })))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Raw, A::Error> {
        let section = with_state(|state| {
            state.root_entered = true;
            state.pending.take()
        });
        let mut items = Vec::new();
        if section == Some(Section::Flows) {
            while let Some(item) = seq.next_element::<Spanned<Raw>>()? {
                let item = to_node(item);
                with_state(|state| state.sink.as_mut().map(|sink| sink.item(item)));
            }
        } else {
            items.reserve(seq.size_hint().unwrap_or(0).min(4096));
            while let Some(item) = seq.next_element::<Spanned<Raw>>()? {
                items.push(to_node(item));
            }
        }
        Ok(Raw::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Raw, A::Error> {
        let (root, section) = with_state(|state| {
            (
                !std::mem::replace(&mut state.root_entered, true),
                state.pending.take(),
            )
        });
        let mut entries = Vec::new();
        if section == Some(Section::Entities) {
            while let Some(key) = next_id(&mut map)? {
                let value = to_node(map.next_value::<Spanned<Raw>>()?);
                with_state(|state| state.sink.as_mut().map(|sink| sink.entry(key, value)));
            }
        } else {
            entries.reserve(map.size_hint().unwrap_or(0).min(4096));
            while let Some(key) = next_key(&mut map)? {
                if root && let NodeKind::Str(name) = &key.kind {
                    with_state(|state| {
                        state.pending = state.sink.as_mut().and_then(|sink| sink.section(name));
                    });
                }
                let value = to_node(map.next_value::<Spanned<Raw>>()?);
                if root {
                    with_state(|state| state.pending = None);
                }
                entries.push((key, value));
            }
        }
        Ok(Raw::Map(entries))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_locations_and_duplicate_keys() {
        let node =
            parse_yaml("a: 1\nb:\n  c: x\n  c: y\n", ParseLimits::default()).expect("valid YAML");
        let NodeKind::Map(top) = &node.kind else {
            panic!("expected a mapping")
        };
        let NodeKind::Map(inner) = &top[1].1.kind else {
            panic!("expected a mapping")
        };
        assert_eq!(inner.len(), 2, "duplicate keys are kept for reporting");
        assert_eq!((inner[1].0.loc.line, inner[1].0.loc.column), (4, 3));
    }

    #[test]
    fn alias_bomb_is_refused() {
        let mut text = String::from("l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n");
        for level in 1..10 {
            let prev = format!("*l{}", level - 1);
            let items = vec![prev; 10].join(", ");
            text.push_str(&format!("l{level}: &l{level} [{items}]\n"));
        }
        let err = parse_yaml(&text, ParseLimits::default()).expect_err("bomb must be refused");
        assert_eq!(err.code, "yaml-syntax");
        assert!(err.message.contains("budget"), "{}", err.message);
    }

    #[test]
    fn a_file_larger_than_64_mib_of_text_loads() {
        let text = format!("a: {}\n", "x".repeat(65 << 20));
        let node = parse_yaml(&text, ParseLimits::default()).expect("large files load");
        let NodeKind::Map(top) = &node.kind else {
            panic!("expected a mapping")
        };
        assert!(matches!(&top[0].1.kind, NodeKind::Str(s) if s.len() == 65 << 20));
    }

    /// Records what a streaming parse hands over, claiming each section once.
    #[derive(Default)]
    struct Recorder {
        claimed: Vec<String>,
        entries: Vec<(String, u32)>,
        items: Vec<u32>,
    }

    impl ItemSink for Recorder {
        fn section(&mut self, key: &str) -> Option<Section> {
            if self.claimed.iter().any(|k| k == key) {
                return None;
            }
            self.claimed.push(key.to_string());
            match key {
                "entities" => Some(Section::Entities),
                "flows" => Some(Section::Flows),
                _ => None,
            }
        }
        fn entry(&mut self, key: Node, value: Node) {
            let NodeKind::Str(id) = key.kind else {
                panic!("entity keys here are strings")
            };
            self.entries.push((id.to_string(), value.loc.line));
        }
        fn item(&mut self, item: Node) {
            self.items.push(item.loc.line);
        }
    }

    /// The root's entities and flows reach the sink one by one and are not kept in the tree;
    /// a nested key of the same name and a repeated root key are not streamed.
    fn check_streamed(root: &Node, sink: &Recorder) {
        assert_eq!(
            sink.entries,
            vec![("a".to_string(), 3), ("b".to_string(), 4)],
            "entities handed over with their lines"
        );
        assert_eq!(
            sink.items,
            vec![6, 7, 8],
            "every flow item, broken ones too"
        );
        let NodeKind::Map(top) = &root.kind else {
            panic!("expected a mapping")
        };
        let value = |i: usize| &top[i].1.kind;
        assert!(
            matches!(value(1), NodeKind::Map(e) if e.is_empty()),
            "entities left empty"
        );
        assert!(
            matches!(value(2), NodeKind::Seq(f) if f.is_empty()),
            "flows left empty"
        );
        assert!(
            matches!(value(3), NodeKind::Seq(f) if f.len() == 1),
            "a repeated `flows` stays in the tree, for the duplicate-key report"
        );
        let NodeKind::Map(entity_b) = &top[0].1.kind else {
            panic!("`other` is a mapping")
        };
        assert!(
            matches!(&entity_b[0].1.kind, NodeKind::Seq(f) if f.len() == 1),
            "a nested `flows` is an ordinary value"
        );
    }

    /// Keeps the keys of what a streaming parse hands over.
    #[derive(Default)]
    struct Keys {
        ids: Vec<Text>,
        items: Vec<Node>,
    }

    impl ItemSink for Keys {
        fn section(&mut self, key: &str) -> Option<Section> {
            match key {
                "entities" => Some(Section::Entities),
                "flows" => Some(Section::Flows),
                _ => None,
            }
        }
        fn entry(&mut self, key: Node, _: Node) {
            if let NodeKind::Str(id) = key.kind {
                self.ids.push(id);
            }
        }
        fn item(&mut self, item: Node) {
            self.items.push(item);
        }
    }

    #[test]
    fn the_ids_of_streamed_entities_take_no_lasting_place() {
        // Entities first, as maps have them: had their ids been shared as keys, a map of
        // more entities than lasting places would leave none for the flows' keys.
        let ids: Vec<String> = (0..600).map(|i| format!("streamed-entity-{i}")).collect();
        let json = format!(
            "{{\"entities\": {{{}}}, \"flows\": [{{\"from\": \"x\"}}]}}",
            ids.iter()
                .map(|id| format!("\"{id}\": {{}}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let yaml = format!(
            "entities:\n{}flows:\n  - from: x\n",
            ids.iter()
                .map(|id| format!("  {id}: {{}}\n"))
                .collect::<String>()
        );
        let mut from_json = Keys::default();
        crate::json::parse_json_streaming(&json, ParseLimits::default(), &mut from_json)
            .expect("valid JSON");
        let mut from_yaml = Keys::default();
        parse_yaml_streaming(&yaml, ParseLimits::default(), &mut from_yaml).expect("valid YAML");
        for (format, sink) in [("JSON", from_json), ("YAML", from_yaml)] {
            assert_eq!(sink.ids.len(), 600, "{format}");
            assert!(
                sink.ids.iter().all(|id| !id.is_forever()),
                "{format}: an entity id is not kept for the process's life"
            );
            let Some(NodeKind::Map(flow)) = sink.items.first().map(|item| &item.kind) else {
                panic!("{format}: the flow item is a mapping")
            };
            assert!(
                matches!(&flow[0].0.kind, NodeKind::Str(key) if key == "from" && key.is_forever()),
                "{format}: a flow's key is kept for the process's life"
            );
        }
    }

    #[test]
    fn sections_are_streamed_from_yaml() {
        let text = "other: {flows: [x]}\nentities:\n  a: {name: A}\n  b: {name: B}\nflows:\n  - {from: a}\n  - 3\n  - {from: b}\nflows: [y]\n";
        let mut sink = Recorder::default();
        let root = parse_yaml_streaming(text, ParseLimits::default(), &mut sink).expect("valid");
        check_streamed(&root, &sink);
    }

    #[test]
    fn sections_are_streamed_from_json() {
        let text = "{\"other\": {\"flows\": [\"x\"]},\n\"entities\": {\n  \"a\": {\"name\": \"A\"},\n  \"b\": {\"name\": \"B\"}},\n\"flows\": [\n  {\"from\": \"a\"},\n  3,\n  {\"from\": \"b\"}],\n\"flows\": [\"y\"]}\n";
        let mut sink = Recorder::default();
        let root = crate::json::parse_json_streaming(text, ParseLimits::default(), &mut sink)
            .expect("valid");
        check_streamed(&root, &sink);
    }

    #[test]
    fn sections_of_another_shape_stay_in_the_tree() {
        let mut sink = Recorder::default();
        let root = parse_yaml_streaming(
            "entities: [a]\nflows: {a: 1}\n",
            ParseLimits::default(),
            &mut sink,
        )
        .expect("valid");
        assert!(sink.entries.is_empty() && sink.items.is_empty());
        let NodeKind::Map(top) = &root.kind else {
            panic!("expected a mapping")
        };
        assert!(matches!(&top[0].1.kind, NodeKind::Seq(e) if e.len() == 1));
        assert!(matches!(&top[1].1.kind, NodeKind::Map(f) if f.len() == 1));
    }

    #[test]
    fn deep_nesting_is_refused() {
        let text = "[".repeat(100_000);
        let err = parse_yaml(&text, ParseLimits::default()).expect_err("must be refused");
        assert_eq!(err.loc.line, 1);
    }
}
