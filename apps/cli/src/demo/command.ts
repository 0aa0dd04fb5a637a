import path from 'node:path';
import { type RunEvent, unwrap, watchRunEvents } from '@spark/client';
import { Command } from 'commander';
import { type Cli, CliError, definitionMediaType, ExitCode, positiveInt, readInputFile } from '../cli';
import { duration } from '../output';
import { timelineLine } from '../runs';
import { startShop } from './shop';

export const EXAMPLE_WORKFLOW = path.resolve(__dirname, '../../../../../examples/order-fulfilment.yaml');
const SHOWN = new Set([
  'RunStarted',
  'TaskDispatched',
  'StepAttemptFailed',
  'StepRetryScheduled',
  'StepSucceeded',
  'RunCompleted',
  'RunFailed',
  'RunCancelled',
  'RunTimedOut',
]);

/**
 * Spark's main job for the quick start, through the gateway's public API only: registers the
 * example workflow (`workflows apply`), starts it (`runs start`) against a small local shop whose
 * /charge fails once, and follows its events over SSE (`runs watch`).
 */
export function demoCommand(cli: Cli): Command {
  return new Command('demo')
    .description(
      'Register examples/order-fulfilment.yaml and run it end to end through the API (a parallel pair, a retry); exit 10 unless it completes',
    )
    .option('--file <file>', 'the example workflow', EXAMPLE_WORKFLOW)
    .option('--timeout <seconds>', 'give up after this long', (value) => positiveInt(value, '--timeout'), 60)
    .action(async (options: { file: string; timeout: number }) => {
      const api = cli.api();
      const text = readInputFile(options.file);
      const registered = await unwrap(
        api.POST('/api/v1/workflows', {
          body: text as never,
          bodySerializer: (body: unknown) => body as string,
          headers: { 'content-type': definitionMediaType(options.file, text) },
        }),
      );
      const out = (line: string) => cli.io.out(line + '\n');
      out(
        `workflows apply: ${registered.name} v${registered.version} ${registered.created ? 'created' : 'unchanged'}`,
      );
      const shop = await startShop();
      try {
        const runId = crypto.randomUUID();
        const accepted = await unwrap(
          api.POST('/api/v1/runs', {
            body: {
              workflow: registered.name,
              version: registered.version,
              labels: { origin: 'spark-demo' },
              input: {
                orderId: `order-${runId.slice(0, 8)}`,
                items: [
                  { sku: 'spark-plug', quantity: 4, price: 3.5 },
                  { sku: 'fuse', quantity: 2, price: 1.25 },
                ],
                shopUrl: shop.url,
              },
            },
            params: { header: { 'Idempotency-Key': `demo-${runId}` } },
          }),
        );
        out(
          `runs start: run ${accepted.runId} of ${accepted.workflow.name} v${accepted.workflow.version} (${accepted.status})`,
        );
        const events: RunEvent[] = [];
        try {
          for await (const event of watchRunEvents(api, accepted.runId, {
            signal: AbortSignal.timeout(options.timeout * 1000),
          })) {
            events.push(event);
            if (SHOWN.has(event.type)) out(timelineLine(event, Date.parse(events[0]!.recordedAt)));
          }
        } catch (error) {
          if (!(error instanceof Error && error.name === 'TimeoutError')) throw error;
        }
        const run = await unwrap(
          api.GET('/api/v1/runs/{runId}', { params: { path: { runId: accepted.runId } } }),
        );
        out(
          `outcome: ${run.status}${run.finishedAt ? ` in ${duration(run.acceptedAt ?? run.startedAt, run.finishedAt)}` : ''}`,
        );
        out(`output: ${JSON.stringify(run.output)}`);
        out(`shop saw: ${shop.requests.map((request) => `${request.path}→${request.status}`).join(', ')}`);
        if (run.status === 'PENDING' || run.status === 'RUNNING')
          throw new CliError(
            `run ${run.runId} is still ${run.status} after ${options.timeout} s`,
            ExitCode.failure,
          );
        if (run.status !== 'COMPLETED') process.exitCode = ExitCode.runNotCompleted;
      } finally {
        await new Promise((resolve) => shop.server.close(resolve));
      }
    });
}
