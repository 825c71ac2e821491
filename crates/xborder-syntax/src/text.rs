//! Shared text.
//!
//! A large map repeats a small vocabulary thousands of times (the keys of every flow and
//! entity, the data categories of its flows), and its evaluation yields hundreds of
//! thousands of hops and findings that repeat a few thousand strings (entity ids, regimes,
//! codes, citations, remediations). Each distinct string is allocated once and shared:
//! [`Text`] is a reference-counted string that reads, compares and serializes like a
//! `String`, and [`Interner`] hands out one copy per distinct string. The node tree of a map
//! and the evaluation of it then grow with their size, not with their text.

use arcstr::ArcStr;
use serde::{Serialize, Serializer};
use std::borrow::Borrow;
use std::collections::HashSet;
use std::fmt;
use std::ops::Deref;

/// An immutable string shared between the hops and findings that name it. One pointer wide
/// (the length is kept with the text, not beside the pointer): a hop holds eight and a
/// finding five, and the lengths beside the pointers of a million hops and their findings
/// were 100 MB.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Text(ArcStr);

impl Text {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for Text {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Self {
        Text(ArcStr::from(s))
    }
}

impl From<String> for Text {
    fn from(s: String) -> Self {
        Text(ArcStr::from(s))
    }
}

impl From<&String> for Text {
    fn from(s: &String) -> Self {
        Text(ArcStr::from(s.as_str()))
    }
}

impl From<Text> for String {
    fn from(t: Text) -> Self {
        t.0.to_string()
    }
}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
    }
}

impl PartialEq<String> for Text {
    fn eq(&self, other: &String) -> bool {
        *self.0 == **other
    }
}

impl PartialEq<Text> for str {
    fn eq(&self, other: &Text) -> bool {
        *self == *other.0
    }
}

impl PartialEq<Text> for &str {
    fn eq(&self, other: &Text) -> bool {
        **self == *other.0
    }
}

impl PartialEq<Text> for String {
    fn eq(&self, other: &Text) -> bool {
        **self == *other.0
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl Serialize for Text {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

/// The distinct strings seen so far. Hashed with foldhash (seeded at random per process, as
/// SipHash is): a check hashes several strings per hop, citations among them, and SipHash
/// was a twentieth of its time.
#[derive(Debug, Default)]
pub struct Interner {
    seen: HashSet<Text, foldhash::fast::RandomState>,
}

impl Interner {
    /// The shared copy of `s`, made on first sight.
    pub fn text(&mut self, s: &str) -> Text {
        if let Some(shared) = self.seen.get(s) {
            return shared.clone();
        }
        let shared = Text::from(s);
        self.seen.insert(shared.clone());
        shared
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_strings_share_one_allocation() {
        let mut interner = Interner::default();
        let a = interner.text("eu-gdpr");
        let b = interner.text(&String::from("eu-gdpr"));
        assert!(ArcStr::ptr_eq(&a.0, &b.0));
        assert_eq!(interner.text("uk-gdpr"), "uk-gdpr");
    }

    #[test]
    fn reads_and_serializes_like_a_string() {
        let t = Text::from("DE");
        assert_eq!(t, "DE");
        assert_eq!("DE", t);
        assert_eq!(String::from("DE"), t);
        assert_eq!(format!("{t} {t:?}"), "DE \"DE\"");
        assert_eq!(serde_json::to_string(&t).ok().as_deref(), Some("\"DE\""));
    }
}
