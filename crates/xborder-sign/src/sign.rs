//! Signing: PAdES baseline B-B (ETSI EN 319 142-1) as an incremental update.
//!
//! Order of work, and why:
//! 1. check key, certificate and time *before* touching the PDF, so a bad
//!    invocation fails fast with a precise message;
//! 2. append the signature dictionary, an invisible signature field/widget,
//!    the updated page /Annots and catalog /AcroForm (ISO 32000-1 §12.7.4.5,
//!    §12.8) with a zero-filled /Contents placeholder sized for the worst-case
//!    CMS, and a fixed-width /ByteRange placeholder;
//! 3. compute the /ByteRange over the final bytes (everything except the
//!    /Contents hex string, §12.8.1), patch it in place (same width, so no
//!    offset moves), hash the two ranges, build the CMS and patch it into the
//!    placeholder. Nothing is re-serialised after step 3.

use std::fmt;

use chrono::{DateTime, Utc};
use x509_cert::Certificate;

use crate::certs;
use crate::cms_build;
use crate::error::{CHAIN, SIGNER, SignError};
use crate::incremental::{LastRevision, NewObject, append_update, last_revision};
use crate::key::{RsaPadding, SignerKey};
use crate::pdf::document::Document;
use crate::pdf::syntax::{Dict, ObjRef, Object, write_dict, write_name, write_string};
use crate::pdf::text::{decode_text, encode_text, format_date};
use crate::public_key::PublicKey;

/// Minimum /Contents capacity in bytes (16 KiB of hex digits): room for a
/// certificate chain of several certificates, and a constant size keeps
/// output sizes predictable.
const MIN_CONTENTS_BYTES: usize = 8192;

/// What to sign and with what. Times are passed in (the library never reads
/// the clock) so the same request always gives the same bytes.
#[derive(Clone, Copy)]
pub struct SignRequest<'a> {
    /// A finished PDF (classic cross-reference table or stream).
    pub pdf: &'a [u8],
    /// Unencrypted PEM private key: PKCS#8 (`-----BEGIN PRIVATE KEY-----`), PKCS#1
    /// (`RSA PRIVATE KEY`) or SEC1 (`EC PRIVATE KEY`); ECDSA on NIST P-256 or P-384, or RSA
    /// of 2048 to 4096 bits ([`crate::KeyAlgorithm`]).
    pub key_pem: &'a str,
    /// The signer certificate, PEM.
    pub cert_pem: &'a str,
    /// Further certificates (intermediates, CA), PEM, several allowed; they
    /// are embedded so validators can build the chain.
    pub chain_pem: Option<&'a str>,
    /// Claimed signing time, written to /M of the signature dictionary and
    /// checked against the certificate's validity period.
    pub signing_time: DateTime<Utc>,
    /// /Name of the signature dictionary.
    pub signer_name: Option<&'a str>,
    /// /Reason of the signature dictionary.
    pub reason: Option<&'a str>,
    /// /Location of the signature dictionary.
    pub location: Option<&'a str>,
}

impl fmt::Debug for SignRequest<'_> {
    // Never print key material.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignRequest")
            .field("pdf_len", &self.pdf.len())
            .field("key_pem", &"<redacted>")
            .field("signing_time", &self.signing_time)
            .field("signer_name", &self.signer_name)
            .field("reason", &self.reason)
            .field("location", &self.location)
            .finish_non_exhaustive()
    }
}

/// Signs `req.pdf` and returns the signed file (original bytes + one
/// incremental update). Deterministic: identical requests give identical
/// bytes (RFC 6979 ECDSA or RSASSA-PKCS1-v1_5 signatures, no clock, no
/// randomness).
///
/// # Errors
/// [`SignError`] for unusable keys/certificates (malformed PEM, an algorithm
/// or RSA size that is not signed with, key not matching the certificate,
/// certificate not valid at `signing_time`) and for PDFs whose structure
/// cannot be updated.
pub fn sign_pdf(req: &SignRequest<'_>) -> Result<Vec<u8>, SignError> {
    sign_pdf_with_rsa_padding(req, RsaPadding::default())
}

/// [`sign_pdf`] with the padding of an RSA key's signature (an ECDSA key
/// ignores it). With [`RsaPadding::Pss`] the signature carries a random salt
/// (RFC 8017 §9.1.1), so the signed bytes differ from call to call.
///
/// # Errors
/// The errors of [`sign_pdf`].
pub fn sign_pdf_with_rsa_padding(
    req: &SignRequest<'_>,
    rsa_padding: RsaPadding,
) -> Result<Vec<u8>, SignError> {
    sign_with(req, rsa_padding, None)
}

/// Asks for the time-stamp of a signature value: returns the token (RFC 3161) over it.
pub(crate) type Stamper<'s> = dyn FnMut(&[u8]) -> Result<Vec<u8>, SignError> + 's;

/// Makes the DER for /Contents from the two signed byte ranges (before and after it).
pub(crate) type ContentsMaker<'s> = dyn FnMut([&[u8]; 2]) -> Result<Vec<u8>, SignError> + 's;

/// Room in /Contents for a signature time-stamp token: the TSA's signature and the
/// certificates it sends along (RFC 3161 §2.4.1 `certReq`), with a margin.
const TIME_STAMP_RESERVE: usize = 16 * 1024;

/// [`sign_pdf_with_rsa_padding`], with a signature time-stamp (PAdES B-T) when `stamp` is
/// given.
pub(crate) fn sign_with(
    req: &SignRequest<'_>,
    rsa_padding: RsaPadding,
    mut stamp: Option<&mut Stamper<'_>>,
) -> Result<Vec<u8>, SignError> {
    let (key, signer, chain) = load_material(
        req.key_pem,
        req.cert_pem,
        req.chain_pem,
        req.signing_time,
        rsa_padding,
    )?;
    let mut capacity = contents_capacity(&key, &signer, &chain)?;
    if stamp.is_some() {
        capacity += TIME_STAMP_RESERVE;
    }
    let body = SigBody::signature(req, capacity);
    append_signed(req.pdf, &body, capacity, &mut |ranges| {
        let digest = key.digest_algorithm().digest(&ranges);
        let cms = cms_build::build(&digest, &key, &signer, &chain, None)?;
        match stamp.as_mut() {
            Some(stamp) => cms_build::with_signature_time_stamp(&cms, stamp),
            None => Ok(cms),
        }
    })
}

/// Appends a signature dictionary (`body`, with its /ByteRange and /Contents placeholders)
/// and the field that holds it as an incremental update, then fills the placeholders:
/// /ByteRange over the final bytes, /Contents with what `contents` makes of the two ranges.
/// Used for signatures and document time-stamps alike.
pub(crate) fn append_signed(
    pdf: &[u8],
    body: &SigBody,
    capacity: usize,
    contents: &mut ContentsMaker<'_>,
) -> Result<Vec<u8>, SignError> {
    let plan = plan_update(pdf)?;
    let mut objects = vec![NewObject {
        id: plan.sig_id,
        body: body.bytes.clone(),
    }];
    objects.extend(plan.objects);
    let written = append_update(plan.original, &plan.trailer, &objects, plan.size);
    let mut out = written.bytes;
    let body_at = written
        .body_offsets
        .first()
        .copied()
        .ok_or_else(|| internal("signature object was not written"))?;

    // /ByteRange over the final bytes.
    let contents_start = body_at + body.contents.start;
    let contents_end = body_at + body.contents.end;
    let tail_len = out
        .len()
        .checked_sub(contents_end)
        .ok_or_else(|| internal("placeholder beyond end of file"))?;
    let range_text = format!("[0 {contents_start} {contents_end} {tail_len}");
    let br = body_at + body.byte_range.start..body_at + body.byte_range.end;
    let slot = out
        .get_mut(br)
        .ok_or_else(|| internal("ByteRange placeholder out of bounds"))?;
    if range_text.len() + 1 > slot.len() {
        return Err(internal("file too large for the ByteRange placeholder"));
    }
    slot.fill(b' ');
    slot.get_mut(..range_text.len())
        .ok_or_else(|| internal("ByteRange placeholder too small"))?
        .copy_from_slice(range_text.as_bytes());
    if let Some(last) = slot.last_mut() {
        *last = b']';
    }

    // The contents over both ranges, patched into /Contents.
    let der = contents([
        out.get(..contents_start).unwrap_or_default(),
        out.get(contents_end..).unwrap_or_default(),
    ])?;
    if der.len() > capacity {
        return Err(internal("signature larger than its reserved space"));
    }
    let hex = certs::hex(&der);
    let hex_slot = out
        .get_mut(contents_start + 1..contents_start + 1 + hex.len())
        .ok_or_else(|| internal("Contents placeholder out of bounds"))?;
    hex_slot.copy_from_slice(hex.as_bytes());
    Ok(out)
}

/// Checks the signing inputs exactly as [`sign_pdf`] will, without a
/// document, so that a caller can refuse a run before doing any work: the
/// key (decrypted already, see [`crate::decrypt_key`]), the signer
/// certificate and whether it belongs to the key and is valid at
/// `signing_time` for document signatures, and the chain.
///
/// # Errors
/// The [`SignError`]s of [`sign_pdf`] about keys and certificates.
pub fn check_signing_material(
    key_pem: &str,
    cert_pem: &str,
    chain_pem: Option<&str>,
    signing_time: DateTime<Utc>,
) -> Result<(), SignError> {
    // The padding changes no check.
    load_material(
        key_pem,
        cert_pem,
        chain_pem,
        signing_time,
        RsaPadding::default(),
    )
    .map(|_| ())
}

/// The key, the signer certificate and the chain, checked.
fn load_material(
    key_pem: &str,
    cert_pem: &str,
    chain_pem: Option<&str>,
    signing_time: DateTime<Utc>,
    rsa_padding: RsaPadding,
) -> Result<(SignerKey, Certificate, Vec<Certificate>), SignError> {
    let key = certs::load_signing_key(key_pem, rsa_padding)?;
    let (line, signer) = certs::load_certificates(cert_pem, SIGNER)?
        .into_iter()
        .next()
        .ok_or_else(|| SignError::InvalidCertificatePem {
            which: SIGNER,
            line: 1,
            reason: "no CERTIFICATE block found".into(),
        })?;
    let chain = match chain_pem {
        Some(p) if !p.trim().is_empty() => certs::load_certificates(p, CHAIN)?
            .into_iter()
            .map(|(_, c)| c)
            .collect(),
        _ => Vec::new(),
    };
    check_signer(&key, &signer, line, signing_time)?;
    Ok((key, signer, chain))
}

fn internal(msg: &str) -> SignError {
    SignError::Encoding {
        reason: msg.to_owned(),
    }
}

/// Refuses signatures that validators would reject anyway: key/certificate
/// mismatch, certificate not valid at the signing time, keyUsage not
/// allowing signatures.
fn check_signer(
    key: &SignerKey,
    cert: &Certificate,
    line: usize,
    signing_time: DateTime<Utc>,
) -> Result<(), SignError> {
    let subject = certs::subject_string(cert);
    PublicKey::from_certificate(cert).map_err(|_| SignError::UnsupportedCertificateKey { line })?;
    if !key.matches(cert) {
        return Err(SignError::KeyCertificateMismatch { line, subject });
    }
    let (not_before, not_after) = certs::validity(cert).ok_or_else(|| SignError::Encoding {
        reason: "certificate validity period out of range".into(),
    })?;
    if signing_time < not_before {
        return Err(SignError::CertificateNotYetValid {
            line,
            subject,
            not_before,
            signing_time,
        });
    }
    if signing_time > not_after {
        return Err(SignError::CertificateExpired {
            line,
            subject,
            not_after,
            signing_time,
        });
    }
    if !certs::allows_document_signing(cert) {
        return Err(SignError::CertificateKeyUsage { line, subject });
    }
    Ok(())
}

/// Worst-case DER size of the CMS (the key's longest signature), rounded up;
/// never below [`MIN_CONTENTS_BYTES`].
fn contents_capacity(
    key: &SignerKey,
    signer: &Certificate,
    chain: &[Certificate],
) -> Result<usize, SignError> {
    let digest = vec![0; key.digest_algorithm().len()];
    let signature = vec![0x30; key.max_signature_len()];
    let worst = cms_build::build(&digest, key, signer, chain, Some(&signature))?;
    Ok(worst
        .len()
        .div_ceil(1024)
        .saturating_mul(1024)
        .max(MIN_CONTENTS_BYTES))
}

/// The serialised signature dictionary and where its placeholders are.
pub(crate) struct SigBody {
    bytes: Vec<u8>,
    /// `[0 …]` array text, relative to the body start.
    byte_range: std::ops::Range<usize>,
    /// `<…>` hex string including brackets, relative to the body start.
    contents: std::ops::Range<usize>,
}

impl SigBody {
    /// A dictionary that starts with `head`, then /ByteRange and /Contents placeholders
    /// (`capacity` bytes), then whatever `tail` writes.
    pub(crate) fn new(head: &[u8], capacity: usize, tail: impl FnOnce(&mut Vec<u8>)) -> Self {
        let mut b = Vec::with_capacity(capacity * 2 + 512);
        b.extend_from_slice(head);
        b.extend_from_slice(b"/ByteRange ");
        let br_start = b.len();
        // Three 10-digit fields: room for files up to 9 999 999 999 bytes.
        b.extend_from_slice(b"[0 0000000000 0000000000 0000000000]");
        let br_end = b.len();
        b.extend_from_slice(b"/Contents ");
        let c_start = b.len();
        b.push(b'<');
        b.resize(b.len() + capacity * 2, b'0');
        b.push(b'>');
        let c_end = b.len();
        tail(&mut b);
        b.extend_from_slice(b">>");
        SigBody {
            bytes: b,
            byte_range: br_start..br_end,
            contents: c_start..c_end,
        }
    }

    /// The signature dictionary of a PAdES signature (ETSI EN 319 142-1 §6.3): claimed time
    /// in /M, and /Name, /Reason, /Location when given.
    fn signature(req: &SignRequest<'_>, capacity: usize) -> Self {
        let head = b"<</Type/Sig/Filter/Adobe.PPKLite/SubFilter/ETSI.CAdES.detached";
        SigBody::new(head, capacity, |b| {
            b.extend_from_slice(b"/M ");
            write_string(b, format_date(req.signing_time).as_bytes());
            for (key, value) in [
                (&b"Name"[..], req.signer_name),
                (b"Reason", req.reason),
                (b"Location", req.location),
            ] {
                if let Some(v) = value {
                    write_name(b, key);
                    b.push(b' ');
                    write_string(b, &encode_text(v));
                }
            }
        })
    }
}

/// Everything of the update except the signature dictionary itself.
struct Plan<'a> {
    original: &'a [u8],
    trailer: crate::pdf::document::Trailer,
    sig_id: ObjRef,
    /// Field/widget, page, catalog or AcroForm objects.
    objects: Vec<NewObject>,
    size: u32,
}

fn invalid(reason: &str) -> SignError {
    SignError::InvalidPdf {
        reason: reason.to_owned(),
    }
}

/// PDF header version `(major, minor)` from `%PDF-x.y` in the first KiB.
fn header_version(pdf: &[u8]) -> Option<(u8, u8)> {
    let head = pdf.get(..pdf.len().min(1024))?;
    let at = crate::pdf::document::find(head, b"%PDF-")?;
    let v = head.get(at + 5..at + 8)?;
    match v {
        [maj, b'.', min] if maj.is_ascii_digit() && min.is_ascii_digit() => {
            Some((maj - b'0', min - b'0'))
        }
        _ => None,
    }
}

/// Everything the signature's incremental update changes or adds besides the signature
/// dictionary: the signature field, the first page's /Annots, the AcroForm, the catalog.
fn plan_update(pdf: &[u8]) -> Result<Plan<'_>, SignError> {
    let version =
        header_version(pdf).ok_or_else(|| invalid("it does not start with a %PDF- header"))?;
    let doc = Document::scan(pdf);
    let LastRevision {
        trailer,
        root,
        mut catalog,
        size,
    } = last_revision(&doc)?;
    if trailer.dict.get(b"Encrypt").is_some() {
        return Err(SignError::EncryptedPdf);
    }
    let page = doc
        .first_page(&catalog)
        .ok_or_else(|| invalid("the document has no readable first page"))?;
    let mut page_dict = doc
        .resolve(page)
        .and_then(Object::as_dict)
        .cloned()
        .ok_or_else(|| invalid("the first page cannot be read"))?;

    let next = |n: u32| {
        size.checked_add(n)
            .ok_or_else(|| invalid("object numbers exhausted"))
    };
    let sig_id = ObjRef {
        num: size,
        generation: 0,
    };
    let field_id = ObjRef {
        num: next(1)?,
        generation: 0,
    };
    let new_size = next(2)?;

    // AcroForm: direct in the catalog, indirect, or absent.
    let acroform_ref = catalog.get(b"AcroForm").and_then(Object::as_ref);
    let (acroform, field_name) = acroform_with_field(&doc, &catalog, field_id);

    let mut objects = Vec::new();
    let field = signature_field(&field_name, sig_id, page);
    objects.push(dict_object(field_id, &field));

    let mut annots: Vec<Object> = page_dict
        .get(b"Annots")
        .and_then(|a| doc.deref(a))
        .and_then(Object::as_array)
        .map(<[Object]>::to_vec)
        .unwrap_or_default();
    annots.push(Object::Ref(field_id));
    page_dict.set(b"Annots", Object::Array(annots));
    objects.push(dict_object(page, &page_dict));

    match acroform_ref {
        Some(r) if r != root && r != page => objects.push(dict_object(r, &acroform)),
        _ => catalog.set(b"AcroForm", Object::Dict(acroform)),
    }
    announce_pdf_1_7(&mut catalog, version);
    objects.push(dict_object(root, &catalog));
    objects.sort_by_key(|o| o.id);

    Ok(Plan {
        original: pdf,
        trailer,
        sig_id,
        objects,
        size: new_size,
    })
}

/// The document's AcroForm (direct in the catalog, indirect, or a new one) with the field
/// `field_id` added to its /Fields and the signature flags set, and the name the new field
/// gets.
fn acroform_with_field(doc: &Document<'_>, catalog: &Dict, field_id: ObjRef) -> (Dict, String) {
    let mut acroform = match catalog.get(b"AcroForm") {
        Some(o) => doc
            .deref(o)
            .and_then(Object::as_dict)
            .cloned()
            .unwrap_or_default(),
        None => Dict::default(),
    };
    let mut fields: Vec<Object> = acroform
        .get(b"Fields")
        .and_then(|f| doc.deref(f))
        .and_then(Object::as_array)
        .map(<[Object]>::to_vec)
        .unwrap_or_default();
    let field_name = unused_field_name(doc, &fields);
    fields.push(Object::Ref(field_id));
    acroform.set(b"Fields", Object::Array(fields));
    // SignaturesExist | AppendOnly (§12.7.2, Table 219).
    let flags = acroform
        .get(b"SigFlags")
        .and_then(Object::as_int)
        .unwrap_or(0)
        | 3;
    acroform.set(b"SigFlags", Object::Int(flags));
    (acroform, field_name)
}

/// The signature field merged with its widget annotation (§12.5.6.19, §12.7.4.5), its value
/// the signature dictionary `sig_id`, on `page`: invisible (zero /Rect), /F 132 = Print |
/// Locked.
fn signature_field(name: &str, sig_id: ObjRef, page: ObjRef) -> Dict {
    let mut field = Dict::default();
    field.set(b"Type", Object::Name(b"Annot".to_vec()));
    field.set(b"Subtype", Object::Name(b"Widget".to_vec()));
    field.set(b"FT", Object::Name(b"Sig".to_vec()));
    field.set(b"T", Object::Str(encode_text(name)));
    field.set(b"V", Object::Ref(sig_id));
    field.set(b"F", Object::Int(132));
    field.set(b"Rect", Object::Array(vec![Object::Int(0); 4]));
    field.set(b"P", Object::Ref(page));
    field
}

/// ETSI.CAdES.detached is a PDF 2.0 / PDF 1.7 extension-level feature: announces at least
/// 1.7 through the catalog's /Version (§7.7.2), which is how an incremental update raises
/// the version, unless the header (`version`) or the catalog already does.
fn announce_pdf_1_7(catalog: &mut Dict, version: (u8, u8)) {
    let catalog_version = catalog
        .get(b"Version")
        .and_then(Object::as_name)
        .and_then(|n| match n {
            [maj, b'.', min] if maj.is_ascii_digit() && min.is_ascii_digit() => {
                Some((*maj - b'0', *min - b'0'))
            }
            _ => None,
        });
    if version < (1, 7) && catalog_version.is_none_or(|v| v < (1, 7)) {
        catalog.set(b"Version", Object::Name(b"1.7".to_vec()));
    }
}

fn dict_object(id: ObjRef, d: &Dict) -> NewObject {
    let mut body = Vec::new();
    write_dict(&mut body, d);
    NewObject { id, body }
}

/// `Signature1`, or the next free `SignatureN` among the existing fields'
/// /T names, so a second signature gets its own field.
fn unused_field_name(doc: &Document<'_>, fields: &[Object]) -> String {
    let names: Vec<String> = fields
        .iter()
        .filter_map(|f| doc.deref(f))
        .filter_map(Object::as_dict)
        .filter_map(|d| d.get(b"T").and_then(Object::as_str))
        .map(decode_text)
        .collect();
    (1..)
        .map(|i| format!("Signature{i}"))
        .find(|n| !names.contains(n))
        .unwrap_or_else(|| "Signature".to_owned())
}
