//! `xborder diff OLD NEW`: what changed in the map, and which hop verdicts changed with it.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::json;
use xborder_model::{Entity, Flow, Map};

use crate::cli::{DiffArgs, Format, Global};
use crate::exit;
use crate::input::{self, Failure};

/// One change between two maps, in words.
struct Change {
    kind: &'static str,
    what: String,
    detail: String,
}

pub fn run(global: &Global, args: &DiffArgs) -> Result<u8, Failure> {
    let rulebook = input::rulebook(global)?;
    let unusable = crate::output::unusable::json_when(args.format == Format::Json);
    let (old_loaded, old) = input::base_map(&args.old, &rulebook).map_err(&unusable)?;
    let (new_loaded, new) = input::valid_map(&args.new, &rulebook).map_err(&unusable)?;
    let as_of = args.as_of.unwrap_or_else(super::today);
    let options = xborder_engine::Options::default();
    let before = xborder_engine::check(&old, &rulebook, as_of, &options);
    let after = xborder_engine::check(&new, &rulebook, as_of, &options);
    let comparison = xborder_engine::compare(&old, &before, &new, &after);
    let changes = map_changes(&old, &new);
    match args.format {
        Format::Json => {
            let doc = json!({
                "format": 1,
                "as_of": as_of.to_string(),
                "old": { "path": old_loaded.path, "sha256": old_loaded.sha256 },
                "new": { "path": new_loaded.path, "sha256": new_loaded.sha256 },
                "changes": changes.iter().map(|c| json!({ "change": c.kind, "what": c.what, "detail": c.detail })).collect::<Vec<_>>(),
                "verdicts": comparison.verdicts,
                "new_findings": comparison.new_findings().count(),
                "resolved_findings": comparison.resolved.len(),
            });
            crate::stdout::json(&doc)?;
        }
        Format::Human => {
            let mut out = format!("{} → {}\n", old_loaded.path, new_loaded.path);
            if changes.is_empty() {
                out.push_str(
                    "\nno change to entities, flows, mechanisms, certifications or agreements\n",
                );
            } else {
                out.push_str("\nmap changes\n");
                for c in &changes {
                    let _ = writeln!(
                        out,
                        "  {:<8} {}{}",
                        c.kind,
                        c.what,
                        if c.detail.is_empty() {
                            String::new()
                        } else {
                            format!(": {}", c.detail)
                        }
                    );
                }
            }
            let _ = writeln!(out, "\nverdicts as of {as_of}");
            if comparison.verdicts.is_empty() {
                out.push_str("  no hop verdict changed\n");
            }
            for v in &comparison.verdicts {
                let word =
                    |x: Option<xborder_engine::Verdict>| x.map_or("(no hop)", |v| v.as_str());
                let _ = writeln!(
                    out,
                    "  {} [{} → {}]: {} → {}",
                    v.flow,
                    v.regime,
                    v.destination,
                    word(v.before),
                    word(v.after)
                );
            }
            let _ = writeln!(
                out,
                "\nfindings: {} new, {} resolved",
                comparison.new_findings().count(),
                comparison.resolved.len()
            );
            out!("{out}");
        }
    }
    Ok(exit::OK)
}

fn entity_facts(e: &Entity) -> String {
    let certs: Vec<String> = e
        .certifications
        .iter()
        .map(|c| {
            format!(
                "{} {}…{}",
                c.framework,
                c.from,
                c.until.map(|d| d.to_string()).unwrap_or_default()
            )
        })
        .collect();
    format!(
        "{} ({:?}, {}, processing {}, role {}, certifications [{}])",
        e.name,
        e.kind,
        e.country,
        e.processing.join("/"),
        e.role.map_or("-", |r| r.as_str()),
        certs.join(", ")
    )
}

fn flow_facts(map: &Map, f: &Flow) -> String {
    let mechanisms: Vec<String> = f
        .mechanisms
        .iter()
        .map(|m| format!("{:?}", m.kind))
        .collect();
    format!(
        "{} → {}, data [{}], roles {}, mechanisms [{}], agreement {}",
        map.entities[f.from].id,
        map.entities[f.to].id,
        f.data.join(", "),
        f.roles.map_or_else(|| "-".to_string(), |r| r.to_string()),
        mechanisms.join("; "),
        f.agreement
            .and_then(|a| map.agreements.get(a))
            .map_or("-", |a| a.id.as_str())
    )
}

/// Entities, flows (by identity), agreements added, removed or changed.
fn map_changes(old: &Map, new: &Map) -> Vec<Change> {
    let mut out = Vec::new();
    let entities = |m: &Map| {
        m.entities
            .iter()
            .map(|e| (e.id.clone(), entity_facts(e)))
            .collect::<BTreeMap<_, _>>()
    };
    let flows = |m: &Map| {
        m.flows
            .iter()
            .map(|f| (xborder_engine::flow_identity(m, f.index), flow_facts(m, f)))
            .collect::<BTreeMap<_, _>>()
    };
    let agreements = |m: &Map| {
        m.agreements
            .iter()
            .map(|a| {
                (
                    a.id.clone(),
                    format!(
                        "signed {:?}, expires {:?}, mechanisms {:?}",
                        a.signed,
                        a.expires,
                        a.mechanisms.iter().map(|x| &x.kind).collect::<Vec<_>>()
                    ),
                )
            })
            .collect::<BTreeMap<_, _>>()
    };
    for (kind, a, b) in [
        ("entity", entities(old), entities(new)),
        ("flow", flows(old), flows(new)),
        ("agreement", agreements(old), agreements(new)),
    ] {
        for (id, facts) in &a {
            match b.get(id) {
                None => out.push(Change {
                    kind: "removed",
                    what: format!("{kind} {id}"),
                    detail: facts.clone(),
                }),
                Some(now) if now != facts => out.push(Change {
                    kind: "changed",
                    what: format!("{kind} {id}"),
                    detail: format!("{facts} ⇒ {now}"),
                }),
                _ => {}
            }
        }
        for (id, facts) in &b {
            if !a.contains_key(id) {
                out.push(Change {
                    kind: "added",
                    what: format!("{kind} {id}"),
                    detail: facts.clone(),
                });
            }
        }
    }
    out
}
