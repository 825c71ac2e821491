//! The audit report: an evaluation, its inputs and its context laid out as a [`Document`]
//! with the sections an auditor expects (`PRODUCT.md`, "Report contents an auditor
//! expects"). Pure: every date, hash and identifier comes in through [`AuditInput`].

use std::collections::{BTreeMap, BTreeSet};

use chrono::{NaiveDate, NaiveDateTime};
use xborder_engine::{Comparison, Evaluation, Expiry, Finding, Hop, Verdict};
use xborder_law::{InForce, Rulebook, Severity};
use xborder_model::{EntityKind, Map};

use crate::provenance::{self, InputFile, Made};
use xborder_pdf::{
    Align, Block, Cell, Column, Document, FigureEdge, FigureGroup, FigureNode, FlowFigure, Meta,
    Section, Table, Tone,
};

/// Who signs the report, as printed in the sign-off block.
#[derive(Debug, Clone)]
pub struct Signer {
    pub name: String,
    pub role: String,
    /// Subject of the signing certificate.
    pub certificate_subject: String,
    /// SHA-256 fingerprint of the signing certificate (hex).
    pub certificate_sha256: String,
}

/// The base map a report compares against ("changes since").
#[derive(Debug, Clone)]
pub struct BaseInput<'a> {
    pub file: &'a str,
    pub map: &'a Map,
    pub sha256: &'a str,
    pub comparison: &'a Comparison,
}

/// Everything an audit report is made from.
#[derive(Debug, Clone)]
pub struct AuditInput<'a> {
    pub map: &'a Map,
    pub map_file: &'a str,
    pub map_sha256: &'a str,
    pub rulebook: &'a Rulebook,
    pub evaluation: &'a Evaluation,
    /// Hops whose verdict worsens within the horizon after the as-of date.
    pub expiring: &'a [Expiry],
    pub horizon_days: i64,
    pub base: Option<BaseInput<'a>>,
    pub organisation: &'a str,
    pub report_id: &'a str,
    pub document_id: [u8; 16],
    pub generated_at: NaiveDateTime,
    pub tool_version: &'a str,
    /// `None` renders an unsigned draft, watermarked on every page.
    pub signer: Option<Signer>,
    /// The risk acceptances applied to the evaluation (`--accept`), if any.
    pub acceptances: Option<AcceptancesInput<'a>>,
}

/// A risk acceptance file: listed in its own section, each acceptance with what it covers.
#[derive(Debug, Clone)]
pub struct AcceptancesInput<'a> {
    pub file: &'a str,
    pub sha256: &'a str,
    pub list: &'a [xborder_model::Acceptance],
}

/// The watermark of reports made without a signing key.
pub const UNSIGNED: &str = "UNSIGNED DRAFT";

/// Builds the audit report document.
pub fn audit_document(input: &AuditInput<'_>) -> Document {
    let eval = input.evaluation;
    let as_of = eval.as_of;
    let meta = Meta {
        title: format!(
            "Cross-border transfer audit — {} — as of {as_of}",
            input.organisation
        ),
        author: provenance::author(input.signer.as_ref()),
        subject: format!(
            "Transfer audit of {} as of {as_of}; report {}",
            input.map_file, input.report_id
        ),
        keywords: "GDPR Chapter V, international transfers, audit, xborder".to_string(),
        created: input.generated_at,
        document_id: input.document_id,
        custom_info: provenance::info(
            &made(input),
            input.report_id,
            &InputFile::map(input.map_file, input.map_sha256),
            Vec::new(),
        ),
    };
    let mut sections = vec![
        cover(input),
        summary(input),
        scope(input),
        methodology(input),
        figure(input),
        register(input),
        findings(input),
    ];
    if let Some(acceptances) = &input.acceptances {
        sections.push(accepted_risks(input, acceptances));
    }
    sections.push(expiring(input));
    if let Some(base) = &input.base {
        sections.push(changes(input, base));
    }
    sections.push(sign_off(input));
    sections.push(appendix(input));
    Document {
        meta,
        watermark: input.signer.is_none().then(|| UNSIGNED.to_string()),
        running_header: format!(
            "{} · transfer audit as of {as_of} · {}",
            input.organisation, input.report_id
        ),
        sections,
    }
}

/// When and with what the report was made.
fn made<'a>(input: &AuditInput<'a>) -> Made<'a> {
    Made {
        as_of: input.evaluation.as_of,
        generated_at: input.generated_at,
        tool_version: input.tool_version,
        rulebook: input.rulebook,
    }
}

pub fn verdict_tone(v: Verdict) -> Tone {
    match v {
        Verdict::NotATransfer => Tone::Muted,
        Verdict::Lawful => Tone::Good,
        Verdict::Conditional => Tone::Caution,
        Verdict::Unlawful => Tone::Bad,
    }
}

pub(crate) fn severity_tone(s: Severity) -> Tone {
    match s {
        Severity::Error => Tone::Bad,
        Severity::Warning => Tone::Caution,
        Severity::Info => Tone::Muted,
    }
}

pub(crate) fn entity_label(map: &Map, id: &str) -> String {
    map.entities
        .iter()
        .find(|e| e.id == id)
        .map_or_else(|| id.to_string(), |e| format!("{} ({})", e.name, e.country))
}

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

fn cover(input: &AuditInput<'_>) -> Section {
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

fn summary(input: &AuditInput<'_>) -> Section {
    let eval = input.evaluation;
    let s = &eval.summary;
    let (tone, text) = conclusion(eval);
    let share = |n: usize| {
        if s.hops == 0 {
            "0%".to_string()
        } else {
            format!("{:.0}%", n as f64 * 100.0 / s.hops as f64)
        }
    };
    let counts = Table {
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
    };
    let mut by_regime: BTreeMap<&str, [usize; 4]> = BTreeMap::new();
    for h in &eval.hops {
        by_regime.entry(h.regime.as_str()).or_default()[h.verdict as usize] += 1;
    }
    let regimes = Table {
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
    };
    // One row per code and severity actually found (a code's findings are errors on one hop
    // and warnings where the hop stands on another mechanism), accepted ones apart: the rows
    // add up to the counts of the JSON result.
    let mut by_code: BTreeMap<(&str, std::cmp::Reverse<Severity>, bool), usize> = BTreeMap::new();
    for f in &eval.findings {
        let key = (
            f.code.as_str(),
            std::cmp::Reverse(f.severity),
            f.accepted.is_some(),
        );
        *by_code.entry(key).or_default() += 1;
    }
    let codes = Table {
        columns: vec![
            Column::new("Code", 1.2),
            Column::new("Severity", 1.3),
            Column::new("Count", 1.0).align(Align::Right),
            Column::new("What it means", 8.0),
        ],
        rows: by_code
            .iter()
            .map(|((code, std::cmp::Reverse(sev), accepted), n)| {
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
    };
    let mut blocks = vec![
        Block::Callout { tone, text },
        Block::Heading("Hops by verdict".to_string()),
        Block::Table(counts),
        Block::Heading("Hops by regime".to_string()),
        Block::Table(regimes),
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

fn cell_count(n: usize, tone: Tone) -> Cell {
    if n > 0 {
        Cell::toned(n.to_string(), tone)
    } else {
        Cell::new("0")
    }
}

fn scope(input: &AuditInput<'_>) -> Section {
    let map = input.map;
    let eval = input.evaluation;
    let regimes: Vec<&str> = {
        let mut r: Vec<&str> = eval.hops.iter().map(|h| h.regime.as_str()).collect();
        r.sort_unstable();
        r.dedup();
        r
    };
    let mut blocks = vec![
        Block::Paragraph(format!(
            "The audit covers the data map {} of {} ({} entities, {} flows, {} agreement(s)). Every flow is followed for each regime whose data it carries; each hop is judged for each country in which the importer processes the data. Regimes carried by the map on {}: {}.",
            input.map_file,
            input.organisation,
            map.entities.len(),
            map.flows.len(),
            map.agreements.len(),
            eval.as_of,
            if regimes.is_empty() {
                "none".to_string()
            } else {
                regimes.join(", ")
            }
        )),
        Block::Paragraph(format!(
            "Criteria: the rulebook {} entries in force on {} for those regimes, listed below with their citations. Entries the rulebook marks as unconfirmed (its sources do not settle them) are relied on only with a warning (XB014).",
            input.rulebook.manifest.version, eval.as_of
        )),
    ];
    for regime in &regimes {
        let f = input.rulebook.in_force(eval.as_of, Some(regime));
        blocks.push(Block::Heading(format!("Criteria in force for {regime}")));
        blocks.push(Block::Table(criteria_table(&f)));
    }
    Section::new("Scope and criteria", blocks).on_new_page()
}

fn criteria_table(f: &InForce) -> Table {
    let mut rows = Vec::new();
    for r in &f.regimes {
        rows.push(vec![
            Cell::new("regime"),
            Cell::new(format!("{} — {}", r.id, r.name)),
            Cell::new(format!(
                "{}; territory: {}",
                r.period.as_deref().unwrap_or("not in force"),
                r.territory.join(" ")
            )),
            Cell::new(r.citation.clone().unwrap_or_default()),
        ]);
    }
    // Decisions that differ only in their destination (the UK and Swiss lists name each
    // country with the same instrument) share one row.
    let mut groups: Vec<(&str, &str, &str, &str, Vec<String>)> = Vec::new();
    for a in f.adequacy.iter().chain(&f.frameworks) {
        let kind = if a.framework.is_some() {
            "framework"
        } else {
            "adequacy"
        };
        let destination = a
            .destination
            .clone()
            .unwrap_or_else(|| "organisation".to_string());
        match groups
            .iter_mut()
            .find(|g| g.0 == kind && g.2 == a.scope && g.3 == a.citation)
        {
            Some(g) => g.4.push(destination),
            None => groups.push((
                kind,
                a.reference.as_str(),
                a.scope.as_str(),
                a.citation.as_str(),
                vec![destination],
            )),
        }
    }
    for (kind, reference, scope, citation, destinations) in groups {
        rows.push(vec![
            Cell::new(kind),
            Cell::new(format!("{reference}\n→ {}", destinations.join(", "))),
            Cell::new(scope),
            Cell::new(citation),
        ]);
    }
    for b in &f.bridges {
        rows.push(vec![
            Cell::new("bridge"),
            Cell::new(format!("{} → {}", b.id, b.destination)),
            Cell::new(b.name.clone()),
            Cell::new(b.citation.clone()),
        ]);
    }
    for s in &f.scc {
        rows.push(vec![
            Cell::new("SCC"),
            Cell::new(format!("{} {}", s.version, s.name)),
            Cell::new(format!("{:?}; modules: {}", s.status, s.modules.join("; ")).to_lowercase()),
            Cell::new(s.citation.clone()),
        ]);
    }
    for t in &f.tools {
        rows.push(vec![
            Cell::new(t.kind.clone()),
            Cell::new(t.name.clone()),
            Cell::new(if t.grounds.is_empty() {
                format!("{:?}", t.effect).to_lowercase()
            } else {
                t.grounds
                    .iter()
                    .map(|g| g.ground.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            }),
            Cell::new(t.citation.clone()),
        ]);
    }
    for o in &f.onward {
        rows.push(vec![
            Cell::new(format!("onward rule: {}", o.instrument)),
            Cell::new(o.name.clone()),
            Cell::new(o.grounds.join("; ")),
            Cell::new(o.citation.clone()),
        ]);
    }
    for a in &f.advisories {
        rows.push(vec![
            Cell::new(format!("advisory {}", a.code)),
            Cell::new(a.id.clone()),
            Cell::new(a.message.clone()),
            Cell::new(a.citation.clone()),
        ]);
    }
    Table {
        columns: vec![
            Column::new("Kind", 1.3),
            Column::new("Entry", 3.0),
            Column::new("Scope / status", 4.0),
            Column::new("Citation", 4.0),
        ],
        rows,
    }
}

fn methodology(input: &AuditInput<'_>) -> Section {
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

fn worst(hops: &[&Hop]) -> Option<Verdict> {
    hops.iter().map(|h| h.verdict).max_by_key(|v| v.badness())
}

/// Most entities the data-flow figure draws. Beyond that a page cannot show them legibly,
/// and laying out the edges between them grows with the square of their number.
pub const FIGURE_MAX_ENTITIES: usize = 120;

fn figure(input: &AuditInput<'_>) -> Section {
    let map = input.map;
    let mut used = vec![false; map.entities.len()];
    for f in &map.flows {
        used[f.from] = true;
        used[f.to] = true;
    }
    let drawn = used.iter().filter(|u| **u).count();
    if drawn > FIGURE_MAX_ENTITIES {
        let countries: BTreeSet<&str> = map
            .entities
            .iter()
            .zip(&used)
            .filter(|(_, u)| **u)
            .map(|(e, _)| e.country.as_str())
            .collect();
        return Section::new(
            "Data-flow figure",
            vec![Block::Callout {
                tone: Tone::Muted,
                text: format!(
                    "The map has {drawn} entities with flows, in {} countries and regions: more than the {FIGURE_MAX_ENTITIES} a figure can show legibly, so none is drawn. The transfer register lists every hop with its verdict and witness path, and the findings give each problem with its location in the map.",
                    countries.len()
                ),
            }],
        );
    }
    let mut by_flow: BTreeMap<usize, Vec<&Hop>> = BTreeMap::new();
    for h in &input.evaluation.hops {
        by_flow.entry(h.flow).or_default().push(h);
    }
    // One group per country or region; a country with many entities is split by kind of
    // entity, so that no column runs off the page.
    let mut per_place: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, e) in map.entities.iter().enumerate().filter(|(i, _)| used[*i]) {
        *per_place.entry(e.country.as_str()).or_default() += 1;
    }
    let mut groups: BTreeMap<String, Vec<FigureNode>> = BTreeMap::new();
    for (_, e) in map.entities.iter().enumerate().filter(|(i, _)| used[*i]) {
        let place = e.country.as_str();
        let label = if per_place.get(place).copied().unwrap_or(0) > 8 {
            let kind = match e.kind {
                EntityKind::Company => "company",
                EntityKind::Vendor => "vendors",
                EntityKind::Partner => "partners",
                EntityKind::Authority => "authorities",
                EntityKind::Subjects => "data subjects",
            };
            format!("{place} · {kind}")
        } else {
            // The code, with the name when it fits the column.
            xborder_law::place_name(place)
                .map(|n| format!("{place} · {n}"))
                .filter(|label| label.chars().count() <= 14)
                .unwrap_or_else(|| place.to_string())
        };
        groups.entry(label).or_default().push(FigureNode {
            id: e.id.clone(),
            label: e.name.clone(),
        });
    }
    let edges: Vec<FigureEdge> = map
        .flows
        .iter()
        .map(|f| {
            let hops = by_flow.get(&f.index).map(Vec::as_slice).unwrap_or(&[]);
            let verdict = worst(hops);
            let label = format!(
                "{}: {} → {} — {}",
                f.id.as_deref()
                    .map_or_else(|| format!("flow {}", f.index), str::to_string),
                map.entities[f.from].id,
                map.entities[f.to].id,
                verdict.map_or("no restricted regime", Verdict::as_str)
            );
            FigureEdge {
                from: map.entities[f.from].id.clone(),
                to: map.entities[f.to].id.clone(),
                label,
                tone: verdict.map_or(Tone::Muted, verdict_tone),
            }
        })
        .collect();
    let figure = FlowFigure {
        caption: format!(
            "Data flows of {} grouped by country or region; each edge is coloured by the worst verdict of its hops as of {}.",
            input.organisation, input.evaluation.as_of
        ),
        groups: groups
            .into_iter()
            .map(|(label, nodes)| FigureGroup { label, nodes })
            .collect(),
        edges,
        legend: vec![
            (Tone::Bad, "unlawful".into()),
            (Tone::Caution, "conditional".into()),
            (Tone::Good, "lawful".into()),
            (Tone::Muted, "not a transfer / no restricted regime".into()),
        ],
    };
    Section::new("Data-flow figure", vec![Block::Figure(figure)])
        .on_new_page()
        .without_heading()
}

fn date(d: Option<NaiveDate>) -> String {
    d.map_or_else(|| "—".to_string(), |d| d.to_string())
}

/// The claimed mechanism of a hop in words: kind, version, module, dates, agreement.
fn mechanism_detail(map: &Map, hop: &Hop) -> String {
    let Some(flow) = map.flows.get(hop.flow) else {
        return String::new();
    };
    let Some(kind) = hop.mechanism.as_deref() else {
        return "none".to_string();
    };
    let agreement = flow.agreement.and_then(|a| map.agreements.get(a));
    let claimed = flow
        .mechanisms
        .iter()
        .chain(agreement.iter().flat_map(|a| a.mechanisms.iter()))
        .find(|m| m.kind_name() == kind);
    let mut text = claimed.map_or_else(|| kind.to_string(), |m| m.describe());
    if let Some(a) = agreement
        && claimed.is_some_and(|m| a.mechanisms.contains(m))
    {
        text.push_str(&format!(
            "; agreement {} signed {}, expires {}",
            a.id,
            date(a.signed),
            date(a.expires)
        ));
    }
    text
}

fn register(input: &AuditInput<'_>) -> Section {
    let map = input.map;
    let rows: Vec<Vec<Cell>> = input
        .evaluation
        .hops
        .iter()
        .map(|h| {
            vec![
                Cell::new(
                    h.id.clone()
                        .map_or_else(|| format!("{}", h.flow), |id| format!("{} {id}", h.flow)),
                ),
                Cell::new(format!(
                    "{} → {}",
                    entity_label(map, &h.from),
                    entity_label(map, &h.to)
                )),
                Cell::new(h.regime.clone()),
                Cell::new(h.destination.clone()),
                Cell::new(h.categories.join(", ")),
                Cell::new(mechanism_detail(map, h)),
                Cell::toned(h.verdict.as_str(), verdict_tone(h.verdict)),
            ]
        })
        .collect();
    let table = Table {
        columns: vec![
            Column::new("Flow", 1.6),
            Column::new("Exporter → importer", 4.0),
            Column::new("Regime", 1.4),
            Column::new("Dest.", 0.9),
            Column::new("Data", 2.6),
            Column::new("Mechanism", 3.2),
            Column::new("Verdict", 1.6),
        ],
        rows,
    };
    Section::new(
        "Transfer register",
        vec![
            Block::Paragraph("One row per hop: a flow, a regime its data carries, and a destination country. The mechanism column shows the basis that decided the verdict with its contract dates; \"none\" means no mechanism was claimed or none applies.".to_string()),
            Block::Table(table),
        ],
    )
    .on_new_page()
}

pub(crate) fn finding_rows(findings: &[&Finding], map: &Map) -> Vec<Vec<Cell>> {
    findings
        .iter()
        .map(|f| {
            let flow = map
                .flows
                .get(f.flow)
                .and_then(|x| x.id.clone())
                .map_or_else(
                    || format!("flow {}", f.flow),
                    |id| format!("flow {} {id}", f.flow),
                );
            let (code, tone) = match &f.accepted {
                Some(_) => (
                    format!("{}\n{}\naccepted", f.code, f.severity.as_str()),
                    Tone::Muted,
                ),
                None => (
                    format!("{}\n{}", f.code, f.severity.as_str()),
                    severity_tone(f.severity),
                ),
            };
            let accepted = f
                .accepted
                .as_ref()
                .map(|a| {
                    format!(
                        "\nRisk accepted by {} until {} ({}:{}): {}",
                        a.by, a.until, a.file, a.line, a.reason
                    )
                })
                .unwrap_or_default();
            vec![
                Cell::toned(code, tone),
                Cell::new(format!(
                    "{flow}\n{} → {}\npath: {}",
                    f.regime,
                    f.destination,
                    f.path_text()
                )),
                Cell::new(format!(
                    "{}{accepted}\nRemediation: {}",
                    f.message, f.remediation
                )),
                Cell::new(f.citation.clone()),
            ]
        })
        .collect()
}

pub(crate) fn finding_columns() -> Vec<Column> {
    vec![
        Column::new("Code", 1.2),
        Column::new("Hop and witness path", 3.0),
        Column::new("Finding, reasoning and remediation", 5.2),
        Column::new("Citation", 3.0),
    ]
}

fn findings(input: &AuditInput<'_>) -> Section {
    let map = input.map;
    let mut blocks = vec![Block::Paragraph(
        "Each finding names its stable code (explained by `xborder explain CODE`), its severity, the hop with the witness path from a data source to it, the reasoning, the citation of the rule that decided it, and the remediation. Errors first, then warnings, then information.".to_string(),
    )];
    for (severity, title) in [
        (Severity::Error, "Errors"),
        (Severity::Warning, "Warnings"),
        (Severity::Info, "Information"),
    ] {
        let list: Vec<&Finding> = input
            .evaluation
            .findings
            .iter()
            .filter(|f| f.severity == severity)
            .collect();
        if list.is_empty() {
            continue;
        }
        blocks.push(Block::Heading(format!("{title} ({})", list.len())));
        blocks.push(Block::Table(Table {
            columns: finding_columns(),
            rows: finding_rows(&list, map),
        }));
    }
    if input.evaluation.findings.is_empty() {
        blocks.push(Block::Callout {
            tone: Tone::Good,
            text: "No findings.".to_string(),
        });
    }
    Section::new("Findings", blocks).on_new_page()
}

/// Every risk acceptance with what it covers on the as-of date: the findings it accepts, or
/// why it accepts none (expired: XB025; nothing to accept: XB026).
fn accepted_risks(input: &AuditInput<'_>, acceptances: &AcceptancesInput<'_>) -> Section {
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
        return Section::new("Accepted risks", blocks).on_new_page();
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
    Section::new("Accepted risks", blocks).on_new_page()
}

fn expiring(input: &AuditInput<'_>) -> Section {
    let mut blocks = vec![Block::Paragraph(format!(
        "Hops whose verdict gets worse within {} days after {} — a certification or agreement ending, an SCC grandfathering period closing, an adequacy decision's sunset — with the day it happens.",
        input.horizon_days, input.evaluation.as_of
    ))];
    if input.expiring.is_empty() {
        blocks.push(Block::Callout {
            tone: Tone::Good,
            text: "Nothing expires within the horizon.".to_string(),
        });
    } else {
        let rows = input
            .expiring
            .iter()
            .map(|e| {
                vec![
                    Cell::new(e.date.to_string()),
                    Cell::new(format!(
                        "{} {} → {}",
                        e.id.as_deref()
                            .map_or_else(|| format!("flow {}", e.flow), str::to_string),
                        e.from,
                        e.to
                    )),
                    Cell::new(format!("{} → {}", e.regime, e.destination)),
                    Cell::new(e.mechanism.clone().unwrap_or_default()),
                    Cell::toned(format!("{} → {}", e.before, e.after), verdict_tone(e.after)),
                    Cell::new(xborder_engine::codes_text(&e.codes)),
                ]
            })
            .collect();
        blocks.push(Block::Table(Table {
            columns: vec![
                Column::new("From", 1.6),
                Column::new("Hop", 4.0),
                Column::new("Regime", 2.0),
                Column::new("Basis now", 1.8),
                Column::new("Verdict", 2.4),
                Column::new("Codes", 1.6),
            ],
            rows,
        }));
    }
    Section::new("Expiring mechanisms", blocks).on_new_page()
}

fn changes(input: &AuditInput<'_>, base: &BaseInput<'_>) -> Section {
    let c = base.comparison;
    let new: Vec<&Finding> = c.new_findings().collect();
    let resolved: Vec<&Finding> = c.resolved.iter().collect();
    let mut blocks = vec![Block::KeyValue(vec![
        ("Base map".to_string(), base.file.to_string()),
        ("Base SHA-256".to_string(), base.sha256.to_string()),
        ("New findings".to_string(), new.len().to_string()),
        ("Resolved findings".to_string(), resolved.len().to_string()),
        (
            "Hops with a changed verdict".to_string(),
            c.verdicts.len().to_string(),
        ),
    ])];
    if !c.verdicts.is_empty() {
        let verdict = |v: Option<Verdict>| v.map_or("(no hop)", Verdict::as_str);
        blocks.push(Block::Heading("Verdict changes".to_string()));
        blocks.push(Block::Table(Table {
            columns: vec![
                Column::new("Flow", 3.0),
                Column::new("Regime → dest.", 2.5),
                Column::new("Before", 2.0),
                Column::new("Now", 2.0),
            ],
            rows: c
                .verdicts
                .iter()
                .map(|v| {
                    vec![
                        Cell::new(v.flow.clone()),
                        Cell::new(format!("{} → {}", v.regime, v.destination)),
                        Cell::new(verdict(v.before)),
                        v.after.map_or_else(
                            || Cell::new("(no hop)"),
                            |a| Cell::toned(a.as_str(), verdict_tone(a)),
                        ),
                    ]
                })
                .collect(),
        }));
    }
    for (title, list, map) in [
        ("New findings", &new, input.map),
        ("Resolved findings (base map)", &resolved, base.map),
    ] {
        if !list.is_empty() {
            blocks.push(Block::Heading(title.to_string()));
            blocks.push(Block::Table(Table {
                columns: finding_columns(),
                rows: finding_rows(list, map),
            }));
        }
    }
    Section::new("Changes since the base map", blocks).on_new_page()
}

fn sign_off(input: &AuditInput<'_>) -> Section {
    let blocks = match &input.signer {
        Some(s) => vec![
            Block::Paragraph(format!(
                "I have reviewed the transfers of {} as recorded in {} (SHA-256 {}) against rulebook {} as of {}, and I sign this report with the certificate below. The digital signature covers the whole document.",
                input.organisation, input.map_file, input.map_sha256, input.rulebook.manifest.version, input.evaluation.as_of
            )),
            Block::KeyValue(provenance::signer_rows(s, input.generated_at)),
        ],
        None => vec![Block::Callout {
            tone: Tone::Caution,
            text: "UNSIGNED DRAFT: this report was produced without a signing key. It carries no digital signature and no sign-off; do not rely on it as audit evidence.".to_string(),
        }],
    };
    Section::new("Sign-off", blocks).on_new_page()
}

fn appendix(input: &AuditInput<'_>) -> Section {
    let file = "REPORT.pdf";
    let mut blocks = vec![
        Block::Paragraph("The report carries a PAdES-B-B digital signature (ETSI.CAdES.detached, SHA-256, ECDSA P-256) over every byte except the signature itself, and records the SHA-256 of the data map and of the rulebook it was computed from. To check it:".to_string()),
        Block::Bullets(vec![
            format!("xborder verify {file} --trust ca.pem --map {} — checks the byte range, digest, signature and certificate chain, prints signer, time, report ID and input hashes, and confirms the map's hash.", input.map_file),
            format!("pyhanko sign validate --pretty-print --trust ca.pem {file} — an independent validator."),
            format!("pdfsig {file} — poppler's signature check."),
            format!("sha256sum {} — must equal the map hash below.", input.map_file),
            format!("xborder check {} --as-of {} — recomputes every verdict of this report.", input.map_file, input.evaluation.as_of),
        ]),
        Block::KeyValue(vec![
            ("Report ID".to_string(), input.report_id.to_string()),
            ("Map SHA-256".to_string(), input.map_sha256.to_string()),
            ("Rulebook".to_string(), input.rulebook.manifest.version.clone()),
            ("Rulebook SHA-256".to_string(), input.rulebook.sha256.clone()),
        ]),
        Block::Heading("Finding codes".to_string()),
    ];
    blocks.push(Block::Table(Table {
        columns: vec![
            Column::new("Code", 1.0),
            Column::new("Title", 4.0),
            Column::new("Fix", 6.0),
        ],
        rows: input
            .rulebook
            .codes
            .iter()
            .map(|c| {
                vec![
                    Cell::new(c.code.clone()),
                    Cell::new(c.title.clone()),
                    Cell::new(c.fix.clone()),
                ]
            })
            .collect(),
    }));
    Section::new("Appendix: how to verify this report", blocks).on_new_page()
}
