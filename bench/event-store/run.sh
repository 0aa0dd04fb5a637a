#!/usr/bin/env bash
# Event store benchmark: compiles the bench and @spark/event-store with SWC into a scratch directory
# (never dist/, which running services use) and runs it with plain Node.
# Usage: bench/event-store/run.sh   (BENCH_SCALE=0.2 for a quick run; SPARK_PG_URL to point elsewhere)
set -euo pipefail
source "$(dirname "$0")/../../tools/env.sh"
cd "$SPARK_ROOT"
out="${TMPDIR:-/tmp}/spark-bench-event-store-$$"
trap 'rm -rf "$out"' EXIT
npx swc bench/event-store bench/shared libs/event-store/src --out-dir "$out" --config-file .swcrc --copy-files \
  --ignore '**/*.spec.ts,**/*.d.ts' --quiet
NODE_PATH="$SPARK_ROOT/node_modules" node -e "
  require('tsconfig-paths').register({ baseUrl: process.argv[1], paths: { '@spark/*': ['libs/*/src/index.js'] } });
  require(process.argv[1] + '/bench/event-store/run.js');
" "$out"
