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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{NIMBUS, TANDEM, VERIFACE, as_of, edit, intake, map, rulebook};

    fn law() -> &'static VendorLaw {
        rulebook()
            .vendor_review
            .iter()
            .find(|l| l.default)
            .expect("a default checklist")
    }

    fn lines(text: &str) -> Vec<Term> {
        terms(&intake(text, &map()), as_of(), Some(law()))
    }

    #[test]
    fn deletion_at_the_end_is_present() {
        let found = lines(TANDEM);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].status, Status::Present);
        assert_eq!(found[0].detail, "kept 730 days; deleted at the end");
        let found = lines(NIMBUS);
        assert_eq!(
            found[0].detail,
            "retention period as the controller instructs; deleted at the end"
        );
    }

    #[test]
    fn nothing_agreed_for_the_end_of_the_contract_is_flagged() {
        let rule = law().retention.as_ref().expect("the retention rule");
        for text in [
            edit(TANDEM, "  at-end: delete\n", ""),
            edit(TANDEM, "retention:\n  days: 730\n  at-end: delete\n", ""),
        ] {
            let found = lines(&text);
            assert_eq!(found[0].status, Status::Missing, "{text}");
            assert!(
                found[0]
                    .detail
                    .ends_with("nothing agreed for the end of the contract")
            );
            assert_eq!(found[0].action, rule.action);
            assert_eq!(found[0].citation, rule.citation.on(as_of()));
        }
    }

    #[test]
    fn keeping_the_data_after_the_contract_and_own_use_are_missing() {
        let found = lines(VERIFACE);
        assert_eq!(found[0].kind, TermKind::Retention);
        assert_eq!(found[0].status, Status::Missing);
        assert_eq!(
            found[0].detail,
            "kept 1095 days; keeps the data when the contract ends"
        );
        let own = law().own_purposes.as_ref().expect("the own-purposes rule");
        assert_eq!(found[1].kind, TermKind::OwnPurposes);
        assert_eq!(
            found[1].status,
            Status::Missing,
            "a processor acts on instructions only"
        );
        assert_eq!(
            found[1].detail,
            "would also use the data for: model-training"
        );
        assert_eq!(found[1].citation, own.citation.on(as_of()));
    }

    #[test]
    fn a_controller_may_use_the_data_for_its_own_purposes() {
        let text = edit(
            VERIFACE,
            "  role: processor\n  sector: private\n  certifications:\n    - { framework: eu-us-dpf",
            "  role: controller\n  sector: private\n  certifications:\n    - { framework: eu-us-dpf",
        );
        let text = edit(&text, "controller->processor", "controller->controller");
        let found = lines(&text);
        assert_eq!(found[1].kind, TermKind::OwnPurposes);
        assert_eq!(found[1].status, Status::Present);
    }
}
