//! Checking an RFC 3161 time-stamp token: the signature time-stamp of a PAdES B-T signature
//! and the document time-stamp of B-LTA.
//!
//! A token is a CMS SignedData (RFC 5652) whose content is a `TSTInfo` (RFC 3161 §2.4.2).
//! It attests that the data hashing to `messageImprint` existed at `genTime`, and it is only
//! as good as its checks: the imprint is that of the data it is claimed for; the SignerInfo's
//! messageDigest is that of the TSTInfo; the TSA's signature verifies over the signed
//! attributes; the signing certificate is named in them (ESS, RFC 2634 / RFC 5035); the
//! certificate is a TSA's (extended key usage `id-kp-timeStamping`, critical, §2.3); and it
//! chains to a trust anchor at `genTime`. Every embedded certificate must verify against an
//! issuer, so that no byte of the token goes unchecked.

use chrono::{DateTime, Utc};
use cms::cert::CertificateChoices;
use cms::content_info::{CmsVersion, ContentInfo};
use cms::signed_data::{SignedData, SignerIdentifier, SignerInfo};
use der::asn1::{ObjectIdentifier, OctetString};
use der::{Decode, Encode, Sequence};
use x509_cert::Certificate;
use x509_cert::ext::Extensions;
use x509_cert::ext::pkix::ExtendedKeyUsage;
use x509_cert::ext::pkix::name::GeneralName;
use x509_tsp::{Accuracy, MessageImprint};

use super::ChainStatus;
use super::chain::evaluate_chain;
use super::der_walk::{der_total_len, raw_signed_attrs};
use super::long_term::{RevocationStatus, Store, revocation_status};
use super::signature::{algorithm_words, ess_names_cert, matches_sid, single_attr};
use crate::certs;
use crate::cms_build::{IssuerSerial, SigningCertificateV2};
use crate::oid;
use crate::public_key::PublicKey;

/// What was found about one time-stamp token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeStampCheck {
    /// `genTime`: the data existed no later than this.
    pub time: DateTime<Utc>,
    /// The TSA certificate's subject, when the token carries it.
    pub tsa_subject: Option<String>,
    /// The imprint is that of the data, the token's digest and signature verify, its
    /// signing certificate is a TSA's and named in it, and every embedded certificate
    /// verifies against an issuer.
    pub intact: bool,
    /// The TSA certificate's chain to a trust anchor at [`TimeStampCheck::time`].
    pub chain: ChainStatus,
    /// Whether the TSA's path was revoked at that time, by the document's validation data.
    pub revocation: RevocationStatus,
    /// The TSA's signature algorithm and key in words, as a signature's
    /// ([`SignatureCheck::algorithm`](super::SignatureCheck::algorithm)).
    pub algorithm: Option<String>,
    /// Why a check failed.
    pub notes: Vec<String>,
}

impl TimeStampCheck {
    /// Intact, and trusted when a trust anchor was given.
    pub fn is_valid(&self, anchor_given: bool) -> bool {
        self.intact && (!anchor_given || self.chain.is_trusted()) && !self.revocation.is_revoked()
    }
}

/// `TSTInfo` (RFC 3161 §2.4.2). `genTime` is read by hand: TSAs write fractions of a
/// second, which the GeneralizedTime of DER allows (X.690 §11.7) and the `der` crate's type
/// does not.
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub(crate) struct TstInfo {
    pub version: u8,
    pub policy: ObjectIdentifier,
    pub message_imprint: MessageImprint,
    pub serial_number: der::asn1::Int,
    pub gen_time: der::asn1::Any,
    #[asn1(optional = "true")]
    pub accuracy: Option<Accuracy>,
    #[asn1(default = "Default::default")]
    pub ordering: bool,
    #[asn1(optional = "true")]
    pub nonce: Option<der::asn1::Int>,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    pub tsa: Option<GeneralName>,
    #[asn1(context_specific = "1", tag_mode = "IMPLICIT", optional = "true")]
    pub extensions: Option<Extensions>,
}

/// `ESSCertID` (RFC 2634 §5.4.1): a SHA-1 hash of the certificate.
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
struct EssCertId {
    cert_hash: OctetString,
    #[asn1(optional = "true")]
    issuer_serial: Option<IssuerSerial>,
}

/// `SigningCertificate` (RFC 2634 §5.4); the optional policies are not read.
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
struct SigningCertificate {
    certs: Vec<EssCertId>,
}

/// The SignedData of a token, or why it is not one.
fn signed_data(token: &[u8]) -> Result<SignedData, String> {
    let info = ContentInfo::from_der(token).map_err(|e| format!("not a CMS ContentInfo: {e}"))?;
    if info.content_type != oid::ID_SIGNED_DATA {
        return Err("the token's content is not SignedData".into());
    }
    info.content
        .decode_as()
        .map_err(|e| format!("the token's SignedData cannot be decoded: {e}"))
}

/// The DER of the `TSTInfo` a SignedData encapsulates.
fn tst_info_der(sd: &SignedData) -> Result<Vec<u8>, String> {
    if sd.encap_content_info.econtent_type != oid::ID_CT_TST_INFO {
        return Err("the token does not encapsulate a TSTInfo".into());
    }
    let econtent = sd
        .encap_content_info
        .econtent
        .as_ref()
        .ok_or("the token has no encapsulated TSTInfo")?;
    let octets = econtent
        .decode_as::<OctetString>()
        .map_err(|e| format!("the encapsulated content is not an OCTET STRING: {e}"))?;
    Ok(octets.as_bytes().to_vec())
}

/// The `TSTInfo` of a token (RFC 3161 §2.4.2), unchecked.
pub(crate) fn tst_info(token: &[u8]) -> Result<TstInfo, String> {
    let sd = signed_data(token)?;
    let der = tst_info_der(&sd)?;
    TstInfo::from_der(&der).map_err(|e| format!("the TSTInfo cannot be decoded: {e}"))
}

/// Checks the token `token` (a DER ContentInfo, possibly followed by nothing else) as a
/// time-stamp over the data whose digest `imprint_of` computes for a hash algorithm.
/// `more_certs` are certificates found elsewhere (the document's validation data) that may
/// issue the token's. Unreadable tokens are an `Err` with the reason.
pub(super) fn check_token(
    token: &[u8],
    imprint_of: &dyn Fn(ObjectIdentifier) -> Option<Vec<u8>>,
    anchors: &[Certificate],
    more_certs: &[Certificate],
    store: &Store,
) -> Result<TimeStampCheck, String> {
    if der_total_len(token) != Some(token.len()) {
        return Err("bytes follow the time-stamp token".into());
    }
    let sd = signed_data(token)?;
    let tst_der = tst_info_der(&sd)?;
    let tst =
        TstInfo::from_der(&tst_der).map_err(|e| format!("the TSTInfo cannot be decoded: {e}"))?;
    if tst.version != 1 {
        return Err(format!("the TSTInfo has version {}, not 1", tst.version));
    }
    let time =
        certs::generalized_time(&tst.gen_time).ok_or("genTime is not a DER GeneralizedTime")?;
    let mut notes = Vec::new();
    let structure_ok = structure_is_canonical(&sd, &mut notes);
    let signer_info = single_signer(&sd)?;
    let embedded: Vec<Certificate> = sd
        .certificates
        .iter()
        .flat_map(|set| set.0.iter())
        .filter_map(|c| match c {
            CertificateChoices::Certificate(c) => Some(c.clone()),
            CertificateChoices::Other(_) => None,
        })
        .collect();
    let tsa = embedded.iter().find(|c| matches_sid(c, &signer_info.sid));

    let imprint_ok = imprint_of(tst.message_imprint.hash_algorithm.oid)
        .is_some_and(|d| d == tst.message_imprint.hashed_message.as_bytes());
    if !imprint_ok {
        notes.push("the time-stamp is not over this data (message imprint differs)".into());
    }
    let attrs_ok = signed_attributes_ok(signer_info, &tst_der, tsa, &mut notes);
    let signature_ok = tsa.is_some_and(|tsa| {
        raw_signed_attrs(token).is_some_and(|raw| {
            certs::verify_signed_by(
                tsa,
                &signer_info.signature_algorithm,
                Some(signer_info.digest_alg.oid),
                &raw,
                signer_info.signature.as_bytes(),
            )
            .is_ok()
        })
    });
    if tsa.is_none() {
        notes.push("the token does not carry the TSA's certificate".into());
    } else if !signature_ok {
        notes.push("the TSA's signature on the time-stamp does not verify".into());
    }
    let tsa_ok = tsa.is_some_and(|c| is_tsa_certificate(c, &mut notes));
    let mut pool: Vec<Certificate> = embedded.clone();
    pool.extend(more_certs.iter().cloned());
    let certs_ok = every_certificate_verifies(&embedded, &pool, anchors, &mut notes);
    let chain = match tsa {
        _ if anchors.is_empty() => ChainStatus::NoTrustAnchor,
        None => ChainStatus::NotTrusted(super::ChainProblem::SignerCertificateMissing),
        Some(tsa) => evaluate_chain(tsa, &pool, anchors, Some(time)),
    };
    let revocation = match tsa {
        Some(tsa) => revocation_status(tsa, &pool, store, anchors, time),
        None => RevocationStatus::NotChecked,
    };
    let tsa_key = tsa.and_then(|tsa| PublicKey::from_certificate(tsa).ok());
    Ok(TimeStampCheck {
        time,
        revocation,
        algorithm: algorithm_words(signer_info, tsa_key.as_ref()),
        tsa_subject: tsa.map(certs::subject_string),
        intact: structure_ok && imprint_ok && attrs_ok && signature_ok && tsa_ok && certs_ok,
        chain,
        notes,
    })
}

/// The one SignerInfo of a token.
fn single_signer(sd: &SignedData) -> Result<&SignerInfo, String> {
    let infos: Vec<&SignerInfo> = sd.signer_infos.0.iter().collect();
    match infos.as_slice() {
        [one] => Ok(one),
        _ => Err(format!(
            "a time-stamp token has one SignerInfo, this one has {}",
            infos.len()
        )),
    }
}

/// The parts of the SignedData that no signature covers hold what RFC 5652 prescribes, so
/// that a changed byte there is noticed: version 3 (encapsulated content other than id-data,
/// §5.1), digestAlgorithms exactly the signer's, a SignerInfo version that fits its
/// identifier (§5.3), no CRLs and no unsigned attributes.
fn structure_is_canonical(sd: &SignedData, notes: &mut Vec<String>) -> bool {
    let mut ok = sd.version == CmsVersion::V3;
    let digests: Vec<&spki::AlgorithmIdentifierOwned> = sd.digest_algorithms.iter().collect();
    for si in sd.signer_infos.0.iter() {
        let version = match si.sid {
            SignerIdentifier::IssuerAndSerialNumber(_) => CmsVersion::V1,
            SignerIdentifier::SubjectKeyIdentifier(_) => CmsVersion::V3,
        };
        ok &= si.version == version;
        ok &= digests == [&si.digest_alg];
        ok &= si.unsigned_attrs.is_none();
    }
    ok &= sd.crls.is_none();
    if !ok {
        notes.push("the time-stamp token's structure is not what RFC 5652 prescribes".into());
    }
    ok
}

/// contentType is id-ct-TSTInfo, messageDigest is the TSTInfo's digest, and an ESS
/// signing-certificate attribute (v1 or v2) names the TSA certificate (RFC 3161 §2.4.1).
fn signed_attributes_ok(
    si: &SignerInfo,
    tst_der: &[u8],
    tsa: Option<&Certificate>,
    notes: &mut Vec<String>,
) -> bool {
    let Some(attrs) = &si.signed_attrs else {
        notes.push("the time-stamp token has no signed attributes".into());
        return false;
    };
    let content_type_ok =
        single_attr::<ObjectIdentifier>(attrs, oid::ID_CONTENT_TYPE) == Some(oid::ID_CT_TST_INFO);
    let digest = certs::sha2_digest(si.digest_alg.oid, tst_der);
    let digest_ok = single_attr::<OctetString>(attrs, oid::ID_MESSAGE_DIGEST)
        .zip(digest)
        .is_some_and(|(md, d)| md.as_bytes() == d.as_slice());
    if !digest_ok {
        notes.push("the TSTInfo does not match the token's messageDigest".into());
    }
    let names_tsa = tsa.is_some_and(|tsa| {
        single_attr::<SigningCertificateV2>(attrs, oid::ID_AA_SIGNING_CERTIFICATE_V2)
            .is_some_and(|ess| ess_names_cert(&ess, tsa))
            || single_attr::<SigningCertificate>(attrs, oid::ID_AA_SIGNING_CERTIFICATE)
                .is_some_and(|ess| ess_v1_names_cert(&ess, tsa))
    });
    if !names_tsa {
        notes.push("the token's signing-certificate attribute does not name the TSA".into());
    }
    content_type_ok && digest_ok && names_tsa
}

/// RFC 2634 §5.4: the first ESSCertID is the SHA-1 hash of the signing certificate.
fn ess_v1_names_cert(ess: &SigningCertificate, cert: &Certificate) -> bool {
    use sha1::{Digest, Sha1};
    let (Some(first), Ok(der)) = (ess.certs.first(), cert.to_der()) else {
        return false;
    };
    first.cert_hash.as_bytes() == Sha1::digest(&der).as_slice()
        && first
            .issuer_serial
            .as_ref()
            .is_none_or(|is| is.serial_number == cert.tbs_certificate.serial_number)
}

/// RFC 3161 §2.3: the TSA certificate has exactly one extended key usage,
/// `id-kp-timeStamping`, and the extension is critical.
fn is_tsa_certificate(cert: &Certificate, notes: &mut Vec<String>) -> bool {
    let ok = cert
        .tbs_certificate
        .extensions
        .iter()
        .flatten()
        .find(|e| e.extn_id == oid::ID_CE_EXT_KEY_USAGE)
        .is_some_and(|e| {
            e.critical
                && ExtendedKeyUsage::from_der(e.extn_value.as_bytes())
                    .is_ok_and(|eku| eku.0 == [oid::ID_KP_TIME_STAMPING])
        });
    if !ok {
        notes.push(
            "the time-stamp's certificate is not a TSA's (critical extended key usage \
             id-kp-timeStamping, RFC 3161 §2.3)"
                .into(),
        );
    }
    ok
}

/// Every certificate in `certs` verifies against an issuer in `pool` or `anchors` (itself,
/// when self-issued): a changed byte in any of them is noticed even where no path uses it.
pub(crate) fn every_certificate_verifies(
    certs: &[Certificate],
    pool: &[Certificate],
    anchors: &[Certificate],
    notes: &mut Vec<String>,
) -> bool {
    let mut ok = true;
    for cert in certs {
        let issued = pool
            .iter()
            .chain(anchors)
            .chain(std::iter::once(cert))
            .filter(|i| i.tbs_certificate.subject == cert.tbs_certificate.issuer)
            .any(|i| certs::verify_issued_by(cert, i).is_ok());
        if !issued {
            notes.push(format!(
                "certificate `{}` does not verify against any known issuer",
                certs::subject_string(cert)
            ));
            ok = false;
        }
    }
    ok
}

/// The signature time-stamp of a SignerInfo (its unsigned attribute
/// `id-aa-signatureTimeStampToken`, over the signature value), checked; `None` without one.
/// Any other unsigned attribute is an error: nothing signed covers it, so it would otherwise
/// go unchecked.
pub(super) fn signature_time_stamp(
    si: &SignerInfo,
    anchors: &[Certificate],
    more_certs: &[Certificate],
    store: &Store,
) -> Result<Option<TimeStampCheck>, String> {
    let Some(attrs) = &si.unsigned_attrs else {
        return Ok(None);
    };
    let mut found = None;
    for attr in attrs.iter() {
        if attr.oid != oid::ID_AA_SIGNATURE_TIME_STAMP_TOKEN || found.is_some() {
            return Err(format!(
                "the signature has an unexpected unsigned attribute {}",
                attr.oid
            ));
        }
        let [value] = attr.values.as_slice() else {
            return Err("the signature time-stamp attribute has more than one value".into());
        };
        let token = value.to_der().map_err(|e| e.to_string())?;
        let signature = si.signature.as_bytes();
        let check = check_token(
            &token,
            &|alg| certs::sha2_digest(alg, signature),
            anchors,
            more_certs,
            store,
        )?;
        found = Some(check);
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn time(text: &str) -> Option<DateTime<Utc>> {
        let any = der::asn1::Any::new(der::Tag::GeneralizedTime, text.as_bytes()).ok()?;
        certs::generalized_time(&any)
    }

    #[test]
    fn gen_time_keeps_fractions_of_a_second_and_refuses_what_der_does_not_allow() {
        let t = time("20261204235959.25Z").map(|t| t.to_rfc3339());
        assert_eq!(t.as_deref(), Some("2026-12-04T23:59:59.250+00:00"));
        assert!(time("20261204235959Z").is_some());
        assert!(time("20261204235959.250Z").is_none(), "trailing zero");
        assert!(time("20261204235959.Z").is_none());
        assert!(time("20261204235959").is_none(), "no Z");
        assert!(time("20261304235959Z").is_none(), "month 13");
    }

    #[test]
    fn a_token_that_is_not_cms_is_unreadable() {
        let err = check_token(
            &[0x30, 0x03, 0x02, 0x01, 0x01],
            &|_| None,
            &[],
            &[],
            &Store::default(),
        );
        assert!(err.is_err());
    }
}
