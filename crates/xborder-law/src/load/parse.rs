//! One rulebook file, read once: the YAML becomes a tree of spanned nodes
//! (`xborder_syntax`), each section's entries are deserialized from their own nodes, and an
//! entry that does not fit its type is reported at the exact value at fault while the rest of
//! the file is still read. Parsing is strict (`deny_unknown_fields`, YAML 1.2 booleans only):
//! a typo in a compliance file must not pass silently.

use std::collections::BTreeSet;

use serde::de::DeserializeOwned;
use xborder_syntax::{Loc, Node, NodeKind, ParseLimits, from_node, parse_yaml, suggest};

use super::RulebookError;
use crate::types::*;

/// The sections a rulebook file may have, in the order the format documents them.
const SECTIONS: [&str; 16] = [
    "rulebook",
    "regimes",
    "regions",
    "categories",
    "adequacy",
    "bridges",
    "scc-sets",
    "tools",
    "advisories",
    "codes",
    "mechanism-kinds",
    "not-transfers",
    "transfer-rules",
    "instruments",
    "vendor-review",
    "texts",
];

/// One entry of a file: what it is called and where it starts.
pub(super) struct EntryAt {
    /// `adequacy eu-gb`, `tools idta/uk-gdpr`, `regimes #2`, `rulebook`.
    pub label: String,
    pub loc: Loc,
}

/// A file as read: the entries that fit their types, the ones that do not (by section and
/// key, so that references to them are not reported again as dangling), and where every
/// entry is, for the semantic checks' messages.
pub(super) struct Parsed {
    pub file: RulebookFile,
    pub broken: BTreeSet<(&'static str, String)>,
    /// The file could not be read at all (YAML syntax): what it defines is unknown.
    pub unreadable: bool,
    pub entries: Vec<EntryAt>,
}

/// Reads one file, reporting every entry that does not fit (see the module doc).
pub(super) fn parse_file(name: &str, text: &str, errors: &mut Vec<RulebookError>) -> Parsed {
    let mut read = FileReader {
        name,
        errors,
        parsed: Parsed {
            file: RulebookFile::default(),
            broken: BTreeSet::new(),
            unreadable: false,
            entries: Vec::new(),
        },
    };
    match parse_yaml(text, ParseLimits::default()) {
        Ok(root) => read.root(&root),
        Err(syntax) => {
            read.error(Some(syntax.loc), None, &syntax.message);
            read.parsed.unreadable = true;
        }
    }
    read.parsed
}

struct FileReader<'e> {
    name: &'e str,
    errors: &'e mut Vec<RulebookError>,
    parsed: Parsed,
}

impl FileReader<'_> {
    fn error(&mut self, loc: Option<Loc>, entry: Option<&str>, message: &str) {
        self.errors.push(RulebookError {
            line: loc.map(|l| u64::from(l.line)),
            column: loc.map(|l| u64::from(l.column)),
            entry: entry.map(str::to_owned),
            ..RulebookError::file(self.name, message)
        });
    }

    /// The file's sections, each once.
    fn root(&mut self, root: &Node) {
        let entries = match &root.kind {
            NodeKind::Map(entries) => entries,
            NodeKind::Null => return,
            _ => {
                self.error(
                    Some(root.loc),
                    None,
                    "a rulebook file is a mapping of sections (`regimes:`, `adequacy:`, ...)",
                );
                self.parsed.unreadable = true;
                return;
            }
        };
        let mut seen: Vec<&str> = Vec::new();
        for (key, value) in entries.iter() {
            let NodeKind::Str(section) = &key.kind else {
                self.error(Some(key.loc), None, "a section name must be text");
                continue;
            };
            let Some(section) = SECTIONS.iter().copied().find(|s| *s == &**section) else {
                let hint = match suggest(section, SECTIONS.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("expected one of {}", SECTIONS.join(", ")),
                };
                self.error(
                    Some(key.loc),
                    None,
                    &format!("unknown section `{section}`: {hint}"),
                );
                continue;
            };
            if seen.contains(&section) {
                self.error(
                    Some(key.loc),
                    None,
                    &format!("the section `{section}` appears twice in this file: merge them"),
                );
                continue;
            }
            seen.push(section);
            self.section(section, value);
        }
    }

    fn section(&mut self, section: &'static str, value: &Node) {
        match section {
            "rulebook" => self.parsed.file.rulebook = self.entry(section, None, value),
            "regimes" => self.list(section, value, |f| &mut f.regimes),
            "regions" => self.list(section, value, |f| &mut f.regions),
            "categories" => self.list(section, value, |f| &mut f.categories),
            "adequacy" => self.list(section, value, |f| &mut f.adequacy),
            "bridges" => self.list(section, value, |f| &mut f.bridges),
            "scc-sets" => self.list(section, value, |f| &mut f.scc_sets),
            "tools" => self.list(section, value, |f| &mut f.tools),
            "advisories" => self.list(section, value, |f| &mut f.advisories),
            "codes" => self.list(section, value, |f| &mut f.codes),
            "mechanism-kinds" => self.list(section, value, |f| &mut f.mechanism_kinds),
            "not-transfers" => self.list(section, value, |f| &mut f.not_transfers),
            "transfer-rules" => self.list(section, value, |f| &mut f.transfer_rules),
            "instruments" => self.list(section, value, |f| &mut f.instruments),
            "vendor-review" => self.list(section, value, |f| &mut f.vendor_review),
            "texts" => self.list(section, value, |f| &mut f.texts),
            _ => {}
        }
    }

    /// The entries of a list section, each read on its own.
    fn list<T: DeserializeOwned>(
        &mut self,
        section: &'static str,
        value: &Node,
        into: impl Fn(&mut RulebookFile) -> &mut Vec<T>,
    ) {
        let items = match &value.kind {
            NodeKind::Seq(items) => items,
            NodeKind::Null => return,
            _ => {
                self.error(
                    Some(value.loc),
                    None,
                    "expected a list of entries here (each starting with `- `)",
                );
                return;
            }
        };
        for (index, item) in items.iter().enumerate() {
            if let Some(entry) = self.entry::<T>(section, Some(index), item) {
                into(&mut self.parsed.file).push(entry);
            }
        }
    }

    /// One entry, or its error at the value that does not fit.
    fn entry<T: DeserializeOwned>(
        &mut self,
        section: &'static str,
        index: Option<usize>,
        node: &Node,
    ) -> Option<T> {
        let key = entry_key(node);
        let label = match (&key, index) {
            (_, None) => section.to_owned(),
            (Some(k), _) => format!("{section} {k}"),
            (None, Some(i)) => format!("{section} #{}", i + 1),
        };
        self.parsed.entries.push(EntryAt {
            label: label.clone(),
            loc: first_key(node),
        });
        match from_node::<T>(node) {
            Ok(entry) => Some(entry),
            Err(e) => {
                // serde's and chrono's phrasing, in the rulebook's words.
                let message = in_words(&same_style(&e.message));
                self.error(e.loc.or(Some(node.loc)), Some(&label), &message);
                let key = key.unwrap_or_else(|| format!("#{}", index.map_or(1, |i| i + 1)));
                self.parsed.broken.insert((section, key));
                None
            }
        }
    }
}

/// Where an entry starts for a reader: its first key (a mapping's own location is the same
/// place in block style).
fn first_key(node: &Node) -> Loc {
    match &node.kind {
        NodeKind::Map(entries) => entries.first().map_or(node.loc, |(k, _)| k.loc),
        _ => node.loc,
    }
}

/// What names an entry: its `id`, `version`, `code` or `kind` (with its regime, for entries
/// keyed by both).
fn entry_key(node: &Node) -> Option<String> {
    let NodeKind::Map(entries) = &node.kind else {
        return None;
    };
    let text = |key: &str| {
        entries.iter().find_map(|(k, v)| match (&k.kind, &v.kind) {
            (NodeKind::Str(k), NodeKind::Str(v)) if &**k == key => Some(v.to_string()),
            (NodeKind::Str(k), NodeKind::Int(v)) if &**k == key => Some(v.to_string()),
            _ => None,
        })
    };
    ["id", "version", "code", "kind"]
        .iter()
        .find_map(|k| text(k))
}

/// serde's derive quotes the expected field names (`` expected one of `a`, `b` ``): the
/// rulebook's messages list them plainly.
fn same_style(message: &str) -> String {
    match message.split_once("expected one of ") {
        Some((head, names)) => format!("{head}expected one of {}", names.replace('`', "")),
        None => message.to_owned(),
    }
}

/// The parsers' terse phrases, in the words of the rulebook's format. Dates are the only
/// values chrono parses here, so its messages are about dates.
fn in_words(message: &str) -> String {
    let said = match message {
        "input is out of range" => "not a day that exists: write the date as YYYY-MM-DD",
        "input contains invalid characters" | "premature end of input" | "trailing input" => {
            "not a date: write it as YYYY-MM-DD"
        }
        other => return other.to_owned(),
    };
    said.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> (Parsed, Vec<RulebookError>) {
        let mut errors = Vec::new();
        let parsed = parse_file("extra.yaml", text, &mut errors);
        (parsed, errors)
    }

    #[test]
    fn every_broken_entry_is_reported_and_the_good_ones_kept() {
        let text = "\
bridges:
  - id: one
    regime: eu-gdpr
    destination: GB
    name: One
    from: 2021-01-01
    untill: 2021-06-30
    citation: x
  - id: two
    regime: eu-gdpr
    destination: GB
    name: Two
    from: 2021-02-30
    citation: x
  - id: three
    regime: eu-gdpr
    destination: GB
    name: Three
    from: 2021-01-01
    citation: x
";
        let (parsed, errors) = read(text);
        let at: Vec<(Option<u64>, Option<u64>, Option<&str>)> = errors
            .iter()
            .map(|e| (e.line, e.column, e.entry.as_deref()))
            .collect();
        assert_eq!(
            at,
            [
                (Some(7), Some(5), Some("bridges one")),
                (Some(13), Some(11), Some("bridges two")),
            ]
        );
        assert!(
            errors[0]
                .message
                .starts_with("unknown field `untill`, expected one of id,")
        );
        assert_eq!(
            errors[1].message,
            "not a day that exists: write the date as YYYY-MM-DD"
        );
        assert_eq!(parsed.file.bridges.len(), 1);
        assert_eq!(parsed.file.bridges[0].id, "three");
        assert!(parsed.broken.contains(&("bridges", "one".to_owned())));
        assert!(parsed.broken.contains(&("bridges", "two".to_owned())));
        assert_eq!(parsed.entries.len(), 3);
    }

    #[test]
    fn sections_are_checked_by_name_and_shape() {
        let (_, errors) = read("bridge:\n  - id: x\nadequacy: {}\nadequacy: []\n");
        let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "unknown section `bridge`: did you mean `bridges`?",
                "expected a list of entries here (each starting with `- `)",
                "the section `adequacy` appears twice in this file: merge them",
            ]
        );
        let (parsed, errors) = read("regimes: [\n");
        assert!(parsed.unreadable);
        assert_eq!(errors.len(), 1);
        assert!(errors[0].line.is_some());
    }
}
