//! The page's string table: every text the page shows (messages, citations, remediations,
//! bases, names) is written once and referred to by its index, since a large map repeats the
//! same citation and remediation on thousands of findings.
//!
//! A text that names the date it was judged on ("no valid basis on 2021-01-01") would differ
//! at every date of the slider and defeat the sharing, so it is stored as the parts around
//! that date and the page puts the selected date back between them. That is exact, not a
//! guess: a hop's state is compared at every date with the date taken out the same way, so a
//! state only lasts while its text, with the date put back, is what the engine said.

use std::collections::HashMap;

use serde::Serialize;

/// One entry: plain text, or the parts to join with the selected date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Entry {
    Plain(String),
    Dated(Vec<String>),
}

/// Texts in first-use order, each once.
#[derive(Debug, Default)]
pub struct Strings {
    entries: Vec<Entry>,
    /// Plain texts, looked up without copying them.
    plain: HashMap<Box<str>, u32>,
    /// Dated texts, by their parts joined with a NUL (which no part of a text can hold).
    dated: HashMap<Box<str>, u32>,
}

impl Strings {
    /// The index of `text`, as it stands (names, ids, codes).
    pub fn plain(&mut self, text: &str) -> u32 {
        if let Some(&i) = self.plain.get(text) {
            return i;
        }
        let i = self.push(Entry::Plain(text.to_string()));
        self.plain.insert(text.into(), i);
        i
    }

    /// The index of `text` judged on `date` (`YYYY-MM-DD`), the date taken out.
    pub fn dated(&mut self, text: &str, date: &str) -> u32 {
        if date.is_empty() || !text.contains(date) || text.contains('\0') {
            return self.plain(text);
        }
        let key = text.replace(date, "\0");
        if let Some(&i) = self.dated.get(key.as_str()) {
            return i;
        }
        let i = self.push(Entry::Dated(key.split('\0').map(str::to_string).collect()));
        self.dated.insert(key.into(), i);
        i
    }

    fn push(&mut self, entry: Entry) -> u32 {
        let i = u32::try_from(self.entries.len()).unwrap_or(u32::MAX);
        self.entries.push(entry);
        i
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_is_stored_once_and_its_date_is_taken_out() {
        let mut s = Strings::default();
        let a = s.dated("no basis on 2021-01-01, since 2020-07-16", "2021-01-01");
        let b = s.dated("no basis on 2021-02-01, since 2020-07-16", "2021-02-01");
        assert_eq!(a, b);
        assert_eq!(
            s.entries()[a as usize],
            Entry::Dated(vec!["no basis on ".into(), ", since 2020-07-16".into()])
        );
        assert_eq!(s.plain("x"), s.dated("x", "2021-01-01"));
    }
}
