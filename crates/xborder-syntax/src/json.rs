//! A JSON document as the same located node tree as YAML ([`Node`]).
//!
//! JSON maps are the fast path for generated and exported maps: the same format (the keys
//! and values of `docs/format.md`), in a syntax that needs no indentation tracking, tags or
//! aliases. The parser is written for this tree rather than taken from a JSON library
//! because every node must carry its line and column for diagnostics, and duplicate keys
//! must be kept so that they can be reported like YAML's (RFC 8259 §4 leaves them to the
//! reader; a data map treats them as an error).

use crate::diag::{Diagnostic, Loc};
use crate::node::{ItemSink, Node, NodeKind, ParseLimits, Section, key_text};
use crate::text::{Interner, Text};

/// Parses JSON text (RFC 8259) into a node tree, or a diagnostic saying where the syntax
/// breaks.
pub fn parse_json(text: &str, limits: ParseLimits) -> Result<Node, Diagnostic> {
    parse(text, limits, None)
}

/// Parses JSON text like [`parse_json`], handing the items of the sections `sink` claims to
/// it as they are read (see [`ItemSink`]).
pub fn parse_json_streaming(
    text: &str,
    limits: ParseLimits,
    sink: &mut dyn ItemSink,
) -> Result<Node, Diagnostic> {
    parse(text, limits, Some(sink))
}

fn parse(
    text: &str,
    limits: ParseLimits,
    sink: Option<&mut dyn ItemSink>,
) -> Result<Node, Diagnostic> {
    let mut parser = Parser {
        bytes: text.as_bytes(),
        text,
        pos: 0,
        line: 1,
        line_start: 0,
        depth: 0,
        max_depth: limits.max_depth,
        column_at: (0, 0),
        entries: Vec::new(),
        items: Vec::new(),
        keys: Interner::default(),
        scratch: String::new(),
        sink,
        pending: None,
    };
    // A byte order mark is not JSON (RFC 8259 §8.1) but editors write one; skip it.
    if text.starts_with('\u{feff}') {
        parser.pos = 3;
        parser.line_start = 3;
    }
    parser.skip_space();
    let root = parser.value()?;
    parser.skip_space();
    if parser.pos < parser.bytes.len() {
        return Err(parser.error(
            "unexpected text after the end of the document",
            "a JSON map is one object; remove what follows its closing '}'",
        ));
    }
    Ok(root)
}

/// An item of a streamed section, offered to the sink to read straight from the text
/// before it is parsed into a node ([`ItemSink::json_item`]).
///
/// Each method reads the next token after white space and says `None` (or `false`) when it
/// is not what was asked for; the sink then gives the item up, and the parser reads it from
/// its start as a node. Locations are the parser's own, so what the sink reads is located
/// exactly as the node's values would be.
pub struct JsonItem<'p, 't, 's> {
    parser: &'p mut Parser<'t, 's>,
}

impl<'t> JsonItem<'_, 't, '_> {
    /// The location of the next token.
    pub fn loc(&mut self) -> Loc {
        self.parser.skip_space();
        self.parser.loc()
    }

    /// Takes `byte` if it is the next token.
    pub fn eat(&mut self, byte: u8) -> bool {
        self.parser.skip_space();
        let taken = self.parser.bytes.get(self.parser.pos) == Some(&byte);
        if taken {
            self.parser.pos += 1;
        }
        taken
    }

    /// Enters the object that comes next, as the parser does when it reads one: `false` when
    /// the next token is not `{` or the object would be nested too deep (the parser reports
    /// that when it reads the item again).
    pub fn enter_object(&mut self) -> bool {
        self.parser.skip_space();
        if self.parser.bytes.get(self.parser.pos) != Some(&b'{')
            || self.parser.depth >= self.parser.max_depth
        {
            return false;
        }
        self.parser.depth += 1;
        self.parser.pos += 1;
        true
    }

    /// The next string, borrowed from the text, when it has no escape: a string with one
    /// (or with what JSON does not allow in a string) is read by the parser.
    pub fn plain_string(&mut self) -> Option<&'t str> {
        let parser = &mut *self.parser;
        parser.skip_space();
        if parser.bytes.get(parser.pos) != Some(&b'"') {
            return None;
        }
        let start = parser.pos + 1;
        let length = parser
            .bytes
            .get(start..)?
            .iter()
            .position(|&b| b == b'"' || b == b'\\' || b < 0x20)?;
        let end = start + length;
        if parser.bytes.get(end) != Some(&b'"') {
            return None;
        }
        parser.pos = end + 1;
        // The string ends at an ASCII quote, so it is whole UTF-8 characters.
        parser.text.get(start..end)
    }

    /// The next `true` or `false`.
    pub fn boolean(&mut self) -> Option<bool> {
        self.parser.skip_space();
        let rest = self.parser.bytes.get(self.parser.pos..)?;
        let (value, word): (bool, &[u8]) = if rest.starts_with(b"true") {
            (true, b"true")
        } else if rest.starts_with(b"false") {
            (false, b"false")
        } else {
            return None;
        };
        self.parser.pos += word.len();
        Some(value)
    }

    /// The next value as a node, parsed as usual; `None` where the text is not JSON (the
    /// parser reports it when it reads the item again).
    pub fn node(&mut self) -> Option<Node> {
        self.parser.skip_space();
        self.parser.value().ok()
    }
}

struct Parser<'t, 's> {
    bytes: &'t [u8],
    text: &'t str,
    pos: usize,
    line: u32,
    /// Byte offset where the current line starts, for columns.
    line_start: usize,
    depth: usize,
    max_depth: usize,
    /// The last column counted: (byte offset, characters from its line's start). Columns
    /// are counted on from there, so a document on one long line costs linear time.
    column_at: (usize, usize),
    /// Entries of the objects being read, innermost last: each object takes its own run off
    /// the end when it closes, so every mapping is allocated once at its exact size.
    entries: Vec<(Node, Node)>,
    /// Items of the arrays being read, likewise.
    items: Vec<Node>,
    keys: Interner,
    /// The string literal being decoded (reused: one buffer for the whole document).
    scratch: String,
    /// Where the items of streamed sections go, when the caller gave one.
    sink: Option<&'s mut dyn ItemSink>,
    /// The section the sink claimed for the root key whose value is being read; taken by
    /// that value's object or array, so nothing nested inside sees it.
    pending: Option<Section>,
}

impl Parser<'_, '_> {
    /// The location of the current byte: 1-based line, 1-based character column.
    fn loc(&mut self) -> Loc {
        let (from, counted) = if self.column_at.0 >= self.line_start && self.column_at.0 <= self.pos
        {
            self.column_at
        } else {
            (self.line_start, 0)
        };
        let column = counted
            + self
                .text
                .get(from..self.pos)
                .map_or(self.pos - from, |s| s.chars().count());
        self.column_at = (self.pos, column);
        Loc {
            line: self.line,
            column: u32::try_from(column + 1).unwrap_or(u32::MAX),
            offset: self.pos,
        }
    }

    fn error(&mut self, what: &str, hint: &str) -> Diagnostic {
        Diagnostic::error("json-syntax", self.loc(), format!("invalid JSON: {what}"))
            .with_hint(hint)
    }

    fn skip_space(&mut self) {
        while let Some(&b) = self.bytes.get(self.pos) {
            match b {
                b' ' | b'\t' | b'\r' => self.pos += 1,
                b'\n' => {
                    self.pos += 1;
                    self.line += 1;
                    self.line_start = self.pos;
                }
                _ => break,
            }
        }
    }

    fn value(&mut self) -> Result<Node, Diagnostic> {
        let loc = self.loc();
        let kind = match self.bytes.get(self.pos) {
            Some(b'{') => self.nested(Self::object)?,
            Some(b'[') => self.nested(Self::array)?,
            Some(b'"') => NodeKind::Str(self.string(false)?),
            Some(b't') => self.word("true", NodeKind::Bool(true))?,
            Some(b'f') => self.word("false", NodeKind::Bool(false))?,
            Some(b'n') => self.word("null", NodeKind::Null)?,
            Some(b'-' | b'0'..=b'9') => self.number()?,
            Some(_) => {
                return Err(self.error(
                    "expected a value (an object, array, string, number, true, false or null)",
                    "JSON strings need double quotes; YAML-only syntax is not accepted in a .json file",
                ));
            }
            None => {
                return Err(self.error(
                    "the document ends where a value was expected",
                    "the file is truncated or empty; a map is an object like {\"format\": 1, ...}",
                ));
            }
        };
        Ok(Node { loc, kind })
    }

    /// Runs `inner` one nesting level deeper, refusing documents nested past the limit.
    fn nested(
        &mut self,
        inner: fn(&mut Self) -> Result<NodeKind, Diagnostic>,
    ) -> Result<NodeKind, Diagnostic> {
        if self.depth >= self.max_depth {
            return Err(self.error(
                &format!("nesting deeper than {} levels", self.max_depth),
                "the format needs six levels; write the values out plainly",
            ));
        }
        self.depth += 1;
        let kind = inner(self);
        self.depth -= 1;
        kind
    }

    fn object(&mut self) -> Result<NodeKind, Diagnostic> {
        self.pos += 1; // '{'
        // `depth` counts this object: 1 is the root.
        let root = self.depth == 1;
        let streamed = self.pending.take() == Some(Section::Entities);
        let start = self.entries.len();
        self.skip_space();
        if self.bytes.get(self.pos) == Some(&b'}') {
            self.pos += 1;
            return Ok(NodeKind::Map(Box::default()));
        }
        loop {
            self.skip_space();
            if self.bytes.get(self.pos) != Some(&b'"') {
                return Err(self.error(
                    "expected a key in double quotes",
                    "object keys are strings in double quotes; remove a trailing comma before '}'",
                ));
            }
            let key_loc = self.loc();
            // The keys of the streamed entities are ids, each its own: not shared.
            let key = Node {
                loc: key_loc,
                kind: NodeKind::Str(self.string(!streamed)?),
            };
            self.skip_space();
            if self.bytes.get(self.pos) != Some(&b':') {
                return Err(self.error("expected ':' after the key", "write \"key\": value"));
            }
            self.pos += 1;
            self.skip_space();
            if root && let (Some(sink), NodeKind::Str(name)) = (self.sink.as_mut(), &key.kind) {
                self.pending = sink.section(name);
            }
            let value = self.value()?;
            self.pending = None;
            match self.sink.as_mut() {
                Some(sink) if streamed => sink.entry(key, value),
                _ => self.entries.push((key, value)),
            }
            self.skip_space();
            match self.bytes.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(NodeKind::Map(self.entries.drain(start..).collect()));
                }
                _ => {
                    return Err(self.error(
                        "expected ',' or '}' after a value in an object",
                        "separate entries with commas and close the object with '}'",
                    ));
                }
            }
        }
    }

    fn array(&mut self) -> Result<NodeKind, Diagnostic> {
        self.pos += 1; // '['
        let streamed = self.pending.take() == Some(Section::Flows);
        let start = self.items.len();
        self.skip_space();
        if self.bytes.get(self.pos) == Some(&b']') {
            self.pos += 1;
            return Ok(NodeKind::Seq(Box::default()));
        }
        loop {
            self.skip_space();
            if !(streamed && self.read_in_place()) {
                let item = self.value()?;
                match self.sink.as_mut() {
                    Some(sink) if streamed => sink.item(item),
                    _ => self.items.push(item),
                }
            }
            self.skip_space();
            match self.bytes.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(NodeKind::Seq(self.items.drain(start..).collect()));
                }
                _ => {
                    return Err(self.error(
                        "expected ',' or ']' after an item in an array",
                        "separate items with commas and close the array with ']'",
                    ));
                }
            }
        }
    }

    /// Offers the streamed item that starts here to the sink to read in place
    /// ([`ItemSink::json_item`]). When the sink does not take it whole, the parser is put
    /// back where the item starts, to read it as a node.
    fn read_in_place(&mut self) -> bool {
        let Some(sink) = self.sink.take() else {
            return false;
        };
        let (pos, line, line_start, column_at, depth) = (
            self.pos,
            self.line,
            self.line_start,
            self.column_at,
            self.depth,
        );
        let read = sink.json_item(&mut JsonItem { parser: self });
        self.sink = Some(sink);
        if !read {
            (self.pos, self.line, self.line_start, self.column_at) =
                (pos, line, line_start, column_at);
        }
        self.depth = depth;
        read
    }

    fn word(&mut self, word: &str, kind: NodeKind) -> Result<NodeKind, Diagnostic> {
        if self.bytes[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(kind)
        } else {
            Err(self.error(
                "unknown word",
                "the only bare words in JSON are true, false and null; quote strings",
            ))
        }
    }

    fn number(&mut self) -> Result<NodeKind, Diagnostic> {
        let start = self.pos;
        let digits = |p: &mut Self| {
            let from = p.pos;
            while p.bytes.get(p.pos).is_some_and(u8::is_ascii_digit) {
                p.pos += 1;
            }
            p.pos - from
        };
        if self.bytes.get(self.pos) == Some(&b'-') {
            self.pos += 1;
        }
        let int_start = self.pos;
        let int_digits = digits(self);
        if int_digits == 0 || (int_digits > 1 && self.bytes[int_start] == b'0') {
            self.pos = start;
            return Err(self.error(
                "malformed number",
                "numbers are written like 12, -3 or 0.5, without leading zeros",
            ));
        }
        let mut float = false;
        if self.bytes.get(self.pos) == Some(&b'.') {
            self.pos += 1;
            float = true;
            if digits(self) == 0 {
                return Err(
                    self.error("a digit must follow the decimal point", "write 1.0, not 1.")
                );
            }
        }
        if matches!(self.bytes.get(self.pos), Some(b'e' | b'E')) {
            self.pos += 1;
            float = true;
            if matches!(self.bytes.get(self.pos), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if digits(self) == 0 {
                return Err(self.error("a digit must follow the exponent", "write 1e3, not 1e"));
            }
        }
        let literal = &self.text[start..self.pos];
        if !float && let Ok(i) = literal.parse::<i64>() {
            return Ok(NodeKind::Int(i));
        }
        match literal.parse::<f64>() {
            Ok(f) if f.is_finite() => Ok(NodeKind::Float(f)),
            _ => {
                self.pos = start;
                Err(self.error("number out of range", "use a smaller number"))
            }
        }
    }

    /// A string literal, with its escapes decoded (RFC 8259 §7); shared when it is an
    /// object's `key` (see [`key_text`]).
    fn string(&mut self, key: bool) -> Result<Text, Diagnostic> {
        self.pos += 1; // opening quote
        let mut out = std::mem::take(&mut self.scratch);
        out.clear();
        loop {
            let run = self.pos;
            while let Some(&b) = self.bytes.get(self.pos) {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            // The run ends at an ASCII byte, so it is whole UTF-8 characters.
            out.push_str(&self.text[run..self.pos]);
            match self.bytes.get(self.pos) {
                Some(b'"') => {
                    self.pos += 1;
                    let text = if key {
                        key_text(&mut self.keys, &out)
                    } else {
                        Text::from(out.as_str())
                    };
                    self.scratch = out;
                    return Ok(text);
                }
                Some(b'\\') => {
                    self.pos += 1;
                    self.escape(&mut out)?;
                }
                Some(_) => {
                    return Err(self.error(
                        "a control character (such as a line break) inside a string",
                        "write line breaks as \\n and tabs as \\t inside strings",
                    ));
                }
                None => {
                    return Err(self.error(
                        "the file ends inside a string",
                        "close the string with a double quote",
                    ));
                }
            }
        }
    }

    fn escape(&mut self, out: &mut String) -> Result<(), Diagnostic> {
        let simple = match self.bytes.get(self.pos) {
            Some(b'"') => Some('"'),
            Some(b'\\') => Some('\\'),
            Some(b'/') => Some('/'),
            Some(b'b') => Some('\u{8}'),
            Some(b'f') => Some('\u{c}'),
            Some(b'n') => Some('\n'),
            Some(b'r') => Some('\r'),
            Some(b't') => Some('\t'),
            Some(b'u') => None,
            _ => {
                return Err(self.error(
                    "unknown escape sequence",
                    "the escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX",
                ));
            }
        };
        self.pos += 1;
        if let Some(c) = simple {
            out.push(c);
            return Ok(());
        }
        let high = self.hex4()?;
        let code = if (0xD800..0xDC00).contains(&high) {
            // A surrogate pair: the low half must follow as another \u escape.
            if !self.bytes[self.pos..].starts_with(b"\\u") {
                return Err(self.error(
                    "a lone surrogate in a \\u escape",
                    "write characters outside the Basic Multilingual Plane as a surrogate pair",
                ));
            }
            self.pos += 2;
            let low = self.hex4()?;
            if !(0xDC00..0xE000).contains(&low) {
                return Err(self.error(
                    "a lone surrogate in a \\u escape",
                    "write characters outside the Basic Multilingual Plane as a surrogate pair",
                ));
            }
            0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
        } else {
            high
        };
        match char::from_u32(code) {
            Some(c) => {
                out.push(c);
                Ok(())
            }
            None => Err(self.error(
                "a lone surrogate in a \\u escape",
                "write characters outside the Basic Multilingual Plane as a surrogate pair",
            )),
        }
    }

    fn hex4(&mut self) -> Result<u32, Diagnostic> {
        let digits = self
            .bytes
            .get(self.pos..self.pos + 4)
            .and_then(|d| std::str::from_utf8(d).ok())
            .and_then(|d| {
                u32::from_str_radix(d, 16)
                    .ok()
                    .filter(|_| !d.starts_with('+'))
            });
        match digits {
            Some(v) => {
                self.pos += 4;
                Ok(v)
            }
            None => Err(self.error(
                "\\u must be followed by four hexadecimal digits",
                "write e.g. \\u00e9",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Node, Diagnostic> {
        parse_json(text, ParseLimits::default())
    }

    #[test]
    fn keeps_locations_and_duplicate_keys() {
        let node = parse("{\"a\": 1,\n \"b\": {\"c\": \"x\",\n  \"c\": \"y\"}}").expect("valid");
        let NodeKind::Map(top) = &node.kind else {
            panic!("expected an object")
        };
        let NodeKind::Map(inner) = &top[1].1.kind else {
            panic!("expected an object")
        };
        assert_eq!(inner.len(), 2, "duplicate keys are kept for reporting");
        assert_eq!((inner[1].0.loc.line, inner[1].0.loc.column), (3, 3));
        assert_eq!((top[1].0.loc.line, top[1].0.loc.column), (2, 2));
    }

    #[test]
    fn decodes_scalars_and_escapes() {
        let node = parse(r#"[1, -2, 0.5, 1e3, true, null, "caf\u00e9 \ud83d\ude00 \"q\"\n"]"#)
            .expect("valid");
        let NodeKind::Seq(items) = node.kind else {
            panic!("expected an array")
        };
        let kinds: Vec<NodeKind> = items.into_iter().map(|n| n.kind).collect();
        assert_eq!(
            kinds,
            vec![
                NodeKind::Int(1),
                NodeKind::Int(-2),
                NodeKind::Float(0.5),
                NodeKind::Float(1000.0),
                NodeKind::Bool(true),
                NodeKind::Null,
                NodeKind::Str("café 😀 \"q\"\n".into()),
            ]
        );
    }

    #[test]
    fn errors_point_at_the_offending_character() {
        let cases = [
            ("{\"a\": 1,}", (1, 9)),
            ("{\"a\": 01}", (1, 7)),
            ("{\"a\" 1}", (1, 6)),
            ("{\n  \"é\": tru}", (2, 8)),
            ("{\"a\": \"x", (1, 9)),
            ("{} {}", (1, 4)),
            ("", (1, 1)),
            ("[\"\\ud800\"]", (1, 9)),
        ];
        for (text, (line, column)) in cases {
            let err = parse(text).expect_err(text);
            assert_eq!(err.code, "json-syntax", "{text}");
            assert_eq!(
                (err.loc.line, err.loc.column),
                (line, column),
                "{text}: {}",
                err.message
            );
        }
    }

    #[test]
    fn columns_on_one_long_line_count_every_character() {
        // A minified map is one line: columns are counted on from the last value, and must
        // still be character columns after thousands of multi-byte ones.
        let head = format!("[{}", "\"é😀\", ".repeat(5_000));
        let err = parse(&format!("{head}x]")).expect_err("x is not a value");
        assert_eq!(err.loc.line, 1);
        assert_eq!(err.loc.column as usize, head.chars().count() + 1);
        assert_eq!(err.loc.offset, head.len());
        let node = parse(&format!("{head}\"é\"]")).expect("valid");
        let NodeKind::Seq(items) = &node.kind else {
            panic!("expected an array")
        };
        assert_eq!(items.len(), 5_001);
        assert_eq!(items[5_000].loc.column as usize, head.chars().count() + 1);
    }

    #[test]
    fn deep_nesting_is_refused() {
        let text = "[".repeat(100_000);
        let err = parse(&text).expect_err("must be refused");
        assert!(err.message.contains("nesting"), "{}", err.message);
    }
}
