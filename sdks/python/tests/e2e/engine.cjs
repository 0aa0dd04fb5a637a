// Starts Spark's four services as processes (from dist/: run tools/build first) with the
// project's EngineHarness: a Kafka namespace, database schemas and free ports of their own, against
// the real Kafka and PostgreSQL of tools/stack. For the Python SDK's end-to-end tests (conftest.py):
// prints one JSON line saying where they are, and stops them when its stdin closes or on SIGTERM.
const fs = require('node:fs');
const path = require('node:path');
const { randomBytes } = require('node:crypto');

const root = path.resolve(__dirname, '../../../..');
process.chdir(root);
if (!fs.existsSync(path.join(root, 'dist/libs/testing/src/index.js'))) {
  console.error('engine.cjs: dist/ has no built services: run tools/build first');
  process.exit(1);
}
require(path.join(root, 'tools/runtime/register-paths.js'));
const { EngineHarness } = require(path.join(root, 'dist/libs/testing/src/index.js'));

async function main() {
  const apiKey = `py-e2e-${randomBytes(16).toString('hex')}`;
  const engine = await EngineHarness.start({
    services: ['scheduler', 'executor', 'projector', 'gateway'],
    env: {
      SPARK_GATEWAY_BOOTSTRAP_KEY: apiKey,
      SPARK_SECRETS_KEY: randomBytes(32).toString('hex'),
      SPARK_SERVICE_NAME_SUFFIX: `-${engineSuffix()}`,
    },
  });
  let stopping;
  const stop = () => {
    stopping ??= engine.stop().then(
      () => process.exit(0),
      (error) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.stdin.on('end', stop);
  process.stdin.on('error', stop);
  process.on('SIGTERM', stop);
  process.stdin.resume();
  process.stdout.write(
    JSON.stringify({
      gateway: `http://127.0.0.1:${engine.ports.gateway}`,
      apiKey,
      namespace: engine.env.SPARK_KAFKA_NAMESPACE,
      serviceNameSuffix: engine.env.SPARK_SERVICE_NAME_SUFFIX,
      logs: Object.fromEntries([...engine.processes].map(([name, started]) => [name, started.logFile])),
    }) + '\n',
  );
}

/** Tells this run's spans from other runs' in Jaeger (service names get this suffix). */
function engineSuffix() {
  return `py-${randomBytes(4).toString('hex')}`;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
