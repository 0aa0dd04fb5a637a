#!/usr/bin/env bash
# Console benchmark: a list of 10,000 runs scrolled in Chromium (frame times) and a run with a 500-item
# map opened (time until shown), against the four services as processes on the real stack. Writes
# bench/reports/console-<date>.md and .json; nothing is asserted.
# Usage: bench/console/run.sh   (BENCH_SCALE=0.2 for 2,000 runs; BENCH_CONSOLE_MAP_ITEMS=500).
# Needs `tools/stack up`; installs Chromium with tools/browser.
set -euo pipefail
source "$(dirname "$0")/../../tools/env.sh"
cd "$SPARK_ROOT"
spark_ensure_deps
tools/browser >/dev/null
tools/build
eval "$(tools/stack env)"
node -r ./tools/runtime/register-paths.js dist/bench/console/run.js
