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
//!    against the embedded signer certificate, and the signature (ECDSA
//!    P-256/P-384, RSA PKCS#1 v1.5 or PSS) over the DER signed attributes
//!    verified with that certificate's key;
//! 4. a chain is built from the signer through the embedded certificates to
//!    a caller-given trust anchor (RFC 5280 §6, simplified: signatures,
//!    validity period, CA flag).
//!
//! Nothing here panics on arbitrary input: every slice access is checked.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, Utc};

use crate::certs;
use crate::error::VerifyError;
use crate::pdf::document::{Document, find};
use crate::pdf::syntax::{ObjRef, Object};
use crate::pdf::text::decode_text;

mod chain;
mod der_walk;
mod doc_time_stamp;
mod long_term;
mod signature;
pub(crate) mod timestamp;

use doc_time_stamp::{check_document_time_stamp, is_document_time_stamp};
use long_term::{only_validation_data_after, read_store};

pub(crate) use der_walk::der_total_len;
pub use long_term::{RevocationStatus, ValidationDataCheck};
pub use timestamp::TimeStampCheck;

use signature::check_signature;

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
    /// The document security store (PAdES B-LT), when the file has one.
    pub validation_data: Option<ValidationDataCheck>,
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
            && self.validation_data.as_ref().is_none_or(|v| v.intact)
    }

    /// The PAdES baseline level the file reaches (ETSI EN 319 142-1 §6): B-B for a
    /// signature, B-T with a valid signature time-stamp, B-LT when the validation data
    /// establishes the status of its certificates, B-LTA when a document time-stamp covers
    /// that. `None` when it is not valid.
    pub fn pades_level(&self) -> Option<&'static str> {
        if !self.is_valid() {
            return None;
        }
        let signatures = || {
            self.signatures
                .iter()
                .filter(|s| s.kind == SignatureKind::Signature)
        };
        signatures().next()?;
        if !signatures().all(|s| s.time_stamp.is_some()) {
            return Some("B-B");
        }
        let established = |s: &SignatureCheck| {
            matches!(s.revocation, RevocationStatus::NotRevoked { .. })
                && s.time_stamp
                    .as_ref()
                    .is_some_and(|t| matches!(t.revocation, RevocationStatus::NotRevoked { .. }))
        };
        if !signatures().all(established) {
            return Some("B-T");
        }
        let archived = self.signatures.iter().any(|s| {
            s.kind == SignatureKind::DocumentTimeStamp && s.coverage == Coverage::WholeFile
        });
        Some(if archived { "B-LTA" } else { "B-LT" })
    }
}

/// What a signature dictionary is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureKind {
    /// A signature (`/Type /Sig`).
    Signature,
    /// A document time-stamp (`/Type /DocTimeStamp`, PAdES B-LTA).
    DocumentTimeStamp,
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
    /// Bytes were appended, but they only add validation data (a document security store,
    /// PAdES B-LT), which a signature cannot cover; the store is checked on its own.
    ValidationDataAdded {
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
    /// implement (ECDSA P-256/P-384 and RSA PKCS#1 v1.5/PSS with SHA-2 are).
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
    /// A signature or a document time-stamp.
    pub kind: SignatureKind,
    /// The signature time-stamp (PAdES B-T), or for a document time-stamp its token.
    pub time_stamp: Option<TimeStampCheck>,
    /// Whether the signer's path was revoked at the time judged, by the file's validation
    /// data.
    pub revocation: RevocationStatus,
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
    /// The signature algorithm and the signer's key, in words (`ECDSA with SHA-256 on a
    /// P-256 key`): what an auditor weighs the signature's strength by (ETSI TS 119 312).
    /// For a document time-stamp, the TSA's. `None` when the SignerInfo names no algorithm
    /// this tool knows (a note says which).
    pub algorithm: Option<String>,
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
            && self
                .time_stamp
                .as_ref()
                .is_none_or(|t| t.is_valid(anchor_given))
            && !self.revocation.is_revoked()
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
    let (store, validation_data) = read_store(&doc, &anchors);

    let mut checks = Vec::new();
    for obj in &doc.objects {
        let Some(dict) = obj.object.as_dict() else {
            continue;
        };
        if dict.get(b"ByteRange").is_none() || dict.get(b"Contents").is_none() {
            continue;
        }
        let mut check = if is_document_time_stamp(dict) {
            check_document_time_stamp(bytes, obj.id, dict, &anchors, &store)?
        } else {
            check_signature(bytes, obj.id, dict, &anchors, &store, now)?
        };
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
    accept_validation_data(&mut checks, bytes);

    Ok(Verification {
        file_len: bytes.len() as u64,
        signatures: checks,
        info: xborder_info(&doc),
        trust_anchor_given: !anchors.is_empty(),
        validation_data,
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

/// Signatures followed only by validation data (PAdES B-LT) are not modified after signing.
fn accept_validation_data(checks: &mut [SignatureCheck], bytes: &[u8]) {
    for c in checks.iter_mut() {
        let Coverage::ModifiedAfterSigning { appended } = c.coverage else {
            continue;
        };
        let [_, _, b0, b_len] = c.byte_range;
        let Some(end) = b0.checked_add(b_len).and_then(|e| usize::try_from(e).ok()) else {
            continue;
        };
        if appended > 0 && c.byte_range_ok && only_validation_data_after(bytes, end) {
            c.coverage = Coverage::ValidationDataAdded { appended };
        }
    }
}
