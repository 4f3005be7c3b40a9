#!/usr/bin/env bash
# The npm package's and the Worker's tests, from a fresh machine.
#
#   ./scripts/js-test.sh
#
# 1. installs what is missing (scripts/wasm-env.sh: wasm-bindgen-cli 0.2.130,
#    worker-build 0.8.7, npm ci in js/ for wrangler 4.86.0 + binaryen 132.0.0)
# 2. builds the package's wasm (scripts/js-build.sh)
# 3. builds edgestash-server; when its CLI takes --listen/--redis/--token,
#    exports EDGESTASH_SERVER_BIN so the server-backed tests run (a preset
#    EDGESTASH_SERVER_BIN is used as is); builds the ratelimit_probe example
#    (EDGESTASH_RATELIMIT_PROBE) for the @upstash/ratelimit interop test
# 4. node --test js/test/ one file at a time (the Worker tests start
#    `wrangler dev` themselves, which runs worker-build)
set -euo pipefail
source "$(dirname "$0")/wasm-env.sh"
cd "$EDGESTASH_ROOT"

step() { printf '\n== %s\n' "$*"; }

step "tools"
ensure_wasm_target
ensure_wasm_bindgen
ensure_worker_build
ensure_node_modules
export_wasm_env
command -v redis-server >/dev/null || { echo "redis-server is required (apt-get install redis-server)" >&2; exit 1; }

step "npm package wasm"
./scripts/js-build.sh

step "edgestash-server"
if [ -z "${EDGESTASH_SERVER_BIN:-}" ]; then
  cargo build -p edgestash-server
  bin="$EDGESTASH_ROOT/target/debug/edgestash-server"
  if timeout 10 "$bin" --help 2>/dev/null | grep -q -- '--listen'; then
    export EDGESTASH_SERVER_BIN="$bin"
  else
    echo "edgestash-server has no --listen CLI on this branch yet: server-backed tests will be skipped"
  fi
fi
echo "EDGESTASH_SERVER_BIN=${EDGESTASH_SERVER_BIN:-<unset>}"
if [ -z "${EDGESTASH_RATELIMIT_PROBE:-}" ]; then
  # edgestash's side of the @upstash/ratelimit interop test.
  cargo build -p edgestash-integration --example ratelimit_probe
  export EDGESTASH_RATELIMIT_PROBE="$EDGESTASH_ROOT/target/debug/examples/ratelimit_probe"
fi

step "node --test"
cd js
node --test --test-concurrency=1 test/*.test.js
