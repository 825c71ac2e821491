//! `xborder rules --as-of DATE [--regime R]`

use std::fmt::Write as _;

use xborder_law::{InForce, SccStatus};

use crate::cli::{Format, Global, RulesArgs};
use crate::exit;
use crate::input::{self, Failure};

pub fn run(global: &Global, args: &RulesArgs) -> Result<u8, Failure> {
    // A `--rules` folder that cannot be loaded: with `json`, its problems are the document.
    let unusable = crate::output::unusable::json_when(args.format == Format::Json);
    let rulebook = input::rulebook(global).map_err(unusable)?;
    if let Some(regime) = &args.regime
        && rulebook.regime(regime).is_none()
    {
        let known: Vec<&str> = rulebook.regimes.iter().map(|r| r.id.as_str()).collect();
        return Err(Failure::new(format!(
            "error: unknown regime \"{regime}\"\n  hint: known regimes: {}",
            known.join(", ")
        )));
    }
    let date = args.as_of.unwrap_or_else(super::today);
    let in_force = rulebook.in_force(date, args.regime.as_deref());
    match args.format {
        Format::Json => {
            let doc = serde_json::json!({
                "format": 1,
                "rulebook": crate::output::RulebookRef::of(&rulebook),
                "in_force": in_force,
            });
            crate::stdout::json(&doc)?;
        }
        Format::Human => out!("{}", human(&in_force, &rulebook.manifest.version)),
    }
    Ok(exit::OK)
}

/// A date, or `—` when there is none.
fn date(d: Option<chrono::NaiveDate>) -> String {
    d.map_or_else(|| "—".to_string(), |d| d.to_string())
}

/// The entries in force, grouped by kind, each with its scope and citation: one section per
/// kind, each left out when empty.
pub fn human(f: &InForce, version: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Rulebook {version}: in force on {}", f.date);
    regimes(&mut out, f);
    adequacy(&mut out, f);
    bridges(&mut out, f);
    scc(&mut out, f);
    tools(&mut out, f);
    onward(&mut out, f);
    not_transfers(&mut out, f);
    transfer_rules(&mut out, f);
    advisories(&mut out, f);
    out
}

/// The regimes with their periods and territories.
fn regimes(out: &mut String, f: &InForce) {
    if !f.regimes.is_empty() {
        let _ = writeln!(out, "\nRegimes");
        for r in &f.regimes {
            let period = match (&r.period, r.next_period_from) {
                (Some(p), _) => p.clone(),
                (None, Some(from)) => {
                    format!("no transfer rule in force: transfers not restricted until {from}")
                }
                (None, None) => "not in force".to_string(),
            };
            let _ = writeln!(
                out,
                "  {} — {} ({period})\n    territory: {}",
                r.id,
                r.name,
                r.territory.join(" ")
            );
            if r.period.is_some() && r.transfers == xborder_law::TransferModel::NegativeList {
                let _ = writeln!(
                    out,
                    "    transfers: allowed unless the destination is restricted (negative list)"
                );
            }
        }
    }
}

/// Adequacy decisions, then framework-based adequacy: destination, period, scope, coverage
/// and citation.
fn adequacy(out: &mut String, f: &InForce) {
    for (title, list) in [
        ("Adequacy decisions", &f.adequacy),
        (
            "Framework-based adequacy (certified importers only)",
            &f.frameworks,
        ),
    ] {
        if list.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n{title}");
        for a in list {
            let _ = writeln!(
                out,
                "  [{}] {} → {}: {} — {}\n    in force {} … {}\n    scope: {}",
                a.regime,
                a.id,
                a.destination.as_deref().unwrap_or("(organisation)"),
                a.name,
                a.reference,
                date(a.from),
                date(a.until),
                a.scope
            );
            for c in &a.covers_any {
                let _ = writeln!(out, "    covers: {c}");
            }
            for x in &a.excludes {
                let _ = writeln!(out, "    excludes: {x}");
            }
            let _ = writeln!(out, "    citation: {}", a.citation);
            if let Some(u) = &a.unconfirmed {
                let _ = writeln!(out, "    unconfirmed: {u}");
            }
        }
    }
}

/// Bridges (not a transfer), with the date each ends.
fn bridges(out: &mut String, f: &InForce) {
    if !f.bridges.is_empty() {
        let _ = writeln!(out, "\nBridges (not a transfer)");
        for b in &f.bridges {
            let _ = writeln!(
                out,
                "  [{}] {} → {}: {} (until {})\n    citation: {}",
                b.regime,
                b.id,
                b.destination,
                b.name,
                date(b.until),
                b.citation
            );
        }
    }
}

/// Standard contractual clauses, with their status for new contracts and their modules.
fn scc(out: &mut String, f: &InForce) {
    if !f.scc.is_empty() {
        let _ = writeln!(out, "\nStandard contractual clauses");
        for s in &f.scc {
            let status = match s.status {
                SccStatus::Available => "usable for new contracts",
                SccStatus::Grandfathered => "existing contracts only (grandfathered)",
            };
            let _ = writeln!(
                out,
                "  [{}] {} {}: {status}; until {}\n    modules: {}\n    citation: {}",
                s.regime,
                s.version,
                s.name,
                date(s.until),
                s.modules.join("; "),
                s.citation
            );
        }
    }
}

/// Other transfer tools and derogations, with the grounds of each.
fn tools(out: &mut String, f: &InForce) {
    if !f.tools.is_empty() {
        let _ = writeln!(out, "\nOther transfer tools and derogations");
        for t in &f.tools {
            let _ = writeln!(
                out,
                "  [{}] {}: {}\n    citation: {}",
                t.regime, t.kind, t.name, t.citation
            );
            if let Some(u) = &t.unconfirmed {
                let _ = writeln!(out, "    unconfirmed: {}", u.trim());
            }
            for g in &t.grounds {
                let _ = writeln!(
                    out,
                    "    ground {}: {}\n      citation: {}",
                    g.ground, g.conditions, g.citation
                );
                for r in &g.requires {
                    let _ = writeln!(out, "      requires {r}");
                }
                for u in &g.unavailable {
                    let _ = writeln!(out, "      not available when {u}");
                }
            }
        }
    }
}

/// Onward-transfer rules, with their grounds and requirements.
fn onward(out: &mut String, f: &InForce) {
    if !f.onward.is_empty() {
        let _ = writeln!(
            out,
            "\nOnward-transfer rules (an onward hop must rest on one of the grounds)"
        );
        for o in &f.onward {
            let _ = writeln!(
                out,
                "  [{}] {}: {}\n    citation: {}",
                o.regime, o.instrument, o.name, o.citation
            );
            for g in &o.grounds {
                let _ = writeln!(out, "    ground: {g}");
            }
            for r in &o.requires {
                let _ = writeln!(out, "    requires: {r}");
            }
            if let Some(u) = &o.unconfirmed {
                let _ = writeln!(out, "    unconfirmed: {}", u.trim());
            }
        }
    }
}

/// The kinds of hop that are not a transfer.
fn not_transfers(out: &mut String, f: &InForce) {
    if !f.not_transfers.is_empty() {
        let _ = writeln!(out, "\nNot a transfer");
        for n in &f.not_transfers {
            let when = match n.when {
                xborder_law::NotATransferWhen::DirectCollection => "direct collection",
                xborder_law::NotATransferWhen::SameLegalPerson => "same legal person",
            };
            let _ = writeln!(
                out,
                "  [{}] {when}: {}\n    citation: {}",
                n.regime, n.says, n.citation
            );
            if let Some(u) = &n.unconfirmed {
                let _ = writeln!(out, "    unconfirmed: {}", u.trim());
            }
        }
    }
}

/// Exemptions, thresholds, prerequisites and restricted destinations, in rulebook order.
fn transfer_rules(out: &mut String, f: &InForce) {
    if !f.transfer_rules.is_empty() {
        let _ = writeln!(
            out,
            "\nTransfer rules (exemptions, thresholds, prerequisites, restricted destinations)"
        );
        for r in &f.transfer_rules {
            let effect = r.effect_in_words();
            let _ = writeln!(
                out,
                "  [{}] {} — {}\n    {effect}\n    when: {}\n    says: {}\n    citation: {}",
                r.regime,
                r.id,
                r.name,
                r.when.as_deref().unwrap_or("every transfer"),
                r.says,
                r.citation
            );
            if let Some(u) = &r.unconfirmed {
                let _ = writeln!(out, "    unconfirmed: {}", u.trim());
            }
        }
    }
}

/// Advisories, reported with their code's severity or their own.
fn advisories(out: &mut String, f: &InForce) {
    if !f.advisories.is_empty() {
        let _ = writeln!(out, "\nAdvisories (reported with each hop they apply to)");
        for a in &f.advisories {
            let _ = writeln!(
                out,
                "  [{}] {} {}: {}\n    when: {}\n    citation: {}",
                a.regime, a.code, a.id, a.message, a.when, a.citation
            );
        }
    }
}
