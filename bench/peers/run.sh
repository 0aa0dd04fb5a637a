#!/usr/bin/env bash
# Peers benchmark: Spark (bench/engine) against Celery on Redis and BullMQ on Redis, run alternately in
# one sitting, the same three shapes each (one-task round trip p50/p99, three-step chain p50/p99,
# sustained tasks/s). Prints medians per figure and Spark ÷ Celery, Spark ÷ BullMQ, and writes
# bench/reports/peers-<date>.md and peers-<date>.json.
#
#   bench/peers/run.sh                      # full sitting: 3 rounds (about 10 minutes today)
#   BENCH_SCALE=0.2 bench/peers/run.sh      # quick: smaller samples
#   BENCH_ROUNDS=5 bench/peers/run.sh       # more rounds (alternating engine, celery, bullmq)
#   BENCH_CPU_PROFILE=0 ...                 # without --cpu-prof on Spark's services
#   BENCH_BULLMQ_CONCURRENCY=8 ...          # jobs at once in each BullMQ worker process
#
# Installs what it needs, once: redis-server from Debian's packages (apt-get when root), Celery
# (bench/peers/requirements.txt) in a venv under ~/.cache/spark/bench-venvs, BullMQ
# (bench/peers/package-lock.json) in bench/peers/node_modules. Starts its own Redis on a free port with
# its own directory (AOF every second) and stops it at the end. Needs the stack: `tools/stack up`
# (SPARK_STACK_DIR=/work/main/.stack where the stack is shared).
set -euo pipefail
source "$(dirname "$0")/../../tools/env.sh"
source "$SPARK_ROOT/bench/shared/install.sh"
cd "$SPARK_ROOT"
spark_ensure_deps
bench_ensure_apt redis-server redis-server
venv="$(bench_ensure_venv celery bench/peers/requirements.txt)"
bench_ensure_npm bench/peers
tools/build
eval "$(tools/stack env)"
BENCH_CELERY_PYTHON="$venv/bin/python" node -r ./tools/runtime/register-paths.js dist/bench/peers/run.js
