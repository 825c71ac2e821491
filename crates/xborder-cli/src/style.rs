//! Terminal styling and verbosity: `--color auto|always|never`, `NO_COLOR`
//! (<https://no-color.org>) and `-q/--quiet`. Decided once at start-up; renderers ask here.

use std::ffi::OsString;
use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::cli_interop::ColorChoice;

static STDOUT_COLOR: AtomicBool = AtomicBool::new(false);
static STDERR_COLOR: AtomicBool = AtomicBool::new(false);
static QUIET: AtomicBool = AtomicBool::new(false);

/// Which stream a text is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
}

/// What a piece of text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Error,
    Warning,
    Good,
    Note,
    Bold,
}

fn no_color_env() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

fn decide(choice: ColorChoice, terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            terminal && !no_color_env() && std::env::var_os("TERM").is_none_or(|t| t != "dumb")
        }
    }
}

/// Sets colour and verbosity for the rest of the run.
pub fn init(choice: ColorChoice, quiet: bool) {
    STDOUT_COLOR.store(
        decide(choice, std::io::stdout().is_terminal()),
        Ordering::Relaxed,
    );
    STDERR_COLOR.store(
        decide(choice, std::io::stderr().is_terminal()),
        Ordering::Relaxed,
    );
    QUIET.store(quiet, Ordering::Relaxed);
}

/// The `--color` value of a command line before clap parses it (so that clap's own help and
/// errors follow it too); `auto` when absent or unreadable.
pub fn prescan(args: &[OsString]) -> ColorChoice {
    let mut choice = ColorChoice::Auto;
    let mut iter = args.iter().skip(1).map(|a| a.to_string_lossy());
    while let Some(arg) = iter.next() {
        if arg == "--" {
            break;
        }
        let value = if let Some(v) = arg.strip_prefix("--color=") {
            Some(v.to_string())
        } else if arg == "--color" {
            iter.next().map(|v| v.to_string())
        } else {
            None
        };
        match value.as_deref() {
            Some("always") => choice = ColorChoice::Always,
            Some("never") => choice = ColorChoice::Never,
            Some("auto") => choice = ColorChoice::Auto,
            _ => {}
        }
    }
    choice
}

/// clap's colour setting for a choice.
pub fn clap_choice(choice: ColorChoice) -> clap::ColorChoice {
    match choice {
        ColorChoice::Auto if no_color_env() => clap::ColorChoice::Never,
        ColorChoice::Auto => clap::ColorChoice::Auto,
        ColorChoice::Always => clap::ColorChoice::Always,
        ColorChoice::Never => clap::ColorChoice::Never,
    }
}

/// Whether non-essential stderr output (warnings on valid input, reports, progress) is
/// suppressed.
pub fn quiet() -> bool {
    QUIET.load(Ordering::Relaxed)
}

/// Whether a stream is coloured.
pub fn colored(stream: Stream) -> bool {
    match stream {
        Stream::Stdout => STDOUT_COLOR.load(Ordering::Relaxed),
        Stream::Stderr => STDERR_COLOR.load(Ordering::Relaxed),
    }
}

/// `text` in the tone's colour when the stream is coloured.
pub fn paint(stream: Stream, tone: Tone, text: &str) -> String {
    if !colored(stream) {
        return text.to_string();
    }
    let code = match tone {
        Tone::Error => "1;31",
        Tone::Warning => "1;33",
        Tone::Good => "32",
        Tone::Note => "36",
        Tone::Bold => "1",
    };
    format!("\x1b[{code}m{text}\x1b[0m")
}

/// Renders a codespan diagnostic into `out`, in colour when `stream` is coloured.
pub fn emit_diagnostic<'f, F: codespan_reporting::files::Files<'f> + ?Sized>(
    out: &mut String,
    stream: Stream,
    config: &codespan_reporting::term::Config,
    files: &'f F,
    diagnostic: &codespan_reporting::diagnostic::Diagnostic<F::FileId>,
) -> Result<(), codespan_reporting::files::Error> {
    use codespan_reporting::term;
    if !colored(stream) {
        return term::emit_to_string(out, config, files, diagnostic);
    }
    let mut buffer = term::termcolor::Buffer::ansi();
    term::emit_to_write_style(&mut buffer, config, files, diagnostic)?;
    out.push_str(&String::from_utf8_lossy(buffer.as_slice()));
    Ok(())
}

/// Colours the leading `error:` / `warning:` of a message for stderr.
pub fn failure_text(text: &str) -> String {
    for (prefix, tone) in [("error:", Tone::Error), ("warning:", Tone::Warning)] {
        if let Some(rest) = text.strip_prefix(prefix) {
            return format!("{}{rest}", paint(Stream::Stderr, tone, prefix));
        }
    }
    text.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<OsString> {
        list.iter().map(OsString::from).collect()
    }

    #[test]
    fn prescan_reads_both_spellings_and_stops_at_double_dash() {
        assert_eq!(prescan(&args(&["x", "check"])), ColorChoice::Auto);
        assert_eq!(
            prescan(&args(&["x", "--color", "never"])),
            ColorChoice::Never
        );
        assert_eq!(
            prescan(&args(&["x", "--color=always", "m"])),
            ColorChoice::Always
        );
        assert_eq!(
            prescan(&args(&["x", "--", "--color=always"])),
            ColorChoice::Auto
        );
    }
}
