//! Standard contractual clauses (GDPR Art. 46(2)(c); Directive 95/46/EC Art. 26(4)): the set's
//! terms under the hop's regime (in force, new-contract cut-off, grandfathering while the
//! processing is unchanged), the module against the hop's role pair, the additions a regime
//! demands (UK Addendum, Swiss adaptations) and the documented assessment.

use xborder_law::{Code, Dated, SccRequirement, ToolEffectOrAdequacy};
use xborder_model::{Mechanism, Scc};

use super::{reliance_notes, require_tia, unavailable};
use crate::hop::{HopContext, Note, OnwardRule, Outcome, RestsOn, is_pair};
use crate::result::Verdict;

pub fn standard_clauses<'a>(
    cx: &HopContext<'a, '_>,
    mechanism: &'a Mechanism,
    scc: &'a Scc,
) -> Outcome<'a> {
    let label = match scc.module {
        Some(m) => format!("SCC {} Module {m}", scc.version),
        None => format!("SCC {}", scc.version),
    };
    let Some(set) = cx.rulebook.scc_set(&scc.version) else {
        return unavailable(mechanism, format!("{label}: unknown SCC set"), "");
    };
    let Some(terms) = set.terms.iter().find(|t| t.regime == cx.regime) else {
        return unavailable(
            mechanism,
            format!("{label} is not a transfer tool for {} data", cx.regime),
            set.citation.on(cx.date),
        );
    };
    let terms_citation = terms.citation.on(cx.date);
    let set_citation = set.citation.on(cx.date);
    let mut outcome = Outcome::new(
        Verdict::Conditional,
        Some("scc"),
        format!("{label} ({})", set.reference),
    )
    .resting_on(RestsOn {
        effect: Some(ToolEffectOrAdequacy::Safeguard),
        scc_version: Some(&scc.version),
        ground: None,
    })
    .citing(terms_citation);
    let fail = |outcome: &mut Outcome<'a>, code: Code, message: String, citation: &'a str| {
        outcome.verdict = Verdict::Unlawful;
        outcome
            .notes
            .push(Note::new(code, message, citation).at(mechanism.loc));
    };
    let validity = terms.validity();

    if let Some(from) = validity.from {
        if cx.date < from {
            fail(
                &mut outcome,
                Code::MechanismUnavailable,
                format!(
                    "{label} cannot be relied on for {} data before {from}",
                    cx.regime
                ),
                terms_citation,
            );
        } else if let Some(signed) = scc.signed
            && let Some(first) = set.terms.iter().filter_map(|t| t.validity().from).min()
            && signed < first
        {
            // A contract can only be concluded on clauses that exist. A later `from` for one
            // regime (UK, Swiss recognition) limits when they can be relied on, not when an
            // existing contract was signed (DPA 2018 Sch. 21 legacy clauses).
            fail(
                &mut outcome,
                Code::MechanismUnavailable,
                format!("{label} signed on {signed}, before the clauses existed ({first})"),
                terms_citation,
            );
        }
    }
    if let Some(signed) = scc.signed
        && signed > cx.date
    {
        fail(
            &mut outcome,
            Code::MechanismUnavailable,
            format!("{label} is only signed on {signed}, after {}", cx.date),
            "",
        );
    }
    if let Some(last) = validity.last_day()
        && cx.date > last
    {
        fail(
            &mut outcome,
            Code::SccSuperseded,
            format!(
                "{label} no longer provides safeguards for {} data after {last}",
                cx.regime
            ),
            terms_citation,
        );
    }
    if let Some(cutoff) = terms.new_contracts_until {
        let grandfathered = terms.grandfathered_until;
        match scc.signed {
            Some(signed) if signed > cutoff => fail(
                &mut outcome,
                Code::SccSuperseded,
                format!(
                    "{label} signed on {signed}, after the last day for new contracts on this set ({cutoff}); use the current clauses"
                ),
                terms_citation,
            ),
            None if cx.date > cutoff => fail(
                &mut outcome,
                Code::SccSuperseded,
                format!(
                    "{label} has no `signed` date: after {cutoff} it only counts if concluded by then"
                ),
                terms_citation,
            ),
            _ if cx.date > cutoff => match grandfathered {
                Some(end) if cx.date > end => fail(
                    &mut outcome,
                    Code::SccSuperseded,
                    format!(
                        "{label} was superseded: existing contracts stopped providing safeguards after {end}"
                    ),
                    terms_citation,
                ),
                None => fail(
                    &mut outcome,
                    Code::SccSuperseded,
                    format!("{label} was superseded after {cutoff}"),
                    terms_citation,
                ),
                Some(end) => {
                    if let Some(changed) = scc.changed
                        && changed > cutoff
                        && changed <= cx.date
                    {
                        fail(
                            &mut outcome,
                            Code::SccSuperseded,
                            format!(
                                "{label} only stays valid while the processing is unchanged; it changed on {changed}, after {cutoff}"
                            ),
                            terms_citation,
                        );
                    } else if cx.date == end {
                        outcome.notes.push(
                            Note::new(
                                Code::Unconfirmed,
                                format!(
                                    "{label}: {} is the last day of the grandfathering period on the inclusive reading of \"until\"{}",
                                    cx.date,
                                    terms.unconfirmed.as_deref().map(|u| format!(" ({u})")).unwrap_or_default()
                                ),
                                terms_citation,
                            )
                            .at(mechanism.loc),
                        );
                    }
                }
            },
            _ => {}
        }
    }

    // The module must match the hop's role pair: the clauses are invariable except for the
    // choice of module (2021/914 Annex Clause 2(a), recital 10).
    match cx.flow.roles {
        Some(roles) => {
            let wanted = roles.to_string();
            let fits = set.modules.iter().any(|m| {
                m.number == scc.module.filter(|_| m.number.is_some()) && is_pair(&m.roles, roles)
            });
            if !fits {
                let right: Vec<String> = set
                    .modules
                    .iter()
                    .filter(|m| is_pair(&m.roles, roles))
                    .map(|m| m.number.map_or_else(|| format!("set {}", set.version), |n| format!("Module {n}")))
                    .collect();
                let hint = if right.is_empty() {
                    format!("set {} has no clauses for {wanted}", set.version)
                } else {
                    format!("{wanted} needs {}", right.join(" or "))
                };
                fail(&mut outcome, Code::WrongSccModule, format!("{label} does not fit this hop's roles ({wanted}): {hint}"), set_citation);
            } else if let Some(module) = set.modules.iter().find(|m| m.number == scc.module) {
                outcome.onward = module.onward.as_ref().map(|rule| OnwardRule {
                    rule,
                    reading: terms.onward_reading.as_ref(),
                });
            }
        }
        None => outcome.notes.push(
            Note::new(
                Code::FactNotStated,
                format!("the roles on this hop are not stated, so {label} cannot be matched to them; add `roles:` to the flow or `role:` to both entities"),
                set_citation,
            )
            .at(mechanism.loc),
        ),
    }

    for requirement in &terms.requires {
        match requirement {
            SccRequirement::UkAddendum => match scc.uk_addendum {
                Some(day) if day <= cx.date && validity.from.is_none_or(|from| day >= from) => {}
                Some(day) if day > cx.date => fail(
                    &mut outcome,
                    Code::MissingUkAddendum,
                    format!("{label}: the UK Addendum is dated {day}, after {}", cx.date),
                    terms_citation,
                ),
                _ => fail(
                    &mut outcome,
                    Code::MissingUkAddendum,
                    format!(
                        "{label} alone is not valid for UK restricted transfers: add the UK International Data Transfer Addendum (`uk-addendum: DATE`)"
                    ),
                    terms_citation,
                ),
            },
            SccRequirement::SwissAdapted => {
                if !scc.swiss_adapted {
                    fail(
                        &mut outcome,
                        Code::MissingSwissAdaptation,
                        format!(
                            "{label} needs the Swiss adaptations for transfers under the FADP (`swiss-adapted: true`)"
                        ),
                        terms_citation,
                    );
                }
            }
        }
    }

    if outcome.verdict != Verdict::Unlawful {
        if terms.tia_from.is_none_or(|from| cx.date >= from) {
            require_tia(
                cx,
                &mut outcome,
                mechanism,
                &label,
                scc.tia,
                terms.assessment_name.as_ref(),
                terms_citation,
            );
        }
        // The terms' unconfirmed point (the inclusive reading of "until") matters only on
        // the boundary day, reported above.
        reliance_notes(
            cx,
            &mut outcome,
            "scc",
            None,
            Some(&scc.version),
            None,
            terms_citation,
        );
    }
    outcome
}
