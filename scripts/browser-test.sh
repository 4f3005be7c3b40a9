#!/usr/bin/env bash
# Headless-browser check of the dashboard: starts a scratch redis-server and
# edgestash-server on free loopback ports, runs load, loads the page in
# Chromium (playwright-core, server/dashboard-test/check.mjs), checks that
# the charts render with data that changes, and saves
# target/artifacts/dashboard.png. Then the same page served by the Worker
# gateway (wrangler dev, MOCK_REDIS=true, in front of scripts/origin.mjs)
# under gateway load: target/artifacts/dashboard-worker.png.
#
#   ./scripts/browser-test.sh
#
# Installs (only when absent): chromium and chromium-driver (apt), and the
# npm packages of server/dashboard-test (playwright-core, pinned in its
# package-lock.json).
set -euo pipefail
cd "$(dirname "$0")/.."

need_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

if ! command -v chromium >/dev/null 2>&1; then
  echo "installing chromium and chromium-driver (apt)"
  need_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive need_root apt-get install -y -qq chromium chromium-driver >/dev/null
fi
if [ ! -d server/dashboard-test/node_modules/playwright-core ]; then
  (cd server/dashboard-test && npm ci --silent)
fi

cargo build --locked -q -p edgestash-server
mkdir -p target/artifacts

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
redis_port="$(free_port)"
http_port="$(free_port)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill -- "-$p" 2>/dev/null || kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --loglevel warning >/dev/null &
pids+=($!)
for _ in $(seq 1 100); do
  redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break
  sleep 0.1
done
token="browser-test-token"
admin="browser-test-admin"
RUST_LOG=warn ./target/debug/edgestash-server --listen "127.0.0.1:$http_port" \
  --redis "redis://127.0.0.1:$redis_port" --token "$token" --admin-token "$admin" &
pids+=($!)
for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$http_port/readyz" >/dev/null 2>&1 && break
  sleep 0.1
done

node server/dashboard-test/check.mjs "http://127.0.0.1:$http_port" "$token" "$admin" target/artifacts/dashboard.png

# The Worker's copy of the page (tools as in scripts/wasm-env.sh).
source scripts/wasm-env.sh
ensure_wasm_target
ensure_wasm_bindgen
ensure_worker_build
ensure_node_modules
export_wasm_env
origin_port="$(free_port)"
worker_port="$(free_port)"
inspector_port="$(free_port)"
wlog="$(mktemp)"
setsid node scripts/origin.mjs "$origin_port" >/dev/null &
pids+=($!)
setsid wrangler dev --local --ip 127.0.0.1 --port "$worker_port" --inspector-port "$inspector_port" \
  --var MOCK_REDIS:true --var "ORIGIN_URL:http://127.0.0.1:$origin_port" --var CACHE_PREFIXES:/static/ \
  --var RATELIMIT_LIMIT:0 --var "ADMIN_TOKEN:$admin" >"$wlog" 2>&1 &
pids+=($!)
for _ in $(seq 1 600); do
  grep -q "Ready on http" "$wlog" && break
  sleep 1
done
grep -q "Ready on http" "$wlog" || { cat "$wlog" >&2; exit 1; }
node server/dashboard-test/check.mjs "http://127.0.0.1:$worker_port" --worker "$admin" target/artifacts/dashboard-worker.png
