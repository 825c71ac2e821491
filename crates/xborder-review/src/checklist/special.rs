//! Special-category and criminal data the vendor would receive: the condition that permits
//! processing it, documented on the intake flows carrying it, besides the transfer tool.

use std::collections::BTreeSet;

use xborder_engine::Code;
use xborder_law::{Rulebook, VendorLaw};
use xborder_model::{Intake, Map};

use crate::vendor::{SpecialData, Status, Term, TermKind, VendorReview, term};

pub(crate) fn is_sensitive(rulebook: &Rulebook, map: &Map, category: &str) -> bool {
    rulebook.is_sensitive(map.base_category(category))
}

/// The condition for special-category data on each intake flow carrying it.
pub(crate) fn terms(
    r: &VendorReview,
    intake: &Intake,
    rulebook: &Rulebook,
    law: Option<&VendorLaw>,
) -> Vec<Term> {
    let Some(t) = law.and_then(|l| l.special_categories.as_ref()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, flow) in intake.flows.iter().enumerate() {
        let sensitive: Vec<String> = flow
            .data
            .iter()
            .filter(|c| is_sensitive(rulebook, &r.merged, c))
            .cloned()
            .collect();
        if sensitive.is_empty() {
            continue;
        }
        let citation = sensitive
            .first()
            .and_then(|c| rulebook.category(r.merged.base_category(c)))
            .and_then(|c| c.citation.as_ref())
            .map_or_else(|| t.citation.on(r.as_of), |c| c.on(r.as_of))
            .to_string();
        let name = format!(
            "{} for {} on flow {}",
            t.term,
            sensitive.join(", "),
            flow.id
                .clone()
                .unwrap_or_else(|| (r.base_flows + i).to_string())
        );
        out.push(match &flow.special_category_condition {
            Some(c) => term(
                TermKind::SpecialCategoryCondition,
                &name,
                Status::Present,
                c.clone(),
                "",
                citation,
            ),
            None => term(
                TermKind::SpecialCategoryCondition,
                &name,
                Status::Missing,
                "no condition documented".to_string(),
                &t.action,
                citation,
            ),
        });
    }
    out
}

/// Each special category the vendor or its sub-processors would receive, with what it adds.
pub(crate) fn data(
    r: &VendorReview,
    intake: &Intake,
    rulebook: &Rulebook,
    law: Option<&VendorLaw>,
) -> Vec<SpecialData> {
    let received = intake.received();
    let mut order: Vec<String> = Vec::new();
    for data in std::iter::once(&intake.vendor.id)
        .chain(r.sub_processors.iter())
        .filter_map(|id| received.get(id))
    {
        for c in data {
            if is_sensitive(rulebook, &r.merged, c) && !order.contains(c) {
                order.push(c.clone());
            }
        }
    }
    let adds_basis = law
        .and_then(|l| l.special_categories.as_ref())
        .and_then(|t| t.says.clone())
        .unwrap_or_else(|| "a condition that permits processing it".to_string());
    order
        .into_iter()
        .map(|category| {
            let like = r.merged.base_category(&category).to_string();
            let recipients: Vec<String> = std::iter::once(&intake.vendor.id)
                .chain(r.sub_processors.iter())
                .filter(|id| received.get(*id).is_some_and(|d| d.contains(&category)))
                .cloned()
                .collect();
            let conditions: BTreeSet<&str> = intake
                .flows
                .iter()
                .filter(|f| f.data.contains(&category))
                .filter_map(|f| f.special_category_condition.as_deref())
                .collect();
            let condition = (!conditions.is_empty())
                .then(|| conditions.into_iter().collect::<Vec<_>>().join("; "));
            let base = rulebook.category(&like);
            let mut adds = vec![match &condition {
                Some(c) => format!("{adds_basis} — documented: {c}"),
                None => format!("{adds_basis} — none documented"),
            }];
            // The engine's special-category findings on the new flows carrying it.
            let carrying: Vec<usize> = r
                .merged
                .flows
                .iter()
                .skip(r.base_flows)
                .filter(|f| f.data.iter().any(|d| **d == *category))
                .map(|f| f.index)
                .collect();
            for f in r
                .findings
                .iter()
                .filter(|f| f.code == Code::SpecialCategory && carrying.contains(&f.flow))
            {
                let line = format!("{} → {}: {}", f.regime, f.destination, f.message);
                if !adds.contains(&line) {
                    adds.push(line);
                }
            }
            SpecialData {
                category,
                like: base.map_or(like.clone(), |b| format!("{like} — {}", b.name)),
                recipients,
                condition,
                adds,
                citation: base
                    .and_then(|b| b.citation.as_ref())
                    .map(|c| c.on(r.as_of).to_string())
                    .unwrap_or_default(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{METRICLY, VERIFACE, as_of, edit, law, review_on, rulebook};

    /// The intake of Veriface with the condition documented on its flow.
    fn with_condition() -> String {
        edit(
            VERIFACE,
            "    roles: controller->processor\n    evidence: \"Verification",
            "    roles: controller->processor\n    special-category-condition: explicit consent\n    evidence: \"Verification",
        )
    }

    /// The rulebook's citation of biometric data.
    fn biometric() -> String {
        rulebook()
            .category("biometric")
            .and_then(|c| c.citation.as_ref())
            .expect("biometric data is cited")
            .on(as_of())
            .to_string()
    }

    #[test]
    fn biometric_data_without_a_condition_is_missing_one() {
        let (r, intake) = review_on(VERIFACE, as_of());
        let law = law(&r);
        let rule = law.special_categories.as_ref().expect("the rule");
        let found = terms(&r, &intake, rulebook(), Some(law));
        let [line] = found.as_slice() else {
            panic!("one line for the one flow: {found:?}")
        };
        assert_eq!(line.status, Status::Missing);
        assert!(
            line.term
                .starts_with(&format!("{} for webcam-headshot", rule.term)),
            "{}",
            line.term
        );
        assert!(line.term.ends_with("on flow identity-check"));
        assert_eq!(line.action, rule.action);
        assert_eq!(line.citation, biometric());
    }

    #[test]
    fn documented_condition_is_present() {
        let (r, intake) = review_on(&with_condition(), as_of());
        let found = terms(&r, &intake, rulebook(), Some(law(&r)));
        assert_eq!(found[0].status, Status::Present);
        assert_eq!(found[0].detail, "explicit consent");
        let data = data(&r, &intake, rulebook(), Some(law(&r)));
        assert_eq!(data[0].condition.as_deref(), Some("explicit consent"));
        assert!(data[0].adds[0].ends_with("— documented: explicit consent"));
    }

    #[test]
    fn each_recipient_of_special_category_data_is_named() {
        let (r, intake) = review_on(VERIFACE, as_of());
        let law = law(&r);
        let special = data(&r, &intake, rulebook(), Some(law));
        let headshot = special
            .iter()
            .find(|s| s.category == "webcam-headshot")
            .expect("headshots are biometric data");
        assert!(
            headshot.like.starts_with("biometric — "),
            "{}",
            headshot.like
        );
        assert_eq!(headshot.recipients, ["veriface", "kao-vision"]);
        assert_eq!(headshot.condition, None);
        let says = law
            .special_categories
            .as_ref()
            .and_then(|t| t.says.as_deref())
            .expect("what the law requires");
        assert_eq!(headshot.adds[0], format!("{says} — none documented"));
        assert_eq!(headshot.citation, biometric());
        // Names and dates of birth are not special categories.
        assert!(special.iter().all(|s| s.category != "name"));
    }

    #[test]
    fn ordinary_data_adds_nothing() {
        let (r, intake) = review_on(METRICLY, as_of());
        assert!(terms(&r, &intake, rulebook(), Some(law(&r))).is_empty());
        assert!(data(&r, &intake, rulebook(), Some(law(&r))).is_empty());
    }
}
