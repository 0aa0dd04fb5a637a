#!/usr/bin/env bash
# Engine benchmark: end-to-end run latency (p50/p99) and sustained runs/s, with the scheduler and
# executor as processes on the real stack. Prints a report and writes bench/reports/engine-<date>.md.
# Usage: bench/engine/run.sh   (BENCH_SCALE=0.2 for a quick run; BENCH_PROFILE_DIR=dir keeps the raw
# CPU profiles; for A/B sittings BENCH_SUSTAINED_RUNS=15000 lengthens the sustained phase, and
# BENCH_KEYED=0 / BENCH_TIMERS=0 leave out the concurrency-key and durable-timer phases). Needs `tools/stack up`.
set -euo pipefail
source "$(dirname "$0")/../../tools/env.sh"
cd "$SPARK_ROOT"
spark_ensure_deps
tools/build
eval "$(tools/stack env)"
node -r ./tools/runtime/register-paths.js dist/bench/engine/run.js
