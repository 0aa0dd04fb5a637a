import { parseArgs } from 'node:util';
import { formatDemo, runDemo } from './commands/demo';
import { formatChecks, pingServices } from './commands/ping';

const HELP = `spark — the Spark command line

Usage:
  spark ping [--timeout <seconds>]   Check that every service is ready over HTTP and answers
                                     through Kafka. Exits 1 if any does not.
  spark demo [--timeout <seconds>]   Register examples/order-fulfilment.yaml and run it end to end
                                     (a parallel pair, a retry) against a local test shop; prints
                                     the run's timeline. Exits 1 unless the run completes.
  spark --help                       Show this help.

Settings come from the environment (see \`tools/stack env\`): SPARK_KAFKA_BROKERS,
SPARK_HTTP_HOST, SPARK_<SERVICE>_PORT.
`;

async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { help: { type: 'boolean', short: 'h' }, timeout: { type: 'string', default: '30' } },
  });
  const [command] = positionals;
  if (values.help || !command) {
    process.stdout.write(HELP);
    return values.help ? 0 : 2;
  }
  switch (command) {
    case 'ping': {
      const seconds = Number(values.timeout);
      if (!Number.isFinite(seconds) || seconds <= 0)
        throw new Error(`--timeout must be a positive number of seconds, got "${values.timeout}"`);
      const checks = await pingServices(seconds * 1000);
      process.stdout.write(formatChecks(checks) + '\n');
      const healthy = checks.every((check) => check.ready && check.pong);
      process.stdout.write(healthy ? 'all services healthy\n' : 'some services are not healthy\n');
      return healthy ? 0 : 1;
    }
    case 'demo': {
      const seconds = Number(values.timeout);
      if (!Number.isFinite(seconds) || seconds <= 0)
        throw new Error(`--timeout must be a positive number of seconds, got "${values.timeout}"`);
      const result = await runDemo(seconds * 1000);
      process.stdout.write(formatDemo(result) + '\n');
      return result.outcome === 'RunCompleted' ? 0 : 1;
    }
    default:
      process.stderr.write(`unknown command "${command}"\n\n${HELP}`);
      return 2;
  }
}

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`spark: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
