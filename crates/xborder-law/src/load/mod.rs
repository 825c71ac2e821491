//! Loading the rulebook: read every file once (`parse.rs`: each entry from its own spanned
//! node, every broken entry reported at the value at fault), merge the sections, validate the
//! whole (`validate/`), and fold `invalid-from` into `until`.
//!
//! References to a broken entry are not reported again as dangling, and a file that is not
//! even YAML suppresses the completeness checks that would only repeat its error. The
//! semantic checks name file and entry; the entry's line and column come from the same parse.

mod parse;
mod validate;

use std::collections::BTreeSet;
use std::fmt;

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::types::*;
use crate::{Code, Rulebook};
use parse::{EntryAt, Parsed, parse_file};
use validate::Validator;

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

/// Gives the errors of the semantic checks, which know the file and the entry but not the
/// line, the line and column where their entry starts, so that every problem points into the
/// file. The entry of an error may be a part of an entry (`scc-sets 2021/914 terms eu-gdpr`):
/// the entry whose label is the longest prefix is the one.
fn locate_entries(parsed: &[(&str, Parsed)], errors: &mut [RulebookError]) {
    for error in errors.iter_mut().filter(|e| e.line.is_none()) {
        let (Some(file), Some(entry)) = (error.file.as_deref(), error.entry.as_deref()) else {
            continue;
        };
        let found = parsed
            .iter()
            .filter(|(name, _)| *name == file)
            .flat_map(|(_, p)| &p.entries)
            .filter(|at: &&EntryAt| {
                entry
                    .strip_prefix(at.label.as_str())
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with(' '))
            })
            .max_by_key(|at| at.label.len());
        if let Some(at) = found {
            error.line = Some(u64::from(at.loc.line));
            error.column = Some(u64::from(at.loc.column));
        }
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
    transfer_rules: Vec<From<'a, TransferRule>>,
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

/// Every file read ([`parse_file`]), in their order, with their problems added to `errors`
/// in that order: the files of the second half of the rulebook's text on a thread of their
/// own. Each command loads the rulebook before it reads anything else, with the second core
/// idle, and reading its files is three quarters of loading it.
fn parse_files<'f>(
    files: &'f [(String, String)],
    errors: &mut Vec<RulebookError>,
) -> Vec<(&'f str, Parsed)> {
    let read = |some: &'f [(String, String)]| {
        let mut errors = Vec::new();
        let parsed: Vec<(&str, Parsed)> = some
            .iter()
            .map(|(name, text)| (name.as_str(), parse_file(name, text, &mut errors)))
            .collect();
        (parsed, errors)
    };
    // Under the fuzzer (`cargo fuzz` sets `--cfg fuzzing`) one thread reads them all: its
    // coverage counters, written by both threads running the same parser, halved the inputs
    // it ran a second. The order of the result is the same either way.
    if cfg!(fuzzing) {
        let (parsed, found) = read(files);
        errors.extend(found);
        return parsed;
    }
    // Where the first half of the text ends, to give each thread as much to read.
    let total: usize = files.iter().map(|(_, text)| text.len()).sum();
    let mut sum = 0;
    let split = files
        .iter()
        .position(|(_, text)| {
            sum += text.len();
            sum * 2 >= total
        })
        .map_or(files.len(), |i| i + 1);
    let (first, second) = files.split_at(split);
    let ((mut parsed, first_errors), (rest, second_errors)) = std::thread::scope(|scope| {
        let other = scope.spawn(|| read(second));
        let here = read(first);
        // A panic while reading is passed on, as on one thread.
        let there = other
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (here, there)
    });
    parsed.extend(rest);
    errors.extend(first_errors);
    errors.extend(second_errors);
    parsed
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

    let parsed = parse_files(&files, &mut errors);

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
        collect(name, &p.file.transfer_rules, &mut s.transfer_rules);
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
        locate_entries(&parsed, &mut errors);
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
        transfer_rules: take(&s.transfer_rules),
        instruments: take(&s.instruments),
        vendor_review: take(&s.vendor_review),
        texts: take(&s.texts),
        sha256,
        sources: files,
    })
}
