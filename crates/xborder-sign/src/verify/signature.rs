//! The checks of one signature dictionary, in the order a reader follows them: the
//! dictionary's `/ByteRange` and `/Contents`, the ranges' place in the file, the CMS in
//! `/Contents` and its single SignerInfo, the digest of the signed ranges, the signed
//! attributes and the signature value, and the chain to a trust anchor.
//!
//! A structure that cannot be read is an error ([`VerifyError`]); a check that fails on a
//! readable signature is a `false` in the result with a note saying why.

use std::ops::Range;

use chrono::{DateTime, Utc};
use cms::cert::CertificateChoices;
use cms::content_info::{CmsVersion, ContentInfo};
use cms::signed_data::{SignedData, SignerIdentifier, SignerInfo};
use der::asn1::{ObjectIdentifier, OctetString};
use der::{Decode, Encode};
use x509_cert::Certificate;
use x509_cert::attr::Attributes;
use x509_cert::ext::pkix::SubjectKeyIdentifier;

use super::chain::evaluate_chain;
use super::der_walk::{der_total_len, raw_signed_attrs};
use super::long_term::{RevocationStatus, Store, revocation_status};
use super::timestamp::signature_time_stamp;
use super::{ChainProblem, ChainStatus, Coverage, SignatureCheck, SignatureKind};
use crate::algorithms::{DigestAlgorithm, SignatureScheme};
use crate::certs;
use crate::cms_build::SigningCertificateV2;
use crate::error::VerifyError;
use crate::oid;
use crate::pdf::syntax::{Dict, ObjRef, Object};
use crate::pdf::text::{decode_text, parse_date};
use crate::public_key::{PublicKey, Verdict};

/// Checks the signature dictionary `dict` (object `id`) of the file `data`: the steps of the
/// module documentation, each a function below. `field_name` is left for the caller, which
/// knows the fields.
pub(super) fn check_signature(
    data: &[u8],
    id: ObjRef,
    dict: &Dict,
    anchors: &[Certificate],
    store: &Store,
    now: Option<DateTime<Utc>>,
) -> Result<SignatureCheck, VerifyError> {
    let n = id.num;
    let slots = signature_slots(n, dict)?;
    let mut notes = Vec::new();
    // 1. Range structure.
    let ranges = check_byte_range(data, slots.byte_range, &slots.contents_span, &mut notes);
    // 2. The CMS.
    let cms_der = cms_bytes(n, slots.contents, &mut notes)?;
    let signed_data = signed_data(n, cms_der)?;
    let signer_info = single_signer_info(n, &signed_data)?;
    let embedded = embedded_certificates(&signed_data);
    let signer = embedded.iter().find(|c| matches_sid(c, &signer_info.sid));
    let content = signed_content(data, &ranges);
    let doc_digest = range_digest(content.as_deref(), signer_info.digest_alg.oid, &mut notes);
    let key = signer_key(signer, &mut notes);
    let algorithm = algorithm_words(signer_info, key.as_ref());
    let signed = Signed {
        signer_info,
        signer,
        key,
        content: content.as_deref(),
        doc_digest,
    };
    let (digest_ok, signature_ok) = match &signer_info.signed_attrs {
        Some(attrs) => {
            let econtent_type = signed_data.encap_content_info.econtent_type;
            check_signed_attributes(&signed, attrs, econtent_type, cms_der, &mut notes)
        }
        None => check_bare_signature(&signed, &mut notes),
    };
    // 3. The signature time-stamp (PAdES B-T), over the signature value.
    let mut carried = embedded.clone();
    carried.extend(store.certs.iter().cloned());
    let time_stamp = signature_time_stamp(signer_info, anchors, &carried, store)
        .map_err(|reason| bad_cms(n, reason))?;
    // 4. Chain and revocation, at the time the signature provably existed when it is
    // time-stamped, else at the claimed time.
    let signing_time = dict.get(b"M").and_then(Object::as_str).and_then(parse_date);
    let stamped = time_stamp.as_ref().filter(|t| t.intact).map(|t| t.time);
    let at = now.or(stamped).or(signing_time);
    let chain = chain_status(signer, &carried, anchors, at);
    let revocation = match (signer, at) {
        (Some(signer), Some(at)) => revocation_status(signer, &carried, store, anchors, at),
        _ => RevocationStatus::NotChecked,
    };

    Ok(SignatureCheck {
        object: n,
        kind: SignatureKind::Signature,
        time_stamp,
        revocation,
        field_name: None,
        sub_filter: dict
            .get(b"SubFilter")
            .and_then(Object::as_name)
            .map(|s| String::from_utf8_lossy(s).into_owned()),
        signer_subject: signer.map(certs::subject_string),
        signer_common_name: signer.and_then(|s| certs::common_name(&s.tbs_certificate.subject)),
        cert_sha256: signer.and_then(certs::fingerprint).map(|f| certs::hex(&f)),
        cert_validity: signer.and_then(certs::validity),
        signing_time,
        name: text_entry(dict, b"Name"),
        reason: text_entry(dict, b"Reason"),
        location: text_entry(dict, b"Location"),
        byte_range: slots.byte_range,
        byte_range_ok: ranges.ok,
        coverage: ranges.coverage,
        digest_ok,
        signature_ok,
        algorithm,
        chain,
        notes,
    })
}

fn malformed(object: u32, reason: impl Into<String>) -> VerifyError {
    VerifyError::MalformedSignatureDictionary {
        object,
        reason: reason.into(),
    }
}

fn bad_cms(object: u32, reason: impl Into<String>) -> VerifyError {
    VerifyError::MalformedCms {
        object,
        reason: reason.into(),
    }
}

pub(super) fn text_entry(dict: &Dict, key: &[u8]) -> Option<String> {
    dict.get(key).and_then(Object::as_str).map(decode_text)
}

// ------------------------------------------------------------ the dictionary and its ranges

/// The `/ByteRange` and `/Contents` of a signature dictionary, as found.
pub(super) struct SignatureSlots<'a> {
    pub byte_range: [u64; 4],
    /// The bytes of the `/Contents` string (decoded from hex).
    pub contents: &'a [u8],
    /// Where the `/Contents` string is in the file, delimiters included.
    pub contents_span: Range<usize>,
}

/// Reads `/ByteRange` (exactly four non-negative integers) and `/Contents` (a string), each
/// present once: the dictionary is malformed otherwise.
pub(super) fn signature_slots(n: u32, dict: &Dict) -> Result<SignatureSlots<'_>, VerifyError> {
    if dict.count(b"ByteRange") != 1 || dict.count(b"Contents") != 1 {
        return Err(malformed(
            n,
            "/ByteRange or /Contents appears more than once",
        ));
    }
    let br_values: Vec<u64> = dict
        .get(b"ByteRange")
        .and_then(Object::as_array)
        .ok_or_else(|| malformed(n, "/ByteRange is not an array"))?
        .iter()
        .map(|o| o.as_int().and_then(|i| u64::try_from(i).ok()))
        .collect::<Option<_>>()
        .ok_or_else(|| {
            malformed(
                n,
                "/ByteRange holds something other than non-negative integers",
            )
        })?;
    let byte_range: [u64; 4] = br_values
        .try_into()
        .map_err(|_| malformed(n, "/ByteRange must hold exactly four numbers"))?;
    let contents_entry = dict
        .entry(b"Contents")
        .ok_or_else(|| malformed(n, "/Contents is missing"))?;
    let Object::Str(contents) = &contents_entry.value else {
        return Err(malformed(n, "/Contents is not a string"));
    };
    Ok(SignatureSlots {
        byte_range,
        contents,
        contents_span: contents_entry.span.clone(),
    })
}

/// What [`check_byte_range`] found.
pub(super) struct RangeCheck {
    pub byte_range: [u64; 4],
    /// Starts at 0, its gap is exactly `/Contents`, and it stays in the file.
    pub ok: bool,
    /// Both ranges are inside the file and do not overlap: they can be digested.
    pub in_file: bool,
    /// What follows the second range.
    pub coverage: Coverage,
}

/// The range structure: `/ByteRange` starts at 0, its gap is exactly this dictionary's
/// `/Contents` hex string (so no signed byte hides in the gap and the dictionary itself is
/// signed), and both ranges lie in the file; and what follows the second range.
pub(super) fn check_byte_range(
    data: &[u8],
    byte_range: [u64; 4],
    contents_span: &Range<usize>,
    notes: &mut Vec<String>,
) -> RangeCheck {
    let file_len = data.len() as u64;
    let [a0, a_len, b0, b_len] = byte_range;
    let a_end = a0.checked_add(a_len);
    let b_end = b0.checked_add(b_len);

    let is_hex = data.get(contents_span.start) == Some(&b'<');
    let mut ok = true;
    if a0 != 0 {
        ok = false;
        notes.push("/ByteRange does not start at offset 0".to_owned());
    }
    if a_end != Some(contents_span.start as u64) || b0 != contents_span.end as u64 || !is_hex {
        ok = false;
        notes.push(
            "the /ByteRange gap is not exactly this signature's /Contents hex string".to_owned(),
        );
    }
    let in_file = matches!((a_end, b_end), (Some(ae), Some(be)) if ae <= b0 && be <= file_len);
    if !in_file {
        ok = false;
        notes.push("/ByteRange points outside the file or its ranges overlap".to_owned());
    }
    let coverage = match b_end {
        Some(end) if end == file_len => Coverage::WholeFile,
        Some(end) if end < file_len => Coverage::ModifiedAfterSigning {
            appended: file_len - end,
        },
        _ => Coverage::ModifiedAfterSigning { appended: 0 },
    };
    RangeCheck {
        byte_range,
        ok,
        in_file,
        coverage,
    }
}

// ------------------------------------------------------------ the CMS

/// The DER structure at the start of `/Contents`, without the zero padding after it (other
/// bytes there are noted).
pub(super) fn cms_bytes<'a>(
    n: u32,
    contents: &'a [u8],
    notes: &mut Vec<String>,
) -> Result<&'a [u8], VerifyError> {
    let der_len = der_total_len(contents).ok_or_else(|| {
        bad_cms(
            n,
            "/Contents does not hold a DER-encoded structure (empty placeholder?)",
        )
    })?;
    if contents
        .get(der_len..)
        .is_some_and(|rest| rest.iter().any(|&b| b != 0))
    {
        notes.push("non-zero bytes follow the CMS structure in /Contents".to_owned());
    }
    Ok(contents.get(..der_len).unwrap_or_default())
}

/// The CMS ContentInfo (RFC 5652 §3), which must hold SignedData.
fn signed_data(n: u32, cms_der: &[u8]) -> Result<SignedData, VerifyError> {
    let content_info = ContentInfo::from_der(cms_der)
        .map_err(|e| bad_cms(n, format!("not a CMS ContentInfo: {e}")))?;
    if content_info.content_type != oid::ID_SIGNED_DATA {
        return Err(bad_cms(n, "the CMS content is not SignedData"));
    }
    content_info
        .content
        .decode_as()
        .map_err(|e| bad_cms(n, format!("SignedData cannot be decoded: {e}")))
}

/// The one SignerInfo a PDF signature has (ISO 32000-1 §12.8.3.3), with a version that fits
/// its signer identifier, a digest algorithm listed in the SignedData, and detached content.
fn single_signer_info(n: u32, signed_data: &SignedData) -> Result<&SignerInfo, VerifyError> {
    let signer_infos: Vec<&SignerInfo> = signed_data.signer_infos.0.iter().collect();
    let [signer_info] = signer_infos.as_slice() else {
        return Err(bad_cms(
            n,
            format!(
                "expected exactly one SignerInfo (ISO 32000-1 §12.8.3.3), found {}",
                signer_infos.len()
            ),
        ));
    };
    // RFC 5652 §5.3: the SignerInfo version is 1 when the signer is named by issuer and
    // serial number, 3 when by subject key identifier. The version is not covered by the
    // signature, so a changed one would otherwise go unnoticed.
    let expected_version = match signer_info.sid {
        SignerIdentifier::IssuerAndSerialNumber(_) => CmsVersion::V1,
        SignerIdentifier::SubjectKeyIdentifier(_) => CmsVersion::V3,
    };
    if signer_info.version != expected_version {
        return Err(bad_cms(
            n,
            format!(
                "the SignerInfo version is {:?}, but its signer identifier needs {:?} (RFC 5652 §5.3)",
                signer_info.version, expected_version
            ),
        ));
    }
    // RFC 5652 §5.1: digestAlgorithms lists the algorithms of all signers.
    if !signed_data
        .digest_algorithms
        .iter()
        .any(|a| a.oid == signer_info.digest_alg.oid)
    {
        return Err(bad_cms(
            n,
            "the SignerInfo digest algorithm is not listed in SignedData.digestAlgorithms",
        ));
    }
    if signed_data.encap_content_info.econtent.is_some() {
        return Err(bad_cms(
            n,
            "the signature encapsulates content instead of being detached",
        ));
    }
    Ok(signer_info)
}

/// The certificates embedded in the SignedData (other certificate formats are skipped).
fn embedded_certificates(signed_data: &SignedData) -> Vec<Certificate> {
    signed_data
        .certificates
        .as_ref()
        .map(|set| {
            set.0
                .iter()
                .filter_map(|c| match c {
                    CertificateChoices::Certificate(c) => Some(c.clone()),
                    CertificateChoices::Other(_) => None,
                })
                .collect()
        })
        .unwrap_or_default()
}

// ------------------------------------------------------------ digest and signature value

/// The bytes of the two signed ranges, joined; `None` when the ranges are not in the file.
fn signed_content(data: &[u8], ranges: &RangeCheck) -> Option<Vec<u8>> {
    if !ranges.in_file {
        return None;
    }
    let [a0, a_len, b0, b_len] = ranges.byte_range;
    let a = data.get(usize_range(a0, a_len)).unwrap_or_default();
    let b = data.get(usize_range(b0, b_len)).unwrap_or_default();
    let mut joined = Vec::with_capacity(a.len() + b.len());
    joined.extend_from_slice(a);
    joined.extend_from_slice(b);
    Some(joined)
}

/// The digest of the signed content with the SignerInfo's digest algorithm; `None` when
/// the ranges are not in the file or the algorithm is not supported (noted).
fn range_digest(
    content: Option<&[u8]>,
    digest_alg: ObjectIdentifier,
    notes: &mut Vec<String>,
) -> Option<Vec<u8>> {
    let joined = content?;
    let digest = certs::sha2_digest(digest_alg, joined);
    if digest.is_none() {
        notes.push(format!("unsupported digest algorithm {digest_alg}"));
    }
    digest
}

/// The signer certificate's key (ECDSA P-256 or P-384, RSA); a missing certificate or
/// another key type is noted.
/// The signature algorithm of `signer_info` and the signer's key, in words (`ECDSA with
/// SHA-256 on a P-256 key`); `None` for an algorithm this tool does not know. Named only: an
/// unsupported algorithm is noted where the signature is checked.
pub(super) fn algorithm_words(signer_info: &SignerInfo, key: Option<&PublicKey>) -> Option<String> {
    let scheme = SignatureScheme::from_identifier(
        &signer_info.signature_algorithm,
        Some(signer_info.digest_alg.oid),
    )
    .ok()?;
    Some(match key {
        Some(key) => format!("{} on {}", scheme.name(), key.size()),
        None => scheme.name(),
    })
}

fn signer_key(signer: Option<&Certificate>, notes: &mut Vec<String>) -> Option<PublicKey> {
    let Some(signer) = signer else {
        notes.push("the signer certificate is not embedded in the CMS".to_owned());
        return None;
    };
    PublicKey::from_certificate(signer)
        .map_err(|what| {
            notes.push(format!(
                "the signer certificate holds {what}, which is not checked (unsupported)"
            ));
        })
        .ok()
}

/// What the signature value is checked with: the SignerInfo, the signer certificate and its
/// key, and the digest of the signed ranges.
struct Signed<'a> {
    signer_info: &'a SignerInfo,
    signer: Option<&'a Certificate>,
    key: Option<PublicKey>,
    /// The bytes of the signed ranges.
    content: Option<&'a [u8]>,
    doc_digest: Option<Vec<u8>>,
}

/// The PAdES case, signed attributes (RFC 5652 §5.4): messageDigest equals the digest of the
/// ranges, contentType is id-data, signing-certificate-v2 names the signer certificate, and
/// the signature verifies over the attributes' DER. `(digest_ok, signature_ok)`.
fn check_signed_attributes(
    signed: &Signed<'_>,
    attrs: &Attributes,
    econtent_type: ObjectIdentifier,
    cms_der: &[u8],
    notes: &mut Vec<String>,
) -> (bool, bool) {
    let digest_ok = message_digest_matches(attrs, signed.doc_digest.as_deref(), notes);
    let content_type_ok = content_type_is_data(attrs, econtent_type, notes);
    if attrs.iter().any(|a| a.oid == oid::ID_SIGNING_TIME) {
        notes.push("signing-time attribute present (PAdES puts the time in /M)".to_owned());
    }
    let ess_ok = signing_certificate_names_signer(attrs, signed.signer, notes);
    let crypto_ok = signature_over_attributes_verifies(signed, cms_der, notes);
    (digest_ok, crypto_ok && ess_ok && content_type_ok)
}

/// messageDigest (RFC 5652 §11.2), once, equals the digest of the signed ranges.
fn message_digest_matches(
    attrs: &Attributes,
    doc_digest: Option<&[u8]>,
    notes: &mut Vec<String>,
) -> bool {
    let md = single_attr::<OctetString>(attrs, oid::ID_MESSAGE_DIGEST);
    let mut digest_ok = false;
    match (&md, doc_digest) {
        (Some(md), Some(d)) => digest_ok = md.as_bytes() == d,
        (None, _) => notes.push("no (single) messageDigest attribute".to_owned()),
        _ => {}
    }
    if !digest_ok && md.is_some() && doc_digest.is_some() {
        notes.push(
            "the digest of the signed byte ranges does not match: the document was changed"
                .to_owned(),
        );
    }
    digest_ok
}

/// contentType must be present and equal eContentType (RFC 5652 §11.1), which PAdES fixes
/// to id-data.
fn content_type_is_data(
    attrs: &Attributes,
    econtent_type: ObjectIdentifier,
    notes: &mut Vec<String>,
) -> bool {
    let ok = econtent_type == oid::ID_DATA
        && single_attr::<ObjectIdentifier>(attrs, oid::ID_CONTENT_TYPE) == Some(econtent_type);
    if !ok {
        notes
            .push("contentType attribute missing, or it or eContentType is not id-data".to_owned());
    }
    ok
}

/// The ESS signing-certificate-v2 attribute (RFC 5035), when present, names the embedded
/// signer certificate; its absence is only noted (PAdES baseline requires it).
fn signing_certificate_names_signer(
    attrs: &Attributes,
    signer: Option<&Certificate>,
    notes: &mut Vec<String>,
) -> bool {
    match single_attr::<SigningCertificateV2>(attrs, oid::ID_AA_SIGNING_CERTIFICATE_V2) {
        Some(ess) => {
            let ok = signer.is_some_and(|s| ess_names_cert(&ess, s));
            if !ok {
                notes.push(
                    "signing-certificate-v2 does not name the embedded signer certificate"
                        .to_owned(),
                );
            }
            ok
        }
        None => {
            notes.push(
                "no signing-certificate-v2 attribute (required by PAdES baseline)".to_owned(),
            );
            true
        }
    }
}

/// The signature value verifies with the signer's key over the signed attributes. The
/// signature covers the attributes' DER as a SET OF: the received bytes are checked, not a
/// re-encoding.
fn signature_over_attributes_verifies(
    signed: &Signed<'_>,
    cms_der: &[u8],
    notes: &mut Vec<String>,
) -> bool {
    let raw = raw_signed_attrs(cms_der);
    if raw.is_none() {
        notes.push("signed attributes could not be located".to_owned());
    }
    let (Some(key), Some(raw)) = (&signed.key, raw) else {
        return false;
    };
    let Some(scheme) = signature_scheme(signed.signer_info, notes) else {
        return false;
    };
    match key.verify(scheme, &raw, signed.signer_info.signature.as_bytes()) {
        Verdict::Valid => true,
        Verdict::Invalid => {
            notes.push("the CMS signature does not verify with the signer certificate".to_owned());
            false
        }
        Verdict::Unsupported(what) => {
            notes.push(format!("unsupported signature: {what}"));
            false
        }
    }
}

/// The SignerInfo's signature scheme; an unsupported one is noted.
fn signature_scheme(signer_info: &SignerInfo, notes: &mut Vec<String>) -> Option<SignatureScheme> {
    SignatureScheme::from_identifier(
        &signer_info.signature_algorithm,
        Some(signer_info.digest_alg.oid),
    )
    .map_err(|what| notes.push(format!("unsupported signature algorithm: {what}")))
    .ok()
}

/// Without signed attributes (not PAdES baseline) the signature is over the digest of the
/// ranges itself (RFC 5652 §5.4), so one check stands for both. `(digest_ok, signature_ok)`.
fn check_bare_signature(signed: &Signed<'_>, notes: &mut Vec<String>) -> (bool, bool) {
    notes.push("no signed attributes (not PAdES baseline)".to_owned());
    let (Some(key), Some(content)) = (&signed.key, signed.content) else {
        return (false, false);
    };
    let Some(scheme) = signature_scheme(signed.signer_info, notes) else {
        return (false, false);
    };
    // The signature's hash must be the digest algorithm the SignerInfo names.
    let same_hash =
        DigestAlgorithm::from_oid(signed.signer_info.digest_alg.oid) == Some(scheme.digest());
    let signature_ok = same_hash
        && key.verify(scheme, content, signed.signer_info.signature.as_bytes()) == Verdict::Valid;
    if !signature_ok {
        notes.push(
            "the CMS signature does not verify: the document was changed or the signature is forged"
                .to_owned(),
        );
    }
    (signature_ok, signature_ok)
}

// ------------------------------------------------------------ chain

/// The chain from the signer to a trust anchor at `at`: none is looked for without anchors.
fn chain_status(
    signer: Option<&Certificate>,
    embedded: &[Certificate],
    anchors: &[Certificate],
    at: Option<DateTime<Utc>>,
) -> ChainStatus {
    match signer {
        _ if anchors.is_empty() => ChainStatus::NoTrustAnchor,
        None => ChainStatus::NotTrusted(ChainProblem::SignerCertificateMissing),
        Some(s) => evaluate_chain(s, embedded, anchors, at),
    }
}

// ------------------------------------------------------------ helpers

pub(super) fn usize_range(start: u64, len: u64) -> Range<usize> {
    let s = usize::try_from(start).unwrap_or(usize::MAX);
    let e = usize::try_from(start.saturating_add(len)).unwrap_or(usize::MAX);
    s..e
}

/// The value of an attribute that must occur once with exactly one value.
pub(super) fn single_attr<T: for<'a> Decode<'a>>(
    attrs: &x509_cert::attr::Attributes,
    id: ObjectIdentifier,
) -> Option<T> {
    let mut matching = attrs.iter().filter(|a| a.oid == id);
    let attr = matching.next()?;
    if matching.next().is_some() || attr.values.len() != 1 {
        return None;
    }
    let der = attr.values.iter().next()?.to_der().ok()?;
    T::from_der(&der).ok()
}

pub(super) fn matches_sid(cert: &Certificate, sid: &SignerIdentifier) -> bool {
    match sid {
        SignerIdentifier::IssuerAndSerialNumber(ias) => {
            cert.tbs_certificate.issuer == ias.issuer
                && cert.tbs_certificate.serial_number == ias.serial_number
        }
        SignerIdentifier::SubjectKeyIdentifier(ski) => cert
            .tbs_certificate
            .extensions
            .as_ref()
            .and_then(|exts| {
                exts.iter()
                    .find(|e| e.extn_id == der::asn1::ObjectIdentifier::new_unwrap("2.5.29.14"))
            })
            .and_then(|e| SubjectKeyIdentifier::from_der(e.extn_value.as_bytes()).ok())
            .is_some_and(|k| &k == ski),
    }
}

/// RFC 5035 §5.4: the first ESSCertIDv2 must identify the signer
/// certificate (hash, and issuer/serial when present).
pub(super) fn ess_names_cert(ess: &SigningCertificateV2, cert: &Certificate) -> bool {
    let Some(first) = ess.certs.first() else {
        return false;
    };
    let Ok(der) = cert.to_der() else {
        return false;
    };
    let alg = first
        .hash_algorithm
        .as_ref()
        .map_or(oid::ID_SHA256, |a| a.oid);
    let Some(hash) = certs::sha2_digest(alg, &der) else {
        return false;
    };
    if first.cert_hash.as_bytes() != hash.as_slice() {
        return false;
    }
    match &first.issuer_serial {
        None => true,
        Some(is) => {
            is.serial_number == cert.tbs_certificate.serial_number
                && is.issuer.iter().any(|g| {
                    matches!(g, x509_cert::ext::pkix::name::GeneralName::DirectoryName(n) if *n == cert.tbs_certificate.issuer)
                })
        }
    }
}
