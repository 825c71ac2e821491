//! Whether one claimed mechanism makes one hop lawful on the date, and why not: one module per
//! family of the rulebook's `mechanism-kinds` table behind one dispatch ([`evaluate`]), so a
//! new kind of an existing family is rulebook data only.

mod adequacy;
mod clauses;
mod derogation;
mod framework;
mod tool;

pub use adequacy::{AdequacyAnswer, adequacy};
pub use framework::certified;

use chrono::NaiveDate;
use xborder_law::{AdequacyDecision, Citation, Code};
use xborder_model::{Mechanism, MechanismKind};

use crate::hop::{HopContext, Note, Outcome};
use crate::result::Verdict;

/// Evaluates a claimed mechanism (`agreement`: the agreement it comes from, if any).
pub fn evaluate<'a>(
    cx: &HopContext<'a, '_>,
    mechanism: &'a Mechanism,
    agreement: Option<usize>,
    scope_miss: Option<&'a AdequacyDecision>,
) -> Outcome<'a> {
    if let Some(a) = agreement.and_then(|a| cx.map.agreements.get(a)) {
        if let Some(expires) = a.expires
            && expires < cx.date
        {
            return Outcome::new(Verdict::Unlawful, Some(mechanism.kind_name()), format!("agreement \"{}\" expired", a.id)).with(
                Note::new(
                    Code::AgreementExpired,
                    format!("agreement \"{}\" expired on {expires}: its `{}` mechanism no longer covers the hop to \"{}\"", a.id, mechanism.kind_name(), cx.importer.id),
                    "",
                )
                .at(a.expires_loc.unwrap_or(a.loc)),
            );
        }
        if let Some(signed) = a.signed
            && signed > cx.date
        {
            return unavailable(
                mechanism,
                format!(
                    "agreement \"{}\" is only signed on {signed}, after {}",
                    a.id, cx.date
                ),
                "",
            );
        }
    }
    match &mechanism.kind {
        MechanismKind::Adequacy => adequacy::claimed(cx, mechanism, scope_miss),
        MechanismKind::Framework(kind) => framework::framework(cx, mechanism, kind),
        MechanismKind::Scc(scc) => clauses::standard_clauses(cx, mechanism, scc),
        MechanismKind::Tool(t) => tool::tool(cx, mechanism, t),
        MechanismKind::Derogation(d) => derogation::derogation(cx, mechanism, d),
    }
}

/// The mechanism cannot be relied on for this hop at all (XB015).
pub(crate) fn unavailable<'a>(
    mechanism: &'a Mechanism,
    message: String,
    citation: &'a str,
) -> Outcome<'a> {
    Outcome::new(
        Verdict::Unlawful,
        Some(mechanism.kind_name()),
        message.clone(),
    )
    .with(Note::new(Code::MechanismUnavailable, message, citation).at(mechanism.loc))
}

/// Whether a claimed mechanism meets a fact a rule requires of it: `Some(true)` met,
/// `Some(false)` stated as not met (a `false`, a date after the as-of date, a value not among
/// the requirement's `values`), `None` not stated.
pub(crate) fn requirement(
    cx: &HopContext<'_, '_>,
    facts: &xborder_model::FieldValues,
    r: &xborder_law::FactRequirement,
) -> Option<bool> {
    match facts.get(&r.fact)? {
        xborder_model::FieldValue::Bool(b) => Some(*b),
        xborder_model::FieldValue::Date(d) => Some(*d <= cx.date),
        xborder_model::FieldValue::Text(t) if !r.values.is_empty() => {
            Some(r.values.iter().any(|v| v == t))
        }
        _ => None,
    }
}

/// `from…until` of a validity, for messages.
pub(crate) fn span(v: &xborder_law::Validity) -> String {
    format!(
        "{}…{}",
        v.from.map(|d| d.to_string()).unwrap_or_default(),
        v.last_day().map(|d| d.to_string()).unwrap_or_default()
    )
}

/// Appropriate safeguards need a documented assessment of the destination's law and practice
/// (C-311/18 paras 134–135; EDPB Recommendations 01/2020; 2021 SCC Clause 14(b)–(d); in the UK
/// from 5 Feb 2026 the data protection test of Art. 46(1A)): what it is called on the date and
/// where the law asks for it come from the rulebook entry (`assessment-name`, `citation`).
pub(crate) fn require_tia<'a>(
    cx: &HopContext<'a, '_>,
    outcome: &mut Outcome<'a>,
    mechanism: &Mechanism,
    label: &str,
    tia: Option<NaiveDate>,
    assessment: Option<&'a Citation>,
    citation: &'a str,
) {
    let name = assessment.map_or("transfer impact assessment", |a| a.on(cx.date));
    // A regime that names its own assessment cites its own law for it (the entry's citation);
    // otherwise the code's citation gives the basis of the assessment on the date.
    let citation = if assessment.is_some() { citation } else { "" };
    let field = match &mechanism.kind {
        MechanismKind::Tool(t) => cx
            .rulebook
            .mechanism_kind(&t.kind)
            .and_then(|k| k.assessment.as_deref())
            .unwrap_or("tia"),
        _ => "tia",
    };
    match tia {
        Some(day) if day <= cx.date => {}
        Some(day) => outcome.notes.push(
            Note::new(Code::MissingTia, format!("{label}: the {name} is dated {day}, after {}", cx.date), citation).at(mechanism.loc),
        ),
        None => outcome.notes.push(
            Note::new(
                Code::MissingTia,
                format!("{label} for the hop to \"{}\" in {} has no documented {name} (`{field}: DATE`)", cx.importer.id, cx.destination),
                citation,
            )
            .at(mechanism.loc),
        ),
    }
}

/// Warnings attached to whatever a verdict rests on: rulebook advisories that match, and
/// entries whose research is unconfirmed.
pub fn reliance_notes<'a>(
    cx: &HopContext<'a, '_>,
    outcome: &mut Outcome<'a>,
    mechanism: &str,
    decision: Option<&str>,
    scc_version: Option<&str>,
    unconfirmed: Option<&str>,
    citation: &'a str,
) {
    if let Some(why) = unconfirmed {
        outcome.notes.push(Note::unconfirmed(why, citation));
    }
    for advisory in advisories_on_hop(cx) {
        let w = &advisory.when;
        let matches = w.mechanism.as_deref().is_none_or(|m| m == mechanism)
            && w.scc_version
                .as_deref()
                .is_none_or(|v| Some(v) == scc_version)
            && w.decision.as_deref().is_none_or(|d| Some(d) == decision);
        if matches {
            outcome.notes.push(advisory_note(cx, advisory));
        }
    }
}

/// The regime's advisories in force on the date whose destination and importer conditions
/// the hop meets (what they say about mechanisms is for the caller to test): those of the
/// destination (see [`AtDestination`](crate::hop::AtDestination)) whose importer condition
/// holds.
fn advisories_on_hop<'a, 'c>(
    cx: &'c HopContext<'a, '_>,
) -> impl Iterator<Item = &'a xborder_law::Advisory> + 'c {
    cx.at_destination
        .advisories
        .iter()
        .copied()
        .filter(move |a| {
            a.when
                .importer
                .as_ref()
                .is_none_or(|c| c.matches(cx.facts()))
        })
}

fn advisory_note<'a>(cx: &HopContext<'a, '_>, advisory: &'a xborder_law::Advisory) -> Note<'a> {
    let code = Code::parse(&advisory.code).unwrap_or(Code::Advisory);
    let mut note = Note::new(code, &advisory.message, advisory.citation.on(cx.date));
    note.severity = advisory.severity;
    note
}

/// Advisories about the destination or the importer alone (not about a mechanism) apply to
/// every transfer hop, whatever decided it — e.g. a doubt on a country's status on a date
/// also qualifies an "unlawful" verdict.
pub fn destination_advisories<'a>(cx: &HopContext<'a, '_>, outcome: &mut Outcome<'a>) {
    for advisory in advisories_on_hop(cx) {
        let w = &advisory.when;
        if w.mechanism.is_some() || w.scc_version.is_some() || w.decision.is_some() {
            continue;
        }
        // A duty of every transfer says nothing about a hop that is not one.
        if w.every_hop && outcome.verdict == Verdict::NotATransfer {
            continue;
        }
        if !outcome
            .notes
            .iter()
            .any(|n| n.message.as_str() == advisory.message)
        {
            outcome.notes.push(advisory_note(cx, advisory));
        }
    }
}
