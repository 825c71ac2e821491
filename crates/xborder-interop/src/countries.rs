//! ISO 3166-1 alpha-3 codes, for files that use them (Fides `third_country_transfers`).

use std::collections::BTreeMap;
use std::sync::OnceLock;

static ALPHA3: &str = include_str!("../../../data/countries/iso3166-1-alpha3.tsv");

fn table() -> &'static BTreeMap<&'static str, &'static str> {
    static TABLE: OnceLock<BTreeMap<&'static str, &'static str>> = OnceLock::new();
    TABLE.get_or_init(|| {
        ALPHA3
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .filter_map(|l| l.split_once('\t'))
            .map(|(a3, a2)| (a3.trim(), a2.trim()))
            .collect()
    })
}

/// The alpha-2 code of an ISO 3166-1 alpha-3 code (`USA` → `US`); case-insensitive.
pub fn alpha3_to_alpha2(code: &str) -> Option<&'static str> {
    table()
        .get(code.trim().to_ascii_uppercase().as_str())
        .copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alpha3_table_matches_the_rulebook_countries() {
        assert_eq!(alpha3_to_alpha2("USA"), Some("US"));
        assert_eq!(alpha3_to_alpha2("can"), Some("CA"));
        assert_eq!(alpha3_to_alpha2("GBR"), Some("GB"));
        assert_eq!(alpha3_to_alpha2("XXX"), None);
        // The alpha-3 table and the rulebook's alpha-2 table come from the same ISO data.
        let mut codes: Vec<&str> = table().values().copied().collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), 249);
        assert_eq!(codes, xborder_law::country_codes());
    }
}
