//! Findings of one code and one reasoning on many hops, as one entry of the findings
//! section: the reasoning, remedy and citation are printed once, with the list of the hops
//! they are on.
//!
//! A finding's message names its hop's own parts — the importer and exporter (by id, mostly
//! between double quotes), the regime, the destination — so the same reasoning on two hops reads
//! differently. Those parts are replaced by their role in brackets (`[importer]`,
//! `[exporter]`, `[regime]`, `[destination]`) to tell whether two findings say the same; the
//! entry prints the message itself when all its findings say it word for word, and the
//! bracketed pattern otherwise, next to the hops that fill it in.

use std::collections::HashMap;

use xborder_engine::Finding;
use xborder_model::Map;

/// One entry: findings of one code, severity, acceptance, reasoning, citation and remedy.
pub(super) struct Entry<'a> {
    /// The findings, in the order of the result.
    pub findings: Vec<&'a Finding>,
    /// What they say: the message, or its pattern when the findings' messages differ.
    pub says: String,
}

impl<'a> Entry<'a> {
    /// The first finding, which every other one matches but for its hop.
    pub fn first(&self) -> &'a Finding {
        self.findings[0]
    }
}

/// Whether `c` continues a word or an id, so that a token next to it is part of something
/// longer (`US` in `EU-US`).
fn joins(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '-' | '_' | '/' | '.')
}

/// `text` with every whole occurrence of `token` (not part of a longer word or id) replaced.
fn replace_token(text: &str, token: &str, with: &str) -> String {
    if token.is_empty() {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(token) {
        let before = rest[..at].chars().next_back();
        let after = rest[at + token.len()..].chars().next();
        // A token followed by a full stop ends a sentence; one followed by `.x` is longer.
        let after_joins = match after {
            Some('.') => rest[at + token.len() + 1..]
                .chars()
                .next()
                .is_some_and(char::is_alphanumeric),
            Some(c) => joins(c),
            None => false,
        };
        out.push_str(&rest[..at]);
        if before.is_some_and(joins) || after_joins {
            out.push_str(token);
        } else {
            out.push_str(with);
        }
        rest = &rest[at + token.len()..];
    }
    out.push_str(rest);
    out
}

/// What a finding says with its hop's own parts replaced by their roles.
fn pattern(f: &Finding, map: &Map) -> String {
    let mut text = f.message.to_string();
    if let Some(flow) = map.flows.get(f.flow) {
        for (entity, role) in [(flow.to, "[importer]"), (flow.from, "[exporter]")] {
            if let Some(e) = map.entities.get(entity) {
                text = text.replace(&format!("\"{}\"", e.id), role);
                text = replace_token(&text, &e.id, role);
            }
        }
    }
    text = replace_token(&text, &f.regime, "[regime]");
    replace_token(&text, &f.destination, "[destination]")
}

/// The findings grouped into entries, in the order of each entry's first finding.
pub(super) fn group<'a>(findings: &[&'a Finding], map: &Map) -> Vec<Entry<'a>> {
    let mut entries: Vec<Entry<'a>> = Vec::new();
    // What makes findings one entry: all but the hop.
    type Key<'k> = (
        &'k str,
        &'k str,
        Option<(&'k str, u32)>,
        String,
        &'k str,
        &'k str,
    );
    let mut index: HashMap<Key<'a>, usize> = HashMap::new();
    for &f in findings {
        let key: Key<'a> = (
            f.code.as_str(),
            f.severity.as_str(),
            f.accepted.as_deref().map(|a| (a.file.as_str(), a.line)),
            pattern(f, map),
            &*f.citation,
            &*f.remediation,
        );
        match index.get(&key) {
            Some(&at) => {
                let entry = &mut entries[at];
                // The message itself while every finding says it word for word.
                if entry.says != *f.message {
                    entry.says = key.3.clone();
                }
                entry.findings.push(f);
            }
            None => {
                index.insert(key, entries.len());
                entries.push(Entry {
                    findings: vec![f],
                    says: f.message.to_string(),
                });
            }
        }
    }
    entries
}

#[cfg(test)]
mod tests {
    use super::replace_token;

    #[test]
    fn only_whole_tokens_are_replaced() {
        assert_eq!(
            replace_token(
                "relies on EU-US Privacy Shield; US is not adequate. In US.",
                "US",
                "[destination]"
            ),
            "relies on EU-US Privacy Shield; [destination] is not adequate. In [destination]."
        );
        assert_eq!(
            replace_token("uk-gdpr data, not uk-gdpr-2", "uk-gdpr", "[regime]"),
            "[regime] data, not uk-gdpr-2"
        );
        assert_eq!(replace_token("US.gov", "US", "[d]"), "US.gov");
    }
}
