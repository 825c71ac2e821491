//! xborder-law: the rulebook — every legal fact the engine uses, as cited, dated data.
//!
//! The law lives in `data/rulebook/*.yaml` (embedded at build time, see `build.rs`); this crate
//! parses, merges and validates those files into a [`Rulebook`] and answers the questions the
//! engine and `xborder rules` ask of it ("is DE inside eu-gdpr on 2021-01-01?", "which adequacy
//! decisions name the US under eu-gdpr on that day?", "what was in force on 2024-01-01?").
//!
//! Architecture invariant: this crate never touches the filesystem, the clock or the environment.
//! The CLI reads `--rules DIR` and passes the texts to [`Rulebook::embedded_with_overrides`];
//! every date is an argument.

#![deny(unsafe_code)]

mod citation;
mod codes;
pub mod countries;
mod load;
mod query;
mod roles;
mod scope;
mod transfer_rules;
pub mod types;

pub use codes::Code;
pub use countries::{
    country_codes, country_name, is_country, is_subdivision, parent_country, place_name,
    place_within, subdivision_name,
};
pub use load::RulebookError;
pub use query::{
    AdequacyInForce, AdvisoryInForce, BridgeInForce, DatedEntry, InForce, RegimeInForce,
    SccInForce, SccStanding, SccStatus, ToolInForce,
};
pub use roles::RolePairError;
pub use scope::{Coverage, Fact, HopFacts, ScopeAnswer, Tally, Truth, Whose};
pub use transfer_rules::TransferRuleInForce;
pub use types::*;

/// The statements of law the documents the tool writes take from the rulebook's `texts`.
pub const TEXT_IDS: &[&str] = &[
    "audit.verdict.conditional",
    "audit.methodology.regimes",
    "audit.methodology.hops",
    "audit.methodology.verdicts",
    "audit.methodology.dates",
    "audit.methodology.limits",
    "memo.keywords",
    "memo.special-condition",
    "ropa.intro",
    "ropa.column.special-categories",
    "ropa.column.third-countries",
    "ropa.column.retention",
    "ropa.column.security",
    "ropa.heading.transfers",
    "ccpa.intro",
];

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_rulebook.rs"));
}

/// The merged, validated rulebook.
///
/// Entries keep the order of their files (sorted by file name) and, within a file, the order
/// written. Queries that list entries document their own order.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Rulebook {
    pub manifest: Manifest,
    pub regimes: Vec<Regime>,
    pub regions: Vec<Region>,
    pub categories: Vec<BaseCategory>,
    pub adequacy: Vec<AdequacyDecision>,
    pub bridges: Vec<Bridge>,
    pub scc_sets: Vec<SccSet>,
    pub tools: Vec<TransferTool>,
    pub advisories: Vec<Advisory>,
    pub codes: Vec<CodeDoc>,
    pub mechanism_kinds: Vec<MechanismKindDef>,
    pub not_transfers: Vec<NotATransfer>,
    pub transfer_rules: Vec<TransferRule>,
    pub instruments: Vec<Instrument>,
    pub vendor_review: Vec<VendorLaw>,
    pub texts: Vec<DocumentText>,
    /// For each [`Code`] (by [`Code::index`]), its entry in `codes`: the loader checks that
    /// every code is documented exactly once, so the index is complete.
    #[serde(skip)]
    code_docs: Vec<usize>,
    /// Lowercase hex SHA-256 identifying the rulebook's sources, for reports and signatures.
    ///
    /// Defined over the source files sorted by name (byte order): for each file, in that order,
    /// the hash takes the name's length in bytes as a big-endian `u64`, the name's UTF-8 bytes,
    /// the content's length in bytes as a big-endian `u64`, then the content's bytes. The
    /// length prefixes make the encoding unambiguous; the sort makes it independent of the order
    /// in which a directory was read. With `--rules DIR` it covers the effective set of files
    /// (embedded files not overridden, plus the user's).
    pub sha256: String,
    /// The sources the rulebook was built from, sorted by name.
    #[serde(skip)]
    sources: Vec<(String, String)>,
}

impl Rulebook {
    /// The rulebook embedded in the binary.
    pub fn embedded() -> Result<Rulebook, Vec<RulebookError>> {
        Rulebook::from_sources(Rulebook::embedded_sources())
    }

    /// The embedded rulebook, parsed once per process and shared (for callers that ask often).
    pub fn embedded_shared() -> Result<&'static Rulebook, &'static [RulebookError]> {
        static EMBEDDED: std::sync::OnceLock<Result<Rulebook, Vec<RulebookError>>> =
            std::sync::OnceLock::new();
        match EMBEDDED.get_or_init(Rulebook::embedded) {
            Ok(rulebook) => Ok(rulebook),
            Err(errors) => Err(errors),
        }
    }

    /// The embedded rulebook files as `(file name, contents)`, sorted by name.
    pub fn embedded_sources() -> Vec<(String, String)> {
        embedded::EMBEDDED
            .iter()
            .map(|(name, text)| ((*name).to_owned(), (*text).to_owned()))
            .collect()
    }

    /// Parses, merges and validates rulebook files given as `(file name, contents)`. Every
    /// problem of every file is reported at once; the rulebook is returned only if there is none.
    pub fn from_sources(files: Vec<(String, String)>) -> Result<Rulebook, Vec<RulebookError>> {
        load::load(files)
    }

    /// `--rules DIR`: the files of `base` with the user's `files` laid over them. A user file with
    /// the same name as a base file replaces it; other names add to the rulebook.
    pub fn with_overrides(
        base: &Rulebook,
        files: Vec<(String, String)>,
    ) -> Result<Rulebook, Vec<RulebookError>> {
        Rulebook::sources_with_overrides(base.sources.clone(), files)
    }

    /// `--rules DIR` over the embedded rulebook: [`Rulebook::with_overrides`] of its files,
    /// read once. The embedded rulebook is not loaded first: its files are all the base
    /// needs, and loading it as well cost every command given `--rules` a second load of the
    /// whole rulebook (a third of a 10,000-flow check's instructions went to the two).
    pub fn embedded_with_overrides(
        files: Vec<(String, String)>,
    ) -> Result<Rulebook, Vec<RulebookError>> {
        Rulebook::sources_with_overrides(Rulebook::embedded_sources(), files)
    }

    /// The files `base` with the user's `files` laid over them, loaded.
    fn sources_with_overrides(
        base: Vec<(String, String)>,
        files: Vec<(String, String)>,
    ) -> Result<Rulebook, Vec<RulebookError>> {
        let mut merged: std::collections::BTreeMap<String, String> = base.into_iter().collect();
        let mut errors = Vec::new();
        let mut seen = std::collections::BTreeSet::new();
        for (name, text) in files {
            if !seen.insert(name.clone()) {
                errors.push(RulebookError::file(
                    &name,
                    "the same file name is given twice",
                ));
                continue;
            }
            merged.insert(name, text);
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Rulebook::from_sources(merged.into_iter().collect())
    }

    /// The rulebook's wording of a statement of law a document uses (`texts` section); the
    /// loader checks that every id in [`TEXT_IDS`] is there.
    pub fn text(&self, id: &str) -> &str {
        self.texts
            .iter()
            .find(|t| t.id == id)
            .map_or("", |t| t.text.trim())
    }

    /// The documentation of a finding code: title, severity, meaning, why, citation and fix.
    pub fn doc(&self, code: Code) -> &CodeDoc {
        &self.codes[self.code_docs[code.index()]]
    }

    /// The regimes' own remedies (`fixes`), as (regime, code, text): what a finding of that
    /// code under that regime says to do instead of the code's `fix`.
    pub fn regime_fixes(&self) -> Vec<(&str, Code, &str)> {
        self.regimes
            .iter()
            .flat_map(|r| {
                r.fixes.iter().filter_map(move |(code, fix)| {
                    Code::parse(code).map(|c| (r.id.as_str(), c, fix.trim()))
                })
            })
            .collect()
    }

    /// The severity of a finding with `code`: the rulebook's, so that `--rules` can raise or
    /// lower it in every output.
    pub fn severity(&self, code: Code) -> Severity {
        self.doc(code).severity
    }

    /// The severity of a finding with `code` about a mechanism whose hop stands on another
    /// claimed mechanism (a hop is lawful if any claimed mechanism is valid).
    pub fn severity_if_hop_stands(&self, code: Code) -> Severity {
        let doc = self.doc(code);
        doc.severity_if_hop_stands.unwrap_or(doc.severity)
    }

    /// The sources this rulebook was built from, `(file name, contents)` sorted by name.
    pub fn sources(&self) -> &[(String, String)] {
        &self.sources
    }
}

impl Severity {
    /// The spelling used in output (`info`, `warning`, `error`).
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
