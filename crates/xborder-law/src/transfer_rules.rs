//! Queries over the rules that qualify a regime's transfers (`transfer-rules`), the transfer
//! model of its law on a date (restricted, or a negative list) and what it counts as
//! sensitive data.

use serde::Serialize;

use crate::Rulebook;
use crate::types::{Date, Dated, RuleEffect, TransferModel, TransferRule};

/// A transfer rule as in force on a date, for `xborder rules`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct TransferRuleInForce {
    pub id: String,
    pub regime: String,
    pub effect: RuleEffect,
    pub name: String,
    /// The condition in words; absent: every transfer hop of the regime.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub when: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub mechanisms: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fact: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub destinations: Vec<String>,
    pub says: String,
    pub citation: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unconfirmed: Option<String>,
}

impl TransferRuleInForce {
    /// What the rule does, in words, for listings: `exemption: no mechanism needed`,
    /// `threshold: requires a or b`, `prerequisite: pia before every transfer`,
    /// `restricted: to US`.
    pub fn effect_in_words(&self) -> String {
        let (kind, detail) = self.effect_parts();
        format!("{kind}: {detail}")
    }

    /// The kind of rule (`threshold`) and what it does (`requires a or b`), for tables that
    /// show them in two columns.
    pub fn effect_parts(&self) -> (&'static str, String) {
        match self.effect {
            RuleEffect::Exempt => ("exemption", "no mechanism needed".to_string()),
            RuleEffect::Requires => (
                "threshold",
                format!("requires {}", self.mechanisms.join(" or ")),
            ),
            RuleEffect::Prerequisite => (
                "prerequisite",
                format!(
                    "{} (a flow field) before every transfer",
                    self.fact.as_deref().unwrap_or_default()
                ),
            ),
            RuleEffect::Restricted => ("restricted", format!("to {}", self.destinations.join(" "))),
        }
    }
}

impl Rulebook {
    /// The regime's transfer rules in force on `date`, in rulebook order.
    pub fn transfer_rules_on<'a>(
        &'a self,
        regime: &'a str,
        date: Date,
    ) -> impl Iterator<Item = &'a TransferRule> + 'a {
        self.transfer_rules
            .iter()
            .filter(move |r| r.regime == regime && r.validity().contains(date))
    }

    /// How the regime's law in force on `date` treats transfers (restricted when no period
    /// says otherwise).
    pub fn transfer_model(&self, regime: &str, date: Date) -> TransferModel {
        self.period(regime, date)
            .map_or(TransferModel::Restricted, |p| p.transfers)
    }

    /// The base categories the regime itself counts as sensitive (`sensitive-categories`),
    /// if it lists them; see [`Rulebook::is_sensitive_in`].
    pub fn sensitive_list(&self, regime: &str) -> Option<&[String]> {
        self.regime(regime)
            .and_then(|r| r.sensitive_categories.as_deref())
    }

    /// Whether a base category is sensitive given a regime's own list (`None`: the
    /// special-category and criminal classes), for a caller that looked the regime up once.
    pub fn is_sensitive_in(&self, own: Option<&[String]>, base: &str) -> bool {
        match own {
            Some(list) => list.iter().any(|c| c == base),
            None => self.is_sensitive(base),
        }
    }

    /// Whether some transfer rule of the regime counts individuals (so the engine adds up the
    /// exporters' `individuals-per-year` only where a rule reads them).
    pub fn counts_individuals(&self, regime: &str) -> bool {
        fn counts(c: &crate::Condition) -> bool {
            c.individuals_per_year.is_some()
                || c.sensitive_individuals_per_year.is_some()
                || c.any.iter().flatten().any(counts)
                || c.not.as_deref().is_some_and(counts)
        }
        self.transfer_rules
            .iter()
            .any(|r| r.regime == regime && r.when.as_ref().is_some_and(counts))
    }

    /// The transfer rules in force on `date`, for every regime or only `regime`, by regime and
    /// in rulebook order within it.
    pub fn transfer_rules_in_force(
        &self,
        date: Date,
        regime: Option<&str>,
    ) -> Vec<TransferRuleInForce> {
        let mut rules: Vec<TransferRuleInForce> = self
            .transfer_rules
            .iter()
            .filter(|r| regime.is_none_or(|w| w == r.regime) && r.validity().contains(date))
            .map(|r| TransferRuleInForce {
                id: r.id.clone(),
                regime: r.regime.clone(),
                effect: r.effect,
                name: r.name.clone(),
                when: r.when.as_ref().map(ToString::to_string),
                mechanisms: r.mechanisms.clone(),
                fact: r.fact.map(|f| f.field().to_owned()),
                destinations: r.destinations.clone(),
                says: r.says.trim().to_owned(),
                citation: r.citation.on(date).to_owned(),
                unconfirmed: r.unconfirmed.clone(),
            })
            .collect();
        rules.sort_by(|a, b| a.regime.cmp(&b.regime));
        rules
    }
}
