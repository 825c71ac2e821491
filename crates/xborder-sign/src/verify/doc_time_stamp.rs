//! A document time-stamp (ISO 32000-2 §12.8.5; PAdES B-LTA, ETSI EN 319 142-1 §5.4.4): a
//! signature dictionary of `/Type /DocTimeStamp` whose `/Contents` is an RFC 3161 token over
//! the digest of its byte ranges, that is of the whole file as it stood, validation data
//! included.

use x509_cert::Certificate;

use super::long_term::Store;
use super::signature::{check_byte_range, cms_bytes, signature_slots, text_entry, usize_range};
use super::timestamp::check_token;
use super::{SignatureCheck, SignatureKind};
use crate::certs;
use crate::error::VerifyError;
use crate::pdf::syntax::{Dict, ObjRef, Object};

/// Whether a signature dictionary is a document time-stamp.
pub(super) fn is_document_time_stamp(dict: &Dict) -> bool {
    dict.name_is(b"Type", b"DocTimeStamp") || dict.name_is(b"SubFilter", b"ETSI.RFC3161")
}

/// Checks the document time-stamp `dict` (object `id`) of the file `data`, reported as a
/// signature whose signer is the TSA and whose signing time is the token's `genTime`.
pub(super) fn check_document_time_stamp(
    data: &[u8],
    id: ObjRef,
    dict: &Dict,
    anchors: &[Certificate],
    store: &Store,
) -> Result<SignatureCheck, VerifyError> {
    let n = id.num;
    let slots = signature_slots(n, dict)?;
    let mut notes = Vec::new();
    let ranges = check_byte_range(data, slots.byte_range, &slots.contents_span, &mut notes);
    let token = cms_bytes(n, slots.contents, &mut notes)?;
    let [a0, a_len, b0, b_len] = ranges.byte_range;
    let in_file = ranges.in_file;
    let imprint_of = |alg| {
        if !in_file {
            return None;
        }
        let mut joined = data.get(usize_range(a0, a_len))?.to_vec();
        joined.extend_from_slice(data.get(usize_range(b0, b_len))?);
        certs::sha2_digest(alg, &joined)
    };
    let check =
        check_token(token, &imprint_of, anchors, &store.certs, store).map_err(|reason| {
            VerifyError::MalformedCms {
                object: n,
                reason: format!("the document time-stamp: {reason}"),
            }
        })?;
    if !dict.name_is(b"SubFilter", b"ETSI.RFC3161") {
        notes.push("a document time-stamp's /SubFilter must be /ETSI.RFC3161".into());
    }
    notes.extend(check.notes.iter().cloned());
    let tsa = check.tsa_subject.clone();
    Ok(SignatureCheck {
        object: n,
        kind: SignatureKind::DocumentTimeStamp,
        field_name: None,
        sub_filter: dict
            .get(b"SubFilter")
            .and_then(Object::as_name)
            .map(|s| String::from_utf8_lossy(s).into_owned()),
        signer_common_name: None,
        signer_subject: tsa,
        cert_sha256: None,
        cert_validity: None,
        signing_time: Some(check.time),
        name: text_entry(dict, b"Name"),
        reason: text_entry(dict, b"Reason"),
        location: text_entry(dict, b"Location"),
        byte_range: slots.byte_range,
        byte_range_ok: ranges.ok,
        coverage: ranges.coverage,
        digest_ok: check.intact,
        signature_ok: check.intact && dict.name_is(b"SubFilter", b"ETSI.RFC3161"),
        algorithm: check.algorithm.clone(),
        chain: check.chain.clone(),
        revocation: check.revocation.clone(),
        time_stamp: Some(check),
        notes,
    })
}
