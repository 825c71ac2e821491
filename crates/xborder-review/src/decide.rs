//! The decision of a vendor review: reject when a new hop is unlawful, when special-category
//! data would flow without a documented condition, or when a processor would use the data for
//! its own purposes; approve with conditions when something must be done or kept up; approve
//! otherwise — each reason and condition cited.
//!
//! [`decide`] collects the points part by part, in the order the memo lists them; each part is
//! a function below. A point already listed (same text) is not repeated.

use std::collections::{BTreeMap, BTreeSet};

use xborder_engine::{Code, Finding, Text, Verdict};
use xborder_law::{Rulebook, Severity, VendorLaw};

use crate::vendor::{
    Decision, Fallback, HopReview, Point, SpecialData, Status, TermKind, VendorReview, add,
};

/// What the decision rests on, collected part by part.
#[derive(Debug, Default)]
struct Points {
    /// Each a ground for rejecting the vendor.
    reasons: Vec<Point>,
    /// What must be done or kept up for an approval.
    conditions: Vec<Point>,
    /// What the reader should know, without a condition.
    notes: Vec<Point>,
}

/// Decides on the review: fills its decision, reasons, conditions and notes. On approval the
/// reasons are the grounds for approving (what each new transfer rests on).
pub(crate) fn decide(r: &mut VendorReview, rulebook: &Rulebook, law: Option<&VendorLaw>) {
    let mut p = Points::default();
    unlawful_hops(r, rulebook, &mut p);
    error_findings(r, &mut p.reasons);
    special_categories(r, law, &mut p);
    checklist_gaps(r, law, &mut p);
    safeguards(r, rulebook, law, &mut p.conditions);
    frameworks(r, &mut p);
    finding_notes(r, &mut p.notes);
    if !r.existing_changes.is_empty() {
        add(
            &mut p.notes,
            format!(
                "{} verdict(s) of the map's own hops change with the vendor",
                r.existing_changes.len()
            ),
            String::new(),
        );
    }
    r.decision = outcome(&p);
    r.reasons = if r.decision == Decision::Reject {
        p.reasons
    } else {
        grounds(r)
    };
    r.conditions = p.conditions;
    r.notes = p.notes;
}

/// Reject on any reason; approve with conditions on any condition; approve otherwise.
fn outcome(p: &Points) -> Decision {
    if !p.reasons.is_empty() {
        Decision::Reject
    } else if !p.conditions.is_empty() {
        Decision::ApproveWithConditions
    } else {
        Decision::Approve
    }
}

/// Unlawful hops: a transfer without a valid basis on the date is prohibited (GDPR Art. 44).
/// One reason per flow and regime, with the engine's error messages and the first one's
/// citation; and for each hop, the condition to put in place what it needs.
fn unlawful_hops(r: &VendorReview, rulebook: &Rulebook, p: &mut Points) {
    let mut unlawful: BTreeMap<(usize, Text), Vec<&HopReview>> = BTreeMap::new();
    for h in r.hops.iter().filter(|h| h.hop.verdict == Verdict::Unlawful) {
        unlawful
            .entry((h.hop.flow, h.hop.regime.clone()))
            .or_default()
            .push(h);
    }
    for ((flow, regime), hops) in &unlawful {
        let Some(first) = hops.first() else { continue };
        let errors: Vec<&Finding> = r
            .findings
            .iter()
            .filter(|f| f.flow == *flow && f.regime == *regime && f.severity == Severity::Error)
            .collect();
        let why: BTreeSet<&str> = errors.iter().map(|f| f.message.as_str()).collect();
        let destinations: Vec<&str> = hops.iter().map(|h| h.hop.destination.as_str()).collect();
        add(
            &mut p.reasons,
            format!(
                "No valid transfer basis on {}: {} → {} carries {regime} data to {} — {}",
                r.as_of,
                first.hop.from,
                first.hop.to,
                destinations.join(", "),
                why.into_iter().collect::<Vec<_>>().join("; ")
            ),
            errors.first().map_or_else(
                || {
                    rulebook
                        .doc(Code::NoMechanism)
                        .citation
                        .on(r.as_of)
                        .to_string()
                },
                |f| f.citation.to_string(),
            ),
        );
        for h in hops {
            add(
                &mut p.conditions,
                format!(
                    "Put in place for {} → {}: {}",
                    h.hop.from, h.hop.to, h.need.text
                ),
                if h.need.citation.is_empty() {
                    h.hop.citation.to_string()
                } else {
                    h.need.citation.clone()
                },
            );
        }
    }
}

/// Error findings on hops that are not unlawful (should another mechanism fail loudly): each
/// a reason of its own.
fn error_findings(r: &VendorReview, reasons: &mut Vec<Point>) {
    for f in &r.findings {
        if f.severity == Severity::Error
            && !r.hops.iter().any(|h| {
                h.hop.flow == f.flow
                    && h.hop.regime == f.regime
                    && h.hop.destination == f.destination
                    && h.hop.verdict == Verdict::Unlawful
            })
        {
            add(
                reasons,
                format!("{}: {}", f.code, f.message),
                f.citation.clone(),
            );
        }
    }
}

/// Special categories: processing them is prohibited unless a condition permits it (GDPR
/// Art. 9(2), Art. 10 for criminal data), whatever the transfer tool. Data without a documented
/// condition is one reason; data with one is a condition to rely on it and keep the
/// safeguards the rulebook lists.
fn special_categories(r: &VendorReview, law: Option<&VendorLaw>, p: &mut Points) {
    let special = law.and_then(|l| l.special_categories.as_ref());
    let special_term = special.map_or("a condition that permits processing it", |t| {
        t.term.as_str()
    });
    let undocumented: Vec<&SpecialData> =
        r.special.iter().filter(|s| s.condition.is_none()).collect();
    if let Some(first) = undocumented.first() {
        add(
            &mut p.reasons,
            format!(
                "Special-category data without a documented {}: {}",
                special_term,
                undocumented
                    .iter()
                    .map(|s| format!(
                        "{} ({}) would go to {}",
                        s.category,
                        s.like,
                        s.recipients.join(", ")
                    ))
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
            first.citation.clone(),
        );
    }
    let keep = special
        .and_then(|t| t.keep.as_deref())
        .map(|keep| format!(", {}", keep.trim()))
        .unwrap_or_default();
    for s in &r.special {
        if let Some(c) = &s.condition {
            add(
                &mut p.conditions,
                format!(
                    "Special-category data {} ({}): rely on the documented condition ({c}){keep}",
                    s.category, s.like,
                ),
                s.citation.clone(),
            );
        }
    }
}

/// The contract, security and retention checklists: each missing line with an action is a
/// condition — except the transfer basis and the special-category condition (reasons above),
/// and use for the vendor's own purposes, a reason: a processor that determines its own
/// purposes is a controller for that processing (GDPR Art. 28(10)).
fn checklist_gaps(r: &VendorReview, law: Option<&VendorLaw>, p: &mut Points) {
    for t in r.terms.iter().chain(r.security.iter()) {
        if t.status != Status::Missing || t.action.is_empty() {
            continue;
        }
        match t.kind {
            TermKind::TransferBasis | TermKind::SpecialCategoryCondition => {}
            TermKind::OwnPurposes => {
                let says = law
                    .and_then(|l| l.own_purposes.as_ref())
                    .and_then(|o| o.says.as_deref())
                    .unwrap_or_default();
                add(
                    &mut p.reasons,
                    format!("The vendor {} — {says}", t.detail.trim()),
                    t.citation.clone(),
                );
            }
            _ => add(
                &mut p.conditions,
                format!("{}: {} ({})", t.term, t.action, t.detail),
                t.citation.clone(),
            ),
        }
    }
}

/// Hops on Art. 46 tools and derogations: once per importer pair and mechanism (and not where
/// the assessment itself is missing, a checklist gap), the conditions of the derogation's
/// ground (XB019), or the upkeep of the safeguard — an appropriate safeguard holds only while
/// its assessment and supplementary measures ensure essentially equivalent protection
/// (CJEU C-311/18).
fn safeguards(
    r: &VendorReview,
    rulebook: &Rulebook,
    law: Option<&VendorLaw>,
    conditions: &mut Vec<Point>,
) {
    let mut seen = BTreeSet::new();
    for h in r
        .hops
        .iter()
        .filter(|h| h.hop.verdict == Verdict::Conditional)
    {
        let has_tia_gap = r.findings.iter().any(|f| {
            f.code == Code::MissingTia && f.flow == h.hop.flow && f.regime == h.hop.regime
        });
        if has_tia_gap
            || !seen.insert((
                h.hop.from.clone(),
                h.hop.to.clone(),
                h.hop.mechanism.clone(),
            ))
        {
            continue;
        }
        let on_derogation = r.findings.iter().any(|f| {
            f.code == Code::OccasionalDerogation
                && f.flow == h.hop.flow
                && f.regime == h.hop.regime
                && f.destination == h.hop.destination
        });
        if on_derogation {
            for f in r
                .findings
                .iter()
                .filter(|f| f.code == Code::OccasionalDerogation && f.flow == h.hop.flow)
            {
                add(conditions, f.message.to_string(), f.citation.clone());
            }
        } else if !assessed(rulebook, r.as_of, &h.hop) {
            // A tool of a law that asks for no transfer impact assessment: its own terms are
            // the condition, cited by the rule the hop rests on.
            add(
                conditions,
                format!(
                    "{} → {} ({}) rests on {}: keep to its terms and to the conditions of the law that provides it",
                    h.hop.from,
                    h.hop.to,
                    conditional_destinations(r, h),
                    h.has
                ),
                h.hop.citation.to_string(),
            );
        } else if let Some(upkeep) = law.and_then(|l| l.safeguard_upkeep.as_ref()) {
            add(
                conditions,
                format!(
                    "{} → {} ({}) rests on {}, an appropriate safeguard: {}",
                    h.hop.from,
                    h.hop.to,
                    conditional_destinations(r, h),
                    h.has,
                    upkeep.action.trim()
                ),
                upkeep.citation.on(r.as_of).to_string(),
            );
        }
    }
}

/// Whether the rulebook expects a transfer impact assessment for what the hop rests on: the
/// regime's standard clauses, or a tool of the regime that needs one (`needs-tia`). The upkeep
/// of an appropriate safeguard is about keeping that assessment current.
fn assessed(rulebook: &Rulebook, date: chrono::NaiveDate, hop: &xborder_engine::Hop) -> bool {
    let Some(kind) = hop.mechanism.as_deref() else {
        return false;
    };
    if let Some(tool) = rulebook.tool_in_force(kind, &hop.regime, date) {
        return tool.needs_tia;
    }
    rulebook
        .mechanism_kind(kind)
        .is_some_and(|k| k.family == xborder_law::MechanismFamily::StandardClauses)
}

/// The destinations of the conditional hops between the same importers on the same mechanism
/// as `h`, sorted and joined.
fn conditional_destinations(r: &VendorReview, h: &HopReview) -> String {
    let destinations: BTreeSet<&str> = r
        .hops
        .iter()
        .filter(|o| {
            o.hop.from == h.hop.from
                && o.hop.to == h.hop.to
                && o.hop.verdict == Verdict::Conditional
                && o.hop.mechanism == h.hop.mechanism
        })
        .map(|o| o.hop.destination.as_str())
        .collect();
    destinations.into_iter().collect::<Vec<_>>().join(", ")
}

/// Hops resting on a framework: if it fell, the hop needs another basis. Under legal risk (an
/// advisory) without a signed fallback: a condition to sign one now; without an advisory: a
/// note; with a signed fallback: a note of what keeps the hop lawful.
fn frameworks(r: &VendorReview, p: &mut Points) {
    for h in &r.hops {
        let Some(fb) = &h.fallback else { continue };
        let advisory = r.findings.iter().find(|f| {
            f.code == Code::Advisory
                && f.flow == h.hop.flow
                && f.regime == h.hop.regime
                && f.destination == h.hop.destination
        });
        match (fb.verdict, advisory) {
            (Verdict::Unlawful, Some(a)) => add(
                &mut p.conditions,
                format!(
                    "{} → {} ({} → {}) rests on {} alone, which is under legal risk: sign {} as a fallback now",
                    h.hop.from,
                    h.hop.to,
                    h.hop.regime,
                    h.hop.destination,
                    fb.framework,
                    h.need
                        .fallback
                        .as_deref()
                        .unwrap_or("another transfer tool"),
                ),
                a.citation.clone(),
            ),
            (Verdict::Unlawful, None) => add(
                &mut p.notes,
                format!(
                    "{} → {} ({} → {}) rests on {} alone: if it fell, the hop would have no basis",
                    h.hop.from, h.hop.to, h.hop.regime, h.hop.destination, fb.framework
                ),
                h.hop.citation.to_string(),
            ),
            (_, advisory) => add(
                &mut p.notes,
                signed_fallback(h, fb),
                advisory.map_or_else(|| h.hop.citation.to_string(), |a| a.citation.to_string()),
            ),
        }
    }
}

/// The note for a hop on a framework with a signed fallback.
fn signed_fallback(h: &HopReview, fb: &Fallback) -> String {
    format!(
        "{} → {} ({} → {}) rests on {}; if it fell, the signed fallback `{}` keeps it {}: {}",
        h.hop.from,
        h.hop.to,
        h.hop.regime,
        h.hop.destination,
        fb.framework,
        fb.mechanism.as_deref().unwrap_or("?"),
        fb.verdict,
        fb.basis
    )
}

/// The other warnings and information of the engine: notes — not what is said above (errors,
/// missing assessments, special categories, derogations, advisories on hops with a fallback).
fn finding_notes(r: &VendorReview, notes: &mut Vec<Point>) {
    for f in &r.findings {
        if f.severity == Severity::Error
            || [
                Code::MissingTia,
                Code::SpecialCategory,
                Code::OccasionalDerogation,
            ]
            .contains(&f.code)
        {
            continue;
        }
        if f.code == Code::Advisory
            && r.hops
                .iter()
                .any(|h| h.fallback.is_some() && h.hop.flow == f.flow)
        {
            continue; // said with the fallback above
        }
        // Onward-transfer notes end with the rule they cite: say it once.
        let message = match f.message.strip_suffix(f.citation.as_str()) {
            Some(head) if !f.citation.is_empty() => format!("{}the rule cited", head),
            _ => f.message.to_string(),
        };
        add(notes, format!("{}: {message}", f.code), f.citation.clone());
    }
}

/// The grounds for approving: what each new transfer rests on.
fn grounds(r: &VendorReview) -> Vec<Point> {
    let mut grounds: Vec<Point> = Vec::new();
    for h in &r.hops {
        let text = match h.hop.verdict {
            Verdict::NotATransfer => format!(
                "{} → {} ({} → {}): not a transfer — {}",
                h.hop.from, h.hop.to, h.hop.regime, h.hop.destination, h.hop.basis
            ),
            v => format!(
                "{} → {} ({} → {}): {v} — {}",
                h.hop.from, h.hop.to, h.hop.regime, h.hop.destination, h.has
            ),
        };
        add(&mut grounds, text, h.hop.citation.to_string());
    }
    grounds
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use xborder_engine::Code;

    use super::*;
    use crate::testing::{
        METRICLY, NIMBUS, TANDEM, VERIFACE, as_of, edit, law, review_of, review_on, rulebook, with,
    };
    use crate::vendor::Term;

    #[test]
    fn clean_vendor_is_approved_on_the_grounds_of_each_new_hop() {
        let r = review_of(NIMBUS);
        assert_eq!(r.decision, Decision::Approve);
        assert!(r.conditions.is_empty(), "{:?}", r.conditions);
        // On approval the reasons are the grounds: one per hop, cited as the hop.
        assert_eq!(r.reasons.len(), r.hops.len());
        for (ground, h) in r.reasons.iter().zip(&r.hops) {
            assert_eq!(ground.citation, h.hop.citation.to_string());
            assert!(
                ground.text.contains(h.hop.destination.as_str()),
                "{ground:?}"
            );
        }
        assert!(
            with(&r.reasons, "not a transfer").len() == 1,
            "eu-gdpr → IE"
        );
    }

    #[test]
    fn unlawful_new_hop_rejects_and_asks_for_what_the_hop_needs() {
        // Without the UK Extension, UK learners' data would reach the US on nothing.
        let text = edit(
            METRICLY,
            "    - { framework: uk-us-data-bridge, from: 2023-10-12, scope: [non-hr] }\n",
            "",
        );
        let r = review_of(&text);
        assert_eq!(r.decision, Decision::Reject);
        let reasons = with(
            &r.reasons,
            "No valid transfer basis on 2026-11-25: coursera-inc → metricly carries uk-gdpr data to US",
        );
        assert_eq!(reasons.len(), 1, "{:?}", r.reasons);
        assert!(!reasons[0].citation.is_empty());
        let uk = r
            .hops
            .iter()
            .find(|h| h.hop.regime == "uk-gdpr" && h.hop.to == "metricly")
            .expect("the UK hop");
        assert_eq!(uk.hop.verdict, Verdict::Unlawful);
        let put = with(&r.conditions, "Put in place for coursera-inc → metricly");
        assert_eq!(put.len(), 1, "{:?}", r.conditions);
        assert!(put[0].text.ends_with(&uk.need.text));
        assert!(
            uk.need.text.starts_with("EU SCC 2021/914 Module 2"),
            "{:?}",
            uk.need
        );
        assert_eq!(put[0].citation, uk.need.citation);
        // The EU and Swiss data still stand on their frameworks.
        assert!(with(&r.reasons, "eu-gdpr data").is_empty());
    }

    #[test]
    fn special_category_data_without_a_condition_rejects() {
        let r = review_of(VERIFACE);
        assert_eq!(r.decision, Decision::Reject);
        let term = &law(&r)
            .special_categories
            .as_ref()
            .expect("the GDPR lists special categories")
            .term;
        let reason = with(
            &r.reasons,
            &format!("Special-category data without a documented {term}: webcam-headshot"),
        );
        assert_eq!(reason.len(), 1, "{:?}", r.reasons);
        assert!(reason[0].text.contains("would go to veriface, kao-vision"));
        let biometric = rulebook()
            .category("biometric")
            .and_then(|c| c.citation.as_ref())
            .expect("biometric data is cited");
        assert_eq!(reason[0].citation, biometric.on(as_of()));
    }

    #[test]
    fn documented_condition_becomes_a_condition_with_the_safeguards_to_keep() {
        let text = edit(
            VERIFACE,
            "    roles: controller->processor\n    evidence: \"Verification",
            "    roles: controller->processor\n    special-category-condition: explicit consent, Art. 9(2)(a)\n    evidence: \"Verification",
        );
        let r = review_of(&text);
        assert!(with(&r.reasons, "Special-category data without").is_empty());
        let keep = law(&r)
            .special_categories
            .as_ref()
            .and_then(|t| t.keep.as_deref())
            .expect("the rulebook says what to keep");
        let kept = with(
            &r.conditions,
            "Special-category data webcam-headshot (biometric",
        );
        assert_eq!(kept.len(), 1, "{:?}", r.conditions);
        assert!(
            kept[0]
                .text
                .contains("rely on the documented condition (explicit consent, Art. 9(2)(a))")
        );
        assert!(kept[0].text.ends_with(keep.trim()), "{}", kept[0].text);
    }

    #[test]
    fn processor_using_the_data_for_its_own_purposes_rejects() {
        let text = edit(
            NIMBUS,
            "  at-end: delete\n",
            "  at-end: delete\n  own-purposes: [product-analytics]\n",
        );
        let r = review_of(&text);
        assert_eq!(r.decision, Decision::Reject);
        let own = law(&r)
            .own_purposes
            .as_ref()
            .expect("own purposes are ruled");
        assert_eq!(r.reasons.len(), 1, "the only reason: {:?}", r.reasons);
        let reason = &r.reasons[0];
        assert!(
            reason
                .text
                .starts_with("The vendor would also use the data for: product-analytics — "),
            "{reason:?}"
        );
        assert!(reason.text.ends_with(own.says.as_deref().unwrap_or("?")));
        assert_eq!(reason.citation, own.citation.on(as_of()));
    }

    #[test]
    fn missing_processor_terms_turn_an_approval_into_a_condition_citing_the_rulebook() {
        let r = review_of(&edit(NIMBUS, "  dpa: 2026-09-15\n", ""));
        assert_eq!(r.decision, Decision::ApproveWithConditions);
        let dpa = law(&r).processor_terms.as_ref().expect("processor terms");
        assert_eq!(r.conditions.len(), 1, "{:?}", r.conditions);
        assert_eq!(
            r.conditions[0].text,
            format!("{}: {} (no data-processing terms)", dpa.term, dpa.action)
        );
        assert_eq!(r.conditions[0].citation, dpa.citation.on(as_of()));
    }

    #[test]
    fn framework_under_legal_risk_without_a_fallback_calls_for_signing_one() {
        let r = review_of(METRICLY);
        let us = r
            .hops
            .iter()
            .find(|h| h.hop.regime == "eu-gdpr" && h.hop.destination == "US")
            .expect("the EU hop to the US");
        let advisory = r
            .findings
            .iter()
            .find(|f| f.code == Code::Advisory && f.flow == us.hop.flow && f.regime == "eu-gdpr")
            .expect("the DPF is under legal risk");
        let fallback = us.need.fallback.as_deref().expect("SCCs could be signed");
        let sign = with(
            &r.conditions,
            &format!(
                "rests on eu-us-dpf alone, which is under legal risk: sign {fallback} as a fallback now"
            ),
        );
        assert_eq!(sign.len(), 1, "{:?}", r.conditions);
        assert_eq!(sign[0].citation, advisory.citation.to_string());
        // The advisory is said with the fallback, not again as a note.
        assert!(with(&r.notes, &format!("{}:", Code::Advisory)).is_empty());
    }

    #[test]
    fn signed_fallback_is_a_note_not_a_condition() {
        let r = review_of(NIMBUS);
        let notes = with(
            &r.notes,
            "if it fell, the signed fallback `scc` keeps it conditional",
        );
        assert_eq!(notes.len(), 3, "EU, UK and Swiss data: {:?}", r.notes);
        assert!(with(&r.conditions, "as a fallback now").is_empty());
    }

    #[test]
    fn hop_on_sccs_is_approved_on_condition_of_keeping_the_safeguard_up() {
        let r = review_of(TANDEM);
        assert_eq!(r.decision, Decision::ApproveWithConditions);
        let upkeep = law(&r).safeguard_upkeep.as_ref().expect("upkeep is ruled");
        let kept = with(&r.conditions, "an appropriate safeguard");
        // Once for the importer pair and mechanism, though three regimes' data cross.
        assert_eq!(kept.len(), 1, "{:?}", r.conditions);
        assert!(
            kept[0]
                .text
                .starts_with("coursera-inc → tandem-support (PH) rests on SCC 2021/914 Module 2")
        );
        assert!(kept[0].text.ends_with(upkeep.action.trim()));
        assert_eq!(kept[0].citation, upkeep.citation.on(as_of()));
    }

    #[test]
    fn missing_assessment_is_asked_for_instead_of_its_upkeep() {
        let r = review_of(&edit(TANDEM, ", tia: 2026-10-10", ""));
        assert_ne!(r.decision, Decision::Reject);
        assert!(with(&r.conditions, "an appropriate safeguard").is_empty());
        let tia = law(&r)
            .finding_terms
            .iter()
            .find(|t| t.code == Code::MissingTia.to_string())
            .expect("the TIA is a finding term");
        assert_eq!(
            with(&r.conditions, &format!("{}: {}", tia.term, tia.action)).len(),
            1
        );
    }

    #[test]
    fn missing_ccpa_terms_are_a_condition_for_californian_data() {
        let r = review_of(TANDEM);
        let ccpa = with(&r.conditions, "CCPA service-provider terms");
        assert_eq!(ccpa.len(), 1, "{:?}", r.conditions);
        assert!(ccpa[0].text.contains("us-ccpa data reaches the vendor"));
    }

    #[test]
    fn stale_attestation_beside_a_current_one_is_no_condition() {
        // The SOC 2 report of 2026-09-30 is stale a year on; the ISO certificate still runs.
        let date = NaiveDate::from_ymd_opt(2027, 11, 1).expect("a date");
        let (r, _) = review_on(NIMBUS, date);
        assert!(r.security.iter().any(|t| t.status == Status::Missing));
        assert_eq!(r.decision, Decision::Approve, "{:?}", r.conditions);
    }

    #[test]
    fn any_missing_action_line_is_a_condition_and_reasons_outrank_conditions() {
        let mut r = review_of(NIMBUS);
        let line = |kind, action: &str| Term {
            kind,
            term: "Breach notification".to_string(),
            status: Status::Missing,
            detail: "no notification deadline".to_string(),
            action: action.to_string(),
            citation: "Art. 33".to_string(),
        };
        let gdpr = law(&r);
        r.security.push(line(TermKind::BreachNotice, ""));
        decide(&mut r, rulebook(), Some(gdpr));
        assert_eq!(r.decision, Decision::Approve, "no action, nothing to do");
        r.security
            .push(line(TermKind::BreachNotice, "agree 24 hours"));
        decide(&mut r, rulebook(), Some(gdpr));
        assert_eq!(r.decision, Decision::ApproveWithConditions);
        assert_eq!(r.conditions[0].citation, "Art. 33");
        r.security.push(line(TermKind::OwnPurposes, "prohibit it"));
        decide(&mut r, rulebook(), Some(gdpr));
        assert_eq!(r.decision, Decision::Reject);
    }
}
