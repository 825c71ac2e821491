//! `xborder import fides PATH… --out MAP.yaml`

use std::path::{Path, PathBuf};

use xborder_interop::fides::{self, CategoryTable, Imported, Input, NoteKind};

use crate::cli::Global;
use crate::cli_interop::{FidesArgs, ImportArgs, ImportSource};
use crate::exit;
use crate::input::{self, Failure};
use crate::style::{self, Stream, Tone};
use crate::write;

pub fn run(global: &Global, args: &ImportArgs) -> Result<u8, Failure> {
    match &args.source {
        ImportSource::Fides(a) => fides(global, a),
    }
}

fn fides(global: &Global, args: &FidesArgs) -> Result<u8, Failure> {
    write::check_target(&args.out, args.force)?;
    let rulebook = input::rulebook(global)?;
    let vocabulary = xborder_engine::vocabulary(&rulebook);
    let (table_name, table_text) = match &args.mapping {
        Some(path) => (path.display().to_string(), input::read_text(path)?),
        None => (
            "the built-in table".to_string(),
            fides::DEFAULT_MAPPING.to_string(),
        ),
    };
    let table = CategoryTable::parse(&table_text, &vocabulary.categories).map_err(|e| {
        Failure::new(format!(
            "error: the category mapping table ({table_name}) is invalid: {e}\n  hint: see docs/interop.md for its format"
        ))
    })?;
    let mut inputs = Vec::new();
    for path in &args.paths {
        for file in manifest_files(path)? {
            inputs.push(Input {
                path: file.display().to_string(),
                text: input::read_text(&file)?,
            });
        }
    }
    let options = fides::Options {
        organisation: args.organisation.clone(),
    };
    let imported = fides::import(&inputs, &table, &options).map_err(|errors| {
        let mut text = String::new();
        for e in &errors {
            text.push_str(&format!("{e}\n"));
        }
        text.push_str(&format!(
            "error: {} problem(s) in the Fides manifests; nothing was written",
            errors.len()
        ));
        Failure::new(text)
    })?;
    write::write_atomic(&args.out, imported.yaml.as_bytes(), false, args.force)?;
    if !style::quiet() {
        eprint!("{}", report(&imported, &args.out.display().to_string()));
    }
    Ok(exit::OK)
}

/// The files of a path: the file itself, or the `.yml`/`.yaml` files under a directory
/// (recursively, sorted by path).
fn manifest_files(path: &Path) -> Result<Vec<PathBuf>, Failure> {
    if !path.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut out = Vec::new();
    let mut stack = vec![path.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries = std::fs::read_dir(&dir).map_err(|e| {
            Failure::new(format!(
                "error: cannot read directory {}: {e}\n  hint: check the path and its permissions",
                dir.display()
            ))
        })?;
        for entry in entries.filter_map(Result::ok) {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "yml" || x == "yaml") {
                out.push(p);
            }
        }
    }
    out.sort();
    if out.is_empty() {
        return Err(Failure::new(format!(
            "error: {} holds no .yml or .yaml file\n  hint: pass Fides manifest files or a directory of them",
            path.display()
        )));
    }
    Ok(out)
}

/// The import report: what was imported, what to fill in, what to decide, what was kept
/// only as evidence.
fn report(imported: &Imported, out: &str) -> String {
    let s = &imported.stats;
    let mut text = format!(
        "{} {} system(s), {} dataset(s), {} organization(s) from {} file(s) into {out}: {} entities, {} flow(s), {} categories\n",
        style::paint(Stream::Stderr, Tone::Good, "imported"),
        s.systems,
        s.datasets,
        s.organizations,
        s.files,
        s.entities,
        s.flows,
        s.categories
    );
    let sections = [
        (
            NoteKind::FillIn,
            "fill in before the map validates",
            Tone::Error,
        ),
        (
            NoteKind::Decide,
            "decide (the map validates without these, but the verdicts depend on them)",
            Tone::Warning,
        ),
        (
            NoteKind::Kept,
            "kept only as evidence or comments, or not imported",
            Tone::Note,
        ),
    ];
    for (kind, title, tone) in sections {
        let notes: Vec<_> = imported.notes.iter().filter(|n| n.kind == kind).collect();
        if notes.is_empty() {
            continue;
        }
        text.push_str(&format!(
            "{} ({}):\n",
            style::paint(Stream::Stderr, tone, title),
            notes.len()
        ));
        for n in notes {
            let at = n.line.map(|l| format!("{out}:{l}: ")).unwrap_or_default();
            text.push_str(&format!("  {at}{} — {}\n", n.subject, n.message));
        }
    }
    let fill_ins = imported
        .notes
        .iter()
        .filter(|n| n.kind == NoteKind::FillIn)
        .count();
    if fill_ins > 0 {
        text.push_str(&format!(
            "next: replace the {fill_ins} `~  # FILL IN` value(s), then run `xborder validate {out}`\n"
        ));
    } else {
        text.push_str(&format!("next: `xborder validate {out}`\n"));
    }
    text
}
