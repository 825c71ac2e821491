//! Keys and X.509 certificates (RFC 5280): PEM loading, the checks the signer
//! makes before signing, and the primitives the verifier uses to build and
//! check a chain.

use chrono::{DateTime, Utc};
use der::asn1::ObjectIdentifier;
use der::pem::LineEnding;
use der::{Decode, Encode, Tag, Tagged};
use p256::elliptic_curve::zeroize::Zeroizing;
use p256::pkcs8::PrivateKeyInfo;
use pkcs8::EncryptedPrivateKeyInfo;
use pkcs8::pkcs5::EncryptionScheme;
use pkcs8::pkcs5::pbes2::{self, Kdf, Pbkdf2Prf};
use rand_core::{OsRng, RngCore};
use sha2::{Digest, Sha256, Sha384, Sha512};
use x509_cert::Certificate;
use x509_cert::ext::pkix::{BasicConstraints, KeyUsage, KeyUsages};
use x509_cert::name::Name;
use x509_cert::time::Time;

use crate::algorithms::SignatureScheme;
use crate::error::SignError;
use crate::key::{RsaPadding, SignerKey};
use crate::oid;
use crate::public_key::{PublicKey, Verdict};

/// One PEM block: its label, decoded DER and the line of its BEGIN line.
pub(crate) struct PemBlock {
    pub label: String,
    pub der: Zeroizing<Vec<u8>>,
    /// 1-based line of the `-----BEGIN` line in the text.
    pub line: usize,
}

/// Where a PEM text could not be read: a 1-based line and what is wrong
/// there. The reason never contains input bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PemError {
    pub line: usize,
    pub reason: String,
}

/// 1-based line of byte offset `at` in `text`.
fn line_at(text: &str, at: usize) -> usize {
    text.as_bytes()
        .get(..at)
        .unwrap_or_default()
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// The first line of a block's body that holds a character base64 cannot
/// contain, so a stray character is reported where it is rather than at the
/// BEGIN line.
fn first_bad_base64_line(block: &str) -> Option<usize> {
    block
        .lines()
        .enumerate()
        .skip(1)
        .filter(|(_, l)| !l.starts_with("-----"))
        .find(|(_, l)| {
            !l.bytes().all(|b| {
                b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b' ' | b'\t' | b'\r')
            })
        })
        .map(|(i, _)| i)
}

/// Splits text into PEM blocks (RFC 7468), ignoring any text between blocks
/// (OpenSSL's "Bag Attributes", comments…). The error never contains input
/// bytes.
pub(crate) fn pem_blocks(text: &str) -> Result<Vec<PemBlock>, PemError> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(begin) = rest.find("-----BEGIN ") {
        let after = rest.get(begin..).unwrap_or_default();
        let start = text.len() - after.len();
        let line = line_at(text, start);
        let Some(end_rel) = after.find("-----END ") else {
            return Err(PemError {
                line,
                reason: "a BEGIN line has no matching END line (the file is truncated)".into(),
            });
        };
        let tail = after.get(end_rel + "-----END ".len()..).unwrap_or_default();
        let Some(close) = tail.find("-----") else {
            return Err(PemError {
                line: line_at(text, start + end_rel),
                reason: "an END line is not terminated by `-----`".into(),
            });
        };
        let block_len = end_rel + "-----END ".len() + close + "-----".len();
        let block = after.get(..block_len).unwrap_or_default();
        let (label, der) = der::pem::decode_vec(block.as_bytes()).map_err(|e| {
            match first_bad_base64_line(block) {
                Some(offset) => PemError {
                    line: line + offset,
                    reason: "invalid PEM encoding: a character that is not base64".into(),
                },
                None => PemError {
                    line,
                    reason: format!("invalid PEM encoding: {e}"),
                },
            }
        })?;
        out.push(PemBlock {
            label: label.to_owned(),
            der: Zeroizing::new(der),
            line,
        });
        rest = after.get(block_len..).unwrap_or_default();
    }
    Ok(out)
}

/// The labels of `blocks`, for messages: "`CERTIFICATE`, `PUBLIC KEY`".
fn labels(blocks: &[PemBlock]) -> String {
    blocks
        .iter()
        .map(|b| format!("`{}`", b.label))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Largest PBKDF2 iteration count accepted when decrypting a key (RFC 8018
/// §4.2 calls 10,000,000 appropriate for especially critical keys): a
/// damaged or hostile file must not keep the command busy for minutes.
const MAX_PBKDF2_ITERATIONS: u32 = 10_000_000;

/// Largest scrypt work accepted when decrypting a key, as 128·r·N·p bytes
/// (RFC 7914 §2): 256 MiB, eight times OpenSSL's default of N=2^14, r=8, p=1
/// and of what OpenSSL itself accepts without raising its memory limit.
const MAX_SCRYPT_WORK: u64 = 256 << 20;

/// The private key block of a key file: the first block whose label ends in
/// `PRIVATE KEY`.
pub(crate) fn private_key_block(pem: &str) -> Result<PemBlock, SignError> {
    // Legacy OpenSSL encryption (`openssl ec -aes256`) puts RFC 1421 headers
    // into the block; say so instead of reporting a base64 error.
    if let Some(at) = pem.find("Proc-Type: 4,ENCRYPTED") {
        return Err(SignError::UnsupportedKeyEncryption {
            line: line_at(pem, at),
            reason: "legacy OpenSSL PEM encryption (Proc-Type/DEK-Info headers)".into(),
        });
    }
    let blocks = pem_blocks(pem).map_err(|e| SignError::InvalidKeyPem {
        line: e.line,
        reason: e.reason,
    })?;
    let found = labels(&blocks);
    let Some(block) = blocks
        .into_iter()
        .find(|b| b.label.ends_with("PRIVATE KEY"))
    else {
        return Err(SignError::InvalidKeyPem {
            line: 1,
            reason: if found.is_empty() {
                "no PEM block found".into()
            } else {
                format!("the file holds {found} but no PRIVATE KEY block")
            },
        });
    };
    Ok(block)
}

/// Whether the key text is an encrypted PKCS#8 key (`ENCRYPTED PRIVATE
/// KEY`), which needs a passphrase before it can be loaded.
pub fn key_is_encrypted(pem: &str) -> bool {
    private_key_block(pem).is_ok_and(|b| b.label == "ENCRYPTED PRIVATE KEY")
}

/// Decrypts an encrypted PKCS#8 key (RFC 5958 `EncryptedPrivateKeyInfo`,
/// PBES2 of RFC 8018 with PBKDF2 or scrypt and AES-CBC, as OpenSSL writes
/// them) and returns it as an unencrypted `PRIVATE KEY` PEM held in memory
/// that is wiped when dropped. An unencrypted key is returned as it is.
///
/// # Errors
/// [`SignError::KeyDecryptionFailed`] for a wrong passphrase (or a damaged
/// key), [`SignError::UnsupportedKeyEncryption`] for schemes other than
/// PBES2 with HMAC-SHA-2 PBKDF2 or scrypt and AES, or for key-derivation
/// parameters beyond the work limits, and the errors of an unusable key.
pub fn decrypt_key(pem: &str, passphrase: &[u8]) -> Result<Zeroizing<String>, SignError> {
    let block = private_key_block(pem)?;
    if block.label != "ENCRYPTED PRIVATE KEY" {
        load_signing_key(pem, RsaPadding::default())?;
        return Ok(Zeroizing::new(pem.to_owned()));
    }
    let line = block.line;
    let info = EncryptedPrivateKeyInfo::try_from(block.der.as_slice()).map_err(|e| {
        SignError::UnsupportedKeyEncryption {
            line,
            reason: format!("a scheme that is not PBES2 ({e})"),
        }
    })?;
    check_encryption_limits(&info.encryption_algorithm, line)?;
    let document = info
        .decrypt(passphrase)
        .map_err(|_| SignError::KeyDecryptionFailed { line })?;
    // A wrong passphrase can still yield valid CBC padding (about one time in
    // 256); the plaintext then is not a PrivateKeyInfo.
    if PrivateKeyInfo::from_der(document.as_bytes()).is_err() {
        return Err(SignError::KeyDecryptionFailed { line });
    }
    SignerKey::from_pkcs8_der(document.as_bytes(), line, RsaPadding::default())?;
    document
        .to_pem("PRIVATE KEY", LineEnding::LF)
        .map_err(|e| SignError::Encoding {
            reason: e.to_string(),
        })
}

/// Refuses encryption schemes and key-derivation costs this tool does not
/// take on.
pub(crate) fn check_encryption_limits(
    scheme: &EncryptionScheme<'_>,
    line: usize,
) -> Result<(), SignError> {
    let unsupported = |reason: String| SignError::UnsupportedKeyEncryption { line, reason };
    let EncryptionScheme::Pbes2(params) = scheme else {
        return Err(unsupported(
            "PBES1, a legacy scheme with DES or RC2".to_string(),
        ));
    };
    match &params.kdf {
        Kdf::Pbkdf2(p) => {
            if !matches!(
                p.prf,
                Pbkdf2Prf::HmacWithSha224
                    | Pbkdf2Prf::HmacWithSha256
                    | Pbkdf2Prf::HmacWithSha384
                    | Pbkdf2Prf::HmacWithSha512
            ) {
                return Err(unsupported(
                    "PBKDF2 with HMAC-SHA1 (OpenSSL 1.0's default)".to_string(),
                ));
            }
            if p.iteration_count > MAX_PBKDF2_ITERATIONS {
                return Err(unsupported(format!(
                    "PBKDF2 with {} iterations, more than the {MAX_PBKDF2_ITERATIONS} accepted",
                    p.iteration_count
                )));
            }
        }
        Kdf::Scrypt(p) => {
            let work = 128u64
                .saturating_mul(p.cost_parameter)
                .saturating_mul(u64::from(p.block_size))
                .saturating_mul(u64::from(p.parallelization));
            if work > MAX_SCRYPT_WORK {
                return Err(unsupported(format!(
                    "scrypt with N={}, r={}, p={}, more work than the {} MiB accepted",
                    p.cost_parameter,
                    p.block_size,
                    p.parallelization,
                    MAX_SCRYPT_WORK >> 20
                )));
            }
        }
        _ => {
            return Err(unsupported(
                "an unknown key-derivation function".to_string(),
            ));
        }
    }
    Ok(())
}

/// Encrypts an unencrypted PKCS#8 key as `ENCRYPTED PRIVATE KEY` with PBES2:
/// PBKDF2-HMAC-SHA256 (600,000 iterations, a random 16-byte salt) and
/// AES-256-CBC, which OpenSSL and every PKCS#8 reader accept.
///
/// # Errors
/// The errors of an unusable key, [`SignError::Encoding`] if encryption
/// fails.
pub fn encrypt_key(pem: &str, passphrase: &[u8]) -> Result<Zeroizing<String>, SignError> {
    let block = private_key_block(pem)?;
    if block.label != "PRIVATE KEY" {
        return Err(SignError::UnsupportedKeyFormat {
            line: block.line,
            label: block.label,
        });
    }
    SignerKey::from_pkcs8_der(&block.der, block.line, RsaPadding::default())?;
    let info = PrivateKeyInfo::from_der(&block.der).map_err(|e| SignError::InvalidKeyPem {
        line: block.line,
        reason: format!("not a PKCS#8 PrivateKeyInfo: {e}"),
    })?;
    let mut salt = [0u8; 16];
    let mut iv = [0u8; 16];
    OsRng.fill_bytes(&mut salt);
    OsRng.fill_bytes(&mut iv);
    let encoding = |e: &dyn std::fmt::Display| SignError::Encoding {
        reason: e.to_string(),
    };
    let params = pbes2::Parameters::pbkdf2_sha256_aes256cbc(600_000, &salt, &iv)
        .map_err(|e| encoding(&e))?;
    info.encrypt_with_params(params, passphrase)
        .map_err(|e| encoding(&e))?
        .to_pem("ENCRYPTED PRIVATE KEY", LineEnding::LF)
        .map_err(|e| encoding(&e))
}

/// Loads an unencrypted private key (PKCS#8, PKCS#1 or SEC1 PEM, see [`SignerKey`]); an
/// encrypted one must go through [`decrypt_key`] first.
pub(crate) fn load_signing_key(pem: &str, padding: RsaPadding) -> Result<SignerKey, SignError> {
    SignerKey::from_block(&private_key_block(pem)?, padding)
}

/// A key algorithm in words, for messages.
pub(crate) fn algorithm_name(alg: ObjectIdentifier) -> String {
    match alg {
        a if a == oid::RSA_ENCRYPTION => "an RSA key".into(),
        a if a == oid::ID_RSASSA_PSS => {
            "an RSA key restricted to RSASSA-PSS (id-RSASSA-PSS); export it as an \
             rsaEncryption key"
                .into()
        }
        a if a == oid::ID_ED25519 => "an Ed25519 key".into(),
        a if a == oid::ID_ED448 => "an Ed448 key".into(),
        other => format!("a key of algorithm {other}"),
    }
}

/// A named curve in words, for messages.
pub(crate) fn curve_name(curve: ObjectIdentifier) -> String {
    match curve {
        c if c == oid::SECP384R1 => "P-384 (secp384r1)".into(),
        c if c == oid::SECP521R1 => "P-521 (secp521r1)".into(),
        other => format!("curve {other}"),
    }
}

/// Loads every `CERTIFICATE` block of `pem` with the line of each. `which`
/// names the input in errors.
pub(crate) fn load_certificates(
    pem: &str,
    which: &'static str,
) -> Result<Vec<(usize, Certificate)>, SignError> {
    located_certificates(pem).map_err(|e| SignError::InvalidCertificatePem {
        which,
        line: e.line,
        reason: e.reason,
    })
}

/// Shared by signer and verifier: all `CERTIFICATE` blocks, at least one.
pub(crate) fn parse_certificates(pem: &str) -> Result<Vec<Certificate>, String> {
    located_certificates(pem)
        .map(|certs| certs.into_iter().map(|(_, c)| c).collect())
        .map_err(|e| format!("line {}: {}", e.line, e.reason))
}

/// All `CERTIFICATE` blocks with the line of their BEGIN line, at least one.
pub(crate) fn located_certificates(pem: &str) -> Result<Vec<(usize, Certificate)>, PemError> {
    let blocks = pem_blocks(pem)?;
    let mut certs = Vec::new();
    for b in blocks.iter().filter(|b| b.label == "CERTIFICATE") {
        let cert = Certificate::from_der(&b.der).map_err(|e| PemError {
            line: b.line,
            reason: format!("bad certificate: {e}"),
        })?;
        certs.push((b.line, cert));
    }
    if certs.is_empty() {
        let found = labels(&blocks);
        return Err(PemError {
            line: 1,
            reason: if found.is_empty() {
                "no CERTIFICATE block found".into()
            } else {
                format!("the file holds {found} but no CERTIFICATE block")
            },
        });
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

/// Why a certificate's signature could not be confirmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum CertSigError {
    /// The algorithm or the issuer key type is not supported (see
    /// [`verify_issued_by`]).
    Unsupported,
    /// The signature does not verify.
    Invalid,
}

/// Verifies that `issuer` signed `cert` (RFC 5280 §6.1.3 (a)(1)): ECDSA with SHA-2 by a
/// P-256 or P-384 issuer, RSASSA-PKCS1-v1_5 or RSASSA-PSS with SHA-2 by an RSA issuer.
pub(crate) fn verify_issued_by(
    cert: &Certificate,
    issuer: &Certificate,
) -> Result<(), CertSigError> {
    let Ok(tbs) = cert.tbs_certificate.to_der() else {
        return Err(CertSigError::Invalid);
    };
    let Some(sig) = cert.signature.as_bytes() else {
        return Err(CertSigError::Invalid);
    };
    // A certificate's signature algorithm names its hash (RFC 5280 §4.1.1.2): no digest
    // algorithm to fall back on.
    verify_signed_by(issuer, &cert.signature_algorithm, None, &tbs, sig)
}

/// Verifies a signature made with the key of `signer` over `data` with the algorithm `alg`
/// (and, for an algorithm that does not name its hash, the digest algorithm `digest`): what
/// certificates, CRLs (RFC 5280 §5.1.1.3), OCSP responses (RFC 6960 §4.2.1) and time-stamp
/// tokens are signed with. ECDSA with SHA-2 by a P-256 or P-384 key, RSASSA-PKCS1-v1_5 or
/// RSASSA-PSS with SHA-2 by an RSA key.
pub(crate) fn verify_signed_by(
    signer: &Certificate,
    alg: &spki::AlgorithmIdentifierOwned,
    digest: Option<ObjectIdentifier>,
    data: &[u8],
    sig: &[u8],
) -> Result<(), CertSigError> {
    let Ok(scheme) = SignatureScheme::from_identifier(alg, digest) else {
        return Err(CertSigError::Unsupported);
    };
    let Ok(key) = PublicKey::from_certificate(signer) else {
        return Err(CertSigError::Unsupported);
    };
    match key.verify(scheme, data, sig) {
        Verdict::Valid => Ok(()),
        Verdict::Invalid => Err(CertSigError::Invalid),
        Verdict::Unsupported(_) => Err(CertSigError::Unsupported),
    }
}

/// A DER GeneralizedTime, `YYYYMMDDHHMMSS[.fff…]Z` (X.690 §11.7: UTC, no trailing zero in
/// the fraction), to the instant it names; the fraction is kept to the nanosecond.
pub(crate) fn generalized_time(value: &der::asn1::Any) -> Option<DateTime<Utc>> {
    if der::Tagged::tag(value) != der::Tag::GeneralizedTime {
        return None;
    }
    let text = std::str::from_utf8(value.value()).ok()?;
    let body = text.strip_suffix('Z')?;
    let (whole, fraction) = match body.split_once('.') {
        Some((w, f)) if !f.is_empty() && !f.ends_with('0') && f.len() <= 9 => (w, Some(f)),
        Some(_) => return None,
        None => (body, None),
    };
    if whole.len() != 14 || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let naive = chrono::NaiveDateTime::parse_from_str(whole, "%Y%m%d%H%M%S").ok()?;
    let nanos = match fraction {
        Some(f) if f.bytes().all(|b| b.is_ascii_digit()) => {
            f.parse::<u32>().ok()? * 10u32.pow(9 - f.len() as u32)
        }
        Some(_) => return None,
        None => 0,
    };
    Some(naive.and_utc() + chrono::Duration::nanoseconds(i64::from(nanos)))
}
