//! No absolute path of a machine in the repository: a tracked file (`git ls-files`) may not
//! name a directory under the machine roots `work`, `farm`, `root`, `home`, `tmp` or `Users`
//! at the filesystem root, where a build, a test run or a person's checkout once lived. Such a
//! path works on one machine only, and says where it was. The pattern is the regular expression
//! `(^|[\s"'(\x60=])/(work|farm|root|home|tmp|Users)/` on each line; `Cargo.lock` and the fuzzing
//! seeds (`fuzz/seeds/`, inputs kept as they were found) are not read.

use std::path::Path;
use std::process::Command;

use xborder_tests::root;

/// The machine roots a path may not start with.
const MACHINE_ROOTS: [&str; 6] = ["work", "farm", "root", "home", "tmp", "Users"];

/// Files that are not read.
fn excluded(path: &str) -> bool {
    path == "Cargo.lock" || path.starts_with("fuzz/seeds/")
}

/// Whether `line` names an absolute path under a machine root: `/ROOT/` at the start of the
/// line or after white space, a quote, `(`, a backtick or `=`.
fn names_machine_path(line: &[u8]) -> bool {
    line.iter().enumerate().any(|(i, &b)| {
        let boundary = i == 0
            || matches!(
                line[i - 1],
                b' ' | b'\t' | b'\r' | 0x0b | 0x0c | b'"' | b'\'' | b'(' | b'`' | b'='
            );
        let rest = &line[i + 1..];
        b == b'/'
            && boundary
            && MACHINE_ROOTS
                .iter()
                .any(|r| rest.starts_with(r.as_bytes()) && rest.get(r.len()) == Some(&b'/'))
    })
}

/// `file:line: text` of every line of `files` (relative to `root`) that names a machine path.
fn offences(root: &Path, files: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for file in files.iter().filter(|f| !excluded(f)) {
        // A tracked file deleted in the working tree has nothing to check.
        let Ok(bytes) = std::fs::read(root.join(file)) else {
            continue;
        };
        for (n, line) in bytes.split(|&b| b == b'\n').enumerate() {
            if names_machine_path(line) {
                let text = String::from_utf8_lossy(line);
                let text: String = text.trim().chars().take(160).collect();
                out.push(format!("{file}:{}: {text}", n + 1));
            }
        }
    }
    out
}

/// The tracked files, or `None` outside a git checkout.
fn tracked_files(root: &Path) -> Option<Vec<String>> {
    let output = Command::new("git")
        .args(["ls-files", "-z"])
        .current_dir(root)
        .output()
        .ok()
        .filter(|o| o.status.success())?;
    Some(
        output
            .stdout
            .split(|&b| b == 0)
            .filter(|f| !f.is_empty())
            .map(|f| String::from_utf8_lossy(f).into_owned())
            .collect(),
    )
}

#[test]
fn no_tracked_file_names_an_absolute_machine_path() {
    let root = root();
    let Some(files) = tracked_files(&root) else {
        assert!(
            std::env::var_os("CI").is_none(),
            "under CI the tests run in a git checkout"
        );
        eprintln!("notice: not a git checkout; the absolute path check is skipped");
        return;
    };
    assert!(!files.is_empty(), "git ls-files lists no file");
    let found = offences(&root, &files);
    assert!(
        found.is_empty(),
        "absolute paths of a machine in tracked files; write them relative to the repository \
         (or to the file) instead:\n{}",
        found.join("\n")
    );
}

/// The check finds each kind of machine path where a path can start, reports its file and
/// line, and leaves alone what only looks like one: URLs, relative paths, other roots, and the
/// files it does not read.
#[test]
fn the_check_finds_absolute_machine_paths() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let p = |r: &str| format!("/{r}/x");
    let text = [
        format!("cd {}", p("work")),                         // 1: after a space
        p("home"),                                           // 2: at the start of the line
        format!("see \"{}\" and '{}'", p("tmp"), p("farm")), // 3: in quotes
        format!("(`{}`)", p("Users")),                       // 4: in a code span
        format!("HOME={}", p("root")),                       // 5: after `=`
        "https://example.invalid/home/x and a/work/x".to_string(), // 6: not absolute
        "/usr/local/share and /etc/x and /dev/null".to_string(), // 7: other roots
        format!("{}s/x and /tmpx/", p("home").trim_end_matches("/x")), // 8: not a machine root
    ]
    .join("\n");
    std::fs::write(dir.path().join("notes.md"), &text).expect("write the example");
    std::fs::create_dir_all(dir.path().join("fuzz/seeds")).expect("create the seeds");
    std::fs::write(dir.path().join("fuzz/seeds/input"), &text).expect("write a seed");
    std::fs::write(dir.path().join("Cargo.lock"), &text).expect("write a lock file");
    let files = ["notes.md", "fuzz/seeds/input", "Cargo.lock", "deleted.md"].map(String::from);
    let lines: Vec<String> = offences(dir.path(), &files)
        .iter()
        .map(|o| o.split(": ").next().unwrap_or("").to_string())
        .collect();
    assert_eq!(
        lines,
        [
            "notes.md:1",
            "notes.md:2",
            "notes.md:3",
            "notes.md:4",
            "notes.md:5"
        ]
    );
}
