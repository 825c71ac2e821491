//! `check --format github`, GitHub Actions output: workflow commands that annotate the YAML
//! (`::error file=…::…`) and a Markdown summary for `$GITHUB_STEP_SUMMARY`.
//!
//! GitHub shows at most 10 annotations of each type per step (50 per job), so the newest
//! and most severe findings are annotated first, and the rest are counted in a notice and
//! listed in full in the summary (and in SARIF). A map that cannot be loaded is annotated
//! with its problems, then an error that says nothing was checked.

use std::fmt::Write as _;

use xborder_engine::{Baseline, Evaluation, Finding};
use xborder_law::Severity;
use xborder_model::{Diagnostic, DiagnosticLevel};

use crate::input::{Failure, LoadedMap};
use crate::output::unusable::{UnusableInput, level, with_hint};
use crate::output::{CheckResult, Format};

/// The GitHub format of `check`.
pub struct Github;

impl Format for Github {
    /// Writes the map's own warnings and the findings as annotations on standard output, and
    /// appends the [`summary`] to the file `$GITHUB_STEP_SUMMARY` names (when it is set).
    fn result(&self, r: &CheckResult<'_>) -> Result<(), Failure> {
        out!(
            "{}{}",
            diagnostics(r.loaded),
            annotations(&r.loaded.path, r.states, r.with_base)
        );
        let summary = summary(
            r.eval,
            &r.loaded.path,
            r.states,
            r.resolved.len(),
            r.with_base,
        );
        append_step_summary(&summary);
        Ok(())
    }

    /// Writes the [`unusable`] annotations.
    fn unusable(&self, input: &UnusableInput) -> Result<(), Failure> {
        crate::stdout::text(&unusable(input))
    }
}

/// Appends `summary` to the file `$GITHUB_STEP_SUMMARY` names, if it is set; a file that
/// cannot be written is a warning on standard error, not a failure of the check.
fn append_step_summary(summary: &str) {
    if let Some(file) = std::env::var_os("GITHUB_STEP_SUMMARY") {
        use std::io::Write as _;
        let written = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&file)
            .and_then(|mut f| f.write_all(summary.as_bytes()));
        if let Err(e) = written {
            eprintln!("warning: cannot append to GITHUB_STEP_SUMMARY: {e}");
        }
    }
}

/// Annotations of one type GitHub displays per step.
pub const CAP_PER_TYPE: usize = 10;

/// Escapes a workflow command's message: `%`, CR and LF.
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow command's property value: as data, plus `:` and `,`.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

fn command(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    }
}

/// The workflow commands for `states` (findings with their baseline state).
/// With `with_base`, the title of a finding that is new against the base says so.
pub fn annotations(path: &str, states: &[(Baseline, &Finding)], with_base: bool) -> String {
    let mut ordered: Vec<&(Baseline, &Finding)> = states.iter().collect();
    // An accepted error is shown as a notice, but before the informational notices: it is
    // still a risk, on the record.
    ordered.sort_by_key(|(b, f)| {
        (
            *b != Baseline::New,
            std::cmp::Reverse(f.severity),
            f.accepted.is_some(),
            f.loc.line,
        )
    });
    let mut shown = [0usize; 3];
    let mut hidden = 0;
    let mut out = String::new();
    for (baseline, f) in ordered {
        // An accepted finding is a notice: on the record, asking for nothing before its end.
        let severity = if f.accepted.is_some() {
            Severity::Info
        } else {
            f.severity
        };
        let slot = severity as usize;
        if shown[slot] >= CAP_PER_TYPE {
            hidden += 1;
            continue;
        }
        shown[slot] += 1;
        let title = format!(
            "{} {}{}{}",
            f.code,
            f.regime,
            if with_base && *baseline == Baseline::New {
                " (new)"
            } else {
                ""
            },
            if f.accepted.is_some() {
                " (accepted)"
            } else {
                ""
            }
        );
        let accepted = f
            .accepted
            .as_ref()
            .map(|a| {
                format!(
                    "\naccepted by {} until {} ({}:{}): {}",
                    a.by, a.until, a.file, a.line, a.reason
                )
            })
            .unwrap_or_default();
        let message = format!(
            "{}{accepted}\npath: {}\ncitation: {}\nfix: {}",
            f.message,
            f.path_text(),
            f.citation,
            f.remediation
        );
        let _ = writeln!(
            out,
            "::{} file={},line={},col={},title={}::{}",
            command(severity),
            escape_property(path),
            f.loc.line,
            f.loc.column,
            escape_property(&title),
            escape_data(&message)
        );
    }
    if hidden > 0 {
        let _ = writeln!(
            out,
            "::notice title=xborder::{}",
            escape_data(&format!(
                "{hidden} more finding(s) not annotated (GitHub shows {CAP_PER_TYPE} per type); see the step summary or the SARIF upload"
            ))
        );
    }
    out
}

/// The Markdown step summary: counts, then every new finding, then the rest.
pub fn summary(
    eval: &Evaluation,
    path: &str,
    states: &[(Baseline, &Finding)],
    resolved: usize,
    with_base: bool,
) -> String {
    let s = &eval.summary;
    let mut out = format!("## xborder: {path} as of {}\n\n", eval.as_of);
    let _ = writeln!(
        out,
        "| hops | not a transfer | lawful | conditional | unlawful |\n|---:|---:|---:|---:|---:|\n| {} | {} | {} | {} | {} |\n",
        s.hops, s.not_a_transfer, s.lawful, s.conditional, s.unlawful
    );
    if with_base {
        let new = Baseline::New.count(states.iter().map(|(b, _)| b));
        let _ = writeln!(
            out,
            "Against the base map: **{new} new**, {} unchanged, {resolved} resolved finding(s).\n",
            states.len() - new
        );
    }
    let cell = |t: &str| t.replace('|', "\\|").replace('\n', " ");
    let _ = writeln!(
        out,
        "| | code | severity | flow | regime → dest. | finding | path |\n|---|---|---|---|---|---|---|"
    );
    let mut ordered: Vec<&(Baseline, &Finding)> = states.iter().collect();
    ordered.sort_by_key(|(b, f)| (*b != Baseline::New, std::cmp::Reverse(f.severity), f.flow));
    for (b, f) in ordered
        .into_iter()
        .filter(|(_, f)| f.severity != Severity::Info)
    {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} → {} | {} | {} |",
            if f.accepted.is_some() {
                "accepted"
            } else if *b == Baseline::New && with_base {
                "🆕"
            } else {
                ""
            },
            f.code,
            f.severity.as_str(),
            f.flow,
            f.regime,
            f.destination,
            cell(&f.message),
            cell(&f.path_text())
        );
    }
    out
}

/// The workflow commands for an input that cannot be used: one annotation per problem, then
/// the headline as an error without a file.
pub fn unusable(input: &UnusableInput) -> String {
    let all_of_them = if input.is_rulebook() {
        format!("run `xborder rules --rules {}` for all of them", input.path)
    } else {
        format!("run `xborder validate {}` for all of them", input.path)
    };
    let problems = input
        .problems
        .iter()
        .map(|p| (p.file.as_str(), &p.diagnostic));
    let mut out = annotate(problems, &all_of_them);
    let _ = writeln!(
        out,
        "::error title=xborder::{}",
        escape_data(&input.headline())
    );
    out
}

/// One annotation per diagnostic of a file: also the warnings of a map that could be
/// checked.
pub fn diagnostics(loaded: &LoadedMap) -> String {
    annotate(
        loaded.diagnostics.iter().map(|d| (loaded.path.as_str(), d)),
        &format!("run `xborder validate {}` for all of them", loaded.path),
    )
}

/// One annotation per diagnostic, at its line and column in its file when it has a place
/// there (GitHub shows ten of each type per step; the rest are counted in a notice that ends
/// with `all_of_them`, how to see them).
fn annotate<'a>(
    problems: impl Iterator<Item = (&'a str, &'a Diagnostic)>,
    all_of_them: &str,
) -> String {
    let mut out = String::new();
    let mut shown = [0usize; 2];
    let mut hidden = 0;
    for (file, d) in problems {
        let slot = usize::from(d.level == DiagnosticLevel::Warning);
        if shown[slot] >= CAP_PER_TYPE {
            hidden += 1;
            continue;
        }
        shown[slot] += 1;
        let place = crate::diagnostics::place(d).map_or(String::new(), |(line, column)| {
            format!(",line={line},col={column}")
        });
        let _ = writeln!(
            out,
            "::{} file={}{place},title={}::{}",
            level(d),
            escape_property(file),
            escape_property(&format!("xborder {}", d.code)),
            escape_data(&with_hint(d))
        );
    }
    if hidden > 0 {
        let _ = writeln!(
            out,
            "::notice title=xborder::{}",
            escape_data(&format!(
                "{hidden} more problem(s) not annotated; {all_of_them}"
            ))
        );
    }
    out
}
