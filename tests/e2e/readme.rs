//! The README runs as written: every command line of its ```sh blocks is run, in order, with
//! bash, in a scratch directory where the repository's `data/`, `tests/` and `docs/` are
//! reachable under the same relative paths, with the built `xborder` first on the PATH. Each
//! must exit with `0`, or with the code the README documents for it. Nothing here lists
//! today's commands: they are read from the README.
//!
//! Lines are read as a shell reads them: a line ending in `\` continues on the next, and
//! `#` lines are comments (they document the commands below them, up to a blank line). Not
//! run, each for a reason the test prints:
//!
//! - set-up and installation: `cargo xtask …` and `cargo install …` lines, and the blocks of
//!   a section titled "Set up" or "Install…";
//! - a block showing a pattern for the reader's own files, with a placeholder in one of its
//!   commands: `…`, or a word in capitals such as `MAP` or `FILE.pdf` (its lines depend on each
//!   other, so the whole block is a pattern);
//! - a command reading a revision of the reader's repository (`git:REF:PATH`): the scratch
//!   directory is no clone with a remote;
//! - a command naming an absolute path (other than `/dev/…`): it reads or writes the reader's
//!   machine (installing completions or man pages), not the scratch directory;
//! - a command whose programs are not installed (`dot`, …), except under CI, where that fails.
//!
//! Exit codes: `0`, or `1` where the README documents it. The README's "Exit codes" paragraph
//! makes `1` the answer of the commands that judge — at least one finding of severity error:
//! `xborder check` (unless `--fail-on never`), `xborder vendor review` (a rejection, "exit 1 on
//! reject") and `xborder notice check` (a claim on an instrument not valid on the effective
//! date) — and a command whose README comment says `exit 1` may end so. Every other command,
//! `audit`, `verify`, `validate` and the shell commands included, must exit `0`.

#![cfg(unix)]

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use xborder_tests::{binary, root};

/// How long one README command may take.
const TIMEOUT: Duration = Duration::from_secs(300);

/// One command line of the README.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Line {
    /// Where it starts in README.md (from 1).
    number: usize,
    /// The command, continued lines joined.
    text: String,
    /// The comment lines above it, and its own trailing comment.
    comment: String,
    /// The title of the section it is in.
    section: String,
}

/// The command lines of one ```sh block.
#[derive(Debug, Default)]
struct Block {
    lines: Vec<Line>,
}

/// The ```sh (or bash, shell) blocks of a Markdown document.
fn blocks(doc: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut section = String::new();
    let mut current: Option<Block> = None;
    let mut in_other_fence = false;
    let mut comment = String::new();
    let mut after_command = false;
    let mut pending: Option<Line> = None;
    for (i, raw) in doc.lines().enumerate() {
        let number = i + 1;
        let trimmed = raw.trim();
        if let Some(info) = trimmed.strip_prefix("```") {
            if let Some(block) = current.take() {
                out.push(block);
                continue;
            }
            if in_other_fence {
                in_other_fence = false;
                continue;
            }
            if matches!(info.trim(), "sh" | "bash" | "shell") {
                current = Some(Block::default());
                comment.clear();
                after_command = false;
            } else {
                in_other_fence = true;
            }
            continue;
        }
        let Some(block) = current.as_mut() else {
            if !in_other_fence && trimmed.starts_with('#') {
                section = trimmed.trim_start_matches('#').trim().to_string();
            }
            continue;
        };
        if let Some(mut line) = pending.take() {
            let (text, more) = continued(raw);
            line.text.push(' ');
            line.text.push_str(text.trim());
            if more {
                pending = Some(line);
            } else {
                finish(block, line);
            }
            continue;
        }
        if trimmed.is_empty() {
            comment.clear();
            after_command = false;
        } else if let Some(text) = trimmed.strip_prefix('#') {
            if after_command {
                comment.clear();
                after_command = false;
            }
            comment.push_str(text.trim());
            comment.push('\n');
        } else {
            after_command = true;
            let (text, more) = continued(raw);
            let line = Line {
                number,
                text: text.trim().to_string(),
                comment: comment.clone(),
                section: section.clone(),
            };
            if more {
                pending = Some(line);
            } else {
                finish(block, line);
            }
        }
    }
    out
}

/// A line without its continuation backslash, and whether it continues.
fn continued(line: &str) -> (&str, bool) {
    let line = line.trim_end();
    match line.strip_suffix('\\') {
        Some(text) => (text, true),
        None => (line, false),
    }
}

/// Adds a command line to its block, its trailing comment moved to its comment.
fn finish(block: &mut Block, mut line: Line) {
    if let Some(at) = trailing_comment(&line.text) {
        line.comment.push_str(line.text[at + 1..].trim());
        line.comment.push('\n');
        line.text = line.text[..at].trim_end().to_string();
    }
    block.lines.push(line);
}

/// Where a `#` comment starts in a command: after white space, outside quotes.
fn trailing_comment(text: &str) -> Option<usize> {
    let mut quote = None;
    let mut previous = ' ';
    for (i, c) in text.char_indices() {
        match (quote, c) {
            (None, '\'' | '"') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '#') if previous.is_whitespace() => return Some(i),
            _ => {}
        }
        previous = c;
    }
    None
}

/// The words of a command outside its quotes' contents, as the shell splits them roughly:
/// enough to find programs, operands and placeholders.
fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut quote = None;
    for c in text.chars() {
        match (quote, c) {
            (None, '\'' | '"') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, c) if c.is_whitespace() => {
                if !word.is_empty() {
                    out.push(std::mem::take(&mut word));
                }
            }
            _ => word.push(c),
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

/// The simple commands of a line (split at `|`, `&&`, `||` and `;`), each as its words
/// without the leading variable assignments.
fn simple_commands(text: &str) -> Vec<Vec<String>> {
    let mut out = vec![Vec::new()];
    for word in words(text) {
        if matches!(word.as_str(), "|" | "&&" | "||" | ";") {
            out.push(Vec::new());
        } else if let Some(current) = out.last_mut() {
            let assignment = current.is_empty()
                && word.split_once('=').is_some_and(|(name, _)| {
                    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                });
            if !assignment {
                current.push(word);
            }
        }
    }
    out.retain(|c| !c.is_empty());
    out
}

/// A placeholder the reader fills in: `…`, or a word in capitals such as `MAP`, `DIR` or
/// `FILE.pdf`.
fn placeholder(line: &Line) -> Option<String> {
    if line.text.contains('…') {
        return Some("…".to_string());
    }
    words(&line.text).into_iter().find(|w| {
        let stem = w.split_once('.').map_or(w.as_str(), |(stem, _)| stem);
        stem.len() >= 2
            && !w.contains('=')
            && stem.chars().all(|c| c.is_ascii_uppercase() || c == '_')
    })
}

/// The first two words of an `xborder` command after the global flags (`check MAP`,
/// `vendor review`), if the simple command runs xborder.
fn xborder_words(words: &[String]) -> Option<(&str, &str)> {
    let (program, rest) = words.split_first()?;
    if program != "xborder" {
        return None;
    }
    let mut operands = Vec::new();
    let mut skip_value = false;
    for w in rest {
        if skip_value {
            skip_value = false;
        } else if w == "--rules" || w == "--color" {
            skip_value = true;
        } else if !w.starts_with('-') {
            operands.push(w.as_str());
        }
    }
    Some((
        operands.first().copied().unwrap_or(""),
        operands.get(1).copied().unwrap_or(""),
    ))
}

/// Why a command is not run, if it is not.
fn not_run(line: &Line, block_placeholder: Option<&str>) -> Option<String> {
    let section = line.section.to_lowercase();
    if section.starts_with("set up")
        || section.starts_with("setup")
        || section.starts_with("install")
    {
        return Some(format!("in the section \"{}\"", line.section));
    }
    for command in simple_commands(&line.text) {
        if command[0] == "cargo"
            && matches!(
                command.get(1).map(String::as_str),
                Some("xtask" | "install")
            )
        {
            return Some("set-up or installation".to_string());
        }
    }
    if let Some(p) = block_placeholder {
        return Some(format!("its block is a pattern (placeholder `{p}`)"));
    }
    let words = words(&line.text);
    if words.iter().any(|w| w.starts_with("git:")) {
        return Some("reads a revision of the reader's repository (git:REF:PATH)".to_string());
    }
    if let Some(path) = words.iter().find_map(|w| {
        let path = w.trim_start_matches(['0', '1', '2', '&', '<', '>']);
        (path.starts_with('/') && !path.starts_with("/dev/")).then_some(path)
    }) {
        return Some(format!("names {path}, outside the working directory"));
    }
    None
}

/// The exit codes a command may end with: see the module's documentation.
fn allowed_codes(line: &Line) -> Vec<i32> {
    let documented = line.comment.contains("exit 1") || line.comment.contains("exits 1");
    let judging = simple_commands(&line.text).iter().any(|command| {
        let never = command
            .windows(2)
            .any(|w| w[0] == "--fail-on" && w[1] == "never")
            || command.iter().any(|w| w == "--fail-on=never");
        match xborder_words(command) {
            Some(("check", _)) => !never,
            Some(("vendor", "review") | ("notice", "check")) => true,
            _ => false,
        }
    });
    if documented || judging {
        vec![0, 1]
    } else {
        vec![0]
    }
}

/// The programs of a command that cannot be found on `path`.
fn missing_programs(line: &Line, path: &str) -> Vec<String> {
    let mut out = Vec::new();
    for command in simple_commands(&line.text) {
        let program = &command[0];
        let found = Command::new("bash")
            .args(["-c", "command -v -- \"$1\" >/dev/null", "bash", program])
            .env("PATH", path)
            .status()
            .is_ok_and(|s| s.success());
        if !found {
            out.push(program.clone());
        }
    }
    out
}

/// Runs one command with bash in `dir`; its exit code (`None` when it timed out or died of a
/// signal) and its standard error.
fn run_line(line: &Line, dir: &Path, path: &str, home: &Path, log: &Path) -> (Option<i32>, String) {
    let stderr = std::fs::File::create(log).expect("create the stderr log");
    let mut child = Command::new("bash")
        .args(["-o", "pipefail", "-c", &line.text])
        .current_dir(dir)
        .env("PATH", path)
        .env("HOME", home)
        .env("NO_COLOR", "1")
        .env_remove("SOURCE_DATE_EPOCH")
        .env_remove("XBORDER_KEY_PASSPHRASE")
        .env_remove("GITHUB_STEP_SUMMARY")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(stderr)
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run bash: {e}"));
    let start = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if start.elapsed() > TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(50)),
            Err(e) => panic!("cannot wait for bash: {e}"),
        }
    };
    let text = std::fs::read_to_string(log).unwrap_or_default();
    (status.and_then(|s| s.code()), text)
}

/// The last `n` lines of a text.
fn tail(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

#[test]
fn every_command_of_the_readme_runs_as_written() {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("read README.md");
    let scratch = tempfile::tempdir().expect("scratch directory");
    let work = scratch.path().join("work");
    let bin = scratch.path().join("bin");
    let home = scratch.path().join("home");
    for dir in [&work, &bin, &home] {
        std::fs::create_dir_all(dir).expect("create the scratch directories");
    }
    for shared in ["data", "tests", "docs"] {
        std::os::unix::fs::symlink(root().join(shared), work.join(shared))
            .expect("link the repository's files");
    }
    std::os::unix::fs::symlink(binary(), bin.join("xborder")).expect("link the binary");
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let log = scratch.path().join("stderr.log");
    let (mut ran, mut failures) = (0, Vec::new());
    for block in blocks(&readme) {
        let pattern = block.lines.iter().find_map(placeholder);
        for line in &block.lines {
            let at = format!("README.md:{}", line.number);
            if let Some(why) = not_run(line, pattern.as_deref()) {
                eprintln!("notice: {at} not run, {why}: {}", line.text);
                continue;
            }
            let missing = missing_programs(line, &path);
            if !missing.is_empty() {
                assert!(
                    std::env::var_os("CI").is_none(),
                    "{at}: {} not installed (.ci/run installs what the README uses): {}",
                    missing.join(", "),
                    line.text
                );
                eprintln!(
                    "notice: {at} not run, {} not installed: {}",
                    missing.join(", "),
                    line.text
                );
                continue;
            }
            ran += 1;
            let allowed = allowed_codes(line);
            let (code, stderr) = run_line(line, &work, &path, &home, &log);
            if !code.is_some_and(|c| allowed.contains(&c)) {
                failures.push(format!(
                    "{at}: `{}` exited {} (the README documents {:?})\n{}",
                    line.text,
                    code.map_or_else(
                        || "by a signal or after the time limit".to_string(),
                        |c| c.to_string()
                    ),
                    allowed,
                    tail(&stderr, 30)
                ));
            }
        }
    }
    eprintln!("ran {ran} command(s) of README.md");
    assert!(ran > 0, "no command of README.md was run");
    assert!(
        failures.is_empty(),
        "README.md commands that do not run as written ({} of {ran}):\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

/// How the README is read: continued lines, comments above and after a command, blocks of
/// other languages, patterns, and which commands may exit 1.
#[test]
fn the_readme_is_read_as_a_shell_reads_it() {
    let doc = "## Install\n\n```sh\ncargo install --path x\n```\n\n## Use\n\n```yaml\n# not a heading\n```\n\n\
               ```sh\n# Judge a map (exit 1 when it finds errors).\nxborder check a.yaml \\\n  --as-of 2021-01-01\n\
               xborder validate a.yaml   # fine\n\n# Draw it.\nxborder graph a.yaml | dot -Tsvg > a.svg\n\
               xborder check a.yaml --fail-on never\nxborder completions bash > /etc/x\n\
               xborder check git:origin/main:a.yaml\n```\n\n```sh\nopenssl x -in key.pem\nA=… xborder audit MAP\n```\n";
    let blocks = blocks(doc);
    assert_eq!(blocks.len(), 3, "{blocks:#?}");
    let lines = &blocks[1].lines;
    let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "xborder check a.yaml --as-of 2021-01-01",
            "xborder validate a.yaml",
            "xborder graph a.yaml | dot -Tsvg > a.svg",
            "xborder check a.yaml --fail-on never",
            "xborder completions bash > /etc/x",
            "xborder check git:origin/main:a.yaml",
        ]
    );
    assert_eq!(lines[0].number, 15);
    assert_eq!(
        lines[0].comment,
        "Judge a map (exit 1 when it finds errors).\n"
    );
    assert_eq!(
        lines[1].comment,
        "Judge a map (exit 1 when it finds errors).\nfine\n"
    );
    assert_eq!(lines[2].comment, "Draw it.\n");
    let codes: Vec<Vec<i32>> = lines.iter().map(allowed_codes).collect();
    assert_eq!(
        codes,
        [
            vec![0, 1],
            vec![0, 1],
            vec![0],
            vec![0],
            vec![0],
            vec![0, 1]
        ]
    );
    let reasons: Vec<bool> = lines.iter().map(|l| not_run(l, None).is_some()).collect();
    assert_eq!(reasons, [false, false, false, false, true, true]);
    assert!(
        not_run(&blocks[0].lines[0], None).is_some(),
        "the install section"
    );
    assert_eq!(
        blocks[2].lines.iter().find_map(placeholder).as_deref(),
        Some("…")
    );
    assert_eq!(blocks[1].lines.iter().find_map(placeholder), None);
    assert_eq!(
        simple_commands("A=1 B=2 xborder graph m | dot -Tsvg && mkdir x"),
        [
            vec!["xborder", "graph", "m"],
            vec!["dot", "-Tsvg"],
            vec!["mkdir", "x"]
        ]
    );
}
