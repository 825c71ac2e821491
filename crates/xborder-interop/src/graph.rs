//! The data map as a graph: Graphviz DOT or Mermaid, nodes grouped by country (DOT clusters,
//! Mermaid subgraphs), one edge per flow labelled with its data and the verdicts of its hops.
//!
//! Deterministic: clusters sorted by country code, entities in file order inside a cluster,
//! edges in flow order; the same map, rulebook and date give the same bytes.

use std::collections::BTreeMap;

use xborder_engine::{Evaluation, Hop, Verdict};
use xborder_law::Rulebook;
use xborder_model::{EntityKind, Map};

/// The graph format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Dot,
    Mermaid,
}

/// One edge: a flow with its label lines and worst verdict.
struct Edge {
    from: usize,
    to: usize,
    lines: Vec<String>,
    /// Worst verdict of the flow's hops; `None` when no hop was judged (no regulated data).
    worst: Option<Verdict>,
}

fn edges(map: &Map, eval: &Evaluation) -> Vec<Edge> {
    let mut by_flow: BTreeMap<usize, Vec<&Hop>> = BTreeMap::new();
    for hop in &eval.hops {
        by_flow.entry(hop.flow).or_default().push(hop);
    }
    map.flows
        .iter()
        .map(|flow| {
            let hops = by_flow.get(&flow.index).map(Vec::as_slice).unwrap_or(&[]);
            let title = match &flow.id {
                Some(id) => format!("[{}] {id}", flow.index),
                None => format!("[{}]", flow.index),
            };
            let mut lines = vec![title];
            for chunk in flow.data.chunks(4) {
                lines.push(chunk.join(", "));
            }
            let worst = hops.iter().map(|h| h.verdict).max_by_key(|v| v.badness());
            let transfers: Vec<&&Hop> = hops
                .iter()
                .filter(|h| h.verdict != Verdict::NotATransfer)
                .collect();
            if hops.is_empty() {
                lines.push("carries no regime's data: not judged".to_string());
            } else if transfers.is_empty() {
                lines.push("not a transfer".to_string());
            } else {
                for h in transfers {
                    let mechanism = h
                        .mechanism
                        .as_deref()
                        .map(|m| format!(" ({m})"))
                        .unwrap_or_default();
                    lines.push(format!(
                        "{} → {}: {}{mechanism}",
                        h.regime, h.destination, h.verdict
                    ));
                }
            }
            Edge {
                from: flow.from,
                to: flow.to,
                lines,
                worst,
            }
        })
        .collect()
}

/// Country groups: (code, label, entity indices in file order), sorted by code.
fn groups(map: &Map, rulebook: &Rulebook) -> Vec<(String, String, Vec<usize>)> {
    let mut by_country: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, e) in map.entities.iter().enumerate() {
        by_country.entry(e.country.as_str()).or_default().push(i);
    }
    by_country
        .into_iter()
        .map(|(code, members)| {
            let name = xborder_law::place_name(code)
                .map(str::to_string)
                .or_else(|| {
                    rulebook
                        .regions
                        .iter()
                        .find(|r| r.id == code)
                        .map(|r| r.name.clone())
                });
            let label = match name {
                Some(name) => format!("{code} — {name}"),
                None => code.to_string(),
            };
            (code.to_string(), label, members)
        })
        .collect()
}

fn color(worst: Option<Verdict>) -> &'static str {
    match worst {
        Some(Verdict::Unlawful) => "#c62828",
        Some(Verdict::Conditional) => "#ef6c00",
        Some(Verdict::Lawful) => "#2e7d32",
        Some(Verdict::NotATransfer) => "#757575",
        None => "#9e9e9e",
    }
}

fn kind_word(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::Company => "company",
        EntityKind::Vendor => "vendor",
        EntityKind::Partner => "partner",
        EntityKind::Authority => "authority",
        EntityKind::Subjects => "data subjects",
    }
}

/// Renders the map with the verdicts of `eval`.
pub fn render(map: &Map, eval: &Evaluation, rulebook: &Rulebook, style: Style) -> String {
    match style {
        Style::Dot => dot(map, eval, rulebook),
        Style::Mermaid => mermaid(map, eval, rulebook),
    }
}

fn dot_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn dot(map: &Map, eval: &Evaluation, rulebook: &Rulebook) -> String {
    let mut out = String::new();
    out.push_str(&format!("digraph {} {{\n", dot_string(&map.organisation)));
    out.push_str(&format!(
        "  graph [rankdir=LR, labelloc=t, fontname=\"Helvetica\", label={}];\n",
        dot_string(&format!(
            "{} — data flows and transfer verdicts as of {}",
            map.organisation, eval.as_of
        ))
    ));
    out.push_str("  node [shape=box, style=\"rounded\", fontname=\"Helvetica\", fontsize=11];\n");
    out.push_str("  edge [fontname=\"Helvetica\", fontsize=9];\n");
    for (n, (_, label, members)) in groups(map, rulebook).iter().enumerate() {
        out.push_str(&format!(
            "  subgraph cluster_{n} {{\n    label={};\n    style=\"rounded,dashed\";\n    color=\"#90a4ae\";\n",
            dot_string(label)
        ));
        for &i in members {
            let e = &map.entities[i];
            let shape = if e.kind == EntityKind::Subjects {
                ", shape=ellipse"
            } else {
                ""
            };
            out.push_str(&format!(
                "    {} [label={}{shape}];\n",
                dot_string(&e.id),
                dot_string(&format!("{}\n({})", e.name, kind_word(e.kind)))
            ));
        }
        out.push_str("  }\n");
    }
    for edge in edges(map, eval) {
        let style = if edge.worst.is_none() {
            ", style=dashed"
        } else {
            ""
        };
        out.push_str(&format!(
            "  {} -> {} [label={}, color=\"{c}\", fontcolor=\"{c}\"{style}];\n",
            dot_string(&map.entities[edge.from].id),
            dot_string(&map.entities[edge.to].id),
            dot_string(&edge.lines.join("\n")),
            c = color(edge.worst),
        ));
    }
    out.push_str("}\n");
    out
}

fn mermaid_text(text: &str) -> String {
    text.replace('"', "#quot;")
        .replace('<', "#lt;")
        .replace('>', "#gt;")
}

fn mermaid(map: &Map, eval: &Evaluation, rulebook: &Rulebook) -> String {
    let mut out = String::new();
    out.push_str("---\n");
    out.push_str(&format!(
        "title: \"{} — data flows and transfer verdicts as of {}\"\n",
        mermaid_text(&map.organisation),
        eval.as_of
    ));
    out.push_str("---\nflowchart LR\n");
    for (n, (_, label, members)) in groups(map, rulebook).iter().enumerate() {
        out.push_str(&format!("  subgraph g{n}[\"{}\"]\n", mermaid_text(label)));
        for &i in members {
            let e = &map.entities[i];
            let (open, close) = if e.kind == EntityKind::Subjects {
                ("([", "])")
            } else {
                ("[", "]")
            };
            out.push_str(&format!(
                "    n{i}{open}\"{}<br/><small>{} · {}</small>\"{close}\n",
                mermaid_text(&e.name),
                mermaid_text(&e.id),
                kind_word(e.kind)
            ));
        }
        out.push_str("  end\n");
    }
    let edges = edges(map, eval);
    for edge in &edges {
        let label: Vec<String> = edge.lines.iter().map(|l| mermaid_text(l)).collect();
        let arrow = if edge.worst.is_none() { "-.->" } else { "-->" };
        out.push_str(&format!(
            "  n{} {arrow}|\"{}\"| n{}\n",
            edge.from,
            label.join("<br/>"),
            edge.to
        ));
    }
    for (k, edge) in edges.iter().enumerate() {
        out.push_str(&format!(
            "  linkStyle {k} stroke:{c},color:{c}\n",
            c = color(edge.worst)
        ));
    }
    out
}
