#!/usr/bin/env bash
# The long fuzz run (not a CI step; CI keeps the proptest in tests/robustness.rs).
#
#   scripts/fuzz.sh [TARGET] [RUNS]     TARGET: source_tree (default), source_check or oscal_import
#
# source_check (loader, lints, fixer, diagnostics; no renderers) runs on inputs up to 16 KB
# seeded from source_tree's corpus, which makes it about ten times faster per run.
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
max_len=131072
seeds=()
if [ "$target" = source_check ]; then
  max_len=16384
  mkdir -p corpus/source_check
  seeds=(corpus/source_tree)
fi
cargo +nightly fuzz run --release "$target" "corpus/$target" "${seeds[@]}" -- \
  -runs="$runs" -max_len="$max_len" -timeout=20 -rss_limit_mb=4096 -print_final_stats=1
echo "fuzz $target: $runs runs in $(( $(date +%s) - start )) s"
