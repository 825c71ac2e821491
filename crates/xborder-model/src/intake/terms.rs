//! What the vendor promises, each section with its keys, its type and its reader: the
//! contract (DPA, CCPA terms, mechanisms, sub-processor authorisation), security
//! (attestations, breach notification) and retention. A new question of these sections is a
//! key, a field and a line of its reader here, its schema in `schema/intake.rs`, and its use
//! in the vendor review's checklist.

use super::*;

const CONTRACT_KEYS: &[&str] = &[
    "dpa",
    "mechanisms",
    "ccpa-service-provider-terms",
    "sub-processor-authorisation",
    "expires",
    "evidence",
];
const SECURITY_KEYS: &[&str] = &["attestations", "breach-notification-hours"];
const ATTESTATION_KEYS: &[&str] = &["kind", "date", "until", "evidence"];
const RETENTION_KEYS: &[&str] = &["days", "at-end", "own-purposes"];

/// Whether the controller authorised the vendor's sub-processors (GDPR Art. 28(2); 2021 SCC
/// Clause 9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Authorisation {
    /// General written authorisation, with notice of changes and a right to object.
    General,
    /// Specific prior authorisation of each sub-processor.
    Specific,
    /// Not authorised (yet).
    None,
}

/// The contract with the vendor as it stands.
#[derive(Debug, Clone)]
pub struct Contract {
    pub loc: Loc,
    /// The day the data-processing terms (GDPR Art. 28(3)) were signed.
    pub dpa: Option<Date>,
    /// Transfer mechanisms agreed with the vendor; they cover every intake flow.
    pub mechanisms: Vec<Mechanism>,
    /// The day the CCPA service-provider terms (Cal. Civ. Code §1798.100(d)) were signed.
    pub ccpa_terms: Option<Date>,
    pub sub_processor_authorisation: Option<Authorisation>,
    /// Last day of the contract, inclusive.
    pub expires: Option<Date>,
    pub expires_loc: Option<Loc>,
    pub evidence: Option<String>,
}

/// A security attestation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AttestationKind {
    Iso27001,
    Iso27701,
    Soc2Type1,
    Soc2Type2,
}

impl AttestationKind {
    /// The spelling in intakes (`iso-27001`, `soc-2-type-2`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            AttestationKind::Iso27001 => "iso-27001",
            AttestationKind::Iso27701 => "iso-27701",
            AttestationKind::Soc2Type1 => "soc-2-type-1",
            AttestationKind::Soc2Type2 => "soc-2-type-2",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            AttestationKind::Iso27001 => "ISO/IEC 27001 certificate",
            AttestationKind::Iso27701 => "ISO/IEC 27701 certificate",
            AttestationKind::Soc2Type1 => "SOC 2 Type I report",
            AttestationKind::Soc2Type2 => "SOC 2 Type II report",
        }
    }
}

/// One attestation with its dates: a certificate's issue date, a report's date.
#[derive(Debug, Clone)]
pub struct Attestation {
    pub kind: AttestationKind,
    pub date: Date,
    /// Last day of validity (a certificate's expiry), inclusive.
    pub until: Option<Date>,
    pub evidence: Option<String>,
    pub loc: Loc,
}

/// Security attestations and the breach-notification promise.
#[derive(Debug, Clone)]
pub struct Security {
    pub loc: Loc,
    pub attestations: Vec<Attestation>,
    /// Hours within which the vendor notifies a personal-data breach.
    pub breach_notification_hours: Option<u32>,
}

/// What happens to the data when the contract ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AtEnd {
    Delete,
    Return,
    Retain,
}

/// How long the vendor keeps the data and what for.
#[derive(Debug, Clone)]
pub struct Retention {
    pub loc: Loc,
    pub days: Option<u32>,
    pub at_end: Option<AtEnd>,
    /// Purposes of the vendor's own it would also use the data for (e.g. model training).
    pub own_purposes: Vec<String>,
}

pub(super) fn contract(cx: &mut Cx, node: &Node) -> Option<Contract> {
    let f = cx.fields(node, CONTRACT_KEYS, "the contract")?;
    let date = |cx: &mut Cx, key: &str| f.get(key).and_then(|n| cx.date(n, key));
    let dpa = date(cx, "dpa");
    let ccpa_terms = date(cx, "ccpa-service-provider-terms");
    let expires = date(cx, "expires");
    let mechanisms = f
        .get("mechanisms")
        .map(|n| cx.mechanisms(n))
        .unwrap_or_default();
    let sub_processor_authorisation = f.get("sub-processor-authorisation").and_then(|n| {
        cx.choice(
            n,
            "sub-processor-authorisation",
            &[
                ("general", Authorisation::General),
                ("specific", Authorisation::Specific),
                ("none", Authorisation::None),
            ],
        )
    });
    let evidence = f.get("evidence").and_then(|n| cx.string(n, "evidence"));
    Some(Contract {
        loc: node.loc,
        dpa,
        mechanisms,
        ccpa_terms,
        sub_processor_authorisation,
        expires,
        expires_loc: f.get("expires").map(|n| n.loc),
        evidence,
    })
}

/// A whole number of hours or days.
pub(super) fn count(cx: &mut Cx, node: &Node, key: &str) -> Option<u32> {
    match node.kind {
        NodeKind::Int(n) if n >= 0 => u32::try_from(n).ok().or_else(|| {
            cx.push(
                Diagnostic::error("bad-value", node.loc, format!("`{key}` is too large"))
                    .with_hint("give a realistic number"),
            );
            None
        }),
        _ => {
            cx.push(
                Diagnostic::error(
                    "wrong-type",
                    node.loc,
                    format!(
                        "`{key}` must be a whole number, found {}",
                        node.kind.describe()
                    ),
                )
                .with_hint("write a number without unit, e.g. 48"),
            );
            None
        }
    }
}

pub(super) fn security(cx: &mut Cx, node: &Node) -> Option<Security> {
    let f = cx.fields(node, SECURITY_KEYS, "security")?;
    let mut attestations = Vec::new();
    if let Some(list) = f.get("attestations") {
        for item in cx.sequence(list, "attestations").unwrap_or_default() {
            let Some(a) = cx.fields(item, ATTESTATION_KEYS, "attestation") else {
                continue;
            };
            let kind = cx
                .required(
                    &a,
                    "kind",
                    "attestation",
                    "iso-27001, iso-27701, soc-2-type-1 or soc-2-type-2",
                )
                .and_then(|n| {
                    cx.choice(
                        n,
                        "kind",
                        &[
                            ("iso-27001", AttestationKind::Iso27001),
                            ("iso-27701", AttestationKind::Iso27701),
                            ("soc-2-type-1", AttestationKind::Soc2Type1),
                            ("soc-2-type-2", AttestationKind::Soc2Type2),
                        ],
                    )
                });
            let date = cx
                .required(
                    &a,
                    "date",
                    "attestation",
                    "the certificate's issue date or the report's date, YYYY-MM-DD",
                )
                .and_then(|n| cx.date(n, "date"));
            let until = cx.end_date(
                &a,
                ("date", date),
                "until",
                "`until` is the last day the attestation is valid",
            );
            let evidence = a.get("evidence").and_then(|n| cx.string(n, "evidence"));
            if let (Some(kind), Some(date)) = (kind, date) {
                attestations.push(Attestation {
                    kind,
                    date,
                    until,
                    evidence,
                    loc: item.loc,
                });
            }
        }
    }
    let breach_notification_hours = f
        .get("breach-notification-hours")
        .and_then(|n| count(cx, n, "breach-notification-hours"));
    Some(Security {
        loc: node.loc,
        attestations,
        breach_notification_hours,
    })
}

pub(super) fn retention(cx: &mut Cx, node: &Node) -> Option<Retention> {
    let f = cx.fields(node, RETENTION_KEYS, "retention")?;
    let days = f.get("days").and_then(|n| count(cx, n, "days"));
    let at_end = f.get("at-end").and_then(|n| {
        cx.choice(
            n,
            "at-end",
            &[
                ("delete", AtEnd::Delete),
                ("return", AtEnd::Return),
                ("retain", AtEnd::Retain),
            ],
        )
    });
    let own_purposes = f
        .get("own-purposes")
        .map(|n| {
            cx.string_list(n, "own-purposes")
                .into_iter()
                .map(|(s, _)| s)
                .collect()
        })
        .unwrap_or_default();
    Some(Retention {
        loc: node.loc,
        days,
        at_end,
        own_purposes,
    })
}
