//! Transfer mechanisms as claimed: the kind from the rulebook's `mechanism-kinds` (through the
//! vocabulary) decides which fields it takes, so a new kind of an existing family is data.

use std::collections::BTreeSet;

use super::*;

impl Cx {
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

    pub(super) fn mechanism(&mut self, node: &Node) -> Option<Mechanism> {
        let v = Arc::clone(&self.vocabulary);
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
        let (values, complete) = self.mechanism_values(&f, fields, &kind);
        let kind = self.typed_mechanism(spec.family, kind, values, &f)?;
        complete.then_some(Mechanism {
            loc: node.loc,
            kind,
        })
    }

    /// Every field of a mechanism as its type says, in the order of the table; `false` when a
    /// required field is missing or unreadable (each reported).
    fn mechanism_values(
        &mut self,
        f: &Fields<'_>,
        fields: &[FieldSpec],
        kind: &str,
    ) -> (FieldValues, bool) {
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
        (values, complete)
    }

    /// The mechanism of its family, from the values read.
    fn typed_mechanism(
        &mut self,
        family: Family,
        kind: String,
        mut values: FieldValues,
        f: &Fields<'_>,
    ) -> Option<MechanismKind> {
        Some(match family {
            Family::Adequacy => MechanismKind::Adequacy,
            Family::StandardClauses => MechanismKind::Scc(self.scc_claim(&values, f)?),
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
        })
    }

    /// Standard clauses as claimed: the set's version, and a module exactly when the set
    /// has modules (only the 2021/914 clauses do, per the rulebook's vocabulary).
    fn scc_claim(&mut self, values: &FieldValues, f: &Fields<'_>) -> Option<Scc> {
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
        Some(Scc {
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

    /// One field of a mechanism, read as its type in the rulebook's table says.
    pub(super) fn field_value(&mut self, n: &Node, field: &FieldSpec) -> Option<FieldValue> {
        let key = field.name.as_str();
        match field.kind {
            FieldKind::Date => self.date(n, key).map(FieldValue::Date),
            FieldKind::Bool => self.boolean(n, key).map(FieldValue::Bool),
            FieldKind::Text => self.string(n, key).map(FieldValue::Text),
            FieldKind::Count => self.count(n, key, &field.summary).map(FieldValue::Count),
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

    pub(super) fn scc_version(&mut self, node: &Node) -> Option<String> {
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

    pub(super) fn module(&mut self, node: &Node) -> Option<u8> {
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
}
