//! Comparing two evaluations (a base map and a changed one): which findings are new,
//! unchanged or resolved, and which hop verdicts changed; and comparing the two maps
//! themselves ([`map_changes`]): which entities, flows and agreements were added, removed or
//! changed, field by field.
//!
//! Findings are matched by code + flow identity + regime + destination, where a flow's
//! identity is its `id` or, without one, `exporter->importer`: robust to reordering flows
//! and to lines moving in the file.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use xborder_model::{
    Agreement, Date, Entity, EntityKind, FieldValues, Flow, Map, MechanismKind, Role, RolePair,
};

use crate::result::{Evaluation, Finding, Hop, Verdict};
use xborder_model::Text;

/// The identity of a flow across two versions of a map.
pub fn flow_identity(map: &Map, flow: usize) -> String {
    match map.flows.get(flow) {
        Some(f) => match &f.id {
            Some(id) => id.to_string(),
            None => format!(
                "{}->{}",
                map.entities.get(f.from).map_or("?", |e| e.id.as_str()),
                map.entities.get(f.to).map_or("?", |e| e.id.as_str())
            ),
        },
        None => format!("#{flow}"),
    }
}

/// Whether a finding is new, unchanged or gone relative to the base.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Baseline {
    New,
    Unchanged,
    Resolved,
}

impl Baseline {
    /// How many of `states` are this one: the one count of new, unchanged and resolved
    /// findings that every output prints.
    pub fn count<'a>(self, states: impl IntoIterator<Item = &'a Baseline>) -> usize {
        states.into_iter().filter(|b| **b == self).count()
    }
}

/// A hop whose verdict differs between base and changed map.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VerdictChange {
    pub flow: String,
    pub regime: Text,
    pub destination: Text,
    pub before: Option<Verdict>,
    pub after: Option<Verdict>,
}

/// The comparison of two evaluations.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// Findings of the changed map, each classified as new or unchanged.
    pub current: Vec<(Baseline, Finding)>,
    /// Findings of the base that the changed map no longer has.
    pub resolved: Vec<Finding>,
    pub verdicts: Vec<VerdictChange>,
}

impl Comparison {
    pub fn new_findings(&self) -> impl Iterator<Item = &Finding> {
        self.current
            .iter()
            .filter(|(b, _)| *b == Baseline::New)
            .map(|(_, f)| f)
    }
}

type Key = (xborder_law::Code, String, Text, Text);

fn finding_key(map: &Map, f: &Finding) -> Key {
    (
        f.code,
        flow_identity(map, f.flow),
        f.regime.clone(),
        f.destination.clone(),
    )
}

fn hop_key(map: &Map, h: &Hop) -> (String, Text, Text) {
    (
        flow_identity(map, h.flow),
        h.regime.clone(),
        h.destination.clone(),
    )
}

/// Compares `current` (of `current_map`) with `base` (of `base_map`).
pub fn compare(
    base_map: &Map,
    base: &Evaluation,
    current_map: &Map,
    current: &Evaluation,
) -> Comparison {
    let base_keys: BTreeSet<Key> = base
        .findings
        .iter()
        .map(|f| finding_key(base_map, f))
        .collect();
    let current_keys: BTreeSet<Key> = current
        .findings
        .iter()
        .map(|f| finding_key(current_map, f))
        .collect();
    let classified = current
        .findings
        .iter()
        .map(|f| {
            let state = if base_keys.contains(&finding_key(current_map, f)) {
                Baseline::Unchanged
            } else {
                Baseline::New
            };
            (state, f.clone())
        })
        .collect();
    let mut seen = BTreeSet::new();
    let resolved = base
        .findings
        .iter()
        .filter(|f| {
            let k = finding_key(base_map, f);
            !current_keys.contains(&k) && seen.insert(k)
        })
        .cloned()
        .collect();

    let before: BTreeMap<_, Verdict> = base
        .hops
        .iter()
        .map(|h| (hop_key(base_map, h), h.verdict))
        .collect();
    let after: BTreeMap<_, Verdict> = current
        .hops
        .iter()
        .map(|h| (hop_key(current_map, h), h.verdict))
        .collect();
    let keys: BTreeSet<_> = before.keys().chain(after.keys()).cloned().collect();
    let verdicts = keys
        .into_iter()
        .filter_map(|k| {
            let (b, a) = (before.get(&k).copied(), after.get(&k).copied());
            (b != a).then_some(VerdictChange {
                flow: k.0,
                regime: k.1,
                destination: k.2,
                before: b,
                after: a,
            })
        })
        .collect();
    Comparison {
        current: classified,
        resolved,
        verdicts,
    }
}

/// Whether an entity, flow or agreement is new in the changed map, gone from it, or in both
/// with different facts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Change {
    Added,
    Removed,
    Changed,
}

impl Change {
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Added => "added",
            Change::Removed => "removed",
            Change::Changed => "changed",
        }
    }
}

/// What part of a map a [`MapChange`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Subject {
    Entity,
    Flow,
    Agreement,
}

impl Subject {
    pub fn as_str(self) -> &'static str {
        match self {
            Subject::Entity => "entity",
            Subject::Flow => "flow",
            Subject::Agreement => "agreement",
        }
    }
}

/// One compared field of an entity, flow or agreement, in the words a map writes it: dates as
/// `YYYY-MM-DD`, kinds and roles by their map names, lists comma-separated, `none` for a
/// field the map leaves out or an empty list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fact {
    pub field: &'static str,
    pub value: String,
}

/// A field whose value differs between the base map and the changed one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldChange {
    pub field: &'static str,
    pub before: String,
    pub after: String,
}

/// An entity, flow or agreement added, removed or changed between two maps. Entities and
/// agreements are matched by id, flows by [`flow_identity`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MapChange {
    pub change: Change,
    pub subject: Subject,
    pub id: String,
    /// For `added` and `removed`: every compared field of the one version there is.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub facts: Vec<Fact>,
    /// For `changed`: the fields that differ, in the order they are compared.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldChange>,
}

impl MapChange {
    /// `entity ID`, `flow ID`, `agreement ID`.
    pub fn what(&self) -> String {
        format!("{} {}", self.subject.as_str(), self.id)
    }

    /// The change in words: `field value; field value …` for an added or removed subject,
    /// `field before ⇒ after; …` for a changed one.
    pub fn detail(&self) -> String {
        let facts = self
            .facts
            .iter()
            .map(|f| format!("{} {}", f.field, f.value));
        let fields = self
            .fields
            .iter()
            .map(|f| format!("{} {} ⇒ {}", f.field, f.before, f.after));
        facts.chain(fields).collect::<Vec<_>>().join("; ")
    }
}

/// The value of one compared field, typed: two maps' fields are compared as values, and
/// written out (with `Display`) only to report them.
#[derive(Debug, Clone, PartialEq)]
enum Value<'m> {
    Text(&'m str),
    EntityKind(EntityKind),
    Role(Option<Role>),
    Roles(Option<RolePair>),
    Date(Option<Date>),
    /// Ids or codes, in the order written.
    List(Vec<&'m str>),
    Certifications(Vec<CertificationFacts<'m>>),
    Mechanisms(Vec<&'m MechanismKind>),
}

/// The compared facts of a framework listing: framework, from, until and scope.
#[derive(Debug, Clone, PartialEq)]
struct CertificationFacts<'m> {
    framework: &'m str,
    from: Date,
    until: Option<Date>,
    hr: bool,
    non_hr: bool,
}

impl std::fmt::Display for CertificationFacts<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} from {}", self.framework, self.from)?;
        if let Some(until) = self.until {
            write!(f, " until {until}")?;
        }
        match (self.hr, self.non_hr) {
            (true, true) => Ok(()),
            (true, false) => f.write_str(" scope hr"),
            (false, true) => f.write_str(" scope non-hr"),
            (false, false) => f.write_str(" scope none"),
        }
    }
}

/// `items` comma-separated, or `none` for an empty list.
fn list<T: std::fmt::Display>(f: &mut std::fmt::Formatter<'_>, items: &[T]) -> std::fmt::Result {
    if items.is_empty() {
        return f.write_str("none");
    }
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        write!(f, "{item}")?;
    }
    Ok(())
}

impl std::fmt::Display for Value<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Value::Text(t) => f.write_str(t),
            Value::EntityKind(k) => f.write_str(entity_kind_name(*k)),
            Value::Role(r) => f.write_str(r.map_or("none", |r| r.as_str())),
            Value::Roles(Some(pair)) => write!(f, "{pair}"),
            Value::Roles(None) => f.write_str("none"),
            Value::Date(Some(d)) => write!(f, "{d}"),
            Value::Date(None) => f.write_str("none"),
            Value::List(items) => list(f, items),
            Value::Certifications(certs) => list(f, certs),
            Value::Mechanisms(kinds) => {
                let words: Vec<String> = kinds.iter().map(|k| mechanism_words(k)).collect();
                list(f, &words)
            }
        }
    }
}

/// An entity's `kind` as a map writes it.
fn entity_kind_name(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::Company => "company",
        EntityKind::Vendor => "vendor",
        EntityKind::Partner => "partner",
        EntityKind::Authority => "authority",
        EntityKind::Subjects => "subjects",
    }
}

/// A claimed mechanism as a map writes it: the kind, the SCC set and module or the derogation
/// ground, then the other stated fields in parentheses (`scc 2021/914 module 2 (signed
/// 2021-09-01, tia 2021-08-15)`, `derogation legal-claims (occasional true)`, `dpf`).
fn mechanism_words(kind: &MechanismKind) -> String {
    let with = |name: String, fields: Vec<String>| {
        if fields.is_empty() {
            name
        } else {
            format!("{name} ({})", fields.join(", "))
        }
    };
    let stated = |fields: &FieldValues| -> Vec<String> {
        fields.iter().map(|(n, v)| format!("{n} {v}")).collect()
    };
    match kind {
        MechanismKind::Adequacy => "adequacy".to_string(),
        MechanismKind::Framework(kind) => kind.clone(),
        MechanismKind::Scc(s) => {
            let mut name = format!("scc {}", s.version);
            if let Some(m) = s.module {
                name.push_str(&format!(" module {m}"));
            }
            let dates = [
                ("signed", s.signed),
                ("changed", s.changed),
                ("uk-addendum", s.uk_addendum),
                ("tia", s.tia),
            ];
            let mut fields: Vec<String> = dates
                .iter()
                .filter_map(|(n, d)| d.map(|d| format!("{n} {d}")))
                .collect();
            if s.swiss_adapted {
                fields.push("swiss-adapted true".to_string());
            }
            with(name, fields)
        }
        MechanismKind::Tool(t) => with(t.kind.clone(), stated(&t.fields)),
        MechanismKind::Derogation(d) => with(format!("derogation {}", d.ground), stated(&d.facts)),
    }
}

/// An entity's compared fields.
fn entity_fields(e: &Entity) -> Vec<(&'static str, Value<'_>)> {
    let certifications = e
        .certifications
        .iter()
        .map(|c| CertificationFacts {
            framework: &c.framework,
            from: c.from,
            until: c.until,
            hr: c.hr,
            non_hr: c.non_hr,
        })
        .collect();
    vec![
        ("name", Value::Text(&e.name)),
        ("kind", Value::EntityKind(e.kind)),
        ("country", Value::Text(&e.country)),
        (
            "processing",
            Value::List(e.processing.iter().map(String::as_str).collect()),
        ),
        ("role", Value::Role(e.role)),
        ("certifications", Value::Certifications(certifications)),
    ]
}

/// A flow's compared fields: its ends and agreement by id, its data, roles and mechanisms.
fn flow_fields<'m>(map: &'m Map, f: &'m Flow) -> Vec<(&'static str, Value<'m>)> {
    let id = |e: usize| map.entities.get(e).map_or("?", |e| e.id.as_str());
    vec![
        ("exporter", Value::Text(id(f.from))),
        ("importer", Value::Text(id(f.to))),
        (
            "data",
            Value::List(f.data.iter().map(|d| d.as_str()).collect()),
        ),
        ("roles", Value::Roles(f.roles)),
        (
            "mechanisms",
            Value::Mechanisms(f.mechanisms.iter().map(|m| &m.kind).collect()),
        ),
        (
            "agreement",
            Value::List(
                f.agreement
                    .and_then(|a| map.agreements.get(a))
                    .map(|a| a.id.as_str())
                    .into_iter()
                    .collect(),
            ),
        ),
    ]
}

/// An agreement's compared fields.
fn agreement_fields(a: &Agreement) -> Vec<(&'static str, Value<'_>)> {
    vec![
        ("signed", Value::Date(a.signed)),
        ("expires", Value::Date(a.expires)),
        (
            "mechanisms",
            Value::Mechanisms(a.mechanisms.iter().map(|m| &m.kind).collect()),
        ),
    ]
}

type Fields<'m> = BTreeMap<String, Vec<(&'static str, Value<'m>)>>;

/// The compared fields of every entity, flow (by identity) and agreement of a map.
fn subjects(map: &Map) -> [(Subject, Fields<'_>); 3] {
    [
        (
            Subject::Entity,
            map.entities
                .iter()
                .map(|e| (e.id.clone(), entity_fields(e)))
                .collect(),
        ),
        (
            Subject::Flow,
            map.flows
                .iter()
                .map(|f| (flow_identity(map, f.index), flow_fields(map, f)))
                .collect(),
        ),
        (
            Subject::Agreement,
            map.agreements
                .iter()
                .map(|a| (a.id.clone(), agreement_fields(a)))
                .collect(),
        ),
    ]
}

fn facts(fields: &[(&'static str, Value<'_>)]) -> Vec<Fact> {
    fields
        .iter()
        .map(|(field, value)| Fact {
            field,
            value: value.to_string(),
        })
        .collect()
}

/// The entities, flows and agreements added, removed or changed from `old` to `new`: for
/// each subject in that order, the removed and changed ones by id, then the added ones by id.
pub fn map_changes(old: &Map, new: &Map) -> Vec<MapChange> {
    let mut out = Vec::new();
    for ((subject, before), (_, after)) in subjects(old).into_iter().zip(subjects(new)) {
        let change = |change, id: &String, facts, fields| MapChange {
            change,
            subject,
            id: id.clone(),
            facts,
            fields,
        };
        for (id, was) in &before {
            match after.get(id) {
                None => out.push(change(Change::Removed, id, facts(was), Vec::new())),
                Some(now) => {
                    let fields: Vec<FieldChange> = was
                        .iter()
                        .zip(now)
                        .filter(|((_, a), (_, b))| a != b)
                        .map(|((field, a), (_, b))| FieldChange {
                            field,
                            before: a.to_string(),
                            after: b.to_string(),
                        })
                        .collect();
                    if !fields.is_empty() {
                        out.push(change(Change::Changed, id, Vec::new(), fields));
                    }
                }
            }
        }
        for (id, is) in &after {
            if !before.contains_key(id) {
                out.push(change(Change::Added, id, facts(is), Vec::new()));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A map with one agreement (`dpa`, expiring on `expires`) and one flow that uses it,
    /// claiming `mechanisms` (flow-style YAML list items).
    fn map(expires: &str, mechanisms: &str) -> Map {
        let text = format!(
            "format: 1\norganisation: Example\nentities:\n  \
             shop: {{ name: Shop GmbH, kind: company, country: DE, role: controller }}\n  \
             host: {{ name: Host Inc., kind: vendor, country: US, role: processor, \
             certifications: [ {{ framework: eu-us-dpf, from: 2023-07-17, until: 2026-07-16 }} ] }}\n\
             agreements:\n  \
             dpa: {{ between: [shop, host], signed: 2023-01-01, expires: {expires}, \
             mechanisms: [ {{ kind: scc, version: \"2021/914\", module: 2, signed: 2023-01-01 }} ] }}\n\
             flows:\n  \
             - {{ id: hosting, from: shop, to: host, data: [name, email], agreement: dpa, \
             mechanisms: [ {mechanisms} ] }}\n  \
             - {{ from: host, to: shop, data: [name] }}\n"
        );
        let rulebook = xborder_law::Rulebook::embedded().expect("the embedded rulebook loads");
        let (map, diagnostics) = xborder_model::load(&text, &crate::vocabulary(&rulebook));
        map.unwrap_or_else(|| panic!("invalid test map: {diagnostics:?}"))
    }

    const DPF: &str = "{ kind: dpf }";

    /// Every value a change reports, and its detail line.
    fn words(changes: &[MapChange]) -> Vec<String> {
        changes
            .iter()
            .flat_map(|c| {
                c.facts
                    .iter()
                    .map(|f| f.value.clone())
                    .chain(
                        c.fields
                            .iter()
                            .flat_map(|f| [f.before.clone(), f.after.clone()]),
                    )
                    .chain([c.detail()])
            })
            .collect()
    }

    #[test]
    fn unchanged_maps_have_no_change() {
        let a = map("2025-12-31", DPF);
        assert_eq!(map_changes(&a, &map("2025-12-31", DPF)), Vec::new());
    }

    #[test]
    fn a_changed_expiry_is_reported_on_expires_with_both_dates() {
        let changes = map_changes(&map("2025-12-31", DPF), &map("2026-06-30", DPF));
        assert_eq!(
            changes,
            vec![MapChange {
                change: Change::Changed,
                subject: Subject::Agreement,
                id: "dpa".to_string(),
                facts: Vec::new(),
                fields: vec![FieldChange {
                    field: "expires",
                    before: "2025-12-31".to_string(),
                    after: "2026-06-30".to_string(),
                }],
            }]
        );
        assert_eq!(changes[0].what(), "agreement dpa");
        assert_eq!(changes[0].detail(), "expires 2025-12-31 ⇒ 2026-06-30");
    }

    #[test]
    fn an_added_mechanism_is_reported_on_the_flows_mechanisms() {
        let added = format!(
            "{DPF}, {{ kind: derogation, ground: contract, occasional: true }}, \
             {{ kind: scc, version: \"2021/914\", module: 2, signed: 2024-01-15, tia: 2024-01-10 }}"
        );
        let changes = map_changes(&map("2025-12-31", DPF), &map("2025-12-31", &added));
        assert_eq!(changes.len(), 1, "{changes:?}");
        let c = &changes[0];
        assert_eq!(
            (c.change, c.subject, c.id.as_str()),
            (Change::Changed, Subject::Flow, "hosting")
        );
        assert_eq!(
            c.fields,
            vec![FieldChange {
                field: "mechanisms",
                before: "dpf".to_string(),
                after: "dpf, derogation contract (occasional true), scc 2021/914 module 2 (signed 2024-01-15, tia 2024-01-10)".to_string(),
            }]
        );
    }

    #[test]
    fn added_and_removed_subjects_list_their_facts_in_words() {
        let empty = {
            let mut m = map("2025-12-31", DPF);
            m.entities.truncate(0);
            m.flows.truncate(0);
            m.agreements.truncate(0);
            m
        };
        let full = map("2025-12-31", DPF);
        let added = map_changes(&empty, &full);
        let removed = map_changes(&full, &empty);
        assert_eq!(added.len(), 5, "{added:?}");
        assert!(
            added
                .iter()
                .all(|c| c.change == Change::Added && c.fields.is_empty())
        );
        assert!(removed.iter().all(|c| c.change == Change::Removed));
        let host = added
            .iter()
            .find(|c| c.id == "host")
            .expect("host is added");
        assert_eq!(
            host.detail(),
            "name Host Inc.; kind vendor; country US; processing US; role processor; \
             certifications eu-us-dpf from 2023-07-17 until 2026-07-16"
        );
        let back = added
            .iter()
            .find(|c| c.id == "host->shop")
            .expect("the flow without id");
        assert_eq!(
            back.detail(),
            "exporter host; importer shop; data name; roles processor->controller; \
             mechanisms none; agreement none"
        );
        let dpa = added.iter().find(|c| c.id == "dpa").expect("dpa is added");
        assert_eq!(
            dpa.detail(),
            "signed 2023-01-01; expires 2025-12-31; mechanisms scc 2021/914 module 2 (signed 2023-01-01)"
        );
    }

    #[test]
    fn no_value_is_written_with_debug() {
        let mut before = map("2025-12-31", DPF);
        before.agreements[0].expires = None;
        before.entities[1].role = None;
        before.flows[0].roles = None;
        let after = map(
            "2025-12-31",
            "{ kind: scc, version: \"2010/87\", signed: 2020-01-01 }",
        );
        let changes = [map_changes(&before, &after), map_changes(&after, &before)].concat();
        assert!(changes.len() >= 6, "{changes:?}");
        for word in words(&changes) {
            assert!(
                !word.contains("Some(") && !word.contains("None") && !word.contains('{'),
                "Debug text in {word:?}"
            );
        }
        let expiry = changes
            .iter()
            .flat_map(|c| &c.fields)
            .find(|f| f.field == "expires")
            .expect("the expiry changed");
        assert_eq!(
            (expiry.before.as_str(), expiry.after.as_str()),
            ("none", "2025-12-31")
        );
    }
}
