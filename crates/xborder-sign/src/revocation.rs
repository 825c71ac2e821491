//! Revocation data: OCSP responses (RFC 6960) and CRLs (RFC 5280 §5), fetched when a PAdES
//! B-LT signature is made and checked when it is verified.
//!
//! A signature whose certificate is later revoked or expires can still be judged, years on,
//! if the file holds proof of the certificate's status at the time the signature provably
//! existed (its time-stamp): ETSI EN 319 142-1 §5.4.3 puts that proof, with the
//! certificates it needs, in the document security store (DSS, ISO 32000-2 §12.8.4.3). For
//! each certificate of a path that is not a trust anchor, the OCSP responder named in its
//! authority information access is asked first; without one, its CRL distribution point.
//!
//! A response is evidence only when its signature verifies: an OCSP response by the issuing
//! CA or by a responder it delegated (extended key usage `id-kp-OCSPSigning`, RFC 6960
//! §4.2.2.2), a CRL by the issuing CA.

use chrono::{DateTime, Utc};
use der::Sequence;
use der::asn1::{Any, BitString};
use der::asn1::{Null, OctetString};
use der::{Decode, Encode};
use sha1::{Digest, Sha1};
use spki::AlgorithmIdentifierOwned;
use x509_cert::Certificate;
use x509_cert::crl::CertificateList;
use x509_cert::ext::Extensions;
use x509_cert::ext::pkix::name::{DistributionPointName, GeneralName};
use x509_cert::ext::pkix::{AuthorityInfoAccessSyntax, CrlDistributionPoints, ExtendedKeyUsage};
use x509_ocsp::{
    CertId, OcspRequest, OcspResponse, OcspResponseStatus, Request, ResponderId, TbsRequest,
    Version,
};

use crate::certs;
use crate::oid;

/// What a piece of revocation data says about one certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Status {
    /// Not revoked when the data was issued.
    Good,
    /// Revoked at this time.
    Revoked(DateTime<Utc>),
    /// The responder does not know the certificate.
    Unknown,
}

/// A verified answer about one certificate, with the period it speaks for.
#[derive(Debug, Clone)]
pub(crate) struct Evidence {
    pub status: Status,
    /// `thisUpdate` of the OCSP SingleResponse or the CRL.
    pub this_update: DateTime<Utc>,
    /// `nextUpdate`, when given.
    pub next_update: Option<DateTime<Utc>>,
    /// `OCSP` or `CRL`.
    pub source: &'static str,
}

impl Evidence {
    /// Whether this evidence speaks for `at`: issued at or after it, or valid over it
    /// (thisUpdate ≤ at ≤ nextUpdate).
    pub fn covers(&self, at: DateTime<Utc>) -> bool {
        self.this_update >= at
            || self
                .next_update
                .is_some_and(|n| self.this_update <= at && at <= n)
    }

    /// Not revoked at `at`: good, or revoked only after it.
    pub fn not_revoked_at(&self, at: DateTime<Utc>) -> bool {
        match self.status {
            Status::Good => true,
            Status::Revoked(when) => when > at,
            Status::Unknown => false,
        }
    }
}

fn extension(cert: &Certificate, id: der::asn1::ObjectIdentifier) -> Option<&[u8]> {
    cert.tbs_certificate
        .extensions
        .iter()
        .flatten()
        .find(|e| e.extn_id == id)
        .map(|e| e.extn_value.as_bytes())
}

fn uri(name: &GeneralName) -> Option<String> {
    match name {
        GeneralName::UniformResourceIdentifier(u) => Some(u.as_str().to_owned()),
        _ => None,
    }
}

/// The OCSP responder URLs of the certificate's authority information access (RFC 5280
/// §4.2.2.1).
pub(crate) fn ocsp_urls(cert: &Certificate) -> Vec<String> {
    extension(cert, oid::ID_PE_AUTHORITY_INFO_ACCESS)
        .and_then(|v| AuthorityInfoAccessSyntax::from_der(v).ok())
        .map(|aia| {
            aia.0
                .iter()
                .filter(|d| d.access_method == oid::ID_AD_OCSP)
                .filter_map(|d| uri(&d.access_location))
                .collect()
        })
        .unwrap_or_default()
}

/// The URLs of the certificate's CRL distribution points (RFC 5280 §4.2.1.13).
pub(crate) fn crl_urls(cert: &Certificate) -> Vec<String> {
    extension(cert, oid::ID_CE_CRL_DISTRIBUTION_POINTS)
        .and_then(|v| CrlDistributionPoints::from_der(v).ok())
        .map(|dps| {
            dps.0
                .iter()
                .filter_map(|dp| match &dp.distribution_point {
                    Some(DistributionPointName::FullName(names)) => Some(names),
                    _ => None,
                })
                .flatten()
                .filter_map(uri)
                .collect()
        })
        .unwrap_or_default()
}

/// Whether the certificate says its status need not be checked: `id-pkix-ocsp-nocheck`
/// (RFC 6960 §4.2.2.2.1), as delegated OCSP responders carry.
pub(crate) fn no_check(cert: &Certificate) -> bool {
    extension(
        cert,
        der::asn1::ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.48.1.5"),
    )
    .is_some()
}

/// The OCSP CertID of `cert` issued by `issuer`, with SHA-1 as RFC 5019 §2.1.1 has
/// responders expect (the hashes only identify; they protect nothing).
fn cert_id(issuer: &Certificate, cert: &Certificate) -> Result<CertId, der::Error> {
    let name = issuer.tbs_certificate.subject.to_der()?;
    let key = issuer
        .tbs_certificate
        .subject_public_key_info
        .subject_public_key
        .raw_bytes();
    Ok(CertId {
        hash_algorithm: AlgorithmIdentifierOwned {
            oid: oid::ID_SHA1,
            parameters: Some(Null.into()),
        },
        issuer_name_hash: OctetString::new(Sha1::digest(&name).to_vec())?,
        issuer_key_hash: OctetString::new(Sha1::digest(key).to_vec())?,
        serial_number: cert.tbs_certificate.serial_number.clone(),
    })
}

/// The DER OCSP request for one certificate (RFC 6960 §4.1), unsigned and without a nonce.
pub(crate) fn ocsp_request(
    issuer: &Certificate,
    cert: &Certificate,
) -> Result<Vec<u8>, der::Error> {
    OcspRequest {
        tbs_request: TbsRequest {
            version: Version::V1,
            requestor_name: None,
            request_list: vec![Request {
                req_cert: cert_id(issuer, cert)?,
                single_request_extensions: None,
            }],
            request_extensions: None,
        },
        optional_signature: None,
    }
    .to_der()
}

fn time(t: &Any) -> Option<DateTime<Utc>> {
    certs::generalized_time(t)
}

/// `BasicOCSPResponse` (RFC 6960 §4.2.1), read here rather than with `x509-ocsp`'s type:
/// responders write fractions of a second in their times, which DER allows (X.690 §11.7)
/// and the `der` crate's GeneralizedTime does not, so times are kept as they are and read by
/// [`certs::generalized_time`].
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
struct BasicOcspResponse {
    tbs_response_data: ResponseData,
    signature_algorithm: AlgorithmIdentifierOwned,
    signature: BitString,
    #[asn1(context_specific = "0", optional = "true", tag_mode = "EXPLICIT")]
    certs: Option<Vec<Certificate>>,
}

/// `ResponseData` (RFC 6960 §4.2.1).
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
struct ResponseData {
    #[asn1(
        context_specific = "0",
        default = "Default::default",
        tag_mode = "EXPLICIT"
    )]
    version: Version,
    responder_id: ResponderId,
    produced_at: Any,
    responses: Vec<SingleResponse>,
    #[asn1(context_specific = "1", optional = "true", tag_mode = "EXPLICIT")]
    response_extensions: Option<Extensions>,
}

/// `SingleResponse` (RFC 6960 §4.2.1).
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
struct SingleResponse {
    cert_id: CertId,
    cert_status: CertStatus,
    this_update: Any,
    #[asn1(context_specific = "0", optional = "true", tag_mode = "EXPLICIT")]
    next_update: Option<Any>,
    #[asn1(context_specific = "1", optional = "true", tag_mode = "EXPLICIT")]
    single_extensions: Option<Extensions>,
}

/// `CertStatus` (RFC 6960 §4.2.1).
#[derive(Clone, Debug, Eq, PartialEq, der::Choice)]
enum CertStatus {
    #[asn1(context_specific = "0", tag_mode = "IMPLICIT")]
    Good(Null),
    #[asn1(context_specific = "1", tag_mode = "IMPLICIT", constructed = "true")]
    Revoked(RevokedInfo),
    #[asn1(context_specific = "2", tag_mode = "IMPLICIT")]
    Unknown(Null),
}

/// `RevokedInfo` (RFC 6960 §4.2.1).
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
struct RevokedInfo {
    revocation_time: Any,
    #[asn1(context_specific = "0", optional = "true", tag_mode = "EXPLICIT")]
    revocation_reason: Option<Any>,
}

/// Whether `candidate` is the issuer itself or a responder it delegated to sign OCSP
/// responses (RFC 6960 §4.2.2.2).
fn may_answer_for(candidate: &Certificate, issuer: &Certificate) -> bool {
    if candidate == issuer {
        return true;
    }
    let delegated = extension(candidate, oid::ID_CE_EXT_KEY_USAGE)
        .and_then(|v| ExtendedKeyUsage::from_der(v).ok())
        .is_some_and(|eku| eku.0.contains(&oid::ID_KP_OCSP_SIGNING));
    delegated
        && candidate.tbs_certificate.issuer == issuer.tbs_certificate.subject
        && certs::verify_issued_by(candidate, issuer).is_ok()
}

fn responder_matches(id: &ResponderId, cert: &Certificate) -> bool {
    match id {
        ResponderId::ByName(name) => *name == cert.tbs_certificate.subject,
        ResponderId::ByKey(hash) => {
            let key = cert
                .tbs_certificate
                .subject_public_key_info
                .subject_public_key
                .raw_bytes();
            hash.as_bytes() == Sha1::digest(key).as_slice()
        }
    }
}

/// Checks an OCSP response (DER) about `cert`, issued by `issuer`: successful, basic, signed
/// by the issuer or a delegated responder (its certificate in the response or in `pool`),
/// and with a SingleResponse for this CertID. Returns the evidence and the certificates the
/// response carries.
pub(crate) fn check_ocsp(
    der: &[u8],
    cert: &Certificate,
    issuer: &Certificate,
    pool: &[Certificate],
) -> Result<(Evidence, Vec<Certificate>), String> {
    let resp = OcspResponse::from_der(der).map_err(|e| format!("not an OCSP response: {e}"))?;
    if resp.response_status != OcspResponseStatus::Successful {
        return Err(format!(
            "the OCSP responder answered {:?}",
            resp.response_status
        ));
    }
    let bytes = resp.response_bytes.ok_or("the OCSP response has no body")?;
    if bytes.response_type != oid::ID_PKIX_OCSP_BASIC {
        return Err("the OCSP response is not a basic response".into());
    }
    let basic = BasicOcspResponse::from_der(bytes.response.as_bytes())
        .map_err(|e| format!("the basic OCSP response cannot be read: {e}"))?;
    let carried = basic.certs.clone().unwrap_or_default();
    // The certificates a response carries are outside its signature: each must verify
    // against an issuer, or a changed copy would go unnoticed.
    let known: Vec<&Certificate> = carried.iter().chain(pool).chain([issuer]).collect();
    for c in &carried {
        let issued = known.iter().any(|i| {
            i.tbs_certificate.subject == c.tbs_certificate.issuer
                && certs::verify_issued_by(c, i).is_ok()
        });
        if !issued {
            return Err(format!(
                "the OCSP response carries certificate `{}`, which no known issuer signed",
                certs::subject_string(c)
            ));
        }
    }
    let tbs = basic
        .tbs_response_data
        .to_der()
        .map_err(|e| format!("cannot re-encode the response data: {e}"))?;
    let sig = basic
        .signature
        .as_bytes()
        .ok_or("the OCSP signature is not whole bytes")?;
    let responder = carried
        .iter()
        .chain(pool)
        .chain(std::iter::once(issuer))
        .filter(|c| responder_matches(&basic.tbs_response_data.responder_id, c))
        .find(|c| may_answer_for(c, issuer))
        .ok_or("no certificate of the issuer or of a responder it delegated signed it")?;
    certs::verify_signed_by(responder, &basic.signature_algorithm, None, &tbs, sig)
        .map_err(|_| "the OCSP response's signature does not verify".to_owned())?;
    let wanted = cert_id(issuer, cert).map_err(|e| e.to_string())?;
    let single = basic
        .tbs_response_data
        .responses
        .iter()
        .find(|r| same_cert_id(&r.cert_id, &wanted, issuer, cert))
        .ok_or("the OCSP response is about another certificate")?;
    let status = match &single.cert_status {
        CertStatus::Good(_) => Status::Good,
        CertStatus::Revoked(info) => {
            Status::Revoked(time(&info.revocation_time).ok_or("revocation time out of range")?)
        }
        CertStatus::Unknown(_) => Status::Unknown,
    };
    Ok((
        Evidence {
            status,
            this_update: time(&single.this_update).ok_or("thisUpdate out of range")?,
            next_update: single.next_update.as_ref().and_then(time),
            source: "OCSP",
        },
        carried,
    ))
}

/// A CertID names the certificate: SHA-1 as we ask, or SHA-256 as some responders answer.
fn same_cert_id(got: &CertId, sha1_id: &CertId, issuer: &Certificate, cert: &Certificate) -> bool {
    if got.serial_number != cert.tbs_certificate.serial_number {
        return false;
    }
    if got.hash_algorithm.oid == oid::ID_SHA1 {
        return got.issuer_name_hash == sha1_id.issuer_name_hash
            && got.issuer_key_hash == sha1_id.issuer_key_hash;
    }
    let (Ok(name), key) = (
        issuer.tbs_certificate.subject.to_der(),
        issuer
            .tbs_certificate
            .subject_public_key_info
            .subject_public_key
            .raw_bytes(),
    ) else {
        return false;
    };
    let alg = got.hash_algorithm.oid;
    certs::sha2_digest(alg, &name).is_some_and(|h| h == got.issuer_name_hash.as_bytes())
        && certs::sha2_digest(alg, key).is_some_and(|h| h == got.issuer_key_hash.as_bytes())
}

/// A CRL (DER) that `issuer` verifiably issued: its issuer name and signature (RFC 5280
/// §6.3.3 (f), (g)).
fn verified_crl(der: &[u8], issuer: &Certificate) -> Result<CertificateList, String> {
    let crl = CertificateList::from_der(der).map_err(|e| format!("not a CRL: {e}"))?;
    if crl.tbs_cert_list.issuer != issuer.tbs_certificate.subject {
        return Err("the CRL is issued by another CA".into());
    }
    let tbs_der = crl.tbs_cert_list.to_der().map_err(|e| e.to_string())?;
    let sig = crl
        .signature
        .as_bytes()
        .ok_or("the CRL signature is not whole bytes")?;
    certs::verify_signed_by(issuer, &crl.signature_algorithm, None, &tbs_der, sig)
        .map_err(|_| "the CRL's signature does not verify".to_owned())?;
    Ok(crl)
}

/// Checks a CRL (DER) issued by `issuer` and says what it says of `cert`.
pub(crate) fn check_crl(
    der: &[u8],
    cert: &Certificate,
    issuer: &Certificate,
) -> Result<Evidence, String> {
    let crl = verified_crl(der, issuer)?;
    let tbs = &crl.tbs_cert_list;
    let revoked = tbs
        .revoked_certificates
        .iter()
        .flatten()
        .find(|r| r.serial_number == cert.tbs_certificate.serial_number);
    let status = match revoked {
        Some(r) => Status::Revoked(
            certs::time_to_utc(&r.revocation_date).ok_or("revocation date out of range")?,
        ),
        None => Status::Good,
    };
    Ok(Evidence {
        status,
        this_update: certs::time_to_utc(&tbs.this_update).ok_or("thisUpdate out of range")?,
        next_update: tbs.next_update.as_ref().and_then(certs::time_to_utc),
        source: "CRL",
    })
}

/// Whether a CRL (DER) is signed by `issuer`, whatever certificate it is consulted for.
pub(crate) fn crl_issued_by(der: &[u8], issuer: &Certificate) -> bool {
    verified_crl(der, issuer).is_ok()
}
