//! The map vocabulary the rulebook defines.

use xborder_law::{FieldType, MechanismFamily, Rulebook};
use xborder_model::Vocabulary;
use xborder_model::vocabulary::{Family, FieldKind, FieldSpec, KindSpec};

/// Builds the [`Vocabulary`] a map is validated against from the rulebook in use, so that a
/// rulebook extended with `--rules` extends what maps may say: its categories, regions,
/// frameworks, SCC sets, derogation grounds and the mechanism kinds of its table with their
/// fields.
pub fn vocabulary(rulebook: &Rulebook) -> Vocabulary {
    let mut v = Vocabulary {
        categories: rulebook.categories.iter().map(|c| c.id.clone()).collect(),
        regions: rulebook.regions.iter().map(|r| r.id.clone()).collect(),
        is_country: xborder_law::is_country,
        is_subdivision: xborder_law::is_subdivision,
        country_codes: xborder_law::country_codes,
        ..Vocabulary::default()
    };
    for decision in &rulebook.adequacy {
        if let Some(framework) = &decision.framework {
            v.frameworks.insert(framework.id.clone());
            v.framework_mechanisms.insert(framework.mechanism.clone());
        }
    }
    for set in &rulebook.scc_sets {
        v.scc_versions.insert(set.version.clone());
        if set.modules.iter().any(|m| m.number.is_some()) {
            v.modular_scc_versions.insert(set.version.clone());
        }
    }
    for regime in rulebook.regimes.iter().filter(|r| r.restricts_transfers) {
        for membership in &regime.territory {
            v.bounding_subdivisions.extend(
                membership
                    .countries
                    .iter()
                    .filter(|c| xborder_law::is_subdivision(c))
                    .cloned(),
            );
        }
    }
    for tool in &rulebook.tools {
        for ground in &tool.grounds {
            v.derogation_grounds.insert(ground.ground.clone());
        }
    }
    v.mechanism_kinds = rulebook
        .mechanism_kinds
        .iter()
        .map(|k| KindSpec {
            kind: k.kind.clone(),
            summary: k.summary.trim().to_string(),
            family: match k.family {
                MechanismFamily::Adequacy => Family::Adequacy,
                MechanismFamily::StandardClauses => Family::StandardClauses,
                MechanismFamily::Tool => Family::Tool,
                MechanismFamily::Derogation => Family::Derogation,
            },
            fields: k
                .fields
                .iter()
                .map(|f| FieldSpec {
                    name: f.name.clone(),
                    kind: match f.kind {
                        FieldType::Date => FieldKind::Date,
                        FieldType::Bool => FieldKind::Bool,
                        FieldType::Text => FieldKind::Text,
                        FieldType::Count => FieldKind::Count,
                        FieldType::SccVersion => FieldKind::SccVersion,
                        FieldType::SccModule => FieldKind::SccModule,
                        FieldType::Ground => FieldKind::Ground,
                        FieldType::Choice => FieldKind::Choice,
                    },
                    required: f.required,
                    values: f.values.clone(),
                    summary: f.summary.clone(),
                })
                .collect(),
        })
        .collect();
    v
}
