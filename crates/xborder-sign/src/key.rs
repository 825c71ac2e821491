//! The signer's private key, as organisations hold it: ECDSA on NIST P-256 or P-384, or RSA
//! of 2048, 3072 or 4096 bits, read from PEM as PKCS#8 (`PRIVATE KEY`, RFC 5958), PKCS#1
//! (`RSA PRIVATE KEY`, RFC 8017 Appendix A.1.2) or SEC1 (`EC PRIVATE KEY`, RFC 5915).
//! (Encrypted keys are decrypted first, [`crate::decrypt_key`]; PKCS#12 files are opened by
//! [`crate::read_pkcs12`], which yields a PKCS#8 key.)
//!
//! What each key signs with, chosen so that the hash is never the weaker part (NIST SP
//! 800-57 Part 1 Rev. 5 Tables 2 and 3: SHA-256 gives 128-bit collision resistance, the
//! strength of P-256 and RSA-3072; SHA-384 gives 192, the strength of P-384):
//!
//! | key            | digest  | signature                                           |
//! |----------------|---------|-----------------------------------------------------|
//! | ECDSA P-256    | SHA-256 | ecdsa-with-SHA256, RFC 6979 deterministic            |
//! | ECDSA P-384    | SHA-384 | ecdsa-with-SHA384, RFC 6979 deterministic            |
//! | RSA 2048       | SHA-256 | sha256WithRSAEncryption or RSASSA-PSS with SHA-256   |
//! | RSA 3072, 4096 | SHA-384 | sha384WithRSAEncryption or RSASSA-PSS with SHA-384   |
//!
//! An organisation that chose a key beyond the 2048-bit baseline asked for more than the
//! baseline, so its signatures get the hash of P-384. RSASSA-PKCS1-v1_5 (the default) is
//! deterministic. RSASSA-PSS draws a fresh random salt for every signature (RFC 8017 §9.1.1
//! step 4, from the system's random number generator): a PSS-signed file differs from run to
//! run even with the same inputs, and verifies the same.
//!
//! `ring` does the RSA private-key operation (constant time; the `rsa` crate is not used,
//! RUSTSEC-2023-0071); it takes moduli of 2048 to 4096 bits made of two primes of a multiple
//! of 512 bits each, which is what OpenSSL and every HSM export for those sizes.

use std::fmt;

use der::asn1::{BitStringRef, ObjectIdentifier, OctetStringRef, UintRef};
use der::{Decode, Reader, Sequence, SliceReader};
use p256::ecdsa::signature::Signer;
use p256::pkcs8::{DecodePrivateKey, PrivateKeyInfo};
use ring::rand::SystemRandom;
use ring::signature::{self as ring_sig, RsaKeyPair, RsaPublicKeyComponents};
use spki::AlgorithmIdentifierOwned;
use x509_cert::Certificate;

use crate::algorithms::{DigestAlgorithm, SignatureScheme};
use crate::certs::{self, PemBlock};
use crate::error::SignError;
use crate::oid;
use crate::public_key::{PublicKey, bit_length};

/// The padding of RSA signatures (RFC 8017 §8). ECDSA keys have none and ignore it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum RsaPadding {
    /// RSASSA-PKCS1-v1_5 (RFC 8017 §8.2): deterministic, accepted by every PDF validator.
    #[default]
    Pkcs1v15,
    /// RSASSA-PSS (RFC 8017 §8.1) with MGF1 and a salt as long as the hash. The salt is
    /// random, so each signature, and each signed file, differs.
    Pss,
}

/// The kind and size of a signing key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyAlgorithm {
    /// ECDSA on NIST P-256 (secp256r1).
    EcdsaP256,
    /// ECDSA on NIST P-384 (secp384r1).
    EcdsaP384,
    /// RSA with a modulus of `bits` bits.
    Rsa {
        /// Modulus length.
        bits: usize,
    },
}

impl KeyAlgorithm {
    /// The signature this key makes with `padding`, in words, as a report states it:
    /// `SHA-256, ECDSA P-256`, `SHA-384, RSA-3072 PSS`.
    pub fn signature_name(self, padding: RsaPadding) -> String {
        let scheme = scheme_of(self, padding);
        let what = match scheme {
            SignatureScheme::RsaPkcs1v15(_) => format!("{self} PKCS#1 v1.5"),
            SignatureScheme::RsaPss(_) => format!("{self} PSS"),
            SignatureScheme::Ecdsa(_) => self.to_string(),
        };
        format!("{}, {what}", scheme.digest().name())
    }
}

/// The scheme a key of `algorithm` signs with (the table of the module documentation).
fn scheme_of(algorithm: KeyAlgorithm, padding: RsaPadding) -> SignatureScheme {
    match algorithm {
        KeyAlgorithm::EcdsaP256 => SignatureScheme::Ecdsa(DigestAlgorithm::Sha256),
        KeyAlgorithm::EcdsaP384 => SignatureScheme::Ecdsa(DigestAlgorithm::Sha384),
        KeyAlgorithm::Rsa { bits } => {
            let digest = if bits >= RSA_SHA384_FROM_BITS {
                DigestAlgorithm::Sha384
            } else {
                DigestAlgorithm::Sha256
            };
            match padding {
                RsaPadding::Pkcs1v15 => SignatureScheme::RsaPkcs1v15(digest),
                RsaPadding::Pss => SignatureScheme::RsaPss(digest),
            }
        }
    }
}

impl fmt::Display for KeyAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyAlgorithm::EcdsaP256 => f.write_str("ECDSA P-256"),
            KeyAlgorithm::EcdsaP384 => f.write_str("ECDSA P-384"),
            KeyAlgorithm::Rsa { bits } => write!(f, "RSA-{bits}"),
        }
    }
}

/// The algorithm of an unencrypted private key PEM (see [`crate::SignRequest::key_pem`]),
/// e.g. to say what a run signs with, or to refuse options that do not apply to it.
///
/// # Errors
/// The [`SignError`]s of an unusable key.
pub fn key_algorithm(key_pem: &str) -> Result<KeyAlgorithm, SignError> {
    certs::load_signing_key(key_pem, RsaPadding::default()).map(|k| k.algorithm())
}

/// RSA moduli `ring` signs with (bits).
const RSA_BITS: std::ops::RangeInclusive<usize> = 2048..=4096;
/// From this modulus size on, RSA signs with SHA-384 (see the module documentation).
const RSA_SHA384_FROM_BITS: usize = 3072;
/// Longest DER `ECDSA-Sig-Value` (RFC 5758 §3.2): SEQUENCE of two INTEGERs of the field
/// size plus a sign byte each.
const P256_MAX_SIGNATURE: usize = 72;
const P384_MAX_SIGNATURE: usize = 104;

/// A private key ready to sign.
pub(crate) enum SignerKey {
    P256(p256::ecdsa::SigningKey),
    P384(p384::ecdsa::SigningKey),
    Rsa {
        key: RsaKeyPair,
        bits: usize,
        padding: RsaPadding,
    },
}

/// The head of SEC1's `ECPrivateKey` (RFC 5915 §3), for its curve.
#[derive(Sequence)]
struct EcPrivateKey<'a> {
    version: u8,
    _private_key: OctetStringRef<'a>,
    #[asn1(context_specific = "0", optional = "true")]
    parameters: Option<ObjectIdentifier>,
    #[asn1(context_specific = "1", optional = "true")]
    _public_key: Option<BitStringRef<'a>>,
}

impl SignerKey {
    /// The key of an unencrypted private-key PEM block: `PRIVATE KEY` (PKCS#8), `RSA PRIVATE
    /// KEY` (PKCS#1) or `EC PRIVATE KEY` (SEC1).
    pub(crate) fn from_block(block: &PemBlock, padding: RsaPadding) -> Result<Self, SignError> {
        let line = block.line;
        match block.label.as_str() {
            "PRIVATE KEY" => Self::from_pkcs8_der(&block.der, line, padding),
            "RSA PRIVATE KEY" => Self::from_pkcs1_der(&block.der, line, padding),
            "EC PRIVATE KEY" => Self::from_sec1_der(&block.der, line),
            "ENCRYPTED PRIVATE KEY" => Err(SignError::KeyPassphraseRequired { line }),
            other => Err(SignError::UnsupportedKeyFormat {
                line,
                label: other.to_owned(),
            }),
        }
    }

    /// A PKCS#8 `PrivateKeyInfo` (RFC 5958 §2); `line` locates the block in errors.
    pub(crate) fn from_pkcs8_der(
        der: &[u8],
        line: usize,
        padding: RsaPadding,
    ) -> Result<Self, SignError> {
        let info = PrivateKeyInfo::from_der(der).map_err(|e| SignError::InvalidKeyPem {
            line,
            reason: format!("not a PKCS#8 PrivateKeyInfo: {e}"),
        })?;
        let alg = info.algorithm.oid;
        if alg == oid::RSA_ENCRYPTION {
            return Self::from_pkcs1_der(info.private_key, line, padding);
        }
        if alg != oid::ID_EC_PUBLIC_KEY {
            return Err(SignError::UnsupportedKeyAlgorithm {
                line,
                algorithm: certs::algorithm_name(alg),
            });
        }
        let curve = info
            .algorithm
            .parameters
            .and_then(|p| p.decode_as::<ObjectIdentifier>().ok());
        let unreadable = |e: &dyn fmt::Display| SignError::InvalidKeyPem {
            line,
            reason: format!("the EC key could not be decoded: {e}"),
        };
        match curve {
            Some(c) if c == oid::SECP256R1 => p256::SecretKey::from_pkcs8_der(der)
                .map(|k| Self::P256(k.into()))
                .map_err(|e| unreadable(&e)),
            Some(c) if c == oid::SECP384R1 => p384::SecretKey::from_pkcs8_der(der)
                .map(|k| Self::P384(k.into()))
                .map_err(|e| unreadable(&e)),
            other => Err(unsupported_curve(other, line)),
        }
    }

    /// A PKCS#1 `RSAPrivateKey` (RFC 8017 Appendix A.1.2).
    fn from_pkcs1_der(der: &[u8], line: usize, padding: RsaPadding) -> Result<Self, SignError> {
        let bits = rsa_modulus_bits(der).ok_or_else(|| SignError::InvalidKeyPem {
            line,
            reason: "not a PKCS#1 RSAPrivateKey".into(),
        })?;
        if !RSA_BITS.contains(&bits) {
            return Err(SignError::RsaKeySize { line, bits });
        }
        let key = RsaKeyPair::from_der(der).map_err(|e| SignError::InvalidKeyPem {
            line,
            reason: format!("the RSA key was rejected: {}", rsa_rejection(&e)),
        })?;
        Ok(Self::Rsa { key, bits, padding })
    }

    /// A SEC1 `ECPrivateKey` (RFC 5915 §3), which names its curve in `parameters`.
    fn from_sec1_der(der: &[u8], line: usize) -> Result<Self, SignError> {
        let parsed = EcPrivateKey::from_der(der)
            .map_err(|e| e.to_string())
            .and_then(|k| match k.version {
                1 => Ok(k),
                v => Err(format!("version {v} instead of 1")),
            })
            .map_err(|e| SignError::InvalidKeyPem {
                line,
                reason: format!("not a SEC1 ECPrivateKey: {e}"),
            })?;
        let unreadable = |e: &dyn fmt::Display| SignError::InvalidKeyPem {
            line,
            reason: format!("the EC key could not be decoded: {e}"),
        };
        match parsed.parameters {
            Some(c) if c == oid::SECP256R1 => p256::SecretKey::from_sec1_der(der)
                .map(|k| Self::P256(k.into()))
                .map_err(|e| unreadable(&e)),
            Some(c) if c == oid::SECP384R1 => p384::SecretKey::from_sec1_der(der)
                .map(|k| Self::P384(k.into()))
                .map_err(|e| unreadable(&e)),
            other => Err(unsupported_curve(other, line)),
        }
    }

    pub(crate) fn algorithm(&self) -> KeyAlgorithm {
        match self {
            Self::P256(_) => KeyAlgorithm::EcdsaP256,
            Self::P384(_) => KeyAlgorithm::EcdsaP384,
            Self::Rsa { bits, .. } => KeyAlgorithm::Rsa { bits: *bits },
        }
    }

    /// The scheme this key signs with (the table of the module documentation).
    pub(crate) fn scheme(&self) -> SignatureScheme {
        let padding = match self {
            Self::Rsa { padding, .. } => *padding,
            Self::P256(_) | Self::P384(_) => RsaPadding::default(),
        };
        scheme_of(self.algorithm(), padding)
    }

    /// The digest of the document and of the signed attributes.
    pub(crate) fn digest_algorithm(&self) -> DigestAlgorithm {
        self.scheme().digest()
    }

    /// The SignerInfo's `signatureAlgorithm`.
    pub(crate) fn signature_algorithm(&self) -> Result<AlgorithmIdentifierOwned, SignError> {
        self.scheme().identifier().map_err(|e| SignError::Encoding {
            reason: e.to_string(),
        })
    }

    /// Signs `message` (hashing it with [`Self::digest_algorithm`]): a DER ECDSA-Sig-Value
    /// for ECDSA, the RSA signature octets for RSA.
    pub(crate) fn sign(&self, message: &[u8]) -> Result<Vec<u8>, SignError> {
        match self {
            Self::P256(key) => {
                let sig: p256::ecdsa::Signature = key.sign(message);
                Ok(sig.to_der().as_bytes().to_vec())
            }
            Self::P384(key) => {
                let sig: p384::ecdsa::Signature = key.sign(message);
                Ok(sig.to_der().as_bytes().to_vec())
            }
            Self::Rsa { key, .. } => {
                let encoding: &'static dyn ring_sig::RsaEncoding = match self.scheme() {
                    SignatureScheme::RsaPkcs1v15(DigestAlgorithm::Sha256) => {
                        &ring_sig::RSA_PKCS1_SHA256
                    }
                    SignatureScheme::RsaPkcs1v15(DigestAlgorithm::Sha384) => {
                        &ring_sig::RSA_PKCS1_SHA384
                    }
                    SignatureScheme::RsaPkcs1v15(DigestAlgorithm::Sha512) => {
                        &ring_sig::RSA_PKCS1_SHA512
                    }
                    SignatureScheme::RsaPss(DigestAlgorithm::Sha256) => &ring_sig::RSA_PSS_SHA256,
                    SignatureScheme::RsaPss(DigestAlgorithm::Sha384) => &ring_sig::RSA_PSS_SHA384,
                    SignatureScheme::RsaPss(DigestAlgorithm::Sha512) => &ring_sig::RSA_PSS_SHA512,
                    SignatureScheme::Ecdsa(_) => {
                        return Err(SignError::Encoding {
                            reason: "an RSA key was given an ECDSA scheme".into(),
                        });
                    }
                };
                let mut signature = vec![0; key.public().modulus_len()];
                // The random number generator is used for the PSS salt only.
                key.sign(encoding, &SystemRandom::new(), message, &mut signature)
                    .map_err(|_| SignError::Encoding {
                        reason: "the RSA signature could not be computed".into(),
                    })?;
                Ok(signature)
            }
        }
    }

    /// The longest signature this key makes, to size the `/Contents` placeholder.
    pub(crate) fn max_signature_len(&self) -> usize {
        match self {
            Self::P256(_) => P256_MAX_SIGNATURE,
            Self::P384(_) => P384_MAX_SIGNATURE,
            Self::Rsa { key, .. } => key.public().modulus_len(),
        }
    }

    pub(crate) fn public_key(&self) -> PublicKey {
        match self {
            Self::P256(key) => PublicKey::P256(*key.verifying_key()),
            Self::P384(key) => PublicKey::P384(*key.verifying_key()),
            Self::Rsa { key, .. } => {
                let parts: RsaPublicKeyComponents<Vec<u8>> = key.public().into();
                PublicKey::Rsa {
                    n: parts.n,
                    e: parts.e,
                }
            }
        }
    }

    /// Whether `cert` was issued for this key: the same public key.
    pub(crate) fn matches(&self, cert: &Certificate) -> bool {
        PublicKey::from_certificate(cert).is_ok_and(|k| k == self.public_key())
    }
}

fn unsupported_curve(curve: Option<ObjectIdentifier>, line: usize) -> SignError {
    SignError::UnsupportedKeyAlgorithm {
        line,
        algorithm: format!(
            "an EC key on {}",
            curve.map_or_else(|| "an unnamed curve".to_owned(), certs::curve_name)
        ),
    }
}

/// The modulus length of a PKCS#1 `RSAPrivateKey` (its second field, after the version).
fn rsa_modulus_bits(der: &[u8]) -> Option<usize> {
    let mut reader = SliceReader::new(der).ok()?;
    reader
        .sequence(|r| {
            let _version = UintRef::decode(r)?;
            let modulus = UintRef::decode(r)?;
            // The remaining fields are `ring`'s to check.
            let rest = r.remaining_len();
            r.read_slice(rest)?;
            Ok(bit_length(modulus.as_bytes()))
        })
        .ok()
}

/// `ring`'s reason for refusing an RSA key, in words.
fn rsa_rejection(e: &ring::error::KeyRejected) -> String {
    match e.to_string().as_str() {
        "PrivateModulusLenNotMultipleOf512Bits" => {
            "its primes are not a multiple of 512 bits long (use a 2048-, 3072- or 4096-bit key)"
                .into()
        }
        "InconsistentComponents" | "InvalidComponent" => {
            "its components are inconsistent (a damaged key)".into()
        }
        "InvalidEncoding" => "its encoding is invalid".into(),
        "VersionNotSupported" => "it has more than two primes".into(),
        other => other.to_owned(),
    }
}
