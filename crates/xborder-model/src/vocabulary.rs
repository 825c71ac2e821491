//! The words a map may use that the rulebook, not the format, defines.

use std::collections::BTreeSet;

/// What the validator accepts for law-defined values. Built by the caller from the rulebook
/// (`xborder_engine::vocabulary`), so a rulebook extended with `--rules` extends the format.
#[derive(Debug, Clone)]
pub struct Vocabulary {
    /// Base data categories (`email`, `biometric`, ...), the targets of `like:`.
    pub categories: BTreeSet<String>,
    /// Region names usable as the country of data subjects (`EEA`, `EU`).
    pub regions: BTreeSet<String>,
    /// Certification frameworks (`eu-us-privacy-shield`, `eu-us-dpf`, ...).
    pub frameworks: BTreeSet<String>,
    /// Mechanism kinds that rely on a framework certification (`privacy-shield`, `dpf`, ...).
    pub framework_mechanisms: BTreeSet<String>,
    /// The mechanism kinds of the rulebook's table with their fields (frameworks aside).
    pub mechanism_kinds: Vec<KindSpec>,
    /// SCC set versions (`2001/497`, `2004/915`, `2010/87`, `2021/914`).
    pub scc_versions: BTreeSet<String>,
    /// SCC versions that are organised in numbered modules (`2021/914`).
    pub modular_scc_versions: BTreeSet<String>,
    /// Derogation grounds (`explicit-consent`, `contract`, ...).
    pub derogation_grounds: BTreeSet<String>,
    /// Subdivisions that bound a regime restricting transfers (a law of a province or state):
    /// where an entity is in one, where it processes data is that subdivision, not its
    /// country, and `processing` may name it.
    pub bounding_subdivisions: BTreeSet<String>,
    /// Whether a code is an ISO 3166-1 alpha-2 country code.
    pub is_country: fn(&str) -> bool,
    /// Whether a code is an ISO 3166-2 subdivision code.
    pub is_subdivision: fn(&str) -> bool,
    /// Every ISO 3166-1 alpha-2 code, sorted (for the JSON Schema's enumerations).
    pub country_codes: fn() -> Vec<&'static str>,
}

impl Default for Vocabulary {
    fn default() -> Self {
        Vocabulary {
            categories: BTreeSet::new(),
            regions: BTreeSet::new(),
            frameworks: BTreeSet::new(),
            framework_mechanisms: BTreeSet::new(),
            mechanism_kinds: Vec::new(),
            scc_versions: BTreeSet::new(),
            modular_scc_versions: BTreeSet::new(),
            derogation_grounds: BTreeSet::new(),
            bounding_subdivisions: BTreeSet::new(),
            is_country: |_| false,
            is_subdivision: |_| false,
            country_codes: Vec::new,
        }
    }
}

/// How the format reads a mechanism kind: its family and fields, from the rulebook's
/// `mechanism-kinds` table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KindSpec {
    pub kind: String,
    pub family: Family,
    /// What the kind is, in one line.
    pub summary: String,
    pub fields: Vec<FieldSpec>,
}

/// The families of mechanism kinds (the rulebook's `family`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    Adequacy,
    StandardClauses,
    Tool,
    Derogation,
}

/// One field of a mechanism kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldSpec {
    pub name: String,
    pub kind: FieldKind,
    pub required: bool,
    /// For [`FieldKind::Choice`].
    pub values: Vec<String>,
    /// What it states, for messages and the schema.
    pub summary: String,
}

/// The type of a field's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    Date,
    Bool,
    Text,
    Count,
    SccVersion,
    SccModule,
    Ground,
    Choice,
}

impl Vocabulary {
    /// The table entry of a mechanism kind.
    pub fn kind(&self, kind: &str) -> Option<&KindSpec> {
        self.mechanism_kinds.iter().find(|k| k.kind == kind)
    }
}
