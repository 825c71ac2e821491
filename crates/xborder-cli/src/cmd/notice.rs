//! `xborder notice check NOTICE.txt --effective DATE [--map MAP] [--format human|json]`

use serde_json::json;
use xborder_interop::notice::{self, Claims, MapContext, Report, Status};

use crate::cli::{Format, Global};
use crate::cli_interop::{NoticeArgs, NoticeCheckArgs, NoticeCommand};
use crate::exit;
use crate::input::{self, Failure};
use crate::style::{self, Stream, Tone};

pub fn run(global: &Global, args: &NoticeArgs) -> Result<u8, Failure> {
    match &args.command {
        NoticeCommand::Check(a) => check(global, a),
    }
}

fn check(global: &Global, args: &NoticeCheckArgs) -> Result<u8, Failure> {
    let unusable = crate::output::unusable::json_when(args.format == Format::Json);
    let rulebook = input::rulebook(global).map_err(&unusable)?;
    let text = input::read_text(&args.notice)?;
    let claims = Claims::embedded().map_err(|e| {
        Failure::new(format!(
            "error: the built-in notice claim table is invalid: {e}"
        ))
    })?;
    let loaded = args
        .map
        .as_ref()
        .map(|path| input::valid_map(path, &rulebook).map_err(&unusable))
        .transpose()?;
    let eval = loaded.as_ref().map(|(_, map)| {
        xborder_engine::check(
            map,
            &rulebook,
            args.effective,
            &xborder_engine::Options::default(),
        )
    });
    let context = match (&loaded, &eval) {
        (Some((_, map)), Some(eval)) => Some(MapContext { map, eval }),
        _ => None,
    };
    let report = notice::check(&text, args.effective, &rulebook, &claims, context);
    let path = args.notice.display().to_string();
    match args.format {
        Format::Human => out!(
            "{}",
            human(
                &report,
                &path,
                loaded.as_ref().map(|(l, _)| l.path.as_str())
            )
        ),
        Format::Json => {
            let doc = json!({
                "format": 1,
                "notice": path,
                "effective": report.effective.to_string(),
                "map": loaded.as_ref().map(|(l, _)| json!({ "path": l.path, "sha256": l.sha256 })),
                "rulebook": crate::output::RulebookRef::of(&rulebook),
                "claims": report.claims,
                "mentions": report.mentions,
                "map_only": report.map_only,
            });
            crate::stdout::json(&doc)?;
        }
    }
    Ok(if report.has_errors() {
        exit::FINDINGS
    } else {
        exit::OK
    })
}

fn tone(status: Status) -> (Tone, &'static str) {
    match status {
        Status::Invalid | Status::NotYetValid => (Tone::Error, "error"),
        Status::Review => (Tone::Warning, "warning"),
        Status::Info => (Tone::Note, "note"),
        Status::Valid => (Tone::Good, "ok"),
    }
}

fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let cut: String = text.chars().take(max).collect();
        format!("{}…", cut.trim_end())
    }
}

fn human(report: &Report, path: &str, map: Option<&str>) -> String {
    let paint = |t: Tone, s: &str| style::paint(Stream::Stdout, t, s);
    let mut out = String::new();
    for c in &report.claims {
        let (t, word) = tone(c.status);
        out.push_str(&format!(
            "{}: {path}:{}:{}: {} [{}]\n",
            paint(t, word),
            c.line,
            c.column,
            paint(Tone::Bold, &c.message),
            c.status.as_str()
        ));
        out.push_str(&format!("  | \"{}\"\n", c.sentence));
        if let Some(citation) = &c.citation {
            out.push_str(&format!("  = citation: {citation}\n"));
        }
        if let Some(m) = &c.map {
            let label = if m.consistent {
                "map"
            } else {
                "map (disagrees)"
            };
            out.push_str(&format!("  = {label}: {}\n", m.message));
        }
        out.push('\n');
    }
    if !report.mentions.is_empty() {
        out.push_str(&format!(
            "{} sentence(s) mention an instrument without relying on it (not judged):\n",
            report.mentions.len()
        ));
        for m in &report.mentions {
            out.push_str(&format!(
                "  {path}:{}:{}: {}: \"{}\"\n",
                m.line,
                m.column,
                m.claim,
                shorten(&m.sentence, 110)
            ));
        }
        out.push('\n');
    }
    if let Some(map) = map {
        for m in &report.map_only {
            out.push_str(&format!("{}: {map}: {m}\n", paint(Tone::Note, "note")));
        }
        if !report.map_only.is_empty() {
            out.push('\n');
        }
    }
    let count = |s: Status| report.claims.iter().filter(|c| c.status == s).count();
    let invalid = count(Status::Invalid) + count(Status::NotYetValid);
    let summary = format!(
        "{path}: effective {}, {} claim(s): {invalid} relying on an instrument not valid on that date, {} to review, {} valid, {} informational",
        report.effective,
        report.claims.len(),
        count(Status::Review),
        count(Status::Valid),
        count(Status::Info)
    );
    let t = if invalid > 0 { Tone::Error } else { Tone::Good };
    out.push_str(&paint(t, &summary));
    out.push('\n');
    out
}
