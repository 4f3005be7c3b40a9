#!/usr/bin/env bash
# A short fuzzing pass (a few seconds per target) over the wire code: the
# reply decoder and the request parser (fuzz/README.md). Not the full runs
# (those are 10 million executions each, documented in fuzz/README.md and
# BENCHMARKS.md); this only checks the targets build and the seeds and
# regression inputs still pass, plus a little fresh fuzzing.
#
#   ./scripts/fuzz-smoke.sh            # 20000 runs per target
#   FUZZ_RUNS=200000 ./scripts/fuzz-smoke.sh
#
# Needs cargo-fuzz (cargo install cargo-fuzz --locked) and a nightly
# toolchain; without nightly it falls back to RUSTC_BOOTSTRAP=1 on stable.
# scripts/test.sh calls it only when cargo-fuzz is installed.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"

runs="${FUZZ_RUNS:-20000}"
if rustup run nightly rustc --version >/dev/null 2>&1; then
  fuzz() { cargo +nightly fuzz "$@"; }
else
  echo "no nightly toolchain: using stable with RUSTC_BOOTSTRAP=1"
  fuzz() { RUSTC_BOOTSTRAP=1 cargo fuzz "$@"; }
fi

# New inputs go to a scratch corpus, so fuzz/corpus keeps the seeds only.
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

for target in reply_decoder request_parser; do
  mkdir -p "$scratch/$target" "regressions/$target"
  echo "== fuzz $target: $runs runs"
  log="$scratch/$target.log"
  if ! fuzz run "$target" "$scratch/$target" "corpus/$target" "regressions/$target" -- \
      -runs="$runs" -print_final_stats=1 >"$log" 2>&1; then
    tail -n 60 "$log"
    echo "fuzz $target FAILED: the crashing input is under fuzz/artifacts/$target/;"
    echo "fix the library, then copy the input to fuzz/regressions/$target/ (fuzz/README.md)"
    exit 1
  fi
  grep -E '^(Done|stat::number_of_executed_units|stat::average_exec_per_sec)' "$log" || true
done
echo "fuzz smoke: OK"
