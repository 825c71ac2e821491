//! Typed values from spanned nodes: serde's derive does the typing, the node tree keeps the
//! locations.
//!
//! A file whose entries are plain data (the rulebook) is parsed once into nodes, and each
//! entry is deserialized from its node on its own: a broken entry is reported at the exact
//! value that does not fit and the others are still read, which a single serde pass over
//! the text cannot do (it stops at the first error).
//!
//! Scalars are typed as the node tree typed them (YAML 1.2: only `true` and `false` are
//! booleans). Where a text is expected, a number is taken as its decimal text, so that
//! `version: 2021` and `version: "2021"` mean the same.

use std::fmt;

use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess,
    VariantAccess, Visitor,
};

use crate::diag::Loc;
use crate::node::{Node, NodeKind};

/// Why a node does not deserialize, and where: the innermost node that failed.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeError {
    /// `None` only until the error has passed through the node it came from.
    pub loc: Option<Loc>,
    pub message: String,
}

impl fmt::Display for NodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for NodeError {}

impl de::Error for NodeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        NodeError {
            loc: None,
            message: msg.to_string(),
        }
    }
}

impl NodeError {
    /// Locates an error that does not know its place yet at `loc`.
    fn at(mut self, loc: Loc) -> Self {
        self.loc.get_or_insert(loc);
        self
    }
}

/// Deserializes `T` from `node`; the error names the innermost value that does not fit.
pub fn from_node<T: DeserializeOwned>(node: &Node) -> Result<T, NodeError> {
    T::deserialize(NodeDeserializer(node)).map_err(|e| e.at(node.loc))
}

/// A deserializer reading one node.
#[derive(Clone, Copy)]
struct NodeDeserializer<'n>(&'n Node);

impl<'n> NodeDeserializer<'n> {
    fn loc(self) -> Loc {
        self.0.loc
    }

    /// The node's text, where a text is expected.
    fn text(self) -> Option<String> {
        match &self.0.kind {
            NodeKind::Str(s) => Some(s.to_string()),
            NodeKind::Int(i) => Some(i.to_string()),
            NodeKind::Float(f) => Some(f.to_string()),
            _ => None,
        }
    }

    fn unexpected(self) -> de::Unexpected<'n> {
        match &self.0.kind {
            NodeKind::Null => de::Unexpected::Unit,
            NodeKind::Bool(b) => de::Unexpected::Bool(*b),
            NodeKind::Int(i) => de::Unexpected::Signed(*i),
            NodeKind::Float(f) => de::Unexpected::Float(*f),
            NodeKind::Str(s) => de::Unexpected::Str(s),
            NodeKind::Seq(_) => de::Unexpected::Seq,
            NodeKind::Map(_) => de::Unexpected::Map,
        }
    }
}

impl<'de, 'n> Deserializer<'de> for NodeDeserializer<'n> {
    type Error = NodeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, NodeError> {
        let loc = self.loc();
        match &self.0.kind {
            NodeKind::Null => visitor.visit_unit(),
            NodeKind::Bool(b) => visitor.visit_bool(*b),
            NodeKind::Int(i) => visitor.visit_i64(*i),
            NodeKind::Float(f) => visitor.visit_f64(*f),
            NodeKind::Str(s) => visitor.visit_str(s),
            NodeKind::Seq(items) => visitor.visit_seq(Items {
                items: items.iter(),
            }),
            NodeKind::Map(entries) => visitor.visit_map(Entries {
                entries: entries.iter(),
                value: None,
            }),
        }
        .map_err(|e| e.at(loc))
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, NodeError> {
        match self.text() {
            Some(text) => visitor
                .visit_string::<NodeError>(text)
                .map_err(|e| e.at(self.loc())),
            None => Err(
                <NodeError as de::Error>::invalid_type(self.unexpected(), &visitor).at(self.loc()),
            ),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, NodeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, NodeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, NodeError> {
        match self.0.kind {
            NodeKind::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
        .map_err(|e| e.at(self.loc()))
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, NodeError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, NodeError> {
        let loc = self.loc();
        match &self.0.kind {
            NodeKind::Str(_) | NodeKind::Int(_) => visitor.visit_enum(Variant {
                name: self,
                value: None,
            }),
            NodeKind::Map(entries) if entries.len() == 1 => visitor.visit_enum(Variant {
                name: NodeDeserializer(&entries[0].0),
                value: Some(&entries[0].1),
            }),
            _ => Err(de::Error::invalid_type(
                self.unexpected(),
                &"a variant name, or a mapping of one variant name to its value",
            )),
        }
        .map_err(|e| e.at(loc))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char bytes byte_buf
        unit unit_struct seq tuple tuple_struct map struct ignored_any
    }
}

/// The items of a sequence node.
struct Items<'n> {
    items: std::slice::Iter<'n, Node>,
}

impl<'de> SeqAccess<'de> for Items<'_> {
    type Error = NodeError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, NodeError> {
        match self.items.next() {
            Some(item) => seed
                .deserialize(NodeDeserializer(item))
                .map(Some)
                .map_err(|e| e.at(item.loc)),
            None => Ok(None),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

/// The entries of a mapping node; a key is located at the key, a value at the value.
struct Entries<'n> {
    entries: std::slice::Iter<'n, (Node, Node)>,
    value: Option<&'n Node>,
}

impl<'de> MapAccess<'de> for Entries<'_> {
    type Error = NodeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, NodeError> {
        match self.entries.next() {
            Some((key, value)) => {
                self.value = Some(value);
                seed.deserialize(NodeDeserializer(key))
                    .map(Some)
                    .map_err(|e| e.at(key.loc))
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, NodeError> {
        let Some(value) = self.value.take() else {
            return Err(de::Error::custom("a value was read before its key"));
        };
        seed.deserialize(NodeDeserializer(value))
            .map_err(|e| e.at(value.loc))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

/// An enum variant: its name, and its value when written as `variant: value`.
struct Variant<'n> {
    name: NodeDeserializer<'n>,
    value: Option<&'n Node>,
}

impl<'de, 'n> EnumAccess<'de> for Variant<'n> {
    type Error = NodeError;
    type Variant = Self;

    fn variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Result<(S::Value, Self), NodeError> {
        let loc = self.name.loc();
        let name = seed.deserialize(self.name).map_err(|e| e.at(loc))?;
        Ok((name, self))
    }
}

impl<'de> VariantAccess<'de> for Variant<'_> {
    type Error = NodeError;

    fn unit_variant(self) -> Result<(), NodeError> {
        match self.value {
            None => Ok(()),
            Some(node) if matches!(node.kind, NodeKind::Null) => Ok(()),
            Some(node) => Err(NodeError {
                loc: Some(node.loc),
                message: "this variant takes no value".to_owned(),
            }),
        }
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, NodeError> {
        match self.value {
            Some(node) => seed
                .deserialize(NodeDeserializer(node))
                .map_err(|e| e.at(node.loc)),
            None => Err(de::Error::invalid_type(
                de::Unexpected::UnitVariant,
                &"a variant with a value",
            )),
        }
    }

    fn tuple_variant<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, NodeError> {
        match self.value {
            Some(node) => NodeDeserializer(node).deserialize_any(visitor),
            None => Err(de::Error::invalid_type(
                de::Unexpected::UnitVariant,
                &"a variant with a list",
            )),
        }
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, NodeError> {
        self.tuple_variant(0, visitor)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use chrono::NaiveDate;
    use serde::Deserialize;

    use super::*;
    use crate::node::{ParseLimits, parse_yaml};

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields, rename_all = "kebab-case")]
    struct Entry {
        id: String,
        from: NaiveDate,
        #[serde(default)]
        until: Option<NaiveDate>,
        kind: Kind,
        #[serde(default)]
        tags: Vec<String>,
        #[serde(default)]
        terms: BTreeMap<String, u32>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(rename_all = "kebab-case")]
    enum Kind {
        Adequacy,
        Clauses { module: u8 },
    }

    fn read(text: &str) -> Result<Entry, NodeError> {
        let root = parse_yaml(text, ParseLimits::default()).expect("test YAML parses");
        from_node(&root)
    }

    #[test]
    fn reads_typed_values() {
        let e = read(
            "id: 2021\nfrom: 2021-06-27\nkind: {clauses: {module: 2}}\ntags: [a, b]\nterms: {x: 1}\n",
        )
        .expect("valid entry");
        assert_eq!(e.id, "2021");
        assert_eq!(e.from, NaiveDate::from_ymd_opt(2021, 6, 27).expect("date"));
        assert_eq!(e.until, None);
        assert_eq!(e.kind, Kind::Clauses { module: 2 });
        assert_eq!(e.tags, ["a", "b"]);
        assert_eq!(e.terms.get("x"), Some(&1));
        let e = read("id: a\nfrom: 2021-06-27\nkind: adequacy\n").expect("unit variant");
        assert_eq!(e.kind, Kind::Adequacy);
    }

    #[test]
    fn an_error_points_at_the_value_that_does_not_fit() {
        let e = read("id: a\nfrom: 2021-02-30\nkind: adequacy\n").expect_err("no 30 February");
        assert_eq!(e.loc.map(|l| (l.line, l.column)), Some((2, 7)));
        let e =
            read("id: a\nfrom: 2021-02-01\nkind: adequacy\ncolour: red\n").expect_err("unknown");
        assert_eq!(e.loc.map(|l| (l.line, l.column)), Some((4, 1)));
        assert!(
            e.message.contains("unknown field `colour`"),
            "{}",
            e.message
        );
        let e = read("id: a\nkind: adequacy\n").expect_err("missing from");
        assert_eq!(e.loc.map(|l| l.line), Some(1));
        assert!(e.message.contains("missing field `from`"), "{}", e.message);
        let e = read("id: a\nfrom: 2021-02-01\nkind: adequacy\ntags: [a, [b]]\n")
            .expect_err("nested list");
        assert_eq!(e.loc.map(|l| (l.line, l.column)), Some((4, 11)));
        let e = read("id: a\nfrom: 2021-02-01\nkind: adequate\n").expect_err("bad variant");
        assert_eq!(e.loc.map(|l| (l.line, l.column)), Some((3, 7)));
    }

    #[test]
    fn yes_is_text_not_a_boolean() {
        #[derive(Deserialize)]
        struct Flag {
            on: bool,
        }
        let root = parse_yaml("on: yes\n", ParseLimits::default()).expect("parses");
        assert!(from_node::<Flag>(&root).is_err());
        let root = parse_yaml("on: true\n", ParseLimits::default()).expect("parses");
        assert!(from_node::<Flag>(&root).is_ok_and(|f| f.on));
    }
}
