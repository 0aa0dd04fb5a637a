import { Command } from 'commander';
import { type Cli, ExitCode, positiveInt } from '../cli';
import { type DoctorCheck, runDoctor } from './checks';

export function doctorCommand(cli: Cli): Command {
  return new Command('doctor')
    .description(
      'Check every service and dependency (Kafka, PostgreSQL, event store) and the API key; say what to do when one is down',
    )
    .option('--timeout <seconds>', 'per check', (value) => positiveInt(value, '--timeout'), 5)
    .addHelpText(
      'after',
      "\nThe gateway is the configured API URL. The other services are found through the profile's\n`services` map, SPARK_<SERVICE>_URL, or the gateway's host with SPARK_<SERVICE>_PORT (default\n8081-8083). Exit 11 when anything is down.",
    )
    .action(async (options: { timeout: number }) => {
      const connection = cli.connection();
      const checks = await runDoctor(cli.api(), connection, cli.env, options.timeout * 1000);
      const healthy = checks.every((check) => check.status === 'ok');
      const hints = checks
        .filter((check) => check.hint)
        .map((check) => `  ${check.component}: ${check.hint}`);
      const header = `gateway ${connection.baseUrl}${connection.profile ? ` (profile ${connection.profile})` : ''}`;
      cli.print(
        {
          healthy,
          gateway: connection.baseUrl,
          ...(connection.profile ? { profile: connection.profile } : {}),
          checks,
        },
        {
          kind: 'text',
          text: [
            header,
            '',
            ...renderChecks(checks),
            '',
            healthy
              ? 'everything is healthy'
              : `${checks.filter((c) => c.status !== 'ok').length} problem(s):\n${hints.join('\n')}`,
          ].join('\n'),
        },
      );
      if (!healthy) process.exitCode = ExitCode.unhealthy;
    });
}

function renderChecks(checks: DoctorCheck[]): string[] {
  const width = Math.max(...checks.map((check) => check.component.length));
  return checks.map(
    (check) =>
      `  ${check.status === 'ok' ? 'ok  ' : 'DOWN'}  ${check.component.padEnd(width)}  ${check.detail}`,
  );
}
