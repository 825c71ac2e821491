//! `check --format junit`: JUnit XML, one test case per hop, failing when the hop is
//! unlawful; for a map that cannot be loaded, one test case per problem of the map, failing
//! for errors.

use std::collections::HashMap;
use std::fmt::Write as _;

use xborder_engine::{Evaluation, Finding, Hop, Verdict};
use xborder_law::Severity;
use xborder_model::DiagnosticLevel;

use crate::input::Failure;
use crate::output::unusable::{UnusableInput, with_hint};
use crate::output::{CheckResult, Format};

/// The JUnit format of `check`.
pub struct Junit;

impl Format for Junit {
    /// Writes the [`junit`] report of the result.
    fn result(&self, r: &CheckResult<'_>) -> Result<(), Failure> {
        out!("{}", junit(r.eval, &r.loaded.path));
        Ok(())
    }

    /// Writes the [`unusable`] report.
    fn unusable(&self, input: &UnusableInput) -> Result<(), Failure> {
        crate::stdout::text(&unusable(input))
    }
}

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

/// Whether the hop's case fails: unlawful, with an error finding no risk acceptance covers.
/// An unlawful hop whose errors are all accepted is skipped instead, with the acceptance.
fn outcome(hop: &Hop, findings: &[&Finding]) -> Outcome {
    if hop.verdict != Verdict::Unlawful {
        Outcome::Passed
    } else if findings
        .iter()
        .any(|f| f.severity == Severity::Error && f.accepted.is_none())
        || !findings.iter().any(|f| f.accepted.is_some())
    {
        Outcome::Failed
    } else {
        Outcome::Accepted
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Passed,
    Failed,
    Accepted,
}

/// The findings of an evaluation grouped by the hop they are about (its flow, regime and
/// destination), each group in the evaluation's order. Built in one pass: looking a hop's
/// findings up by scanning them all made the report quadratic (a chain of 10,000 flows,
/// 116,000 findings, took 25 s).
type HopKey<'a> = (usize, &'a str, &'a str);

fn findings_by_hop(eval: &Evaluation) -> HashMap<HopKey<'_>, Vec<&Finding>> {
    let mut by_hop: HashMap<HopKey<'_>, Vec<&Finding>> = HashMap::new();
    for f in &eval.findings {
        by_hop
            .entry((f.flow, f.regime.as_str(), f.destination.as_str()))
            .or_default()
            .push(f);
    }
    by_hop
}

/// The findings about `hop`.
fn findings_of<'a, 'e>(
    by_hop: &'a HashMap<HopKey<'e>, Vec<&'e Finding>>,
    hop: &'e Hop,
) -> &'a [&'e Finding] {
    by_hop
        .get(&(hop.flow, hop.regime.as_str(), hop.destination.as_str()))
        .map_or(&[], Vec::as_slice)
}

/// The suite of a check: one test case per hop of `eval` (a map at `map_path`), failing when
/// the hop is unlawful with an error no risk acceptance covers, skipped when all are accepted.
pub fn junit(eval: &Evaluation, map_path: &str) -> String {
    let by_hop = findings_by_hop(eval);
    let outcomes: Vec<Outcome> = eval
        .hops
        .iter()
        .map(|h| outcome(h, findings_of(&by_hop, h)))
        .collect();
    let failures = outcomes.iter().filter(|o| **o == Outcome::Failed).count();
    let skipped = outcomes.iter().filter(|o| **o == Outcome::Accepted).count();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"xborder check\" tests=\"{}\" failures=\"{failures}\" errors=\"0\">",
        eval.hops.len()
    );
    let _ = writeln!(
        out,
        "  <testsuite name=\"{} as of {}\" tests=\"{}\" failures=\"{failures}\" errors=\"0\" skipped=\"{skipped}\" timestamp=\"{}T00:00:00\">",
        escape(map_path),
        eval.as_of,
        eval.hops.len(),
        eval.as_of
    );
    for (hop, outcome) in eval.hops.iter().zip(outcomes) {
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
        let findings = findings_of(&by_hop, hop);
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
        if outcome == Outcome::Accepted {
            let accepted: Vec<String> = findings
                .iter()
                .filter_map(|f| {
                    f.accepted.as_ref().map(|a| {
                        format!(
                            "{} accepted by {} until {} ({}:{}): {}",
                            f.code, a.by, a.until, a.file, a.line, a.reason
                        )
                    })
                })
                .collect();
            let _ = writeln!(out, ">");
            let _ = writeln!(
                out,
                "      <skipped message=\"{}\"/>",
                escape(&format!("unlawful, risk accepted: {}", accepted.join("; ")))
            );
            let _ = writeln!(
                out,
                "      <system-out>{}</system-out>",
                escape(&format!("{} ({})\n{detail}", hop.verdict, hop.basis))
            );
            let _ = writeln!(out, "    </testcase>");
        } else if outcome == Outcome::Failed {
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

/// The JUnit XML of an input that cannot be used: one test case per problem, failing for
/// errors; the suite is the input's validation.
pub fn unusable(input: &UnusableInput) -> String {
    let tests = input.problems.len();
    let failures = input.errors();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"xborder check\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\">"
    );
    let _ = writeln!(
        out,
        "  <testsuite name=\"{}: the {} is valid\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" skipped=\"0\">",
        escape(&input.path),
        input.what
    );
    let class = if input.is_rulebook() {
        "xborder.rulebook"
    } else {
        "xborder.map"
    };
    for p in &input.problems {
        let d = &p.diagnostic;
        let file = escape(&p.file);
        let (name, line) = match p.position() {
            Some((line, column)) => (
                format!("{}:{line}:{column} {}", p.file, d.code),
                format!(" line=\"{line}\""),
            ),
            None => (format!("{} {}", p.file, d.code), String::new()),
        };
        let _ = write!(
            out,
            "    <testcase classname=\"{class}\" name=\"{}\" file=\"{file}\"{line}>",
            escape(&name)
        );
        let text = escape(&with_hint(d));
        match d.level {
            DiagnosticLevel::Error => {
                let _ = write!(
                    out,
                    "\n      <failure message=\"{text}\" type=\"{}\">{}</failure>\n    ",
                    d.code,
                    escape(&input.headline())
                );
            }
            DiagnosticLevel::Warning => {
                let _ = write!(
                    out,
                    "\n      <system-out>warning: {text}</system-out>\n    "
                );
            }
        }
        out.push_str("</testcase>\n");
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}
