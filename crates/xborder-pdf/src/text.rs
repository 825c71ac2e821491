//! Line breaking.
//!
//! printpdf places text where we tell it and never wraps, so every string that
//! could be longer than its box goes through [`wrap`]. The breaker is greedy
//! (fine for ragged-right report text) and guarantees that no line is wider
//! than the box: words that cannot fit on a line of their own — SHA-256
//! hashes, long identifiers, URLs — are broken, preferably after `/ - _ . :`
//! and otherwise between any two characters.
//!
//! Widths come from a per-character measure so the module stays independent
//! of fonts and can be tested with synthetic metrics.

/// Tolerance for floating-point width comparisons, in points.
const EPS: f32 = 1e-3;

/// Characters after which a too-long token may be broken in preference to an
/// arbitrary position.
fn is_break_after(c: char) -> bool {
    matches!(
        c,
        '/' | '-' | '_' | '.' | ':' | ',' | ';' | '=' | '&' | '?' | '\\' | '|'
    )
}

/// Replace tabs and other control characters so they cannot reach the PDF
/// (they have no glyph and would render as boxes), and print the code spans of
/// the rulebook's and the engine's texts (`` `tia` ``) between typographic
/// quotes (‘tia’): a backtick is Markdown, not something a reader of a PDF
/// should see. A text with an odd number of backticks keeps them as written.
fn clean(text: &str) -> String {
    let quote = text.matches('`').count().is_multiple_of(2);
    let mut open = false;
    text.chars()
        .filter_map(|c| match c {
            '\n' => Some('\n'),
            '\t' => Some(' '),
            '`' if quote => {
                open = !open;
                Some(if open { '‘' } else { '’' })
            }
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect()
}

/// Width of `s` under `char_width`.
pub fn measure(s: &str, char_width: &impl Fn(char) -> f32) -> f32 {
    s.chars().map(char_width).sum()
}

struct Breaker<'a, F: Fn(char) -> f32> {
    max: f32,
    char_width: &'a F,
    space: f32,
    lines: Vec<String>,
    /// Per line, whether it ends between two words (at white space or a line feed) rather
    /// than inside a word that was too long for a line.
    between_words: Vec<bool>,
    cur: String,
    cur_w: f32,
}

impl<F: Fn(char) -> f32> Breaker<'_, F> {
    fn fits(&self, extra: f32) -> bool {
        self.cur_w + extra <= self.max + EPS
    }

    fn flush(&mut self, between_words: bool) {
        let trimmed_len = self.cur.trim_end().len();
        self.cur.truncate(trimmed_len);
        self.lines.push(std::mem::take(&mut self.cur));
        self.between_words.push(between_words);
        self.cur_w = 0.0;
    }

    fn append(&mut self, s: &str, w: f32) {
        self.cur.push_str(s);
        self.cur_w += w;
    }

    fn word(&mut self, word: &str) {
        let w = measure(word, self.char_width);
        if self.cur.is_empty() {
            if w <= self.max + EPS {
                self.append(word, w);
            } else {
                self.long_word(word);
            }
            return;
        }
        if self.fits(self.space + w) {
            self.append(" ", self.space);
            self.append(word, w);
        } else if w > self.max + EPS && self.fits(self.space + self.max * 0.25) {
            // The word must be broken anyway: start it on this line instead of
            // leaving a large hole, as with "SHA-256: 3fa9…".
            self.append(" ", self.space);
            self.long_word(word);
        } else {
            self.flush(true);
            self.word(word);
        }
    }

    /// Place a word that is wider than the whole line, continuing the
    /// current line.
    fn long_word(&mut self, word: &str) {
        for segment in word.split_inclusive(is_break_after) {
            let w = measure(segment, self.char_width);
            if self.fits(w) {
                self.append(segment, w);
                continue;
            }
            if w <= self.max + EPS {
                self.flush(false);
                self.append(segment, w);
                continue;
            }
            let mut buf = [0u8; 4];
            for c in segment.chars() {
                let cw = (self.char_width)(c);
                if !self.fits(cw) && !self.cur.trim_end().is_empty() {
                    self.flush(false);
                }
                self.append(c.encode_utf8(&mut buf), cw);
            }
        }
    }
}

/// Break `text` into lines no wider than `max_width`.
///
/// Runs of whitespace collapse to one space; `\n` forces a break (an empty
/// input line yields an empty output line). A line is only wider than
/// `max_width` if it consists of a single character that is wider on its own.
pub fn wrap(text: &str, max_width: f32, char_width: &impl Fn(char) -> f32) -> Vec<String> {
    breaker(text, max_width, char_width).lines
}

fn breaker<'a, F: Fn(char) -> f32>(
    text: &str,
    max_width: f32,
    char_width: &'a F,
) -> Breaker<'a, F> {
    let mut breaker = Breaker {
        max: max_width.max(0.0),
        char_width,
        space: char_width(' '),
        lines: Vec::new(),
        between_words: Vec::new(),
        cur: String::new(),
        cur_w: 0.0,
    };
    let cleaned = clean(text);
    for hard_line in cleaned.split('\n') {
        for word in hard_line.split_whitespace() {
            breaker.word(word);
        }
        breaker.flush(true);
    }
    breaker
}

/// Like [`wrap`], for text set as the content of a structure element: a line that ends
/// between two words keeps one space at its end. The space has no ink and is not counted in
/// the line's width (measure `line.trim_end()` to align), but text read from the structure
/// tree, which joins an element's lines as they are, keeps its words apart ("transfer
/// audit", not "transferaudit"). A line broken inside a word, and the last line, have none.
pub fn wrap_for_reading(
    text: &str,
    max_width: f32,
    char_width: &impl Fn(char) -> f32,
) -> Vec<String> {
    let Breaker {
        mut lines,
        between_words,
        ..
    } = breaker(text, max_width, char_width);
    let last = lines.len().saturating_sub(1);
    for (i, (line, spaced)) in lines.iter_mut().zip(between_words).enumerate() {
        if spaced && i < last && !line.is_empty() {
            line.push(' ');
        }
    }
    lines
}

/// Like [`wrap`], but keeps at most `max_lines` lines; if text was cut, the
/// last kept line ends in an ellipsis (still within `max_width`).
pub fn wrap_clamped(
    text: &str,
    max_width: f32,
    max_lines: usize,
    char_width: &impl Fn(char) -> f32,
) -> Vec<String> {
    let mut lines = wrap(text, max_width, char_width);
    if lines.len() > max_lines {
        lines.truncate(max_lines);
        if let Some(last) = lines.last_mut() {
            *last = ellipsize(&format!("{last}…"), max_width, char_width);
        }
    }
    lines
}

/// Shorten `text` to fit `max_width` on one line, ending in "…" if cut.
pub fn ellipsize(text: &str, max_width: f32, char_width: &impl Fn(char) -> f32) -> String {
    let text = clean(text).replace('\n', " ");
    if measure(&text, char_width) <= max_width + EPS {
        return text;
    }
    let ellipsis = char_width('…');
    let mut out = String::new();
    let mut w = 0.0;
    for c in text.chars() {
        let cw = char_width(c);
        if w + cw + ellipsis > max_width + EPS {
            break;
        }
        out.push(c);
        w += cw;
    }
    let trimmed_len = out.trim_end().len();
    out.truncate(trimmed_len);
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_spans_print_between_quotes() {
        assert_eq!(
            wrap("record its date as `tia` on the `scc`", 1000.0, &cw),
            ["record its date as ‘tia’ on the ‘scc’"]
        );
        // An odd backtick is not a span: kept as written.
        assert_eq!(wrap("a ` b", 1000.0, &cw), ["a ` b"]);
    }

    /// Synthetic metrics: narrow, normal and wide characters.
    fn cw(c: char) -> f32 {
        match c {
            'i' | 'l' | '.' | ' ' => 2.0,
            'M' | 'W' | '@' => 9.0,
            _ => 5.0,
        }
    }

    fn assert_fits(lines: &[String], max: f32) {
        for line in lines {
            let w = measure(line, &cw);
            assert!(
                w <= max + EPS || line.chars().count() == 1,
                "line {line:?} is {w} wide, box is {max}"
            );
            assert_eq!(line.trim(), line, "no leading/trailing blanks in {line:?}");
        }
    }

    fn non_space(s: &str) -> String {
        s.chars().filter(|c| !c.is_whitespace()).collect()
    }

    #[test]
    fn lines_for_reading_keep_the_space_between_words_only() {
        let lines = wrap_for_reading("alpha beta gamma\ndelta", 60.0, &cw);
        assert_eq!(lines, vec!["alpha beta ", "gamma ", "delta"]);
        // A token broken inside gets no space: the pieces are one word.
        let hash = "3f".repeat(20);
        let lines = wrap_for_reading(&hash, 60.0, &cw);
        assert!(
            lines.len() > 1 && lines.iter().all(|l| !l.ends_with(' ')),
            "{lines:?}"
        );
        assert_eq!(lines.concat(), hash);
        assert_eq!(
            wrap_for_reading("a b", 1000.0, &cw),
            wrap("a b", 1000.0, &cw),
            "one line: as wrap"
        );
    }

    #[test]
    fn greedy_wrap_keeps_words_together() {
        let lines = wrap("alpha beta gamma delta", 60.0, &cw);
        assert_eq!(lines, vec!["alpha beta", "gamma delta"]);
    }

    #[test]
    fn hard_breaks_and_whitespace() {
        let lines = wrap("a  b\n\nc\td", 100.0, &cw);
        assert_eq!(lines, vec!["a b", "", "c d"]);
        assert_eq!(wrap("", 100.0, &cw), vec![String::new()]);
    }

    #[test]
    fn long_hash_is_broken_and_starts_on_current_line() {
        let hash = "3f".repeat(32);
        let text = format!("SHA-256: {hash}");
        let lines = wrap(&text, 120.0, &cw);
        assert_fits(&lines, 120.0);
        assert!(lines[0].starts_with("SHA-256: 3f"), "{lines:?}");
        assert_eq!(non_space(&lines.concat()), non_space(&text));
    }

    #[test]
    fn long_path_prefers_break_characters() {
        let text = "s3://eu-west-1/customer-exports/2025/records.csv";
        let lines = wrap(text, 90.0, &cw);
        assert_fits(&lines, 90.0);
        assert!(
            lines[0].ends_with('/') || lines[0].ends_with('-'),
            "{lines:?}"
        );
        assert_eq!(lines.concat(), text);
    }

    #[test]
    fn wider_than_box_single_char_is_the_only_exception() {
        let lines = wrap("MMM", 4.0, &cw);
        assert_eq!(lines, vec!["M", "M", "M"]);
    }

    #[test]
    fn never_exceeds_box_on_pseudo_random_text() {
        // Deterministic xorshift so the test is reproducible without a crate.
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let alphabet: Vec<char> = "abcdefilMW@.-/_ 0123456789 \n".chars().collect();
        for _ in 0..500 {
            let len = (next() % 200) as usize;
            let text: String = (0..len)
                .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                .collect();
            let max = 10.0 + (next() % 200) as f32;
            let lines = wrap(&text, max, &cw);
            assert_fits(&lines, max);
            assert_eq!(non_space(&lines.concat()), non_space(&text), "text lost");
        }
    }

    #[test]
    fn clamped_and_ellipsized_stay_inside() {
        let lines = wrap_clamped("one two three four five six seven", 30.0, 2, &cw);
        assert_eq!(lines.len(), 2);
        assert!(lines[1].ends_with('…'));
        assert_fits(&lines, 30.0);
        let short = ellipsize("Cross-border transfer register", 50.0, &cw);
        assert!(measure(&short, &cw) <= 50.0);
        assert!(short.ends_with('…'));
        assert_eq!(ellipsize("fits", 50.0, &cw), "fits");
    }
}
