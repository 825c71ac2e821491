//! The malformed-input corpus (`tests/malformed/`): every file is refused with exit code 2,
//! a message that names the file and a location in it, and no output file or temporary file
//! left behind. Each message is snapshotted.
//!
//! | folder       | run as                                                              |
//! |--------------|---------------------------------------------------------------------|
//! | `maps/`      | `audit FILE --unsigned --out OUT/report.pdf`                        |
//! | `intakes/`   | `vendor review FILE --map data/coursera/2021-01.yaml --unsigned --out OUT/memo.pdf` |
//! | `rulebooks/` | each case a directory: `audit MAP --rules DIR --unsigned --out OUT/report.pdf` |
//! | `keys/`      | `audit MAP --key FILE --cert tests/data/keys/signer.pem --out OUT/report.pdf`, with `XBORDER_KEY_PASSPHRASE` set |
//! | `certs/`     | `audit MAP --key <the demo key> --cert FILE --out OUT/report.pdf`    |
//! | `pdfs/`      | `verify FILE --trust tests/data/keys/ca.pem`                          |

use std::path::PathBuf;

use xborder_tests::{rel, root, run_env};

const MAP: &str = "tests/maps/valid/minimal.yaml";
const GENERATED: &str = "2026-01-01T00:00:00Z";
const PASSPHRASE: &str = "demo passphrase";

/// The cases of one folder of the corpus (files, or directories for rulebooks), sorted.
fn cases(kind: &str) -> Vec<PathBuf> {
    let dir = root().join("tests/malformed").join(kind);
    let mut out: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.file_name().is_some_and(|n| n != "README.md"))
        .collect();
    out.sort();
    out
}

/// `text` names `path`, or a file under it, followed by `:LINE` (and `:COLUMN` when `column`).
fn located(text: &str, path: &str, column: bool) -> bool {
    text.match_indices(path).any(|(at, _)| {
        // Past the path, and past the rest of a file name under a directory.
        let rest = &text[at + path.len()..];
        let rest = rest.trim_start_matches(|c: char| c != ':' && !c.is_whitespace());
        let mut numbers = rest.split(':').skip(1).map(|part| {
            let digits: String = part.chars().take_while(char::is_ascii_digit).collect();
            !digits.is_empty()
        });
        numbers.next() == Some(true) && (!column || numbers.next() == Some(true))
    })
}

/// A PDF message locates the problem: an object, a byte offset or a range of bytes.
fn pdf_located(text: &str) -> bool {
    ["object ", "byte ", "bytes", "objects"]
        .iter()
        .any(|w| text.contains(w))
}

struct Case {
    kind: &'static str,
    path: PathBuf,
}

fn check(case: &Case) {
    let out_dir = tempfile::tempdir().expect("temp dir");
    let key_dir = tempfile::tempdir().expect("temp dir");
    let out = out_dir.path();
    let file = rel(&case.path);
    let o = |name: &str| out.join(name).to_string_lossy().into_owned();
    // The demo key, owner-readable like a key should be (a checkout gives it the default
    // mode, and the warning about that is tested on its own).
    let key = key_dir.path().join("signer.key.pem");
    std::fs::copy(root().join("tests/data/keys/signer.key.pem"), &key).expect("copy key");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    }
    let key = key.to_string_lossy().into_owned();
    let report = o("report.pdf");
    let memo = o("memo.pdf");
    let audit = |extra: &[&str]| -> Vec<String> {
        let mut args: Vec<&str> = vec![
            "audit",
            MAP,
            "--as-of",
            "2024-01-01",
            "--generated-at",
            GENERATED,
            "--out",
            &report,
        ];
        args.extend_from_slice(extra);
        args.iter().map(|s| s.to_string()).collect()
    };
    let args: Vec<String> = match case.kind {
        "maps" => {
            let mut a = audit(&["--unsigned"]);
            a[1] = file.clone();
            a
        }
        "intakes" => [
            "vendor",
            "review",
            &file,
            "--map",
            "data/coursera/2021-01.yaml",
            "--as-of",
            "2026-11-25",
            "--generated-at",
            GENERATED,
            "--unsigned",
            "--out",
            &memo,
        ]
        .iter()
        .map(|s| s.to_string())
        .collect(),
        "rulebooks" => {
            let mut a = vec!["--rules".to_string(), file.clone()];
            a.extend(audit(&["--unsigned"]));
            a
        }
        "keys" => audit(&["--key", &file, "--cert", "tests/data/keys/signer.pem"]),
        "certs" => audit(&["--key", &key, "--cert", &file]),
        "pdfs" => ["verify", &file, "--trust", "tests/data/keys/ca.pem"]
            .iter()
            .map(|s| s.to_string())
            .collect(),
        other => panic!("unknown corpus folder {other}"),
    };
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let env: &[(&str, &str)] = if case.kind == "keys" {
        &[("XBORDER_KEY_PASSPHRASE", PASSPHRASE)]
    } else {
        &[]
    };
    let run = run_env(&root(), &args, env);
    let what = format!("{file} ({})", args.join(" "));

    assert_eq!(run.code, 2, "{what}: exit code\n{}", run.stderr);
    assert!(
        run.stderr.contains(&file),
        "{what}: the message does not name the file:\n{}",
        run.stderr
    );
    let is_located = match case.kind {
        "maps" | "intakes" => located(&run.stderr, &file, true),
        "rulebooks" => located(&run.stderr, &format!("{file}/"), true),
        "keys" | "certs" => located(&run.stderr, &file, false),
        _ => pdf_located(&run.stderr),
    };
    assert!(is_located, "{what}: no location in:\n{}", run.stderr);
    let left: Vec<String> = std::fs::read_dir(out)
        .expect("list output dir")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        left.is_empty(),
        "{what}: files left in the output directory: {left:?}"
    );

    let filter = |text: &str| {
        text.replace(&*out.to_string_lossy(), "[OUT]")
            .replace(&*key_dir.path().to_string_lossy(), "[KEYS]")
            .replace('\u{0}', "\u{2400}")
    };
    let text = filter(&run.stderr);
    let command = filter(&format!("xborder {}", args.join(" ")));
    let stem = case
        .path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("case");
    let name = format!("{}-{stem}", case.kind);
    insta::with_settings!({ snapshot_suffix => name, prepend_module_to_snapshot => false, description => command }, {
        insta::assert_snapshot!("malformed", text);
    });
}

#[test]
fn every_malformed_input_is_refused_with_a_located_message_and_nothing_written() {
    let mut all = Vec::new();
    for kind in ["maps", "intakes", "rulebooks", "keys", "certs", "pdfs"] {
        let found = cases(kind);
        assert!(
            found.len() >= 5,
            "tests/malformed/{kind}: at least 5 cases, found {}",
            found.len()
        );
        all.extend(found.into_iter().map(|path| Case { kind, path }));
    }
    assert!(all.len() >= 40, "at least 40 cases, found {}", all.len());
    for case in &all {
        check(case);
    }
}
