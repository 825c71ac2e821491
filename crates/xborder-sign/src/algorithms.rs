//! The digest and signature algorithms a signature is made and checked with, and their
//! `AlgorithmIdentifier`s in both directions:
//!
//! * SHA-256/384/512 (RFC 5754 §2: parameters absent when written, NULL accepted);
//! * ECDSA with SHA-2 (RFC 5758 §3.2: parameters absent);
//! * RSASSA-PKCS1-v1_5 with SHA-2 (RFC 8017 §8.2, identifiers of RFC 4055 §5 with NULL
//!   parameters, RFC 5754 §3.2), and bare `rsaEncryption`, whose hash is the SignerInfo's
//!   digest algorithm (RFC 3370 §3.2);
//! * RSASSA-PSS (RFC 8017 §8.1) with `RSASSA-PSS-params` (RFC 4055 §3.1): the hash, MGF1
//!   with the same hash, and a salt as long as the hash, the only parameters written and
//!   the only ones checked (what RFC 4055 §3.1 and ETSI TS 119 312 recommend; `ring` verifies
//!   no other salt length).

use der::asn1::{Null, ObjectIdentifier};
use der::{Any, Decode, Encode, Sequence};
use sha2::{Digest, Sha256, Sha384, Sha512};
use spki::AlgorithmIdentifierOwned;

use crate::oid;

/// A SHA-2 hash function (FIPS 180-4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DigestAlgorithm {
    Sha256,
    Sha384,
    Sha512,
}

impl DigestAlgorithm {
    /// The algorithm of a digest OID.
    pub(crate) fn from_oid(id: ObjectIdentifier) -> Option<Self> {
        match id {
            a if a == oid::ID_SHA256 => Some(Self::Sha256),
            a if a == oid::ID_SHA384 => Some(Self::Sha384),
            a if a == oid::ID_SHA512 => Some(Self::Sha512),
            _ => None,
        }
    }

    pub(crate) fn oid(self) -> ObjectIdentifier {
        match self {
            Self::Sha256 => oid::ID_SHA256,
            Self::Sha384 => oid::ID_SHA384,
            Self::Sha512 => oid::ID_SHA512,
        }
    }

    /// Output length in bytes.
    pub(crate) fn len(self) -> usize {
        match self {
            Self::Sha256 => 32,
            Self::Sha384 => 48,
            Self::Sha512 => 64,
        }
    }

    /// The identifier as CMS writes it: parameters absent (RFC 5754 §2).
    pub(crate) fn identifier(self) -> AlgorithmIdentifierOwned {
        AlgorithmIdentifierOwned {
            oid: self.oid(),
            parameters: None,
        }
    }

    /// The digest of `parts`, concatenated.
    pub(crate) fn digest(self, parts: &[&[u8]]) -> Vec<u8> {
        fn run<D: Digest>(parts: &[&[u8]]) -> Vec<u8> {
            let mut h = D::new();
            for p in parts {
                h.update(p);
            }
            h.finalize().to_vec()
        }
        match self {
            Self::Sha256 => run::<Sha256>(parts),
            Self::Sha384 => run::<Sha384>(parts),
            Self::Sha512 => run::<Sha512>(parts),
        }
    }

    /// Name for messages and documentation.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Sha256 => "SHA-256",
            Self::Sha384 => "SHA-384",
            Self::Sha512 => "SHA-512",
        }
    }
}

/// A signature scheme with its hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SignatureScheme {
    /// ECDSA (FIPS 186-5), the signature a DER `ECDSA-Sig-Value` (RFC 5758 §3.2).
    Ecdsa(DigestAlgorithm),
    /// RSASSA-PKCS1-v1_5 (RFC 8017 §8.2).
    RsaPkcs1v15(DigestAlgorithm),
    /// RSASSA-PSS (RFC 8017 §8.1), MGF1 with the same hash, salt as long as the hash.
    RsaPss(DigestAlgorithm),
}

/// `RSASSA-PSS-params` (RFC 4055 §3.1), each field written explicitly: DER would omit only
/// the SHA-1 defaults, which are never used here. `trailerField` is left at its default (1).
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
struct RsaPssParams {
    #[asn1(context_specific = "0", optional = "true")]
    hash_algorithm: Option<AlgorithmIdentifierOwned>,
    #[asn1(context_specific = "1", optional = "true")]
    mask_gen_algorithm: Option<AlgorithmIdentifierOwned>,
    #[asn1(context_specific = "2", optional = "true")]
    salt_length: Option<u32>,
    #[asn1(context_specific = "3", optional = "true")]
    trailer_field: Option<u32>,
}

/// A hash identifier inside `RSASSA-PSS-params`: NULL parameters, as RFC 4055 §2.1 fixes
/// `sha256Identifier` and its siblings.
fn hash_with_null(digest: DigestAlgorithm) -> AlgorithmIdentifierOwned {
    AlgorithmIdentifierOwned {
        oid: digest.oid(),
        parameters: Some(Any::from(Null)),
    }
}

impl SignatureScheme {
    pub(crate) fn digest(self) -> DigestAlgorithm {
        match self {
            Self::Ecdsa(d) | Self::RsaPkcs1v15(d) | Self::RsaPss(d) => d,
        }
    }

    /// The `signatureAlgorithm` of a SignerInfo or certificate for this scheme.
    pub(crate) fn identifier(self) -> Result<AlgorithmIdentifierOwned, der::Error> {
        let null = || Some(Any::from(Null));
        Ok(match self {
            // Parameters absent for ECDSA (RFC 5758 §3.2).
            Self::Ecdsa(d) => AlgorithmIdentifierOwned {
                oid: match d {
                    DigestAlgorithm::Sha256 => oid::ECDSA_WITH_SHA256,
                    DigestAlgorithm::Sha384 => oid::ECDSA_WITH_SHA384,
                    DigestAlgorithm::Sha512 => oid::ECDSA_WITH_SHA512,
                },
                parameters: None,
            },
            // Parameters NULL for shaNNNWithRSAEncryption (RFC 4055 §5, RFC 5754 §3.2).
            Self::RsaPkcs1v15(d) => AlgorithmIdentifierOwned {
                oid: match d {
                    DigestAlgorithm::Sha256 => oid::SHA256_WITH_RSA,
                    DigestAlgorithm::Sha384 => oid::SHA384_WITH_RSA,
                    DigestAlgorithm::Sha512 => oid::SHA512_WITH_RSA,
                },
                parameters: null(),
            },
            Self::RsaPss(d) => {
                let params = RsaPssParams {
                    hash_algorithm: Some(hash_with_null(d)),
                    mask_gen_algorithm: Some(AlgorithmIdentifierOwned {
                        oid: oid::ID_MGF1,
                        parameters: Some(Any::encode_from(&hash_with_null(d))?),
                    }),
                    salt_length: Some(
                        u32::try_from(d.len()).map_err(|_| der::ErrorKind::Overflow)?,
                    ),
                    trailer_field: None,
                };
                AlgorithmIdentifierOwned {
                    oid: oid::ID_RSASSA_PSS,
                    parameters: Some(Any::encode_from(&params)?),
                }
            }
        })
    }

    /// The scheme of a `signatureAlgorithm`; `digest` is the SignerInfo's digest algorithm,
    /// which names the hash when the signature algorithm does not (`id-ecPublicKey`,
    /// `rsaEncryption`). The error says, in words, what is not supported.
    pub(crate) fn from_identifier(
        alg: &AlgorithmIdentifierOwned,
        digest: Option<ObjectIdentifier>,
    ) -> Result<Self, String> {
        let from_digest = || {
            digest
                .and_then(DigestAlgorithm::from_oid)
                .ok_or_else(|| "a digest algorithm other than SHA-256/384/512".to_owned())
        };
        Ok(match alg.oid {
            a if a == oid::ECDSA_WITH_SHA256 => Self::Ecdsa(DigestAlgorithm::Sha256),
            a if a == oid::ECDSA_WITH_SHA384 => Self::Ecdsa(DigestAlgorithm::Sha384),
            a if a == oid::ECDSA_WITH_SHA512 => Self::Ecdsa(DigestAlgorithm::Sha512),
            a if a == oid::ID_EC_PUBLIC_KEY => Self::Ecdsa(from_digest()?),
            a if a == oid::SHA256_WITH_RSA => Self::RsaPkcs1v15(DigestAlgorithm::Sha256),
            a if a == oid::SHA384_WITH_RSA => Self::RsaPkcs1v15(DigestAlgorithm::Sha384),
            a if a == oid::SHA512_WITH_RSA => Self::RsaPkcs1v15(DigestAlgorithm::Sha512),
            a if a == oid::RSA_ENCRYPTION => Self::RsaPkcs1v15(from_digest()?),
            a if a == oid::ID_RSASSA_PSS => Self::RsaPss(pss_digest(alg)?),
            other => return Err(format!("signature algorithm {other}")),
        })
    }

    /// Name for messages and documentation, e.g. `RSASSA-PSS with SHA-256`.
    pub(crate) fn name(self) -> String {
        match self {
            Self::Ecdsa(d) => format!("ECDSA with {}", d.name()),
            Self::RsaPkcs1v15(d) => format!("RSASSA-PKCS1-v1_5 with {}", d.name()),
            Self::RsaPss(d) => format!("RSASSA-PSS with {}", d.name()),
        }
    }
}

/// The hash of RSASSA-PSS parameters that this tool checks: SHA-2, MGF1 with the same hash,
/// a salt as long as the hash, trailer field 1.
fn pss_digest(alg: &AlgorithmIdentifierOwned) -> Result<DigestAlgorithm, String> {
    let unsupported = |what: &str| format!("RSASSA-PSS with {what}");
    let params: RsaPssParams = alg
        .parameters
        .as_ref()
        .and_then(|p| p.to_der().ok())
        .and_then(|der| RsaPssParams::from_der(&der).ok())
        .ok_or_else(|| unsupported("missing or unreadable parameters"))?;
    // Absent fields are RFC 4055's SHA-1 defaults.
    let digest = params
        .hash_algorithm
        .as_ref()
        .and_then(|h| DigestAlgorithm::from_oid(h.oid))
        .ok_or_else(|| unsupported("a hash other than SHA-256/384/512"))?;
    let mgf_hash = params
        .mask_gen_algorithm
        .as_ref()
        .filter(|m| m.oid == oid::ID_MGF1)
        .and_then(|m| m.parameters.as_ref())
        .and_then(|p| p.decode_as::<AlgorithmIdentifierOwned>().ok())
        .and_then(|h| DigestAlgorithm::from_oid(h.oid));
    if mgf_hash != Some(digest) {
        return Err(unsupported(
            "a mask generation other than MGF1 with the same hash",
        ));
    }
    let salt = params.salt_length.unwrap_or(20);
    if usize::try_from(salt).ok() != Some(digest.len()) {
        return Err(unsupported(&format!(
            "a {salt}-byte salt (only a salt as long as the hash is checked)"
        )));
    }
    if params.trailer_field.is_some_and(|t| t != 1) {
        return Err(unsupported("a trailer field other than 1"));
    }
    Ok(digest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pss_identifiers_round_trip_with_rfc_4055_parameters() {
        for d in [
            DigestAlgorithm::Sha256,
            DigestAlgorithm::Sha384,
            DigestAlgorithm::Sha512,
        ] {
            let id = SignatureScheme::RsaPss(d).identifier().expect("encodes");
            assert_eq!(id.oid, oid::ID_RSASSA_PSS);
            assert_eq!(
                SignatureScheme::from_identifier(&id, None),
                Ok(SignatureScheme::RsaPss(d))
            );
        }
        // What `openssl req -x509 -sha256 -sigopt rsa_padding_mode:pss -sigopt
        // rsa_pss_saltlen:digest` writes into a certificate: the same bytes as ours.
        let openssl = [
            0x30, 0x41, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a, 0x30,
            0x34, 0xa0, 0x0f, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04,
            0x02, 0x01, 0x05, 0x00, 0xa1, 0x1c, 0x30, 0x1a, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86,
            0xf7, 0x0d, 0x01, 0x01, 0x08, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65,
            0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0xa2, 0x03, 0x02, 0x01, 0x20,
        ];
        let ours = SignatureScheme::RsaPss(DigestAlgorithm::Sha256)
            .identifier()
            .and_then(|id| id.to_der())
            .expect("encodes");
        assert_eq!(ours, openssl);
    }

    #[test]
    fn pss_with_sha1_defaults_or_another_salt_is_refused_in_words() {
        let sha1_defaults = AlgorithmIdentifierOwned {
            oid: oid::ID_RSASSA_PSS,
            parameters: Some(
                Any::encode_from(&RsaPssParams {
                    hash_algorithm: None,
                    mask_gen_algorithm: None,
                    salt_length: None,
                    trailer_field: None,
                })
                .expect("encodes"),
            ),
        };
        let err = SignatureScheme::from_identifier(&sha1_defaults, None);
        assert!(err.is_err_and(|e| e.contains("SHA-256/384/512")));

        let long_salt = AlgorithmIdentifierOwned {
            oid: oid::ID_RSASSA_PSS,
            parameters: Some(
                Any::encode_from(&RsaPssParams {
                    hash_algorithm: Some(hash_with_null(DigestAlgorithm::Sha256)),
                    mask_gen_algorithm: Some(AlgorithmIdentifierOwned {
                        oid: oid::ID_MGF1,
                        parameters: Some(
                            Any::encode_from(&hash_with_null(DigestAlgorithm::Sha256))
                                .expect("encodes"),
                        ),
                    }),
                    salt_length: Some(222),
                    trailer_field: None,
                })
                .expect("encodes"),
            ),
        };
        let err = SignatureScheme::from_identifier(&long_salt, None);
        assert!(err.is_err_and(|e| e.contains("222-byte salt")));
    }

    #[test]
    fn bare_key_algorithms_take_the_hash_of_the_digest_algorithm() {
        let rsa = AlgorithmIdentifierOwned {
            oid: oid::RSA_ENCRYPTION,
            parameters: Some(Any::from(Null)),
        };
        assert_eq!(
            SignatureScheme::from_identifier(&rsa, Some(oid::ID_SHA384)),
            Ok(SignatureScheme::RsaPkcs1v15(DigestAlgorithm::Sha384))
        );
        assert!(SignatureScheme::from_identifier(&rsa, None).is_err());
    }
}
