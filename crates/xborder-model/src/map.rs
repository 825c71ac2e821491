//! The checked data map: what `load` returns once a file has no errors.
//!
//! Indices are stable: entities in file order, flows in list order (the flow index is the
//! `flow` number of the JSON result contract), agreements in file order.

use chrono::NaiveDate;
use serde::Serialize;

use crate::diag::Loc;
use crate::text::Text;

pub type Date = NaiveDate;

/// A period of time, both ends inclusive and either open, with where the map states it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    pub from: Option<Date>,
    pub until: Option<Date>,
    pub loc: Loc,
}

impl Period {
    /// Whether `date` falls inside the period.
    pub fn contains(&self, date: Date) -> bool {
        self.from.is_none_or(|f| f <= date) && self.until.is_none_or(|u| date <= u)
    }
}

/// Index of an entity in [`Map::entities`].
pub type EntityIx = usize;

/// A whole data map (format 1).
#[derive(Debug, Clone)]
pub struct Map {
    pub organisation: String,
    /// The period of time the map describes (`describes:`), when it says: a map drawn from
    /// the 2021 notice says nothing reliable about 2019.
    pub describes: Option<Period>,
    pub entities: Vec<Entity>,
    pub categories: Vec<MapCategory>,
    pub flows: Vec<Flow>,
    pub agreements: Vec<Agreement>,
}

impl Map {
    pub fn entity(&self, id: &str) -> Option<EntityIx> {
        self.entities.iter().position(|e| e.id == id)
    }

    /// Entities by id, for code that resolves many ids ([`Map::entity`] scans the list).
    pub fn entity_index(&self) -> std::collections::HashMap<&str, EntityIx> {
        self.entities
            .iter()
            .enumerate()
            .map(|(i, e)| (e.id.as_str(), i))
            .collect()
    }

    /// The base category a data category stands for: itself, or its `like:` target.
    pub fn base_category<'a>(&'a self, category: &'a str) -> &'a str {
        self.categories
            .iter()
            .find(|c| c.id == category)
            .map_or(category, |c| c.like.as_str())
    }
}

/// What an entity is in the map.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EntityKind {
    Company,
    Vendor,
    Partner,
    Authority,
    /// A group of data subjects: the origin of collected data.
    Subjects,
}

/// GDPR Art. 4(7) / 4(8) roles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    Controller,
    Processor,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Controller => "controller",
            Role::Processor => "processor",
        }
    }
}

/// The exporter's and the importer's roles on one flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RolePair {
    pub exporter: Role,
    pub importer: Role,
}

impl std::fmt::Display for RolePair {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}->{}", self.exporter.as_str(), self.importer.as_str())
    }
}

impl std::str::FromStr for RolePair {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        let (a, b) = s.split_once("->").ok_or(())?;
        let role = |r: &str| match r.trim() {
            "controller" => Ok(Role::Controller),
            "processor" => Ok(Role::Processor),
            _ => Err(()),
        };
        Ok(RolePair {
            exporter: role(a)?,
            importer: role(b)?,
        })
    }
}

/// The kind of body an importer is, which scoped adequacy decisions test.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Sector {
    Private,
    Public,
    Nonprofit,
    Academic,
}

/// An organisation or a group of data subjects.
#[derive(Debug, Clone)]
pub struct Entity {
    pub id: String,
    pub loc: Loc,
    pub name: String,
    pub kind: EntityKind,
    /// ISO 3166-1 alpha-2, ISO 3166-2 subdivision, or a rulebook region (subjects only).
    pub country: String,
    pub country_loc: Loc,
    /// Where it stores or accesses received data; never empty (defaults to `[country]`).
    pub processing: Vec<String>,
    pub role: Option<Role>,
    pub sector: Sector,
    /// Facts the rulebook may test (`pipeda`, `fsc-supervised`, ...); `None` when the map does
    /// not say, so that a rule depending on them asks for them.
    pub subject_to: Option<Vec<String>>,
    /// The legal person this entity is part of (a branch, office or establishment of it):
    /// hops between parts of one legal person are judged by the rulebook's same-legal-person
    /// rule. Resolved to the entity at the root of the `legal-person` chain.
    pub legal_person: Option<EntityIx>,
    pub certifications: Vec<Certification>,
    pub evidence: Option<String>,
}

/// A framework listing of an importer (Privacy Shield list, DPF list, ...).
#[derive(Debug, Clone)]
pub struct Certification {
    pub framework: String,
    pub from: Date,
    /// Last day of the listing, inclusive.
    pub until: Option<Date>,
    /// Covers HR data (employment context).
    pub hr: bool,
    /// Covers non-HR data.
    pub non_hr: bool,
    pub loc: Loc,
}

/// A map-specific data category that the law treats like a base category.
#[derive(Debug, Clone)]
pub struct MapCategory {
    pub id: String,
    pub like: String,
    pub loc: Loc,
}

/// One flow of personal data from one entity to another.
#[derive(Debug, Clone)]
pub struct Flow {
    /// Position in the `flows` list, from 0: the `flow` of the JSON contract.
    pub index: usize,
    /// Shared with the rest of the map's text ([`Text`]): a million flows, one id each.
    pub id: Option<Text>,
    /// Location of the flow's list item, where findings about the flow point.
    pub loc: Loc,
    pub from: EntityIx,
    pub to: EntityIx,
    /// Data categories, shared: a map names a few dozen categories across all its flows.
    /// A boxed list and shared texts keep a flow small: a map may hold a million.
    pub data: Box<[Text]>,
    pub purpose: Option<Text>,
    /// Whether the transfer is automated (or the data is processed automatically at the
    /// destination); `None` when the map does not say.
    pub automated: Option<bool>,
    /// Whether the exporter acts in the exercise of public powers; `None` when not stated.
    pub public_powers: Option<bool>,
    /// Whether the data subjects gave affirmative express (opt-in) consent to this disclosure;
    /// `None` when not stated.
    pub opt_in: Option<bool>,
    /// How many individuals' personal data the flow carries out of the exporter's
    /// jurisdiction in the calendar year of the as-of date; `None` when not stated.
    pub individuals_per_year: Option<u64>,
    /// The day an impact assessment of the transfer (Québec s.17, PIPL Art. 55) was
    /// documented; `None` when not stated.
    pub pia: Option<Date>,
    /// The roles as written on the flow or derived from the entities' `role`.
    pub roles: Option<RolePair>,
    pub mechanisms: Box<[Mechanism]>,
    pub agreement: Option<usize>,
    pub evidence: Option<Text>,
}

/// A legal mechanism a flow or agreement claims.
#[derive(Debug, Clone, PartialEq)]
pub struct Mechanism {
    pub loc: Loc,
    pub kind: MechanismKind,
}

impl Mechanism {
    /// The `kind:` value as written in the map.
    pub fn kind_name(&self) -> &str {
        match &self.kind {
            MechanismKind::Adequacy => "adequacy",
            MechanismKind::Scc(_) => "scc",
            MechanismKind::Framework(kind) => kind,
            MechanismKind::Tool(tool) => &tool.kind,
            MechanismKind::Derogation(_) => "derogation",
        }
    }

    /// The mechanism in words, with its dates and facts: `SCC 2021/914 Module 2, signed
    /// 2021-09-01, TIA 2021-08-15`, `idta (signed 2022-05-01, tia 2022-04-20)`, `derogation:
    /// legal-claims (occasional: true)`. Used wherever a report or memo names what a hop rests on.
    pub fn describe(&self) -> String {
        let date = |d: Option<Date>| d.map_or_else(|| "—".to_string(), |d| d.to_string());
        match &self.kind {
            MechanismKind::Adequacy => "adequacy".to_string(),
            MechanismKind::Framework(kind) => kind.clone(),
            MechanismKind::Scc(s) => {
                let mut text = format!(
                    "SCC {}{}, signed {}, TIA {}",
                    s.version,
                    s.module.map(|m| format!(" Module {m}")).unwrap_or_default(),
                    date(s.signed),
                    date(s.tia)
                );
                if let Some(d) = s.uk_addendum {
                    text.push_str(&format!(", UK Addendum {d}"));
                }
                if s.swiss_adapted {
                    text.push_str(", Swiss adaptations");
                }
                text
            }
            MechanismKind::Tool(t) => with_fields(&t.kind, &t.fields, " "),
            MechanismKind::Derogation(d) => {
                with_fields(&format!("derogation: {}", d.ground), &d.facts, ": ")
            }
        }
    }

    /// The value of a field as written (`signed`, `tia`, `occasional`, ...), for kinds whose
    /// fields the rulebook's table defines.
    pub fn field(&self, name: &str) -> Option<&FieldValue> {
        match &self.kind {
            MechanismKind::Tool(tool) => tool.fields.get(name),
            MechanismKind::Derogation(d) => d.facts.get(name),
            _ => None,
        }
    }
}

/// `name (field value, …)`, or `name` alone when there are no fields.
fn with_fields(name: &str, fields: &FieldValues, between: &str) -> String {
    if fields.0.is_empty() {
        return name.to_string();
    }
    let listed: Vec<String> = fields
        .iter()
        .map(|(n, v)| format!("{n}{between}{v}"))
        .collect();
    format!("{name} ({})", listed.join(", "))
}

/// A claimed mechanism, by the family the rulebook's `mechanism-kinds` table puts its kind in.
#[derive(Debug, Clone, PartialEq)]
pub enum MechanismKind {
    Adequacy,
    Scc(Scc),
    /// `safe-harbor`, `privacy-shield`, `dpf`, `uk-us-data-bridge`, `swiss-us-dpf`: valid only
    /// through the importer's certification.
    Framework(String),
    /// A transfer tool of the table (`idta`, `bcr`, `code-of-conduct`, other regimes' tools).
    Tool(Tool),
    /// A derogation ground with the facts stated about it.
    Derogation(Derogation),
}

/// A value of a mechanism field, typed as the rulebook's table says.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldValue {
    Date(Date),
    Bool(bool),
    Text(String),
    Count(u64),
}

impl FieldValue {
    pub fn date(&self) -> Option<Date> {
        match self {
            FieldValue::Date(d) => Some(*d),
            _ => None,
        }
    }

    pub fn boolean(&self) -> Option<bool> {
        match self {
            FieldValue::Bool(b) => Some(*b),
            _ => None,
        }
    }
}

impl std::fmt::Display for FieldValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FieldValue::Date(d) => write!(f, "{d}"),
            FieldValue::Bool(b) => write!(f, "{b}"),
            FieldValue::Text(t) => f.write_str(t),
            FieldValue::Count(n) => write!(f, "{n}"),
        }
    }
}

/// Fields of a mechanism in the order written: a mechanism has a handful.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FieldValues(pub Vec<(String, FieldValue)>);

impl FieldValues {
    pub fn get(&self, name: &str) -> Option<&FieldValue> {
        self.0.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    pub fn date(&self, name: &str) -> Option<Date> {
        self.get(name).and_then(FieldValue::date)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &FieldValue)> {
        self.0.iter().map(|(n, v)| (n.as_str(), v))
    }
}

/// A transfer tool as claimed: its kind and fields.
#[derive(Debug, Clone, PartialEq)]
pub struct Tool {
    pub kind: String,
    pub fields: FieldValues,
}

/// A derogation as claimed: the ground, and the facts stated about it (`occasional`,
/// `limited-subjects`, `authority-informed`, ...).
#[derive(Debug, Clone, PartialEq)]
pub struct Derogation {
    pub ground: String,
    pub facts: FieldValues,
}

/// Standard contractual clauses as claimed in a map.
#[derive(Debug, Clone, PartialEq)]
pub struct Scc {
    pub version: String,
    pub module: Option<u8>,
    pub signed: Option<Date>,
    /// The day the processing operations under the contract changed.
    pub changed: Option<Date>,
    pub uk_addendum: Option<Date>,
    pub swiss_adapted: bool,
    pub tia: Option<Date>,
}

/// A contract between two entities that carries mechanisms for the flows naming it.
#[derive(Debug, Clone)]
pub struct Agreement {
    pub id: String,
    pub loc: Loc,
    pub between: Vec<EntityIx>,
    pub signed: Option<Date>,
    /// Last day of the agreement, inclusive.
    pub expires: Option<Date>,
    pub expires_loc: Option<Loc>,
    pub mechanisms: Vec<Mechanism>,
    pub evidence: Option<String>,
}

/// The id a text would have under the format's rule for ids (lower case letters, digits, `.`,
/// `_` and `-`, starting with a letter or digit): lower-cased, anything else replaced by `-`,
/// leading punctuation dropped. Empty when nothing of the text is left.
pub fn id_like(text: &str) -> String {
    let id: String = text
        .trim()
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
    id.trim_start_matches(['.', '_', '-']).to_string()
}
