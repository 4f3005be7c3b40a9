# Sourced by the bench scripts: starts a throwaway redis-server and the
# release edgestash-server over it on free loopback ports, stopped on exit.
# Sets RPORT (Redis), EPORT, URL and TOKEN (edgestash-server). The caller
# builds target/release/edgestash-server first.

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
