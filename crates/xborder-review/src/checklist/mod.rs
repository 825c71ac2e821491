//! The vendor review's checklists, one module each: what the contract with the vendor must
//! hold (`contract.rs`: processor terms, a transfer basis per flow, sub-processor
//! authorisation), the additions the transfer tools need (`clauses.rs`), the CCPA's
//! service-provider terms (`ccpa.rs`), special-category data (`special.rs`), security
//! (`security.rs`) and retention (`retention.rs`). Every term, time limit and citation is the rulebook's (`vendor-review` entries); the code
//! only compares the intake and the engine's verdicts with it.

pub(crate) mod ccpa;
pub(crate) mod clauses;
pub(crate) mod contract;
pub(crate) mod retention;
pub(crate) mod security;
pub(crate) mod special;

use xborder_law::{Dated, Rulebook, VendorLaw};

use crate::vendor::VendorReview;

/// The checklist for the review: the entry of the first regime (in rulebook order) whose data
/// reaches the vendor and that has an entry in force, else the entry marked `default`.
pub(crate) fn law_for<'r>(r: &VendorReview, rulebook: &'r Rulebook) -> Option<&'r VendorLaw> {
    let in_force = |l: &&VendorLaw| l.validity().contains(r.as_of);
    let received: Vec<&str> = r
        .hops
        .iter()
        .filter(|h| h.hop.to == r.vendor)
        .map(|h| h.hop.regime.as_str())
        .collect();
    rulebook
        .regimes
        .iter()
        .filter(|g| received.contains(&g.id.as_str()))
        .find_map(|g| {
            rulebook
                .vendor_review
                .iter()
                .filter(in_force)
                .find(|l| l.regime == g.id && l.processor_terms.is_some())
        })
        .or_else(|| {
            rulebook
                .vendor_review
                .iter()
                .filter(in_force)
                .find(|l| l.default)
        })
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::testing::{TANDEM, review_on, rulebook};
    use crate::vendor::TermKind;

    #[test]
    fn eea_data_reaching_the_vendor_is_reviewed_on_the_gdpr_checklist() {
        // Californian data reaches Tandem too; the CCPA entry has no processor terms and
        // only adds its service-provider terms.
        let (r, _) = review_on(
            TANDEM,
            NaiveDate::from_ymd_opt(2026, 11, 25).expect("a date"),
        );
        let law = law_for(&r, rulebook()).expect("a checklist");
        assert_eq!(law.regime, "eu-gdpr");
        assert!(law.processor_terms.is_some());
    }

    #[test]
    fn no_checklist_before_the_gdpr_applied() {
        let (r, _) = review_on(
            TANDEM,
            NaiveDate::from_ymd_opt(2018, 5, 24).expect("a date"),
        );
        assert!(law_for(&r, rulebook()).is_none());
        assert!(r.terms.iter().all(|t| t.kind != TermKind::ProcessorTerms));
    }
}
