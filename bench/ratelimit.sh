#!/usr/bin/env bash
# Rate-limit decisions per second: edgestash (ratelimit_probe, Rust, release)
# vs @upstash/ratelimit 2.2.0 on Node, against the SAME edgestash-server
# (release) over a real redis-server, 50 concurrent callers, one identifier
# and 10,000 identifiers. Every decision asks Redis (no in-memory caches).
#
#   ./bench/ratelimit.sh [requests per run, default 20000]
#
# Prints a Markdown table (paste into BENCHMARKS.md, "Rate limiting").
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
REQUESTS="${1:-20000}"
CALLERS=50

cargo build --release -q -p edgestash-server --bin edgestash-server
cargo build --release -q -p edgestash-integration --example ratelimit_probe
[ -f js/node_modules/@upstash/ratelimit/package.json ] || (cd js && npm ci --no-audit --no-fund)

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
URL="http://127.0.0.1:$EPORT"

rate() { python3 -c 'import json,sys; print(round(json.loads(sys.stdin.read().strip().splitlines()[-1])["per_second"]))'; }

echo "| algorithm | identifiers | edgestash decisions/s | @upstash/ratelimit decisions/s | ratio |"
echo "|---|---|---|---|---|"
for spec in fixed:100:1d token:10:1s:100; do
  for ids in 1 10000; do
    redis-cli -p "$RPORT" FLUSHALL >/dev/null
    # warm-up (loads the scripts, opens connections)
    target/release/examples/ratelimit_probe "$URL" "$TOKEN" "$spec" bench "$ids" "$CALLERS" 500 >/dev/null
    e=$(target/release/examples/ratelimit_probe "$URL" "$TOKEN" "$spec" bench "$ids" "$CALLERS" "$REQUESTS" | rate)
    redis-cli -p "$RPORT" FLUSHALL >/dev/null
    node js/bench/ratelimit-upstash.mjs "$URL" "$TOKEN" "$spec" "$ids" "$CALLERS" 500 >/dev/null
    u=$(node js/bench/ratelimit-upstash.mjs "$URL" "$TOKEN" "$spec" "$ids" "$CALLERS" "$REQUESTS" | rate)
    ratio=$(python3 -c "print(f'{$e/$u:.2f}x')")
    echo "| ${spec%%:*} ($spec) | $ids | $e | $u | $ratio |"
  done
done
