#!/usr/bin/env bash
# Runs every check and test of the repository: type check, lint, prettier,
# the Jest tests of every workspace, and the suites later issues add.
# Keeps going after a failure so one run shows everything; the last line is
# "N passed, N failed" (a static check counts as one test) and the exit
# status is non-zero when anything failed.
#
# The run ends, with that line, within TEST_DEADLINE_MINUTES (default 75,
# under CI's 90) whatever hangs: every step has a time limit (a few times
# its cold duration on 2 cores), none runs past the deadline, and a step
# stopped that way is a failure that names it.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
deadline=$((${TEST_DEADLINE_MINUTES:-75} * 60))

# limited SECONDS COMMAND...: runs COMMAND (an executable, not a function),
# stopped after SECONDS or at the run's deadline, whichever comes first:
# TERM to its process group (the scripts' EXIT traps stop their servers),
# KILL 60 s later. Status 124 when it was stopped or not started.
# It runs in the background and is waited for, so that a Ctrl-C or a TERM of
# this script reaches it (timeout puts it in a process group of its own,
# which the terminal's Ctrl-C does not reach).
step_pid=""
limited() {
  local limit="$1" left rc
  shift
  left=$((deadline - SECONDS))
  [ "$left" -lt "$limit" ] && limit="$left"
  if [ "$limit" -le 0 ]; then
    echo "not run: the test run's $((deadline / 60)) minutes are up (TEST_DEADLINE_MINUTES)" >&2
    return 124
  fi
  local started=$SECONDS
  timeout --kill-after=60 "$limit" "$@" &
  step_pid=$!
  wait "$step_pid"
  rc=$?
  step_pid=""
  # 137 is also a command killed by someone else (the OOM killer) in time.
  if [ "$rc" -eq 124 ] || { [ "$rc" -eq 137 ] && [ $((SECONDS - started)) -ge "$limit" ]; }; then
    echo "stopped after $limit s: its time limit, or the run's deadline" >&2
    return 124
  fi
  return "$rc"
}

# Ctrl-C or TERM: the running step (and the Go download beside the static
# checks) stops the way a time limit stops it, then the run ends.
go_fetch=""
interrupted() {
  trap - INT TERM
  [ -z "$step_pid" ] || kill -TERM "$step_pid" 2>/dev/null
  [ -z "$go_fetch" ] || pkill -TERM -P "$go_fetch" 2>/dev/null
  wait
  echo "interrupted"
  exit 130
}
trap interrupted INT TERM

# logged LOG SECONDS COMMAND...: `limited`, with the command's output in LOG,
# whose last lines are printed when it fails. The run's own output stays a
# line or two per step, so the head of it (all that a CI summary may show)
# reaches the step that failed.
logged() {
  local log="$1" rc
  shift
  limited "$@" >"$log" 2>&1
  rc=$?
  if [ "$rc" -ne 0 ]; then
    echo "--- the last lines of $log:"
    tail -n 40 "$log" | cut -c1-400
    echo "---"
  fi
  return "$rc"
}

results="$(cd "$here/.." && pwd)/.test-results"
rm -rf "$results" && mkdir -p "$results"
echo "bootstrap: Node 22 and the workspace's dependencies (log: .test-results/bootstrap.log)"
if ! logged "$results/bootstrap.log" 1800 "$here/bootstrap.sh"; then
  echo "bootstrap failed: nothing was tested"
  echo "0 passed, 1 failed"
  exit 1
fi
tail -n 1 "$results/bootstrap.log"
source "$here/lib/env.sh"
cd "$REPO_ROOT"
export CI=true

# A new machine spends minutes downloading the Go modules of the
# kube-apiserver/etcd and Flux builds: fetch them while the static checks run
# (network, little CPU); the builds themselves run before the integration tests.
(
  limited 2400 "$REPO_ROOT/scripts/kube/build.sh" --fetch-only &&
    limited 2400 "$REPO_ROOT/scripts/flux/build.sh" --fetch-only
) >"$results/go-fetch.log" 2>&1 &
go_fetch=$!
passed=0
failed=0
failures=()

# On exit: the PostgreSQL server stops; and a run that ends before its
# closing line (a fault of this script, an interruption) still prints one,
# counting itself as a failure.
pg_dir=""
closed=false
on_exit() {
  local status=$?
  [ -z "$pg_dir" ] || "$REPO_ROOT/scripts/postgres.sh" stop "$pg_dir"
  if ! $closed; then
    echo "test.sh stopped before its end (status $status)"
    echo "$passed passed, $((failed + 1)) failed"
  fi
}
trap on_exit EXIT

# Each step says when it started, so a slow run shows where its time went.
step() { printf '\n=== %s (at %dm%02ds)\n' "$1" $((SECONDS / 60)) $((SECONDS % 60)); }

# check NAME LOG COMMAND...: one test, passed when COMMAND succeeds within
# 15 minutes; its output in .test-results/LOG.log.
check() {
  local name="$1" log="$results/$2.log"
  shift 2
  step "$name"
  if logged "$log" 900 "$@"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    failures+=("$name")
  fi
}

# Adds "<passed> <failed>" read from a report to the totals; counts that
# cannot be read (a report cut short) are one failure, not zero.
add_counts() {
  local name="$1" p f
  read -r p f <<<"$2"
  if ! [[ "$p" =~ ^[0-9]+$ && "$f" =~ ^[0-9]+$ ]]; then
    failed=$((failed + 1))
    failures+=("$name (its report could not be read)")
    echo "$name: its report could not be read"
    return
  fi
  passed=$((passed + p))
  failed=$((failed + f))
  [ "$f" -eq 0 ] || failures+=("$name ($f failed${3:+; $3})")
  echo "$name: $p passed, $f failed"
}

# Adds the counts of a Jest --json report (a missing one is a failure, with
# the note in $3); a suite that failed to run counts as one failure, and so
# does a run Jest reports as failed (success: false) without a failed test
# or suite: e.g. an obsolete snapshot under --ci, or a reporter error.
count_jest() {
  local name="$1" report="$2" counts p f unexplained
  if [ ! -s "$report" ]; then
    failed=$((failed + 1))
    failures+=("$name (no report written${3:+; $3})")
    return
  fi
  # One read of the report: the counts, then what failed, a line each (the
  # log has the whole of it).
  counts=$(node -e '
    const r = require(process.argv[1]);
    const first = m => String(m).replace(/\x1b\[[0-9;]*m/g, "").trim().split("\n")[0].slice(0, 300);
    // A suite that failed to run (no failed test in it) is one failure.
    const broken = s => s.status === "failed" && s.assertionResults.every(a => a.status !== "failed");
    const lines = r.testResults.flatMap(s => {
      const file = require("path").relative(process.cwd(), s.name);
      if (broken(s)) return [`  x ${file}: ${first(s.message)}`];
      return s.assertionResults.filter(a => a.status === "failed")
        .map(a => `  x ${file} > ${a.fullName}: ${first(a.failureMessages[0])}`);
    });
    const f = r.numFailedTests + r.testResults.filter(broken).length;
    console.log(r.numPassedTests, f, r.success === false && f === 0 ? 1 : 0);
    if (lines.length) console.log(lines.slice(0, 30).join("\n"));
  ' "$report")
  read -r p f unexplained <<<"$counts"
  add_counts "$name" "$p $f"
  tail -n +2 <<<"$counts"
  if [ "$unexplained" = 1 ]; then
    failed=$((failed + 1))
    failures+=("$name (Jest reported failure without a failed test: see its log)")
    echo "$name: Jest reported failure without a failed test"
  fi
}

# run_jest NAME SECONDS LOG ARGS...: `yarn test ARGS`, counted from its
# --json report (.test-results/LOG.json; its output in LOG.log).
# --forceExit: a test that leaves a handle open (a timer, a socket) must not
# keep the run waiting once the results are written; the testbed's servers
# die with their parent (setpriv's parent-death signal).
run_jest() {
  local name="$1" limit="$2" log="$3" report="$results/$3.json" rc
  shift 3
  rm -f "$report"
  echo "(log: .test-results/$log.log)"
  logged "$results/$log.log" "$limit" yarn test "$@" --forceExit --json --outputFile="$report"
  rc=$?
  if [ "$rc" -eq 124 ] && [ -s "$report" ]; then
    failed=$((failed + 1))
    failures+=("$name (did not exit within its time limit after writing its report)")
  fi
  count_jest "$name" "$report" "$([ "$rc" -eq 124 ] && echo "stopped at its time limit of $limit s")"
}

check "type check: yarn tsc" tsc yarn tsc
check "lint: yarn lint:all" lint yarn lint:all
check "format: yarn prettier:check" prettier yarn prettier:check
check "public API reports: yarn build:api-reports --ci" api-reports yarn build:api-reports --ci
# The backend's OpenAPI spec: Backstage's lint rules, and the generated router matches it.
check "OpenAPI spec: yarn check:openapi" openapi yarn check:openapi
# pluginId / pluginPackages / exports as `yarn pack` requires them stay applied.
check "package metadata: backstage-cli repo fix --publish --check" package-metadata \
  yarn backstage-cli repo fix --publish --check
# The config schemas (config.d.ts of every plugin the backend and app load) against app-config.yaml.
check "config schema: backstage-cli config:check --strict" config-schema \
  yarn backstage-cli config:check --package backend --strict --config app-config.yaml

# Integration suites (*.integration.test.ts) need real kube-apiserver and etcd
# binaries, and the real Flux controllers with their sources' servers.
INTEGRATION='\.integration\.test\.'

# The journal's tests run against SQLite and a real PostgreSQL: a throwaway
# server, stopped by its process id on exit.
pg_dir="$(mktemp -u /tmp/gitops-promotion-pg.XXXXXX)"
step "PostgreSQL for the database tests (scripts/postgres.sh)"
if pg=$(limited 1500 "$REPO_ROOT/scripts/postgres.sh" start "$pg_dir"); then
  read -r pg_major pg_url <<<"$pg"
  export "BACKSTAGE_TEST_DATABASE_POSTGRES${pg_major}_CONNECTION_STRING=$pg_url"
  echo "PostgreSQL $pg_major at $pg_url"
else
  failed=$((failed + 1))
  failures+=("PostgreSQL for the database tests did not start")
fi

step "unit tests: yarn test (every workspace)"
run_jest "unit tests" 1500 unit --testPathIgnorePatterns "$INTEGRATION"

step "integration tests against real kube-apiserver + etcd and real Flux controllers"
# Its failure shows again, with its message, in the build below.
wait "$go_fetch" || true
echo "(logs: .test-results/kube-build.log, flux-build.log)"
if logged "$results/kube-build.log" 2400 "$REPO_ROOT/scripts/kube/build.sh" &&
  logged "$results/flux-build.log" 2400 "$REPO_ROOT/scripts/flux/build.sh"; then
  run_jest "integration tests" 1200 integration --testPathPatterns "$INTEGRATION"
else
  failed=$((failed + 1))
  failures+=("integration tests (the kube-apiserver/etcd or Flux build failed)")
fi

# The browser and adoption tests' backend listens on E2E_PORT, else on a
# port free now: their default, 7107, may be taken on a shared machine.
if [ -z "${E2E_PORT:-}" ]; then
  source "$here/lib/freePort.sh"
  E2E_PORT=$(free_port) && export E2E_PORT
fi

step "browser test: the demo portal in Chromium (scripts/e2e.sh)"
rm -f "$results/e2e.json"
limited 900 "$REPO_ROOT/scripts/e2e.sh" || true
if [ -s "$results/e2e.json" ]; then
  # A spec that does not load is an error, not a test; no test run is a failure.
  add_counts "browser test" "$(node -e '
    const r = require(process.argv[1]);
    const s = r.stats;
    const ran = s.expected + s.flaky + s.unexpected;
    console.log(s.expected + s.flaky, s.unexpected + (r.errors ?? []).length + (ran ? 0 : 1));
  ' "$results/e2e.json")"
else
  failed=$((failed + 1))
  failures+=("browser test (the portal did not start; see .test-results/e2e-backend.log)")
fi

step "adoption test: the packed plugins in a freshly generated app, following README.md (scripts/adoption-test.sh)"
rm -f "$results/adoption.json"
limited 1200 "$REPO_ROOT/scripts/adoption-test.sh" || true
if [ -s "$results/adoption.json" ]; then
  add_counts "adoption test" "$(node -e '
    const r = require(process.argv[1]);
    console.log(r.passed, r.failed);
  ' "$results/adoption.json")" "see .test-results/adoption.log"
else
  failed=$((failed + 1))
  failures+=("adoption test (no report written; see .test-results/adoption.log)")
fi

echo
if [ "${#failures[@]}" -gt 0 ]; then
  printf 'failed: %s\n' "${failures[@]}"
fi
echo "took $((SECONDS / 60))m$((SECONDS % 60))s"
echo "$passed passed, $failed failed"
closed=true
[ "$failed" -eq 0 ]
