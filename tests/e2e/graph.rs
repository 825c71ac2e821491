//! `xborder graph`: deterministic DOT and Mermaid, nodes grouped by country, edges labelled
//! with data and verdicts.

use xborder_tests::run;

const MAP_2021: &str = "data/coursera/2021-01.yaml";
const CHAIN: &str = "tests/scenarios/onward-four-hop-chain.yaml";

fn graph(map: &str, date: &str, format: &str) -> String {
    let out = run(&["graph", map, "--as-of", date, "--format", format]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    out.stdout
}

fn as_of(path: &str) -> String {
    let text = std::fs::read_to_string(xborder_tests::root().join(path)).expect("scenario");
    text.lines()
        .find_map(|l| l.strip_prefix("# as-of:"))
        .map(|d| d.trim().to_string())
        .expect("# as-of: line")
}

#[test]
fn the_same_map_and_date_give_the_same_bytes() {
    for format in ["dot", "mermaid"] {
        let a = graph(MAP_2021, "2021-01-01", format);
        let b = graph(MAP_2021, "2021-01-01", format);
        assert_eq!(a, b, "{format} output must be deterministic");
    }
}

#[test]
fn nodes_are_grouped_by_country_and_edges_carry_data_and_verdicts() {
    let dot = graph(MAP_2021, "2021-01-01", "dot");
    for cluster in [
        "label=\"US — United States\"",
        "label=\"EEA — European Economic Area",
        "label=\"PH — Philippines\"",
        "label=\"US-CA — California\"",
    ] {
        assert!(dot.contains(cluster), "missing cluster {cluster}");
    }
    let edges = dot.lines().filter(|l| l.contains(" -> ")).count();
    let flows = run(&["validate", MAP_2021]).stdout;
    assert!(
        flows.contains(&format!("{edges} flows")),
        "one edge per flow: {edges} vs {flows}"
    );
    let hosting = dot
        .lines()
        .find(|l| l.contains("] hosting\\n"))
        .expect("the hosting flow");
    assert!(
        hosting.contains("eu-gdpr → US: unlawful (privacy-shield)"),
        "{hosting}"
    );
    assert!(
        hosting.contains("color=\"#c62828\""),
        "unlawful edges are red: {hosting}"
    );
    assert!(
        hosting.contains("webcam-headshot"),
        "the data is on the label: {hosting}"
    );

    let earlier = graph(MAP_2021, "2020-07-15", "dot");
    let hosting = earlier
        .lines()
        .find(|l| l.contains("] hosting\\n"))
        .expect("the hosting flow");
    assert!(
        hosting.contains("eu-gdpr → US: lawful (privacy-shield)"),
        "{hosting}"
    );

    let mermaid = graph(MAP_2021, "2021-01-01", "mermaid");
    assert!(mermaid.contains("flowchart LR"));
    assert!(mermaid.contains("subgraph") && mermaid.contains("[\"US — United States\"]"));
    let links = mermaid
        .lines()
        .filter(|l| l.contains("-->|") || l.contains("-.->|"))
        .count();
    assert_eq!(links, edges, "one Mermaid link per flow");
    assert_eq!(
        mermaid.matches("linkStyle ").count(),
        edges,
        "each link coloured"
    );
}

#[test]
fn graphviz_accepts_the_dot() {
    // .ci/run installs graphviz; elsewhere a missing `dot` skips the check.
    if !xborder_tests::require_tool("dot") {
        return;
    }
    let dot = graph(MAP_2021, "2021-01-01", "dot");
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("g.dot");
    std::fs::write(&file, dot).expect("write");
    let out = std::process::Command::new("dot")
        .args(["-Tsvg", "-o"])
        .arg(dir.path().join("g.svg"))
        .arg(&file)
        .output()
        .expect("dot runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn snapshots_of_a_four_hop_chain() {
    let date = as_of(CHAIN);
    for format in ["dot", "mermaid"] {
        let text = graph(CHAIN, &date, format);
        insta::with_settings!({ snapshot_suffix => format, prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!("graph-four-hop-chain", text);
        });
    }
}
