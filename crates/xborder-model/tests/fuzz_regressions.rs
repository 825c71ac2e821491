//! Inputs found by fuzzing (`fuzz/`, see `docs/fuzzing.md`), each kept as a test of the
//! behaviour it broke.

use xborder_model::{Diagnostic, Vocabulary, load};

fn diagnostics(text: &str) -> Vec<Diagnostic> {
    load(text, &Vocabulary::default()).1
}

/// `map_loader` crash-93b4a017: YAML ends lines at `\n`, `\r\n` and a lone `\r`; a syntax
/// error's byte offset (what the snippet underlines) counted only `\n` and let the column run
/// on into the following lines, so it pointed at another line than its line and column.
#[test]
fn syntax_error_offset_follows_yaml_line_breaks() {
    for text in [
        "a: 1\nb: c: d\n",
        "a: 1\r\nb: c: d\r\n",
        "a: 1\rb: c: d\r",
        "a: 1\rb: c: d\nnext: line\n",
    ] {
        let found = diagnostics(text);
        let [d] = found.as_slice() else {
            panic!("one syntax error expected in {text:?}: {found:?}");
        };
        assert_eq!(d.code, "yaml-syntax");
        assert_eq!((d.loc.line, d.loc.column), (2, 5), "{text:?}");
        assert!(
            text[d.loc.offset..].starts_with(": d"),
            "{text:?}: offset {} points at {:?}",
            d.loc.offset,
            &text[d.loc.offset..]
        );
    }
}

/// The map of the crash itself (a mechanism with a mangled version, lines broken by a lone
/// `\r`): the error at line 8, column 29 is the `:` after `kind` on that line.
#[test]
fn crash_93b4a017_points_at_its_line() {
    let text = "# A mechanism kind that does not exist.\n# expect: 30 unknown-mechanism\n\
        format: \u{fffd}\u{fffd}\u{fffd}\rganisation: Example Learning\nentities:\n  learners:\n  \
        arners:\n    name: Learners in   kind: subjects\n    country: EEA\n  came:\n    \
        name: Acme Learning, Inc.\n s\n    to: acme\n";
    let found = diagnostics(text);
    let d = found
        .iter()
        .find(|d| d.code == "yaml-syntax")
        .expect("a syntax error");
    assert_eq!((d.loc.line, d.loc.column), (8, 29));
    assert!(
        text[d.loc.offset..].starts_with(": subjects"),
        "offset {} points at {:?}",
        d.loc.offset,
        &text[d.loc.offset..]
    );
}

/// `intake_loader` crash-22d00c0f and crash-e71144f3: YAML does not count byte order marks as
/// columns (they may start the file, or a line before the document begins), so the offset of
/// an error on such a line fell a character short per mark.
#[test]
fn syntax_error_offset_skips_a_byte_order_mark() {
    for (text, line) in [
        ("\u{feff}a: b: c\n", 1),
        ("\u{feff}\u{feff}a: b: c\n", 1),
        ("# a comment\n\u{feff}a: b: c\n", 2),
    ] {
        let found = diagnostics(text);
        let [d] = found.as_slice() else {
            panic!("one syntax error expected in {text:?}: {found:?}");
        };
        assert_eq!((d.loc.line, d.loc.column), (line, 5), "{text:?}");
        assert!(
            text[d.loc.offset..].starts_with(": c"),
            "{text:?}: offset {} points at {:?}",
            d.loc.offset,
            &text[d.loc.offset..]
        );
    }
}

/// `intake_loader` crash-43b122db and crash-4990536a: a value on a line that starts with a byte
/// order mark is at column 1, and its offset is after the mark (these held already; the
/// fuzz target's own line counting was corrected).
#[test]
fn value_after_a_byte_order_mark_is_at_column_one() {
    for (text, line, token) in [
        ("\u{feff}vendor intake\n", 1, "vendor"),
        (
            "# expect: 16 invalid-country\n\u{feff}xpect: 34 unknown-entity\n",
            2,
            "xpect",
        ),
    ] {
        let found = diagnostics(text);
        let d = found.first().expect("a diagnostic");
        assert_eq!((d.loc.line, d.loc.column), (line, 1), "{text:?}: {found:?}");
        assert!(text[d.loc.offset..].starts_with(token), "{text:?}: {d:?}");
    }
}
