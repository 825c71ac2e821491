//! The decision of a vendor review: reject when a new hop is unlawful, when special-category
//! data would flow without a documented condition, or when a processor would use the data for
//! its own purposes; approve with conditions when something must be done or kept up; approve
//! otherwise — each reason and condition cited.

use std::collections::{BTreeMap, BTreeSet};

use xborder_engine::{Code, Finding, Text, Verdict};
use xborder_law::{Rulebook, Severity, VendorLaw};

use crate::vendor::{Decision, HopReview, Point, SpecialData, Status, TermKind, VendorReview, add};

pub(crate) fn decide(r: &mut VendorReview, rulebook: &Rulebook, law: Option<&VendorLaw>) {
    let mut reasons: Vec<Point> = Vec::new();
    let mut conditions: Vec<Point> = Vec::new();
    let mut notes: Vec<Point> = Vec::new();
    let as_of = r.as_of;
    let doc = |c: Code| rulebook.doc(c).citation.on(as_of).to_string();

    // Unlawful hops: one reason per flow and regime.
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
            &mut reasons,
            format!(
                "No valid transfer basis on {}: {} → {} carries {regime} data to {} — {}",
                r.as_of,
                first.hop.from,
                first.hop.to,
                destinations.join(", "),
                why.into_iter().collect::<Vec<_>>().join("; ")
            ),
            errors
                .first()
                .map(|f| f.citation.to_string())
                .unwrap_or_else(|| doc(Code::NoMechanism)),
        );
        for h in hops {
            add(
                &mut conditions,
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
    // Error findings on hops that are not unlawful (should another mechanism fail loudly).
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
                &mut reasons,
                format!("{}: {}", f.code, f.message),
                f.citation.clone(),
            );
        }
    }

    // Special categories.
    let special = law.and_then(|l| l.special_categories.as_ref());
    let special_term = special.map_or("a condition that permits processing it", |t| {
        t.term.as_str()
    });
    let undocumented: Vec<&SpecialData> =
        r.special.iter().filter(|s| s.condition.is_none()).collect();
    if let Some(first) = undocumented.first() {
        add(
            &mut reasons,
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
    for s in &r.special {
        match &s.condition {
            None => {}
            Some(c) => add(
                &mut conditions,
                format!(
                    "Special-category data {} ({}): rely on the documented condition ({c}){}",
                    s.category,
                    s.like,
                    special
                        .and_then(|t| t.keep.as_deref())
                        .map(|keep| format!(", {}", keep.trim()))
                        .unwrap_or_default()
                ),
                s.citation.clone(),
            ),
        }
    }

    // Contract, security and retention checklists.
    for t in r.terms.iter().chain(r.security.iter()) {
        if t.status != Status::Missing || t.action.is_empty() {
            continue;
        }
        match t.kind {
            // Covered by the reasons above.
            TermKind::TransferBasis | TermKind::SpecialCategoryCondition => continue,
            TermKind::OwnPurposes => {
                let says = law
                    .and_then(|l| l.own_purposes.as_ref())
                    .and_then(|o| o.says.as_deref())
                    .unwrap_or_default();
                add(
                    &mut reasons,
                    format!("The vendor {} — {says}", t.detail.trim()),
                    t.citation.clone(),
                );
                continue;
            }
            _ => {}
        }
        add(
            &mut conditions,
            format!("{}: {} ({})", t.term, t.action, t.detail),
            t.citation.clone(),
        );
    }

    // Hops on Art. 46 tools and derogations: their conditions.
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
        let destinations = destinations.into_iter().collect::<Vec<_>>().join(", ");
        // A hop on a derogation carries its ground's conditions (XB019); one on a safeguard
        // needs the safeguard kept up.
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
                add(&mut conditions, f.message.to_string(), f.citation.clone());
            }
        } else {
            if let Some(upkeep) = law.and_then(|l| l.safeguard_upkeep.as_ref()) {
                add(
                    &mut conditions,
                    format!(
                        "{} → {} ({destinations}) rests on {}, an appropriate safeguard: {}",
                        h.hop.from,
                        h.hop.to,
                        h.has,
                        upkeep.action.trim()
                    ),
                    upkeep.citation.on(as_of).to_string(),
                );
            }
        }
    }

    // Frameworks: legal risk without a fallback is a condition; with one, a note.
    for h in &r.hops {
        let Some(fb) = &h.fallback else { continue };
        let advisory = r.findings.iter().find(|f| {
            f.code == Code::Advisory
                && f.flow == h.hop.flow
                && f.regime == h.hop.regime
                && f.destination == h.hop.destination
        });
        if fb.verdict == Verdict::Unlawful {
            if let Some(a) = advisory {
                let fallback = h
                    .need
                    .fallback
                    .clone()
                    .unwrap_or_else(|| "another transfer tool".to_string());
                add(
                    &mut conditions,
                    format!(
                        "{} → {} ({} → {}) rests on {} alone, which is under legal risk: sign {fallback} as a fallback now",
                        h.hop.from, h.hop.to, h.hop.regime, h.hop.destination, fb.framework
                    ),
                    a.citation.clone(),
                );
            } else {
                add(
                    &mut notes,
                    format!(
                        "{} → {} ({} → {}) rests on {} alone: if it fell, the hop would have no basis",
                        h.hop.from, h.hop.to, h.hop.regime, h.hop.destination, fb.framework
                    ),
                    h.hop.citation.to_string(),
                );
            }
        } else {
            add(
                &mut notes,
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
                ),
                advisory.map_or_else(|| h.hop.citation.to_string(), |a| a.citation.to_string()),
            );
        }
    }

    // Other warnings and information: notes.
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
        add(
            &mut notes,
            format!("{}: {message}", f.code),
            f.citation.clone(),
        );
    }
    if !r.existing_changes.is_empty() {
        add(
            &mut notes,
            format!(
                "{} verdict(s) of the map's own hops change with the vendor",
                r.existing_changes.len()
            ),
            String::new(),
        );
    }

    r.decision = if !reasons.is_empty() {
        Decision::Reject
    } else if !conditions.is_empty() {
        Decision::ApproveWithConditions
    } else {
        Decision::Approve
    };
    if r.decision != Decision::Reject {
        // The grounds for approving: what each new transfer rests on.
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
        reasons = grounds;
    }
    r.reasons = reasons;
    r.conditions = conditions;
    r.notes = notes;
}
