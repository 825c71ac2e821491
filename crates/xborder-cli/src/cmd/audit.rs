//! `xborder audit MAP --as-of DATE --out FILE.pdf --key KEY.pem --cert CERT.pem`

use xborder_report::audit::{AcceptancesInput, AuditInput, BaseInput, audit_document};

use crate::cli::{AuditArgs, Global};
use crate::exit;
use crate::input::{self, Failure};
use crate::signing::{self, SignFlags};
use crate::write;

pub fn run(global: &Global, args: &AuditArgs) -> Result<u8, Failure> {
    let generated_at = signing::generation_time(args.generated_at.as_deref())?;
    let signing = signing::material(
        &SignFlags {
            key: args.key.as_deref(),
            cert: args.cert.as_deref(),
            chain: args.chain.as_deref(),
            unsigned: args.unsigned,
            signer_name: args.signer_name.as_deref(),
            signer_role: &args.signer_role,
            what: "audit report",
        },
        generated_at,
    )?;
    write::check_target(&args.out, args.force)?;
    let signer = signing.as_ref().map(|m| m.signer.clone());

    let rulebook = input::rulebook(global)?;
    let (loaded, map) = input::valid_map(&args.map, &rulebook)?;
    let base = match &args.base {
        Some(path) => Some(input::valid_map(path, &rulebook)?),
        None => None,
    };
    let acceptances = args
        .accept
        .as_deref()
        .map(|path| input::acceptances(path, &map, &rulebook))
        .transpose()?;
    let as_of = args.as_of.unwrap_or_else(super::today);
    let mut loaded = loaded;
    super::warn_outside_period(&mut loaded, &map, as_of);
    let options = super::what_if_options(&args.assume_invalid, &rulebook)?;
    let mut evaluation = xborder_engine::check(&map, &rulebook, as_of, &options);
    if let Some(file) = &acceptances {
        xborder_engine::accept(&mut evaluation, &map, &file.list, &file.path, &rulebook);
    }
    let horizon_end = as_of + chrono::Duration::days(args.horizon);
    let expiring = xborder_engine::expiring(&map, &rulebook, as_of, horizon_end, &options);
    let comparison = base.as_ref().map(|(_, base_map)| {
        let base_eval = xborder_engine::check(base_map, &rulebook, as_of, &options);
        xborder_engine::compare(base_map, &base_eval, &map, &evaluation)
    });

    // The report's identity: a digest of everything it is computed from.
    let generated = generated_at.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let as_of_text = as_of.to_string();
    let (report_id, document_id) = signing::identity(
        "XB",
        as_of,
        &[
            &loaded.sha256,
            &rulebook.sha256,
            &as_of_text,
            &generated,
            signer
                .as_ref()
                .map_or("", |s| s.certificate_sha256.as_str()),
        ],
    );

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
        acceptances: acceptances.as_ref().map(|a| AcceptancesInput {
            file: &a.path,
            sha256: &a.sha256,
            list: &a.list,
        }),
    };
    let document = audit_document(&audit);
    let pdf = xborder_report::render_pdf(&document)
        .map_err(|e| Failure::new(format!("error: cannot render the report: {e}")))?;
    signing::sign_and_write(
        &args.out,
        pdf,
        signing.as_ref(),
        generated_at,
        "Cross-border transfer audit report",
        args.force,
    )?;
    if !crate::style::quiet() {
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
    }
    Ok(exit::OK)
}
