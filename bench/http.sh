#!/usr/bin/env bash
# edgestash native client -> edgestash-server -> redis-server, against
# redis-benchmark on the same redis-server, in one run; prints a table.
#
#   ./bench/http.sh [seconds-per-case]      (default 5)
#
# Needs redis-server and redis-benchmark (Debian package redis-server).
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-5}"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

cargo build --quiet --release --locked -p edgestash-server --bin edgestash-server
cargo build --quiet --release --locked -p edgestash-integration --example load

rport=$(free_port); eport=$(free_port); token="bench-$RANDOM$RANDOM"
redis-server --port "$rport" --bind 127.0.0.1 --save '' --appendonly no --loglevel warning &
rpid=$!
EDGESTASH_TOKEN="$token" RUST_LOG=warn ./target/release/edgestash-server \
  --listen "127.0.0.1:$eport" --redis "redis://127.0.0.1:$rport" &
epid=$!
trap 'kill $rpid $epid 2>/dev/null; wait 2>/dev/null' EXIT
for _ in $(seq 100); do
  curl -fsS -o /dev/null -H "Authorization: Bearer $token" -d '["PING"]' "http://127.0.0.1:$eport/" 2>/dev/null && break
  sleep 0.1
done

rb() { # ops/s of redis-benchmark for one test
  redis-benchmark -p "$rport" -q -n "$2" -c "$3" -P "$4" -t "$1" --csv 2>/dev/null \
    | awk -F'","' 'NR==2 {print $2}' | tr -d '"' | cut -d. -f1
}

printf '| case | callers | edgestash (ops/s) | client CPU µs/cmd | redis-benchmark (ops/s) | ratio |\n'
printf '|---|---|---|---|---|---|\n'
for case in "set 1 1" "get 1 1" "set 50 1" "get 50 1" "pipeline100 1 100" "pipeline100 50 100"; do
  set -- $case
  op=$1; callers=$2; pipe=$3
  line=$(./target/release/examples/load "http://127.0.0.1:$eport" "$token" "$op" "$callers" "$secs")
  ours=$(sed -E 's/.*ops\/s=([0-9]+).*/\1/' <<<"$line")
  cpu=$(sed -E 's/.*client_cpu_us_per_cmd=([0-9.]+).*/\1/' <<<"$line")
  t=$([ "$op" = get ] && echo get || echo set)
  n=$(( callers == 1 && pipe == 1 ? 50000 : 500000 ))
  theirs=$(rb "$t" "$n" "$callers" "$pipe")
  ratio=$(python3 -c "print(f'{$ours/$theirs*100:.0f}%')")
  printf '| %s | %s | %s | %s | %s | %s |\n' "$op" "$callers" "$ours" "$cpu" "$theirs" "$ratio"
done
