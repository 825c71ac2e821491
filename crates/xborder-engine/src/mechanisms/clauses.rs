//! Standard contractual clauses (GDPR Art. 46(2)(c); Directive 95/46/EC Art. 26(4)): the set's
//! terms under the hop's regime (in force, new-contract cut-off, grandfathering while the
//! processing is unchanged), the module against the hop's role pair, the additions a regime
//! demands (UK Addendum, Swiss adaptations) and the documented assessment.

use xborder_law::{Code, Dated, SccRequirement, SccSet, SccTerms, ToolEffectOrAdequacy};
use xborder_model::{Mechanism, RolePair, Scc};

use super::{reliance_notes, require_tia, unavailable};
use crate::hop::{HopContext, Note, OnwardRule, Outcome, RestsOn, is_pair};
use crate::result::Verdict;

/// Judges an SCC contract on one hop: the set must be a transfer tool of the hop's regime,
/// and then each check below adds its findings to a `conditional` verdict (any failure makes
/// it `unlawful`).
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
    let claim = Claim {
        cx,
        mechanism,
        scc,
        set,
        terms,
        terms_citation: terms.citation.on(cx.date),
        set_citation: set.citation.on(cx.date),
        label,
    };
    let mut outcome = Outcome::new(
        Verdict::Conditional,
        Some("scc"),
        format!("{} ({})", claim.label, set.reference),
    )
    .resting_on(RestsOn {
        effect: Some(ToolEffectOrAdequacy::Safeguard),
        scc_version: Some(&scc.version),
        ground: None,
    })
    .citing(claim.terms_citation);

    claim.check_dates(&mut outcome);
    claim.check_transition(&mut outcome);
    claim.check_module(&mut outcome);
    claim.check_additions(&mut outcome);
    if outcome.verdict != Verdict::Unlawful {
        claim.assessment_and_reliance(&mut outcome);
    }
    outcome
}

/// One SCC contract claimed on one hop, with the set and the regime's terms for it: what
/// every check reads.
struct Claim<'a, 'c, 'h> {
    cx: &'c HopContext<'a, 'h>,
    mechanism: &'a Mechanism,
    scc: &'a Scc,
    set: &'a SccSet,
    terms: &'a SccTerms,
    /// `SCC 2021/914 Module 2`, as the messages name the contract.
    label: String,
    terms_citation: &'a str,
    set_citation: &'a str,
}

impl<'a> Claim<'a, '_, '_> {
    /// Records a finding that makes the hop unlawful, at the mechanism.
    fn fail(&self, outcome: &mut Outcome<'a>, code: Code, message: String, citation: &'a str) {
        outcome.verdict = Verdict::Unlawful;
        outcome
            .notes
            .push(Note::new(code, message, citation).at(self.mechanism.loc));
    }

    /// Whether the set's terms cover the hop's date and the contract's `signed` date: the
    /// regime must accept the set on the date (XB015 before), the contract must have been
    /// concluded on clauses that existed and not after the date (XB015), and the set must
    /// still provide safeguards (XB005 after its last day).
    fn check_dates(&self, outcome: &mut Outcome<'a>) {
        let (cx, label, scc) = (self.cx, &self.label, self.scc);
        let validity = self.terms.validity();
        if let Some(from) = validity.from {
            if cx.date < from {
                self.fail(
                    outcome,
                    Code::MechanismUnavailable,
                    format!(
                        "{label} cannot be relied on for {} data before {from}",
                        cx.regime
                    ),
                    self.terms_citation,
                );
            } else if let Some(signed) = scc.signed
                && let Some(first) = self
                    .set
                    .terms
                    .iter()
                    .filter_map(|t| t.validity().from)
                    .min()
                && signed < first
            {
                // A contract can only be concluded on clauses that exist. A later `from` for one
                // regime (UK, Swiss recognition) limits when they can be relied on, not when an
                // existing contract was signed (DPA 2018 Sch. 21 legacy clauses).
                self.fail(
                    outcome,
                    Code::MechanismUnavailable,
                    format!("{label} signed on {signed}, before the clauses existed ({first})"),
                    self.terms_citation,
                );
            }
        }
        if let Some(signed) = scc.signed
            && signed > cx.date
        {
            self.fail(
                outcome,
                Code::MechanismUnavailable,
                format!("{label} is only signed on {signed}, after {}", cx.date),
                "",
            );
        }
        if let Some(last) = validity.last_day()
            && cx.date > last
        {
            self.fail(
                outcome,
                Code::SccSuperseded,
                format!(
                    "{label} no longer provides safeguards for {} data after {last}",
                    cx.regime
                ),
                self.terms_citation,
            );
        }
    }

    /// The transition from a superseded set (2021/914 Art. 4(2)-(4); the UK and Swiss
    /// transitions): after the last day for new contracts only a contract concluded by then
    /// counts, and only during the grandfathering period while the processing operations
    /// remain unchanged (XB005).
    fn check_transition(&self, outcome: &mut Outcome<'a>) {
        let Some(cutoff) = self.terms.new_contracts_until else {
            return;
        };
        let (cx, label) = (self.cx, &self.label);
        match self.scc.signed {
            Some(signed) if signed > cutoff => self.fail(
                outcome,
                Code::SccSuperseded,
                format!(
                    "{label} signed on {signed}, after the last day for new contracts on this set ({cutoff}); use the current clauses"
                ),
                self.terms_citation,
            ),
            None if cx.date > cutoff => self.fail(
                outcome,
                Code::SccSuperseded,
                format!(
                    "{label} has no `signed` date: after {cutoff} it only counts if concluded by then"
                ),
                self.terms_citation,
            ),
            _ if cx.date > cutoff => self.check_grandfathering(outcome, cutoff),
            _ => {}
        }
    }

    /// A contract concluded by the cut-off, judged after it: valid until the end of the
    /// grandfathering period (its last day on the inclusive reading of "until", reported as
    /// unconfirmed), provided the processing did not change after the cut-off (2021/914
    /// Art. 4(4): "provided the processing operations ... remain unchanged").
    fn check_grandfathering(&self, outcome: &mut Outcome<'a>, cutoff: xborder_law::Date) {
        let (cx, label, terms) = (self.cx, &self.label, self.terms);
        match terms.grandfathered_until {
            Some(end) if cx.date > end => self.fail(
                outcome,
                Code::SccSuperseded,
                format!(
                    "{label} was superseded: existing contracts stopped providing safeguards after {end}"
                ),
                self.terms_citation,
            ),
            None => self.fail(
                outcome,
                Code::SccSuperseded,
                format!("{label} was superseded after {cutoff}"),
                self.terms_citation,
            ),
            Some(end) => {
                if let Some(changed) = self.scc.changed
                    && changed > cutoff
                    && changed <= cx.date
                {
                    self.fail(
                        outcome,
                        Code::SccSuperseded,
                        format!(
                            "{label} only stays valid while the processing is unchanged; it changed on {changed}, after {cutoff}"
                        ),
                        self.terms_citation,
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
                            self.terms_citation,
                        )
                        .at(self.mechanism.loc),
                    );
                }
            }
        }
    }

    /// The module must match the hop's role pair: the clauses are invariable except for the
    /// choice of module (2021/914 Annex Clause 2(a), recital 10). A matching module carries its
    /// onward-transfer rule (Clause 8.7 / 8.8); unstated roles are asked for (XB004 otherwise).
    fn check_module(&self, outcome: &mut Outcome<'a>) {
        let (set, scc) = (self.set, self.scc);
        let Some(roles) = self.cx.flow.roles else {
            outcome.notes.push(
                Note::new(
                    Code::FactNotStated,
                    format!("the roles on this hop are not stated, so {} cannot be matched to them; add `roles:` to the flow or `role:` to both entities", self.label),
                    self.set_citation,
                )
                .at(self.mechanism.loc),
            );
            return;
        };
        let fits = set.modules.iter().any(|m| {
            m.number == scc.module.filter(|_| m.number.is_some()) && is_pair(&m.roles, roles)
        });
        if !fits {
            let wanted = roles.to_string();
            let hint = self.module_hint(roles);
            self.fail(
                outcome,
                Code::WrongSccModule,
                format!(
                    "{} does not fit this hop's roles ({wanted}): {hint}",
                    self.label
                ),
                self.set_citation,
            );
        } else if let Some(module) = set.modules.iter().find(|m| m.number == scc.module) {
            outcome.onward = module.onward.as_ref().map(|rule| OnwardRule {
                rule,
                reading: self.terms.onward_reading.as_ref(),
            });
        }
    }

    /// What would fit `roles` instead: the set's modules made for the pair, or that the set
    /// has none.
    fn module_hint(&self, roles: RolePair) -> String {
        let set = self.set;
        let wanted = roles.to_string();
        let right: Vec<String> = set
            .modules
            .iter()
            .filter(|m| is_pair(&m.roles, roles))
            .map(|m| {
                m.number
                    .map_or_else(|| format!("set {}", set.version), |n| format!("Module {n}"))
            })
            .collect();
        if right.is_empty() {
            format!("set {} has no clauses for {wanted}", set.version)
        } else {
            format!("{wanted} needs {}", right.join(" or "))
        }
    }

    /// The additions the regime demands to accept the set: the UK International Data Transfer
    /// Addendum, dated within the set's validity and not after the date (XB009), and the Swiss
    /// adaptations for transfers under the FADP (XB010).
    fn check_additions(&self, outcome: &mut Outcome<'a>) {
        let (cx, label, scc) = (self.cx, &self.label, self.scc);
        let validity = self.terms.validity();
        for requirement in &self.terms.requires {
            match requirement {
                SccRequirement::UkAddendum => match scc.uk_addendum {
                    Some(day)
                        if day <= cx.date && validity.from.is_none_or(|from| day >= from) => {}
                    Some(day) if day > cx.date => self.fail(
                        outcome,
                        Code::MissingUkAddendum,
                        format!("{label}: the UK Addendum is dated {day}, after {}", cx.date),
                        self.terms_citation,
                    ),
                    _ => self.fail(
                        outcome,
                        Code::MissingUkAddendum,
                        format!(
                            "{label} alone is not valid for UK restricted transfers: add the UK International Data Transfer Addendum (`uk-addendum: DATE`)"
                        ),
                        self.terms_citation,
                    ),
                },
                SccRequirement::SwissAdapted => {
                    if !scc.swiss_adapted {
                        self.fail(
                            outcome,
                            Code::MissingSwissAdaptation,
                            format!(
                                "{label} needs the Swiss adaptations for transfers under the FADP (`swiss-adapted: true`)"
                            ),
                            self.terms_citation,
                        );
                    }
                }
            }
        }
    }

    /// For a contract that holds: the documented transfer impact assessment the clauses
    /// expect (2021/914 Clause 14; XB006) from the day the regime expects it, and the warnings
    /// attached to reliance on the set (advisories).
    fn assessment_and_reliance(&self, outcome: &mut Outcome<'a>) {
        let (cx, terms) = (self.cx, self.terms);
        if terms.tia_from.is_none_or(|from| cx.date >= from) {
            require_tia(
                cx,
                outcome,
                self.mechanism,
                &self.label,
                self.scc.tia,
                terms.assessment_name.as_ref(),
                self.terms_citation,
            );
        }
        // The terms' unconfirmed point (the inclusive reading of "until") matters only on
        // the boundary day, reported above.
        reliance_notes(
            cx,
            outcome,
            "scc",
            None,
            Some(&self.scc.version),
            None,
            self.terms_citation,
        );
    }
}
