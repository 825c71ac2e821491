//! Diagnostics: one problem in an input file, with where it is and how to fix it.

use serde::Serialize;

/// A position in a source file. Lines and columns count from 1; columns count characters
/// (Unicode scalar values), as SARIF's `unicodeCodePoints` column kind expects.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Loc {
    pub line: u32,
    pub column: u32,
    /// Byte offset into the source, for snippet rendering.
    #[serde(skip)]
    pub offset: usize,
}

/// How bad a diagnostic is: an `Error` makes the file unusable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DiagnosticLevel {
    Warning,
    Error,
}

/// One problem found in an input file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub level: DiagnosticLevel,
    /// Stable kebab-case name of the problem family, e.g. `unknown-key`.
    pub code: &'static str,
    /// One line saying what is wrong.
    pub message: String,
    /// How to fix it, when there is something useful to say.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    pub loc: Loc,
}

impl Diagnostic {
    pub fn error(code: &'static str, loc: Loc, message: impl Into<String>) -> Self {
        Diagnostic {
            level: DiagnosticLevel::Error,
            code,
            message: message.into(),
            hint: None,
            loc,
        }
    }

    pub fn warning(code: &'static str, loc: Loc, message: impl Into<String>) -> Self {
        Diagnostic {
            level: DiagnosticLevel::Warning,
            ..Diagnostic::error(code, loc, message)
        }
    }

    #[must_use]
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}
