//! The vendor intake (format 1, `docs/vendor-intake.md`): a vendor under review, the
//! sub-processors it uses, the flows it would receive from a map's entities, and what its
//! contract, security attestations and retention say.
//!
//! An intake is read against the map it would join: flows name the map's entities and may use
//! its categories. Loading walks the same node tree with the same helpers as the map
//! (`extract.rs`), so an intake gets the same diagnostics — every problem at once, each with
//! line, column and hint. [`Intake::merge_into`] then adds the vendor to the map, so that the
//! engine judges the vendor's hops exactly as it would judge them in a map edited by hand.

use std::collections::{BTreeMap, BTreeSet};

use crate::diag::{Diagnostic, Loc};
use crate::extract::{Cx, Fields};
use crate::map::*;
use crate::node::{Node, NodeKind, ParseLimits, parse_yaml};
use crate::text::Text;
use crate::vocabulary::Vocabulary;

const TOP_KEYS: &[&str] = &[
    "format",
    "vendor",
    "sub-processors",
    "categories",
    "flows",
    "contract",
    "security",
    "retention",
];
const VENDOR_KEYS: &[&str] = &[
    "id",
    "name",
    "country",
    "processing",
    "role",
    "sector",
    "subject-to",
    "certifications",
    "evidence",
];
const SUB_PROCESSOR_KEYS: &[&str] = &[
    "name",
    "country",
    "processing",
    "role",
    "sector",
    "subject-to",
    "certifications",
    "from",
    "data",
    "purpose",
    "mechanisms",
    "evidence",
];
const FLOW_KEYS: &[&str] = &[
    "id",
    "from",
    "data",
    "purpose",
    "roles",
    "mechanisms",
    "special-category-condition",
    "evidence",
];
const CONTRACT_KEYS: &[&str] = &[
    "dpa",
    "mechanisms",
    "ccpa-service-provider-terms",
    "sub-processor-authorisation",
    "expires",
    "evidence",
];
const SECURITY_KEYS: &[&str] = &["attestations", "breach-notification-hours"];
const ATTESTATION_KEYS: &[&str] = &["kind", "date", "until", "evidence"];
const RETENTION_KEYS: &[&str] = &["days", "at-end", "own-purposes"];

/// A vendor intake, checked against its map.
#[derive(Debug, Clone)]
pub struct Intake {
    /// The vendor (kind `vendor`, `role` always given).
    pub vendor: Entity,
    /// Its sub-processors, in the order data reaches them.
    pub sub_processors: Vec<SubProcessor>,
    /// Categories the intake declares besides the map's.
    pub categories: Vec<MapCategory>,
    /// The flows the vendor would receive from the map's entities.
    pub flows: Vec<IntakeFlow>,
    pub contract: Option<Contract>,
    pub security: Option<Security>,
    pub retention: Option<Retention>,
}

/// A sub-processor of the vendor and what it receives.
#[derive(Debug, Clone)]
pub struct SubProcessor {
    /// The sub-processor (kind `vendor`, `role` always given).
    pub entity: Entity,
    /// Who sends it data: the vendor or a sub-processor listed before it (an entity id).
    pub from: String,
    /// What it receives; `None`: everything its sender receives.
    pub data: Option<Vec<String>>,
    pub purpose: Option<String>,
    /// The transfer mechanisms between its sender and it (e.g. SCC Module 3).
    pub mechanisms: Vec<Mechanism>,
}

/// A flow the vendor would receive from an entity of the map.
#[derive(Debug, Clone)]
pub struct IntakeFlow {
    pub id: Option<String>,
    pub loc: Loc,
    /// The map entity the data comes from.
    pub from: EntityIx,
    pub data: Vec<String>,
    pub purpose: Option<String>,
    pub roles: Option<RolePair>,
    /// Mechanisms of this flow only, on top of the contract's.
    pub mechanisms: Vec<Mechanism>,
    /// The condition for special-category data (GDPR Art. 9(2)) the exporter relies on, as
    /// documented; free text.
    pub special_category_condition: Option<String>,
    pub evidence: Option<String>,
}

/// Whether the controller authorised the vendor's sub-processors (GDPR Art. 28(2); 2021 SCC
/// Clause 9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Authorisation {
    /// General written authorisation, with notice of changes and a right to object.
    General,
    /// Specific prior authorisation of each sub-processor.
    Specific,
    /// Not authorised (yet).
    None,
}

/// The contract with the vendor as it stands.
#[derive(Debug, Clone)]
pub struct Contract {
    pub loc: Loc,
    /// The day the data-processing terms (GDPR Art. 28(3)) were signed.
    pub dpa: Option<Date>,
    /// Transfer mechanisms agreed with the vendor; they cover every intake flow.
    pub mechanisms: Vec<Mechanism>,
    /// The day the CCPA service-provider terms (Cal. Civ. Code §1798.100(d)) were signed.
    pub ccpa_terms: Option<Date>,
    pub sub_processor_authorisation: Option<Authorisation>,
    /// Last day of the contract, inclusive.
    pub expires: Option<Date>,
    pub expires_loc: Option<Loc>,
    pub evidence: Option<String>,
}

/// A security attestation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AttestationKind {
    Iso27001,
    Iso27701,
    Soc2Type1,
    Soc2Type2,
}

impl AttestationKind {
    /// The spelling in intakes (`iso-27001`, `soc-2-type-2`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            AttestationKind::Iso27001 => "iso-27001",
            AttestationKind::Iso27701 => "iso-27701",
            AttestationKind::Soc2Type1 => "soc-2-type-1",
            AttestationKind::Soc2Type2 => "soc-2-type-2",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            AttestationKind::Iso27001 => "ISO/IEC 27001 certificate",
            AttestationKind::Iso27701 => "ISO/IEC 27701 certificate",
            AttestationKind::Soc2Type1 => "SOC 2 Type I report",
            AttestationKind::Soc2Type2 => "SOC 2 Type II report",
        }
    }
}

/// One attestation with its dates: a certificate's issue date, a report's date.
#[derive(Debug, Clone)]
pub struct Attestation {
    pub kind: AttestationKind,
    pub date: Date,
    /// Last day of validity (a certificate's expiry), inclusive.
    pub until: Option<Date>,
    pub evidence: Option<String>,
    pub loc: Loc,
}

/// Security attestations and the breach-notification promise.
#[derive(Debug, Clone)]
pub struct Security {
    pub loc: Loc,
    pub attestations: Vec<Attestation>,
    /// Hours within which the vendor notifies a personal-data breach.
    pub breach_notification_hours: Option<u32>,
}

/// What happens to the data when the contract ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AtEnd {
    Delete,
    Return,
    Retain,
}

/// How long the vendor keeps the data and what for.
#[derive(Debug, Clone)]
pub struct Retention {
    pub loc: Loc,
    pub days: Option<u32>,
    pub at_end: Option<AtEnd>,
    /// Purposes of the vendor's own it would also use the data for (e.g. model training).
    pub own_purposes: Vec<String>,
}

impl Intake {
    /// The id of the agreement that carries the contract's mechanisms in the merged map.
    pub fn contract_id(&self) -> String {
        format!("{}-contract", self.vendor.id)
    }

    /// What each of the intake's entities receives: the vendor everything its flows carry
    /// (in first-seen order), a sub-processor its `data` or everything its sender receives.
    pub fn received(&self) -> BTreeMap<String, Vec<String>> {
        let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut vendor: Vec<String> = Vec::new();
        for flow in &self.flows {
            for c in &flow.data {
                if !vendor.contains(c) {
                    vendor.push(c.clone());
                }
            }
        }
        out.insert(self.vendor.id.clone(), vendor);
        for sub in &self.sub_processors {
            let data = match &sub.data {
                Some(d) => d.clone(),
                None => out.get(&sub.from).cloned().unwrap_or_default(),
            };
            out.insert(sub.entity.id.clone(), data);
        }
        out
    }

    /// The map with the vendor added, as one would add it by hand: the vendor and its
    /// sub-processors as entities (kind `vendor`), the intake's categories, the intake flows
    /// (each also naming the agreement `<vendor>-contract` that carries the contract's
    /// mechanisms, when it has any), then one flow per sub-processor from its sender (no id,
    /// its own mechanisms). Everything is appended, so every index of `map` stays valid and
    /// new flows are exactly those from `map.flows.len()` on.
    pub fn merge_into(&self, map: &Map) -> Map {
        let mut merged = map.clone();
        let vendor_ix = merged.entities.len();
        merged.entities.push(self.vendor.clone());
        for sub in &self.sub_processors {
            merged.entities.push(sub.entity.clone());
        }
        merged.categories.extend(self.categories.iter().cloned());

        let agreement = self.contract.as_ref().and_then(|c| {
            if c.mechanisms.is_empty() {
                return None;
            }
            let mut between: Vec<EntityIx> = Vec::new();
            for flow in self.exporting_flows(map) {
                if !between.contains(&flow.from) {
                    between.push(flow.from);
                }
            }
            between.push(vendor_ix);
            merged.agreements.push(Agreement {
                id: self.contract_id(),
                loc: c.loc,
                between,
                signed: None,
                expires: c.expires,
                expires_loc: c.expires_loc,
                mechanisms: c.mechanisms.clone(),
                evidence: c.evidence.clone(),
            });
            Some(merged.agreements.len() - 1)
        });

        for flow in &self.flows {
            let from_subjects = map
                .entities
                .get(flow.from)
                .is_some_and(|e| e.kind == EntityKind::Subjects);
            merged.flows.push(Flow {
                index: merged.flows.len(),
                id: flow.id.as_deref().map(Text::from),
                loc: flow.loc,
                from: flow.from,
                to: vendor_ix,
                data: flow.data.iter().map(Text::from).collect(),
                purpose: flow.purpose.clone(),
                automated: None,
                public_powers: None,
                opt_in: None,
                roles: flow.roles,
                mechanisms: flow.mechanisms.clone(),
                agreement: if from_subjects { None } else { agreement },
                evidence: flow.evidence.clone(),
            });
        }
        let received = self.received();
        for sub in &self.sub_processors {
            let (Some(from), Some(to)) = (merged.entity(&sub.from), merged.entity(&sub.entity.id))
            else {
                continue;
            };
            let roles = match (merged.entities[from].role, sub.entity.role) {
                (Some(exporter), Some(importer)) => Some(RolePair { exporter, importer }),
                _ => None,
            };
            merged.flows.push(Flow {
                index: merged.flows.len(),
                id: None,
                loc: sub.entity.loc,
                from,
                to,
                data: received
                    .get(&sub.entity.id)
                    .map(|data| data.iter().map(Text::from).collect())
                    .unwrap_or_default(),
                purpose: sub.purpose.clone(),
                automated: None,
                public_powers: None,
                opt_in: None,
                roles,
                mechanisms: sub.mechanisms.clone(),
                agreement: None,
                evidence: sub.entity.evidence.clone(),
            });
        }
        merged
    }

    /// Intake flows from organisations (not collected directly from data subjects).
    fn exporting_flows<'a>(&'a self, map: &'a Map) -> impl Iterator<Item = &'a IntakeFlow> {
        self.flows.iter().filter(move |f| {
            map.entities
                .get(f.from)
                .is_some_and(|e| e.kind != EntityKind::Subjects)
        })
    }
}

/// Loads and validates a vendor intake against the map it would join. Returns the intake
/// when there is no error, and every diagnostic in file order either way.
pub fn load_intake(
    text: &str,
    vocabulary: &Vocabulary,
    map: &Map,
) -> (Option<Intake>, Vec<Diagnostic>) {
    let root = match parse_yaml(text, ParseLimits::default()) {
        Ok(root) => root,
        Err(diagnostic) => return (None, vec![diagnostic]),
    };
    let mut cx = Cx::new(vocabulary);
    let intake = read(&mut cx, &root, map);
    let diagnostics = cx.finish();
    let has_error = diagnostics
        .iter()
        .any(|d| d.level == crate::DiagnosticLevel::Error);
    (if has_error { None } else { intake }, diagnostics)
}

fn read(cx: &mut Cx, root: &Node, map: &Map) -> Option<Intake> {
    let top = cx.fields(root, TOP_KEYS, "the vendor intake")?;
    match top.get("format") {
        Some(Node {
            kind: NodeKind::Int(1),
            ..
        }) => {}
        Some(node) => cx.push(
            Diagnostic::error("unsupported-format", node.loc, "unsupported intake format")
                .with_hint("this version of xborder reads `format: 1`"),
        ),
        None => cx.missing(
            top.loc,
            "format",
            "the vendor intake",
            "add `format: 1` at the top",
        ),
    }

    let categories = top
        .get("categories")
        .map(|n| cx.categories(n))
        .unwrap_or_default();
    for c in &categories {
        if map.categories.iter().any(|m| m.id == c.id) {
            cx.push(
                Diagnostic::error(
                    "duplicate-id",
                    c.loc,
                    format!("category \"{}\" is already declared in the map", c.id),
                )
                .with_hint("use the map's category directly, or pick another name"),
            );
        }
    }
    let vocabulary = std::rc::Rc::clone(&cx.vocabulary);
    let known_categories: BTreeSet<&str> = map
        .categories
        .iter()
        .map(|c| c.id.as_str())
        .chain(categories.iter().map(|c| c.id.as_str()))
        .chain(vocabulary.categories.iter().map(String::as_str))
        .collect();

    let vendor = match top.get("vendor") {
        Some(node) => vendor(cx, node, map),
        None => {
            cx.missing(
                top.loc,
                "vendor",
                "the vendor intake",
                "describe the vendor under review",
            );
            None
        }
    };
    let sub_processors = top
        .get("sub-processors")
        .map(|n| sub_processors(cx, n, map, vendor.as_ref(), &known_categories))
        .unwrap_or_default();
    let flows = match top.get("flows") {
        Some(node) => flows(cx, node, map, vendor.as_ref(), &known_categories),
        None => {
            cx.missing(
                top.loc,
                "flows",
                "the vendor intake",
                "list the flows the vendor would receive from the map's entities",
            );
            Vec::new()
        }
    };
    let contract = top.get("contract").and_then(|n| contract(cx, n));
    let security = top.get("security").and_then(|n| security(cx, n));
    let retention = top.get("retention").and_then(|n| retention(cx, n));

    let intake = Intake {
        vendor: vendor?,
        sub_processors,
        categories,
        flows,
        contract,
        security,
        retention,
    };
    // Sub-processors receive only what their sender receives.
    let received = intake.received();
    for sub in &intake.sub_processors {
        let (Some(data), Some(sender)) = (&sub.data, received.get(&sub.from)) else {
            continue;
        };
        for c in data.iter().filter(|c| !sender.contains(c)) {
            cx.push(
                Diagnostic::error(
                    "not-received",
                    sub.entity.loc,
                    format!(
                        "sub-processor \"{}\" would receive \"{c}\", which \"{}\" does not receive",
                        sub.entity.id, sub.from
                    ),
                )
                .with_hint(format!(
                    "a sub-processor gets only data its sender has: add \"{c}\" to a flow to \"{}\", or remove it here",
                    sub.from
                )),
            );
        }
    }
    Some(intake)
}

/// Reports an id the map already uses for an entity (the merged map needs unique ids).
fn check_new_id(cx: &mut Cx, map: &Map, id: &str, loc: Loc) -> bool {
    if map.entity(id).is_some() {
        cx.push(
            Diagnostic::error(
                "duplicate-id",
                loc,
                format!("entity \"{id}\" is already in the map"),
            )
            .with_hint("an intake describes a new vendor: give it an id the map does not use"),
        );
        return false;
    }
    true
}

/// `role` is optional in a map but a review needs it (processor terms depend on it).
fn require_role(cx: &mut Cx, f: &Fields<'_>, what: &str) {
    if f.get("role").is_none() {
        cx.missing(
            f.loc,
            "role",
            what,
            "processor or controller: whether it acts on the exporter's instructions",
        );
    }
}

fn vendor(cx: &mut Cx, node: &Node, map: &Map) -> Option<Entity> {
    let f = cx.fields(node, VENDOR_KEYS, "the vendor")?;
    let id_node = cx.required(&f, "id", "the vendor", "e.g. id: acme-analytics");
    let id = id_node.and_then(|n| cx.id(n, "vendor id").map(|s| (s.to_string(), n.loc)));
    let what = match &id {
        Some((id, _)) => format!("vendor \"{id}\""),
        None => "the vendor".to_string(),
    };
    require_role(cx, &f, &what);
    let (id, id_loc) = id.unwrap_or_else(|| (String::new(), f.loc));
    let fresh = !id.is_empty() && check_new_id(cx, map, &id, id_loc);
    if fresh
        && map
            .agreements
            .iter()
            .any(|a| a.id == format!("{id}-contract"))
    {
        cx.push(
            Diagnostic::error(
                "duplicate-id",
                id_loc,
                format!("the map already has an agreement \"{id}-contract\""),
            )
            .with_hint("the vendor's contract joins the map as \"<vendor id>-contract\": pick another vendor id"),
        );
    }
    let entity = cx.entity_fields(&id, id_loc, &f, &what, Some(EntityKind::Vendor));
    if id.is_empty() || !fresh {
        return None;
    }
    entity.filter(|e| e.role.is_some())
}

fn sub_processors(
    cx: &mut Cx,
    node: &Node,
    map: &Map,
    vendor: Option<&Entity>,
    known: &BTreeSet<&str>,
) -> Vec<SubProcessor> {
    let Some(entries) = cx.mapping(node, "sub-processors") else {
        return Vec::new();
    };
    let order: Vec<&str> = entries
        .iter()
        .filter_map(|(k, _)| match &k.kind {
            NodeKind::Str(s) => Some(&**s),
            _ => None,
        })
        .collect();
    let mut seen: BTreeMap<&str, Loc> = BTreeMap::new();
    let mut out: Vec<SubProcessor> = Vec::new();
    for (position, (key, value)) in entries.iter().enumerate() {
        let Some(id) = cx.id(key, "sub-processor id") else {
            continue;
        };
        if let Some(first) = seen.insert(id, key.loc) {
            cx.push(
                Diagnostic::error(
                    "duplicate-id",
                    key.loc,
                    format!("duplicate sub-processor id \"{id}\""),
                )
                .with_hint(format!(
                    "\"{id}\" is already defined at line {}",
                    first.line
                )),
            );
            continue;
        }
        let what = format!("sub-processor \"{id}\"");
        let Some(mut f) = cx.fields(value, SUB_PROCESSOR_KEYS, &what) else {
            continue;
        };
        f.loc = key.loc;
        let mut ok = check_new_id(cx, map, id, key.loc);
        if vendor.is_some_and(|v| v.id == id) {
            cx.push(
                Diagnostic::error(
                    "duplicate-id",
                    key.loc,
                    format!("sub-processor \"{id}\" has the vendor's id"),
                )
                .with_hint("give the sub-processor its own id"),
            );
            ok = false;
        }
        require_role(cx, &f, &what);
        let entity = cx.entity_fields(id, key.loc, &f, &what, Some(EntityKind::Vendor));
        // The sender: the vendor, or a sub-processor listed before this one.
        let from = match f.get("from") {
            Some(n) => cx.string(n, "from").and_then(|s| {
                let is_vendor = vendor.is_some_and(|v| v.id == s);
                let listed = order.iter().position(|o| *o == s);
                if is_vendor || out.iter().any(|p| p.entity.id == s) {
                    Some(s)
                } else if listed.is_some_and(|p| p < position) {
                    // An earlier sub-processor with problems of its own: already reported.
                    None
                } else if listed.is_some() {
                    cx.push(
                        Diagnostic::error(
                            "unknown-entity",
                            n.loc,
                            format!("sub-processor \"{s}\" is listed after \"{id}\""),
                        )
                        .with_hint("list sub-processors in the order data reaches them"),
                    );
                    None
                } else {
                    let mut candidates: Vec<&str> = out.iter().map(|p| p.entity.id.as_str()).collect();
                    candidates.extend(vendor.map(|v| v.id.as_str()));
                    let hint = match crate::extract::suggest(&s, candidates.into_iter()) {
                        Some(m) => format!("did you mean \"{m}\"?"),
                        None => "a sub-processor receives from the vendor or from a sub-processor listed before it".to_string(),
                    };
                    cx.push(
                        Diagnostic::error("unknown-entity", n.loc, format!("unknown sender \"{s}\""))
                            .with_hint(hint),
                    );
                    None
                }
            }),
            None => vendor.map(|v| v.id.clone()),
        };
        let data = f.get("data").map(|n| {
            let list = cx.string_list(n, "data");
            if list.is_empty() {
                cx.push(
                    Diagnostic::error("empty-data", n.loc, "sub-processor receives no data")
                        .with_hint("list what it receives, or remove `data` if it receives everything its sender does"),
                );
            }
            cx.check_categories(&list, known);
            list.into_iter().map(|(c, _)| c).collect::<Vec<_>>()
        });
        let purpose = f.get("purpose").and_then(|n| cx.string(n, "purpose"));
        let mechanisms = f
            .get("mechanisms")
            .map(|n| cx.mechanisms(n))
            .unwrap_or_default();
        if let (Some(entity), Some(from), true) = (entity, from, ok)
            && entity.role.is_some()
        {
            out.push(SubProcessor {
                entity,
                from,
                data,
                purpose,
                mechanisms,
            });
        }
    }
    out
}

fn flows(
    cx: &mut Cx,
    node: &Node,
    map: &Map,
    vendor: Option<&Entity>,
    known: &BTreeSet<&str>,
) -> Vec<IntakeFlow> {
    let Some(items) = cx.sequence(node, "flows") else {
        return Vec::new();
    };
    if items.is_empty() {
        cx.push(
            Diagnostic::error("empty-list", node.loc, "the vendor would receive no flow")
                .with_hint("list the flows from the map's entities to the vendor"),
        );
    }
    let entity_ids = map.entity_index();
    let mut flow_ids: BTreeMap<String, Loc> = BTreeMap::new();
    let mut out = Vec::new();
    for (index, item) in items.iter().enumerate() {
        let what = format!("flow {index}");
        let Some(f) = cx.fields(item, FLOW_KEYS, &what) else {
            continue;
        };
        let id = f
            .get("id")
            .and_then(|n| cx.id(n, "flow id").map(|s| (s.to_string(), n.loc)));
        if let Some((id, loc)) = &id {
            if map.flows.iter().any(|m| m.id.as_deref() == Some(id)) {
                cx.push(
                    Diagnostic::error(
                        "duplicate-id",
                        *loc,
                        format!("flow id \"{id}\" is already used in the map"),
                    )
                    .with_hint("the vendor's flows join the map: give them ids it does not use"),
                );
            } else if let Some(first) = flow_ids.insert(id.clone(), *loc) {
                cx.push(
                    Diagnostic::error("duplicate-id", *loc, format!("duplicate flow id \"{id}\""))
                        .with_hint(format!(
                            "flow ids must be unique; \"{id}\" is already used at line {}",
                            first.line
                        )),
                );
            }
        }
        let from = cx
            .required(
                &f,
                "from",
                &what,
                "the id of the map entity the vendor would receive the data from",
            )
            .and_then(|n| {
                let s = cx.string(n, "from")?;
                cx.resolve_entity(&entity_ids, &s, n.loc, "map entity")
            });
        let data = match cx.required(
            &f,
            "data",
            &what,
            "list the data categories, e.g. [name, email]",
        ) {
            Some(n) => {
                let list: Vec<(String, Loc)> = cx
                    .data_list(n, "list what the flow carries, e.g. data: [name, email]")
                    .into_iter()
                    .map(|(category, loc)| (String::from(category), loc))
                    .collect();
                cx.check_categories(&list, known);
                list
            }
            None => Vec::new(),
        };
        let purpose = f.get("purpose").and_then(|n| cx.string(n, "purpose"));
        let written = f.get("roles").and_then(|n| cx.roles(n));
        let mechanisms = f
            .get("mechanisms")
            .map(|n| cx.mechanisms(n))
            .unwrap_or_default();
        let special_category_condition = f
            .get("special-category-condition")
            .and_then(|n| cx.string(n, "special-category-condition"));
        let evidence = f.get("evidence").and_then(|n| cx.string(n, "evidence"));
        let (Some(from), Some(vendor)) = (from, vendor) else {
            continue;
        };
        let roles = cx.flow_roles(written, &map.entities[from], vendor);
        out.push(IntakeFlow {
            id: id.map(|(id, _)| id),
            loc: item.loc,
            from,
            data: data.into_iter().map(|(c, _)| c).collect(),
            purpose,
            roles,
            mechanisms,
            special_category_condition,
            evidence,
        });
    }
    out
}

fn contract(cx: &mut Cx, node: &Node) -> Option<Contract> {
    let f = cx.fields(node, CONTRACT_KEYS, "the contract")?;
    let date = |cx: &mut Cx, key: &str| f.get(key).and_then(|n| cx.date(n, key));
    let dpa = date(cx, "dpa");
    let ccpa_terms = date(cx, "ccpa-service-provider-terms");
    let expires = date(cx, "expires");
    let mechanisms = f
        .get("mechanisms")
        .map(|n| cx.mechanisms(n))
        .unwrap_or_default();
    let sub_processor_authorisation = f.get("sub-processor-authorisation").and_then(|n| {
        cx.choice(
            n,
            "sub-processor-authorisation",
            &[
                ("general", Authorisation::General),
                ("specific", Authorisation::Specific),
                ("none", Authorisation::None),
            ],
        )
    });
    let evidence = f.get("evidence").and_then(|n| cx.string(n, "evidence"));
    Some(Contract {
        loc: node.loc,
        dpa,
        mechanisms,
        ccpa_terms,
        sub_processor_authorisation,
        expires,
        expires_loc: f.get("expires").map(|n| n.loc),
        evidence,
    })
}

/// A whole number of hours or days.
fn count(cx: &mut Cx, node: &Node, key: &str) -> Option<u32> {
    match node.kind {
        NodeKind::Int(n) if n >= 0 => u32::try_from(n).ok().or_else(|| {
            cx.push(
                Diagnostic::error("bad-value", node.loc, format!("`{key}` is too large"))
                    .with_hint("give a realistic number"),
            );
            None
        }),
        _ => {
            cx.push(
                Diagnostic::error(
                    "wrong-type",
                    node.loc,
                    format!(
                        "`{key}` must be a whole number, found {}",
                        node.kind.describe()
                    ),
                )
                .with_hint("write a number without unit, e.g. 48"),
            );
            None
        }
    }
}

fn security(cx: &mut Cx, node: &Node) -> Option<Security> {
    let f = cx.fields(node, SECURITY_KEYS, "security")?;
    let mut attestations = Vec::new();
    if let Some(list) = f.get("attestations") {
        for item in cx.sequence(list, "attestations").unwrap_or_default() {
            let Some(a) = cx.fields(item, ATTESTATION_KEYS, "attestation") else {
                continue;
            };
            let kind = cx
                .required(
                    &a,
                    "kind",
                    "attestation",
                    "iso-27001, iso-27701, soc-2-type-1 or soc-2-type-2",
                )
                .and_then(|n| {
                    cx.choice(
                        n,
                        "kind",
                        &[
                            ("iso-27001", AttestationKind::Iso27001),
                            ("iso-27701", AttestationKind::Iso27701),
                            ("soc-2-type-1", AttestationKind::Soc2Type1),
                            ("soc-2-type-2", AttestationKind::Soc2Type2),
                        ],
                    )
                });
            let date = cx
                .required(
                    &a,
                    "date",
                    "attestation",
                    "the certificate's issue date or the report's date, YYYY-MM-DD",
                )
                .and_then(|n| cx.date(n, "date"));
            let until = cx.end_date(
                &a,
                ("date", date),
                "until",
                "`until` is the last day the attestation is valid",
            );
            let evidence = a.get("evidence").and_then(|n| cx.string(n, "evidence"));
            if let (Some(kind), Some(date)) = (kind, date) {
                attestations.push(Attestation {
                    kind,
                    date,
                    until,
                    evidence,
                    loc: item.loc,
                });
            }
        }
    }
    let breach_notification_hours = f
        .get("breach-notification-hours")
        .and_then(|n| count(cx, n, "breach-notification-hours"));
    Some(Security {
        loc: node.loc,
        attestations,
        breach_notification_hours,
    })
}

fn retention(cx: &mut Cx, node: &Node) -> Option<Retention> {
    let f = cx.fields(node, RETENTION_KEYS, "retention")?;
    let days = f.get("days").and_then(|n| count(cx, n, "days"));
    let at_end = f.get("at-end").and_then(|n| {
        cx.choice(
            n,
            "at-end",
            &[
                ("delete", AtEnd::Delete),
                ("return", AtEnd::Return),
                ("retain", AtEnd::Retain),
            ],
        )
    });
    let own_purposes = f
        .get("own-purposes")
        .map(|n| {
            cx.string_list(n, "own-purposes")
                .into_iter()
                .map(|(s, _)| s)
                .collect()
        })
        .unwrap_or_default();
    Some(Retention {
        loc: node.loc,
        days,
        at_end,
        own_purposes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocabulary() -> Vocabulary {
        let set = |items: &[&str]| items.iter().map(|s| s.to_string()).collect();
        Vocabulary {
            categories: set(&["name", "email", "biometric"]),
            regions: set(&["EEA"]),
            frameworks: set(&["eu-us-dpf"]),
            framework_mechanisms: set(&["dpf"]),
            scc_versions: set(&["2021/914"]),
            modular_scc_versions: set(&["2021/914"]),
            mechanism_kinds: vec![crate::vocabulary::KindSpec {
                kind: "scc".into(),
                family: crate::vocabulary::Family::StandardClauses,
                summary: "standard contractual clauses".into(),
                fields: [
                    ("version", crate::vocabulary::FieldKind::SccVersion),
                    ("module", crate::vocabulary::FieldKind::SccModule),
                    ("signed", crate::vocabulary::FieldKind::Date),
                    ("tia", crate::vocabulary::FieldKind::Date),
                ]
                .into_iter()
                .map(|(name, kind)| crate::vocabulary::FieldSpec {
                    name: name.into(),
                    kind,
                    required: name == "version",
                    values: Vec::new(),
                    summary: name.into(),
                })
                .collect(),
            }],
            is_country: |c| c.len() == 2 && c.chars().all(|x| x.is_ascii_uppercase()),
            ..Vocabulary::default()
        }
    }

    const MAP: &str = "format: 1
organisation: Example
entities:
  shop: { name: Shop, kind: company, country: US }
  eea-customers: { name: Customers, kind: subjects, country: EEA }
categories:
  selfie: { like: biometric }
flows:
  - { id: signup, from: eea-customers, to: shop, data: [name, email, selfie] }
";

    fn map() -> Map {
        let (map, diagnostics) = crate::load(MAP, &vocabulary());
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        map.expect("valid map")
    }

    #[test]
    fn merge_appends_vendor_contract_flows_and_sub_processors() {
        let text = "format: 1
vendor: { id: acme, name: Acme, country: US, processing: [US, PH], role: processor }
sub-processors:
  acme-jp: { name: Acme JP, country: JP, role: processor, data: [selfie] }
  acme-de: { name: Acme DE, country: DE, role: processor, from: acme-jp }
flows:
  - { id: to-acme, from: shop, data: [name, selfie], roles: controller->processor }
contract:
  dpa: 2026-01-01
  mechanisms: [ { kind: scc, version: \"2021/914\", module: 2, signed: 2026-01-01 } ]
";
        let map = map();
        let (intake, diagnostics) = load_intake(text, &vocabulary(), &map);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let intake = intake.expect("valid intake");
        let merged = intake.merge_into(&map);
        assert_eq!(merged.entities.len(), map.entities.len() + 3);
        assert_eq!(merged.flows.len(), map.flows.len() + 3);
        for (i, f) in merged.flows.iter().enumerate() {
            assert_eq!(f.index, i);
        }
        let to_acme = &merged.flows[1];
        assert_eq!(to_acme.id.as_deref(), Some("to-acme"));
        let agreement = to_acme.agreement.map(|a| &merged.agreements[a]);
        assert_eq!(agreement.map(|a| a.id.as_str()), Some("acme-contract"));
        assert_eq!(merged.flows[2].data, vec!["selfie".to_string()]);
        assert_eq!(
            merged.flows[3].data,
            vec!["selfie".to_string()],
            "a sub-processor without `data` gets what its sender receives"
        );
        assert_eq!(
            merged.flows[3].roles.map(|r| r.to_string()).as_deref(),
            Some("processor->processor")
        );
        assert_eq!(merged.entities[merged.flows[3].from].id, "acme-jp");
    }

    #[test]
    fn problems_are_all_reported_with_their_lines() {
        let text = "format: 1
vendor: { id: shop, name: Shop again, country: US, role: processor }
sub-processors:
  first: { name: First, country: JP, role: processor, from: second }
  second: { name: Second, country: JP, role: processor, data: [email] }
flows:
  - { id: signup, from: shop, data: [name] }
";
        let (intake, diagnostics) = load_intake(text, &vocabulary(), &map());
        assert!(intake.is_none());
        let got: Vec<(u32, &str)> = diagnostics.iter().map(|d| (d.loc.line, d.code)).collect();
        assert_eq!(
            got,
            vec![
                (2, "duplicate-id"),
                (4, "unknown-entity"),
                (7, "duplicate-id")
            ],
            "{diagnostics:#?}"
        );
    }
}
