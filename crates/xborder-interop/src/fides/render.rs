//! Writing the draft as the map's YAML text, line by line (the comments carry what to fill in
//! and where each value came from), with a report note for each `FILL IN` and `DECIDE` line.
//!
//! The text is written in the map's order: the header comments, `organisation`, `entities`
//! (then the commented templates for idle data subjects), `categories`, `flows`.

use std::collections::{BTreeMap, BTreeSet};

use super::build::{Draft, DraftEntity, DraftFlow, category_id, flow_id};
use super::categories::Mapping;
use super::read::Manifest;
use super::{Imported, Note, NoteKind, Options, Stats};
use crate::yaml::{list, quoted, scalar};

/// The map text and the import report of a draft.
pub(super) fn render(draft: Draft<'_>, options: &Options) -> Imported {
    let mut out = Out {
        lines: Vec::new(),
        notes: draft.notes,
    };
    header(&mut out, draft.manifest);
    organisation(&mut out, draft.manifest, options);
    out.blank();
    out.line("entities:");
    for e in draft.entities.values() {
        entity(&mut out, e);
    }
    idle_subjects(&mut out, &draft.idle_subjects);
    if !draft.categories.is_empty() {
        out.blank();
        out.line("categories:");
        for (key, mapping) in &draft.categories {
            category(&mut out, key, mapping.as_ref());
        }
    }
    out.blank();
    flows_key(&mut out, draft.flows.is_empty());
    for f in draft.flows.values() {
        flow(&mut out, f);
    }
    let stats = Stats {
        files: draft.manifest.files.len(),
        systems: draft.manifest.systems.len(),
        datasets: draft.manifest.datasets.len(),
        organizations: draft.manifest.organizations.len(),
        entities: draft.entities.len(),
        flows: draft.flows.len(),
        categories: draft.categories.len(),
    };
    out.finish(stats)
}

/// The header comments (inputs, how to read the draft, the organizations' contacts) and
/// `format: 1`.
fn header(out: &mut Out, manifest: &Manifest) {
    out.line(
        "# Data map imported from Fides manifests by `xborder import fides`: a draft to review.",
    );
    out.line("#");
    out.line("# Inputs:");
    for i in &manifest.files {
        out.line(&format!("#   {i}"));
    }
    out.line("# Data categories: fideslang keys, each declared `like:` the rulebook category given by the");
    out.line("#   mapping table (data/interop/fideslang-categories.yaml, documented in docs/interop.md).");
    out.line("# \"FILL IN\" marks what Fides does not say and the format requires (the map does not validate");
    out.line("#   until each is filled in); \"DECIDE\" marks what the verdicts depend on. The import report");
    out.line("#   printed on stderr lists both with their line numbers.");
    for org in &manifest.organizations {
        let mut text = format!("# Fides organization {}", org.key);
        if let Some(name) = &org.name {
            text.push_str(&format!(" ({name})"));
        }
        if let Some(d) = &org.description {
            text.push_str(&format!(": {d}"));
        }
        out.line(&text);
        for (role, contact) in &org.contacts {
            out.line(&format!("#   {role}: {contact}"));
        }
    }
    out.line("format: 1");
}

/// `organisation:` from the options, else the first organization with a name, else a
/// `FILL IN`.
fn organisation(out: &mut Out, manifest: &Manifest, options: &Options) {
    let organisation = options
        .organisation
        .clone()
        .or_else(|| manifest.organizations.iter().find_map(|o| o.name.clone()));
    match organisation {
        Some(name) => {
            out.line(&format!("organisation: {}", scalar(&name)));
        }
        None => {
            let line = out.line(
                "organisation: ~  # FILL IN: whose map this is (the manifests have no organization)",
            );
            out.note(
                NoteKind::FillIn,
                line,
                "organisation".to_string(),
                "the manifests name no organization: write whose map this is (or pass --organisation)".to_string(),
            );
        }
    }
}

/// One entity under `entities:`, its country left to fill in.
fn entity(out: &mut Out, e: &DraftEntity) {
    out.line(&format!("  {}:", scalar(&e.id)));
    out.line(&format!("    name: {}", scalar(&e.name)));
    out.line(&format!("    kind: {}", e.kind));
    let what = if e.kind == "subjects" {
        "where these data subjects are: ISO 3166-1 alpha-2, a subdivision (US-CA) or a region (EEA)"
    } else {
        "ISO 3166-1 alpha-2 code of the country where it is established"
    };
    let line = out.line(&format!("    country: ~  # FILL IN: {what}"));
    out.note(
        NoteKind::FillIn,
        line,
        format!("entities.{}.country", e.id),
        format!("{what} (Fides has no location for \"{}\")", e.name),
    );
    if !e.processing.is_empty() {
        let comment = e
            .processing_comment
            .as_deref()
            .map(|c| format!("  # {c}"))
            .unwrap_or_default();
        out.line(&format!("    processing: {}{comment}", list(&e.processing)));
    }
    if let Some(role) = e.role {
        out.line(&format!("    role: {role}"));
    }
    for d in &e.decide {
        let line = out.line(&format!("    # DECIDE: {d}"));
        out.note(
            NoteKind::Decide,
            line,
            format!("entities.{}", e.id),
            d.clone(),
        );
    }
    out.line(&format!("    evidence: {}", quoted(&e.evidence)));
}

/// A commented entity template for each declared group of data subjects with no flow from
/// them, at the end of `entities:`.
fn idle_subjects(out: &mut Out, idle: &BTreeMap<String, BTreeSet<String>>) {
    if idle.is_empty() {
        return;
    }
    out.line(
        "  # Data subjects named by the declarations, with no flow from them in the manifests.",
    );
    out.line(
        "  # Uncomment, give their country or region, and add flows to the collecting systems:",
    );
    for (id, systems) in idle {
        out.line(&format!("  # {id}:"));
        out.line(&format!(
            "  #   name: {}",
            quoted(&format!("Data subjects: {}", id.replace('_', " ")))
        ));
        out.line("  #   kind: subjects");
        out.line("  #   country: EEA");
        let names: Vec<&str> = systems.iter().map(String::as_str).collect();
        out.line(&format!(
            "  #   evidence: {}",
            quoted(&format!(
                "Fides data subject \"{id}\", declared by {}",
                names.join(", ")
            ))
        ));
    }
}

/// One category under `categories:`: `like:` from the mapping table (a `DECIDE` when the
/// table says to review it), or a `FILL IN` when the table does not know the key.
fn category(out: &mut Out, key: &str, mapping: Option<&Mapping>) {
    let id = category_id(key);
    match mapping {
        Some(m) => {
            let like = m.like.clone().unwrap_or_default();
            let mut comment = match (&m.name, m.fides == key) {
                (Some(name), true) => format!("  # {name}"),
                (Some(name), false) => format!("  # under {} ({name})", m.fides),
                (None, _) => String::new(),
            };
            if m.review.is_some() {
                comment.push_str(" — DECIDE: see the import report");
            }
            let line = out.line(&format!("  {}: {{ like: {like} }}{comment}", scalar(&id)));
            if let Some(review) = &m.review {
                out.note(
                    NoteKind::Decide,
                    line,
                    format!("categories.{id}"),
                    format!("mapped like {like} by default: {review}"),
                );
            }
        }
        None => {
            let line = out.line(&format!(
                "  {}: {{ like: ~ }}  # FILL IN: the rulebook category it is treated like",
                scalar(&id)
            ));
            out.note(
                NoteKind::FillIn,
                line,
                format!("categories.{id}"),
                format!(
                    "\"{key}\" is not in the mapping table: write the rulebook base category it is treated like (e.g. ordinary, health, biometric)"
                ),
            );
        }
    }
}

/// The `flows:` key; with no flow, an empty list and a `DECIDE`.
fn flows_key(out: &mut Out, empty: bool) {
    if empty {
        let line = out.line("flows: []  # the manifests describe no flow between systems");
        out.note(
            NoteKind::Decide,
            line,
            "flows".to_string(),
            "the manifests have no egress/ingress between systems: add the flows of personal data"
                .to_string(),
        );
    } else {
        out.line("flows:");
    }
}

/// One flow under `flows:`, with its adequacy mechanism, `DECIDE`s and evidence.
fn flow(out: &mut Out, f: &DraftFlow) {
    let id = flow_id(&f.from, &f.to);
    out.line(&format!("  - id: {}", scalar(&id)));
    out.line(&format!("    from: {}", scalar(&f.from)));
    out.line(&format!("    to: {}", scalar(&f.to)));
    let data: Vec<String> = f.data.iter().map(|c| category_id(c)).collect();
    out.line(&format!("    data: {}", list(&data)));
    if let Some(p) = &f.purpose {
        out.line(&format!("    purpose: {}", scalar(p)));
    }
    if f.adequacy {
        out.line("    mechanisms: [ { kind: adequacy } ]  # legal_basis_for_transfers: Adequacy Decision");
    }
    for d in &f.decide {
        let line = out.line(&format!("    # DECIDE: {d}"));
        out.note(NoteKind::Decide, line, format!("flows.{id}"), d.clone());
    }
    let source = if f.own_categories {
        "data: the data flow's data_categories"
    } else {
        "data: the sending system's declared data_categories (the manifest lists none on the flow)"
    };
    out.line(&format!(
        "    evidence: {}",
        quoted(&format!("{}; {source}", f.evidence.join("; ")))
    ));
}

/// The text being written and the report's notes.
struct Out {
    lines: Vec<String>,
    notes: Vec<Note>,
}

impl Out {
    /// Appends a line; returns its 1-based number.
    fn line(&mut self, text: &str) -> usize {
        self.lines.push(text.to_string());
        self.lines.len()
    }

    /// Appends an empty line.
    fn blank(&mut self) {
        self.lines.push(String::new());
    }

    /// Adds a report note about line `line`.
    fn note(&mut self, kind: NoteKind, line: usize, subject: String, message: String) {
        self.notes.push(Note {
            kind,
            line: Some(line),
            subject,
            message,
        });
    }

    /// The text with a final newline, and the notes in report order: by kind, then those
    /// with a line by line, then by subject.
    fn finish(mut self, stats: Stats) -> Imported {
        self.notes.sort_by(|a, b| {
            (a.kind, a.line.is_none(), a.line, &a.subject).cmp(&(
                b.kind,
                b.line.is_none(),
                b.line,
                &b.subject,
            ))
        });
        let mut yaml = self.lines.join("\n");
        yaml.push('\n');
        Imported {
            yaml,
            notes: self.notes,
            stats,
        }
    }
}
