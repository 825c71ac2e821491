//! Verification of PDF signatures (ISO 32000-1 §12.8, PAdES ETSI EN 319
//! 142-1) on untrusted bytes.
//!
//! For each signature dictionary found anywhere in the file:
//! 1. /ByteRange must start at 0 and its gap must be *exactly* the /Contents
//!    hex string of that same dictionary, so no signed byte can hide in the
//!    gap and the dictionary itself is signed;
//! 2. bytes after the second range are an incremental update or trailing
//!    data: acceptable only when a later intact signature covers them,
//!    otherwise the document was modified after signing;
//! 3. the CMS (RFC 5652) is parsed, its messageDigest compared with the
//!    digest of the ranges, the ESS signing-certificate-v2 (RFC 5035) checked
//!    against the embedded signer certificate, and the ECDSA signature over
//!    the DER signed attributes verified with that certificate's key;
//! 4. a chain is built from the signer through the embedded certificates to
//!    a caller-given trust anchor (RFC 5280 §6, simplified: signatures,
//!    validity period, CA flag).
//!
//! Nothing here panics on arbitrary input: every slice access is checked.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;

use chrono::{DateTime, Utc};
use cms::cert::CertificateChoices;
use cms::content_info::{CmsVersion, ContentInfo};
use cms::signed_data::{SignedData, SignerIdentifier, SignerInfo};
use der::asn1::{ObjectIdentifier, OctetString};
use der::{Decode, Encode};
use x509_cert::Certificate;
use x509_cert::ext::pkix::SubjectKeyIdentifier;

use crate::certs::{self, CertSigError};
use crate::cms_build::SigningCertificateV2;
use crate::error::VerifyError;
use crate::oid;
use crate::pdf::document::{Document, find};
use crate::pdf::syntax::{Dict, ObjRef, Object};
use crate::pdf::text::{decode_text, parse_date};

/// Longest certificate path we try to build.
const MAX_PATH: usize = 8;

/// The result of [`verify_pdf`]: one entry per signature plus the report
/// metadata from the document information dictionary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    /// Size of the verified file in bytes.
    pub file_len: u64,
    /// Every signature found, in file order.
    pub signatures: Vec<SignatureCheck>,
    /// Entries of the (newest) /Info dictionary whose key starts with
    /// `Xborder`, e.g. `XborderReportId` → `R-1`. Trust them only when
    /// [`Verification::is_valid`] is true: otherwise they may come from an
    /// unsigned update.
    pub info: BTreeMap<String, String>,
    /// Whether a trust anchor was given (otherwise every chain status is
    /// [`ChainStatus::NoTrustAnchor`]).
    pub trust_anchor_given: bool,
}

impl Verification {
    /// True when there is at least one signature and every signature is
    /// intact (ByteRange, digest, CMS signature), nothing unsigned follows
    /// it, and — when a trust anchor was given — its chain reaches the anchor.
    pub fn is_valid(&self) -> bool {
        !self.signatures.is_empty()
            && self
                .signatures
                .iter()
                .all(|s| s.is_valid(self.trust_anchor_given))
    }
}

/// What follows the signed byte ranges of one signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Coverage {
    /// The second range ends at the end of the file: nothing was added.
    WholeFile,
    /// Bytes were appended, but all of them are covered by a later signature
    /// (a multi-signature workflow). `by` is the index into
    /// [`Verification::signatures`] of that signature.
    SignedLater {
        /// Index of the covering signature.
        by: usize,
        /// Number of bytes after this signature's range.
        appended: u64,
    },
    /// Bytes after the signed range are not covered by any later intact
    /// signature: an unsigned incremental update or trailing data. The
    /// document was modified after signing.
    ModifiedAfterSigning {
        /// Number of bytes after the signed range (0 if the range points
        /// beyond the end of the file, i.e. the file was truncated).
        appended: u64,
    },
}

/// Whether the signer certificate chains to the trust anchor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainStatus {
    /// Every certificate from the signer to the anchor verified and was
    /// valid at the validation time.
    Trusted {
        /// Subject of the trust anchor reached.
        anchor_subject: String,
        /// Number of certificates in the path, signer and anchor included.
        path_len: usize,
    },
    /// No trust anchor was given: the signature may be intact, but nothing
    /// says who the signer is ("untrusted signer").
    NoTrustAnchor,
    /// A trust anchor was given, but the chain does not reach it.
    NotTrusted(ChainProblem),
}

impl ChainStatus {
    /// True for [`ChainStatus::Trusted`].
    pub fn is_trusted(&self) -> bool {
        matches!(self, ChainStatus::Trusted { .. })
    }
}

impl fmt::Display for ChainStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChainStatus::Trusted {
                anchor_subject,
                path_len,
            } => write!(
                f,
                "trusted (chain of {path_len} certificate(s) to `{anchor_subject}`)"
            ),
            ChainStatus::NoTrustAnchor => {
                write!(f, "untrusted signer (no trust anchor given)")
            }
            ChainStatus::NotTrusted(p) => write!(f, "not trusted: {p}"),
        }
    }
}

/// Why a chain does not reach the trust anchor.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ChainProblem {
    /// The signer certificate is not embedded in the signature.
    SignerCertificateMissing,
    /// No embedded or anchor certificate issued (and verifiably signed) this
    /// certificate.
    NoPathToAnchor {
        /// Subject of the last certificate reached.
        last_subject: String,
    },
    /// A certificate on the path was not valid at the validation time.
    CertificateNotValidAt {
        /// Its subject.
        subject: String,
        /// The validation time.
        at: DateTime<Utc>,
    },
    /// An issuing certificate is not a CA (basicConstraints/keyUsage).
    IssuerNotCa {
        /// Its subject.
        subject: String,
    },
    /// The signer certificate's keyUsage does not allow signatures.
    SignerKeyUsage,
    /// A certificate signature uses an algorithm this verifier does not
    /// implement (only ECDSA P-256 with SHA-2).
    UnsupportedAlgorithm {
        /// Subject of the certificate whose signature could not be checked.
        subject: String,
    },
    /// The path is longer than this verifier follows.
    PathTooLong,
}

impl fmt::Display for ChainProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChainProblem::SignerCertificateMissing => {
                write!(f, "the signer certificate is not embedded in the signature")
            }
            ChainProblem::NoPathToAnchor { last_subject } => write!(
                f,
                "chain does not reach the trust anchor (no trusted issuer found for `{last_subject}`)"
            ),
            ChainProblem::CertificateNotValidAt { subject, at } => {
                write!(f, "certificate `{subject}` is not valid at {at}")
            }
            ChainProblem::IssuerNotCa { subject } => {
                write!(f, "issuer `{subject}` is not a CA certificate")
            }
            ChainProblem::SignerKeyUsage => write!(
                f,
                "the signer certificate's keyUsage allows neither digitalSignature nor nonRepudiation"
            ),
            ChainProblem::UnsupportedAlgorithm { subject } => write!(
                f,
                "the signature on certificate `{subject}` uses an unsupported algorithm"
            ),
            ChainProblem::PathTooLong => {
                write!(f, "certificate path longer than {MAX_PATH} certificates")
            }
        }
    }
}

/// Everything checked about one signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureCheck {
    /// Object number of the signature dictionary.
    pub object: u32,
    /// /T of the signature field pointing at this signature, if any.
    pub field_name: Option<String>,
    /// /SubFilter, e.g. `ETSI.CAdES.detached`.
    pub sub_filter: Option<String>,
    /// Signer certificate subject (RFC 4514 string), if the certificate is
    /// embedded.
    pub signer_subject: Option<String>,
    /// Signer certificate commonName.
    pub signer_common_name: Option<String>,
    /// SHA-256 fingerprint of the signer certificate, lowercase hex.
    pub cert_sha256: Option<String>,
    /// Signer certificate validity period (notBefore, notAfter).
    pub cert_validity: Option<(DateTime<Utc>, DateTime<Utc>)>,
    /// /M of the signature dictionary (claimed, not attested, in B-B).
    pub signing_time: Option<DateTime<Utc>>,
    /// /Name, /Reason, /Location of the signature dictionary.
    pub name: Option<String>,
    /// See [`SignatureCheck::name`].
    pub reason: Option<String>,
    /// See [`SignatureCheck::name`].
    pub location: Option<String>,
    /// The /ByteRange as found.
    pub byte_range: [u64; 4],
    /// /ByteRange starts at 0, stays in the file, and its gap is exactly the
    /// /Contents hex string (angle brackets included) of this dictionary.
    pub byte_range_ok: bool,
    /// What follows the signed ranges.
    pub coverage: Coverage,
    /// The CMS messageDigest equals the digest of the signed ranges.
    pub digest_ok: bool,
    /// The CMS signature verifies with the signer certificate's key (and the
    /// ESS signing-certificate-v2 attribute, if present, names that
    /// certificate).
    pub signature_ok: bool,
    /// Chain to the trust anchor.
    pub chain: ChainStatus,
    /// Human-readable explanations of failed checks and notable deviations
    /// from PAdES baseline B-B.
    pub notes: Vec<String>,
}

impl SignatureCheck {
    /// ByteRange, digest and signature all check out.
    pub fn is_intact(&self) -> bool {
        self.byte_range_ok && self.digest_ok && self.signature_ok
    }

    /// True if bytes not covered by any signature follow this signature.
    pub fn modified_after_signing(&self) -> bool {
        matches!(self.coverage, Coverage::ModifiedAfterSigning { .. })
    }

    /// The /ByteRange covers the whole file except the /Contents string.
    pub fn covers_whole_file(&self) -> bool {
        self.byte_range_ok && self.coverage == Coverage::WholeFile
    }

    /// Intact, not modified after signing, and trusted if `anchor_given`.
    pub fn is_valid(&self, anchor_given: bool) -> bool {
        self.is_intact()
            && !self.modified_after_signing()
            && (!anchor_given || self.chain.is_trusted())
    }
}

/// Verifies every signature in `bytes`.
///
/// `trust_pem` holds one or more trust anchor certificates (PEM); without it
/// chains are reported as [`ChainStatus::NoTrustAnchor`]. Certificate
/// validity is checked at `now` when given, otherwise at each signature's
/// claimed signing time (/M).
///
/// # Errors
/// [`VerifyError`] when the input is unusable: not a PDF, no signature, a
/// malformed signature dictionary or CMS, or an unreadable trust anchor.
/// Failed checks on readable signatures are reported in the result instead.
pub fn verify_pdf(
    bytes: &[u8],
    trust_pem: Option<&str>,
    now: Option<DateTime<Utc>>,
) -> Result<Verification, VerifyError> {
    let head = bytes.get(..bytes.len().min(1024)).unwrap_or_default();
    if find(head, b"%PDF-").is_none() {
        return Err(VerifyError::NotPdf);
    }
    let anchors = match trust_pem {
        Some(pem) => certs::parse_certificates(pem)
            .map_err(|reason| VerifyError::InvalidTrustAnchor { reason })?,
        None => Vec::new(),
    };
    let doc = Document::scan(bytes);
    let fields = signature_fields(&doc);

    let mut checks = Vec::new();
    for obj in &doc.objects {
        let Some(dict) = obj.object.as_dict() else {
            continue;
        };
        if dict.get(b"ByteRange").is_none() || dict.get(b"Contents").is_none() {
            continue;
        }
        let mut check = check_signature(bytes, obj.id, dict, &anchors, now)?;
        check.field_name = fields.get(&obj.id).cloned();
        checks.push(check);
    }
    if checks.is_empty() {
        let tail = bytes
            .get(bytes.len().saturating_sub(1024)..)
            .unwrap_or_default();
        if find(tail, b"%%EOF").is_none() {
            return Err(VerifyError::Truncated {
                len: bytes.len() as u64,
            });
        }
        return Err(VerifyError::NoSignature {
            objects: doc.objects.len(),
        });
    }
    resolve_coverage(&mut checks, bytes.len() as u64);

    Ok(Verification {
        file_len: bytes.len() as u64,
        signatures: checks,
        info: xborder_info(&doc),
        trust_anchor_given: !anchors.is_empty(),
    })
}

/// Maps signature dictionaries to the /T of the field whose /V points at
/// them.
fn signature_fields(doc: &Document<'_>) -> BTreeMap<ObjRef, String> {
    let mut out = BTreeMap::new();
    for o in &doc.objects {
        let Some(d) = o.object.as_dict() else {
            continue;
        };
        if !d.name_is(b"FT", b"Sig") {
            continue;
        }
        if let (Some(v), Some(t)) = (
            d.get(b"V").and_then(Object::as_ref),
            d.get(b"T").and_then(Object::as_str),
        ) {
            out.insert(v, decode_text(t));
        }
    }
    out
}

fn xborder_info(doc: &Document<'_>) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let Some(trailer) = doc.trailer_lenient() else {
        return out;
    };
    let Some(info) = trailer
        .get(b"Info")
        .and_then(|i| doc.deref(i))
        .and_then(Object::as_dict)
    else {
        return out;
    };
    for e in &info.entries {
        if !e.key.starts_with(b"Xborder") {
            continue;
        }
        let value = match &e.value {
            Object::Str(s) => decode_text(s),
            Object::Name(n) | Object::Real(n) => String::from_utf8_lossy(n).into_owned(),
            Object::Int(i) => i.to_string(),
            Object::Bool(b) => b.to_string(),
            _ => continue,
        };
        out.insert(String::from_utf8_lossy(&e.key).into_owned(), value);
    }
    out
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

fn text_entry(dict: &Dict, key: &[u8]) -> Option<String> {
    dict.get(key).and_then(Object::as_str).map(decode_text)
}

fn check_signature(
    data: &[u8],
    id: ObjRef,
    dict: &Dict,
    anchors: &[Certificate],
    now: Option<DateTime<Utc>>,
) -> Result<SignatureCheck, VerifyError> {
    let n = id.num;
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
    let span = contents_entry.span.clone();

    let mut notes = Vec::new();
    let file_len = data.len() as u64;
    let [a0, a_len, b0, b_len] = byte_range;
    let a_end = a0.checked_add(a_len);
    let b_end = b0.checked_add(b_len);

    // 1. Range structure.
    let is_hex = data.get(span.start) == Some(&b'<');
    let mut byte_range_ok = true;
    if a0 != 0 {
        byte_range_ok = false;
        notes.push("/ByteRange does not start at offset 0".to_owned());
    }
    if a_end != Some(span.start as u64) || b0 != span.end as u64 || !is_hex {
        byte_range_ok = false;
        notes.push(
            "the /ByteRange gap is not exactly this signature's /Contents hex string".to_owned(),
        );
    }
    let in_file = matches!((a_end, b_end), (Some(ae), Some(be)) if ae <= b0 && be <= file_len);
    if !in_file {
        byte_range_ok = false;
        notes.push("/ByteRange points outside the file or its ranges overlap".to_owned());
    }
    let coverage = match b_end {
        Some(end) if end == file_len => Coverage::WholeFile,
        Some(end) if end < file_len => Coverage::ModifiedAfterSigning {
            appended: file_len - end,
        },
        _ => Coverage::ModifiedAfterSigning { appended: 0 },
    };

    // 2. The CMS.
    let der_len = der_total_len(contents).ok_or_else(|| {
        bad_cms(
            n,
            "/Contents does not hold a DER-encoded structure (empty placeholder?)",
        )
    })?;
    let cms_der = contents.get(..der_len).unwrap_or_default();
    if contents
        .get(der_len..)
        .is_some_and(|rest| rest.iter().any(|&b| b != 0))
    {
        notes.push("non-zero bytes follow the CMS structure in /Contents".to_owned());
    }
    let content_info = ContentInfo::from_der(cms_der)
        .map_err(|e| bad_cms(n, format!("not a CMS ContentInfo: {e}")))?;
    if content_info.content_type != oid::ID_SIGNED_DATA {
        return Err(bad_cms(n, "the CMS content is not SignedData"));
    }
    let signed_data: SignedData = content_info
        .content
        .decode_as()
        .map_err(|e| bad_cms(n, format!("SignedData cannot be decoded: {e}")))?;
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
    let embedded: Vec<Certificate> = signed_data
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
        .unwrap_or_default();
    let signer = embedded.iter().find(|c| matches_sid(c, &signer_info.sid));

    // Document digest with the SignerInfo's digest algorithm.
    let digest_alg = signer_info.digest_alg.oid;
    let doc_digest = if in_file {
        let a = data.get(usize_range(a0, a_len)).unwrap_or_default();
        let b = data.get(usize_range(b0, b_len)).unwrap_or_default();
        let mut joined = Vec::with_capacity(a.len() + b.len());
        joined.extend_from_slice(a);
        joined.extend_from_slice(b);
        certs::sha2_digest(digest_alg, &joined)
    } else {
        None
    };
    if doc_digest.is_none() && in_file {
        notes.push(format!("unsupported digest algorithm {digest_alg}"));
    }

    let mut digest_ok = false;
    let mut signature_ok = false;
    let sig_alg = signer_info.signature_algorithm.oid;
    let key = signer.and_then(certs::p256_key);
    if signer.is_none() {
        notes.push("the signer certificate is not embedded in the CMS".to_owned());
    } else if key.is_none() {
        notes.push("the signer certificate does not hold a P-256 key (unsupported)".to_owned());
    }
    let hash_alg = if sig_alg == oid::ID_EC_PUBLIC_KEY {
        digest_alg
    } else {
        sig_alg
    };

    match &signer_info.signed_attrs {
        Some(attrs) => {
            // messageDigest (RFC 5652 §11.2) and contentType (§11.1).
            let md = single_attr::<OctetString>(attrs, oid::ID_MESSAGE_DIGEST);
            match (&md, &doc_digest) {
                (Some(md), Some(d)) => digest_ok = md.as_bytes() == d.as_slice(),
                (None, _) => notes.push("no (single) messageDigest attribute".to_owned()),
                _ => {}
            }
            if !digest_ok && md.is_some() && doc_digest.is_some() {
                notes.push(
                    "the digest of the signed byte ranges does not match: the document was changed"
                        .to_owned(),
                );
            }
            // contentType must be present and equal eContentType (RFC 5652
            // §11.1), which PAdES fixes to id-data.
            let econtent_type = signed_data.encap_content_info.econtent_type;
            let content_type_ok = econtent_type == oid::ID_DATA
                && single_attr::<ObjectIdentifier>(attrs, oid::ID_CONTENT_TYPE)
                    == Some(econtent_type);
            if !content_type_ok {
                notes.push(
                    "contentType attribute missing, or it or eContentType is not id-data"
                        .to_owned(),
                );
            }
            if attrs.iter().any(|a| a.oid == oid::ID_SIGNING_TIME) {
                notes.push("signing-time attribute present (PAdES puts the time in /M)".to_owned());
            }
            let ess_ok =
                match single_attr::<SigningCertificateV2>(attrs, oid::ID_AA_SIGNING_CERTIFICATE_V2)
                {
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
                            "no signing-certificate-v2 attribute (required by PAdES baseline)"
                                .to_owned(),
                        );
                        true
                    }
                };
            // The signature covers the attributes' DER as a SET OF: take
            // the received bytes, not a re-encoding.
            let raw = raw_signed_attrs(cms_der);
            if raw.is_none() {
                notes.push("signed attributes could not be located".to_owned());
            }
            if let (Some(key), Some(raw)) = (&key, raw) {
                match certs::sha2_digest(hash_alg, &raw) {
                    Some(h) => {
                        let crypto_ok =
                            certs::verify_ecdsa_prehash(key, &h, signer_info.signature.as_bytes());
                        if !crypto_ok {
                            notes.push(
                                "the CMS signature does not verify with the signer certificate"
                                    .to_owned(),
                            );
                        }
                        signature_ok = crypto_ok && ess_ok && content_type_ok;
                    }
                    None => notes.push(format!("unsupported signature algorithm {sig_alg}")),
                }
            }
        }
        None => {
            // Without signed attributes the signature is over the content
            // digest itself (RFC 5652 §5.4).
            notes.push("no signed attributes (not PAdES baseline)".to_owned());
            if let (Some(key), Some(d)) = (&key, &doc_digest) {
                let same_hash =
                    sig_alg == oid::ID_EC_PUBLIC_KEY || digest_alg_matches(sig_alg, digest_alg);
                signature_ok = same_hash
                    && certs::verify_ecdsa_prehash(key, d, signer_info.signature.as_bytes());
                if !signature_ok {
                    notes.push(
                        "the CMS signature does not verify: the document was changed or the signature is forged"
                            .to_owned(),
                    );
                }
                digest_ok = signature_ok;
            }
        }
    }

    // 3. Chain.
    let signing_time = dict.get(b"M").and_then(Object::as_str).and_then(parse_date);
    let at = now.or(signing_time);
    let chain = match signer {
        _ if anchors.is_empty() => ChainStatus::NoTrustAnchor,
        None => ChainStatus::NotTrusted(ChainProblem::SignerCertificateMissing),
        Some(s) => evaluate_chain(s, &embedded, anchors, at),
    };

    Ok(SignatureCheck {
        object: n,
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
        byte_range,
        byte_range_ok,
        coverage,
        digest_ok,
        signature_ok,
        chain,
        notes,
    })
}

/// For signatures without signed attributes: the ECDSA hash must be the
/// digest algorithm.
fn digest_alg_matches(sig_alg: ObjectIdentifier, digest_alg: ObjectIdentifier) -> bool {
    (sig_alg == oid::ECDSA_WITH_SHA256 && digest_alg == oid::ID_SHA256)
        || (sig_alg == oid::ECDSA_WITH_SHA384 && digest_alg == oid::ID_SHA384)
        || (sig_alg == oid::ECDSA_WITH_SHA512 && digest_alg == oid::ID_SHA512)
}

fn usize_range(start: u64, len: u64) -> Range<usize> {
    let s = usize::try_from(start).unwrap_or(usize::MAX);
    let e = usize::try_from(start.saturating_add(len)).unwrap_or(usize::MAX);
    s..e
}

/// The value of an attribute that must occur once with exactly one value.
fn single_attr<T: for<'a> Decode<'a>>(
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

fn matches_sid(cert: &Certificate, sid: &SignerIdentifier) -> bool {
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
fn ess_names_cert(ess: &SigningCertificateV2, cert: &Certificate) -> bool {
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

/// Marks signatures whose trailing bytes are covered by a later intact
/// signature that reaches the end of the file.
fn resolve_coverage(checks: &mut [SignatureCheck], file_len: u64) {
    let coverers: Vec<(usize, u64)> = checks
        .iter()
        .enumerate()
        .filter(|(_, c)| c.is_intact() && c.coverage == Coverage::WholeFile)
        .map(|(i, c)| (i, c.byte_range.get(1).copied().unwrap_or(0)))
        .collect();
    for c in checks.iter_mut() {
        let Coverage::ModifiedAfterSigning { appended } = c.coverage else {
            continue;
        };
        let [_, _, b0, b_len] = c.byte_range;
        let Some(end) = b0
            .checked_add(b_len)
            .filter(|&e| e <= file_len && appended > 0)
        else {
            continue;
        };
        // The covering signature's gap must start after this signature's
        // signed data ends, so its first range includes all of it.
        if let Some((by, _)) = coverers.iter().find(|(_, gap)| *gap >= end) {
            c.coverage = Coverage::SignedLater { by: *by, appended };
        }
    }
}

/// Builds the path signer → … → anchor (RFC 5280 §6.1, reduced to what a
/// closed demo PKI needs: issuer/subject chaining, signatures, validity at
/// `at`, CA flags). Revocation is out of scope for PAdES B-B.
fn evaluate_chain(
    signer: &Certificate,
    embedded: &[Certificate],
    anchors: &[Certificate],
    at: Option<DateTime<Utc>>,
) -> ChainStatus {
    if !certs::allows_document_signing(signer) {
        return ChainStatus::NotTrusted(ChainProblem::SignerKeyUsage);
    }
    let mut path: Vec<&Certificate> = vec![signer];
    let mut current = signer;
    for _ in 0..MAX_PATH {
        if let Some(at) = at {
            let valid = certs::validity(current).is_some_and(|(nb, na)| nb <= at && at <= na);
            if !valid {
                return ChainStatus::NotTrusted(ChainProblem::CertificateNotValidAt {
                    subject: certs::subject_string(current),
                    at,
                });
            }
        }
        if anchors.contains(current) {
            return ChainStatus::Trusted {
                anchor_subject: certs::subject_string(current),
                path_len: path.len(),
            };
        }
        let mut unsupported = false;
        let mut issuer = None;
        for cand in anchors.iter().chain(embedded.iter()) {
            if cand.tbs_certificate.subject != current.tbs_certificate.issuer
                || path.contains(&cand)
            {
                continue;
            }
            match certs::verify_issued_by(current, cand) {
                Ok(()) => {
                    issuer = Some(cand);
                    break;
                }
                Err(CertSigError::Unsupported) => unsupported = true,
                Err(CertSigError::Invalid) => {}
            }
        }
        let Some(issuer) = issuer else {
            return ChainStatus::NotTrusted(if unsupported {
                ChainProblem::UnsupportedAlgorithm {
                    subject: certs::subject_string(current),
                }
            } else {
                ChainProblem::NoPathToAnchor {
                    last_subject: certs::subject_string(current),
                }
            });
        };
        if !certs::is_ca(issuer) {
            return ChainStatus::NotTrusted(ChainProblem::IssuerNotCa {
                subject: certs::subject_string(issuer),
            });
        }
        path.push(issuer);
        current = issuer;
    }
    ChainStatus::NotTrusted(ChainProblem::PathTooLong)
}

// ------------------------------------------------------------ raw DER walk

/// (tag, content range) of the definite-length TLV at `pos` (DER only:
/// single-byte tags, at most 4 length bytes).
fn tlv(data: &[u8], pos: usize) -> Option<(u8, Range<usize>)> {
    let tag = *data.get(pos)?;
    if tag & 0x1f == 0x1f {
        return None;
    }
    let first = *data.get(pos.checked_add(1)?)?;
    let (len, header) = if first < 0x80 {
        (usize::from(first), 2usize)
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 4 {
            return None;
        }
        let mut len = 0usize;
        for i in 0..n {
            let b = *data.get(pos.checked_add(2 + i)?)?;
            len = len.checked_mul(256)?.checked_add(usize::from(b))?;
        }
        (len, 2 + n)
    };
    let start = pos.checked_add(header)?;
    let end = start.checked_add(len)?;
    (end <= data.len()).then_some((tag, start..end))
}

/// Length of the DER value at the start of `data` (header included).
fn der_total_len(data: &[u8]) -> Option<usize> {
    tlv(data, 0).map(|(_, r)| r.end)
}

/// Children of a constructed TLV's content: (tag, full range).
fn children(data: &[u8], content: Range<usize>) -> Option<Vec<(u8, Range<usize>)>> {
    let mut out = Vec::new();
    let mut pos = content.start;
    while pos < content.end {
        let (tag, r) = tlv(data, pos)?;
        if r.end > content.end {
            return None;
        }
        out.push((tag, pos..r.end));
        pos = r.end;
    }
    Some(out)
}

fn content_of(data: &[u8], full: &Range<usize>) -> Option<Range<usize>> {
    tlv(data, full.start).map(|(_, r)| r)
}

/// The signed attributes of the single SignerInfo exactly as encoded, with
/// the `[0] IMPLICIT` tag replaced by the SET OF tag (RFC 5652 §5.4).
fn raw_signed_attrs(cms: &[u8]) -> Option<Vec<u8>> {
    let (_, ci) = tlv(cms, 0)?;
    let ci_kids = children(cms, ci)?;
    let (_, explicit) = ci_kids.get(1)?;
    let sd_full = children(cms, content_of(cms, explicit)?)?
        .into_iter()
        .next()?
        .1;
    let sd_kids = children(cms, content_of(cms, &sd_full)?)?;
    let (tag, signer_infos) = sd_kids.last()?;
    if *tag != 0x31 {
        return None;
    }
    let si = children(cms, content_of(cms, signer_infos)?)?
        .into_iter()
        .next()?
        .1;
    let si_kids = children(cms, content_of(cms, &si)?)?;
    let (tag, attrs) = si_kids.get(3)?;
    if *tag != 0xA0 {
        return None;
    }
    let mut raw = cms.get(attrs.clone())?.to_vec();
    *raw.first_mut()? = 0x31;
    Some(raw)
}
