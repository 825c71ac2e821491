//! Fides privacy-as-code manifests → a draft xborder data map.
//!
//! What maps onto what (documented for users in `docs/interop.md`):
//!
//! - each `system` becomes an entity (id: its `fides_key`; `kind: vendor` when it names a
//!   `vendor_id`, else `company`); its `responsibility` (or the legacy
//!   `data_responsibility_title`) gives the default `role`; the legacy
//!   `third_country_transfers` (ISO 3166-1 alpha-3) gives `processing` (alpha-2);
//! - `egress` / `ingress` of type `system` become flows (an egress of A to B and an ingress of B
//!   from A are one flow); an `ingress` of type `user` becomes a flow from the data subjects of
//!   the system's declarations; the flow's data is the flow's own `data_categories`, else the
//!   sending system's declared categories; its purpose the receiving system's `data_use`s;
//! - data categories become map categories named by their fideslang key, declared `like:` the
//!   rulebook category the mapping table (`data/interop/fideslang-categories.yaml`) gives;
//! - `legal_basis_for_transfers: [Adequacy Decision]` becomes an `adequacy` mechanism on the
//!   system's outgoing flows; other bases are left for the user (they need dates and modules
//!   the manifest does not have);
//! - `organization` gives `organisation` and, in comments, the controller, DPO and representative.
//!
//! Fides has no establishment country: every entity gets `country: ~  # FILL IN`, which the
//! validator rejects until it is filled — the import report lists each such line.
//! Everything else the manifest says is kept in `evidence` or comments, or reported as not
//! imported. Output is deterministic: entities, categories and flows sorted by id.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;
use xborder_model::{Loc, Node, NodeKind, ParseLimits, parse_yaml};

use crate::countries::alpha3_to_alpha2;
use crate::yaml::{list, quoted, scalar};

/// The built-in mapping table.
pub const DEFAULT_MAPPING: &str = include_str!("../../../data/interop/fideslang-categories.yaml");

/// One row of the fideslang → rulebook category table.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    /// A fideslang data category key; it also covers the keys below it.
    pub fides: String,
    /// The fideslang name, for comments.
    #[serde(default)]
    pub name: Option<String>,
    /// The rulebook base category, or `None`: not personal data.
    pub like: Option<String>,
    /// Why the mapping is only a default, repeated in the import report.
    #[serde(default)]
    pub review: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MappingFile {
    format: u32,
    mappings: Vec<Mapping>,
}

/// The fideslang → rulebook category table.
#[derive(Debug, Clone)]
pub struct CategoryTable {
    by_key: BTreeMap<String, Mapping>,
}

impl CategoryTable {
    /// Parses a mapping table and checks every `like:` against the rulebook's base categories.
    pub fn parse(text: &str, base_categories: &BTreeSet<String>) -> Result<Self, String> {
        let file: MappingFile = serde_saphyr::from_str(text).map_err(|e| e.to_string())?;
        if file.format != 1 {
            return Err(format!(
                "unsupported mapping table format {} (this version reads `format: 1`)",
                file.format
            ));
        }
        let mut by_key = BTreeMap::new();
        let mut problems = Vec::new();
        for m in file.mappings {
            if let Some(like) = &m.like
                && !base_categories.contains(like)
            {
                problems.push(format!(
                    "mapping of \"{}\": \"{like}\" is not a rulebook base category",
                    m.fides
                ));
            }
            if by_key.contains_key(&m.fides) {
                problems.push(format!("\"{}\" is mapped twice", m.fides));
            }
            by_key.insert(m.fides.clone(), m);
        }
        if problems.is_empty() {
            Ok(CategoryTable { by_key })
        } else {
            Err(problems.join("; "))
        }
    }

    /// The entry for a fideslang key: the longest matching prefix at a dot boundary.
    pub fn lookup(&self, key: &str) -> Option<&Mapping> {
        let mut candidate = key;
        loop {
            if let Some(m) = self.by_key.get(candidate) {
                return Some(m);
            }
            let (parent, _) = candidate.rsplit_once('.')?;
            candidate = parent;
        }
    }

    pub fn len(&self) -> usize {
        self.by_key.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_key.is_empty()
    }
}

/// One input file.
#[derive(Debug, Clone)]
pub struct Input {
    /// The path as the user gave it: used in every message and in `evidence`.
    pub path: String,
    pub text: String,
}

/// A problem that makes an input unusable (exit 2): where it is and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    pub path: String,
    pub line: u32,
    pub column: u32,
    pub message: String,
    pub hint: Option<String>,
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "error: {}:{}:{}: {}",
            self.path, self.line, self.column, self.message
        )?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

/// What kind of thing the import report says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum NoteKind {
    /// The map does not validate until this is filled in.
    FillIn,
    /// The map validates, but verdicts depend on it (mechanisms, roles, subjects).
    Decide,
    /// Kept only as evidence or a comment, or not imported.
    Kept,
}

/// One line of the import report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub kind: NoteKind,
    /// Line in the produced YAML, where there is one.
    pub line: Option<usize>,
    /// What it is about, e.g. `entities.demo_analytics_system.country`.
    pub subject: String,
    pub message: String,
}

/// Counts for the report's first line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    pub files: usize,
    pub systems: usize,
    pub datasets: usize,
    pub organizations: usize,
    pub entities: usize,
    pub flows: usize,
    pub categories: usize,
}

/// The result of an import: the map text and the report.
#[derive(Debug, Clone)]
pub struct Imported {
    pub yaml: String,
    pub notes: Vec<Note>,
    pub stats: Stats,
}

/// Options of an import.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// `organisation:` of the map; default: the manifests' first organization's name.
    pub organisation: Option<String>,
}

/// Imports Fides manifests into a draft data map. Every problem of every file is returned at
/// once; nothing is produced then.
pub fn import(
    inputs: &[Input],
    table: &CategoryTable,
    options: &Options,
) -> Result<Imported, Vec<ImportError>> {
    let mut errors = Vec::new();
    let mut manifest = Manifest::default();
    for input in inputs {
        manifest.files.push(input.path.clone());
        let mut reader = Reader {
            path: &input.path,
            errors: &mut errors,
        };
        reader.file(&input.text, &mut manifest);
    }
    // Duplicate system keys across files.
    let mut seen: BTreeMap<&str, &Origin> = BTreeMap::new();
    for system in &manifest.systems {
        if let Some(first) = seen.insert(system.key.as_str(), &system.origin) {
            errors.push(ImportError {
                path: system.origin.path.clone(),
                line: system.origin.loc.line,
                column: system.origin.loc.column,
                message: format!("duplicate system fides_key \"{}\"", system.key),
                hint: Some(format!(
                    "it is already defined at {}:{}; keep one definition",
                    first.path, first.loc.line
                )),
            });
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Builder::new(&manifest, table, options, inputs.len()).build())
}

// ---- reading --------------------------------------------------------------------------------

#[derive(Debug, Clone)]
struct Origin {
    path: String,
    loc: Loc,
}

impl Origin {
    fn at(&self) -> String {
        format!("{}:{}", self.path, self.loc.line)
    }
}

#[derive(Debug, Default)]
struct Manifest {
    /// Every input path, in the order given.
    files: Vec<String>,
    systems: Vec<System>,
    datasets: Vec<(String, Origin)>,
    organizations: Vec<Organization>,
    /// Other top-level sections: (key, count, origin).
    other: Vec<(String, usize, Origin)>,
}

#[derive(Debug, Clone)]
struct System {
    key: String,
    origin: Origin,
    name: Option<String>,
    description: Option<String>,
    system_type: Option<String>,
    department: Option<String>,
    vendor_id: Option<String>,
    legal_name: Option<String>,
    responsibility: Vec<String>,
    third_countries: Vec<String>,
    egress: Vec<DataFlow>,
    ingress: Vec<DataFlow>,
    declarations: Vec<Declaration>,
    international: Option<bool>,
    transfer_bases: Vec<String>,
    dpia: Option<String>,
    security: Option<String>,
    /// Keys of the system this importer does not use, sorted.
    unused: BTreeSet<String>,
}

#[derive(Debug, Clone)]
struct DataFlow {
    key: String,
    kind: String,
    categories: Option<Vec<String>>,
    origin: Origin,
}

#[derive(Debug, Clone, Default)]
struct Declaration {
    name: Option<String>,
    categories: Vec<String>,
    data_use: Option<String>,
    subjects: Vec<String>,
    datasets: Vec<String>,
    qualifier: Option<String>,
}

#[derive(Debug, Clone)]
struct Organization {
    key: String,
    name: Option<String>,
    description: Option<String>,
    contacts: Vec<(String, String)>,
}

const SYSTEM_KEYS: &[&str] = &[
    "fides_key",
    "name",
    "description",
    "system_type",
    "administrating_department",
    "vendor_id",
    "legal_name",
    "responsibility",
    "data_responsibility_title",
    "third_country_transfers",
    "egress",
    "ingress",
    "privacy_declarations",
    "does_international_transfers",
    "legal_basis_for_transfers",
    "data_protection_impact_assessment",
    "data_security_practices",
    "organization_fides_key",
    "tags",
];

struct Reader<'a> {
    path: &'a str,
    errors: &'a mut Vec<ImportError>,
}

impl Reader<'_> {
    fn origin(&self, loc: Loc) -> Origin {
        Origin {
            path: self.path.to_string(),
            loc,
        }
    }

    fn error(&mut self, loc: Loc, message: impl Into<String>, hint: &str) {
        self.errors.push(ImportError {
            path: self.path.to_string(),
            line: loc.line,
            column: loc.column,
            message: message.into(),
            hint: (!hint.is_empty()).then(|| hint.to_string()),
        });
    }

    fn file(&mut self, text: &str, manifest: &mut Manifest) {
        let root = match parse_yaml(text, ParseLimits::default()) {
            Ok(root) => root,
            Err(d) => {
                let hint = d.hint.clone().unwrap_or_default();
                self.error(d.loc, d.message, &hint);
                return;
            }
        };
        let Some(entries) = self.mapping(&root, "a Fides manifest") else {
            return;
        };
        for (key, value) in entries {
            let Some(key_text) = self.key(key) else {
                continue;
            };
            match key_text {
                "system" => {
                    for item in self.sequence(value, "system") {
                        if let Some(system) = self.system(item) {
                            manifest.systems.push(system);
                        }
                    }
                }
                "dataset" => {
                    for item in self.sequence(value, "dataset") {
                        if let Some(entries) = self.mapping(item, "a dataset")
                            && let Some(key) = self.required_string(entries, item.loc, "fides_key")
                        {
                            manifest.datasets.push((key, self.origin(item.loc)));
                        }
                    }
                }
                "organization" => {
                    for item in self.sequence(value, "organization") {
                        if let Some(org) = self.organization(item) {
                            manifest.organizations.push(org);
                        }
                    }
                }
                other => {
                    let count = match &value.kind {
                        NodeKind::Seq(items) => items.len(),
                        _ => 1,
                    };
                    manifest
                        .other
                        .push((other.to_string(), count, self.origin(key.loc)));
                }
            }
        }
    }

    fn system(&mut self, node: &Node) -> Option<System> {
        let entries = self.mapping(node, "a system")?;
        let key = self.required_string(entries, node.loc, "fides_key")?;
        let get = |k: &str| field(entries, k);
        let mut responsibility: Vec<String> = get("responsibility")
            .map(|n| self.strings(n, "responsibility"))
            .unwrap_or_default();
        if let Some(n) = get("data_responsibility_title")
            && let Some(title) = self.string(n, "data_responsibility_title")
        {
            responsibility.push(title);
        }
        let third_countries = get("third_country_transfers")
            .map(|n| self.strings(n, "third_country_transfers"))
            .unwrap_or_default();
        let egress = get("egress")
            .map(|n| self.data_flows(n, "egress"))
            .unwrap_or_default();
        let ingress = get("ingress")
            .map(|n| self.data_flows(n, "ingress"))
            .unwrap_or_default();
        let declarations = get("privacy_declarations")
            .map(|n| {
                self.sequence(n, "privacy_declarations")
                    .iter()
                    .filter_map(|d| self.declaration(d))
                    .collect()
            })
            .unwrap_or_default();
        let international = get("does_international_transfers").and_then(|n| match n.kind {
            NodeKind::Bool(b) => Some(b),
            NodeKind::Null => None,
            _ => {
                self.error(
                    n.loc,
                    format!(
                        "`does_international_transfers` must be true or false, found {}",
                        n.kind.describe()
                    ),
                    "write true or false",
                );
                None
            }
        });
        let transfer_bases = get("legal_basis_for_transfers")
            .map(|n| self.strings(n, "legal_basis_for_transfers"))
            .unwrap_or_default();
        let dpia = get("data_protection_impact_assessment").map(|n| self.summary(n));
        let security = get("data_security_practices").and_then(|n| self.string(n, "x"));
        let unused = entries
            .iter()
            .filter_map(|(k, _)| match &k.kind {
                NodeKind::Str(s) if !SYSTEM_KEYS.contains(&&**s) => Some(s.to_string()),
                _ => None,
            })
            .collect();
        let text = |s: &mut Self, k: &str| get(k).and_then(|n| s.string(n, k));
        Some(System {
            origin: self.origin(node.loc),
            name: text(self, "name"),
            description: text(self, "description"),
            system_type: text(self, "system_type"),
            department: text(self, "administrating_department"),
            vendor_id: text(self, "vendor_id"),
            legal_name: text(self, "legal_name"),
            responsibility,
            third_countries,
            egress,
            ingress,
            declarations,
            international,
            transfer_bases,
            dpia,
            security,
            unused,
            key,
        })
    }

    fn data_flows(&mut self, node: &Node, what: &str) -> Vec<DataFlow> {
        let mut out = Vec::new();
        for item in self.sequence(node, what) {
            let Some(entries) = self.mapping(item, &format!("an {what} entry")) else {
                continue;
            };
            let Some(key) = self.required_string(entries, item.loc, "fides_key") else {
                continue;
            };
            let kind = field(entries, "type")
                .and_then(|n| self.string(n, "type"))
                .unwrap_or_else(|| "system".to_string());
            let categories = field(entries, "data_categories")
                .filter(|n| n.kind != NodeKind::Null)
                .map(|n| self.strings(n, "data_categories"));
            out.push(DataFlow {
                key,
                kind,
                categories,
                origin: self.origin(item.loc),
            });
        }
        out
    }

    fn declaration(&mut self, node: &Node) -> Option<Declaration> {
        let entries = self.mapping(node, "a privacy declaration")?;
        let get = |k: &str| field(entries, k);
        Some(Declaration {
            name: get("name").and_then(|n| self.string(n, "name")),
            categories: get("data_categories")
                .map(|n| self.strings(n, "data_categories"))
                .unwrap_or_default(),
            data_use: get("data_use").and_then(|n| self.string(n, "data_use")),
            subjects: get("data_subjects")
                .map(|n| self.strings(n, "data_subjects"))
                .unwrap_or_default(),
            datasets: get("dataset_references")
                .map(|n| self.strings(n, "dataset_references"))
                .unwrap_or_default(),
            qualifier: get("data_qualifier").and_then(|n| self.string(n, "data_qualifier")),
        })
    }

    fn organization(&mut self, node: &Node) -> Option<Organization> {
        let entries = self.mapping(node, "an organization")?;
        let key = self.required_string(entries, node.loc, "fides_key")?;
        let mut contacts = Vec::new();
        for role in [
            "controller",
            "data_protection_officer",
            "representative",
            "security_policy",
        ] {
            if let Some(n) = field(entries, role) {
                let text = self.summary(n);
                if !text.is_empty() {
                    contacts.push((role.replace('_', " "), text));
                }
            }
        }
        Some(Organization {
            key,
            name: field(entries, "name").and_then(|n| self.string(n, "name")),
            description: field(entries, "description").and_then(|n| self.string(n, "description")),
            contacts,
        })
    }

    /// A one-line rendering of a scalar or a flat mapping (`name, address, email`).
    fn summary(&mut self, node: &Node) -> String {
        match &node.kind {
            NodeKind::Map(entries) => entries
                .iter()
                .filter_map(|(k, v)| {
                    let key = match &k.kind {
                        NodeKind::Str(s) => s.replace('_', " "),
                        _ => return None,
                    };
                    scalar_text(v).map(|value| format!("{key}: {value}"))
                })
                .collect::<Vec<_>>()
                .join("; "),
            _ => scalar_text(node).unwrap_or_default(),
        }
    }

    // -- primitives --

    fn mapping<'n>(&mut self, node: &'n Node, what: &str) -> Option<&'n [(Node, Node)]> {
        match &node.kind {
            NodeKind::Map(entries) => Some(entries),
            NodeKind::Null => Some(&[]),
            other => {
                self.error(
                    node.loc,
                    format!("{what} must be a mapping, found {}", other.describe()),
                    "write `key: value` pairs",
                );
                None
            }
        }
    }

    fn sequence<'n>(&mut self, node: &'n Node, what: &str) -> &'n [Node] {
        match &node.kind {
            NodeKind::Seq(items) => items,
            NodeKind::Null => &[],
            other => {
                self.error(
                    node.loc,
                    format!("`{what}` must be a list, found {}", other.describe()),
                    "write a YAML list: one `- item` per line",
                );
                &[]
            }
        }
    }

    fn key<'n>(&mut self, node: &'n Node) -> Option<&'n str> {
        match &node.kind {
            NodeKind::Str(s) => Some(s),
            other => {
                self.error(
                    node.loc,
                    format!("keys must be strings, found {}", other.describe()),
                    "quote the key",
                );
                None
            }
        }
    }

    fn string(&mut self, node: &Node, key: &str) -> Option<String> {
        match &node.kind {
            NodeKind::Null => None,
            NodeKind::Seq(_) | NodeKind::Map(_) => {
                self.error(
                    node.loc,
                    format!("`{key}` must be text, found {}", node.kind.describe()),
                    "write a single value",
                );
                None
            }
            _ => scalar_text(node).filter(|s| !s.trim().is_empty()),
        }
    }

    fn required_string(&mut self, entries: &[(Node, Node)], loc: Loc, key: &str) -> Option<String> {
        match field(entries, key).and_then(|n| self.string(n, key)) {
            Some(s) => Some(s),
            None => {
                self.error(
                    loc,
                    format!("this entry has no `{key}`"),
                    &format!("every Fides resource needs a `{key}`"),
                );
                None
            }
        }
    }

    /// A list of scalars (a single scalar counts as a list of one).
    fn strings(&mut self, node: &Node, key: &str) -> Vec<String> {
        match &node.kind {
            NodeKind::Seq(items) => items.iter().filter_map(|i| self.string(i, key)).collect(),
            NodeKind::Null => Vec::new(),
            NodeKind::Map(_) => {
                self.error(
                    node.loc,
                    format!("`{key}` must be a list, found a mapping"),
                    &format!("write `{key}: [a, b]`"),
                );
                Vec::new()
            }
            _ => self.string(node, key).into_iter().collect(),
        }
    }
}

fn field<'n>(entries: &'n [(Node, Node)], key: &str) -> Option<&'n Node> {
    entries
        .iter()
        .find(|(k, _)| matches!(&k.kind, NodeKind::Str(s) if &**s == key))
        .map(|(_, v)| v)
}

fn scalar_text(node: &Node) -> Option<String> {
    match &node.kind {
        NodeKind::Str(s) => Some(s.trim().to_string()),
        NodeKind::Int(i) => Some(i.to_string()),
        NodeKind::Float(f) => Some(f.to_string()),
        NodeKind::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

// ---- building the map -----------------------------------------------------------------------

/// An entity of the draft map.
#[derive(Debug, Clone)]
struct DraftEntity {
    id: String,
    name: String,
    kind: &'static str,
    processing: Vec<String>,
    processing_comment: Option<String>,
    role: Option<&'static str>,
    evidence: String,
    /// Report notes attached to the entity (besides the country fill-in).
    decide: Vec<String>,
}

#[derive(Debug, Clone)]
struct DraftFlow {
    from: String,
    to: String,
    data: Vec<String>,
    purpose: Option<String>,
    adequacy: bool,
    /// The data came from the data flow's own `data_categories` (else from declarations).
    own_categories: bool,
    evidence: Vec<String>,
    decide: Vec<String>,
}

struct Builder<'a> {
    manifest: &'a Manifest,
    table: &'a CategoryTable,
    options: &'a Options,
    files: usize,
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
    fn new(
        manifest: &'a Manifest,
        table: &'a CategoryTable,
        options: &'a Options,
        files: usize,
    ) -> Self {
        Builder {
            manifest,
            table,
            options,
            files,
            notes: Vec::new(),
            ids: BTreeMap::new(),
            entities: BTreeMap::new(),
            flows: BTreeMap::new(),
            categories: BTreeMap::new(),
            idle_subjects: BTreeMap::new(),
        }
    }

    fn note(&mut self, kind: NoteKind, subject: impl Into<String>, message: impl Into<String>) {
        self.notes.push(Note {
            kind,
            line: None,
            subject: subject.into(),
            message: message.into(),
        });
    }

    fn build(mut self) -> Imported {
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
        // Subjects declared by systems but with no flow from them.
        for system in &manifest.systems {
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
        self.render()
    }

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
        // Map every category used on a flow; drop what is not personal data.
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

    // ---- rendering ----

    fn render(mut self) -> Imported {
        let mut out = Out::default();
        out.line("# Data map imported from Fides manifests by `xborder import fides`: a draft to review.");
        out.line("#");
        out.line("# Inputs:");
        for i in &self.manifest.files {
            out.line(&format!("#   {i}"));
        }
        out.line("# Data categories: fideslang keys, each declared `like:` the rulebook category given by the");
        out.line("#   mapping table (data/interop/fideslang-categories.yaml, documented in docs/interop.md).");
        out.line("# \"FILL IN\" marks what Fides does not say and the format requires (the map does not validate");
        out.line("#   until each is filled in); \"DECIDE\" marks what the verdicts depend on. The import report");
        out.line("#   printed on stderr lists both with their line numbers.");
        for org in &self.manifest.organizations {
            let mut text = format!("# Fides organization {}", org.key);
            if let Some(name) = &org.name {
                text.push_str(&format!(" ({name})"));
            }
            if let Some(d) = &org.description {
                text.push_str(&format!(": {d}"));
            }
            out.line(&text);
            for (role, contact) in &org.contacts {
                out.line(&format!("#   {role}: {contact}"));
            }
        }
        out.line("format: 1");
        let organisation = self.options.organisation.clone().or_else(|| {
            self.manifest
                .organizations
                .iter()
                .find_map(|o| o.name.clone())
        });
        match organisation {
            Some(name) => {
                out.line(&format!("organisation: {}", scalar(&name)));
            }
            None => {
                let line = out.line(
                    "organisation: ~  # FILL IN: whose map this is (the manifests have no organization)",
                );
                self.notes.push(Note {
                    kind: NoteKind::FillIn,
                    line: Some(line),
                    subject: "organisation".to_string(),
                    message: "the manifests name no organization: write whose map this is (or pass --organisation)".to_string(),
                });
            }
        }
        out.blank();
        out.line("entities:");
        let entities: Vec<DraftEntity> = self.entities.values().cloned().collect();
        for e in &entities {
            out.line(&format!("  {}:", scalar(&e.id)));
            out.line(&format!("    name: {}", scalar(&e.name)));
            out.line(&format!("    kind: {}", e.kind));
            let what = if e.kind == "subjects" {
                "where these data subjects are: ISO 3166-1 alpha-2, a subdivision (US-CA) or a region (EEA)"
            } else {
                "ISO 3166-1 alpha-2 code of the country where it is established"
            };
            let line = out.line(&format!("    country: ~  # FILL IN: {what}"));
            self.notes.push(Note {
                kind: NoteKind::FillIn,
                line: Some(line),
                subject: format!("entities.{}.country", e.id),
                message: format!("{what} (Fides has no location for \"{}\")", e.name),
            });
            if !e.processing.is_empty() {
                let comment = e
                    .processing_comment
                    .as_deref()
                    .map(|c| format!("  # {c}"))
                    .unwrap_or_default();
                out.line(&format!("    processing: {}{comment}", list(&e.processing)));
            }
            if let Some(role) = e.role {
                out.line(&format!("    role: {role}"));
            }
            for d in &e.decide {
                let line = out.line(&format!("    # DECIDE: {d}"));
                self.notes.push(Note {
                    kind: NoteKind::Decide,
                    line: Some(line),
                    subject: format!("entities.{}", e.id),
                    message: d.clone(),
                });
            }
            out.line(&format!("    evidence: {}", quoted(&e.evidence)));
        }
        if !self.idle_subjects.is_empty() {
            out.line("  # Data subjects named by the declarations, with no flow from them in the manifests.");
            out.line("  # Uncomment, give their country or region, and add flows to the collecting systems:");
            for (id, systems) in &self.idle_subjects {
                out.line(&format!("  # {id}:"));
                out.line(&format!(
                    "  #   name: {}",
                    quoted(&format!("Data subjects: {}", id.replace('_', " ")))
                ));
                out.line("  #   kind: subjects");
                out.line("  #   country: EEA");
                let names: Vec<&str> = systems.iter().map(String::as_str).collect();
                out.line(&format!(
                    "  #   evidence: {}",
                    quoted(&format!(
                        "Fides data subject \"{id}\", declared by {}",
                        names.join(", ")
                    ))
                ));
            }
        }
        if !self.categories.is_empty() {
            out.blank();
            out.line("categories:");
            let categories: Vec<(String, Option<Mapping>)> = self
                .categories
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            for (key, mapping) in categories {
                let id = category_id(&key);
                match mapping {
                    Some(m) => {
                        let like = m.like.clone().unwrap_or_default();
                        let mut comment = match (&m.name, m.fides == key) {
                            (Some(name), true) => format!("  # {name}"),
                            (Some(name), false) => format!("  # under {} ({name})", m.fides),
                            (None, _) => String::new(),
                        };
                        if m.review.is_some() {
                            comment.push_str(" — DECIDE: see the import report");
                        }
                        let line =
                            out.line(&format!("  {}: {{ like: {like} }}{comment}", scalar(&id)));
                        if let Some(review) = &m.review {
                            self.notes.push(Note {
                                kind: NoteKind::Decide,
                                line: Some(line),
                                subject: format!("categories.{id}"),
                                message: format!("mapped like {like} by default: {review}"),
                            });
                        }
                    }
                    None => {
                        let line = out.line(&format!(
                            "  {}: {{ like: ~ }}  # FILL IN: the rulebook category it is treated like",
                            scalar(&id)
                        ));
                        self.notes.push(Note {
                            kind: NoteKind::FillIn,
                            line: Some(line),
                            subject: format!("categories.{id}"),
                            message: format!(
                                "\"{key}\" is not in the mapping table: write the rulebook base category it is treated like (e.g. ordinary, health, biometric)"
                            ),
                        });
                    }
                }
            }
        }
        out.blank();
        if self.flows.is_empty() {
            out.line("flows: []  # the manifests describe no flow between systems");
            self.notes.push(Note {
                kind: NoteKind::Decide,
                line: Some(out.lines.len()),
                subject: "flows".to_string(),
                message: "the manifests have no egress/ingress between systems: add the flows of personal data".to_string(),
            });
        } else {
            out.line("flows:");
        }
        let flows: Vec<DraftFlow> = self.flows.values().cloned().collect();
        for f in &flows {
            let id = flow_id(&f.from, &f.to);
            out.line(&format!("  - id: {}", scalar(&id)));
            out.line(&format!("    from: {}", scalar(&f.from)));
            out.line(&format!("    to: {}", scalar(&f.to)));
            let data: Vec<String> = f.data.iter().map(|c| category_id(c)).collect();
            out.line(&format!("    data: {}", list(&data)));
            if let Some(p) = &f.purpose {
                out.line(&format!("    purpose: {}", scalar(p)));
            }
            if f.adequacy {
                out.line("    mechanisms: [ { kind: adequacy } ]  # legal_basis_for_transfers: Adequacy Decision");
            }
            for d in &f.decide {
                let line = out.line(&format!("    # DECIDE: {d}"));
                self.notes.push(Note {
                    kind: NoteKind::Decide,
                    line: Some(line),
                    subject: format!("flows.{id}"),
                    message: d.clone(),
                });
            }
            let source = if f.own_categories {
                "data: the data flow's data_categories"
            } else {
                "data: the sending system's declared data_categories (the manifest lists none on the flow)"
            };
            out.line(&format!(
                "    evidence: {}",
                quoted(&format!("{}; {source}", f.evidence.join("; ")))
            ));
        }
        self.notes.sort_by(|a, b| {
            (a.kind, a.line.is_none(), a.line, &a.subject).cmp(&(
                b.kind,
                b.line.is_none(),
                b.line,
                &b.subject,
            ))
        });
        let stats = Stats {
            files: self.files,
            systems: self.manifest.systems.len(),
            datasets: self.manifest.datasets.len(),
            organizations: self.manifest.organizations.len(),
            entities: entities.len(),
            flows: flows.len(),
            categories: self.categories.len(),
        };
        Imported {
            yaml: out.text(),
            notes: self.notes,
            stats,
        }
    }
}

#[derive(Default)]
struct Out {
    lines: Vec<String>,
}

impl Out {
    /// Appends a line; returns its 1-based number.
    fn line(&mut self, text: &str) -> usize {
        self.lines.push(text.to_string());
        self.lines.len()
    }

    fn blank(&mut self) {
        self.lines.push(String::new());
    }

    fn text(&self) -> String {
        let mut s = self.lines.join("\n");
        s.push('\n');
        s
    }
}

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
fn entity_id(key: &str) -> String {
    let mut id: String = key
        .trim()
        .to_ascii_lowercase()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '-'
            }
        })
        .collect();
    id = id.trim_start_matches(['.', '_', '-']).to_string();
    if id.is_empty() {
        id = "system".to_string();
    }
    id
}

fn category_id(key: &str) -> String {
    entity_id(key)
}

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

fn flow_id(from: &str, to: &str) -> String {
    format!("{from}--{to}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> BTreeSet<String> {
        [
            "ordinary",
            "name",
            "email",
            "ip-address",
            "device-id",
            "contact",
            "account",
            "payment-card",
            "financial",
            "location",
            "online-identifiers",
            "hr",
            "health",
            "biometric",
            "racial-ethnic-origin",
            "religious-belief",
            "political-opinion",
            "trade-union",
            "sex-life",
            "genetic",
            "criminal",
            "children",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    }

    #[test]
    fn table_parses_and_matches_longest_prefix() {
        let table = CategoryTable::parse(DEFAULT_MAPPING, &base()).expect("table");
        let like = |k: &str| table.lookup(k).and_then(|m| m.like.clone());
        assert_eq!(like("user.biometric").as_deref(), Some("biometric"));
        assert_eq!(
            like("user.biometric.fingerprint").as_deref(),
            Some("biometric")
        );
        assert_eq!(like("user.contact.email").as_deref(), Some("email"));
        assert_eq!(
            like("user.contact.address.city").as_deref(),
            Some("contact")
        );
        assert_eq!(
            like("user.device.cookie_id").as_deref(),
            Some("online-identifiers")
        );
        assert_eq!(like("user.health.genetic").as_deref(), Some("genetic"));
        assert_eq!(like("user.something_new").as_deref(), Some("ordinary"));
        assert!(
            table
                .lookup("system.operations")
                .is_some_and(|m| m.like.is_none())
        );
        assert!(table.lookup("custom.thing").is_none());
    }

    #[test]
    fn table_rejects_unknown_base_categories() {
        let text = "format: 1\nmappings:\n  - { fides: user.x, like: nope }\n";
        let err = CategoryTable::parse(text, &base()).expect_err("unknown base");
        assert!(err.contains("nope"), "{err}");
    }

    #[test]
    fn errors_name_file_line_and_column() {
        let table = CategoryTable::parse(DEFAULT_MAPPING, &base()).expect("table");
        let input = Input {
            path: "m.yml".into(),
            text: "system:\n  - name: No key\n  - fides_key: b\n    egress: 5\n".into(),
        };
        let errors = import(&[input], &table, &Options::default()).expect_err("errors");
        let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(text.len(), 2, "{text:?}");
        assert!(
            text[0].starts_with("error: m.yml:2:5: this entry has no `fides_key`"),
            "{text:?}"
        );
        assert!(
            text[1].starts_with("error: m.yml:4:13: `egress` must be a list"),
            "{text:?}"
        );
    }
}
