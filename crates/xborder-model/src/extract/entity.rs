//! Entities: ids, kinds, countries, certifications, and the map's own data categories;
//! shared with the vendor intake, whose vendor and sub-processors are entities too.

use std::collections::HashMap;

use super::*;

impl Cx {
    /// The entries of a section keyed by id (`entities`, `categories`, `agreements`): ids
    /// are checked and duplicates reported once, here, for every section.
    pub(super) fn keyed<'n>(
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
    pub(super) fn entry_id<'n>(
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

    pub(super) fn entities(&mut self, node: &Node) -> Vec<Entity> {
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
    pub(super) fn entity_entry(
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

    pub(super) fn entity(&mut self, id: &str, id_loc: Loc, node: &Node) -> Option<Entity> {
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
                    if !(self.vocabulary.is_country)(c)
                        && !self.vocabulary.bounding_subdivisions.contains(c)
                    {
                        self.bad_country(
                            c,
                            *loc,
                            "processing places are ISO 3166-1 alpha-2 codes, or a subdivision with its own transfer law",
                        );
                    }
                }
                list.into_iter().map(|(c, _)| c).collect()
            }
            // Where it is established, at the level of a country unless a regime's territory
            // is bounded by its subdivision (data leaving Québec for Ontario is transferred).
            None => country
                .as_ref()
                .map(|c| {
                    let place = if self.vocabulary.bounding_subdivisions.contains(c) {
                        c.as_str()
                    } else {
                        c.split('-').next().unwrap_or(c)
                    };
                    vec![place.to_string()]
                })
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

    pub(crate) fn check_country(&mut self, code: &str, loc: Loc, subjects: bool) {
        let v = Arc::clone(&self.vocabulary);
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
}
