#!/usr/bin/env bash
# The hooks of .pre-commit-hooks.yaml. pre-commit runs this file from its own checkout of the
# xborder repository (at the `rev` a .pre-commit-config.yaml pins), in the repository being
# committed to, with the hook's `args` and then the names of the staged map files:
#
#   hook.sh validate [OPTION…] MAP…   xborder validate: exit 2 when a map is not well-formed
#   hook.sh check [OPTION…] MAP…      for each MAP, xborder check MAP --base git:HEAD:MAP:
#                                     exit 1 when the change introduces an error finding
#
# OPTIONs start with `-` and are passed on: write a value in the same word (--as-of=2024-01-01,
# --fail-on=any, --accept=data/risk-acceptances.yaml). `check` compares with HEAD, the last
# commit, or at the pre-push stage with what the remote has (PRE_COMMIT_FROM_REF). A map the
# base does not have yet is compared with nothing: every finding is new. The exit code is the
# worst of the maps'.
#
# xborder is the one on PATH; without one, this revision is built once with
# `cargo install --locked` into target/pre-commit/ of the checkout pre-commit keeps (the place
# `language: rust` would use, were the repository root a package rather than a workspace).
set -uo pipefail

here=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd) || exit 2
repo=$(dirname -- "$(dirname -- "$here")")

if command -v xborder >/dev/null 2>&1; then
  xborder=xborder
else
  xborder=$repo/target/pre-commit/bin/xborder
  if [ ! -x "$xborder" ]; then
    if ! command -v cargo >/dev/null 2>&1; then
      echo "xborder hook: neither xborder nor cargo is on PATH: install Rust (https://rustup.rs) or xborder" >&2
      exit 2
    fi
    echo "xborder hook: building xborder from $repo (once)" >&2
    cargo install --locked --quiet --path "$repo/crates/xborder-cli" --root "$repo/target/pre-commit" >&2 || exit 2
  fi
fi

command=${1:-}
shift
options=()
maps=()
for arg in "$@"; do
  case $arg in
    -*) options+=("$arg") ;;
    *) maps+=("$arg") ;;
  esac
done
if [ ${#maps[@]} -eq 0 ]; then
  exit 0
fi

case $command in
  validate)
    exec "$xborder" validate ${options[@]+"${options[@]}"} -- "${maps[@]}"
    ;;
  check)
    rev=${PRE_COMMIT_FROM_REF:-HEAD}
    status=0
    for map in "${maps[@]}"; do
      case $map in
        /*) path=$map ;;
        *) path=./${map#./} ;;
      esac
      base=()
      if git cat-file -e "$rev:$path" 2>/dev/null; then
        base=("--base=git:$rev:$path")
      else
        echo "xborder hook: $rev has no $map: every finding counts as new" >&2
      fi
      code=0
      "$xborder" check ${base[@]+"${base[@]}"} ${options[@]+"${options[@]}"} -- "$map" || code=$?
      if [ "$code" -gt "$status" ]; then
        status=$code
      fi
    done
    exit "$status"
    ;;
  *)
    echo "usage: hook.sh validate|check [OPTION…] MAP… (the hooks of .pre-commit-hooks.yaml)" >&2
    exit 2
    ;;
esac
