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
    /// Other mechanism kinds defined by the rulebook beyond the format's own
    /// (`lgpd-scc`, `pipl-standard-contract`, `pia`).
    pub other_mechanisms: BTreeSet<String>,
    /// SCC set versions (`2001/497`, `2004/915`, `2010/87`, `2021/914`).
    pub scc_versions: BTreeSet<String>,
    /// SCC versions that are organised in numbered modules (`2021/914`).
    pub modular_scc_versions: BTreeSet<String>,
    /// Derogation grounds (`explicit-consent`, `contract`, ...).
    pub derogation_grounds: BTreeSet<String>,
    /// Whether a code is an ISO 3166-1 alpha-2 country code.
    pub is_country: fn(&str) -> bool,
    /// Whether a code is an ISO 3166-2 subdivision code.
    pub is_subdivision: fn(&str) -> bool,
}

impl Default for Vocabulary {
    fn default() -> Self {
        Vocabulary {
            categories: BTreeSet::new(),
            regions: BTreeSet::new(),
            frameworks: BTreeSet::new(),
            framework_mechanisms: BTreeSet::new(),
            other_mechanisms: BTreeSet::new(),
            scc_versions: BTreeSet::new(),
            modular_scc_versions: BTreeSet::new(),
            derogation_grounds: BTreeSet::new(),
            is_country: |_| false,
            is_subdivision: |_| false,
        }
    }
}
