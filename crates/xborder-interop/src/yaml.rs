//! Writing YAML by hand: the imported map carries comments (what to fill in, where a value came
//! from), which no serializer writes, and its layout must be stable byte for byte.

/// A YAML scalar for `text`: plain when that is unambiguous, else double-quoted (JSON string
/// syntax, which is valid YAML).
pub fn scalar(text: &str) -> String {
    if is_plain_safe(text) {
        text.to_string()
    } else {
        quoted(text)
    }
}

/// `text` as a double-quoted YAML scalar.
pub fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".to_string())
}

/// Whether `text` reads back as the same string when written plain.
fn is_plain_safe(text: &str) -> bool {
    let Some(first) = text.chars().next() else {
        return false;
    };
    if !(first.is_ascii_alphanumeric() || first == '_') {
        return false;
    }
    if !text
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '/' | ' ' | '(' | ')'))
    {
        return false;
    }
    if text.ends_with(' ') || text.contains("  ") {
        return false;
    }
    let lower = text.to_ascii_lowercase();
    const SPECIAL: &[&str] = &[
        "true", "false", "yes", "no", "on", "off", "null", "y", "n", ".nan", ".inf",
    ];
    if SPECIAL.contains(&lower.as_str()) {
        return false;
    }
    // Numbers, dates and anything that starts like one are quoted.
    !first.is_ascii_digit()
}

/// A flow-style list of scalars: `[a, b]`.
pub fn list(items: &[String]) -> String {
    let inner: Vec<String> = items.iter().map(|s| scalar(s)).collect();
    format!("[{}]", inner.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_quote_what_would_change_meaning() {
        assert_eq!(scalar("demo_system"), "demo_system");
        assert_eq!(scalar("Demo Analytics System"), "Demo Analytics System");
        assert_eq!(scalar("yes"), "\"yes\"");
        assert_eq!(scalar("2021-01-01"), "\"2021-01-01\"");
        assert_eq!(scalar("a: b"), "\"a: b\"");
        assert_eq!(scalar("say \"hi\""), "\"say \\\"hi\\\"\"");
        assert_eq!(scalar(""), "\"\"");
        assert_eq!(list(&["US".into(), "CA".into()]), "[US, CA]");
    }
}
