import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { runStreamName, type StartRunCommand, Topics } from '@spark/contracts';
import { eventStoreSettingsFromEnv, openEventStore, WorkflowCatalog } from '@spark/engine';
import { type EventStore, type RecordedEvent, StreamNotFoundError } from '@spark/event-store';
import { KafkaMessaging, kafkaSettingsFromEnv } from '@spark/messaging';
import { parseDefinitionText } from '@spark/workflow-domain';

export const EXAMPLE_WORKFLOW = path.resolve(__dirname, '../../../../../examples/order-fulfilment.yaml');
const FINAL = ['RunCompleted', 'RunFailed', 'RunCancelled', 'RunTimedOut'];

export interface DemoResult {
  runId: string;
  outcome: string;
  output: unknown;
  events: RecordedEvent[];
  shopRequests: { path: string; idempotencyKey: string; status: number }[];
  elapsedMs: number;
}

/**
 * Spark's main job for the quick start: registers the example workflow, runs it through the running
 * scheduler and executor (Kafka in between) against a small local "shop" HTTP service whose /charge
 * fails once, and waits for the outcome in the event store.
 * Until the gateway serves it (issue 6), the CLI talks to the event store and Kafka directly.
 */
export async function runDemo(timeoutMs: number, env: NodeJS.ProcessEnv = process.env): Promise<DemoResult> {
  const shop = await startShop();
  const store = await openEventStore(eventStoreSettingsFromEnv(env), 'spark-cli');
  const messaging = new KafkaMessaging(kafkaSettingsFromEnv(`spark-cli-${process.pid}`, env));
  try {
    const definition = parseDefinitionText(readFileSync(EXAMPLE_WORKFLOW, 'utf8'), 'yaml');
    await new WorkflowCatalog(store).register(
      definition,
      new Date().toISOString(),
      `cli-demo-${randomUUID()}`,
    );
    const runId = randomUUID();
    const started = Date.now();
    const command: StartRunCommand = {
      type: 'StartRun',
      commandId: randomUUID(),
      runId,
      issuedAt: new Date().toISOString(),
      workflow: { name: 'order-fulfilment', version: 1 },
      input: {
        orderId: `order-${runId.slice(0, 8)}`,
        items: [
          { sku: 'spark-plug', quantity: 4, price: 3.5 },
          { sku: 'fuse', quantity: 2, price: 1.25 },
        ],
        shopUrl: shop.url,
      },
    };
    await messaging.publish(Topics.commands, [{ key: runId, value: JSON.stringify(command) }]);
    const events = await waitForFinalEvent(store, runId, timeoutMs);
    const final = [...events].reverse().find((event) => FINAL.includes(event.type));
    return {
      runId,
      outcome: final?.type ?? 'still running',
      output: (final?.data as { output?: unknown } | undefined)?.output,
      events,
      shopRequests: shop.requests,
      elapsedMs: Date.now() - started,
    };
  } finally {
    await messaging.close();
    await store.close();
    await new Promise((resolve) => shop.server.close(resolve));
  }
}

async function waitForFinalEvent(
  store: EventStore,
  runId: string,
  timeoutMs: number,
): Promise<RecordedEvent[]> {
  const deadline = Date.now() + timeoutMs;
  let events: RecordedEvent[] = [];
  while (Date.now() < deadline) {
    try {
      events = await store.readStream(runStreamName(runId));
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error;
    }
    if (events.some((event) => FINAL.includes(event.type))) return events;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return events;
}

/** The demo's stand-in for a shop's API: /charge answers 503 to its first call. */
async function startShop(): Promise<{ server: Server; url: string; requests: DemoResult['shopRequests'] }> {
  const requests: DemoResult['shopRequests'] = [];
  let charges = 0;
  const server = createServer((request, response) => {
    const idempotencyKey = String(request.headers['idempotency-key'] ?? '');
    request.resume();
    request.on('end', () => {
      const pathName = new URL(request.url ?? '/', 'http://shop').pathname;
      const status = pathName === '/charge' && ++charges === 1 ? 503 : 200;
      requests.push({ path: pathName, idempotencyKey, status });
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify(
          status === 200
            ? { ok: true, at: pathName, reference: randomUUID().slice(0, 8) }
            : { error: 'try again' },
        ),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

export function formatDemo(result: DemoResult): string {
  const start = result.events[0]?.recordedAt.getTime() ?? 0;
  const interesting = new Set([
    'RunStarted',
    'TaskDispatched',
    'StepAttemptFailed',
    'StepRetryScheduled',
    'StepSucceeded',
    ...FINAL,
  ]);
  const lines = result.events
    .filter((event) => interesting.has(event.type))
    .map((event) => {
      const data = event.data as Record<string, unknown>;
      const detail =
        event.type === 'TaskDispatched'
          ? `${String(data.taskId)} (attempt ${String(data.attempt)}, ${String(data.handler)})`
          : event.type === 'StepAttemptFailed'
            ? `${String(data.taskId)} attempt ${String(data.attempt)}: ${String((data.error as { code?: string })?.code)}`
            : event.type === 'StepRetryScheduled'
              ? `${String(data.taskId)} attempt ${String(data.attempt)} in ${String(data.delayMs)} ms`
              : event.type === 'StepSucceeded'
                ? String(data.stepId)
                : '';
      return `  +${String(event.recordedAt.getTime() - start).padStart(5)} ms  ${event.type.padEnd(20)} ${detail}`;
    });
  return [
    `run ${result.runId} of order-fulfilment v1`,
    ...lines,
    `outcome: ${result.outcome} in ${result.elapsedMs} ms`,
    `output: ${JSON.stringify(result.output)}`,
    `shop saw: ${result.shopRequests.map((request) => `${request.path}→${request.status}`).join(', ')}`,
  ].join('\n');
}
