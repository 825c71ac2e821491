//! Shell integration generated from the clap definitions (completions, man pages), colour
//! (`--color`, `NO_COLOR`), `-q/--quiet`, and one `--format` convention across commands.

use std::process::Command;

use xborder_tests::{binary, root, run};

#[test]
fn completions_cover_every_command() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = run(&["completions", shell]);
        assert_eq!(out.code, 0, "{shell}: {}", out.stderr);
        for command in [
            "check", "import", "notice", "ropa", "ccpa", "graph", "schema",
        ] {
            assert!(
                out.stdout.contains(command),
                "{shell} completion lacks {command}"
            );
        }
    }
    assert_eq!(
        run(&["completions", "tcsh"]).code,
        2,
        "unknown shells are refused"
    );
}

#[test]
fn man_pages_come_from_the_command_line_definition() {
    let page = run(&["man"]);
    assert_eq!(page.code, 0, "{}", page.stderr);
    assert!(
        page.stdout.contains(".TH xborder 1"),
        "{}",
        &page.stdout[..200.min(page.stdout.len())]
    );
    assert!(page.stdout.contains("notice"));
    let dir = tempfile::tempdir().expect("tempdir");
    let out = run(&["man", "--out", &dir.path().to_string_lossy()]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    for name in [
        "xborder.1",
        "xborder-check.1",
        "xborder-notice-check.1",
        "xborder-import-fides.1",
    ] {
        let text = std::fs::read_to_string(dir.path().join(name))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(text.contains(".TH"), "{name}");
    }
    let fides = std::fs::read_to_string(dir.path().join("xborder-import-fides.1")).expect("page");
    assert!(fides.contains("\\-\\-out"), "options are documented");
}

fn run_env(args: &[&str], no_color: Option<&str>) -> (i32, String) {
    let mut command = Command::new(binary());
    command
        .args(args)
        .current_dir(root())
        .env_remove("NO_COLOR");
    if let Some(v) = no_color {
        command.env("NO_COLOR", v);
    }
    let out = command.output().expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn colour_follows_the_flag_and_no_color() {
    let missing = ["validate", "no/such/map.yaml"];
    let (code, always) = run_env(&["--color", "always", missing[0], missing[1]], Some("1"));
    assert_eq!(code, 2);
    assert!(
        always.contains("\u{1b}[1;31merror:\u{1b}[0m"),
        "--color always wins: {always:?}"
    );
    let (_, never) = run_env(&["--color=never", missing[0], missing[1]], None);
    assert!(!never.contains('\u{1b}'), "{never:?}");
    // Not a terminal: auto means no colour, and NO_COLOR keeps it off.
    let (_, auto) = run_env(&missing, None);
    assert!(!auto.contains('\u{1b}'), "{auto:?}");
    let (_, env) = run_env(&missing, Some("1"));
    assert!(!env.contains('\u{1b}'), "{env:?}");
    // A notice check under --color always colours its verdict words.
    let out = run(&[
        "--color",
        "always",
        "notice",
        "check",
        "tests/data/notices/2021-01-privacy-notice.txt",
        "--effective",
        "2021-01-01",
    ]);
    assert!(
        out.stdout.contains("\u{1b}[1;31merror\u{1b}[0m"),
        "{}",
        out.stdout
    );
}

#[test]
fn format_is_one_flag_with_checked_values_everywhere() {
    let map = "data/coursera/2021-01.yaml";
    let notice = "tests/data/notices/2021-01-privacy-notice.txt";
    let cases: Vec<(Vec<&str>, &[&str])> = vec![
        (vec!["validate", map], &["human", "json"]),
        (
            vec!["check", map, "--as-of", "2021-01-01"],
            &["human", "json", "sarif", "junit", "github"],
        ),
        (
            vec!["graph", map, "--as-of", "2021-01-01"],
            &["dot", "mermaid"],
        ),
        (
            vec!["ropa", map, "--as-of", "2021-01-01"],
            &["md", "csv", "json"],
        ),
        (vec!["ccpa", map], &["md", "csv", "json"]),
        (
            vec!["notice", "check", notice, "--effective", "2021-01-01"],
            &["human", "json"],
        ),
        (vec!["rules", "--as-of", "2021-01-01"], &["human", "json"]),
    ];
    for (args, formats) in cases {
        for format in formats {
            let mut a = args.clone();
            a.extend_from_slice(&["--format", format]);
            let out = run(&a);
            assert!(out.code == 0 || out.code == 1, "{a:?}: {}", out.stderr);
            assert!(!out.stdout.is_empty(), "{a:?}");
            if *format == "json" || *format == "sarif" {
                let _ = out.json();
            }
        }
        let mut bad = args.clone();
        bad.extend_from_slice(&["--format", "yaml"]);
        let out = run(&bad);
        assert_eq!(out.code, 2, "{bad:?} must refuse an unknown format");
        assert!(out.stderr.contains("possible values"), "{}", out.stderr);
    }
}
