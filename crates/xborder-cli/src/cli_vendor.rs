//! The `vendor` commands' flags (clap derive), kept apart from `cli.rs` like the other
//! command groups.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Subcommand};

use crate::cli::{Format, parse_date};
use crate::signing::SignArgs;

#[derive(Debug, Args)]
pub struct VendorArgs {
    #[command(subcommand)]
    pub command: VendorCommand,
}

#[derive(Debug, Subcommand)]
pub enum VendorCommand {
    /// Review a vendor before data flows to it: every hop it would create with the mechanism
    /// it needs, new findings, missing contract terms, special-category data, and a decision
    /// memo (approve / approve with conditions / reject); exit 1 on reject.
    Review(Box<VendorReviewArgs>),
    /// Check that a vendor intake is well-formed against the map it would join.
    Validate(VendorValidateArgs),
}

#[derive(Debug, Args)]
pub struct VendorReviewArgs {
    /// Vendor intake files (YAML, see docs/vendor-intake.md), each reviewed on its own
    /// against the map.
    #[arg(value_name = "VENDOR", required = true)]
    pub intakes: Vec<PathBuf>,
    /// The data map the vendor would join.
    #[arg(long, value_name = "MAP")]
    pub map: PathBuf,
    /// The date to judge the transfers on (YYYY-MM-DD); defaults to today.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub as_of: Option<NaiveDate>,
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Treat an adequacy decision or framework (e.g. eu-us-dpf) as struck down; the review
    /// then says which of the vendor's hops change and what keeps them lawful.
    #[arg(long, value_name = "ID")]
    pub assume_invalid: Vec<String>,
    /// Also write the review memo as a PDF (one vendor at a time).
    #[arg(long, value_name = "MEMO.pdf")]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub sign: SignArgs,
    /// Organisation named in the memo (default: the map's `organisation`).
    #[arg(long, value_name = "NAME")]
    pub organisation: Option<String>,
}

#[derive(Debug, Args)]
pub struct VendorValidateArgs {
    /// Vendor intake files (YAML), each checked on its own against the map.
    #[arg(value_name = "VENDOR", required = true)]
    pub intakes: Vec<PathBuf>,
    /// The data map the vendor would join.
    #[arg(long, value_name = "MAP")]
    pub map: PathBuf,
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}
