//! The CCPA disclosure table regenerated from a data map: for each category of personal
//! information (Cal. Civ. Code §1798.140(v)(1)), the map categories in it, the sources it is
//! collected from, and to whom it is disclosed — service providers (importer acting as
//! processor), third parties (importer acting as controller) and others (public authorities,
//! recipients without a role).
//!
//! The business is the map's `kind: company` entities: sources are the entities whose flows
//! bring data into a company entity, recipients the non-company entities that company entities
//! send data to. The CCPA categories come from `data/interop/ccpa-categories.yaml`.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use xborder_model::{Entity, EntityKind, Flow, Map, Role};

use crate::table::Table;

/// The built-in category table.
pub const DEFAULT_TABLE: &str = include_str!("../../../data/interop/ccpa-categories.yaml");

/// One CCPA category of personal information.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CcpaCategory {
    pub key: String,
    pub name: String,
    pub citation: String,
}

/// The map-category → CCPA-category table.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryTable {
    format: u32,
    ccpa: Vec<CcpaCategory>,
    #[serde(default)]
    base: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    ids: BTreeMap<String, Vec<String>>,
}

impl CategoryTable {
    /// Parses a table and checks that every entry names a declared CCPA category.
    pub fn parse(text: &str) -> Result<Self, String> {
        let table: CategoryTable = serde_saphyr::from_str(text).map_err(|e| e.to_string())?;
        if table.format != 1 {
            return Err(format!(
                "unsupported CCPA table format {} (this version reads `format: 1`)",
                table.format
            ));
        }
        let keys: BTreeSet<&str> = table.ccpa.iter().map(|c| c.key.as_str()).collect();
        let mut problems = Vec::new();
        for (id, list) in table.base.iter().chain(&table.ids) {
            for key in list {
                if !keys.contains(key.as_str()) {
                    problems.push(format!("{id}: unknown CCPA category \"{key}\""));
                }
            }
        }
        if problems.is_empty() {
            Ok(table)
        } else {
            Err(problems.join("; "))
        }
    }

    /// The built-in table.
    pub fn embedded() -> Result<Self, String> {
        Self::parse(DEFAULT_TABLE)
    }

    /// CCPA category keys of a map category (by id, then by its base category).
    fn of(&self, map: &Map, category: &str) -> Option<&Vec<String>> {
        self.ids
            .get(category)
            .or_else(|| self.base.get(map.base_category(category)))
    }
}

/// One row of the disclosure table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Row {
    pub category: String,
    pub citation: String,
    pub map_categories: Vec<String>,
    pub sources: Vec<String>,
    pub service_providers: Vec<String>,
    pub third_parties: Vec<String>,
    pub others: Vec<String>,
}

/// The disclosure table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Disclosure {
    pub business: String,
    /// The introduction, in the rulebook's words (`texts`: `ccpa.intro`).
    #[serde(skip)]
    pub intro: String,
    pub rows: Vec<Row>,
}

const OTHER: &str = "Other (not classified)";

fn recipient_class(flow: &Flow, to: &Entity) -> usize {
    if to.kind == EntityKind::Authority {
        return 2;
    }
    match flow.roles.map(|r| r.importer).or(to.role) {
        Some(Role::Processor) => 0,
        Some(Role::Controller) => 1,
        None => 2,
    }
}

/// The source group of an entity, in display order.
fn source_group(from: &Entity) -> (u8, &'static str) {
    match from.kind {
        EntityKind::Subjects => (0, "consumers directly"),
        EntityKind::Partner => (1, "partners"),
        EntityKind::Vendor => (2, "vendors"),
        EntityKind::Authority => (3, "authorities"),
        EntityKind::Company => (4, "group companies"),
    }
}

/// Builds the disclosure table of a map.
pub fn disclosure(
    map: &Map,
    table: &CategoryTable,
    rulebook: &xborder_law::Rulebook,
) -> Disclosure {
    #[derive(Default)]
    struct Acc {
        map_categories: BTreeSet<String>,
        sources: BTreeMap<(u8, &'static str), BTreeSet<String>>,
        recipients: [BTreeSet<String>; 3],
    }
    let mut acc: BTreeMap<String, Acc> = BTreeMap::new();
    let keys_of = |c: &str| -> Vec<String> {
        match table.of(map, c) {
            Some(keys) if !keys.is_empty() => keys.clone(),
            _ => vec![OTHER.to_string()],
        }
    };
    for flow in &map.flows {
        let from = &map.entities[flow.from];
        let to = &map.entities[flow.to];
        let into_business = to.kind == EntityKind::Company && from.kind != EntityKind::Company;
        let out_of_business = from.kind == EntityKind::Company && to.kind != EntityKind::Company;
        if !into_business && !out_of_business {
            continue;
        }
        for c in &flow.data {
            for key in keys_of(c) {
                let a = acc.entry(key).or_default();
                a.map_categories.insert(c.to_string());
                if into_business {
                    a.sources
                        .entry(source_group(from))
                        .or_default()
                        .insert(from.name.clone());
                }
                if out_of_business {
                    let class = recipient_class(flow, to);
                    let text = if class == 2 && to.kind != EntityKind::Authority {
                        format!("{} (no role in the map)", to.name)
                    } else {
                        to.name.clone()
                    };
                    a.recipients[class].insert(text);
                }
            }
        }
    }
    let mut rows = Vec::new();
    let known: Vec<(String, String, String)> = table
        .ccpa
        .iter()
        .map(|c| (c.key.clone(), c.name.clone(), c.citation.clone()))
        .chain(std::iter::once((
            OTHER.to_string(),
            format!("{OTHER}: map categories the table does not place"),
            String::new(),
        )))
        .collect();
    for (key, name, citation) in known {
        let Some(a) = acc.remove(&key) else {
            continue;
        };
        let [sp, tp, other] = a.recipients;
        rows.push(Row {
            category: name,
            citation,
            map_categories: a.map_categories.into_iter().collect(),
            sources: a
                .sources
                .into_iter()
                .map(|((_, group), names)| {
                    format!(
                        "{group}: {}",
                        names.into_iter().collect::<Vec<_>>().join(", ")
                    )
                })
                .collect(),
            service_providers: sp.into_iter().collect(),
            third_parties: tp.into_iter().collect(),
            others: other.into_iter().collect(),
        });
    }
    Disclosure {
        intro: rulebook.text("ccpa.intro").to_string(),
        business: map.organisation.clone(),
        rows,
    }
}

fn cell(items: &[String]) -> String {
    if items.is_empty() {
        "none".to_string()
    } else {
        items.join("; ")
    }
}

/// The table: one row per CCPA category.
pub fn table(d: &Disclosure) -> Table {
    let mut t = Table::new(&[
        "Category of personal information",
        "Map categories",
        "Sources",
        "Disclosed to service providers",
        "Disclosed to third parties",
        "Disclosed to others",
    ]);
    for r in &d.rows {
        t.push(vec![
            r.category.clone(),
            r.map_categories.join(", "),
            cell(&r.sources),
            cell(&r.service_providers),
            cell(&r.third_parties),
            cell(&r.others),
        ]);
    }
    t
}

/// The table as Markdown with a heading and the reading rules.
pub fn markdown(d: &Disclosure, map_path: &str) -> String {
    let mut out = format!(
        "# CCPA disclosure — {}\n\n{}\n\n",
        d.business,
        d.intro.replace("{map}", map_path)
    );
    out.push_str(&table(d).markdown());
    out
}
