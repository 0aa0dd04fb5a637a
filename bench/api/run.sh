#!/usr/bin/env bash
# API benchmark: POST /api/v1/runs through the gateway at fixed offered rates from vegeta (an open-loop
# load generator), with all four services started by the bench on the real stack. Per rate: accepted/s,
# completed/s, % completed inside the window + a short drain, p50/p99 accepted → completed as a
# subscriber of the public CloudEvents sees it, errors by status; a CPU profile of each service at the
# last rate. Writes bench/reports/api-<date>.md and api-<date>.json.
#
#   bench/api/run.sh                            # 200, 500, 1000, 2000 runs/s, 30 s each, 10 s drain
#   BENCH_SCALE=0.2 bench/api/run.sh            # quick: 6 s each, 3 s drain
#   BENCH_API_RATES=100,300 bench/api/run.sh    # other rates
#   BENCH_CPU_PROFILE=0 ...                     # without --cpu-prof on the services
#
# A rate where fewer than 90 % of the accepted runs complete inside window + drain is the last one tried.
# Builds vegeta once (go install, pinned below) into ~/.cache/spark/vegeta-<version>. Needs Go 1.24+
# and `tools/stack up` (SPARK_STACK_DIR=/work/main/.stack where the stack is shared).
set -euo pipefail
VEGETA_MODULE=github.com/tsenart/vegeta/v12@v12.13.0
source "$(dirname "$0")/../../tools/env.sh"
source "$SPARK_ROOT/bench/shared/install.sh"
cd "$SPARK_ROOT"
spark_ensure_deps
BENCH_VEGETA="$(bench_ensure_go_tool vegeta "$VEGETA_MODULE")"
BENCH_VEGETA_VERSION="${VEGETA_MODULE##*@}"
export BENCH_VEGETA BENCH_VEGETA_VERSION
tools/build
eval "$(tools/stack env)"
node -r ./tools/runtime/register-paths.js dist/bench/api/run.js
