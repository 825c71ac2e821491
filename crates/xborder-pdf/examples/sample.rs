//! Renders a realistic sample audit report.
//!
//! ```text
//! cargo run --release -p xborder-pdf --example sample -- out.pdf [--rows N]
//! ```
//!
//! `--rows N` sets the length of the transfer register (default 120); use a
//! large value (e.g. 10000) to time the renderer. Render time and file size
//! are printed to stderr.

use std::time::Instant;

use xborder_pdf::{
    Align, Block, Cell, Column, Document, FigureEdge, FigureGroup, FigureNode, FlowFigure, Meta,
    Section, Table, Tone, render_pdf,
};

/// Small deterministic generator so the sample is the same on every run.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.next() % items.len()]
    }
}

const SYSTEMS: &[(&str, &str, &str)] = &[
    ("crm", "Customer CRM (Salesforce EU)", "EEA"),
    ("shop", "Web shop platform", "EEA"),
    ("hr", "HR core system", "EEA"),
    ("payroll", "Payroll bureau", "EEA"),
    ("dwh", "Data warehouse Frankfurt", "EEA"),
    ("mail", "E-mail marketing", "EEA"),
    ("uk-support", "Customer support centre Leeds", "GB"),
    ("uk-fraud", "Fraud screening service", "GB"),
    ("uk-logistics", "Logistics partner", "GB"),
    ("ch-bank", "Treasury & banking", "CH"),
    ("ch-backup", "Offsite backup Zurich", "CH"),
    ("us-cloud", "Cloud analytics (us-east-1)", "US"),
    ("us-ads", "Advertising platform", "US"),
    ("us-ticket", "Ticketing SaaS", "US"),
    ("us-hq", "Group HQ reporting", "US"),
    ("us-llm", "Generative AI API", "US"),
    ("in-dev", "Offshore development Pune", "IN"),
    ("in-bpo", "BPO back office Bengaluru", "IN"),
    ("in-qa", "QA test environment", "IN"),
    ("in-callcenter", "Call centre overflow Chennai", "IN"),
];

const EDGES: &[(&str, &str, &str, Tone)] = &[
    ("crm", "us-cloud", "SCC 2021 Module 2 + TIA", Tone::Good),
    ("crm", "uk-support", "UK adequacy", Tone::Good),
    ("crm", "us-ads", "Consent only; no TIA on file", Tone::Bad),
    (
        "crm",
        "in-callcenter",
        "SCC 2021 Module 2, TIA pending",
        Tone::Caution,
    ),
    ("shop", "us-cloud", "DPF certified importer", Tone::Good),
    ("shop", "uk-fraud", "UK adequacy", Tone::Good),
    ("shop", "us-ads", "Pixel data, no mechanism", Tone::Bad),
    ("shop", "in-qa", "Production data in test", Tone::Bad),
    ("hr", "us-hq", "BCR-C approved", Tone::Good),
    ("hr", "payroll", "Intra-EEA", Tone::Neutral),
    ("hr", "in-bpo", "SCC 2021 Module 2", Tone::Good),
    ("hr", "ch-backup", "Swiss adequacy", Tone::Good),
    ("payroll", "ch-bank", "Swiss adequacy", Tone::Good),
    ("dwh", "us-cloud", "SCC 2021 Module 1", Tone::Good),
    ("dwh", "ch-backup", "Swiss adequacy", Tone::Good),
    (
        "dwh",
        "in-dev",
        "Remote access; supplementary measures unclear",
        Tone::Caution,
    ),
    (
        "dwh",
        "us-llm",
        "Out of scope (synthetic data)",
        Tone::Muted,
    ),
    (
        "mail",
        "us-ticket",
        "DPF certification lapsed",
        Tone::Caution,
    ),
    ("mail", "uk-support", "UK adequacy", Tone::Good),
    ("uk-support", "us-ticket", "UK IDTA", Tone::Good),
    (
        "uk-support",
        "in-callcenter",
        "UK Addendum to SCC",
        Tone::Good,
    ),
    ("uk-fraud", "us-cloud", "UK Extension to DPF", Tone::Good),
    ("uk-logistics", "crm", "EU adequacy for UK", Tone::Good),
    ("uk-logistics", "in-bpo", "No IDTA signed", Tone::Bad),
    (
        "ch-bank",
        "us-hq",
        "FADP: SCC with Swiss rider",
        Tone::Caution,
    ),
    ("ch-backup", "dwh", "Restore path", Tone::Neutral),
    (
        "us-cloud",
        "in-dev",
        "Onward transfer, not disclosed",
        Tone::Bad,
    ),
    ("us-cloud", "us-hq", "Domestic", Tone::Neutral),
    (
        "us-ticket",
        "in-bpo",
        "Onward transfer under SCC",
        Tone::Caution,
    ),
    ("us-hq", "crm", "Reverse flow (controller)", Tone::Good),
    (
        "us-llm",
        "us-cloud",
        "Prompt logs retained 30 days",
        Tone::Caution,
    ),
    ("in-dev", "in-qa", "Domestic", Tone::Neutral),
    ("in-bpo", "hr", "Return of processed records", Tone::Good),
    ("in-callcenter", "crm", "Case notes write-back", Tone::Good),
    (
        "in-qa",
        "us-ticket",
        "Bug reports with screenshots",
        Tone::Caution,
    ),
];

fn figure() -> FlowFigure {
    let groups = ["EEA", "GB", "CH", "US", "IN"]
        .iter()
        .map(|g| FigureGroup {
            label: (*g).to_string(),
            nodes: SYSTEMS
                .iter()
                .filter(|(_, _, group)| group == g)
                .map(|(id, label, _)| FigureNode {
                    id: (*id).to_string(),
                    label: (*label).to_string(),
                })
                .collect(),
        })
        .collect();
    FlowFigure {
        caption: "Personal-data flows between systems, grouped by jurisdiction of the \
                  recipient. Numbers refer to the transfer list below the figure."
            .to_string(),
        groups,
        edges: EDGES
            .iter()
            .map(|(from, to, label, tone)| FigureEdge {
                from: (*from).to_string(),
                to: (*to).to_string(),
                label: (*label).to_string(),
                tone: *tone,
            })
            .collect(),
        legend: vec![
            (Tone::Good, "Lawful transfer mechanism in place".to_string()),
            (Tone::Caution, "Mechanism incomplete".to_string()),
            (Tone::Bad, "No valid mechanism".to_string()),
            (Tone::Muted, "Out of scope".to_string()),
            (Tone::Neutral, "Domestic / intra-zone".to_string()),
        ],
        alt: format!(
            "Data-flow diagram: {} systems in 5 jurisdictions, {} transfers between them, \
             each listed by number below the figure.",
            SYSTEMS.len(),
            EDGES.len()
        ),
    }
}

fn register(rows: usize) -> Table {
    let mut rng = Lcg(42);
    let categories = [
        "Contact data",
        "Contact data, order history",
        "Employee master data, bank details",
        "Health data (sick leave)",
        "Device identifiers, cookies",
        "Support tickets incl. free text",
        "Payment card tokens",
        "Location data",
    ];
    let verdicts = [
        ("Compliant", Tone::Good),
        ("Compliant", Tone::Good),
        ("Compliant", Tone::Good),
        ("Review TIA", Tone::Caution),
        ("Non-compliant", Tone::Bad),
        ("Not applicable", Tone::Muted),
    ];
    let body = (1..=rows)
        .map(|i| {
            let (from, from_label, from_zone) = SYSTEMS[rng.next() % SYSTEMS.len()];
            let (_, to_label, to_zone) = SYSTEMS[rng.next() % SYSTEMS.len()];
            let (mech_from, mech_to, mech, _) = EDGES[rng.next() % EDGES.len()];
            let _ = (mech_from, mech_to);
            let (verdict, tone) = verdicts[rng.next() % verdicts.len()];
            vec![
                Cell::new(format!("T-{i:04}")),
                Cell::new(format!("{from}-flow-{}", rng.next() % 90 + 10)),
                Cell::new(format!("{from_label} ({from_zone})")),
                Cell::new(format!("{to_label} ({to_zone})")),
                Cell::new(rng.pick(&categories)),
                Cell::new(mech),
                Cell::toned(verdict, tone),
            ]
        })
        .collect();
    Table {
        columns: vec![
            Column::new("Ref", 0.8),
            Column::new("Flow", 1.3),
            Column::new("Exporter", 2.0),
            Column::new("Importer", 2.0),
            Column::new("Data categories", 2.0),
            Column::new("Mechanism", 2.2),
            Column::new("Verdict", 1.3).align(Align::Center),
        ],
        rows: body,
    }
}

fn findings() -> Table {
    let rows = [
        (
            "F-01",
            "High",
            Tone::Bad,
            "Advertising pixel sends device identifiers from the web shop to a US \
             advertising platform without any Article 46 mechanism.",
            "Suspend the pixel for EEA visitors until SCCs and a transfer impact \
             assessment are in place.",
        ),
        (
            "F-02",
            "High",
            Tone::Bad,
            "Production customer data is copied into the QA environment in India.",
            "Replace with synthetic or pseudonymised test data; document deletion of existing copies.",
        ),
        (
            "F-03",
            "Medium",
            Tone::Caution,
            "The e-mail marketing vendor's Data Privacy Framework certification lapsed \
             on 2025-01-31.",
            "Obtain renewed certification or execute SCC Module 2 as fallback.",
        ),
        (
            "F-04",
            "Medium",
            Tone::Caution,
            "Transfer impact assessment for the Chennai call centre is pending since Q3.",
            "Complete the TIA, including the assessment of local access laws.",
        ),
        (
            "F-05",
            "Low",
            Tone::Good,
            "Swiss rider for the treasury transfer references the superseded FADP.",
            "Update the rider to the revised FADP (in force since 2023-09-01).",
        ),
    ];
    Table {
        columns: vec![
            Column::new("ID", 0.7),
            Column::new("Severity", 1.0).align(Align::Center),
            Column::new("Finding", 4.0),
            Column::new("Recommendation", 3.5),
        ],
        rows: rows
            .iter()
            .map(|(id, sev, tone, finding, rec)| {
                vec![
                    Cell::new(*id),
                    Cell::toned(*sev, *tone),
                    Cell::new(*finding),
                    Cell::new(*rec),
                ]
            })
            .collect(),
    }
}

/// The sample report with a transfer register of `rows` rows.
fn sample(rows: usize) -> Document {
    let map_hash = "9f2c4e1a7b3d5f60812e4c9a0b7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d";
    let rules_hash = "0d4c6a8e2f1b3d5c7e9a0b2c4d6e8f1a3b5c7d9e0f2a4b6c8d0e1f3a5b7c9d2e";
    let created = chrono::NaiveDate::from_ymd_opt(2025, 6, 30)
        .and_then(|d| d.and_hms_opt(14, 5, 0))
        .unwrap_or_default();
    Document {
        meta: Meta {
            title: "Cross-border Transfer Audit — Acme Retail Group SE".to_string(),
            author: "xborder audit team".to_string(),
            subject: "Audit of personal-data transfers outside the EEA".to_string(),
            keywords: "GDPR, Chapter V, SCC, TIA, transfer audit".to_string(),
            language: "en".to_string(),
            created,
            document_id: *b"xborder-sample-1",
            custom_info: vec![
                (
                    "XborderReportId".to_string(),
                    "XB-2025-0630-0001".to_string(),
                ),
                ("XborderMapSha256".to_string(), map_hash.to_string()),
            ],
        },
        watermark: Some("UNSIGNED DRAFT".to_string()),
        running_header: "XB-2025-0630-0001 · Cross-border transfer audit · Acme Retail Group SE"
            .to_string(),
        sections: vec![
            Section::new(
                "Cover",
                vec![
                    Block::Spacer(60.0),
                    Block::Title("Cross-border Personal Data Transfer Audit".to_string()),
                    Block::Paragraph(
                        "Acme Retail Group SE — data map version 2025.3, assessed against \
                         GDPR Chapter V, UK GDPR and the Swiss FADP."
                            .to_string(),
                    ),
                    Block::Spacer(24.0),
                    Block::KeyValue(vec![
                        ("Report ID".to_string(), "XB-2025-0630-0001".to_string()),
                        (
                            "Organisation".to_string(),
                            "Acme Retail Group SE, Hamburg".to_string(),
                        ),
                        (
                            "Audit period".to_string(),
                            "2025-01-01 to 2025-06-30".to_string(),
                        ),
                        ("Generated".to_string(), "2025-06-30 14:05 UTC".to_string()),
                        ("Data map SHA-256".to_string(), map_hash.to_string()),
                        ("Rule set SHA-256".to_string(), rules_hash.to_string()),
                        ("Prepared by".to_string(), "xborder audit team".to_string()),
                        ("Signature".to_string(), "Not signed".to_string()),
                    ]),
                    Block::Spacer(16.0),
                    Block::Callout {
                        tone: Tone::Caution,
                        text: "Unsigned draft. This report becomes authoritative only once it \
                               carries a valid signature; verify the hashes above against the \
                               signed audit record."
                            .to_string(),
                    },
                ],
            )
            .without_heading(),
            Section::new(
                "1 Summary",
                vec![
                    Block::Paragraph(
                        "This audit examined every personal-data flow recorded in the \
                         organisation's data map and assessed whether each transfer to a \
                         recipient outside the European Economic Area rests on a valid \
                         transfer mechanism under Chapter V GDPR. Where the exporter is \
                         established in the United Kingdom or Switzerland, the equivalent \
                         national rules were applied."
                            .to_string(),
                    ),
                    Block::Paragraph(
                        "Of the 35 distinct flows between 20 systems, 19 are covered by an \
                         adequacy decision, approved binding corporate rules or executed \
                         standard contractual clauses. Seven flows need follow-up work and \
                         five lack any valid mechanism."
                            .to_string(),
                    ),
                    Block::Callout {
                        tone: Tone::Bad,
                        text: "Five transfers have no valid transfer mechanism. They should be \
                               suspended or remediated before the next review (see findings \
                               F-01 and F-02)."
                            .to_string(),
                    },
                    Block::Heading("Scope".to_string()),
                    Block::Bullets(vec![
                        "All systems listed in the data map, including processors and \
                         sub-processors disclosed in the processor register."
                            .to_string(),
                        "Transfers by remote access (e.g. support staff viewing data from a \
                         third country) count as transfers."
                            .to_string(),
                        "Out of scope: anonymised statistics and synthetic test data.".to_string(),
                    ]),
                    Block::Heading("Key figures".to_string()),
                    Block::KeyValue(vec![
                        ("Systems".to_string(), "20 in 5 jurisdictions".to_string()),
                        ("Flows assessed".to_string(), "35".to_string()),
                        ("Compliant".to_string(), "19".to_string()),
                        ("Needs review".to_string(), "7".to_string()),
                        ("Non-compliant".to_string(), "5".to_string()),
                        ("Not applicable".to_string(), "4".to_string()),
                    ]),
                    Block::Callout {
                        tone: Tone::Good,
                        text: "All intra-group HR transfers are covered by approved binding \
                               corporate rules."
                            .to_string(),
                    },
                ],
            )
            .on_new_page(),
            Section::new(
                "2 Transfer register",
                vec![
                    Block::Paragraph(format!(
                        "The register lists {rows} recorded transfers. The verdict column \
                         gives the result of the automated assessment; amber entries need a \
                         reviewer's decision."
                    )),
                    Block::Table(register(rows)),
                ],
            )
            .on_new_page(),
            Section::new(
                "3 Data-flow map",
                vec![
                    Block::Paragraph(
                        "The map shows each system once, in the column of the jurisdiction \
                         where the data is processed. Arrow colour gives the verdict for the \
                         transfer."
                            .to_string(),
                    ),
                    Block::Figure(figure()),
                ],
            )
            .on_new_page(),
            Section::new(
                "4 Findings",
                vec![
                    Block::Table(findings()),
                    Block::Callout {
                        tone: Tone::Muted,
                        text: "Findings are ordered by severity. Low-severity findings do not \
                               affect the overall verdict."
                            .to_string(),
                    },
                ],
            )
            .on_new_page(),
            Section::new(
                "5 Method and limitations",
                vec![
                    Block::Paragraph(
                        "The assessment is rule based: each flow is matched against the \
                         adequacy decisions, certifications and contracts recorded for the \
                         importer at the time of the audit."
                            .to_string(),
                    ),
                    Block::Small(
                        "This report does not constitute legal advice. It reflects the data \
                         map as provided; flows missing from the map are not covered. Hashes \
                         identify the exact inputs used."
                            .to_string(),
                    ),
                ],
            ),
        ],
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let mut path = None;
    let mut rows = 120;
    while let Some(arg) = args.next() {
        if arg == "--rows" {
            rows = args.next().ok_or("--rows needs a number")?.parse()?;
        } else {
            path = Some(arg);
        }
    }
    let path = path.ok_or("usage: sample OUT.pdf [--rows N]")?;
    let doc = sample(rows);
    let start = Instant::now();
    let bytes = render_pdf(&doc)?;
    let elapsed = start.elapsed();
    std::fs::write(&path, &bytes)?;
    eprintln!(
        "wrote {path}: {} bytes, {rows} register rows, rendered in {:.1} ms",
        bytes.len(),
        elapsed.as_secs_f64() * 1000.0
    );
    Ok(())
}
