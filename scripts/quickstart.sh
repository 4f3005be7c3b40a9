#!/usr/bin/env bash
# The main job in one command: the edge gateway (the Cloudflare Worker of
# src/worker.rs, under workerd via `wrangler dev`) on the embedded engine
# (MOCK_REDIS=true: no Redis, no credentials), in front of a tiny demo
# origin (scripts/origin.mjs), with a tour of what it does.
#
#   ./scripts/quickstart.sh          # tour, then keeps serving until Ctrl-C
#   ./scripts/quickstart.sh --tour   # tour, then exits (non-interactive; scripts/test.sh)
#
# Installs what is missing (scripts/wasm-env.sh: the wasm32 target, pinned
# wasm-bindgen-cli and worker-build, wrangler from js/node_modules), builds
# the Worker (wrangler.toml's [build]), starts the origin and the gateway on
# free loopback ports, then shows health, cache MISS/HIT, an uncached
# route, sessions and a 429 with curl. Every step checks its status code, so
# the tour fails loudly if the gateway misbehaves.
# The Rust client's own tour is ./scripts/client-tour.sh.
set -euo pipefail
source "$(dirname "$0")/wasm-env.sh"
cd "$EDGESTASH_ROOT"

tour_only=false
[ "${1:-}" = "--tour" ] && tour_only=true

for tool in node curl; do
  command -v "$tool" >/dev/null || { echo "$tool is required" >&2; exit 1; }
done
ensure_wasm_target
ensure_wasm_bindgen
ensure_worker_build
ensure_node_modules
export_wasm_env

free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
origin_port="$(free_port)"
port="$(free_port)"
inspector_port="$(free_port)"
admin="quickstart-admin-$RANDOM$RANDOM"
secret="quickstart-session-secret-$RANDOM$RANDOM$RANDOM$RANDOM"
log="$(mktemp)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -- "-$p" 2>/dev/null || kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -f "$log"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

setsid node scripts/origin.mjs "$origin_port" >/dev/null &
pids+=($!)
echo "building the Worker and starting wrangler dev (first build takes a few minutes)..."
setsid wrangler dev --local --ip 127.0.0.1 --port "$port" --inspector-port "$inspector_port" \
  --var MOCK_REDIS:true --var APP_ENV:development \
  --var "ORIGIN_URL:http://127.0.0.1:$origin_port" --var CACHE_PREFIXES:/static/ \
  --var RATELIMIT_LIMIT:10 --var RATELIMIT_WINDOW:60s --var DEFAULT_WORKSPACE:public \
  --var "ADMIN_TOKEN:$admin" --var "SESSION_SECRET:$secret" >"$log" 2>&1 &
pids+=($!)
for _ in $(seq 1 600); do
  grep -q "Ready on http" "$log" && break
  if ! kill -0 "${pids[1]}" 2>/dev/null; then cat "$log" >&2; echo "wrangler dev exited" >&2; exit 1; fi
  sleep 1
done
grep -q "Ready on http" "$log" || { cat "$log" >&2; echo "wrangler dev did not start" >&2; exit 1; }
base="http://127.0.0.1:$port"

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
echo "== the gateway answers on $base (MOCK_REDIS=true: the embedded engine)"
show 200 "$base/health/redis"
show 200 "$base/readyz"
echo
echo "== cache in front of the origin: GET /static/* is stored in Redis (X-Cache: MISS, then HIT)"
show 200 "$base/static/hello.txt"
show 200 "$base/static/hello.txt"
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
echo "== admin (bearer ADMIN_TOKEN): metrics, and the live dashboard"
show 401 "$base/api/v1/admin/redis-metrics"
show 200 -H "Authorization: Bearer $admin" "$base/api/v1/admin/redis-metrics"

echo
echo "Gateway:   $base   (origin: http://127.0.0.1:$origin_port)"
echo "Dashboard: $base/dashboard?token=$admin"
echo "Point it at edgestash-server or Upstash: README.md, section \"At the edge\"."
if $tour_only; then
  echo "tour done"
  exit 0
fi
echo "Serving until Ctrl-C (wrangler dev log follows)."
tail -n 0 -f "$log" &
pids+=($!)
wait "${pids[1]}"
