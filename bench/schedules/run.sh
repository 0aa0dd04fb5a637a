#!/usr/bin/env bash
# Schedules benchmark: fire lateness for N schedules firing every second, fire → run start / completion,
# and recovery after kill -9 of the scheduler, with the scheduler and executor as processes on the real
# stack. Prints a report and writes bench/reports/schedules-<date>.md.
# Usage: bench/schedules/run.sh   (BENCH_SCALE=0.2 for a quick run; BENCH_FLEETS=500 for one fleet size).
# Needs `tools/stack up`.
set -euo pipefail
source "$(dirname "$0")/../../tools/env.sh"
cd "$SPARK_ROOT"
spark_ensure_deps
tools/build
eval "$(tools/stack env)"
node -r ./tools/runtime/register-paths.js dist/bench/schedules/run.js
