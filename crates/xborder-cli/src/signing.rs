//! Signing and writing a rendered PDF (the audit report, the vendor memo): key material is
//! read before any work is done, the generation time comes from the flag, the environment or
//! the clock, the document's identity is a digest of what it is computed from, and the file
//! appears only at the end, signed and complete.

use std::path::Path;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Timelike as _, Utc};
use sha2::{Digest, Sha256};
use xborder_report::audit::Signer;

use crate::input::{self, Failure};
use crate::write;

/// The signing flags of a command that writes a PDF.
#[derive(Debug, Clone, Copy)]
pub struct SignFlags<'a> {
    pub key: Option<&'a Path>,
    pub cert: Option<&'a Path>,
    pub chain: Option<&'a Path>,
    pub unsigned: bool,
    pub signer_name: Option<&'a str>,
    pub signer_role: &'a str,
    /// What is written, for messages: "audit report", "vendor memo".
    pub what: &'a str,
}

/// The key material of a signed run, read before any work is done.
#[derive(Debug)]
pub struct SigningMaterial {
    key_pem: String,
    cert_pem: String,
    chain_pem: Option<String>,
    /// The sign-off block's signer, from the certificate.
    pub signer: Signer,
}

/// Reads the key, certificate and chain, or accepts `--unsigned`; refuses to go on without
/// either, so that an unsigned document is always a deliberate draft.
pub fn material(flags: &SignFlags<'_>) -> Result<Option<SigningMaterial>, Failure> {
    let (key, cert) = match (flags.key, flags.cert) {
        (Some(key), Some(cert)) => (key, cert),
        _ if flags.unsigned => return Ok(None),
        _ => {
            return Err(Failure::new(format!(
                "error: refusing to write an unsigned {}\n  hint: pass --key KEY.pem --cert CERT.pem to sign it (xborder keygen makes a demo pair), or --unsigned for a draft marked UNSIGNED DRAFT",
                flags.what
            )));
        }
    };
    let key_pem = input::read_text(key)?;
    let cert_pem = input::read_text(cert)?;
    let chain_pem = flags.chain.map(input::read_text).transpose()?;
    let summary = xborder_sign::certificate_summary(&cert_pem)
        .map_err(|e| Failure::new(format!("error: {}: {e}", cert.display())))?;
    let signer = Signer {
        name: flags.signer_name.map_or_else(
            || {
                summary
                    .common_name
                    .clone()
                    .unwrap_or_else(|| summary.subject.clone())
            },
            str::to_string,
        ),
        role: flags.signer_role.to_string(),
        certificate_subject: summary.subject,
        certificate_sha256: summary.sha256,
    };
    Ok(Some(SigningMaterial {
        key_pem,
        cert_pem,
        chain_pem,
        signer,
    }))
}

/// `--generated-at`, else `SOURCE_DATE_EPOCH` (reproducible builds), else the clock.
pub fn generation_time(flag: Option<&str>) -> Result<NaiveDateTime, Failure> {
    if let Some(text) = flag {
        return DateTime::parse_from_rfc3339(text)
            .map(|t| t.with_timezone(&Utc).naive_utc())
            .map_err(|_| Failure::new(format!("error: --generated-at \"{text}\" is not an RFC 3339 time\n  hint: write e.g. 2026-01-01T00:00:00Z")));
    }
    if let Ok(epoch) = std::env::var("SOURCE_DATE_EPOCH") {
        let seconds: i64 = epoch.trim().parse().map_err(|_| {
            Failure::new(format!(
                "error: SOURCE_DATE_EPOCH=\"{epoch}\" is not a number of seconds"
            ))
        })?;
        return DateTime::from_timestamp(seconds, 0)
            .map(|t| t.naive_utc())
            .ok_or_else(|| {
                Failure::new(format!("error: SOURCE_DATE_EPOCH={epoch} is out of range"))
            });
    }
    let now = Utc::now().naive_utc();
    Ok(now.with_nanosecond(0).unwrap_or(now))
}

/// A document's identity: `PREFIX-YYYYMMDD-XXXXXXXXXXXX` from the SHA-256 of `parts` (one per
/// line: input hashes, dates, the signer's certificate), and the PDF `/ID` from the same
/// digest.
pub fn identity(prefix: &str, as_of: NaiveDate, parts: &[&str]) -> (String, [u8; 16]) {
    let digest = Sha256::digest(parts.join("\n"));
    let hex: String = digest.iter().map(|b| format!("{b:02X}")).collect();
    let id = format!("{prefix}-{}-{}", as_of.format("%Y%m%d"), &hex[..12]);
    let mut document_id = [0u8; 16];
    document_id.copy_from_slice(&digest[..16]);
    (id, document_id)
}

/// Signs the rendered PDF (unless unsigned) and writes it atomically: signing is the last
/// step, and the file appears only complete.
pub fn sign_and_write(
    out: &Path,
    pdf: Vec<u8>,
    material: Option<&SigningMaterial>,
    generated_at: NaiveDateTime,
    reason: &str,
) -> Result<(), Failure> {
    let bytes = match material {
        Some(m) => {
            let request = xborder_sign::SignRequest {
                pdf: &pdf,
                key_pem: &m.key_pem,
                cert_pem: &m.cert_pem,
                chain_pem: m.chain_pem.as_deref(),
                signing_time: generated_at.and_utc(),
                signer_name: Some(m.signer.name.as_str()),
                reason: Some(reason),
                location: None,
            };
            xborder_sign::sign_pdf(&request)
                .map_err(|e| Failure::new(format!("error: cannot sign the document: {e}")))?
        }
        None => pdf,
    };
    write::write_atomic(out, &bytes, false)
}
