//! Reading Rust sources for the tidy checks: the string literals of a file outside its test
//! modules and comments, with their line numbers.

use std::path::{Path, PathBuf};

/// Every `.rs` file under `crates/*/src`, sorted.
pub fn crate_sources(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(crates) = std::fs::read_dir(root.join("crates")) else {
        return out;
    };
    for krate in crates.filter_map(Result::ok) {
        walk(&krate.path().join("src"), &mut out);
    }
    out.sort();
    out
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        if path.is_dir() {
            walk(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// A string literal and the line it starts on (1-based).
#[derive(Debug, PartialEq, Eq)]
pub struct Literal {
    pub line: usize,
    pub text: String,
}

/// The string literals of `source`, leaving out comments (doc comments may cite the law they
/// implement) and `#[cfg(test)]` items (tests state the law they check).
pub fn literals(source: &str) -> Vec<Literal> {
    lex(&without_test_items(source)).literals
}

/// The source with comments, string and character literals blanked (newlines kept), so that
/// braces and keywords inside them do not count.
pub fn code_only(source: &str) -> String {
    let mut out = source.as_bytes().to_vec();
    for range in lex(source).blanks {
        for b in &mut out[range.start..range.end.min(source.len())] {
            if *b != b'\n' {
                *b = b' ';
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// What the lexer finds: the string literals, and every byte range that is a comment or a
/// literal.
struct Lexed {
    literals: Vec<Literal>,
    blanks: Vec<std::ops::Range<usize>>,
}

/// One pass over Rust source: comments, character literals, strings and raw strings.
fn lex(text: &str) -> Lexed {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut blanks = Vec::new();
    let mut line = 1;
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        match bytes[i] {
            b'\n' => {
                line += 1;
                i += 1;
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                blanks.push(start..i);
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i + 1 < bytes.len() && !(bytes[i] == b'*' && bytes[i + 1] == b'/') {
                    line += usize::from(bytes[i] == b'\n');
                    i += 1;
                }
                i += 2;
                blanks.push(start..i);
            }
            b'\'' => {
                // A char literal ('"', '\'', '\u{7b}') or a lifetime ('a): skip the char
                // literal only.
                if bytes.get(i + 2) == Some(&b'\'') {
                    i += 3;
                    blanks.push(start..i);
                } else if bytes.get(i + 1) == Some(&b'\\') {
                    i += 2;
                    while i < bytes.len() && bytes[i] != b'\'' {
                        i += 1;
                    }
                    i += 1;
                    blanks.push(start..i);
                } else {
                    i += 1;
                }
            }
            b'r' if matches!(bytes.get(i + 1), Some(b'"' | b'#'))
                && (i == 0 || !bytes[i - 1].is_ascii_alphanumeric() && bytes[i - 1] != b'_') =>
            {
                let mut j = i + 1;
                let mut hashes = 0;
                while bytes.get(j) == Some(&b'#') {
                    hashes += 1;
                    j += 1;
                }
                if bytes.get(j) != Some(&b'"') {
                    i += 1;
                    continue;
                }
                let body = j + 1;
                let close: String = std::iter::once('"')
                    .chain("#".repeat(hashes).chars())
                    .collect();
                let end = text[body..].find(&close).map_or(text.len(), |e| body + e);
                out.push(Literal {
                    line,
                    text: text[body..end].to_string(),
                });
                line += text[body..end].matches('\n').count();
                i = end + close.len();
                blanks.push(start..i);
            }
            b'"' => {
                let start_line = line;
                let mut j = i + 1;
                let mut value = String::new();
                while j < bytes.len() && bytes[j] != b'"' {
                    if bytes[j] == b'\\' {
                        // `\` at the end of a line continues the literal without the newline.
                        if bytes.get(j + 1) == Some(&b'\n') {
                            line += 1;
                            j += 2;
                            while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                                line += usize::from(bytes[j] == b'\n');
                                j += 1;
                            }
                            continue;
                        }
                        value.push(char::from(*bytes.get(j + 1).unwrap_or(&b' ')));
                        j += 2;
                        continue;
                    }
                    line += usize::from(bytes[j] == b'\n');
                    let ch_len = utf8_len(bytes[j]);
                    value.push_str(&text[j..(j + ch_len).min(text.len())]);
                    j += ch_len;
                }
                out.push(Literal {
                    line: start_line,
                    text: value,
                });
                i = j + 1;
                blanks.push(start..i);
            }
            b => i += utf8_len(b),
        }
    }
    Lexed {
        literals: out,
        blanks,
    }
}

fn utf8_len(first: u8) -> usize {
    match first {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

/// The source with every item under `#[cfg(test)]` blanked out (lines kept, so that line
/// numbers stay right).
pub fn without_test_items(source: &str) -> String {
    let mut out = source.to_string();
    let mut from = 0;
    while let Some(at) = out[from..].find("#[cfg(test)]").map(|p| p + from) {
        // The item's body: from the first `{` after the attribute to its matching `}`.
        let Some(open) = out[at..].find('{').map(|p| p + at) else {
            break;
        };
        let mut depth = 0usize;
        let mut end = out.len();
        for (k, c) in out[open..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = open + k + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        let blank: String = out[at..end]
            .chars()
            .map(|c| if c == '\n' { '\n' } else { ' ' })
            .collect();
        out.replace_range(at..end, &blank);
        from = at + blank.len();
    }
    out
}

#[test]
fn literals_are_read_outside_comments_and_tests() {
    let source = "// \"a comment\"\nfn f() { let s = \"one\"; let c = '\"'; let r = r#\"two \"x\"\"#; }\n/// \"doc\"\n#[cfg(test)]\nmod tests { fn t() { \"three\"; } }\nfn g() { \"four\\\n    five\"; }\n";
    let found: Vec<(usize, String)> = literals(source)
        .into_iter()
        .map(|l| (l.line, l.text))
        .collect();
    assert_eq!(
        found,
        [
            (2, "one".to_string()),
            (2, "two \"x\"".to_string()),
            (6, "fourfive".to_string())
        ]
    );
}
