//! The command-line definition (clap derive). Help, completions and the man page all come
//! from here.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};

/// Cross-border personal-data transfer audits, as of a date.
///
/// xborder reads a data map (who sends which personal data to whom, where, under which
/// mechanism), follows each regime's data along every onward hop, and judges each
/// international transfer against the rulebook in force on the given date.
#[derive(Debug, Parser)]
#[command(name = "xborder", version, about, long_about, propagate_version = true)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct Global {
    /// Rulebook directory whose YAML files replace (same file name) or extend the built-in
    /// rulebook.
    #[arg(long, global = true, value_name = "DIR")]
    pub rules: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check that data maps are well-formed; report every problem with its location.
    Validate(ValidateArgs),
    /// Judge every transfer hop of a data map as of a date.
    Check(CheckArgs),
    /// Explain a finding code: what it means, why (with citation), how to fix it.
    Explain(ExplainArgs),
    /// List the rulebook entries in force on a date.
    Rules(RulesArgs),
}

/// Output formats shared by the commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Text for people, like a compiler's diagnostics.
    Human,
    /// The JSON result contract.
    Json,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Data map files (YAML).
    #[arg(required = true, value_name = "MAP")]
    pub maps: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Data map file (YAML).
    #[arg(value_name = "MAP")]
    pub map: PathBuf,
    /// The date to judge the transfers on (YYYY-MM-DD); defaults to today.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub as_of: Option<NaiveDate>,
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Treat an adequacy decision or framework (e.g. eu-us-dpf) as struck down: what if it
    /// fell like Privacy Shield did?
    #[arg(long, value_name = "ID")]
    pub assume_invalid: Vec<String>,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A finding code such as XB002.
    #[arg(value_name = "CODE")]
    pub code: String,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// The date (YYYY-MM-DD); defaults to today.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub as_of: Option<NaiveDate>,
    /// Only this regime (eu-gdpr, uk-gdpr, ch-fadp).
    #[arg(long, value_name = "REGIME")]
    pub regime: Option<String>,
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

/// Parses a `YYYY-MM-DD` date for clap.
pub fn parse_date(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .filter(|_| text.len() == 10)
        .ok_or_else(|| format!("\"{text}\" is not a date: write YYYY-MM-DD, e.g. 2021-01-01"))
}
