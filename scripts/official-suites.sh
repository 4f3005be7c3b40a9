#!/usr/bin/env bash
# The oracle: the official Upstash SDKs' own test suites, run unmodified
# against edgestash-server on each backend, summarised as one table.
#
#   ./scripts/official-suites.sh <redis-js-checkout> <redis-py-checkout> [backend...]
#
#   <redis-js-checkout>  a checkout of upstash/redis-js (the suite is
#                        packages/redis/pkg, run with bun as its package.json does)
#   <redis-py-checkout>  a checkout of upstash/redis-py (tests/, run with pytest)
#   backend              memory (edgestash-server --memory, the embedded engine)
#                        and/or redis (a real redis-server this script starts on
#                        a free loopback port); default: memory redis
#
# What it does, per suite x backend (a fresh server pair for every cell, so
# one suite's leftovers never meet the other's):
#   1. builds `cargo build --release -p edgestash-server` once (or uses
#      EDGESTASH_SERVER_BIN as is);
#   2. installs, only when missing, into a cache directory it owns
#      (ORACLE_CACHE, default target/oracle/cache): bun $BUN_VERSION from the
#      npm package `bun` (the binary ships in its @oven/bun-linux-* package),
#      the suite's one runtime dependency uncrypto, and a Python venv with
#      pinned httpx, pytest, pytest-asyncio, python-dotenv and pytest-timeout
#      from PyPI. No network beyond the npm registry and PyPI.
#   3. copies each suite to a temp directory and runs the copy: the checkouts
#      are never written to (bun needs node_modules beside the package, and
#      pytest would write caches). Nothing in the copies is edited: the only
#      file added is the node_modules symlink to the cache.
#   4. sets UPSTASH_REDIS_REST_URL and UPSTASH_REDIS_REST_TOKEN (the only
#      variables either suite reads: redis-js pkg/test-utils.ts, redis-py
#      tests/conftest.py), then runs
#        bun test pkg --timeout 20000 --reporter=junit        (as `bun test pkg
#                                                              --timeout 20000`
#                                                              in its package.json,
#                                                              without --bail)
#        python -m pytest tests --timeout 60 --junitxml        (pytest-timeout
#                                                              bounds a hanging
#                                                              blocking command)
#      each bounded by SUITE_TIMEOUT seconds (default 1200);
#   5. prints suite x backend -> passed / failed / skipped, then the failing
#      tests grouped by test file (family).
#
# Outputs (target/oracle/, or ORACLE_OUT): <suite>-<backend>.log (runner
# output), .junit.xml, .failures.txt (every failing test with its first error
# line), server-<suite>-<backend>.log, summary.txt (what was printed).
# Exit status: 0 when every cell ran to a result (failures included), 2 when a
# cell could not run (server did not start, suite timed out, no report).
#
# Environment: EDGESTASH_SERVER_BIN, ORACLE_OUT, ORACLE_CACHE, SUITE_TIMEOUT,
# ORACLE_SUITES (default "js py": run only some). Needs redis-server on PATH
# for the redis backend, node/npm and python3 for the installs. See
# docs/ORACLE.md for the last recorded figures.
set -euo pipefail

BUN_VERSION=1.3.6
UNCRYPTO_VERSION=0.1.3
PY_PINS="httpx==0.28.1 pytest==8.3.5 pytest-asyncio==0.24.0 python-dotenv==1.0.1 pytest-timeout==2.3.1"

usage() {
  sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
  exit 64
}
[ $# -ge 2 ] || usage
JS_CHECKOUT="$(cd "$1" && pwd)"
PY_CHECKOUT="$(cd "$2" && pwd)"
shift 2
BACKENDS=("$@")
[ ${#BACKENDS[@]} -gt 0 ] || BACKENDS=(memory redis)
for b in "${BACKENDS[@]}"; do
  case "$b" in memory | redis) ;; *) echo "unknown backend '$b' (memory or redis)" >&2; exit 64 ;; esac
done
[ -d "$JS_CHECKOUT/packages/redis/pkg" ] || { echo "$JS_CHECKOUT has no packages/redis/pkg (upstash/redis-js checkout expected)" >&2; exit 64; }
[ -f "$PY_CHECKOUT/tests/conftest.py" ] || { echo "$PY_CHECKOUT has no tests/conftest.py (upstash/redis-py checkout expected)" >&2; exit 64; }

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="${ORACLE_OUT:-$ROOT/target/oracle}"
CACHE="${ORACLE_CACHE:-$ROOT/target/oracle/cache}"
SUITE_TIMEOUT="${SUITE_TIMEOUT:-1200}"
SUITES=(${ORACLE_SUITES:-js py})
mkdir -p "$OUT" "$CACHE"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/edgestash-oracle.XXXXXX")"

PIDS=()
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

step() { printf '\n== %s\n' "$*" >&2; }

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# --- tools -----------------------------------------------------------------

step "edgestash-server"
if [ -z "${EDGESTASH_SERVER_BIN:-}" ]; then
  (cd "$ROOT" && cargo build --release -p edgestash-server)
  EDGESTASH_SERVER_BIN="$ROOT/target/release/edgestash-server"
fi
[ -x "$EDGESTASH_SERVER_BIN" ] || { echo "no edgestash-server at $EDGESTASH_SERVER_BIN" >&2; exit 2; }
echo "$EDGESTASH_SERVER_BIN" >&2

BUN="$CACHE/bun-$BUN_VERSION/node_modules/bun/bin/bun.exe"
JS_DEPS="$CACHE/redis-js-deps-uncrypto-$UNCRYPTO_VERSION"
PY_VENV="$CACHE/py-venv"
if [[ " ${SUITES[*]} " == *" js "* ]]; then
  step "bun $BUN_VERSION and the suite's dependency (npm)"
  if [ "$("$BUN" --version 2>/dev/null)" != "$BUN_VERSION" ]; then
    mkdir -p "$CACHE/bun-$BUN_VERSION"
    (cd "$CACHE/bun-$BUN_VERSION" && echo '{"private":true}' >package.json &&
      npm install --no-audit --no-fund --save-exact "bun@$BUN_VERSION" >&2)
  fi
  [ "$("$BUN" --version)" = "$BUN_VERSION" ] || { echo "bun $BUN_VERSION did not install" >&2; exit 2; }
  if [ ! -f "$JS_DEPS/node_modules/uncrypto/package.json" ]; then
    mkdir -p "$JS_DEPS"
    (cd "$JS_DEPS" && echo '{"private":true}' >package.json &&
      npm install --no-audit --no-fund --save-exact "uncrypto@$UNCRYPTO_VERSION" >&2)
  fi
fi
if [[ " ${SUITES[*]} " == *" py "* ]]; then
  step "python venv (PyPI)"
  if [ "$(cat "$PY_VENV/.pins" 2>/dev/null)" != "$PY_PINS" ]; then
    rm -rf "$PY_VENV"
    python3 -m venv "$PY_VENV"
    # shellcheck disable=SC2086
    "$PY_VENV/bin/pip" install -q --disable-pip-version-check $PY_PINS >&2
    echo "$PY_PINS" >"$PY_VENV/.pins"
  fi
fi

# --- copies of the suites (the checkouts stay untouched) -------------------

step "copying the suites to $WORK"
mkdir -p "$WORK/redis-js/packages"
cp "$JS_CHECKOUT/tsconfig.base.json" "$WORK/redis-js/" 2>/dev/null || true
cp -r "$JS_CHECKOUT/packages/redis" "$WORK/redis-js/packages/redis"
rm -rf "$WORK/redis-js/packages/redis/node_modules"
ln -s "$JS_DEPS/node_modules" "$WORK/redis-js/packages/redis/node_modules"
mkdir -p "$WORK/redis-py"
(cd "$PY_CHECKOUT" && cp -r tests upstash_redis pyproject.toml "$WORK/redis-py/")
echo "redis-js $(git -C "$JS_CHECKOUT" rev-parse --short HEAD 2>/dev/null || echo '?'), redis-py $(git -C "$PY_CHECKOUT" rev-parse --short HEAD 2>/dev/null || echo '?')" >&2

# --- servers ---------------------------------------------------------------

# Starts the backend and edgestash-server over it; sets URL and TOKEN.
start_servers() {
  local backend=$1 log=$2 port args
  TOKEN="oracle-$RANDOM$RANDOM"
  if [ "$backend" = redis ]; then
    local rport
    rport=$(free_port)
    mkdir -p "$WORK/redis-$rport"
    redis-server --port "$rport" --bind 127.0.0.1 --save "" --appendonly no \
      --daemonize no --dir "$WORK/redis-$rport" >"$log.redis" 2>&1 &
    PIDS+=($!)
    for _ in $(seq 100); do
      grep -q "Ready to accept connections" "$log.redis" && break
      sleep 0.1
    done
    grep -q "Ready to accept connections" "$log.redis" || { cat "$log.redis" >&2; return 1; }
    args=(--redis "redis://127.0.0.1:$rport")
  else
    args=(--memory)
  fi
  port=$(free_port)
  "$EDGESTASH_SERVER_BIN" --listen "127.0.0.1:$port" --token "$TOKEN" "${args[@]}" >"$log" 2>&1 &
  SERVER_PID=$!
  PIDS+=($SERVER_PID)
  URL="http://127.0.0.1:$port"
  for _ in $(seq 200); do
    curl -s -o /dev/null "$URL/" && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.1
  done
  cat "$log" >&2
  return 1
}

stop_servers() {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  PIDS=()
}

# --- the cells -------------------------------------------------------------

run_cell() {
  local suite=$1 backend=$2 cell="$1-$2" rc=0
  local log="$OUT/$cell.log" junit="$OUT/$cell.junit.xml"
  rm -f "$log" "$junit" "$OUT/$cell.status"
  step "$suite over $backend"
  if ! start_servers "$backend" "$OUT/server-$cell.log"; then
    echo "server did not start" >"$OUT/$cell.status"
    stop_servers
    return
  fi
  local start=$SECONDS
  if [ "$suite" = js ]; then
    (cd "$WORK/redis-js/packages/redis" &&
      UPSTASH_REDIS_REST_URL="$URL" UPSTASH_REDIS_REST_TOKEN="$TOKEN" DO_NOT_TRACK=1 \
        timeout -k 30 "$SUITE_TIMEOUT" "$BUN" test pkg --timeout 20000 \
        --reporter=junit --reporter-outfile="$junit" >"$log" 2>&1) || rc=$?
  else
    (cd "$WORK/redis-py" &&
      UPSTASH_REDIS_REST_URL="$URL" UPSTASH_REDIS_REST_TOKEN="$TOKEN" PYTHONDONTWRITEBYTECODE=1 \
        timeout -k 30 "$SUITE_TIMEOUT" "$PY_VENV/bin/python" -m pytest tests -p no:cacheprovider \
        --timeout 60 -q -rfE --junitxml="$junit" >"$log" 2>&1) || rc=$?
  fi
  echo "exit $rc after $((SECONDS - start)) s" >"$OUT/$cell.status"
  [ "$rc" -ne 124 ] && [ "$rc" -ne 137 ] || echo "timed out after $SUITE_TIMEOUT s" >"$OUT/$cell.status"
  kill -0 "$SERVER_PID" 2>/dev/null || echo "edgestash-server died during the run" >>"$OUT/$cell.status"
  stop_servers
  tail -3 "$log" >&2
}

for suite in "${SUITES[@]}"; do
  for backend in "${BACKENDS[@]}"; do run_cell "$suite" "$backend"; done
done

# --- the table -------------------------------------------------------------

step "summary"
"$PY_VENV/bin/python" - "$OUT" "${SUITES[*]}" "${BACKENDS[*]}" <<'PY' | tee "$OUT/summary.txt"
import html, os, re, sys, xml.etree.ElementTree as ET
from collections import defaultdict

out, suites, backends = sys.argv[1], sys.argv[2].split(), sys.argv[3].split()
NAMES = {"js": "@upstash/redis (bun)", "py": "upstash-redis (pytest)"}
ERROR_LINE = re.compile(r"^\s*(\w*Error|error|Expected|Received|[-+] )[:\s]")


def bun_cases(log):
    """(file, name, outcome, message) from bun's text output: file headers,
    then (pass|fail|skip|todo) lines; a failure's error is printed above it.
    (bun's JUnit report carries no failure message, and only the innermost
    describe as classname.)"""
    file, block = "?", []
    for line in open(log, errors="replace"):
        line = line.rstrip("\n")
        if re.match(r"^\d+ tests? (failed|skipped|todo):$", line):
            break  # bun's closing recap repeats the results
        m = re.match(r"^(\S+\.test\.ts):$", line)
        if m:
            file, block = m.group(1), []
            continue
        m = re.match(r"^\((pass|fail|skip|todo)\) (.*?)(?: \[[\d.]+m?s\])?$", line)
        if m:
            outcome = {"pass": "passed", "fail": "failed", "skip": "skipped", "todo": "skipped"}[m.group(1)]
            msg = " | ".join(l.strip() for l in block if ERROR_LINE.match(l))[:400]
            yield file, m.group(2), outcome, msg
            block = []
        else:
            block.append(line)


def junit_cases(path):
    """(file, name, outcome, message) for every testcase of pytest's JUnit report."""
    for case in ET.parse(path).getroot().iter("testcase"):
        cls = case.get("classname", "?")
        file = cls.replace(".", "/") + ".py"
        outcome, msg = "passed", ""
        for sub in case:
            if sub.tag in ("failure", "error"):
                outcome, msg = "failed", (sub.get("message") or sub.text or "").strip().splitlines()[0:1]
                msg = msg[0][:400] if msg else ""
            elif sub.tag == "skipped":
                outcome = "skipped"
        yield file, html.unescape(case.get("name", "?")), outcome, msg


rows, families, harness_error = [], {}, False
for s in suites:
    for b in backends:
        cell = f"{s}-{b}"
        path = os.path.join(out, f"{cell}.status")
        status = open(path).read().strip().replace("\n", "; ") if os.path.exists(path) else "not run"
        report = os.path.join(out, f"{cell}.log" if s == "js" else f"{cell}.junit.xml")
        if not os.path.exists(report) or "did not start" in status:
            harness_error = True
            rows.append((NAMES[s], b, "-", "-", "-", status))
            continue
        if "timed out" in status or "died" in status:
            harness_error = True
        counts, fails = defaultdict(int), defaultdict(list)
        for f, name, outcome, msg in (bun_cases(report) if s == "js" else junit_cases(report)):
            counts[outcome] += 1
            if outcome == "failed":
                fails[f].append((name, msg))
        rows.append((NAMES[s], b, counts["passed"], counts["failed"], counts["skipped"], status))
        families[cell] = fails
        with open(os.path.join(out, f"{cell}.failures.txt"), "w") as fh:
            for f in sorted(fails):
                fh.write(f"{f} ({len(fails[f])})\n")
                for name, msg in fails[f]:
                    fh.write(f"    {name}\n        {msg}\n")

print(f"{'suite':<24} {'backend':<8} {'passed':>7} {'failed':>7} {'skipped':>8}  run")
for r in rows:
    print(f"{r[0]:<24} {r[1]:<8} {r[2]:>7} {r[3]:>7} {r[4]:>8}  {r[5]}")
for cell, fails in families.items():
    if not fails:
        continue
    print(f"\nfailing tests of {cell}, by file ({sum(len(v) for v in fails.values())} in {len(fails)} files; errors in {cell}.failures.txt):")
    for f in sorted(fails):
        names = "; ".join(n for n, _ in fails[f])
        print(f"  {f} ({len(fails[f])}): {names[:300]}{'...' if len(names) > 300 else ''}")
sys.exit(2 if harness_error else 0)
PY
