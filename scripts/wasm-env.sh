# Sourced by worker-dev.sh and js-test.sh: installs the pinned wasm tools
# when missing and exports the variables worker-build and wrangler need.
# See docs/TOOLCHAIN.md for why each pin and variable exists.
#
# Installs only what `<tool> --version` does not already report:
#   wasm-bindgen-cli 0.2.130  cargo install (WITHOUT --locked: a locked
#                             dependency is missing from the index), ~2.5 min
#   worker-build 0.8.7        cargo install --locked, ~4.5 min (worker only)
#   js/node_modules           npm ci: wrangler 4.86.0, binaryen 132.0.0,
#                             @upstash/ratelimit 2.2.0 + @upstash/redis 1.39.0 (interop test)
# Never installs Debian's binaryen: its wasm-opt 108 breaks the output.

EDGESTASH_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WASM_BINDGEN_VERSION=0.2.130
WORKER_BUILD_VERSION=0.8.7

timed() {
  local start=$SECONDS
  "$@"
  echo "   ($* took $((SECONDS - start)) s)" >&2
}

ensure_wasm_target() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    timed rustup target add wasm32-unknown-unknown
  fi
}

ensure_wasm_bindgen() {
  if ! wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen $WASM_BINDGEN_VERSION"; then
    echo "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION" >&2
    timed cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
  fi
}

ensure_worker_build() {
  if ! worker-build --version 2>/dev/null | grep -qx "$WORKER_BUILD_VERSION"; then
    echo "installing worker-build $WORKER_BUILD_VERSION" >&2
    timed cargo install worker-build --version "$WORKER_BUILD_VERSION" --locked
  fi
}

ensure_node_modules() {
  local bin="$EDGESTASH_ROOT/js/node_modules/.bin"
  if ! "$bin/wrangler" --version 2>/dev/null | grep -q '4\.86\.0' \
    || ! "$bin/wasm-opt" --version 2>/dev/null | grep -q 'version 132' \
    || [ ! -f "$EDGESTASH_ROOT/js/node_modules/@upstash/ratelimit/package.json" ]; then
    echo "npm ci (js/: wrangler 4.86.0, binaryen 132.0.0, @upstash/ratelimit 2.2.0, @upstash/redis 1.39.0)" >&2
    (cd "$EDGESTASH_ROOT/js" && timed npm ci --no-audit --no-fund)
  fi
}

export_wasm_env() {
  local bin="$EDGESTASH_ROOT/js/node_modules/.bin"
  WASM_BINDGEN_BIN="$(command -v wasm-bindgen)"
  export WASM_BINDGEN_BIN
  export WASM_OPT_BIN="$bin/wasm-opt"
  export ESBUILD_BIN="$bin/esbuild"
  export CI=true
  export WRANGLER_SEND_METRICS=false
  export PATH="$bin:$PATH"
}
