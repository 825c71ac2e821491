//! Reading inputs: files, the rulebook (built-in plus `--rules DIR`), data maps.

use std::fmt;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use xborder_law::Rulebook;
use xborder_model::{Diagnostic, DiagnosticLevel, Map};

use crate::cli::Global;
use crate::diagnostics;
use crate::output::unusable::UnusableInput;

/// Why a command could not run (exit code 2). The text is complete: it says what is wrong
/// and how to fix it.
pub struct Failure {
    pub message: String,
    /// The input that could not be used (a map, an acceptance file, the rulebook) with its
    /// problems: a command with a machine format writes them in that format too
    /// ([`unusable::report`](crate::output::unusable::report)).
    pub unusable: Option<Box<UnusableInput>>,
}

impl fmt::Debug for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message.trim_end())
    }
}

impl Failure {
    pub fn new(message: impl Into<String>) -> Self {
        Failure {
            message: message.into(),
            unusable: None,
        }
    }
}

/// Reads a UTF-8 text file, or says plainly why not.
pub fn read_text(path: &Path) -> Result<String, Failure> {
    utf8_text(path, read_bytes(path)?)
}

/// Reads a file's bytes, or says plainly why not.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, Failure> {
    std::fs::read(path).map_err(|e| {
        Failure::new(format!(
            "error: cannot read {}: {}\n  hint: check the path and that the file is readable",
            path.display(),
            io_reason(&e)
        ))
    })
}

/// The bytes read from `path` as UTF-8 text, or where they are not.
pub fn utf8_text(path: &Path, bytes: Vec<u8>) -> Result<String, Failure> {
    String::from_utf8(bytes).map_err(|e| {
        let (line, column) = line_col(&e.as_bytes()[..e.utf8_error().valid_up_to()]);
        Failure::new(format!(
            "error: {}:{line}:{column}: the file is not UTF-8 text\n  hint: save it as UTF-8",
            path.display()
        ))
    })
}

fn line_col(valid: &[u8]) -> (usize, usize) {
    let text = String::from_utf8_lossy(valid);
    let line = text.matches('\n').count() + 1;
    let column = text.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string(),
    }
}

/// SHA-256 of bytes, lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The rulebook in use: the built-in one, with `--rules DIR` files replacing (same name) or
/// extending it.
pub fn rulebook(global: &Global) -> Result<Rulebook, Failure> {
    let mut files = Vec::new();
    if let Some(dir) = &global.rules {
        let entries = std::fs::read_dir(dir).map_err(|e| {
            Failure::new(format!(
                "error: cannot read rulebook directory {}: {}\n  hint: --rules takes a directory of .yaml files",
                dir.display(),
                io_reason(&e)
            ))
        })?;
        let mut paths: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
            .collect();
        paths.sort();
        for path in paths {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            files.push((name, read_text(&path)?));
        }
    }
    let result = if files.is_empty() {
        Rulebook::embedded()
    } else {
        Rulebook::embedded_with_overrides(files)
    };
    result.map_err(|mut errors| {
        let dir = global
            .rules
            .as_ref()
            .map(|d| d.display().to_string())
            .unwrap_or_else(|| "the built-in rulebook".to_string());
        let mut text = format!("error: the rulebook ({dir}) is invalid:\n");
        for e in &mut errors {
            // A file of --rules DIR is named by its path, so that the location can be opened.
            if let (Some(dir), Some(file)) = (&global.rules, &e.file)
                && dir.join(file).is_file()
            {
                e.file = Some(dir.join(file).display().to_string());
            }
            text.push_str(&format!("  {e}\n"));
        }
        Failure {
            message: text,
            unusable: Some(Box::new(UnusableInput::rulebook(dir, &errors))),
        }
    })
}

/// A map file read and validated.
pub struct LoadedMap {
    /// The path as given on the command line (used in every location).
    pub path: String,
    pub text: String,
    pub sha256: String,
    pub map: Option<Map>,
    pub diagnostics: Vec<Diagnostic>,
    /// What the file is, for messages: "data map", "risk acceptance file".
    pub what: &'static str,
}

impl LoadedMap {
    pub fn errors(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.level == DiagnosticLevel::Error)
            .count()
    }
}

/// Reads and validates one map file; I/O problems are a [`Failure`], content problems are
/// diagnostics.
pub fn load_map(path: &Path, rulebook: &Rulebook) -> Result<LoadedMap, Failure> {
    let text = read_text(path)?;
    Ok(load_text(path.display().to_string(), text, rulebook))
}

/// Validates map text read from anywhere (a file, `git show`).
pub fn load_text(path: String, text: String, rulebook: &Rulebook) -> LoadedMap {
    let vocabulary = xborder_engine::vocabulary(rulebook);
    let syntax = xborder_model::Syntax::of_file(&path);
    // The file's hash is taken on another core while the map is read: a tenth of a second
    // of a million-flow map's loading otherwise.
    let ((map, diagnostics), sha256) = std::thread::scope(|scope| {
        let hash = scope.spawn(|| sha256_hex(text.as_bytes()));
        let loaded = xborder_model::load_as(syntax, &text, &vocabulary);
        match hash.join() {
            Ok(sha256) => (loaded, sha256),
            Err(panic) => std::panic::resume_unwind(panic),
        }
    });
    LoadedMap {
        path,
        sha256,
        text,
        map,
        diagnostics,
        what: "data map",
    }
}

/// Loads a map that must be valid for the command to go on; otherwise the failure carries
/// every diagnostic, rendered.
pub fn valid_map(path: &Path, rulebook: &Rulebook) -> Result<(LoadedMap, Map), Failure> {
    valid(load_map(path, rulebook)?)
}

/// A base map given as a path or as `git:REF:PATH` (read with `git show REF:PATH`).
pub fn base_map(spec: &str, rulebook: &Rulebook) -> Result<(LoadedMap, Map), Failure> {
    let Some(rest) = spec.strip_prefix("git:") else {
        return valid_map(Path::new(spec), rulebook);
    };
    let Some((rev, path)) = rest.split_once(':') else {
        return Err(Failure::new(format!(
            "error: --base \"{spec}\" is not git:REF:PATH\n  hint: e.g. git:origin/main:data/map.yaml"
        )));
    };
    let output = std::process::Command::new("git")
        .args(["show", &format!("{rev}:{path}")])
        .output()
        .map_err(|e| Failure::new(format!("error: cannot run git for --base {spec}: {e}\n  hint: install git or pass a file path")))?;
    if !output.status.success() {
        return Err(Failure::new(format!(
            "error: git show {rev}:{path} failed: {}\n  hint: check that the revision and the path exist",
            String::from_utf8_lossy(&output.stderr).trim()
        )));
    }
    let text = String::from_utf8(output.stdout)
        .map_err(|_| Failure::new(format!("error: {rev}:{path} is not UTF-8 text")))?;
    valid(load_text(format!("{rev}:{path}"), text, rulebook))
}

fn valid(mut loaded: LoadedMap) -> Result<(LoadedMap, Map), Failure> {
    match loaded.map.take() {
        Some(map) => {
            if !loaded.diagnostics.is_empty() && !crate::style::quiet() {
                eprint!("{}", diagnostics::human(&loaded));
            }
            Ok((loaded, map))
        }
        None => Err(invalid(loaded)),
    }
}

/// The failure of a file with errors: every diagnostic, rendered, then the headline.
fn invalid(loaded: LoadedMap) -> Failure {
    let input = UnusableInput::file(&loaded);
    Failure {
        message: format!("{}error: {}", diagnostics::human(&loaded), input.headline()),
        unusable: Some(Box::new(input)),
    }
}

/// A risk acceptance file read and validated.
pub struct AcceptanceFile {
    /// The path as given on the command line.
    pub path: String,
    pub sha256: String,
    pub list: Vec<xborder_model::Acceptance>,
}

/// Reads and validates a risk acceptance file against the map it is about, or fails with
/// every problem (the failure carries them for the machine formats, as for a map).
pub fn acceptances(path: &Path, map: &Map, rulebook: &Rulebook) -> Result<AcceptanceFile, Failure> {
    let text = read_text(path)?;
    let vocabulary = xborder_engine::vocabulary(rulebook);
    let codes: Vec<&str> = xborder_law::Code::ALL.iter().map(|c| c.as_str()).collect();
    let regimes: Vec<&str> = rulebook.regimes.iter().map(|r| r.id.as_str()).collect();
    let (acceptances, diagnostics) =
        xborder_model::load_acceptances(&text, &vocabulary, map, &codes, &regimes);
    let loaded = LoadedMap {
        path: path.display().to_string(),
        sha256: sha256_hex(text.as_bytes()),
        text,
        map: None,
        diagnostics,
        what: "risk acceptance file",
    };
    match acceptances {
        Some(list) => {
            if !loaded.diagnostics.is_empty() && !crate::style::quiet() {
                eprint!("{}", diagnostics::human(&loaded));
            }
            Ok(AcceptanceFile {
                path: loaded.path,
                sha256: loaded.sha256,
                list,
            })
        }
        None => Err(invalid(loaded)),
    }
}
