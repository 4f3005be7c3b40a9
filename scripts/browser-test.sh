#!/usr/bin/env bash
# Headless-browser check of edgestash-server's /dashboard: starts a scratch
# redis-server and edgestash-server on free loopback ports, runs load, loads
# the page in Chromium (playwright-core, server/dashboard-test/check.mjs),
# checks that the charts render with data that changes, and saves
# target/artifacts/dashboard.png.
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
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
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
