#!/usr/bin/env bash
# Benchmark: our OSCAL import + build of NIST SP 800-53 moderate against compliance-trestle
# doing the same job (catalog-generate to Markdown, then catalog-assemble back to OSCAL),
# in one run on one machine. Needs ../shared/corpora and a trestle venv (made if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
catalog=../shared/corpora/oscal/NIST_SP-800-53_rev5_MODERATE-baseline-resolved-profile_catalog.json
[ -f "$catalog" ] || { echo "test data missing: $catalog (../shared/corpora beside the checkout)"; exit 1; }
bin=target/release/guideline
[ -x "$bin" ] || cargo build --release
venv=$(realpath -m "${TRESTLE_VENV:-target/trestle-venv}")
[ -x "$venv/bin/trestle" ] || { python3 -m venv "$venv" && "$venv/bin/pip" install -q compliance-trestle; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

now() { date +%s.%N; }
# Ours: the median of five runs of each step (a run is a few hundred milliseconds, so one
# run is at the mercy of the machine's noise); trestle's steps take seconds and run once.
imports=() builds=()
for run in 1 2 3 4 5; do
  rm -rf "$work/tree" "$work/out"
  a=$(now); "$bin" import oscal "$catalog" --out "$work/tree" 2>/dev/null
  b=$(now); "$bin" build "$work/tree" --out "$work/out" --only catalog 2>/dev/null
  c=$(now)
  imports+=("$(awk "BEGIN{print $b - $a}")") builds+=("$(awk "BEGIN{print $c - $b}")")
done
median() { printf '%s\n' "$@" | sort -n | sed -n 3p; }
t0=0 t1=$(median "${imports[@]}") t2=$(awk "BEGIN{print $t1 + $(median "${builds[@]}")}")

cat_abs=$(realpath "$catalog")
mkdir "$work/ws" && cd "$work/ws"
"$venv/bin/trestle" init >/dev/null
"$venv/bin/trestle" import -f "$cat_abs" -o nist >/dev/null
t3=$(now)
"$venv/bin/trestle" author catalog-generate -n nist -o md_nist >/dev/null
t4=$(now)
"$venv/bin/trestle" author catalog-assemble -m md_nist -n nist -o nist_assembled >/dev/null
t5=$(now)

python3 - "$t0" "$t1" "$t2" "$t3" "$t4" "$t5" <<'PY'
import sys
t = [float(x) for x in sys.argv[1:]]
ours_import, ours_build = t[1] - t[0], t[2] - t[1]
gen, asm = t[4] - t[3], t[5] - t[4]
ours, theirs = ours_import + ours_build, gen + asm
print(f"SP 800-53 moderate (287 controls); ours: median of 5 runs, whole processes")
print(f"  guideline import oscal: {ours_import*1e3:.0f} ms; build catalog: {ours_build*1e3:.0f} ms; total {ours*1e3:.0f} ms")
print(f"  trestle catalog-generate: {gen*1e3:.0f} ms; catalog-assemble: {asm*1e3:.0f} ms; total {theirs*1e3:.0f} ms")
print(f"  ratio: {theirs/ours:.1f}x faster (aim: at least 20x)")
PY
