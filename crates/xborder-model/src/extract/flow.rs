//! Flows and agreements as written, before their references are resolved; the words only
//! this format uses (ids, a flow's `data`) are checked here too.

use super::*;

/// What a flow says about itself besides its ends and id (see [`Cx::flow_terms`]).
pub(crate) struct FlowTerms {
    pub(crate) data: Vec<(Text, Loc)>,
    pub(crate) purpose: Option<String>,
    pub(crate) automated: Option<bool>,
    pub(crate) public_powers: Option<bool>,
    pub(crate) opt_in: Option<bool>,
    pub(crate) individuals_per_year: Option<u64>,
    pub(crate) pia: Option<Date>,
    pub(crate) roles: Option<(RolePair, Loc)>,
    pub(crate) mechanisms: Vec<Mechanism>,
    pub(crate) evidence: Option<String>,
}

/// The error for a flow id used a second time, at `loc` (`first` is where it was used first):
/// the map's and a vendor intake's flows share one set of ids.
pub(crate) fn duplicate_flow_id(id: &str, loc: Loc, first: Loc) -> Diagnostic {
    Diagnostic::error("duplicate-id", loc, format!("duplicate flow id \"{id}\"")).with_hint(
        format!(
            "flow ids must be unique; \"{id}\" is already used at line {}",
            first.line
        ),
    )
}

/// Whether `id` is written as ids are: lower case letters, digits, `.`, `_` and `-`,
/// starting with a letter or a digit.
pub(crate) fn is_id(id: &str) -> bool {
    let mut chars = id.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    first_ok
        && chars
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'))
}

impl Cx {
    pub(super) fn flows(&mut self, node: &Node) -> Vec<RawFlow> {
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
    pub(super) fn flow_item(&mut self, index: usize, item: &Node) -> Option<RawFlow> {
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
        let agreement = f
            .get("agreement")
            .and_then(|n| self.text(n, "agreement").map(|s| (s, n.loc)));
        let terms = self.flow_terms(&f, &what);
        Some(RawFlow {
            index,
            loc: item.loc,
            id,
            from,
            to,
            agreement,
            terms,
        })
    }

    /// The flow item at `index` of a JSON map read straight from the text (`loc` its start),
    /// when it is a flow [`flow_item`](Cx::flow_item) would read without a word to say but
    /// for its mechanisms: the same flow, without making the item's nodes first, and the node
    /// of its `mechanisms`, for [`Cx::mechanisms`] to read later (on the checking thread, or
    /// on the parser's when the checking thread is behind: whatever they say is the flow's
    /// only diagnostic from here, and diagnostics are put in file order at the end).
    ///
    /// At anything else — a key it does not read here (`pia`, `individuals-per-year`, one
    /// not allowed or repeated), a value of another type, an escape in a string, a value a
    /// check refuses, a key that is missing — it gives up (`None`) and the item is read from
    /// its node, where the problem is reported. The values are checked by the node path's own
    /// tests (`is_id`, non-blank text, `RolePair`).
    pub(super) fn json_flow(
        &mut self,
        index: usize,
        loc: Loc,
        item: &mut JsonItem<'_, '_, '_>,
    ) -> Option<(RawFlow, Option<Node>)> {
        // Non-blank text, as [`Reader::text`] accepts it, with where it is.
        fn text(item: &mut JsonItem<'_, '_, '_>) -> Option<(Text, Loc)> {
            let loc = item.loc();
            let s = item.plain_string()?;
            (!s.trim().is_empty()).then(|| (Text::from(s), loc))
        }
        if !item.enter_object() {
            return None;
        }
        let mut seen = [false; FLOW_KEYS.len()];
        let (mut id, mut from, mut to, mut agreement, mut data, mut roles) =
            (None, None, None, None, None, None);
        let (mut purpose, mut evidence, mut mechanisms) = (None, None, None);
        let (mut automated, mut public_powers, mut opt_in) = (None, None, None);
        let mut more = !item.eat(b'}');
        while more {
            let key = item.plain_string()?;
            let slot = FLOW_KEYS.iter().position(|k| *k == key)?;
            if std::mem::replace(&mut seen[slot], true) || !item.eat(b':') {
                return None;
            }
            match key {
                "id" => {
                    let (value, at) = text(item)?;
                    if !is_id(&value) {
                        return None;
                    }
                    id = Some((value, at));
                }
                "from" => from = Some(text(item)?),
                "to" => to = Some(text(item)?),
                "agreement" => agreement = Some(text(item)?),
                "purpose" => purpose = Some(String::from(text(item)?.0)),
                "evidence" => evidence = Some(String::from(text(item)?.0)),
                "roles" => {
                    let (value, at) = text(item)?;
                    roles = Some((value.parse::<RolePair>().ok()?, at));
                }
                "automated" => automated = Some(item.boolean()?),
                "public-powers" => public_powers = Some(item.boolean()?),
                "opt-in" => opt_in = Some(item.boolean()?),
                "data" => {
                    if !item.eat(b'[') {
                        return None;
                    }
                    let mut list = Vec::new();
                    let mut next = !item.eat(b']');
                    while next {
                        let at = item.loc();
                        let category = item.plain_string()?;
                        if category.trim().is_empty() {
                            return None;
                        }
                        list.push((self.categories.text(category), at));
                        next = item.eat(b',');
                        if !next && !item.eat(b']') {
                            return None;
                        }
                    }
                    if list.is_empty() {
                        return None;
                    }
                    data = Some(list);
                }
                "mechanisms" => mechanisms = Some(item.node()?),
                _ => return None,
            }
            more = item.eat(b',');
            if !more && !item.eat(b'}') {
                return None;
            }
        }
        let flow = RawFlow {
            index,
            loc,
            id,
            from: Some(from?),
            to: Some(to?),
            agreement,
            terms: FlowTerms {
                data: data?,
                purpose,
                automated,
                public_powers,
                opt_in,
                individuals_per_year: None,
                pia: None,
                roles,
                mechanisms: Vec::new(),
                evidence,
            },
        };
        Some((flow, mechanisms))
    }

    /// What a flow says about itself besides its ends and id, read the same way in a map and
    /// in a vendor intake (whose keys allow fewer of these).
    pub(crate) fn flow_terms(&mut self, f: &Fields<'_>, what: &str) -> FlowTerms {
        let data = match self.required(
            f,
            "data",
            what,
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
        let individuals_per_year = f.get("individuals-per-year").and_then(|n| {
            self.count(
                n,
                "individuals-per-year",
                "how many individuals' data the flow carries abroad in the calendar year",
            )
        });
        let pia = f.get("pia").and_then(|n| self.date(n, "pia"));
        let roles = f.get("roles").and_then(|n| self.roles(n));
        let mechanisms = f
            .get("mechanisms")
            .map(|n| self.mechanisms(n))
            .unwrap_or_default();
        let evidence = f.get("evidence").and_then(|n| self.string(n, "evidence"));
        FlowTerms {
            data,
            purpose,
            automated,
            public_powers,
            opt_in,
            individuals_per_year,
            pia,
            roles,
            mechanisms,
            evidence,
        }
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

    pub(super) fn agreements(&mut self, node: &Node) -> Vec<RawAgreement> {
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
        if is_id(id) {
            Some(id)
        } else {
            self.push(
                Diagnostic::error("invalid-id", node.loc, format!("invalid {what} \"{id}\""))
                    .with_hint(format!("ids are lower case letters, digits, '.', '_' and '-', starting with a letter or digit, e.g. \"{}\"", id_like(id))),
            );
            None
        }
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
}
