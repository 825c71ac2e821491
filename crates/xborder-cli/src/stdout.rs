//! Everything a command prints on standard output goes through here.
//!
//! A reader may stop reading early (`xborder check … | head`): the pipe closes and every later
//! write fails with `BrokenPipe`. That is no error of the command. As ripgrep and git do, the
//! output then ends quietly — no panic, no message — and the command still finishes its work
//! and returns its own exit code, so that `set -o pipefail` in a CI script sees whether the
//! check found errors, not whether the reader read to the end.

use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};

use serde::Serialize;

use crate::input::Failure;

/// Set once the reader has closed standard output: nothing more is written.
static CLOSED: AtomicBool = AtomicBool::new(false);

/// Whether standard output was closed by its reader.
pub fn closed() -> bool {
    CLOSED.load(Ordering::Relaxed)
}

/// Runs `write` on standard output (buffered, flushed at the end). A closed pipe ends the
/// output quietly; any other write error (a full disk) is a [`Failure`].
pub fn with(write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<(), Failure> {
    if closed() {
        return Ok(());
    }
    let stdout = io::stdout();
    let mut out = io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let result = write(&mut out).and_then(|()| out.flush());
    match result {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
            CLOSED.store(true, Ordering::Relaxed);
            // The buffer still holds what could not be written: drop it without a retry.
            let (_, _) = out.into_parts();
            Ok(())
        }
        Err(e) => Err(Failure::new(format!(
            "error: cannot write to standard output: {e}"
        ))),
    }
}

/// Prints text as it is.
pub fn text(text: &str) -> Result<(), Failure> {
    with(|out| out.write_all(text.as_bytes()))
}

/// Prints a JSON document, pretty, with a final newline.
pub fn json(doc: &impl Serialize) -> Result<(), Failure> {
    with(|out| {
        serde_json::to_writer_pretty(&mut *out, doc).map_err(io::Error::from)?;
        out.write_all(b"\n")
    })
}

/// `print!` through [`text`]: returns early with the [`Failure`] of a failed write.
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::stdout::text(&format!($($arg)*))?
    };
}

/// `println!` through [`text`], like [`out!`].
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::stdout::text(&format!("{}\n", format_args!($($arg)*)))?
    };
}
