//! Writing an incremental update (ISO 32000-1 §7.5.6): new and changed
//! objects are appended after the original bytes, followed by a
//! cross-reference section listing only those objects and a trailer whose
//! /Prev points at the previous section. The original bytes stay untouched,
//! which is what lets earlier signatures (and the renderer's own output)
//! remain byte-for-byte verifiable.
//!
//! The cross-reference section has the same form as the previous one: a
//! classic table after a table, a cross-reference stream (§7.5.8) after a
//! stream, because a table section with /Prev pointing to a stream-only file
//! is not allowed for readers that do not understand streams, and because
//! validators (pyHanko among them) compare revisions section by section.

use crate::error::SignError;
use crate::pdf::document::{Document, Trailer, XrefKind};
use crate::pdf::syntax::{Dict, ObjRef, Object, write_dict};

/// What an incremental update builds on: the last revision's trailer, its catalog, and the
/// first object number no revision uses.
pub(crate) struct LastRevision {
    pub trailer: Trailer,
    pub root: ObjRef,
    pub catalog: Dict,
    /// /Size of the trailer, or one past the highest object number found if that is more.
    pub size: u32,
}

fn invalid(reason: &str) -> SignError {
    SignError::InvalidPdf {
        reason: reason.to_owned(),
    }
}

/// The last revision of `doc`, which an update extends.
///
/// # Errors
/// [`SignError::InvalidPdf`] when the last cross-reference section, the trailer's /Root or
/// the catalog cannot be read.
pub(crate) fn last_revision(doc: &Document<'_>) -> Result<LastRevision, SignError> {
    let trailer = doc.trailer().ok_or_else(|| {
        invalid("the last cross-reference section (startxref) is missing or broken")
    })?;
    let root = trailer
        .dict
        .get(b"Root")
        .and_then(Object::as_ref)
        .ok_or_else(|| invalid("the trailer has no /Root reference"))?;
    let catalog = doc
        .resolve(root)
        .and_then(Object::as_dict)
        .cloned()
        .ok_or_else(|| invalid("the document catalog (/Root) cannot be read"))?;
    let declared = trailer
        .dict
        .get(b"Size")
        .and_then(Object::as_int)
        .and_then(|s| u32::try_from(s).ok())
        .unwrap_or(0);
    let size = declared.max(doc.max_object_number().saturating_add(1));
    Ok(LastRevision {
        trailer,
        root,
        catalog,
        size,
    })
}

/// An object to append: its id and serialised body (without `obj`/`endobj`).
pub(crate) struct NewObject {
    pub id: ObjRef,
    pub body: Vec<u8>,
}

/// The original file plus the update.
pub(crate) struct Written {
    pub bytes: Vec<u8>,
    /// Absolute offset of each [`NewObject`] body, in input order.
    pub body_offsets: Vec<usize>,
}

/// Trailer keys that describe one particular cross-reference section and so
/// must not be copied into the next one.
const SECTION_KEYS: &[&[u8]] = &[
    b"Prev",
    b"Size",
    b"XRefStm",
    b"Type",
    b"W",
    b"Index",
    b"Length",
    b"Filter",
    b"DecodeParms",
    b"F",
    b"FFilter",
    b"FDecodeParms",
    b"DL",
];

/// Appends `objects` to `original` as one incremental update. `size` is the
/// first unused object number (/Size of the new trailer, before a possible
/// cross-reference stream object takes that number).
pub(crate) fn append_update(
    original: &[u8],
    prev: &Trailer,
    objects: &[NewObject],
    size: u32,
) -> Written {
    let mut out = original.to_vec();
    if !matches!(out.last(), Some(b'\n' | b'\r')) {
        out.push(b'\n');
    }

    let mut entries: Vec<(ObjRef, usize)> = Vec::with_capacity(objects.len() + 1);
    let mut body_offsets = Vec::with_capacity(objects.len());
    for o in objects {
        entries.push((o.id, out.len()));
        out.extend_from_slice(format!("{} {} obj\n", o.id.num, o.id.generation).as_bytes());
        body_offsets.push(out.len());
        out.extend_from_slice(&o.body);
        out.extend_from_slice(b"\nendobj\n");
    }

    // Entries of the previous trailer that stay valid (/Root, /Info, /ID…).
    let mut trailer = Dict::default();
    for e in &prev.dict.entries {
        if !SECTION_KEYS.contains(&e.key.as_slice()) {
            trailer.set(&e.key, e.value.clone());
        }
    }
    let prev_offset = i64::try_from(prev.xref_offset).unwrap_or(i64::MAX);

    let xref_offset = out.len();
    match prev.kind {
        XrefKind::Table => {
            entries.sort_by_key(|(id, _)| id.num);
            out.extend_from_slice(b"xref\n");
            for run in runs(&entries) {
                let first = run.first().map_or(0, |(id, _)| id.num);
                out.extend_from_slice(format!("{first} {}\n", run.len()).as_bytes());
                for (id, off) in run {
                    // Exactly 20 bytes per entry (§7.5.4).
                    out.extend_from_slice(
                        format!("{off:010} {:05} n\r\n", id.generation).as_bytes(),
                    );
                }
            }
            let mut t = Dict::default();
            t.set(b"Size", Object::Int(i64::from(size)));
            for e in trailer.entries {
                t.set(&e.key, e.value);
            }
            t.set(b"Prev", Object::Int(prev_offset));
            out.extend_from_slice(b"trailer\n");
            write_dict(&mut out, &t);
            out.push(b'\n');
        }
        XrefKind::Stream => {
            let xref_id = ObjRef {
                num: size,
                generation: 0,
            };
            entries.push((xref_id, xref_offset));
            entries.sort_by_key(|(id, _)| id.num);
            // Field widths: type (1 byte), offset (enough bytes), generation.
            let off_width = bytes_needed(xref_offset as u64).max(4);
            let mut data = Vec::new();
            let mut index = Vec::new();
            for run in runs(&entries) {
                let first = run.first().map_or(0, |(id, _)| id.num);
                index.push(Object::Int(i64::from(first)));
                index.push(Object::Int(run.len() as i64));
                for (id, off) in run {
                    data.push(1u8);
                    let be = (*off as u64).to_be_bytes();
                    data.extend_from_slice(be.get(8 - off_width..).unwrap_or(&be));
                    data.extend_from_slice(&id.generation.to_be_bytes());
                }
            }
            let mut d = Dict::default();
            d.set(b"Type", Object::Name(b"XRef".to_vec()));
            d.set(b"Size", Object::Int(i64::from(size) + 1));
            d.set(
                b"W",
                Object::Array(vec![
                    Object::Int(1),
                    Object::Int(off_width as i64),
                    Object::Int(2),
                ]),
            );
            d.set(b"Index", Object::Array(index));
            for e in trailer.entries {
                d.set(&e.key, e.value);
            }
            d.set(b"Prev", Object::Int(prev_offset));
            d.set(b"Length", Object::Int(data.len() as i64));
            out.extend_from_slice(format!("{} 0 obj\n", xref_id.num).as_bytes());
            write_dict(&mut out, &d);
            out.extend_from_slice(b"\nstream\n");
            out.extend_from_slice(&data);
            out.extend_from_slice(b"\nendstream\nendobj\n");
        }
    }
    out.extend_from_slice(format!("startxref\n{xref_offset}\n%%EOF\n").as_bytes());
    Written {
        bytes: out,
        body_offsets,
    }
}

/// Splits sorted entries into runs of consecutive object numbers
/// (cross-reference subsections).
fn runs(entries: &[(ObjRef, usize)]) -> Vec<&[(ObjRef, usize)]> {
    let mut out = Vec::new();
    let mut start = 0usize;
    for i in 1..=entries.len() {
        let split = match (entries.get(i - 1), entries.get(i)) {
            (Some((a, _)), Some((b, _))) => a.num.checked_add(1) != Some(b.num),
            _ => true,
        };
        if split {
            if let Some(run) = entries.get(start..i)
                && !run.is_empty()
            {
                out.push(run);
            }
            start = i;
        }
    }
    out
}

fn bytes_needed(v: u64) -> usize {
    let bits = 64 - v.leading_zeros() as usize;
    bits.div_ceil(8).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(num: u32) -> (ObjRef, usize) {
        (ObjRef { num, generation: 0 }, 0)
    }

    #[test]
    fn subsections_are_consecutive_runs() {
        let e = [r(1), r(2), r(5), r(7), r(8)];
        let lens: Vec<usize> = runs(&e).iter().map(|x| x.len()).collect();
        assert_eq!(lens, vec![2, 1, 2]);
        assert!(runs(&[]).is_empty());
    }

    #[test]
    fn width() {
        assert_eq!(bytes_needed(0), 1);
        assert_eq!(bytes_needed(255), 1);
        assert_eq!(bytes_needed(256), 2);
        assert_eq!(bytes_needed(1 << 32), 5);
    }
}
