//! Service-provider terms for regimes that ask for them (the CCPA: a business disclosing
//! personal information to a service provider needs a contract with the terms the rulebook
//! lists), whenever that regime's data reaches the vendor.

use xborder_law::{Dated, Rulebook};
use xborder_model::Intake;

use crate::vendor::{Status, Term, TermKind, VendorReview, term};

/// One line per regime in force with service-provider terms.
pub(crate) fn terms(r: &VendorReview, intake: &Intake, rulebook: &Rulebook) -> Vec<Term> {
    let as_of = r.as_of;
    let holdings = xborder_engine::holdings(&r.merged, rulebook, as_of);
    let held = r
        .merged
        .entity(&intake.vendor.id)
        .and_then(|i| holdings.get(i));
    let mut out = Vec::new();
    for law in rulebook
        .vendor_review
        .iter()
        .filter(|l| l.validity().contains(as_of))
    {
        let Some(t) = &law.service_provider_terms else {
            continue;
        };
        let citation = t.citation.on(as_of).to_string();
        let line = |status, detail, action: &str| {
            term(
                TermKind::ServiceProviderTerms,
                &t.term,
                status,
                detail,
                action,
                citation.clone(),
            )
        };
        let receives = held.is_some_and(|h| h.iter().any(|(regime, _)| *regime == law.regime));
        out.push(if !receives {
            line(
                Status::NotNeeded,
                t.not_needed
                    .clone()
                    .unwrap_or_else(|| format!("no {} data reaches the vendor", law.regime)),
                "",
            )
        } else {
            let signed = intake.contract.as_ref().and_then(|c| c.ccpa_terms);
            match signed {
                Some(d) if d <= as_of => line(Status::Present, format!("signed {d}"), ""),
                other => line(
                    Status::Missing,
                    match other {
                        Some(d) => format!(
                            "{} data reaches the vendor; the terms are signed only on {d}",
                            law.regime
                        ),
                        None => format!(
                            "{} data reaches the vendor; no service-provider terms",
                            law.regime
                        ),
                    },
                    &t.action,
                ),
            }
        });
    }
    out
}
