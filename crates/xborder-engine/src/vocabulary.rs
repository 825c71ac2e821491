//! The map vocabulary the rulebook defines.

use xborder_law::Rulebook;
use xborder_model::Vocabulary;

/// Builds the [`Vocabulary`] a map is validated against from the rulebook in use, so that a
/// rulebook extended with `--rules` extends what maps may say.
pub fn vocabulary(rulebook: &Rulebook) -> Vocabulary {
    let mut v = Vocabulary {
        categories: rulebook.categories.iter().map(|c| c.id.clone()).collect(),
        regions: rulebook.regions.iter().map(|r| r.id.clone()).collect(),
        is_country: xborder_law::is_country,
        is_subdivision: xborder_law::is_subdivision,
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
    for tool in &rulebook.tools {
        for ground in &tool.grounds {
            v.derogation_grounds.insert(ground.ground.clone());
        }
        if !["idta", "bcr", "derogation", "scc", "adequacy"].contains(&tool.kind.as_str()) {
            v.other_mechanisms.insert(tool.kind.clone());
        }
    }
    v
}
