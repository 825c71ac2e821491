//! Loading the rulebook: parse every file, recover from errors entry by entry so that all
//! problems surface at once, merge the sections, validate the whole.
//!
//! Parsing is strict (`deny_unknown_fields`, YAML 1.2 booleans only): a typo in a compliance
//! file must not pass silently. serde stops at the first error of a file, so when a file fails
//! the loader also reads it loosely (each entry as an untyped value with its line) to learn where
//! every entry is, then comments out the broken entry and parses again, until the file parses:
//! every broken entry is reported with serde-saphyr's exact line and column, and the good entries
//! still take part in the semantic checks (which name file and entry). References to a broken
//! entry are not reported again as dangling, and a file that is not even YAML suppresses the
//! completeness checks that would only repeat its error.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use serde_saphyr::Spanned;
use sha2::{Digest, Sha256};

use crate::countries::{is_country, is_subdivision};
use crate::types::*;
use crate::{Code, Rulebook};

/// One problem in the rulebook sources.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RulebookError {
    /// The file, or `None` for a problem of the rulebook as a whole (e.g. a missing code).
    pub file: Option<String>,
    /// 1-based line, where the YAML parser gives one.
    pub line: Option<u64>,
    /// 1-based column (characters), where the YAML parser gives one.
    pub column: Option<u64>,
    /// The entry, e.g. `adequacy eu-gb` or `scc-sets 2021/914`.
    pub entry: Option<String>,
    pub message: String,
}

impl RulebookError {
    pub(crate) fn file(file: &str, message: impl Into<String>) -> Self {
        RulebookError {
            file: Some(file.to_owned()),
            line: None,
            column: None,
            entry: None,
            message: message.into(),
        }
    }

    fn entry(file: &str, entry: &str, message: impl Into<String>) -> Self {
        RulebookError {
            entry: Some(entry.to_owned()),
            ..RulebookError::file(file, message)
        }
    }

    fn global(message: impl Into<String>) -> Self {
        RulebookError {
            file: None,
            line: None,
            column: None,
            entry: None,
            message: message.into(),
        }
    }
}

impl fmt::Display for RulebookError {
    /// `file:line:column: entry: message`, leaving out what is unknown.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.file {
            Some(file) => f.write_str(file)?,
            None => f.write_str("rulebook")?,
        }
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        f.write_str(": ")?;
        if let Some(entry) = &self.entry {
            write!(f, "{entry}: ")?;
        }
        f.write_str(&self.message)
    }
}

impl std::error::Error for RulebookError {}

fn yaml_options() -> serde_saphyr::Options {
    // YAML 1.1 spellings such as `no` / `on` must not turn country codes or values into booleans.
    serde_saphyr::options! { strict_booleans: true }
}

/// serde-saphyr's message without the snippet and without its trailing ` at line L, column C`.
fn plain_message(error: &serde_saphyr::Error) -> String {
    let text = error.without_snippet().to_string();
    let trimmed = match text.rfind(" at line ") {
        Some(at) if text[at..].contains(", column ") => &text[..at],
        _ => text.as_str(),
    };
    in_words(trimmed.trim())
}

/// The parser's terse phrases, in the words of the rulebook's format. Dates are the only
/// values chrono parses here, so its messages are about dates.
fn in_words(message: &str) -> String {
    let said = match message {
        "input is out of range" => "not a day that exists: write the date as YYYY-MM-DD",
        "input contains invalid characters" | "premature end of input" | "trailing input" => {
            "not a date: write it as YYYY-MM-DD"
        }
        "expected sequence start" => "expected a list of entries here (each starting with `- `)",
        "expected string scalar" => "expected a text value here",
        other => return other.to_owned(),
    };
    said.to_owned()
}

fn location_of(error: &serde_saphyr::Error) -> (Option<u64>, Option<u64>) {
    match error.location() {
        Some(loc) if loc.line() > 0 => (Some(loc.line()), Some(loc.column())),
        _ => (None, None),
    }
}

/// A file read loosely: each entry kept as an untyped value with its location.
#[derive(Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
struct LooseFile {
    #[serde(default)]
    rulebook: Option<Spanned<Value>>,
    #[serde(default)]
    regimes: Vec<Spanned<Value>>,
    #[serde(default)]
    regions: Vec<Spanned<Value>>,
    #[serde(default)]
    categories: Vec<Spanned<Value>>,
    #[serde(default)]
    adequacy: Vec<Spanned<Value>>,
    #[serde(default)]
    bridges: Vec<Spanned<Value>>,
    #[serde(default)]
    scc_sets: Vec<Spanned<Value>>,
    #[serde(default)]
    tools: Vec<Spanned<Value>>,
    #[serde(default)]
    advisories: Vec<Spanned<Value>>,
    #[serde(default)]
    codes: Vec<Spanned<Value>>,
    #[serde(default)]
    mechanism_kinds: Vec<Spanned<Value>>,
    #[serde(default)]
    not_transfers: Vec<Spanned<Value>>,
    #[serde(default)]
    instruments: Vec<Spanned<Value>>,
    #[serde(default)]
    vendor_review: Vec<Spanned<Value>>,
    #[serde(default)]
    texts: Vec<Spanned<Value>>,
}

/// serde_json quotes the expected field names (`` expected one of `a`, `b` ``), serde-saphyr
/// does not: print both the same way.
fn same_style(message: &str) -> String {
    match message.split_once("expected one of ") {
        Some((head, names)) => format!("{head}expected one of {}", names.replace('`', "")),
        None => message.to_owned(),
    }
}

/// One entry of a file as found by the loose pass: where it is, what it is called, and whether
/// it parses on its own.
struct LooseEntry {
    section: &'static str,
    /// `adequacy eu-gb`, `tools idta/uk-gdpr`, `regimes #2`.
    label: String,
    /// `id` / `version` / `code` (or `#n`), for the broken-id set.
    key: String,
    /// The line of the section's key (`adequacy:`) above the entry.
    key_line: Option<u64>,
    /// First and last line of the entry's text.
    first: u64,
    last: u64,
    column: u64,
    /// Its lines hold nothing but this entry, so they can be commented out.
    separable: bool,
    /// serde_json's complaint when the entry does not parse on its own.
    error: Option<String>,
}

fn entry_key(value: &Value) -> Option<String> {
    let Value::Object(map) = value else {
        return None;
    };
    ["id", "version", "code", "kind"]
        .iter()
        .find_map(|k| map.get(*k).and_then(Value::as_str))
        .map(str::to_owned)
        .or_else(|| {
            let kind = map.get("kind").and_then(Value::as_str)?;
            let regime = map.get("regime").and_then(Value::as_str).unwrap_or("?");
            Some(format!("{kind}/{regime}"))
        })
}

fn loose_entries<T: DeserializeOwned>(
    section: &'static str,
    items: Vec<Spanned<Value>>,
    out: &mut Vec<LooseEntry>,
) {
    for (index, item) in items.into_iter().enumerate() {
        let key = entry_key(&item.value);
        let label = match &key {
            _ if section == "rulebook" => section.to_owned(),
            Some(k) => format!("{section} {k}"),
            None => format!("{section} #{}", index + 1),
        };
        out.push(LooseEntry {
            section,
            label,
            key: key.unwrap_or_else(|| format!("#{}", index + 1)),
            key_line: None,
            first: item.referenced.line(),
            last: 0,
            separable: false,
            column: item.referenced.column(),
            error: serde_json::from_value::<T>(item.value)
                .err()
                .map(|e| same_style(&e.to_string())),
        });
    }
}

/// The entries of a loosely read file, each with the line range of its text.
fn entries_of(loose: LooseFile, text: &str) -> Vec<LooseEntry> {
    let mut out = Vec::new();
    if let Some(manifest) = loose.rulebook {
        loose_entries::<Manifest>("rulebook", vec![manifest], &mut out);
    }
    loose_entries::<Regime>("regimes", loose.regimes, &mut out);
    loose_entries::<Region>("regions", loose.regions, &mut out);
    loose_entries::<BaseCategory>("categories", loose.categories, &mut out);
    loose_entries::<AdequacyDecision>("adequacy", loose.adequacy, &mut out);
    loose_entries::<Bridge>("bridges", loose.bridges, &mut out);
    loose_entries::<SccSet>("scc-sets", loose.scc_sets, &mut out);
    loose_entries::<TransferTool>("tools", loose.tools, &mut out);
    loose_entries::<Advisory>("advisories", loose.advisories, &mut out);
    loose_entries::<CodeDoc>("codes", loose.codes, &mut out);
    loose_entries::<MechanismKindDef>("mechanism-kinds", loose.mechanism_kinds, &mut out);
    loose_entries::<NotATransfer>("not-transfers", loose.not_transfers, &mut out);
    loose_entries::<Instrument>("instruments", loose.instruments, &mut out);
    loose_entries::<VendorLaw>("vendor-review", loose.vendor_review, &mut out);
    loose_entries::<DocumentText>("texts", loose.texts, &mut out);

    // An entry runs from its first key (or the lone `-` line above it) to the line before the
    // next entry or the next top-level key.
    let lines: Vec<&str> = text.lines().collect();
    let top_level: Vec<u64> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| {
            l.chars()
                .next()
                .is_some_and(|c| !matches!(c, ' ' | '\t' | '#' | '-'))
        })
        .map(|(i, _)| i as u64 + 1)
        .collect();
    for e in &mut out {
        let above = e.first.checked_sub(2).and_then(|i| lines.get(i as usize));
        if above.is_some_and(|l| l.trim() == "-") {
            e.first -= 1;
        }
    }
    let starts: Vec<u64> = out.iter().map(|e| e.first).collect();
    let total = lines.len() as u64;
    for e in &mut out {
        let next_entry = starts.iter().copied().filter(|s| *s > e.first).min();
        let next_key = top_level.iter().copied().find(|k| *k > e.first);
        let end = [next_entry, next_key].into_iter().flatten().min();
        e.last = end.map_or(total, |n| n - 1);
        e.key_line = top_level.iter().copied().filter(|k| *k < e.first).max();
    }
    // Entries sharing lines (flow style: `bridges: [{...}, {...}]`) cannot be commented out
    // one at a time.
    for i in 0..out.len() {
        let shared = out
            .iter()
            .enumerate()
            .any(|(j, o)| j != i && o.first <= out[i].last && out[i].first <= o.last);
        out[i].separable = !shared && out[i].key_line.is_some() && out[i].first > 0;
    }
    out
}

struct Parsed {
    file: RulebookFile,
    broken: BTreeSet<(&'static str, String)>,
    /// The file could not be read at all (YAML syntax): what it defines is unknown.
    unreadable: bool,
}

fn strict_parse(text: &str) -> Result<RulebookFile, serde_saphyr::Error> {
    serde_saphyr::from_str_with_options::<RulebookFile>(text, yaml_options())
}

fn strict_error(name: &str, error: &serde_saphyr::Error) -> RulebookError {
    let (line, column) = location_of(error);
    RulebookError {
        line,
        column,
        ..RulebookError::file(name, plain_message(error))
    }
}

/// Parses one file, reporting every entry that fails (see the module doc).
///
/// serde stops at the first error, so after each error the entry that contains it is commented
/// out (line numbers stay the same) and the file is parsed again, until it parses: each broken
/// entry is then reported with the exact line and column serde-saphyr gives, and the good
/// entries come from a strict parse. If an error lies outside every entry, the remaining broken
/// entries are reported from the loose pass at their first line, and the good entries come from
/// the loose pass too.
fn parse_file(name: &str, text: &str, errors: &mut Vec<RulebookError>) -> Parsed {
    let first_error = match strict_parse(text) {
        Ok(file) => {
            return Parsed {
                file,
                broken: BTreeSet::new(),
                unreadable: false,
            };
        }
        Err(e) => e,
    };
    let Ok(loose) = serde_saphyr::from_str_with_options::<LooseFile>(text, yaml_options()) else {
        // Not even the structure parses (YAML syntax error, wrong section type): nothing to
        // recover, the first error says it all.
        errors.push(strict_error(name, &first_error));
        return Parsed {
            file: RulebookFile::default(),
            broken: BTreeSet::new(),
            unreadable: true,
        };
    };
    let entries = entries_of(loose, text);
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let mut reported = vec![false; entries.len()];
    let mut broken = BTreeSet::new();
    let mut error = first_error;
    // Each round comments out one more entry, so this ends after at most `entries.len()` rounds.
    for _ in 0..=entries.len() {
        let at = location_of(&error).0;
        let culprit = at.and_then(|l| {
            entries
                .iter()
                .position(|e| e.first <= l && l <= e.last)
                .filter(|i| !reported[*i])
        });
        let Some(i) = culprit else {
            errors.push(strict_error(name, &error));
            break;
        };
        let e = &entries[i];
        errors.push(RulebookError {
            entry: Some(e.label.clone()),
            ..strict_error(name, &error)
        });
        reported[i] = true;
        broken.insert((e.section, e.key.clone()));
        if !e.separable {
            break;
        }
        let range = (e.first - 1) as usize..e.last as usize;
        for line in lines.get_mut(range).unwrap_or_default() {
            *line = "#".to_owned();
        }
        // A section whose entries are all commented out would read as null, not as an empty list.
        let section_emptied = entries.iter().zip(&reported).all(|(other, done)| {
            other.section != e.section || other.key_line != e.key_line || *done
        });
        if section_emptied
            && e.section != "rulebook"
            && let Some(key) = e.key_line.and_then(|l| lines.get_mut(l as usize - 1))
        {
            *key = format!("{}: []", e.section);
        }
        match strict_parse(&lines.join("\n")) {
            Ok(file) => {
                return Parsed {
                    file,
                    broken,
                    unreadable: false,
                };
            }
            Err(next) => error = next,
        }
    }
    // An error outside the entries, or in an entry sharing its lines, stopped the rounds: fall
    // back to the loose pass for the rest.
    for (i, e) in entries.iter().enumerate() {
        if let (false, Some(message)) = (reported[i], &e.error) {
            broken.insert((e.section, e.key.clone()));
            errors.push(RulebookError {
                file: Some(name.to_owned()),
                line: Some(e.first),
                column: Some(e.column),
                entry: Some(e.label.clone()),
                message: message.clone(),
            });
        }
    }
    let unparsed = lines.join("\n");
    let file = serde_saphyr::from_str_with_options::<LooseFile>(&unparsed, yaml_options())
        .map(keep_good)
        .unwrap_or_default();
    Parsed {
        file,
        broken,
        unreadable: false,
    }
}

/// Gives the errors of the semantic checks, which know the file and the entry but not the
/// line, the line and column where their entry starts, so that every problem points into the
/// file. The entry of an error may be a part of a loose entry (`scc-sets 2021/914 terms
/// eu-gdpr`): the loose entry whose label is the longest prefix is the one.
fn locate_entries(files: &[(String, String)], errors: &mut [RulebookError]) {
    for (name, text) in files {
        let unlocated = |e: &RulebookError| {
            e.line.is_none() && e.entry.is_some() && e.file.as_deref() == Some(name.as_str())
        };
        if !errors.iter().any(unlocated) {
            continue;
        }
        let Ok(loose) = serde_saphyr::from_str_with_options::<LooseFile>(text, yaml_options())
        else {
            continue;
        };
        let entries = entries_of(loose, text);
        for error in errors.iter_mut().filter(|e| unlocated(e)) {
            let entry = error.entry.as_deref().unwrap_or_default();
            let found = entries
                .iter()
                .filter(|l| {
                    l.first > 0
                        && entry
                            .strip_prefix(l.label.as_str())
                            .is_some_and(|rest| rest.is_empty() || rest.starts_with(' '))
                })
                .max_by_key(|l| l.label.len());
            if let Some(l) = found {
                error.line = Some(l.first);
                error.column = Some(l.column);
            }
        }
    }
}

/// The entries of a loosely read file that parse on their own.
fn keep_good(loose: LooseFile) -> RulebookFile {
    fn good<T: DeserializeOwned>(items: Vec<Spanned<Value>>) -> Vec<T> {
        items
            .into_iter()
            .filter_map(|i| serde_json::from_value(i.value).ok())
            .collect()
    }
    RulebookFile {
        rulebook: loose
            .rulebook
            .and_then(|m| serde_json::from_value(m.value).ok()),
        regimes: good(loose.regimes),
        regions: good(loose.regions),
        categories: good(loose.categories),
        adequacy: good(loose.adequacy),
        bridges: good(loose.bridges),
        scc_sets: good(loose.scc_sets),
        tools: good(loose.tools),
        advisories: good(loose.advisories),
        codes: good(loose.codes),
        mechanism_kinds: good(loose.mechanism_kinds),
        not_transfers: good(loose.not_transfers),
        instruments: good(loose.instruments),
        vendor_review: good(loose.vendor_review),
        texts: good(loose.texts),
    }
}

/// `sha256` as documented on [`Rulebook::sha256`].
fn sources_sha256(sources: &[(String, String)]) -> String {
    let mut hasher = Sha256::new();
    for (name, text) in sources {
        hasher.update((name.len() as u64).to_be_bytes());
        hasher.update(name.as_bytes());
        hasher.update((text.len() as u64).to_be_bytes());
        hasher.update(text.as_bytes());
    }
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// An entry and the file it came from.
struct From<'a, T> {
    file: &'a str,
    item: &'a T,
}

/// All parsed entries with their files, before validation.
#[derive(Default)]
struct Sections<'a> {
    manifests: Vec<From<'a, Manifest>>,
    regimes: Vec<From<'a, Regime>>,
    regions: Vec<From<'a, Region>>,
    categories: Vec<From<'a, BaseCategory>>,
    adequacy: Vec<From<'a, AdequacyDecision>>,
    bridges: Vec<From<'a, Bridge>>,
    scc_sets: Vec<From<'a, SccSet>>,
    tools: Vec<From<'a, TransferTool>>,
    advisories: Vec<From<'a, Advisory>>,
    codes: Vec<From<'a, CodeDoc>>,
    mechanism_kinds: Vec<From<'a, MechanismKindDef>>,
    not_transfers: Vec<From<'a, NotATransfer>>,
    instruments: Vec<From<'a, Instrument>>,
    vendor_review: Vec<From<'a, VendorLaw>>,
    texts: Vec<From<'a, DocumentText>>,
    broken: BTreeSet<(&'static str, String)>,
    /// Some file could not be read at all: completeness and reference checks would only repeat
    /// its syntax error in other words, so they are skipped until it is fixed.
    incomplete: bool,
}

fn take<T: Clone>(entries: &[From<'_, T>]) -> Vec<T> {
    entries.iter().map(|f| f.item.clone()).collect()
}

fn collect<'a, T>(file: &'a str, items: &'a [T], into: &mut Vec<From<'a, T>>) {
    into.extend(items.iter().map(|item| From { file, item }));
}

pub(crate) fn load(mut files: Vec<(String, String)>) -> Result<Rulebook, Vec<RulebookError>> {
    files.sort_by(|a, b| a.0.cmp(&b.0));
    let mut errors = Vec::new();
    for pair in files.windows(2) {
        if pair[0].0 == pair[1].0 {
            errors.push(RulebookError::file(
                &pair[0].0,
                "the same file name is given twice",
            ));
        }
    }

    let parsed: Vec<(&str, Parsed)> = files
        .iter()
        .map(|(name, text)| (name.as_str(), parse_file(name, text, &mut errors)))
        .collect();

    let mut s = Sections::default();
    for (name, p) in &parsed {
        if let Some(m) = &p.file.rulebook {
            s.manifests.push(From {
                file: name,
                item: m,
            });
        }
        collect(name, &p.file.regimes, &mut s.regimes);
        collect(name, &p.file.regions, &mut s.regions);
        collect(name, &p.file.categories, &mut s.categories);
        collect(name, &p.file.adequacy, &mut s.adequacy);
        collect(name, &p.file.bridges, &mut s.bridges);
        collect(name, &p.file.scc_sets, &mut s.scc_sets);
        collect(name, &p.file.tools, &mut s.tools);
        collect(name, &p.file.advisories, &mut s.advisories);
        collect(name, &p.file.codes, &mut s.codes);
        collect(name, &p.file.mechanism_kinds, &mut s.mechanism_kinds);
        collect(name, &p.file.not_transfers, &mut s.not_transfers);
        collect(name, &p.file.instruments, &mut s.instruments);
        collect(name, &p.file.vendor_review, &mut s.vendor_review);
        collect(name, &p.file.texts, &mut s.texts);
        s.broken.extend(p.broken.iter().cloned());
        s.incomplete |= p.unreadable;
    }

    let mut v = Validator {
        errors: &mut errors,
        s: &s,
    };
    v.validate();

    if !errors.is_empty() {
        locate_entries(&files, &mut errors);
        return Err(errors);
    }
    let Some(manifest) = s.manifests.first().map(|m| m.item.clone()) else {
        return Err(vec![RulebookError::global("no `rulebook:` manifest")]);
    };
    let mut adequacy: Vec<AdequacyDecision> = take(&s.adequacy);
    let mut bridges: Vec<Bridge> = take(&s.bridges);
    let mut tools: Vec<TransferTool> = take(&s.tools);
    let mut advisories: Vec<Advisory> = take(&s.advisories);
    let mut scc_sets: Vec<SccSet> = take(&s.scc_sets);
    // Fold `invalid-from` into `until` (the day before), as documented on `Validity`: after
    // loading every consumer can read `until` alone.
    fn fold(from: Option<Date>, until: &mut Option<Date>, invalid_from: Option<Date>) {
        let v = Validity {
            from,
            until: *until,
            invalid_from,
        };
        *until = v.last_day();
    }
    adequacy
        .iter_mut()
        .for_each(|a| fold(a.from, &mut a.until, a.invalid_from));
    bridges
        .iter_mut()
        .for_each(|b| fold(b.from, &mut b.until, b.invalid_from));
    tools
        .iter_mut()
        .for_each(|t| fold(t.from, &mut t.until, t.invalid_from));
    advisories
        .iter_mut()
        .for_each(|a| fold(a.from, &mut a.until, a.invalid_from));
    for set in &mut scc_sets {
        set.terms
            .iter_mut()
            .for_each(|t| fold(t.from, &mut t.until, t.invalid_from));
    }
    let mut regimes: Vec<Regime> = take(&s.regimes);
    for r in &mut regimes {
        r.periods
            .iter_mut()
            .for_each(|p| fold(p.from, &mut p.until, p.invalid_from));
        r.territory
            .iter_mut()
            .for_each(|m| fold(m.from, &mut m.until, m.invalid_from));
    }
    let mut regions: Vec<Region> = take(&s.regions);
    for r in &mut regions {
        r.members
            .iter_mut()
            .for_each(|m| fold(m.from, &mut m.until, m.invalid_from));
    }
    for t in &mut tools {
        for g in &mut t.grounds {
            fold(g.from, &mut g.until, g.invalid_from);
        }
    }
    for a in &mut adequacy {
        a.scope
            .excludes
            .iter_mut()
            .for_each(|e| fold(e.from, &mut e.until, e.invalid_from));
    }

    let sha256 = sources_sha256(&files);
    let codes: Vec<CodeDoc> = take(&s.codes);
    // Validation found every code documented exactly once.
    let code_docs = Code::ALL
        .iter()
        .map(|code| {
            codes
                .iter()
                .position(|d| d.code == code.as_str())
                .unwrap_or(0)
        })
        .collect();
    Ok(Rulebook {
        manifest,
        regimes,
        regions,
        categories: take(&s.categories),
        adequacy,
        bridges,
        scc_sets,
        tools,
        advisories,
        codes,
        code_docs,
        mechanism_kinds: take(&s.mechanism_kinds),
        not_transfers: take(&s.not_transfers),
        instruments: take(&s.instruments),
        vendor_review: take(&s.vendor_review),
        texts: take(&s.texts),
        sha256,
        sources: files,
    })
}

struct Validator<'a, 'b> {
    errors: &'b mut Vec<RulebookError>,
    s: &'b Sections<'a>,
}

impl Validator<'_, '_> {
    fn err(&mut self, file: &str, entry: &str, message: impl Into<String>) {
        self.errors
            .push(RulebookError::entry(file, entry, message.into()));
    }

    fn nonempty(&mut self, file: &str, entry: &str, field: &str, value: &str) {
        if value.trim().is_empty() {
            self.err(file, entry, format!("`{field}` is empty"));
        }
    }

    /// A citation is not empty, and its dated texts each start before they end.
    fn cited(&mut self, file: &str, entry: &str, citation: &Citation) {
        if citation.is_blank() {
            self.err(file, entry, "`citation` is empty");
        }
        for text in citation.texts() {
            self.validity(file, entry, text.validity());
        }
    }

    fn place(&mut self, file: &str, entry: &str, code: &str) {
        if !is_country(code) && !is_subdivision(code) {
            self.err(
                file,
                entry,
                format!(
                    "`{code}` is not an ISO 3166-1 alpha-2 country or ISO 3166-2 subdivision code"
                ),
            );
        }
    }

    fn validity(&mut self, file: &str, entry: &str, v: Validity) {
        if let (Some(until), Some(invalid)) = (v.until, v.invalid_from)
            && invalid <= until
        {
            let message =
                format!("`invalid-from` {invalid} is not after `until` {until}: give one of them");
            self.err(file, entry, message);
        }
        if let (Some(from), Some(last)) = (v.from, v.last_day())
            && last < from
        {
            self.err(
                file,
                entry,
                format!("ends ({last}) before it starts ({from})"),
            );
        }
    }

    fn regime_ref(&mut self, file: &str, entry: &str, regime: &str) {
        let known = self.s.incomplete
            || self.s.regimes.iter().any(|r| r.item.id == regime)
            || self.s.broken.contains(&("regimes", regime.to_owned()));
        if !known {
            self.err(file, entry, format!("unknown regime `{regime}`"));
        }
    }

    fn scc_set_ref(&mut self, file: &str, entry: &str, version: &str) {
        let known = self.s.incomplete
            || self.s.scc_sets.iter().any(|x| x.item.version == version)
            || self.s.broken.contains(&("scc-sets", version.to_owned()));
        if !known {
            self.err(file, entry, format!("unknown SCC set `{version}`"));
        }
    }

    fn category_ref(&mut self, file: &str, entry: &str, category: &str) {
        let known = self.s.incomplete
            || self.s.categories.iter().any(|c| c.item.id == category)
            || self.s.broken.contains(&("categories", category.to_owned()));
        if !known {
            self.err(file, entry, format!("unknown category `{category}`"));
        }
    }

    fn condition(&mut self, file: &str, entry: &str, what: &str, c: &Condition) {
        if c.is_empty() {
            self.err(
                file,
                entry,
                format!("{what} has no condition: it would match every hop"),
            );
        }
        if c.sector.as_ref().is_some_and(Vec::is_empty) {
            self.err(file, entry, format!("{what}: `sector` is an empty list"));
        }
        if let Some(fact) = &c.subject_to {
            self.nonempty(file, entry, "subject-to", fact);
        }
        if let Some(purpose) = &c.purpose {
            self.nonempty(file, entry, "purpose", purpose);
        }
        if let Some(any) = &c.any {
            if any.is_empty() {
                self.err(file, entry, format!("{what}: `any` is an empty list"));
            }
            for alternative in any {
                self.condition(file, entry, what, alternative);
            }
        }
        if let Some(cats) = &c.categories {
            if cats.is_empty() {
                self.err(
                    file,
                    entry,
                    format!("{what}: `categories` is an empty list"),
                );
            }
            for cat in cats {
                self.category_ref(file, entry, cat);
            }
        }
    }

    /// Ids must be unique within a section; the second occurrence is reported with both files.
    fn unique<'x>(&mut self, section: &str, ids: impl Iterator<Item = (&'x str, &'x str)>) {
        let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
        for (file, id) in ids {
            if let Some(first) = seen.get(id) {
                let message = format!("duplicate id `{id}` (first defined in {first})");
                self.err(file, &format!("{section} {id}"), message);
            } else {
                seen.insert(id, file);
            }
        }
    }

    fn validate(&mut self) {
        self.manifest();
        self.regimes();
        self.regions();
        self.categories();
        self.adequacy();
        self.bridges();
        self.scc_sets();
        self.tools();
        self.advisories();
        self.codes();
        self.mechanism_kinds();
        self.not_transfers();
        self.instruments();
        self.vendor_review();
        self.texts();
    }

    fn manifest(&mut self) {
        let s = self.s;
        match s.manifests.as_slice() {
            // A manifest that failed to parse has been reported already.
            [] if !s.incomplete && !s.broken.iter().any(|(sec, _)| *sec == "rulebook") => {
                self.errors
                    .push(RulebookError::global("no `rulebook:` manifest in any file"));
            }
            [] => {}
            [one] => {
                let (file, m) = (one.file, one.item);
                if m.format != 1 {
                    self.err(
                        file,
                        "rulebook",
                        format!("format {} is not supported (expected 1)", m.format),
                    );
                }
                self.nonempty(file, "rulebook", "version", &m.version);
                self.nonempty(file, "rulebook", "title", &m.title);
            }
            several => {
                // The manifest belongs in `rulebook.yaml`: the others are the extra ones.
                let first = several
                    .iter()
                    .position(|m| m.file == "rulebook.yaml")
                    .unwrap_or(0);
                let first_file = several.get(first).map_or("", |m| m.file);
                for (i, m) in several.iter().enumerate() {
                    if i != first {
                        let message = format!(
                            "a second `rulebook:` manifest (the manifest is in {first_file}; \
                             to change it, replace that file)"
                        );
                        self.err(m.file, "rulebook", message);
                    }
                }
            }
        }
    }

    fn regimes(&mut self) {
        let s = self.s;
        self.unique(
            "regimes",
            s.regimes.iter().map(|r| (r.file, r.item.id.as_str())),
        );
        for r in &s.regimes {
            let (file, regime) = (r.file, r.item);
            let entry = format!("regimes {}", regime.id);
            self.nonempty(file, &entry, "id", &regime.id);
            self.nonempty(file, &entry, "name", &regime.name);
            if regime.periods.is_empty() {
                self.err(file, &entry, "no `periods`");
            }
            for p in &regime.periods {
                let e = format!("{entry} period `{}`", p.name);
                self.nonempty(file, &e, "name", &p.name);
                self.cited(file, &e, &p.citation);
                self.validity(file, &e, p.validity());
            }
            // Periods follow each other without overlap, so one law applies on each day.
            for pair in regime.periods.windows(2) {
                let (a, b) = (pair[0].validity(), pair[1].validity());
                let ordered =
                    matches!((a.last_day(), b.from), (Some(end), Some(start)) if end < start);
                if !ordered {
                    let message = format!(
                        "periods `{}` and `{}` overlap or are out of order",
                        pair[0].name, pair[1].name
                    );
                    self.err(file, &entry, message);
                }
            }
            if let Some(rule) = &regime.special_categories {
                self.nonempty(file, &entry, "special-categories.says", &rule.says);
                self.cited(file, &entry, &rule.citation);
            }
            if regime.territory.is_empty() {
                self.err(file, &entry, "no `territory`");
            }
            for m in &regime.territory {
                self.membership(file, &entry, m);
            }
        }
    }

    fn membership(&mut self, file: &str, entry: &str, m: &Membership) {
        let e = format!("{entry} [{}]", m.countries.join(", "));
        if m.countries.is_empty() {
            self.err(file, entry, "a membership with no `countries`");
        }
        for c in &m.countries {
            self.place(file, &e, c);
        }
        self.cited(file, &e, &m.citation);
        self.validity(file, &e, m.validity());
    }

    fn regions(&mut self) {
        let s = self.s;
        self.unique(
            "regions",
            s.regions.iter().map(|r| (r.file, r.item.id.as_str())),
        );
        for r in &s.regions {
            let (file, region) = (r.file, r.item);
            let entry = format!("regions {}", region.id);
            self.nonempty(file, &entry, "name", &region.name);
            // A map's `country: XX` must mean one thing: a region may not shadow a country code.
            if is_country(&region.id) || is_subdivision(&region.id) {
                self.err(file, &entry, "a region id may not be an ISO 3166 code");
            }
            if s.regimes.iter().any(|g| g.item.id == region.id) {
                self.err(file, &entry, "a region id may not be a regime id");
            }
            if region.members.is_empty() {
                self.err(file, &entry, "no `members`");
            }
            for m in &region.members {
                self.membership(file, &entry, m);
            }
        }
    }

    fn categories(&mut self) {
        let s = self.s;
        self.unique(
            "categories",
            s.categories.iter().map(|c| (c.file, c.item.id.as_str())),
        );
        for c in &s.categories {
            let (file, cat) = (c.file, c.item);
            let entry = format!("categories {}", cat.id);
            self.nonempty(file, &entry, "id", &cat.id);
            self.nonempty(file, &entry, "name", &cat.name);
            match &cat.citation {
                Some(citation) => self.cited(file, &entry, citation),
                // Extra protection must say where it comes from (Art. 9(1), Art. 10, Art. 8).
                None if cat.class != CategoryClass::Ordinary => self.err(
                    file,
                    &entry,
                    "a special, criminal or children category needs a `citation`",
                ),
                None => {}
            }
        }
        let required = s
            .manifests
            .iter()
            .flat_map(|m| m.item.required_categories.iter());
        for required in required {
            let present = s.incomplete
                || s.categories.iter().any(|c| c.item.id == *required)
                || s.broken.contains(&("categories", required.to_owned()));
            if !present {
                self.errors.push(RulebookError::global(format!(
                    "base category `{required}` is missing (the manifest's `required-categories` \
                     lists it: maps written against the format rely on it)"
                )));
            }
        }
    }

    fn adequacy(&mut self) {
        let s = self.s;
        self.unique(
            "adequacy",
            s.adequacy.iter().map(|a| (a.file, a.item.id.as_str())),
        );
        let mut frameworks: BTreeMap<&str, &str> = BTreeMap::new();
        for a in &s.adequacy {
            let (file, d) = (a.file, a.item);
            let entry = format!("adequacy {}", d.id);
            self.nonempty(file, &entry, "id", &d.id);
            self.nonempty(file, &entry, "name", &d.name);
            self.nonempty(file, &entry, "reference", &d.reference);
            self.cited(file, &entry, &d.citation);
            self.nonempty(file, &entry, "scope.summary", &d.scope.summary);
            self.regime_ref(file, &entry, &d.regime);
            self.validity(file, &entry, d.validity());
            match &d.destination {
                Some(dest) => self.place(file, &entry, dest),
                // An international organisation is found through its scope only; without a
                // condition the decision would cover every importer everywhere.
                None if d.scope.covers_any.is_empty() => self.err(
                    file,
                    &entry,
                    "a decision without `destination` needs `scope.covers-any` to say whom it covers",
                ),
                None => {}
            }
            for c in &d.scope.covers_any {
                self.condition(file, &entry, "a `covers-any` entry", c);
            }
            for (i, x) in d.scope.excludes.iter().enumerate() {
                let e = format!("{entry} excludes #{}", i + 1);
                self.condition(file, &e, "the exclusion", &x.when);
                self.cited(file, &e, &x.citation);
                self.validity(file, &e, x.validity());
            }
            if let Some(note) = &d.unconfirmed {
                self.nonempty(file, &entry, "unconfirmed", note);
            }
            if let Some(onward) = &d.onward {
                self.onward(file, &entry, onward);
            }
            if let Some(fw) = &d.framework {
                for cat in &fw.hr_categories {
                    self.category_ref(file, &entry, cat);
                }
                self.nonempty(file, &entry, "framework.id", &fw.id);
                self.nonempty(file, &entry, "framework.mechanism", &fw.mechanism);
                if s.mechanism_kinds
                    .iter()
                    .any(|k| k.item.kind == fw.mechanism)
                {
                    let message = format!(
                        "`{}` is a mechanism kind of its own, not a framework",
                        fw.mechanism
                    );
                    self.err(file, &entry, message);
                }
                if d.destination.is_none() {
                    self.err(file, &entry, "a framework needs a `destination`");
                }
                if let Some(first) = frameworks.insert(&fw.id, file) {
                    let message =
                        format!("framework `{}` is defined twice (also in {first})", fw.id);
                    self.err(file, &entry, message);
                }
            }
        }
    }

    fn bridges(&mut self) {
        let s = self.s;
        self.unique(
            "bridges",
            s.bridges.iter().map(|b| (b.file, b.item.id.as_str())),
        );
        for b in &s.bridges {
            let (file, bridge) = (b.file, b.item);
            let entry = format!("bridges {}", bridge.id);
            self.nonempty(file, &entry, "name", &bridge.name);
            self.cited(file, &entry, &bridge.citation);
            self.regime_ref(file, &entry, &bridge.regime);
            self.place(file, &entry, &bridge.destination);
            self.validity(file, &entry, bridge.validity());
        }
    }

    fn scc_sets(&mut self) {
        let s = self.s;
        self.unique(
            "scc-sets",
            s.scc_sets.iter().map(|x| (x.file, x.item.version.as_str())),
        );
        for x in &s.scc_sets {
            let (file, set) = (x.file, x.item);
            let entry = format!("scc-sets {}", set.version);
            self.nonempty(file, &entry, "version", &set.version);
            self.nonempty(file, &entry, "name", &set.name);
            self.nonempty(file, &entry, "reference", &set.reference);
            self.cited(file, &entry, &set.citation);
            self.scc_modules(file, &entry, set);
            let mut regimes = BTreeSet::new();
            for t in &set.terms {
                let e = format!("{entry} terms {}", t.regime);
                self.regime_ref(file, &e, &t.regime);
                if !regimes.insert(t.regime.as_str()) {
                    self.err(file, &e, "a second `terms` entry for the same regime");
                }
                self.cited(file, &e, &t.citation);
                self.validity(file, &e, t.validity());
                self.scc_cutoffs(file, &e, t);
            }
        }
    }

    fn scc_modules(&mut self, file: &str, entry: &str, set: &SccSet) {
        if set.modules.is_empty() {
            self.err(file, entry, "no `modules`");
        }
        // Either one unnumbered role pair (pre-2021 sets) or numbered modules (2021/914).
        let numbered = set.modules.iter().filter(|m| m.number.is_some()).count();
        if numbered != 0 && numbered != set.modules.len() {
            self.err(
                file,
                entry,
                "either every module has a `number` or none does",
            );
        }
        if numbered == 0 && set.modules.len() > 1 {
            self.err(
                file,
                entry,
                "a set without module numbers has exactly one role pair",
            );
        }
        let mut numbers = BTreeSet::new();
        let mut pairs = BTreeSet::new();
        for m in &set.modules {
            let e = match m.number {
                Some(n) => format!("{entry} module {n}"),
                None => format!("{entry} module"),
            };
            if let Some(n) = m.number
                && !numbers.insert(n)
            {
                self.err(file, &e, "duplicate module number");
            }
            match m.roles.parse::<RolePair>() {
                Ok(pair) => {
                    if !pairs.insert(pair) {
                        self.err(file, &e, format!("a second module for `{pair}`"));
                    }
                }
                Err(problem) => self.err(file, &e, format!("`roles`: {problem}")),
            }
            if let Some(onward) = &m.onward {
                self.onward(file, &e, onward);
            }
        }
    }

    fn scc_cutoffs(&mut self, file: &str, entry: &str, t: &SccTerms) {
        let last = t.validity().last_day();
        if let Some(new_until) = t.new_contracts_until {
            if t.from.is_some_and(|from| new_until < from) {
                self.err(file, entry, "`new-contracts-until` is before `from`");
            }
            if last.is_some_and(|last| new_until > last) {
                self.err(
                    file,
                    entry,
                    "`new-contracts-until` is after the last valid day",
                );
            }
        }
        if let Some(grand) = t.grandfathered_until {
            match t.new_contracts_until {
                None => self.err(
                    file,
                    entry,
                    "`grandfathered-until` without `new-contracts-until`",
                ),
                Some(new_until) if grand < new_until => self.err(
                    file,
                    entry,
                    "`grandfathered-until` is before `new-contracts-until`",
                ),
                Some(_) => {}
            }
            if last.is_some_and(|last| grand > last) {
                self.err(
                    file,
                    entry,
                    "`grandfathered-until` is after the last valid day",
                );
            }
        }
    }

    fn tools(&mut self) {
        let s = self.s;
        for (i, x) in s.tools.iter().enumerate() {
            let (file, tool) = (x.file, x.item);
            let entry = format!("tools {}/{}", tool.kind, tool.regime);
            self.nonempty(file, &entry, "kind", &tool.kind);
            self.nonempty(file, &entry, "name", &tool.name);
            self.cited(file, &entry, &tool.citation);
            self.regime_ref(file, &entry, &tool.regime);
            self.validity(file, &entry, tool.validity());
            match s.mechanism_kinds.iter().find(|k| k.item.kind == tool.kind) {
                Some(k)
                    if !matches!(
                        k.item.family,
                        MechanismFamily::Tool | MechanismFamily::Derogation
                    ) =>
                {
                    self.err(
                        file,
                        &entry,
                        format!("`{}` is not a tool: see scc-sets / adequacy", tool.kind),
                    );
                }
                None if !s.incomplete
                    && !s.broken.contains(&("mechanism-kinds", tool.kind.clone())) =>
                {
                    self.err(
                        file,
                        &entry,
                        format!(
                            "`{}` is not a mechanism kind: add it to `mechanism-kinds` with its fields",
                            tool.kind
                        ),
                    );
                }
                _ => {}
            }
            if let Some(onward) = &tool.onward {
                self.onward(file, &entry, onward);
            }
            // One entry per kind and regime on any day, so `tools_for` has one answer per date.
            for other in &s.tools[..i] {
                let o = other.item;
                if o.kind == tool.kind
                    && o.regime == tool.regime
                    && overlap(o.validity(), tool.validity())
                {
                    let message = format!(
                        "overlaps another `{}` entry for `{}` (in {})",
                        tool.kind, tool.regime, other.file
                    );
                    self.err(file, &entry, message);
                }
            }
            match tool.effect {
                ToolEffect::Derogation if tool.grounds.is_empty() => {
                    self.err(file, &entry, "a derogation needs its `grounds`")
                }
                ToolEffect::Safeguard if !tool.grounds.is_empty() => {
                    self.err(file, &entry, "`grounds` belong to derogations only")
                }
                _ => {}
            }
            let mut grounds = BTreeSet::new();
            for g in &tool.grounds {
                let e = format!("{entry} ground {}", g.ground);
                self.nonempty(file, &e, "ground", &g.ground);
                if !grounds.insert(g.ground.as_str()) {
                    self.err(file, &e, "duplicate ground");
                }
                self.validity(file, &e, g.validity());
                self.nonempty(file, &e, "conditions", &g.conditions);
                for r in &g.requires {
                    let er = format!("{e} requires {}", r.fact);
                    self.mechanism_fact(file, &er, &tool.kind, &r.fact);
                    self.nonempty(file, &er, "says", &r.says);
                    self.cited(file, &er, &r.citation);
                    if let Some(code) = &r.code {
                        self.code_ref(file, &er, code);
                    }
                }
                for (i, u) in g.unavailable.iter().enumerate() {
                    let eu = format!("{e} unavailable #{}", i + 1);
                    self.condition(file, &eu, "the unavailability", &u.when);
                    self.nonempty(file, &eu, "says", &u.says);
                    self.cited(file, &eu, &u.citation);
                }
                self.cited(file, &e, &g.citation);
            }
        }
    }

    fn advisories(&mut self) {
        let s = self.s;
        self.unique(
            "advisories",
            s.advisories.iter().map(|a| (a.file, a.item.id.as_str())),
        );
        for a in &s.advisories {
            let (file, adv) = (a.file, a.item);
            let entry = format!("advisories {}", adv.id);
            self.nonempty(file, &entry, "message", &adv.message);
            self.cited(file, &entry, &adv.citation);
            self.regime_ref(file, &entry, &adv.regime);
            self.validity(file, &entry, adv.validity());
            let documented = s.incomplete
                || s.codes.iter().any(|c| c.item.code == adv.code)
                || s.broken.contains(&("codes", adv.code.clone()));
            if !documented {
                self.err(
                    file,
                    &entry,
                    format!("code `{}` is not documented in `codes`", adv.code),
                );
            }
            let w = &adv.when;
            let empty = w.mechanism.is_none()
                && w.scc_version.is_none()
                && w.decision.is_none()
                && w.destination.is_none()
                && w.importer.is_none();
            if empty {
                self.err(
                    file,
                    &entry,
                    "`when` is empty: the advisory would apply to every hop",
                );
            }
            if let Some(m) = &w.mechanism {
                self.nonempty(file, &entry, "when.mechanism", m);
            }
            if let Some(version) = &w.scc_version {
                self.scc_set_ref(file, &entry, version);
            }
            if let Some(decision) = &w.decision {
                let known = s.incomplete
                    || s.adequacy.iter().any(|x| x.item.id == *decision)
                    || s.broken.contains(&("adequacy", decision.clone()));
                if !known {
                    self.err(
                        file,
                        &entry,
                        format!("unknown adequacy decision `{decision}`"),
                    );
                }
            }
            if let Some(dest) = &w.destination {
                self.place(file, &entry, dest);
            }
            if let Some(importer) = &w.importer {
                self.condition(file, &entry, "`when.importer`", importer);
            }
        }
    }

    fn codes(&mut self) {
        let s = self.s;
        self.unique(
            "codes",
            s.codes.iter().map(|c| (c.file, c.item.code.as_str())),
        );
        for c in &s.codes {
            let (file, doc) = (c.file, c.item);
            let entry = format!("codes {}", doc.code);
            if Code::parse(&doc.code).is_none_or(|c| c.as_str() != doc.code) {
                let (first, last) = (Code::ALL[0], Code::ALL[Code::ALL.len() - 1]);
                let message = format!(
                    "`{}` is not a code the engine reports ({first}–{last})",
                    doc.code
                );
                self.err(file, &entry, message);
            }
            for (field, value) in [
                ("title", &doc.title),
                ("meaning", &doc.meaning),
                ("why", &doc.why),
                ("fix", &doc.fix),
            ] {
                self.nonempty(file, &entry, field, value);
            }
            self.cited(file, &entry, &doc.citation);
        }
        for code in Code::ALL.iter().map(|c| c.as_str()) {
            let present = s.incomplete
                || s.codes.iter().any(|c| c.item.code == code)
                || s.broken.contains(&("codes", code.to_owned()));
            if !present {
                self.errors.push(RulebookError::global(format!(
                    "code `{code}` is not documented"
                )));
            }
        }
    }
}

impl Validator<'_, '_> {
    fn code_ref(&mut self, file: &str, entry: &str, code: &str) {
        if Code::parse(code).is_none_or(|c| c.as_str() != code) {
            self.err(file, entry, format!("`{code}` is not a finding code"));
        }
    }

    /// `fact` is a `bool` or `date` field of mechanism kind `kind` in `mechanism-kinds`.
    fn mechanism_fact(&mut self, file: &str, entry: &str, kind: &str, fact: &str) {
        let s = self.s;
        if s.incomplete {
            return;
        }
        let Some(def) = s.mechanism_kinds.iter().find(|k| k.item.kind == kind) else {
            return; // reported with the tool
        };
        match def.item.fields.iter().find(|f| f.name == fact) {
            Some(f) if matches!(f.kind, FieldType::Bool | FieldType::Date) => {}
            Some(_) => self.err(
                file,
                entry,
                format!("`{fact}` of `{kind}` is neither a `bool` nor a `date` field"),
            ),
            None => self.err(
                file,
                entry,
                format!("`{kind}` has no field `{fact}` in `mechanism-kinds`"),
            ),
        }
    }

    fn onward(&mut self, file: &str, entry: &str, onward: &Onward) {
        let entry = format!("{entry} onward");
        self.nonempty(file, &entry, "name", &onward.name);
        self.cited(file, &entry, &onward.citation);
        let mut ids = BTreeSet::new();
        for g in &onward.grounds {
            let e = format!("{entry} ground {}", g.id);
            if !ids.insert(g.id.as_str()) {
                self.err(file, &e, "duplicate ground");
            }
            self.nonempty(file, &e, "name", &g.name);
            self.cited(file, &e, &g.citation);
            self.onward_basis(file, &e, &g.when);
        }
        for (i, r) in onward.requires.iter().enumerate() {
            let e = format!("{entry} requires #{}", i + 1);
            self.nonempty(file, &e, "name", &r.name);
            self.cited(file, &e, &r.citation);
            self.onward_basis(file, &e, &r.applies);
            self.onward_basis(file, &e, &r.requires);
        }
        if onward.grounds.is_empty() && onward.requires.is_empty() {
            self.err(file, &entry, "an onward rule needs `grounds` or `requires`");
        }
    }

    fn onward_basis(&mut self, file: &str, entry: &str, b: &OnwardBasis) {
        let s = self.s;
        let empty = b.effect.is_none()
            && b.mechanism.is_none()
            && b.scc_version.is_none()
            && b.ground.is_none()
            && b.agreement.is_none()
            && b.roles.is_none()
            && b.importer_role.is_none()
            && b.sensitive.is_none()
            && b.opt_in.is_none();
        if empty {
            self.err(
                file,
                entry,
                "`when` is empty: it would match every onward hop",
            );
        }
        if let Some(version) = &b.scc_version {
            self.scc_set_ref(file, entry, version);
        }
        if let Some(roles) = &b.roles
            && let Err(problem) = roles.parse::<RolePair>()
        {
            self.err(file, entry, format!("`roles`: {problem}"));
        }
        if let Some(grounds) = &b.ground {
            for ground in grounds {
                let known = s.incomplete
                    || s.tools
                        .iter()
                        .any(|t| t.item.grounds.iter().any(|g| g.ground == *ground));
                if !known {
                    self.err(
                        file,
                        entry,
                        format!("no derogation defines ground `{ground}`"),
                    );
                }
            }
        }
    }

    fn mechanism_kinds(&mut self) {
        let s = self.s;
        self.unique(
            "mechanism-kinds",
            s.mechanism_kinds
                .iter()
                .map(|k| (k.file, k.item.kind.as_str())),
        );
        for k in &s.mechanism_kinds {
            let (file, def) = (k.file, k.item);
            let entry = format!("mechanism-kinds {}", def.kind);
            self.nonempty(file, &entry, "kind", &def.kind);
            self.nonempty(file, &entry, "summary", &def.summary);
            let mut names = BTreeSet::new();
            for f in &def.fields {
                let e = format!("{entry} field {}", f.name);
                if f.name == "kind" || !names.insert(f.name.as_str()) {
                    self.err(
                        file,
                        &e,
                        "duplicate field (`kind` is every mechanism's own)",
                    );
                }
                self.nonempty(file, &e, "summary", &f.summary);
                if (f.kind == FieldType::Choice) == f.values.is_empty() {
                    self.err(file, &e, "`values` go with type `choice`, and only with it");
                }
            }
            let field = |name: &str| def.fields.iter().find(|f| f.name == name);
            for (what, name) in [
                ("effective", &def.effective),
                ("assessment", &def.assessment),
            ] {
                if let Some(name) = name
                    && field(name).is_none_or(|f| f.kind != FieldType::Date)
                {
                    let message = format!("`{what}` names `{name}`, which is not a date field");
                    self.err(file, &entry, message);
                }
            }
            // The engine reads these fields of the families it judges itself.
            let needs: &[(&str, FieldType)] = match def.family {
                MechanismFamily::StandardClauses => &[
                    ("version", FieldType::SccVersion),
                    ("module", FieldType::SccModule),
                    ("signed", FieldType::Date),
                    ("changed", FieldType::Date),
                    ("uk-addendum", FieldType::Date),
                    ("swiss-adapted", FieldType::Bool),
                    ("tia", FieldType::Date),
                ],
                MechanismFamily::Derogation => &[("ground", FieldType::Ground)],
                MechanismFamily::Adequacy | MechanismFamily::Tool => &[],
            };
            for (name, kind) in needs {
                if field(name).is_none_or(|f| f.kind != *kind) {
                    let message = format!(
                        "a {:?} kind needs the field `{name}` of type {kind:?}",
                        def.family
                    );
                    self.err(file, &entry, message);
                }
            }
        }
    }

    fn not_transfers(&mut self) {
        let s = self.s;
        let mut seen = BTreeSet::new();
        for n in &s.not_transfers {
            let (file, rule) = (n.file, n.item);
            let entry = format!("not-transfers {:?}/{}", rule.when, rule.regime);
            self.regime_ref(file, &entry, &rule.regime);
            self.nonempty(file, &entry, "says", &rule.says);
            self.cited(file, &entry, &rule.citation);
            self.validity(file, &entry, rule.validity());
            if let Some(note) = &rule.unconfirmed {
                self.nonempty(file, &entry, "unconfirmed", note);
            }
            if rule.from.is_none()
                && rule.until.is_none()
                && !seen.insert((&rule.regime, rule.when))
            {
                self.err(
                    file,
                    &entry,
                    "a second undated rule of this kind for the regime",
                );
            }
        }
    }

    fn vendor_review(&mut self) {
        let s = self.s;
        let mut defaults = 0;
        for v in &s.vendor_review {
            let (file, law) = (v.file, v.item);
            let entry = format!("vendor-review {}", law.regime);
            self.regime_ref(file, &entry, &law.regime);
            self.validity(file, &entry, law.validity());
            defaults += usize::from(law.default);
            let terms = [
                ("processor-terms", &law.processor_terms),
                ("sub-processors", &law.sub_processors),
                ("special-categories", &law.special_categories),
                ("service-provider-terms", &law.service_provider_terms),
                ("retention", &law.retention),
                ("own-purposes", &law.own_purposes),
                ("safeguard-upkeep", &law.safeguard_upkeep),
            ];
            for (what, term) in terms {
                if let Some(t) = term {
                    self.vendor_term(file, &format!("{entry} {what}"), t);
                }
            }
            for t in &law.finding_terms {
                let e = format!("{entry} finding-terms {}", t.code);
                self.code_ref(file, &e, &t.code);
                self.nonempty(file, &e, "term", &t.term);
                self.nonempty(file, &e, "action", &t.action);
            }
            if let Some(security) = &law.security {
                self.vendor_term(file, &format!("{entry} security"), &security.attestation);
                self.vendor_term(
                    file,
                    &format!("{entry} breach-notice"),
                    &security.breach_notice,
                );
                for rule in &security.attestations {
                    if rule.kinds.is_empty() || rule.current_for_months == 0 {
                        self.err(
                            file,
                            &entry,
                            "an attestation rule needs `kinds` and `current-for-months`",
                        );
                    }
                }
            }
        }
        if defaults > 1 {
            self.errors.push(RulebookError::global(
                "more than one `vendor-review` entry is marked `default: true`",
            ));
        }
    }

    fn vendor_term(&mut self, file: &str, entry: &str, t: &VendorTerm) {
        self.nonempty(file, entry, "term", &t.term);
        self.nonempty(file, entry, "action", &t.action);
        self.cited(file, entry, &t.citation);
    }

    fn texts(&mut self) {
        let s = self.s;
        self.unique(
            "texts",
            s.texts.iter().map(|t| (t.file, t.item.id.as_str())),
        );
        for t in &s.texts {
            let entry = format!("texts {}", t.item.id);
            self.nonempty(t.file, &entry, "text", &t.item.text);
        }
        for id in crate::TEXT_IDS {
            let present = s.incomplete
                || s.texts.iter().any(|t| t.item.id == *id)
                || s.broken.contains(&("texts", (*id).to_owned()));
            if !present {
                self.errors.push(RulebookError::global(format!(
                    "text `{id}` is missing from `texts` (a document the tool writes uses it)"
                )));
            }
        }
    }

    fn instruments(&mut self) {
        let s = self.s;
        self.unique(
            "instruments",
            s.instruments.iter().map(|i| (i.file, i.item.id.as_str())),
        );
        for i in &s.instruments {
            let (file, instrument) = (i.file, i.item);
            let entry = format!("instruments {}", instrument.id);
            self.nonempty(file, &entry, "name", &instrument.name);
            if instrument.cited_as.iter().all(|c| c.trim().is_empty()) {
                self.err(file, &entry, "`cited-as` gives no text");
            }
        }
    }
}

fn overlap(a: Validity, b: Validity) -> bool {
    let starts_before_b_ends = match (a.from, b.last_day()) {
        (Some(from), Some(last)) => from <= last,
        _ => true,
    };
    let b_starts_before_a_ends = match (b.from, a.last_day()) {
        (Some(from), Some(last)) => from <= last,
        _ => true,
    };
    starts_before_b_ends && b_starts_before_a_ends
}
