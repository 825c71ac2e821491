//! The checks of `transfer-rules`: each rule names a known regime, is cited and dated, and
//! carries what its effect needs (the mechanism kinds a threshold picks, the flow fact a
//! prerequisite demands, the destinations a negative list restricts).

use super::Validator;
use crate::types::*;

impl Validator<'_, '_> {
    pub(super) fn transfer_rules(&mut self) {
        let s = self.s;
        self.unique(
            "transfer-rules",
            s.transfer_rules
                .iter()
                .map(|r| (r.file, r.item.id.as_str())),
        );
        for r in &s.transfer_rules {
            let (file, rule) = (r.file, r.item);
            let entry = format!("transfer-rules {}", rule.id);
            self.nonempty(file, &entry, "id", &rule.id);
            self.nonempty(file, &entry, "name", &rule.name);
            self.nonempty(file, &entry, "says", &rule.says);
            self.cited(file, &entry, &rule.citation);
            self.regime_ref(file, &entry, &rule.regime);
            self.validity(file, &entry, rule.validity());
            if let Some(note) = &rule.unconfirmed {
                self.nonempty(file, &entry, "unconfirmed", note);
            }
            if let Some(when) = &rule.when {
                self.condition(file, &entry, "`when`", when);
            }
            let (mechanisms, fact, destinations) = (
                !rule.mechanisms.is_empty(),
                rule.fact.is_some(),
                !rule.destinations.is_empty(),
            );
            let (wanted, given) = match rule.effect {
                RuleEffect::Exempt => ("nothing else", mechanisms || fact || destinations),
                RuleEffect::Requires => ("`mechanisms`", !mechanisms || fact || destinations),
                RuleEffect::Prerequisite => ("`fact`", mechanisms || !fact || destinations),
                RuleEffect::Restricted => ("`destinations`", mechanisms || fact || !destinations),
            };
            if given {
                let message = format!(
                    "a rule with `effect: {}` takes {wanted} of `mechanisms`, `fact` and `destinations`",
                    effect_name(rule.effect)
                );
                self.err(file, &entry, message);
            }
            for kind in &rule.mechanisms {
                let known = s.incomplete
                    || s.mechanism_kinds.iter().any(|k| k.item.kind == *kind)
                    || s.adequacy.iter().any(|a| {
                        a.item
                            .framework
                            .as_ref()
                            .is_some_and(|f| f.mechanism == *kind)
                    });
                if !known {
                    self.err(
                        file,
                        &entry,
                        format!("`{kind}` is not a mechanism kind (see `mechanism-kinds`)"),
                    );
                }
            }
            for place in &rule.destinations {
                self.place(file, &entry, place);
            }
        }
    }
}

fn effect_name(effect: RuleEffect) -> &'static str {
    match effect {
        RuleEffect::Exempt => "exempt",
        RuleEffect::Requires => "requires",
        RuleEffect::Prerequisite => "prerequisite",
        RuleEffect::Restricted => "restricted",
    }
}
