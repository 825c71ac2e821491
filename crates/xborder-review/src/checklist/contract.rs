//! What the contract with the vendor must hold: the processor terms (GDPR Art. 28(3)), a
//! transfer basis for each new flow (Chapter V), the additions the transfer tools need
//! (`clauses.rs`) and the written authorisation of the vendor's sub-processors (Art. 28(2)
//! and 28(4)).

use std::collections::BTreeMap;

use xborder_engine::Verdict;
use xborder_law::{Rulebook, Severity, VendorLaw, VendorTerm};
use xborder_model::{Authorisation, Intake, Role};

use crate::vendor::{HopReview, Status, Term, TermKind, VendorReview, term};

/// The contract checklist, in the order the memo lists it: processor terms, a transfer basis
/// per new flow, the tools' additions, the sub-processors' authorisation.
pub(crate) fn terms(
    r: &VendorReview,
    intake: &Intake,
    rulebook: &Rulebook,
    law: Option<&VendorLaw>,
) -> Vec<Term> {
    let mut out = Vec::new();
    if let Some(t) = law.and_then(|l| l.processor_terms.as_ref()) {
        out.push(processor_terms(r, intake, t));
    }
    out.extend(transfer_bases(r));
    out.extend(super::clauses::terms(r, rulebook, law));
    if let Some(t) = law.and_then(|l| l.sub_processors.as_ref()) {
        out.push(sub_processors(r, intake, t));
    }
    out
}

/// The processor terms: needed only when the vendor acts as processor and data of a regime
/// reaches it; present when signed on or before the review date. A vendor acting as controller
/// needs none (it decides the purposes itself).
fn processor_terms(r: &VendorReview, intake: &Intake, t: &VendorTerm) -> Term {
    let as_of = r.as_of;
    let vendor = &intake.vendor;
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
    if vendor.role != Some(Role::Processor) {
        line(
            Status::NotNeeded,
            format!("\"{}\" acts as controller", vendor.id),
            "",
        )
    } else if !r.hops.iter().any(|h| h.hop.to == vendor.id) {
        line(
            Status::NotNeeded,
            "no data of a regime with processor rules reaches the vendor".to_string(),
            "",
        )
    } else {
        match intake.contract.as_ref().and_then(|c| c.dpa) {
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
    }
}

/// A transfer basis for each new flow (in flow order): missing when a hop of the flow is
/// unlawful (with what each such hop needs), present with the mechanism of each transfer,
/// not needed when no hop of the flow is a transfer.
fn transfer_bases(r: &VendorReview) -> Vec<Term> {
    let mut flows: BTreeMap<usize, Vec<&HopReview>> = BTreeMap::new();
    for h in &r.hops {
        flows.entry(h.hop.flow).or_default().push(h);
    }
    flows
        .iter()
        .filter_map(|(flow, hops)| transfer_basis(r, *flow, hops))
        .collect()
}

/// The transfer-basis line of one flow, cited as its first error finding or else as its first
/// hop; `None` for a flow without hops.
fn transfer_basis(r: &VendorReview, flow: usize, hops: &[&HopReview]) -> Option<Term> {
    let first = hops.first()?;
    let name = format!("Transfer basis {} → {}", first.hop.from, first.hop.to);
    let unlawful: Vec<&HopReview> = hops
        .iter()
        .copied()
        .filter(|h| h.hop.verdict == Verdict::Unlawful)
        .collect();
    let transfers: Vec<&HopReview> = hops
        .iter()
        .copied()
        .filter(|h| h.hop.verdict != Verdict::NotATransfer)
        .collect();
    let lines = |list: &[&HopReview], text: &dyn Fn(&HopReview) -> String| {
        list.iter()
            .map(|h| format!("{} → {}: {}", h.hop.regime, h.hop.destination, text(h)))
            .collect::<Vec<_>>()
            .join("; ")
    };
    let citation = r
        .findings
        .iter()
        .find(|f| f.flow == flow && f.severity == Severity::Error)
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
    Some(if !unlawful.is_empty() {
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
    })
}

/// The written authorisation of the sub-processors the intake names (specific, or general):
/// a processor may engage another only with the controller's prior written authorisation.
fn sub_processors(r: &VendorReview, intake: &Intake, t: &VendorTerm) -> Term {
    let citation = t.citation.on(r.as_of).to_string();
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
    if intake.sub_processors.is_empty() {
        return line(
            Status::NotNeeded,
            "the vendor names no sub-processor".to_string(),
            "",
        );
    }
    let names = r.sub_processors.join(", ");
    match intake
        .contract
        .as_ref()
        .and_then(|c| c.sub_processor_authorisation)
    {
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
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::testing::{
        METRICLY, NIMBUS, VERIFACE, as_of, edit, law, line, lines, review_on, rulebook,
    };

    /// The contract checklist of the intake `text` on `date`.
    fn checklist(text: &str, date: NaiveDate) -> (Vec<Term>, &'static VendorLaw) {
        let (r, intake) = review_on(text, date);
        let law = law(&r);
        (terms(&r, &intake, rulebook(), Some(law)), law)
    }

    #[test]
    fn lines_come_in_memo_order_processor_terms_first_sub_processors_last() {
        let (terms, _) = checklist(METRICLY, as_of());
        let kinds: Vec<TermKind> = terms.iter().map(|t| t.kind).collect();
        assert_eq!(kinds.first(), Some(&TermKind::ProcessorTerms));
        assert_eq!(kinds.last(), Some(&TermKind::SubProcessors));
        assert_eq!(
            &kinds[1..3],
            [TermKind::TransferBasis; 2],
            "one per new flow"
        );
        assert!(
            kinds[3..kinds.len() - 1]
                .iter()
                .all(|k| *k == TermKind::ToolAddition)
        );
    }

    #[test]
    fn processor_terms_signed_before_the_review_are_present() {
        let (terms, _) = checklist(METRICLY, as_of());
        let dpa = line(&terms, TermKind::ProcessorTerms);
        assert_eq!(dpa.status, Status::Present);
        assert_eq!(dpa.detail, "signed 2026-11-02");
    }

    #[test]
    fn processor_without_data_processing_terms_is_told_what_art_28_requires() {
        let (terms, law) = checklist(&edit(NIMBUS, "  dpa: 2026-09-15\n", ""), as_of());
        let rule = law.processor_terms.as_ref().expect("processor terms");
        let dpa = line(&terms, TermKind::ProcessorTerms);
        assert_eq!(dpa.status, Status::Missing);
        assert_eq!(dpa.term, rule.term);
        assert_eq!(dpa.action, rule.action);
        assert_eq!(dpa.citation, rule.citation.on(as_of()));
    }

    #[test]
    fn processor_terms_signed_after_the_review_date_do_not_count() {
        let date = NaiveDate::from_ymd_opt(2026, 11, 1).expect("a date");
        let (terms, _) = checklist(METRICLY, date);
        let dpa = line(&terms, TermKind::ProcessorTerms);
        assert_eq!(dpa.status, Status::Missing);
        assert_eq!(dpa.detail, "signed only on 2026-11-02, after 2026-11-01");
    }

    #[test]
    fn controller_needs_no_processor_terms() {
        let text = edit(NIMBUS, "  role: processor\n", "  role: controller\n");
        let text = edit(&text, "controller->processor", "controller->controller");
        let text = edit(&text, "  dpa: 2026-09-15\n", "");
        let (terms, _) = checklist(&text, as_of());
        let dpa = line(&terms, TermKind::ProcessorTerms);
        assert_eq!(dpa.status, Status::NotNeeded);
        assert_eq!(dpa.detail, "\"nimbus-cloud\" acts as controller");
    }

    #[test]
    fn flow_with_unlawful_hops_has_no_transfer_basis_and_says_what_each_needs() {
        let (r, intake) = review_on(VERIFACE, as_of());
        let terms = terms(&r, &intake, rulebook(), Some(law(&r)));
        let bases = lines(&terms, TermKind::TransferBasis);
        let vendor = bases
            .iter()
            .find(|t| t.term == "Transfer basis coursera-inc → veriface")
            .expect("the intake flow");
        assert_eq!(vendor.status, Status::Missing);
        // No UK Extension and no Swiss-US DPF: the UK and Swiss data need SCCs.
        assert!(
            vendor.detail.contains("uk-gdpr → US: needs EU SCC"),
            "{}",
            vendor.detail
        );
        assert!(
            vendor.detail.contains("ch-fadp → US: needs EU SCC"),
            "{}",
            vendor.detail
        );
        assert!(
            !vendor.detail.contains("eu-gdpr"),
            "the EU data stand on the DPF"
        );
        let error = r
            .findings
            .iter()
            .find(|f| f.flow == r.hops[0].hop.flow && f.severity == Severity::Error)
            .expect("an error finding on the flow");
        assert_eq!(vendor.citation, error.citation.to_string());
        // Japan is adequate: the sub-processor's flow stands.
        let japan = bases
            .iter()
            .find(|t| t.term == "Transfer basis veriface → kao-vision")
            .expect("the sub-processor's flow");
        assert_eq!(japan.status, Status::Present);
        assert!(japan.detail.contains("eu-gdpr → JP: lawful on adequacy"));
    }

    #[test]
    fn sub_processors_need_written_authorisation() {
        let (terms, law) = checklist(VERIFACE, as_of());
        let rule = law.sub_processors.as_ref().expect("sub-processor rule");
        let auth = line(&terms, TermKind::SubProcessors);
        assert_eq!(auth.status, Status::Missing);
        assert_eq!(auth.detail, "kao-vision not authorised");
        assert_eq!(auth.action, rule.action);
        assert_eq!(auth.citation, rule.citation.on(as_of()));

        let (terms, _) = checklist(METRICLY, as_of());
        let auth = line(&terms, TermKind::SubProcessors);
        assert_eq!(auth.status, Status::Present);
        assert_eq!(
            auth.detail,
            "general written authorisation covering metricly-india"
        );

        let (terms, _) = checklist(NIMBUS, as_of());
        assert_eq!(
            line(&terms, TermKind::SubProcessors).status,
            Status::NotNeeded
        );
    }
}
