//! A flow's references resolved: its ends, the categories it carries and the agreement it
//! names, each reported once when unknown.
//!
//! A map normally lists its entities before its flows. Then every flow is resolved the
//! moment it is read (on the extractor's thread, see `handoff`), and only the flow itself is
//! kept: holding a million flows as read until the end of the file, to resolve them then,
//! took validating such a map from 0.87 GB to 1.19 GB. When the flows come first, they wait
//! as read and are resolved the same way once the entities are known. The map's own
//! `categories:` and its `agreements:` are read from the tree at the end, so what depends on
//! them waits in [`Resolved`] either way: a category the rulebook does not define (most flows
//! carry none) and every agreement a flow names.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::*;

/// The hash of the lookups a flow makes (two entity ids and its own id): foldhash, seeded at
/// random per process as the standard hash is, and a fraction of its cost on short ids.
type FastHash = foldhash::fast::RandomState;

/// The flows read so far, resolved or waiting for the entities.
pub(super) enum Flows {
    /// As read: no entity had been read when the first flow came.
    Waiting(Blocks<RawFlow>),
    /// Resolved as read against `ends`, every entity of the map.
    Resolving {
        ends: Ends,
        resolved: Resolved,
        /// Where the first flow starts in the text, to estimate how many follow.
        first: Option<usize>,
    },
}

impl Default for Flows {
    fn default() -> Self {
        Flows::Waiting(Blocks::default())
    }
}

impl Flows {
    /// Ready to resolve flows as they come: the `entities` section has been read whole
    /// (`entries` of it streamed, the flows' section begins only now).
    pub(super) fn start_resolving(&mut self, entries: usize, entities: &[Entity]) {
        if let Flows::Waiting(raw) = self
            && raw.len() == 0
            && entries > 0
        {
            *self = Flows::Resolving {
                ends: Ends::of(entities),
                resolved: Resolved::default(),
                first: None,
            };
        }
    }
}

/// What resolving a flow reads of the two entities it names, kept apart from their records
/// (by entity index): a large map's flows name its entities in no order, and reading two
/// fields of each end's 224-byte record was two cache misses a flow. A quarter of a million
/// entities make 500 KB of these.
#[derive(Debug, Clone, Copy)]
pub(crate) struct EndTraits {
    pub(crate) kind: EntityKind,
    pub(crate) role: Option<Role>,
}

impl EndTraits {
    pub(crate) fn of(entity: &Entity) -> Self {
        EndTraits {
            kind: entity.kind,
            role: entity.role,
        }
    }
}

/// The map's entities as references name them, made once every entity is known: the index
/// of each id, and the [`EndTraits`] of each index. Flows, agreements and legal persons are
/// all resolved through it.
pub(super) struct Ends {
    pub(super) by_id: HashMap<String, EntityIx, FastHash>,
    traits: Vec<EndTraits>,
}

impl Ends {
    pub(super) fn of(entities: &[Entity]) -> Self {
        Ends {
            by_id: entities
                .iter()
                .enumerate()
                .map(|(i, e)| (e.id.clone(), i))
                .collect(),
            traits: entities.iter().map(EndTraits::of).collect(),
        }
    }

    /// How many entities it knows.
    pub(super) fn len(&self) -> usize {
        self.traits.len()
    }

    /// The index of the entity with this id.
    pub(super) fn get(&self, id: &str) -> Option<EntityIx> {
        self.by_id.get(id).copied()
    }
}

/// Flows read before the room for the others is estimated from their length in the text.
const SAMPLE: usize = 2048;

/// The flows resolved, and what waits for the sections read last.
#[derive(Default)]
pub(super) struct Resolved {
    pub(super) flows: Vec<Flow>,
    /// Flow ids seen, with where: a repeated id is an error.
    ids: HashMap<Text, Loc, FastHash>,
    /// Every `agreement:` named, with the position in `flows` of the flow naming it (`None`
    /// when that flow was left out: the name is still checked).
    agreements: Vec<(Option<usize>, Text, Loc)>,
    /// Categories the rulebook does not define: the map's own, or unknown.
    categories: Vec<(Text, Loc)>,
    /// Whether each category text seen is one the rulebook defines, by the text's address:
    /// the flows share a few dozen category texts ([`Cx`]'s interner), and asking the
    /// vocabulary's ordered set compared strings for every category of every flow. Each
    /// entry holds its text, so no other text can take its address while it is here.
    defined: HashMap<usize, (Text, bool), FastHash>,
}

impl Resolved {
    /// Room for the flows still to come, reserved once, when [`SAMPLE`] flows show how long
    /// a flow is in this file (`first` and `here` their start offsets, `len` the text's):
    /// a list that doubles as it grows copies itself and touches twice its pages. A quarter
    /// more than the estimate, since room never written takes no memory; a longer tail
    /// just grows the list as before. Offsets are known for JSON; a YAML map grows.
    pub(super) fn reserve(&mut self, first: usize, here: usize, len: usize) {
        if self.flows.len() != SAMPLE || here <= first {
            return;
        }
        let per_flow = ((here - first) / SAMPLE).max(1);
        let rest = len.saturating_sub(here) / per_flow;
        self.flows.reserve_exact(rest + rest / 4);
        // The id table is reserved for the estimate itself: a hash table's room is spread
        // over all its pages, so room to spare would be memory taken.
        self.ids.reserve(rest);
    }

    /// Whether the rulebook defines `category` (looked up once per shared text).
    fn defined(&mut self, vocabulary: &Vocabulary, category: &Text) -> bool {
        let address = category.as_ptr() as usize;
        match self.defined.get(&address) {
            Some((_, defined)) => *defined,
            None => {
                let defined = vocabulary.categories.contains(category.as_str());
                self.defined.insert(address, (category.clone(), defined));
                defined
            }
        }
    }
}

impl Cx {
    /// One flow: a repeated id, the entities it names (`ends`, every entity known), its
    /// categories, and what a flow cannot be (into the data subjects, or from an entity to
    /// itself). A flow whose exporter or importer is not known is left out (its reference
    /// is reported), and the others keep their numbers.
    pub(super) fn resolve_flow(
        &mut self,
        raw: RawFlow,
        entities: &[Entity],
        ends: &Ends,
        out: &mut Resolved,
    ) {
        if let Some((id, loc)) = &raw.id
            && let Some(first) = out.ids.insert(id.clone(), *loc)
        {
            self.push(duplicate_flow_id(id, *loc, first));
        }
        let from = raw
            .from
            .as_ref()
            .and_then(|(id, loc)| self.resolve_entity(&ends.by_id, id, *loc, "entity"));
        let to = raw
            .to
            .as_ref()
            .and_then(|(id, loc)| self.resolve_entity(&ends.by_id, id, *loc, "entity"));
        for (category, loc) in &raw.terms.data {
            if !out.defined(&self.vocabulary, category) {
                out.categories.push((category.clone(), *loc));
            }
        }
        let (Some(from), Some(to)) = (from, to) else {
            if let Some((id, loc)) = raw.agreement {
                out.agreements.push((None, id, loc));
            }
            return;
        };
        if let Some((id, loc)) = raw.agreement {
            out.agreements.push((Some(out.flows.len()), id, loc));
        }
        // `ends` is made from `entities`: every index it finds is in both.
        let (from_traits, to_traits) = (ends.traits[from], ends.traits[to]);
        let id = |end: usize| entities.get([from, to][end]).map_or("", |e| e.id.as_str());
        let roles = self.flow_roles(raw.terms.roles, [from_traits, to_traits], id);
        if to_traits.kind == EntityKind::Subjects {
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
        out.flows.push(Flow {
            index: raw.index,
            id: raw.id.map(|(id, _)| id),
            loc: raw.loc,
            from,
            to,
            // A new list at its exact size (collecting in place would keep room for the
            // locations).
            data: raw.terms.data.iter().map(|(c, _)| c.clone()).collect(),
            purpose: raw.terms.purpose.map(Text::from),
            automated: raw.terms.automated,
            public_powers: raw.terms.public_powers,
            opt_in: raw.terms.opt_in,
            individuals_per_year: raw.terms.individuals_per_year,
            pia: raw.terms.pia,
            roles,
            mechanisms: raw.terms.mechanisms.into_boxed_slice(),
            // Set by `finish_flows`, once the agreements are read.
            agreement: None,
            evidence: raw.terms.evidence.map(Text::from),
        });
    }

    /// The flows, with what waited for the end: the categories not in the rulebook checked
    /// against the map's own (`known`: both), and each agreement named found, and its
    /// parties checked against the flow's ends.
    pub(super) fn finish_flows(
        &mut self,
        resolved: Resolved,
        known: &BTreeSet<&str>,
        agreement_ids: &BTreeMap<&str, usize>,
        agreements: &[Agreement],
        entities: &[Entity],
    ) -> Vec<Flow> {
        let Resolved {
            mut flows,
            categories,
            agreements: named,
            ..
        } = resolved;
        self.check_categories(&categories, known);
        for (position, id, loc) in named {
            let Some(&a) = agreement_ids.get(id.as_str()) else {
                let mut d = Diagnostic::error(
                    "unknown-agreement",
                    loc,
                    format!("unknown agreement \"{id}\""),
                );
                d = match suggest(&id, agreement_ids.keys().copied()) {
                    Some(s) => d.with_hint(format!("did you mean \"{s}\"?")),
                    None => d.with_hint("declare it under `agreements:`"),
                };
                self.push(d);
                continue;
            };
            let Some(flow) = position.and_then(|p| flows.get_mut(p)) else {
                continue;
            };
            flow.agreement = Some(a);
            let parties = &agreements[a].between;
            if !parties.is_empty() && (!parties.contains(&flow.from) || !parties.contains(&flow.to))
            {
                self.push(
                    Diagnostic::error(
                        "agreement-parties",
                        loc,
                        format!(
                            "agreement \"{}\" is not between \"{}\" and \"{}\"",
                            agreements[a].id, entities[flow.from].id, entities[flow.to].id
                        ),
                    )
                    .with_hint("name an agreement between the flow's two entities, or add them to its `between`"),
                );
            }
        }
        flows
    }
}
