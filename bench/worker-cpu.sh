#!/usr/bin/env bash
# Worker CPU per gateway request, measured on the workerd processes that
# `wrangler dev` starts: sends N requests one at a time (keep-alive, from
# node), reads utime+stime of every workerd process before and after
# (/proc/<pid>/stat), divides the difference by N. Prints a table.
#
#   ./bench/worker-cpu.sh [N]          (default 2000)
#   WORKER_CPU_VARS='L1_TTL_SECONDS:0' ./bench/worker-cpu.sh   (extra
#              `--var NAME:VALUE` pairs for every Worker: here the L2-only path)
#
# An UPPER BOUND of what Cloudflare bills as CPU time: it includes workerd's
# own HTTP parsing and serving of the request (on Cloudflare that runs
# outside the isolate) and, in `rest` mode, the HTTP client work of the
# subrequests to edgestash-server. Cases:
#   empty-js   (mode `floor`) an empty JavaScript Worker (bench/worker-floor):
#              workerd's own per-request cost under wrangler dev, to subtract
#   readyz     GET /readyz (no Redis call once ready): workerd + config parse
#   cache-hit  GET /static/hit: rate limit (one EVALSHA) + cache hit (one GET)
#   hit-no-rl  the same with RATELIMIT_LIMIT=0: the cache hit alone
# each in two modes: `mock` (MOCK_REDIS=true, the engine in the isolate)
# and `rest` (edgestash-server --memory on loopback, so every Redis call is
# a real fetch; edgestash-server's own CPU is not counted).
# Clock-tick resolution (10 ms) over N requests: ±10 ms / N per case.
set -euo pipefail
source "$(dirname "$0")/../scripts/wasm-env.sh"
cd "$EDGESTASH_ROOT"
n="${1:-2000}"
ensure_wasm_target
ensure_wasm_bindgen
ensure_worker_build
ensure_node_modules
export_wasm_env
cargo build --quiet --release --locked -p edgestash-server --bin edgestash-server

free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
tck="$(getconf CLK_TCK)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill -- "-$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

origin_port="$(free_port)"
setsid node scripts/origin.mjs "$origin_port" >/dev/null &
pids+=($!)
rest_port="$(free_port)"
token="bench-$RANDOM$RANDOM"
EDGESTASH_TOKEN="$token" RUST_LOG=warn setsid ./target/release/edgestash-server --listen "127.0.0.1:$rest_port" --memory >/dev/null 2>&1 &
pids+=($!)

# Sum of utime+stime (clock ticks) of the workerd processes in group $1.
cpu_ticks() {
  local total=0 pid
  for pid in $(pgrep -g "$1" -x workerd); do
    total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat")))
  done
  echo "$total"
}

# drive <url> <count>: sequential keep-alive GETs, each must answer 200.
drive() {
  node -e '
    const [url, count] = [process.argv[1], Number(process.argv[2])];
    (async () => {
      for (let i = 0; i < count; i++) {
        const r = await fetch(url, { headers: { "X-API-Key": "bench" } });
        await r.arrayBuffer();
        if (r.status !== 200) { console.error(`HTTP ${r.status} from ${url}`); process.exit(1); }
      }
    })();' "$1" "$2"
}

printf '\n| mode | case | requests | workerd CPU (ms) | CPU per request (ms) |\n|---|---|---|---|---|\n' > /tmp/worker-cpu-table.$$
run_mode() { # run_mode <mode> <ratelimit limit> <case names...>
  local mode="$1" limit="$2"
  shift 2
  local config=()
  [ "$mode" = floor ] && config=(--config bench/worker-floor/wrangler.toml)
  local port inspector log gid
  port="$(free_port)"
  inspector="$(free_port)"
  log="$(mktemp)"
  local extra=() v
  for v in ${WORKER_CPU_VARS:-}; do extra+=(--var "$v"); done
  local redis=(--var MOCK_REDIS:true)
  [ "$mode" = rest ] && redis=(--var MOCK_REDIS:false --var "UPSTASH_REDIS_REST_URL:http://127.0.0.1:$rest_port" --var "UPSTASH_REDIS_REST_TOKEN:$token")
  setsid wrangler dev "${config[@]}" --local --ip 127.0.0.1 --port "$port" --inspector-port "$inspector" "${redis[@]}" \
    --var APP_ENV:development --var "ORIGIN_URL:http://127.0.0.1:$origin_port" --var CACHE_PREFIXES:/static/ \
    --var CACHE_TTL_SECONDS:3600 --var "RATELIMIT_LIMIT:$limit" --var RATELIMIT_WINDOW:1d \
    --var DEFAULT_WORKSPACE:bench --var LOG_LEVEL:info "${extra[@]}" >"$log" 2>&1 &
  gid=$!
  pids+=("$gid")
  for _ in $(seq 1 600); do grep -q "Ready on http" "$log" && break; sleep 1; done
  grep -q "Ready on http" "$log" || { cat "$log" >&2; exit 1; }
  local name path before after
  for name in "$@"; do
    case "$name" in readyz) path=/readyz ;; empty-js) path=/ ;; *) path=/static/hit ;; esac
    drive "http://127.0.0.1:$port$path" 200 # warm-up (and the cache MISS that fills it)
    before="$(cpu_ticks "$gid")"
    drive "http://127.0.0.1:$port$path" "$n"
    after="$(cpu_ticks "$gid")"
    awk -v m="$mode" -v c="$name" -v n="$n" -v t=$((after - before)) -v hz="$tck" \
      'BEGIN { ms = t * 1000 / hz; printf "| %s | %s | %d | %d | %.3f |\n", m, c, n, ms, ms / n }' >> /tmp/worker-cpu-table.$$
  done
  kill -- "-$gid" 2>/dev/null || true
  rm -f "$log"
}

run_mode floor 0 empty-js
run_mode mock 1000000000 readyz cache-hit
run_mode mock 0 hit-no-rl
run_mode rest 1000000000 readyz cache-hit
run_mode rest 0 hit-no-rl
cat /tmp/worker-cpu-table.$$
rm -f /tmp/worker-cpu-table.$$
