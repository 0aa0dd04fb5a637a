import { parseArgs } from 'node:util';
import { formatChecks, pingServices } from './ping';

// An operator's check for the quick start and the process tests, not part of the `spark` CLI (which
// speaks only the public API): every service is ready over HTTP *and* answers a ping through Kafka.
// Run as: node -r ./tools/runtime/register-paths.js dist/tools/ping/main.js [--timeout <seconds>]
async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { timeout: { type: 'string', default: '30' } } });
  const seconds = Number(values.timeout);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    process.stderr.write(`--timeout must be a positive number of seconds, got "${values.timeout}"\n`);
    return 2;
  }
  const checks = await pingServices(seconds * 1000);
  process.stdout.write(formatChecks(checks) + '\n');
  const healthy = checks.every((check) => check.ready && check.pong);
  process.stdout.write(healthy ? 'all services healthy\n' : 'some services are not healthy\n');
  return healthy ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`ping: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
