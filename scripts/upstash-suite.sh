#!/usr/bin/env bash
# Runs @upstash/redis's own test suite (packages/redis, with bun) against
# edgestash's `Redis` and against @upstash/redis's own, each over a fresh
# redis-server behind a release edgestash-server (js/test/upstash-suite/).
#
#   ./scripts/upstash-suite.sh [CHECKOUT] [run.mjs options...]
#
# CHECKOUT: an upstash/redis-js checkout, only read (default
# /work/oracle/redis-js). Options: --target edgestash|upstash|both,
# --set public|commands|all, --out DIR (default /tmp/edgestash-upstash-suite),
# --grep PATTERN. bun comes from npm (@oven/bun-<platform>, pinned to the
# version the suite's @types/bun names) into ~/.cache/edgestash; the suite
# is copied to --out and only its import lines change.
set -euo pipefail
source "$(dirname "$0")/wasm-env.sh"
cd "$EDGESTASH_ROOT"

BUN_VERSION=1.3.6
checkout=/work/oracle/redis-js
if [ $# -gt 0 ] && [ "${1#--}" = "$1" ]; then checkout=$1; shift; fi
[ -f "$checkout/packages/redis/pkg/redis.ts" ] || { echo "not an upstash/redis-js checkout: $checkout" >&2; exit 1; }
command -v redis-server >/dev/null || { echo "redis-server is required (apt-get install redis-server)" >&2; exit 1; }

ensure_node_modules
if [ -z "${BUN:-}" ]; then
  case "$(uname -m)" in
    x86_64) platform=linux-x64 ;;
    aarch64) platform=linux-aarch64 ;;
    *) echo "no bun package for $(uname -m)" >&2; exit 1 ;;
  esac
  tools="${XDG_CACHE_HOME:-$HOME/.cache}/edgestash/bun-$BUN_VERSION"
  BUN="$tools/node_modules/@oven/bun-$platform/bin/bun"
  if [ ! -x "$BUN" ]; then
    mkdir -p "$tools"
    npm install --prefix "$tools" --no-save --no-audit --no-fund "@oven/bun-$platform@$BUN_VERSION" >&2
  fi
  export BUN
fi

[ -f js/pkg/edgestash_bg.wasm ] || ./scripts/js-build.sh
if [ -z "${EDGESTASH_SERVER_BIN:-}" ]; then
  cargo build --release -p edgestash-server
  export EDGESTASH_SERVER_BIN="$EDGESTASH_ROOT/target/release/edgestash-server"
fi

cd js
node test/upstash-suite/run.mjs --checkout "$checkout" "$@"
