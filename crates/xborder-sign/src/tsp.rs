//! Time-stamps (RFC 3161): asking a time-stamp authority (TSA) to attest that some bytes
//! existed at a time, and reading its answer.
//!
//! Two PAdES levels use them (ETSI EN 319 142-1):
//! * **B-T** (§5.4.2, §6.3): a *signature time-stamp* over the signature value, stored as
//!   the unsigned attribute `id-aa-signatureTimeStampToken` of the SignerInfo (RFC 3161
//!   Appendix A, ETSI EN 319 122-1 §5.3). It proves the signature existed no later than the
//!   time-stamp's `genTime`, so it can be judged at that time after its certificate
//!   expires.
//! * **B-LTA** (§5.4.4): a *document time-stamp* (`/Type /DocTimeStamp`,
//!   `/SubFilter /ETSI.RFC3161`, ISO 32000-2 §12.8.5) over the whole file, validation data
//!   included, renewed before its own certificate expires.
//!
//! The request asks for SHA-256 and for the TSA's certificate (`certReq`, §2.4.1), so the
//! token carries what is needed to check it. It carries no nonce: the imprint already binds
//! the answer to this request, and leaving it out keeps the request a function of its input.

use der::asn1::OctetString;
use der::{Any, Decode, Encode};
use spki::AlgorithmIdentifier;
use x509_tsp::{MessageImprint, TimeStampReq, TimeStampResp, TspVersion};

use crate::error::SignError;
use crate::fetch::Fetch;
use crate::oid;

/// `application/timestamp-query` (RFC 3161 §3.4).
const QUERY_TYPE: &str = "application/timestamp-query";

/// The DER `TimeStampReq` for a SHA-256 `imprint`.
fn request(imprint: &[u8; 32]) -> Result<Vec<u8>, der::Error> {
    TimeStampReq {
        version: TspVersion::V1,
        message_imprint: MessageImprint {
            // Parameters absent for SHA-2 (RFC 5754 §2).
            hash_algorithm: AlgorithmIdentifier::<Any> {
                oid: oid::ID_SHA256,
                parameters: None,
            },
            hashed_message: OctetString::new(imprint.to_vec())?,
        },
        req_policy: None,
        nonce: None,
        cert_req: true,
        extensions: None,
    }
    .to_der()
}

/// Asks the TSA at `url` for a time-stamp token over the SHA-256 `imprint` and returns the
/// token (a DER `ContentInfo` holding a SignedData over a `TSTInfo`).
///
/// # Errors
/// [`SignError::TimeStamp`] when the TSA cannot be reached, refuses, or answers with a
/// token that is not for this imprint.
pub(crate) fn time_stamp(
    fetch: &mut dyn Fetch,
    url: &str,
    imprint: &[u8; 32],
) -> Result<Vec<u8>, SignError> {
    let fail = |reason: String| SignError::TimeStamp {
        url: url.to_owned(),
        reason,
    };
    let req = request(imprint).map_err(|e| fail(format!("cannot encode the request: {e}")))?;
    let body = fetch.post(url, QUERY_TYPE, &req).map_err(fail)?;
    let resp = TimeStampResp::from_der(&body)
        .map_err(|e| fail(format!("the answer is not an RFC 3161 TimeStampResp ({e})")))?;
    // PKIStatus granted (0) or grantedWithMods (1) carry a token (§2.4.2).
    let status = resp.status.status as u8;
    if status > 1 {
        let text = resp
            .status
            .status_string
            .as_ref()
            .map(|s| format!(": {s:?}"))
            .unwrap_or_default();
        return Err(fail(format!(
            "the TSA refused the request (PKIStatus {status}){text}"
        )));
    }
    let token = resp
        .time_stamp_token
        .ok_or_else(|| fail("the answer carries no time-stamp token".into()))?;
    let der = token
        .to_der()
        .map_err(|e| fail(format!("cannot re-encode the token: {e}")))?;
    let info = crate::verify::timestamp::tst_info(&der)
        .map_err(|e| fail(format!("the token cannot be read: {e}")))?;
    if info.message_imprint.hashed_message.as_bytes() != imprint.as_slice()
        || info.message_imprint.hash_algorithm.oid != oid::ID_SHA256
    {
        return Err(fail(
            "the token is for other data than was asked (message imprint differs)".into(),
        ));
    }
    Ok(der)
}
