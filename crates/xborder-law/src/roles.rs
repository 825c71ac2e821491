//! Parsing and printing role pairs (`controller->processor`), as written in maps and the rulebook.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::types::{Role, RolePair};

impl Role {
    /// The map spelling: `controller` or `processor`.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Controller => "controller",
            Role::Processor => "processor",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = RolePairError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "controller" => Ok(Role::Controller),
            "processor" => Ok(Role::Processor),
            other => Err(RolePairError(format!(
                "unknown role `{other}`, expected `controller` or `processor`"
            ))),
        }
    }
}

/// Why a role pair could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RolePairError(pub String);

impl fmt::Display for RolePairError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for RolePairError {}

impl fmt::Display for RolePair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}->{}", self.exporter, self.importer)
    }
}

impl FromStr for RolePair {
    type Err = RolePairError;

    /// `exporter->importer`, e.g. `controller->processor` (spaces around the arrow allowed).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (exporter, importer) = s.split_once("->").ok_or_else(|| {
            RolePairError(format!(
                "`{s}` is not a role pair, expected `exporter->importer` such as `controller->processor`"
            ))
        })?;
        Ok(RolePair {
            exporter: exporter.parse()?,
            importer: importer.parse()?,
        })
    }
}

impl Serialize for RolePair {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for RolePair {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        for text in [
            "controller->controller",
            "controller->processor",
            "processor->processor",
            "processor->controller",
        ] {
            let pair: RolePair = text.parse().expect("valid pair");
            assert_eq!(pair.to_string(), text);
        }
        let spaced: RolePair = " processor -> controller ".parse().expect("spaces allowed");
        assert_eq!(spaced.exporter, Role::Processor);
        assert!("controller-processor".parse::<RolePair>().is_err());
        assert!("controller->exporter".parse::<RolePair>().is_err());
    }
}
