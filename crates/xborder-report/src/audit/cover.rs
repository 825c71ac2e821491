//! The cover (title, what the report was made from, the signature and the conclusion) and
//! the executive summary (the conclusion, hops by verdict and by regime, findings by code).

use std::cmp::Reverse;
use std::collections::BTreeMap;

use xborder_engine::Evaluation;
use xborder_law::Severity;
use xborder_pdf::{Align, Block, Cell, Column, Section, Table, Tone};

use super::{AuditInput, made, severity_tone};
use crate::provenance::{self, InputFile};

/// The overall conclusion and its tone.
fn conclusion(eval: &Evaluation) -> (Tone, String) {
    // Accepted risks are still findings: the report lists them, but they ask for no action
    // before their acceptance ends.
    let counts = eval.counts();
    let (errors, warnings) = (counts.errors, counts.warnings);
    let s = &eval.summary;
    if s.unlawful > 0 || errors > 0 {
        (
            Tone::Bad,
            format!(
                "Not compliant. As of {}, {} of {} transfer hops have no valid transfer mechanism ({} error finding(s)). They must be stopped or put on a valid basis.",
                eval.as_of, s.unlawful, s.hops, errors
            ),
        )
    } else if s.conditional > 0 || warnings > 0 {
        (
            Tone::Caution,
            format!(
                "Compliant with conditions. As of {}, no hop is unlawful; {} hop(s) rely on safeguards or derogations whose conditions must be documented ({} warning(s)).",
                eval.as_of, s.conditional, warnings
            ),
        )
    } else {
        (
            Tone::Good,
            format!(
                "Compliant. As of {}, every transfer hop rests on a valid basis.",
                eval.as_of
            ),
        )
    }
}

/// The cover: title, organisation, report ID, provenance, signature and conclusion.
pub(super) fn cover(input: &AuditInput<'_>) -> Section {
    let eval = input.evaluation;
    let (tone, text) = conclusion(eval);
    let mut kv = vec![
        ("Report ID".to_string(), input.report_id.to_string()),
        ("Organisation".to_string(), input.organisation.to_string()),
    ];
    kv.extend(provenance::made_from(
        &made(input),
        &[InputFile::map(input.map_file, input.map_sha256)],
    ));
    kv.push(provenance::signature_row(input.signer.as_ref()));
    Section {
        title: "Cover".to_string(),
        show_title: false,
        new_page: false,
        blocks: vec![
            Block::Title("Cross-border personal-data transfer audit".to_string()),
            Block::Paragraph(format!(
                "{} — transfers judged as of {}",
                input.organisation, eval.as_of
            )),
            Block::Spacer(12.0),
            Block::KeyValue(kv),
            Block::Spacer(12.0),
            Block::Callout { tone, text },
        ],
    }
}

/// The executive summary: the conclusion, hops by verdict and by regime, findings by code,
/// and a pointer to the expiring mechanisms if there are any.
pub(super) fn summary(input: &AuditInput<'_>) -> Section {
    let (tone, text) = conclusion(input.evaluation);
    let codes = code_table(input);
    let mut blocks = vec![
        Block::Callout { tone, text },
        Block::Heading("Hops by verdict".to_string()),
        Block::Table(verdict_table(input)),
        Block::Heading("Hops by regime".to_string()),
        Block::Table(regime_table(input)),
    ];
    if !codes.rows.is_empty() {
        blocks.push(Block::Heading("Findings by code".to_string()));
        blocks.push(Block::Table(codes));
    }
    if !input.expiring.is_empty() {
        blocks.push(Block::Callout {
            tone: Tone::Caution,
            text: format!("{} hop(s) lose their basis within {} days of the as-of date; see \"Expiring mechanisms\".", input.expiring.len(), input.horizon_days),
        });
    }
    Section::new("Executive summary", blocks).on_new_page()
}

/// Hops by verdict: count, share and meaning of each verdict, and the total.
fn verdict_table(input: &AuditInput<'_>) -> Table {
    let s = &input.evaluation.summary;
    let share = |n: usize| {
        if s.hops == 0 {
            "0%".to_string()
        } else {
            format!("{:.0}%", n as f64 * 100.0 / s.hops as f64)
        }
    };
    Table {
        columns: vec![
            Column::new("Verdict", 3.0),
            Column::new("Hops", 1.0).align(Align::Right),
            Column::new("Share", 1.0).align(Align::Right),
            Column::new("Meaning", 7.0),
        ],
        rows: vec![
            vec![
                Cell::toned("unlawful", Tone::Bad),
                Cell::new(s.unlawful.to_string()),
                Cell::new(share(s.unlawful)),
                Cell::new("no valid transfer mechanism on the as-of date"),
            ],
            vec![
                Cell::toned("conditional", Tone::Caution),
                Cell::new(s.conditional.to_string()),
                Cell::new(share(s.conditional)),
                Cell::new(input.rulebook.text("audit.verdict.conditional")),
            ],
            vec![
                Cell::toned("lawful", Tone::Good),
                Cell::new(s.lawful.to_string()),
                Cell::new(share(s.lawful)),
                Cell::new("adequacy, or a framework the importer is certified under"),
            ],
            vec![
                Cell::toned("not a transfer", Tone::Muted),
                Cell::new(s.not_a_transfer.to_string()),
                Cell::new(share(s.not_a_transfer)),
                Cell::new("inside the regime's territory, direct collection, or a bridge"),
            ],
            vec![
                Cell::new("total"),
                Cell::new(s.hops.to_string()),
                Cell::new(if s.hops == 0 { "—" } else { "100%" }),
                Cell::new("one hop per flow, regime and destination country"),
            ],
        ],
    }
}

/// Hops by regime: one row per regime with its hop count for each verdict.
fn regime_table(input: &AuditInput<'_>) -> Table {
    let mut by_regime: BTreeMap<&str, [usize; 4]> = BTreeMap::new();
    for h in &input.evaluation.hops {
        by_regime.entry(h.regime.as_str()).or_default()[h.verdict as usize] += 1;
    }
    Table {
        columns: vec![
            Column::new("Regime", 3.0),
            Column::new("Not a transfer", 2.0).align(Align::Right),
            Column::new("Lawful", 2.0).align(Align::Right),
            Column::new("Conditional", 2.0).align(Align::Right),
            Column::new("Unlawful", 2.0).align(Align::Right),
        ],
        rows: by_regime
            .iter()
            .map(|(r, c)| {
                let name = input
                    .rulebook
                    .regime(r)
                    .map_or_else(|| r.to_string(), |x| format!("{r} — {}", x.name));
                vec![
                    Cell::new(name),
                    Cell::new(c[0].to_string()),
                    Cell::new(c[1].to_string()),
                    Cell::new(c[2].to_string()),
                    cell_count(c[3], Tone::Bad),
                ]
            })
            .collect(),
    }
}

/// Findings by code: one row per code and severity actually found (a code's findings are
/// errors on one hop and warnings where the hop stands on another mechanism), accepted ones
/// apart, so that the rows add up to the counts of the JSON result.
fn code_table(input: &AuditInput<'_>) -> Table {
    let mut by_code: BTreeMap<(&str, Reverse<Severity>, bool), usize> = BTreeMap::new();
    for f in &input.evaluation.findings {
        let key = (f.code.as_str(), Reverse(f.severity), f.accepted.is_some());
        *by_code.entry(key).or_default() += 1;
    }
    Table {
        columns: vec![
            Column::new("Code", 1.2),
            Column::new("Severity", 1.3),
            Column::new("Count", 1.0).align(Align::Right),
            Column::new("What it means", 8.0),
        ],
        rows: by_code
            .iter()
            .map(|((code, Reverse(sev), accepted), n)| {
                let title = input
                    .rulebook
                    .code(code)
                    .map_or_else(String::new, |d| d.title.clone());
                let severity = if *accepted {
                    Cell::toned(format!("{} (accepted)", sev.as_str()), Tone::Muted)
                } else {
                    Cell::toned(sev.as_str(), severity_tone(*sev))
                };
                vec![
                    Cell::new(*code),
                    severity,
                    Cell::new(n.to_string()),
                    Cell::new(title),
                ]
            })
            .collect(),
    }
}

/// A count, in `tone` when it is not zero.
fn cell_count(n: usize, tone: Tone) -> Cell {
    if n > 0 {
        Cell::toned(n.to_string(), tone)
    } else {
        Cell::new("0")
    }
}
