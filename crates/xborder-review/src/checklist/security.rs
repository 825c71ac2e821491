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
