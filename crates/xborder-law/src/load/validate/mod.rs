//! The semantic checks of the merged rulebook: every entry cited and dated, ids unique,
//! references resolved, periods that do not overlap, every finding code documented once.
//! Each problem names its file and entry; `load` adds the entry's line and column.

mod mechanisms;
mod rules;

use std::collections::{BTreeMap, BTreeSet};

use super::{RulebookError, Sections};
use crate::Code;
use crate::countries::{is_country, is_subdivision};
use crate::types::*;
use mechanisms::overlap;

pub(super) struct Validator<'a, 'b> {
    pub(super) errors: &'b mut Vec<RulebookError>,
    pub(super) s: &'b Sections<'a>,
}

impl Validator<'_, '_> {
    fn err(&mut self, file: &str, entry: &str, message: impl Into<String>) {
        self.errors
            .push(RulebookError::entry(file, entry, message.into()));
    }

    fn nonempty(&mut self, file: &str, entry: &str, field: &str, value: &str) {
        if value.trim().is_empty() {
            self.err(file, entry, format!("`{field}` is empty"));
        }
    }

    /// A citation is not empty, and its dated texts each start before they end.
    fn cited(&mut self, file: &str, entry: &str, citation: &Citation) {
        if citation.is_blank() {
            self.err(file, entry, "`citation` is empty");
        }
        for text in citation.texts() {
            self.validity(file, entry, text.validity());
        }
    }

    fn place(&mut self, file: &str, entry: &str, code: &str) {
        if !is_country(code) && !is_subdivision(code) {
            self.err(
                file,
                entry,
                format!(
                    "`{code}` is not an ISO 3166-1 alpha-2 country or ISO 3166-2 subdivision code"
                ),
            );
        }
    }

    fn validity(&mut self, file: &str, entry: &str, v: Validity) {
        if let (Some(until), Some(invalid)) = (v.until, v.invalid_from)
            && invalid <= until
        {
            let message =
                format!("`invalid-from` {invalid} is not after `until` {until}: give one of them");
            self.err(file, entry, message);
        }
        if let (Some(from), Some(last)) = (v.from, v.last_day())
            && last < from
        {
            self.err(
                file,
                entry,
                format!("ends ({last}) before it starts ({from})"),
            );
        }
    }

    fn regime_ref(&mut self, file: &str, entry: &str, regime: &str) {
        let known = self.s.incomplete
            || self.s.regimes.iter().any(|r| r.item.id == regime)
            || self.s.broken.contains(&("regimes", regime.to_owned()));
        if !known {
            self.err(file, entry, format!("unknown regime `{regime}`"));
        }
    }

    fn scc_set_ref(&mut self, file: &str, entry: &str, version: &str) {
        let known = self.s.incomplete
            || self.s.scc_sets.iter().any(|x| x.item.version == version)
            || self.s.broken.contains(&("scc-sets", version.to_owned()));
        if !known {
            self.err(file, entry, format!("unknown SCC set `{version}`"));
        }
    }

    fn category_ref(&mut self, file: &str, entry: &str, category: &str) {
        let known = self.s.incomplete
            || self.s.categories.iter().any(|c| c.item.id == category)
            || self.s.broken.contains(&("categories", category.to_owned()));
        if !known {
            self.err(file, entry, format!("unknown category `{category}`"));
        }
    }

    fn condition(&mut self, file: &str, entry: &str, what: &str, c: &Condition) {
        if c.is_empty() {
            self.err(
                file,
                entry,
                format!("{what} has no condition: it would match every hop"),
            );
        }
        if c.sector.as_ref().is_some_and(Vec::is_empty) {
            self.err(file, entry, format!("{what}: `sector` is an empty list"));
        }
        if let Some(fact) = &c.subject_to {
            self.nonempty(file, entry, "subject-to", fact);
        }
        if let Some(purpose) = &c.purpose {
            self.nonempty(file, entry, "purpose", purpose);
        }
        if let Some(fact) = &c.exporter_subject_to {
            self.nonempty(file, entry, "exporter-subject-to", fact);
        }
        for (name, threshold) in [
            ("individuals-per-year", &c.individuals_per_year),
            (
                "sensitive-individuals-per-year",
                &c.sensitive_individuals_per_year,
            ),
        ] {
            if let Some(t) = threshold {
                match (t.more_than, t.fewer_than) {
                    (None, None) => self.err(
                        file,
                        entry,
                        format!("{what}: `{name}` needs `more-than` or `fewer-than`"),
                    ),
                    (Some(a), Some(b)) if b <= a.saturating_add(1) => self.err(
                        file,
                        entry,
                        format!(
                            "{what}: `{name}` can never hold (more than {a} and fewer than {b})"
                        ),
                    ),
                    _ => {}
                }
            }
        }
        if let Some(not) = &c.not {
            self.condition(file, entry, what, not);
        }
        if let Some(any) = &c.any {
            if any.is_empty() {
                self.err(file, entry, format!("{what}: `any` is an empty list"));
            }
            for alternative in any {
                self.condition(file, entry, what, alternative);
            }
        }
        if let Some(cats) = &c.categories {
            if cats.is_empty() {
                self.err(
                    file,
                    entry,
                    format!("{what}: `categories` is an empty list"),
                );
            }
            for cat in cats {
                self.category_ref(file, entry, cat);
            }
        }
    }

    /// A fact a tool or ground requires of the claimed mechanism.
    fn fact_requirement(&mut self, file: &str, entry: &str, kind: &str, r: &FactRequirement) {
        let e = format!("{entry} requires {}", r.fact);
        self.mechanism_fact(file, &e, kind, &r.fact, !r.values.is_empty());
        self.nonempty(file, &e, "says", &r.says);
        self.cited(file, &e, &r.citation);
        if let Some(code) = &r.code {
            self.code_ref(file, &e, code);
        }
    }

    /// Ids must be unique within a section; the second occurrence is reported with both files.
    fn unique<'x>(&mut self, section: &str, ids: impl Iterator<Item = (&'x str, &'x str)>) {
        let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
        for (file, id) in ids {
            if let Some(first) = seen.get(id) {
                let message = format!("duplicate id `{id}` (first defined in {first})");
                self.err(file, &format!("{section} {id}"), message);
            } else {
                seen.insert(id, file);
            }
        }
    }

    pub(super) fn validate(&mut self) {
        self.manifest();
        self.regimes();
        self.regions();
        self.categories();
        self.adequacy();
        self.bridges();
        self.scc_sets();
        self.tools();
        self.advisories();
        self.codes();
        self.mechanism_kinds();
        self.not_transfers();
        self.transfer_rules();
        self.instruments();
        self.vendor_review();
        self.texts();
    }

    fn manifest(&mut self) {
        let s = self.s;
        match s.manifests.as_slice() {
            // A manifest that failed to parse has been reported already.
            [] if !s.incomplete && !s.broken.iter().any(|(sec, _)| *sec == "rulebook") => {
                self.errors
                    .push(RulebookError::global("no `rulebook:` manifest in any file"));
            }
            [] => {}
            [one] => {
                let (file, m) = (one.file, one.item);
                if m.format != 1 {
                    self.err(
                        file,
                        "rulebook",
                        format!("format {} is not supported (expected 1)", m.format),
                    );
                }
                self.nonempty(file, "rulebook", "version", &m.version);
                self.nonempty(file, "rulebook", "title", &m.title);
            }
            several => {
                // The manifest belongs in `rulebook.yaml`: the others are the extra ones.
                let first = several
                    .iter()
                    .position(|m| m.file == "rulebook.yaml")
                    .unwrap_or(0);
                let first_file = several.get(first).map_or("", |m| m.file);
                for (i, m) in several.iter().enumerate() {
                    if i != first {
                        let message = format!(
                            "a second `rulebook:` manifest (the manifest is in {first_file}; \
                             to change it, replace that file)"
                        );
                        self.err(m.file, "rulebook", message);
                    }
                }
            }
        }
    }

    fn regimes(&mut self) {
        let s = self.s;
        self.unique(
            "regimes",
            s.regimes.iter().map(|r| (r.file, r.item.id.as_str())),
        );
        for r in &s.regimes {
            let (file, regime) = (r.file, r.item);
            let entry = format!("regimes {}", regime.id);
            self.nonempty(file, &entry, "id", &regime.id);
            self.nonempty(file, &entry, "name", &regime.name);
            if regime.periods.is_empty() {
                self.err(file, &entry, "no `periods`");
            }
            for p in &regime.periods {
                let e = format!("{entry} period `{}`", p.name);
                self.nonempty(file, &e, "name", &p.name);
                self.cited(file, &e, &p.citation);
                self.validity(file, &e, p.validity());
            }
            // Periods follow each other without overlap, so one law applies on each day.
            for pair in regime.periods.windows(2) {
                let (a, b) = (pair[0].validity(), pair[1].validity());
                let ordered =
                    matches!((a.last_day(), b.from), (Some(end), Some(start)) if end < start);
                if !ordered {
                    let message = format!(
                        "periods `{}` and `{}` overlap or are out of order",
                        pair[0].name, pair[1].name
                    );
                    self.err(file, &entry, message);
                }
            }
            for category in regime.sensitive_categories.iter().flatten() {
                self.category_ref(file, &entry, category);
            }
            for (code, fix) in &regime.fixes {
                self.code_ref(file, &entry, code);
                self.nonempty(file, &entry, &format!("fixes.{code}"), fix);
            }
            if let Some(rule) = &regime.special_categories {
                self.nonempty(file, &entry, "special-categories.says", &rule.says);
                self.cited(file, &entry, &rule.citation);
            }
            if regime.territory.is_empty() {
                self.err(file, &entry, "no `territory`");
            }
            for m in &regime.territory {
                self.membership(file, &entry, m);
            }
        }
    }

    fn membership(&mut self, file: &str, entry: &str, m: &Membership) {
        let e = format!("{entry} [{}]", m.countries.join(", "));
        if m.countries.is_empty() {
            self.err(file, entry, "a membership with no `countries`");
        }
        for c in &m.countries {
            self.place(file, &e, c);
        }
        self.cited(file, &e, &m.citation);
        self.validity(file, &e, m.validity());
    }

    fn regions(&mut self) {
        let s = self.s;
        self.unique(
            "regions",
            s.regions.iter().map(|r| (r.file, r.item.id.as_str())),
        );
        for r in &s.regions {
            let (file, region) = (r.file, r.item);
            let entry = format!("regions {}", region.id);
            self.nonempty(file, &entry, "name", &region.name);
            // A map's `country: XX` must mean one thing: a region may not shadow a country code.
            if is_country(&region.id) || is_subdivision(&region.id) {
                self.err(file, &entry, "a region id may not be an ISO 3166 code");
            }
            if s.regimes.iter().any(|g| g.item.id == region.id) {
                self.err(file, &entry, "a region id may not be a regime id");
            }
            if region.members.is_empty() {
                self.err(file, &entry, "no `members`");
            }
            for m in &region.members {
                self.membership(file, &entry, m);
            }
        }
    }

    fn categories(&mut self) {
        let s = self.s;
        self.unique(
            "categories",
            s.categories.iter().map(|c| (c.file, c.item.id.as_str())),
        );
        for c in &s.categories {
            let (file, cat) = (c.file, c.item);
            let entry = format!("categories {}", cat.id);
            self.nonempty(file, &entry, "id", &cat.id);
            self.nonempty(file, &entry, "name", &cat.name);
            match &cat.citation {
                Some(citation) => self.cited(file, &entry, citation),
                // Extra protection must say where it comes from (Art. 9(1), Art. 10, Art. 8).
                None if cat.class != CategoryClass::Ordinary => self.err(
                    file,
                    &entry,
                    "a special, criminal or children category needs a `citation`",
                ),
                None => {}
            }
        }
        let required = s
            .manifests
            .iter()
            .flat_map(|m| m.item.required_categories.iter());
        for required in required {
            let present = s.incomplete
                || s.categories.iter().any(|c| c.item.id == *required)
                || s.broken.contains(&("categories", required.to_owned()));
            if !present {
                self.errors.push(RulebookError::global(format!(
                    "base category `{required}` is missing (the manifest's `required-categories` \
                     lists it: maps written against the format rely on it)"
                )));
            }
        }
    }

    fn adequacy(&mut self) {
        let s = self.s;
        self.unique(
            "adequacy",
            s.adequacy.iter().map(|a| (a.file, a.item.id.as_str())),
        );
        let mut frameworks: BTreeMap<&str, &str> = BTreeMap::new();
        for a in &s.adequacy {
            let (file, d) = (a.file, a.item);
            let entry = format!("adequacy {}", d.id);
            self.nonempty(file, &entry, "id", &d.id);
            self.nonempty(file, &entry, "name", &d.name);
            self.nonempty(file, &entry, "reference", &d.reference);
            self.cited(file, &entry, &d.citation);
            self.nonempty(file, &entry, "scope.summary", &d.scope.summary);
            self.regime_ref(file, &entry, &d.regime);
            self.validity(file, &entry, d.validity());
            match &d.destination {
                Some(dest) => self.place(file, &entry, dest),
                // An international organisation is found through its scope only; without a
                // condition the decision would cover every importer everywhere.
                None if d.scope.covers_any.is_empty() => self.err(
                    file,
                    &entry,
                    "a decision without `destination` needs `scope.covers-any` to say whom it covers",
                ),
                None => {}
            }
            for c in &d.scope.covers_any {
                self.condition(file, &entry, "a `covers-any` entry", c);
            }
            for (i, x) in d.scope.excludes.iter().enumerate() {
                let e = format!("{entry} excludes #{}", i + 1);
                self.condition(file, &e, "the exclusion", &x.when);
                self.cited(file, &e, &x.citation);
                self.validity(file, &e, x.validity());
            }
            if let Some(note) = &d.unconfirmed {
                self.nonempty(file, &entry, "unconfirmed", note);
            }
            if let Some(onward) = &d.onward {
                self.onward(file, &entry, onward);
            }
            if let Some(fw) = &d.framework {
                for cat in &fw.hr_categories {
                    self.category_ref(file, &entry, cat);
                }
                self.nonempty(file, &entry, "framework.id", &fw.id);
                self.nonempty(file, &entry, "framework.mechanism", &fw.mechanism);
                if s.mechanism_kinds
                    .iter()
                    .any(|k| k.item.kind == fw.mechanism)
                {
                    let message = format!(
                        "`{}` is a mechanism kind of its own, not a framework",
                        fw.mechanism
                    );
                    self.err(file, &entry, message);
                }
                if d.destination.is_none() {
                    self.err(file, &entry, "a framework needs a `destination`");
                }
                if let Some(first) = frameworks.insert(&fw.id, file) {
                    let message =
                        format!("framework `{}` is defined twice (also in {first})", fw.id);
                    self.err(file, &entry, message);
                }
            }
        }
    }

    fn bridges(&mut self) {
        let s = self.s;
        self.unique(
            "bridges",
            s.bridges.iter().map(|b| (b.file, b.item.id.as_str())),
        );
        for b in &s.bridges {
            let (file, bridge) = (b.file, b.item);
            let entry = format!("bridges {}", bridge.id);
            self.nonempty(file, &entry, "name", &bridge.name);
            self.cited(file, &entry, &bridge.citation);
            self.regime_ref(file, &entry, &bridge.regime);
            self.place(file, &entry, &bridge.destination);
            self.validity(file, &entry, bridge.validity());
        }
    }

    fn scc_sets(&mut self) {
        let s = self.s;
        self.unique(
            "scc-sets",
            s.scc_sets.iter().map(|x| (x.file, x.item.version.as_str())),
        );
        for x in &s.scc_sets {
            let (file, set) = (x.file, x.item);
            let entry = format!("scc-sets {}", set.version);
            self.nonempty(file, &entry, "version", &set.version);
            self.nonempty(file, &entry, "name", &set.name);
            self.nonempty(file, &entry, "reference", &set.reference);
            self.cited(file, &entry, &set.citation);
            self.scc_modules(file, &entry, set);
            let mut regimes = BTreeSet::new();
            for t in &set.terms {
                let e = format!("{entry} terms {}", t.regime);
                self.regime_ref(file, &e, &t.regime);
                if !regimes.insert(t.regime.as_str()) {
                    self.err(file, &e, "a second `terms` entry for the same regime");
                }
                self.cited(file, &e, &t.citation);
                self.validity(file, &e, t.validity());
                self.scc_cutoffs(file, &e, t);
            }
        }
    }

    fn scc_modules(&mut self, file: &str, entry: &str, set: &SccSet) {
        if set.modules.is_empty() {
            self.err(file, entry, "no `modules`");
        }
        // Either one unnumbered role pair (pre-2021 sets) or numbered modules (2021/914).
        let numbered = set.modules.iter().filter(|m| m.number.is_some()).count();
        if numbered != 0 && numbered != set.modules.len() {
            self.err(
                file,
                entry,
                "either every module has a `number` or none does",
            );
        }
        if numbered == 0 && set.modules.len() > 1 {
            self.err(
                file,
                entry,
                "a set without module numbers has exactly one role pair",
            );
        }
        let mut numbers = BTreeSet::new();
        let mut pairs = BTreeSet::new();
        for m in &set.modules {
            let e = match m.number {
                Some(n) => format!("{entry} module {n}"),
                None => format!("{entry} module"),
            };
            if let Some(n) = m.number
                && !numbers.insert(n)
            {
                self.err(file, &e, "duplicate module number");
            }
            match m.roles.parse::<RolePair>() {
                Ok(pair) => {
                    if !pairs.insert(pair) {
                        self.err(file, &e, format!("a second module for `{pair}`"));
                    }
                }
                Err(problem) => self.err(file, &e, format!("`roles`: {problem}")),
            }
            if let Some(onward) = &m.onward {
                self.onward(file, &e, onward);
            }
        }
    }

    fn scc_cutoffs(&mut self, file: &str, entry: &str, t: &SccTerms) {
        let last = t.validity().last_day();
        if let Some(new_until) = t.new_contracts_until {
            if t.from.is_some_and(|from| new_until < from) {
                self.err(file, entry, "`new-contracts-until` is before `from`");
            }
            if last.is_some_and(|last| new_until > last) {
                self.err(
                    file,
                    entry,
                    "`new-contracts-until` is after the last valid day",
                );
            }
        }
        if let Some(grand) = t.grandfathered_until {
            match t.new_contracts_until {
                None => self.err(
                    file,
                    entry,
                    "`grandfathered-until` without `new-contracts-until`",
                ),
                Some(new_until) if grand < new_until => self.err(
                    file,
                    entry,
                    "`grandfathered-until` is before `new-contracts-until`",
                ),
                Some(_) => {}
            }
            if last.is_some_and(|last| grand > last) {
                self.err(
                    file,
                    entry,
                    "`grandfathered-until` is after the last valid day",
                );
            }
        }
    }

    fn tools(&mut self) {
        let s = self.s;
        for (i, x) in s.tools.iter().enumerate() {
            let (file, tool) = (x.file, x.item);
            let entry = format!("tools {}/{}", tool.kind, tool.regime);
            self.nonempty(file, &entry, "kind", &tool.kind);
            self.nonempty(file, &entry, "name", &tool.name);
            self.cited(file, &entry, &tool.citation);
            self.regime_ref(file, &entry, &tool.regime);
            self.validity(file, &entry, tool.validity());
            match s.mechanism_kinds.iter().find(|k| k.item.kind == tool.kind) {
                Some(k)
                    if !matches!(
                        k.item.family,
                        MechanismFamily::Tool | MechanismFamily::Derogation
                    ) =>
                {
                    self.err(
                        file,
                        &entry,
                        format!("`{}` is not a tool: see scc-sets / adequacy", tool.kind),
                    );
                }
                None if !s.incomplete
                    && !s.broken.contains(&("mechanism-kinds", tool.kind.clone())) =>
                {
                    self.err(
                        file,
                        &entry,
                        format!(
                            "`{}` is not a mechanism kind: add it to `mechanism-kinds` with its fields",
                            tool.kind
                        ),
                    );
                }
                _ => {}
            }
            if let Some(onward) = &tool.onward {
                self.onward(file, &entry, onward);
            }
            for r in &tool.requires {
                self.fact_requirement(file, &entry, &tool.kind, r);
            }
            // One entry per kind and regime on any day, so `tools_for` has one answer per date.
            for other in &s.tools[..i] {
                let o = other.item;
                if o.kind == tool.kind
                    && o.regime == tool.regime
                    && overlap(o.validity(), tool.validity())
                {
                    let message = format!(
                        "overlaps another `{}` entry for `{}` (in {})",
                        tool.kind, tool.regime, other.file
                    );
                    self.err(file, &entry, message);
                }
            }
            match tool.effect {
                ToolEffect::Derogation if tool.grounds.is_empty() => {
                    self.err(file, &entry, "a derogation needs its `grounds`")
                }
                ToolEffect::Safeguard if !tool.grounds.is_empty() => {
                    self.err(file, &entry, "`grounds` belong to derogations only")
                }
                _ => {}
            }
            let mut grounds = BTreeSet::new();
            for g in &tool.grounds {
                let e = format!("{entry} ground {}", g.ground);
                self.nonempty(file, &e, "ground", &g.ground);
                if !grounds.insert(g.ground.as_str()) {
                    self.err(file, &e, "duplicate ground");
                }
                self.validity(file, &e, g.validity());
                self.nonempty(file, &e, "conditions", &g.conditions);
                for r in &g.requires {
                    self.fact_requirement(file, &e, &tool.kind, r);
                }
                for (i, u) in g.unavailable.iter().enumerate() {
                    let eu = format!("{e} unavailable #{}", i + 1);
                    self.condition(file, &eu, "the unavailability", &u.when);
                    self.nonempty(file, &eu, "says", &u.says);
                    self.cited(file, &eu, &u.citation);
                }
                self.cited(file, &e, &g.citation);
            }
        }
    }

    fn advisories(&mut self) {
        let s = self.s;
        self.unique(
            "advisories",
            s.advisories.iter().map(|a| (a.file, a.item.id.as_str())),
        );
        for a in &s.advisories {
            let (file, adv) = (a.file, a.item);
            let entry = format!("advisories {}", adv.id);
            self.nonempty(file, &entry, "message", &adv.message);
            self.cited(file, &entry, &adv.citation);
            self.regime_ref(file, &entry, &adv.regime);
            self.validity(file, &entry, adv.validity());
            let documented = s.incomplete
                || s.codes.iter().any(|c| c.item.code == adv.code)
                || s.broken.contains(&("codes", adv.code.clone()));
            if !documented {
                self.err(
                    file,
                    &entry,
                    format!("code `{}` is not documented in `codes`", adv.code),
                );
            }
            let w = &adv.when;
            let empty = w.mechanism.is_none()
                && w.scc_version.is_none()
                && w.decision.is_none()
                && w.destination.is_none()
                && w.importer.is_none()
                && !w.every_hop;
            if empty {
                self.err(
                    file,
                    &entry,
                    "`when` is empty: the advisory would apply to every hop",
                );
            }
            if let Some(m) = &w.mechanism {
                self.nonempty(file, &entry, "when.mechanism", m);
            }
            if let Some(version) = &w.scc_version {
                self.scc_set_ref(file, &entry, version);
            }
            if let Some(decision) = &w.decision {
                let known = s.incomplete
                    || s.adequacy.iter().any(|x| x.item.id == *decision)
                    || s.broken.contains(&("adequacy", decision.clone()));
                if !known {
                    self.err(
                        file,
                        &entry,
                        format!("unknown adequacy decision `{decision}`"),
                    );
                }
            }
            if let Some(dest) = &w.destination {
                self.place(file, &entry, dest);
            }
            if let Some(importer) = &w.importer {
                self.condition(file, &entry, "`when.importer`", importer);
            }
        }
    }

    fn codes(&mut self) {
        let s = self.s;
        self.unique(
            "codes",
            s.codes.iter().map(|c| (c.file, c.item.code.as_str())),
        );
        for c in &s.codes {
            let (file, doc) = (c.file, c.item);
            let entry = format!("codes {}", doc.code);
            if Code::parse(&doc.code).is_none_or(|c| c.as_str() != doc.code) {
                let (first, last) = (Code::ALL[0], Code::ALL[Code::ALL.len() - 1]);
                let message = format!(
                    "`{}` is not a code the engine reports ({first}–{last})",
                    doc.code
                );
                self.err(file, &entry, message);
            }
            for (field, value) in [
                ("title", &doc.title),
                ("meaning", &doc.meaning),
                ("why", &doc.why),
                ("fix", &doc.fix),
            ] {
                self.nonempty(file, &entry, field, value);
            }
            self.cited(file, &entry, &doc.citation);
        }
        for code in Code::ALL.iter().map(|c| c.as_str()) {
            let present = s.incomplete
                || s.codes.iter().any(|c| c.item.code == code)
                || s.broken.contains(&("codes", code.to_owned()));
            if !present {
                self.errors.push(RulebookError::global(format!(
                    "code `{code}` is not documented"
                )));
            }
        }
    }
}
