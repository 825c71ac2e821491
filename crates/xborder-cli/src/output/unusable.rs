//! When a map (or the rulebook) cannot be loaded, every machine format still says why.
//!
//! A CI job that runs `check --format sarif|github|junit|json` reads standard output, not the
//! terminal: an invalid map that printed its problems only on standard error would show as an
//! empty SARIF upload and no annotation on the pull request. So the input's problems are
//! written in the format asked for — SARIF results with their locations and a tool execution
//! notification, GitHub `::error file=…` commands, a failed JUnit case per problem, a JSON
//! `errors` list — and the command still exits 2 (nothing was judged).
//!
//! Each format writes them in its own module
//! ([`Format::unusable`](crate::output::Format::unusable)); this module holds what they
//! share: the headline, the diagnostic's level and text, and [`report`], which every command
//! with a machine format calls on a [`Failure`].

use xborder_law::RulebookError;
use xborder_model::{Diagnostic, DiagnosticLevel, Loc};

use crate::cli::CheckFormat;
use crate::input::{Failure, LoadedMap};

/// An input that cannot be used, as every format writes it: a map (or a `--base` map, a risk
/// acceptance file, a vendor intake) with its diagnostics, or a `--rules` folder with the
/// problems of its files.
#[derive(Debug)]
pub struct UnusableInput {
    /// What it is, for messages: "data map", "rulebook".
    pub what: &'static str,
    /// The key of the JSON document's `inputs` it is given under, as in the result of a
    /// check: `map`, `acceptances`, `intake`, `rules`.
    pub key: &'static str,
    /// The path as given on the command line: a file, or the `--rules` folder.
    pub path: String,
    /// The SHA-256 of the file; `None` for a folder.
    pub sha256: Option<String>,
    /// Every problem, in the order found, each with the file it is in.
    pub problems: Vec<Problem>,
}

/// One problem of an [`UnusableInput`]: a diagnostic and the file it is in. Its line is 0
/// when the problem has no place in the file (a rulebook's missing entry).
#[derive(Debug)]
pub struct Problem {
    pub file: String,
    pub diagnostic: Diagnostic,
}

impl Problem {
    /// The line and column, when the problem has a place in its file.
    pub fn position(&self) -> Option<(u32, u32)> {
        crate::diagnostics::place(&self.diagnostic)
    }
}

/// The code every problem of a rulebook file is reported under.
const RULEBOOK_PROBLEM: &str = "invalid-rulebook";

impl UnusableInput {
    /// A file with errors: each of its diagnostics is in it.
    pub fn file(loaded: &LoadedMap) -> Self {
        UnusableInput {
            what: loaded.what,
            key: match loaded.what {
                "risk acceptance file" => "acceptances",
                "vendor intake" => "intake",
                _ => "map",
            },
            path: loaded.path.clone(),
            sha256: Some(loaded.sha256.clone()),
            problems: loaded
                .diagnostics
                .iter()
                .map(|d| Problem {
                    file: loaded.path.clone(),
                    diagnostic: d.clone(),
                })
                .collect(),
        }
    }

    /// A rulebook whose files have errors: `folder` is the `--rules` folder as given (or
    /// the built-in rulebook's name), and a problem of the rulebook as a whole is placed in
    /// it.
    pub fn rulebook(folder: String, errors: &[RulebookError]) -> Self {
        let problems = errors
            .iter()
            .map(|e| {
                let at = |n: Option<u64>| n.and_then(|n| u32::try_from(n).ok()).unwrap_or(0);
                let message = match &e.entry {
                    Some(entry) => format!("{entry}: {}", e.message),
                    None => e.message.clone(),
                };
                let loc = Loc {
                    line: at(e.line),
                    column: at(e.column),
                    offset: 0,
                };
                Problem {
                    file: e.file.clone().unwrap_or_else(|| folder.clone()),
                    diagnostic: Diagnostic::error(RULEBOOK_PROBLEM, loc, message).with_hint(
                        "fix the file, or remove it from the --rules folder to use the built-in entries",
                    ),
                }
            })
            .collect();
        UnusableInput {
            what: "rulebook",
            key: "rules",
            path: folder,
            sha256: None,
            problems,
        }
    }

    /// Whether the input is a rulebook (a `--rules` folder), not a file of the user's data.
    pub fn is_rulebook(&self) -> bool {
        self.key == "rules"
    }

    /// How many of the problems are errors.
    pub fn errors(&self) -> usize {
        self.problems
            .iter()
            .filter(|p| p.diagnostic.level == DiagnosticLevel::Error)
            .count()
    }

    /// The one line that says nothing was judged, as on standard error: a vendor intake
    /// that cannot be read leaves nothing reviewed, any other input nothing checked.
    pub fn headline(&self) -> String {
        let undone = if self.key == "intake" {
            "reviewed"
        } else {
            "checked"
        };
        format!(
            "{} is not a valid {} ({} problem(s)); nothing was {undone}",
            self.path,
            self.what,
            self.errors()
        )
    }

    /// Where the problems are: each file once, in the order first named.
    pub fn files(&self) -> Vec<&str> {
        let mut files: Vec<&str> = Vec::new();
        for p in &self.problems {
            if !files.contains(&p.file.as_str()) {
                files.push(&p.file);
            }
        }
        files
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

/// Writes the problems of the input a [`Failure`] could not use to standard output in
/// `format` (nothing for the human format: standard error has them), and hands the failure
/// back for its exit code and its text on standard error.
pub fn report(failure: Failure, format: CheckFormat) -> Failure {
    let Some(input) = failure.unusable.as_deref() else {
        return failure;
    };
    let written = crate::output::format(format).unusable(input);
    written.err().unwrap_or(failure)
}

/// For the commands whose only machine format is JSON (`diff`, `timeline`, `ropa`, `ccpa`,
/// `validate`, `rules`, `notice check`, `vendor`): with `json`, the problems of an input
/// that cannot be used are written as the JSON `errors` document, as `check --format json`
/// writes them.
pub fn json_when(json: bool) -> impl Fn(Failure) -> Failure {
    move |failure| {
        if json {
            report(failure, CheckFormat::Json)
        } else {
            failure
        }
    }
}
