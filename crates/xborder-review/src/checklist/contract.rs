//! What the contract with the vendor must hold: the processor terms, a transfer basis for each
//! new flow, the additions the transfer tools need (read from the engine's findings) and the
//! written authorisation of the vendor's sub-processors.

use std::collections::{BTreeMap, BTreeSet};

use xborder_engine::{Code, Finding, Verdict};
use xborder_law::{Rulebook, SccRequirement, Severity, TermApplies, VendorLaw};
use xborder_model::{Authorisation, Intake, Role};

use crate::vendor::{HopReview, Status, Term, TermKind, VendorReview, term};

/// Findings of the review with this code.
pub(crate) fn coded(r: &VendorReview, code: Code) -> Vec<&Finding> {
    r.findings.iter().filter(|f| f.code == code).collect()
}

/// The contract checklist.
pub(crate) fn terms(
    r: &VendorReview,
    intake: &Intake,
    rulebook: &Rulebook,
    law: Option<&VendorLaw>,
) -> Vec<Term> {
    let as_of = r.as_of;
    let contract = intake.contract.as_ref();
    let vendor = &intake.vendor;
    let doc = |c: Code| rulebook.doc(c).citation.on(as_of).to_string();
    let mut out = Vec::new();
    let processor = vendor.role == Some(Role::Processor);
    let vendor_hops: Vec<&HopReview> = r.hops.iter().filter(|h| h.hop.to == vendor.id).collect();

    // The processor terms.
    if let Some(t) = law.and_then(|l| l.processor_terms.as_ref()) {
        let citation = t.citation.on(as_of).to_string();
        let line = |status, detail: String, action: &str| {
            term(
                TermKind::ProcessorTerms,
                &t.term,
                status,
                detail,
                action,
                citation.clone(),
            )
        };
        out.push(if !processor {
            line(
                Status::NotNeeded,
                format!("\"{}\" acts as controller", vendor.id),
                "",
            )
        } else if vendor_hops.is_empty() {
            line(
                Status::NotNeeded,
                "no data of a regime with processor rules reaches the vendor".to_string(),
                "",
            )
        } else {
            match contract.and_then(|c| c.dpa) {
                Some(d) if d <= as_of => line(Status::Present, format!("signed {d}"), ""),
                Some(d) => line(
                    Status::Missing,
                    format!("signed only on {d}, after {as_of}"),
                    &t.action,
                ),
                None => line(
                    Status::Missing,
                    "no data-processing terms".to_string(),
                    &t.action,
                ),
            }
        });
    }

    // A transfer basis for each new flow.
    let mut flows: BTreeMap<usize, Vec<&HopReview>> = BTreeMap::new();
    for h in &r.hops {
        flows.entry(h.hop.flow).or_default().push(h);
    }
    for (flow, hops) in &flows {
        let Some(first) = hops.first() else { continue };
        let name = format!("Transfer basis {} → {}", first.hop.from, first.hop.to);
        let unlawful: Vec<&&HopReview> = hops
            .iter()
            .filter(|h| h.hop.verdict == Verdict::Unlawful)
            .collect();
        let transfers: Vec<&&HopReview> = hops
            .iter()
            .filter(|h| h.hop.verdict != Verdict::NotATransfer)
            .collect();
        let lines = |list: &[&&HopReview], text: &dyn Fn(&HopReview) -> String| {
            list.iter()
                .map(|h| format!("{} → {}: {}", h.hop.regime, h.hop.destination, text(h)))
                .collect::<Vec<_>>()
                .join("; ")
        };
        let citation = r
            .findings
            .iter()
            .find(|f| f.flow == *flow && f.severity == Severity::Error)
            .map(|f| f.citation.to_string())
            .unwrap_or_else(|| first.hop.citation.to_string());
        let line = |status, detail, action: &str| {
            term(
                TermKind::TransferBasis,
                &name,
                status,
                detail,
                action,
                citation.clone(),
            )
        };
        out.push(if !unlawful.is_empty() {
            line(
                Status::Missing,
                lines(&unlawful, &|h| format!("needs {}", h.need.text)),
                "put the mechanism each hop needs in place before data flows",
            )
        } else if transfers.is_empty() {
            line(
                Status::NotNeeded,
                "no hop of this flow is a transfer".to_string(),
                "",
            )
        } else {
            line(
                Status::Present,
                lines(&transfers, &|h| {
                    format!(
                        "{} on {}",
                        h.hop.verdict,
                        h.hop.mechanism.as_deref().unwrap_or("?")
                    )
                }),
                "",
            )
        });
    }

    // Additions the tools need, from the engine's findings.
    let on_scc = |h: &HopReview| {
        h.hop.verdict == Verdict::Conditional && h.hop.mechanism.as_deref() == Some("scc")
    };
    // Whether the SCC terms of the hop's regime require an addition (`requires:` in scc-sets).
    let requires = |h: &HopReview, wanted: SccRequirement| {
        on_scc(h)
            && rulebook.scc_sets.iter().any(|set| {
                set.terms
                    .iter()
                    .any(|t| t.regime == h.hop.regime && t.requires.contains(&wanted))
            })
    };
    for t in law.map(|l| l.finding_terms.as_slice()).unwrap_or_default() {
        let Some(code) = Code::parse(&t.code) else {
            continue;
        };
        let applies = |h: &HopReview| match t.applies {
            TermApplies::StandardClauses => on_scc(h),
            TermApplies::Conditional => h.hop.verdict == Verdict::Conditional,
            TermApplies::UkAddendum => requires(h, SccRequirement::UkAddendum),
            TermApplies::SwissAdapted => requires(h, SccRequirement::SwissAdapted),
        };
        let missing = coded(r, code);
        let citation = missing
            .first()
            .map(|f| f.citation.to_string())
            .unwrap_or_else(|| doc(code));
        let line = |status, detail, action: &str| {
            term(
                TermKind::ToolAddition,
                &t.term,
                status,
                detail,
                action,
                citation.clone(),
            )
        };
        out.push(if !missing.is_empty() {
            line(
                Status::Missing,
                missing
                    .iter()
                    .map(|f| f.message.to_string())
                    .collect::<BTreeSet<_>>()
                    .into_iter()
                    .collect::<Vec<_>>()
                    .join("; "),
                &t.action,
            )
        } else if r.hops.iter().any(applies) {
            line(
                Status::Present,
                "in place for every hop that needs it".to_string(),
                "",
            )
        } else {
            line(Status::NotNeeded, "no new hop relies on it".to_string(), "")
        });
    }

    // Authorisation of the sub-processors.
    if let Some(t) = law.and_then(|l| l.sub_processors.as_ref()) {
        let citation = t.citation.on(as_of).to_string();
        let line = |status, detail, action: &str| {
            term(
                TermKind::SubProcessors,
                &t.term,
                status,
                detail,
                action,
                citation.clone(),
            )
        };
        out.push(if intake.sub_processors.is_empty() {
            line(
                Status::NotNeeded,
                "the vendor names no sub-processor".to_string(),
                "",
            )
        } else {
            let names = r.sub_processors.join(", ");
            match contract.and_then(|c| c.sub_processor_authorisation) {
                Some(a @ (Authorisation::General | Authorisation::Specific)) => line(
                    Status::Present,
                    format!(
                        "{} written authorisation covering {names}",
                        if a == Authorisation::General {
                            "general"
                        } else {
                            "specific"
                        }
                    ),
                    "",
                ),
                _ => line(
                    Status::Missing,
                    format!("{names} not authorised"),
                    &t.action,
                ),
            }
        });
    }
    out
}
