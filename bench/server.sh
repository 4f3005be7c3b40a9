#!/usr/bin/env bash
# edgestash-server's throughput next to its floors, in one run: an nginx
# answering a static `{"result":"OK"}` (the cost of HTTP alone, one worker)
# and redis-benchmark straight to the same redis-server (the cost of Redis
# alone). wrk drives both HTTP servers with the same POST, bearer token and
# keep-alive. Prints one table per run and the best ratios over the runs.
#
#   ./bench/server.sh [seconds-per-case] [runs]      (default 5 s, 2 runs)
#
# Installs wrk and nginx-light with apt-get when missing; needs
# redis-server and redis-benchmark (Debian package redis-server). The
# edgestash-server measured is the release build with its defaults: auth,
# limits and timeouts on, as in production.
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-5}"
runs="${2:-2}"

need=()
command -v wrk >/dev/null || need+=(wrk)
[ -x /usr/sbin/nginx ] || need+=(nginx-light)
if [ ${#need[@]} -gt 0 ]; then
  sudo_=""; [ "$(id -u)" = 0 ] || sudo_="sudo"
  $sudo_ apt-get install -y --no-install-recommends "${need[@]}" >/dev/null
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
cargo build --quiet --release --locked -p edgestash-server --bin edgestash-server

work=$(mktemp -d)
rport=$(free_port); eport=$(free_port); nport=$(free_port); token="bench-$RANDOM$RANDOM"
redis-server --port "$rport" --bind 127.0.0.1 --save '' --appendonly no --loglevel warning &
rpid=$!
EDGESTASH_TOKEN="$token" RUST_LOG=warn ./target/release/edgestash-server \
  --listen "127.0.0.1:$eport" --redis "redis://127.0.0.1:$rport" &
epid=$!
mkdir -p "$work/nginx"
cat >"$work/nginx/nginx.conf" <<EOF
worker_processes 1;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fastcgi;
  uwsgi_temp_path $work/nginx/uwsgi;
  scgi_temp_path $work/nginx/scgi;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$nport;
    location / { default_type application/json; return 200 '{"result":"OK"}'; }
  }
}
EOF
/usr/sbin/nginx -c "$work/nginx/nginx.conf" -p "$work/nginx" -g 'daemon off;' &
npid=$!
trap 'kill $rpid $epid $npid 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do
  curl -fsS -o /dev/null -H "Authorization: Bearer $token" -d '["PING"]' "http://127.0.0.1:$eport/" 2>/dev/null &&
    curl -fsS -o /dev/null "http://127.0.0.1:$nport/" 2>/dev/null && break
  sleep 0.1
done

# One wrk script per request body: POST, bearer token, keep-alive.
script() { # name body
  cat >"$work/$1.lua" <<EOF
wrk.method = "POST"
wrk.body = '$2'
wrk.headers["Authorization"] = "Bearer $token"
wrk.headers["Content-Type"] = "application/json"
EOF
  echo "$work/$1.lua"
}
set_lua=$(script set '["SET","foo","bar"]')
get_lua=$(script get '["GET","foo"]')
incr16=$(python3 -c 'import json; print(json.dumps([["INCR","c"]]*16, separators=(",",":")))')
pipe_lua=$(script pipe "$incr16")

# wrk's requests/s, or with `p50` its median latency in microseconds.
wrk_run() { # lua url connections [p50]
  local out
  out=$(wrk -t1 -c"$3" -d"${secs}s" --latency -s "$1" "$2")
  if [ "${4:-}" = p50 ]; then
    awk '/^ +50%/ { v=$2; u=v; gsub(/[0-9.]/, "", u); gsub(/[a-z]/, "", v);
      m = (u=="us") ? 1 : (u=="ms") ? 1000 : 1000000; printf "%.0f\n", v*m }' <<<"$out"
  else
    awk '/^Requests\/sec:/ { printf "%.0f\n", $2 }' <<<"$out"
  fi
}
# redis-benchmark's requests/s (or p50 in µs) for one test.
rb() { # test connections pipeline [p50]
  local n=$(( $2 == 1 ? 50000 : 1000000 ))
  redis-benchmark -p "$rport" -q -n "$n" -c "$2" -P "$3" -t "$1" --csv 2>/dev/null |
    awk -F'","' -v col="${4:-rps}" 'NR==2 { v = (col == "p50") ? $5 : $2; gsub(/"/, "", v);
      printf "%.0f\n", (col == "p50") ? v * 1000 : v }'
}
ratio() { python3 -c "print(f'{$1/$2:.2f}')"; }

best_set=0; best_get=0; best_pipe=0; best_p50=99
for run in $(seq "$runs"); do
  echo
  echo "run $run of $runs ($secs s per case; wrk -t1, keep-alive)"
  echo
  printf '| case | edgestash-server | nginx static | redis-benchmark | ratio |\n|---|---|---|---|---|\n'
  for op in set get; do
    lua=$([ "$op" = set ] && echo "$set_lua" || echo "$get_lua")
    ours=$(wrk_run "$lua" "http://127.0.0.1:$eport/" 50)
    floor=$(wrk_run "$lua" "http://127.0.0.1:$nport/" 50)
    theirs=$(rb "$op" 50 1)
    r=$(ratio "$ours" "$floor")
    printf '| %s, 50 connections (req/s) | %s | %s | %s | %s x nginx |\n' "${op^^}" "$ours" "$floor" "$theirs" "$r"
    if [ "$op" = set ]; then best_set=$(python3 -c "print(max($best_set, $r))"); else best_get=$(python3 -c "print(max($best_get, $r))"); fi
  done
  reqs=$(wrk_run "$pipe_lua" "http://127.0.0.1:$eport/pipeline" 50)
  ours=$((reqs * 16))
  theirs=$(rb incr 50 16)
  r=$(ratio "$ours" "$theirs")
  best_pipe=$(python3 -c "print(max($best_pipe, $r))")
  printf '| /pipeline of 16 INCR, 50 connections (commands/s) | %s | - | %s (-P 16) | %s x redis-benchmark |\n' "$ours" "$theirs" "$r"
  ours=$(wrk_run "$get_lua" "http://127.0.0.1:$eport/" 1 p50)
  floor=$(wrk_run "$get_lua" "http://127.0.0.1:$nport/" 1 p50)
  theirs=$(rb get 1 1 p50)
  r=$(ratio "$ours" "$((floor + theirs))")
  best_p50=$(python3 -c "print(min($best_p50, $r))")
  printf '| GET p50, 1 connection (µs) | %s | %s | %s | %s x (nginx + redis-benchmark) |\n' "$ours" "$floor" "$theirs" "$r"
done
echo
echo "best of $runs: SET $best_set x nginx (goal >= 0.65), GET $best_get x nginx (goal >= 0.65),"
echo "  /pipeline of 16 $best_pipe x redis-benchmark -P 16 (goal >= 0.5), GET p50 $best_p50 x the floors' sum (goal <= 1.1)"
