//! The checked data map: what `load` returns once a file has no errors.
//!
//! Indices are stable: entities in file order, flows in list order (the flow index is the
//! `flow` number of the JSON result contract), agreements in file order.

use chrono::NaiveDate;
use serde::Serialize;

use crate::diag::Loc;
use crate::text::Text;

pub type Date = NaiveDate;

/// Index of an entity in [`Map::entities`].
pub type EntityIx = usize;

/// A whole data map (format 1).
#[derive(Debug, Clone)]
pub struct Map {
    pub organisation: String,
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
    pub subject_to: Vec<String>,
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
    pub data: Vec<Text>,
    pub purpose: Option<String>,
    /// The roles as written on the flow or derived from the entities' `role`.
    pub roles: Option<RolePair>,
    pub mechanisms: Vec<Mechanism>,
    pub agreement: Option<usize>,
    pub evidence: Option<String>,
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
            MechanismKind::Idta { .. } => "idta",
            MechanismKind::Framework(kind) => kind,
            MechanismKind::Bcr { .. } => "bcr",
            MechanismKind::Derogation { .. } => "derogation",
            MechanismKind::Other { kind, .. } => kind,
        }
    }
}

/// The mechanism kinds of `DATA-MAP.md` with their fields.
#[derive(Debug, Clone, PartialEq)]
pub enum MechanismKind {
    Adequacy,
    Scc(Scc),
    Idta {
        signed: Option<Date>,
        tia: Option<Date>,
    },
    /// `safe-harbor`, `privacy-shield`, `dpf`, `uk-us-data-bridge`, `swiss-us-dpf`: valid only
    /// through the importer's certification.
    Framework(String),
    /// Binding corporate rules; `tia` extends the format: BCRs are an Art. 46 tool and
    /// need the same transfer impact assessment as SCCs (EDPB FAQ on C-311/18, 23 Jul 2020).
    Bcr {
        approved: Option<Date>,
        group: Option<String>,
        tia: Option<Date>,
    },
    Derogation {
        ground: String,
        occasional: bool,
    },
    /// A tool of another regime the rulebook defines (`lgpd-scc`, `pipl-standard-contract`,
    /// `pia`).
    Other {
        kind: String,
        signed: Option<Date>,
        tia: Option<Date>,
    },
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
