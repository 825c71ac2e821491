//! The document security store (DSS, ISO 32000-2 §12.8.4.3; ETSI EN 319 142-1 §5.4.3):
//! the certificates, OCSP responses and CRLs a validator needs, kept in the file so that
//! validation needs no network later (PAdES B-LT).
//!
//! It is written as an incremental update after the signature: the catalog gains `/DSS`, a
//! dictionary of three arrays of streams, one DER structure per stream, unfiltered. The
//! signature does not cover it (it cannot: the data is about the signature's certificate
//! at the time of its time-stamp), so the reader is strict instead: exactly the keys above,
//! each stream exactly its `/Length` of DER and nothing else. A later document time-stamp
//! (B-LTA) then covers it.

use crate::error::SignError;
use crate::incremental::{LastRevision, NewObject, append_update, last_revision};
use crate::pdf::document::{Document, IndirectObject};
use crate::pdf::syntax::{Dict, ObjRef, Object, write_dict};
use crate::verify::der_total_len;

/// The validation data of a document: DER structures, each once, in the order found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ValidationData {
    pub certs: Vec<Vec<u8>>,
    pub ocsps: Vec<Vec<u8>>,
    pub crls: Vec<Vec<u8>>,
}

/// The DSS keys and the part of [`ValidationData`] each holds.
const ARRAYS: [&[u8]; 3] = [b"Certs", b"OCSPs", b"CRLs"];

impl ValidationData {
    fn arrays(&self) -> [&Vec<Vec<u8>>; 3] {
        [&self.certs, &self.ocsps, &self.crls]
    }

    fn arrays_mut(&mut self) -> [&mut Vec<Vec<u8>>; 3] {
        [&mut self.certs, &mut self.ocsps, &mut self.crls]
    }

    /// Adds what `other` has that this does not.
    pub fn merge(&mut self, other: &ValidationData) {
        for (mine, theirs) in self.arrays_mut().into_iter().zip(other.arrays()) {
            for item in theirs {
                if !mine.contains(item) {
                    mine.push(item.clone());
                }
            }
        }
    }
}

/// Appends `data` to `pdf` as a DSS in an incremental update, merged with a DSS the file
/// already has.
pub(crate) fn append(pdf: &[u8], data: &ValidationData) -> Result<Vec<u8>, SignError> {
    let doc = Document::scan(pdf);
    let LastRevision {
        trailer,
        root,
        mut catalog,
        size,
    } = last_revision(&doc)?;
    let mut all = read(&doc).ok().flatten().unwrap_or_default();
    all.merge(data);
    let mut next = size;
    let mut take = || {
        let id = ObjRef {
            num: next,
            generation: 0,
        };
        next = next.saturating_add(1);
        id
    };
    let dss_id = take();
    let mut objects = Vec::new();
    let mut dss = Dict::default();
    dss.set(b"Type", Object::Name(b"DSS".to_vec()));
    for (key, items) in ARRAYS.into_iter().zip(all.arrays()) {
        if items.is_empty() {
            continue;
        }
        let mut refs = Vec::new();
        for der in items {
            let id = take();
            refs.push(Object::Ref(id));
            objects.push(NewObject {
                id,
                body: stream_body(der),
            });
        }
        dss.set(key, Object::Array(refs));
    }
    let mut dss_body = Vec::new();
    write_dict(&mut dss_body, &dss);
    objects.push(NewObject {
        id: dss_id,
        body: dss_body,
    });
    catalog.set(b"DSS", Object::Ref(dss_id));
    let mut catalog_body = Vec::new();
    write_dict(&mut catalog_body, &catalog);
    objects.push(NewObject {
        id: root,
        body: catalog_body,
    });
    objects.sort_by_key(|o| o.id);
    Ok(append_update(pdf, &trailer, &objects, next).bytes)
}

/// An unfiltered stream holding `der`.
fn stream_body(der: &[u8]) -> Vec<u8> {
    let mut body = format!("<</Length {}>>stream\n", der.len()).into_bytes();
    body.extend_from_slice(der);
    body.extend_from_slice(b"\nendstream");
    body
}

/// The newest definition of an object, with its stream.
fn object<'d>(doc: &'d Document<'_>, id: ObjRef) -> Option<&'d IndirectObject> {
    doc.objects.iter().rev().find(|o| o.id == id)
}

/// The DSS of the newest catalog, read strictly: `Ok(None)` without one, an `Err` saying
/// what is wrong with one that is not exactly as written here.
pub(crate) fn read(doc: &Document<'_>) -> Result<Option<ValidationData>, String> {
    let Some(catalog) = doc
        .trailer_lenient()
        .and_then(|t| t.get(b"Root").and_then(Object::as_ref))
        .and_then(|r| doc.resolve(r))
        .and_then(Object::as_dict)
    else {
        return Ok(None);
    };
    let Some(dss_ref) = catalog.get(b"DSS") else {
        return Ok(None);
    };
    let dss = doc
        .deref(dss_ref)
        .and_then(Object::as_dict)
        .ok_or("the catalog's /DSS is not a dictionary")?;
    for e in &dss.entries {
        let known = e.key == b"Type" || ARRAYS.contains(&e.key.as_slice());
        if !known || dss.count(&e.key) != 1 {
            return Err(format!(
                "the DSS has an unexpected or repeated key /{}",
                String::from_utf8_lossy(&e.key)
            ));
        }
    }
    if dss.get(b"Type").is_some() && !dss.name_is(b"Type", b"DSS") {
        return Err("the DSS's /Type is not /DSS".into());
    }
    let mut data = ValidationData::default();
    for (key, out) in ARRAYS.into_iter().zip(data.arrays_mut()) {
        let Some(array) = dss.get(key) else {
            continue;
        };
        let array = array.as_array().ok_or_else(|| {
            format!(
                "the DSS's /{} is not an array",
                String::from_utf8_lossy(key)
            )
        })?;
        for item in array {
            let der = stream_der(doc, item)?;
            if out.contains(&der) {
                return Err("the DSS holds the same structure twice".into());
            }
            out.push(der);
        }
    }
    Ok(Some(data))
}

/// The DER a DSS stream holds: the object is a stream whose dictionary is exactly
/// `/Length`, with exactly that many bytes, all one DER structure.
fn stream_der(doc: &Document<'_>, item: &Object) -> Result<Vec<u8>, String> {
    let id = item.as_ref().ok_or("a DSS entry is not a reference")?;
    let obj = object(doc, id).ok_or("a DSS entry refers to a missing object")?;
    let dict = obj.object.as_dict().ok_or("a DSS entry is not a stream")?;
    let range = obj.stream.clone().ok_or("a DSS entry is not a stream")?;
    let length = dict.get(b"Length").and_then(Object::as_int);
    if dict.entries.len() != 1 || length != i64::try_from(range.len()).ok() {
        return Err("a DSS stream's dictionary is not exactly its /Length".into());
    }
    let der = doc
        .data
        .get(range)
        .ok_or("a DSS stream is outside the file")?;
    if der_total_len(der) != Some(der.len()) {
        return Err("a DSS stream does not hold exactly one DER structure".into());
    }
    Ok(der.to_vec())
}
