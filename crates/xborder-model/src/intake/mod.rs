//! The vendor intake (format 1, `docs/vendor-intake.md`): a vendor under review, the
//! sub-processors it uses, the flows it would receive from a map's entities, and what its
//! contract, security attestations and retention say.
//!
//! An intake is read against the map it would join: flows name the map's entities and may use
//! its categories. Loading walks the same node tree with the same helpers as the map
//! (`extract.rs`), so an intake gets the same diagnostics — every problem at once, each with
//! line, column and hint. [`Intake::merge_into`] then adds the vendor to the map, so that the
//! engine judges the vendor's hops exactly as it would judge them in a map edited by hand.

use std::collections::BTreeMap;

use crate::diag::{Diagnostic, Loc};
use crate::extract::{Cx, EndTraits, Fields, Reader, duplicate_flow_id};
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
    "individuals-per-year",
    "pia",
    "roles",
    "mechanisms",
    "special-category-condition",
    "evidence",
];
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
    /// As a map flow's `individuals-per-year` and `pia`.
    pub individuals_per_year: Option<u64>,
    pub pia: Option<Date>,
    pub roles: Option<RolePair>,
    /// Mechanisms of this flow only, on top of the contract's.
    pub mechanisms: Vec<Mechanism>,
    /// The condition for special-category data (GDPR Art. 9(2)) the exporter relies on, as
    /// documented; free text.
    pub special_category_condition: Option<String>,
    pub evidence: Option<String>,
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
                purpose: flow.purpose.as_deref().map(Text::from),
                automated: None,
                public_powers: None,
                opt_in: None,
                individuals_per_year: flow.individuals_per_year,
                pia: flow.pia,
                roles: flow.roles,
                mechanisms: flow.mechanisms.clone().into(),
                agreement: if from_subjects { None } else { agreement },
                evidence: flow.evidence.as_deref().map(Text::from),
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
                purpose: sub.purpose.as_deref().map(Text::from),
                automated: None,
                public_powers: None,
                opt_in: None,
                individuals_per_year: None,
                pia: None,
                roles,
                mechanisms: sub.mechanisms.clone().into(),
                agreement: None,
                evidence: sub.entity.evidence.as_deref().map(Text::from),
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

mod read;
mod terms;

pub use terms::{
    AtEnd, Attestation, AttestationKind, Authorisation, Contract, Retention, Security,
};

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
    let intake = read::read(&mut cx, &root, map);
    let diagnostics = cx.finish();
    let has_error = diagnostics
        .iter()
        .any(|d| d.level == crate::DiagnosticLevel::Error);
    (if has_error { None } else { intake }, diagnostics)
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
        assert_eq!(merged.flows[2].data.to_vec(), vec!["selfie".to_string()]);
        assert_eq!(
            merged.flows[3].data.to_vec(),
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
