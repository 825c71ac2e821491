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
    // less per node (a million-flow map has tens of millions of nodes), and a short string
    // that recurs (a key, an entity id, a country, a category) is stored once ([`scalar`]).
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

/// The text of a scalar, shared with the equal scalars read before it when it is short.
///
/// A map repeats a small vocabulary thousands of times: the keys of every flow, the ids of
/// the entities it connects, countries, categories. Sharing them keeps the tree of a large map
/// several times smaller than one allocation per scalar. Longer strings (names, notes) are
/// rarely repeated and are not looked up.
pub(crate) fn scalar(scalars: &mut Interner, s: &str) -> Text {
    const SHARED_MAX: usize = 32;
    if s.len() > SHARED_MAX {
        Text::from(s)
    } else {
        scalars.text(s)
    }
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

/// Parses YAML text into a node tree, or a diagnostic saying where the syntax breaks.
pub fn parse_yaml(text: &str, limits: ParseLimits) -> Result<Node, Diagnostic> {
    let budget = input_budget(text.len(), limits);
    let options = serde_saphyr::options! {
        budget: Some(budget),
        duplicate_keys: DuplicateKeyPolicy::PassThrough,
    };
    YAML_PARSE.with(|state| *state.borrow_mut() = YamlParse::default());
    let parsed = serde_saphyr::from_str_with_options::<Spanned<Raw>>(text, options);
    let state = YAML_PARSE.with(|state| state.take());
    match parsed {
        Ok(spanned) => {
            let mut root = to_node(spanned);
            if state.offsets_missing {
                fill_offsets(&mut root, text);
            }
            Ok(root)
        }
        Err(err) => Err(syntax_diagnostic(&err, text)),
    }
}

/// What the YAML visitor keeps while serde-saphyr drives it (serde's `Deserialize` carries no
/// state of its own, so it lives with the thread for the length of one `parse_yaml`).
#[derive(Default)]
struct YamlParse {
    scalars: Interner,
    /// A node came without a byte offset and has [`OFFSET_UNKNOWN`]: found from its line
    /// and column once the whole text is parsed.
    offsets_missing: bool,
}

thread_local! {
    static YAML_PARSE: RefCell<YamlParse> = RefCell::new(YamlParse::default());
}

const OFFSET_UNKNOWN: usize = usize::MAX;

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
            YAML_PARSE.with(|state| state.borrow_mut().offsets_missing = true);
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
        Ok(Raw::Str(
            YAML_PARSE.with(|state| scalar(&mut state.borrow_mut().scalars, v)),
        ))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Raw, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(item) = seq.next_element::<Spanned<Raw>>()? {
            items.push(to_node(item));
        }
        Ok(Raw::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Raw, A::Error> {
        let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0).min(4096));
        while let Some((key, value)) = map.next_entry::<Spanned<Raw>, Spanned<Raw>>()? {
            entries.push((to_node(key), to_node(value)));
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

    #[test]
    fn deep_nesting_is_refused() {
        let text = "[".repeat(100_000);
        let err = parse_yaml(&text, ParseLimits::default()).expect_err("must be refused");
        assert_eq!(err.loc.line, 1);
    }
}
