//! From node tree to checked [`Map`], collecting every problem on the way.
//!
//! The walk never stops at the first problem: each field is checked on its own, a bad
//! value is reported and skipped, and references are resolved only after every entity,
//! category and agreement has been read, so a file with five independent mistakes gets
//! five diagnostics.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::rc::Rc;

use crate::diag::{Diagnostic, Loc};
use crate::map::*;
use crate::node::{ItemSink, Node, NodeKind, ParseLimits, Section, locate, offset_unknown};
use crate::text::{Interner, Text};
use crate::vocabulary::{Family, FieldKind, FieldSpec, Vocabulary};

const TOP_KEYS: &[&str] = &[
    "format",
    "organisation",
    "describes",
    "entities",
    "categories",
    "flows",
    "agreements",
];
const ENTITY_KEYS: &[&str] = &[
    "name",
    "kind",
    "country",
    "processing",
    "role",
    "sector",
    "subject-to",
    "legal-person",
    "certifications",
    "evidence",
];
const CERT_KEYS: &[&str] = &["framework", "from", "until", "scope"];
const CATEGORY_KEYS: &[&str] = &["like"];
const FLOW_KEYS: &[&str] = &[
    "id",
    "from",
    "to",
    "data",
    "purpose",
    "automated",
    "public-powers",
    "opt-in",
    "roles",
    "mechanisms",
    "agreement",
    "evidence",
];
const AGREEMENT_KEYS: &[&str] = &["between", "signed", "expires", "mechanisms", "evidence"];
const PERIOD_KEYS: &[&str] = &["from", "until"];
/// The syntax a map is written in. Both carry the same format (`docs/format.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    Yaml,
    /// The fast path for generated and exported maps.
    Json,
}

impl Syntax {
    /// JSON for a `.json` file name, YAML otherwise.
    pub fn of_file(name: &str) -> Syntax {
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".json") {
            Syntax::Json
        } else {
            Syntax::Yaml
        }
    }
}

/// Loads and validates a YAML map. Returns the map when there is no error, and every
/// diagnostic (errors and warnings) in file order either way.
pub fn load(text: &str, vocabulary: &Vocabulary) -> (Option<Map>, Vec<Diagnostic>) {
    load_as(Syntax::Yaml, text, vocabulary)
}

/// Loads and validates a map written in `syntax`, like [`load`].
pub fn load_as(
    syntax: Syntax,
    text: &str,
    vocabulary: &Vocabulary,
) -> (Option<Map>, Vec<Diagnostic>) {
    // Entities and flows are extracted while the parser reads them (see `MapReader`); the
    // tree keeps the rest of the document.
    let mut reader = MapReader {
        cx: Cx::new(vocabulary),
        ..MapReader::default()
    };
    let parsed = match syntax {
        Syntax::Yaml => {
            crate::node::parse_yaml_streaming(text, ParseLimits::default(), &mut reader)
        }
        Syntax::Json => {
            crate::json::parse_json_streaming(text, ParseLimits::default(), &mut reader)
        }
    };
    let root = match parsed {
        Ok(root) => root,
        Err(diagnostic) => return (None, vec![diagnostic]),
    };
    let MapReader {
        mut cx,
        entities,
        flows,
        ..
    } = reader;
    let map = cx.map(&root, entities, flows);
    let mut diagnostics = cx.finish();
    for d in &mut diagnostics {
        if offset_unknown(d.loc) {
            d.loc = locate(d.loc, text);
        }
    }
    let has_error = diagnostics
        .iter()
        .any(|d| d.level == crate::DiagnosticLevel::Error);
    (if has_error { None } else { map }, diagnostics)
}

/// The walk's state: the vocabulary and the diagnostics collected so far. Shared with the
/// vendor intake loader (`intake.rs`), which reads its entities, categories and mechanisms
/// with the same helpers.
pub(crate) struct Cx {
    /// Shared rather than borrowed: a map's `Cx` lives with the YAML parser's thread state
    /// while the document is read (`MapReader`).
    pub(crate) vocabulary: Rc<Vocabulary>,
    pub(crate) diagnostics: Vec<Diagnostic>,
    /// Entities declared but unusable because of their own errors: references to them are
    /// not reported again.
    pub(crate) broken: BTreeSet<String>,
    /// The data categories read so far: every flow names a few of a map's few dozen, and
    /// each is kept once (see [`Text`]).
    categories: Interner,
    /// `legal-person:` references read so far, `(entity, named id, where)`: resolved once every
    /// entity is known.
    legal_persons: Vec<(String, String, Loc)>,
}

/// The entries of one mapping after unknown and duplicate keys were reported.
pub(crate) struct Fields<'n> {
    pub(crate) loc: Loc,
    /// In the mapping's order. A mapping of the format has a dozen keys at most, so a list
    /// is searched faster than a tree is built (a large map has a million mappings).
    entries: Vec<(&'n str, &'n Node)>,
}

impl<'n> Fields<'n> {
    fn new(loc: Loc, capacity: usize) -> Self {
        Fields {
            loc,
            entries: Vec::with_capacity(capacity),
        }
    }

    pub(crate) fn get(&self, key: &str) -> Option<&'n Node> {
        self.entries
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, node)| *node)
    }
}

/// The keys of a mapping seen so far, to report a repeated key at its second occurrence.
struct SeenKeys<'n>(Vec<(&'n str, Loc)>);

impl<'n> SeenKeys<'n> {
    fn with_capacity(keys: usize) -> Self {
        SeenKeys(Vec::with_capacity(keys))
    }

    /// Records `key`; returns where it was first seen if it was seen before.
    fn insert(&mut self, key: &'n str, loc: Loc) -> Option<Loc> {
        match self.0.iter().find(|(k, _)| *k == key) {
            Some((_, first)) => Some(*first),
            None => {
                self.0.push((key, loc));
                None
            }
        }
    }
}

/// The map's sections that are extracted item by item while the parser reads them (see
/// [`ItemSink`]): the entities (checked for duplicate ids as they come) and the raw flows.
/// Only the first occurrence of each section is claimed: a repeated root key is reported
/// by the walk of the tree and its value ignored, as for any other key.
#[derive(Default)]
struct MapReader {
    cx: Cx,
    claimed: [bool; 2],
    entity_ids: HashMap<String, Loc>,
    entities: Vec<Entity>,
    /// Flow items read so far, kept or not: the index of the next is the `flow` number
    /// of the result contract.
    flow_items: usize,
    flows: Vec<RawFlow>,
}

impl ItemSink for MapReader {
    fn section(&mut self, key: &str) -> Option<Section> {
        let (slot, section) = match key {
            "entities" => (0, Section::Entities),
            "flows" => (1, Section::Flows),
            _ => return None,
        };
        (!std::mem::replace(&mut self.claimed[slot], true)).then_some(section)
    }

    fn entry(&mut self, key: Node, value: Node) {
        if let Some(entity) = self.cx.entity_entry(&mut self.entity_ids, &key, &value) {
            self.entities.push(entity);
        }
    }

    fn item(&mut self, item: Node) {
        let index = self.flow_items;
        self.flow_items += 1;
        if let Some(flow) = self.cx.flow_item(index, &item) {
            self.flows.push(flow);
        }
    }
}

/// A flow as read, before its references are resolved.
struct RawFlow {
    index: usize,
    loc: Loc,
    id: Option<(Text, Loc)>,
    from: Option<(Text, Loc)>,
    to: Option<(Text, Loc)>,
    data: Vec<(Text, Loc)>,
    purpose: Option<String>,
    automated: Option<bool>,
    public_powers: Option<bool>,
    opt_in: Option<bool>,
    roles: Option<(RolePair, Loc)>,
    mechanisms: Vec<Mechanism>,
    agreement: Option<(Text, Loc)>,
    evidence: Option<String>,
}

struct RawAgreement {
    id: String,
    loc: Loc,
    between: Vec<(String, Loc)>,
    signed: Option<Date>,
    expires: Option<Date>,
    expires_loc: Option<Loc>,
    mechanisms: Vec<Mechanism>,
    evidence: Option<String>,
}

impl Default for Cx {
    fn default() -> Self {
        Cx::new(&Vocabulary::default())
    }
}

impl Cx {
    pub(crate) fn new(vocabulary: &Vocabulary) -> Self {
        Cx {
            vocabulary: Rc::new(vocabulary.clone()),
            diagnostics: Vec::new(),
            broken: BTreeSet::new(),
            categories: Interner::default(),
            legal_persons: Vec::new(),
        }
    }

    /// Every diagnostic collected, in file order.
    pub(crate) fn finish(self) -> Vec<Diagnostic> {
        let mut diagnostics = self.diagnostics;
        diagnostics.sort_by_key(|d| (d.loc.line, d.loc.column));
        diagnostics
    }

    pub(crate) fn push(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    /// The map from the tree's `root` and the entities and flows extracted while it was
    /// read (empty when the document's sections were not streamed).
    fn map(
        &mut self,
        root: &Node,
        mut entities: Vec<Entity>,
        mut raw_flows: Vec<RawFlow>,
    ) -> Option<Map> {
        let top = self.fields(root, TOP_KEYS, "the map")?;
        match top.get("format") {
            Some(Node {
                kind: NodeKind::Int(1),
                ..
            }) => {}
            Some(node) => self.push(
                Diagnostic::error("unsupported-format", node.loc, "unsupported map format")
                    .with_hint("this version of xborder reads `format: 1`"),
            ),
            None => self.missing(top.loc, "format", "the map", "add `format: 1` at the top"),
        }
        let organisation = match top.get("organisation") {
            Some(node) => self.string(node, "organisation"),
            None => {
                self.missing(top.loc, "organisation", "the map", "name whose map this is");
                None
            }
        };

        let describes = top.get("describes").and_then(|n| self.period(n));
        let categories = top
            .get("categories")
            .map(|n| self.categories(n))
            .unwrap_or_default();
        match top.get("entities") {
            // A streamed section left an empty mapping here; anything else is read now.
            Some(node) => entities.extend(self.entities(node)),
            None => {
                self.missing(
                    top.loc,
                    "entities",
                    "the map",
                    "list the organisations and data subjects",
                );
            }
        }
        let raw_agreements = top
            .get("agreements")
            .map(|n| self.agreements(n))
            .unwrap_or_default();
        match top.get("flows") {
            Some(node) => raw_flows.extend(self.flows(node)),
            None => {
                self.missing(
                    top.loc,
                    "flows",
                    "the map",
                    "list the flows of personal data",
                );
            }
        }

        // References are resolved once everything is read. Hash maps: a large map resolves
        // two references per flow, and a tree's lookups would grow with the entity count.
        let entity_ids: HashMap<&str, usize> = entities
            .iter()
            .enumerate()
            .map(|(i, e)| (e.id.as_str(), i))
            .collect();
        let vocabulary = Rc::clone(&self.vocabulary);
        let category_ids: BTreeSet<&str> = categories
            .iter()
            .map(|c| c.id.as_str())
            .chain(vocabulary.categories.iter().map(String::as_str))
            .collect();
        let agreement_ids: BTreeMap<&str, usize> = raw_agreements
            .iter()
            .enumerate()
            .map(|(i, a)| (a.id.as_str(), i))
            .collect();

        let legal_persons = self.resolve_legal_persons(&entities, &entity_ids);

        let mut agreements = Vec::new();
        for raw in &raw_agreements {
            let between: Vec<EntityIx> = raw
                .between
                .iter()
                .filter_map(|(id, loc)| self.resolve_entity(&entity_ids, id, *loc, "party"))
                .collect();
            agreements.push(Agreement {
                id: raw.id.clone(),
                loc: raw.loc,
                between,
                signed: raw.signed,
                expires: raw.expires,
                expires_loc: raw.expires_loc,
                mechanisms: raw.mechanisms.clone(),
                evidence: raw.evidence.clone(),
            });
        }

        let mut flows = Vec::with_capacity(raw_flows.len());
        let mut flow_ids: HashMap<Text, Loc> = HashMap::with_capacity(raw_flows.len());
        for raw in raw_flows {
            if let Some((id, loc)) = &raw.id
                && let Some(first) = flow_ids.insert(id.clone(), *loc)
            {
                self.push(
                    Diagnostic::error("duplicate-id", *loc, format!("duplicate flow id \"{id}\""))
                        .with_hint(format!(
                            "flow ids must be unique; \"{id}\" is already used at line {}",
                            first.line
                        )),
                );
            }
            let from = raw
                .from
                .as_ref()
                .and_then(|(id, loc)| self.resolve_entity(&entity_ids, id, *loc, "entity"));
            let to = raw
                .to
                .as_ref()
                .and_then(|(id, loc)| self.resolve_entity(&entity_ids, id, *loc, "entity"));
            self.check_categories(&raw.data, &category_ids);
            let agreement =
                raw.agreement
                    .as_ref()
                    .and_then(|(id, loc)| match agreement_ids.get(id.as_str()) {
                        Some(&i) => Some(i),
                        None => {
                            let mut d = Diagnostic::error(
                                "unknown-agreement",
                                *loc,
                                format!("unknown agreement \"{id}\""),
                            );
                            d = match suggest(id, agreement_ids.keys().copied()) {
                                Some(s) => d.with_hint(format!("did you mean \"{s}\"?")),
                                None => d.with_hint("declare it under `agreements:`"),
                            };
                            self.push(d);
                            None
                        }
                    });
            let (Some(from), Some(to)) = (from, to) else {
                continue;
            };
            if let Some(a) = agreement {
                let parties = &agreements[a].between;
                if !parties.is_empty() && (!parties.contains(&from) || !parties.contains(&to)) {
                    let loc = raw.agreement.as_ref().map_or(raw.loc, |(_, l)| *l);
                    self.push(
                        Diagnostic::error(
                            "agreement-parties",
                            loc,
                            format!(
                                "agreement \"{}\" is not between \"{}\" and \"{}\"",
                                agreements[a].id, entities[from].id, entities[to].id
                            ),
                        )
                        .with_hint("name an agreement between the flow's two entities, or add them to its `between`"),
                    );
                }
            }
            let roles = self.flow_roles(raw.roles, &entities[from], &entities[to]);
            if entities[to].kind == EntityKind::Subjects {
                let loc = raw.to.as_ref().map_or(raw.loc, |(_, l)| *l);
                self.push(
                    Diagnostic::error(
                        "flow-into-subjects",
                        loc,
                        format!("flow goes into the data subjects \"{}\"", entities[to].id),
                    )
                    .with_hint("data subjects are where data comes from; model the recipient organisation instead"),
                );
            }
            if from == to {
                let loc = raw.to.as_ref().map_or(raw.loc, |(_, l)| *l);
                self.push(
                    Diagnostic::error(
                        "self-flow",
                        loc,
                        format!("flow from \"{}\" to itself", entities[from].id),
                    )
                    .with_hint("a flow connects two different entities"),
                );
            }
            flows.push(Flow {
                index: raw.index,
                id: raw.id.map(|(id, _)| id),
                loc: raw.loc,
                from,
                to,
                // A new list at its exact size (collecting in place would keep room for the
                // locations).
                data: raw.data.iter().map(|(c, _)| c.clone()).collect(),
                purpose: raw.purpose,
                automated: raw.automated,
                public_powers: raw.public_powers,
                opt_in: raw.opt_in,
                roles,
                mechanisms: raw.mechanisms,
                agreement,
                evidence: raw.evidence,
            });
        }

        for (entity, root) in legal_persons {
            entities[entity].legal_person = Some(root);
        }
        Some(Map {
            organisation: organisation?,
            describes,
            entities,
            categories,
            flows,
            agreements,
        })
    }

    /// `describes: {from, until}`: the period the map describes, at least one end given.
    fn period(&mut self, node: &Node) -> Option<Period> {
        let f = self.fields(node, PERIOD_KEYS, "`describes`")?;
        let from = f.get("from").and_then(|n| self.date(n, "from"));
        let until = self.end_date(
            &f,
            ("from", from),
            "until",
            "`until` is the last day the map describes",
        );
        if f.get("from").is_none() && f.get("until").is_none() {
            self.push(
                Diagnostic::error("missing-key", node.loc, "`describes` has neither `from` nor `until`")
                    .with_hint("give the first day the map describes (`from: 2021-01-01`), the last (`until:`), or both"),
            );
            return None;
        }
        Some(Period {
            from,
            until,
            loc: node.loc,
        })
    }

    /// The `legal-person:` references read, each entity paired with the entity at the root of
    /// its chain (a branch of a branch belongs to the same legal person); unknown targets,
    /// data subjects and cycles are reported.
    fn resolve_legal_persons(
        &mut self,
        entities: &[Entity],
        entity_ids: &HashMap<&str, usize>,
    ) -> Vec<(usize, usize)> {
        let references = std::mem::take(&mut self.legal_persons);
        let mut parent: HashMap<usize, (usize, Loc)> = HashMap::new();
        for (id, target, loc) in &references {
            let Some(&entity) = entity_ids.get(id.as_str()) else {
                continue;
            };
            let Some(to) = self.resolve_entity(entity_ids, target, *loc, "legal person") else {
                continue;
            };
            if to == entity {
                self.push(
                    Diagnostic::error(
                        "bad-value",
                        *loc,
                        format!("\"{id}\" names itself as its `legal-person`"),
                    )
                    .with_hint(
                        "name the entity this one is a branch or office of, or remove the key",
                    ),
                );
                continue;
            }
            if entities[entity].kind == EntityKind::Subjects
                || entities[to].kind == EntityKind::Subjects
            {
                self.push(
                    Diagnostic::error(
                        "bad-value",
                        *loc,
                        format!("`legal-person` links \"{id}\" and \"{target}\", but data subjects are no legal person's branch"),
                    )
                    .with_hint("`legal-person` links organisations that are one legal person (a company and its branch)"),
                );
                continue;
            }
            parent.insert(entity, (to, *loc));
        }
        let mut out = Vec::new();
        for &entity in parent.keys() {
            // Follow the chain to its root; a chain longer than the entities is a cycle.
            let mut at = entity;
            let mut steps = 0;
            while let Some(&(next, _)) = parent.get(&at) {
                at = next;
                steps += 1;
                if steps > parent.len() {
                    break;
                }
            }
            if steps > parent.len() {
                if let Some(&(_, loc)) = parent.get(&entity) {
                    self.push(
                        Diagnostic::error(
                            "bad-value",
                            loc,
                            format!("the `legal-person` chain of \"{}\" goes round in a circle", entities[entity].id),
                        )
                        .with_hint("one entity of the chain is the legal person itself and has no `legal-person`"),
                    );
                }
                continue;
            }
            out.push((entity, at));
        }
        out.sort_unstable();
        out
    }

    /// Reports the data categories that are neither `known` (rulebook and declared
    /// categories) nor close to one.
    pub(crate) fn check_categories<S: AsRef<str>>(
        &mut self,
        data: &[(S, Loc)],
        known: &BTreeSet<&str>,
    ) {
        for (category, loc) in data {
            let category = category.as_ref();
            if !known.contains(category) {
                let mut d = Diagnostic::error(
                    "unknown-category",
                    *loc,
                    format!("unknown data category \"{category}\""),
                );
                d = match suggest(category, known.iter().copied()) {
                Some(s) => d.with_hint(format!("did you mean \"{s}\"? Otherwise declare it under `categories:` with `like: <base category>`")),
                None => d.with_hint("use a rulebook category or declare it under `categories:` with `like: <base category>`"),
            };
                self.push(d);
            }
        }
    }

    /// Roles of a flow: written on the flow, or taken from the entities' default `role`.
    pub(crate) fn flow_roles(
        &mut self,
        written: Option<(RolePair, Loc)>,
        from: &Entity,
        to: &Entity,
    ) -> Option<RolePair> {
        if from.kind == EntityKind::Subjects {
            if let Some((_, loc)) = written {
                self.push(
                    Diagnostic::error(
                        "roles-contradict-entities",
                        loc,
                        format!("flow from the data subjects \"{}\" has `roles`", from.id),
                    )
                    .with_hint("data subjects are neither controllers nor processors; remove `roles` from this flow"),
                );
            }
            return None;
        }
        match written {
            Some((pair, loc)) => {
                for (side, entity, role) in [
                    ("exporter", from, pair.exporter),
                    ("importer", to, pair.importer),
                ] {
                    if let Some(default) = entity.role
                        && default != role
                    {
                        self.push(
                            Diagnostic::error(
                                "roles-contradict-entities",
                                loc,
                                format!(
                                    "`roles: {pair}` makes \"{}\" a {} but the entity says `role: {}`",
                                    entity.id,
                                    role.as_str(),
                                    default.as_str()
                                ),
                            )
                            .with_hint(format!(
                                "make the {side}'s role agree, or drop the entity's default `role` if it acts in both roles"
                            )),
                        );
                    }
                }
                Some(pair)
            }
            None => match (from.role, to.role) {
                (Some(exporter), Some(importer)) => Some(RolePair { exporter, importer }),
                _ => None,
            },
        }
    }

    pub(crate) fn resolve_entity(
        &mut self,
        ids: &HashMap<&str, usize>,
        id: &str,
        loc: Loc,
        what: &str,
    ) -> Option<usize> {
        if let Some(&i) = ids.get(id) {
            return Some(i);
        }
        if self.broken.contains(id) {
            return None;
        }
        let mut d = Diagnostic::error("unknown-entity", loc, format!("unknown {what} \"{id}\""));
        // Sorted, so that the suggestion among equally close ids does not depend on hashing.
        let mut candidates: Vec<&str> = ids
            .keys()
            .copied()
            .chain(self.broken.iter().map(String::as_str))
            .collect();
        candidates.sort_unstable();
        d = match suggest(id, candidates.into_iter()) {
            Some(s) => d.with_hint(format!("did you mean \"{s}\"?")),
            None => d.with_hint("declare it under `entities:`"),
        };
        self.push(d);
        None
    }

    /// The entries of a section keyed by id (`entities`, `categories`, `agreements`): ids
    /// are checked and duplicates reported once, here, for every section.
    fn keyed<'n>(
        &mut self,
        node: &'n Node,
        section: &str,
        what: &str,
    ) -> Vec<(&'n str, &'n Node, &'n Node)> {
        let Some(entries) = self.mapping(node, section) else {
            return Vec::new();
        };
        let mut seen = HashMap::with_capacity(entries.len());
        entries
            .iter()
            .filter_map(|(key, value)| Some((self.entry_id(&mut seen, key, what)?, key, value)))
            .collect()
    }

    /// The id of one entry of a section keyed by id, or `None` when it is invalid or was
    /// defined before (both reported). `seen` holds the ids read so far and where.
    fn entry_id<'n>(
        &mut self,
        seen: &mut HashMap<String, Loc>,
        key: &'n Node,
        what: &str,
    ) -> Option<&'n str> {
        let id = self.id(key, what)?;
        if let Some(before) = seen.insert(id.to_string(), key.loc) {
            self.push(
                Diagnostic::error(
                    "duplicate-id",
                    key.loc,
                    format!("duplicate {what} \"{id}\""),
                )
                .with_hint(format!(
                    "\"{id}\" is already defined at line {}",
                    before.line
                )),
            );
            return None;
        }
        Some(id)
    }

    // --- sections -------------------------------------------------------------------

    fn entities(&mut self, node: &Node) -> Vec<Entity> {
        let Some(entries) = self.mapping(node, "entities") else {
            return Vec::new();
        };
        let mut ids = HashMap::with_capacity(entries.len());
        entries
            .iter()
            .filter_map(|(key, value)| self.entity_entry(&mut ids, key, value))
            .collect()
    }

    /// One entry of `entities`, given the ids read before it (and where).
    fn entity_entry(
        &mut self,
        ids: &mut HashMap<String, Loc>,
        key: &Node,
        value: &Node,
    ) -> Option<Entity> {
        let id = self.entry_id(ids, key, "entity id")?;
        let entity = self.entity(id, key.loc, value);
        if entity.is_none() {
            self.broken.insert(id.to_string());
        }
        entity
    }

    fn entity(&mut self, id: &str, id_loc: Loc, node: &Node) -> Option<Entity> {
        let what = format!("entity \"{id}\"");
        let mut f = self.fields(node, ENTITY_KEYS, &what)?;
        f.loc = id_loc;
        self.entity_fields(id, id_loc, &f, &what, None)
    }

    /// An entity from its fields (`f.loc` is where "missing key" problems point). The kind
    /// is read from `kind:` unless the caller fixes it (a vendor intake's entities).
    pub(crate) fn entity_fields(
        &mut self,
        id: &str,
        id_loc: Loc,
        f: &Fields<'_>,
        what: &str,
        fixed_kind: Option<EntityKind>,
    ) -> Option<Entity> {
        let name = self.required_string(f, "name", what, "give the organisation's or group's name");
        let kind = fixed_kind.or_else(|| {
            self.required(
                f,
                "kind",
                what,
                "one of company, vendor, partner, authority, subjects",
            )
            .and_then(|n| {
                self.choice(
                    n,
                    "kind",
                    &[
                        ("company", EntityKind::Company),
                        ("vendor", EntityKind::Vendor),
                        ("partner", EntityKind::Partner),
                        ("authority", EntityKind::Authority),
                        ("subjects", EntityKind::Subjects),
                    ],
                )
            })
        });
        let country_hint =
            "an ISO 3166-1 alpha-2 code such as US, or a region such as EEA for data subjects";
        let country_node = self.required(f, "country", what, country_hint);
        let country = country_node.and_then(|n| self.required_value(n, "country", country_hint));
        if let (Some(c), Some(n)) = (&country, country_node) {
            self.check_country(c, n.loc, kind == Some(EntityKind::Subjects));
        }
        let processing = match f.get("processing") {
            Some(n) => {
                let list = self.string_list(n, "processing");
                // Empty as written: a value of the wrong type was reported already.
                let written_empty = match &n.kind {
                    NodeKind::Null => true,
                    NodeKind::Seq(items) => items.is_empty(),
                    _ => false,
                };
                if list.is_empty() && written_empty {
                    self.push(
                        Diagnostic::error("empty-list", n.loc, "`processing` is empty")
                            .with_hint("list the countries where the entity stores or accesses the data, or remove the key"),
                    );
                }
                for (c, loc) in &list {
                    if !(self.vocabulary.is_country)(c) {
                        self.bad_country(
                            c,
                            *loc,
                            "processing countries are ISO 3166-1 alpha-2 codes",
                        );
                    }
                }
                list.into_iter().map(|(c, _)| c).collect()
            }
            None => country
                .as_ref()
                .map(|c| vec![c.split('-').next().unwrap_or(c).to_string()])
                .unwrap_or_default(),
        };
        let role = f.get("role").and_then(|n| {
            self.choice(
                n,
                "role",
                &[
                    ("controller", Role::Controller),
                    ("processor", Role::Processor),
                ],
            )
        });
        if kind == Some(EntityKind::Subjects)
            && let Some(n) = f.get("role")
        {
            self.push(
                Diagnostic::error(
                    "roles-contradict-entities",
                    n.loc,
                    format!("data subjects \"{id}\" have a `role`"),
                )
                .with_hint("data subjects are neither controllers nor processors; remove `role`"),
            );
        }
        let sector = f
            .get("sector")
            .and_then(|n| {
                self.choice(
                    n,
                    "sector",
                    &[
                        ("private", Sector::Private),
                        ("public", Sector::Public),
                        ("nonprofit", Sector::Nonprofit),
                        ("academic", Sector::Academic),
                    ],
                )
            })
            .unwrap_or(Sector::Private);
        let subject_to = f.get("subject-to").map(|n| {
            self.string_list(n, "subject-to")
                .into_iter()
                .map(|(s, _)| s)
                .collect()
        });
        if let Some(n) = f.get("legal-person")
            && let Some(target) = self.string(n, "legal-person")
        {
            self.legal_persons.push((id.to_string(), target, n.loc));
        }
        let certifications = f
            .get("certifications")
            .map(|n| self.certifications(n))
            .unwrap_or_default();
        let evidence = f.get("evidence").and_then(|n| self.string(n, "evidence"));
        Some(Entity {
            id: id.to_string(),
            loc: id_loc,
            name: name?,
            kind: kind?,
            country: country?,
            country_loc: country_node.map_or(id_loc, |n| n.loc),
            processing,
            role,
            sector,
            subject_to,
            legal_person: None,
            certifications,
            evidence,
        })
    }

    pub(crate) fn certifications(&mut self, node: &Node) -> Vec<Certification> {
        let Some(items) = self.sequence(node, "certifications") else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in items {
            let Some(f) = self.fields(item, CERT_KEYS, "certification") else {
                continue;
            };
            let framework = self
                .required(
                    &f,
                    "framework",
                    "certification",
                    "e.g. eu-us-privacy-shield or eu-us-dpf",
                )
                .and_then(|n| {
                    let s = self.string(n, "framework")?;
                    if self.vocabulary.frameworks.contains(&s) {
                        Some(s)
                    } else {
                        self.unknown_word(
                            n.loc,
                            "unknown-framework",
                            "certification framework",
                            &s,
                            &self.vocabulary.frameworks.clone(),
                        );
                        None
                    }
                });
            let from = self
                .required(
                    &f,
                    "from",
                    "certification",
                    "the date the listing started, YYYY-MM-DD",
                )
                .and_then(|n| self.date(n, "from"));
            let until = self.end_date(
                &f,
                ("from", from),
                "until",
                "`until` is the last day of the listing",
            );
            let (mut hr, mut non_hr) = (true, true);
            if let Some(n) = f.get("scope") {
                let list = self.string_list(n, "scope");
                if !list.is_empty() {
                    hr = false;
                    non_hr = false;
                }
                for (s, loc) in list {
                    match s.as_str() {
                        "hr" => hr = true,
                        "non-hr" => non_hr = true,
                        other => self.push(
                            Diagnostic::error(
                                "bad-value",
                                loc,
                                format!("unknown certification scope \"{other}\""),
                            )
                            .with_hint("use hr and/or non-hr"),
                        ),
                    }
                }
            }
            if let (Some(framework), Some(from)) = (framework, from) {
                out.push(Certification {
                    framework,
                    from,
                    until,
                    hr,
                    non_hr,
                    loc: item.loc,
                });
            }
        }
        out
    }

    pub(crate) fn categories(&mut self, node: &Node) -> Vec<MapCategory> {
        let mut out = Vec::new();
        for (id, key, value) in self.keyed(node, "categories", "category id") {
            if self.vocabulary.categories.contains(id) {
                self.push(
                    Diagnostic::error(
                        "duplicate-id",
                        key.loc,
                        format!("category \"{id}\" is already a rulebook category"),
                    )
                    .with_hint("use the rulebook category directly, or pick another name"),
                );
                continue;
            }
            let Some(f) = self.fields(value, CATEGORY_KEYS, &format!("category \"{id}\"")) else {
                continue;
            };
            let Some(like_node) = self.required(
                &f,
                "like",
                &format!("category \"{id}\""),
                "the base category it is treated like, e.g. biometric",
            ) else {
                continue;
            };
            let Some(like) = self.required_value(
                like_node,
                "like",
                "the base category it is treated like, e.g. biometric",
            ) else {
                continue;
            };
            if !self.vocabulary.categories.contains(&like) {
                let known = self.vocabulary.categories.clone();
                self.unknown_word(
                    like_node.loc,
                    "unknown-category",
                    "base category",
                    &like,
                    &known,
                );
                continue;
            }
            out.push(MapCategory {
                id: id.to_string(),
                like,
                loc: key.loc,
            });
        }
        out
    }

    fn flows(&mut self, node: &Node) -> Vec<RawFlow> {
        let Some(items) = self.sequence(node, "flows") else {
            return Vec::new();
        };
        items
            .iter()
            .enumerate()
            .filter_map(|(index, item)| self.flow_item(index, item))
            .collect()
    }

    /// The flow at `index` of `flows`, as read.
    fn flow_item(&mut self, index: usize, item: &Node) -> Option<RawFlow> {
        let what = format!("flow {index}");
        let f = self.fields(item, FLOW_KEYS, &what)?;
        let id = f.get("id").and_then(|n| {
            self.id(n, "flow id")?;
            self.text(n, "id").map(|s| (s, n.loc))
        });
        let from = self
            .required(
                &f,
                "from",
                &what,
                "the id of the entity the data comes from",
            )
            .and_then(|n| self.text(n, "from").map(|s| (s, n.loc)));
        let to = self
            .required(
                &f,
                "to",
                &what,
                "the id of the entity that receives the data",
            )
            .and_then(|n| self.text(n, "to").map(|s| (s, n.loc)));
        let data = match self.required(
            &f,
            "data",
            &what,
            "list the data categories, e.g. [name, email]",
        ) {
            Some(n) => {
                let mut list = self.data_list(
                    n,
                    "list what the flow carries, e.g. data: [name, email]; a flow without data is not a flow",
                );
                for (category, _) in &mut list {
                    *category = self.categories.text(category);
                }
                list
            }
            None => Vec::new(),
        };
        let purpose = f.get("purpose").and_then(|n| self.string(n, "purpose"));
        let automated = f
            .get("automated")
            .and_then(|n| self.boolean(n, "automated"));
        let public_powers = f
            .get("public-powers")
            .and_then(|n| self.boolean(n, "public-powers"));
        let opt_in = f.get("opt-in").and_then(|n| self.boolean(n, "opt-in"));
        let roles = f.get("roles").and_then(|n| self.roles(n));
        let mechanisms = f
            .get("mechanisms")
            .map(|n| self.mechanisms(n))
            .unwrap_or_default();
        let agreement = f
            .get("agreement")
            .and_then(|n| self.text(n, "agreement").map(|s| (s, n.loc)));
        let evidence = f.get("evidence").and_then(|n| self.string(n, "evidence"));
        Some(RawFlow {
            index,
            loc: item.loc,
            id,
            from,
            to,
            data,
            purpose,
            automated,
            public_powers,
            opt_in,
            roles,
            mechanisms,
            agreement,
            evidence,
        })
    }

    /// A `roles: exporter->importer` value.
    pub(crate) fn roles(&mut self, n: &Node) -> Option<(RolePair, Loc)> {
        let s = self.string(n, "roles")?;
        match s.parse::<RolePair>() {
            Ok(pair) => Some((pair, n.loc)),
            Err(()) => {
                self.push(
                    Diagnostic::error("bad-value", n.loc, format!("invalid roles \"{s}\""))
                        .with_hint("write exporter->importer, e.g. controller->processor"),
                );
                None
            }
        }
    }

    fn agreements(&mut self, node: &Node) -> Vec<RawAgreement> {
        let mut out = Vec::new();
        for (id, key, value) in self.keyed(node, "agreements", "agreement id") {
            let what = format!("agreement \"{id}\"");
            let Some(f) = self.fields(value, AGREEMENT_KEYS, &what) else {
                continue;
            };
            let between = self
                .required(
                    &f,
                    "between",
                    &what,
                    "the two entities, e.g. [coursera-inc, zendesk]",
                )
                .map(|n| self.string_list(n, "between"))
                .unwrap_or_default();
            let signed = f.get("signed").and_then(|n| self.date(n, "signed"));
            let expires = self.end_date(
                &f,
                ("signed", signed),
                "expires",
                "`expires` is the agreement's last day",
            );
            let mechanisms = f
                .get("mechanisms")
                .map(|n| self.mechanisms(n))
                .unwrap_or_default();
            let evidence = f.get("evidence").and_then(|n| self.string(n, "evidence"));
            out.push(RawAgreement {
                id: id.to_string(),
                loc: key.loc,
                between,
                signed,
                expires,
                expires_loc: f.get("expires").map(|n| n.loc),
                mechanisms,
                evidence,
            });
        }
        out
    }

    pub(crate) fn mechanisms(&mut self, node: &Node) -> Vec<Mechanism> {
        let Some(items) = self.sequence(node, "mechanisms") else {
            return Vec::new();
        };
        let mut mechanisms: Vec<Mechanism> = items
            .iter()
            .filter_map(|item| self.mechanism(item))
            .collect();
        // Collecting keeps room for four; most flows claim one, and a map has a million.
        mechanisms.shrink_to_fit();
        mechanisms
    }

    fn mechanism(&mut self, node: &Node) -> Option<Mechanism> {
        let v = Rc::clone(&self.vocabulary);
        let known_kinds = || -> BTreeSet<String> {
            v.mechanism_kinds
                .iter()
                .map(|k| k.kind.clone())
                .chain(v.framework_mechanisms.iter().cloned())
                .collect()
        };
        let NodeKind::Map(entries) = &node.kind else {
            self.push(
                Diagnostic::error("wrong-type", node.loc, format!("a mechanism must be a mapping, found {}", node.kind.describe()))
                    .with_hint("write e.g. { kind: scc, version: \"2021/914\", module: 2, signed: 2021-09-01 }"),
            );
            return None;
        };
        let kind_node = entries
            .iter()
            .find(|(k, _)| matches!(&k.kind, NodeKind::Str(s) if &**s == "kind"))
            .map(|(_, v)| v);
        let Some(kind_node) = kind_node else {
            let kinds: Vec<String> = known_kinds().into_iter().collect();
            self.push(
                Diagnostic::error("missing-key", node.loc, "mechanism has no `kind`")
                    .with_hint(format!("one of {}", kinds.join(", "))),
            );
            return None;
        };
        let kind = self.string(kind_node, "kind")?;
        let spec = v.kind(&kind);
        let framework = v.framework_mechanisms.contains(&kind);
        if spec.is_none() && !framework {
            self.unknown_word(
                kind_node.loc,
                "unknown-mechanism",
                "mechanism kind",
                &kind,
                &known_kinds(),
            );
            return None;
        }
        let fields: &[FieldSpec] = spec.map(|s| s.fields.as_slice()).unwrap_or_default();
        let keys: Vec<&str> = std::iter::once("kind")
            .chain(fields.iter().map(|f| f.name.as_str()))
            .collect();
        // Fields that exist in the format but belong to another kind get their own message.
        let other_kind_field = |key: &str| {
            v.mechanism_kinds
                .iter()
                .any(|k| k.fields.iter().any(|f| f.name == key))
        };
        let f = self.collect_fields(node.loc, entries, &keys, |cx, key, loc| {
            if other_kind_field(key) {
                let allowed: Vec<&str> = keys.iter().copied().filter(|k| *k != "kind").collect();
                cx.push(
                    Diagnostic::error(
                        "field-not-for-mechanism",
                        loc,
                        format!("`{key}` does not belong to a `{kind}` mechanism"),
                    )
                    .with_hint(if allowed.is_empty() {
                        format!("a `{kind}` mechanism takes no fields besides `kind`")
                    } else {
                        format!("a `{kind}` mechanism takes: {}", allowed.join(", "))
                    }),
                );
            } else {
                cx.unknown_key(key, loc, &keys, &format!("`{kind}` mechanism"));
            }
        });
        let Some(spec) = spec else {
            return Some(Mechanism {
                loc: node.loc,
                kind: MechanismKind::Framework(kind),
            });
        };
        // Every field as its type says, in the order of the table.
        let mut values = FieldValues::default();
        let mut complete = true;
        for field in fields {
            let Some(n) = f.get(&field.name) else {
                if field.required {
                    self.missing(
                        f.loc,
                        &field.name,
                        &format!("`{kind}` mechanism"),
                        &field.summary,
                    );
                    complete = false;
                }
                continue;
            };
            match self.field_value(n, field) {
                Some(value) => values.0.push((field.name.clone(), value)),
                None => complete = complete && !field.required,
            }
        }
        let kind = match spec.family {
            Family::Adequacy => MechanismKind::Adequacy,
            Family::StandardClauses => {
                let version = match values.get("version") {
                    Some(FieldValue::Text(v)) => v.clone(),
                    _ => return None,
                };
                let module = match values.get("module") {
                    Some(FieldValue::Count(m)) => u8::try_from(*m).ok(),
                    _ => None,
                };
                if let Some(version_node) = f.get("version") {
                    let modular = self.vocabulary.modular_scc_versions.contains(&version);
                    match (modular, f.get("module")) {
                        (false, Some(n)) => self.push(
                            Diagnostic::error("scc-module", n.loc, format!("SCC set {version} has no modules"))
                                .with_hint("modules exist only in the 2021/914 clauses; remove `module`"),
                        ),
                        (true, None) => self.push(
                            Diagnostic::error("scc-module", version_node.loc, format!("SCC set {version} needs a `module`"))
                                .with_hint("add module: 1 (C2C), 2 (C2P), 3 (P2P) or 4 (P2C) to match the flow's roles"),
                        ),
                        _ => {}
                    }
                }
                MechanismKind::Scc(Scc {
                    version,
                    module,
                    signed: values.date("signed"),
                    changed: values.date("changed"),
                    uk_addendum: values.date("uk-addendum"),
                    swiss_adapted: values
                        .get("swiss-adapted")
                        .and_then(FieldValue::boolean)
                        .unwrap_or(false),
                    tia: values.date("tia"),
                })
            }
            Family::Tool => MechanismKind::Tool(Tool {
                kind: kind.clone(),
                fields: values,
            }),
            Family::Derogation => {
                let ground = match values.0.iter().position(|(n, _)| n == "ground") {
                    Some(i) => match values.0.remove(i).1 {
                        FieldValue::Text(g) => g,
                        _ => return None,
                    },
                    None => return None,
                };
                MechanismKind::Derogation(Derogation {
                    ground,
                    facts: values,
                })
            }
        };
        complete.then_some(Mechanism {
            loc: node.loc,
            kind,
        })
    }

    /// One field of a mechanism, read as its type in the rulebook's table says.
    fn field_value(&mut self, n: &Node, field: &FieldSpec) -> Option<FieldValue> {
        let key = field.name.as_str();
        match field.kind {
            FieldKind::Date => self.date(n, key).map(FieldValue::Date),
            FieldKind::Bool => self.boolean(n, key).map(FieldValue::Bool),
            FieldKind::Text => self.string(n, key).map(FieldValue::Text),
            FieldKind::Count => match n.kind {
                NodeKind::Int(i) if i >= 0 => u64::try_from(i).ok().map(FieldValue::Count),
                _ => {
                    self.push(
                        Diagnostic::error(
                            "wrong-type",
                            n.loc,
                            format!(
                                "`{key}` must be a whole number of zero or more, found {}",
                                n.kind.describe()
                            ),
                        )
                        .with_hint(format!("{key}: {}", field.summary)),
                    );
                    None
                }
            },
            FieldKind::SccVersion => self.scc_version(n).map(FieldValue::Text),
            FieldKind::SccModule => self.module(n).map(|m| FieldValue::Count(u64::from(m))),
            FieldKind::Ground => {
                let g = self.string(n, key)?;
                if self.vocabulary.derogation_grounds.contains(&g) {
                    Some(FieldValue::Text(g))
                } else {
                    let known = self.vocabulary.derogation_grounds.clone();
                    self.unknown_word(n.loc, "bad-value", "derogation ground", &g, &known);
                    None
                }
            }
            FieldKind::Choice => {
                let value = self.string(n, key)?;
                if field.values.contains(&value) {
                    Some(FieldValue::Text(value))
                } else {
                    let known: BTreeSet<String> = field.values.iter().cloned().collect();
                    self.unknown_word(
                        n.loc,
                        "bad-value",
                        &format!("value of `{key}`"),
                        &value,
                        &known,
                    );
                    None
                }
            }
        }
    }

    fn scc_version(&mut self, node: &Node) -> Option<String> {
        let version = match &node.kind {
            NodeKind::Str(s) => s.to_string(),
            _ => {
                self.push(
                    Diagnostic::error(
                        "wrong-type",
                        node.loc,
                        format!(
                            "SCC `version` must be a quoted string, found {}",
                            node.kind.describe()
                        ),
                    )
                    .with_hint("quote it: version: \"2021/914\""),
                );
                return None;
            }
        };
        if self.vocabulary.scc_versions.contains(&version) {
            Some(version)
        } else {
            let known = self.vocabulary.scc_versions.clone();
            self.unknown_word(
                node.loc,
                "unknown-scc-version",
                "SCC version",
                &version,
                &known,
            );
            None
        }
    }

    fn module(&mut self, node: &Node) -> Option<u8> {
        match node.kind {
            NodeKind::Int(m @ 1..=4) => u8::try_from(m).ok(),
            _ => {
                self.push(
                    Diagnostic::error("scc-module", node.loc, "SCC module must be 1, 2, 3 or 4")
                        .with_hint("1 controller->controller, 2 controller->processor, 3 processor->processor, 4 processor->controller"),
                );
                None
            }
        }
    }

    pub(crate) fn check_country(&mut self, code: &str, loc: Loc, subjects: bool) {
        let v = Rc::clone(&self.vocabulary);
        if (v.is_country)(code) || (v.is_subdivision)(code) {
            return;
        }
        if v.regions.contains(code) {
            if !subjects {
                self.push(
                    Diagnostic::error("region-not-allowed", loc, format!("region \"{code}\" used as an organisation's country"))
                        .with_hint("regions are only for `kind: subjects`; give the country where the organisation is established"),
                );
            }
            return;
        }
        self.bad_country(code, loc, "use an ISO 3166-1 alpha-2 code (DE), an ISO 3166-2 subdivision (US-CA) or, for data subjects, a region (EEA)");
    }

    pub(crate) fn bad_country(&mut self, code: &str, loc: Loc, hint: &str) {
        let upper = code.to_ascii_uppercase();
        let hint = if upper != code && (self.vocabulary.is_country)(&upper) {
            format!("country codes are upper case: did you mean \"{upper}\"?")
        } else if code == "UK" {
            "the ISO 3166-1 code of the United Kingdom is \"GB\"".to_string()
        } else {
            hint.to_string()
        };
        self.push(
            Diagnostic::error(
                "invalid-country",
                loc,
                format!("\"{code}\" is not an ISO 3166 country code"),
            )
            .with_hint(hint),
        );
    }

    // --- primitives -----------------------------------------------------------------

    pub(crate) fn fields<'n>(
        &mut self,
        node: &'n Node,
        allowed: &[&str],
        what: &str,
    ) -> Option<Fields<'n>> {
        let entries = self.mapping(node, what)?;
        Some(
            self.collect_fields(node.loc, entries, allowed, |cx, key, loc| {
                cx.unknown_key(key, loc, allowed, what)
            }),
        )
    }

    /// The `allowed` entries of a mapping; a repeated key is reported, and any other key
    /// is handed to `unknown`.
    fn collect_fields<'n>(
        &mut self,
        loc: Loc,
        entries: &'n [(Node, Node)],
        allowed: &[&str],
        mut unknown: impl FnMut(&mut Self, &str, Loc),
    ) -> Fields<'n> {
        let mut fields = Fields::new(loc, entries.len());
        let mut seen = SeenKeys::with_capacity(entries.len());
        for (k, v) in entries {
            let Some(key) = self.key(k) else { continue };
            if let Some(first) = seen.insert(key, k.loc) {
                self.duplicate_key(key, k.loc, first);
                continue;
            }
            if allowed.contains(&key) {
                fields.entries.push((key, v));
            } else {
                unknown(self, key, k.loc);
            }
        }
        fields
    }

    pub(crate) fn mapping<'n>(&mut self, node: &'n Node, what: &str) -> Option<&'n [(Node, Node)]> {
        match &node.kind {
            NodeKind::Map(entries) => Some(entries),
            NodeKind::Null => Some(&[]),
            other => {
                self.push(
                    Diagnostic::error(
                        "wrong-type",
                        node.loc,
                        format!("{what} must be a mapping, found {}", other.describe()),
                    )
                    .with_hint("write `key: value` pairs, one per line"),
                );
                None
            }
        }
    }

    pub(crate) fn sequence<'n>(&mut self, node: &'n Node, what: &str) -> Option<&'n [Node]> {
        match &node.kind {
            NodeKind::Seq(items) => Some(items),
            NodeKind::Null => Some(&[]),
            other => {
                self.push(
                    Diagnostic::error(
                        "wrong-type",
                        node.loc,
                        format!("`{what}` must be a list, found {}", other.describe()),
                    )
                    .with_hint("write a YAML list: one `- item` per line, or [a, b]"),
                );
                None
            }
        }
    }

    pub(crate) fn key<'n>(&mut self, node: &'n Node) -> Option<&'n str> {
        match &node.kind {
            NodeKind::Str(s) => Some(s),
            other => {
                self.push(
                    Diagnostic::error(
                        "wrong-type",
                        node.loc,
                        format!("keys must be strings, found {}", other.describe()),
                    )
                    .with_hint("quote the key"),
                );
                None
            }
        }
    }

    pub(crate) fn id<'n>(&mut self, node: &'n Node, what: &str) -> Option<&'n str> {
        let id = match &node.kind {
            NodeKind::Str(s) => &**s,
            other => {
                self.push(
                    Diagnostic::error(
                        "wrong-type",
                        node.loc,
                        format!("{what} must be a string, found {}", other.describe()),
                    )
                    .with_hint("ids look like coursera-inc"),
                );
                return None;
            }
        };
        let mut chars = id.chars();
        let first_ok = chars
            .next()
            .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
        let rest_ok = chars
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'));
        if first_ok && rest_ok {
            Some(id)
        } else {
            let fixed: String = id
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
            self.push(
                Diagnostic::error("invalid-id", node.loc, format!("invalid {what} \"{id}\""))
                    .with_hint(format!("ids are lower case letters, digits, '.', '_' and '-', starting with a letter or digit, e.g. \"{}\"", fixed.trim_start_matches(['-', '.', '_']))),
            );
            None
        }
    }

    pub(crate) fn required<'n>(
        &mut self,
        f: &Fields<'n>,
        key: &str,
        what: &str,
        hint: &str,
    ) -> Option<&'n Node> {
        let node = f.get(key);
        if node.is_none() {
            self.missing(f.loc, key, what, hint);
        }
        node
    }

    pub(crate) fn required_string(
        &mut self,
        f: &Fields<'_>,
        key: &str,
        what: &str,
        hint: &str,
    ) -> Option<String> {
        self.required(f, key, what, hint)
            .and_then(|n| self.required_value(n, key, hint))
    }

    /// The text of a key that must be there: an empty value cannot be fixed by removing the
    /// key, so the hint says what to write instead.
    pub(crate) fn required_value(&mut self, node: &Node, key: &str, hint: &str) -> Option<String> {
        if matches!(&node.kind, NodeKind::Str(s) if s.trim().is_empty())
            || matches!(node.kind, NodeKind::Null)
        {
            self.push(
                Diagnostic::error("empty-value", node.loc, format!("`{key}` is empty"))
                    .with_hint(format!("`{key}` is required: {hint}")),
            );
            return None;
        }
        self.string(node, key)
    }

    pub(crate) fn missing(&mut self, loc: Loc, key: &str, what: &str, hint: &str) {
        self.push(
            Diagnostic::error("missing-key", loc, format!("{what} has no `{key}`"))
                .with_hint(format!("add `{key}:` ({hint})")),
        );
    }

    pub(crate) fn string(&mut self, node: &Node, key: &str) -> Option<String> {
        self.text(node, key).map(String::from)
    }

    /// A text value, shared with the tree (no copy; see [`Text`]).
    pub(crate) fn text(&mut self, node: &Node, key: &str) -> Option<Text> {
        match &node.kind {
            NodeKind::Str(s) if !s.trim().is_empty() => Some(s.clone()),
            NodeKind::Str(_) | NodeKind::Null => {
                self.push(
                    Diagnostic::error("empty-value", node.loc, format!("`{key}` is empty"))
                        .with_hint(format!(
                            "give `{key}` a value, or remove the key where it is optional"
                        )),
                );
                None
            }
            NodeKind::Int(i) => Some(Text::from(i.to_string())),
            other => {
                // Maps are YAML 1.2 (`NO` is Norway), but a bare true/false is a boolean.
                let hint = if matches!(other, NodeKind::Bool(_)) {
                    "a bare true or false is a boolean; quote the value if it is text, e.g. \"true\""
                } else {
                    "write a single value; quote it if it contains ':'"
                };
                self.push(
                    Diagnostic::error(
                        "wrong-type",
                        node.loc,
                        format!("`{key}` must be text, found {}", other.describe()),
                    )
                    .with_hint(hint),
                );
                None
            }
        }
    }

    pub(crate) fn string_list(&mut self, node: &Node, key: &str) -> Vec<(String, Loc)> {
        self.text_list(node, key)
            .into_iter()
            .map(|(s, loc)| (String::from(s), loc))
            .collect()
    }

    /// The `data` of a flow: its categories, and an error (with `hint`) when it names none.
    pub(crate) fn data_list(&mut self, node: &Node, hint: &str) -> Vec<(Text, Loc)> {
        let list = self.text_list(node, "data");
        if list.is_empty() && matches!(node.kind, NodeKind::Seq(_) | NodeKind::Null) {
            self.push(
                Diagnostic::error("empty-data", node.loc, "flow carries no data categories")
                    .with_hint(hint),
            );
        }
        list
    }

    /// A list of text values, shared with the tree.
    pub(crate) fn text_list(&mut self, node: &Node, key: &str) -> Vec<(Text, Loc)> {
        match &node.kind {
            NodeKind::Seq(items) => items
                .iter()
                .filter_map(|item| self.text(item, key).map(|s| (s, item.loc)))
                .collect(),
            NodeKind::Null => Vec::new(),
            other => {
                self.push(
                    Diagnostic::error(
                        "wrong-type",
                        node.loc,
                        format!("`{key}` must be a list, found {}", other.describe()),
                    )
                    .with_hint(format!("write `{key}: [a, b]`")),
                );
                Vec::new()
            }
        }
    }

    pub(crate) fn boolean(&mut self, node: &Node, key: &str) -> Option<bool> {
        match &node.kind {
            NodeKind::Bool(b) => Some(*b),
            other => {
                // Maps are read as YAML 1.2: `yes`, `no`, `on`, `off`, `y`, `n` are text there.
                let hint = match other {
                    NodeKind::Str(s) if is_yaml11_boolean(s) => format!(
                        "YAML 1.2 reads \"{s}\" as text, not as a boolean: write true or false"
                    ),
                    _ => "write true or false".to_string(),
                };
                self.push(
                    Diagnostic::error(
                        "wrong-type",
                        node.loc,
                        format!("`{key}` must be true or false, found {}", other.describe()),
                    )
                    .with_hint(hint),
                );
                None
            }
        }
    }

    /// The date under `end_key` of an interval that starts on `start` (read from its own
    /// key): an end before the start is a slip of the pen, reported here for every interval
    /// of the formats.
    pub(crate) fn end_date(
        &mut self,
        fields: &Fields<'_>,
        (start_key, start): (&str, Option<Date>),
        end_key: &str,
        hint: &str,
    ) -> Option<Date> {
        let node = fields.get(end_key)?;
        let end = self.date(node, end_key)?;
        if let Some(start) = start
            && end < start
        {
            self.push(
                Diagnostic::error(
                    "bad-interval",
                    node.loc,
                    format!("`{end_key}` {end} is before `{start_key}` {start}"),
                )
                .with_hint(hint),
            );
        }
        Some(end)
    }

    pub(crate) fn date(&mut self, node: &Node, key: &str) -> Option<Date> {
        let text = match &node.kind {
            NodeKind::Str(s) => &**s,
            other => {
                self.push(
                    Diagnostic::error(
                        "bad-date",
                        node.loc,
                        format!("`{key}` must be a date, found {}", other.describe()),
                    )
                    .with_hint("write dates as YYYY-MM-DD"),
                );
                return None;
            }
        };
        let parsed = if text.len() == 10 {
            Date::parse_from_str(text, "%Y-%m-%d").ok()
        } else {
            None
        };
        if parsed.is_none() {
            self.push(
                Diagnostic::error(
                    "bad-date",
                    node.loc,
                    format!("`{key}`: \"{text}\" is not a valid date"),
                )
                .with_hint("write dates as YYYY-MM-DD, e.g. 2021-09-27, and check the day exists"),
            );
        }
        parsed
    }

    pub(crate) fn choice<T: Copy>(
        &mut self,
        node: &Node,
        key: &str,
        options: &[(&str, T)],
    ) -> Option<T> {
        let value = self.string(node, key)?;
        if let Some((_, t)) = options.iter().find(|(name, _)| *name == value) {
            return Some(*t);
        }
        let names: Vec<&str> = options.iter().map(|(n, _)| *n).collect();
        let mut d = Diagnostic::error("bad-value", node.loc, format!("invalid {key} \"{value}\""));
        d = match suggest(&value, names.iter().copied()) {
            Some(s) => d.with_hint(format!(
                "did you mean \"{s}\"? ({key} is one of {})",
                names.join(", ")
            )),
            None => d.with_hint(format!("{key} is one of {}", names.join(", "))),
        };
        self.push(d);
        None
    }

    pub(crate) fn unknown_word(
        &mut self,
        loc: Loc,
        code: &'static str,
        what: &str,
        value: &str,
        known: &BTreeSet<String>,
    ) {
        let mut d = Diagnostic::error(code, loc, format!("unknown {what} \"{value}\""));
        d = match suggest(value, known.iter().map(String::as_str)) {
            Some(s) => d.with_hint(format!("did you mean \"{s}\"?")),
            None => d.with_hint(format!(
                "known: {}",
                known
                    .iter()
                    .map(String::as_str)
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        };
        self.push(d);
    }

    pub(crate) fn unknown_key(&mut self, key: &str, loc: Loc, allowed: &[&str], what: &str) {
        let mut d = Diagnostic::error("unknown-key", loc, format!("unknown key `{key}` in {what}"));
        d = match suggest(key, allowed.iter().copied()) {
            Some(s) => d.with_hint(format!("did you mean `{s}`?")),
            None => d.with_hint(format!("allowed keys: {}", allowed.join(", "))),
        };
        self.push(d);
    }

    pub(crate) fn duplicate_key(&mut self, key: &str, loc: Loc, first: Loc) {
        self.push(
            Diagnostic::error("duplicate-key", loc, format!("duplicate key `{key}`")).with_hint(
                format!("`{key}` is already set at line {}; keep one", first.line),
            ),
        );
    }
}

/// The closest known word, if it is close enough to be a likely typo.
/// A spelling YAML 1.1 took for a boolean and YAML 1.2 reads as text.
fn is_yaml11_boolean(s: &str) -> bool {
    matches!(
        s.to_ascii_lowercase().as_str(),
        "y" | "n" | "yes" | "no" | "on" | "off"
    )
}

pub(crate) fn suggest<'a>(word: &str, known: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    known
        .map(|k| (strsim::jaro_winkler(word, k), k))
        .filter(|(score, _)| *score >= 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocabulary() -> Vocabulary {
        let set = |items: &[&str]| items.iter().map(|s| s.to_string()).collect();
        Vocabulary {
            categories: set(&["name", "email"]),
            regions: set(&["EEA"]),
            is_country: |c| c.len() == 2 && c.chars().all(|x| x.is_ascii_uppercase()),
            ..Vocabulary::default()
        }
    }

    /// Flows come after the entities they name in neither file: references are resolved
    /// once both sections are read, whatever their order.
    const YAML: &str = "format: 1
organisation: Example
flows:
  - { id: signup, from: learners, to: shop, data: [name] }
  - { from: shop, to: desk, data: [name, email] }
entities:
  shop: { name: Shop, kind: company, country: US }
  learners: { name: Learners, kind: subjects, country: EEA }
  desk: { name: Desk, kind: vendor, country: DE }
";

    const JSON: &str = r#"{"format": 1, "organisation": "Example",
"flows": [
  {"id": "signup", "from": "learners", "to": "shop", "data": ["name"]},
  {"from": "shop", "to": "desk", "data": ["name", "email"]}],
"entities": {
  "shop": {"name": "Shop", "kind": "company", "country": "US"},
  "learners": {"name": "Learners", "kind": "subjects", "country": "EEA"},
  "desk": {"name": "Desk", "kind": "vendor", "country": "DE"}}}
"#;

    /// A flow as (index, id, from, to, data).
    type FlowSummary = (usize, Option<String>, String, String, Vec<String>);

    fn summary(map: &Map) -> Vec<FlowSummary> {
        map.flows
            .iter()
            .map(|f| {
                (
                    f.index,
                    f.id.as_deref().map(str::to_string),
                    map.entities[f.from].id.clone(),
                    map.entities[f.to].id.clone(),
                    f.data.iter().map(|c| c.to_string()).collect(),
                )
            })
            .collect()
    }

    #[test]
    fn yaml_and_json_read_the_same_map_item_by_item() {
        let (yaml, d1) = load_as(Syntax::Yaml, YAML, &vocabulary());
        let (json, d2) = load_as(Syntax::Json, JSON, &vocabulary());
        assert!(d1.is_empty() && d2.is_empty(), "{d1:?} {d2:?}");
        let (yaml, json) = (yaml.expect("valid"), json.expect("valid"));
        let expected = vec![
            (
                0,
                Some("signup".to_string()),
                "learners".to_string(),
                "shop".to_string(),
                vec!["name".to_string()],
            ),
            (
                1,
                None,
                "shop".to_string(),
                "desk".to_string(),
                vec!["name".to_string(), "email".to_string()],
            ),
        ];
        assert_eq!(summary(&yaml), expected);
        assert_eq!(summary(&json), expected);
    }

    #[test]
    fn a_broken_flow_keeps_its_place_in_the_numbering() {
        let text = YAML.replace(
            "  - { from: shop, to: desk",
            "  - not a flow\n  - { from: shop, to: nowhere, data: [name] }\n  - { from: shop, to: desk }\n  - { from: shop, to: desk",
        );
        let (map, diagnostics) = load_as(Syntax::Yaml, &text, &vocabulary());
        assert!(map.is_none());
        let found: Vec<(&str, u32, &str)> = diagnostics
            .iter()
            .map(|d| (d.code, d.loc.line, d.message.as_str()))
            .collect();
        assert_eq!(
            found,
            vec![
                ("wrong-type", 5, "flow 1 must be a mapping, found a string"),
                ("unknown-entity", 6, "unknown entity \"nowhere\""),
                ("missing-key", 7, "flow 3 has no `data`"),
            ]
        );
    }
}
