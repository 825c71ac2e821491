//! What a reader of a figure relies on, checked on the geometry of laid-out
//! figures: a hub's many edges, a dense mesh and long names.

use super::layout::layout;
use super::{Diagram, LANE_MIN, PORT_GAP, Side, render};
use crate::canvas::P;
use crate::flow::Flow;
use crate::fonts::Fonts;
use crate::model::{FigureEdge, FigureGroup, FigureNode, FlowFigure, Tone};
use crate::theme::BODY_W;

fn fonts() -> Fonts {
    Fonts::load().expect("embedded fonts")
}

fn edge(from: &str, to: &str, tone: Tone) -> FigureEdge {
    FigureEdge {
        from: from.to_string(),
        to: to.to_string(),
        label: format!("{from} → {to}"),
        tone,
    }
}

fn group(label: &str, ids: &[String]) -> FigureGroup {
    FigureGroup {
        label: label.to_string(),
        nodes: ids
            .iter()
            .map(|id| FigureNode {
                id: id.clone(),
                label: format!("Entity {id} with a name long enough to wrap (illustrative)"),
            })
            .collect(),
    }
}

/// A company that receives from data subjects in eight places and sends to
/// twenty vendors and partners: the shape of the Coursera map.
fn hub() -> FlowFigure {
    let ids = |prefix: &str, n: usize| -> Vec<String> {
        (0..n).map(|i| format!("{prefix}{i}")).collect()
    };
    let subjects: Vec<Vec<String>> = (0..8).map(|g| ids(&format!("s{g}-"), 1)).collect();
    let mut groups: Vec<FigureGroup> = subjects
        .iter()
        .enumerate()
        .map(|(g, ids)| group(&format!("P{g} · Place number {g}"), ids))
        .collect();
    groups.push(group("US · United States · company", &["hub".to_string()]));
    groups.push(group("US · United States · vendors", &ids("v", 12)));
    groups.push(group("US · United States · partners", &ids("p", 8)));
    let mut edges: Vec<FigureEdge> = subjects
        .iter()
        .map(|s| edge(&s[0], "hub", Tone::Muted))
        .collect();
    edges.extend((0..12).map(|i| edge("hub", &format!("v{i}"), Tone::Bad)));
    edges.extend((0..8).map(|i| edge("hub", &format!("p{i}"), Tone::Bad)));
    edges.extend((0..3).map(|i| edge(&format!("v{i}"), "hub", Tone::Caution)));
    edges.push(edge("s0-0", "v0", Tone::Good));
    FlowFigure {
        caption: "A hub".to_string(),
        groups,
        edges,
        legend: vec![(Tone::Bad, "unlawful".to_string())],
        alt: String::new(),
    }
}

/// Thirty nodes in seven groups and 120 edges picked by a fixed generator.
fn mesh() -> FlowFigure {
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    };
    let groups: Vec<FigureGroup> = (0..7)
        .map(|g| {
            let ids: Vec<String> = (0..30)
                .filter(|n| n % 7 == g)
                .map(|n| format!("n{n}"))
                .collect();
            group(&format!("G{g} · Group {g}"), &ids)
        })
        .collect();
    let tones = [Tone::Bad, Tone::Good, Tone::Caution, Tone::Muted];
    let edges = (0..120)
        .map(|_| {
            let (a, b) = (next(30), next(30));
            edge(&format!("n{a}"), &format!("n{b}"), tones[next(4)])
        })
        .collect();
    FlowFigure {
        caption: "A mesh".to_string(),
        groups,
        edges,
        legend: Vec::new(),
        alt: String::new(),
    }
}

fn laid_out(fig: &FlowFigure) -> Diagram {
    layout(fig, &fonts(), BODY_W).expect("layout")
}

#[test]
fn badges_never_overlap_each_other_a_node_or_a_group_title() {
    for fig in [hub(), mesh()] {
        let d = laid_out(&fig);
        let numbered = fig.edges.iter().filter(|e| !e.label.is_empty()).count();
        assert_eq!(
            d.badges.len(),
            numbered,
            "every labelled edge has its number"
        );
        for (i, a) in d.badges.iter().enumerate() {
            for b in &d.badges[..i] {
                assert!(
                    !a.rect.overlaps(&b.rect),
                    "badges {} and {} overlap: {:?} {:?}",
                    a.number,
                    b.number,
                    a.rect,
                    b.rect
                );
            }
            for n in &d.nodes {
                assert!(!a.rect.overlaps(&n.rect), "badge {} on a node", a.number);
            }
            for g in &d.groups {
                let title = super::Rect {
                    h: g.header_h - 2.0,
                    ..g.rect
                };
                assert!(!a.rect.overlaps(&title), "badge {} on a title", a.number);
            }
        }
        // A badge sits on its own route, or is tied to it by a leader line.
        for b in &d.badges {
            let route = &d.routes[b.number - 1];
            let on_route = route.points.windows(2).any(|s| {
                let c = b.rect.center();
                let (lo_x, hi_x) = (s[0].x.min(s[1].x), s[0].x.max(s[1].x));
                let (lo_y, hi_y) = (s[0].y.min(s[1].y), s[0].y.max(s[1].y));
                c.x >= lo_x - 0.01 && c.x <= hi_x + 0.01 && c.y >= lo_y - 0.01 && c.y <= hi_y + 0.01
            });
            assert!(on_route || b.leader.is_some(), "badge {} is lost", b.number);
        }
    }
}

/// The straight pieces of a route: (fixed coordinate, from, to, vertical).
fn pieces(points: &[P]) -> Vec<(f32, f32, f32, bool)> {
    points
        .windows(2)
        .filter_map(|s| {
            if (s[0].x - s[1].x).abs() < 0.01 && (s[0].y - s[1].y).abs() > 0.01 {
                Some((s[0].x, s[0].y.min(s[1].y), s[0].y.max(s[1].y), true))
            } else if (s[0].y - s[1].y).abs() < 0.01 && (s[0].x - s[1].x).abs() > 0.01 {
                Some((s[0].y, s[0].x.min(s[1].x), s[0].x.max(s[1].x), false))
            } else {
                None
            }
        })
        .collect()
}

#[test]
fn edges_that_run_side_by_side_stay_a_lane_apart() {
    for fig in [hub(), mesh()] {
        let d = laid_out(&fig);
        let all: Vec<Vec<(f32, f32, f32, bool)>> =
            d.routes.iter().map(|r| pieces(&r.points)).collect();
        for (i, mine) in all.iter().enumerate() {
            for (j, theirs) in all[..i].iter().enumerate() {
                for a in mine {
                    for b in theirs {
                        let overlap = a.2.min(b.2) - a.1.max(b.1);
                        if a.3 == b.3 && overlap > 0.5 {
                            assert!(
                                (a.0 - b.0).abs() >= LANE_MIN - 0.01,
                                "{} runs of edges {} and {} {:.2} apart over {overlap:.1} pt: {a:?} {b:?}\n{:?}\n{:?}",
                                if a.3 { "vertical" } else { "horizontal" },
                                i + 1,
                                j + 1,
                                (a.0 - b.0).abs(),
                                d.routes[i].points,
                                d.routes[j].points
                            );
                        }
                    }
                }
            }
        }
    }
}

#[test]
fn a_hubs_edges_leave_it_from_ports_of_their_own_on_both_sides() {
    let fig = hub();
    let d = laid_out(&fig);
    let hub = d
        .nodes
        .iter()
        .position(|n| n.lines.iter().any(|l| l.contains("hub")))
        .expect("hub node");
    let rect = d.nodes[hub].rect;
    let mut ends: Vec<(Side, f32)> = Vec::new();
    for (e, r) in fig.edges.iter().zip(&d.routes) {
        let end = match (e.from == "hub", e.to == "hub") {
            (true, _) => r.points.first(),
            (_, true) => r.points.last(),
            _ => None,
        };
        if let Some(p) = end {
            let side = if (p.x - rect.x).abs() < 0.01 {
                Side::Left
            } else {
                Side::Right
            };
            ends.push((side, p.y));
        }
    }
    assert_eq!(ends.len(), 8 + 12 + 8 + 3);
    ends.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
    for w in ends.windows(2) {
        if w[0].0 == w[1].0 {
            assert!(
                w[1].1 - w[0].1 >= PORT_GAP - 0.01,
                "ports {:.2} apart",
                w[1].1 - w[0].1
            );
        }
    }
    let left = ends.iter().filter(|e| e.0 == Side::Left).count();
    assert!(
        left > 0 && left < ends.len(),
        "the hub uses both sides: {left} of {} on the left",
        ends.len()
    );
}

#[test]
fn names_and_group_titles_wrap_and_are_never_cut() {
    let mut fig = hub();
    fig.groups[0].label = "US-CA · California, a subdivision with a long name".to_string();
    fig.groups[1].nodes[0].label =
        "Legal and accounting professional services for the group (illustrative)".to_string();
    let d = laid_out(&fig);
    let words = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    // Every title whole, a long group's further columns titled as its continuation.
    let titles: Vec<String> = d.groups.iter().map(|g| words(&g.lines.join(" "))).collect();
    for g in &fig.groups {
        assert!(
            titles.contains(&words(&g.label)),
            "{} in {titles:?}",
            g.label
        );
    }
    for t in &titles {
        let own = t.strip_suffix(" (continued)").unwrap_or(t);
        assert!(fig.groups.iter().any(|g| words(&g.label) == own), "{t}");
    }
    assert!(
        titles.len() > fig.groups.len(),
        "the twelve vendors take two columns"
    );
    let labels: Vec<&str> = fig
        .groups
        .iter()
        .flat_map(|g| &g.nodes)
        .map(|n| n.label.as_str())
        .collect();
    for (label, node) in labels.iter().zip(&d.nodes) {
        assert_eq!(words(&node.lines.join(" ")), words(label));
        assert!(node.lines.iter().all(|l| !l.contains('…')));
    }
}

#[test]
fn the_same_figure_gives_the_same_geometry() {
    let (a, b) = (laid_out(&mesh()), laid_out(&mesh()));
    let points = |d: &Diagram| -> Vec<(f32, f32)> {
        d.routes
            .iter()
            .flat_map(|r| r.points.iter().map(|p| (p.x, p.y)))
            .chain(d.badges.iter().map(|b| (b.rect.x, b.rect.y)))
            .collect()
    };
    assert_eq!(points(&a), points(&b));
}

/// Every text run of the pages a figure was drawn on.
fn texts(flow: Flow<'_>) -> Vec<Vec<String>> {
    let (pages, _, _) = flow.finish();
    pages
        .into_iter()
        .map(|c| {
            c.finish()
                .0
                .into_iter()
                .filter_map(|op| match op {
                    printpdf::Op::ShowText { items } => Some(
                        items
                            .into_iter()
                            .filter_map(|i| match i {
                                printpdf::TextItem::Text(t) => Some(t),
                                _ => None,
                            })
                            .collect::<String>(),
                    ),
                    _ => None,
                })
                .collect()
        })
        .collect()
}

#[test]
fn the_key_shares_the_figures_page_or_says_where_it_continues() {
    let fonts = fonts();
    let mut flow = Flow::new(&fonts);
    render(&mut flow, &hub()).expect("render");
    let pages = texts(flow);
    assert_eq!(pages.len(), 1, "figure and key on one page");
    assert!(pages[0].iter().any(|t| t.contains("v11")), "the key is set");

    let mut long = mesh();
    for e in &mut long.edges {
        e.label = format!(
            "{}: a label long enough to need a few lines in its column",
            e.label
        );
    }
    long.edges = [&long.edges[..], &long.edges[..], &long.edges[..]].concat();
    let mut flow = Flow::new(&fonts);
    render(&mut flow, &long).expect("render");
    let pages = texts(flow);
    assert!(pages.len() > 1);
    assert!(
        pages[0]
            .iter()
            .any(|t| t == "Key continues on the next page." || t == "Key on the next page."),
        "{:?}",
        pages[0]
    );
    assert!(pages[1].iter().any(|t| t == "Key to Figure 1, continued"));
}
