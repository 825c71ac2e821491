//! Risk acceptances: findings a team has decided to live with, for a while, on the record.
//!
//! A finding is accepted by code and flow (narrowed, if wished, to a regime, a destination or
//! a witness path), by someone, for a reason, until a date — as `deny.toml`'s `ignore` or
//! clippy's `allow`, but dated and signed off, because an accountable exporter must be able to
//! show who decided what and why (GDPR Art. 5(2)). The file is validated like a map: every
//! problem at once, with file, line and column, against the map it is about.
//!
//! ```yaml
//! format: 1
//! acceptances:
//!   - code: XB002
//!     flow: support                  # the flow's id, its number, or exporter->importer
//!     regime: eu-gdpr                # optional: only this regime's finding
//!     destination: US                # optional: only this destination
//!     accepted-by: Jane Roe, DPO
//!     reason: New SCCs under negotiation with the vendor (ticket LEGAL-142)
//!     until: 2021-03-31
//! ```

use crate::diag::{Diagnostic, Loc};
use crate::extract::{Cx, Reader, suggest};
use crate::map::{Date, Map};
use crate::node::{Node, ParseLimits, parse_yaml};
use crate::vocabulary::Vocabulary;

const TOP_KEYS: &[&str] = &["format", "acceptances"];
const ACCEPTANCE_KEYS: &[&str] = &[
    "code",
    "flow",
    "regime",
    "destination",
    "path",
    "accepted-by",
    "reason",
    "until",
];

/// One accepted risk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Acceptance {
    /// The finding code accepted, as written (checked against the known codes).
    pub code: String,
    /// The flow's index in the map (the `flow` of the JSON result).
    pub flow: usize,
    /// The flow as written in the file, for messages.
    pub flow_written: String,
    pub regime: Option<String>,
    pub destination: Option<String>,
    /// Only the finding with this witness path.
    pub path: Option<Vec<String>>,
    pub accepted_by: String,
    pub reason: String,
    /// The last day the acceptance holds.
    pub until: Date,
    /// Where the acceptance starts in its file.
    pub loc: Loc,
}

/// Loads and validates a risk acceptance file against the map it is about. `codes` are the
/// finding codes that exist, `regimes` the regime ids. Returns the acceptances when there is
/// no error, and every diagnostic either way.
pub fn load_acceptances(
    text: &str,
    vocabulary: &Vocabulary,
    map: &Map,
    codes: &[&str],
    regimes: &[&str],
) -> (Option<Vec<Acceptance>>, Vec<Diagnostic>) {
    let root = match parse_yaml(text, ParseLimits::default()) {
        Ok(root) => root,
        Err(diagnostic) => return (None, vec![diagnostic]),
    };
    let mut cx = Cx::new(vocabulary);
    let known = Known {
        map,
        codes,
        regimes,
    };
    let acceptances = read(&mut cx, &root, &known);
    let diagnostics = cx.finish();
    let has_error = diagnostics
        .iter()
        .any(|d| d.level == crate::DiagnosticLevel::Error);
    (if has_error { None } else { acceptances }, diagnostics)
}

/// What an acceptance may name.
struct Known<'a> {
    map: &'a Map,
    codes: &'a [&'a str],
    regimes: &'a [&'a str],
}

fn read(cx: &mut Cx, root: &Node, known: &Known<'_>) -> Option<Vec<Acceptance>> {
    let what = "the risk acceptance file";
    let top = cx.fields(root, TOP_KEYS, what)?;
    match top.get("format") {
        Some(Node {
            kind: crate::NodeKind::Int(1),
            ..
        }) => {}
        Some(node) => cx.push(
            Diagnostic::error(
                "unsupported-format",
                node.loc,
                "unsupported risk acceptance format",
            )
            .with_hint("this version of xborder reads `format: 1`"),
        ),
        None => cx.missing(top.loc, "format", what, "add `format: 1` at the top"),
    }
    let list = cx.required(
        &top,
        "acceptances",
        what,
        "a list of accepted findings, each with code, flow, accepted-by, reason and until",
    )?;
    let items = cx.sequence(list, "acceptances")?;
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        if let Some(a) = acceptance(cx, item, i + 1, known) {
            out.push(a);
        }
    }
    Some(out)
}

fn acceptance(cx: &mut Cx, node: &Node, number: usize, known: &Known<'_>) -> Option<Acceptance> {
    let what = format!("acceptance {number}");
    let f = cx.fields(node, ACCEPTANCE_KEYS, &what)?;
    let code = cx
        .required(&f, "code", &what, "the finding code accepted, e.g. XB002")
        .and_then(|n| {
            let code = cx.required_value(n, "code", "the finding code accepted, e.g. XB002")?;
            match known.codes.iter().find(|c| c.eq_ignore_ascii_case(&code)) {
                Some(c) => Some((*c).to_string()),
                None => {
                    let codes = known.codes.iter().map(|c| c.to_string()).collect();
                    cx.unknown_word(n.loc, "unknown-code", "finding code", &code, &codes);
                    None
                }
            }
        });
    let flow = cx
        .required(&f, "flow", &what, "the flow's id, its number, or exporter->importer")
        .and_then(|n| {
            let written = cx.required_value(n, "flow", "the flow's id, its number, or exporter->importer")?;
            match resolve_flow(known.map, &written) {
                Some(index) => Some((index, written)),
                None => {
                    let ids = flow_names(known.map);
                    let mut d = Diagnostic::error(
                        "unknown-flow",
                        n.loc,
                        format!("the map has no flow \"{written}\""),
                    );
                    d = match suggest(&written, ids.iter().map(String::as_str)) {
                        Some(s) => d.with_hint(format!("did you mean \"{s}\"?")),
                        None => d.with_hint(
                            "name a flow by its `id`, by its number in the JSON result (`flow`), or as exporter->importer",
                        ),
                    };
                    cx.push(d);
                    None
                }
            }
        });
    let regime = f.get("regime").and_then(|n| {
        let regime = cx.string(n, "regime")?;
        if known.regimes.contains(&regime.as_str()) {
            Some(regime)
        } else {
            let regimes = known.regimes.iter().map(|r| r.to_string()).collect();
            cx.unknown_word(n.loc, "unknown-regime", "regime", &regime, &regimes);
            None
        }
    });
    let destination = f.get("destination").and_then(|n| {
        let d = cx.string(n, "destination")?;
        cx.check_country(&d, n.loc, false);
        Some(d)
    });
    let path = f.get("path").map(|n| {
        let path = cx.string_list(n, "path");
        for (id, loc) in &path {
            if known.map.entity(id).is_none() {
                cx.push(
                    Diagnostic::error(
                        "unknown-entity",
                        *loc,
                        format!("the map has no entity \"{id}\""),
                    )
                    .with_hint("a witness path lists entity ids, as `path` in the JSON result"),
                );
            }
        }
        path.into_iter().map(|(id, _)| id).collect()
    });
    let accepted_by = cx.required_string(
        &f,
        "accepted-by",
        &what,
        "who accepted the risk, e.g. Jane Roe, DPO",
    );
    let reason = cx.required_string(
        &f,
        "reason",
        &what,
        "why the risk is accepted, and what is being done about it",
    );
    let until = cx
        .required(
            &f,
            "until",
            &what,
            "the last day the acceptance holds; an acceptance without an end is not a decision",
        )
        .and_then(|n| cx.date(n, "until"));
    let (flow, flow_written) = flow?;
    Some(Acceptance {
        code: code?,
        flow,
        flow_written,
        regime,
        destination,
        path,
        accepted_by: accepted_by?,
        reason: reason?,
        until: until?,
        loc: node.loc,
    })
}

/// The flow `written` names: its id, its number in the JSON result, or `exporter->importer`
/// (the first such flow).
fn resolve_flow(map: &Map, written: &str) -> Option<usize> {
    if let Some(i) = map
        .flows
        .iter()
        .position(|f| f.id.as_deref() == Some(written))
    {
        return Some(i);
    }
    if let Ok(n) = written.parse::<usize>() {
        return (n < map.flows.len()).then_some(n);
    }
    let (from, to) = written.split_once("->")?;
    let (from, to) = (map.entity(from.trim())?, map.entity(to.trim())?);
    map.flows.iter().position(|f| f.from == from && f.to == to)
}

/// Every name a flow can be given, for suggestions.
fn flow_names(map: &Map) -> Vec<String> {
    map.flows
        .iter()
        .map(|f| match &f.id {
            Some(id) => id.to_string(),
            None => format!(
                "{}->{}",
                map.entities.get(f.from).map_or("?", |e| e.id.as_str()),
                map.entities.get(f.to).map_or("?", |e| e.id.as_str())
            ),
        })
        .collect()
}
