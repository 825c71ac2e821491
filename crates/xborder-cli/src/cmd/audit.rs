//! `xborder audit MAP --as-of DATE --out FILE.pdf --key KEY.pem --cert CERT.pem`

use chrono::{DateTime, NaiveDateTime, Utc};
use sha2::{Digest, Sha256};
use xborder_report::audit::{AuditInput, BaseInput, Signer, audit_document};

use crate::cli::{AuditArgs, Global};
use crate::exit;
use crate::input::{self, Failure};
use crate::write;

/// The key material of a signed run, read before any work is done.
struct SigningMaterial {
    key_pem: String,
    cert_pem: String,
    chain_pem: Option<String>,
}

pub fn run(global: &Global, args: &AuditArgs) -> Result<u8, Failure> {
    let signing = match (&args.key, &args.cert) {
        (Some(key), Some(cert)) => Some(SigningMaterial {
            key_pem: input::read_text(key)?,
            cert_pem: input::read_text(cert)?,
            chain_pem: args.chain.as_deref().map(input::read_text).transpose()?,
        }),
        _ if args.unsigned => None,
        _ => {
            return Err(Failure::new(
                "error: refusing to write an unsigned audit report\n  hint: pass --key KEY.pem --cert CERT.pem to sign it (xborder keygen makes a demo pair), or --unsigned for a draft marked UNSIGNED DRAFT",
            ));
        }
    };
    write::check_target(&args.out, args.force)?;
    let generated_at = generation_time(args.generated_at.as_deref())?;

    let signer = match &signing {
        Some(m) => {
            let cert = xborder_sign::certificate_summary(&m.cert_pem).map_err(|e| {
                Failure::new(format!(
                    "error: {}: {e}",
                    args.cert
                        .as_ref()
                        .map(|p| p.display().to_string())
                        .unwrap_or_default()
                ))
            })?;
            Some(Signer {
                name: args.signer_name.clone().unwrap_or_else(|| {
                    cert.common_name
                        .clone()
                        .unwrap_or_else(|| cert.subject.clone())
                }),
                role: args.signer_role.clone(),
                certificate_subject: cert.subject,
                certificate_sha256: cert.sha256,
            })
        }
        None => None,
    };

    let rulebook = input::rulebook(global)?;
    let (loaded, map) = input::valid_map(&args.map, &rulebook)?;
    let base = match &args.base {
        Some(path) => Some(input::valid_map(path, &rulebook)?),
        None => None,
    };
    let as_of = args.as_of.unwrap_or_else(super::today);
    let options = xborder_engine::Options {
        assume_invalid: args.assume_invalid.iter().cloned().collect(),
    };
    let evaluation = xborder_engine::check(&map, &rulebook, as_of, &options);
    let horizon_end = as_of + chrono::Duration::days(args.horizon);
    let expiring = xborder_engine::expiring(&map, &rulebook, as_of, horizon_end, &options);
    let comparison = base.as_ref().map(|(_, base_map)| {
        let base_eval = xborder_engine::check(base_map, &rulebook, as_of, &options);
        xborder_engine::compare(base_map, &base_eval, &map, &evaluation)
    });

    // The report's identity: a digest of everything it is computed from.
    let identity = Sha256::digest(format!(
        "{}\n{}\n{}\n{}\n{}",
        loaded.sha256,
        rulebook.sha256,
        as_of,
        generated_at.format("%Y-%m-%dT%H:%M:%SZ"),
        signer
            .as_ref()
            .map_or("", |s| s.certificate_sha256.as_str())
    ));
    let hex: String = identity.iter().map(|b| format!("{b:02X}")).collect();
    let report_id = format!("XB-{}-{}", as_of.format("%Y%m%d"), &hex[..12]);
    let mut document_id = [0u8; 16];
    document_id.copy_from_slice(&identity[..16]);

    let organisation = args
        .organisation
        .clone()
        .unwrap_or_else(|| map.organisation.clone());
    let audit = AuditInput {
        map: &map,
        map_file: &loaded.path,
        map_sha256: &loaded.sha256,
        rulebook: &rulebook,
        evaluation: &evaluation,
        expiring: &expiring,
        horizon_days: args.horizon,
        base: match (&base, &comparison) {
            (Some((base_loaded, base_map)), Some(comparison)) => Some(BaseInput {
                file: &base_loaded.path,
                map: base_map,
                sha256: &base_loaded.sha256,
                comparison,
            }),
            _ => None,
        },
        organisation: &organisation,
        report_id: &report_id,
        document_id,
        generated_at,
        tool_version: env!("CARGO_PKG_VERSION"),
        signer,
    };
    let document = audit_document(&audit);
    let pdf = xborder_report::render_pdf(&document)
        .map_err(|e| Failure::new(format!("error: cannot render the report: {e}")))?;
    let bytes = match &signing {
        Some(m) => {
            let request = xborder_sign::SignRequest {
                pdf: &pdf,
                key_pem: &m.key_pem,
                cert_pem: &m.cert_pem,
                chain_pem: m.chain_pem.as_deref(),
                signing_time: generated_at.and_utc(),
                signer_name: audit.signer.as_ref().map(|s| s.name.as_str()),
                reason: Some("Cross-border transfer audit report"),
                location: None,
            };
            xborder_sign::sign_pdf(&request)
                .map_err(|e| Failure::new(format!("error: cannot sign the report: {e}")))?
        }
        None => pdf,
    };
    // Signing is the last step; the file appears only now, complete.
    write::write_atomic(&args.out, &bytes, false)?;
    eprintln!(
        "wrote {} ({}, report {report_id}, {} hops: {} unlawful, {} conditional)",
        args.out.display(),
        if signing.is_some() {
            "signed"
        } else {
            "UNSIGNED DRAFT"
        },
        evaluation.summary.hops,
        evaluation.summary.unlawful,
        evaluation.summary.conditional
    );
    Ok(exit::OK)
}

/// `--generated-at`, else `SOURCE_DATE_EPOCH` (reproducible builds), else the clock.
fn generation_time(flag: Option<&str>) -> Result<NaiveDateTime, Failure> {
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

use chrono::Timelike as _;
