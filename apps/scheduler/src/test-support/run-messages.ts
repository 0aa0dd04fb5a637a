import { randomUUID } from 'node:crypto';
import { type StartRunCommand, type TaskResult } from '@spark/contracts';
import { WorkflowCatalog } from '@spark/engine';
import { type EventStore } from '@spark/event-store';
import { type IncomingMessage } from '@spark/messaging';

/** Registers `chain`: step `one`, then step `two` (both noop), the scheduler specs' workflow. */
export async function registerChain(store: EventStore, now: Date): Promise<void> {
  await new WorkflowCatalog(store).register(
    {
      name: 'chain',
      version: 1,
      steps: [
        { id: 'one', type: 'task', handler: 'noop' },
        { id: 'two', type: 'task', handler: 'noop', needs: ['one'] },
      ],
    },
    now.toISOString(),
    'test',
  );
}

/** A consumed Kafka message on partition 0 (a string value is sent as it is, anything else as JSON). */
export const kafkaMessage = (topic: string, value: unknown, offset: number, now: Date): IncomingMessage => ({
  topic,
  partition: 0,
  offset: String(offset),
  key: null,
  value: Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)),
  headers: {},
  timestamp: String(now.getTime()),
});

export const startChain = (
  runId: string,
  now: Date,
  extra: Partial<StartRunCommand> = {},
): StartRunCommand => ({
  type: 'StartRun',
  commandId: randomUUID(),
  runId,
  issuedAt: now.toISOString(),
  workflow: { name: 'chain', version: 1 },
  input: { orderId: 7 },
  ...extra,
});

/** The first attempt of `stepId` succeeded, as an executor reports it. */
export const stepSucceeded = (runId: string, stepId: string, now: Date): TaskResult => ({
  version: 1,
  idempotencyKey: `${runId}:${stepId}:1`,
  runId,
  stepId,
  attempt: 1,
  workerId: 'test',
  at: now.toISOString(),
  status: 'succeeded',
  output: { from: stepId },
});
