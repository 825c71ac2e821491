//! What if a framework or decision fell: the same map judged with and without the
//! assumption, hop by hop.

use serde::Serialize;
use xborder_engine::{Evaluation, Hop, Summary, Text, Verdict};

/// A hop whose verdict or basis changes under the assumption.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HopChange {
    pub flow: usize,
    pub id: Option<Text>,
    pub from: Text,
    pub to: Text,
    pub regime: Text,
    pub destination: Text,
    /// As the law stands.
    pub before: Verdict,
    pub before_mechanism: Option<Text>,
    /// Under the assumption.
    pub after: Verdict,
    pub after_mechanism: Option<Text>,
    /// Why the hop stands or falls under the assumption (the engine's basis).
    pub after_basis: Text,
    pub after_codes: xborder_engine::Codes,
}

impl HopChange {
    /// The mechanism that keeps the hop lawful under the assumption (a fallback such as SCCs
    /// already signed), or `None` when the hop becomes unlawful.
    pub fn fallback(&self) -> Option<&str> {
        if self.after == Verdict::Unlawful {
            None
        } else {
            self.after_mechanism.as_deref()
        }
    }

    /// One line: `flow 57 a → b (eu-gdpr → US): lawful on dpf → conditional on scc (…)`.
    pub fn describe(&self) -> String {
        let on = |m: &Option<Text>| m.as_deref().map(|m| format!(" on {m}")).unwrap_or_default();
        let outcome = match self.fallback() {
            Some(m) => format!(
                "kept {} by the fallback `{m}`: {}",
                self.after, self.after_basis
            ),
            None => format!("no fallback: {}", self.after_basis),
        };
        format!(
            "{} → {} ({} → {}): {}{} → {}{} — {outcome}",
            self.from,
            self.to,
            self.regime,
            self.destination,
            self.before,
            on(&self.before_mechanism),
            self.after,
            on(&self.after_mechanism),
        )
    }
}

/// The hops an assumption changes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WhatIf {
    /// The decisions or frameworks assumed struck down.
    pub assumed_invalid: Vec<String>,
    pub changes: Vec<HopChange>,
    /// Verdict counts as the law stands and under the assumption.
    pub before: Summary,
    pub after: Summary,
}

impl WhatIf {
    /// Changed hops that end up unlawful: nothing falls back.
    pub fn falling(&self) -> impl Iterator<Item = &HopChange> {
        self.changes.iter().filter(|c| c.after == Verdict::Unlawful)
    }

    /// Changed hops a fallback mechanism keeps lawful (possibly with conditions).
    pub fn kept(&self) -> impl Iterator<Item = &HopChange> {
        self.changes.iter().filter(|c| c.after != Verdict::Unlawful)
    }
}

/// Verdict counts of some hops.
pub(crate) fn summary_of<'a>(hops: impl IntoIterator<Item = &'a Hop>) -> Summary {
    let mut summary = Summary::default();
    for h in hops {
        summary.count(h.verdict);
    }
    summary
}

/// Compares the evaluation of a map as the law stands (`actual`) with the evaluation of the
/// same map under `assumed_invalid` (`assumed`): every hop whose verdict or deciding
/// mechanism differs, in the map's hop order.
pub fn what_if(actual: &Evaluation, assumed: &Evaluation, assumed_invalid: &[String]) -> WhatIf {
    let assumed_hops = assumed.hops_by_key();
    let changes = actual
        .hops
        .iter()
        .filter_map(|before| {
            let after = assumed.hops.get(*assumed_hops.get(&before.key())?)?;
            (before.verdict != after.verdict || before.mechanism != after.mechanism).then(|| {
                HopChange {
                    flow: before.flow,
                    id: before.id.clone(),
                    from: before.from.clone(),
                    to: before.to.clone(),
                    regime: before.regime.clone(),
                    destination: before.destination.clone(),
                    before: before.verdict,
                    before_mechanism: before.mechanism.clone(),
                    after: after.verdict,
                    after_mechanism: after.mechanism.clone(),
                    after_basis: after.basis.clone(),
                    after_codes: after.codes.clone(),
                }
            })
        })
        .collect();
    WhatIf {
        assumed_invalid: assumed_invalid.to_vec(),
        changes,
        before: actual.summary.clone(),
        after: assumed.summary.clone(),
    }
}
