#!/usr/bin/env bash
# The long fuzz run (not a CI step; CI keeps the proptest in tests/robustness.rs).
#
#   scripts/fuzz.sh [TARGET] [RUNS]     TARGET: source_tree (default) or oscal_import
#
# Needs the nightly toolchain and cargo-fuzz (installed on first use). Seeds come from the
# lint fixtures, the shipped guideline and ../shared/corpora/oscal (scripts/fuzz-seeds.py);
# what the fuzzer adds stays in fuzz/corpus/TARGET, crashes go to fuzz/artifacts/TARGET.
# Each crash found becomes a regression test (tests/robustness.rs), then is fixed.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:-source_tree}
runs=${2:-1000000}
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
python3 scripts/fuzz-seeds.py
cd fuzz
start=$(date +%s)
cargo +nightly fuzz run --release "$target" "corpus/$target" -- \
  -runs="$runs" -max_len=131072 -timeout=20 -rss_limit_mb=4096 -print_final_stats=1
echo "fuzz $target: $runs runs in $(( $(date +%s) - start )) s"
