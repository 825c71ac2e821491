//! Reading the Markdown references (`docs/format.md`, `docs/outputs.md`) for the checks that
//! they cover what the program accepts and writes: headings, table rows and the code spans
//! that name keys, outside fenced code blocks. The end-to-end tests read the documents the
//! same way (`tests/e2e/docs_reference.rs` includes this file).

/// One line of a Markdown document outside fenced code blocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Line<'a> {
    /// A `#` heading: its level (1 for `#`) and its text.
    Heading { level: usize, text: &'a str },
    /// A table row (`| … |`): a header, its separator or a body row.
    Row(&'a str),
    /// Anything else, blank lines included.
    Text(&'a str),
}

/// The lines of `doc` with their numbers (from 1), leaving out fenced code blocks (whose
/// `#` comments are no headings).
pub fn lines(doc: &str) -> Vec<(usize, Line<'_>)> {
    let mut out = Vec::new();
    let mut fence: Option<&str> = None;
    for (i, line) in doc.lines().enumerate() {
        let trimmed = line.trim_start();
        let marker = ["```", "~~~"].into_iter().find(|m| trimmed.starts_with(m));
        match (fence, marker) {
            (None, Some(m)) => {
                fence = Some(m);
                continue;
            }
            (Some(open), Some(m)) if open == m => {
                fence = None;
                continue;
            }
            (Some(_), _) => continue,
            (None, None) => {}
        }
        let level = line.chars().take_while(|&c| c == '#').count();
        let kind = if (1..=6).contains(&level) && line[level..].starts_with(' ') {
            Line::Heading {
                level,
                text: line[level..].trim(),
            }
        } else if trimmed.starts_with('|') {
            Line::Row(trimmed)
        } else {
            Line::Text(line)
        };
        out.push((i + 1, kind));
    }
    out
}

/// The code spans of a line: the text between single backticks (`` `a.b` `` → `a.b`).
pub fn code_spans(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('`') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('`') else {
            break;
        };
        out.push(&after[..close]);
        rest = &after[close + 1..];
    }
    out
}

/// The first cell of a table row, trimmed: `| \`a\`, \`b\` | text |` → `` `a`, `b` ``.
pub fn first_cell(row: &str) -> &str {
    row.trim()
        .trim_start_matches('|')
        .split('|')
        .next()
        .unwrap_or("")
        .trim()
}
