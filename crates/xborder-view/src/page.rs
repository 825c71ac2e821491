//! The page itself: the data document the script reads, and the HTML around it with the
//! style and script inlined and named by hash in the Content-Security-Policy, so that the one
//! file works from `file://` with no network and runs no code but its own.
//!
//! The data is compact on purpose (arrays, indices into tables, texts once): a map of ten
//! thousand flows carries every hop's states on every date of the slider. The field order
//! of each array is listed at the top of `assets/data.js`.

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::ViewInput;
use crate::history::History;
use crate::layout::{self, Layout};
use crate::strings::{Entry, Strings};

const TEMPLATE: &str = include_str!("../assets/view.html");
const STYLE: &str = include_str!("../assets/view.css");
/// The script, in the order its parts depend on each other.
const SCRIPT_PARTS: [&str; 5] = [
    include_str!("../assets/data.js"),
    include_str!("../assets/graph.js"),
    include_str!("../assets/panels.js"),
    include_str!("../assets/details.js"),
    include_str!("../assets/main.js"),
];

#[derive(Serialize)]
struct FileRef<'a> {
    path: &'a str,
    sha256: &'a str,
}

#[derive(Serialize)]
struct RulebookRef<'a> {
    version: &'a str,
    sha256: &'a str,
}

/// A country's box as the script reads it: code, name, position, size, bands, entities.
struct GroupRow<'a> {
    group: &'a layout::GroupBox,
    name: &'static str,
}

impl Serialize for GroupRow<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let g = self.group;
        let at = (g.x, g.y, g.w, g.h);
        (
            &g.country,
            self.name,
            at.0,
            at.1,
            at.2,
            at.3,
            &g.bands,
            &g.entities,
        )
            .serialize(s)
    }
}

/// What the script reads, in the order it is written.
#[derive(Serialize)]
struct Document<'a> {
    format: u32,
    organisation: &'a str,
    map: FileRef<'a>,
    rulebook: RulebookRef<'a>,
    base: Option<&'a str>,
    as_of: String,
    describes: Option<(Option<String>, Option<String>)>,
    stops: Vec<String>,
    /// The last day the slider covers: nothing changes from its last date to this one.
    until: String,
    initial: usize,
    regimes: Vec<(&'a str, &'a str)>,
    /// Every finding code (indexed like `Code::index`): code, title, severity rank.
    codes: Vec<(&'static str, &'a str, u8)>,
    size: (u32, u32),
    node: (u32, u32),
    groups: Vec<GroupRow<'a>>,
    entities: Vec<(&'a str, &'a str, usize, usize, u32, u32)>,
    flows: Vec<(i64, usize, usize, u32, Vec<u32>, i8)>,
    hops: &'a [crate::history::HopLine],
    states: &'a [crate::history::State],
    findings: &'a [crate::history::FindingRow],
    strings: &'a [Entry],
}

/// The whole page.
pub fn page(input: &ViewInput<'_>, history: &History, layout: &Layout, strings: Strings) -> String {
    let mut strings = strings;
    let map = input.map;
    let flows = map
        .flows
        .iter()
        .map(|f| {
            let id =
                f.id.as_deref()
                    .map_or(-1, |id| i64::from(strings.plain(id)));
            let data = f.data.iter().map(|c| strings.plain(c)).collect();
            let new = input
                .in_base
                .as_ref()
                .map_or(-1, |kept| i8::from(!kept.contains(&f.index)));
            (id, f.from, f.to, f.loc.line, data, new)
        })
        .collect();
    let doc = Document {
        format: 1,
        organisation: &map.organisation,
        map: FileRef {
            path: input.map_path,
            sha256: input.map_sha256,
        },
        rulebook: RulebookRef {
            version: &input.rulebook.manifest.version,
            sha256: &input.rulebook.sha256,
        },
        base: input.base_path,
        as_of: input.as_of.to_string(),
        describes: map.describes.as_ref().map(|p| {
            (
                p.from.map(|d| d.to_string()),
                p.until.map(|d| d.to_string()),
            )
        }),
        stops: history.stops.iter().map(|d| d.to_string()).collect(),
        until: history.until.to_string(),
        initial: history.initial,
        regimes: regimes(input, history),
        codes: xborder_law::Code::ALL
            .iter()
            .map(|&c| {
                let doc = input.rulebook.doc(c);
                let rank = crate::history::severity_rank(doc.severity);
                (c.as_str(), doc.title.as_str(), rank)
            })
            .collect(),
        size: (layout.width, layout.height),
        node: (layout::NODE_W, layout::NODE_H),
        groups: layout
            .groups
            .iter()
            .map(|g| GroupRow {
                group: g,
                name: xborder_law::place_name(&g.country).unwrap_or(""),
            })
            .collect(),
        entities: map
            .entities
            .iter()
            .zip(&layout.nodes)
            .map(|(e, &(group, x, y))| {
                let kind = layout::kind_index(e.kind);
                (e.id.as_str(), e.name.as_str(), kind, group, x, y)
            })
            .collect(),
        flows,
        hops: &history.hops,
        states: &history.states,
        findings: &history.findings,
        strings: strings.entries(),
    };
    // Serializing plain data to a string cannot fail; an empty document would only show the
    // page's "no data" state.
    let data = serde_json::to_string(&doc).unwrap_or_else(|_| "{}".to_string());
    html(input, &data)
}

fn regimes<'a>(input: &'a ViewInput<'_>, history: &'a History) -> Vec<(&'a str, &'a str)> {
    history
        .regimes
        .iter()
        .map(|id| {
            let name = input
                .rulebook
                .regimes
                .iter()
                .find(|r| &r.id == id)
                .map_or(id.as_str(), |r| r.name.as_str());
            (id.as_str(), name)
        })
        .collect()
}

/// The script as one piece, its parts sharing one strict scope and nothing global but the
/// ready time the tests read.
pub fn script() -> String {
    let mut out = String::from("(function () {\n'use strict';\n");
    for part in SCRIPT_PARTS {
        out.push_str(part);
        out.push('\n');
    }
    out.push_str("})();\n");
    out
}

/// The Content-Security-Policy: nothing from anywhere, but this style, this script and
/// `data:` images (the empty favicon, which keeps the browser from asking for one).
pub fn csp(style: &str, script: &str) -> String {
    format!(
        "default-src 'none'; script-src 'sha256-{}'; style-src 'sha256-{}'; img-src data:; base-uri 'none'; form-action 'none'",
        base64(&Sha256::digest(script.as_bytes())),
        base64(&Sha256::digest(style.as_bytes())),
    )
}

fn html(input: &ViewInput<'_>, data: &str) -> String {
    let script = script();
    let heading = format!(
        "{} — data map as of {}",
        input.map.organisation, input.as_of
    );
    let short = input.map_sha256.get(..12).unwrap_or(input.map_sha256);
    let base_note = input
        .base_path
        .map(|b| format!(" · compared with <code>{}</code>", escape(b)))
        .unwrap_or_default();
    // In a script element only `</` can end it early; JSON has `<` only inside strings,
    // where `\u003c` means the same.
    let data = data.replace('<', "\\u003c");
    fill(TEMPLATE, |name| match name {
        "csp" => csp(STYLE, &script),
        "version" => escape(env!("CARGO_PKG_VERSION")),
        "title" | "heading" => escape(&heading),
        "style" => STYLE.to_string(),
        "map_path" => escape(input.map_path),
        "map_sha256" => escape(input.map_sha256),
        "map_sha256_short" => escape(short),
        "rulebook_version" => escape(&input.rulebook.manifest.version),
        "as_of" => input.as_of.to_string(),
        "base_note" => base_note.clone(),
        "data" => data.clone(),
        "script" => script.clone(),
        _ => String::new(),
    })
}

/// The template with each `{{name}}` replaced, in one pass: a value is never read again, so
/// text from the map cannot become a placeholder.
fn fill(template: &str, value: impl Fn(&str) -> String) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        let Some(len) = rest[start..].find("}}") else {
            break;
        };
        out.push_str(&rest[..start]);
        out.push_str(&value(&rest[start + 2..start + len]));
        rest = &rest[start + len + 2..];
    }
    out.push_str(rest);
    out
}

/// Text for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Standard base64 with padding (RFC 4648), for the CSP hashes.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i)) as usize & 63]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_pads_like_rfc_4648() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }

    #[test]
    fn placeholders_are_filled_once() {
        let out = fill("a {{x}} b {{y}}", |n| match n {
            "x" => "{{y}}".to_string(),
            _ => "Y".to_string(),
        });
        assert_eq!(out, "a {{y}} b Y");
    }
}
