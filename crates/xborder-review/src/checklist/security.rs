//! Security: a current attestation (how long one counts is the rulebook's, per kind) and a
//! breach notice that leaves the controller time for its own notification to the authority.

use chrono::{Months, NaiveDate};
use xborder_law::VendorLaw;
use xborder_model::Intake;

use crate::vendor::{Status, Term, TermKind, term};

pub(crate) fn terms(intake: &Intake, as_of: NaiveDate, law: Option<&VendorLaw>) -> Vec<Term> {
    let Some(security) = law.and_then(|l| l.security.as_ref()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let at = &security.attestation;
    let attest_citation = at.citation.on(as_of).to_string();
    let attestations = intake
        .security
        .as_ref()
        .map(|s| s.attestations.as_slice())
        .unwrap_or_default();
    let none_current = |detail: &str| {
        term(
            TermKind::Attestation,
            &at.term,
            Status::Missing,
            detail.to_string(),
            &at.action,
            attest_citation.clone(),
        )
    };
    if attestations.is_empty() {
        out.push(none_current("no ISO/IEC 27001 certificate or SOC 2 report"));
    }
    let mut current = 0;
    for a in attestations {
        let months = security
            .attestations
            .iter()
            .find(|rule| rule.kinds.iter().any(|k| k == a.kind.as_str()))
            .map(|rule| rule.current_for_months);
        let end = a.until.or_else(|| {
            months.and_then(|m| {
                a.date
                    .checked_add_months(Months::new(m))
                    .and_then(|d| d.pred_opt())
            })
        });
        let (status, detail) = if a.date > as_of {
            (Status::Missing, format!("dated {}, after {as_of}", a.date))
        } else if end.is_some_and(|end| end < as_of) {
            (
                Status::Missing,
                format!(
                    "dated {}, no longer current after {}{}",
                    a.date,
                    end.map(|e| e.to_string()).unwrap_or_default(),
                    match (a.until, months) {
                        (None, Some(m)) => format!(" ({m} months)"),
                        _ => String::new(),
                    }
                ),
            )
        } else {
            current += 1;
            (
                Status::Present,
                match end {
                    Some(end) => format!("dated {}, current until {end}", a.date),
                    None => format!("dated {}", a.date),
                },
            )
        };
        // One stale attestation among current ones is informational (no action): the
        // condition is having none current, below.
        out.push(term(
            TermKind::Attestation,
            a.kind.name(),
            status,
            detail,
            "",
            attest_citation.clone(),
        ));
    }
    if !attestations.is_empty() && current == 0 {
        out.push(none_current("no attestation is current"));
    }

    let breach = &security.breach_notice;
    let breach_citation = breach.citation.on(as_of).to_string();
    let limit = security.authority_notice_hours;
    let hours = intake
        .security
        .as_ref()
        .and_then(|s| s.breach_notification_hours);
    let line = |status, detail, action: &str| {
        term(
            TermKind::BreachNotice,
            &breach.term,
            status,
            detail,
            action,
            breach_citation.clone(),
        )
    };
    out.push(match hours {
        Some(h) if h < limit => line(Status::Present, format!("within {h} hours"), ""),
        Some(h) => line(
            Status::Missing,
            format!(
                "within {h} hours — leaves no time for the controller's {limit}-hour notification"
            ),
            &breach.action,
        ),
        None => line(
            Status::Missing,
            "no notification deadline".to_string(),
            &breach.action,
        ),
    });
    out
}

#[cfg(test)]
mod tests {
    use xborder_law::VendorSecurity;

    use super::*;
    use crate::testing::{METRICLY, NIMBUS, VERIFACE, as_of, edit, intake, map, rulebook};

    /// The GDPR checklist, which holds the security terms.
    fn law() -> &'static VendorLaw {
        rulebook()
            .vendor_review
            .iter()
            .find(|l| l.default)
            .expect("a default checklist")
    }

    fn security() -> &'static VendorSecurity {
        law().security.as_ref().expect("security terms")
    }

    fn lines(text: &str, date: NaiveDate) -> Vec<Term> {
        terms(&intake(text, &map()), date, Some(law()))
    }

    /// How long an attestation of `kind` counts, per the rulebook.
    fn months(kind: &str) -> u32 {
        security()
            .attestations
            .iter()
            .find(|a| a.kinds.iter().any(|k| k == kind))
            .map(|a| a.current_for_months)
            .expect("the kind is ruled")
    }

    #[test]
    fn current_attestations_and_a_prompt_breach_notice_are_present() {
        let found = lines(METRICLY, as_of());
        assert!(
            found.iter().all(|t| t.status == Status::Present),
            "{found:?}"
        );
        // An end date given is kept; without one, the rulebook's period applies.
        assert_eq!(
            found[0].detail,
            "dated 2024-06-01, current until 2027-05-31"
        );
        let soc2 = NaiveDate::from_ymd_opt(2026, 6, 30).expect("a date");
        let end = soc2
            .checked_add_months(Months::new(months("soc-2-type-2")))
            .and_then(|d| d.pred_opt())
            .expect("a date");
        assert_eq!(
            found[1].detail,
            format!("dated 2026-06-30, current until {end}")
        );
        assert_eq!(found[2].kind, TermKind::BreachNotice);
        assert_eq!(found[2].detail, "within 48 hours");
    }

    #[test]
    fn stale_report_alone_and_a_slow_breach_notice_are_missing() {
        let found = lines(VERIFACE, as_of());
        let months = months("soc-2-type-2");
        let stale = &found[0];
        assert_eq!(stale.status, Status::Missing);
        assert!(
            stale.detail.ends_with(&format!("({months} months)")),
            "{}",
            stale.detail
        );
        assert!(
            stale.action.is_empty(),
            "the condition is having none current"
        );
        let none = &found[1];
        assert_eq!(none.detail, "no attestation is current");
        assert_eq!(none.action, security().attestation.action);
        assert_eq!(none.citation, security().attestation.citation.on(as_of()));
        let breach = &found[2];
        assert_eq!(breach.status, Status::Missing);
        let limit = security().authority_notice_hours;
        assert_eq!(
            breach.detail,
            format!(
                "within 120 hours — leaves no time for the controller's {limit}-hour notification"
            )
        );
        assert_eq!(breach.action, security().breach_notice.action);
    }

    #[test]
    fn no_security_section_misses_attestation_and_breach_deadline() {
        let text = edit(
            NIMBUS,
            "security:\n  attestations:\n    - { kind: iso-27001, date: 2025-01-20, until: 2028-01-19 }\n    - { kind: soc-2-type-2, date: 2026-09-30 }\n  breach-notification-hours: 24\n",
            "",
        );
        let found = lines(&text, as_of());
        let details: Vec<(&str, Status)> = found
            .iter()
            .map(|t| (t.detail.as_str(), t.status))
            .collect();
        assert_eq!(
            details,
            [
                (
                    "no ISO/IEC 27001 certificate or SOC 2 report",
                    Status::Missing
                ),
                ("no notification deadline", Status::Missing),
            ]
        );
    }

    #[test]
    fn attestation_dated_after_the_review_does_not_count() {
        let before = NaiveDate::from_ymd_opt(2026, 6, 1).expect("a date");
        let found = lines(METRICLY, before);
        assert_eq!(found[1].status, Status::Missing);
        assert_eq!(found[1].detail, "dated 2026-06-30, after 2026-06-01");
        // The ISO certificate still counts: no "none current" line.
        assert!(
            found
                .iter()
                .all(|t| t.detail != "no attestation is current")
        );
    }
}
