//! Rendering map diagnostics: compiler-style text with the offending line, or JSON.

use codespan_reporting::diagnostic::{Diagnostic as Report, Label, Severity};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::Config;
use serde_json::{Value, json};
use xborder_model::{Diagnostic, DiagnosticLevel, Loc};

use crate::input::LoadedMap;

/// One file's diagnostics as text, each with the YAML line it is about.
pub fn human(loaded: &LoadedMap) -> String {
    let file = SimpleFile::new(loaded.path.as_str(), loaded.text.as_str());
    let config = Config::default();
    let mut out = String::new();
    for d in &loaded.diagnostics {
        let severity = match d.level {
            DiagnosticLevel::Error => Severity::Error,
            DiagnosticLevel::Warning => Severity::Warning,
        };
        let range = span(&loaded.text, d.loc);
        let mut report = Report::new(severity)
            .with_code(d.code)
            .with_message(&d.message)
            .with_labels(vec![Label::primary((), range)]);
        if let Some(hint) = &d.hint {
            report = report.with_notes(vec![format!("hint: {hint}")]);
        }
        if crate::style::emit_diagnostic(
            &mut out,
            crate::style::Stream::Stderr,
            &config,
            &file,
            &report,
        )
        .is_err()
        {
            out.push_str(&format!(
                "{}:{}:{}: {}: {}\n",
                loaded.path, d.loc.line, d.loc.column, d.code, d.message
            ));
        }
    }
    out
}

/// The byte range a diagnostic underlines: the token at its location.
pub fn span(text: &str, loc: Loc) -> std::ops::Range<usize> {
    let start = loc.offset.min(text.len());
    let rest = text.get(start..).unwrap_or("");
    let len = rest
        .char_indices()
        .find(|(_, c)| matches!(c, '\n' | ',' | ']' | '}' | '#') || c.is_whitespace())
        .map_or(rest.len(), |(i, _)| i)
        .max(rest.chars().next().map_or(0, char::len_utf8));
    start..start + len
}

/// One file's diagnostics as JSON objects.
pub fn json(loaded: &LoadedMap) -> Vec<Value> {
    loaded
        .diagnostics
        .iter()
        .map(|d| entry(&loaded.path, d))
        .collect()
}

/// A diagnostic of `file` as the JSON object `validate --format json` and the errors document
/// write: `line` and `column` are `null` for a problem with no place in the file.
pub fn entry(file: &str, d: &Diagnostic) -> Value {
    let (line, column) = place(d).unzip();
    json!({
        "file": file,
        "line": line,
        "column": column,
        "severity": d.level,
        "code": d.code,
        "message": d.message,
        "hint": d.hint,
    })
}

/// The line and column of a diagnostic, when it has a place in its file (line 0: a problem
/// of a rulebook as a whole, such as an entry no file defines).
pub fn place(d: &Diagnostic) -> Option<(u32, u32)> {
    (d.loc.line > 0).then_some((d.loc.line, d.loc.column))
}
