//! Writing output files safely: to a temporary file in the same directory, then renamed
//! into place, so that an interrupted run never leaves a half-written report and an
//! existing file is replaced only on purpose.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::input::Failure;

/// Refuses to replace an existing file unless `force` is set. Call before any work.
pub fn check_target(path: &Path, force: bool) -> Result<(), Failure> {
    if path.exists() && !force {
        return Err(Failure::new(format!(
            "error: {} already exists\n  hint: pass --force to overwrite it, or choose another --out",
            path.display()
        )));
    }
    if path.is_dir() {
        return Err(Failure::new(format!(
            "error: {} is a directory\n  hint: --out takes a file name",
            path.display()
        )));
    }
    Ok(())
}

/// Writes `bytes` to `path` atomically (temp file + rename in the same directory).
/// `private` makes the file readable by its owner only (keys).
pub fn write_atomic(path: &Path, bytes: &[u8], private: bool) -> Result<(), Failure> {
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
        Failure::new(format!(
            "error: cannot {what} {}: {e}\n  hint: check that the directory exists and is writable",
            path.display()
        ))
    };
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    if private {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    #[cfg(not(unix))]
    let _ = private;
    let mut file = options.open(&temp).map_err(|e| fail("write", e))?;
    file.write_all(bytes).map_err(|e| fail("write", e))?;
    file.sync_all().map_err(|e| fail("write", e))?;
    drop(file);
    std::fs::rename(&temp, path).map_err(|e| fail("replace", e))
}
