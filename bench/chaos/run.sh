#!/usr/bin/env bash
# Chaos bench (issue 16): two of each service on a PRIVATE Kafka and PostgreSQL (tools/stack with its own
# directory under .stack/private and free ports, torn down at the end), the mixed workload through the
# gateways' REST API, kill -9 every few seconds, one broker restart, one database fast restart and an
# executor pause; prints a report and writes bench/reports/chaos-<date>.md and .json.
# Usage: bench/chaos/run.sh   (CHAOS_RUNS=200 for a quick look). Exits 1 if an end check does not hold.
set -euo pipefail
source "$(dirname "$0")/../../tools/env.sh"
cd "$SPARK_ROOT"
spark_ensure_deps
tools/build
node -r ./tools/runtime/register-paths.js dist/bench/chaos/run.js
