//! The additions a transfer tool needs in the contract (the rulebook's `finding-terms`): the
//! SCC module matching the hop's roles, a transfer impact assessment for a hop on an Art. 46
//! tool (CJEU C-311/18, Schrems II), the UK Addendum for UK data and the Swiss adaptations for
//! Swiss data. Whether one is missing is the engine's call (its findings, e.g. XB006 for a
//! missing assessment); this checklist only says, per addition, missing, present or not needed.

use std::collections::BTreeSet;

use xborder_engine::{Code, Finding, Verdict};
use xborder_law::{FindingTerm, Rulebook, SccRequirement, TermApplies, VendorLaw};

use crate::vendor::{HopReview, Status, Term, TermKind, VendorReview, term};

/// Findings of the review with this code.
pub(crate) fn coded(r: &VendorReview, code: Code) -> Vec<&Finding> {
    r.findings.iter().filter(|f| f.code == code).collect()
}

/// One line per addition of the checklist whose code the engine knows, in rulebook order.
pub(crate) fn terms(r: &VendorReview, rulebook: &Rulebook, law: Option<&VendorLaw>) -> Vec<Term> {
    law.map(|l| l.finding_terms.as_slice())
        .unwrap_or_default()
        .iter()
        .filter_map(|t| Some(addition(r, rulebook, t, Code::parse(&t.code)?)))
        .collect()
}

/// Whether `h` rests on the standard contractual clauses (a conditional hop on `scc`).
fn on_scc(h: &HopReview) -> bool {
    h.hop.verdict == Verdict::Conditional && h.hop.mechanism.as_deref() == Some("scc")
}

/// Whether `h` rests on SCCs whose terms for the hop's regime require `wanted` (`requires:` in
/// the rulebook's scc-sets).
fn requires(rulebook: &Rulebook, h: &HopReview, wanted: SccRequirement) -> bool {
    on_scc(h)
        && rulebook.scc_sets.iter().any(|set| {
            set.terms
                .iter()
                .any(|t| t.regime == h.hop.regime && t.requires.contains(&wanted))
        })
}

/// Whether the addition `t` concerns hop `h` at all.
fn applies(rulebook: &Rulebook, t: &FindingTerm, h: &HopReview) -> bool {
    match t.applies {
        TermApplies::StandardClauses => on_scc(h),
        TermApplies::Conditional => h.hop.verdict == Verdict::Conditional,
        TermApplies::UkAddendum => requires(rulebook, h, SccRequirement::UkAddendum),
        TermApplies::SwissAdapted => requires(rulebook, h, SccRequirement::SwissAdapted),
    }
}

/// The line for addition `t`: missing when the engine found its code on a new hop (the
/// findings' messages, cited as the first finding is), present when a new hop needs it and no
/// finding says it is missing, not needed otherwise (cited as the code's documentation).
fn addition(r: &VendorReview, rulebook: &Rulebook, t: &FindingTerm, code: Code) -> Term {
    let missing = coded(r, code);
    let citation = missing.first().map_or_else(
        || rulebook.doc(code).citation.on(r.as_of).to_string(),
        |f| f.citation.to_string(),
    );
    let line = |status, detail: String, action: &str| {
        term(
            TermKind::ToolAddition,
            &t.term,
            status,
            detail,
            action,
            citation.clone(),
        )
    };
    if !missing.is_empty() {
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
    } else if r.hops.iter().any(|h| applies(rulebook, t, h)) {
        line(
            Status::Present,
            "in place for every hop that needs it".to_string(),
            "",
        )
    } else {
        line(Status::NotNeeded, "no new hop relies on it".to_string(), "")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{METRICLY, NIMBUS, TANDEM, as_of, edit, law, lines, review_of, rulebook};

    /// The additions checklist of the intake `text`, with the rulebook's finding terms.
    fn additions(text: &str) -> (Vec<Term>, &'static [FindingTerm], VendorReview) {
        let r = review_of(text);
        let law = law(&r);
        (terms(&r, rulebook(), Some(law)), &law.finding_terms, r)
    }

    /// The line for the finding term of `code`.
    fn addition<'t>(terms: &'t [Term], rules: &[FindingTerm], code: Code) -> &'t Term {
        let rule = rules
            .iter()
            .find(|t| t.code == code.to_string())
            .unwrap_or_else(|| panic!("{code} is a finding term"));
        let found = lines(terms, TermKind::ToolAddition);
        found
            .into_iter()
            .find(|t| t.term == rule.term)
            .unwrap_or_else(|| panic!("a line for {}", rule.term))
    }

    #[test]
    fn scc_with_every_addition_signed_is_present_line_by_line() {
        let (terms, rules, _) = additions(TANDEM);
        let names: Vec<&str> = terms.iter().map(|t| t.term.as_str()).collect();
        let expected: Vec<&str> = rules.iter().map(|t| t.term.as_str()).collect();
        assert_eq!(
            names, expected,
            "one line per finding term, in rulebook order"
        );
        for t in &terms {
            assert_eq!(t.status, Status::Present, "{t:?}");
            assert!(t.action.is_empty());
        }
    }

    #[test]
    fn missing_transfer_impact_assessment_is_missing_with_the_rulebook_action() {
        let (terms, rules, r) = additions(&edit(TANDEM, ", tia: 2026-10-10", ""));
        let tia = addition(&terms, rules, Code::MissingTia);
        assert_eq!(tia.status, Status::Missing);
        let rule = rules.iter().find(|t| t.term == tia.term).expect("the rule");
        assert_eq!(tia.action, rule.action);
        let finding = r
            .findings
            .iter()
            .find(|f| f.code == Code::MissingTia)
            .expect("the engine finds the assessment missing");
        assert_eq!(tia.citation, finding.citation.to_string());
        assert!(tia.detail.contains(finding.message.as_str()));
        // The other additions are in place.
        let uk = addition(&terms, rules, Code::parse("XB009").expect("a code"));
        assert_eq!(uk.status, Status::Present);
    }

    #[test]
    fn scc_without_the_uk_addendum_misses_it_for_uk_data() {
        let (terms, rules, _) = additions(&edit(TANDEM, ", uk-addendum: 2026-10-20", ""));
        let uk = addition(&terms, rules, Code::parse("XB009").expect("a code"));
        assert_eq!(uk.status, Status::Missing);
        assert!(uk.detail.contains("UK"), "{}", uk.detail);
        let tia = addition(&terms, rules, Code::MissingTia);
        assert_eq!(tia.status, Status::Present);
    }

    #[test]
    fn additions_are_not_needed_when_every_hop_rests_on_a_framework() {
        // Nimbus signed SCCs only as a fallback: no new hop relies on them.
        let (terms, rules, _) = additions(NIMBUS);
        assert_eq!(terms.len(), rules.len());
        for (t, rule) in terms.iter().zip(rules) {
            assert_eq!(t.status, Status::NotNeeded, "{t:?}");
            let code = Code::parse(&rule.code).expect("a code");
            assert_eq!(t.citation, rulebook().doc(code).citation.on(as_of()));
        }
    }

    #[test]
    fn uk_and_swiss_additions_are_not_needed_when_only_eu_data_crosses_on_sccs() {
        // Fed by the EU processor: only EU data reaches the Indian sub-processor on SCCs.
        let text = edit(
            METRICLY,
            "    from: coursera-inc\n",
            "    from: coursera-bv\n",
        );
        let text = edit(&text, "controller->processor", "processor->processor");
        let (terms, rules, _) = additions(&text);
        let status =
            |code: &str| addition(&terms, rules, Code::parse(code).expect("a code")).status;
        assert_eq!(
            status("XB004"),
            Status::Present,
            "the module for Module 3 roles"
        );
        assert_eq!(status("XB006"), Status::Present, "the assessment");
        assert_eq!(status("XB009"), Status::NotNeeded, "no UK data");
        assert_eq!(status("XB010"), Status::NotNeeded, "no Swiss data");
    }
}
