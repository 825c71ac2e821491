//! Writing output files safely: to a temporary file in the same directory, then moved into
//! place, so that an interrupted run never leaves a half-written report and an existing file
//! is replaced only on purpose.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, Once};

use crate::input::Failure;

/// Refuses to replace an existing file unless `force` is set. Call before any work.
pub fn check_target(path: &Path, force: bool) -> Result<(), Failure> {
    if path.exists() && !force {
        return Err(exists(path));
    }
    if path.is_dir() {
        return Err(Failure::new(format!(
            "error: {} is a directory\n  hint: --out takes a file name",
            path.display()
        )));
    }
    Ok(())
}

fn exists(path: &Path) -> Failure {
    Failure::new(format!(
        "error: {} already exists\n  hint: pass --force to overwrite it, or choose another --out",
        path.display()
    ))
}

/// The temporary file being written, if any: removed by the signal handler when the run is
/// interrupted, so that Ctrl-C or a `kill` leaves nothing behind.
static PENDING: Mutex<Option<PathBuf>> = Mutex::new(None);

fn set_pending(temp: Option<PathBuf>) {
    if let Ok(mut pending) = PENDING.lock() {
        *pending = temp;
    }
}

/// Installs, once, a handler for SIGINT, SIGTERM and SIGHUP (Ctrl-C on Windows) that
/// removes the temporary file being written and exits with 130, as an interrupted command
/// does. Installed only when a file is about to be written, so that everything before
/// (prompts included) keeps the default behaviour.
fn clean_up_on_interrupt() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        // Without a handler an interruption can leave the temporary file, which is all the
        // handler is for: failing to install it is no reason to refuse the write.
        let _ = ctrlc::set_handler(|| {
            if let Ok(mut pending) = PENDING.lock()
                && let Some(temp) = pending.take()
            {
                let _ = std::fs::remove_file(temp);
            }
            std::process::exit(130);
        });
    });
}

/// Writes `bytes` to `path` atomically: a temporary file in the same directory, synced, then
/// moved into place. `private` makes the file readable by its owner only (keys). Without
/// `replace`, an existing file is never overwritten, even one that appeared after
/// [`check_target`]: the file is linked into place, which fails if the name is taken.
pub fn write_atomic(
    path: &Path,
    bytes: &[u8],
    private: bool,
    replace: bool,
) -> Result<(), Failure> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let fail = |what: &str, e: std::io::Error| {
        let _ = std::fs::remove_file(&temp);
        set_pending(None);
        Failure::new(format!(
            "error: cannot {what} {}: {e}\n  hint: check that the directory exists and is writable",
            path.display()
        ))
    };
    clean_up_on_interrupt();
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    if private {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    #[cfg(not(unix))]
    let _ = private;
    set_pending(Some(temp.clone()));
    let mut file = options.open(&temp).map_err(|e| fail("write", e))?;
    file.write_all(bytes).map_err(|e| fail("write", e))?;
    file.sync_all().map_err(|e| fail("write", e))?;
    drop(file);
    if replace {
        std::fs::rename(&temp, path).map_err(|e| fail("replace", e))?;
    } else {
        match std::fs::hard_link(&temp, path) {
            Ok(()) => {
                let _ = std::fs::remove_file(&temp);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                let _ = std::fs::remove_file(&temp);
                set_pending(None);
                return Err(exists(path));
            }
            // File systems without hard links: check, then rename.
            Err(_) if path.exists() => {
                let _ = std::fs::remove_file(&temp);
                set_pending(None);
                return Err(exists(path));
            }
            Err(_) => std::fs::rename(&temp, path).map_err(|e| fail("write", e))?,
        }
    }
    set_pending(None);
    Ok(())
}
