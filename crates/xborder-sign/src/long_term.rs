//! Signatures that outlive their certificates: the PAdES baseline levels above B-B (ETSI EN
//! 319 142-1 §6.3, §5.4):
//!
//! * **B-T** adds a signature time-stamp from a TSA: proof that the signature existed no
//!   later than its time, so it can be judged at that time;
//! * **B-LT** adds, in the document security store, the certificates of the signer's and
//!   the TSA's paths and proof of their status (OCSP responses or CRLs), so that the
//!   judgement needs no network and survives the CA's responders;
//! * **B-LTA** adds a document time-stamp over all of it, which protects the validation
//!   data and is renewed (by another time-stamp) before its own certificate expires.
//!
//! The requests go through the caller's [`Fetch`]; with the same responses the same bytes
//! come out, but a TSA's answer differs each time, so only B-B output is reproducible.

use std::str::FromStr;

use chrono::{DateTime, Utc};
use der::{Decode, Encode};
use sha2::{Digest, Sha256};
use x509_cert::Certificate;

use crate::certs;
use crate::dss::{self, ValidationData};
use crate::error::{CHAIN, SIGNER, SignError};
use crate::fetch::Fetch;
use crate::key::RsaPadding;
use crate::revocation::{self, Evidence};
use crate::sign::{SigBody, SignRequest, append_signed, sign_pdf_with_rsa_padding, sign_with};
use crate::tsp;

/// Room in /Contents for a document time-stamp token.
const DOC_TIME_STAMP_CAPACITY: usize = 16 * 1024;

/// A PAdES baseline level (ETSI EN 319 142-1 §6.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PadesLevel {
    /// Basic signature: the claimed signing time only.
    BB,
    /// With a signature time-stamp.
    BT,
    /// With the validation data in the document security store.
    BLt,
    /// With a document time-stamp over the validation data (the archive level).
    BLta,
}

impl PadesLevel {
    /// `B-B`, `B-T`, `B-LT` or `B-LTA`.
    pub fn as_str(self) -> &'static str {
        match self {
            PadesLevel::BB => "B-B",
            PadesLevel::BT => "B-T",
            PadesLevel::BLt => "B-LT",
            PadesLevel::BLta => "B-LTA",
        }
    }
}

impl FromStr for PadesLevel {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_uppercase().as_str() {
            "B-B" => Ok(PadesLevel::BB),
            "B-T" => Ok(PadesLevel::BT),
            "B-LT" => Ok(PadesLevel::BLt),
            "B-LTA" => Ok(PadesLevel::BLta),
            _ => Err(format!(
                "`{s}` is not a PAdES level: use B-B, B-T, B-LT or B-LTA"
            )),
        }
    }
}

/// Signs `req.pdf` at `level` (an RSA key with `rsa_padding`), asking the TSA at `tsa_url` (levels above B-B) and the
/// certificates' OCSP responders or CRL distribution points (B-LT and B-LTA) through
/// `fetch`.
///
/// # Errors
/// The [`SignError`]s of [`sign_pdf`]; [`SignError::TimeStamp`] when the TSA is not given,
/// cannot be reached or answers wrongly; [`SignError::Revocation`] when the status of a
/// certificate cannot be had.
pub fn sign_pdf_at_level(
    req: &SignRequest<'_>,
    rsa_padding: RsaPadding,
    level: PadesLevel,
    tsa_url: Option<&str>,
    fetch: &mut dyn Fetch,
) -> Result<Vec<u8>, SignError> {
    let Some(url) = tsa_url.filter(|_| level > PadesLevel::BB) else {
        if level > PadesLevel::BB {
            return Err(SignError::TimeStamp {
                url: String::new(),
                reason: format!(
                    "PAdES {} needs a time-stamp authority: give its URL",
                    level.as_str()
                ),
            });
        }
        return sign_pdf_with_rsa_padding(req, rsa_padding);
    };
    let mut token = Vec::new();
    let signed = sign_with(
        req,
        rsa_padding,
        Some(&mut |signature: &[u8]| {
            let imprint: [u8; 32] = Sha256::digest(signature).into();
            token = tsp::time_stamp(&mut *fetch, url, &imprint)?;
            Ok(token.clone())
        }),
    )?;
    if level == PadesLevel::BT {
        return Ok(signed);
    }
    let mut path = material_certificates(req)?;
    path.extend(token_certificates(&token));
    let stamped = crate::verify::timestamp::tst_info(&token)
        .ok()
        .and_then(|info| certs::generalized_time(&info.gen_time))
        .ok_or_else(|| SignError::TimeStamp {
            url: url.to_owned(),
            reason: "the token's time cannot be read".into(),
        })?;
    let data = validation_data(&path, stamped, fetch)?;
    let with_dss = dss::append(&signed, &data)?;
    if level == PadesLevel::BLt {
        return Ok(with_dss);
    }
    append_document_time_stamp(&with_dss, url, fetch)
}

/// Appends a document time-stamp (ISO 32000-2 §12.8.5, PAdES B-LTA) over the whole of
/// `pdf`, from the TSA at `url`.
///
/// # Errors
/// [`SignError::TimeStamp`] when the TSA fails; [`SignError::InvalidPdf`] for a file that
/// cannot be updated.
pub fn append_document_time_stamp(
    pdf: &[u8],
    url: &str,
    fetch: &mut dyn Fetch,
) -> Result<Vec<u8>, SignError> {
    let head = b"<</Type/DocTimeStamp/Filter/Adobe.PPKLite/SubFilter/ETSI.RFC3161";
    let body = SigBody::new(head, DOC_TIME_STAMP_CAPACITY, |_| {});
    append_signed(pdf, &body, DOC_TIME_STAMP_CAPACITY, &mut |ranges| {
        let mut h = Sha256::new();
        for range in ranges {
            h.update(range);
        }
        tsp::time_stamp(&mut *fetch, url, &h.finalize().into())
    })
}

/// The signer certificate and the chain of the request, in that order.
fn material_certificates(req: &SignRequest<'_>) -> Result<Vec<Certificate>, SignError> {
    let mut out: Vec<Certificate> = certs::load_certificates(req.cert_pem, SIGNER)?
        .into_iter()
        .map(|(_, c)| c)
        .collect();
    if let Some(chain) = req.chain_pem.filter(|c| !c.trim().is_empty()) {
        out.extend(
            certs::load_certificates(chain, CHAIN)?
                .into_iter()
                .map(|(_, c)| c),
        );
    }
    Ok(out)
}

/// The certificates a time-stamp token carries.
fn token_certificates(token: &[u8]) -> Vec<Certificate> {
    let Ok(info) = cms::content_info::ContentInfo::from_der(token) else {
        return Vec::new();
    };
    let Ok(sd) = info.content.decode_as::<cms::signed_data::SignedData>() else {
        return Vec::new();
    };
    sd.certificates
        .iter()
        .flat_map(|set| set.0.iter())
        .filter_map(|c| match c {
            cms::cert::CertificateChoices::Certificate(c) => Some(c.clone()),
            cms::cert::CertificateChoices::Other(_) => None,
        })
        .collect()
}

/// Whether `cert` is self-signed: a root, whose trust is the validator's to decide and whose
/// status no one answers for (RFC 5280 §6.1).
fn self_signed(cert: &Certificate) -> bool {
    cert.tbs_certificate.subject == cert.tbs_certificate.issuer
        && certs::verify_issued_by(cert, cert).is_ok()
}

/// The certificates of `known` and proof of the status of each that is not a root: an OCSP
/// response when the certificate names a responder, else a CRL. Responder certificates the
/// answers bring are checked in turn, unless they say no check is needed.
fn validation_data(
    known: &[Certificate],
    stamped: DateTime<Utc>,
    fetch: &mut dyn Fetch,
) -> Result<ValidationData, SignError> {
    let mut pool: Vec<Certificate> = Vec::new();
    for c in known {
        if !pool.contains(c) {
            pool.push(c.clone());
        }
    }
    let mut data = ValidationData::default();
    let mut i = 0;
    while let Some(cert) = pool.get(i).cloned() {
        i += 1;
        if self_signed(&cert) || revocation::no_check(&cert) {
            continue;
        }
        let subject = certs::subject_string(&cert);
        let fail = |reason: String| SignError::Revocation {
            subject: subject.clone(),
            reason,
        };
        let issuer = pool
            .iter()
            .find(|c| {
                c.tbs_certificate.subject == cert.tbs_certificate.issuer
                    && certs::verify_issued_by(&cert, c).is_ok()
            })
            .cloned()
            .ok_or_else(|| {
                fail("its issuer's certificate is not among the certificates given (add it to the chain)".into())
            })?;
        let (der, carried, evidence) = status_of(&cert, &issuer, &pool, fetch).map_err(fail)?;
        // A signature made with a revoked certificate is not worth keeping for the archive.
        if let revocation::Status::Revoked(when) = evidence.status
            && when <= stamped
        {
            return Err(fail(format!(
                "it was revoked at {when}, before the signature's time-stamp ({stamped}) \
                 ({} answer)",
                evidence.source
            )));
        }
        data.merge(&der);
        for c in carried {
            if !pool.contains(&c) {
                pool.push(c);
            }
        }
    }
    for c in &pool {
        let der = c.to_der().map_err(|e| SignError::Encoding {
            reason: e.to_string(),
        })?;
        if !data.certs.contains(&der) {
            data.certs.push(der);
        }
    }
    Ok(data)
}

/// Fetches and checks proof of the status of `cert`: OCSP first, then each CRL
/// distribution point. Returns it as validation data, with the certificates an OCSP
/// response carries.
fn status_of(
    cert: &Certificate,
    issuer: &Certificate,
    pool: &[Certificate],
    fetch: &mut dyn Fetch,
) -> Result<(ValidationData, Vec<Certificate>, Evidence), String> {
    let mut problems = Vec::new();
    for url in revocation::ocsp_urls(cert) {
        let answer = revocation::ocsp_request(issuer, cert)
            .map_err(|e| e.to_string())
            .and_then(|req| fetch.post(&url, "application/ocsp-request", &req))
            .and_then(|der| {
                revocation::check_ocsp(&der, cert, issuer, pool)
                    .map(|(evidence, carried)| (der, carried, evidence))
            });
        match answer {
            Ok((der, carried, evidence)) => {
                let data = ValidationData {
                    ocsps: vec![der],
                    ..ValidationData::default()
                };
                return Ok((data, carried, evidence));
            }
            Err(e) => {
                eprintln!("DEBUG OCSP {url}: {e}");
                problems.push(format!("OCSP {url}: {e}"))
            }
        }
    }
    for url in revocation::crl_urls(cert) {
        match fetch
            .get(&url)
            .and_then(|der| revocation::check_crl(&der, cert, issuer).map(|e| (der, e)))
        {
            Ok((der, evidence)) => {
                let data = ValidationData {
                    crls: vec![der],
                    ..ValidationData::default()
                };
                return Ok((data, Vec::new(), evidence));
            }
            Err(e) => problems.push(format!("CRL {url}: {e}")),
        }
    }
    if problems.is_empty() {
        return Err(
            "the certificate names no OCSP responder and no CRL distribution point, so its \
             status cannot be recorded; use a certificate that does, or sign at B-T"
                .into(),
        );
    }
    Err(problems.join("; "))
}
