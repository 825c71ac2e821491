//! ISO 3166 country and subdivision codes, embedded from `data/countries/*.tsv`.
//!
//! Maps and the rulebook name places by ISO 3166-1 alpha-2 code (`DE`) or, where a regime covers
//! only part of a country, by ISO 3166-2 subdivision code (`US-CA`, `CA-QC`). The tables are the
//! pycountry ISO data: one `CODE<TAB>Name` line per code after `#` comment lines.

use std::collections::BTreeMap;
use std::sync::OnceLock;

static ISO3166_1: &str = include_str!("../../../data/countries/iso3166-1.tsv");
static ISO3166_2: &str = include_str!("../../../data/countries/iso3166-2.tsv");

fn parse(text: &'static str) -> BTreeMap<&'static str, &'static str> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| l.split_once('\t'))
        .map(|(code, name)| (code.trim(), name.trim()))
        .collect()
}

fn countries() -> &'static BTreeMap<&'static str, &'static str> {
    static TABLE: OnceLock<BTreeMap<&'static str, &'static str>> = OnceLock::new();
    TABLE.get_or_init(|| parse(ISO3166_1))
}

fn subdivisions() -> &'static BTreeMap<&'static str, &'static str> {
    static TABLE: OnceLock<BTreeMap<&'static str, &'static str>> = OnceLock::new();
    TABLE.get_or_init(|| parse(ISO3166_2))
}

/// Whether `code` is an ISO 3166-1 alpha-2 country code (exact, upper case).
pub fn is_country(code: &str) -> bool {
    countries().contains_key(code)
}

/// Every ISO 3166-1 alpha-2 code, sorted.
pub fn country_codes() -> Vec<&'static str> {
    countries().keys().copied().collect()
}

/// The short English name of an ISO 3166-1 alpha-2 code.
pub fn country_name(code: &str) -> Option<&'static str> {
    countries().get(code).copied()
}

/// Whether `code` is an ISO 3166-2 subdivision code such as `US-CA`.
pub fn is_subdivision(code: &str) -> bool {
    subdivisions().contains_key(code)
}

/// The name of an ISO 3166-2 subdivision.
pub fn subdivision_name(code: &str) -> Option<&'static str> {
    subdivisions().get(code).copied()
}

/// The name of a country or subdivision code.
pub fn place_name(code: &str) -> Option<&'static str> {
    country_name(code).or_else(|| subdivision_name(code))
}

/// The country a subdivision belongs to (`US-CA` → `US`); `None` for anything else.
pub fn parent_country(code: &str) -> Option<&str> {
    // Every ISO 3166-2 code has a hyphen: a country code needs no table lookup.
    let (country, _) = code.split_once('-')?;
    is_subdivision(code).then_some(country)
}

/// Whether `place` is `listed` or lies inside it: a subdivision is inside its country
/// (`US-CA` is inside `US`), a country is not inside one of its subdivisions.
pub fn place_within(place: &str, listed: &str) -> bool {
    place == listed || parent_country(place) == Some(listed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_load() {
        assert!(countries().len() >= 249);
        assert!(is_country("DE") && is_country("GB") && is_country("NO"));
        assert!(!is_country("EU") && !is_country("EEA") && !is_country("de"));
        assert_eq!(country_name("FO"), Some("Faroe Islands"));
        assert!(is_subdivision("US-CA") && is_subdivision("CA-QC"));
        assert!(!is_subdivision("US"));
        assert_eq!(parent_country("CA-QC"), Some("CA"));
        assert_eq!(parent_country("CA"), None);
        assert!(place_within("US-CA", "US"));
        assert!(!place_within("US", "US-CA"));
    }
}
