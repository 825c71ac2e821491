//! The chain from a signer certificate to a trust anchor.

use chrono::{DateTime, Utc};
use x509_cert::Certificate;

use super::{ChainProblem, ChainStatus, MAX_PATH};
use crate::certs::{self, CertSigError};

/// Builds the path signer → … → anchor (RFC 5280 §6.1, reduced to what a
/// closed demo PKI needs: issuer/subject chaining, signatures, validity at
/// `at`, CA flags). Revocation is out of scope for PAdES B-B.
pub(super) fn evaluate_chain(
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
