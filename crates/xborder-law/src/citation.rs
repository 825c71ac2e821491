//! Citations that are right for the date they are applied to.
//!
//! A citation names the instrument, the article or clause and the paragraph ("Implementing
//! Decision (EU) 2021/914, Annex, Clause 8.8"). The law cited changes over time — a hop judged
//! on 1 Jan 2021 under the 2010/87 clauses must not cite the 2021/914 clauses adopted in June
//! 2021 — so a rulebook entry may give its citation as dated texts, each with `from` / `until`
//! like any entry; the engine cites the text in force on the as-of date.

use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize, Serializer};

use crate::types::{Date, Validity};

/// One text of a citation, possibly limited in time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct CitationText {
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<Date>,
}

impl CitationText {
    pub fn validity(&self) -> Validity {
        Validity {
            from: self.from,
            until: self.until,
            invalid_from: None,
        }
    }
}

/// A citation: one text, or texts for successive periods (written as a list of `text` with
/// `from` / `until`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Citation {
    texts: Vec<CitationText>,
}

impl Citation {
    /// A citation that holds on every date.
    pub fn plain(text: impl Into<String>) -> Citation {
        Citation {
            texts: vec![CitationText {
                text: text.into(),
                from: None,
                until: None,
            }],
        }
    }

    /// The text in force on `date`: the last one whose period contains it, else the one whose
    /// period is nearest before it, else the first.
    pub fn on(&self, date: Date) -> &str {
        self.texts
            .iter()
            .rev()
            .find(|t| t.validity().contains(date))
            .or_else(|| {
                self.texts
                    .iter()
                    .rfind(|t| t.from.is_none_or(|f| f <= date))
            })
            .or(self.texts.first())
            .map_or("", |t| t.text.as_str())
    }

    /// Every text with its period, in the order written.
    pub fn texts(&self) -> &[CitationText] {
        &self.texts
    }

    /// The most recent text (for listings that are not about a date).
    pub fn latest(&self) -> &str {
        self.texts.last().map_or("", |t| t.text.as_str())
    }

    /// Whether some text is empty (or there is none).
    pub fn is_blank(&self) -> bool {
        self.texts.is_empty() || self.texts.iter().any(|t| t.text.trim().is_empty())
    }
}

impl std::fmt::Display for Citation {
    /// Every text, each with the period it applies to when it has one:
    /// `Decision 2010/87/EU (until 2020-07-15); Decision 2010/87/EU; CJEU C-311/18 (from 2020-07-16)`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, t) in self.texts.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            f.write_str(t.text.trim())?;
            match (t.from, t.until) {
                (Some(a), Some(b)) => write!(f, " ({a} to {b})")?,
                (Some(a), None) => write!(f, " (from {a})")?,
                (None, Some(b)) => write!(f, " (until {b})")?,
                (None, None) => {}
            }
        }
        Ok(())
    }
}

impl Serialize for Citation {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.texts.as_slice() {
            [only] if only.from.is_none() && only.until.is_none() => {
                serializer.serialize_str(&only.text)
            }
            texts => texts.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for Citation {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> de::Visitor<'de> for Visitor {
            type Value = Citation;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a citation: a text, or a list of `text` with `from` / `until`")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Citation, E> {
                Ok(Citation::plain(v))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Citation, E> {
                Ok(Citation::plain(v))
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Citation, A::Error> {
                let mut texts = Vec::new();
                while let Some(text) = seq.next_element::<CitationText>()? {
                    texts.push(text);
                }
                Ok(Citation { texts })
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Date {
        s.parse().expect("date")
    }

    #[test]
    fn the_text_in_force_on_the_date_is_cited() {
        let c = Citation {
            texts: vec![
                CitationText {
                    text: "Decision 2010/87/EU, Clause 5".into(),
                    from: None,
                    until: Some(day("2020-07-15")),
                },
                CitationText {
                    text: "Decision 2010/87/EU, Clause 5; CJEU C-311/18".into(),
                    from: Some(day("2020-07-16")),
                    until: None,
                },
            ],
        };
        assert_eq!(c.on(day("2019-01-01")), "Decision 2010/87/EU, Clause 5");
        assert_eq!(
            c.on(day("2020-07-16")),
            "Decision 2010/87/EU, Clause 5; CJEU C-311/18"
        );
        assert_eq!(c.latest(), "Decision 2010/87/EU, Clause 5; CJEU C-311/18");
        assert_eq!(Citation::plain("GDPR").on(day("1990-01-01")), "GDPR");
    }
}
