//! A throw-away demo PKI: a self-signed CA and a signer certificate issued by
//! it, both ECDSA P-256. Enough to sign reports and to show validators
//! (pyHanko with `--trust`, or [`crate::verify_pdf`] with the CA as anchor) a
//! complete chain; not meant for production trust.
//!
//! Profiles (RFC 5280 §4.2.1): the CA has basicConstraints cA=TRUE and
//! keyUsage keyCertSign|cRLSign; the signer has cA=FALSE and keyUsage
//! digitalSignature|nonRepudiation, which is what PAdES validators expect of
//! a document-signing certificate. No EKU is set: an absent EKU restricts
//! nothing, and pyHanko accepts it.

use std::fmt;
use std::time::SystemTime;

use chrono::{DateTime, Utc};
use der::asn1::{Any, SetOfVec};
use der::pem::LineEnding;
use der::{EncodePem, Tag};
use p256::ecdsa::{DerSignature, SigningKey};
use p256::pkcs8::EncodePrivateKey;
use rand_core::{OsRng, RngCore};
use spki::SubjectPublicKeyInfoOwned;
use x509_cert::attr::AttributeTypeAndValue;
use x509_cert::builder::{Builder, CertificateBuilder, Profile};
use x509_cert::name::{Name, RdnSequence, RelativeDistinguishedName};
use x509_cert::serial_number::SerialNumber;
use x509_cert::time::{Time, Validity};

use crate::error::SignError;
use crate::oid;

/// PEM texts of a demo CA and a signer issued by it.
#[derive(Clone, PartialEq, Eq)]
pub struct DemoPki {
    /// The CA certificate: pass it as the trust anchor when verifying.
    pub ca_cert_pem: String,
    /// The CA private key (PKCS#8 PEM). Only needed to issue more
    /// certificates; keep it away from the signer.
    pub ca_key_pem: String,
    /// The signer certificate (PEM).
    pub signer_cert_pem: String,
    /// The signer private key (PKCS#8 PEM).
    pub signer_key_pem: String,
}

impl fmt::Debug for DemoPki {
    // Never print key material.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DemoPki")
            .field("ca_cert_pem", &self.ca_cert_pem)
            .field("ca_key_pem", &"<redacted>")
            .field("signer_cert_pem", &self.signer_cert_pem)
            .field("signer_key_pem", &"<redacted>")
            .finish()
    }
}

/// Longest accepted `name`; with the ` Demo CA` suffix the CA commonName
/// stays within ub-common-name (64, RFC 5280 Appendix A.1).
const MAX_NAME: usize = 56;
const ORGANIZATION: &str = "xborder demo PKI";

/// Creates a demo CA (`CN=<name> Demo CA`) and a signer certificate
/// (`CN=<name>`), both valid from `not_before` to `not_after`, with fresh
/// random P-256 keys.
///
/// # Errors
/// [`SignError::InvalidKeygenInput`] for an empty/overlong/control-character
/// name or an empty validity period.
pub fn keygen(
    name: &str,
    not_before: DateTime<Utc>,
    not_after: DateTime<Utc>,
) -> Result<DemoPki, SignError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME || name.chars().any(char::is_control) {
        return Err(SignError::InvalidKeygenInput {
            reason: format!(
                "the name must be 1 to {MAX_NAME} printable characters, e.g. \"Audit Team\""
            ),
        });
    }
    if not_before >= not_after {
        return Err(SignError::InvalidKeygenInput {
            reason: format!(
                "not_before ({not_before}) must be earlier than not_after ({not_after})"
            ),
        });
    }
    let validity = Validity {
        not_before: to_time(not_before)?,
        not_after: to_time(not_after)?,
    };

    let ca_key = SigningKey::random(&mut OsRng);
    let signer_key = SigningKey::random(&mut OsRng);
    let ca_name = x500_name(&format!("{name} Demo CA"))?;
    let signer_name = x500_name(name)?;

    let ca = CertificateBuilder::new(
        Profile::Root,
        random_serial()?,
        validity,
        ca_name.clone(),
        spki_of(&ca_key)?,
        &ca_key,
    )
    .map_err(build_err)?
    .build::<DerSignature>()
    .map_err(build_err)?;

    let signer = CertificateBuilder::new(
        Profile::Leaf {
            issuer: ca_name,
            enable_key_agreement: false,
            enable_key_encipherment: false,
        },
        random_serial()?,
        validity,
        signer_name,
        spki_of(&signer_key)?,
        &ca_key,
    )
    .map_err(build_err)?
    .build::<DerSignature>()
    .map_err(build_err)?;

    Ok(DemoPki {
        ca_cert_pem: ca.to_pem(LineEnding::LF).map_err(der_err)?,
        ca_key_pem: key_pem(&ca_key)?,
        signer_cert_pem: signer.to_pem(LineEnding::LF).map_err(der_err)?,
        signer_key_pem: key_pem(&signer_key)?,
    })
}

fn build_err(e: x509_cert::builder::Error) -> SignError {
    SignError::Encoding {
        reason: format!("certificate construction failed: {e}"),
    }
}

fn der_err(e: der::Error) -> SignError {
    SignError::Encoding {
        reason: e.to_string(),
    }
}

fn to_time(t: DateTime<Utc>) -> Result<Time, SignError> {
    Time::try_from(SystemTime::from(t)).map_err(|_| SignError::InvalidKeygenInput {
        reason: format!("{t} cannot be expressed as an X.509 time (years 1970-9999)"),
    })
}

fn spki_of(key: &SigningKey) -> Result<SubjectPublicKeyInfoOwned, SignError> {
    SubjectPublicKeyInfoOwned::from_key(*key.verifying_key()).map_err(|e| SignError::Encoding {
        reason: e.to_string(),
    })
}

fn key_pem(key: &SigningKey) -> Result<String, SignError> {
    let secret = p256::SecretKey::from(key);
    let pem = secret
        .to_pkcs8_pem(LineEnding::LF)
        .map_err(|e| SignError::Encoding {
            reason: e.to_string(),
        })?;
    Ok(pem.as_str().to_owned())
}

/// A positive 127-bit random serial (RFC 5280 §4.1.2.2: positive, at most
/// 20 octets, unique per CA).
fn random_serial() -> Result<SerialNumber, SignError> {
    let mut bytes = [0u8; 16];
    OsRng.fill_bytes(&mut bytes);
    if let Some(first) = bytes.first_mut() {
        *first = (*first & 0x7f) | 0x01;
    }
    SerialNumber::new(&bytes).map_err(der_err)
}

/// `O=xborder demo PKI, CN=<cn>` with UTF8String values, built attribute by
/// attribute rather than parsed from a string, so names containing `,` or `=`
/// need no escaping.
fn x500_name(cn: &str) -> Result<Name, SignError> {
    let rdn = |oid, value: &str| -> Result<RelativeDistinguishedName, SignError> {
        let atv = AttributeTypeAndValue {
            oid,
            value: Any::new(Tag::Utf8String, value.as_bytes()).map_err(der_err)?,
        };
        Ok(RelativeDistinguishedName(
            SetOfVec::try_from(vec![atv]).map_err(der_err)?,
        ))
    };
    Ok(RdnSequence(vec![
        rdn(oid::ID_AT_ORGANIZATION, ORGANIZATION)?,
        rdn(oid::ID_AT_COMMON_NAME, cn)?,
    ]))
}
