//! Broken rulebook sources: every problem is reported at once, with file:line:column for parse
//! errors and file + entry for semantic ones.

use xborder_law::{Rulebook, RulebookError};

/// The embedded rulebook with `extra` files added (or replacing embedded ones).
fn load_with(extra: &[(&str, &str)]) -> Vec<RulebookError> {
    let mut files: Vec<(String, String)> = Rulebook::embedded_sources()
        .into_iter()
        .filter(|(name, _)| !extra.iter().any(|(n, _)| n == name))
        .collect();
    files.extend(
        extra
            .iter()
            .map(|(n, t)| ((*n).to_owned(), (*t).to_owned())),
    );
    match Rulebook::from_sources(files) {
        Ok(_) => panic!("broken sources must not load"),
        Err(errors) => errors,
    }
}

fn find<'a>(errors: &'a [RulebookError], needle: &str) -> &'a RulebookError {
    errors
        .iter()
        .find(|e| e.to_string().contains(needle))
        .unwrap_or_else(|| panic!("no error mentioning `{needle}` in:\n{}", render(errors)))
}

fn render(errors: &[RulebookError]) -> String {
    errors.iter().map(|e| format!("{e}\n")).collect()
}

const PARSE_ERRORS: &str = "\
# two broken entries in one file
adequacy:
  - id: local-a
    regime: eu-gdpr
    destination: IN
    name: India
    reference: none
    scope:
      summary: Whole.
    citation: test
    colour: blue
  - id: local-b
    regime: eu-gdpr
    destination: IN
    name: India
    reference: none
    from: 2024-02-30
    scope:
      summary: Whole.
    citation: test
";

const SEMANTIC_ERRORS: &str = "\
# a dangling regime and a duplicate id
bridges:
  - id: eu-gb-tca-bridge
    regime: eu-gdpr
    destination: GB
    name: duplicate
    citation: test
  - id: to-nowhere
    regime: mars-gdpr
    destination: XX
    name: dangling
    from: 2024-01-01
    until: 2023-01-01
    citation: \"\"
";

#[test]
fn all_problems_of_all_files_at_once() {
    let errors = load_with(&[
        ("local.yaml", PARSE_ERRORS),
        ("zz-more.yaml", SEMANTIC_ERRORS),
    ]);

    // Parse errors: both entries of local.yaml, with line and column.
    let unknown = find(&errors, "unknown field");
    assert_eq!(unknown.file.as_deref(), Some("local.yaml"));
    assert_eq!(unknown.line, Some(11), "{unknown}");
    assert!(unknown.column.is_some());
    assert_eq!(unknown.entry.as_deref(), Some("adequacy local-a"));
    assert!(
        unknown.to_string().starts_with("local.yaml:11:"),
        "{unknown}"
    );

    let bad_date = errors
        .iter()
        .find(|e| e.entry.as_deref() == Some("adequacy local-b"))
        .unwrap_or_else(|| panic!("bad date reported:\n{}", render(&errors)));
    assert_eq!(bad_date.file.as_deref(), Some("local.yaml"));
    assert!(
        bad_date.line.is_some_and(|l| (12..=17).contains(&l)),
        "{bad_date}"
    );

    // Semantic errors of the other file: file + entry.
    let dangling = find(&errors, "unknown regime `mars-gdpr`");
    assert_eq!(dangling.file.as_deref(), Some("zz-more.yaml"));
    assert_eq!(dangling.entry.as_deref(), Some("bridges to-nowhere"));
    let duplicate = find(&errors, "duplicate id `eu-gb-tca-bridge`");
    assert_eq!(duplicate.file.as_deref(), Some("zz-more.yaml"));
    assert!(duplicate.message.contains("bridges.yaml"), "{duplicate}");
    find(&errors, "`XX` is not an ISO 3166-1");
    find(&errors, "ends (2023-01-01) before it starts (2024-01-01)");
    find(&errors, "`citation` is empty");
    assert_eq!(errors.len(), 7, "{}", render(&errors));
}

#[test]
fn yaml_syntax_error_has_a_location_and_no_cascade() {
    let errors = load_with(&[(
        "codes.yaml",
        "# broken\ncodes:\n  - code: XB001\n    title: \"x\n  - [\n",
    )]);
    assert_eq!(errors.len(), 1, "{}", render(&errors));
    let e = &errors[0];
    assert_eq!(e.file.as_deref(), Some("codes.yaml"));
    assert_eq!(e.line, Some(4), "{e}");
    assert!(e.message.contains("unclosed quote"), "{e}");
    assert!(e.column.is_some());
}

#[test]
fn completeness_and_references() {
    // Dropping the codes file leaves every code undocumented and the advisories' codes dangling.
    let errors = load_with(&[("codes.yaml", "# no codes\n")]);
    for code in xborder_law::Code::ALL {
        find(&errors, &format!("code `{code}` is not documented"));
    }
    find(&errors, "code `XB012` is not documented in `codes`");

    // Bad roles, a ground requiring a fact the mechanism kind does not have, a duplicate ground,
    // an advisory on an unknown decision, a missing category.
    let broken = "\
# assorted semantic problems
scc-sets:
  - version: \"1999/1\"
    name: test
    reference: test
    citation: test
    modules:
      - roles: controller->exporter
    terms: []
tools:
  - kind: derogation
    regime: uk-gdpr
    name: overlapping
    effect: derogation
    citation: test
    grounds:
      - ground: because
        conditions: none
        citation: test
        requires:
          - fact: mood
            says: test
            citation: test
      - ground: because
        conditions: again
        citation: test
advisories:
  - id: on-nothing
    code: XB099
    regime: eu-gdpr
    when:
      decision: eu-atlantis
    message: test
    citation: test
categories:
  - id: secret
    name: Secret
    class: special
";
    let errors = load_with(&[("zz.yaml", broken)]);
    find(&errors, "unknown role `exporter`");
    find(
        &errors,
        "`derogation` has no field `mood` in `mechanism-kinds`",
    );
    find(
        &errors,
        "tools derogation/uk-gdpr ground because: duplicate ground",
    );
    find(&errors, "overlaps another `derogation` entry for `uk-gdpr`");
    find(&errors, "unknown adequacy decision `eu-atlantis`");
    find(&errors, "code `XB099` is not documented");
    find(&errors, "needs a `citation`");
}

#[test]
fn strict_booleans_and_unknown_sections() {
    let errors = load_with(&[(
        "zz.yaml",
        "# yes is not a boolean\nregime: eu-gdpr\ntools:\n  - kind: idta\n    regime: uk-gdpr\n    name: x\n    effect: safeguard\n    needs-tia: yes\n    citation: x\n",
    )]);
    assert!(
        errors.iter().all(|e| e.file.as_deref() == Some("zz.yaml")),
        "{}",
        render(&errors)
    );
    let section = find(&errors, "unknown section `regime`: did you mean `regimes`?");
    assert_eq!((section.line, section.column), (Some(2), Some(1)));
    // A parse error names the entry by its first key (`kind` for tools).
    let tia = errors
        .iter()
        .find(|e| {
            e.entry
                .as_deref()
                .is_some_and(|entry| entry.starts_with("tools idta"))
        })
        .unwrap_or_else(|| panic!("needs-tia: yes rejected:\n{}", render(&errors)));
    // At the value itself: `needs-tia: yes` on line 8, column 16.
    assert_eq!(
        (tia.line, tia.column),
        (Some(8), Some(16)),
        "{}",
        render(&errors)
    );
}

/// The loader was rewritten to read each file once from spanned nodes: every damaged variant
/// of every embedded file (cut short, or one character replaced by YAML punctuation) must load
/// or fail with located errors of that file — never panic, never an error without a place.
#[test]
fn damaged_rulebook_files_fail_with_located_errors_and_never_panic() {
    let sources = Rulebook::embedded_sources();
    let replacements = [':', '-', '[', '{', '\n', ' ', '"', '#'];
    let mut variants = 0;
    for (name, text) in &sources {
        // Eight damaged copies per file, spread over its length.
        let step = (text.len() / 4).max(1);
        for (k, at) in (step / 2..text.len()).step_by(step).enumerate() {
            let Some(at) = (at..text.len()).find(|i| text.is_char_boundary(*i)) else {
                continue;
            };
            let replaced: String = text[..at]
                .chars()
                .chain(std::iter::once(replacements[k % replacements.len()]))
                .chain(text[at..].chars().skip(1))
                .collect();
            for damaged in [text[..at].to_owned(), replaced] {
                variants += 1;
                let files: Vec<(String, String)> = sources
                    .iter()
                    .map(|(n, t)| {
                        (
                            n.clone(),
                            if n == name {
                                damaged.clone()
                            } else {
                                t.clone()
                            },
                        )
                    })
                    .collect();
                let Err(errors) = Rulebook::from_sources(files) else {
                    continue;
                };
                assert!(!errors.is_empty());
                for e in &errors {
                    // A problem of the damaged file names it and points into it; the others
                    // are about the whole (a code no longer documented, say).
                    if e.file.as_deref() == Some(name.as_str()) {
                        assert!(
                            e.line.is_some() || e.entry.is_some(),
                            "{name} damaged at byte {at}: an error with no place: {e}"
                        );
                    }
                }
            }
        }
    }
    assert!(variants > 100, "{variants} variants");
}

/// A transfer rule names a known regime and carries what its effect needs; a threshold can
/// hold for some count; a tool's requirement of a `choice` field lists its values.
#[test]
fn transfer_rules_are_checked_for_what_their_effect_needs() {
    let errors = load_with(&[(
        "extra-rules.yaml",
        "\
transfer-rules:
  - id: needs-nothing
    regime: cn-pipl
    effect: requires
    name: a threshold without mechanisms
    says: x
    citation: test
  - id: bad-kind
    regime: cn-pipl
    effect: requires
    mechanisms: [pipl-standard-contrakt]
    name: a typo
    says: x
    citation: test
  - id: nowhere
    regime: atlantis-law
    effect: restricted
    destinations: [XX]
    name: a restriction
    says: x
    citation: test
  - id: never
    regime: cn-pipl
    effect: exempt
    when: { individuals-per-year: { more-than: 10, fewer-than: 11 } }
    name: an empty range
    says: x
    citation: test
tools:
  - kind: consent
    regime: uk-gdpr
    name: consent with a form
    effect: safeguard
    requires:
      - { fact: form, says: x, citation: test }
    citation: test
",
    )]);
    for needle in [
        "transfer-rules needs-nothing: a rule with `effect: requires` takes `mechanisms`",
        "transfer-rules bad-kind: `pipl-standard-contrakt` is not a mechanism kind",
        "transfer-rules nowhere: unknown regime `atlantis-law`",
        "`XX` is not an ISO 3166-1 alpha-2 country",
        "`individuals-per-year` can never hold (more than 10 and fewer than 11)",
        "`form` of `consent` is neither a `bool` nor a `date` field",
    ] {
        find(&errors, needle);
    }
}
