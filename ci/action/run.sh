#!/usr/bin/env bash
# The shell logic of the xborder GitHub Action (`action.yml` at the repository root), one
# command per step of the action:
#
#   run.sh install   xborder from the action's own checkout ($GITHUB_ACTION_PATH), with
#                    `cargo install --locked`; skipped when an `xborder` is already on PATH
#                    (install: auto), unless install: always; install: never requires one
#   run.sh report    annotations on the map (--format github, which also writes the step
#                    summary) and the SARIF log, both with --fail-on never; the log's path
#                    goes to $GITHUB_OUTPUT as `sarif-file`
#   run.sh gate      the verdict: `xborder check --fail-on FAIL_ON`, exit 1 when it fails
#
# The action's inputs arrive in environment variables, set by its steps' `env:` blocks, never
# pasted into this text (no `${{ }}` here): a map path, a ref or a date cannot inject a
# command. INPUT_MAP (required), INPUT_BASE_REF, INPUT_AS_OF, INPUT_FAIL_ON, INPUT_HORIZON,
# INPUT_ACCEPT, INPUT_SARIF_FILE, INPUT_INSTALL. An empty input is an absent option.
#
# INPUT_BASE_REF names the revision the map is compared with: a branch (looked up as
# origin/REF, then REF), a tag or a commit, fetched from origin (depth 1) when the checkout
# lacks it. Empty: no --base, every finding is new. A map the base does not have yet is
# compared with nothing, with a notice.
set -euo pipefail

# Escapes a workflow command's message (%, CR, LF).
escape() {
  local s=$1
  s=${s//'%'/'%25'}
  s=${s//$'\r'/'%0D'}
  s=${s//$'\n'/'%0A'}
  printf '%s' "$s"
}

die() {
  echo "::error title=xborder action::$(escape "$*")"
  exit 2
}

install() {
  local mode=${INPUT_INSTALL:-auto}
  case $mode in
    auto | always | never) ;;
    *) die "install is auto, always or never, not \"$mode\"" ;;
  esac
  if [ "$mode" != always ] && command -v xborder >/dev/null 2>&1; then
    echo "xborder: using $(command -v xborder) ($(xborder --version))"
    return 0
  fi
  if [ "$mode" = never ]; then
    die "install: never, and no xborder on PATH: install it in an earlier step"
  fi
  if [ -z "${GITHUB_ACTION_PATH:-}" ] || [ ! -f "$GITHUB_ACTION_PATH/crates/xborder-cli/Cargo.toml" ]; then
    die "GITHUB_ACTION_PATH does not hold the xborder sources (crates/xborder-cli)"
  fi
  if ! command -v cargo >/dev/null 2>&1; then
    die "cargo is not on PATH: set up Rust 1.90 or newer first (e.g. dtolnay/rust-toolchain@stable), or put an xborder on PATH"
  fi
  cargo install --locked --path "$GITHUB_ACTION_PATH/crates/xborder-cli"
  local bin=${CARGO_INSTALL_ROOT:-${CARGO_HOME:-$HOME/.cargo}}/bin
  # The next steps find it even where cargo's bin directory is not on PATH yet.
  if [ -n "${GITHUB_PATH:-}" ]; then
    echo "$bin" >>"$GITHUB_PATH"
  fi
  "$bin/xborder" --version
}

# The revision to compare with, as git names it, or nothing (on stdout).
base_revision() {
  local ref=$1
  local candidate
  for candidate in "origin/$ref" "$ref"; do
    if git rev-parse --verify --quiet "$candidate^{commit}" >/dev/null 2>&1; then
      printf '%s' "$candidate"
      return 0
    fi
  done
  # A shallow checkout (actions/checkout's default fetch-depth: 1) lacks the base: fetch its
  # tip, as a branch first, then as any ref or commit.
  if git fetch --quiet --no-tags --depth=1 origin "+refs/heads/$ref:refs/remotes/origin/$ref" >/dev/null 2>&1; then
    printf '%s' "origin/$ref"
  elif git fetch --quiet --no-tags --depth=1 origin "$ref" >/dev/null 2>&1; then
    git rev-parse --verify --quiet "FETCH_HEAD^{commit}"
  fi
}

# Fills `options` with the xborder check options the inputs ask for (the map comes after `--`).
options=()
check_options() {
  if [ -z "${INPUT_MAP:-}" ]; then
    die "the map input is required: the data map file, e.g. data/map.yaml"
  fi
  if [ ! -f "$INPUT_MAP" ]; then
    die "map $INPUT_MAP: no such file (in $PWD)"
  fi
  options=()
  if [ -n "${INPUT_BASE_REF:-}" ]; then
    local rev path
    rev=$(base_revision "$INPUT_BASE_REF") || rev=
    if [ -z "$rev" ]; then
      die "base-ref $INPUT_BASE_REF: no such branch, tag or commit here or on origin"
    fi
    # Relative to the working directory, as the map itself is.
    case $INPUT_MAP in
      /*) path=$INPUT_MAP ;;
      *) path=./${INPUT_MAP#./} ;;
    esac
    if git cat-file -e "$rev:$path" 2>/dev/null; then
      options+=("--base=git:$rev:$path")
    else
      echo "::notice title=xborder::$(escape "$INPUT_BASE_REF has no $INPUT_MAP yet: every finding counts as new")"
    fi
  fi
  if [ -n "${INPUT_AS_OF:-}" ]; then
    options+=("--as-of=$INPUT_AS_OF")
  fi
  if [ -n "${INPUT_HORIZON:-}" ]; then
    options+=("--horizon=$INPUT_HORIZON")
  fi
  if [ -n "${INPUT_ACCEPT:-}" ]; then
    options+=("--accept=$INPUT_ACCEPT")
  fi
}

report() {
  check_options
  local sarif=${INPUT_SARIF_FILE:-${RUNNER_TEMP:-.}/xborder.sarif}
  local annotate=0 log=0
  xborder check ${options[@]+"${options[@]}"} --format=github --fail-on=never -- "$INPUT_MAP" || annotate=$?
  xborder check --quiet ${options[@]+"${options[@]}"} --format=sarif --fail-on=never -- "$INPUT_MAP" >"$sarif" || log=$?
  # Written even for a map that cannot be used: the log then carries its problems, located.
  if [ -s "$sarif" ]; then
    echo "xborder: SARIF log in $sarif"
    if [ -n "${GITHUB_OUTPUT:-}" ]; then
      echo "sarif-file=$sarif" >>"$GITHUB_OUTPUT"
    fi
  fi
  if [ "$annotate" -ne 0 ] || [ "$log" -ne 0 ]; then
    exit $((annotate > log ? annotate : log))
  fi
}

gate() {
  check_options
  xborder check --quiet ${options[@]+"${options[@]}"} --fail-on="${INPUT_FAIL_ON:-new}" -- "$INPUT_MAP"
}

case ${1:-} in
  install) install ;;
  report) report ;;
  gate) gate ;;
  *)
    echo "usage: run.sh install|report|gate (the steps of action.yml)" >&2
    exit 2
    ;;
esac
