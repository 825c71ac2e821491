//! Error types. Messages say what is wrong and how to fix it, and never
//! contain key material (only labels, offsets and certificate names/times).

use std::fmt;

use chrono::{DateTime, Utc};

/// Why a document could not be signed (or demo keys could not be made).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SignError {
    /// The private key text is not a usable PEM key (PKCS#8, PKCS#1 or SEC1).
    InvalidKeyPem {
        /// 1-based line of the key text where the problem is.
        line: usize,
        /// What the decoder reported (no key bytes).
        reason: String,
    },
    /// The key is a PEM of a kind that is not read (e.g. `DSA PRIVATE KEY`,
    /// `OPENSSH PRIVATE KEY`).
    UnsupportedKeyFormat {
        /// 1-based line of the block in the key text.
        line: usize,
        /// The PEM label that was found.
        label: String,
    },
    /// The key is neither ECDSA on NIST P-256 or P-384 nor RSA.
    UnsupportedKeyAlgorithm {
        /// 1-based line of the block in the key text.
        line: usize,
        /// Human-readable algorithm (e.g. `an Ed25519 key`, `an EC key on P-521`).
        algorithm: String,
    },
    /// The key is RSA of a size that is not signed with: below 2048 bits (too weak), or
    /// above the 4096 bits `ring` signs with.
    RsaKeySize {
        /// 1-based line of the block in the key text.
        line: usize,
        /// The modulus length.
        bits: usize,
    },
    /// The key is encrypted (`ENCRYPTED PRIVATE KEY`) and was not decrypted
    /// with [`crate::decrypt_key`] first.
    KeyPassphraseRequired {
        /// 1-based line of the block in the key text.
        line: usize,
    },
    /// The encrypted key could not be decrypted: a wrong passphrase, or a
    /// damaged key.
    KeyDecryptionFailed {
        /// 1-based line of the block in the key text.
        line: usize,
    },
    /// The key is encrypted with a scheme or cost this tool does not accept.
    UnsupportedKeyEncryption {
        /// 1-based line of the block in the key text.
        line: usize,
        /// The scheme, in words.
        reason: String,
    },
    /// A certificate PEM could not be read.
    InvalidCertificatePem {
        /// `signer certificate` or `certificate chain`.
        which: &'static str,
        /// 1-based line of the certificate text where the problem is.
        line: usize,
        /// What the decoder reported.
        reason: String,
    },
    /// The signer certificate's public key is not one a signature can be made for (ECDSA
    /// P-256 or P-384, RSA).
    UnsupportedCertificateKey {
        /// 1-based line of the certificate block.
        line: usize,
    },
    /// The private key does not belong to the signer certificate.
    KeyCertificateMismatch {
        /// 1-based line of the certificate block.
        line: usize,
        /// Subject of the certificate that was given.
        subject: String,
    },
    /// `signing_time` is before the certificate's notBefore.
    CertificateNotYetValid {
        /// 1-based line of the certificate block.
        line: usize,
        /// Certificate subject.
        subject: String,
        /// Certificate notBefore.
        not_before: DateTime<Utc>,
        /// The requested signing time.
        signing_time: DateTime<Utc>,
    },
    /// `signing_time` is after the certificate's notAfter.
    CertificateExpired {
        /// 1-based line of the certificate block.
        line: usize,
        /// Certificate subject.
        subject: String,
        /// Certificate notAfter.
        not_after: DateTime<Utc>,
        /// The requested signing time.
        signing_time: DateTime<Utc>,
    },
    /// The certificate's keyUsage forbids document signatures.
    CertificateKeyUsage {
        /// 1-based line of the certificate block.
        line: usize,
        /// Certificate subject.
        subject: String,
    },
    /// The input is not a PDF we can update.
    InvalidPdf {
        /// What is missing or broken.
        reason: String,
    },
    /// The PDF is encrypted.
    EncryptedPdf,
    /// A PKCS#12 file (`.p12`, `.pfx`) that cannot be read: not PKCS#12, no key, several
    /// keys, no certificate for the key.
    InvalidPkcs12 {
        /// What is wrong.
        reason: String,
    },
    /// A PKCS#12 file protected with schemes this tool does not read: the legacy ones of
    /// OpenSSL before 3.0 (3DES or RC2 with SHA-1), a public-key integrity mode, PBMAC1.
    UnsupportedPkcs12 {
        /// The scheme, in words.
        reason: String,
    },
    /// The PKCS#12 integrity check (its MAC) fails: a wrong passphrase or a damaged file.
    Pkcs12PassphraseWrong,
    /// Bad arguments to [`crate::keygen`].
    InvalidKeygenInput {
        /// What is wrong.
        reason: String,
    },
    /// ASN.1 encoding failed (a bug or an absurd input size).
    Encoding {
        /// What failed.
        reason: String,
    },
    /// The time-stamp authority could not give a time-stamp (PAdES B-T and above).
    TimeStamp {
        /// The TSA's URL.
        url: String,
        /// What went wrong.
        reason: String,
    },
    /// The status of a certificate (OCSP or CRL) could not be had (PAdES B-LT and above).
    Revocation {
        /// The certificate's subject.
        subject: String,
        /// What went wrong.
        reason: String,
    },
}

impl fmt::Display for SignError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignError::InvalidKeyPem { reason, .. } => write!(
                f,
                "the private key is not a readable PEM key ({reason}); provide a \
                 `-----BEGIN PRIVATE KEY-----` (PKCS#8), `ENCRYPTED PRIVATE KEY`, \
                 `RSA PRIVATE KEY` or `EC PRIVATE KEY` file, or a PKCS#12 file (.p12, .pfx)"
            ),
            SignError::UnsupportedKeyFormat { label, .. } => write!(
                f,
                "the private key is a PEM of type `{label}`, which is not read; provide a \
                 PKCS#8 `PRIVATE KEY` or `ENCRYPTED PRIVATE KEY` (e.g. from \
                 `openssl pkcs8 -topk8 -v2 aes-256-cbc -in key.pem -out key.p8.pem`), an \
                 `RSA PRIVATE KEY` or an `EC PRIVATE KEY`"
            ),
            SignError::KeyPassphraseRequired { .. } => write!(
                f,
                "the private key is encrypted (`ENCRYPTED PRIVATE KEY`) and no passphrase \
                 was given"
            ),
            SignError::KeyDecryptionFailed { .. } => write!(
                f,
                "the encrypted private key could not be decrypted: the passphrase is \
                 wrong, or the key is damaged"
            ),
            SignError::UnsupportedKeyEncryption { reason, .. } => write!(
                f,
                "the private key is encrypted with {reason}, which is not supported; \
                 re-encrypt it with `openssl pkcs8 -topk8 -v2 aes-256-cbc -in key.pem \
                 -out key.p8.pem` (PBKDF2-HMAC-SHA256 or scrypt with AES-CBC are read)"
            ),
            SignError::UnsupportedKeyAlgorithm { algorithm, .. } => write!(
                f,
                "the private key is {algorithm}, which cannot sign here: ECDSA on NIST \
                 P-256 or P-384 and RSA of 2048 to 4096 bits can; create a key with \
                 `xborder keygen` or `openssl genpkey -algorithm EC -pkeyopt \
                 ec_paramgen_curve:P-256`"
            ),
            SignError::RsaKeySize { bits, .. } if *bits < 2048 => write!(
                f,
                "the private key is a {bits}-bit RSA key, too short to sign with: RSA keys \
                 need at least 2048 bits (NIST SP 800-131A); create one with \
                 `openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072`"
            ),
            SignError::RsaKeySize { bits, .. } => write!(
                f,
                "the private key is a {bits}-bit RSA key, longer than the 4096 bits signed \
                 with; use a 2048-, 3072- or 4096-bit RSA key, or an ECDSA P-384 key"
            ),
            SignError::InvalidCertificatePem { which, reason, .. } => write!(
                f,
                "the {which} is not a readable PEM X.509 certificate ({reason}); \
                 expected `-----BEGIN CERTIFICATE-----` blocks"
            ),
            SignError::UnsupportedCertificateKey { .. } => write!(
                f,
                "the signer certificate carries a public key that cannot sign here (ECDSA \
                 P-256 or P-384 and RSA can); use the certificate issued for the signing key"
            ),
            SignError::KeyCertificateMismatch { subject, .. } => write!(
                f,
                "the private key does not match the signer certificate `{subject}`; \
                 pass the certificate that was issued for this key"
            ),
            SignError::CertificateNotYetValid {
                subject,
                not_before,
                signing_time,
                ..
            } => write!(
                f,
                "the signer certificate `{subject}` is not valid until {not_before}, \
                 but the signing time is {signing_time}; use a later signing time or \
                 another certificate"
            ),
            SignError::CertificateExpired {
                subject,
                not_after,
                signing_time,
                ..
            } => write!(
                f,
                "the signer certificate `{subject}` expired at {not_after}, but the \
                 signing time is {signing_time}; renew the certificate"
            ),
            SignError::CertificateKeyUsage { subject, .. } => write!(
                f,
                "the signer certificate `{subject}` has a keyUsage without \
                 digitalSignature or nonRepudiation, so validators would reject the \
                 signature; issue a certificate allowing document signing"
            ),
            SignError::InvalidPdf { reason } => write!(
                f,
                "the input is not a PDF that can be signed: {reason}; regenerate the \
                 report or repair it (e.g. `qpdf in.pdf out.pdf`)"
            ),
            SignError::EncryptedPdf => write!(
                f,
                "the PDF is encrypted; signing encrypted PDFs is not supported, \
                 sign the unencrypted report"
            ),
            SignError::InvalidPkcs12 { reason } => write!(
                f,
                "the PKCS#12 file cannot be used: {reason}; export the key with its \
                 certificate and chain again, e.g. `openssl pkcs12 -export -inkey key.pem \
                 -in cert.pem -certfile chain.pem -out signer.p12`"
            ),
            SignError::UnsupportedPkcs12 { reason } => write!(
                f,
                "the PKCS#12 file is protected with {reason}, which is not read; \
                 re-export it as OpenSSL 3 writes it: `openssl pkcs12 -legacy -in old.p12 \
                 -out old.pem` (the key stays encrypted, under a passphrase it asks for), \
                 then `openssl pkcs12 -export -in old.pem -keypbe AES-256-CBC -certpbe \
                 AES-256-CBC -macalg sha256 -out signer.p12`, and delete old.pem"
            ),
            SignError::Pkcs12PassphraseWrong => write!(
                f,
                "the PKCS#12 file could not be opened: the passphrase is wrong, or the \
                 file is damaged (its integrity check fails)"
            ),
            SignError::InvalidKeygenInput { reason } => {
                write!(f, "cannot create demo keys: {reason}")
            }
            SignError::Encoding { reason } => {
                write!(f, "internal encoding error while signing: {reason}")
            }
            SignError::TimeStamp { url, reason } if url.is_empty() => write!(f, "{reason}"),
            SignError::TimeStamp { url, reason } => write!(
                f,
                "the time-stamp authority at {url} gave no time-stamp: {reason}; check the \
                 URL (an RFC 3161 service over HTTP), or sign without --tsa (PAdES B-B)"
            ),
            SignError::Revocation { subject, reason } => write!(
                f,
                "the status of certificate `{subject}` could not be recorded: {reason}; \
                 PAdES B-LT and B-LTA need an OCSP or CRL answer for every certificate \
                 but the root (`--pades-level B-T` needs none)"
            ),
        }
    }
}

impl std::error::Error for SignError {}

/// The signing input an error is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInput {
    /// The private key.
    Key,
    /// The signer certificate.
    Certificate,
    /// The further certificates of the chain.
    Chain,
}

impl SignError {
    /// Which input the error is about and the 1-based line in its text, so a
    /// caller can point at `FILE:LINE`. `None` for errors about the document
    /// or the tool itself.
    pub fn location(&self) -> Option<(SignInput, usize)> {
        match self {
            SignError::InvalidKeyPem { line, .. }
            | SignError::UnsupportedKeyFormat { line, .. }
            | SignError::UnsupportedKeyAlgorithm { line, .. }
            | SignError::RsaKeySize { line, .. }
            | SignError::KeyPassphraseRequired { line }
            | SignError::KeyDecryptionFailed { line }
            | SignError::UnsupportedKeyEncryption { line, .. } => Some((SignInput::Key, *line)),
            SignError::InvalidCertificatePem { which, line, .. } => Some((
                if *which == CHAIN {
                    SignInput::Chain
                } else {
                    SignInput::Certificate
                },
                *line,
            )),
            SignError::UnsupportedCertificateKey { line }
            | SignError::KeyCertificateMismatch { line, .. }
            | SignError::CertificateNotYetValid { line, .. }
            | SignError::CertificateExpired { line, .. }
            | SignError::CertificateKeyUsage { line, .. } => Some((SignInput::Certificate, *line)),
            SignError::InvalidPdf { .. }
            | SignError::InvalidPkcs12 { .. }
            | SignError::UnsupportedPkcs12 { .. }
            | SignError::Pkcs12PassphraseWrong
            | SignError::EncryptedPdf
            | SignError::InvalidKeygenInput { .. }
            | SignError::Encoding { .. }
            | SignError::TimeStamp { .. }
            | SignError::Revocation { .. } => None,
        }
    }
}

/// `which` of [`SignError::InvalidCertificatePem`] for the signer certificate.
pub(crate) const SIGNER: &str = "signer certificate";
/// `which` of [`SignError::InvalidCertificatePem`] for the chain.
pub(crate) const CHAIN: &str = "certificate chain";

/// Why a file could not be verified at all. Failed *checks* on a readable
/// signature are not errors: they are reported in [`crate::Verification`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum VerifyError {
    /// The bytes do not start with a PDF header.
    NotPdf,
    /// No signature dictionary (with /ByteRange and /Contents) was found.
    NoSignature {
        /// How many objects were read: all of them were looked at.
        objects: usize,
    },
    /// No signature was found and the file does not end with `%%EOF`: it
    /// was cut short.
    Truncated {
        /// The length of the file, where it ends.
        len: u64,
    },
    /// A signature dictionary is structurally unusable.
    MalformedSignatureDictionary {
        /// Object number of the dictionary.
        object: u32,
        /// What is wrong.
        reason: String,
    },
    /// The /Contents of a signature is not a CMS SignedData we can read.
    MalformedCms {
        /// Object number of the signature dictionary.
        object: u32,
        /// What is wrong.
        reason: String,
    },
    /// The trust anchor PEM could not be read.
    InvalidTrustAnchor {
        /// What is wrong.
        reason: String,
    },
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VerifyError::NotPdf => write!(
                f,
                "the file is not a PDF (no `%PDF-` header in its first 1024 bytes); pass \
                 the signed report file"
            ),
            VerifyError::Truncated { len } => write!(
                f,
                "the PDF ends at byte {len} without `%%EOF` and no complete signature was \
                 found: the file is truncated (an interrupted download or copy?); get the \
                 complete report"
            ),
            VerifyError::NoSignature { objects } => write!(
                f,
                "the PDF contains no signature (none of its {objects} objects is a signature \
                 dictionary with /ByteRange and /Contents); pass a report written with `--key` and `--cert`, not an \
                 `--unsigned` draft"
            ),
            VerifyError::MalformedSignatureDictionary { object, reason } => write!(
                f,
                "signature dictionary in object {object} is malformed: {reason}; the file \
                 is damaged or was tampered with"
            ),
            VerifyError::MalformedCms { object, reason } => write!(
                f,
                "the signature value (/Contents) of object {object} is not a readable CMS \
                 SignedData: {reason}; the file is damaged or was not signed as PAdES/CMS"
            ),
            VerifyError::InvalidTrustAnchor { reason } => write!(
                f,
                "the trust anchor is not a readable PEM certificate ({reason}); pass the \
                 CA certificate (`-----BEGIN CERTIFICATE-----`)"
            ),
        }
    }
}

impl std::error::Error for VerifyError {}
