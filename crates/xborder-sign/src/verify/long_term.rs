//! Long-term validation: the document security store (PAdES B-LT) and what it says about
//! the certificates of each signature's and time-stamp's path at the time they provably
//! existed.
//!
//! Everything in the store must check out, not only what a path uses: every certificate
//! verifies against an issuer, every OCSP response and every CRL against the CA (or
//! delegated responder) that answers for it. The store is outside the signature's byte
//! range (ETSI EN 319 142-1 §5.4.3), so this is what notices a changed byte in it when no
//! document time-stamp covers it.

use std::fmt;

use chrono::{DateTime, Utc};
use der::Decode;
use x509_cert::Certificate;

use super::MAX_PATH;
use super::timestamp::every_certificate_verifies;
use crate::certs;
use crate::dss::{self, ValidationData};
use crate::pdf::document::Document;
use crate::revocation::{self, Evidence};

/// What was found in the document security store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationDataCheck {
    /// Certificates in the store.
    pub certificates: usize,
    /// OCSP responses in the store.
    pub ocsp_responses: usize,
    /// CRLs in the store.
    pub crls: usize,
    /// The store is as written and every item in it verifies.
    pub intact: bool,
    /// Why not.
    pub notes: Vec<String>,
}

/// Whether the certificates of a path were revoked when it was used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RevocationStatus {
    /// The file holds no validation data: revocation was not checked.
    NotChecked,
    /// Every certificate but the root has an OCSP response or CRL that speaks for the time
    /// and says it was not revoked then.
    NotRevoked {
        /// The time judged.
        at: DateTime<Utc>,
        /// `OCSP` or `CRL`, one per certificate checked.
        sources: Vec<&'static str>,
    },
    /// A certificate was revoked at or before the time judged.
    Revoked {
        /// Its subject.
        subject: String,
        /// When it was revoked.
        revoked_at: DateTime<Utc>,
    },
    /// No OCSP response or CRL in the file speaks for a certificate at the time judged.
    Unknown {
        /// Its subject.
        subject: String,
    },
}

impl RevocationStatus {
    /// Revoked before it was used: the signature cannot be trusted.
    pub fn is_revoked(&self) -> bool {
        matches!(self, RevocationStatus::Revoked { .. })
    }
}

impl fmt::Display for RevocationStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RevocationStatus::NotChecked => {
                write!(f, "not checked (no validation data in the file)")
            }
            RevocationStatus::NotRevoked { at, sources } => write!(
                f,
                "not revoked at {} ({} certificate(s), from the embedded {})",
                at.format("%Y-%m-%dT%H:%M:%SZ"),
                sources.len(),
                sources.join(", ")
            ),
            RevocationStatus::Revoked {
                subject,
                revoked_at,
            } => write!(
                f,
                "certificate `{subject}` was revoked at {}",
                revoked_at.format("%Y-%m-%dT%H:%M:%SZ")
            ),
            RevocationStatus::Unknown { subject } => write!(
                f,
                "no embedded OCSP response or CRL speaks for certificate `{subject}` at that time"
            ),
        }
    }
}

/// The store, parsed: its certificates and its raw answers.
#[derive(Debug, Default)]
pub(super) struct Store {
    pub certs: Vec<Certificate>,
    ocsps: Vec<Vec<u8>>,
    crls: Vec<Vec<u8>>,
    present: bool,
}

/// Reads and checks the store of `doc`. `embedded` are the certificates the signatures and
/// tokens carry, which may issue the store's.
pub(super) fn read_store(
    doc: &Document<'_>,
    anchors: &[Certificate],
) -> (Store, Option<ValidationDataCheck>) {
    let data = match dss::read(doc) {
        Ok(None) => return (Store::default(), None),
        Ok(Some(data)) => data,
        Err(reason) => {
            let check = ValidationDataCheck {
                certificates: 0,
                ocsp_responses: 0,
                crls: 0,
                intact: false,
                notes: vec![format!("the document security store is damaged: {reason}")],
            };
            return (
                Store {
                    present: true,
                    ..Store::default()
                },
                Some(check),
            );
        }
    };
    let ValidationData { certs, ocsps, crls } = data;
    let mut notes = Vec::new();
    let mut parsed = Vec::new();
    for der in &certs {
        match Certificate::from_der(der) {
            Ok(c) => parsed.push(c),
            Err(e) => notes.push(format!("a certificate in the store cannot be read: {e}")),
        }
    }
    let mut intact = notes.is_empty();
    intact &= every_certificate_verifies(&parsed, &parsed, anchors, &mut notes);
    let store = Store {
        certs: parsed,
        ocsps,
        crls,
        present: true,
    };
    intact &= answers_verify(&store, &mut notes);
    let check = ValidationDataCheck {
        certificates: certs.len(),
        ocsp_responses: store.ocsps.len(),
        crls: store.crls.len(),
        intact,
        notes,
    };
    (store, Some(check))
}

/// Every OCSP response answers, verifiably, for a certificate of the store, and every CRL is
/// verifiably issued by a CA of the store.
fn answers_verify(store: &Store, notes: &mut Vec<String>) -> bool {
    let mut ok = true;
    for der in &store.ocsps {
        let answers = store.certs.iter().any(|cert| {
            issuers(cert, &store.certs)
                .any(|issuer| revocation::check_ocsp(der, cert, issuer, &store.certs).is_ok())
        });
        if !answers {
            notes.push("an OCSP response in the store does not verify".into());
            ok = false;
        }
    }
    for der in &store.crls {
        if !store
            .certs
            .iter()
            .any(|ca| revocation::crl_issued_by(der, ca))
        {
            notes.push("a CRL in the store does not verify".into());
            ok = false;
        }
    }
    ok
}

/// The certificates in `pool` that verifiably issued `cert`.
fn issuers<'a>(
    cert: &'a Certificate,
    pool: &'a [Certificate],
) -> impl Iterator<Item = &'a Certificate> + 'a {
    pool.iter().filter(move |i| {
        i.tbs_certificate.subject == cert.tbs_certificate.issuer
            && certs::verify_issued_by(cert, i).is_ok()
    })
}

/// The path from `leaf` up through `pool` and `anchors` to a self-signed certificate or an
/// anchor, each step a verified issuer.
fn path(leaf: &Certificate, pool: &[Certificate], anchors: &[Certificate]) -> Vec<Certificate> {
    let all: Vec<Certificate> = pool.iter().chain(anchors).cloned().collect();
    let mut out = vec![leaf.clone()];
    while out.len() < MAX_PATH {
        let Some(current) = out.last() else { break };
        if anchors.contains(current) {
            break;
        }
        let next = issuers(current, &all).find(|i| !out.contains(i)).cloned();
        match next {
            Some(issuer) => out.push(issuer),
            None => break,
        }
    }
    out
}

/// What the store says of the path from `leaf` at `at`.
pub(super) fn revocation_status(
    leaf: &Certificate,
    carried: &[Certificate],
    store: &Store,
    anchors: &[Certificate],
    at: DateTime<Utc>,
) -> RevocationStatus {
    if !store.present {
        return RevocationStatus::NotChecked;
    }
    let mut pool = store.certs.clone();
    pool.extend(carried.iter().cloned());
    let chain = path(leaf, &pool, anchors);
    let mut sources = Vec::new();
    for pair in chain.windows(2) {
        let [cert, issuer] = pair else { continue };
        if revocation::no_check(cert) {
            continue;
        }
        let evidence: Vec<Evidence> = store
            .ocsps
            .iter()
            .filter_map(|der| {
                revocation::check_ocsp(der, cert, issuer, &pool)
                    .ok()
                    .map(|(e, _)| e)
            })
            .chain(
                store
                    .crls
                    .iter()
                    .filter_map(|der| revocation::check_crl(der, cert, issuer).ok()),
            )
            .filter(|e| e.covers(at))
            .collect();
        let revoked = evidence.iter().find_map(|e| match e.status {
            revocation::Status::Revoked(t) if t <= at => Some(t),
            _ => None,
        });
        if let Some(revoked_at) = revoked {
            return RevocationStatus::Revoked {
                subject: certs::subject_string(cert),
                revoked_at,
            };
        }
        match evidence.iter().find(|e| e.not_revoked_at(at)) {
            Some(e) => sources.push(e.source),
            None => {
                return RevocationStatus::Unknown {
                    subject: certs::subject_string(cert),
                };
            }
        }
    }
    RevocationStatus::NotRevoked { at, sources }
}

/// Whether the bytes of `data` after `from` are only validation data: exactly the update
/// that adds the file's document security store to the revision that ends at `from`, as
/// this tool writes it (ISO 32000-1 §7.5.6). Nothing signs that update, so it is compared
/// byte for byte with the one its data makes: a changed byte anywhere in it, or another
/// change riding along, is not validation data.
pub(super) fn only_validation_data_after(data: &[u8], from: usize) -> bool {
    let Some(signed) = data.get(..from) else {
        return false;
    };
    let Ok(Some(store)) = dss::read(&Document::scan(data)) else {
        return false;
    };
    dss::append(signed, &store).is_ok_and(|expected| expected == data)
}
