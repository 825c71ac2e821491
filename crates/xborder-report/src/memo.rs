//! The vendor review memo: a [`VendorReview`] laid out as the memo a lawyer files — decision,
//! reasons and conditions first, then the vendor, every hop it creates with what the hop needs,
//! the new paths and findings, the contract-term checklist, special-category data, security and
//! retention, the what-if, sign-off and how to verify. Pure: every date, hash and identifier
//! comes in through [`MemoInput`].

use chrono::NaiveDateTime;
use xborder_engine::{Finding, Verdict};
use xborder_law::Rulebook;
use xborder_model::Map;
use xborder_review::{Decision, Point, Status, Term, VendorReview};

use crate::audit::{Signer, UNSIGNED, entity_label, finding_columns, finding_rows, verdict_tone};
use crate::provenance::{self, InputFile, Made};
use xborder_pdf::{Align, Block, Cell, Column, Document, Meta, Section, Table, Tone};

/// Everything a memo is made from.
#[derive(Debug, Clone)]
pub struct MemoInput<'a> {
    pub review: &'a VendorReview,
    pub rulebook: &'a Rulebook,
    pub map_file: &'a str,
    pub map_sha256: &'a str,
    pub intake_file: &'a str,
    pub intake_sha256: &'a str,
    /// Whose map the vendor would join.
    pub organisation: &'a str,
    pub memo_id: &'a str,
    pub document_id: [u8; 16],
    pub generated_at: NaiveDateTime,
    pub tool_version: &'a str,
    /// `None` renders an unsigned draft, watermarked on every page.
    pub signer: Option<Signer>,
}

pub fn decision_tone(d: Decision) -> Tone {
    match d {
        Decision::Approve => Tone::Good,
        Decision::ApproveWithConditions => Tone::Caution,
        Decision::Reject => Tone::Bad,
    }
}

fn status_tone(s: Status) -> Tone {
    match s {
        Status::Present => Tone::Good,
        Status::Missing => Tone::Bad,
        Status::NotNeeded => Tone::Muted,
    }
}

/// The decision in one sentence.
pub fn decision_sentence(review: &VendorReview) -> String {
    let s = &review.summary;
    let hops = format!(
        "{} new hop(s): {} unlawful, {} conditional, {} lawful, {} not a transfer",
        s.hops, s.unlawful, s.conditional, s.lawful, s.not_a_transfer
    );
    let assumed = if review.assumed_invalid.is_empty() {
        String::new()
    } else {
        format!(
            " Assuming struck down: {}.",
            review.assumed_invalid.join(", ")
        )
    };
    match review.decision {
        Decision::Approve => format!(
            "{}: {} may receive the data as proposed as of {} ({hops}).{assumed}",
            review.decision.title(),
            review.vendor_name,
            review.as_of
        ),
        Decision::ApproveWithConditions => format!(
            "{}: {} may receive the data as of {} once the {} condition(s) below are met ({hops}).{assumed}",
            review.decision.title(),
            review.vendor_name,
            review.as_of,
            review.conditions.len()
        ),
        Decision::Reject => format!(
            "{}: {} must not receive the data as proposed as of {}, for {} reason(s) ({hops}).{assumed}",
            review.decision.title(),
            review.vendor_name,
            review.as_of,
            review.reasons.len()
        ),
    }
}

/// Builds the memo document.
pub fn memo_document(input: &MemoInput<'_>) -> Document {
    let r = input.review;
    let meta = Meta {
        title: format!("Vendor review memo — {} — as of {}", r.vendor_name, r.as_of),
        author: provenance::author(input.signer.as_ref()),
        subject: format!(
            "Review of vendor {} ({}) against {} as of {}: {}; memo {}",
            r.vendor_name,
            input.intake_file,
            input.map_file,
            r.as_of,
            r.decision.as_str(),
            input.memo_id
        ),
        keywords: input.rulebook.text("memo.keywords").to_string(),
        language: provenance::LANGUAGE.to_string(),
        created: input.generated_at,
        document_id: input.document_id,
        custom_info: provenance::info(
            &made(input),
            input.memo_id,
            &InputFile::map(input.map_file, input.map_sha256),
            vec![
                ("XborderVendorFile".into(), input.intake_file.into()),
                ("XborderVendorSha256".into(), input.intake_sha256.into()),
                ("XborderDecision".into(), r.decision.as_str().into()),
            ],
        ),
    };
    let mut sections = vec![
        cover(input),
        decision(input),
        vendor(input),
        hops(input),
        paths(input),
        checklist(
            "Contract terms",
            "What the contract with the vendor must contain for these flows, and whether the intake shows it.",
            &r.terms,
        ),
    ];
    if !r.special.is_empty() {
        sections.push(special(input));
    }
    sections.push(checklist(
        "Security and retention",
        "Attestations, breach notification and retention as the vendor states them.",
        &r.security,
    ));
    if let Some(section) = what_if(input) {
        sections.push(section);
    }
    sections.push(sign_off(input));
    sections.push(appendix(input));
    Document {
        meta,
        watermark: input.signer.is_none().then(|| UNSIGNED.to_string()),
        running_header: format!(
            "{} · vendor review of {} as of {} · {}",
            input.organisation, r.vendor_name, r.as_of, input.memo_id
        ),
        sections,
    }
}

/// When and with what the memo was made.
fn made<'a>(input: &MemoInput<'a>) -> Made<'a> {
    Made {
        as_of: input.review.as_of,
        generated_at: input.generated_at,
        tool_version: input.tool_version,
        rulebook: input.rulebook,
    }
}

fn cover(input: &MemoInput<'_>) -> Section {
    let r = input.review;
    let mut kv = vec![
        ("Memo ID".to_string(), input.memo_id.to_string()),
        ("Organisation".to_string(), input.organisation.to_string()),
        (
            "Vendor".to_string(),
            format!("{} ({})", r.vendor_name, r.vendor),
        ),
    ];
    kv.extend(provenance::made_from(
        &made(input),
        &[
            InputFile::map(input.map_file, input.map_sha256),
            InputFile {
                label: "Vendor intake",
                hash_label: "Intake SHA-256",
                path: input.intake_file,
                sha256: input.intake_sha256,
            },
        ],
    ));
    if !r.assumed_invalid.is_empty() {
        kv.push((
            "Assumed struck down".to_string(),
            r.assumed_invalid.join(", "),
        ));
    }
    kv.push(provenance::signature_row(input.signer.as_ref()));
    Section {
        title: "Cover".to_string(),
        show_title: false,
        new_page: false,
        blocks: vec![
            Block::Title("Vendor review memo".to_string()),
            Block::Paragraph(format!(
                "{} — may {} receive {}'s personal data? Judged as of {}.",
                r.vendor_name, r.vendor, input.organisation, r.as_of
            )),
            Block::Spacer(12.0),
            Block::KeyValue(kv),
            Block::Spacer(12.0),
            Block::Callout {
                tone: decision_tone(r.decision),
                text: decision_sentence(r),
            },
        ],
    }
}

fn points_table(points: &[Point], first: &str) -> Table {
    Table {
        columns: vec![
            Column::new("#", 0.5).align(Align::Right),
            Column::new(first, 7.0),
            Column::new("Citation", 4.0),
        ],
        rows: points
            .iter()
            .enumerate()
            .map(|(i, p)| {
                vec![
                    Cell::new((i + 1).to_string()),
                    Cell::new(p.text.clone()),
                    Cell::new(p.citation.clone()),
                ]
            })
            .collect(),
    }
}

fn decision(input: &MemoInput<'_>) -> Section {
    let r = input.review;
    let mut blocks = vec![Block::Callout {
        tone: decision_tone(r.decision),
        text: decision_sentence(r),
    }];
    let (reasons, conditions) = match r.decision {
        Decision::Reject => (
            "Reasons for rejection",
            "To reconsider, the vendor and the contract must first meet these conditions",
        ),
        Decision::ApproveWithConditions => ("Grounds", "Conditions of the approval"),
        Decision::Approve => ("Grounds", "Conditions"),
    };
    blocks.push(Block::Heading(reasons.to_string()));
    blocks.push(Block::Table(points_table(&r.reasons, "Reason")));
    if !r.conditions.is_empty() {
        blocks.push(Block::Heading(conditions.to_string()));
        blocks.push(Block::Table(points_table(&r.conditions, "Condition")));
    }
    if !r.notes.is_empty() {
        blocks.push(Block::Heading("Notes".to_string()));
        blocks.push(Block::Table(points_table(&r.notes, "Note")));
    }
    Section::new("Decision", blocks).on_new_page()
}

fn entity_rows(map: &Map, ids: &[String]) -> Vec<Vec<Cell>> {
    ids.iter()
        .filter_map(|id| map.entities.iter().find(|e| &e.id == id))
        .map(|e| {
            let certs: Vec<String> = e
                .certifications
                .iter()
                .map(|c| {
                    format!(
                        "{} from {}{}",
                        c.framework,
                        c.from,
                        c.until.map(|u| format!(" to {u}")).unwrap_or_default()
                    )
                })
                .collect();
            vec![
                Cell::new(format!("{}\n{}", e.name, e.id)),
                Cell::new(e.country.clone()),
                Cell::new(e.processing.join(", ")),
                Cell::new(e.role.map_or("—", |r| r.as_str())),
                Cell::new(if certs.is_empty() {
                    "none".to_string()
                } else {
                    certs.join("\n")
                }),
            ]
        })
        .collect()
}

fn vendor(input: &MemoInput<'_>) -> Section {
    let r = input.review;
    let mut ids = vec![r.vendor.clone()];
    ids.extend(r.sub_processors.iter().cloned());
    let table = Table {
        columns: vec![
            Column::new("Entity", 3.5),
            Column::new("Country", 1.2),
            Column::new("Processing", 1.8),
            Column::new("Role", 1.6),
            Column::new("Certifications", 4.0),
        ],
        rows: entity_rows(&r.merged, &ids),
    };
    let flows: Vec<Vec<Cell>> = r
        .merged
        .flows
        .iter()
        .skip(r.base_flows)
        .map(|f| {
            vec![
                Cell::new(
                    f.id.as_deref()
                        .map_or_else(|| format!("flow {}", f.index), str::to_string),
                ),
                Cell::new(format!(
                    "{} → {}",
                    entity_label(&r.merged, &r.merged.entities[f.from].id),
                    entity_label(&r.merged, &r.merged.entities[f.to].id)
                )),
                Cell::new(f.data.join(", ")),
                Cell::new(f.purpose.clone().unwrap_or_default()),
                Cell::new(f.roles.map(|p| p.to_string()).unwrap_or_default()),
            ]
        })
        .collect();
    Section::new(
        "The vendor and its flows",
        vec![
            Block::Paragraph(format!(
                "The vendor and the sub-processors it names, as the intake {} describes them. They join the data map {} with the flows below; every verdict in this memo comes from judging that map with the same engine as `xborder check`.",
                input.intake_file, input.map_file
            )),
            Block::Table(table),
            Block::Heading("Flows the vendor would receive and pass on".to_string()),
            Block::Table(Table {
                columns: vec![
                    Column::new("Flow", 2.0),
                    Column::new("Exporter → importer", 4.0),
                    Column::new("Data", 3.0),
                    Column::new("Purpose", 1.8),
                    Column::new("Roles", 2.2),
                ],
                rows: flows,
            }),
        ],
    )
    .on_new_page()
}

fn hops(input: &MemoInput<'_>) -> Section {
    let r = input.review;
    let rows: Vec<Vec<Cell>> = r
        .hops
        .iter()
        .map(|h| {
            let mut has = h.has.clone();
            if let Some(fb) = &h.fallback {
                has.push_str(&format!(
                    "\nif {} fell: {}{}",
                    fb.framework,
                    fb.verdict,
                    fb.mechanism
                        .as_deref()
                        .map(|m| format!(" on {m}"))
                        .unwrap_or_default()
                ));
            }
            vec![
                Cell::new(format!("{} → {}", h.hop.from, h.hop.to)),
                Cell::new(format!("{} → {}", h.hop.regime, h.hop.destination)),
                Cell::new(h.hop.categories.join(", ")),
                Cell::toned(h.hop.verdict.as_str(), verdict_tone(h.hop.verdict)),
                Cell::new(h.need.text.clone()),
                Cell::new(has),
            ]
        })
        .collect();
    Section::new(
        "Hops the vendor creates",
        vec![
            Block::Paragraph("One row per hop: a flow to the vendor or on to a sub-processor, a regime its data carries, and a country where the importer processes it. \"Needs\" is what the rulebook requires for that hop on the as-of date — the SCC module follows from the hop's role pair; \"Has\" is what the intake provides, and for a hop resting on a framework what would happen if the framework fell.".to_string()),
            Block::Table(Table {
                columns: vec![
                    Column::new("Hop", 2.6),
                    Column::new("Regime → dest.", 1.8),
                    Column::new("Data", 2.2),
                    Column::new("Verdict", 1.5),
                    Column::new("Needs", 3.6),
                    Column::new("Has", 3.0),
                ],
                rows,
            }),
        ],
    )
    .on_new_page()
}

fn paths(input: &MemoInput<'_>) -> Section {
    let r = input.review;
    let risky: Vec<Vec<Cell>> = r
        .hops
        .iter()
        .filter(|h| matches!(h.hop.verdict, Verdict::Unlawful | Verdict::Conditional))
        .map(|h| {
            vec![
                Cell::new(h.hop.path_text()),
                Cell::new(format!("{} → {}", h.hop.regime, h.hop.destination)),
                Cell::toned(h.hop.verdict.as_str(), verdict_tone(h.hop.verdict)),
            ]
        })
        .collect();
    let mut blocks = vec![Block::Paragraph(format!(
        "Compared with the map without the vendor: the unlawful and conditional paths the vendor adds (witness path from the data subjects to the importer), and the findings it adds ({} new). {}",
        r.findings.len(),
        if r.existing_changes.is_empty() {
            "No verdict of the map's own hops changes.".to_string()
        } else {
            format!(
                "{} verdict(s) of the map's own hops change.",
                r.existing_changes.len()
            )
        }
    ))];
    if risky.is_empty() {
        blocks.push(Block::Callout {
            tone: Tone::Good,
            text: "The vendor adds no unlawful or conditional path.".to_string(),
        });
    } else {
        blocks.push(Block::Table(Table {
            columns: vec![
                Column::new("Path", 6.0),
                Column::new("Regime → dest.", 2.0),
                Column::new("Verdict", 1.5),
            ],
            rows: risky,
        }));
    }
    let findings: Vec<&Finding> = r.findings.iter().collect();
    if !findings.is_empty() {
        blocks.push(Block::Heading("New findings".to_string()));
        blocks.push(Block::Table(Table {
            columns: finding_columns(),
            rows: finding_rows(&findings, &r.merged),
        }));
    }
    Section::new("New paths and findings", blocks).on_new_page()
}

fn checklist(title: &str, intro: &str, terms: &[Term]) -> Section {
    let rows = terms
        .iter()
        .map(|t| {
            let detail = if t.status == Status::Missing && !t.action.is_empty() {
                format!("{}\nTo do: {}", t.detail, t.action)
            } else {
                t.detail.clone()
            };
            vec![
                Cell::new(t.term.clone()),
                Cell::toned(t.status.as_str(), status_tone(t.status)),
                Cell::new(detail),
                Cell::new(t.citation.clone()),
            ]
        })
        .collect();
    Section::new(
        title,
        vec![
            Block::Paragraph(intro.to_string()),
            Block::Table(Table {
                columns: vec![
                    Column::new("Item", 2.8),
                    Column::new("Status", 1.3),
                    Column::new("What the intake shows", 4.4),
                    Column::new("Citation", 3.5),
                ],
                rows,
            }),
        ],
    )
    .on_new_page()
}

fn special(input: &MemoInput<'_>) -> Section {
    let mut blocks = vec![Block::Callout {
        tone: Tone::Bad,
        text: format!(
            "The vendor would receive special-category data: {}. A transfer tool is not enough for it.",
            input
                .review
                .special
                .iter()
                .map(|s| format!("{} ({})", s.category, s.like))
                .collect::<Vec<_>>()
                .join("; ")
        ),
    }];
    for s in &input.review.special {
        blocks.push(Block::Heading(format!("{} — {}", s.category, s.like)));
        blocks.push(Block::KeyValue(vec![
            ("Received by".to_string(), s.recipients.join(", ")),
            (
                input.rulebook.text("memo.special-condition").to_string(),
                s.condition
                    .clone()
                    .unwrap_or_else(|| "none documented".to_string()),
            ),
            ("Citation".to_string(), s.citation.clone()),
        ]));
        blocks.push(Block::Bullets(s.adds.clone()));
    }
    Section::new("Special-category data", blocks).on_new_page()
}

fn what_if(input: &MemoInput<'_>) -> Option<Section> {
    let w = input.review.what_if.as_ref()?;
    let mut blocks = vec![Block::Paragraph(format!(
        "What if {} were struck down, as Privacy Shield was? The vendor's hops judged with and without that assumption: {} change, {} keep a basis through a fallback mechanism, {} fall.",
        w.assumed_invalid.join(", "),
        w.changes.len(),
        w.kept().count(),
        w.falling().count()
    ))];
    if w.changes.is_empty() {
        blocks.push(Block::Callout {
            tone: Tone::Good,
            text: "No hop of the vendor changes.".to_string(),
        });
    } else {
        blocks.push(Block::Table(Table {
            columns: vec![
                Column::new("Hop", 3.0),
                Column::new("Regime → dest.", 1.8),
                Column::new("As the law stands", 2.0),
                Column::new("Under the assumption", 2.0),
                Column::new("Fallback", 4.0),
            ],
            rows: w
                .changes
                .iter()
                .map(|c| {
                    vec![
                        Cell::new(format!("{} → {}", c.from, c.to)),
                        Cell::new(format!("{} → {}", c.regime, c.destination)),
                        Cell::new(format!(
                            "{}{}",
                            c.before,
                            c.before_mechanism
                                .as_deref()
                                .map(|m| format!(" on {m}"))
                                .unwrap_or_default()
                        )),
                        Cell::toned(c.after.as_str(), verdict_tone(c.after)),
                        Cell::new(match c.fallback() {
                            Some(m) => format!("{m}: {}", c.after_basis),
                            None => "none — the hop has no basis".to_string(),
                        }),
                    ]
                })
                .collect(),
        }));
    }
    Some(Section::new("What if", blocks).on_new_page())
}

fn sign_off(input: &MemoInput<'_>) -> Section {
    let r = input.review;
    let blocks = match &input.signer {
        Some(s) => vec![
            Block::Paragraph(format!(
                "I have reviewed the vendor {} as described in {} (SHA-256 {}) against the data map {} (SHA-256 {}) and rulebook {} as of {}, and I sign this memo, with the decision \"{}\", with the certificate below. The digital signature covers the whole document.",
                r.vendor_name,
                input.intake_file,
                input.intake_sha256,
                input.map_file,
                input.map_sha256,
                input.rulebook.manifest.version,
                r.as_of,
                r.decision.title()
            )),
            Block::KeyValue(provenance::signer_rows(s, input.generated_at)),
        ],
        None => vec![Block::Callout {
            tone: Tone::Caution,
            text: "UNSIGNED DRAFT: this memo was produced without a signing key. It carries no digital signature and no sign-off; do not file it as the review.".to_string(),
        }],
    };
    Section::new("Sign-off", blocks).on_new_page()
}

fn appendix(input: &MemoInput<'_>) -> Section {
    let r = input.review;
    let file = "MEMO.pdf";
    let assume: String = r
        .assumed_invalid
        .iter()
        .map(|a| format!(" --assume-invalid {a}"))
        .collect();
    Section::new(
        "Appendix: how to verify this memo",
        vec![
            Block::Paragraph("The memo carries a PAdES-B-B digital signature over every byte except the signature itself, and records the SHA-256 of the data map, the vendor intake and the rulebook it was computed from. To check it:".to_string()),
            Block::Bullets(vec![
                format!("xborder verify {file} --trust ca.pem --map {} — checks the signature and chain, and the map's hash.", input.map_file),
                format!("sha256sum {} {} — must equal the hashes below.", input.map_file, input.intake_file),
                format!("xborder vendor review {} --map {} --as-of {}{assume} — recomputes the review.", input.intake_file, input.map_file, r.as_of),
            ]),
            Block::KeyValue(vec![
                ("Memo ID".to_string(), input.memo_id.to_string()),
                ("Map SHA-256".to_string(), input.map_sha256.to_string()),
                ("Intake SHA-256".to_string(), input.intake_sha256.to_string()),
                ("Rulebook".to_string(), input.rulebook.manifest.version.clone()),
                ("Rulebook SHA-256".to_string(), input.rulebook.sha256.clone()),
            ]),
        ],
    )
    .on_new_page()
}
