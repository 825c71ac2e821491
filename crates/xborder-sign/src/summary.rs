//! What a certificate says about its holder, for the sign-off block of a report.

use chrono::{DateTime, Utc};

use crate::SignError;
use crate::certs;
use crate::error::SIGNER;

/// The facts of a signer certificate printed before signing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateSummary {
    /// RFC 4514 subject, e.g. `CN=Audit Team,O=…`.
    pub subject: String,
    /// The subject's commonName, if any.
    pub common_name: Option<String>,
    /// SHA-256 of the DER certificate, lower-case hex.
    pub sha256: String,
    /// Start of the validity period (`None` if not representable).
    pub not_before: Option<DateTime<Utc>>,
    /// End of the validity period (`None` if not representable).
    pub not_after: Option<DateTime<Utc>>,
}

/// Reads the first certificate of a PEM text.
///
/// # Errors
/// [`SignError::InvalidCertificatePem`] when the text holds no readable certificate.
pub fn certificate_summary(pem: &str) -> Result<CertificateSummary, SignError> {
    let invalid = |line: usize, reason: String| SignError::InvalidCertificatePem {
        which: SIGNER,
        line,
        reason,
    };
    let certificates = certs::located_certificates(pem).map_err(|e| invalid(e.line, e.reason))?;
    let (line, cert) = certificates
        .first()
        .ok_or_else(|| invalid(1, "no CERTIFICATE block found".to_string()))?;
    let line = *line;
    let validity = certs::validity(cert);
    Ok(CertificateSummary {
        subject: certs::subject_string(cert),
        common_name: certs::common_name(&cert.tbs_certificate.subject),
        sha256: certs::fingerprint(cert)
            .map(|f| certs::hex(&f))
            .ok_or_else(|| invalid(line, "the certificate cannot be re-encoded".to_string()))?,
        not_before: validity.map(|v| v.0),
        not_after: validity.map(|v| v.1),
    })
}
