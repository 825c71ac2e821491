//! Keys and X.509 certificates (RFC 5280): PEM loading, the checks the signer
//! makes before signing, and the primitives the verifier uses to build and
//! check a chain.

use chrono::{DateTime, Utc};
use der::asn1::ObjectIdentifier;
use der::{Decode, Encode, Tag, Tagged};
use p256::ecdsa::signature::hazmat::PrehashVerifier;
use p256::ecdsa::{SigningKey, VerifyingKey};
use p256::elliptic_curve::zeroize::Zeroizing;
use p256::pkcs8::{DecodePrivateKey, PrivateKeyInfo};
use sha2::{Digest, Sha256, Sha384, Sha512};
use spki::DecodePublicKey;
use x509_cert::Certificate;
use x509_cert::ext::pkix::{BasicConstraints, KeyUsage, KeyUsages};
use x509_cert::name::Name;
use x509_cert::time::Time;

use crate::error::SignError;
use crate::oid;

/// One PEM block: its label and decoded DER.
pub(crate) struct PemBlock {
    pub label: String,
    pub der: Zeroizing<Vec<u8>>,
}

/// Splits text into PEM blocks (RFC 7468), ignoring any text between blocks
/// (OpenSSL's "Bag Attributes", comments…). The error string never contains
/// input bytes.
pub(crate) fn pem_blocks(text: &str) -> Result<Vec<PemBlock>, String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(begin) = rest.find("-----BEGIN ") {
        let after = rest.get(begin..).unwrap_or_default();
        let Some(end_rel) = after.find("-----END ") else {
            return Err("a BEGIN line has no matching END line".into());
        };
        let tail = after.get(end_rel + "-----END ".len()..).unwrap_or_default();
        let Some(close) = tail.find("-----") else {
            return Err("an END line is not terminated by `-----`".into());
        };
        let block_len = end_rel + "-----END ".len() + close + "-----".len();
        let block = after.get(..block_len).unwrap_or_default();
        let (label, der) = der::pem::decode_vec(block.as_bytes())
            .map_err(|e| format!("invalid PEM encoding: {e}"))?;
        out.push(PemBlock {
            label: label.to_owned(),
            der: Zeroizing::new(der),
        });
        rest = after.get(block_len..).unwrap_or_default();
    }
    Ok(out)
}

/// Loads an unencrypted PKCS#8 (RFC 5208/5958) ECDSA P-256 private key.
pub(crate) fn load_signing_key(pem: &str) -> Result<SigningKey, SignError> {
    let blocks = pem_blocks(pem).map_err(|reason| SignError::InvalidKeyPem { reason })?;
    let Some(block) = blocks.iter().find(|b| b.label.contains("PRIVATE KEY")) else {
        return Err(SignError::InvalidKeyPem {
            reason: if blocks.is_empty() {
                "no PEM block found".into()
            } else {
                "no PRIVATE KEY block found".into()
            },
        });
    };
    if block.label != "PRIVATE KEY" {
        return Err(SignError::UnsupportedKeyFormat {
            label: block.label.clone(),
        });
    }
    let info = PrivateKeyInfo::from_der(&block.der).map_err(|e| SignError::InvalidKeyPem {
        reason: format!("not a PKCS#8 PrivateKeyInfo: {e}"),
    })?;
    let alg = info.algorithm.oid;
    if alg != oid::ID_EC_PUBLIC_KEY {
        return Err(SignError::UnsupportedKeyAlgorithm {
            algorithm: algorithm_name(alg),
        });
    }
    let curve = info
        .algorithm
        .parameters
        .and_then(|p| p.decode_as::<ObjectIdentifier>().ok());
    if curve != Some(oid::SECP256R1) {
        return Err(SignError::UnsupportedKeyAlgorithm {
            algorithm: format!(
                "an EC key on {}",
                curve.map_or_else(|| "an unnamed curve".to_owned(), curve_name)
            ),
        });
    }
    let secret =
        p256::SecretKey::from_pkcs8_der(&block.der).map_err(|e| SignError::InvalidKeyPem {
            reason: format!("the P-256 key could not be decoded: {e}"),
        })?;
    Ok(SigningKey::from(secret))
}

fn algorithm_name(alg: ObjectIdentifier) -> String {
    match alg {
        a if a == oid::RSA_ENCRYPTION => "an RSA key".into(),
        a if a == oid::ID_ED25519 => "an Ed25519 key".into(),
        a if a == oid::ID_ED448 => "an Ed448 key".into(),
        other => format!("a key of algorithm {other}"),
    }
}

fn curve_name(curve: ObjectIdentifier) -> String {
    match curve {
        c if c == oid::SECP384R1 => "P-384 (secp384r1)".into(),
        c if c == oid::SECP521R1 => "P-521 (secp521r1)".into(),
        other => format!("curve {other}"),
    }
}

/// Loads every `CERTIFICATE` block of `pem`. `which` names the input in
/// errors.
pub(crate) fn load_certificates(
    pem: &str,
    which: &'static str,
) -> Result<Vec<Certificate>, SignError> {
    parse_certificates(pem).map_err(|reason| SignError::InvalidCertificatePem { which, reason })
}

/// Shared by signer and verifier: all `CERTIFICATE` blocks, at least one.
pub(crate) fn parse_certificates(pem: &str) -> Result<Vec<Certificate>, String> {
    let blocks = pem_blocks(pem)?;
    let mut certs = Vec::new();
    for b in blocks.iter().filter(|b| b.label == "CERTIFICATE") {
        certs.push(Certificate::from_der(&b.der).map_err(|e| format!("bad certificate: {e}"))?);
    }
    if certs.is_empty() {
        return Err("no CERTIFICATE block found".into());
    }
    Ok(certs)
}

/// RFC 4514-style subject, e.g. `CN=Alice,O=Example`.
pub(crate) fn subject_string(cert: &Certificate) -> String {
    cert.tbs_certificate.subject.to_string()
}

/// The first commonName of a name, if it is a readable string type.
pub(crate) fn common_name(name: &Name) -> Option<String> {
    name.0
        .iter()
        .flat_map(|rdn| rdn.0.iter())
        .find(|atv| atv.oid == oid::ID_AT_COMMON_NAME)
        .and_then(|atv| directory_string(&atv.value))
}

fn directory_string(value: &der::Any) -> Option<String> {
    match value.tag() {
        Tag::Utf8String | Tag::PrintableString | Tag::Ia5String | Tag::TeletexString => {
            Some(String::from_utf8_lossy(value.value()).into_owned())
        }
        Tag::BmpString => {
            let units: Vec<u16> = value
                .value()
                .chunks(2)
                .map(|c| match c {
                    [h, l] => u16::from_be_bytes([*h, *l]),
                    _ => 0xFFFD,
                })
                .collect();
            Some(String::from_utf16_lossy(&units))
        }
        _ => None,
    }
}

/// SHA-256 of the certificate's DER encoding.
pub(crate) fn fingerprint(cert: &Certificate) -> Option<[u8; 32]> {
    cert.to_der().ok().map(|der| Sha256::digest(der).into())
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub(crate) fn time_to_utc(t: &Time) -> Option<DateTime<Utc>> {
    let secs = i64::try_from(t.to_unix_duration().as_secs()).ok()?;
    DateTime::from_timestamp(secs, 0)
}

/// (notBefore, notAfter) as UTC.
pub(crate) fn validity(cert: &Certificate) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    let v = &cert.tbs_certificate.validity;
    Some((time_to_utc(&v.not_before)?, time_to_utc(&v.not_after)?))
}

/// The certificate's P-256 public key, if that is what it carries.
pub(crate) fn p256_key(cert: &Certificate) -> Option<VerifyingKey> {
    let spki = cert.tbs_certificate.subject_public_key_info.to_der().ok()?;
    let pk = p256::PublicKey::from_public_key_der(&spki).ok()?;
    Some(VerifyingKey::from(pk))
}

fn extension_value(cert: &Certificate, id: ObjectIdentifier) -> Option<&[u8]> {
    cert.tbs_certificate
        .extensions
        .as_ref()?
        .iter()
        .find(|e| e.extn_id == id)
        .map(|e| e.extn_value.as_bytes())
}

/// keyUsage if present (`Some(Err)` if present but unreadable).
pub(crate) fn key_usage(cert: &Certificate) -> Option<Result<KeyUsage, der::Error>> {
    extension_value(cert, oid::ID_CE_KEY_USAGE).map(KeyUsage::from_der)
}

/// True unless a keyUsage extension exists and allows neither
/// digitalSignature nor nonRepudiation (RFC 5280 §4.2.1.3).
pub(crate) fn allows_document_signing(cert: &Certificate) -> bool {
    match key_usage(cert) {
        None => true,
        Some(Ok(ku)) => {
            ku.0.contains(KeyUsages::DigitalSignature) || ku.0.contains(KeyUsages::NonRepudiation)
        }
        Some(Err(_)) => false,
    }
}

/// True if the certificate may issue certificates: basicConstraints cA and,
/// when keyUsage is present, keyCertSign (RFC 5280 §4.2.1.9, §4.2.1.3).
pub(crate) fn is_ca(cert: &Certificate) -> bool {
    let bc = extension_value(cert, oid::ID_CE_BASIC_CONSTRAINTS)
        .and_then(|v| BasicConstraints::from_der(v).ok());
    let ku_ok = match key_usage(cert) {
        None => true,
        Some(Ok(ku)) => ku.0.contains(KeyUsages::KeyCertSign),
        Some(Err(_)) => false,
    };
    bc.is_some_and(|b| b.ca) && ku_ok
}

/// Hashes `data` with the SHA-2 function named by a digest or ECDSA
/// signature algorithm OID.
pub(crate) fn sha2_digest(alg: ObjectIdentifier, data: &[u8]) -> Option<Vec<u8>> {
    match alg {
        a if a == oid::ID_SHA256 || a == oid::ECDSA_WITH_SHA256 => {
            Some(Sha256::digest(data).to_vec())
        }
        a if a == oid::ID_SHA384 || a == oid::ECDSA_WITH_SHA384 => {
            Some(Sha384::digest(data).to_vec())
        }
        a if a == oid::ID_SHA512 || a == oid::ECDSA_WITH_SHA512 => {
            Some(Sha512::digest(data).to_vec())
        }
        _ => None,
    }
}

/// Verifies a DER-encoded ECDSA signature over a precomputed hash.
pub(crate) fn verify_ecdsa_prehash(key: &VerifyingKey, prehash: &[u8], sig_der: &[u8]) -> bool {
    let Ok(sig) = p256::ecdsa::Signature::from_der(sig_der) else {
        return false;
    };
    key.verify_prehash(prehash, &sig).is_ok()
}

/// Why a certificate's signature could not be confirmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum CertSigError {
    /// The algorithm or the issuer key type is not supported (only ECDSA
    /// P-256 with SHA-2).
    Unsupported,
    /// The signature does not verify.
    Invalid,
}

/// Verifies that `issuer` signed `cert` (RFC 5280 §6.1.3 (a)(1)).
pub(crate) fn verify_issued_by(
    cert: &Certificate,
    issuer: &Certificate,
) -> Result<(), CertSigError> {
    let alg = cert.signature_algorithm.oid;
    let Ok(tbs) = cert.tbs_certificate.to_der() else {
        return Err(CertSigError::Invalid);
    };
    let Some(hash) = [
        oid::ECDSA_WITH_SHA256,
        oid::ECDSA_WITH_SHA384,
        oid::ECDSA_WITH_SHA512,
    ]
    .contains(&alg)
    .then(|| sha2_digest(alg, &tbs))
    .flatten() else {
        return Err(CertSigError::Unsupported);
    };
    let Some(key) = p256_key(issuer) else {
        return Err(CertSigError::Unsupported);
    };
    let Some(sig) = cert.signature.as_bytes() else {
        return Err(CertSigError::Invalid);
    };
    if verify_ecdsa_prehash(&key, &hash, sig) {
        Ok(())
    } else {
        Err(CertSigError::Invalid)
    }
}
