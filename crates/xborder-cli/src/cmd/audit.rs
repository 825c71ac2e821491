//! `xborder audit MAP --as-of DATE --out FILE.pdf --key KEY.pem --cert CERT.pem`

use xborder_report::audit::{AcceptancesInput, AuditInput, BaseInput, audit_document};

use crate::cli::{AuditArgs, Global};
use crate::exit;
use crate::input::{self, Failure};
use crate::signing::{self, AUDIT_REPORT};

pub fn run(global: &Global, args: &AuditArgs) -> Result<u8, Failure> {
    let signing = signing::prepare(&args.sign, &args.out, AUDIT_REPORT)?;

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

    let organisation = args
        .organisation
        .clone()
        .unwrap_or_else(|| map.organisation.clone());
    // What the report's identity is a digest of, with the generation time and the signer's
    // certificate that `write` adds.
    let as_of_text = as_of.to_string();
    let inputs = [loaded.sha256.as_str(), &rulebook.sha256, &as_of_text];
    let stamp = signing.write(as_of, &inputs, |stamp| {
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
            report_id: &stamp.id,
            document_id: stamp.document_id,
            generated_at: stamp.generated_at,
            tool_version: env!("CARGO_PKG_VERSION"),
            signer: stamp.signer.clone(),
            acceptances: acceptances.as_ref().map(|a| AcceptancesInput {
                file: &a.path,
                sha256: &a.sha256,
                list: &a.list,
            }),
        };
        xborder_report::render_pdf(&audit_document(&audit))
            .map_err(|e| Failure::new(format!("error: cannot render the report: {e}")))
    })?;
    if !crate::style::quiet() {
        eprintln!(
            "wrote {} ({}, report {}, {} hops: {} unlawful, {} conditional)",
            signing.out().display(),
            stamp.state(),
            stamp.id,
            evaluation.summary.hops,
            evaluation.summary.unlawful,
            evaluation.summary.conditional
        );
    }
    Ok(exit::OK)
}
