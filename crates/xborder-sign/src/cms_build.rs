//! Building the CMS SignedData (RFC 5652) that goes into /Contents, profiled
//! for PAdES baseline B-B (ETSI EN 319 142-1 §6.3, which defers to the CAdES
//! baseline of ETSI EN 319 122-1 §6.3):
//!
//! * detached: `encapContentInfo` is `id-data` without `eContent`, the signed
//!   content being the /ByteRange bytes;
//! * exactly one SignerInfo, identified by issuerAndSerialNumber;
//! * signed attributes `content-type`, `message-digest` and ESS
//!   `signing-certificate-v2` (RFC 5035), which binds the signer certificate
//!   into the signature;
//! * **no** `signing-time` attribute: PAdES puts the claimed time in the
//!   signature dictionary's /M instead (EN 319 142-1 §5.4.1);
//! * the digest and signature algorithm of the key ([`SignerKey`]): ECDSA
//!   P-256 with SHA-256 or P-384 with SHA-384 (RFC 6979 deterministic nonces,
//!   so identical input yields an identical signature), RSASSA-PKCS1-v1_5 or
//!   RSASSA-PSS (RFC 4056) with SHA-256 or SHA-384.
//!
//! We build from the `cms`/`der` types directly instead of the `cms` crate's
//! `builder` feature, which would pull in the `rsa` crate (RUSTSEC-2023-0071).

use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
use cms::content_info::{CmsVersion, ContentInfo};
use cms::signed_data::{
    CertificateSet, EncapsulatedContentInfo, SignedData, SignerIdentifier, SignerInfo, SignerInfos,
};
use der::asn1::{OctetString, SetOfVec};
use der::{Any, Encode, Sequence};
use sha2::{Digest, Sha256};
use spki::AlgorithmIdentifierOwned;
use x509_cert::Certificate;
use x509_cert::attr::Attribute;
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::serial_number::SerialNumber;

use crate::error::SignError;
use crate::key::SignerKey;
use crate::oid;

/// `IssuerSerial` (RFC 5035 §4, from RFC 5755).
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub(crate) struct IssuerSerial {
    pub issuer: Vec<GeneralName>,
    pub serial_number: SerialNumber,
}

/// `ESSCertIDv2` (RFC 5035 §4). `hashAlgorithm` is `DEFAULT id-sha256`;
/// DER omits a default value, so `None` means SHA-256 (and is what we
/// write).
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub(crate) struct EssCertIdV2 {
    #[asn1(optional = "true")]
    pub hash_algorithm: Option<AlgorithmIdentifierOwned>,
    pub cert_hash: OctetString,
    #[asn1(optional = "true")]
    pub issuer_serial: Option<IssuerSerial>,
}

/// `SigningCertificateV2` (RFC 5035 §3). The optional `policies` field is
/// never produced; when reading, a trailing policies element is ignored by
/// the caller because only `certs` matters for binding the signer.
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub(crate) struct SigningCertificateV2 {
    pub certs: Vec<EssCertIdV2>,
}

fn enc_err(e: der::Error) -> SignError {
    SignError::Encoding {
        reason: e.to_string(),
    }
}

fn attribute(oid: der::asn1::ObjectIdentifier, value: Any) -> Result<Attribute, SignError> {
    Ok(Attribute {
        oid,
        values: SetOfVec::try_from(vec![value]).map_err(enc_err)?,
    })
}

/// The signed attributes for a document digest and signer certificate.
fn signed_attributes(
    digest: &[u8],
    signer: &Certificate,
) -> Result<SetOfVec<Attribute>, SignError> {
    let cert_der = signer.to_der().map_err(enc_err)?;
    let ess = SigningCertificateV2 {
        certs: vec![EssCertIdV2 {
            hash_algorithm: None,
            cert_hash: OctetString::new(Sha256::digest(&cert_der).to_vec()).map_err(enc_err)?,
            issuer_serial: Some(IssuerSerial {
                issuer: vec![GeneralName::DirectoryName(
                    signer.tbs_certificate.issuer.clone(),
                )],
                serial_number: signer.tbs_certificate.serial_number.clone(),
            }),
        }],
    };
    let attrs = vec![
        attribute(
            oid::ID_CONTENT_TYPE,
            Any::encode_from(&oid::ID_DATA).map_err(enc_err)?,
        )?,
        attribute(
            oid::ID_MESSAGE_DIGEST,
            Any::encode_from(&OctetString::new(digest.to_vec()).map_err(enc_err)?)
                .map_err(enc_err)?,
        )?,
        attribute(
            oid::ID_AA_SIGNING_CERTIFICATE_V2,
            Any::encode_from(&ess).map_err(enc_err)?,
        )?,
    ];
    // SetOfVec sorts into DER order (X.690 §11.6), which is what gets signed.
    SetOfVec::try_from(attrs).map_err(enc_err)
}

/// Builds the DER `ContentInfo` holding the detached SignedData for a
/// document whose /ByteRange bytes hash to `digest`.
///
/// `signature_override` lets the caller size the /Contents placeholder with
/// a worst-case signature ([`SignerKey::max_signature_len`]) before the real
/// digest is known.
pub(crate) fn build(
    digest: &[u8],
    key: &SignerKey,
    signer: &Certificate,
    chain: &[Certificate],
    signature_override: Option<&[u8]>,
) -> Result<Vec<u8>, SignError> {
    let signed_attrs = signed_attributes(digest, signer)?;
    // The signature covers the DER of the attributes as a SET OF (RFC 5652
    // §5.4), not the [0] IMPLICIT form they take inside SignerInfo.
    let to_be_signed = signed_attrs.to_der().map_err(enc_err)?;
    let signature_der = match signature_override {
        Some(s) => s.to_vec(),
        None => key.sign(&to_be_signed)?,
    };
    // Parameters absent for SHA-2 (RFC 5754 §2).
    let digest_alg = key.digest_algorithm().identifier();

    let signer_info = SignerInfo {
        // v1 because the sid is issuerAndSerialNumber (RFC 5652 §5.3).
        version: CmsVersion::V1,
        sid: SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
            issuer: signer.tbs_certificate.issuer.clone(),
            serial_number: signer.tbs_certificate.serial_number.clone(),
        }),
        digest_alg: digest_alg.clone(),
        signed_attrs: Some(signed_attrs),
        signature_algorithm: key.signature_algorithm()?,
        signature: OctetString::new(signature_der).map_err(enc_err)?,
        unsigned_attrs: None,
    };

    let mut certs = vec![CertificateChoices::Certificate(signer.clone())];
    for c in chain {
        let choice = CertificateChoices::Certificate(c.clone());
        if !certs.contains(&choice) {
            certs.push(choice);
        }
    }

    let signed_data = SignedData {
        // v1: no attribute certificates, no "other" formats, id-data content
        // and only v1 SignerInfos (RFC 5652 §5.1).
        version: CmsVersion::V1,
        digest_algorithms: SetOfVec::try_from(vec![digest_alg]).map_err(enc_err)?,
        encap_content_info: EncapsulatedContentInfo {
            econtent_type: oid::ID_DATA,
            econtent: None,
        },
        certificates: Some(CertificateSet(SetOfVec::try_from(certs).map_err(enc_err)?)),
        crls: None,
        signer_infos: SignerInfos(SetOfVec::try_from(vec![signer_info]).map_err(enc_err)?),
    };

    let content_info = ContentInfo {
        content_type: oid::ID_SIGNED_DATA,
        content: Any::encode_from(&signed_data).map_err(enc_err)?,
    };
    content_info.to_der().map_err(enc_err)
}

/// Adds a signature time-stamp (PAdES B-T, ETSI EN 319 122-1 §5.3) to the single SignerInfo
/// of `cms`: `stamp` is given the signature value, whose time-stamp token (RFC 3161 Appendix
/// A) it returns, and the token becomes the unsigned attribute
/// `id-aa-signatureTimeStampToken`. Nothing signed changes.
pub(crate) fn with_signature_time_stamp(
    cms: &[u8],
    stamp: &mut crate::sign::Stamper<'_>,
) -> Result<Vec<u8>, SignError> {
    use der::Decode;
    let info = ContentInfo::from_der(cms).map_err(enc_err)?;
    let mut signed_data: SignedData = info.content.decode_as().map_err(enc_err)?;
    let mut infos: Vec<SignerInfo> = signed_data.signer_infos.0.iter().cloned().collect();
    let [signer_info] = infos.as_mut_slice() else {
        return Err(SignError::Encoding {
            reason: "the signature has more than one SignerInfo".into(),
        });
    };
    let token = stamp(signer_info.signature.as_bytes())?;
    let value = Any::from_der(&token).map_err(enc_err)?;
    signer_info.unsigned_attrs = Some(
        SetOfVec::try_from(vec![attribute(
            oid::ID_AA_SIGNATURE_TIME_STAMP_TOKEN,
            value,
        )?])
        .map_err(enc_err)?,
    );
    signed_data.signer_infos = SignerInfos(SetOfVec::try_from(infos).map_err(enc_err)?);
    ContentInfo {
        content_type: oid::ID_SIGNED_DATA,
        content: Any::encode_from(&signed_data).map_err(enc_err)?,
    }
    .to_der()
    .map_err(enc_err)
}
