//! Accepted risks (with `--accept`): every risk acceptance of the acceptance file with who
//! accepted it, why, until when, and what it covers on the as-of date.

use xborder_pdf::{Block, Cell, Column, Section, Table, Tone};

use super::AuditInput;

/// Every risk acceptance with what it covers on the as-of date: the findings it accepts, or
/// why it accepts none (expired: XB025; nothing to accept: XB026). `None` without an
/// acceptance file.
pub(super) fn accepted_risks(input: &AuditInput<'_>) -> Option<Section> {
    let acceptances = input.acceptances.as_ref()?;
    let eval = input.evaluation;
    let mut blocks = vec![Block::Paragraph(format!(
        "Findings the organisation decided to accept for a time, as recorded in {} (SHA-256 {}): who accepted each, why, and until when. An accepted finding stays in the register and the findings, marked accepted, but asks for no action before its acceptance ends; an acceptance past its end accepts nothing and is itself an error finding (XB025), one that matches no finding a warning (XB026).",
        acceptances.file, acceptances.sha256
    ))];
    if acceptances.list.is_empty() {
        blocks.push(Block::Callout {
            tone: Tone::Muted,
            text: "The file records no acceptance.".to_string(),
        });
        return Some(Section::new("Accepted risks", blocks).on_new_page());
    }
    let rows = acceptances
        .list
        .iter()
        .map(|a| {
            let covered = eval
                .findings
                .iter()
                .filter(|f| {
                    f.accepted
                        .as_ref()
                        .is_some_and(|x| x.file == acceptances.file && x.line == a.loc.line)
                })
                .count();
            let (status, tone) = if a.until < eval.as_of {
                (format!("expired on {} (XB025)", a.until), Tone::Bad)
            } else if covered == 0 {
                ("covers no finding (XB026)".to_string(), Tone::Caution)
            } else {
                (format!("covers {covered} finding(s)"), Tone::Muted)
            };
            let mut scope = format!("{} on flow {}", a.code, a.flow_written);
            for part in [&a.regime, &a.destination].into_iter().flatten() {
                scope.push_str(&format!(" · {part}"));
            }
            if let Some(path) = &a.path {
                scope.push_str(&format!("\npath: {}", path.join(" → ")));
            }
            vec![
                Cell::new(format!("{scope}\n{}:{}", acceptances.file, a.loc.line)),
                Cell::new(format!("{}\nuntil {}", a.accepted_by, a.until)),
                Cell::new(a.reason.clone()),
                Cell::toned(status, tone),
            ]
        })
        .collect();
    blocks.push(Block::Table(Table {
        columns: vec![
            Column::new("Finding accepted", 3.4),
            Column::new("Accepted by", 2.4),
            Column::new("Reason", 4.4),
            Column::new("On the as-of date", 2.2),
        ],
        rows,
    }));
    Some(Section::new("Accepted risks", blocks).on_new_page())
}
