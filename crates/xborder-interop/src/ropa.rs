//! The record of processing activities (GDPR Art. 30(1)) drawn from a data map, with its
//! transfers section (Art. 30(1)(e)) taken from the engine's hops.
//!
//! A processing activity is a `purpose` of the map (flows without one form "(no purpose
//! stated)"), in order of first appearance. For each: the data subjects whose data it uses (the
//! `subjects` entities its flows start from, else those the witness paths of its hops start
//! from), the categories of personal data, the recipients (every entity its flows disclose data
//! to, except the organisation's own companies collecting from outside), the third
//! countries (destinations of hops that are transfers) and the safeguards (the mechanism that
//! decided each transfer, with its verdict as of the date). What the map does not record —
//! retention periods, security measures — is said so.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use xborder_engine::{Evaluation, Hop, Verdict};
use xborder_law::{CategoryClass, Rulebook};
use xborder_model::{EntityKind, Map, Role};

use crate::table::Table;

const NO_PURPOSE: &str = "(no purpose stated)";
const NOT_IN_MAP: &str = "not recorded in the data map";

/// One processing activity.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Activity {
    pub purpose: String,
    pub data_subjects: Vec<String>,
    pub categories: Vec<String>,
    pub special_categories: Vec<String>,
    pub recipients: Vec<String>,
    pub recipient_categories: Vec<String>,
    pub third_countries: Vec<String>,
    pub safeguards: Vec<String>,
    pub flows: Vec<String>,
}

/// One transfer (a hop that is a transfer under its regime).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Transfer {
    pub purpose: String,
    pub flow: String,
    pub exporter: String,
    pub recipient: String,
    pub third_country: String,
    pub regime: String,
    pub safeguard: String,
    pub basis: String,
    pub verdict: Verdict,
    pub codes: Vec<String>,
}

/// What the record says about the law, from the rulebook's `texts`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RecordTexts {
    pub intro: String,
    pub special_categories: String,
    pub third_countries: String,
    pub retention: String,
    pub security: String,
    pub transfers: String,
}

impl RecordTexts {
    fn of(rulebook: &Rulebook) -> Self {
        let t = |id: &str| rulebook.text(id).to_string();
        RecordTexts {
            intro: t("ropa.intro"),
            special_categories: t("ropa.column.special-categories"),
            third_countries: t("ropa.column.third-countries"),
            retention: t("ropa.column.retention"),
            security: t("ropa.column.security"),
            transfers: t("ropa.heading.transfers"),
        }
    }
}

/// The whole record.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Record {
    pub controller: String,
    /// The headings and introduction, in the rulebook's words (`texts`).
    #[serde(skip)]
    pub texts: RecordTexts,
    pub as_of: chrono::NaiveDate,
    pub activities: Vec<Activity>,
    pub transfers: Vec<Transfer>,
}

fn flow_name(map: &Map, index: usize) -> String {
    match map.flows.get(index).and_then(|f| f.id.clone()) {
        Some(id) => format!("#{index} {id}"),
        None => format!("#{index}"),
    }
}

fn place(code: &str) -> String {
    match xborder_law::place_name(code) {
        Some(name) => format!("{code} ({name})"),
        None => code.to_string(),
    }
}

fn safeguard(hop: &Hop) -> String {
    hop.mechanism.as_deref().unwrap_or("none").to_string()
}

/// Builds the record from a map and its evaluation.
pub fn record(map: &Map, eval: &Evaluation, rulebook: &Rulebook) -> Record {
    let mut order: Vec<String> = Vec::new();
    let mut flows_of: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for flow in &map.flows {
        let purpose = flow.purpose.as_deref().unwrap_or(NO_PURPOSE).to_string();
        if !order.contains(&purpose) {
            order.push(purpose.clone());
        }
        flows_of.entry(purpose).or_default().push(flow.index);
    }
    // Entities by id: a witness path names its start by id, and there is one path per hop.
    let entity_ix = map.entity_index();
    let mut hops_of: BTreeMap<usize, Vec<&Hop>> = BTreeMap::new();
    for hop in &eval.hops {
        hops_of.entry(hop.flow).or_default().push(hop);
    }
    let class = |category: &str| {
        let base = map.base_category(category);
        rulebook
            .categories
            .iter()
            .find(|c| c.id == base)
            .map(|c| c.class)
    };
    let mut activities = Vec::new();
    let mut transfers = Vec::new();
    for purpose in order {
        let indices = flows_of.get(&purpose).cloned().unwrap_or_default();
        let mut subjects: BTreeSet<String> = BTreeSet::new();
        let mut witnessed: BTreeSet<String> = BTreeSet::new();
        let mut categories: Vec<String> = Vec::new();
        let mut recipients: Vec<String> = Vec::new();
        let mut recipient_kinds: BTreeSet<&'static str> = BTreeSet::new();
        let mut countries: BTreeSet<String> = BTreeSet::new();
        let mut safeguards: BTreeSet<String> = BTreeSet::new();
        for &i in &indices {
            let Some(flow) = map.flows.get(i) else {
                continue;
            };
            let from = &map.entities[flow.from];
            let to = &map.entities[flow.to];
            if from.kind == EntityKind::Subjects {
                subjects.insert(from.name.clone());
            }
            for c in &flow.data {
                if !categories.iter().any(|known| known == c) {
                    categories.push(c.to_string());
                }
            }
            // Data coming into the organisation's own companies from outside is collection,
            // not disclosure to a recipient.
            let own_collection = to.kind == EntityKind::Company && from.kind != EntityKind::Company;
            if !own_collection {
                let role = flow.roles.map(|r| r.importer).or(to.role).map(|r| match r {
                    Role::Controller => "controller",
                    Role::Processor => "processor",
                });
                let text = match role {
                    Some(r) => format!("{} ({}, {r}, {})", to.name, to.id, to.country),
                    None => format!("{} ({}, {})", to.name, to.id, to.country),
                };
                if !recipients.contains(&text) {
                    recipients.push(text);
                }
                recipient_kinds.insert(match (to.kind, role) {
                    (EntityKind::Authority, _) => "public authorities",
                    (EntityKind::Company, _) => "group companies",
                    (_, Some("processor")) => "processors",
                    (EntityKind::Subjects, _) => "data subjects",
                    _ => "third-party controllers",
                });
            }
            for hop in hops_of.get(&i).map(Vec::as_slice).unwrap_or(&[]) {
                if let Some(first) = hop.path.first()
                    && let Some(&ix) = entity_ix.get(first.as_str())
                    && map.entities[ix].kind == EntityKind::Subjects
                {
                    witnessed.insert(map.entities[ix].name.clone());
                }
                if hop.verdict == Verdict::NotATransfer {
                    continue;
                }
                countries.insert(place(&hop.destination));
                safeguards.insert(format!(
                    "{} → {}: {} — {} ({})",
                    hop.regime,
                    hop.destination,
                    safeguard(hop),
                    hop.verdict,
                    hop.to
                ));
                transfers.push(Transfer {
                    purpose: purpose.clone(),
                    flow: flow_name(map, i),
                    // The hop's own flow names its exporter: no search through the entities.
                    exporter: map
                        .flows
                        .get(hop.flow)
                        .and_then(|f| map.entities.get(f.from))
                        .map_or_else(|| hop.from.to_string(), |e| e.name.clone()),
                    recipient: format!("{} ({})", to.name, to.id),
                    third_country: place(&hop.destination),
                    regime: hop.regime.to_string(),
                    safeguard: safeguard(hop),
                    basis: hop.basis.to_string(),
                    verdict: hop.verdict,
                    codes: hop.codes.iter().map(|c| c.to_string()).collect(),
                });
            }
        }
        // Without a flow from data subjects, the subjects whose regime data the hops carry.
        if subjects.is_empty() {
            subjects = witnessed;
        }
        let special: Vec<String> = categories
            .iter()
            .filter(|c| !matches!(class(c), Some(CategoryClass::Ordinary) | None))
            .map(|c| format!("{c} ({})", map.base_category(c)))
            .collect();
        activities.push(Activity {
            purpose,
            data_subjects: subjects.into_iter().collect(),
            categories,
            special_categories: special,
            recipients,
            recipient_categories: recipient_kinds.into_iter().map(str::to_string).collect(),
            third_countries: countries.into_iter().collect(),
            safeguards: safeguards.into_iter().collect(),
            flows: indices.iter().map(|&i| flow_name(map, i)).collect(),
        });
    }
    Record {
        controller: map.organisation.clone(),
        texts: RecordTexts::of(rulebook),
        as_of: eval.as_of,
        activities,
        transfers,
    }
}

fn or_none(items: &[String], none: &str) -> String {
    if items.is_empty() {
        none.to_string()
    } else {
        items.join("; ")
    }
}

/// The activities as a table (one row per processing activity, like the supervisory
/// authorities' Art. 30 templates).
pub fn activities_table(record: &Record) -> Table {
    let mut t = Table::new(&[
        "Controller",
        "Purpose of processing",
        "Categories of data subjects",
        "Categories of personal data",
        &record.texts.special_categories,
        "Categories of recipients",
        "Recipients",
        &record.texts.third_countries,
        &format!("Safeguards and verdicts as of {}", record.as_of),
        &record.texts.retention,
        &record.texts.security,
        "Flows",
    ]);
    for a in &record.activities {
        t.push(vec![
            record.controller.clone(),
            a.purpose.clone(),
            or_none(&a.data_subjects, "none in the map"),
            a.categories.join(", "),
            or_none(&a.special_categories, "none"),
            or_none(&a.recipient_categories, "none"),
            or_none(&a.recipients, "none"),
            or_none(&a.third_countries, "none"),
            or_none(&a.safeguards, "no transfer"),
            NOT_IN_MAP.to_string(),
            NOT_IN_MAP.to_string(),
            a.flows.join(", "),
        ]);
    }
    t
}

/// The transfers section: one row per transfer hop.
pub fn transfers_table(record: &Record) -> Table {
    let mut t = Table::new(&[
        "Purpose",
        "Flow",
        "Exporter",
        "Recipient",
        "Third country",
        "Regime",
        "Safeguard",
        "Verdict",
        "Basis",
        "Codes",
    ]);
    for x in &record.transfers {
        t.push(vec![
            x.purpose.clone(),
            x.flow.clone(),
            x.exporter.clone(),
            x.recipient.clone(),
            x.third_country.clone(),
            x.regime.clone(),
            x.safeguard.clone(),
            x.verdict.to_string(),
            x.basis.clone(),
            x.codes.join(", "),
        ]);
    }
    t
}

/// The record as Markdown: the activities table and the transfers section.
pub fn markdown(record: &Record, map_path: &str) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "# Record of processing activities — {}\n\n",
        record.controller
    ));
    out.push_str(
        &record
            .texts
            .intro
            .replace("{map}", map_path)
            .replace("{as-of}", &record.as_of.to_string()),
    );
    out.push_str("\n\n");
    out.push_str("## Processing activities\n\n");
    out.push_str(&activities_table(record).markdown());
    out.push_str(&format!("\n## {}\n\n", record.texts.transfers));
    if record.transfers.is_empty() {
        out.push_str("No hop of the map is a transfer on this date.\n");
    } else {
        let unlawful = record
            .transfers
            .iter()
            .filter(|t| t.verdict == Verdict::Unlawful)
            .count();
        out.push_str(&format!(
            "{} transfer hop(s); {unlawful} without a valid safeguard on {}.\n\n",
            record.transfers.len(),
            record.as_of
        ));
        out.push_str(&transfers_table(record).markdown());
    }
    out.push_str(&format!(
        "\nRetention periods and technical and organisational security measures are {NOT_IN_MAP}: add them before filing.\n"
    ));
    out
}
