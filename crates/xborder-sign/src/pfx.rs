//! PKCS#12 files (`.p12`, `.pfx`; RFC 7292), the form in which organisations hand a signing
//! key out with its certificate and chain: opened with the passphrase, and turned into the
//! PEM texts signing takes (the key as an unencrypted PKCS#8 `PRIVATE KEY` held in memory
//! that is wiped when dropped, the certificate issued for the key, the other certificates as
//! the chain).
//!
//! What is read is what OpenSSL 3 writes by default (`openssl pkcs12 -export`): password
//! integrity with an HMAC over the `AuthenticatedSafe` (RFC 7292 §5.1 and Appendix B, here
//! with SHA-256, SHA-384 or SHA-512), the certificates in an `EncryptedData` and the key in
//! a `pkcs8ShroudedKeyBag`, both encrypted with PBES2 (RFC 8018 §6.2: PBKDF2 with HMAC-SHA-2
//! or scrypt, AES-CBC), under the same work limits as an `ENCRYPTED PRIVATE KEY`. Unencrypted
//! bags (`-keypbe NONE -certpbe NONE`) are read as well. The MAC is checked first, so a wrong
//! passphrase is told apart from a damaged file before anything is decrypted.
//!
//! Not read, each refused with how to re-export the file: the legacy schemes of OpenSSL 1.x
//! and `-legacy` (3DES or RC2 with SHA-1, RFC 7292 Appendix C, and a SHA-1 MAC), PBMAC1 (RFC
//! 9579), public-key integrity and privacy modes, files without a MAC.

use std::fmt;

use cms::content_info::ContentInfo;
use cms::encrypted_data::EncryptedData;
use der::asn1::{ContextSpecific, OctetString};
use der::pem::LineEnding;
use der::{Decode, Encode, EncodePem, Sequence};
use hmac::digest::core_api::BlockSizeUser;
use hmac::digest::{Digest, FixedOutputReset};
use hmac::{Mac, SimpleHmac};
use p256::elliptic_curve::zeroize::Zeroizing;
use pkcs8::PrivateKeyInfo;
use pkcs8::pkcs5::EncryptionScheme;
use pkcs12::kdf::{Pkcs12KeyType, derive_key_utf8};
use pkcs12::mac_data::MacData;
use pkcs12::pfx::Pfx;
use pkcs12::safe_bag::{SafeBag, SafeContents};
use sha2::{Sha256, Sha384, Sha512};
use spki::AlgorithmIdentifierOwned;
use x509_cert::Certificate;

use crate::certs::check_encryption_limits;
use crate::error::SignError;
use crate::key::{RsaPadding, SignerKey};
use crate::oid;

/// Largest MAC iteration count accepted (the PKCS#12 key derivation of RFC 7292 Appendix B
/// hashes once per iteration): the bound of PBKDF2 for encrypted keys.
const MAX_MAC_ITERATIONS: i32 = 10_000_000;

/// The line a key error inside a PKCS#12 file is reported at: the file has no lines.
const NO_LINE: usize = 1;

/// What a PKCS#12 file holds, as signing takes it.
pub struct Pkcs12Contents {
    /// The private key, an unencrypted PKCS#8 `PRIVATE KEY` PEM, wiped when dropped.
    pub key_pem: Zeroizing<String>,
    /// The certificate issued for the key, PEM.
    pub cert_pem: String,
    /// The other certificates of the file, in file order, PEM; `None` when there are none.
    pub chain_pem: Option<String>,
}

impl fmt::Debug for Pkcs12Contents {
    // Never print key material.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pkcs12Contents")
            .field("key_pem", &"<redacted>")
            .field("cert_pem", &self.cert_pem)
            .field("chain_pem", &self.chain_pem)
            .finish()
    }
}

/// Whether `bytes` look like a DER PKCS#12 PFX rather than PEM text: a SEQUENCE whose first
/// element is `version INTEGER (3)` (RFC 7292 §4). PEM text starts with a printable
/// character, never with the SEQUENCE tag 0x30 followed by a length byte and `02 01 03`.
pub fn looks_like_pkcs12(bytes: &[u8]) -> bool {
    let length_bytes = match bytes.get(1) {
        Some(&b) if b < 0x80 => 0,
        Some(&b) => usize::from(b & 0x7f),
        None => return false,
    };
    bytes.first() == Some(&0x30)
        && bytes.get(2 + length_bytes..5 + length_bytes) == Some(&[0x02, 0x01, 0x03][..])
}

fn invalid(reason: impl Into<String>) -> SignError {
    SignError::InvalidPkcs12 {
        reason: reason.into(),
    }
}

fn unsupported(reason: impl Into<String>) -> SignError {
    SignError::UnsupportedPkcs12 {
        reason: reason.into(),
    }
}

/// Opens a DER PKCS#12 file with `passphrase` (UTF-8; the empty passphrase of a file exported
/// without one is `b""`).
///
/// # Errors
/// [`SignError::Pkcs12PassphraseWrong`] when the MAC does not verify,
/// [`SignError::UnsupportedPkcs12`] for the schemes this tool does not read (the module
/// documentation lists them), [`SignError::InvalidPkcs12`] for a file that is not PKCS#12,
/// holds no key or several, or no certificate for its key, and the errors of an unusable key.
pub fn read_pkcs12(der: &[u8], passphrase: &[u8]) -> Result<Pkcs12Contents, SignError> {
    let pfx =
        Pfx::from_der(der).map_err(|e| invalid(format!("it is not a DER PKCS#12 PFX ({e})")))?;
    if pfx.auth_safe.content_type == oid::ID_SIGNED_DATA {
        return Err(unsupported("public-key integrity (a signed PFX)"));
    }
    if pfx.auth_safe.content_type != oid::ID_DATA {
        return Err(invalid("its authSafe is not id-data"));
    }
    let auth_safe = pfx
        .auth_safe
        .content
        .decode_as::<OctetString>()
        .map_err(|e| invalid(format!("its authSafe is not an OCTET STRING ({e})")))?;
    let Some(mac) = &pfx.mac_data else {
        return Err(unsupported(
            "no integrity MAC (`-nomac`), so a wrong passphrase cannot be told from a damaged file",
        ));
    };
    let passphrase_text =
        std::str::from_utf8(passphrase).map_err(|_| invalid("the passphrase is not UTF-8 text"))?;
    check_mac(mac, passphrase_text, auth_safe.as_bytes())?;

    let contents = Vec::<ContentInfo>::from_der(auth_safe.as_bytes())
        .map_err(|e| invalid(format!("its AuthenticatedSafe cannot be read ({e})")))?;
    let mut found = Found::default();
    for content in &contents {
        let bags = safe_contents(content, passphrase)?;
        let bags = SafeContents::from_der(&bags)
            .map_err(|e| invalid(format!("a SafeContents cannot be read ({e})")))?;
        for bag in &bags {
            found.add(bag, passphrase)?;
        }
    }
    found.into_contents()
}

/// Checks the password-integrity MAC (RFC 7292 §5.1 step 4 and Appendix B.4): HMAC with the
/// MAC's hash, keyed by the PKCS#12 key derivation (ID 3) of the passphrase as a BMPString,
/// over the contents octets of the authSafe.
fn check_mac(mac: &MacData, passphrase: &str, auth_safe: &[u8]) -> Result<(), SignError> {
    let alg = mac.mac.algorithm.oid;
    if alg == oid::ID_SHA1 {
        return Err(unsupported(
            "a SHA-1 integrity MAC, the legacy PKCS#12 of OpenSSL 1.x and `-legacy`",
        ));
    }
    if alg == oid::ID_PBMAC1 {
        return Err(unsupported("a PBMAC1 integrity MAC (RFC 9579)"));
    }
    if !(1..=MAX_MAC_ITERATIONS).contains(&mac.iterations) {
        return Err(unsupported(format!(
            "a MAC with {} iterations (1 to {MAX_MAC_ITERATIONS} are accepted)",
            mac.iterations
        )));
    }
    let salt = mac.mac_salt.as_bytes();
    let expected = mac.mac.digest.as_bytes();
    let ok = match alg {
        a if a == oid::ID_SHA256 => {
            mac_matches::<Sha256>(passphrase, salt, mac.iterations, auth_safe, expected)
        }
        a if a == oid::ID_SHA384 => {
            mac_matches::<Sha384>(passphrase, salt, mac.iterations, auth_safe, expected)
        }
        a if a == oid::ID_SHA512 => {
            mac_matches::<Sha512>(passphrase, salt, mac.iterations, auth_safe, expected)
        }
        other => return Err(unsupported(format!("an integrity MAC with hash {other}"))),
    }?;
    if ok {
        Ok(())
    } else {
        Err(SignError::Pkcs12PassphraseWrong)
    }
}

/// Whether the HMAC-`D` of `data` under the key derived from `passphrase` is `expected`
/// (compared in constant time).
fn mac_matches<D>(
    passphrase: &str,
    salt: &[u8],
    iterations: i32,
    data: &[u8],
    expected: &[u8],
) -> Result<bool, SignError>
where
    D: Digest + FixedOutputReset + BlockSizeUser,
{
    let key = Zeroizing::new(
        derive_key_utf8::<D>(
            passphrase,
            salt,
            Pkcs12KeyType::Mac,
            iterations,
            <D as Digest>::output_size(),
        )
        .map_err(|_| invalid("the passphrase cannot be written as a BMPString"))?,
    );
    let mut hmac = <SimpleHmac<D> as Mac>::new_from_slice(&key)
        .map_err(|_| invalid("the MAC key has an unusable length"))?;
    hmac.update(data);
    Ok(hmac.verify_slice(expected).is_ok())
}

/// The SafeContents DER of one `ContentInfo` of the AuthenticatedSafe: plain (`id-data`) or
/// password-encrypted (`id-encryptedData`, RFC 7292 §5.1 step 1).
fn safe_contents(content: &ContentInfo, passphrase: &[u8]) -> Result<Vec<u8>, SignError> {
    if content.content_type == oid::ID_DATA {
        return content
            .content
            .decode_as::<OctetString>()
            .map(OctetString::into_bytes)
            .map_err(|e| invalid(format!("a data SafeContents cannot be read ({e})")));
    }
    if content.content_type != oid::ID_ENCRYPTED_DATA {
        return Err(unsupported(format!(
            "a public-key privacy mode (content type {})",
            content.content_type
        )));
    }
    let data = content
        .content
        .decode_as::<EncryptedData>()
        .map_err(|e| invalid(format!("an EncryptedData cannot be read ({e})")))?;
    let info = &data.enc_content_info;
    let scheme_der = info
        .content_enc_alg
        .to_der()
        .map_err(|e| invalid(format!("an encryption algorithm cannot be read ({e})")))?;
    let scheme = encryption_scheme(&scheme_der, info.content_enc_alg.oid)?;
    let ciphertext = info
        .encrypted_content
        .as_ref()
        .ok_or_else(|| invalid("an EncryptedData has no content"))?;
    // The MAC verified, so a failure here is a damaged file, not a wrong passphrase.
    scheme
        .decrypt(passphrase, ciphertext.as_bytes())
        .map_err(|_| invalid("its certificates cannot be decrypted (a damaged file)"))
}

/// The PBES2 scheme of an `AlgorithmIdentifier`, within the work limits.
fn encryption_scheme(
    der: &[u8],
    id: der::asn1::ObjectIdentifier,
) -> Result<EncryptionScheme<'_>, SignError> {
    if id.parent() == Some(oid::PKCS12_PBE_IDS) {
        return Err(unsupported(
            "legacy PKCS#12 encryption (3DES or RC2 with SHA-1, OpenSSL 1.x and `-legacy`)",
        ));
    }
    let scheme = EncryptionScheme::from_der(der)
        .map_err(|_| unsupported(format!("the encryption scheme {id}")))?;
    check_encryption_limits(&scheme, NO_LINE).map_err(|e| match e {
        SignError::UnsupportedKeyEncryption { reason, .. } => unsupported(reason),
        other => other,
    })?;
    Ok(scheme)
}

/// `EncryptedPrivateKeyInfo` (RFC 5958 §3) with its algorithm kept as an identifier, so that
/// a legacy PKCS#12 scheme, which `pkcs5` does not decode, can be named.
#[derive(Sequence)]
struct ShroudedKey {
    encryption_algorithm: AlgorithmIdentifierOwned,
    encrypted_data: OctetString,
}

/// The keys and certificates found in the bags.
#[derive(Default)]
struct Found {
    /// PKCS#8 `PrivateKeyInfo` DER of each key.
    keys: Vec<Zeroizing<Vec<u8>>>,
    certificates: Vec<Certificate>,
}

impl Found {
    /// Takes what a bag holds (RFC 7292 §4.2): a key (shrouded or not) or an X.509
    /// certificate; other bags (CRLs, secrets, attribute certificates) are not needed.
    fn add(&mut self, bag: &SafeBag, passphrase: &[u8]) -> Result<(), SignError> {
        match bag.bag_id {
            pkcs12::PKCS_12_PKCS8_KEY_BAG_OID => {
                let shrouded = ContextSpecific::<ShroudedKey>::from_der(&bag.bag_value)
                    .map_err(|e| invalid(format!("a shrouded key bag cannot be read ({e})")))?
                    .value;
                let algorithm = &shrouded.encryption_algorithm;
                let scheme_der = algorithm
                    .to_der()
                    .map_err(|e| invalid(format!("a key encryption cannot be read ({e})")))?;
                let scheme = encryption_scheme(&scheme_der, algorithm.oid)?;
                // The MAC verified, so a failure here is a damaged file; a PrivateKeyInfo
                // must come out (CBC padding alone proves little).
                let damaged = || invalid("its key cannot be decrypted (a damaged file)");
                let key = scheme
                    .decrypt(passphrase, shrouded.encrypted_data.as_bytes())
                    .map(Zeroizing::new)
                    .map_err(|_| damaged())?;
                PrivateKeyInfo::from_der(&key).map_err(|_| damaged())?;
                self.keys.push(key);
            }
            pkcs12::PKCS_12_KEY_BAG_OID => {
                let plain = ContextSpecific::<PrivateKeyInfo<'_>>::from_der(&bag.bag_value)
                    .map_err(|e| invalid(format!("a key bag cannot be read ({e})")))?;
                let der = plain
                    .value
                    .to_der()
                    .map_err(|e| invalid(format!("a key bag cannot be read ({e})")))?;
                self.keys.push(Zeroizing::new(der));
            }
            pkcs12::PKCS_12_CERT_BAG_OID => {
                let cert_bag =
                    ContextSpecific::<pkcs12::cert_type::CertBag>::from_der(&bag.bag_value)
                        .map_err(|e| invalid(format!("a certificate bag cannot be read ({e})")))?
                        .value;
                if cert_bag.cert_id == oid::X509_CERTIFICATE {
                    let cert = Certificate::from_der(cert_bag.cert_value.as_bytes())
                        .map_err(|e| invalid(format!("a certificate cannot be read ({e})")))?;
                    self.certificates.push(cert);
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// The one key, the certificate issued for it and the others as the chain.
    fn into_contents(self) -> Result<Pkcs12Contents, SignError> {
        let [key_der] = self.keys.as_slice() else {
            return Err(invalid(format!(
                "it holds {} private keys, where one is needed",
                self.keys.len()
            )));
        };
        let key = SignerKey::from_pkcs8_der(key_der, NO_LINE, RsaPadding::default())?;
        let Some(signer_at) = self.certificates.iter().position(|c| key.matches(c)) else {
            return Err(invalid(format!(
                "none of its {} certificate(s) was issued for its key",
                self.certificates.len()
            )));
        };
        let pem = |c: &Certificate| {
            c.to_pem(LineEnding::LF).map_err(|e| SignError::Encoding {
                reason: e.to_string(),
            })
        };
        let mut chain = String::new();
        let mut cert_pem = String::new();
        for (i, c) in self.certificates.iter().enumerate() {
            if i == signer_at {
                cert_pem = pem(c)?;
            } else {
                chain.push_str(&pem(c)?);
            }
        }
        let key_pem = der::pem::encode_string("PRIVATE KEY", LineEnding::LF, key_der)
            .map(Zeroizing::new)
            .map_err(|e| SignError::Encoding {
                reason: e.to_string(),
            })?;
        Ok(Pkcs12Contents {
            key_pem,
            cert_pem,
            chain_pem: (!chain.is_empty()).then_some(chain),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pkcs12_is_told_from_pem_by_its_first_bytes() {
        assert!(looks_like_pkcs12(&[
            0x30, 0x82, 0x0a, 0x1b, 0x02, 0x01, 0x03
        ]));
        assert!(looks_like_pkcs12(&[0x30, 0x40, 0x02, 0x01, 0x03]));
        assert!(!looks_like_pkcs12(b"-----BEGIN PRIVATE KEY-----\n"));
        // A DER PKCS#8 key: a SEQUENCE, but version 0.
        assert!(!looks_like_pkcs12(&[0x30, 0x81, 0x87, 0x02, 0x01, 0x00]));
        assert!(!looks_like_pkcs12(&[]));
        assert!(!looks_like_pkcs12(&[0x30]));
    }

    #[test]
    fn bytes_that_are_not_pkcs12_are_refused_in_words() {
        let err = read_pkcs12(b"-----BEGIN PRIVATE KEY-----", b"x");
        assert!(
            matches!(&err, Err(SignError::InvalidPkcs12 { reason }) if reason.contains("not a DER PKCS#12")),
            "{err:?}"
        );
    }
}
