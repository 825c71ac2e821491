//! What a hop needs to be lawful, read from the rulebook: nothing (not a transfer, adequacy),
//! the importer's framework certification, or a transfer tool available for new contracts on
//! the date — the SCC module for the hop's role pair with the additions the regime demands
//! (UK Addendum, Swiss adaptations) and a transfer impact assessment where the rulebook
//! expects one, or another Art. 46-type tool of the regime (IDTA).

use chrono::NaiveDate;
use serde::Serialize;
use xborder_engine::{Hop, Verdict};
use xborder_law::{Dated, Rulebook, SccRequirement, SccStanding, ToolEffect};
use xborder_model::Map;

/// What one hop needs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Need {
    /// Nothing has to be put in place: not a transfer, or an adequacy decision covers it.
    pub not_needed: bool,
    /// Each way to make the hop lawful, in words, the one the hop rests on first:
    /// `EU SCC 2021/914 Module 3 + TIA`.
    pub options: Vec<String>,
    /// The first option in one line, e.g. `EU SCC 2021/914 Module 3 + TIA for the
    /// sub-processor in IN (eu-gdpr data from eea-learners)` or `not needed: adequacy — …`.
    pub text: String,
    /// The first option that is a tool the parties sign (not a certification the importer
    /// holds): the fallback to sign if a framework fell.
    pub fallback: Option<String>,
    /// Where the law provides the first option (the SCC terms, the tool, the framework).
    pub citation: String,
}

/// The country part of a destination (`US-CA` → `US`).
fn country(code: &str) -> &str {
    code.split('-').next().unwrap_or(code)
}

/// What `hop` of `map` needs on `date`. `importer` names the importer for the sentence
/// ("the vendor", "the sub-processor").
pub fn need(map: &Map, rulebook: &Rulebook, hop: &Hop, date: NaiveDate, importer: &str) -> Need {
    match (hop.verdict, hop.mechanism.as_deref()) {
        (Verdict::NotATransfer, _) => {
            return Need {
                not_needed: true,
                options: Vec::new(),
                text: format!("not needed: not a transfer — {}", hop.basis),
                fallback: None,
                citation: String::new(),
            };
        }
        (Verdict::Lawful, Some("adequacy")) => {
            return Need {
                not_needed: true,
                options: Vec::new(),
                text: format!("not needed: adequacy — {}", hop.basis),
                fallback: None,
                citation: String::new(),
            };
        }
        _ => {}
    }
    let destination = country(&hop.destination);
    let roles = map.flows.get(hop.flow).and_then(|f| f.roles);

    let mut frameworks = Vec::new();
    for decision in rulebook.adequacy.iter().filter(|d| {
        d.regime == hop.regime
            && d.destination.as_deref() == Some(destination)
            && d.validity().contains(date)
    }) {
        let Some(framework) = &decision.framework else {
            continue;
        };
        let held = hop.verdict == Verdict::Lawful
            && hop.mechanism.as_deref() == Some(framework.mechanism.as_str());
        frameworks.push((
            held,
            decision.citation.on(date).to_string(),
            format!(
                "the importer's {} certification ({}){}",
                framework.id,
                decision.name,
                if held { ", held" } else { "" }
            ),
        ));
    }

    // (text, citation); `resting`: the index of the kind the hop rests on.
    let mut tools: Vec<(String, String)> = Vec::new();
    let mut resting = None;
    for set in &rulebook.scc_sets {
        let Some(terms) = set.terms.iter().find(|t| t.regime == hop.regime) else {
            continue;
        };
        // Only a set on which a new contract could be signed on the date.
        if terms.standing(date, Some(date), None) != SccStanding::Available {
            continue;
        }
        let module = match roles {
            Some(pair) => match set
                .modules
                .iter()
                .find(|m| m.roles.replace(' ', "") == pair.to_string())
            {
                Some(m) => m.number.map(|n| format!(" Module {n}")).unwrap_or_default(),
                None => continue,
            },
            None => " (the module for the hop's roles)".to_string(),
        };
        let mut text = format!("EU SCC {}{module}", set.version);
        for requirement in &terms.requires {
            text.push_str(match requirement {
                SccRequirement::UkAddendum => " + UK Addendum",
                SccRequirement::SwissAdapted => " with the Swiss adaptations",
            });
        }
        if terms.tia_from.is_none_or(|from| date >= from) {
            text.push_str(" + TIA");
        }
        tools.push((text, terms.citation.on(date).to_string()));
    }
    // Other appropriate safeguards of the regime (e.g. the UK IDTA); not those that work
    // within a corporate group only (`within-group`: BCRs), never for an outside vendor.
    for tool in rulebook.tools.iter().filter(|t| {
        t.regime == hop.regime
            && t.effect == ToolEffect::Safeguard
            && !t.within_group
            && t.validity().contains(date)
    }) {
        let tia = Rulebook::tool_expects_tia(tool, date);
        if hop.mechanism.as_deref() == Some(tool.kind.as_str()) {
            resting = Some(tools.len());
        }
        tools.push((
            format!("{}{}", tool.name, if tia { " + TIA" } else { "" }),
            tool.citation.on(date).to_string(),
        ));
    }
    // The tool the hop already rests on first: it is what the regime's rules accepted (a
    // threshold may rule out the others).
    if let Some(i) = resting {
        let first = tools.remove(i);
        tools.insert(0, first);
    }

    // The basis the hop rests on comes first: a held certification, else the tools.
    let fallback = tools.first().map(|(t, _)| t.clone());
    let mut options: Vec<(String, String)> = frameworks
        .iter()
        .filter(|(held, _, _)| *held)
        .map(|(_, c, t)| (t.clone(), c.clone()))
        .collect();
    options.extend(tools);
    options.extend(
        frameworks
            .iter()
            .filter(|(held, _, _)| !*held)
            .map(|(_, c, t)| (t.clone(), c.clone())),
    );
    let citation = options.first().map(|(_, c)| c.clone()).unwrap_or_default();
    let options: Vec<String> = options.into_iter().map(|(t, _)| t).collect();
    let source = hop.path.first().map(|s| s.as_str()).unwrap_or("?");
    let what = match options.first() {
        Some(first) => first.clone(),
        None => format!(
            "no transfer tool of {} is available on {date} — do not transfer",
            hop.regime
        ),
    };
    Need {
        not_needed: false,
        text: format!(
            "{what} for {importer} in {} ({} data from {source})",
            hop.destination, hop.regime
        ),
        options,
        fallback,
        citation,
    }
}
