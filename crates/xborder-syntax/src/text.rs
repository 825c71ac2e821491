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
use std::borrow::{Borrow, Cow};
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::marker::PhantomData;
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

    /// A text kept until the process ends, and so never counted: copying and dropping it
    /// only read it, so that threads share it without making each other wait. For the few
    /// texts that every part of a large map repeats (its keys); each is memory never given
    /// back.
    pub fn forever(s: &str) -> Text {
        let text = ArcStr::from(s);
        let _: &'static str = text.leak();
        Text(text)
    }

    /// Whether the text is kept for the process's life ([`Text::forever`]).
    #[cfg(test)]
    pub(crate) fn is_forever(&self) -> bool {
        ArcStr::is_static(&self.0)
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
        self.text_or(s, |s| Text::from(s))
    }

    /// The shared copy of `s`, made on first sight by `make`.
    pub fn text_or(&mut self, s: &str, make: impl FnOnce(&str) -> Text) -> Text {
        if let Some(shared) = self.seen.get(s) {
            return shared.clone();
        }
        let shared = make(s);
        self.seen.insert(shared.clone());
        shared
    }
}

/// Shared copies of texts that outlive it — the rulebook's citations and remediations, the
/// map's names — found by where they are rather than by what they say. A check asks for the
/// same few hundred borrowed texts millions of times, and hashing and comparing a
/// citation's few hundred bytes each time was a tenth of its time; an address is two words.
///
/// Sound because every text it has seen is borrowed for `'a`, as long as it exists: no text
/// it has seen can be freed, and another text put at its address, while it can still be
/// asked. Texts made on the way (`Cow::Owned`) go by their contents ([`Interner`]).
#[derive(Debug, Default)]
pub struct Lasting<'a> {
    by_address: HashMap<(usize, usize), Text, foldhash::fast::RandomState>,
    by_contents: Interner,
    borrowed: PhantomData<&'a str>,
}

impl<'a> Lasting<'a> {
    /// The shared copy of `s`, made on first sight of its address (and shared with any other
    /// address of the same contents).
    pub fn text(&mut self, s: &'a str) -> Text {
        let address = (s.as_ptr() as usize, s.len());
        if let Some(shared) = self.by_address.get(&address) {
            return shared.clone();
        }
        let shared = self.by_contents.text(s);
        self.by_address.insert(address, shared.clone());
        shared
    }

    /// The shared copy of a text borrowed for `'a` (by address) or made on the way (by
    /// contents).
    pub fn cow(&mut self, s: Cow<'a, str>) -> Text {
        match s {
            Cow::Borrowed(s) => self.text(s),
            Cow::Owned(s) => self.by_contents.text(&s),
        }
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
    fn lasting_texts_are_shared_by_address_and_by_contents() {
        let rulebook = String::from("GDPR Art. 46(2)(c) GDPR Art. 46(2)(c)");
        let (first, second) = rulebook.split_at(18);
        let second = second.trim_start();
        let mut texts = Lasting::default();
        let a = texts.text(first);
        let b = texts.text(first);
        let c = texts.text(second);
        assert_eq!(a, "GDPR Art. 46(2)(c)");
        assert!(ArcStr::ptr_eq(&a.0, &b.0));
        // Another address with the same text: the same shared copy.
        assert!(ArcStr::ptr_eq(&a.0, &c.0));
        let made = texts.cow(Cow::Owned(format!("{first}; {second}")));
        assert_eq!(made, "GDPR Art. 46(2)(c); GDPR Art. 46(2)(c)");
        let again = texts.cow(Cow::Owned(made.to_string()));
        assert!(ArcStr::ptr_eq(&made.0, &again.0));
        // A prefix at the same address is another text.
        assert_eq!(texts.text(&first[..4]), "GDPR");
    }

    #[test]
    fn a_text_kept_forever_is_not_counted() {
        let key = Text::forever("flows");
        let copy = key.clone();
        assert!(ArcStr::is_static(&key.0) && ArcStr::is_static(&copy.0));
        assert_eq!(copy, "flows");
        assert!(!ArcStr::is_static(&Text::from("flows").0));
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
