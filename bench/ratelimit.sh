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

# shellcheck source=bench/backend.sh
source bench/backend.sh

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
