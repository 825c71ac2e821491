//! Derogations for specific situations (GDPR Art. 49; UK GDPR Art. 49; FADP Art. 17; earlier
//! Directive 95/46/EC Art. 26(1) and the FADP of 1992, Art. 6(2)): exceptions to be read
//! restrictively. Each ground of the regime's entry in force says when it exists, which facts
//! the map must state about its use (`requires`: stated as not met, the ground fails; not
//! stated, a warning asks for them) and when it is not available at all (`unavailable`, e.g.
//! Art. 49(3) for public authorities in the exercise of their public powers).

use xborder_law::{Code, Dated, DerogationGround, FactRequirement, ToolEffectOrAdequacy};
use xborder_model::{Derogation, FieldValue, Mechanism};

use super::tool::in_force;
use super::{reliance_notes, span, unavailable};
use crate::hop::{HopContext, Note, Outcome, RestsOn};
use crate::result::Verdict;

/// A claimed derogation.
pub fn derogation<'a>(
    cx: &HopContext<'a, '_>,
    mechanism: &'a Mechanism,
    claimed: &'a Derogation,
) -> Outcome<'a> {
    let kind = mechanism.kind_name();
    let ground_id = claimed.ground.as_str();
    let tool = match in_force(cx, mechanism, kind, || {
        format!("derogations are not defined for {} data", cx.regime)
    }) {
        Ok(tool) => tool,
        Err(unavailable) => return *unavailable,
    };
    let tool_citation = tool.citation.on(cx.date);
    let Some(ground) = tool
        .grounds
        .iter()
        .find(|g| g.ground == ground_id && g.validity().contains(cx.date))
    else {
        return ground_not_available(cx, mechanism, tool, ground_id);
    };
    let citation = ground.citation.on(cx.date);
    let rests_on = RestsOn {
        effect: Some(ToolEffectOrAdequacy::Derogation),
        ground: Some(ground_id),
        ..RestsOn::default()
    };

    // Not available to this exporter at all (Art. 49(3)).
    let mut notes = Vec::new();
    for u in &ground.unavailable {
        let (holds, unknown) = u.when.test(cx.facts()).decide(u.if_unknown);
        let u_citation = u.citation.on(cx.date);
        let rule = format!(
            "whether the {ground_id} derogation is available ({})",
            u.says
        );
        let judged = if holds { "not available" } else { "available" };
        notes.extend(cx.unknown_facts(&unknown, &rule, judged, u_citation));
        if holds {
            let mut outcome = Outcome::new(
                Verdict::Unlawful,
                Some(kind),
                format!("the {ground_id} derogation is not available"),
            )
            .resting_on(rests_on)
            .with(
                Note::new(
                    Code::DerogationNotAvailable,
                    format!(
                        "the hop from \"{}\" to \"{}\" relies on the {ground_id} derogation, which is {}: use an appropriate safeguard (SCCs, BCRs) or another ground",
                        cx.exporter.id, cx.importer.id, u.says
                    ),
                    u_citation,
                )
                .at(mechanism.loc),
            );
            outcome.notes.extend(notes);
            return outcome;
        }
    }

    // The facts its use must meet.
    let mut outcome = Outcome::new(
        Verdict::Conditional,
        Some(kind),
        format!("occasional derogation: {ground_id} ({citation})"),
    )
    .resting_on(rests_on)
    .citing(citation);
    outcome.notes.extend(notes);
    let mut failed = false;
    for r in &ground.requires {
        match super::requirement(cx, &claimed.facts, r) {
            Some(true) => {}
            Some(false) => {
                failed = true;
                outcome.notes.push(failure(
                    cx,
                    mechanism,
                    &format!("the {ground_id} derogation"),
                    r,
                ));
            }
            None => outcome.notes.push(
                Note::new(
                    Code::FactNotStated,
                    format!(
                        "the {ground_id} derogation requires that {}: the mechanism does not state `{}`; add `{}:` to it",
                        r.says, r.fact, r.fact
                    ),
                    r.citation.on(cx.date),
                )
                .at(mechanism.loc),
            ),
        }
    }
    if failed {
        outcome.verdict = Verdict::Unlawful;
        outcome.basis = format!("the {ground_id} derogation's conditions are not met").into();
        return outcome;
    }
    outcome.notes.push(
        Note::new(
            Code::OccasionalDerogation,
            format!(
                "lawful only under the {ground_id} derogation's conditions: {}",
                ground.conditions.trim()
            ),
            citation,
        )
        .at(mechanism.loc),
    );
    reliance_notes(
        cx,
        &mut outcome,
        kind,
        None,
        None,
        tool.unconfirmed.as_deref(),
        tool_citation,
    );
    outcome
}

/// The finding for a required fact stated as not met; `relied_on` names what the hop relies
/// on (`the contract derogation`, a tool's name).
pub(super) fn failure<'a>(
    cx: &HopContext<'a, '_>,
    mechanism: &Mechanism,
    relied_on: &str,
    r: &'a FactRequirement,
) -> Note<'a> {
    let code = r
        .code
        .as_deref()
        .and_then(Code::parse)
        .unwrap_or(Code::DerogationNotAvailable);
    let stated = match mechanism.field(&r.fact) {
        Some(FieldValue::Date(d)) => format!("`{}: {d}` is after {}", r.fact, cx.date),
        Some(value) => format!("`{}: {value}`", r.fact),
        None => format!("`{}` is not stated", r.fact),
    };
    let message = if code == Code::SystematicDerogation {
        format!(
            "the hop to \"{}\" relies on {relied_on} as a regular, systematic transfer ({stated}): {}; use SCCs, BCRs or adequacy",
            cx.importer.id, r.says
        )
    } else {
        format!(
            "the hop to \"{}\" relies on {relied_on}, but {} ({stated})",
            cx.importer.id, r.says
        )
    };
    Note::new(code, message, r.citation.on(cx.date)).at(mechanism.loc)
}

/// The ground is not in the regime's entry in force on the date: say when it exists, if some
/// other period of the regime knows it (a ground exists only from the date its law applies).
fn ground_not_available<'a>(
    cx: &HopContext<'a, '_>,
    mechanism: &'a Mechanism,
    tool: &'a xborder_law::TransferTool,
    ground_id: &str,
) -> Outcome<'a> {
    let elsewhere: Vec<(&xborder_law::TransferTool, &DerogationGround)> = cx
        .rulebook
        .tools
        .iter()
        .filter(|t| t.kind == tool.kind && t.regime == cx.regime)
        .flat_map(|t| t.grounds.iter().map(move |g| (t, g)))
        .filter(|(_, g)| g.ground == ground_id)
        .collect();
    if elsewhere.is_empty() {
        return unavailable(
            mechanism,
            format!(
                "{} knows no derogation ground \"{ground_id}\" ({})",
                cx.regime, tool.name
            ),
            tool.citation.on(cx.date),
        );
    }
    let when: Vec<String> = elsewhere
        .iter()
        .map(|(t, g)| span(&g.validity().within(&t.validity())))
        .collect();
    // The law in force on the date, which does not have the ground.
    let citation = tool.citation.on(cx.date);
    Outcome::new(
        Verdict::Unlawful,
        Some(mechanism.kind_name()),
        format!("the {ground_id} derogation does not exist on {}", cx.date),
    )
    .with(
        Note::new(
            Code::DerogationNotAvailable,
            format!(
                "the {ground_id} derogation is not available for {} data on {}: it exists {} ({})",
                cx.regime,
                cx.date,
                when.join(", "),
                tool.name
            ),
            citation,
        )
        .at(mechanism.loc),
    )
}
