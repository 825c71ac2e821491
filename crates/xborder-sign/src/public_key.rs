//! The public keys signatures are checked with, read from a certificate's
//! `SubjectPublicKeyInfo` (RFC 5280 §4.1.2.7): ECDSA on P-256 or P-384 (RFC 5480), and RSA
//! (`rsaEncryption`, RFC 8017 Appendix A.1.1) of 2048 to 8192 bits.
//!
//! ECDSA is verified with the RustCrypto curves over the hash of the message, whatever SHA-2
//! the scheme names (FIPS 186-5 §6.4.2 truncates a longer hash). RSA is verified with `ring`,
//! which hashes the message itself.

use der::asn1::{ObjectIdentifier, UintRef};
use der::{Decode, Encode, Reader, SliceReader};
use p256::ecdsa::signature::hazmat::PrehashVerifier;
use ring::signature::{self as ring_sig, RsaParameters, RsaPublicKeyComponents};
use spki::{DecodePublicKey, SubjectPublicKeyInfoOwned};
use x509_cert::Certificate;

use crate::algorithms::{DigestAlgorithm, SignatureScheme};
use crate::oid;

/// A public key that this tool can check signatures with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PublicKey {
    P256(p256::ecdsa::VerifyingKey),
    P384(p384::ecdsa::VerifyingKey),
    /// Modulus and public exponent, big-endian without leading zeros.
    Rsa {
        n: Vec<u8>,
        e: Vec<u8>,
    },
}

/// What checking a signature found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Verdict {
    Valid,
    /// The signature does not verify with this key.
    Invalid,
    /// The scheme does not fit the key, or the key is outside what `ring` verifies; in words.
    Unsupported(String),
}

impl PublicKey {
    /// The key of a certificate; the error names the key in words.
    pub(crate) fn from_certificate(cert: &Certificate) -> Result<Self, String> {
        Self::from_spki(&cert.tbs_certificate.subject_public_key_info)
    }

    pub(crate) fn from_spki(spki: &SubjectPublicKeyInfoOwned) -> Result<Self, String> {
        let der = spki
            .to_der()
            .map_err(|e| format!("a key that cannot be re-encoded ({e})"))?;
        match spki.algorithm.oid {
            a if a == oid::ID_EC_PUBLIC_KEY => {
                let curve = spki
                    .algorithm
                    .parameters
                    .as_ref()
                    .and_then(|p| p.decode_as::<ObjectIdentifier>().ok());
                match curve {
                    Some(c) if c == oid::SECP256R1 => p256::PublicKey::from_public_key_der(&der)
                        .map(|k| Self::P256(k.into()))
                        .map_err(|e| format!("an unreadable P-256 key ({e})")),
                    Some(c) if c == oid::SECP384R1 => p384::PublicKey::from_public_key_der(&der)
                        .map(|k| Self::P384(k.into()))
                        .map_err(|e| format!("an unreadable P-384 key ({e})")),
                    Some(c) => Err(format!("an EC key on {}", crate::certs::curve_name(c))),
                    None => Err("an EC key without a named curve".to_owned()),
                }
            }
            a if a == oid::RSA_ENCRYPTION => {
                let bytes = spki
                    .subject_public_key
                    .as_bytes()
                    .ok_or_else(|| "an RSA key that is not whole bytes".to_owned())?;
                rsa_public_key(bytes).ok_or_else(|| "an unreadable RSA key".to_owned())
            }
            other => Err(crate::certs::algorithm_name(other)),
        }
    }

    /// Checks `signature` over `message` with `scheme`.
    pub(crate) fn verify(
        &self,
        scheme: SignatureScheme,
        message: &[u8],
        signature: &[u8],
    ) -> Verdict {
        match (self, scheme) {
            (Self::P256(key), SignatureScheme::Ecdsa(d)) => {
                let ok = p256::ecdsa::Signature::from_der(signature)
                    .is_ok_and(|sig| key.verify_prehash(&d.digest(&[message]), &sig).is_ok());
                Verdict::from(ok)
            }
            (Self::P384(key), SignatureScheme::Ecdsa(d)) => {
                let ok = p384::ecdsa::Signature::from_der(signature)
                    .is_ok_and(|sig| key.verify_prehash(&d.digest(&[message]), &sig).is_ok());
                Verdict::from(ok)
            }
            (Self::Rsa { n, e }, SignatureScheme::RsaPkcs1v15(d)) => {
                verify_rsa(n, e, rsa_pkcs1_parameters(d), message, signature)
            }
            (Self::Rsa { n, e }, SignatureScheme::RsaPss(d)) => {
                verify_rsa(n, e, rsa_pss_parameters(d), message, signature)
            }
            (key, scheme) => Verdict::Unsupported(format!("{} with {}", scheme.name(), key.name())),
        }
    }

    /// The key's size in words, for the algorithm line of a verification: `a P-256 key`,
    /// `a 3072-bit RSA key`.
    pub(crate) fn size(&self) -> String {
        match self {
            Self::P256(_) => "a P-256 key".to_owned(),
            Self::P384(_) => "a P-384 key".to_owned(),
            Self::Rsa { n, .. } => format!("a {}-bit RSA key", bit_length(n)),
        }
    }

    /// Name for messages: `ECDSA P-256`, `RSA-3072`.
    pub(crate) fn name(&self) -> String {
        match self {
            Self::P256(_) => "an ECDSA P-256 key".to_owned(),
            Self::P384(_) => "an ECDSA P-384 key".to_owned(),
            Self::Rsa { n, .. } => format!("a {}-bit RSA key", bit_length(n)),
        }
    }
}

impl From<bool> for Verdict {
    fn from(ok: bool) -> Self {
        if ok { Verdict::Valid } else { Verdict::Invalid }
    }
}

/// Checks an RSA signature with `ring`, which takes moduli of 2048 to 8192 bits.
fn verify_rsa(
    n: &[u8],
    e: &[u8],
    parameters: &'static RsaParameters,
    message: &[u8],
    signature: &[u8],
) -> Verdict {
    let bits = bit_length(n);
    if !(2048..=8192).contains(&bits) {
        return Verdict::Unsupported(format!(
            "a {bits}-bit RSA key (2048 to 8192 bits are checked)"
        ));
    }
    let components = RsaPublicKeyComponents { n, e };
    Verdict::from(components.verify(parameters, message, signature).is_ok())
}

/// `ring`'s RSASSA-PKCS1-v1_5 verification with `digest`.
fn rsa_pkcs1_parameters(digest: DigestAlgorithm) -> &'static RsaParameters {
    match digest {
        DigestAlgorithm::Sha256 => &ring_sig::RSA_PKCS1_2048_8192_SHA256,
        DigestAlgorithm::Sha384 => &ring_sig::RSA_PKCS1_2048_8192_SHA384,
        DigestAlgorithm::Sha512 => &ring_sig::RSA_PKCS1_2048_8192_SHA512,
    }
}

/// `ring`'s RSASSA-PSS verification with `digest` (MGF1 with it, a salt as long as it).
fn rsa_pss_parameters(digest: DigestAlgorithm) -> &'static RsaParameters {
    match digest {
        DigestAlgorithm::Sha256 => &ring_sig::RSA_PSS_2048_8192_SHA256,
        DigestAlgorithm::Sha384 => &ring_sig::RSA_PSS_2048_8192_SHA384,
        DigestAlgorithm::Sha512 => &ring_sig::RSA_PSS_2048_8192_SHA512,
    }
}

/// `RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }` (RFC 8017
/// Appendix A.1.1).
fn rsa_public_key(der: &[u8]) -> Option<PublicKey> {
    let mut reader = SliceReader::new(der).ok()?;
    let key = reader
        .sequence(|r| {
            let n = UintRef::decode(r)?;
            let e = UintRef::decode(r)?;
            Ok(PublicKey::Rsa {
                n: n.as_bytes().to_vec(),
                e: e.as_bytes().to_vec(),
            })
        })
        .ok()?;
    reader.is_finished().then_some(key)
}

/// Bits of a big-endian unsigned integer without leading zero bytes.
pub(crate) fn bit_length(be: &[u8]) -> usize {
    match be.iter().position(|&b| b != 0) {
        Some(first) => {
            let rest = be.len() - first - 1;
            rest * 8 + (8 - be.get(first).map_or(8, |b| b.leading_zeros() as usize))
        }
        None => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bit_lengths_count_from_the_first_set_bit() {
        assert_eq!(bit_length(&[]), 0);
        assert_eq!(bit_length(&[0, 0]), 0);
        assert_eq!(bit_length(&[1]), 1);
        assert_eq!(bit_length(&[0x80, 0]), 16);
        assert_eq!(bit_length(&[0, 0x7f, 0xff]), 15);
    }
}
