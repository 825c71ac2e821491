//! Fixtures for the unit tests: the embedded rulebook, the Coursera map of January 2021 and the
//! example vendor intakes of `data/vendors/`, reviewed on the date of the end-to-end tests.
//! Variants of an intake are made by editing its text ([`edit`]), as a privacy engineer would.

use chrono::NaiveDate;
use xborder_engine::Options;
use xborder_law::{Rulebook, VendorLaw};
use xborder_model::{Intake, Map};

use crate::vendor::{Point, Term, TermKind, VendorReview, review};

/// The Coursera map the example vendors would join.
const MAP: &str = include_str!("../../../data/coursera/2021-01.yaml");
/// DPF-certified processor in the US with its Indian affiliate on SCC Module 3.
pub(crate) const METRICLY: &str = include_str!("../../../data/vendors/analytics-metricly.yaml");
/// DPF-certified hosting with signed SCCs as a fallback: the clean vendor.
pub(crate) const NIMBUS: &str = include_str!("../../../data/vendors/hosting-nimbus.yaml");
/// Identity verification with biometric data, EU-US DPF only, model training.
pub(crate) const VERIFACE: &str = include_str!("../../../data/vendors/idv-veriface.yaml");
/// Support desk with agents in the Philippines on SCC Module 2, no CCPA terms yet.
pub(crate) const TANDEM: &str = include_str!("../../../data/vendors/support-tandem.yaml");

/// The date the example vendors are reviewed on (as in `tests/e2e/vendor.rs`).
pub(crate) fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 25).expect("a valid date")
}

pub(crate) fn rulebook() -> &'static Rulebook {
    Rulebook::embedded_shared().expect("the embedded rulebook loads")
}

pub(crate) fn map() -> Map {
    let vocabulary = xborder_engine::vocabulary(rulebook());
    let (map, diagnostics) = xborder_model::load(MAP, &vocabulary);
    map.unwrap_or_else(|| panic!("the Coursera map loads: {diagnostics:?}"))
}

/// The intake `text` read against `map`.
pub(crate) fn intake(text: &str, map: &Map) -> Intake {
    let vocabulary = xborder_engine::vocabulary(rulebook());
    let (intake, diagnostics) = xborder_model::load_intake(text, &vocabulary, map);
    intake.unwrap_or_else(|| panic!("the intake loads: {diagnostics:?}"))
}

/// `text` with `from` (which must occur exactly once) replaced by `to`.
pub(crate) fn edit(text: &str, from: &str, to: &str) -> String {
    assert_eq!(text.matches(from).count(), 1, "`{from}` occurs once");
    text.replacen(from, to, 1)
}

/// The review of the intake `text` on `date`, with the intake it was made from.
pub(crate) fn review_on(text: &str, date: NaiveDate) -> (VendorReview, Intake) {
    let map = map();
    let intake = intake(text, &map);
    let r = review(&map, &intake, rulebook(), date, &Options::default());
    (r, intake)
}

/// The review of the intake `text` on [`as_of`].
pub(crate) fn review_of(text: &str) -> VendorReview {
    review_on(text, as_of()).0
}

/// The checklist of the rulebook the review is made against (the GDPR's for the examples).
pub(crate) fn law(r: &VendorReview) -> &'static VendorLaw {
    crate::checklist::law_for(r, rulebook()).expect("a vendor-review checklist applies")
}

/// The checklist lines of `kind`.
pub(crate) fn lines(terms: &[Term], kind: TermKind) -> Vec<&Term> {
    terms.iter().filter(|t| t.kind == kind).collect()
}

/// The one checklist line of `kind`.
pub(crate) fn line(terms: &[Term], kind: TermKind) -> &Term {
    match lines(terms, kind).as_slice() {
        [one] => one,
        other => panic!("expected one {kind:?} line, found {other:?}"),
    }
}

/// The points whose text contains `part`.
pub(crate) fn with<'p>(points: &'p [Point], part: &str) -> Vec<&'p Point> {
    points.iter().filter(|p| p.text.contains(part)).collect()
}
