//! Shared setup of the xborder fuzz targets: the embedded rulebook and its vocabulary (built
//! once per process), fixed dates, and the checks every diagnostic must pass.

use std::sync::OnceLock;

use chrono::NaiveDate;
use codespan_reporting::diagnostic::{Diagnostic as Report, Label, Severity};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, Config};
use xborder_law::Rulebook;
use xborder_model::{Diagnostic, DiagnosticLevel, Loc, Map, Syntax, Vocabulary};

/// The built-in rulebook.
pub fn rulebook() -> &'static Rulebook {
    static RULEBOOK: OnceLock<Rulebook> = OnceLock::new();
    RULEBOOK.get_or_init(|| Rulebook::embedded().expect("the built-in rulebook is valid"))
}

/// The map vocabulary of the built-in rulebook, as `xborder validate` builds it.
pub fn vocabulary() -> &'static Vocabulary {
    static VOCABULARY: OnceLock<Vocabulary> = OnceLock::new();
    VOCABULARY.get_or_init(|| xborder_engine::vocabulary(rulebook()))
}

/// The January 2021 Coursera map, the map the example vendor intakes join.
pub fn coursera_map() -> &'static Map {
    static MAP: OnceLock<Map> = OnceLock::new();
    MAP.get_or_init(|| {
        let text = include_str!("../../data/coursera/2021-01.yaml");
        xborder_model::load(text, vocabulary())
            .0
            .expect("data/coursera/2021-01.yaml is a valid map")
    })
}

/// A small synthetic map (`cargo xtask gen --entities 16 --flows 32 --seed 4`: EU, UK and
/// Swiss data, onward chains, every mechanism kind), judged against fuzzed rulebooks.
pub const SMALL_MAP: &str = include_str!("../data/small-map.yaml");

/// An as-of date picked by the input (deterministic, so a crash reproduces): before the
/// 2020 Privacy Shield judgment, between it and the DPF, and today.
pub fn as_of(input: &[u8]) -> NaiveDate {
    let (y, m, d) = match input.len() % 3 {
        0 => (2018, 7, 11),
        1 => (2021, 1, 1),
        _ => (2026, 11, 25),
    };
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid date")
}

/// Checks what the command line relies on when it prints a diagnostic: the location lies in
/// the text, on a character boundary, and its line and column are those of its byte offset
/// (counted as `syntax` counts them). Then renders every diagnostic as `xborder validate` does
/// (codespan-reporting, the token at the location underlined).
pub fn check_diagnostics(text: &str, diagnostics: &[Diagnostic], syntax: Syntax) {
    for d in diagnostics {
        check_loc(text, d, syntax);
    }
    let file = SimpleFile::new("input.yaml", text);
    let config = Config::default();
    let mut out = String::new();
    for d in diagnostics {
        let severity = match d.level {
            DiagnosticLevel::Error => Severity::Error,
            DiagnosticLevel::Warning => Severity::Warning,
        };
        let mut report = Report::new(severity)
            .with_code(d.code)
            .with_message(&d.message)
            .with_labels(vec![Label::primary((), span(text, d.loc))]);
        if let Some(hint) = &d.hint {
            report = report.with_notes(vec![format!("hint: {hint}")]);
        }
        term::emit_to_string(&mut out, &config, &file, &report).expect("the diagnostic renders");
    }
}

fn check_loc(text: &str, d: &Diagnostic, syntax: Syntax) {
    let loc = d.loc;
    assert!(
        loc.offset <= text.len() && text.is_char_boundary(loc.offset),
        "{}: offset {} is not a character boundary of the text ({} bytes)",
        d.code,
        loc.offset,
        text.len()
    );
    assert_eq!(
        (loc.line as usize, loc.column as usize),
        line_column(&text[..loc.offset], syntax),
        "{}: line and column disagree with offset {} ({})",
        d.code,
        loc.offset,
        d.message
    );
}

/// The 1-based line and column (in characters) just after `before`. YAML ends lines at `\n`,
/// `\r\n` or a lone `\r`, JSON at `\n` (a `\r` is a character of its line there); a byte order
/// mark that starts a line is not a column (YAML allows one before a document, the JSON
/// reader skips one that starts the file).
fn line_column(before: &str, syntax: Syntax) -> (usize, usize) {
    let yaml = syntax == Syntax::Yaml;
    let mut line = 1;
    let mut column = 1;
    let mut chars = before.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\n' || (yaml && c == '\r' && chars.peek() != Some(&'\n')) {
            line += 1;
            column = 1;
        } else if !(yaml && c == '\r') && !(c == '\u{feff}' && column == 1) {
            column += 1;
        }
    }
    (line, column)
}

/// The byte range the command line underlines: the token at the location (the same rule as
/// `xborder`'s diagnostics rendering).
fn span(text: &str, loc: Loc) -> std::ops::Range<usize> {
    let start = loc.offset.min(text.len());
    let rest = text.get(start..).unwrap_or("");
    let len = rest
        .char_indices()
        .find(|(_, c)| matches!(c, '\n' | ',' | ']' | '}' | '#') || c.is_whitespace())
        .map_or(rest.len(), |(i, _)| i)
        .max(rest.chars().next().map_or(0, char::len_utf8));
    start..start + len
}
