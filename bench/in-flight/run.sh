#!/usr/bin/env bash
# In-flight benchmark: N runs (default 10,000) started at once, each waiting on a `wait` step (default 20 s)
# or on a slow HTTP call (BENCH_IN_FLIGHT_SHAPE=http), with the scheduler and executor as processes on the
# real stack. Reports how long until all completed and the services' peak memory; writes
# bench/reports/in-flight-<date>.md and .json.
# Usage: bench/in-flight/run.sh   (BENCH_IN_FLIGHT_RUNS=2000 BENCH_IN_FLIGHT_WAIT_MS=5000 for a quick run).
# Needs `tools/stack up`.
set -euo pipefail
source "$(dirname "$0")/../../tools/env.sh"
cd "$SPARK_ROOT"
spark_ensure_deps
tools/build
eval "$(tools/stack env)"
node -r ./tools/runtime/register-paths.js dist/bench/in-flight/run.js
