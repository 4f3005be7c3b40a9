#!/usr/bin/env bash
# Runs the edgestash Worker locally under workerd (wrangler dev).
#
#   ./scripts/worker-dev.sh [extra wrangler args, e.g. --var APP_ENV:production]
#   PORT=8790 ./scripts/worker-dev.sh
#
# Installs what is missing (see scripts/wasm-env.sh), then `wrangler dev`
# (js/node_modules/.bin/wrangler, put first on PATH: `npx` from the repo
# root would not look in js/ and would try to download it),
# whose [build] command (wrangler.toml) runs worker-build.
# Secrets for local runs go in .dev.vars (see .dev.vars.example).
set -euo pipefail
source "$(dirname "$0")/wasm-env.sh"
cd "$EDGESTASH_ROOT"

ensure_wasm_target
ensure_wasm_bindgen
ensure_worker_build
ensure_node_modules
export_wasm_env

exec wrangler dev --local --ip 127.0.0.1 --port "${PORT:-8787}" "$@"
