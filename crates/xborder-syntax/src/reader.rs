//! The reader of spanned nodes that every input file of xborder goes through: the data map,
//! the vendor intake, the risk acceptances, the Fides import and the rulebook.
//!
//! Each primitive checks one value's shape and, when it is wrong, records a [`Diagnostic`]
//! with the node's location, what is wrong and how to fix it, then returns `None` (or an
//! empty list) so that the walk goes on: a file's problems are all reported in one run. A
//! reader only says where its diagnostics go ([`Reader::push`]); everything else is shared.

use std::collections::BTreeSet;

use chrono::NaiveDate;

use crate::diag::{Diagnostic, Loc};
use crate::node::{Node, NodeKind};
use crate::text::Text;

/// The entries of one mapping after unknown and duplicate keys were reported.
pub struct Fields<'n> {
    pub loc: Loc,
    /// In the mapping's order. A mapping of the formats has a dozen keys at most, so a list
    /// is searched faster than a tree is built (a large map has a million mappings).
    entries: Vec<(&'n str, &'n Node)>,
}

impl<'n> Fields<'n> {
    fn new(loc: Loc, capacity: usize) -> Self {
        Fields {
            loc,
            entries: Vec::with_capacity(capacity),
        }
    }

    /// The value under `key`, if the mapping has it.
    pub fn get(&self, key: &str) -> Option<&'n Node> {
        self.entries
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, node)| *node)
    }
}

/// The keys of a mapping seen so far, to report a repeated key at its second occurrence.
struct SeenKeys<'n>(Vec<(&'n str, Loc)>);

impl<'n> SeenKeys<'n> {
    fn with_capacity(keys: usize) -> Self {
        SeenKeys(Vec::with_capacity(keys))
    }

    /// Records `key`; returns where it was first seen if it was seen before.
    fn insert(&mut self, key: &'n str, loc: Loc) -> Option<Loc> {
        match self.0.iter().find(|(k, _)| *k == key) {
            Some((_, first)) => Some(*first),
            None => {
                self.0.push((key, loc));
                None
            }
        }
    }
}

/// A walk over spanned nodes that collects diagnostics. Implementors say where a diagnostic
/// goes; the primitives below are the same for every file format.
pub trait Reader: Sized {
    /// Records one problem of the file.
    fn push(&mut self, diagnostic: Diagnostic);

    fn fields<'n>(&mut self, node: &'n Node, allowed: &[&str], what: &str) -> Option<Fields<'n>> {
        let entries = self.mapping(node, what)?;
        Some(
            self.collect_fields(node.loc, entries, allowed, |cx, key, loc| {
                cx.unknown_key(key, loc, allowed, what)
            }),
        )
    }

    /// The `allowed` entries of a mapping; a repeated key is reported, and any other key
    /// is handed to `unknown`.
    fn collect_fields<'n>(
        &mut self,
        loc: Loc,
        entries: &'n [(Node, Node)],
        allowed: &[&str],
        mut unknown: impl FnMut(&mut Self, &str, Loc),
    ) -> Fields<'n> {
        let mut fields = Fields::new(loc, entries.len());
        let mut seen = SeenKeys::with_capacity(entries.len());
        for (k, v) in entries {
            let Some(key) = self.key(k) else { continue };
            if let Some(first) = seen.insert(key, k.loc) {
                self.duplicate_key(key, k.loc, first);
                continue;
            }
            if allowed.contains(&key) {
                fields.entries.push((key, v));
            } else {
                unknown(self, key, k.loc);
            }
        }
        fields
    }

    fn mapping<'n>(&mut self, node: &'n Node, what: &str) -> Option<&'n [(Node, Node)]> {
        match &node.kind {
            NodeKind::Map(entries) => Some(entries),
            NodeKind::Null => Some(&[]),
            other => {
                self.push(
                    Diagnostic::error(
                        "wrong-type",
                        node.loc,
                        format!("{what} must be a mapping, found {}", other.describe()),
                    )
                    .with_hint("write `key: value` pairs, one per line"),
                );
                None
            }
        }
    }

    fn sequence<'n>(&mut self, node: &'n Node, what: &str) -> Option<&'n [Node]> {
        match &node.kind {
            NodeKind::Seq(items) => Some(items),
            NodeKind::Null => Some(&[]),
            other => {
                self.push(
                    Diagnostic::error(
                        "wrong-type",
                        node.loc,
                        format!("`{what}` must be a list, found {}", other.describe()),
                    )
                    .with_hint("write a YAML list: one `- item` per line, or [a, b]"),
                );
                None
            }
        }
    }

    fn key<'n>(&mut self, node: &'n Node) -> Option<&'n str> {
        match &node.kind {
            NodeKind::Str(s) => Some(s),
            other => {
                self.push(
                    Diagnostic::error(
                        "wrong-type",
                        node.loc,
                        format!("keys must be strings, found {}", other.describe()),
                    )
                    .with_hint("quote the key"),
                );
                None
            }
        }
    }

    fn required<'n>(
        &mut self,
        f: &Fields<'n>,
        key: &str,
        what: &str,
        hint: &str,
    ) -> Option<&'n Node> {
        let node = f.get(key);
        if node.is_none() {
            self.missing(f.loc, key, what, hint);
        }
        node
    }

    fn required_string(
        &mut self,
        f: &Fields<'_>,
        key: &str,
        what: &str,
        hint: &str,
    ) -> Option<String> {
        self.required(f, key, what, hint)
            .and_then(|n| self.required_value(n, key, hint))
    }

    /// The text of a key that must be there: an empty value cannot be fixed by removing the
    /// key, so the hint says what to write instead.
    fn required_value(&mut self, node: &Node, key: &str, hint: &str) -> Option<String> {
        if matches!(&node.kind, NodeKind::Str(s) if s.trim().is_empty())
            || matches!(node.kind, NodeKind::Null)
        {
            self.push(
                Diagnostic::error("empty-value", node.loc, format!("`{key}` is empty"))
                    .with_hint(format!("`{key}` is required: {hint}")),
            );
            return None;
        }
        self.string(node, key)
    }

    fn missing(&mut self, loc: Loc, key: &str, what: &str, hint: &str) {
        self.push(
            Diagnostic::error("missing-key", loc, format!("{what} has no `{key}`"))
                .with_hint(format!("add `{key}:` ({hint})")),
        );
    }

    fn string(&mut self, node: &Node, key: &str) -> Option<String> {
        self.text(node, key).map(String::from)
    }

    /// A text value, shared with the tree (no copy; see [`Text`]).
    fn text(&mut self, node: &Node, key: &str) -> Option<Text> {
        match &node.kind {
            NodeKind::Str(s) if !s.trim().is_empty() => Some(s.clone()),
            NodeKind::Str(_) | NodeKind::Null => {
                self.push(
                    Diagnostic::error("empty-value", node.loc, format!("`{key}` is empty"))
                        .with_hint(format!(
                            "give `{key}` a value, or remove the key where it is optional"
                        )),
                );
                None
            }
            NodeKind::Int(i) => Some(Text::from(i.to_string())),
            other => {
                // Maps are YAML 1.2 (`NO` is Norway), but a bare true/false is a boolean.
                let hint = if matches!(other, NodeKind::Bool(_)) {
                    "a bare true or false is a boolean; quote the value if it is text, e.g. \"true\""
                } else {
                    "write a single value; quote it if it contains ':'"
                };
                self.push(
                    Diagnostic::error(
                        "wrong-type",
                        node.loc,
                        format!("`{key}` must be text, found {}", other.describe()),
                    )
                    .with_hint(hint),
                );
                None
            }
        }
    }

    fn string_list(&mut self, node: &Node, key: &str) -> Vec<(String, Loc)> {
        self.text_list(node, key)
            .into_iter()
            .map(|(s, loc)| (String::from(s), loc))
            .collect()
    }

    /// A list of text values, shared with the tree.
    fn text_list(&mut self, node: &Node, key: &str) -> Vec<(Text, Loc)> {
        match &node.kind {
            NodeKind::Seq(items) => items
                .iter()
                .filter_map(|item| self.text(item, key).map(|s| (s, item.loc)))
                .collect(),
            NodeKind::Null => Vec::new(),
            other => {
                self.push(
                    Diagnostic::error(
                        "wrong-type",
                        node.loc,
                        format!("`{key}` must be a list, found {}", other.describe()),
                    )
                    .with_hint(format!("write `{key}: [a, b]`")),
                );
                Vec::new()
            }
        }
    }

    fn boolean(&mut self, node: &Node, key: &str) -> Option<bool> {
        match &node.kind {
            NodeKind::Bool(b) => Some(*b),
            other => {
                // Maps are read as YAML 1.2: `yes`, `no`, `on`, `off`, `y`, `n` are text there.
                let hint = match other {
                    NodeKind::Str(s) if is_yaml11_boolean(s) => format!(
                        "YAML 1.2 reads \"{s}\" as text, not as a boolean: write true or false"
                    ),
                    _ => "write true or false".to_string(),
                };
                self.push(
                    Diagnostic::error(
                        "wrong-type",
                        node.loc,
                        format!("`{key}` must be true or false, found {}", other.describe()),
                    )
                    .with_hint(hint),
                );
                None
            }
        }
    }

    /// The date under `end_key` of an interval that starts on `start` (read from its own
    /// key): an end before the start is a slip of the pen, reported here for every interval
    /// of the formats.
    fn end_date(
        &mut self,
        fields: &Fields<'_>,
        (start_key, start): (&str, Option<NaiveDate>),
        end_key: &str,
        hint: &str,
    ) -> Option<NaiveDate> {
        let node = fields.get(end_key)?;
        let end = self.date(node, end_key)?;
        if let Some(start) = start
            && end < start
        {
            self.push(
                Diagnostic::error(
                    "bad-interval",
                    node.loc,
                    format!("`{end_key}` {end} is before `{start_key}` {start}"),
                )
                .with_hint(hint),
            );
        }
        Some(end)
    }

    /// A whole number of zero or more (`hint`: what the key states, for the error).
    fn count(&mut self, node: &Node, key: &str, hint: &str) -> Option<u64> {
        match node.kind {
            NodeKind::Int(i) if i >= 0 => u64::try_from(i).ok(),
            ref other => {
                self.push(
                    Diagnostic::error(
                        "wrong-type",
                        node.loc,
                        format!(
                            "`{key}` must be a whole number of zero or more, found {}",
                            other.describe()
                        ),
                    )
                    .with_hint(format!("{key}: {hint}")),
                );
                None
            }
        }
    }

    fn date(&mut self, node: &Node, key: &str) -> Option<NaiveDate> {
        let text = match &node.kind {
            NodeKind::Str(s) => &**s,
            other => {
                self.push(
                    Diagnostic::error(
                        "bad-date",
                        node.loc,
                        format!("`{key}` must be a date, found {}", other.describe()),
                    )
                    .with_hint("write dates as YYYY-MM-DD"),
                );
                return None;
            }
        };
        let parsed = if text.len() == 10 {
            iso_date(text)
        } else {
            None
        };
        if parsed.is_none() {
            self.push(
                Diagnostic::error(
                    "bad-date",
                    node.loc,
                    format!("`{key}`: \"{text}\" is not a valid date"),
                )
                .with_hint("write dates as YYYY-MM-DD, e.g. 2021-09-27, and check the day exists"),
            );
        }
        parsed
    }

    fn choice<T: Copy>(&mut self, node: &Node, key: &str, options: &[(&str, T)]) -> Option<T> {
        let value = self.string(node, key)?;
        if let Some((_, t)) = options.iter().find(|(name, _)| *name == value) {
            return Some(*t);
        }
        let names: Vec<&str> = options.iter().map(|(n, _)| *n).collect();
        let mut d = Diagnostic::error("bad-value", node.loc, format!("invalid {key} \"{value}\""));
        d = match suggest(&value, names.iter().copied()) {
            Some(s) => d.with_hint(format!(
                "did you mean \"{s}\"? ({key} is one of {})",
                names.join(", ")
            )),
            None => d.with_hint(format!("{key} is one of {}", names.join(", "))),
        };
        self.push(d);
        None
    }

    fn unknown_word(
        &mut self,
        loc: Loc,
        code: &'static str,
        what: &str,
        value: &str,
        known: &BTreeSet<String>,
    ) {
        let mut d = Diagnostic::error(code, loc, format!("unknown {what} \"{value}\""));
        d = match suggest(value, known.iter().map(String::as_str)) {
            Some(s) => d.with_hint(format!("did you mean \"{s}\"?")),
            None => d.with_hint(format!(
                "known: {}",
                known
                    .iter()
                    .map(String::as_str)
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        };
        self.push(d);
    }

    fn unknown_key(&mut self, key: &str, loc: Loc, allowed: &[&str], what: &str) {
        let mut d = Diagnostic::error("unknown-key", loc, format!("unknown key `{key}` in {what}"));
        d = match suggest(key, allowed.iter().copied()) {
            Some(s) => d.with_hint(format!("did you mean `{s}`?")),
            None => d.with_hint(format!("allowed keys: {}", allowed.join(", "))),
        };
        self.push(d);
    }

    fn duplicate_key(&mut self, key: &str, loc: Loc, first: Loc) {
        self.push(
            Diagnostic::error("duplicate-key", loc, format!("duplicate key `{key}`")).with_hint(
                format!("`{key}` is already set at line {}; keep one", first.line),
            ),
        );
    }
}

/// A spelling YAML 1.1 took for a boolean and YAML 1.2 reads as text.
fn is_yaml11_boolean(s: &str) -> bool {
    matches!(
        s.to_ascii_lowercase().as_str(),
        "y" | "n" | "yes" | "no" | "on" | "off"
    )
}

/// The closest known word, if it is close enough to be a likely typo.
pub fn suggest<'a>(word: &str, known: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    known
        .map(|k| (strsim::jaro_winkler(word, k), k))
        .filter(|(score, _)| *score >= 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}

/// A ten-character `YYYY-MM-DD` date. Ten digits and dashes in exactly that shape are read
/// directly (most flows of a large map carry a date or two, and the general format parser was
/// a hundredth of loading one); any other ten characters go to chrono's parser, which decides
/// them as it always has.
fn iso_date(text: &str) -> Option<NaiveDate> {
    let bytes = text.as_bytes();
    let number = |digits: &[u8]| {
        digits.iter().try_fold(0u32, |n, &b| {
            b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0'))
        })
    };
    if let [y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1] = *bytes
        && let (Some(year), Some(month), Some(day)) = (
            number(&[y0, y1, y2, y3]),
            number(&[m0, m1]),
            number(&[d0, d1]),
        )
        && let Ok(year) = i32::try_from(year)
    {
        return NaiveDate::from_ymd_opt(year, month, day);
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every date read directly is the date chrono's parser reads, and every text it refuses
    /// chrono refuses too: months 0–13 and days 0–32 of twelve years from 0 to 9999 (leap
    /// and common, century years among them), and look-alikes with signs, spaces and short
    /// fields.
    #[test]
    fn dates_read_directly_are_the_dates_chrono_reads() {
        let chrono = |t: &str| NaiveDate::parse_from_str(t, "%Y-%m-%d").ok();
        let mut texts = Vec::new();
        for year in [
            0, 1, 999, 1600, 1900, 1999, 2000, 2020, 2023, 2024, 2100, 9999,
        ] {
            for month in 0..=13 {
                for day in 0..=32 {
                    texts.push(format!("{year:04}-{month:02}-{day:02}"));
                }
            }
        }
        texts.extend(
            [
                "+2021-1-01",
                "2021-1-011",
                "2021/09/27",
                " 2021-09-2",
                "2021-09-2 ",
                "-001-01-01",
                "2021-09-2x",
                "２０２１-1-1",
                "20210-9-27",
                "2021-+9-27",
                "2021--9-27",
                "0000-00-00",
                "2021-02-29",
                "2024-02-29",
                "1900-02-29",
            ]
            .map(String::from),
        );
        for text in &texts {
            if text.len() == 10 {
                assert_eq!(iso_date(text), chrono(text), "{text:?}");
            }
        }
        assert_eq!(
            iso_date("2021-09-27"),
            NaiveDate::from_ymd_opt(2021, 9, 27),
            "the common case is read"
        );
    }
}
