//! The checks of what decides a transfer beyond adequacy: finding codes referenced,
//! mechanism kinds and their facts, onward-transfer rules, what is not a transfer, the vendor
//! review's law, the documents' texts and the instruments cited.

use std::collections::BTreeSet;

use super::Validator;
use crate::Code;
use crate::RulebookError;
use crate::types::*;

impl Validator<'_, '_> {
    pub(super) fn code_ref(&mut self, file: &str, entry: &str, code: &str) {
        if Code::parse(code).is_none_or(|c| c.as_str() != code) {
            self.err(file, entry, format!("`{code}` is not a finding code"));
        }
    }

    /// `fact` is a `bool` or `date` field of mechanism kind `kind` in `mechanism-kinds` (a
    /// `choice` field where the requirement lists the `values` that meet it).
    pub(super) fn mechanism_fact(
        &mut self,
        file: &str,
        entry: &str,
        kind: &str,
        fact: &str,
        values: bool,
    ) {
        let s = self.s;
        if s.incomplete {
            return;
        }
        let Some(def) = s.mechanism_kinds.iter().find(|k| k.item.kind == kind) else {
            return; // reported with the tool
        };
        match def.item.fields.iter().find(|f| f.name == fact) {
            Some(f) if !values && matches!(f.kind, FieldType::Bool | FieldType::Date) => {}
            Some(f) if values && f.kind == FieldType::Choice => {}
            Some(_) if values => self.err(
                file,
                entry,
                format!("`values` are given, but `{fact}` of `{kind}` is not a `choice` field"),
            ),
            Some(_) => self.err(
                file,
                entry,
                format!("`{fact}` of `{kind}` is neither a `bool` nor a `date` field"),
            ),
            None => self.err(
                file,
                entry,
                format!("`{kind}` has no field `{fact}` in `mechanism-kinds`"),
            ),
        }
    }

    pub(super) fn onward(&mut self, file: &str, entry: &str, onward: &Onward) {
        let entry = format!("{entry} onward");
        self.nonempty(file, &entry, "name", &onward.name);
        self.cited(file, &entry, &onward.citation);
        let mut ids = BTreeSet::new();
        for g in &onward.grounds {
            let e = format!("{entry} ground {}", g.id);
            if !ids.insert(g.id.as_str()) {
                self.err(file, &e, "duplicate ground");
            }
            self.nonempty(file, &e, "name", &g.name);
            self.cited(file, &e, &g.citation);
            self.onward_basis(file, &e, &g.when);
        }
        for (i, r) in onward.requires.iter().enumerate() {
            let e = format!("{entry} requires #{}", i + 1);
            self.nonempty(file, &e, "name", &r.name);
            self.cited(file, &e, &r.citation);
            self.onward_basis(file, &e, &r.applies);
            self.onward_basis(file, &e, &r.requires);
        }
        if onward.grounds.is_empty() && onward.requires.is_empty() {
            self.err(file, &entry, "an onward rule needs `grounds` or `requires`");
        }
    }

    pub(super) fn onward_basis(&mut self, file: &str, entry: &str, b: &OnwardBasis) {
        let s = self.s;
        let empty = b.effect.is_none()
            && b.mechanism.is_none()
            && b.scc_version.is_none()
            && b.ground.is_none()
            && b.agreement.is_none()
            && b.roles.is_none()
            && b.importer_role.is_none()
            && b.sensitive.is_none()
            && b.opt_in.is_none();
        if empty {
            self.err(
                file,
                entry,
                "`when` is empty: it would match every onward hop",
            );
        }
        if let Some(version) = &b.scc_version {
            self.scc_set_ref(file, entry, version);
        }
        if let Some(roles) = &b.roles
            && let Err(problem) = roles.parse::<RolePair>()
        {
            self.err(file, entry, format!("`roles`: {problem}"));
        }
        if let Some(grounds) = &b.ground {
            for ground in grounds {
                let known = s.incomplete
                    || s.tools
                        .iter()
                        .any(|t| t.item.grounds.iter().any(|g| g.ground == *ground));
                if !known {
                    self.err(
                        file,
                        entry,
                        format!("no derogation defines ground `{ground}`"),
                    );
                }
            }
        }
    }

    pub(super) fn mechanism_kinds(&mut self) {
        let s = self.s;
        self.unique(
            "mechanism-kinds",
            s.mechanism_kinds
                .iter()
                .map(|k| (k.file, k.item.kind.as_str())),
        );
        for k in &s.mechanism_kinds {
            let (file, def) = (k.file, k.item);
            let entry = format!("mechanism-kinds {}", def.kind);
            self.nonempty(file, &entry, "kind", &def.kind);
            self.nonempty(file, &entry, "summary", &def.summary);
            let mut names = BTreeSet::new();
            for f in &def.fields {
                let e = format!("{entry} field {}", f.name);
                if f.name == "kind" || !names.insert(f.name.as_str()) {
                    self.err(
                        file,
                        &e,
                        "duplicate field (`kind` is every mechanism's own)",
                    );
                }
                self.nonempty(file, &e, "summary", &f.summary);
                if (f.kind == FieldType::Choice) == f.values.is_empty() {
                    self.err(file, &e, "`values` go with type `choice`, and only with it");
                }
            }
            let field = |name: &str| def.fields.iter().find(|f| f.name == name);
            for (what, name) in [
                ("effective", &def.effective),
                ("expires", &def.expires),
                ("assessment", &def.assessment),
            ] {
                if let Some(name) = name
                    && field(name).is_none_or(|f| f.kind != FieldType::Date)
                {
                    let message = format!("`{what}` names `{name}`, which is not a date field");
                    self.err(file, &entry, message);
                }
            }
            // The engine reads these fields of the families it judges itself.
            let needs: &[(&str, FieldType)] = match def.family {
                MechanismFamily::StandardClauses => &[
                    ("version", FieldType::SccVersion),
                    ("module", FieldType::SccModule),
                    ("signed", FieldType::Date),
                    ("changed", FieldType::Date),
                    ("uk-addendum", FieldType::Date),
                    ("swiss-adapted", FieldType::Bool),
                    ("tia", FieldType::Date),
                ],
                MechanismFamily::Derogation => &[("ground", FieldType::Ground)],
                MechanismFamily::Adequacy | MechanismFamily::Tool => &[],
            };
            for (name, kind) in needs {
                if field(name).is_none_or(|f| f.kind != *kind) {
                    let message = format!(
                        "a {:?} kind needs the field `{name}` of type {kind:?}",
                        def.family
                    );
                    self.err(file, &entry, message);
                }
            }
        }
    }

    pub(super) fn not_transfers(&mut self) {
        let s = self.s;
        let mut seen = BTreeSet::new();
        for n in &s.not_transfers {
            let (file, rule) = (n.file, n.item);
            let entry = format!("not-transfers {:?}/{}", rule.when, rule.regime);
            self.regime_ref(file, &entry, &rule.regime);
            self.nonempty(file, &entry, "says", &rule.says);
            self.cited(file, &entry, &rule.citation);
            self.validity(file, &entry, rule.validity());
            if let Some(note) = &rule.unconfirmed {
                self.nonempty(file, &entry, "unconfirmed", note);
            }
            if rule.from.is_none()
                && rule.until.is_none()
                && !seen.insert((&rule.regime, rule.when))
            {
                self.err(
                    file,
                    &entry,
                    "a second undated rule of this kind for the regime",
                );
            }
        }
    }

    pub(super) fn vendor_review(&mut self) {
        let s = self.s;
        let mut defaults = 0;
        for v in &s.vendor_review {
            let (file, law) = (v.file, v.item);
            let entry = format!("vendor-review {}", law.regime);
            self.regime_ref(file, &entry, &law.regime);
            self.validity(file, &entry, law.validity());
            defaults += usize::from(law.default);
            let terms = [
                ("processor-terms", &law.processor_terms),
                ("sub-processors", &law.sub_processors),
                ("special-categories", &law.special_categories),
                ("service-provider-terms", &law.service_provider_terms),
                ("retention", &law.retention),
                ("own-purposes", &law.own_purposes),
                ("safeguard-upkeep", &law.safeguard_upkeep),
            ];
            for (what, term) in terms {
                if let Some(t) = term {
                    self.vendor_term(file, &format!("{entry} {what}"), t);
                }
            }
            for t in &law.finding_terms {
                let e = format!("{entry} finding-terms {}", t.code);
                self.code_ref(file, &e, &t.code);
                self.nonempty(file, &e, "term", &t.term);
                self.nonempty(file, &e, "action", &t.action);
            }
            if let Some(security) = &law.security {
                self.vendor_term(file, &format!("{entry} security"), &security.attestation);
                self.vendor_term(
                    file,
                    &format!("{entry} breach-notice"),
                    &security.breach_notice,
                );
                for rule in &security.attestations {
                    if rule.kinds.is_empty() || rule.current_for_months == 0 {
                        self.err(
                            file,
                            &entry,
                            "an attestation rule needs `kinds` and `current-for-months`",
                        );
                    }
                }
            }
        }
        if defaults > 1 {
            self.errors.push(RulebookError::global(
                "more than one `vendor-review` entry is marked `default: true`",
            ));
        }
    }

    pub(super) fn vendor_term(&mut self, file: &str, entry: &str, t: &VendorTerm) {
        self.nonempty(file, entry, "term", &t.term);
        self.nonempty(file, entry, "action", &t.action);
        self.cited(file, entry, &t.citation);
    }

    pub(super) fn texts(&mut self) {
        let s = self.s;
        self.unique(
            "texts",
            s.texts.iter().map(|t| (t.file, t.item.id.as_str())),
        );
        for t in &s.texts {
            let entry = format!("texts {}", t.item.id);
            self.nonempty(t.file, &entry, "text", &t.item.text);
        }
        for id in crate::TEXT_IDS {
            let present = s.incomplete
                || s.texts.iter().any(|t| t.item.id == *id)
                || s.broken.contains(&("texts", (*id).to_owned()));
            if !present {
                self.errors.push(RulebookError::global(format!(
                    "text `{id}` is missing from `texts` (a document the tool writes uses it)"
                )));
            }
        }
    }

    pub(super) fn instruments(&mut self) {
        let s = self.s;
        self.unique(
            "instruments",
            s.instruments.iter().map(|i| (i.file, i.item.id.as_str())),
        );
        for i in &s.instruments {
            let (file, instrument) = (i.file, i.item);
            let entry = format!("instruments {}", instrument.id);
            self.nonempty(file, &entry, "name", &instrument.name);
            if instrument.cited_as.iter().all(|c| c.trim().is_empty()) {
                self.err(file, &entry, "`cited-as` gives no text");
            }
        }
    }
}

pub(super) fn overlap(a: Validity, b: Validity) -> bool {
    let starts_before_b_ends = match (a.from, b.last_day()) {
        (Some(from), Some(last)) => from <= last,
        _ => true,
    };
    let b_starts_before_a_ends = match (b.from, a.last_day()) {
        (Some(from), Some(last)) => from <= last,
        _ => true,
    };
    starts_before_b_ends && b_starts_before_a_ends
}
