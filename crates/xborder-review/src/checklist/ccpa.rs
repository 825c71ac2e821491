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

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use xborder_law::VendorTerm;

    use super::*;
    use crate::testing::{METRICLY, TANDEM, as_of, edit, review_on, rulebook};

    /// The CCPA's service-provider terms in the rulebook.
    fn rule() -> &'static VendorTerm {
        rulebook()
            .vendor_review
            .iter()
            .find_map(|l| l.service_provider_terms.as_ref())
            .expect("the rulebook has service-provider terms")
    }

    fn lines(text: &str, date: NaiveDate) -> Vec<Term> {
        let (r, intake) = review_on(text, date);
        terms(&r, &intake, rulebook())
    }

    #[test]
    fn californian_data_without_service_provider_terms_is_missing_them() {
        let found = lines(TANDEM, as_of());
        let [ccpa] = found.as_slice() else {
            panic!("one line: {found:?}")
        };
        assert_eq!(ccpa.kind, TermKind::ServiceProviderTerms);
        assert_eq!(ccpa.status, Status::Missing);
        assert_eq!(
            ccpa.detail,
            "us-ccpa data reaches the vendor; no service-provider terms"
        );
        assert_eq!(ccpa.term, rule().term);
        assert_eq!(ccpa.action, rule().action);
        assert_eq!(ccpa.citation, rule().citation.on(as_of()));
    }

    #[test]
    fn signed_service_provider_terms_are_present_from_their_date() {
        let found = lines(METRICLY, as_of());
        assert_eq!(found[0].status, Status::Present);
        assert_eq!(found[0].detail, "signed 2026-11-02");
        let before = NaiveDate::from_ymd_opt(2026, 11, 1).expect("a date");
        let found = lines(METRICLY, before);
        assert_eq!(found[0].status, Status::Missing);
        assert!(
            found[0]
                .detail
                .ends_with("the terms are signed only on 2026-11-02")
        );
    }

    #[test]
    fn no_californian_data_needs_no_service_provider_terms() {
        // Fed by the EU processor instead of Coursera, Inc.: no Californian learners' data.
        let text = edit(
            METRICLY,
            "    from: coursera-inc\n",
            "    from: coursera-bv\n",
        );
        let text = edit(&text, "controller->processor", "processor->processor");
        let found = lines(&text, as_of());
        assert_eq!(found[0].status, Status::NotNeeded);
        assert_eq!(Some(&found[0].detail), rule().not_needed.as_ref());
    }

    #[test]
    fn no_line_before_the_rulebook_entry_is_in_force() {
        let before = NaiveDate::from_ymd_opt(2022, 6, 1).expect("a date");
        assert!(lines(TANDEM, before).is_empty());
    }
}
