//! Transfer tools of the `tools` section (IDTA, BCRs, codes of conduct, certification, other
//! regimes' tools): the regime's entry for the kind, in force on the date; the date from which
//! the claimed instance protects the hop (the kind's `effective` field); a documented
//! assessment where the tool needs one (the kind's `assessment` field).

use xborder_law::{Code, Dated, ToolEffect, ToolEffectOrAdequacy, TransferTool};
use xborder_model::{Mechanism, Tool};

use super::{reliance_notes, require_tia, span, unavailable};
use crate::hop::{HopContext, Note, OnwardRule, Outcome, RestsOn};
use crate::result::Verdict;

/// The regime's entry for a tool kind in force on the date; otherwise the outcome that says
/// why the claimed mechanism is unavailable — the entry exists but not on the date (with the
/// dates it is in force), or the regime has no such entry (`undefined` says what is missing).
pub(crate) fn in_force<'a>(
    cx: &HopContext<'a, '_>,
    mechanism: &'a Mechanism,
    kind: &str,
    undefined: impl FnOnce() -> String,
) -> Result<&'a TransferTool, Box<Outcome<'a>>> {
    let mut any = None;
    for tool in cx
        .rulebook
        .tools
        .iter()
        .filter(|t| t.kind == kind && t.regime == cx.regime)
    {
        if tool.validity().contains(cx.date) {
            return Ok(tool);
        }
        any = any.or(Some(tool));
    }
    Err(Box::new(match any {
        Some(other) => unavailable(
            mechanism,
            format!(
                "{} is not available on {} (in force {})",
                other.name,
                cx.date,
                span(&other.validity())
            ),
            other.citation.on(cx.date),
        ),
        None => unavailable(
            mechanism,
            undefined(),
            cx.rulebook
                .period(cx.regime, cx.date)
                .map_or("", |p| p.citation.on(cx.date)),
        ),
    }))
}

/// A claimed tool.
pub fn tool<'a>(
    cx: &HopContext<'a, '_>,
    mechanism: &'a Mechanism,
    claimed: &'a Tool,
) -> Outcome<'a> {
    let kind = claimed.kind.as_str();
    let tool = match in_force(cx, mechanism, kind, || {
        format!("`{kind}` is not a transfer tool for {} data", cx.regime)
    }) {
        Ok(tool) => tool,
        Err(unavailable) => return *unavailable,
    };
    let citation = tool.citation.on(cx.date);
    let spec = cx.rulebook.mechanism_kind(kind);
    let effective = spec
        .and_then(|k| k.effective.as_deref())
        .and_then(|field| claimed.fields.date(field));
    if let Some(day) = effective
        && day > cx.date
    {
        return unavailable(
            mechanism,
            format!("{} dated {day}, after {}", tool.name, cx.date),
            citation,
        );
    }
    // A tool granted for a time (a certificate, an approved assessment) protects the hop up
    // to its last day.
    if let Some(last) = spec
        .and_then(|k| k.expires.as_deref())
        .and_then(|field| claimed.fields.date(field))
        && last < cx.date
    {
        return unavailable(
            mechanism,
            format!("{} expired on {last}, before {}", tool.name, cx.date),
            citation,
        );
    }
    let mut outcome = Outcome::new(
        Verdict::Conditional,
        Some(kind),
        format!("{} ({citation})", tool.name),
    )
    .resting_on(RestsOn {
        effect: Some(match tool.effect {
            ToolEffect::Safeguard => ToolEffectOrAdequacy::Safeguard,
            ToolEffect::Derogation => ToolEffectOrAdequacy::Derogation,
        }),
        ..RestsOn::default()
    })
    .citing(citation);
    outcome.onward = tool.onward.as_ref().map(|rule| OnwardRule {
        rule,
        reading: None,
    });
    // What the regime requires of this tool's use (a filing, a form of consent).
    for r in &tool.requires {
        match super::requirement(cx, &claimed.fields, r) {
            Some(true) => {}
            Some(false) => {
                outcome.verdict = Verdict::Unlawful;
                outcome.basis = format!("{}: {}", tool.name, r.says.trim()).into();
                outcome
                    .notes
                    .push(super::derogation::failure(cx, mechanism, &tool.name, r));
            }
            None => outcome.notes.push(
                Note::new(
                    Code::FactNotStated,
                    format!(
                        "{} requires that {}: the mechanism does not state `{}`; add `{}:` to it",
                        tool.name,
                        r.says.trim(),
                        r.fact,
                        r.fact
                    ),
                    r.citation.on(cx.date),
                )
                .at(mechanism.loc),
            ),
        }
    }
    if xborder_law::Rulebook::tool_expects_tia(tool, cx.date) {
        let tia = spec
            .and_then(|k| k.assessment.as_deref())
            .and_then(|field| claimed.fields.date(field));
        require_tia(
            cx,
            &mut outcome,
            mechanism,
            &tool.name,
            tia,
            tool.assessment_name.as_ref(),
            citation,
        );
    }
    reliance_notes(
        cx,
        &mut outcome,
        kind,
        None,
        None,
        tool.unconfirmed.as_deref(),
        citation,
    );
    if tool.effect == ToolEffect::Derogation {
        outcome.notes.push(Note::new(
            Code::OccasionalDerogation,
            format!("{} applies only under its conditions", tool.name),
            citation,
        ));
    }
    outcome
}
