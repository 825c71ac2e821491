//! The fideslang → rulebook category table (`data/interop/fideslang-categories.yaml`): which
//! rulebook base category each fideslang data category is treated like.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;

/// The built-in mapping table.
pub const DEFAULT_MAPPING: &str =
    include_str!("../../../../data/interop/fideslang-categories.yaml");

/// One row of the fideslang → rulebook category table.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    /// A fideslang data category key; it also covers the keys below it.
    pub fides: String,
    /// The fideslang name, for comments.
    #[serde(default)]
    pub name: Option<String>,
    /// The rulebook base category, or `None`: not personal data.
    pub like: Option<String>,
    /// Why the mapping is only a default, repeated in the import report.
    #[serde(default)]
    pub review: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MappingFile {
    format: u32,
    mappings: Vec<Mapping>,
}

/// The fideslang → rulebook category table.
#[derive(Debug, Clone)]
pub struct CategoryTable {
    by_key: BTreeMap<String, Mapping>,
}

impl CategoryTable {
    /// Parses a mapping table and checks every `like:` against the rulebook's base categories.
    pub fn parse(text: &str, base_categories: &BTreeSet<String>) -> Result<Self, String> {
        let file: MappingFile = serde_saphyr::from_str(text).map_err(|e| e.to_string())?;
        if file.format != 1 {
            return Err(format!(
                "unsupported mapping table format {} (this version reads `format: 1`)",
                file.format
            ));
        }
        let mut by_key = BTreeMap::new();
        let mut problems = Vec::new();
        for m in file.mappings {
            if let Some(like) = &m.like
                && !base_categories.contains(like)
            {
                problems.push(format!(
                    "mapping of \"{}\": \"{like}\" is not a rulebook base category",
                    m.fides
                ));
            }
            if by_key.contains_key(&m.fides) {
                problems.push(format!("\"{}\" is mapped twice", m.fides));
            }
            by_key.insert(m.fides.clone(), m);
        }
        if problems.is_empty() {
            Ok(CategoryTable { by_key })
        } else {
            Err(problems.join("; "))
        }
    }

    /// The entry for a fideslang key: the longest matching prefix at a dot boundary.
    pub fn lookup(&self, key: &str) -> Option<&Mapping> {
        let mut candidate = key;
        loop {
            if let Some(m) = self.by_key.get(candidate) {
                return Some(m);
            }
            let (parent, _) = candidate.rsplit_once('.')?;
            candidate = parent;
        }
    }

    pub fn len(&self) -> usize {
        self.by_key.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_key.is_empty()
    }
}
