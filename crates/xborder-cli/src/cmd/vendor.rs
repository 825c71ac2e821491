//! `xborder vendor review VENDOR.yaml --map MAP [--as-of DATE] [--out MEMO.pdf …]` and
//! `xborder vendor validate VENDOR.yaml --map MAP`.

use std::path::Path;

use serde_json::json;
use xborder_law::Rulebook;
use xborder_model::{Intake, Map};
use xborder_report::memo::{MemoInput, memo_document};
use xborder_review::Decision;

use crate::cli::{Format, Global};
use crate::cli_vendor::{VendorArgs, VendorCommand, VendorReviewArgs, VendorValidateArgs};
use crate::diagnostics;
use crate::exit;
use crate::input::{self, Failure, LoadedMap};
use crate::output::unusable::{UnusableInput, json_when};
use crate::output::vendor as render;
use crate::signing::{self, VENDOR_MEMO};

pub fn run(global: &Global, args: &VendorArgs) -> Result<u8, Failure> {
    match &args.command {
        VendorCommand::Review(args) => review(global, args),
        VendorCommand::Validate(args) => validate(global, args),
    }
}

/// Reads an intake and validates it against `map`: the intake when it is valid, and the file
/// with every diagnostic, located in the intake.
fn load_intake(
    path: &Path,
    rulebook: &Rulebook,
    map: &Map,
) -> Result<(LoadedMap, Option<Intake>), Failure> {
    let text = input::read_text(path)?;
    let vocabulary = xborder_engine::vocabulary(rulebook);
    let (intake, diagnostics) = xborder_model::load_intake(&text, &vocabulary, map);
    let loaded = LoadedMap {
        path: path.display().to_string(),
        sha256: input::sha256_hex(text.as_bytes()),
        text,
        map: None,
        diagnostics,
        what: "vendor intake",
    };
    Ok((loaded, intake))
}

/// The intake, or a failure carrying every diagnostic; warnings go to stderr.
fn valid_intake(loaded: &LoadedMap, intake: Option<Intake>) -> Result<Intake, Failure> {
    match intake {
        Some(intake) => {
            if !loaded.diagnostics.is_empty() {
                eprint!("{}", diagnostics::human(loaded));
            }
            Ok(intake)
        }
        None => {
            let unusable = UnusableInput::file(loaded);
            Err(Failure {
                message: format!(
                    "{}error: {}",
                    diagnostics::human(loaded),
                    unusable.headline()
                ),
                unusable: Some(Box::new(unusable)),
            })
        }
    }
}

fn validate(global: &Global, args: &VendorValidateArgs) -> Result<u8, Failure> {
    let unusable = json_when(args.format == Format::Json);
    let rulebook = input::rulebook(global).map_err(&unusable)?;
    let (_, map) = input::valid_map(&args.map, &rulebook).map_err(&unusable)?;
    let mut files = Vec::with_capacity(args.intakes.len());
    for path in &args.intakes {
        files.push(load_intake(path, &rulebook, &map)?);
    }
    let all_valid = files.iter().all(|(_, intake)| intake.is_some());
    match args.format {
        Format::Human => {
            for (loaded, intake) in &files {
                let mut text = diagnostics::human(loaded);
                match intake {
                    Some(intake) => {
                        text.push_str(&format!(
                            "ok: {} ({} sub-processor(s), {} flow(s), against {})\n",
                            loaded.path,
                            intake.sub_processors.len(),
                            intake.flows.len(),
                            args.map.display()
                        ));
                        out!("{text}");
                    }
                    None => {
                        text.push_str(&format!(
                            "invalid: {} ({} error(s))\n",
                            loaded.path,
                            loaded.errors()
                        ));
                        eprint!("{text}");
                    }
                }
            }
        }
        Format::Json => {
            let docs: Vec<_> = files
                .iter()
                .map(|(loaded, intake)| {
                    json!({
                        "file": loaded.path,
                        "valid": intake.is_some(),
                        "diagnostics": diagnostics::json(loaded),
                    })
                })
                .collect();
            crate::stdout::json(&json!({ "format": 1, "files": docs }))?;
        }
    }
    Ok(if all_valid { exit::OK } else { exit::UNUSABLE })
}

fn review(global: &Global, args: &VendorReviewArgs) -> Result<u8, Failure> {
    // Everything that can refuse the run is checked before any work: the key material, the
    // output file, the generation time.
    if args.out.is_some() && args.intakes.len() > 1 {
        return Err(Failure::new(
            "error: --out writes the memo of one vendor, but several VENDOR files are given\n  hint: run `xborder vendor review VENDOR.yaml --out MEMO.pdf` once per vendor",
        ));
    }
    let signing = args
        .out
        .as_deref()
        .map(|out| signing::prepare(&args.sign, out, VENDOR_MEMO))
        .transpose()?;

    let unusable = json_when(args.format == Format::Json);
    let rulebook = input::rulebook(global).map_err(&unusable)?;
    let (map_loaded, map) = input::valid_map(&args.map, &rulebook).map_err(&unusable)?;
    // Every intake is read before any is reviewed: one that cannot be used stops the run with
    // all its problems, and nothing half-done is printed.
    let mut intakes = Vec::with_capacity(args.intakes.len());
    for path in &args.intakes {
        let (loaded, intake) = load_intake(path, &rulebook, &map)?;
        let intake = valid_intake(&loaded, intake).map_err(&unusable)?;
        intakes.push((loaded, intake));
    }
    let as_of = args.as_of.unwrap_or_else(super::today);
    let options = super::what_if_options(&args.assume_invalid, &rulebook)?;
    let reviews: Vec<_> = intakes
        .iter()
        .map(|(loaded, intake)| {
            (
                loaded,
                xborder_review::review(&map, intake, &rulebook, as_of, &options),
            )
        })
        .collect();

    if let (Some(signing), [(intake_loaded, review)]) = (signing, reviews.as_slice()) {
        let organisation = args
            .organisation
            .clone()
            .unwrap_or_else(|| map.organisation.clone());
        // What the memo's identity is a digest of, with the generation time and the signer's
        // certificate that `write` adds.
        let as_of_text = as_of.to_string();
        let assumed = review.assumed_invalid.join(",");
        let inputs = [
            map_loaded.sha256.as_str(),
            &intake_loaded.sha256,
            &rulebook.sha256,
            &as_of_text,
            &assumed,
        ];
        let stamp = signing.write(as_of, &inputs, |stamp| {
            let memo = MemoInput {
                review,
                rulebook: &rulebook,
                map_file: &map_loaded.path,
                map_sha256: &map_loaded.sha256,
                intake_file: &intake_loaded.path,
                intake_sha256: &intake_loaded.sha256,
                organisation: &organisation,
                memo_id: &stamp.id,
                document_id: stamp.document_id,
                generated_at: stamp.generated_at,
                tool_version: env!("CARGO_PKG_VERSION"),
                signer: stamp.signer.clone(),
            };
            xborder_report::render_pdf(&memo_document(&memo))
                .map_err(|e| Failure::new(format!("error: cannot render the memo: {e}")))
        })?;
        eprintln!(
            "wrote {} ({}, memo {}, decision: {})",
            signing.out().display(),
            stamp.state(),
            stamp.id,
            review.decision.as_str()
        );
    }
    // The review is printed once the memo, if asked for, is written: a run that fails prints
    // nothing but the error.
    match args.format {
        Format::Human => {
            let texts: Vec<String> = reviews
                .iter()
                .map(|(intake_loaded, review)| {
                    render::review_human(review, intake_loaded, &map_loaded)
                })
                .collect();
            out!("{}", texts.join("\n"));
        }
        Format::Json => {
            let mut docs: Vec<_> = reviews
                .iter()
                .map(|(intake_loaded, review)| {
                    render::review_json(review, intake_loaded, &map_loaded, &rulebook)
                })
                .collect();
            // One vendor: its review document; several: `{"format": 1, "reviews": [...]}`.
            if docs.len() == 1 {
                crate::stdout::json(&docs.remove(0))?;
            } else {
                crate::stdout::json(&json!({ "format": 1, "reviews": docs }))?;
            }
        }
    }
    let rejected = reviews
        .iter()
        .any(|(_, review)| review.decision == Decision::Reject);
    Ok(if rejected { exit::FINDINGS } else { exit::OK })
}
