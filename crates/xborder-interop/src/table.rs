//! Plain tables rendered as CSV (RFC 4180 quoting, `\n` line ends) or GitHub-flavoured
//! Markdown.

use serde::Serialize;

/// A table: a header row and rows of the same width.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(headers: &[&str]) -> Self {
        Table {
            headers: headers.iter().map(|h| (*h).to_string()).collect(),
            rows: Vec::new(),
        }
    }

    pub fn push(&mut self, row: Vec<String>) {
        self.rows.push(row);
    }

    /// CSV: a field is quoted when it holds a comma, a quote or a line break.
    pub fn csv(&self) -> String {
        let mut out = String::new();
        for row in std::iter::once(&self.headers).chain(&self.rows) {
            let fields: Vec<String> = row.iter().map(|f| csv_field(f)).collect();
            out.push_str(&fields.join(","));
            out.push('\n');
        }
        out
    }

    /// A Markdown table; `|` is escaped and line breaks become `<br>`.
    pub fn markdown(&self) -> String {
        let mut out = String::new();
        let line = |cells: &[String]| {
            let cells: Vec<String> = cells.iter().map(|c| md_cell(c)).collect();
            format!("| {} |\n", cells.join(" | "))
        };
        out.push_str(&line(&self.headers));
        out.push_str(&format!(
            "|{}\n",
            self.headers.iter().map(|_| "---|").collect::<String>()
        ));
        for row in &self.rows {
            out.push_str(&line(row));
        }
        out
    }
}

fn csv_field(field: &str) -> String {
    if field.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_string()
    }
}

fn md_cell(cell: &str) -> String {
    if cell.is_empty() {
        return "—".to_string();
    }
    cell.replace('|', "\\|").replace('\n', "<br>")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_and_markdown_escape_their_separators() {
        let mut t = Table::new(&["a", "b"]);
        t.push(vec!["x, y".into(), "say \"hi\"".into()]);
        t.push(vec!["p|q".into(), "line\nbreak".into()]);
        assert_eq!(
            t.csv(),
            "a,b\n\"x, y\",\"say \"\"hi\"\"\"\np|q,\"line\nbreak\"\n"
        );
        assert_eq!(
            t.markdown(),
            "| a | b |\n|---|---|\n| x, y | say \"hi\" |\n| p\\|q | line<br>break |\n"
        );
    }
}
