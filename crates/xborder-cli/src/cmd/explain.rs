//! `xborder explain CODE`

use crate::cli::{ExplainArgs, Global};
use crate::exit;
use crate::input::{self, Failure};

pub fn run(global: &Global, args: &ExplainArgs) -> Result<u8, Failure> {
    let rulebook = input::rulebook(global)?;
    let code = args.code.trim().to_ascii_uppercase();
    let Some(doc) = rulebook.code(&code) else {
        let known: Vec<&str> = rulebook.codes.iter().map(|c| c.code.as_str()).collect();
        return Err(Failure::new(format!(
            "error: unknown finding code \"{}\"\n  hint: known codes: {}",
            args.code,
            known.join(", ")
        )));
    };
    outln!("{} ({}): {}\n", doc.code, severity(doc.severity), doc.title);
    outln!("What it means\n  {}\n", doc.meaning);
    outln!("Why\n  {}\n", doc.why);
    outln!("Citation\n  {}\n", doc.citation);
    outln!("How to fix it\n  {}", doc.fix);
    Ok(exit::OK)
}

fn severity(s: xborder_law::Severity) -> &'static str {
    match s {
        xborder_law::Severity::Error => "error",
        xborder_law::Severity::Warning => "warning",
        xborder_law::Severity::Info => "info",
    }
}
