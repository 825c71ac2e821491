//! Building the draft map from a manifest: systems → entities, egress/ingress → flows, declared
//! data categories → map categories through the mapping table, with a report note for
//! everything the user must fill in or decide, or that was not imported.

use std::collections::{BTreeMap, BTreeSet};

use super::categories::{CategoryTable, Mapping};
use super::read::{DataFlow, Declaration, Manifest, Origin, System};
use super::{Note, NoteKind};
use crate::countries::alpha3_to_alpha2;

/// An entity of the draft map.
#[derive(Debug, Clone)]
pub(super) struct DraftEntity {
    pub(super) id: String,
    pub(super) name: String,
    pub(super) kind: &'static str,
    pub(super) processing: Vec<String>,
    pub(super) processing_comment: Option<String>,
    pub(super) role: Option<&'static str>,
    pub(super) evidence: String,
    /// Report notes attached to the entity (besides the country fill-in).
    pub(super) decide: Vec<String>,
}

/// A flow of the draft map: every egress/ingress between the same two entities, merged.
#[derive(Debug, Clone)]
pub(super) struct DraftFlow {
    pub(super) from: String,
    pub(super) to: String,
    pub(super) data: Vec<String>,
    pub(super) purpose: Option<String>,
    pub(super) adequacy: bool,
    /// The data came from the data flow's own `data_categories` (else from declarations).
    pub(super) own_categories: bool,
    pub(super) evidence: Vec<String>,
    pub(super) decide: Vec<String>,
}

/// The finished draft, for rendering: everything sorted by id.
pub(super) struct Draft<'a> {
    pub(super) manifest: &'a Manifest,
    /// Notes without a line of the YAML (rendering adds those with one).
    pub(super) notes: Vec<Note>,
    pub(super) entities: BTreeMap<String, DraftEntity>,
    pub(super) flows: BTreeMap<(String, String), DraftFlow>,
    /// Categories used on flows: fides key → mapping (None: unmapped).
    pub(super) categories: BTreeMap<String, Option<Mapping>>,
    /// Declared data subjects without a flow from them: subject key → systems naming them.
    pub(super) idle_subjects: BTreeMap<String, BTreeSet<String>>,
}

/// Builds a [`Draft`] from a manifest.
pub(super) struct Builder<'a> {
    manifest: &'a Manifest,
    table: &'a CategoryTable,
    notes: Vec<Note>,
    /// fides_key → entity id.
    ids: BTreeMap<String, String>,
    entities: BTreeMap<String, DraftEntity>,
    flows: BTreeMap<(String, String), DraftFlow>,
    /// Categories used on flows: fides key → mapping (None: unmapped).
    categories: BTreeMap<String, Option<Mapping>>,
    /// Declared data subjects without a flow from them: subject key → systems naming them.
    idle_subjects: BTreeMap<String, BTreeSet<String>>,
}

impl<'a> Builder<'a> {
    /// A builder with nothing built yet.
    pub(super) fn new(manifest: &'a Manifest, table: &'a CategoryTable) -> Self {
        Builder {
            manifest,
            table,
            notes: Vec::new(),
            ids: BTreeMap::new(),
            entities: BTreeMap::new(),
            flows: BTreeMap::new(),
            categories: BTreeMap::new(),
            idle_subjects: BTreeMap::new(),
        }
    }

    /// Adds a report note without a line of the YAML.
    fn note(&mut self, kind: NoteKind, subject: impl Into<String>, message: impl Into<String>) {
        self.notes.push(Note {
            kind,
            line: None,
            subject: subject.into(),
            message: message.into(),
        });
    }

    /// Entities (systems first, so that their ids win), flows, their mechanisms and categories,
    /// then the notes on what has no place in the map.
    pub(super) fn build(mut self) -> Draft<'a> {
        let manifest = self.manifest;
        let mut taken: BTreeSet<String> = BTreeSet::new();
        for system in &manifest.systems {
            let id = unique_id(&entity_id(&system.key), &mut taken);
            self.ids.insert(system.key.clone(), id);
        }
        for system in &manifest.systems {
            self.system_entity(system);
        }
        for system in &manifest.systems {
            self.system_flows(system, &mut taken);
        }
        self.outgoing_mechanisms();
        self.map_categories();
        self.note_idle_subjects();
        self.note_not_imported();
        Draft {
            manifest,
            notes: self.notes,
            entities: self.entities,
            flows: self.flows,
            categories: self.categories,
            idle_subjects: self.idle_subjects,
        }
    }

    /// Subjects declared by systems but with no flow from them: a note each (the rendering
    /// adds a commented entity template).
    fn note_idle_subjects(&mut self) {
        for system in &self.manifest.systems {
            for subject in system.declarations.iter().flat_map(|d| &d.subjects) {
                let id = entity_id(subject);
                if !self.entities.contains_key(&id) {
                    self.idle_subjects
                        .entry(id)
                        .or_default()
                        .insert(system.key.clone());
                }
            }
        }
        for (id, systems) in self.idle_subjects.clone() {
            let names: Vec<&str> = systems.iter().map(String::as_str).collect();
            self.note(
                NoteKind::Decide,
                format!("data subjects {id}"),
                format!(
                    "declared by {} but no manifest flow starts from them: add a `kind: subjects` entity with their country or region (the commented template at the end of `entities:`) and flows to the systems that collect their data — without data subjects only entities established in a regime's territory start its data",
                    names.join(", ")
                ),
            );
        }
    }

    /// Notes on the datasets, other top-level sections and further organizations, which have
    /// no place in the map.
    fn note_not_imported(&mut self) {
        let manifest = self.manifest;
        for (key, origin) in &manifest.datasets {
            self.note(
                NoteKind::Kept,
                format!("dataset {key}"),
                format!(
                    "({}) not imported: datasets describe storage inside a system, not a flow between entities",
                    origin.at()
                ),
            );
        }
        for (key, count, origin) in &manifest.other {
            self.note(
                NoteKind::Kept,
                format!("{key} ({count})"),
                format!(
                    "({}) not imported: no counterpart in the data map",
                    origin.at()
                ),
            );
        }
        if manifest.organizations.len() > 1 {
            let keys: Vec<&str> = manifest
                .organizations
                .iter()
                .map(|o| o.key.as_str())
                .collect();
            self.note(
                NoteKind::Kept,
                "organization",
                format!(
                    "{} organizations ({}): the map is named after the first; the others are in the header comments",
                    keys.len(),
                    keys.join(", ")
                ),
            );
        }
    }

    /// A system's entity: kind, default role, processing countries, evidence and notes.
    fn system_entity(&mut self, system: &System) {
        let id = self.ids[&system.key].clone();
        let mut decide = Vec::new();
        let roles: BTreeSet<&'static str> = system
            .responsibility
            .iter()
            .filter_map(|r| role_of(r))
            .collect();
        for r in &system.responsibility {
            if role_of(r).is_none() {
                decide.push(format!(
                    "responsibility \"{r}\" is not controller, processor or sub-processor: kept in evidence only"
                ));
            }
        }
        let role = match roles.len() {
            1 => roles.iter().next().copied(),
            0 => {
                decide.push(
                    "no role: the manifest gives no `responsibility`; set `role:` (controller or processor) so that SCC modules can be checked against the role pair".to_string(),
                );
                None
            }
            _ => {
                decide.push(format!(
                    "acts as {}: no default role; write `roles:` on each of its flows",
                    roles.iter().copied().collect::<Vec<_>>().join(" and ")
                ));
                None
            }
        };
        let mut processing = Vec::new();
        let mut unknown = Vec::new();
        for code in &system.third_countries {
            match alpha3_to_alpha2(code) {
                Some(a2) => {
                    if !processing.iter().any(|p| p == a2) {
                        processing.push(a2.to_string());
                    }
                }
                None => unknown.push(code.clone()),
            }
        }
        let processing_comment = (!system.third_countries.is_empty()).then(|| {
            format!(
                "third_country_transfers: {}; add the system's own country if it also processes there",
                system.third_countries.join(", ")
            )
        });
        if !unknown.is_empty() {
            decide.push(format!(
                "third_country_transfers {} are not ISO 3166-1 alpha-3 codes: not imported",
                unknown.join(", ")
            ));
        }
        if system.international == Some(true) && system.transfer_bases.is_empty() {
            decide.push(
                "declares international transfers without a legal basis: add `mechanisms:` to its outgoing flows".to_string(),
            );
        }
        if !system.unused.is_empty() {
            let keys: Vec<&str> = system.unused.iter().map(String::as_str).collect();
            self.note(
                NoteKind::Kept,
                format!("entities.{id}"),
                format!("not imported: {}", keys.join(", ")),
            );
        }
        let entity = DraftEntity {
            name: system
                .name
                .clone()
                .unwrap_or_else(|| system.key.replace('_', " ")),
            kind: if system.vendor_id.is_some() {
                "vendor"
            } else {
                "company"
            },
            processing,
            processing_comment,
            role,
            evidence: system_evidence(system),
            decide,
            id: id.clone(),
        };
        self.entities.insert(id, entity);
    }

    /// A system's egress and ingress as flows (merged with the peer's view of the same flow);
    /// ingress from users becomes flows from its declared data subjects.
    fn system_flows(&mut self, system: &System, taken: &mut BTreeSet<String>) {
        let me = self.ids[&system.key].clone();
        let mut edges: Vec<(String, String, &DataFlow, &'static str)> = Vec::new();
        for e in &system.egress {
            match e.kind.as_str() {
                "system" => {
                    let to = self.peer(&e.key, &system.key, taken, &e.origin);
                    edges.push((me.clone(), to, e, "egress"));
                }
                other => self.skip_flow(system, e, "egress", other),
            }
        }
        for i in &system.ingress {
            match i.kind.as_str() {
                "system" => {
                    let from = self.peer(&i.key, &system.key, taken, &i.origin);
                    edges.push((from, me.clone(), i, "ingress"));
                }
                "user" => {
                    let mut subjects: BTreeSet<String> = system
                        .declarations
                        .iter()
                        .flat_map(|d| d.subjects.iter().cloned())
                        .collect();
                    if subjects.is_empty() {
                        subjects.insert("users".to_string());
                    }
                    for subject in subjects {
                        let id = entity_id(&subject);
                        self.entities.entry(id.clone()).or_insert_with(|| DraftEntity {
                            id: id.clone(),
                            name: format!("Data subjects: {}", subject.replace('_', " ")),
                            kind: "subjects",
                            processing: Vec::new(),
                            processing_comment: None,
                            role: None,
                            evidence: format!(
                                "Fides data subject \"{subject}\", named by the privacy declarations of the systems that receive data from users"
                            ),
                            decide: Vec::new(),
                        });
                        edges.push((id, me.clone(), i, "ingress"));
                    }
                }
                other => self.skip_flow(system, i, "ingress", other),
            }
        }
        for (from, to, flow, side) in edges {
            if from == to {
                self.note(
                    NoteKind::Kept,
                    format!("{side} of {}", system.key),
                    format!(
                        "({}) a flow from the system to itself: not imported",
                        flow.origin.at()
                    ),
                );
                continue;
            }
            let categories = match &flow.categories {
                Some(c) => c.clone(),
                None => self.declared_categories(&from, &to),
            };
            let entry = self
                .flows
                .entry((from.clone(), to.clone()))
                .or_insert_with(|| DraftFlow {
                    from: from.clone(),
                    to: to.clone(),
                    data: Vec::new(),
                    purpose: None,
                    adequacy: false,
                    own_categories: false,
                    evidence: Vec::new(),
                    decide: Vec::new(),
                });
            for c in categories {
                if !entry.data.contains(&c) {
                    entry.data.push(c);
                }
            }
            if flow.categories.is_some() {
                entry.own_categories = true;
            }
            entry.evidence.push(format!(
                "{side} of Fides system {} ({})",
                system.key,
                flow.origin.at()
            ));
        }
    }

    /// The entity id of a system named in an egress/ingress; systems not in the manifests
    /// become placeholder entities.
    fn peer(
        &mut self,
        key: &str,
        by: &str,
        taken: &mut BTreeSet<String>,
        origin: &Origin,
    ) -> String {
        if let Some(id) = self.ids.get(key) {
            return id.clone();
        }
        let id = unique_id(&entity_id(key), taken);
        self.ids.insert(key.to_string(), id.clone());
        self.entities.insert(
            id.clone(),
            DraftEntity {
                id: id.clone(),
                name: key.replace('_', " "),
                kind: "vendor",
                processing: Vec::new(),
                processing_comment: None,
                role: None,
                evidence: format!(
                    "Referenced by Fides system {by} ({}) but not defined in the imported manifests",
                    origin.at()
                ),
                decide: vec![
                    "not defined in the manifests: check its name, kind (assumed vendor) and role".to_string(),
                ],
            },
        );
        id
    }

    /// A note for an egress/ingress that is not a flow between entities.
    fn skip_flow(&mut self, system: &System, flow: &DataFlow, side: &str, kind: &str) {
        let why = match kind {
            "dataset" => "a dataset is storage inside a system, not another entity".to_string(),
            "user" => "data sent back to the system's own users is not a flow between entities"
                .to_string(),
            other => format!("unknown data flow type \"{other}\""),
        };
        self.note(
            NoteKind::Kept,
            format!("{side} of {}", system.key),
            format!(
                "({}) to {} \"{}\" not imported: {why}",
                flow.origin.at(),
                kind,
                flow.key
            ),
        );
    }

    /// The categories a flow between two entities carries when the manifest does not say: the
    /// sender's declared categories, else the receiver's.
    fn declared_categories(&self, from: &str, to: &str) -> Vec<String> {
        let of = |id: &str| -> Vec<String> {
            let mut out = Vec::new();
            for s in &self.manifest.systems {
                if self.ids.get(&s.key).map(String::as_str) == Some(id) {
                    for c in s.declarations.iter().flat_map(|d| &d.categories) {
                        if !out.contains(c) {
                            out.push(c.clone());
                        }
                    }
                }
            }
            out
        };
        let sent = of(from);
        if sent.is_empty() { of(to) } else { sent }
    }

    /// Purposes, adequacy mechanisms and mechanism notes, once every flow is known.
    fn outgoing_mechanisms(&mut self) {
        let systems: BTreeMap<String, &System> = self
            .manifest
            .systems
            .iter()
            .map(|s| (self.ids[&s.key].clone(), s))
            .collect();
        let keys: Vec<(String, String)> = self.flows.keys().cloned().collect();
        for key in keys {
            let (from, to) = key.clone();
            let data = self.flows[&key].data.clone();
            // Purpose: the receiving system's data uses for the data it receives.
            let purpose = systems.get(&to).and_then(|s| purpose_of(s, &data));
            let mut adequacy = false;
            let mut decide = Vec::new();
            if let Some(sender) = systems.get(&from) {
                for basis in &sender.transfer_bases {
                    match basis_hint(basis) {
                        None => adequacy = true,
                        Some(hint) => decide.push(format!(
                            "{} declares legal_basis_for_transfers \"{basis}\": if this flow crosses a border, {hint}",
                            sender.key
                        )),
                    }
                }
            }
            if let Some(flow) = self.flows.get_mut(&key) {
                flow.purpose = purpose;
                flow.adequacy = adequacy;
                flow.decide = decide;
            }
        }
    }

    /// Maps every category used on a flow through the table; drops what is not personal data
    /// from the flows, and the flows left with no data.
    fn map_categories(&mut self) {
        let used: BTreeSet<String> = self.flows.values().flat_map(|f| f.data.clone()).collect();
        let mut dropped: BTreeSet<String> = BTreeSet::new();
        for c in used {
            match self.table.lookup(&c) {
                Some(m) if m.like.is_none() => {
                    dropped.insert(c);
                }
                Some(m) => {
                    self.categories.insert(c, Some(m.clone()));
                }
                None => {
                    self.categories.insert(c, None);
                }
            }
        }
        for c in &dropped {
            self.note(
                NoteKind::Kept,
                format!("category {c}"),
                "not personal data in the mapping table: dropped from the flows",
            );
        }
        let keys: Vec<(String, String)> = self.flows.keys().cloned().collect();
        for key in keys {
            let Some(flow) = self.flows.get_mut(&key) else {
                continue;
            };
            flow.data.retain(|c| !dropped.contains(c));
            flow.data.sort();
            if flow.data.is_empty() {
                let evidence = flow.evidence.join("; ");
                self.flows.remove(&key);
                self.note(
                    NoteKind::Kept,
                    format!("flow {} -> {}", key.0, key.1),
                    format!("not imported: it carries no personal data ({evidence})"),
                );
            }
        }
    }
}

/// The map role for a Fides responsibility, if it is one.
fn role_of(responsibility: &str) -> Option<&'static str> {
    match responsibility
        .trim()
        .to_ascii_lowercase()
        .replace(['-', '_'], " ")
        .as_str()
    {
        "controller" | "joint controller" => Some("controller"),
        "processor" | "sub processor" | "subprocessor" => Some("processor"),
        _ => None,
    }
}

/// For a Fides `legal_basis_for_transfers` value: `None` when it maps onto the `adequacy`
/// mechanism as is, else what the user must add.
fn basis_hint(basis: &str) -> Option<String> {
    let b = basis.trim().to_ascii_lowercase();
    if b.contains("adequacy") {
        return None;
    }
    Some(if b.contains("scc") || b.contains("standard contractual") {
        "add `{ kind: scc, version: \"2021/914\", module: N, signed: YYYY-MM-DD, tia: YYYY-MM-DD }` with the contract's module and dates".to_string()
    } else if b.contains("bcr") || b.contains("binding corporate") {
        "add `{ kind: bcr, approved: YYYY-MM-DD, group: NAME }`".to_string()
    } else if b.contains("supplementary") {
        "supplementary measures are not a mechanism of their own: record the SCCs or BCRs they supplement and the `tia:` date".to_string()
    } else {
        "add the mechanism it stands for (adequacy, scc, idta, bcr, a framework or an occasional derogation)".to_string()
    })
}

/// The receiving system's data uses for the data a flow carries (all of them when no
/// declaration shares a category with the flow).
fn purpose_of(system: &System, data: &[String]) -> Option<String> {
    let related = |d: &Declaration| {
        d.categories.iter().any(|c| {
            data.iter().any(|x| {
                x == c || x.starts_with(&format!("{c}.")) || c.starts_with(&format!("{x}."))
            })
        })
    };
    let mut uses: BTreeSet<&str> = system
        .declarations
        .iter()
        .filter(|d| related(d))
        .filter_map(|d| d.data_use.as_deref())
        .collect();
    if uses.is_empty() {
        uses = system
            .declarations
            .iter()
            .filter_map(|d| d.data_use.as_deref())
            .collect();
    }
    (!uses.is_empty()).then(|| uses.into_iter().collect::<Vec<_>>().join(", "))
}

/// The entity's `evidence`: where the system is defined and everything else it says.
fn system_evidence(s: &System) -> String {
    let mut parts = vec![format!("Fides system {} ({})", s.key, s.origin.at())];
    if let Some(d) = &s.description {
        parts.push(d.trim_end_matches('.').to_string());
    }
    let mut facts = Vec::new();
    if let Some(t) = &s.system_type {
        facts.push(format!("type {t}"));
    }
    if let Some(d) = &s.department {
        facts.push(format!("department {d}"));
    }
    if let Some(n) = &s.legal_name {
        facts.push(format!("legal name {n}"));
    }
    if let Some(v) = &s.vendor_id {
        facts.push(format!("vendor {v}"));
    }
    if !s.responsibility.is_empty() {
        facts.push(format!("responsibility {}", s.responsibility.join(", ")));
    }
    if let Some(i) = s.international {
        facts.push(format!("does_international_transfers {i}"));
    }
    if !s.transfer_bases.is_empty() {
        facts.push(format!(
            "legal_basis_for_transfers {}",
            s.transfer_bases.join(", ")
        ));
    }
    if !s.third_countries.is_empty() {
        facts.push(format!(
            "third_country_transfers {}",
            s.third_countries.join(", ")
        ));
    }
    if !facts.is_empty() {
        parts.push(facts.join("; "));
    }
    for d in &s.declarations {
        let mut text = format!(
            "declaration \"{}\"",
            d.name.as_deref().unwrap_or("(unnamed)")
        );
        let mut details = Vec::new();
        if let Some(u) = &d.data_use {
            details.push(format!("use {u}"));
        }
        if !d.categories.is_empty() {
            details.push(format!("categories {}", d.categories.join(", ")));
        }
        if !d.subjects.is_empty() {
            details.push(format!("subjects {}", d.subjects.join(", ")));
        }
        if !d.datasets.is_empty() {
            details.push(format!("datasets {}", d.datasets.join(", ")));
        }
        if let Some(q) = &d.qualifier {
            details.push(format!("qualifier {q}"));
        }
        if !details.is_empty() {
            text.push_str(&format!(" ({})", details.join("; ")));
        }
        parts.push(text);
    }
    if let Some(dpia) = &s.dpia {
        parts.push(format!("DPIA: {dpia}"));
    }
    if let Some(sec) = &s.security {
        parts.push(format!("security practices: {sec}"));
    }
    parts.join(". ")
}

/// A map id for a Fides key: lower case, with anything outside `[a-z0-9._-]` replaced by `-`.
pub(super) fn entity_id(key: &str) -> String {
    let mut id = xborder_model::id_like(key);
    if id.is_empty() {
        id = "system".to_string();
    }
    id
}

/// A map category id for a fideslang key (same rules as [`entity_id`]).
pub(super) fn category_id(key: &str) -> String {
    entity_id(key)
}

/// `base`, or `base-2`, `base-3`… when taken; the result is then taken.
fn unique_id(base: &str, taken: &mut BTreeSet<String>) -> String {
    let mut id = base.to_string();
    let mut n = 2;
    while taken.contains(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    taken.insert(id.clone());
    id
}

/// The id of the flow between two entities.
pub(super) fn flow_id(from: &str, to: &str) -> String {
    format!("{from}--{to}")
}
