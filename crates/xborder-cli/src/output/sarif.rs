//! SARIF 2.1.0 for code scanning: one rule per finding code (help from `explain`), results
//! located in the YAML with character columns, witness paths as code flows, and the
//! baseline state from `--base`.
//!
//! The log is built from structs that borrow the evaluation, not from a JSON value tree: a
//! large map has hundreds of thousands of results, each with a code flow per witness step.
//! Fields are in the alphabetical order of their SARIF names, so the bytes are those of a
//! sorted JSON object.
//!
//! A map that cannot be loaded is a log too ([`unusable`]): one result per problem of the map
//! and an unsuccessful invocation that says nothing was checked.

use std::collections::HashMap;

use serde::Serialize;
use serde_json::{Value, json};
use xborder_engine::{Baseline, Evaluation, Finding};
use xborder_law::{Rulebook, Severity};
use xborder_model::{DiagnosticLevel, Loc, Map};

use crate::input::{Failure, LoadedMap};
use crate::output::unusable::{Problem, UnusableInput, level as diagnostic_level, with_hint};
use crate::output::{CheckResult, Format, json::write_json};

/// Where SARIF's `informationUri` points: the project's repository (Cargo.toml).
pub const INFORMATION_URI: &str = env!("CARGO_PKG_REPOSITORY");

/// The SARIF format of `check`.
pub struct Sarif;

impl Format for Sarif {
    /// Writes the [`sarif`] log of the result.
    fn result(&self, r: &CheckResult<'_>) -> Result<(), Failure> {
        let doc = sarif(r.eval, r.loaded, r.map, r.rulebook, r.states, r.with_base);
        crate::stdout::with(|out| write_json(out, &doc))
    }

    /// Writes the [`unusable`] log.
    fn unusable(&self, input: &UnusableInput) -> Result<(), Failure> {
        crate::stdout::json(&unusable(input))
    }
}

/// SARIF's level for a severity.
fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// The SARIF log of a check: one run over the map file.
#[derive(Serialize)]
pub struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    runs: [Run<'a>; 1],
    version: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    artifacts: [Artifact<'a>; 1],
    column_kind: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    invocations: Vec<Invocation<'a>>,
    properties: RunProperties<'a>,
    results: Vec<SarifResult<'a>>,
    tool: Tool<'a>,
}

#[derive(Serialize)]
struct Artifact<'a> {
    hashes: Hashes<'a>,
    location: Uri<'a>,
}

#[derive(Serialize)]
struct Hashes<'a> {
    #[serde(rename = "sha-256")]
    sha256: &'a str,
}

#[derive(Serialize)]
struct Uri<'a> {
    uri: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RunProperties<'a> {
    as_of: String,
    rulebook_sha256: &'a str,
    rulebook_version: &'a str,
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    information_uri: &'static str,
    name: &'static str,
    rules: Vec<Rule<'a>>,
    version: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule<'a> {
    default_configuration: Level,
    full_description: Message<'a>,
    help: Help,
    id: &'a str,
    name: String,
    properties: RuleProperties,
    short_description: Message<'a>,
}

#[derive(Serialize)]
struct Level {
    level: &'static str,
}

#[derive(Serialize)]
struct Message<'a> {
    text: &'a str,
}

#[derive(Serialize)]
struct OwnedMessage {
    text: String,
}

#[derive(Serialize)]
struct Help {
    markdown: String,
    text: String,
}

#[derive(Serialize)]
struct RuleProperties {
    tags: [&'static str; 3],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline_state: Option<&'static str>,
    code_flows: [CodeFlow<'a>; 1],
    level: &'static str,
    locations: [Location<'a>; 1],
    message: OwnedMessage,
    partial_fingerprints: Fingerprints,
    properties: ResultProperties<'a>,
    rule_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    /// A risk acceptance (`--accept`): code scanning shows the result as dismissed.
    #[serde(skip_serializing_if = "Option::is_none")]
    suppressions: Option<[Suppression; 1]>,
}

#[derive(Serialize)]
struct Suppression {
    justification: String,
    kind: &'static str,
    status: &'static str,
}

/// The run's invocation, written when the map has warnings of its own (`outside-period`):
/// they are about the run, not about a hop.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation<'a> {
    execution_successful: bool,
    tool_execution_notifications: Vec<Notification<'a>>,
}

#[derive(Serialize)]
struct Notification<'a> {
    level: &'static str,
    locations: [Location<'a>; 1],
    message: OwnedMessage,
}

/// A result's location (where the finding points) or a step of its witness path (the
/// entity's id, and where the map declares it).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Message<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    physical_location: Option<PhysicalLocation<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation<'a> {
    artifact_location: Uri<'a>,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_column: u32,
    start_line: u32,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CodeFlow<'a> {
    message: OwnedMessage,
    thread_flows: [ThreadFlow<'a>; 1],
}

#[derive(Serialize)]
struct ThreadFlow<'a> {
    locations: Vec<ThreadFlowLocation<'a>>,
}

#[derive(Serialize)]
struct ThreadFlowLocation<'a> {
    location: Location<'a>,
}

#[derive(Serialize)]
struct Fingerprints {
    #[serde(rename = "xborderFinding/v1")]
    finding: String,
}

#[derive(Serialize)]
struct ResultProperties<'a> {
    citation: &'a str,
    destination: &'a str,
    flow: usize,
    regime: &'a str,
    remediation: &'a str,
}

/// A rule's name in SARIF's PascalCase: "Transfer without mechanism" → `TransferWithoutMechanism`.
fn rule_name(title: &str) -> String {
    title
        .split_whitespace()
        .map(|w| {
            let mut cs = w.chars();
            cs.next()
                .map(|f| f.to_uppercase().chain(cs).collect::<String>())
                .unwrap_or_default()
        })
        .collect::<String>()
        .replace(|ch: char| !ch.is_alphanumeric(), "")
}

/// A SARIF log of the current findings, each with its baseline state: one run over the map
/// file, with the rulebook's codes as rules.
pub fn sarif<'a>(
    eval: &Evaluation,
    loaded: &'a LoadedMap,
    map: &'a Map,
    rulebook: &'a Rulebook,
    states: &[(Baseline, &'a Finding)],
    with_base: bool,
) -> Log<'a> {
    let uri = loaded.path.as_str();
    let located = Located::new(map, uri, rulebook);
    Log {
        schema: "https://json.schemastore.org/sarif-2.1.0.json",
        runs: [Run {
            artifacts: [Artifact {
                hashes: Hashes {
                    sha256: &loaded.sha256,
                },
                location: Uri { uri },
            }],
            column_kind: "unicodeCodePoints",
            invocations: invocations(loaded),
            properties: RunProperties {
                as_of: eval.as_of.to_string(),
                rulebook_sha256: &rulebook.sha256,
                rulebook_version: &rulebook.manifest.version,
            },
            results: states
                .iter()
                .map(|&(state, f)| located.result(f, with_base.then_some(baseline_state(state))))
                .collect(),
            tool: Tool {
                driver: Driver {
                    information_uri: INFORMATION_URI,
                    name: "xborder",
                    rules: rules(rulebook),
                    version: env!("CARGO_PKG_VERSION"),
                },
            },
        }],
        version: "2.1.0",
    }
}

/// One rule per finding code of the rulebook, in the rulebook's order, with its help text.
fn rules(rulebook: &Rulebook) -> Vec<Rule<'_>> {
    rulebook
        .codes
        .iter()
        .map(|c| Rule {
            default_configuration: Level {
                level: level(c.severity),
            },
            full_description: Message { text: &c.meaning },
            help: Help {
                markdown: format!(
                    "**{}** — {}\n\n**Why.** {}\n\n**Citation.** {}\n\n**How to fix it.** {}",
                    c.code, c.meaning, c.why, c.citation, c.fix
                ),
                text: format!(
                    "{}\n\nWhy: {}\n\nCitation: {}\n\nFix: {}",
                    c.meaning, c.why, c.citation, c.fix
                ),
            },
            id: &c.code,
            name: rule_name(&c.title),
            properties: RuleProperties {
                tags: ["privacy", "gdpr", "international-transfers"],
            },
            short_description: Message { text: &c.title },
        })
        .collect()
}

/// SARIF's `baselineState` for a finding's state against `--base`.
fn baseline_state(state: Baseline) -> &'static str {
    match state {
        Baseline::New => "new",
        Baseline::Unchanged => "unchanged",
        Baseline::Resolved => "absent",
    }
}

/// What locating results needs: the map and its file, entities by id (so that every step of
/// every witness path is found in constant time) and rules by code.
struct Located<'a> {
    map: &'a Map,
    uri: &'a str,
    entities: HashMap<&'a str, usize>,
    rule_index: HashMap<&'a str, usize>,
}

impl<'a> Located<'a> {
    /// The indexes of `map` and `rulebook`.
    fn new(map: &'a Map, uri: &'a str, rulebook: &'a Rulebook) -> Self {
        Located {
            map,
            uri,
            entities: map.entity_index(),
            rule_index: rulebook
                .codes
                .iter()
                .enumerate()
                .map(|(i, c)| (c.code.as_str(), i))
                .collect(),
        }
    }

    /// A place in the map file.
    fn physical(&self, loc: Loc) -> PhysicalLocation<'a> {
        physical(self.uri, loc)
    }

    /// One finding as a result: where it points, its witness path, its fingerprint, and the
    /// risk acceptance that suppresses it.
    fn result(&self, f: &'a Finding, baseline_state: Option<&'static str>) -> SarifResult<'a> {
        SarifResult {
            baseline_state,
            code_flows: [self.code_flow(f)],
            level: level(f.severity),
            locations: [Location {
                message: None,
                physical_location: Some(self.physical(f.loc)),
            }],
            message: OwnedMessage {
                text: format!(
                    "{} [{} → {}] (citation: {})",
                    f.message, f.regime, f.destination, f.citation
                ),
            },
            partial_fingerprints: Fingerprints {
                finding: format!(
                    "{}/{}/{}/{}",
                    f.code,
                    xborder_engine::flow_identity(self.map, f.flow),
                    f.regime,
                    f.destination
                ),
            },
            properties: ResultProperties {
                citation: &f.citation,
                destination: &f.destination,
                flow: f.flow,
                regime: &f.regime,
                remediation: &f.remediation,
            },
            rule_id: f.code.as_str(),
            rule_index: self.rule_index.get(f.code.as_str()).copied(),
            suppressions: f.accepted.as_ref().map(|a| {
                [Suppression {
                    justification: format!(
                        "accepted by {} until {} ({}:{}): {}",
                        a.by, a.until, a.file, a.line, a.reason
                    ),
                    kind: "external",
                    status: "accepted",
                }]
            }),
        }
    }

    /// The finding's witness path as a code flow: each step the entity's id and where the map
    /// declares it.
    fn code_flow(&self, f: &'a Finding) -> CodeFlow<'a> {
        CodeFlow {
            message: OwnedMessage {
                text: format!("witness path: {}", f.path_text()),
            },
            thread_flows: [ThreadFlow {
                locations: f
                    .path
                    .iter()
                    .map(|id| ThreadFlowLocation {
                        location: Location {
                            message: Some(Message { text: id }),
                            physical_location: self
                                .entities
                                .get(id.as_str())
                                .map(|&e| self.physical(self.map.entities[e].loc)),
                        },
                    })
                    .collect(),
            }],
        }
    }
}

/// A place in the file at `uri`.
fn physical(uri: &str, loc: Loc) -> PhysicalLocation<'_> {
    PhysicalLocation {
        artifact_location: Uri { uri },
        region: Region {
            start_column: loc.column,
            start_line: loc.line,
        },
    }
}

/// The run's invocation when the map has diagnostics of its own, none otherwise.
fn invocations(loaded: &LoadedMap) -> Vec<Invocation<'_>> {
    let uri = loaded.path.as_str();
    let notifications: Vec<Notification> = loaded
        .diagnostics
        .iter()
        .map(|d| Notification {
            level: match d.level {
                xborder_model::DiagnosticLevel::Error => "error",
                xborder_model::DiagnosticLevel::Warning => "warning",
            },
            locations: [Location {
                message: None,
                physical_location: Some(physical(uri, d.loc)),
            }],
            message: OwnedMessage {
                text: match &d.hint {
                    Some(hint) => format!("{}: {} (hint: {hint})", d.code, d.message),
                    None => format!("{}: {}", d.code, d.message),
                },
            },
        })
        .collect();
    if notifications.is_empty() {
        Vec::new()
    } else {
        vec![Invocation {
            execution_successful: true,
            tool_execution_notifications: notifications,
        }]
    }
}

/// The SARIF 2.1.0 log of an input that cannot be used: one result per problem (its rule is
/// the problem's code) in the file it is in, and the run's invocation marked unsuccessful with
/// a notification that nothing was checked.
pub fn unusable(input: &UnusableInput) -> Value {
    let location = |p: &Problem| {
        let mut physical = json!({ "artifactLocation": { "uri": p.file } });
        if let Some((line, column)) = p.position() {
            physical["region"] = json!({ "startColumn": column, "startLine": line });
        }
        json!({ "physicalLocation": physical })
    };
    let mut codes: Vec<&str> = input.problems.iter().map(|p| p.diagnostic.code).collect();
    codes.sort_unstable();
    codes.dedup();
    let kind = if input.is_rulebook() {
        ("xborder-rulebook", "rulebook problem")
    } else {
        ("xborder-map-format", "data map problem")
    };
    let rules: Vec<Value> = codes
        .iter()
        .map(|code| {
            json!({
                "id": code,
                "properties": { "tags": [kind.0] },
                "shortDescription": { "text": format!("{}: {code}", kind.1) }
            })
        })
        .collect();
    let results: Vec<Value> = input
        .problems
        .iter()
        .map(|p| {
            let d = &p.diagnostic;
            json!({
                "level": diagnostic_level(d),
                "locations": [location(p)],
                "message": { "text": with_hint(d) },
                "ruleId": d.code,
                "ruleIndex": codes.binary_search(&d.code).ok(),
            })
        })
        .collect();
    // The file that was given, with its hash; for a rulebook, each file with a problem.
    let artifacts: Vec<Value> = match &input.sha256 {
        Some(sha256) => {
            vec![json!({ "hashes": { "sha-256": sha256 }, "location": { "uri": input.path } })]
        }
        None => input
            .files()
            .iter()
            .map(|file| json!({ "location": { "uri": file } }))
            .collect(),
    };
    let first_error = input
        .problems
        .iter()
        .find(|p| p.diagnostic.level == DiagnosticLevel::Error);
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "runs": [{
            "artifacts": artifacts,
            "columnKind": "unicodeCodePoints",
            "invocations": [{
                "executionSuccessful": false,
                "exitCode": crate::exit::UNUSABLE,
                "toolExecutionNotifications": [{
                    "level": "error",
                    "locations": first_error.map(|p| vec![location(p)]).unwrap_or_default(),
                    "message": { "text": input.headline() }
                }]
            }],
            "results": results,
            "tool": { "driver": {
                "informationUri": INFORMATION_URI,
                "name": "xborder",
                "rules": rules,
                "version": env!("CARGO_PKG_VERSION")
            }}
        }],
        "version": "2.1.0"
    })
}
