//! Whether one claimed mechanism makes one hop lawful on the date, and why not.

use xborder_law::{AdequacyDecision, Condition, Dated, SccRequirement, Scope, Sector, ToolEffect};
use xborder_model::{EntityKind, Mechanism, MechanismKind, Scc};

use crate::judge::{HopContext, Note, Outcome};
use crate::result::Verdict;
use xborder_law::Code;

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
        MechanismKind::Adequacy => claimed_adequacy(cx, mechanism, scope_miss),
        MechanismKind::Framework(kind) => framework(cx, mechanism, kind),
        MechanismKind::Scc(scc) => standard_clauses(cx, mechanism, scc),
        MechanismKind::Idta { signed, tia } => tool(cx, mechanism, "idta", *signed, *tia),
        MechanismKind::Bcr { approved, tia, .. } => tool(cx, mechanism, "bcr", *approved, *tia),
        MechanismKind::Other { kind, signed, tia } => tool(cx, mechanism, kind, *signed, *tia),
        MechanismKind::Derogation { ground, occasional } => {
            derogation(cx, mechanism, ground, *occasional)
        }
    }
}

fn unavailable<'a>(mechanism: &'a Mechanism, message: String, citation: &'a str) -> Outcome<'a> {
    Outcome::new(
        Verdict::Unlawful,
        Some(mechanism.kind_name()),
        message.clone(),
    )
    .with(Note::new(Code::MechanismUnavailable, message, citation).at(mechanism.loc))
}

/// Adequacy was claimed, but step 3 of the judgement found none that covers the hop.
fn claimed_adequacy<'a>(
    cx: &HopContext<'a, '_>,
    mechanism: &Mechanism,
    scope_miss: Option<&'a AdequacyDecision>,
) -> Outcome<'a> {
    let outcome = Outcome::new(
        Verdict::Unlawful,
        Some("adequacy"),
        "claimed adequacy does not hold",
    );
    if let Some(decision) = scope_miss {
        let reason = scope_excludes(cx, &decision.scope).unwrap_or_default();
        return outcome.with(
            Note::new(
                Code::OutsideAdequacyScope,
                format!(
                    "{} does not cover this hop to \"{}\": {reason}",
                    decision.name, cx.importer.id
                ),
                &decision.citation,
            )
            .at(mechanism.loc),
        );
    }
    let destination = crate::propagate::country_of(cx.destination);
    let out_of_force = cx
        .adequacy
        .iter()
        .find(|d| d.framework.is_none() && d.destination.as_deref() == Some(destination));
    let (message, citation) = match out_of_force {
        Some(d) => (
            format!(
                "claims adequacy, but {} is not in force for {} on {}",
                d.name, cx.destination, cx.date
            ),
            d.citation.as_str(),
        ),
        None => (
            format!(
                "claims adequacy, but no {} adequacy decision covers {} on {}",
                cx.regime, cx.destination, cx.date
            ),
            "",
        ),
    };
    outcome.with(Note::new(Code::NoMechanism, message, citation).at(mechanism.loc))
}

/// Safe Harbor / Privacy Shield / DPF / UK extension: adequacy for certified importers only.
fn framework<'a>(cx: &HopContext<'a, '_>, mechanism: &'a Mechanism, kind: &'a str) -> Outcome<'a> {
    let destination = crate::propagate::country_of(cx.destination);
    let decisions: Vec<&'a AdequacyDecision> = cx
        .rulebook
        .adequacy
        .iter()
        .filter(|d| {
            d.regime == cx.regime && d.framework.as_ref().is_some_and(|f| f.mechanism == kind)
        })
        .collect();
    if decisions.is_empty() {
        return unavailable(
            mechanism,
            format!("`{kind}` is not a transfer basis for {} data", cx.regime),
            "",
        );
    }
    let Some(decision) = decisions
        .iter()
        .find(|d| d.destination.as_deref() == Some(destination))
    else {
        let covered: Vec<&str> = decisions
            .iter()
            .filter_map(|d| d.destination.as_deref())
            .collect();
        return unavailable(
            mechanism,
            format!(
                "`{kind}` covers only transfers to {}, not to {}",
                covered.join(", "),
                cx.destination
            ),
            &decisions[0].citation,
        );
    };
    let Some(fw) = &decision.framework else {
        return unavailable(mechanism, format!("`{kind}` has no framework"), "");
    };
    // The importer's certification is checked first: a hop to an uncertified importer never
    // rested on the framework, whatever later happened to the framework itself.
    if let Err(why) = certified(cx, &fw.id) {
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
                &decision.citation,
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
                &decision.citation,
            )
            .at(mechanism.loc),
        );
    }
    if let Some(reason) = scope_excludes(cx, &decision.scope) {
        return Outcome::new(
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
                &decision.citation,
            )
            .at(mechanism.loc),
        );
    }
    let mut outcome = Outcome::new(
        Verdict::Lawful,
        Some(kind),
        format!("{} ({})", decision.name, decision.reference),
    );
    outcome.onward = decision.onward.as_deref();
    reliance_notes(
        cx,
        &mut outcome,
        kind,
        Some(&decision.id),
        None,
        decision.unconfirmed.as_deref(),
        &decision.citation,
    );
    outcome
}

/// Whether the importer holds `framework` on the date, in scope for the data (HR data needs
/// an HR listing: DPF Decision 2023/1795 Annex I, Supplemental Principle 9).
pub fn certified(cx: &HopContext<'_, '_>, framework: &str) -> Result<(), String> {
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
    let hr = cx.base_categories().any(|c| c == "hr");
    let other = cx.base_categories().any(|c| c != "hr");
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

/// Standard contractual clauses (GDPR Art. 46(2)(c)) and their transition rules.
fn standard_clauses<'a>(
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
            &set.citation,
        );
    };
    let mut outcome = Outcome::new(
        Verdict::Conditional,
        Some("scc"),
        format!("{label} ({})", set.reference),
    );
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
                &terms.citation,
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
                &terms.citation,
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
            &terms.citation,
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
                &terms.citation,
            ),
            None if cx.date > cutoff => fail(
                &mut outcome,
                Code::SccSuperseded,
                format!(
                    "{label} has no `signed` date: after {cutoff} it only counts if concluded by then"
                ),
                &terms.citation,
            ),
            _ if cx.date > cutoff => match grandfathered {
                Some(end) if cx.date > end => fail(
                    &mut outcome,
                    Code::SccSuperseded,
                    format!(
                        "{label} was superseded: existing contracts stopped providing safeguards after {end}"
                    ),
                    &terms.citation,
                ),
                None => fail(
                    &mut outcome,
                    Code::SccSuperseded,
                    format!("{label} was superseded after {cutoff}"),
                    &terms.citation,
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
                            &terms.citation,
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
                                &terms.citation,
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
                m.number == scc.module.filter(|_| m.number.is_some()) && normalise(&m.roles) == wanted
            });
            if !fits {
                let right: Vec<String> = set
                    .modules
                    .iter()
                    .filter(|m| normalise(&m.roles) == wanted)
                    .map(|m| m.number.map_or_else(|| format!("set {}", set.version), |n| format!("Module {n}")))
                    .collect();
                let hint = if right.is_empty() {
                    format!("set {} has no clauses for {wanted}", set.version)
                } else {
                    format!("{wanted} needs {}", right.join(" or "))
                };
                fail(&mut outcome, Code::WrongSccModule, format!("{label} does not fit this hop's roles ({wanted}): {hint}"), &set.citation);
            } else if let Some(module) = set.modules.iter().find(|m| m.number == scc.module) {
                outcome.onward = module.onward.as_deref();
            }
        }
        None => outcome.notes.push(
            Note::new(
                Code::FactNotStated,
                format!("the roles on this hop are not stated, so {label} cannot be matched to them; add `roles:` to the flow or `role:` to both entities"),
                &set.citation,
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
                    &terms.citation,
                ),
                _ => fail(
                    &mut outcome,
                    Code::MissingUkAddendum,
                    format!(
                        "{label} alone is not valid for UK restricted transfers: add the UK International Data Transfer Addendum (`uk-addendum: DATE`)"
                    ),
                    &terms.citation,
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
                        &terms.citation,
                    );
                }
            }
        }
    }

    if outcome.verdict != Verdict::Unlawful {
        if terms.tia_from.is_none_or(|from| cx.date >= from) {
            require_tia(cx, &mut outcome, mechanism, &label, scc.tia);
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
            &terms.citation,
        );
    }
    outcome
}

fn normalise(roles: &str) -> String {
    roles.chars().filter(|c| !c.is_whitespace()).collect()
}

/// IDTA, BCRs and other regimes' tools.
fn tool<'a>(
    cx: &HopContext<'a, '_>,
    mechanism: &'a Mechanism,
    kind: &'a str,
    signed: Option<chrono::NaiveDate>,
    tia: Option<chrono::NaiveDate>,
) -> Outcome<'a> {
    let Some(tool) = cx
        .rulebook
        .tools
        .iter()
        .find(|t| t.kind == kind && t.regime == cx.regime)
    else {
        return unavailable(
            mechanism,
            format!("`{kind}` is not a transfer tool for {} data", cx.regime),
            "",
        );
    };
    let validity = tool.validity();
    if !validity.contains(cx.date) {
        return unavailable(
            mechanism,
            format!(
                "{} is not available on {} (in force {})",
                tool.name,
                cx.date,
                span(&validity)
            ),
            &tool.citation,
        );
    }
    if let Some(day) = signed
        && day > cx.date
    {
        return unavailable(
            mechanism,
            format!("{} dated {day}, after {}", tool.name, cx.date),
            &tool.citation,
        );
    }
    let mut outcome = Outcome::new(
        Verdict::Conditional,
        Some(kind),
        format!("{} ({})", tool.name, tool.citation),
    );
    if tool.needs_tia && tool.tia_from.is_none_or(|from| cx.date >= from) {
        require_tia(cx, &mut outcome, mechanism, &tool.name, tia);
    }
    reliance_notes(
        cx,
        &mut outcome,
        kind,
        None,
        None,
        tool.unconfirmed.as_deref(),
        &tool.citation,
    );
    if tool.effect == ToolEffect::Derogation {
        outcome.notes.push(Note::new(
            Code::OccasionalDerogation,
            format!("{} applies only under its conditions", tool.name),
            &tool.citation,
        ));
    }
    outcome
}

fn span(v: &xborder_law::Validity) -> String {
    format!(
        "{}…{}",
        v.from.map(|d| d.to_string()).unwrap_or_default(),
        v.last_day().map(|d| d.to_string()).unwrap_or_default()
    )
}

/// Art. 49 derogations: exceptions, to be read restrictively; systematic use is unlawful
/// (EDPB Guidelines 2/2018; recital 111).
fn derogation<'a>(
    cx: &HopContext<'a, '_>,
    mechanism: &'a Mechanism,
    ground: &str,
    occasional: bool,
) -> Outcome<'a> {
    let Some(tool) = cx
        .rulebook
        .tools
        .iter()
        .find(|t| t.kind == "derogation" && t.regime == cx.regime)
    else {
        return unavailable(
            mechanism,
            format!("derogations are not defined for {} data", cx.regime),
            "",
        );
    };
    let Some(rule) = tool.grounds.iter().find(|g| g.ground == ground) else {
        return unavailable(
            mechanism,
            format!("{} knows no derogation ground \"{ground}\"", cx.regime),
            &tool.citation,
        );
    };
    if !occasional {
        return Outcome::new(Verdict::Unlawful, Some("derogation"), format!("systematic use of {ground}")).with(
            Note::new(
                Code::SystematicDerogation,
                format!(
                    "the hop to \"{}\" relies on the {ground} derogation as a regular, systematic transfer: derogations cover only occasional transfers; use SCCs, BCRs or adequacy",
                    cx.importer.id
                ),
                format!("{}; {}", rule.citation, tool.citation),
            )
            .at(mechanism.loc),
        );
    }
    let mut outcome = Outcome::new(
        Verdict::Conditional,
        Some("derogation"),
        format!("occasional derogation: {ground} ({})", rule.citation),
    );
    outcome.notes.push(
        Note::new(
            Code::OccasionalDerogation,
            format!(
                "lawful only under the {ground} derogation's conditions: {}",
                rule.conditions
            ),
            &rule.citation,
        )
        .at(mechanism.loc),
    );
    reliance_notes(
        cx,
        &mut outcome,
        "derogation",
        None,
        None,
        tool.unconfirmed.as_deref(),
        &tool.citation,
    );
    outcome
}

/// Art. 46 tools need a documented transfer impact assessment (C-311/18 paras 134–135;
/// EDPB Recommendations 01/2020 step 3; 2021 SCC Clause 14(b)–(d)).
fn require_tia(
    cx: &HopContext<'_, '_>,
    outcome: &mut Outcome<'_>,
    mechanism: &Mechanism,
    label: &str,
    tia: Option<chrono::NaiveDate>,
) {
    match tia {
        Some(day) if day <= cx.date => {}
        Some(day) => outcome.notes.push(
            Note::new(Code::MissingTia, format!("{label}: the transfer impact assessment is dated {day}, after {}", cx.date), "").at(mechanism.loc),
        ),
        None => outcome.notes.push(
            Note::new(
                Code::MissingTia,
                format!("{label} for the hop to \"{}\" in {} has no documented transfer impact assessment (`tia: DATE`)", cx.importer.id, cx.destination),
                "",
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
        outcome.notes.push(Note::new(
            Code::Unconfirmed,
            format!("the verdict rests on an unconfirmed rulebook point: {why}"),
            citation,
        ));
    }
    let destination = crate::propagate::country_of(cx.destination);
    for advisory in cx
        .rulebook
        .advisories
        .iter()
        .filter(|a| a.regime == cx.regime && a.validity().contains(cx.date))
    {
        let w = &advisory.when;
        let matches = w.mechanism.as_deref().is_none_or(|m| m == mechanism)
            && w.scc_version
                .as_deref()
                .is_none_or(|v| Some(v) == scc_version)
            && w.decision.as_deref().is_none_or(|d| Some(d) == decision)
            && w.destination.as_deref().is_none_or(|d| d == destination)
            && w.importer.as_ref().is_none_or(|c| condition_holds(cx, c));
        if matches {
            let code = Code::parse(&advisory.code).unwrap_or(Code::Advisory);
            let mut note = Note::new(code, &advisory.message, &advisory.citation);
            note.severity = advisory.severity;
            outcome.notes.push(note);
        }
    }
}

/// Why a scope does not cover this hop, or `None` when it does.
pub fn scope_excludes(cx: &HopContext<'_, '_>, scope: &Scope) -> Option<String> {
    if !scope.covers_any.is_empty() && !scope.covers_any.iter().any(|c| condition_holds(cx, c)) {
        return Some(format!("the decision covers only: {}", scope.summary));
    }
    scope
        .excludes
        .iter()
        .find(|x| x.validity().contains(cx.date) && condition_holds(cx, &x.when))
        .map(|x| format!("excluded: {} ({})", describe(&x.when), x.citation))
}

pub fn condition_holds(cx: &HopContext<'_, '_>, c: &Condition) -> bool {
    let importer = cx.importer;
    let sector = match importer.sector {
        xborder_model::Sector::Private => Sector::Private,
        xborder_model::Sector::Public => Sector::Public,
        xborder_model::Sector::Nonprofit => Sector::Nonprofit,
        xborder_model::Sector::Academic => Sector::Academic,
    };
    c.sector.as_ref().is_none_or(|s| s.contains(&sector))
        && c.subject_to
            .as_ref()
            .is_none_or(|f| importer.subject_to.contains(f))
        && c.purpose
            .as_ref()
            .is_none_or(|p| cx.flow.purpose.as_ref() == Some(p))
        && c.categories
            .as_ref()
            .is_none_or(|list| cx.base_categories().any(|b| list.iter().any(|x| x == b)))
        && importer.kind != EntityKind::Subjects
}

fn describe(c: &Condition) -> String {
    let mut parts = Vec::new();
    if let Some(s) = &c.subject_to {
        parts.push(format!("importers subject to {s}"));
    }
    if let Some(p) = &c.purpose {
        parts.push(format!("purpose {p}"));
    }
    if let Some(list) = &c.categories {
        parts.push(format!("data: {}", list.join(", ")));
    }
    if let Some(s) = &c.sector {
        parts.push(format!(
            "sector: {}",
            s.iter()
                .map(|s| format!("{s:?}").to_lowercase())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    parts.join("; ")
}

/// Advisories about the destination or the importer alone (not about a mechanism) apply to
/// every transfer hop, whatever decided it — e.g. the doubt on the EEA EFTA states' status
/// before 20 Jul 2018 also qualifies an "unlawful" verdict.
pub fn destination_advisories<'a>(cx: &HopContext<'a, '_>, outcome: &mut Outcome<'a>) {
    let destination = crate::propagate::country_of(cx.destination);
    for advisory in cx
        .rulebook
        .advisories
        .iter()
        .filter(|a| a.regime == cx.regime && a.validity().contains(cx.date))
    {
        let w = &advisory.when;
        if w.mechanism.is_some() || w.scc_version.is_some() || w.decision.is_some() {
            continue;
        }
        let matches = w.destination.as_deref().is_none_or(|d| d == destination)
            && w.importer.as_ref().is_none_or(|c| condition_holds(cx, c));
        if matches && !outcome.notes.iter().any(|n| n.message == advisory.message) {
            let code = Code::parse(&advisory.code).unwrap_or(Code::Advisory);
            let mut note = Note::new(code, &advisory.message, &advisory.citation);
            note.severity = advisory.severity;
            outcome.notes.push(note);
        }
    }
}
