//! When a map cannot be loaded, every machine format still says why.
//!
//! A CI job that runs `check --format sarif|github|junit|json` reads standard output, not the
//! terminal: an invalid map that printed its problems only on standard error would show as an
//! empty SARIF upload and no annotation on the pull request. So the map's diagnostics are
//! written in the format asked for — SARIF results with their locations and a tool execution
//! notification, GitHub `::error file=…` commands, a failed JUnit case per problem, a JSON
//! `errors` list — and the command still exits 2 (nothing was judged).
//!
//! Each format writes them in its own module
//! ([`Format::unusable`](crate::output::Format::unusable)); this module holds what they
//! share: the headline, the diagnostic's level and text, and [`report`], which every command
//! with a machine format calls on a [`Failure`].

use xborder_model::{Diagnostic, DiagnosticLevel};

use crate::cli::CheckFormat;
use crate::input::{Failure, LoadedMap};

/// The one line that says nothing was judged, as on standard error.
pub fn headline(loaded: &LoadedMap) -> String {
    format!(
        "{} is not a valid {} ({} problem(s)); nothing was checked",
        loaded.path,
        loaded.what,
        loaded.errors()
    )
}

/// The key of `inputs` the file is given under, as in the result of a check.
pub fn input_key(loaded: &LoadedMap) -> &'static str {
    match loaded.what {
        "risk acceptance file" => "acceptances",
        "vendor intake" => "intake",
        _ => "map",
    }
}

/// The diagnostic's level as SARIF and GitHub write it: `error` or `warning`.
pub fn level(d: &Diagnostic) -> &'static str {
    match d.level {
        DiagnosticLevel::Error => "error",
        DiagnosticLevel::Warning => "warning",
    }
}

/// The diagnostic's message, followed by its hint when it has one.
pub fn with_hint(d: &Diagnostic) -> String {
    match &d.hint {
        Some(hint) => format!("{} (hint: {hint})", d.message),
        None => d.message.clone(),
    }
}

/// Writes the diagnostics of the map a [`Failure`] could not load to standard output in
/// `format` (nothing for the human format: standard error has them), and hands the failure
/// back for its exit code and its text on standard error.
pub fn report(failure: Failure, format: CheckFormat) -> Failure {
    let Some(loaded) = failure.invalid_map.as_deref() else {
        return failure;
    };
    let written = crate::output::format(format).unusable(loaded);
    written.err().unwrap_or(failure)
}

/// For the commands whose only machine format is JSON (`diff`, `timeline`, `ropa`, `ccpa`):
/// with `json`, the diagnostics of a file that cannot be loaded are written as the JSON
/// `errors` document, as `check --format json` writes them.
pub fn json_when(json: bool) -> impl Fn(Failure) -> Failure {
    move |failure| {
        if json {
            report(failure, CheckFormat::Json)
        } else {
            failure
        }
    }
}
