//! Risk acceptances applied to a check: each acceptance in force covers the findings it names,
//! which stay reported but no longer fail the check; an acceptance whose `until` has passed is
//! itself an error (XB025) and covers nothing; one that covers nothing is a warning (XB026),
//! so that the register of accepted risks stays true.

use xborder_law::{Code, Rulebook};
use xborder_model::{Acceptance, Map, Text};

use crate::result::{Accepted, Evaluation, Finding};

/// Applies `acceptances` (read from `file`) to the findings of `eval`, in file order: a
/// finding is covered by the first acceptance that names it.
pub fn accept(
    eval: &mut Evaluation,
    map: &Map,
    acceptances: &[Acceptance],
    file: &str,
    rulebook: &Rulebook,
) {
    let mut added = Vec::new();
    for a in acceptances {
        let expired = a.until < eval.as_of;
        let mut covered = 0;
        if !expired {
            for f in eval.findings.iter_mut().filter(|f| covers(a, f)) {
                f.accepted = Some(Box::new(Accepted {
                    by: a.accepted_by.clone(),
                    file: file.to_string(),
                    line: a.loc.line,
                    reason: a.reason.clone(),
                    until: a.until,
                }));
                covered += 1;
            }
        }
        let where_ = format!("{file}:{}", a.loc.line);
        let scope = scope_text(a);
        if expired {
            added.push(finding(
                eval,
                map,
                a,
                Code::AcceptanceExpired,
                format!(
                    "the risk acceptance of {scope} ({where_}), accepted by {}, expired on {}: the finding counts again",
                    a.accepted_by, a.until
                ),
                rulebook,
            ));
        } else if covered == 0 {
            added.push(finding(
                eval,
                map,
                a,
                Code::AcceptanceUnused,
                format!(
                    "the risk acceptance of {scope} ({where_}) covers no finding on {}",
                    eval.as_of
                ),
                rulebook,
            ));
        }
    }
    eval.findings.extend(added);
}

/// Whether acceptance `a` names finding `f`, not already covered.
fn covers(a: &Acceptance, f: &Finding) -> bool {
    f.accepted.is_none()
        && f.flow == a.flow
        && f.code.as_str() == a.code
        && a.regime.as_deref().is_none_or(|r| *f.regime == *r)
        && a.destination
            .as_deref()
            .is_none_or(|d| *f.destination == *d)
        && a.path.as_ref().is_none_or(|p| {
            p.len() == f.path.len() && p.iter().zip(f.path.iter()).all(|(x, y)| **y == **x)
        })
}

/// "XB002 on flow support (eu-gdpr → US)": what the acceptance names.
fn scope_text(a: &Acceptance) -> String {
    let mut text = format!("{} on flow {}", a.code, a.flow_written);
    match (&a.regime, &a.destination) {
        (Some(r), Some(d)) => text.push_str(&format!(" ({r} → {d})")),
        (Some(r), None) => text.push_str(&format!(" ({r})")),
        (None, Some(d)) => text.push_str(&format!(" (→ {d})")),
        (None, None) => {}
    }
    text
}

/// A finding about acceptance `a`, located at the flow it names (where the map can be fixed)
/// and on the flow's first hop of the regime and destination it names.
fn finding(
    eval: &Evaluation,
    map: &Map,
    a: &Acceptance,
    code: Code,
    message: String,
    rulebook: &Rulebook,
) -> Finding {
    let hop = eval.hops.iter().find(|h| {
        h.flow == a.flow
            && a.regime.as_deref().is_none_or(|r| *h.regime == *r)
            && a.destination
                .as_deref()
                .is_none_or(|d| *h.destination == *d)
    });
    let doc = rulebook.doc(code);
    let text = |s: Option<&str>| Text::from(s.unwrap_or(""));
    Finding {
        code,
        severity: rulebook.severity(code),
        flow: a.flow,
        regime: hop.map_or_else(|| text(a.regime.as_deref()), |h| h.regime.clone()),
        destination: hop.map_or_else(|| text(a.destination.as_deref()), |h| h.destination.clone()),
        message: Text::from(message),
        citation: Text::from(doc.citation.on(eval.as_of)),
        path: hop.map_or_else(|| crate::Path::from(Vec::new()), |h| h.path.clone()),
        path_omitted: hop.map_or(0, |h| h.path_omitted),
        remediation: Text::from(doc.fix.as_str()),
        loc: map.flows.get(a.flow).map_or(a.loc, |f| f.loc),
        accepted: None,
    }
}
