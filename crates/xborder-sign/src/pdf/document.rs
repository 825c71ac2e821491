//! Reading the structure of a whole PDF file: indirect objects, object
//! streams, the last trailer and the page tree.
//!
//! Objects are found by scanning the file body for `n g obj … endobj`
//! (the way readers reconstruct a damaged cross-reference table, ISO 32000-1
//! §7.5.4 notwithstanding) and by unpacking object streams (§7.5.7). When an
//! object number is defined several times, the definition that appears last in
//! the file wins, which is what incremental updates (§7.5.6) mean. Scanning
//! rather than trusting the xref has two reasons: a signature verifier must see
//! *every* signature dictionary, including ones an attacker's xref would hide,
//! and it must cope with arbitrary bytes without panicking.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use super::syntax::{Dict, ObjRef, Object, Parser, is_regular_byte};

/// Decompressed size cap per object stream and in total, so a zip bomb in an
/// untrusted file cannot exhaust memory.
const MAX_INFLATE_PER_STREAM: usize = 32 * 1024 * 1024;
const MAX_INFLATE_TOTAL: usize = 128 * 1024 * 1024;
/// Maximum number of objects we accept in one object stream header.
const MAX_OBJSTM_ENTRIES: usize = 1_000_000;
/// Parsing work allowed per input byte (plus a constant). A well-formed file
/// is parsed about once; the budget only bites on input crafted so that
/// failed parse attempts overlap, keeping hostile files linear-time.
const WORK_PER_BYTE: usize = 16;
const WORK_BASE: usize = 1 << 20;

/// An indirect object found in the file body.
#[derive(Debug, Clone)]
pub(crate) struct IndirectObject {
    pub id: ObjRef,
    /// Byte offset of the `n g obj` header.
    pub offset: usize,
    pub object: Object,
    /// Raw stream data (between `stream` EOL and `endstream`), if any.
    pub stream: Option<Range<usize>>,
}

/// Where the newest definition of an object lives.
#[derive(Debug, Clone, Copy)]
enum Location {
    /// Index into [`Document::objects`].
    Plain(usize),
    /// Index into [`Document::compressed`].
    Compressed(usize),
}

/// Which kind of cross-reference section the file's last revision uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum XrefKind {
    /// Classic `xref` table followed by `trailer`.
    Table,
    /// Cross-reference stream (PDF 1.5, §7.5.8).
    Stream,
}

/// The trailer of the last revision.
#[derive(Debug, Clone)]
pub(crate) struct Trailer {
    pub dict: Dict,
    /// Value of the last `startxref`, i.e. the offset of the last xref section.
    pub xref_offset: usize,
    pub kind: XrefKind,
}

/// A parsed view of a PDF file.
pub(crate) struct Document<'a> {
    pub data: &'a [u8],
    /// Every indirect object found in the body, in file order.
    pub objects: Vec<IndirectObject>,
    /// Objects unpacked from object streams: (id, object, offset of the
    /// containing stream object).
    compressed: Vec<(ObjRef, Object, usize)>,
    /// Newest definition of each object number, keyed by number; one entry
    /// per generation.
    index: BTreeMap<u32, Vec<(u16, usize, Location)>>,
}

impl<'a> Document<'a> {
    /// Scans `data`. Never fails: a file without objects yields an empty
    /// document; callers decide what is missing.
    pub fn scan(data: &'a [u8]) -> Self {
        let mut doc = Document {
            data,
            objects: Vec::new(),
            compressed: Vec::new(),
            index: BTreeMap::new(),
        };
        let mut budget = data
            .len()
            .saturating_mul(WORK_PER_BYTE)
            .saturating_add(WORK_BASE);
        doc.scan_body(&mut budget);
        doc.unpack_object_streams(&mut budget);
        doc.build_index();
        doc
    }

    fn scan_body(&mut self, budget: &mut usize) {
        let data = self.data;
        let endstreams = find_all(data, b"endstream");
        let mut pos = 0usize;
        while pos < data.len() && *budget > 0 {
            // Candidate object headers start with a digit at a token start.
            let Some(rel) = data
                .get(pos..)
                .and_then(|rest| rest.iter().position(u8::is_ascii_digit))
            else {
                break;
            };
            let start = pos + rel;
            let token_start =
                start == 0 || data.get(start - 1).is_some_and(|&b| !is_regular_byte(b));
            if token_start {
                match parse_indirect_at(data, start, Some(&endstreams)) {
                    Ok((obj, end)) => {
                        *budget = budget.saturating_sub(end - start);
                        self.objects.push(obj);
                        pos = end.max(start + 1);
                        continue;
                    }
                    Err(reached) => *budget = budget.saturating_sub(reached.saturating_sub(start)),
                }
            }
            // Skip the rest of this run of digits.
            let run = data
                .get(start..)
                .and_then(|rest| rest.iter().position(|b| !b.is_ascii_digit()))
                .unwrap_or(data.len() - start);
            pos = start + run.max(1);
        }
    }

    fn unpack_object_streams(&mut self, budget: &mut usize) {
        let mut inflate_left = MAX_INFLATE_TOTAL;
        let mut unpacked = Vec::new();
        for obj in &self.objects {
            if *budget == 0 {
                break;
            }
            let Some(dict) = obj.object.as_dict() else {
                continue;
            };
            if !dict.name_is(b"Type", b"ObjStm") {
                continue;
            }
            let Some(range) = obj.stream.clone() else {
                continue;
            };
            let Some(raw) = self.data.get(range) else {
                continue;
            };
            let Some(decoded) = decode_stream(dict, raw, inflate_left.min(MAX_INFLATE_PER_STREAM))
            else {
                continue;
            };
            inflate_left = inflate_left.saturating_sub(decoded.len());
            *budget = budget.saturating_add(decoded.len().saturating_mul(WORK_PER_BYTE));
            for (id, o) in parse_object_stream(dict, &decoded, budget) {
                unpacked.push((id, o, obj.offset));
            }
        }
        self.compressed = unpacked;
    }

    fn build_index(&mut self) {
        let mut index: BTreeMap<u32, Vec<(u16, usize, Location)>> = BTreeMap::new();
        let mut put = |id: ObjRef, pos: usize, loc: Location| {
            let v = index.entry(id.num).or_default();
            match v.iter_mut().find(|(g, _, _)| *g == id.generation) {
                Some(slot) if slot.1 <= pos => *slot = (id.generation, pos, loc),
                Some(_) => {}
                None => v.push((id.generation, pos, loc)),
            }
        };
        for (i, o) in self.objects.iter().enumerate() {
            put(o.id, o.offset, Location::Plain(i));
        }
        for (i, (id, _, pos)) in self.compressed.iter().enumerate() {
            // An object stream's members are newer than the stream's own
            // header position; +1 breaks ties in favour of the member.
            put(*id, pos.saturating_add(1), Location::Compressed(i));
        }
        self.index = index;
    }

    /// Largest object number defined anywhere in the file.
    pub fn max_object_number(&self) -> u32 {
        self.index.keys().next_back().copied().unwrap_or(0)
    }

    /// The newest definition of `id`.
    pub fn resolve(&self, id: ObjRef) -> Option<&Object> {
        let entries = self.index.get(&id.num)?;
        let (_, _, loc) = entries.iter().find(|(g, _, _)| *g == id.generation)?;
        match *loc {
            Location::Plain(i) => self.objects.get(i).map(|o| &o.object),
            Location::Compressed(i) => self.compressed.get(i).map(|(_, o, _)| o),
        }
    }

    /// Follows `obj` if it is a reference (one level; references to
    /// references are malformed and yield `None`).
    pub fn deref<'b>(&'b self, obj: &'b Object) -> Option<&'b Object> {
        match obj {
            Object::Ref(r) => self.resolve(*r).filter(|o| !matches!(o, Object::Ref(_))),
            other => Some(other),
        }
    }

    /// The trailer of the last revision, located through the last
    /// `startxref` (§7.5.5).
    pub fn trailer(&self) -> Option<Trailer> {
        let data = self.data;
        let kw = b"startxref";
        let at = rfind(data, kw)?;
        let mut p = Parser::new(data, at + kw.len());
        let xref_offset = usize::try_from(p.read_uint()?).ok()?;
        let mut p = Parser::new(data, xref_offset);
        if p.eat_keyword(b"xref") {
            // Classic table: the trailer keyword follows the subsections.
            let rest = data.get(p.pos..)?;
            let t = find(rest, b"trailer")?;
            let mut p = Parser::new(data, p.pos + t + b"trailer".len());
            let dict = p.parse_dict().ok()?;
            return Some(Trailer {
                dict,
                xref_offset,
                kind: XrefKind::Table,
            });
        }
        let (obj, _) = parse_indirect_at(data, xref_offset, None).ok()?;
        let dict = obj.object.as_dict()?;
        if !dict.name_is(b"Type", b"XRef") {
            return None;
        }
        Some(Trailer {
            dict: dict.clone(),
            xref_offset,
            kind: XrefKind::Stream,
        })
    }

    /// Best-effort trailer for reading metadata from a possibly damaged file:
    /// the `startxref` one, else the last `trailer` dictionary, else the last
    /// cross-reference stream dictionary.
    pub fn trailer_lenient(&self) -> Option<Dict> {
        if let Some(t) = self.trailer() {
            return Some(t.dict);
        }
        if let Some(at) = rfind(self.data, b"trailer") {
            let mut p = Parser::new(self.data, at + b"trailer".len());
            if let Ok(d) = p.parse_dict() {
                return Some(d);
            }
        }
        self.objects
            .iter()
            .rev()
            .filter_map(|o| o.object.as_dict())
            .find(|d| d.name_is(b"Type", b"XRef"))
            .cloned()
    }

    /// Reference to the first page (depth-first through `/Kids`, §7.7.3).
    pub fn first_page(&self, catalog: &Dict) -> Option<ObjRef> {
        let mut node = catalog.get(b"Pages")?.as_ref()?;
        let mut seen = BTreeSet::new();
        for _ in 0..64 {
            if !seen.insert(node) {
                return None;
            }
            let dict = self.resolve(node)?.as_dict()?;
            match dict.get(b"Kids").and_then(|k| self.deref(k)) {
                Some(Object::Array(kids)) if !dict.name_is(b"Type", b"Page") => {
                    node = kids.first()?.as_ref()?;
                }
                _ => {
                    return dict.name_is(b"Type", b"Page").then_some(node);
                }
            }
        }
        None
    }
}

/// Parses `n g obj <object> [stream…endstream] [endobj]` at `start`.
/// Returns the object and the offset just past it, or how far parsing got.
/// `endstreams` (sorted offsets of every `endstream`) makes finding the end
/// of a stream with a missing or wrong /Length a binary search.
pub(crate) fn parse_indirect_at(
    data: &[u8],
    start: usize,
    endstreams: Option<&[usize]>,
) -> Result<(IndirectObject, usize), usize> {
    let mut p = Parser::new(data, start);
    let header = (|| {
        let num = u32::try_from(p.read_uint()?).ok()?;
        let generation = u16::try_from(p.read_uint()?).ok()?;
        p.eat_keyword(b"obj").then_some(ObjRef { num, generation })
    })();
    let Some(id) = header else {
        return Err(p.pos);
    };
    let object = p.parse_object().map_err(|e| e.offset)?;
    let mut stream = None;
    if let Object::Dict(dict) = &object
        && p.eat_keyword(b"stream")
    {
        // The keyword is followed by CRLF or LF (§7.3.8.1); tolerate CR.
        let mut s = p.pos;
        if data.get(s) == Some(&b'\r') {
            s += 1;
        }
        if data.get(s) == Some(&b'\n') {
            s += 1;
        }
        let end = stream_end(data, dict, s, endstreams).ok_or(data.len())?;
        stream = Some(s..end);
        p.pos = end;
        if !p.eat_keyword(b"endstream") {
            return Err(p.pos);
        }
    }
    let _ = p.eat_keyword(b"endobj");
    let end = p.pos;
    Ok((
        IndirectObject {
            id,
            offset: start,
            object,
            stream,
        },
        end,
    ))
}

/// Where the stream data starting at `s` ends: trust a direct `/Length` if
/// `endstream` follows it, otherwise use the next `endstream` keyword.
fn stream_end(data: &[u8], dict: &Dict, s: usize, endstreams: Option<&[usize]>) -> Option<usize> {
    if let Some(len) = dict
        .get(b"Length")
        .and_then(Object::as_int)
        .and_then(|l| usize::try_from(l).ok())
        && let Some(e) = s.checked_add(len)
        && e <= data.len()
        && Parser::new(data, e).eat_keyword(b"endstream")
    {
        return Some(e);
    }
    let kw = match endstreams {
        Some(all) => *all.get(all.partition_point(|&o| o < s))?,
        None => s + find(data.get(s..)?, b"endstream")?,
    };
    // Drop the EOL that precedes `endstream`.
    let mut e = kw;
    if e > s && data.get(e - 1) == Some(&b'\n') {
        e -= 1;
    }
    if e > s && data.get(e - 1) == Some(&b'\r') {
        e -= 1;
    }
    Some(e)
}

/// Decodes stream data; only unfiltered and `/FlateDecode` without predictor
/// are supported (that is what object streams use in practice).
pub(crate) fn decode_stream(dict: &Dict, raw: &[u8], limit: usize) -> Option<Vec<u8>> {
    match dict.get(b"Filter") {
        None => Some(raw.to_vec()),
        Some(Object::Name(n)) if n == b"FlateDecode" => inflate(raw, limit),
        Some(Object::Array(a)) if a.len() == 1 && a.first()?.as_name()? == b"FlateDecode" => {
            inflate(raw, limit)
        }
        _ => None,
    }
    .filter(|_| {
        // Predictors are not used for object streams by any writer we target.
        dict.get(b"DecodeParms").is_none()
    })
}

fn inflate(raw: &[u8], limit: usize) -> Option<Vec<u8>> {
    miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(raw, limit).ok()
}

/// Splits a decoded object stream (§7.5.7) into its objects, spending at
/// most `budget` bytes of parsing.
fn parse_object_stream(dict: &Dict, decoded: &[u8], budget: &mut usize) -> Vec<(ObjRef, Object)> {
    let mut out = Vec::new();
    let (Some(n), Some(first)) = (
        dict.get(b"N")
            .and_then(Object::as_int)
            .and_then(|v| usize::try_from(v).ok()),
        dict.get(b"First")
            .and_then(Object::as_int)
            .and_then(|v| usize::try_from(v).ok()),
    ) else {
        return out;
    };
    let n = n.min(MAX_OBJSTM_ENTRIES);
    let mut header = Parser::new(decoded, 0);
    for _ in 0..n {
        if *budget == 0 {
            break;
        }
        let (Some(num), Some(off)) = (header.read_uint(), header.read_uint()) else {
            break;
        };
        let (Ok(num), Ok(off)) = (u32::try_from(num), usize::try_from(off)) else {
            break;
        };
        let Some(at) = first.checked_add(off) else {
            break;
        };
        if at >= decoded.len() {
            break;
        }
        let mut p = Parser::new(decoded, at);
        let parsed = p.parse_object();
        let reached = match &parsed {
            Ok(_) => p.pos,
            Err(e) => e.offset,
        };
        *budget = budget.saturating_sub(reached.saturating_sub(at).max(1));
        if let Ok(o) = parsed {
            out.push((ObjRef { num, generation: 0 }, o));
        }
    }
    out
}

/// Offsets of every occurrence of `needle`, ascending.
fn find_all(hay: &[u8], needle: &[u8]) -> Vec<usize> {
    if needle.is_empty() {
        return Vec::new();
    }
    hay.windows(needle.len())
        .enumerate()
        .filter(|(_, w)| *w == needle)
        .map(|(i, _)| i)
        .collect()
}

pub(crate) fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return None;
    }
    hay.windows(needle.len()).position(|w| w == needle)
}

pub(crate) fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return None;
    }
    hay.windows(needle.len()).rposition(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A one-page PDF with a correct classic xref table.
    fn small() -> Vec<u8> {
        let objs = [
            "<</Type/Catalog/Pages 2 0 R>>",
            "<</Type/Pages/Kids[3 0 R]/Count 1>>",
            "<</Type/Page/Parent 2 0 R/MediaBox[0 0 10 10]>>",
            "<</Length 5>>stream\nhello\nendstream",
        ];
        let mut out = b"%PDF-1.4\n".to_vec();
        let mut offsets = Vec::new();
        for (i, o) in objs.iter().enumerate() {
            offsets.push(out.len());
            out.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
        }
        let xref = out.len();
        out.extend_from_slice(b"xref\n0 5\n0000000000 65535 f\r\n");
        for off in offsets {
            out.extend_from_slice(format!("{off:010} 00000 n\r\n").as_bytes());
        }
        out.extend_from_slice(
            format!("trailer\n<</Size 5/Root 1 0 R>>\nstartxref\n{xref}\n%%EOF\n").as_bytes(),
        );
        out
    }

    #[test]
    fn scans_objects_and_pages() {
        let small = small();
        let doc = Document::scan(&small);
        assert_eq!(doc.objects.len(), 4);
        assert_eq!(doc.max_object_number(), 4);
        let s = doc
            .objects
            .get(3)
            .and_then(|o| o.stream.clone())
            .expect("stream");
        assert_eq!(small.get(s), Some(&b"hello"[..]));
        let t = doc.trailer().expect("trailer");
        assert_eq!(t.kind, XrefKind::Table);
        let root = t.dict.get(b"Root").and_then(Object::as_ref).expect("root");
        let cat = doc
            .resolve(root)
            .and_then(Object::as_dict)
            .expect("catalog");
        assert_eq!(
            doc.first_page(cat),
            Some(ObjRef {
                num: 3,
                generation: 0
            })
        );
    }

    #[test]
    fn arbitrary_bytes_do_not_panic() {
        let mut seed = 0x1234_5678_u32;
        for len in [0usize, 1, 7, 64, 500] {
            for _ in 0..50 {
                let bytes: Vec<u8> = (0..len)
                    .map(|_| {
                        seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
                        b"0123 obj<<>>[]()/R endstream trailer startxref\n"
                            .get((seed >> 16) as usize % 48)
                            .copied()
                            .unwrap_or(b' ')
                    })
                    .collect();
                let doc = Document::scan(&bytes);
                let _ = doc.trailer();
                let _ = doc.trailer_lenient();
            }
        }
        // Inputs built so that failed parse attempts overlap stay fast.
        for unit in [
            &b"1 0 obj ("[..],
            b"1 0 obj <<",
            b"1 0 obj<</Length 99>>stream\n",
        ] {
            let hostile = unit.repeat(100_000);
            let started = std::time::Instant::now();
            let doc = Document::scan(&hostile);
            assert!(doc.objects.len() <= 100_000);
            assert!(started.elapsed().as_secs() < 20, "{:?}", started.elapsed());
        }
        // Truncations of a valid file.
        let small = small();
        for cut in 0..small.len() {
            let doc = Document::scan(small.get(..cut).unwrap_or_default());
            let _ = doc.trailer_lenient();
        }
    }
}
