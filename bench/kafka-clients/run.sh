#!/usr/bin/env bash
# Kafka clients benchmark: kafkajs (the project's client) against @platformatic/kafka on this machine's
# real Kafka (tools/stack): produce with acks=all and idempotence (one at a time: latency; in batches:
# messages/s), batch consume (messages/s), offset commit latency. The clients run alternately
# (BENCH_ROUNDS rounds, default 3) and the report gives medians and platformatic ÷ kafkajs. Writes
# bench/reports/kafka-clients-<date>.md and kafka-clients-<date>.json. See ADR 0091.
#
#   bench/kafka-clients/run.sh                   # full: 1,000 single sends, 100,000 batched, 500 commits
#   BENCH_SCALE=0.2 bench/kafka-clients/run.sh   # quick
#   BENCH_KC_BATCH=500 ...                       # messages per batched send (default 100)
#
# Installs both clients, pinned in bench/kafka-clients/package-lock.json, into bench/kafka-clients/node_modules
# (not the workspace's: the project's own client stays what libs/messaging uses). Needs `tools/stack up`
# (SPARK_STACK_DIR=/work/main/.stack where the stack is shared).
set -euo pipefail
source "$(dirname "$0")/../../tools/env.sh"
source "$SPARK_ROOT/bench/shared/install.sh"
cd "$SPARK_ROOT"
spark_ensure_deps
bench_ensure_npm bench/kafka-clients
tools/build
eval "$(tools/stack env)"
settings="${SPARK_STACK_DIR:-$SPARK_ROOT/.stack}/run/kafka.settings"
BENCH_KAFKA_VERSION="$(sed -n 's/.*version=\([^ ]*\).*/\1/p' "$settings" 2>/dev/null || true)"
export BENCH_KAFKA_VERSION
node -r ./tools/runtime/register-paths.js dist/bench/kafka-clients/run.js
