//! Questions the engine and `xborder rules` ask of the rulebook, all "as of a date".
//!
//! Places match by ISO code; a subdivision lies inside its country (`US-CA` inside `US`), so a
//! decision or territory naming a country covers its subdivisions. Every date is inclusive at
//! both ends (see [`Validity`]).

use std::collections::BTreeSet;

use serde::Serialize;

use crate::Rulebook;
use crate::countries::{parent_country, place_within};
use crate::scope::HopFacts;
use crate::types::*;

/// One dated entry of the rulebook with a stable key, for the timeline and for tests.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DatedEntry {
    /// `adequacy eu-gb`, `period eu-gdpr 2`, `territory eu-gdpr IS,LI,NO`, `region EEA GB`,
    /// `exclusion eu-gb 1`, `bridge eu-gb-tca-bridge`, `scc 2010/87 uk-gdpr`,
    /// `tool derogation ch-fadp 2`, `advisory a4-dpf-after-trump-v-slaughter`
    /// (numbers count from 1 in file order).
    pub key: String,
    pub validity: Validity,
}

/// How a regime treats an SCC set on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SccStatus {
    /// New contracts may be concluded on the set.
    Available,
    /// Only contracts concluded by `new-contracts-until`, with unchanged processing, still count.
    Grandfathered,
}

/// Whether one SCC contract provides safeguards on a date (2021/914 Art. 4; UK and Swiss
/// transitions), as far as dates decide it. The module and the additions (UK Addendum, Swiss
/// adaptations) are checked separately.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "standing")]
pub enum SccStanding {
    /// Valid on the date for new and existing contracts.
    Available,
    /// Valid on the date only as a grandfathered contract (last day `until`).
    Grandfathered { until: Date },
    /// The regime does not accept the set yet on the date.
    NotYetInForce { from: Date },
    /// The contract was signed before the set was in force (e.g. 2021 SCCs before 27 Jun 2021).
    SignedBeforeInForce { from: Date },
    /// The contract was signed after the last day for new contracts.
    SignedAfterCutoff { last_day: Date },
    /// The processing operations changed after the last day for new contracts, which ends the
    /// grandfathering (2021/914 Art. 4(4): "provided the processing operations ... remain unchanged").
    ChangedAfterCutoff { last_day: Date },
    /// The set no longer provides safeguards under the regime (grandfathering over).
    Expired { last_day: Date },
}

impl SccTerms {
    /// The last day any contract on the set counts under this regime.
    pub fn last_day(&self) -> Option<Date> {
        self.validity().last_day()
    }

    /// Whether the set is in force on `date` under this regime, and how.
    pub fn status_on(&self, date: Date) -> Option<SccStatus> {
        if !self.validity().contains(date) {
            return None;
        }
        match self.new_contracts_until {
            Some(last_new) if date > last_new => Some(SccStatus::Grandfathered),
            _ => Some(SccStatus::Available),
        }
    }

    /// The standing on `date` of a contract `signed` on a day (if known) whose processing
    /// `changed` on a day (if it did).
    pub fn standing(&self, date: Date, signed: Option<Date>, changed: Option<Date>) -> SccStanding {
        if let Some(from) = self.from {
            if date < from {
                return SccStanding::NotYetInForce { from };
            }
            if signed.is_some_and(|s| s < from) {
                return SccStanding::SignedBeforeInForce { from };
            }
        }
        if let Some(last_day) = self.last_day()
            && date > last_day
        {
            return SccStanding::Expired { last_day };
        }
        let Some(last_new) = self.new_contracts_until else {
            return SccStanding::Available;
        };
        if signed.is_some_and(|s| s > last_new) {
            return SccStanding::SignedAfterCutoff { last_day: last_new };
        }
        if date <= last_new {
            return SccStanding::Available;
        }
        if changed.is_some_and(|c| c > last_new && c <= date) {
            return SccStanding::ChangedAfterCutoff { last_day: last_new };
        }
        match self.grandfathered_until.or(self.last_day()) {
            Some(until) => SccStanding::Grandfathered { until },
            None => SccStanding::Available,
        }
    }
}

impl SccModule {
    /// The module's role pair (validated at load time).
    pub fn role_pair(&self) -> Option<RolePair> {
        self.roles.parse().ok()
    }
}

impl SccSet {
    /// The module with this number (`None` for the single role pair of a pre-2021 set).
    pub fn module(&self, number: Option<u8>) -> Option<&SccModule> {
        self.modules.iter().find(|m| m.number == number)
    }

    /// The module made for a role pair, if the set has one.
    pub fn module_for(&self, pair: RolePair) -> Option<&SccModule> {
        self.modules.iter().find(|m| m.role_pair() == Some(pair))
    }
}

/// A regime as in force on a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct RegimeInForce {
    pub id: String,
    pub name: String,
    /// The period of its law in force, if any.
    pub period: Option<String>,
    pub restricts_transfers: bool,
    /// How the law in force treats transfers (`restricted`, `negative-list`).
    pub transfers: crate::TransferModel,
    /// Where no period is in force: the first day of the next one, if the rulebook knows it
    /// (a law adopted whose transfer rules apply later).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_period_from: Option<Date>,
    /// Places inside the territory that day, sorted.
    pub territory: Vec<String>,
    pub citation: Option<String>,
}

/// An adequacy decision (or framework) in force on a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct AdequacyInForce {
    pub id: String,
    pub regime: String,
    pub destination: Option<String>,
    pub name: String,
    pub reference: String,
    pub scope: String,
    /// `covers-any` conditions, one per line.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub covers_any: Vec<String>,
    /// Exclusions in force that day.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub excludes: Vec<String>,
    /// `certification-id (mechanism)` for framework-based adequacy.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub framework: Option<String>,
    pub from: Option<Date>,
    pub until: Option<Date>,
    pub citation: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unconfirmed: Option<String>,
}

/// A bridge in force on a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct BridgeInForce {
    pub id: String,
    pub regime: String,
    pub destination: String,
    pub name: String,
    pub until: Option<Date>,
    pub citation: String,
}

/// An SCC set usable (or grandfathered) under a regime on a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct SccInForce {
    pub version: String,
    pub regime: String,
    pub name: String,
    pub status: SccStatus,
    /// `1 controller->controller`, or just the role pair for pre-2021 sets.
    pub modules: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub requires: Vec<SccRequirement>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new_contracts_until: Option<Date>,
    pub until: Option<Date>,
    pub citation: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unconfirmed: Option<String>,
}

/// A transfer tool in force on a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct ToolInForce {
    pub kind: String,
    pub regime: String,
    pub name: String,
    pub effect: ToolEffect,
    pub needs_tia: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub grounds: Vec<GroundInForce>,
    pub until: Option<Date>,
    pub citation: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unconfirmed: Option<String>,
}

/// A derogation ground of a tool in force on a date, with its conditions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct GroundInForce {
    pub ground: String,
    pub conditions: String,
    pub citation: String,
    /// `fact — what the law requires (citation)` for each fact the mechanism must state.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub requires: Vec<String>,
    /// `when — why (citation)` for each situation in which the ground is not available.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unavailable: Vec<String>,
}

/// The onward-transfer rule of an instrument in force on a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct OnwardInForce {
    /// What the rule travels with: `scc 2021/914 module 2`, `adequacy eu-us-dpf`, `tool idta`.
    pub instrument: String,
    pub regime: String,
    pub name: String,
    pub citation: String,
    /// `ground — citation` for each ground that permits an onward hop.
    pub grounds: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub requires: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unconfirmed: Option<String>,
}

/// A rule that a kind of hop is not a transfer, in force on a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct NotATransferInForce {
    pub regime: String,
    pub when: NotATransferWhen,
    pub says: String,
    pub citation: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unconfirmed: Option<String>,
}

/// An advisory in force on a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct AdvisoryInForce {
    pub id: String,
    pub code: String,
    pub regime: String,
    /// What a hop must rest on, in words.
    pub when: String,
    pub message: String,
    pub until: Option<Date>,
    pub citation: String,
}

/// Everything in force on one day (optionally for one regime), in a stable order: each list is
/// sorted by regime, then by destination / version / kind, then by id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct InForce {
    pub date: Date,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub regime: Option<String>,
    pub regimes: Vec<RegimeInForce>,
    /// Adequacy by country or organisation (not framework-based).
    pub adequacy: Vec<AdequacyInForce>,
    /// Framework-based adequacy (Privacy Shield, DPF, UK extension, ...).
    pub frameworks: Vec<AdequacyInForce>,
    pub bridges: Vec<BridgeInForce>,
    /// SCC sets, including grandfathered ones.
    pub scc: Vec<SccInForce>,
    pub tools: Vec<ToolInForce>,
    /// Onward-transfer rules of the instruments in force, with their grounds.
    pub onward: Vec<OnwardInForce>,
    /// Kinds of hop that are not a transfer.
    pub not_transfers: Vec<NotATransferInForce>,
    /// Exemptions, thresholds, prerequisites and restricted destinations.
    pub transfer_rules: Vec<crate::TransferRuleInForce>,
    pub advisories: Vec<AdvisoryInForce>,
}

fn describe_when(w: &AdvisoryWhen) -> String {
    let mut parts = Vec::new();
    if let Some(m) = &w.mechanism {
        parts.push(format!("mechanism {m}"));
    }
    if let Some(v) = &w.scc_version {
        parts.push(format!("SCC {v}"));
    }
    if let Some(d) = &w.decision {
        parts.push(format!("decision {d}"));
    }
    if let Some(d) = &w.destination {
        parts.push(format!("destination {d}"));
    }
    if let Some(c) = &w.importer {
        parts.push(format!("importer {c}"));
    }
    if w.every_hop {
        parts.push("every transfer hop".to_string());
    }
    parts.join(", ")
}

impl Rulebook {
    /// The regime with this id.
    pub fn regime(&self, id: &str) -> Option<&Regime> {
        self.regimes.iter().find(|r| r.id == id)
    }

    /// The period of a regime's law in force on `date`.
    pub fn period(&self, regime: &str, date: Date) -> Option<&RegimePeriod> {
        self.regime(regime)?
            .periods
            .iter()
            .find(|p| p.validity().contains(date))
    }

    /// Whether `place` (country or subdivision code) is inside the regime's territory on `date`:
    /// a hop there is not a transfer under that regime.
    pub fn in_territory(&self, regime: &str, place: &str, date: Date) -> bool {
        self.territory_membership(regime, place, date).is_some()
    }

    /// The membership that puts `place` inside a regime's territory on `date`, if any (with
    /// its citation).
    pub fn territory_membership(
        &self,
        regime: &str,
        place: &str,
        date: Date,
    ) -> Option<&Membership> {
        // `place_within` for each listed country, with the place's own country looked up once
        // (this runs for every hop).
        let parent = parent_country(place);
        self.regime(regime)?.territory.iter().find(|m| {
            m.validity().contains(date)
                && m.countries
                    .iter()
                    .any(|c| c == place || parent == Some(c.as_str()))
        })
    }

    /// The places inside a regime's territory on `date`, sorted.
    pub fn territory(&self, regime: &str, date: Date) -> Vec<&str> {
        let Some(r) = self.regime(regime) else {
            return Vec::new();
        };
        members_on(&r.territory, date)
    }

    /// The regimes whose territory contains `place` on `date`, in rulebook order.
    pub fn regimes_at(&self, place: &str, date: Date) -> Vec<&Regime> {
        self.regimes
            .iter()
            .filter(|r| self.in_territory(&r.id, place, date))
            .collect()
    }

    /// The region with this id (`EEA`, `EU`).
    pub fn region(&self, id: &str) -> Option<&Region> {
        self.regions.iter().find(|r| r.id == id)
    }

    /// The members of a region on `date`, sorted.
    pub fn region_members(&self, region: &str, date: Date) -> Vec<&str> {
        match self.region(region) {
            Some(r) => members_on(&r.members, date),
            None => Vec::new(),
        }
    }

    /// Whether data subjects "in" a region on `date` are (at least partly) inside the regime's
    /// territory, i.e. whether some member of the region is: data collected from them carries
    /// the regime. (On 2018-06-01 the EEA's EU members are inside eu-gdpr, its EFTA members
    /// not yet.)
    pub fn region_in_territory(&self, region: &str, regime: &str, date: Date) -> bool {
        self.region_members(region, date)
            .iter()
            .any(|m| self.in_territory(regime, m, date))
    }

    /// The base category with this id.
    pub fn category(&self, id: &str) -> Option<&BaseCategory> {
        self.categories.iter().find(|c| c.id == id)
    }

    /// Whether a base category is special-category or criminal-offence data, which the
    /// transfer rules, the onward rules and the vendor review treat apart.
    pub fn is_sensitive(&self, base: &str) -> bool {
        self.category(base).is_some_and(|c| {
            matches!(
                c.class,
                crate::CategoryClass::Special | crate::CategoryClass::Criminal
            )
        })
    }

    /// The adequacy decision (or framework entry) with this id.
    pub fn adequacy_decision(&self, id: &str) -> Option<&AdequacyDecision> {
        self.adequacy.iter().find(|a| a.id == id)
    }

    /// Adequacy entries of `regime` in force on `date` that name `destination` (or the country of
    /// a subdivision), including framework-based ones (check `framework` and the importer's
    /// certification). The caller checks each entry's scope with [`Scope::coverage`]: an entry
    /// returned here whose scope does not cover the importer is the XB018 case. Decisions for
    /// international organisations have no destination and are not returned: see
    /// [`Rulebook::organisation_adequacy`]. Rulebook order.
    pub fn adequacy_for(
        &self,
        regime: &str,
        destination: &str,
        date: Date,
    ) -> impl Iterator<Item = &AdequacyDecision> {
        self.adequacy.iter().filter(move |a| {
            a.regime == regime
                && a.validity().contains(date)
                && a.destination
                    .as_deref()
                    .is_some_and(|d| place_within(destination, d))
        })
    }

    /// Adequacy decisions of `regime` in force on `date` for international organisations (no
    /// destination; e.g. the European Patent Organisation). They cover an importer wherever it
    /// is located, when their scope matches its facts (`subject-to`).
    pub fn organisation_adequacy(
        &self,
        regime: &str,
        date: Date,
    ) -> impl Iterator<Item = &AdequacyDecision> {
        self.adequacy.iter().filter(move |a| {
            a.regime == regime && a.destination.is_none() && a.validity().contains(date)
        })
    }

    /// The first decision (not framework-based) of `regime` in force on `date` that covers a hop
    /// to `destination` with these facts: one naming the destination, else one for an
    /// international organisation. Framework-based adequacy also needs the importer's
    /// certification and is left to the caller ([`Rulebook::adequacy_for`]).
    pub fn covering_adequacy(
        &self,
        regime: &str,
        destination: &str,
        facts: &HopFacts<'_>,
        date: Date,
    ) -> Option<&AdequacyDecision> {
        self.adequacy_for(regime, destination, date)
            .chain(self.organisation_adequacy(regime, date))
            .filter(|a| a.framework.is_none())
            .find(|a| a.scope.coverage(facts, date).is_covered())
    }

    /// The entry of the `mechanism-kinds` table for a kind.
    pub fn mechanism_kind(&self, kind: &str) -> Option<&MechanismKindDef> {
        self.mechanism_kinds.iter().find(|k| k.kind == kind)
    }

    /// The framework-based entry whose certification id is `id` (`eu-us-dpf`).
    pub fn framework(&self, id: &str) -> Option<&AdequacyDecision> {
        self.adequacy
            .iter()
            .find(|a| a.framework.as_ref().is_some_and(|f| f.id == id))
    }

    /// Framework entries of `regime` that a map claims with mechanism kind `mechanism`
    /// (`privacy-shield` under ch-fadp is the Swiss-US Privacy Shield), at any date.
    pub fn frameworks_for(
        &self,
        regime: &str,
        mechanism: &str,
    ) -> impl Iterator<Item = &AdequacyDecision> {
        self.adequacy.iter().filter(move |a| {
            a.regime == regime
                && a.framework
                    .as_ref()
                    .is_some_and(|f| f.mechanism == mechanism)
        })
    }

    /// The bridge that makes a hop from `regime`'s territory to `destination` no transfer on `date`.
    pub fn bridge_for(&self, regime: &str, destination: &str, date: Date) -> Option<&Bridge> {
        self.bridges.iter().find(|b| {
            b.regime == regime
                && place_within(destination, &b.destination)
                && b.validity().contains(date)
        })
    }

    /// The SCC set with this version (`2021/914`).
    pub fn scc_set(&self, version: &str) -> Option<&SccSet> {
        self.scc_sets.iter().find(|s| s.version == version)
    }

    /// How `regime` treats SCC set `version`; `None` if the regime does not accept the set at all.
    pub fn scc_terms(&self, version: &str, regime: &str) -> Option<&SccTerms> {
        self.scc_set(version)?
            .terms
            .iter()
            .find(|t| t.regime == regime)
    }

    /// Tool entries of a kind under a regime, at any date (successive entries in file order).
    pub fn tools_for(&self, kind: &str, regime: &str) -> impl Iterator<Item = &TransferTool> {
        self.tools
            .iter()
            .filter(move |t| t.kind == kind && t.regime == regime)
    }

    /// The tool entry of a kind under a regime in force on `date` (validation guarantees at most one).
    pub fn tool_in_force(&self, kind: &str, regime: &str, date: Date) -> Option<&TransferTool> {
        self.tools
            .iter()
            .find(|t| t.kind == kind && t.regime == regime && t.validity().contains(date))
    }

    /// Whether a documented transfer impact assessment is expected for `tool` on `date`: the
    /// tool needs one, from its `tia-from` (C-311/18 for EU and UK tools).
    pub fn tool_expects_tia(tool: &TransferTool, date: Date) -> bool {
        tool.needs_tia && tool.tia_from.is_none_or(|from| date >= from)
    }

    /// Advisories of a regime, at any date (check `validity()` against the hop's date).
    pub fn advisories_for(&self, regime: &str) -> impl Iterator<Item = &Advisory> {
        self.advisories.iter().filter(move |a| a.regime == regime)
    }

    /// Documentation of a finding code.
    pub fn code(&self, code: &str) -> Option<&CodeDoc> {
        self.codes.iter().find(|c| c.code == code)
    }

    /// Everything in force on `date`, for every regime or only `regime`.
    pub fn in_force(&self, date: Date, regime: Option<&str>) -> InForce {
        let (adequacy, frameworks) = self.adequacy_in_force(date, regime);
        InForce {
            date,
            regime: regime.map(str::to_owned),
            regimes: self.regimes_in_force(date, regime),
            adequacy,
            frameworks,
            bridges: self.bridges_in_force(date, regime),
            scc: self.scc_in_force(date, regime),
            tools: self.tools_in_force(date, regime),
            onward: self.onward_in_force(date, regime),
            not_transfers: self.not_transfers_in_force(date, regime),
            transfer_rules: self.transfer_rules_in_force(date, regime),
            advisories: self.advisories_in_force(date, regime),
        }
    }

    /// The regimes (all, or `regime`) with the period of their law and their territory on
    /// `date`, by id.
    fn regimes_in_force(&self, date: Date, regime: Option<&str>) -> Vec<RegimeInForce> {
        let mut regimes: Vec<RegimeInForce> = self
            .regimes
            .iter()
            .filter(|r| wanted(regime, &r.id))
            .map(|r| {
                let period = self.period(&r.id, date);
                RegimeInForce {
                    id: r.id.clone(),
                    name: r.name.clone(),
                    period: period.map(|p| p.name.clone()),
                    restricts_transfers: r.restricts_transfers,
                    transfers: period.map_or(crate::TransferModel::Restricted, |p| p.transfers),
                    next_period_from: period
                        .is_none()
                        .then(|| {
                            r.periods
                                .iter()
                                .filter_map(|p| p.from)
                                .filter(|from| *from > date)
                                .min()
                        })
                        .flatten(),
                    territory: members_on(&r.territory, date)
                        .into_iter()
                        .map(str::to_owned)
                        .collect(),
                    citation: period.map(|p| p.citation.on(date).to_owned()),
                }
            })
            .collect();
        regimes.sort_by(|a, b| a.id.cmp(&b.id));
        regimes
    }

    /// The adequacy entries in force on `date`, split into decisions by country or
    /// organisation and framework-based adequacy (valid only through the importer's
    /// certification), each sorted by regime, destination and id. Exclusions are listed only
    /// while in force.
    fn adequacy_in_force(
        &self,
        date: Date,
        regime: Option<&str>,
    ) -> (Vec<AdequacyInForce>, Vec<AdequacyInForce>) {
        let mut adequacy = Vec::new();
        let mut frameworks = Vec::new();
        for a in self
            .adequacy
            .iter()
            .filter(|a| wanted(regime, &a.regime) && a.validity().contains(date))
        {
            let entry = AdequacyInForce {
                id: a.id.clone(),
                regime: a.regime.clone(),
                destination: a.destination.clone(),
                name: a.name.clone(),
                reference: a.reference.clone(),
                scope: a.scope.summary.clone(),
                covers_any: a.scope.covers_any.iter().map(|c| c.to_string()).collect(),
                excludes: a
                    .scope
                    .excludes
                    .iter()
                    .filter(|e| e.validity().contains(date))
                    .map(|e| e.when.to_string())
                    .collect(),
                framework: a
                    .framework
                    .as_ref()
                    .map(|f| format!("{} ({})", f.id, f.mechanism)),
                from: a.from,
                until: a.validity().last_day(),
                citation: a.citation.on(date).to_owned(),
                unconfirmed: a.unconfirmed.clone(),
            };
            if a.framework.is_some() {
                frameworks.push(entry);
            } else {
                adequacy.push(entry);
            }
        }
        let by_place = |a: &AdequacyInForce, b: &AdequacyInForce| {
            (&a.regime, &a.destination, &a.id).cmp(&(&b.regime, &b.destination, &b.id))
        };
        adequacy.sort_by(by_place);
        frameworks.sort_by(by_place);
        (adequacy, frameworks)
    }

    /// The bridges in force on `date` (hops the law says are not a transfer for a while, e.g.
    /// EU→UK under TCA Art. FINPROV.10A), by regime and id.
    fn bridges_in_force(&self, date: Date, regime: Option<&str>) -> Vec<BridgeInForce> {
        let mut bridges: Vec<BridgeInForce> = self
            .bridges
            .iter()
            .filter(|b| wanted(regime, &b.regime) && b.validity().contains(date))
            .map(|b| BridgeInForce {
                id: b.id.clone(),
                regime: b.regime.clone(),
                destination: b.destination.clone(),
                name: b.name.clone(),
                until: b.validity().last_day(),
                citation: b.citation.on(date).to_owned(),
            })
            .collect();
        bridges.sort_by(|a, b| (&a.regime, &a.id).cmp(&(&b.regime, &b.id)));
        bridges
    }

    /// The SCC sets each regime accepts on `date`, available for new contracts or only
    /// grandfathered (2021/914 Art. 4; the UK and Swiss transitions), by regime and version.
    fn scc_in_force(&self, date: Date, regime: Option<&str>) -> Vec<SccInForce> {
        let mut scc = Vec::new();
        for set in &self.scc_sets {
            for t in set.terms.iter().filter(|t| wanted(regime, &t.regime)) {
                let Some(status) = t.status_on(date) else {
                    continue;
                };
                scc.push(SccInForce {
                    version: set.version.clone(),
                    regime: t.regime.clone(),
                    name: set.name.clone(),
                    status,
                    modules: set
                        .modules
                        .iter()
                        .map(|m| match m.number {
                            Some(n) => format!("{n} {}", m.roles),
                            None => m.roles.clone(),
                        })
                        .collect(),
                    requires: t.requires.clone(),
                    new_contracts_until: t.new_contracts_until,
                    until: t.last_day(),
                    citation: t.citation.on(date).to_owned(),
                    unconfirmed: t.unconfirmed.clone(),
                });
            }
        }
        scc.sort_by(|a, b| (&a.regime, &a.version).cmp(&(&b.regime, &b.version)));
        scc
    }

    /// The other transfer tools in force on `date` (IDTA, BCRs, derogations, ...), with the
    /// derogation grounds in force and what each requires or rules out, by regime and kind.
    fn tools_in_force(&self, date: Date, regime: Option<&str>) -> Vec<ToolInForce> {
        let mut tools: Vec<ToolInForce> = self
            .tools
            .iter()
            .filter(|t| wanted(regime, &t.regime) && t.validity().contains(date))
            .map(|t| ToolInForce {
                kind: t.kind.clone(),
                regime: t.regime.clone(),
                name: t.name.clone(),
                effect: t.effect,
                needs_tia: t.needs_tia,
                grounds: t
                    .grounds
                    .iter()
                    .filter(|g| g.validity().contains(date))
                    .map(|g| ground_in_force(g, date))
                    .collect(),
                until: t.validity().last_day(),
                citation: t.citation.on(date).to_owned(),
                unconfirmed: t.unconfirmed.clone(),
            })
            .collect();
        tools.sort_by(|a, b| (&a.regime, &a.kind).cmp(&(&b.regime, &b.kind)));
        tools
    }

    /// The onward-transfer rules that travel with the instruments in force on `date`: the SCC
    /// modules' (2021/914 Clause 8.7 / 8.8, with the regime's reading of them), the adequacy
    /// entries' (the frameworks' Accountability for Onward Transfer principle) and the tools'
    /// (the IDTA's onward-transfer section), by regime and instrument.
    fn onward_in_force(&self, date: Date, regime: Option<&str>) -> Vec<OnwardInForce> {
        let mut onward = Vec::new();
        for set in &self.scc_sets {
            for t in set
                .terms
                .iter()
                .filter(|t| wanted(regime, &t.regime) && t.status_on(date).is_some())
            {
                for m in &set.modules {
                    if let Some(rule) = &m.onward {
                        let module = m.number.map(|n| format!(" module {n}")).unwrap_or_default();
                        onward.push(onward_in_force(
                            format!("scc {}{module}", set.version),
                            &t.regime,
                            rule,
                            t.onward_reading.as_ref(),
                            date,
                        ));
                    }
                }
            }
        }
        for a in self
            .adequacy
            .iter()
            .filter(|a| wanted(regime, &a.regime) && a.validity().contains(date))
        {
            if let Some(rule) = &a.onward {
                onward.push(onward_in_force(
                    format!("adequacy {}", a.id),
                    &a.regime,
                    rule,
                    None,
                    date,
                ));
            }
        }
        for t in self
            .tools
            .iter()
            .filter(|t| wanted(regime, &t.regime) && t.validity().contains(date))
        {
            if let Some(rule) = &t.onward {
                onward.push(onward_in_force(
                    format!("tool {}", t.kind),
                    &t.regime,
                    rule,
                    None,
                    date,
                ));
            }
        }
        onward.sort_by(|a, b| (&a.regime, &a.instrument).cmp(&(&b.regime, &b.instrument)));
        onward
    }

    /// The rules in force on `date` that a kind of hop is not a transfer (EDPB Guidelines
    /// 05/2021, criteria 1 and 2; ICO guidance on restricted transfers), by regime and kind.
    fn not_transfers_in_force(&self, date: Date, regime: Option<&str>) -> Vec<NotATransferInForce> {
        let mut not_transfers: Vec<NotATransferInForce> = self
            .not_transfers
            .iter()
            .filter(|n| wanted(regime, &n.regime) && n.validity().contains(date))
            .map(|n| NotATransferInForce {
                regime: n.regime.clone(),
                when: n.when,
                says: n.says.clone(),
                citation: n.citation.on(date).to_owned(),
                unconfirmed: n.unconfirmed.clone(),
            })
            .collect();
        not_transfers.sort_by(|a, b| (&a.regime, a.when).cmp(&(&b.regime, b.when)));
        not_transfers
    }

    /// The advisories in force on `date` (points the research marks as ambiguous or a legal
    /// risk), with what a hop must rest on for each to apply, by regime and id.
    fn advisories_in_force(&self, date: Date, regime: Option<&str>) -> Vec<AdvisoryInForce> {
        let mut advisories: Vec<AdvisoryInForce> = self
            .advisories
            .iter()
            .filter(|a| wanted(regime, &a.regime) && a.validity().contains(date))
            .map(|a| AdvisoryInForce {
                id: a.id.clone(),
                code: a.code.clone(),
                regime: a.regime.clone(),
                when: describe_when(&a.when),
                message: a.message.clone(),
                until: a.validity().last_day(),
                citation: a.citation.on(date).to_owned(),
            })
            .collect();
        advisories.sort_by(|a, b| (&a.regime, &a.id).cmp(&(&b.regime, &b.id)));
        advisories
    }

    /// Every dated entry with a stable key (see [`DatedEntry::key`]), in rulebook order.
    pub fn dated_entries(&self) -> Vec<DatedEntry> {
        let mut out = Vec::new();
        let mut push = |key: String, validity: Validity| out.push(DatedEntry { key, validity });
        for r in &self.regimes {
            for (i, p) in r.periods.iter().enumerate() {
                push(format!("period {} {}", r.id, i + 1), p.validity());
            }
            for m in &r.territory {
                push(
                    format!("territory {} {}", r.id, m.countries.join(",")),
                    m.validity(),
                );
            }
        }
        for r in &self.regions {
            for m in &r.members {
                push(
                    format!("region {} {}", r.id, m.countries.join(",")),
                    m.validity(),
                );
            }
        }
        for a in &self.adequacy {
            push(format!("adequacy {}", a.id), a.validity());
            for (i, e) in a.scope.excludes.iter().enumerate() {
                push(format!("exclusion {} {}", a.id, i + 1), e.validity());
            }
        }
        for b in &self.bridges {
            push(format!("bridge {}", b.id), b.validity());
        }
        for r in &self.transfer_rules {
            push(format!("transfer-rule {}", r.id), r.validity());
        }
        for s in &self.scc_sets {
            for t in &s.terms {
                push(format!("scc {} {}", s.version, t.regime), t.validity());
            }
        }
        let mut seen: Vec<(&str, &str)> = Vec::new();
        for t in &self.tools {
            seen.push((&t.kind, &t.regime));
            let n = seen
                .iter()
                .filter(|(k, r)| *k == t.kind && *r == t.regime)
                .count();
            push(format!("tool {} {} {n}", t.kind, t.regime), t.validity());
        }
        for a in &self.advisories {
            push(format!("advisory {}", a.id), a.validity());
        }
        out
    }

    /// Every date on which some entry starts, or the day after one ends (including the SCC
    /// cut-offs for new contracts and grandfathering): the days on which a verdict can change.
    /// Sorted, without duplicates.
    pub fn breakpoints(&self) -> Vec<Date> {
        let mut dates = BTreeSet::new();
        let mut add = |v: Validity| {
            dates.extend(v.from);
            dates.extend(v.last_day().and_then(|d| d.succ_opt()));
        };
        for entry in self.dated_entries() {
            add(entry.validity);
        }
        for set in &self.scc_sets {
            for t in &set.terms {
                for cut in [t.new_contracts_until, t.grandfathered_until]
                    .into_iter()
                    .flatten()
                {
                    dates.extend(cut.succ_opt());
                }
            }
        }
        dates.into_iter().collect()
    }
}

fn members_on(members: &[Membership], date: Date) -> Vec<&str> {
    let set: BTreeSet<&str> = members
        .iter()
        .filter(|m| m.validity().contains(date))
        .flat_map(|m| m.countries.iter().map(String::as_str))
        .collect();
    set.into_iter().collect()
}

/// Whether an entry of `entry_regime` belongs in a listing for `regime` (all regimes when `None`).
fn wanted(regime: Option<&str>, entry_regime: &str) -> bool {
    regime.is_none_or(|w| w == entry_regime)
}

/// A derogation ground as in force on `date`: its conditions, the facts the mechanism must
/// state (GDPR Art. 49(1) and the like) and the situations in which it is not available
/// (e.g. Art. 49(3) for public authorities), each cited for the date.
fn ground_in_force(g: &DerogationGround, date: Date) -> GroundInForce {
    GroundInForce {
        ground: g.ground.clone(),
        conditions: g.conditions.trim().to_owned(),
        citation: g.citation.on(date).to_owned(),
        requires: g
            .requires
            .iter()
            .map(|r| format!("{} — {} ({})", r.fact, r.says, r.citation.on(date)))
            .collect(),
        unavailable: g
            .unavailable
            .iter()
            .map(|u| format!("{} — {} ({})", u.when, u.says, u.citation.on(date)))
            .collect(),
    }
}

/// The onward-transfer rule `rule` of `instrument` under `regime` as in force on `date`, cited
/// with the regime's reading of it where it has one (the 2021 SCCs through the UK Addendum).
fn onward_in_force(
    instrument: String,
    regime: &str,
    rule: &Onward,
    reading: Option<&Citation>,
    date: Date,
) -> OnwardInForce {
    let citation = match reading {
        Some(r) => format!("{}; {}", rule.citation.on(date), r.on(date)),
        None => rule.citation.on(date).to_owned(),
    };
    OnwardInForce {
        instrument,
        regime: regime.to_owned(),
        name: rule.name.clone(),
        citation,
        grounds: rule
            .grounds
            .iter()
            .map(|g| format!("{} — {}", g.name.trim(), g.citation.on(date)))
            .collect(),
        requires: rule
            .requires
            .iter()
            .map(|r| format!("{} — {}", r.name.trim(), r.citation.on(date)))
            .collect(),
        unconfirmed: rule.unconfirmed.clone(),
    }
}
