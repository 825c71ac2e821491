//! `xborder verify FILE.pdf [--trust CA.pem] [--map MAP]`: exit 0 valid, 1 invalid, 2 unusable.

use std::fmt::Write as _;

use serde_json::json;
use xborder_sign::{Coverage, RevocationStatus, SignatureKind, TimeStampCheck, Verification};

use crate::cli::{Format, VerifyArgs};
use crate::exit;
use crate::input::{self, Failure};

pub fn run(args: &VerifyArgs) -> Result<u8, Failure> {
    let bytes = std::fs::read(&args.file).map_err(|e| {
        Failure::new(format!(
            "error: cannot read {}: {e}\n  hint: check the path",
            args.file.display()
        ))
    })?;
    let trust = match &args.trust {
        Some(path) => Some(input::read_text(path)?),
        None => None,
    };
    let map_hash = match &args.map {
        Some(path) => {
            let text = std::fs::read(path)
                .map_err(|e| Failure::new(format!("error: cannot read {}: {e}", path.display())))?;
            Some(input::sha256_hex(&text))
        }
        None => None,
    };
    let verification = xborder_sign::verify_pdf(&bytes, trust.as_deref(), None).map_err(|e| {
        // A problem with the trust anchor is one of the --trust file, not of the report.
        let file = match (&e, &args.trust) {
            (xborder_sign::VerifyError::InvalidTrustAnchor { .. }, Some(trust)) => trust,
            _ => &args.file,
        };
        Failure::new(format!("error: {}: {e}", file.display()))
    })?;
    let map_matches = map_hash
        .as_ref()
        .map(|h| verification.info.get("XborderMapSha256") == Some(h));
    let valid = verification.is_valid() && map_matches != Some(false);
    match args.format {
        Format::Human => out!(
            "{}",
            human(args, &verification, map_hash.as_deref(), map_matches)
        ),
        Format::Json => {
            let doc = json!({
                "file": args.file.display().to_string(),
                "valid": valid,
                "pades_level": verification.pades_level(),
                "validation_data": verification.validation_data.as_ref().map(|d| json!({
                    "certificates": d.certificates,
                    "ocsp_responses": d.ocsp_responses,
                    "crls": d.crls,
                    "intact": d.intact,
                    "notes": d.notes,
                })),
                "signatures": verification.signatures.iter().map(|s| json!({
                    "kind": match s.kind {
                        SignatureKind::Signature => "signature",
                        SignatureKind::DocumentTimeStamp => "document time-stamp",
                    },
                    "time_stamp": s.time_stamp.as_ref().map(|t| json!({
                        "signed_no_later_than": t.time.to_rfc3339(),
                        "tsa": t.tsa_subject,
                        "algorithm": t.algorithm,
                        "intact": t.intact,
                        "chain": t.chain.to_string(),
                        "trusted": t.chain.is_trusted(),
                        "revocation": t.revocation.to_string(),
                    })),
                    "revocation": s.revocation.to_string(),
                    "signer": s.signer_subject,
                    "common_name": s.signer_common_name,
                    "signing_time": s.signing_time.map(|t| t.to_rfc3339()),
                    "byte_range": s.byte_range,
                    "covers_whole_file": matches!(s.coverage, Coverage::WholeFile),
                    "modified_after_signing": matches!(s.coverage, Coverage::ModifiedAfterSigning { .. }),
                    "validation_data_added": matches!(s.coverage, Coverage::ValidationDataAdded { .. }),
                    "digest_ok": s.digest_ok,
                    "signature_ok": s.signature_ok,
                    "algorithm": s.algorithm,
                    "chain": s.chain.to_string(),
                    "trusted": s.chain.is_trusted(),
                })).collect::<Vec<_>>(),
                "inputs": verification.info,
                "map": args.map.as_ref().map(|p| json!({ "path": p.display().to_string(), "sha256": map_hash, "matches": map_matches })),
            });
            crate::stdout::json(&doc)?;
        }
    }
    Ok(if valid { exit::OK } else { exit::FINDINGS })
}

fn mark(ok: bool) -> &'static str {
    if ok { "ok" } else { "FAILED" }
}

fn human(
    args: &VerifyArgs,
    v: &Verification,
    map_hash: Option<&str>,
    map_matches: Option<bool>,
) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}: {} signature(s), {} bytes",
        args.file.display(),
        v.signatures.len(),
        v.file_len
    );
    for (i, s) in v.signatures.iter().enumerate() {
        let kind = match s.kind {
            SignatureKind::Signature => "",
            SignatureKind::DocumentTimeStamp => " (document time-stamp)",
        };
        let _ = writeln!(out, "\nsignature {}{kind}", i + 1);
        let _ = writeln!(
            out,
            "  signer:        {}",
            s.signer_subject.as_deref().unwrap_or("(unknown)")
        );
        let _ = writeln!(
            out,
            "  signing time:  {}",
            s.signing_time.map_or_else(
                || "(none)".to_string(),
                |t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
            )
        );
        let coverage = match &s.coverage {
            Coverage::WholeFile => "ok — covers the whole file except the signature".to_string(),
            Coverage::SignedLater { by, appended } => format!(
                "ok — {appended} later byte(s) covered by signature {}",
                by + 1
            ),
            Coverage::ValidationDataAdded { appended } => format!(
                "ok — {appended} later byte(s) only add validation data (document security store)"
            ),
            Coverage::ModifiedAfterSigning { appended } => format!(
                "FAILED — modified after signing ({appended} byte(s) not covered by the signature)"
            ),
        };
        let _ = writeln!(out, "  byte range:    {coverage}");
        let _ = writeln!(
            out,
            "  digest:        {}",
            mark(s.digest_ok && s.byte_range_ok)
        );
        let _ = writeln!(out, "  signature:     {}", mark(s.signature_ok));
        if let Some(algorithm) = &s.algorithm {
            let _ = writeln!(out, "  algorithm:     {algorithm}");
        }
        let chain = if s.chain.is_trusted() || !v.trust_anchor_given {
            s.chain.to_string()
        } else {
            format!("FAILED — {}", s.chain)
        };
        let _ = writeln!(out, "  signer chain:  {chain}");
        if s.kind == SignatureKind::Signature {
            time_stamp_lines(&mut out, s.time_stamp.as_ref(), v.trust_anchor_given);
        }
        if s.revocation != RevocationStatus::NotChecked {
            let bad = s.revocation.is_revoked();
            let _ = writeln!(
                out,
                "  revocation:    {}{}",
                if bad { "FAILED — " } else { "" },
                s.revocation
            );
        }
        for note in &s.notes {
            let _ = writeln!(out, "  note:          {note}");
        }
    }
    if let Some(d) = &v.validation_data {
        let _ = writeln!(
            out,
            "\nvalidation data: {} — {} certificate(s), {} OCSP response(s), {} CRL(s)",
            mark(d.intact),
            d.certificates,
            d.ocsp_responses,
            d.crls
        );
        for note in &d.notes {
            let _ = writeln!(out, "  note:          {note}");
        }
    }
    if let Some(level) = v.pades_level() {
        let _ = writeln!(out, "\nPAdES level:     {level}");
    }
    let _ = writeln!(out, "\nreport");
    for (key, label) in [
        ("XborderReportId", "report ID"),
        ("XborderAsOf", "as of"),
        ("XborderGeneratedAt", "generated"),
        ("XborderMapFile", "map file"),
        ("XborderMapSha256", "map SHA-256"),
        ("XborderRulebookVersion", "rulebook"),
        ("XborderRulebookSha256", "rulebook SHA-256"),
    ] {
        let _ = writeln!(
            out,
            "  {label:<17}{}",
            v.info.get(key).map_or("(missing)", String::as_str)
        );
    }
    if let (Some(path), Some(hash), Some(matches)) = (&args.map, map_hash, map_matches) {
        let verdict = if matches {
            "ok — matches the report".to_string()
        } else {
            format!("FAILED — {hash} is not the map this report was made from")
        };
        let _ = writeln!(out, "  --map {}: {verdict}", path.display());
    }
    let valid = v.is_valid() && map_matches != Some(false);
    let trust = if v.trust_anchor_given {
        ""
    } else {
        " (untrusted signer: no --trust anchor given)"
    };
    let _ = writeln!(
        out,
        "\n{}{}",
        if valid { "VALID" } else { "INVALID" },
        if valid { trust } else { "" }
    );
    out
}

/// The signature time-stamp of a signature: when it was made at the latest, by which TSA,
/// and whether it checks out; or that there is none, so the signing time is only claimed.
fn time_stamp_lines(out: &mut String, t: Option<&TimeStampCheck>, anchor_given: bool) {
    let Some(t) = t else {
        let _ = writeln!(
            out,
            "  time-stamp:    none (PAdES B-B: the signing time is claimed, not attested)"
        );
        return;
    };
    let state = if t.is_valid(anchor_given) {
        "ok"
    } else {
        "FAILED"
    };
    let _ = writeln!(
        out,
        "  time-stamp:    {state} — signed no later than {} by {}",
        t.time.format("%Y-%m-%dT%H:%M:%SZ"),
        t.tsa_subject.as_deref().unwrap_or("(unknown TSA)")
    );
    if let Some(algorithm) = &t.algorithm {
        let _ = writeln!(out, "  TSA algorithm: {algorithm}");
    }
    let _ = writeln!(out, "  TSA chain:     {}", t.chain);
    if t.revocation != RevocationStatus::NotChecked {
        let _ = writeln!(out, "  TSA status:    {}", t.revocation);
    }
    for note in &t.notes {
        let _ = writeln!(out, "  note:          {note}");
    }
}
