//! `cargo xtask gen`: deterministic synthetic data maps that look like a real group's:
//! data subjects in several regimes, companies, vendors with sub-processor chains, cycles,
//! every mechanism kind, dated certifications and agreements, spread over every ISO 3166-1
//! country (common hosting countries weighted up). Same seed, same bytes.
//!
//! Besides this `mixed` shape, three adversarial shapes exist to show that no step of a
//! check is quadratic: `chain` (one onward-transfer chain as long as the flows), `cluster`
//! (a dense strongly connected group of vendors) and `fanout` (one company sending to every
//! vendor). Maps are written as YAML or, for a `.json` file, as the same document in JSON.

use std::fmt::Write as _;

/// xorshift64*: small, fast, and the same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

const SUBJECT_PLACES: &[&str] = &["EEA", "GB", "CH", "US-CA", "IN", "BR", "JP", "DE", "FR"];
const COMPANY_PLACES: &[&str] = &[
    "US", "DE", "FR", "IE", "NL", "GB", "CH", "IN", "JP", "CA", "KR", "SG", "BR",
];
/// Every ISO 3166-1 alpha-2 code the rulebook knows, for the long tail of vendor countries.
static ISO3166_1: &str = include_str!("../../data/countries/iso3166-1.tsv");

const VENDOR_PLACES: &[&str] = &[
    "US", "US", "US", "IE", "DE", "IN", "PH", "SG", "JP", "CA", "GB", "CH", "AU", "BR", "IL", "NZ",
    "KR", "CN",
];
const THIRD_COUNTRIES: &[&str] = &["US", "IN", "PH", "SG", "AU", "BR", "ZA", "MX", "CN"];
const DATA: &[&str] = &[
    "name",
    "email",
    "ip-address",
    "device-id",
    "contact",
    "account",
    "course-data",
    "assignments",
    "forum-posts",
    "payment-card",
    "financial",
    "location",
    "inferences",
    "online-identifiers",
    "hr",
    "credit-information",
    "health",
    "biometric",
    "headshot",
];

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .cloned()
}

/// The shape of the generated flow graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Subjects → companies → vendors → sub-processors, with random cross links and cycles.
    Mixed,
    /// One chain of onward transfers: subjects → company → vendor → vendor → … .
    Chain,
    /// A few companies feeding a dense strongly connected cluster of vendors.
    Cluster,
    /// One company sending to every vendor.
    Fanout,
}

impl Shape {
    fn parse(text: &str) -> Result<Shape, String> {
        match text {
            "mixed" => Ok(Shape::Mixed),
            "chain" => Ok(Shape::Chain),
            "cluster" => Ok(Shape::Cluster),
            "fanout" => Ok(Shape::Fanout),
            other => Err(format!(
                "--shape {other}: expected mixed, chain, cluster or fanout"
            )),
        }
    }
}

pub fn run(args: &[String]) -> Result<(), String> {
    let number = |name: &str| {
        arg(args, name)
            .ok_or_else(|| format!("gen needs {name}"))?
            .parse::<usize>()
            .map_err(|_| format!("{name} takes a number"))
    };
    let flows = number("--flows")?.max(1);
    let entities = match arg(args, "--entities") {
        Some(_) => number("--entities")?,
        None => (flows / 4).max(20),
    }
    .max(4);
    let seed = arg(args, "--seed")
        .and_then(|s| s.parse::<u64>().ok())
        .unwrap_or(1);
    let shape = Shape::parse(arg(args, "--shape").as_deref().unwrap_or("mixed"))?;
    let out = arg(args, "--out").ok_or("gen needs --out FILE.yaml|FILE.json")?;
    let yaml = generate(entities, flows, seed, shape);
    let text = if out.ends_with(".json") {
        to_json(&yaml)?
    } else if out.ends_with(".yaml") || out.ends_with(".yml") {
        yaml
    } else {
        return Err("--out must name a .yaml or .json file".to_string());
    };
    std::fs::write(&out, text).map_err(|e| format!("cannot write {out}: {e}"))?;
    eprintln!("wrote {out}: {flows} flows, {shape:?} shape (seed {seed})");
    Ok(())
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Subjects,
    Company,
    Vendor,
}

/// A vendor's country: two in three from the common hosting countries, the rest from any
/// ISO 3166-1 country.
fn vendor_place<'a>(rng: &mut Rng, all: &[&'a str]) -> &'a str {
    let place: &&'a str = if rng.chance(66) || all.is_empty() {
        rng.pick(VENDOR_PLACES)
    } else {
        rng.pick(all)
    };
    place
}

/// The map text for `entities` entities and `flows` flows (a chain uses one entity per
/// flow, whatever `entities` says).
pub fn generate(entities: usize, flows: usize, seed: u64, shape: Shape) -> String {
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let all_countries: Vec<&str> = ISO3166_1
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split('\t').next())
        .filter(|c| c.len() == 2)
        .collect();
    let entities = match shape {
        Shape::Chain => flows + 2,
        Shape::Fanout => entities.max(flows + 2),
        _ => entities,
    };
    let (subjects, companies) = match shape {
        Shape::Mixed => ((entities / 20).max(1), (entities / 10).max(1)),
        Shape::Chain | Shape::Fanout => (1, 1),
        Shape::Cluster => (3, 3),
    };
    let mut kinds = Vec::with_capacity(entities);
    let mut out = String::with_capacity(flows * 160 + entities * 120);
    out.push_str("# Synthetic data map generated by `cargo xtask gen` (deterministic for a seed).\nformat: 1\norganisation: Synthetic Group\ncategories:\n  headshot: { like: biometric }\nentities:\n");
    for i in 0..entities {
        let kind = if i < subjects {
            Kind::Subjects
        } else if i < subjects + companies {
            Kind::Company
        } else {
            Kind::Vendor
        };
        kinds.push(kind);
        match kind {
            Kind::Subjects => {
                let _ = writeln!(
                    out,
                    "  e{i}: {{ name: Data subjects {i}, kind: subjects, country: {} }}",
                    rng.pick(SUBJECT_PLACES)
                );
            }
            Kind::Company => {
                let place = rng.pick(COMPANY_PLACES);
                let extra = if *place == "US" && rng.chance(60) {
                    ", subject-to: [gdpr-art-3-2]"
                } else {
                    ""
                };
                let _ = writeln!(
                    out,
                    "  e{i}: {{ name: Group company {i}, kind: company, country: {place}, role: controller{extra} }}"
                );
            }
            Kind::Vendor => {
                // A chain runs through third countries only, so that its regime's witness
                // paths run its whole length (an established vendor would start them anew).
                let place = if shape == Shape::Chain {
                    *rng.pick(THIRD_COUNTRIES)
                } else {
                    vendor_place(&mut rng, &all_countries)
                };
                let _ = write!(
                    out,
                    "  e{i}:\n    name: Vendor {i}\n    kind: vendor\n    country: \"{place}\"\n    role: processor\n"
                );
                if rng.chance(15) {
                    let _ = writeln!(
                        out,
                        "    processing: [\"{place}\", \"{}\"]",
                        vendor_place(&mut rng, &all_countries)
                    );
                }
                if place == "US" {
                    match rng.below(4) {
                        0 => out.push_str("    certifications: [ { framework: eu-us-dpf, from: 2023-07-17, scope: [non-hr] } ]\n"),
                        1 => out.push_str("    certifications: [ { framework: eu-us-privacy-shield, from: 2016-10-01, until: 2020-12-31 } ]\n"),
                        2 => out.push_str("    certifications: [ { framework: eu-us-dpf, from: 2023-08-01 }, { framework: uk-us-data-bridge, from: 2023-10-12 } ]\n"),
                        _ => {}
                    }
                }
                if rng.chance(10) {
                    out.push_str("    evidence: \"synthetic\"\n");
                }
            }
        }
    }
    out.push_str("flows:\n");
    let non_subjects: Vec<usize> = (subjects..entities).collect();
    let vendors: Vec<usize> = (subjects + companies..entities).collect();
    let companies_ix: Vec<usize> = (subjects..subjects + companies).collect();
    for f in 0..flows {
        let (from, to, roles) = match shape {
            // e0 (subjects) → e1 (company) → e2 → e3 → … : flow f links entity f to f + 1.
            Shape::Chain => (f, f + 1, None),
            // The company sends to every vendor in turn; the first flow is the collection.
            Shape::Fanout if f == 0 => (0, 1, None),
            Shape::Fanout => (1, 2 + (f - 1) % vendors.len().max(1), None),
            Shape::Cluster if f < subjects * companies => {
                (f / companies, subjects + f % companies, None)
            }
            Shape::Cluster if f < subjects * companies + vendors.len() => {
                // Every vendor fed once by a company, then random links among vendors.
                let v = f - subjects * companies;
                (*rng.pick(&companies_ix), vendors[v], None)
            }
            Shape::Cluster => (
                *rng.pick(&vendors),
                *rng.pick(&vendors),
                Some("processor->processor"),
            ),
            Shape::Mixed => {
                let roll = rng.below(100);
                if roll < 15 {
                    (rng.below(subjects), *rng.pick(&companies_ix), None)
                } else if roll < 55 || vendors.is_empty() {
                    (
                        *rng.pick(&companies_ix),
                        *rng.pick(if vendors.is_empty() {
                            &non_subjects
                        } else {
                            &vendors
                        }),
                        None,
                    )
                } else if roll < 90 {
                    (
                        *rng.pick(&vendors),
                        *rng.pick(&vendors),
                        Some("processor->processor"),
                    )
                } else {
                    (
                        *rng.pick(&vendors),
                        *rng.pick(&companies_ix),
                        Some("processor->controller"),
                    )
                }
            }
        };
        let to = if to == from {
            (to + 1 - subjects) % (entities - subjects) + subjects
        } else {
            to
        };
        let roles = match (kinds[from], kinds[to]) {
            (Kind::Subjects, _) => None,
            (Kind::Company, Kind::Company) => Some("controller->controller"),
            (Kind::Company, Kind::Vendor) => None,
            (Kind::Vendor, Kind::Company) => Some("processor->controller"),
            (Kind::Vendor, Kind::Vendor) => roles.or(Some("processor->processor")),
            _ => None,
        };
        let n = 1 + rng.below(4);
        let mut data: Vec<&str> = (0..n).map(|_| *rng.pick(DATA)).collect();
        if shape == Shape::Chain {
            // The same core data all along, so that the regime reaches the chain's far end.
            data.push("email");
        }
        data.sort_unstable();
        data.dedup();
        let _ = write!(
            out,
            "  - id: f{f}\n    from: e{from}\n    to: e{to}\n    data: [{}]\n",
            data.join(", ")
        );
        if let Some(r) = roles {
            let _ = writeln!(out, "    roles: {r}");
        }
        if kinds[from] != Kind::Subjects {
            let module = match roles {
                Some("controller->controller") => 1,
                Some("processor->processor") => 3,
                Some("processor->controller") => 4,
                _ => 2,
            };
            let mechanism = match rng.below(10) {
                0 => String::new(),
                1 => "{ kind: adequacy }".to_string(),
                2 | 3 => format!(
                    "{{ kind: scc, version: \"2021/914\", module: {module}, signed: 2022-0{}-15, tia: 2022-01-10 }}",
                    1 + rng.below(9)
                ),
                4 => format!(
                    "{{ kind: scc, version: \"2021/914\", module: {module}, signed: 2021-10-01, uk-addendum: 2022-06-01 }}"
                ),
                5 => "{ kind: scc, version: \"2010/87\", signed: 2019-05-01 }".to_string(),
                6 => "{ kind: dpf }".to_string(),
                7 => "{ kind: privacy-shield }".to_string(),
                8 => "{ kind: bcr, approved: 2019-03-01, group: Synthetic Group, tia: 2021-02-01 }"
                    .to_string(),
                _ => format!(
                    "{{ kind: derogation, ground: {}, occasional: {} }}",
                    rng.pick(&["contract", "explicit-consent", "legal-claims"]),
                    rng.chance(50)
                ),
            };
            if !mechanism.is_empty() {
                let _ = writeln!(out, "    mechanisms: [ {mechanism} ]");
            }
        }
    }
    out
}

/// The same document in JSON: entities and flows one per line, keys in file order.
pub fn to_json(yaml: &str) -> Result<String, String> {
    let root = xborder_model::parse_yaml(yaml, xborder_model::ParseLimits::default())
        .map_err(|d| format!("generated YAML does not parse: {}", d.message))?;
    let mut out = String::with_capacity(yaml.len() + yaml.len() / 2);
    write_json(&root, 0, &mut out);
    out.push('\n');
    Ok(out)
}

/// Writes a node; the top level and its `entities`/`flows` children get one line each.
fn write_json(node: &xborder_model::Node, depth: usize, out: &mut String) {
    use xborder_model::NodeKind;
    let break_line = |out: &mut String, depth: usize| {
        if depth < 2 {
            out.push('\n');
            out.push_str(&"  ".repeat(depth + 1));
        }
    };
    match &node.kind {
        NodeKind::Null => out.push_str("null"),
        NodeKind::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        NodeKind::Int(i) => {
            let _ = write!(out, "{i}");
        }
        NodeKind::Float(f) => {
            let _ = write!(out, "{f:?}");
        }
        NodeKind::Str(s) => json_string(s, out),
        NodeKind::Seq(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                break_line(out, depth);
                write_json(item, depth + 1, out);
            }
            out.push(']');
        }
        NodeKind::Map(entries) => {
            out.push('{');
            for (i, (key, value)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                break_line(out, depth);
                match &key.kind {
                    NodeKind::Str(k) => json_string(k, out),
                    _ => json_string("", out),
                }
                out.push_str(": ");
                write_json(value, depth + 1, out);
            }
            out.push('}');
        }
    }
}

fn json_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::{Shape, generate, to_json};

    #[test]
    fn same_seed_same_map() {
        for shape in [Shape::Mixed, Shape::Chain, Shape::Cluster, Shape::Fanout] {
            assert_eq!(generate(50, 200, 7, shape), generate(50, 200, 7, shape));
        }
        assert_ne!(
            generate(50, 200, 7, Shape::Mixed),
            generate(50, 200, 8, Shape::Mixed)
        );
    }

    #[test]
    fn json_is_the_same_document() {
        let yaml = generate(40, 120, 3, Shape::Mixed);
        let json = to_json(&yaml).expect("converts");
        let limits = xborder_model::ParseLimits::default();
        let strip =
            |n: xborder_model::Node| format!("{:?}", n.kind).replace(char::is_whitespace, "");
        let from_yaml = xborder_model::parse_yaml(&yaml, limits).expect("yaml");
        let from_json = xborder_model::parse_json(&json, limits).expect("json");
        // Same values in the same order; only the locations differ.
        assert_eq!(
            without_locations(&strip(from_yaml)),
            without_locations(&strip(from_json))
        );
    }

    /// Drops `loc: Loc { … }` parts of a node's debug text.
    fn without_locations(text: &str) -> String {
        let mut out = String::new();
        let mut rest = text;
        while let Some(i) = rest.find("loc:Loc{") {
            out.push_str(&rest[..i]);
            rest = rest[i..].split_once('}').map_or("", |(_, r)| r);
        }
        out.push_str(rest);
        out
    }
}
