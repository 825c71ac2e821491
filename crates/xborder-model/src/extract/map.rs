//! The whole map: its top-level keys read, then every reference resolved once everything
//! is known (entities, agreements, categories, legal persons), so that one mistake is
//! reported once and does not cascade.

use std::borrow::Borrow;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::{BuildHasher, Hash};

use super::*;

impl Cx {
    /// The map from the tree's `root` and the entities and flows extracted while it was
    /// read (empty when the document's sections were not streamed).
    pub(super) fn map(
        &mut self,
        root: &Node,
        mut entities: Vec<Entity>,
        flows: Flows,
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
        let tree_flows = match top.get("flows") {
            // A streamed section left an empty list here; anything else is read now.
            Some(node) => self.flows(node),
            None => {
                self.missing(
                    top.loc,
                    "flows",
                    "the map",
                    "list the flows of personal data",
                );
                Vec::new()
            }
        };

        // References are resolved once everything is read, through one table of the
        // entities (a hash map: a large map resolves two references per flow): the one the
        // streamed flows were resolved against, which holds every entity, or one made now.
        let (ends, flows) = match flows {
            Flows::Resolving { ends, resolved, .. } if ends.len() == entities.len() => {
                (ends, Ok(resolved))
            }
            Flows::Resolving { resolved, .. } => (Ends::of(&entities), Ok(resolved)),
            Flows::Waiting(raw_flows) => (Ends::of(&entities), Err(raw_flows)),
        };
        let vocabulary = Arc::clone(&self.vocabulary);
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

        let legal_persons = self.resolve_legal_persons(&entities, &ends);
        let agreements = self.resolve_agreements(&raw_agreements, &ends);
        // Flows not resolved as they were read (they came before the entities, or are
        // read from the tree) are resolved now, every entity known.
        let resolved = match flows {
            Ok(mut resolved) => {
                for raw in tree_flows {
                    self.resolve_flow(raw, &entities, &ends, &mut resolved);
                }
                resolved
            }
            Err(mut raw_flows) => {
                raw_flows.extend(tree_flows);
                let mut resolved = Resolved::default();
                resolved.flows.reserve_exact(raw_flows.len());
                for raw in raw_flows.into_items() {
                    self.resolve_flow(raw, &entities, &ends, &mut resolved);
                }
                resolved
            }
        };
        let flows = self.finish_flows(
            resolved,
            &category_ids,
            &agreement_ids,
            &agreements,
            &entities,
        );

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

    /// The agreements with their parties resolved to entities.
    fn resolve_agreements(
        &mut self,
        raw_agreements: &[RawAgreement],
        ends: &Ends,
    ) -> Vec<Agreement> {
        let mut agreements = Vec::new();
        for raw in raw_agreements {
            let between: Vec<EntityIx> = raw
                .between
                .iter()
                .filter_map(|(id, loc)| self.resolve_entity(&ends.by_id, id, *loc, "party"))
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
        agreements
    }

    /// `describes: {from, until}`: the period the map describes, at least one end given.
    pub(super) fn period(&mut self, node: &Node) -> Option<Period> {
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
    pub(super) fn resolve_legal_persons(
        &mut self,
        entities: &[Entity],
        ends: &Ends,
    ) -> Vec<(usize, usize)> {
        let references = std::mem::take(&mut self.legal_persons);
        let mut parent: HashMap<usize, (usize, Loc)> = HashMap::new();
        for (id, target, loc) in &references {
            let Some(entity) = ends.get(id) else {
                continue;
            };
            let Some(to) = self.resolve_entity(&ends.by_id, target, *loc, "legal person") else {
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
    /// `ends` are what it reads of the exporter and the importer; `id(0)` and `id(1)` their
    /// ids, read only to report a contradiction.
    pub(crate) fn flow_roles<'e>(
        &mut self,
        written: Option<(RolePair, Loc)>,
        ends: [EndTraits; 2],
        id: impl Fn(usize) -> &'e str,
    ) -> Option<RolePair> {
        let [from, to] = ends;
        if from.kind == EntityKind::Subjects {
            if let Some((_, loc)) = written {
                self.push(
                    Diagnostic::error(
                        "roles-contradict-entities",
                        loc,
                        format!("flow from the data subjects \"{}\" has `roles`", id(0)),
                    )
                    .with_hint("data subjects are neither controllers nor processors; remove `roles` from this flow"),
                );
            }
            return None;
        }
        match written {
            Some((pair, loc)) => {
                for (end, side, entity, role) in [
                    (0, "exporter", from, pair.exporter),
                    (1, "importer", to, pair.importer),
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
                                    id(end),
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

    pub(crate) fn resolve_entity<K: Borrow<str> + Hash + Eq, S: BuildHasher>(
        &mut self,
        ids: &HashMap<K, usize, S>,
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
            .map(Borrow::borrow)
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
}
