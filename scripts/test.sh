#!/usr/bin/env bash
# The whole test suite, from a fresh machine: installs what is missing, then
# runs formatting, lints, the docs (warnings as errors), the wasm32 build
# check and every test.
#
#   ./scripts/test.sh
#
# Installs (only when absent): redis-server and prometheus (apt; its promtool
# checks and unit-tests deploy/'s alerting rules), the wasm32-unknown-unknown
# Rust target, and (via scripts/wasm-env.sh) pinned wasm-bindgen-cli, worker-build
# and the npm packages of js/; (via scripts/browser-test.sh) chromium,
# chromium-driver and playwright-core for the dashboard check. The engine's
# unit tests run twice: natively and on wasm32 under Node
# (wasm-bindgen-test-runner). Needs root or sudo for apt on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

need_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

step "setup"
if ! command -v redis-server >/dev/null 2>&1; then
  echo "installing redis-server (apt)"
  need_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive need_root apt-get install -y -qq redis-server >/dev/null
fi
redis-server --version
if ! command -v promtool >/dev/null 2>&1; then
  echo "installing prometheus (apt; for promtool)"
  need_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive need_root apt-get install -y -qq --no-install-recommends prometheus >/dev/null
fi
promtool --version 2>&1 | head -1
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown
fi

step "alerting rules: promtool check rules, promtool test rules (deploy/)"
promtool check rules deploy/edgestash-alerts.rules.yml
promtool test rules deploy/edgestash-alerts.test.yml

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy (all targets, -D warnings)"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "cargo doc --no-deps (warnings are errors: broken links, missing docs)"
# The library warns on missing docs (#![warn(missing_docs)] in src/lib.rs);
# -D warnings turns that and every rustdoc warning into a failure here.
RUSTDOCFLAGS="-D warnings" cargo doc --no-deps --locked -p edgestash -p edgestash-server

step "cargo check --target wasm32-unknown-unknown (no features, worker, wasm)"
cargo check --locked --target wasm32-unknown-unknown -p edgestash
cargo check --locked --target wasm32-unknown-unknown -p edgestash --features worker
cargo check --locked --target wasm32-unknown-unknown -p edgestash --features wasm

step "cargo clippy --target wasm32-unknown-unknown (worker, wasm)"
cargo clippy --locked --target wasm32-unknown-unknown -p edgestash --features worker -- -D warnings
cargo clippy --locked --target wasm32-unknown-unknown -p edgestash --features wasm -- -D warnings

step "cargo test (unit, engine, integration against a real redis-server)"
cargo test --workspace --locked

step "engine unit tests on wasm32 under Node (wasm-bindgen-test-runner)"
# shellcheck source=scripts/wasm-env.sh
source scripts/wasm-env.sh
ensure_wasm_bindgen
command -v node >/dev/null || { echo "node is required for the wasm32 tests" >&2; exit 1; }
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  cargo test --locked --target wasm32-unknown-unknown -p edgestash --lib

step "fuzz smoke (only when cargo-fuzz is installed; the full runs are not part of this command)"
if cargo fuzz --version >/dev/null 2>&1; then
  ./scripts/fuzz-smoke.sh
else
  echo "cargo-fuzz not installed: skipped (cargo install cargo-fuzz --locked; see fuzz/README.md)"
fi

step "npm package and Worker (node --test; workerd via wrangler dev)"
./scripts/js-test.sh

step "quickstart tour: the README's first command, non-interactive (reuses the Worker build)"
./scripts/quickstart.sh --tour

step "dashboard in headless Chromium (screenshots: target/artifacts/dashboard.png, dashboard-worker.png)"
./scripts/browser-test.sh

step "all checks passed"
