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

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
RPORT=$(free_port)
redis-server --port "$RPORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize no >/dev/null &
RPID=$!
EPORT=$(free_port)
TOKEN="bench-$RANDOM"
target/release/edgestash-server --listen "127.0.0.1:$EPORT" --redis "redis://127.0.0.1:$RPORT" --token "$TOKEN" >/dev/null 2>&1 &
EPID=$!
trap 'kill $EPID $RPID 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$EPORT/" && break; sleep 0.1; done

node js/bench/redis-upstash.mjs "http://127.0.0.1:$EPORT" "$TOKEN" "${1:-2}" "${2:-50}" "${3:-3}"
