//! The command-line definitions of the interop commands (import, schema, graph, ropa, ccpa,
//! notice) and of the shell integration (completions, man page, colour). They are part of
//! [`crate::cli::Cli`]; help, completions and the man page come from here too.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Subcommand, ValueEnum};

use crate::cli::{Format, parse_date};

/// When to colour output (`--color`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum ColorChoice {
    /// Colour when writing to a terminal and NO_COLOR is not set.
    #[default]
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    #[command(subcommand)]
    pub source: ImportSource,
}

#[derive(Debug, Subcommand)]
pub enum ImportSource {
    /// Import Fides privacy-as-code manifests (systems, datasets, organizations) as a draft
    /// data map; the report on stderr lists what to fill in.
    Fides(FidesArgs),
}

#[derive(Debug, Args)]
pub struct FidesArgs {
    /// Fides manifest files (.yml/.yaml) or directories of them (read recursively, sorted).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Where to write the data map.
    #[arg(long, value_name = "MAP.yaml")]
    pub out: PathBuf,
    /// Overwrite an existing output file.
    #[arg(long)]
    pub force: bool,
    /// `organisation:` of the map (default: the manifests' first organization).
    #[arg(long, value_name = "NAME")]
    pub organisation: Option<String>,
    /// A fideslang → rulebook category table replacing the built-in one
    /// (data/interop/fideslang-categories.yaml).
    #[arg(long, value_name = "FILE")]
    pub mapping: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// The schema of the vendor intake file instead of the data map.
    #[arg(long)]
    pub vendor: bool,
}

#[derive(Debug, Args)]
pub struct GraphArgs {
    /// Data map file (YAML).
    #[arg(value_name = "MAP")]
    pub map: PathBuf,
    /// The date of the verdicts on the edges (YYYY-MM-DD); defaults to today.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub as_of: Option<NaiveDate>,
    #[arg(long, value_enum, default_value_t = GraphFormat::Dot)]
    pub format: GraphFormat,
}

#[derive(Debug, Args)]
pub struct ViewArgs {
    /// Data map file (YAML or JSON).
    #[arg(value_name = "MAP")]
    pub map: PathBuf,
    /// Where to write the page.
    #[arg(long, value_name = "FILE.html")]
    pub out: PathBuf,
    /// The date the page opens on (YYYY-MM-DD); defaults to today. The slider reaches from the
    /// rulebook's first date to a year after it.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub as_of: Option<NaiveDate>,
    /// The map before the change (a path, or git:REF:PATH read with `git show`): findings are
    /// marked new or unchanged, on every date of the slider.
    #[arg(long, value_name = "OLD_MAP")]
    pub base: Option<String>,
    /// Overwrite an existing output file.
    #[arg(long)]
    pub force: bool,
}

/// Output formats of `graph`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    /// Graphviz DOT (render with `dot -Tsvg`).
    Dot,
    /// Mermaid flowchart (renders in GitHub and GitLab Markdown).
    Mermaid,
}

#[derive(Debug, Args)]
pub struct RopaArgs {
    /// Data map file (YAML).
    #[arg(value_name = "MAP")]
    pub map: PathBuf,
    /// The date the transfers are judged on (YYYY-MM-DD); defaults to today.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub as_of: Option<NaiveDate>,
    #[arg(long, value_enum, default_value_t = TableFormat::Md)]
    pub format: TableFormat,
}

#[derive(Debug, Args)]
pub struct CcpaArgs {
    /// Data map file (YAML).
    #[arg(value_name = "MAP")]
    pub map: PathBuf,
    #[arg(long, value_enum, default_value_t = TableFormat::Md)]
    pub format: TableFormat,
}

/// Output formats of the record exports (`ropa`, `ccpa`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TableFormat {
    /// Markdown tables.
    Md,
    /// CSV (one header row, RFC 4180 quoting).
    Csv,
    /// JSON.
    Json,
}

#[derive(Debug, Args)]
pub struct NoticeArgs {
    #[command(subcommand)]
    pub command: NoticeCommand,
}

#[derive(Debug, Subcommand)]
pub enum NoticeCommand {
    /// Find the transfer claims of a privacy notice (Safe Harbor, Privacy Shield, DPF, SCCs,
    /// adequacy, "we do not sell") and check each against the rulebook at the notice's
    /// effective date, and against a data map.
    Check(NoticeCheckArgs),
}

#[derive(Debug, Args)]
pub struct NoticeCheckArgs {
    /// The privacy notice as plain text.
    #[arg(value_name = "NOTICE.txt")]
    pub notice: PathBuf,
    /// The date the notice took effect (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub effective: NaiveDate,
    /// A data map to compare the claims with (does it claim the same mechanisms?).
    #[arg(long, value_name = "MAP")]
    pub map: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_name = "SHELL")]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write xborder.1 and one page per subcommand (xborder-check.1, …) into this directory
    /// instead of printing xborder.1.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}
