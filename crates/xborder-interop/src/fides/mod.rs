//! Fides privacy-as-code manifests → a draft xborder data map.
//!
//! What maps onto what (documented for users in `docs/interop.md`):
//!
//! - each `system` becomes an entity (id: its `fides_key`; `kind: vendor` when it names a
//!   `vendor_id`, else `company`); its `responsibility` (or the legacy
//!   `data_responsibility_title`) gives the default `role`; the legacy
//!   `third_country_transfers` (ISO 3166-1 alpha-3) gives `processing` (alpha-2);
//! - `egress` / `ingress` of type `system` become flows (an egress of A to B and an ingress of B
//!   from A are one flow); an `ingress` of type `user` becomes a flow from the data subjects of
//!   the system's declarations; the flow's data is the flow's own `data_categories`, else the
//!   sending system's declared categories; its purpose the receiving system's `data_use`s;
//! - data categories become map categories named by their fideslang key, declared `like:` the
//!   rulebook category the mapping table (`data/interop/fideslang-categories.yaml`) gives;
//! - `legal_basis_for_transfers: [Adequacy Decision]` becomes an `adequacy` mechanism on the
//!   system's outgoing flows; other bases are left for the user (they need dates and modules
//!   the manifest does not have);
//! - `organization` gives `organisation` and, in comments, the controller, DPO and representative.
//!
//! Fides has no establishment country: every entity gets `country: ~  # FILL IN`, which the
//! validator rejects until it is filled — the import report lists each such line.
//! Everything else the manifest says is kept in `evidence` or comments, or reported as not
//! imported. Output is deterministic: entities, categories and flows sorted by id.
//!
//! The import runs in three steps, one module each: `read` turns each input's YAML into a
//! manifest of systems, datasets and organizations (or [`ImportError`]s); `build` turns the
//! manifest into draft entities, flows and categories with the report's notes; `render`
//! writes the draft as the map's YAML text. `categories` holds the mapping table.

mod build;
mod categories;
mod read;
mod render;

pub use categories::{CategoryTable, DEFAULT_MAPPING, Mapping};

/// One input file.
#[derive(Debug, Clone)]
pub struct Input {
    /// The path as the user gave it: used in every message and in `evidence`.
    pub path: String,
    pub text: String,
}

/// A problem that makes an input unusable (exit 2): where it is and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    pub path: String,
    pub line: u32,
    pub column: u32,
    pub message: String,
    pub hint: Option<String>,
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "error: {}:{}:{}: {}",
            self.path, self.line, self.column, self.message
        )?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

/// What kind of thing the import report says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum NoteKind {
    /// The map does not validate until this is filled in.
    FillIn,
    /// The map validates, but verdicts depend on it (mechanisms, roles, subjects).
    Decide,
    /// Kept only as evidence or a comment, or not imported.
    Kept,
}

/// One line of the import report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub kind: NoteKind,
    /// Line in the produced YAML, where there is one.
    pub line: Option<usize>,
    /// What it is about, e.g. `entities.demo_analytics_system.country`.
    pub subject: String,
    pub message: String,
}

/// Counts for the report's first line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    pub files: usize,
    pub systems: usize,
    pub datasets: usize,
    pub organizations: usize,
    pub entities: usize,
    pub flows: usize,
    pub categories: usize,
}

/// The result of an import: the map text and the report.
#[derive(Debug, Clone)]
pub struct Imported {
    pub yaml: String,
    pub notes: Vec<Note>,
    pub stats: Stats,
}

/// Options of an import.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// `organisation:` of the map; default: the manifests' first organization's name.
    pub organisation: Option<String>,
}

/// Imports Fides manifests into a draft data map. Every problem of every file is returned at
/// once; nothing is produced then.
pub fn import(
    inputs: &[Input],
    table: &CategoryTable,
    options: &Options,
) -> Result<Imported, Vec<ImportError>> {
    let manifest = read::manifest(inputs)?;
    let draft = build::Builder::new(&manifest, table).build();
    Ok(render::render(draft, options))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    fn base() -> BTreeSet<String> {
        [
            "ordinary",
            "name",
            "email",
            "ip-address",
            "device-id",
            "contact",
            "account",
            "payment-card",
            "financial",
            "location",
            "online-identifiers",
            "hr",
            "health",
            "biometric",
            "racial-ethnic-origin",
            "religious-belief",
            "political-opinion",
            "trade-union",
            "sex-life",
            "genetic",
            "criminal",
            "children",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    }

    #[test]
    fn table_parses_and_matches_longest_prefix() {
        let table = CategoryTable::parse(DEFAULT_MAPPING, &base()).expect("table");
        let like = |k: &str| table.lookup(k).and_then(|m| m.like.clone());
        assert_eq!(like("user.biometric").as_deref(), Some("biometric"));
        assert_eq!(
            like("user.biometric.fingerprint").as_deref(),
            Some("biometric")
        );
        assert_eq!(like("user.contact.email").as_deref(), Some("email"));
        assert_eq!(
            like("user.contact.address.city").as_deref(),
            Some("contact")
        );
        assert_eq!(
            like("user.device.cookie_id").as_deref(),
            Some("online-identifiers")
        );
        assert_eq!(like("user.health.genetic").as_deref(), Some("genetic"));
        assert_eq!(like("user.something_new").as_deref(), Some("ordinary"));
        assert!(
            table
                .lookup("system.operations")
                .is_some_and(|m| m.like.is_none())
        );
        assert!(table.lookup("custom.thing").is_none());
    }

    #[test]
    fn table_rejects_unknown_base_categories() {
        let text = "format: 1\nmappings:\n  - { fides: user.x, like: nope }\n";
        let err = CategoryTable::parse(text, &base()).expect_err("unknown base");
        assert!(err.contains("nope"), "{err}");
    }

    #[test]
    fn errors_name_file_line_and_column() {
        let table = CategoryTable::parse(DEFAULT_MAPPING, &base()).expect("table");
        let input = Input {
            path: "m.yml".into(),
            text: "system:\n  - name: No key\n  - fides_key: b\n    egress: 5\n".into(),
        };
        let errors = import(&[input], &table, &Options::default()).expect_err("errors");
        let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(text.len(), 2, "{text:?}");
        assert!(
            text[0].starts_with("error: m.yml:2:5: this entry has no `fides_key`"),
            "{text:?}"
        );
        assert!(
            text[1].starts_with("error: m.yml:4:13: `egress` must be a list"),
            "{text:?}"
        );
    }
}
