//! Retention: deletion or return at the end of the services, and no use of the data for the
//! vendor's own purposes.

use chrono::NaiveDate;
use xborder_law::VendorLaw;
use xborder_model::{AtEnd, Intake, Role};

use crate::vendor::{Status, Term, TermKind, term};

pub(crate) fn terms(intake: &Intake, as_of: NaiveDate, law: Option<&VendorLaw>) -> Vec<Term> {
    let mut out = Vec::new();
    let retention = intake.retention.as_ref();
    if let Some(t) = law.and_then(|l| l.retention.as_ref()) {
        let citation = t.citation.on(as_of).to_string();
        let days = retention.and_then(|r| r.days);
        let at_end = retention.and_then(|r| r.at_end);
        let period = days.map_or_else(
            || "retention period as the controller instructs".to_string(),
            |d| format!("kept {d} days"),
        );
        let line = |status, detail, action: &str| {
            term(
                TermKind::Retention,
                &t.term,
                status,
                detail,
                action,
                citation.clone(),
            )
        };
        out.push(match at_end {
            Some(AtEnd::Retain) => line(
                Status::Missing,
                format!("{period}; keeps the data when the contract ends"),
                &t.action,
            ),
            Some(end) => line(
                Status::Present,
                format!(
                    "{period}; {} at the end",
                    if end == AtEnd::Delete {
                        "deleted"
                    } else {
                        "returned"
                    }
                ),
                "",
            ),
            None => line(
                Status::Missing,
                format!("{period}; nothing agreed for the end of the contract"),
                &t.action,
            ),
        });
    }
    let own = retention
        .map(|r| r.own_purposes.as_slice())
        .unwrap_or_default();
    if let Some(t) = law.and_then(|l| l.own_purposes.as_ref())
        && !own.is_empty()
    {
        out.push(term(
            TermKind::OwnPurposes,
            &t.term,
            if intake.vendor.role == Some(Role::Processor) {
                Status::Missing
            } else {
                Status::Present
            },
            format!("would also use the data for: {}", own.join(", ")),
            &t.action,
            t.citation.on(as_of).to_string(),
        ));
    }
    out
}
