#!/usr/bin/env bash
# The Rust client's tour, on the embedded default: no Redis, no credentials.
#
#   ./scripts/client-tour.sh                                  # embedded engine
#   ./scripts/client-tour.sh --redis redis://127.0.0.1:6379   # a real redis-server
#
# Builds edgestash-server, starts it in process on a free loopback port and
# runs the client tour against it over HTTP (server/examples/quickstart.rs).
# (The README's first command, scripts/quickstart.sh, runs the edge gateway.)
set -euo pipefail
cd "$(dirname "$0")/.."
exec cargo run --quiet --locked -p edgestash-server --example quickstart -- "$@"
