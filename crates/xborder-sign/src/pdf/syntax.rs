//! PDF object syntax (ISO 32000-1 §7.2–7.3): a small, panic-free tokenizer,
//! parser and serializer.
//!
//! Why our own instead of a full PDF library: verification runs on untrusted
//! bytes (and is fuzzed), so every read here is bounds-checked, nesting depth
//! is capped, and nothing allocates more than the input justifies. The
//! serializer is deterministic (dictionary key order is preserved), which the
//! signer relies on to produce byte-identical output for identical input.

use std::fmt;
use std::ops::Range;

/// Deepest array/dictionary nesting we accept. Real documents stay far below;
/// the cap keeps hostile input from exhausting the stack.
const MAX_DEPTH: usize = 64;

/// An indirect reference `num gen R`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct ObjRef {
    pub num: u32,
    pub generation: u16,
}

impl fmt::Display for ObjRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} R", self.num, self.generation)
    }
}

/// A direct PDF object.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Object {
    Null,
    Bool(bool),
    Int(i64),
    /// A real number, kept as its source text so re-serialising is lossless.
    Real(Vec<u8>),
    /// A string (literal or hexadecimal), already unescaped.
    Str(Vec<u8>),
    /// A name, without the leading `/`, with `#xx` escapes decoded.
    Name(Vec<u8>),
    Array(Vec<Object>),
    Dict(Dict),
    Ref(ObjRef),
}

impl Object {
    pub fn as_dict(&self) -> Option<&Dict> {
        match self {
            Object::Dict(d) => Some(d),
            _ => None,
        }
    }
    pub fn as_int(&self) -> Option<i64> {
        match self {
            Object::Int(i) => Some(*i),
            _ => None,
        }
    }
    pub fn as_name(&self) -> Option<&[u8]> {
        match self {
            Object::Name(n) => Some(n),
            _ => None,
        }
    }
    pub fn as_str(&self) -> Option<&[u8]> {
        match self {
            Object::Str(s) => Some(s),
            _ => None,
        }
    }
    pub fn as_ref(&self) -> Option<ObjRef> {
        match self {
            Object::Ref(r) => Some(*r),
            _ => None,
        }
    }
    pub fn as_array(&self) -> Option<&[Object]> {
        match self {
            Object::Array(a) => Some(a),
            _ => None,
        }
    }
}

/// One `/Key value` pair, with the byte span of the value in the source (used
/// to locate the `/Contents` hex string of a signature dictionary).
#[derive(Clone, Debug)]
pub(crate) struct DictEntry {
    pub key: Vec<u8>,
    pub value: Object,
    pub span: Range<usize>,
}

impl PartialEq for DictEntry {
    /// Equality of PDF values; where they were parsed from does not matter.
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key && self.value == other.value
    }
}

/// A dictionary that preserves key order (deterministic output).
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Dict {
    pub entries: Vec<DictEntry>,
}

impl Dict {
    pub fn get(&self, key: &[u8]) -> Option<&Object> {
        self.entry(key).map(|e| &e.value)
    }
    pub fn entry(&self, key: &[u8]) -> Option<&DictEntry> {
        self.entries.iter().find(|e| e.key == key)
    }
    /// How often `key` occurs; duplicate keys in a signature dictionary are a
    /// classic way to make two readers see two different values.
    pub fn count(&self, key: &[u8]) -> usize {
        self.entries.iter().filter(|e| e.key == key).count()
    }
    pub fn set(&mut self, key: &[u8], value: Object) {
        if let Some(e) = self.entries.iter_mut().find(|e| e.key == key) {
            e.value = value;
        } else {
            self.entries.push(DictEntry {
                key: key.to_vec(),
                value,
                span: 0..0,
            });
        }
    }
    pub fn name_is(&self, key: &[u8], name: &[u8]) -> bool {
        self.get(key).and_then(Object::as_name) == Some(name)
    }
}

/// Where and why parsing stopped. Offsets only: never echo input bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct SyntaxError {
    pub offset: usize,
    pub what: &'static str,
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at byte offset {}", self.what, self.offset)
    }
}

pub(crate) type SResult<T> = Result<T, SyntaxError>;

pub(crate) fn is_whitespace(b: u8) -> bool {
    matches!(b, 0 | 9 | 10 | 12 | 13 | 32)
}

pub(crate) fn is_delimiter(b: u8) -> bool {
    matches!(
        b,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

pub(crate) fn is_regular_byte(b: u8) -> bool {
    !is_whitespace(b) && !is_delimiter(b)
}

fn hex_val(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// A cursor over PDF bytes.
pub(crate) struct Parser<'a> {
    data: &'a [u8],
    pub pos: usize,
}

impl<'a> Parser<'a> {
    pub fn new(data: &'a [u8], pos: usize) -> Self {
        Parser { data, pos }
    }

    fn peek(&self) -> Option<u8> {
        self.data.get(self.pos).copied()
    }

    fn peek_at(&self, delta: usize) -> Option<u8> {
        self.pos
            .checked_add(delta)
            .and_then(|p| self.data.get(p).copied())
    }

    fn err<T>(&self, what: &'static str) -> SResult<T> {
        Err(SyntaxError {
            offset: self.pos,
            what,
        })
    }

    /// Skips whitespace and comments.
    pub fn skip_ws(&mut self) {
        while let Some(b) = self.peek() {
            if is_whitespace(b) {
                self.pos += 1;
            } else if b == b'%' {
                while let Some(c) = self.peek() {
                    if c == b'\r' || c == b'\n' {
                        break;
                    }
                    self.pos += 1;
                }
            } else {
                break;
            }
        }
    }

    /// True if the bytes at the cursor are `kw` followed by a non-regular
    /// character (or end of input).
    pub fn at_keyword(&self, kw: &[u8]) -> bool {
        let end = match self.pos.checked_add(kw.len()) {
            Some(e) => e,
            None => return false,
        };
        self.data.get(self.pos..end) == Some(kw)
            && self.data.get(end).is_none_or(|&b| !is_regular_byte(b))
    }

    /// Consumes `kw` if it is next (after whitespace).
    pub fn eat_keyword(&mut self, kw: &[u8]) -> bool {
        self.skip_ws();
        if self.at_keyword(kw) {
            self.pos += kw.len();
            true
        } else {
            false
        }
    }

    /// Reads an unsigned decimal integer (no sign), as used in object headers
    /// and xref sections.
    pub fn read_uint(&mut self) -> Option<u64> {
        self.skip_ws();
        let start = self.pos;
        let mut value: u64 = 0;
        while let Some(b) = self.peek() {
            if !b.is_ascii_digit() {
                break;
            }
            value = value.checked_mul(10)?.checked_add(u64::from(b - b'0'))?;
            self.pos += 1;
        }
        if self.pos == start || self.peek().is_some_and(is_regular_byte) {
            self.pos = start;
            return None;
        }
        Some(value)
    }

    /// Parses one direct object.
    pub fn parse_object(&mut self) -> SResult<Object> {
        self.parse_depth(0)
    }

    fn parse_depth(&mut self, depth: usize) -> SResult<Object> {
        if depth > MAX_DEPTH {
            return self.err("objects nested too deeply");
        }
        self.skip_ws();
        let Some(b) = self.peek() else {
            return self.err("unexpected end of data");
        };
        match b {
            b'/' => {
                self.pos += 1;
                Ok(Object::Name(self.read_name_body()))
            }
            b'(' => self.read_literal_string().map(Object::Str),
            b'<' if self.peek_at(1) == Some(b'<') => {
                self.pos += 2;
                self.read_dict_body(depth).map(Object::Dict)
            }
            b'<' => self.read_hex_string().map(Object::Str),
            b'[' => {
                self.pos += 1;
                let mut items = Vec::new();
                loop {
                    self.skip_ws();
                    match self.peek() {
                        None => return self.err("unterminated array"),
                        Some(b']') => {
                            self.pos += 1;
                            return Ok(Object::Array(items));
                        }
                        Some(_) => items.push(self.parse_depth(depth + 1)?),
                    }
                }
            }
            b'0'..=b'9' | b'+' | b'-' | b'.' => self.read_number(),
            _ => {
                if self.at_keyword(b"true") {
                    self.pos += 4;
                    Ok(Object::Bool(true))
                } else if self.at_keyword(b"false") {
                    self.pos += 5;
                    Ok(Object::Bool(false))
                } else if self.at_keyword(b"null") {
                    self.pos += 4;
                    Ok(Object::Null)
                } else {
                    self.err("unexpected token where an object was expected")
                }
            }
        }
    }

    /// Parses the rest of a dictionary after `<<`.
    fn read_dict_body(&mut self, depth: usize) -> SResult<Dict> {
        let mut dict = Dict::default();
        loop {
            self.skip_ws();
            match self.peek() {
                None => return self.err("unterminated dictionary"),
                Some(b'>') => {
                    if self.peek_at(1) == Some(b'>') {
                        self.pos += 2;
                        return Ok(dict);
                    }
                    return self.err("malformed dictionary end");
                }
                Some(b'/') => {
                    self.pos += 1;
                    let key = self.read_name_body();
                    self.skip_ws();
                    let start = self.pos;
                    let value = self.parse_depth(depth + 1)?;
                    dict.entries.push(DictEntry {
                        key,
                        value,
                        span: start..self.pos,
                    });
                }
                Some(_) => return self.err("dictionary key is not a name"),
            }
        }
    }

    /// Parses a dictionary starting at the cursor (`<<` expected).
    pub fn parse_dict(&mut self) -> SResult<Dict> {
        self.skip_ws();
        if self.peek() == Some(b'<') && self.peek_at(1) == Some(b'<') {
            self.pos += 2;
            self.read_dict_body(0)
        } else {
            self.err("expected a dictionary")
        }
    }

    fn read_name_body(&mut self) -> Vec<u8> {
        let mut name = Vec::new();
        while let Some(b) = self.peek() {
            if !is_regular_byte(b) {
                break;
            }
            if b == b'#'
                && let (Some(h), Some(l)) = (
                    self.peek_at(1).and_then(hex_val),
                    self.peek_at(2).and_then(hex_val),
                )
            {
                name.push(h << 4 | l);
                self.pos += 3;
                continue;
            }
            name.push(b);
            self.pos += 1;
        }
        name
    }

    fn read_literal_string(&mut self) -> SResult<Vec<u8>> {
        // Cursor is at '('.
        self.pos += 1;
        let mut out = Vec::new();
        let mut depth = 1usize;
        loop {
            let Some(b) = self.peek() else {
                return self.err("unterminated literal string");
            };
            self.pos += 1;
            match b {
                b'(' => {
                    depth += 1;
                    out.push(b);
                }
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        return Ok(out);
                    }
                    out.push(b);
                }
                b'\\' => {
                    let Some(e) = self.peek() else {
                        return self.err("unterminated literal string");
                    };
                    self.pos += 1;
                    match e {
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'\r' => {
                            if self.peek() == Some(b'\n') {
                                self.pos += 1;
                            }
                        }
                        b'\n' => {}
                        b'0'..=b'7' => {
                            let mut v = u32::from(e - b'0');
                            for _ in 0..2 {
                                match self.peek() {
                                    Some(d @ b'0'..=b'7') => {
                                        v = v * 8 + u32::from(d - b'0');
                                        self.pos += 1;
                                    }
                                    _ => break,
                                }
                            }
                            out.push((v & 0xff) as u8);
                        }
                        other => out.push(other),
                    }
                }
                _ => out.push(b),
            }
        }
    }

    fn read_hex_string(&mut self) -> SResult<Vec<u8>> {
        // Cursor is at '<'.
        self.pos += 1;
        let mut out = Vec::new();
        let mut high: Option<u8> = None;
        loop {
            let Some(b) = self.peek() else {
                return self.err("unterminated hex string");
            };
            self.pos += 1;
            if b == b'>' {
                if let Some(h) = high {
                    out.push(h << 4);
                }
                return Ok(out);
            }
            if is_whitespace(b) {
                continue;
            }
            let Some(v) = hex_val(b) else {
                return self.err("invalid character in hex string");
            };
            match high.take() {
                Some(h) => out.push(h << 4 | v),
                None => high = Some(v),
            }
        }
    }

    fn read_number(&mut self) -> SResult<Object> {
        let start = self.pos;
        if matches!(self.peek(), Some(b'+' | b'-')) {
            self.pos += 1;
        }
        let mut digits = 0usize;
        let mut dot = false;
        while let Some(b) = self.peek() {
            if b.is_ascii_digit() {
                digits += 1;
            } else if b == b'.' && !dot {
                dot = true;
            } else {
                break;
            }
            self.pos += 1;
        }
        if digits == 0 {
            return self.err("malformed number");
        }
        let text = self.data.get(start..self.pos).unwrap_or_default();
        if dot {
            return Ok(Object::Real(text.to_vec()));
        }
        let parsed = std::str::from_utf8(text)
            .ok()
            .and_then(|s| s.parse::<i64>().ok());
        let Some(value) = parsed else {
            // Out of i64 range: keep it as an opaque number.
            return Ok(Object::Real(text.to_vec()));
        };
        // `num gen R` lookahead.
        if let (Ok(num), false) = (u32::try_from(value), text.starts_with(b"+")) {
            let save = self.pos;
            if let Some(generation) = self.read_uint().and_then(|g| u16::try_from(g).ok())
                && self.eat_keyword(b"R")
            {
                return Ok(Object::Ref(ObjRef { num, generation }));
            }
            self.pos = save;
        }
        Ok(Object::Int(value))
    }
}

// ---------------------------------------------------------------- serializer

/// Appends the PDF syntax for `obj`.
pub(crate) fn write_object(out: &mut Vec<u8>, obj: &Object) {
    match obj {
        Object::Null => out.extend_from_slice(b"null"),
        Object::Bool(true) => out.extend_from_slice(b"true"),
        Object::Bool(false) => out.extend_from_slice(b"false"),
        Object::Int(i) => out.extend_from_slice(i.to_string().as_bytes()),
        Object::Real(r) => out.extend_from_slice(r),
        Object::Str(s) => write_string(out, s),
        Object::Name(n) => write_name(out, n),
        Object::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b' ');
                }
                write_object(out, item);
            }
            out.push(b']');
        }
        Object::Dict(d) => write_dict(out, d),
        Object::Ref(r) => out.extend_from_slice(r.to_string().as_bytes()),
    }
}

pub(crate) fn write_dict(out: &mut Vec<u8>, d: &Dict) {
    out.extend_from_slice(b"<<");
    for e in &d.entries {
        write_name(out, &e.key);
        out.push(b' ');
        write_object(out, &e.value);
    }
    out.extend_from_slice(b">>");
}

pub(crate) fn write_name(out: &mut Vec<u8>, name: &[u8]) {
    out.push(b'/');
    for &b in name {
        if (b'!'..=b'~').contains(&b) && !is_delimiter(b) && b != b'#' {
            out.push(b);
        } else {
            out.extend_from_slice(format!("#{b:02X}").as_bytes());
        }
    }
}

/// Writes a string as a literal string when it is printable ASCII, otherwise
/// as a hex string; both denote the same bytes (ISO 32000-1 §7.3.4).
pub(crate) fn write_string(out: &mut Vec<u8>, s: &[u8]) {
    if s.iter().all(|&b| (b' '..=b'~').contains(&b)) {
        out.push(b'(');
        for &b in s {
            if matches!(b, b'(' | b')' | b'\\') {
                out.push(b'\\');
            }
            out.push(b);
        }
        out.push(b')');
    } else {
        out.push(b'<');
        for &b in s {
            out.extend_from_slice(format!("{b:02X}").as_bytes());
        }
        out.push(b'>');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> SResult<Object> {
        Parser::new(s.as_bytes(), 0).parse_object()
    }

    #[test]
    fn parses_common_objects() {
        let obj = parse("<< /A 1 0 R /B [1 2.5 -3 (a\\)b) <414> /N#20x] /C true /D null >>")
            .expect("parse");
        let d = obj.as_dict().expect("dict");
        assert_eq!(
            d.get(b"A"),
            Some(&Object::Ref(ObjRef {
                num: 1,
                generation: 0
            }))
        );
        let arr = d.get(b"B").and_then(Object::as_array).expect("array");
        assert_eq!(arr.first(), Some(&Object::Int(1)));
        assert_eq!(arr.get(1), Some(&Object::Real(b"2.5".to_vec())));
        assert_eq!(arr.get(2), Some(&Object::Int(-3)));
        assert_eq!(arr.get(3), Some(&Object::Str(b"a)b".to_vec())));
        assert_eq!(arr.get(4), Some(&Object::Str(vec![0x41, 0x40])));
        assert_eq!(arr.get(5), Some(&Object::Name(b"N x".to_vec())));
        assert_eq!(d.get(b"C"), Some(&Object::Bool(true)));
        assert_eq!(d.get(b"D"), Some(&Object::Null));
    }

    #[test]
    fn roundtrips_through_writer() {
        let src = "<</Type/Catalog/Pages 2 0 R/Names<</X(\\(x\\))>>/K[1 0 R 2]/S<00FF>>>";
        let obj = parse(src).expect("parse");
        let mut out = Vec::new();
        write_object(&mut out, &obj);
        let again = Parser::new(&out, 0).parse_object().expect("reparse");
        assert_eq!(obj, again);
    }

    #[test]
    fn rejects_deep_nesting_without_overflow() {
        let src = "[".repeat(10_000);
        assert!(parse(&src).is_err());
        let src = "<<".repeat(10_000);
        assert!(parse(&src).is_err());
    }

    #[test]
    fn truncated_input_is_an_error() {
        for s in ["(abc", "<4142", "<< /A", "[1 2", "/", "-", "1 0"] {
            // "/" parses as an empty name and "1 0" as the integer 1: both
            // fine; the point is that nothing panics.
            let _ = parse(s);
        }
        assert!(parse("(abc").is_err());
        assert!(parse("<< /A 1").is_err());
    }
}
