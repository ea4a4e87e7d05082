#!/usr/bin/env bash
# Installs zdlabels as a user would and uses it: packs the project (npm pack,
# which builds through prepack), installs the tarball with --omit=dev into a
# project of its own, and globally into a temporary prefix, and with each runs
#   zdlabels --help, --version (package.json's), demo, schema (JSON),
#   emulator --port 0, and `run` of jobs/nightly-remove.json (copied from the
#   installed package, with its inbox CSV) against that emulator.
# Any failure exits 1. Leaves nothing behind: everything happens in one
# temporary folder, removed on exit with the emulator stopped.
#
#   scripts/check-package.sh            (by hand: builds through prepack)
#   scripts/check-package.sh --built    (from .ci/run, after npm test built dist/)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
version=$(node -p "require('$root/package.json').version")
work=$(mktemp -d "${TMPDIR:-/tmp}/zdlabels-check-package.XXXXXX")
emulator_pid=

cleanup() {
  if [ -n "$emulator_pid" ]; then
    kill "$emulator_pid" 2>/dev/null || true
    wait "$emulator_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say() { echo "check-package: $*"; }
fail() {
  echo "check-package: ✘ $*" >&2
  exit 1
}

# Runs a command with only PATH, HOME and a private TMPDIR: no ZOHO_* of the caller.
clean_env() { env -i PATH="$PATH" HOME="$HOME" TMPDIR="$work/tmp" "$@"; }

# npm's output must hold no warning about our own package.
no_warning_of_ours() {
  if grep -iE 'warn' "$1" | grep -qi 'zdlabels'; then
    cat "$1" >&2
    fail "$2 printed a warning about zdlabels (above)"
  fi
}

start_emulator() {
  local bin=$1 out=$2
  # The child truncates $out only after the fork: an older file's text must not be read as this emulator's.
  rm -f "$out"
  # env execs the binary, so $! is the emulator's own pid
  env -i PATH="$PATH" HOME="$HOME" "$bin" emulator --port 0 >"$out" 2>&1 &
  emulator_pid=$!
  for _ in $(seq 1 100); do
    # the last line it prints before serving: every export above it is there
    grep -q 'Ctrl-C stops it' "$out" 2>/dev/null && grep -q '^ *export ZOHO_REFRESH_TOKEN=' "$out" && return 0
    kill -0 "$emulator_pid" 2>/dev/null || { cat "$out" >&2; fail "zdlabels emulator --port 0 exited before serving"; }
    sleep 0.1
  done
  cat "$out" >&2
  fail "zdlabels emulator --port 0 printed no URL within 10 s"
}

stop_emulator() {
  kill "$emulator_pid"
  wait "$emulator_pid" 2>/dev/null || true
  emulator_pid=
}

# The value of `export NAME=value` in the emulator's output.
exported() { sed -nE "s/^ *export $1=(.*)$/\\1/p" "$2"; }

# check <label> <zdlabels binary> <installed package folder> <working folder>
check() {
  local label=$1 bin=$2 pkg=$3 cwd=$4 out
  [ -x "$bin" ] || fail "$label: no zdlabels binary at $bin"
  cd "$cwd"
  mkdir -p "$work/tmp"

  out=$(clean_env "$bin" --help) || fail "$label: zdlabels --help exited $?"
  grep -q 'zdlabels remove' <<<"$out" || fail "$label: zdlabels --help does not list the commands: $out"

  out=$(clean_env "$bin" --version) || fail "$label: zdlabels --version exited $?"
  [ "$out" = "$version" ] || fail "$label: zdlabels --version printed '$out', expected package.json's $version"

  out=$(clean_env "$bin" demo 2>&1) || fail "$label: zdlabels demo exited $?: $out"
  grep -q '✔ confirmed from the emulator' <<<"$out" || fail "$label: zdlabels demo did not confirm the emulator's state: $out"
  [ -z "$(ls -A "$work/tmp")" ] || fail "$label: zdlabels demo left files in its temporary folder: $(ls -A "$work/tmp")"

  clean_env "$bin" schema | node -e 'JSON.parse(require("fs").readFileSync(0, "utf8"))' || fail "$label: zdlabels schema did not print JSON"

  local e="$work/emulator-$label.out"
  start_emulator "$bin" "$e"
  local job="$work/job-$label"
  mkdir -p "$job/inbox"
  cp "$pkg/jobs/nightly-remove.json" "$job/" && cp "$pkg/jobs/inbox/leavers.csv" "$job/inbox/" || fail "$label: the package has no jobs/nightly-remove.json with its inbox CSV"
  out=$(clean_env ZOHO_DESK_URL="$(exported ZOHO_DESK_URL "$e")" ZOHO_ACCOUNTS_URL="$(exported ZOHO_ACCOUNTS_URL "$e")" \
    ZOHO_ORG_ID="$(exported ZOHO_ORG_ID "$e")" HR_SYNC_ZOHO_CLIENT_ID="$(exported ZOHO_CLIENT_ID "$e")" \
    HR_SYNC_ZOHO_CLIENT_SECRET="$(exported ZOHO_CLIENT_SECRET "$e")" HR_SYNC_ZOHO_REFRESH_TOKEN="$(exported ZOHO_REFRESH_TOKEN "$e")" \
    "$bin" run "$job/nightly-remove.json" 2>&1) || fail "$label: zdlabels run nightly-remove.json against the emulator exited $?: $out"
  stop_emulator
  local manifest
  manifest=$(ls "$job"/runs/*.manifest.json 2>/dev/null | head -n 1)
  [ -n "$manifest" ] || fail "$label: zdlabels run wrote no manifest under $job/runs"
  node -e 'const m = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); if (m.toolVersion !== process.argv[2]) { console.error(`manifest toolVersion ${m.toolVersion}`); process.exit(1); }' "$manifest" "$version" ||
    fail "$label: the run's manifest does not record zdlabels $version"
  say "✔ $label: --help, --version ($version), demo, schema, emulator --port 0, run jobs/nightly-remove.json (exit 0)"
}

cd "$root"
# --built (from .ci/run, right after npm test built dist/): pack without running prepack's build again.
pack_flags=()
[ "${1:-}" = "--built" ] && pack_flags=(--ignore-scripts)
npm pack "${pack_flags[@]}" --pack-destination "$work" >"$work/pack.log" 2>&1 || { cat "$work/pack.log" >&2; fail "npm pack failed"; }
no_warning_of_ours "$work/pack.log" "npm pack"
tarball=$(ls "$work"/zdlabels-*.tgz)
say "packed $(basename "$tarball")"

# A project of its own, with its own name and version, that installs zdlabels.
project="$work/project"
mkdir -p "$project"
printf '{ "name": "host-project", "version": "9.9.9", "private": true }\n' >"$project/package.json"
(cd "$project" && npm install --omit=dev --no-audit --no-fund "$tarball") >"$work/install.log" 2>&1 ||
  { cat "$work/install.log" >&2; fail "npm install --omit=dev of the tarball failed"; }
no_warning_of_ours "$work/install.log" "npm install --omit=dev"
check local "$project/node_modules/.bin/zdlabels" "$project/node_modules/zdlabels" "$project"

npm install -g --prefix "$work/global" --omit=dev --no-audit --no-fund "$tarball" >"$work/install-g.log" 2>&1 ||
  { cat "$work/install-g.log" >&2; fail "npm install -g of the tarball failed"; }
no_warning_of_ours "$work/install-g.log" "npm install -g"
mkdir -p "$work/elsewhere"
check global "$work/global/bin/zdlabels" "$work/global/lib/node_modules/zdlabels" "$work/elsewhere"
