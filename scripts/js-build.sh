#!/usr/bin/env bash
# Builds the npm package's wasm into js/pkg/ (used by js-test.sh).
#
#   cargo build (profile wasm-npm: wasm-release at opt-level z, feature wasm) -> wasm-bindgen --target web
#   -> wasm-opt -Oz --converge (npm binaryen 132, never Debian's)
#
# --target web: its glue has no Node built-ins and no wasm ESM integration,
# and its initSync({ module }) takes bytes (Node reads the file) or a
# compiled WebAssembly.Module (Workers import the .wasm as one), so one
# glue file serves Node 18+, Workers, Deno and browsers; js/src/{node,
# workerd,index}.js pick the way to load it per host.
set -euo pipefail
source "$(dirname "$0")/wasm-env.sh"
cd "$EDGESTASH_ROOT"

ensure_wasm_target
ensure_wasm_bindgen
ensure_node_modules
export_wasm_env

cargo build --profile wasm-npm --target wasm32-unknown-unknown --features wasm -p edgestash
wasm-bindgen --target web --out-dir js/pkg --out-name edgestash \
  target/wasm32-unknown-unknown/wasm-npm/edgestash.wasm
wasm-opt -Oz --converge --enable-bulk-memory --enable-nontrapping-float-to-int \
  js/pkg/edgestash_bg.wasm -o js/pkg/edgestash_bg.wasm
ls -l js/pkg/edgestash_bg.wasm
