#!/usr/bin/env bash
# The main job in one command: the edge gateway (the Cloudflare Worker of
# src/worker.rs, under workerd via `wrangler dev`) in two processes, as two
# edge locations would run it, sharing one edgestash-server, in front
# of a tiny demo origin (scripts/origin.mjs), with a tour of what it does.
# The shared edgestash-server runs on the embedded engine (no Redis, no
# credentials); --redis puts it over a local redis-server instead.
#
#   ./scripts/quickstart.sh          # tour, then keeps serving until Ctrl-C
#   ./scripts/quickstart.sh --tour   # tour, then exits (non-interactive; scripts/test.sh)
#   ./scripts/quickstart.sh --redis  # the same over a local redis-server (must be installed)
#
# Installs what is missing (scripts/wasm-env.sh: the wasm32 target, pinned
# wasm-bindgen-cli and worker-build, wrangler from js/node_modules), builds
# edgestash-server and the Worker (wrangler.toml's [build]), starts the
# origin, the server and both gateways on free loopback ports (each gateway
# with its own Cache API store), then shows with curl: health, the cache
# tiers (MISS from the origin on one gateway, HIT from Redis on the other,
# then from its own Cache API: X-Cache and X-Cache-Tier), a purge, an
# uncached route, sessions, a 429, and the dashboard's totals summed over
# both gateways. Every step checks its status code, so the tour fails
# loudly if the gateway misbehaves.
# The Rust client's own tour is ./scripts/client-tour.sh.
set -euo pipefail
source "$(dirname "$0")/wasm-env.sh"
cd "$EDGESTASH_ROOT"

tour_only=false
use_redis=false
for arg in "$@"; do
  case "$arg" in
    --tour) tour_only=true ;;
    --redis) use_redis=true ;;
    *) echo "usage: $0 [--tour] [--redis]" >&2; exit 64 ;;
  esac
done

for tool in node curl; do
  command -v "$tool" >/dev/null || { echo "$tool is required" >&2; exit 1; }
done
ensure_wasm_target
ensure_wasm_bindgen
ensure_worker_build
ensure_node_modules
export_wasm_env

echo "building edgestash-server..."
cargo build --quiet --locked -p edgestash-server --bin edgestash-server

free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
origin_port="$(free_port)"
server_port="$(free_port)"
admin="quickstart-admin-$RANDOM$RANDOM"
secret="quickstart-session-secret-$RANDOM$RANDOM$RANDOM$RANDOM"
token="quickstart-token-$RANDOM$RANDOM$RANDOM"
work="$(mktemp -d)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -- "-$p" 2>/dev/null || kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

setsid node scripts/origin.mjs "$origin_port" >/dev/null &
pids+=($!)
if $use_redis; then
  command -v redis-server >/dev/null || { echo "--redis needs redis-server installed" >&2; exit 1; }
  redis_port="$(free_port)"
  setsid redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no >/dev/null &
  pids+=($!)
  backend=(--redis "redis://127.0.0.1:$redis_port")
  backend_name="redis-server on 127.0.0.1:$redis_port"
else
  backend=(--memory)
  backend_name="its embedded engine (no Redis, no credentials)"
fi
EDGESTASH_TOKEN="$token" RUST_LOG=warn setsid ./target/debug/edgestash-server \
  --listen "127.0.0.1:$server_port" "${backend[@]}" >"$work/server.log" 2>&1 &
pids+=($!)

# start_gateway <name>: wrangler dev on a free port with its own Cache API
# store (--persist-to), over the shared edgestash-server; prints the URL.
start_gateway() {
  local name="$1" port inspector log
  port="$(free_port)"
  inspector="$(free_port)"
  log="$work/$name.log"
  setsid wrangler dev --local --ip 127.0.0.1 --port "$port" --inspector-port "$inspector" \
    --persist-to "$work/$name-cache" \
    --var MOCK_REDIS:false --var APP_ENV:development \
    --var "UPSTASH_REDIS_REST_URL:http://127.0.0.1:$server_port" --var "UPSTASH_REDIS_REST_TOKEN:$token" \
    --var "ORIGIN_URL:http://127.0.0.1:$origin_port" --var CACHE_PREFIXES:/static/ --var L1_TTL_SECONDS:5 \
    --var RATELIMIT_LIMIT:10 --var RATELIMIT_WINDOW:60s --var DEFAULT_WORKSPACE:public \
    --var "ADMIN_TOKEN:$admin" --var "SESSION_SECRET:$secret" >"$log" 2>&1 &
  pids+=($!)
  local pid=$!
  gateway_pid=$pid
  for _ in $(seq 1 600); do
    grep -q "Ready on http" "$log" && break
    if ! kill -0 "$pid" 2>/dev/null; then cat "$log" >&2; echo "wrangler dev ($name) exited" >&2; exit 1; fi
    sleep 1
  done
  grep -q "Ready on http" "$log" || { cat "$log" >&2; echo "wrangler dev ($name) did not start" >&2; exit 1; }
  base="http://127.0.0.1:$port"
}
echo "building the Worker and starting two wrangler dev processes (the first build takes a few minutes)..."
# One after the other: each start runs the [build] command.
start_gateway gateway-a
a="$base"
a_pid="$gateway_pid"
start_gateway gateway-b
b="$base"
base="$a"

# show <expected status> <curl args...>: prints the request, the status,
# the interesting headers and the body; fails on another status.
show() {
  local expected="$1"
  shift
  echo
  local shown="" arg
  for arg in "$@"; do
    case "$arg" in *[\ \"{}]*) shown+=" '$arg'" ;; *) shown+=" $arg" ;; esac
  done
  echo "\$ curl$shown"
  local out status
  out="$(curl -s -i "$@")"
  last="$out"
  status="$(printf '%s\n' "$out" | head -1 | awk '{print $2}')"
  printf '%s\n' "$out" | tr -d '\r' | awk '
    NR == 1 { print "  " $0; next }
    /^$/ { body = 1; next }
    body { if (length($0) > 200) $0 = substr($0, 1, 200) "..."; print "  " $0; next }
    tolower($0) ~ /^(content-type|x-cache|ratelimit-|retry-after|set-cookie)/ { print "  " $0 }'
  if [ "$status" != "$expected" ]; then
    echo "expected HTTP $expected, got ${status:-no answer}" >&2
    exit 1
  fi
}

echo
echo "== two gateways ($a and $b) share one edgestash-server (over $backend_name)"
show 200 "$a/health/redis"
show 200 "$b/readyz"
echo
echo "== tiered cache: a MISS on gateway A (from the origin) is a HIT on gateway B (from Redis: L2),"
echo "   then from B's own Cache API (L1); X-Cache-Tier says which tier answered"
show 200 "$a/static/hello.txt"
show 200 "$b/static/hello.txt"
sleep 1
show 200 "$b/static/hello.txt"
echo
echo "== purge (admin token): Redis at once, this location's L1 at once, other locations' L1 within L1_TTL_SECONDS (5 s)"
show 200 -X POST -H "Authorization: Bearer $admin" -d '{"paths":["/static/hello.txt"]}' "$a/api/v1/admin/cache/purge"
show 200 "$a/static/hello.txt"
echo
echo "== other paths are proxied uncached; workspaces (X-Workspace) keep state apart"
show 200 "$base/api/items?page=1"
show 200 -H "X-Workspace: team-42" "$base/static/hello.txt"
show 400 -H "X-Workspace: not a valid id" "$base/static/hello.txt"
echo
echo "== sessions: signed Secure HttpOnly cookie"
show 200 -X POST -H "Content-Type: application/json" -d '{"user":"ada"}' "$base/session/login"
cookie="$(printf '%s\n' "$last" | tr -d '\r' | awk -F'[ ;]' 'tolower($1) == "set-cookie:" { print $2 }')"
[ -n "$cookie" ] || { echo "login set no cookie" >&2; exit 1; }
show 200 -H "Cookie: $cookie" "$base/session/me"
show 200 -X POST -H "Cookie: $cookie" "$base/session/logout"
show 401 -H "Cookie: $cookie" "$base/session/me"
echo
echo "== rate limit: 10 requests per minute per API key (else per client IP)"
for _ in $(seq 1 10); do curl -s -o /dev/null -H "X-API-Key: demo-key" "$base/api/items"; done
show 429 -H "X-API-Key: demo-key" "$base/api/items"
echo
echo "== admin (bearer ADMIN_TOKEN): metrics, and the dashboard's totals summed over both gateways"
show 401 "$base/api/v1/admin/redis-metrics"
# Each gateway reports into Redis in the background at most every 5 s:
# wait until the totals read from B include A's requests too.
for _ in $(seq 1 30); do
  isolates="$(curl -s -H "Authorization: Bearer $admin" "$b/metrics.json" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{try{console.log((JSON.parse(s).window||{}).isolates||0)}catch{console.log(0)}})')"
  [ "$isolates" -ge 2 ] && break
  sleep 0.5
done
[ "$isolates" -ge 2 ] || { echo "the totals never included both gateways" >&2; exit 1; }
echo
echo "\$ curl -H 'Authorization: Bearer ...' $b/metrics.json   (summary)"
curl -s -H "Authorization: Bearer $admin" "$b/metrics.json" | node -e '
  let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
    const m = JSON.parse(s);
    console.log(`  last ${Math.round(m.window.span_ms / 1000)} s, ${m.window.isolates} isolates reported: ${m.requests} Redis requests, ` +
      `cache ${m.cache.hits} hits / ${m.cache.misses} misses, answers ${JSON.stringify(m.responses)}`);
    console.log(`  alerts firing: ${m.alerts.filter((a) => a.firing).map((a) => a.name).join(", ") || "none"}`);
  });'
echo
echo "Gateways:  $a  $b   (origin: http://127.0.0.1:$origin_port, edgestash-server: http://127.0.0.1:$server_port)"
echo "Dashboard: $a/dashboard (it asks for the admin token: $admin)"
echo "Point it at Upstash instead: README.md, section \"At the edge\"."
if $tour_only; then
  echo "tour done"
  exit 0
fi
echo "Serving until Ctrl-C (gateway A's wrangler dev log follows)."
tail -n 0 -f "$work/gateway-a.log" &
pids+=($!)
wait "$a_pid"
