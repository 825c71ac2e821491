//! Onward transfers: data an importer received under an instrument with an onward-transfer
//! rule may go on to a third party only on one of the rule's grounds (GDPR Art. 44, "including
//! for onward transfers"; 2021/914 Clause 8.7 / 8.8; the frameworks' Accountability for Onward
//! Transfer principle; the IDTA's onward section; adequacy decisions' supplementary rules).
//!
//! The onward hop is judged as a transfer of its own first; then what its verdict rests on is
//! tested against the grounds of the rule that travels with the data. Resting on none of them
//! makes it unlawful (XB023), unless the rule's wording is unconfirmed (then a warning, XB014);
//! a ground or requirement that depends on a fact the map does not state is a warning (XB021).

use std::borrow::Cow;
use std::collections::BTreeSet;

use xborder_law::{Code, Fact, OnwardBasis, Truth};
use xborder_model::{Map, RolePair};

use crate::hop::{Note, OnwardRule, RestsOn, is_pair, law_roles};
use crate::result::{Hop, Verdict};

/// What an onward hop rests on, as the upstream rule's grounds test it.
#[derive(Debug, Clone, Copy)]
pub struct OnwardFacts<'a> {
    pub rests_on: RestsOn<'a>,
    /// The deciding mechanism kind.
    pub mechanism: Option<&'a str>,
    /// The flow names an agreement or claims a contractual mechanism.
    pub agreement: bool,
    pub roles: Option<RolePair>,
    pub sensitive: bool,
    pub opt_in: Option<bool>,
}

/// Whether the onward hop meets one ground's or requirement's `when`.
fn test(basis: &OnwardBasis, f: &OnwardFacts<'_>) -> Truth {
    let mut truth = Truth::Yes;
    if let Some(effects) = &basis.effect {
        truth = truth.and(Truth::of(
            f.rests_on.effect.is_some_and(|e| effects.contains(&e)),
        ));
    }
    if let Some(kinds) = &basis.mechanism {
        truth = truth.and(Truth::of(
            f.mechanism.is_some_and(|m| kinds.iter().any(|k| k == m)),
        ));
    }
    if let Some(version) = &basis.scc_version {
        truth = truth.and(Truth::of(f.rests_on.scc_version == Some(version.as_str())));
    }
    if let Some(grounds) = &basis.ground {
        truth = truth.and(Truth::of(
            f.rests_on
                .ground
                .is_some_and(|g| grounds.iter().any(|x| x == g)),
        ));
    }
    if let Some(wanted) = basis.agreement {
        // The map records contracts it knows of; it never records that there is none.
        truth = truth.and(match (f.agreement, wanted) {
            (true, w) => Truth::of(w),
            (false, _) => Truth::unknown(Fact::Agreement),
        });
    }
    if let Some(roles) = &basis.roles {
        truth = truth.and(match f.roles {
            Some(pair) => Truth::of(is_pair(roles, pair)),
            None => Truth::unknown(Fact::Roles),
        });
    }
    if let Some(wanted) = basis.importer_role {
        truth = truth.and(match f.roles {
            Some(pair) => Truth::of(law_roles(pair).importer == wanted),
            None => Truth::unknown(Fact::Roles),
        });
    }
    if let Some(wanted) = basis.sensitive {
        truth = truth.and(Truth::of(f.sensitive == wanted));
    }
    if let Some(wanted) = basis.opt_in {
        truth = truth.and(match f.opt_in {
            Some(o) => Truth::of(o == wanted),
            None => Truth::unknown(Fact::OptIn),
        });
    }
    truth
}

/// What the onward hop rests on, in words.
fn rests_on_words(f: &OnwardFacts<'_>) -> String {
    match (f.rests_on.ground, f.mechanism) {
        (Some(ground), _) => format!("the {ground} derogation"),
        (None, Some(m)) => format!("`{m}`"),
        (None, None) => "nothing".to_string(),
    }
}

/// The rule's citation, with how it reads under the regime.
fn cited<'a>(rule: &OnwardRule<'a>, text: &'a str, date: chrono::NaiveDate) -> Cow<'a, str> {
    match rule.reading {
        Some(reading) => Cow::Owned(format!("{text}; {}", reading.on(date))),
        None => Cow::Borrowed(text),
    }
}

/// Judges one onward hop against the rule its exporter received the data under: pushes its
/// notes and makes it unlawful when the rule does not permit it.
pub fn judge_onward<'a>(
    map: &Map,
    at: chrono::NaiveDate,
    hop: &mut Hop,
    notes: &mut Vec<Note<'a>>,
    upstream: usize,
    rule: OnwardRule<'a>,
    facts: &OnwardFacts<'a>,
) {
    let via = map
        .flows
        .get(upstream)
        .map(|f| format!("{} → {}", map.entities[f.from].id, map.entities[f.to].id))
        .unwrap_or_default();
    let r = rule.rule;
    let whole = || {
        r.grounds
            .iter()
            .map(|g| g.name.trim().to_string())
            .collect::<Vec<_>>()
            .join("; ")
    };
    let head = format!(
        "onward transfer by \"{}\" of data received over {via}, bound by {}",
        hop.from, r.name
    );
    if hop.verdict == Verdict::Unlawful {
        notes.push(Note::new(
            Code::OnwardTransfer,
            format!(
                "{head}: besides its own basis it may rest only on: {}",
                whole()
            ),
            cited(&rule, r.citation.on(at), at),
        ));
        return;
    }

    // Grounds: one that holds permits the hop.
    let mut unknown: BTreeSet<Fact> = BTreeSet::new();
    let mut unknown_grounds = Vec::new();
    let mut permitted = None;
    for g in &r.grounds {
        match test(&g.when, facts) {
            Truth::Yes => {
                permitted = Some(g);
                break;
            }
            Truth::No => {}
            Truth::Unknown(f) => {
                unknown.extend(f);
                unknown_grounds.push(g.name.trim());
            }
        }
    }
    match permitted {
        Some(g) => notes.push(Note::new(
            Code::OnwardTransfer,
            format!("{head}: permitted — {}", g.name.trim()),
            cited(&rule, g.citation.on(at), at),
        )),
        None if !unknown.is_empty() => notes.push(Note::new(
            Code::FactNotStated,
            format!(
                "{head}: it rests on {}, which the rule permits only if {}; the map does not state {}: add {} to the flow",
                rests_on_words(facts),
                unknown_grounds.join(", or "),
                fields(&unknown),
                fields(&unknown)
            ),
            cited(&rule, r.citation.on(at), at),
        )),
        None if r.grounds.is_empty() => {}
        None => not_permitted(
            hop,
            notes,
            &rule,
            at,
            format!(
                "{head}: it rests on {}, which the rule does not permit; to be lawful it must rest on one of: {}",
                rests_on_words(facts),
                whole()
            ),
        ),
    }

    // Requirements that apply to the hop.
    for req in &r.requires {
        let applies = test(&req.applies, facts);
        if applies != Truth::Yes {
            continue;
        }
        match test(&req.requires, facts) {
            Truth::Yes => {}
            Truth::No => not_permitted(
                hop,
                notes,
                &rule,
                at,
                format!(
                    "{head}: it needs {}, which the flow does not have",
                    req.name.trim()
                ),
            ),
            Truth::Unknown(f) => notes.push(Note::new(
                Code::FactNotStated,
                format!(
                    "{head}: it needs {}; the map does not state {}: add {} to the flow",
                    req.name.trim(),
                    fields(&f),
                    fields(&f)
                ),
                cited(&rule, req.citation.on(at), at),
            )),
        }
    }
}

/// The hop is not permitted by the rule: unlawful, or a warning when the rule's wording is
/// unconfirmed (the tool flags what it cannot confirm instead of failing on it).
fn not_permitted<'a>(
    hop: &mut Hop,
    notes: &mut Vec<Note<'a>>,
    rule: &OnwardRule<'a>,
    at: chrono::NaiveDate,
    message: String,
) {
    let citation = cited(rule, rule.rule.citation.on(at), at);
    match &rule.rule.unconfirmed {
        Some(why) => notes.push(Note::new(
            Code::Unconfirmed,
            format!("{message} (the rule is unconfirmed: {})", why.trim()),
            citation,
        )),
        None => {
            hop.verdict = Verdict::Unlawful;
            notes.push(Note::new(Code::OnwardNotPermitted, message, citation));
        }
    }
}

fn fields(facts: &BTreeSet<Fact>) -> String {
    facts
        .iter()
        .map(|f| format!("`{}:`", f.field()))
        .collect::<Vec<_>>()
        .join(" and ")
}
