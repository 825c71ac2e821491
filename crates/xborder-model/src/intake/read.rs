//! The intake's own sections read against the map it would join: the vendor (an entity with
//! a new id), its sub-processors and the flows it would receive (read as a map's flows are).

use std::collections::{BTreeMap, BTreeSet};

use super::*;
use terms::{contract, retention, security};

pub(super) fn read(cx: &mut Cx, root: &Node, map: &Map) -> Option<Intake> {
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
    let vocabulary = std::sync::Arc::clone(&cx.vocabulary);
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
pub(super) fn check_new_id(cx: &mut Cx, map: &Map, id: &str, loc: Loc) -> bool {
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
pub(super) fn require_role(cx: &mut Cx, f: &Fields<'_>, what: &str) {
    if f.get("role").is_none() {
        cx.missing(
            f.loc,
            "role",
            what,
            "processor or controller: whether it acts on the exporter's instructions",
        );
    }
}

pub(super) fn vendor(cx: &mut Cx, node: &Node, map: &Map) -> Option<Entity> {
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

pub(super) fn sub_processors(
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

pub(super) fn flows(
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
                cx.push(duplicate_flow_id(id, *loc, first));
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
        let terms = cx.flow_terms(&f, &what);
        let data: Vec<(String, Loc)> = terms
            .data
            .iter()
            .map(|(category, loc)| (String::from(category.clone()), *loc))
            .collect();
        cx.check_categories(&data, known);
        let special_category_condition = f
            .get("special-category-condition")
            .and_then(|n| cx.string(n, "special-category-condition"));
        let (Some(from), Some(vendor)) = (from, vendor) else {
            continue;
        };
        let roles = cx.flow_roles(
            terms.roles,
            [EndTraits::of(&map.entities[from]), EndTraits::of(vendor)],
            |end| [map.entities[from].id.as_str(), vendor.id.as_str()][end],
        );
        out.push(IntakeFlow {
            id: id.map(|(id, _)| id),
            loc: item.loc,
            from,
            data: data.into_iter().map(|(c, _)| c).collect(),
            purpose: terms.purpose,
            individuals_per_year: terms.individuals_per_year,
            pia: terms.pia,
            roles,
            mechanisms: terms.mechanisms,
            special_category_condition,
            evidence: terms.evidence,
        });
    }
    out
}
