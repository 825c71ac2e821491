//! JUnit XML: one test case per hop, failing when the hop is unlawful.

use std::fmt::Write as _;

use xborder_engine::{Evaluation, Verdict};
use xborder_law::Severity;

/// Escapes text for XML attribute and element content.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\r' | '\t') => {}
            c => out.push(c),
        }
    }
    out
}

pub fn junit(eval: &Evaluation, map_path: &str) -> String {
    let failures = eval
        .hops
        .iter()
        .filter(|h| h.verdict == Verdict::Unlawful)
        .count();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"xborder check\" tests=\"{}\" failures=\"{failures}\" errors=\"0\">",
        eval.hops.len()
    );
    let _ = writeln!(
        out,
        "  <testsuite name=\"{} as of {}\" tests=\"{}\" failures=\"{failures}\" errors=\"0\" skipped=\"0\" timestamp=\"{}T00:00:00\">",
        escape(map_path),
        eval.as_of,
        eval.hops.len(),
        eval.as_of
    );
    for hop in &eval.hops {
        let name = format!(
            "flow {}{}: {} → {} [{} → {}]",
            hop.flow,
            hop.id.as_ref().map(|i| format!(" {i}")).unwrap_or_default(),
            hop.from,
            hop.to,
            hop.regime,
            hop.destination
        );
        let _ = write!(
            out,
            "    <testcase classname=\"xborder.{}\" name=\"{}\" file=\"{}\"",
            escape(&hop.regime),
            escape(&name),
            escape(map_path)
        );
        let findings: Vec<_> = eval
            .findings
            .iter()
            .filter(|f| {
                f.flow == hop.flow && f.regime == hop.regime && f.destination == hop.destination
            })
            .collect();
        let detail: String = findings
            .iter()
            .map(|f| {
                format!(
                    "{} {}: {}\n  path: {}\n  citation: {}\n",
                    f.code,
                    f.severity.as_str(),
                    f.message,
                    f.path_text(),
                    f.citation
                )
            })
            .collect();
        if hop.verdict == Verdict::Unlawful {
            let first = findings
                .iter()
                .find(|f| f.severity == Severity::Error)
                .map_or_else(
                    || "unlawful".to_string(),
                    |f| format!("{}: {}", f.code, f.message),
                );
            let _ = writeln!(out, ">");
            let _ = writeln!(
                out,
                "      <failure message=\"{}\" type=\"unlawful\">{}</failure>",
                escape(&first),
                escape(&detail)
            );
            let _ = writeln!(out, "    </testcase>");
        } else {
            let _ = writeln!(out, ">");
            let _ = writeln!(
                out,
                "      <system-out>{}</system-out>",
                escape(&format!("{} ({})\n{detail}", hop.verdict, hop.basis))
            );
            let _ = writeln!(out, "    </testcase>");
        }
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}
