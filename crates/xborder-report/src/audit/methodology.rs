//! Methodology: how the report judges transfers (regimes, hops, verdicts, dates, limits), in
//! the rulebook's own words.

use xborder_pdf::{Block, Section};

use super::AuditInput;

/// The methodology texts of the rulebook, with the horizon filled in.
pub(super) fn methodology(input: &AuditInput<'_>) -> Section {
    let text = |id: &str| {
        Block::Paragraph(
            input
                .rulebook
                .text(id)
                .replace("{horizon-days}", &input.horizon_days.to_string()),
        )
    };
    let blocks = [
        "audit.methodology.regimes",
        "audit.methodology.hops",
        "audit.methodology.verdicts",
        "audit.methodology.dates",
        "audit.methodology.limits",
    ]
    .into_iter()
    .map(text)
    .collect();
    Section::new("Methodology", blocks).on_new_page()
}
