//! The parse-only baseline of the scale benchmark, shared by the criterion bench and the
//! `parse_only` example (which `cargo xtask bench` runs as its own process): the map's syntax
//! parsed by the general-purpose parser into nothing.

/// Parses `text` as JSON (serde_json) or YAML (serde-saphyr) into `IgnoredAny`.
///
/// YAML gets the same input budgets as the map loader, so that the baseline parses any file
/// the loader accepts.
pub fn parse_only(text: &str, json: bool) -> Result<(), String> {
    if json {
        serde_json::from_str::<serde::de::IgnoredAny>(text).map_err(|e| e.to_string())?;
    } else {
        let budget = xborder_model::input_budget(text.len(), xborder_model::ParseLimits::default());
        let options = serde_saphyr::options! { budget: Some(budget) };
        serde_saphyr::from_str_with_options::<serde::de::IgnoredAny>(text, options)
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}
