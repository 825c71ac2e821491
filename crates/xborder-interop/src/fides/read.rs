//! Reading Fides manifests: each input's YAML into the systems, datasets and organizations the
//! builder needs, with an [`ImportError`] for every problem of every file.
//!
//! The manifest side ([`manifest`] and the `Reader` methods `file`, `system`, `data_flows`,
//! `declaration`, `organization`, `summary`) knows Fides; the shapes of nodes are checked by
//! the shared reader of `xborder_syntax`, as for every input file of xborder.

use std::collections::{BTreeMap, BTreeSet};

use xborder_syntax::Reader as _;
use xborder_syntax::{Diagnostic, Loc, Node, NodeKind, ParseLimits, parse_yaml};

use super::{ImportError, Input};

/// Reads every input into one manifest; checks that no system key is defined twice. Every
/// problem of every file is returned at once.
pub(super) fn manifest(inputs: &[Input]) -> Result<Manifest, Vec<ImportError>> {
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
    duplicate_systems(&manifest, &mut errors);
    if errors.is_empty() {
        Ok(manifest)
    } else {
        Err(errors)
    }
}

/// An error for each system whose `fides_key` an earlier system (in any file) already has.
fn duplicate_systems(manifest: &Manifest, errors: &mut Vec<ImportError>) {
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
}

// ---- the manifest ---------------------------------------------------------------------------

/// Where a resource is: the input path and the node's line and column.
#[derive(Debug, Clone)]
pub(super) struct Origin {
    pub(super) path: String,
    pub(super) loc: Loc,
}

impl Origin {
    /// `path:line`, for the report.
    pub(super) fn at(&self) -> String {
        format!("{}:{}", self.path, self.loc.line)
    }
}

/// Everything read from the inputs, in input order.
#[derive(Debug, Default)]
pub(super) struct Manifest {
    /// Every input path, in the order given.
    pub(super) files: Vec<String>,
    pub(super) systems: Vec<System>,
    pub(super) datasets: Vec<(String, Origin)>,
    pub(super) organizations: Vec<Organization>,
    /// Other top-level sections: (key, count, origin).
    pub(super) other: Vec<(String, usize, Origin)>,
}

/// A Fides `system`: what the builder uses of it, and the keys it does not.
#[derive(Debug, Clone)]
pub(super) struct System {
    pub(super) key: String,
    pub(super) origin: Origin,
    pub(super) name: Option<String>,
    pub(super) description: Option<String>,
    pub(super) system_type: Option<String>,
    pub(super) department: Option<String>,
    pub(super) vendor_id: Option<String>,
    pub(super) legal_name: Option<String>,
    pub(super) responsibility: Vec<String>,
    pub(super) third_countries: Vec<String>,
    pub(super) egress: Vec<DataFlow>,
    pub(super) ingress: Vec<DataFlow>,
    pub(super) declarations: Vec<Declaration>,
    pub(super) international: Option<bool>,
    pub(super) transfer_bases: Vec<String>,
    pub(super) dpia: Option<String>,
    pub(super) security: Option<String>,
    /// Keys of the system this importer does not use, sorted.
    pub(super) unused: BTreeSet<String>,
}

/// An `egress` or `ingress` entry of a system.
#[derive(Debug, Clone)]
pub(super) struct DataFlow {
    pub(super) key: String,
    pub(super) kind: String,
    pub(super) categories: Option<Vec<String>>,
    pub(super) origin: Origin,
}

/// A `privacy_declarations` entry of a system.
#[derive(Debug, Clone, Default)]
pub(super) struct Declaration {
    pub(super) name: Option<String>,
    pub(super) categories: Vec<String>,
    pub(super) data_use: Option<String>,
    pub(super) subjects: Vec<String>,
    pub(super) datasets: Vec<String>,
    pub(super) qualifier: Option<String>,
}

/// A Fides `organization`, with its contacts summarised as one line each.
#[derive(Debug, Clone)]
pub(super) struct Organization {
    pub(super) key: String,
    pub(super) name: Option<String>,
    pub(super) description: Option<String>,
    pub(super) contacts: Vec<(String, String)>,
}

/// The keys of a system the reader uses; the others are reported as not imported.
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

/// Reads one input file, adding its problems to a shared list.
struct Reader<'a> {
    path: &'a str,
    errors: &'a mut Vec<ImportError>,
}

impl Reader<'_> {
    /// Where `loc` is in this reader's file.
    fn origin(&self, loc: Loc) -> Origin {
        Origin {
            path: self.path.to_string(),
            loc,
        }
    }

    /// One input: its top-level `system`, `dataset` and `organization` sections; the others
    /// are counted as not imported.
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
                    for item in self.items(value, "system") {
                        if let Some(system) = self.system(item) {
                            manifest.systems.push(system);
                        }
                    }
                }
                "dataset" => {
                    for item in self.items(value, "dataset") {
                        if let Some(entries) = self.mapping(item, "a dataset")
                            && let Some(key) = self.required_scalar(entries, item.loc, "fides_key")
                        {
                            manifest.datasets.push((key, self.origin(item.loc)));
                        }
                    }
                }
                "organization" => {
                    for item in self.items(value, "organization") {
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

    /// One `system` entry (it needs a `fides_key`).
    fn system(&mut self, node: &Node) -> Option<System> {
        let entries = self.mapping(node, "a system")?;
        let key = self.required_scalar(entries, node.loc, "fides_key")?;
        let get = |k: &str| field(entries, k);
        let mut responsibility: Vec<String> = get("responsibility")
            .map(|n| self.scalars(n, "responsibility"))
            .unwrap_or_default();
        if let Some(n) = get("data_responsibility_title")
            && let Some(title) = self.scalar(n, "data_responsibility_title")
        {
            responsibility.push(title);
        }
        let third_countries = get("third_country_transfers")
            .map(|n| self.scalars(n, "third_country_transfers"))
            .unwrap_or_default();
        let egress = get("egress")
            .map(|n| self.data_flows(n, "egress"))
            .unwrap_or_default();
        let ingress = get("ingress")
            .map(|n| self.data_flows(n, "ingress"))
            .unwrap_or_default();
        let declarations = get("privacy_declarations")
            .map(|n| {
                self.items(n, "privacy_declarations")
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
            .map(|n| self.scalars(n, "legal_basis_for_transfers"))
            .unwrap_or_default();
        let dpia = get("data_protection_impact_assessment").map(|n| self.summary(n));
        let security = get("data_security_practices").and_then(|n| self.scalar(n, "x"));
        let unused = entries
            .iter()
            .filter_map(|(k, _)| match &k.kind {
                NodeKind::Str(s) if !SYSTEM_KEYS.contains(&&**s) => Some(s.to_string()),
                _ => None,
            })
            .collect();
        let text = |s: &mut Self, k: &str| get(k).and_then(|n| s.scalar(n, k));
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

    /// The entries of an `egress` or `ingress` list (`type` defaults to `system`).
    fn data_flows(&mut self, node: &Node, what: &str) -> Vec<DataFlow> {
        let mut out = Vec::new();
        for item in self.items(node, what) {
            let Some(entries) = self.mapping(item, &format!("an {what} entry")) else {
                continue;
            };
            let Some(key) = self.required_scalar(entries, item.loc, "fides_key") else {
                continue;
            };
            let kind = field(entries, "type")
                .and_then(|n| self.scalar(n, "type"))
                .unwrap_or_else(|| "system".to_string());
            let categories = field(entries, "data_categories")
                .filter(|n| n.kind != NodeKind::Null)
                .map(|n| self.scalars(n, "data_categories"));
            out.push(DataFlow {
                key,
                kind,
                categories,
                origin: self.origin(item.loc),
            });
        }
        out
    }

    /// One `privacy_declarations` entry.
    fn declaration(&mut self, node: &Node) -> Option<Declaration> {
        let entries = self.mapping(node, "a privacy declaration")?;
        let get = |k: &str| field(entries, k);
        Some(Declaration {
            name: get("name").and_then(|n| self.scalar(n, "name")),
            categories: get("data_categories")
                .map(|n| self.scalars(n, "data_categories"))
                .unwrap_or_default(),
            data_use: get("data_use").and_then(|n| self.scalar(n, "data_use")),
            subjects: get("data_subjects")
                .map(|n| self.scalars(n, "data_subjects"))
                .unwrap_or_default(),
            datasets: get("dataset_references")
                .map(|n| self.scalars(n, "dataset_references"))
                .unwrap_or_default(),
            qualifier: get("data_qualifier").and_then(|n| self.scalar(n, "data_qualifier")),
        })
    }

    /// One `organization` entry (it needs a `fides_key`), with its contacts.
    fn organization(&mut self, node: &Node) -> Option<Organization> {
        let entries = self.mapping(node, "an organization")?;
        let key = self.required_scalar(entries, node.loc, "fides_key")?;
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
            name: field(entries, "name").and_then(|n| self.scalar(n, "name")),
            description: field(entries, "description").and_then(|n| self.scalar(n, "description")),
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
}

// ---- reading nodes ----------------------------------------------------------------------------
//
// The shape checks (`mapping`, `sequence`, `key`) are the shared reader's (`xborder_syntax`),
// as for every input file; this reader only says where a problem goes. Values are read more
// leniently than in a map: a Fides manifest is another tool's file, so a scalar of any type is
// text, a missing value is left out rather than an error, and one value counts as a list of one.

impl xborder_syntax::Reader for Reader<'_> {
    fn push(&mut self, d: Diagnostic) {
        self.errors.push(ImportError {
            path: self.path.to_string(),
            line: d.loc.line,
            column: d.loc.column,
            message: d.message,
            hint: d.hint,
        });
    }
}

impl Reader<'_> {
    /// Records a problem at `loc`; an empty `hint` gives none.
    fn error(&mut self, loc: Loc, message: impl Into<String>, hint: &str) {
        let d = Diagnostic::error("fides", loc, message);
        self.push(if hint.is_empty() {
            d
        } else {
            d.with_hint(hint)
        });
    }

    /// The items of a list (none for null or a wrong shape, which is reported).
    fn items<'n>(&mut self, node: &'n Node, what: &str) -> &'n [Node] {
        self.sequence(node, what).unwrap_or_default()
    }

    /// A scalar's text, trimmed; `None` for null or blank; an error for a list or mapping.
    fn scalar(&mut self, node: &Node, key: &str) -> Option<String> {
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

    /// The text of `key` in `entries`, else an error at `loc` (the entry).
    fn required_scalar(&mut self, entries: &[(Node, Node)], loc: Loc, key: &str) -> Option<String> {
        match field(entries, key).and_then(|n| self.scalar(n, key)) {
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
    fn scalars(&mut self, node: &Node, key: &str) -> Vec<String> {
        match &node.kind {
            NodeKind::Seq(items) => items.iter().filter_map(|i| self.scalar(i, key)).collect(),
            NodeKind::Null => Vec::new(),
            NodeKind::Map(_) => {
                self.error(
                    node.loc,
                    format!("`{key}` must be a list, found a mapping"),
                    &format!("write `{key}: [a, b]`"),
                );
                Vec::new()
            }
            _ => self.scalar(node, key).into_iter().collect(),
        }
    }
}

/// The value of `key` in a mapping's entries.
fn field<'n>(entries: &'n [(Node, Node)], key: &str) -> Option<&'n Node> {
    entries
        .iter()
        .find(|(k, _)| matches!(&k.kind, NodeKind::Str(s) if &**s == key))
        .map(|(_, v)| v)
}

/// A scalar's text (strings trimmed); `None` for null, lists and mappings.
fn scalar_text(node: &Node) -> Option<String> {
    match &node.kind {
        NodeKind::Str(s) => Some(s.trim().to_string()),
        NodeKind::Int(i) => Some(i.to_string()),
        NodeKind::Float(f) => Some(f.to_string()),
        NodeKind::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}
