//! Renderers of a vendor review (the memo as text, and JSON) and of a what-if comparison.

use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::Config;
use serde_json::{Value, json};
use xborder_law::Rulebook;
use xborder_report::memo::decision_sentence;
use xborder_review::{Point, Status, Term, VendorReview, WhatIf};

use crate::input::LoadedMap;
use crate::output::{finding_json, finding_text};

/// A what-if comparison as text: which hops change and what keeps them lawful.
pub fn what_if_human(w: &WhatIf) -> String {
    let mut out = format!(
        "== what if {} were struck down: {} hop(s) change — {} kept by a fallback, {} fall ==\n",
        w.assumed_invalid.join(", "),
        w.changes.len(),
        w.kept().count(),
        w.falling().count()
    );
    for c in &w.changes {
        let label = c.id.as_deref().map_or_else(
            || format!("flow {}", c.flow),
            |id| format!("flow {} {id}", c.flow),
        );
        out.push_str(&format!("  {label}: {}\n", c.describe()));
    }
    out.push_str(&format!(
        "  as the law stands: {} lawful, {} conditional, {} unlawful; assumed: {} lawful, {} conditional, {} unlawful\n",
        w.before.lawful, w.before.conditional, w.before.unlawful,
        w.after.lawful, w.after.conditional, w.after.unlawful
    ));
    out
}

fn points(out: &mut String, title: &str, list: &[Point]) {
    if list.is_empty() {
        return;
    }
    out.push_str(&format!("{title}:\n"));
    for (i, p) in list.iter().enumerate() {
        out.push_str(&format!("  {}. {}\n", i + 1, p.text));
        if !p.citation.is_empty() {
            out.push_str(&format!("     — {}\n", p.citation));
        }
    }
    out.push('\n');
}

fn checklist(out: &mut String, title: &str, terms: &[Term]) {
    out.push_str(&format!("{title}:\n"));
    for t in terms {
        let mark = match t.status {
            Status::Present => "[ok]     ",
            Status::Missing => "[MISSING]",
            Status::NotNeeded => "[n/a]    ",
        };
        out.push_str(&format!("  {mark} {} — {}\n", t.term, t.detail));
        if t.status == Status::Missing && !t.action.is_empty() {
            out.push_str(&format!("            to do: {}\n", t.action));
        }
    }
    out.push('\n');
}

/// The review memo as text: decision with reasons and conditions, the hops the vendor
/// creates with what each needs, new paths, the checklists, special-category data, the
/// what-if, and the new findings located in the intake file.
pub fn review_human(r: &VendorReview, intake: &LoadedMap, map: &LoadedMap) -> String {
    let mut out = format!(
        "Vendor review: {} ({}) joining {} as of {}\n\n",
        r.vendor_name, r.vendor, map.path, r.as_of
    );
    out.push_str(&format!("Decision: {}\n\n", decision_sentence(r)));
    let (reasons, conditions) = match r.decision {
        xborder_review::Decision::Reject => ("Reasons for rejection", "To reconsider"),
        _ => ("Grounds", "Conditions"),
    };
    points(&mut out, reasons, &r.reasons);
    points(&mut out, conditions, &r.conditions);
    points(&mut out, "Notes", &r.notes);

    out.push_str(&format!("Hops the vendor creates ({}):\n", r.hops.len()));
    for h in &r.hops {
        out.push_str(&format!(
            "  {} → {}  {} → {}  {}\n",
            h.hop.from, h.hop.to, h.hop.regime, h.hop.destination, h.hop.verdict
        ));
        out.push_str(&format!("      data:  {}\n", h.hop.categories.join(", ")));
        out.push_str(&format!("      needs: {}\n", h.need.text));
        out.push_str(&format!("      has:   {}\n", h.has));
        if let Some(fb) = &h.fallback {
            out.push_str(&format!(
                "      if {} fell: {}{}\n",
                fb.framework,
                fb.verdict,
                fb.mechanism
                    .as_deref()
                    .map(|m| format!(" on {m}"))
                    .unwrap_or_default()
            ));
        }
    }
    out.push('\n');

    let risky: Vec<_> = r
        .hops
        .iter()
        .filter(|h| {
            matches!(
                h.hop.verdict,
                xborder_engine::Verdict::Unlawful | xborder_engine::Verdict::Conditional
            )
        })
        .collect();
    out.push_str(&format!(
        "New unlawful or conditional paths against the map without the vendor ({}):\n",
        risky.len()
    ));
    for h in &risky {
        out.push_str(&format!(
            "  {}  {} → {}  {}\n",
            h.hop.path_text(),
            h.hop.regime,
            h.hop.destination,
            h.hop.verdict
        ));
    }
    if r.existing_changes.is_empty() {
        out.push_str("  (no verdict of the map's own hops changes)\n");
    } else {
        for v in &r.existing_changes {
            out.push_str(&format!(
                "  map hop {} {} → {} changes: {} → {}\n",
                v.flow,
                v.regime,
                v.destination,
                v.before.map_or("(none)", |x| x.as_str()),
                v.after.map_or("(none)", |x| x.as_str())
            ));
        }
    }
    out.push('\n');

    checklist(&mut out, "Contract terms", &r.terms);
    if !r.special.is_empty() {
        out.push_str("Special-category data:\n");
        for s in &r.special {
            out.push_str(&format!(
                "  {} ({}) → {}\n",
                s.category,
                s.like,
                s.recipients.join(", ")
            ));
            for a in &s.adds {
                out.push_str(&format!("    - {a}\n"));
            }
            out.push_str(&format!("    — {}\n", s.citation));
        }
        out.push('\n');
    }
    checklist(&mut out, "Security and retention", &r.security);
    if let Some(w) = &r.what_if {
        out.push_str(&what_if_human(w));
        out.push('\n');
    }

    out.push_str(&format!("New findings ({}):\n\n", r.findings.len()));
    let file = SimpleFile::new(intake.path.as_str(), intake.text.as_str());
    let config = Config::default();
    let mut ordered: Vec<_> = r.findings.iter().collect();
    ordered.sort_by_key(|f| (std::cmp::Reverse(f.severity), f.loc.line, f.code));
    for f in ordered {
        out.push_str(&finding_text(f, &file, &intake.text, &config));
    }
    let s = &r.summary;
    out.push_str(&format!(
        "as of {}: {} new hop(s) — {} not a transfer, {} lawful, {} conditional, {} unlawful; decision: {}\n",
        r.as_of,
        s.hops,
        s.not_a_transfer,
        s.lawful,
        s.conditional,
        s.unlawful,
        r.decision.as_str()
    ));
    out
}

/// The review as JSON: the review itself, with the inputs and the new findings located in
/// the intake file (same shape as `check`'s findings).
pub fn review_json(
    r: &VendorReview,
    intake: &LoadedMap,
    map: &LoadedMap,
    rulebook: &Rulebook,
) -> Value {
    let mut doc = serde_json::to_value(r).unwrap_or_else(|_| json!({}));
    doc["format"] = json!(1);
    doc["inputs"] = json!({
        "map": { "path": map.path, "sha256": map.sha256 },
        "vendor": { "path": intake.path, "sha256": intake.sha256 },
        "rulebook": crate::output::RulebookRef::of(rulebook),
    });
    doc["findings"] = json!(
        r.findings
            .iter()
            .map(|f| finding_json(f, &intake.path))
            .map(|f| serde_json::to_value(f).unwrap_or_default())
            .collect::<Vec<_>>()
    );
    doc
}
