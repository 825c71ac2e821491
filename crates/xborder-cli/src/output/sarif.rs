//! SARIF 2.1.0 for code scanning: one rule per finding code (help from `explain`), results
//! located in the YAML with character columns, witness paths as code flows, and the
//! baseline state from `--base`.

use serde_json::{Value, json};
use xborder_engine::{Baseline, Evaluation, Finding};
use xborder_law::{Rulebook, Severity};
use xborder_model::Map;

use crate::input::LoadedMap;

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A SARIF log of the current findings, each with its baseline state.
pub fn sarif(
    eval: &Evaluation,
    loaded: &LoadedMap,
    map: &Map,
    rulebook: &Rulebook,
    states: &[(Baseline, &Finding)],
    with_base: bool,
) -> Value {
    let rules: Vec<Value> = rulebook
        .codes
        .iter()
        .map(|c| {
            json!({
                "id": c.code,
                "name": c.title.split_whitespace().map(|w| {
                    let mut cs = w.chars();
                    cs.next().map(|f| f.to_uppercase().chain(cs).collect::<String>()).unwrap_or_default()
                }).collect::<String>().replace(|ch: char| !ch.is_alphanumeric(), ""),
                "shortDescription": { "text": c.title },
                "fullDescription": { "text": c.meaning },
                "help": {
                    "text": format!("{}\n\nWhy: {}\n\nCitation: {}\n\nFix: {}", c.meaning, c.why, c.citation, c.fix),
                    "markdown": format!("**{}** — {}\n\n**Why.** {}\n\n**Citation.** {}\n\n**How to fix it.** {}", c.code, c.meaning, c.why, c.citation, c.fix),
                },
                "defaultConfiguration": { "level": level(c.severity) },
                "properties": { "tags": ["privacy", "gdpr", "international-transfers"] },
            })
        })
        .collect();
    let index = |code: &str| rulebook.codes.iter().position(|c| c.code == code);
    // Entities by id, so that every step of every witness path is found in constant time.
    let entities: std::collections::HashMap<&str, &xborder_model::Entity> =
        map.entities.iter().map(|e| (e.id.as_str(), e)).collect();
    let entity_location = |id: &str| -> Value {
        let entity = entities.get(id);
        let mut location = json!({ "message": { "text": id } });
        if let Some(e) = entity {
            location["physicalLocation"] = json!({
                "artifactLocation": { "uri": loaded.path },
                "region": { "startLine": e.loc.line, "startColumn": e.loc.column },
            });
        }
        json!({ "location": location })
    };
    let results: Vec<Value> = states
        .iter()
        .map(|(state, f)| {
            let mut result = json!({
                "ruleId": f.code,
                "level": level(f.severity),
                "message": { "text": format!("{} [{} → {}] (citation: {})", f.message, f.regime, f.destination, f.citation) },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": loaded.path },
                        "region": { "startLine": f.loc.line, "startColumn": f.loc.column },
                    }
                }],
                "codeFlows": [{
                    "message": { "text": format!("witness path: {}", f.path_text()) },
                    "threadFlows": [{ "locations": f.path.iter().map(|id| entity_location(id)).collect::<Vec<_>>() }],
                }],
                "partialFingerprints": {
                    "xborderFinding/v1": format!("{}/{}/{}/{}", f.code, xborder_engine::flow_identity(map, f.flow), f.regime, f.destination),
                },
                "properties": { "flow": f.flow, "regime": f.regime, "destination": f.destination, "citation": f.citation, "remediation": f.remediation },
            });
            if let Some(i) = index(&f.code) {
                result["ruleIndex"] = json!(i);
            }
            if with_base {
                result["baselineState"] = json!(match state {
                    Baseline::New => "new",
                    Baseline::Unchanged => "unchanged",
                    Baseline::Resolved => "absent",
                });
            }
            result
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "xborder",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://example.invalid/xborder",
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "artifacts": [{ "location": { "uri": loaded.path }, "hashes": { "sha-256": loaded.sha256 } }],
            "properties": { "asOf": eval.as_of.to_string(), "rulebookVersion": rulebook.manifest.version, "rulebookSha256": rulebook.sha256 },
            "results": results,
        }],
    })
}
