//! Frameworks (Safe Harbor, Privacy Shield, the Data Privacy Framework and its UK and Swiss
//! counterparts): adequacy for certified importers only, within their certified scope.

use xborder_law::{AdequacyDecision, Code, Dated, FrameworkRef};
use xborder_model::Mechanism;

use super::adequacy::{lawful_on, scope_notes, why_not_covered};
use super::unavailable;
use crate::hop::{HopContext, Note, Outcome};
use crate::result::Verdict;

/// A framework claimed by a map (`privacy-shield`, `dpf`, ...).
pub fn framework<'a>(
    cx: &HopContext<'a, '_>,
    mechanism: &'a Mechanism,
    kind: &'a str,
) -> Outcome<'a> {
    let destination = crate::propagate::country_of(cx.destination);
    // The regime's framework entries for this kind, each with its framework.
    let decisions: Vec<(&'a AdequacyDecision, &'a FrameworkRef)> = cx
        .adequacy
        .iter()
        .filter_map(|&d| d.framework.as_ref().map(|f| (d, f)))
        .filter(|(_, f)| f.mechanism == kind)
        .collect();
    let Some((first, _)) = decisions.first() else {
        return unavailable(
            mechanism,
            format!("`{kind}` is not a transfer basis for {} data", cx.regime),
            cx.rulebook
                .period(cx.regime, cx.date)
                .map_or("", |p| p.citation.on(cx.date)),
        );
    };
    let Some(&(decision, fw)) = decisions
        .iter()
        .find(|(d, _)| d.destination.as_deref() == Some(destination))
    else {
        let covered: Vec<&str> = decisions
            .iter()
            .filter_map(|(d, _)| d.destination.as_deref())
            .collect();
        return unavailable(
            mechanism,
            format!(
                "`{kind}` covers only transfers to {}, not to {}",
                covered.join(", "),
                cx.destination
            ),
            first.citation.on(cx.date),
        );
    };
    let citation = decision.citation.on(cx.date);
    // The importer's certification is checked first: a hop to an uncertified importer never
    // rested on the framework, whatever later happened to the framework itself.
    if let Err(why) = certified(cx, fw) {
        let also = if cx.decision_in_force(decision) {
            String::new()
        } else {
            format!(
                "; {} is moreover not in force on {}",
                decision.name, cx.date
            )
        };
        return Outcome::new(
            Verdict::Unlawful,
            Some(kind),
            format!("{} — importer not certified", decision.name),
        )
        .with(
            Note::new(
                Code::NotCertified,
                format!("relies on {}, but {why}{also}", decision.name),
                citation,
            )
            .at(mechanism.loc),
        );
    }
    if !cx.decision_in_force(decision) {
        let validity = decision.validity();
        let when = if cx.assumed_invalid(&decision.id) || cx.assumed_invalid(&fw.id) {
            "assumed struck down (--assume-invalid)".to_string()
        } else if validity.from.is_some_and(|f| cx.date < f) {
            format!(
                "not in force before {}",
                validity.from.map(|d| d.to_string()).unwrap_or_default()
            )
        } else if let Some(day) = validity.invalid_from {
            format!("invalid since {day}")
        } else {
            format!(
                "not in force after {}",
                validity
                    .last_day()
                    .map(|d| d.to_string())
                    .unwrap_or_default()
            )
        };
        return Outcome::new(
            Verdict::Unlawful,
            Some(kind),
            format!("{} — {when}", decision.name),
        )
        .with(
            Note::new(
                Code::FrameworkNotInForce,
                format!(
                    "transfer to \"{}\" relies on {}, {when}: the hop has no valid basis on {}",
                    cx.importer.id, decision.name, cx.date
                ),
                citation,
            )
            .at(mechanism.loc),
        );
    }
    let answer = decision.scope.coverage(cx.facts(), cx.date);
    if !answer.is_covered() {
        let reason = why_not_covered(cx, decision, &answer.coverage);
        let mut outcome = Outcome::new(
            Verdict::Unlawful,
            Some(kind),
            format!("{} — outside its scope", decision.name),
        )
        .with(
            Note::new(
                Code::OutsideAdequacyScope,
                format!(
                    "{} does not cover this hop to \"{}\": {reason}",
                    decision.name, cx.importer.id
                ),
                citation,
            )
            .at(mechanism.loc),
        );
        outcome
            .notes
            .extend(scope_notes(cx, decision, &answer.unknown, false));
        return outcome;
    }
    lawful_on(
        cx,
        decision,
        kind,
        format!("{} ({})", decision.name, decision.reference),
        &answer.unknown,
    )
}

/// Whether the importer holds the framework's certification on the date, in scope for the
/// data: the framework's HR categories need an HR listing, other data a non-HR listing
/// (`hr-categories` of the rulebook entry).
pub fn certified(cx: &HopContext<'_, '_>, fw: &FrameworkRef) -> Result<(), String> {
    let framework = fw.id.as_str();
    let listings: Vec<_> = cx
        .importer
        .certifications
        .iter()
        .filter(|c| c.framework == framework)
        .collect();
    if listings.is_empty() {
        return Err(format!(
            "\"{}\" holds no {framework} certification",
            cx.importer.id
        ));
    }
    let Some(listing) = listings
        .iter()
        .find(|c| c.from <= cx.date && c.until.is_none_or(|u| cx.date <= u))
    else {
        return Err(format!(
            "\"{}\"'s {framework} certification does not cover {}",
            cx.importer.id, cx.date
        ));
    };
    let is_hr = |c: &str| fw.hr_categories.iter().any(|h| h == c);
    let hr = cx.base_categories().any(is_hr);
    let other = cx.base_categories().any(|c| !is_hr(c));
    if hr && !listing.hr {
        return Err(format!(
            "\"{}\"'s {framework} certification excludes HR data",
            cx.importer.id
        ));
    }
    if other && !listing.non_hr {
        return Err(format!(
            "\"{}\"'s {framework} certification covers only HR data",
            cx.importer.id
        ));
    }
    Ok(())
}
