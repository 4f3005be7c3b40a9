#!/usr/bin/env bash
# npm-package ops/s: edgestash (js/, the wasm build) vs @upstash/redis
# 1.39.0 on Node, against the SAME edgestash-server (release) over a real
# redis-server: GET, SET, INCR and a 10-command pipeline, 1 and 50 in flight.
#
#   ./bench/npm.sh [seconds per cell, default 2] [concurrency, default 50] [rounds, default 3]
#
# Prints a Markdown table (paste into BENCHMARKS.md, "npm package ops/s").
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

cargo build --release -q -p edgestash-server --bin edgestash-server
./scripts/js-build.sh >/dev/null

# shellcheck source=bench/backend.sh
source bench/backend.sh

node js/bench/redis-upstash.mjs "$URL" "$TOKEN" "${1:-2}" "${2:-50}" "${3:-3}"
