//! PAdES-B-B signing and verification of xborder PDF audit reports.
//!
//! * [`sign_pdf`] appends a PAdES baseline B-B signature (ETSI EN 319 142-1,
//!   `/SubFilter /ETSI.CAdES.detached`) to a finished PDF as an incremental
//!   update (ISO 32000-1 §7.5.6, §12.8), with a detached CMS SignedData
//!   (RFC 5652) carrying the ESS signing-certificate-v2 attribute (RFC 5035)
//!   and a signature by an ECDSA P-256 or P-384 key (deterministic, RFC 6979)
//!   or an RSA key of 2048 to 4096 bits (RSASSA-PKCS1-v1_5, deterministic,
//!   or RSASSA-PSS with a random salt, [`sign_pdf_with_rsa_padding`]); the
//!   key from PEM (PKCS#8, encrypted PKCS#8, PKCS#1, SEC1, [`KeyAlgorithm`])
//!   or from a PKCS#12 file with its chain ([`read_pkcs12`]).
//! * [`verify_pdf`] checks every signature of a file: ByteRange coverage,
//!   data appended after signing, digest, CMS signature (ECDSA P-256/P-384,
//!   RSA PKCS#1 v1.5 and PSS with SHA-2), chain to a trust anchor, and
//!   returns the report's `Xborder*` metadata.
//! * [`keygen`] makes a demo CA and signer certificate.
//!
//! The library is pure: no clock reads and no file I/O. Callers pass times
//! and bytes, so the same input always produces the same output bytes.
//!
//! ```no_run
//! use chrono::{TimeZone, Utc};
//! use xborder_sign::{SignRequest, keygen, sign_pdf, verify_pdf};
//!
//! let time = |y| Utc.with_ymd_and_hms(y, 1, 1, 0, 0, 0).single().ok_or("bad time");
//! let pki = keygen("Audit Team", time(2025)?, time(2030)?)?;
//! let pdf = std::fs::read("report.pdf")?;
//! let signed = sign_pdf(&SignRequest {
//!     pdf: &pdf,
//!     key_pem: &pki.signer_key_pem,
//!     cert_pem: &pki.signer_cert_pem,
//!     chain_pem: Some(&pki.ca_cert_pem),
//!     signing_time: time(2026)?,
//!     signer_name: Some("Audit Team"),
//!     reason: Some("Audit report"),
//!     location: None,
//! })?;
//! let report = verify_pdf(&signed, Some(&pki.ca_cert_pem), Some(time(2026)?))?;
//! assert!(report.is_valid());
//! for sig in &report.signatures {
//!     println!("{:?} signed at {:?}: {}", sig.signer_common_name, sig.signing_time, sig.chain);
//! }
//! println!("report id: {:?}", report.info.get("XborderReportId"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod algorithms;
mod certs;
mod cms_build;
mod dss;
mod error;
mod fetch;
mod incremental;
mod key;
mod keygen;
mod long_term;
mod oid;
mod pdf;
mod pfx;
mod public_key;
mod revocation;
mod sign;
mod summary;
mod tsp;
mod verify;

pub use certs::{decrypt_key, encrypt_key, key_is_encrypted};
pub use error::{SignError, SignInput, VerifyError};
pub use fetch::Fetch;
pub use key::{KeyAlgorithm, RsaPadding, key_algorithm};
pub use keygen::{DemoPki, keygen};
pub use long_term::{PadesLevel, append_document_time_stamp, sign_pdf_at_level};
/// Memory that is wiped when dropped, as [`decrypt_key`] returns a key in.
pub use p256::elliptic_curve::zeroize::Zeroizing;
pub use pfx::{Pkcs12Contents, looks_like_pkcs12, read_pkcs12};
pub use sign::{SignRequest, check_signing_material, sign_pdf, sign_pdf_with_rsa_padding};
pub use summary::{CertificateSummary, certificate_summary};
pub use verify::{
    ChainProblem, ChainStatus, Coverage, RevocationStatus, SignatureCheck, SignatureKind,
    TimeStampCheck, ValidationDataCheck, Verification, verify_pdf,
};
