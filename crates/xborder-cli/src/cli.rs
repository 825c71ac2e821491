//! The command-line definition (clap derive). Help, completions and the man page all come
//! from here.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::cli_interop::*;
use crate::cli_vendor::*;
use crate::signing::SignArgs;

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
    /// When to colour output; NO_COLOR in the environment means never under `auto`.
    #[arg(long, global = true, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Print nothing on stderr but errors (no warnings on valid maps, no import report).
    #[arg(short, long, global = true)]
    pub quiet: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check that data maps are well-formed; report every problem with its location.
    Validate(ValidateArgs),
    /// Judge every transfer hop of a data map as of a date.
    Check(CheckArgs),
    /// What changed between two versions of a map, and which verdicts changed with it.
    Diff(DiffArgs),
    /// For every hop, the intervals over which each verdict held.
    Timeline(TimelineArgs),
    /// Explain a finding code: what it means, why (with citation), how to fix it.
    Explain(ExplainArgs),
    /// List the rulebook entries in force on a date.
    Rules(RulesArgs),
    /// Render the audit report of a data map as of a date, as a signed PDF.
    Audit(Box<AuditArgs>),
    /// Verify a signed report: integrity, signature, signer chain, input hashes.
    Verify(VerifyArgs),
    /// Create a demo CA and signer certificate with key, for trying `audit`.
    Keygen(KeygenArgs),
    /// Import a data map from another tool's files (Fides manifests).
    Import(ImportArgs),
    /// Print the JSON Schema of the data map format (for editors and other tools).
    Schema(SchemaArgs),
    /// Draw the data map as a graph (DOT or Mermaid), edges labelled with data and verdicts.
    Graph(GraphArgs),
    /// Write the whole map as one self-contained HTML page: graph, search, filters, findings
    /// and a time slider over the dates on which verdicts change.
    View(ViewArgs),
    /// The GDPR Art. 30 record of processing activities, with its transfers section.
    Ropa(RopaArgs),
    /// The CCPA disclosure table: categories, sources, service providers and third parties.
    Ccpa(CcpaArgs),
    /// Privacy notices: check their transfer claims against the rulebook and the map.
    Notice(NoticeArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions(CompletionsArgs),
    /// Print the man page (or write one page per subcommand with --out DIR).
    Man(ManArgs),
    /// Review a vendor before personal data flows to it (intake file → decision memo).
    Vendor(VendorArgs),
}

#[derive(Debug, Args)]
pub struct AuditArgs {
    /// Data map file (YAML).
    #[arg(value_name = "MAP")]
    pub map: PathBuf,
    /// The date to judge the transfers on (YYYY-MM-DD); defaults to today.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub as_of: Option<NaiveDate>,
    /// Where to write the PDF.
    #[arg(long, value_name = "FILE.pdf")]
    pub out: PathBuf,
    #[command(flatten)]
    pub sign: SignArgs,
    /// Organisation named on the cover (default: the map's `organisation`).
    #[arg(long, value_name = "NAME")]
    pub organisation: Option<String>,
    /// An earlier version of the map: adds a "changes since" section.
    #[arg(long, value_name = "OLD_MAP")]
    pub base: Option<PathBuf>,
    /// Risk acceptances (YAML, see docs/acceptances.md): listed in their own section, and
    /// the findings they cover marked accepted.
    #[arg(long, value_name = "FILE")]
    pub accept: Option<PathBuf>,
    /// How far ahead "expiring mechanisms" looks, in days (e.g. 180d).
    #[arg(long, value_name = "DAYS", default_value = "180d", value_parser = parse_days)]
    pub horizon: i64,
    /// Treat an adequacy decision or framework (e.g. eu-us-dpf) as struck down.
    #[arg(long, value_name = "ID")]
    pub assume_invalid: Vec<String>,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The signed PDF report.
    #[arg(value_name = "FILE.pdf")]
    pub file: PathBuf,
    /// Trust anchor (CA certificate, PEM); without it the signer is reported as untrusted.
    #[arg(long, value_name = "CA.pem")]
    pub trust: Option<PathBuf>,
    /// The data map the report claims to be made from: its SHA-256 must match.
    #[arg(long, value_name = "MAP")]
    pub map: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct KeygenArgs {
    /// Common name of the signer, e.g. "Audit Team".
    #[arg(long, value_name = "NAME")]
    pub name: String,
    /// Directory to write ca.pem, signer.pem and signer.key.pem into.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Validity of the certificates, in days from now.
    #[arg(long, value_name = "DAYS", default_value_t = 825)]
    pub days: i64,
    /// Encrypt signer.key.pem (PKCS#8: PBKDF2-HMAC-SHA256 and AES-256-CBC) with the
    /// passphrase in XBORDER_KEY_PASSPHRASE, or asked for on the terminal.
    #[arg(long)]
    pub encrypt: bool,
    /// Overwrite existing files.
    #[arg(long)]
    pub force: bool,
}

/// Parses a number of days, written `180` or `180d`.
pub fn parse_days(text: &str) -> Result<i64, String> {
    text.trim_end_matches('d')
        .parse::<i64>()
        .ok()
        .filter(|d| (0..=36_600).contains(d))
        .ok_or_else(|| format!("\"{text}\" is not a number of days: write e.g. 180d"))
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
    #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
    pub format: CheckFormat,
    /// The map before the change (a path, or git:REF:PATH read with `git show`): findings
    /// are classified new, unchanged or resolved.
    #[arg(long, value_name = "OLD_MAP")]
    pub base: Option<String>,
    /// Which findings of severity error make the exit code 1.
    #[arg(long, value_enum, default_value_t = FailOn::New)]
    pub fail_on: FailOn,
    /// Also warn (XB020) about hops whose basis stops being valid within this many days,
    /// e.g. 180d.
    #[arg(long, value_name = "DAYS", value_parser = parse_days)]
    pub horizon: Option<i64>,
    /// Treat an adequacy decision or framework (e.g. eu-us-dpf) as struck down: what if it
    /// fell like Privacy Shield did?
    #[arg(long, value_name = "ID")]
    pub assume_invalid: Vec<String>,
    /// With --assume-invalid: also compare with the law as it stands — which hops change,
    /// and which fallback mechanisms (e.g. SCCs already signed) keep them lawful (human and
    /// JSON output).
    #[arg(long, requires = "assume_invalid")]
    pub what_if: bool,
    /// Risk acceptances (YAML, see docs/acceptances.md): the findings they cover are shown as
    /// accepted and do not fail the check; an expired acceptance is an error.
    #[arg(long, value_name = "FILE")]
    pub accept: Option<PathBuf>,
    /// The least severe findings the human output lists (the summary counts them all).
    #[arg(long, value_enum, default_value_t = MinSeverity::Info)]
    pub min_severity: MinSeverity,
}

/// The least severe findings to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MinSeverity {
    Info,
    Warning,
    Error,
}

impl MinSeverity {
    /// Whether a finding of `severity` is listed.
    pub fn shows(self, severity: xborder_law::Severity) -> bool {
        use xborder_law::Severity;
        match self {
            MinSeverity::Info => true,
            MinSeverity::Warning => severity != Severity::Info,
            MinSeverity::Error => severity == Severity::Error,
        }
    }
}

/// Output formats of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// Text for people, like a compiler's diagnostics.
    Human,
    /// The JSON result contract.
    Json,
    /// SARIF 2.1.0 for code scanning.
    Sarif,
    /// JUnit XML: one test case per hop.
    Junit,
    /// GitHub workflow commands (annotations) plus a step summary.
    Github,
}

/// When `check` exits 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// Only when an error finding is new relative to `--base` (every finding is new
    /// without a base).
    New,
    /// When any error finding exists.
    Any,
    /// Never (report only).
    Never,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The map before the change (a path or git:REF:PATH).
    #[arg(value_name = "OLD")]
    pub old: String,
    /// The map after the change.
    #[arg(value_name = "NEW")]
    pub new: PathBuf,
    /// The date to compare verdicts on; defaults to today.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub as_of: Option<NaiveDate>,
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct TimelineArgs {
    /// Data map file (YAML).
    #[arg(value_name = "MAP")]
    pub map: PathBuf,
    /// First day (default: the day the rulebook's first entry applies).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub from: Option<NaiveDate>,
    /// Last day (default: today).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub to: Option<NaiveDate>,
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
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
    /// Only this regime: its id in the rulebook (eu-gdpr, cn-pipl, qc-law25, …).
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
