#!/usr/bin/env bash
# Builds the website with the already-built guideline binary and takes the
# screenshots in book/screenshots/ while running the browser test
# (tests/browser/site.mjs). Does not compile: run `cargo build --release` first.
# Needs: node >= 20, Debian's chromium and fonts-noto-cjk
#   (apt-get install -y chromium fonts-noto-cjk).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -x target/release/guideline ]; then
  bin=target/release/guideline
elif [ -x target/debug/guideline ]; then
  bin=target/debug/guideline
else
  echo "screenshots.sh: no target/release/guideline or target/debug/guideline; build it first (cargo build --release)" >&2
  exit 2
fi

if [ ! -d tests/browser/node_modules/playwright-core ]; then
  (cd tests/browser && npm ci --no-audit --no-fund)
fi

"$bin" build guideline --out out --only site
node tests/browser/site.mjs out/site --screenshots book/screenshots
