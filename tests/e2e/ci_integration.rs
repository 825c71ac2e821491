//! The CI integration the repository ships works as shipped: the GitHub Action (`action.yml`
//! and its script `ci/action/run.sh`), the pre-commit hooks (`.pre-commit-hooks.yaml` and
//! `ci/pre-commit/hook.sh`), and the examples in `docs/examples/`. The action, the hooks and
//! the GitLab job run as their CI systems would run them, in a scratch git repository with a
//! data map committed on a base branch and a change to it, the built `xborder` first on the
//! PATH (so nothing is built); the GitHub workflow is checked against the action's inputs, and
//! the GitLab job's `xborder` options against `xborder --help`.
//!
//! The action's steps run in order as the runner runs a composite action's `run:` steps
//! (`bash -eo pipefail`, the step's `env:` with its `${{ inputs.* }}` evaluated), until one
//! fails; `uses:` steps (the SARIF upload) are not run. Its `${{ }}` expressions are checked:
//! every input they use is declared, every declared input is used, and no `run:` text holds an
//! expression (an input reaches the shell only through `env:`, so it cannot inject a command).

#![cfg(unix)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use xborder_tests::{binary, root};

/// The date the scratch maps are judged on.
const AS_OF: &str = "2024-01-01";
/// The map's path in the scratch repositories.
const MAP: &str = "data/map.yaml";

/// A YAML file of the repository, read as YAML 1.2 (`on:` is a key, not `true`).
fn yaml(path: &str) -> Value {
    let text = std::fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
    yaml_text(&text, path)
}

fn yaml_text(text: &str, what: &str) -> Value {
    let options = serde_saphyr::options! { strict_booleans: true };
    serde_saphyr::from_str_with_options(text, options)
        .unwrap_or_else(|e| panic!("{what} is not YAML: {e}"))
}

fn text(value: &Value) -> &str {
    value.as_str().unwrap_or("")
}

/// A valid map: learners in the EEA, a US controller, its processor on 2021 SCCs.
fn base_map() -> String {
    std::fs::read_to_string(root().join("tests/maps/valid/minimal.yaml")).expect("minimal map")
}

/// The base map and a change that adds an unlawful transfer: an onward flow to a processor in
/// India without a mechanism (XB001 on flow `analytics`).
fn unlawful_map() -> String {
    let base = base_map();
    let with_entity = base.replacen(
        "\nflows:\n",
        "\n  tracker:\n    name: Tracker Pvt Ltd\n    kind: vendor\n    country: IN\n    \
         role: processor\nflows:\n",
        1,
    );
    assert_ne!(with_entity, base, "the minimal map has a flows section");
    format!(
        "{}\n  - id: analytics\n    from: acme\n    to: tracker\n    data: [email]\n",
        with_entity.trim_end()
    )
}

/// A risk acceptance of the unlawful flow's finding, in force on [`AS_OF`].
const ACCEPTANCE: &str = "format: 1\nacceptances:\n  - code: XB001\n    flow: analytics\n    \
                          accepted-by: Jane Roe, DPO\n    reason: Processor being replaced\n    \
                          until: 2024-06-30\n";

/// A scratch directory: a git repository (`repo/`) and room for the runner's files.
struct Scratch {
    dir: tempfile::TempDir,
}

impl Scratch {
    /// A repository whose branch `main` has `data/map.yaml` = the base map, checked out on a
    /// branch `change`.
    fn new() -> Self {
        let scratch = Scratch {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        std::fs::create_dir_all(scratch.repo().join("data")).expect("mkdir");
        scratch.git(&["init", "-q", "-b", "main"]);
        scratch.write(MAP, &base_map());
        scratch.write("README.md", "A data-map repository.\n");
        scratch.commit("the data map");
        scratch.git(&["checkout", "-q", "-b", "change"]);
        scratch
    }

    fn repo(&self) -> PathBuf {
        self.dir.path().join("repo")
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn write(&self, file: &str, text: &str) {
        std::fs::write(self.repo().join(file), text).unwrap_or_else(|e| panic!("{file}: {e}"));
    }

    fn commit(&self, message: &str) {
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "-m", message]);
    }

    /// Runs git in the repository; its stdout.
    fn git(&self, args: &[&str]) -> String {
        std::fs::create_dir_all(self.repo()).expect("mkdir");
        let output = self
            .command("git")
            .args(args)
            .output()
            .unwrap_or_else(|e| panic!("cannot run git: {e}"));
        assert!(
            output.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).trim().to_string()
    }

    /// `program` in the repository, with the built `xborder` first on the PATH, git on its
    /// own configuration, and no CI variables of the machine running the tests.
    fn command(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let bin_dir = binary().parent().map(Path::to_path_buf).expect("bin dir");
        let path = std::env::var_os("PATH").unwrap_or_default();
        let mut dirs = vec![bin_dir];
        dirs.extend(std::env::split_paths(&path));
        let mut command = Command::new(program);
        command
            .current_dir(self.repo())
            .env("PATH", std::env::join_paths(dirs).expect("PATH"))
            .env("NO_COLOR", "1")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_AUTHOR_NAME", "Test")
            .env("GIT_AUTHOR_EMAIL", "test@example.com")
            .env("GIT_COMMITTER_NAME", "Test")
            .env("GIT_COMMITTER_EMAIL", "test@example.com");
        for (key, _) in std::env::vars_os() {
            let key = key.to_string_lossy().into_owned();
            if key.starts_with("GITHUB_")
                || key.starts_with("RUNNER_")
                || key.starts_with("CI_")
                || key.starts_with("PRE_COMMIT")
                || key.starts_with("XBORDER")
                || matches!(
                    key.as_str(),
                    "GIT_DIR" | "GIT_WORK_TREE" | "GIT_INDEX_FILE" | "SOURCE_DATE_EPOCH"
                )
            {
                command.env_remove(&key);
            }
        }
        command
    }
}

/// What a command printed and how it ended.
struct Ran {
    code: i32,
    stdout: String,
    stderr: String,
}

fn ran(command: &mut Command) -> Ran {
    let output = command
        .output()
        .unwrap_or_else(|e| panic!("cannot run {command:?}: {e}"));
    Ran {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

// --- the GitHub Action ---------------------------------------------------------------------

/// The `${{ … }}` expressions of a text.
fn expressions(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("${{") {
        let after = &rest[start + 3..];
        let end = after
            .find("}}")
            .unwrap_or_else(|| panic!("unclosed expression in {text:?}"));
        out.push(after[..end].trim());
        rest = &after[end + 2..];
    }
    out
}

/// The input names an expression (or an `if:` condition) reads: `inputs.NAME`.
fn input_names(expression: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = expression;
    while let Some(i) = rest.find("inputs.") {
        let after = &rest[i + "inputs.".len()..];
        let end = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
            .unwrap_or(after.len());
        out.push(&after[..end]);
        rest = &after[end..];
    }
    out
}

/// Every string of a YAML document, with the key it is the value of (`""` in a list).
fn strings<'a>(value: &'a Value, key: &'a str, out: &mut Vec<(&'a str, &'a str)>) {
    match value {
        Value::String(s) => out.push((key, s)),
        Value::Array(items) => items.iter().for_each(|v| strings(v, key, out)),
        Value::Object(fields) => fields.iter().for_each(|(k, v)| strings(v, k, out)),
        _ => {}
    }
}

fn action() -> Value {
    yaml("action.yml")
}

fn steps(action: &Value) -> &Vec<Value> {
    action["runs"]["steps"].as_array().expect("runs.steps")
}

#[test]
fn action_inputs_are_declared_used_and_never_pasted_into_shell_text() {
    let action = action();
    assert_eq!(action["runs"]["using"], "composite");
    let declared: BTreeSet<&str> = action["inputs"]
        .as_object()
        .expect("inputs")
        .keys()
        .map(String::as_str)
        .collect();
    for required in ["map", "base-ref", "as-of", "fail-on", "horizon", "accept"] {
        assert!(declared.contains(required), "input {required} is missing");
    }
    assert_eq!(action["inputs"]["map"]["required"], true);
    assert_eq!(action["inputs"]["fail-on"]["default"], "new");
    assert_eq!(
        action["inputs"]["base-ref"]["default"],
        "${{ github.base_ref }}"
    );

    // Every input an expression or a condition reads is declared; every declared one is read.
    let mut all = Vec::new();
    strings(&action["runs"], "", &mut all);
    strings(&action["outputs"], "", &mut all);
    let mut used = BTreeSet::new();
    for (key, s) in &all {
        let mut names: Vec<&str> = expressions(s).into_iter().flat_map(input_names).collect();
        if *key == "if" {
            names.extend(input_names(s));
        }
        for name in names {
            assert!(declared.contains(name), "`inputs.{name}` is not declared");
            used.insert(name);
        }
    }
    let unused: Vec<&&str> = declared.difference(&used).collect();
    assert!(unused.is_empty(), "inputs never used: {unused:?}");

    let ids: BTreeSet<&str> = steps(&action)
        .iter()
        .filter_map(|s| s["id"].as_str())
        .collect();
    for step in steps(&action) {
        let name = text(&step["name"]);
        if let Some(run) = step["run"].as_str() {
            assert!(
                !run.contains("${{"),
                "step {name:?}: an expression in `run:` is pasted into the shell text: {run}"
            );
            assert_eq!(step["shell"], "bash", "step {name:?}");
            // Its script is in the repository, where $GITHUB_ACTION_PATH points.
            let script = run
                .split_whitespace()
                .find_map(|w| w.trim_matches('"').strip_prefix("$GITHUB_ACTION_PATH/"))
                .unwrap_or_else(|| panic!("step {name:?} runs no script of the action: {run}"));
            assert!(root().join(script).is_file(), "{script} does not exist");
            // Each variable is one input, or a constant.
            for (var, value) in step["env"].as_object().into_iter().flatten() {
                let value = text(value);
                let exprs = expressions(value);
                assert!(
                    exprs.is_empty()
                        || (exprs.len() == 1
                            && value.trim().starts_with("${{")
                            && value.trim().ends_with("}}")
                            && exprs[0].starts_with("inputs.")
                            && input_names(exprs[0]).len() == 1),
                    "step {name:?}: env {var} = {value:?} is not one input"
                );
            }
        }
        let mut values = Vec::new();
        strings(step, "", &mut values);
        for (key, s) in values {
            for e in expressions(s) {
                if let Some(rest) = e.strip_prefix("steps.") {
                    let id = rest.split('.').next().unwrap_or("");
                    assert!(ids.contains(id), "{key}: no step with id {id}");
                }
            }
        }
    }
    // The SARIF upload runs whatever the other steps found, and gets the log the action wrote.
    let upload = steps(&action)
        .iter()
        .find(|s| text(&s["uses"]).starts_with("github/codeql-action/upload-sarif@"))
        .expect("an upload-sarif step");
    assert!(text(&upload["if"]).contains("always()"), "{upload}");
    assert_eq!(
        upload["with"]["sarif_file"],
        "${{ steps.report.outputs.sarif-file }}"
    );
    assert_eq!(
        action["outputs"]["sarif-file"]["value"],
        "${{ steps.report.outputs.sarif-file }}"
    );
}

/// What a run of the action's steps left behind.
struct ActionRun {
    /// The job's result: 0, or the exit code of the step that failed.
    code: i32,
    /// Every step's output, in order.
    log: String,
    /// `$GITHUB_OUTPUT` of the steps (`NAME=VALUE` lines).
    outputs: String,
    summary: String,
}

/// Runs the `run:` steps of `action.yml` in `scratch`'s repository, as a pull request into
/// `main` would, with `inputs` (the others at their defaults).
fn run_action(scratch: &Scratch, inputs: &[(&str, &str)]) -> ActionRun {
    let action = action();
    let output_file = scratch.path("github_output");
    let summary_file = scratch.path("step_summary");
    let runner_temp = scratch.path("runner_temp");
    std::fs::create_dir_all(&runner_temp).expect("mkdir");
    let base_ref = "main";
    let input = |name: &str| -> String {
        if let Some((_, v)) = inputs.iter().find(|(k, _)| *k == name) {
            return (*v).to_string();
        }
        let default = &action["inputs"][name]["default"];
        let default = match default {
            Value::String(s) => s.clone(),
            Value::Null => String::new(),
            other => other.to_string(),
        };
        let mut out = default.clone();
        for e in expressions(&default) {
            let value = match e {
                "github.base_ref" => base_ref,
                other => panic!("input {name}: no value for `{other}` in this test"),
            };
            out = out.replace(&format!("${{{{ {e} }}}}"), value);
        }
        out
    };
    let mut run = ActionRun {
        code: 0,
        log: String::new(),
        outputs: String::new(),
        summary: String::new(),
    };
    for step in steps(&action) {
        let Some(script) = step["run"].as_str() else {
            continue;
        };
        let mut command = scratch.command("bash");
        command
            .args(["--noprofile", "--norc", "-eo", "pipefail", "-c", script])
            .env("GITHUB_ACTION_PATH", root())
            .env("GITHUB_BASE_REF", base_ref)
            .env("GITHUB_OUTPUT", &output_file)
            .env("GITHUB_STEP_SUMMARY", &summary_file)
            .env("GITHUB_PATH", scratch.path("github_path"))
            .env("RUNNER_TEMP", &runner_temp);
        for (var, value) in step["env"].as_object().into_iter().flatten() {
            let value = text(value);
            let value = match expressions(value).first() {
                Some(e) => input(input_names(e)[0]),
                None => value.to_string(),
            };
            command.env(var, value);
        }
        let out = ran(&mut command);
        run.log.push_str(&format!(
            "## {}\n{}{}",
            text(&step["name"]),
            out.stdout,
            out.stderr
        ));
        if out.code != 0 {
            run.code = out.code;
            break;
        }
    }
    run.outputs = std::fs::read_to_string(&output_file).unwrap_or_default();
    run.summary = std::fs::read_to_string(&summary_file).unwrap_or_default();
    run
}

/// The SARIF log the action named in `$GITHUB_OUTPUT`, parsed.
fn sarif_output(scratch: &Scratch, run: &ActionRun) -> Value {
    let path = run
        .outputs
        .lines()
        .find_map(|l| l.strip_prefix("sarif-file="))
        .unwrap_or_else(|| panic!("no sarif-file in GITHUB_OUTPUT:\n{}", run.outputs));
    let path = scratch.repo().join(path);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("SARIF {}: {e}\n{}", path.display(), run.log));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("SARIF is not JSON: {e}"))
}

#[test]
fn the_action_fails_a_change_that_adds_an_unlawful_transfer() {
    let scratch = Scratch::new();
    scratch.write(MAP, &unlawful_map());
    scratch.commit("an analytics processor in India");
    let run = run_action(
        &scratch,
        &[("map", MAP), ("as-of", AS_OF), ("horizon", "180d")],
    );
    assert_eq!(run.code, 1, "the gate fails the job:\n{}", run.log);
    // Built nowhere: the xborder on PATH is used.
    assert!(run.log.contains("xborder: using "), "{}", run.log);
    assert!(
        run.log
            .lines()
            .any(|l| l.starts_with(&format!("::error file={MAP},line="))
                && l.contains("title=XB001")),
        "annotations on the map:\n{}",
        run.log
    );
    assert!(run.summary.starts_with("## xborder:"), "{}", run.summary);
    let sarif = sarif_output(&scratch, &run);
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    assert!(!results.is_empty(), "{sarif}");
    assert!(
        results
            .iter()
            .any(|r| r["ruleId"] == "XB001" && r["baselineState"] == "new"),
        "the new finding, compared with main: {results:?}"
    );
    // The gate step ran, and said why.
    assert!(run.log.contains("## Gate"), "{}", run.log);
    assert!(run.log.contains("new finding"), "{}", run.log);
}

#[test]
fn the_action_passes_an_unchanged_map_and_an_accepted_risk() {
    let scratch = Scratch::new();
    scratch.write("README.md", "Another sentence.\n");
    scratch.commit("not the map");
    let run = run_action(&scratch, &[("map", MAP), ("as-of", AS_OF)]);
    assert_eq!(run.code, 0, "{}", run.log);
    assert!(!run.log.contains("::error "), "{}", run.log);
    let sarif = sarif_output(&scratch, &run);
    assert!(sarif["runs"][0]["results"].is_array(), "{sarif}");

    // The unlawful flow, its finding accepted for now (--accept).
    let scratch = Scratch::new();
    scratch.write(MAP, &unlawful_map());
    scratch.write("data/risk-acceptances.yaml", ACCEPTANCE);
    scratch.commit("an accepted risk");
    let run = run_action(
        &scratch,
        &[
            ("map", MAP),
            ("as-of", AS_OF),
            ("accept", "data/risk-acceptances.yaml"),
        ],
    );
    assert_eq!(run.code, 0, "the acceptance covers it:\n{}", run.log);
    // Without a base every finding is new: fail-on new then fails on it.
    let run = run_action(
        &scratch,
        &[("map", MAP), ("as-of", AS_OF), ("base-ref", "")],
    );
    assert_eq!(run.code, 1, "{}", run.log);
}

// --- pre-commit ----------------------------------------------------------------------------

fn hooks() -> Vec<Value> {
    yaml(".pre-commit-hooks.yaml")
        .as_array()
        .cloned()
        .expect(".pre-commit-hooks.yaml is a list of hooks")
}

fn hook(id: &str) -> Value {
    hooks()
        .into_iter()
        .find(|h| h["id"] == id)
        .unwrap_or_else(|| panic!("no hook {id}"))
}

/// Runs a hook as pre-commit does: its entry (a script of the hook repository for
/// `language: script`), then `args`, then the file names.
fn run_hook(scratch: &Scratch, hook: &Value, args: &[&str], files: &[&str]) -> Ran {
    let entry = text(&hook["entry"]);
    let mut words = entry.split_whitespace();
    let program = words.next().expect("an entry");
    let program = match text(&hook["language"]) {
        "script" | "unsupported_script" => root().join(program),
        _ => PathBuf::from(program),
    };
    let mut command = scratch.command(program);
    command.args(words).args(args).args(files);
    ran(&mut command)
}

#[test]
fn pre_commit_hooks_are_declared_as_pre_commit_reads_them() {
    let hooks = hooks();
    let ids: Vec<&str> = hooks.iter().map(|h| text(&h["id"])).collect();
    assert_eq!(ids, ["xborder-validate", "xborder-check"]);
    for hook in &hooks {
        for key in ["id", "name", "entry", "language"] {
            assert!(!text(&hook[key]).is_empty(), "{key} missing: {hook}");
        }
        assert!(
            [
                "script",
                "unsupported_script",
                "system",
                "unsupported",
                "rust"
            ]
            .contains(&text(&hook["language"])),
            "{hook}"
        );
        assert!(!text(&hook["files"]).is_empty(), "files: only maps: {hook}");
        if text(&hook["language"]).ends_with("script") {
            use std::os::unix::fs::PermissionsExt as _;
            let script = root().join(text(&hook["entry"]).split_whitespace().next().unwrap_or(""));
            let mode = std::fs::metadata(&script)
                .unwrap_or_else(|e| panic!("{}: {e}", script.display()))
                .permissions()
                .mode();
            assert!(mode & 0o111 != 0, "{} is not executable", script.display());
        }
    }
}

#[test]
fn pre_commit_validate_hook_passes_a_valid_map_and_stops_an_invalid_one() {
    let scratch = Scratch::new();
    let hook = hook("xborder-validate");
    scratch.write(MAP, &base_map());
    let valid = run_hook(&scratch, &hook, &[], &[MAP]);
    assert_eq!(valid.code, 0, "{}{}", valid.stdout, valid.stderr);
    let invalid = std::fs::read_to_string(root().join("tests/maps/invalid/unknown-entity.yaml"))
        .expect("invalid map");
    scratch.write(MAP, &invalid);
    let out = run_hook(&scratch, &hook, &[], &[MAP]);
    assert_eq!(out.code, 2, "{}{}", out.stdout, out.stderr);
    assert!(
        format!("{}{}", out.stdout, out.stderr).contains(&format!("{MAP}:")),
        "the problem, located: {}",
        out.stderr
    );
}

#[test]
fn pre_commit_check_hook_gates_the_staged_map_against_head() {
    let scratch = Scratch::new();
    let hook = hook("xborder-check");
    let as_of = format!("--as-of={AS_OF}");
    let same = run_hook(&scratch, &hook, &[&as_of], &[MAP]);
    assert_eq!(same.code, 0, "{}{}", same.stdout, same.stderr);

    scratch.write(MAP, &unlawful_map());
    scratch.git(&["add", MAP]);
    let out = run_hook(&scratch, &hook, &[&as_of], &[MAP]);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains("== new finding(s)") && out.stdout.contains("XB001"),
        "{}",
        out.stdout
    );
    // Accepted (an option passed through `args`), it passes.
    scratch.write("data/risk-acceptances.yaml", ACCEPTANCE);
    let accepted = run_hook(
        &scratch,
        &hook,
        &[&as_of, "--accept=data/risk-acceptances.yaml"],
        &[MAP],
    );
    assert_eq!(accepted.code, 0, "{}{}", accepted.stdout, accepted.stderr);
    // A map HEAD does not have is compared with nothing: its finding is new.
    scratch.write("data/other.yaml", &unlawful_map());
    let new_map = run_hook(&scratch, &hook, &[&as_of], &["data/other.yaml"]);
    assert_eq!(new_map.code, 1, "{}{}", new_map.stdout, new_map.stderr);
    assert!(new_map.stderr.contains("every finding counts as new"));
}

// --- the examples ---------------------------------------------------------------------------

/// A long option of a command line, with the word after it (its value, if it takes one).
type Flag = (String, Option<String>);

/// The subcommand and long options of an `xborder` command line.
fn xborder_options(line: &str) -> Option<(String, Vec<Flag>)> {
    let words: Vec<&str> = line.split_whitespace().collect();
    if words.first() != Some(&"xborder") {
        return None;
    }
    let sub = words
        .get(1)
        .filter(|w| w.chars().all(|c| c.is_ascii_lowercase()))?;
    let mut options = Vec::new();
    for (i, word) in words.iter().enumerate().skip(2) {
        // `--base` in `${XBORDER_BASE:+--base "…"}` counts too.
        if let Some(start) = word.find("--") {
            let flag: String = word[start..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect();
            let value = words
                .get(i + 1)
                .filter(|w| !w.starts_with('-'))
                .map(|w| w.to_string());
            options.push((flag, value));
        }
    }
    Some((sub.to_string(), options))
}

fn help(sub: &str) -> String {
    let out = Command::new(binary())
        .args([sub, "--help"])
        .output()
        .expect("xborder --help");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Whether `help` names `flag` as a whole word.
fn names_flag(help: &str, flag: &str) -> bool {
    help.match_indices(flag).any(|(i, _)| {
        !help[i + flag.len()..].starts_with(|c: char| c.is_ascii_alphanumeric() || c == '-')
    })
}

/// The shell lines of a GitLab job: `before_script`, then `script`.
fn gitlab_lines(job: &Value) -> Vec<String> {
    ["before_script", "script"]
        .iter()
        .flat_map(|key| job[*key].as_array().cloned().unwrap_or_default())
        .map(|v| text(&v).to_string())
        .collect()
}

#[test]
fn gitlab_example_uses_only_options_xborder_accepts() {
    let doc = yaml("docs/examples/gitlab-ci.yml");
    let job = &doc["xborder"];
    assert!(job.is_object(), "a job `xborder`");
    let mut checked = 0;
    for line in gitlab_lines(job) {
        for command in line.lines() {
            let Some((sub, options)) = xborder_options(command) else {
                continue;
            };
            let help = help(&sub);
            assert!(!help.is_empty(), "xborder {sub}: no such command");
            for (flag, value) in options {
                assert!(
                    names_flag(&help, &flag),
                    "xborder {sub} has no {flag}: {command}"
                );
                if flag == "--format" || flag == "--fail-on" {
                    let value = value.unwrap_or_default();
                    assert!(names_flag(&help, &value), "{flag} {value}: {command}");
                }
                checked += 1;
            }
        }
    }
    assert!(
        checked >= 6,
        "the xborder command lines were found ({checked})"
    );
    // The JUnit report GitLab reads is the file the job writes.
    let junit = text(&job["artifacts"]["reports"]["junit"]);
    assert!(
        gitlab_lines(job)
            .iter()
            .any(|l| l.contains("--format junit") && l.ends_with(&format!("> {junit}"))),
        "reports:junit {junit}"
    );
}

/// Runs the example job's shell lines in `scratch`'s repository as a merge-request pipeline
/// would (`bash -eo pipefail`, the example's variables, the merge base of `main`).
fn run_gitlab_job(scratch: &Scratch) -> Ran {
    let doc = yaml("docs/examples/gitlab-ci.yml");
    let job = &doc["xborder"];
    let script = gitlab_lines(job).join("\n");
    let mut command = scratch.command("bash");
    command.args(["--noprofile", "--norc", "-eo", "pipefail", "-c", &script]);
    for variables in [&doc["variables"], &job["variables"]] {
        for (k, v) in variables.as_object().into_iter().flatten() {
            command.env(k, text(v));
        }
    }
    let base = scratch.git(&["merge-base", "main", "HEAD"]);
    command
        .env("CI_MERGE_REQUEST_DIFF_BASE_SHA", base)
        .env("XBORDER_MAP", MAP);
    ran(&mut command)
}

#[test]
fn gitlab_example_job_fails_a_new_unlawful_transfer_with_a_junit_report() {
    // The example judges as of today: an unchanged map passes whatever its findings, and the
    // new flow to India has no mechanism on any date.
    let scratch = Scratch::new();
    scratch.write("README.md", "Another sentence.\n");
    scratch.commit("not the map");
    let same = run_gitlab_job(&scratch);
    assert_eq!(same.code, 0, "{}{}", same.stdout, same.stderr);
    assert!(!same.stderr.contains("XBORDER_GIT"), "nothing was built");

    scratch.write(MAP, &unlawful_map());
    scratch.commit("an analytics processor in India");
    let out = run_gitlab_job(&scratch);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    let junit = std::fs::read_to_string(scratch.repo().join("xborder-junit.xml")).expect("JUnit");
    let xml = roxmltree::Document::parse(&junit).expect("JUnit is XML");
    assert!(
        xml.descendants().any(|n| n.has_tag_name("failure")),
        "{junit}"
    );
    let sarif = std::fs::read_to_string(scratch.repo().join("xborder.sarif")).expect("SARIF");
    let sarif: Value = serde_json::from_str(&sarif).expect("SARIF is JSON");
    assert!(
        !sarif["runs"][0]["results"]
            .as_array()
            .expect("results")
            .is_empty()
    );
}

#[test]
fn github_workflow_example_uses_the_action_with_its_inputs() {
    let workflow = yaml("docs/examples/github-workflow.yml");
    assert!(workflow["on"]["pull_request"].is_object(), "{workflow}");
    assert_eq!(workflow["permissions"]["security-events"], "write");
    let action = action();
    for job in workflow["jobs"].as_object().expect("jobs").values() {
        let steps = job["steps"].as_array().expect("steps");
        let (at, step) = steps
            .iter()
            .enumerate()
            .find(|(_, s)| text(&s["uses"]).starts_with("./"))
            .expect("a step using the action from a checkout");
        let dir = text(&step["uses"]).trim_start_matches("./");
        assert!(
            steps[..at].iter().any(|s| {
                text(&s["uses"]).starts_with("actions/checkout@") && text(&s["with"]["path"]) == dir
            }),
            "xborder is checked out into {dir} before it is used"
        );
        let with = step["with"].as_object().expect("with");
        for key in with.keys() {
            assert!(action["inputs"][key].is_object(), "no input {key}");
        }
        for (name, input) in action["inputs"].as_object().expect("inputs") {
            if input["required"] == true {
                assert!(with.contains_key(name), "required input {name}");
            }
        }
    }
}

#[test]
fn ci_doc_yaml_blocks_parse() {
    let doc = std::fs::read_to_string(root().join("docs/ci.md")).expect("docs/ci.md");
    let mut blocks = 0;
    let mut current: Option<String> = None;
    for line in doc.lines() {
        match (&mut current, line.trim_start()) {
            (None, "```yaml") => current = Some(String::new()),
            (Some(block), "```") => {
                yaml_text(block, "a ```yaml block of docs/ci.md");
                blocks += 1;
                current = None;
            }
            (Some(block), _) => {
                block.push_str(line);
                block.push('\n');
            }
            _ => {}
        }
    }
    assert!(blocks >= 3, "{blocks} yaml blocks");
}
