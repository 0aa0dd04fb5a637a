import { type WorkflowDefinition } from '@spark/contracts';

import { deciderSpecification } from '../testing';
import { type RunCommand } from './commands';
import { type RunEvent } from './events';
import { runDecider } from './run-decider';

const T0 = '2026-01-01T00:00:00.000Z';
const T1 = '2026-01-01T00:00:01.000Z';
const spec = deciderSpecification(runDecider);

const definition: WorkflowDefinition = {
  name: 'per-tenant',
  version: 1,
  concurrency: { key: 'input.tenant', limit: 3 },
  steps: [{ id: 'a', type: 'task', handler: 'noop' }],
};
const start: RunCommand = {
  type: 'StartRun',
  data: { runId: 'r1', definition, input: { tenant: 'tenant-a' } },
  metadata: { now: T0 },
};
const runStarted: RunEvent = {
  type: 'RunStarted',
  data: {
    runId: 'r1',
    workflow: { name: 'per-tenant', version: 1 },
    definition,
    input: { tenant: 'tenant-a' },
    idempotencyKey: 'r1',
    seed: 'r1',
    concurrencyKey: 'tenant-a',
    concurrency: { scope: 'run:per-tenant:tenant-a', key: 'tenant-a', limit: 3, strategy: 'queue' },
    startedAt: T0,
  },
};
const slot = (data: Extract<RunCommand, { type: 'RecordConcurrencySlot' }>['data']): RunCommand => ({
  type: 'RecordConcurrencySlot',
  data,
  metadata: { now: T1 },
});

describe('run decider: run-level concurrency', () => {
  it('given nothing, when a run with a concurrency key starts, then it starts no step before it holds a slot', async () => {
    await spec.given([]).when(start).then([runStarted]);
  });

  it('given a started run, when its scope queues it, then it records why it waits and its place in line', async () => {
    await spec
      .given([runStarted])
      .when(slot({ runAttempt: 1, outcome: 'queued', inUse: 3, limit: 3, position: 2 }))
      .then([
        {
          type: 'RunWaitingForConcurrency',
          data: {
            key: 'tenant-a',
            runAttempt: 1,
            inUse: 3,
            limit: 3,
            position: 2,
            reason: 'waiting for concurrency key tenant-a: 3 of 3 in use',
            at: T1,
          },
        },
      ]);
  });

  it('given a waiting run, when its slot is granted, then its first steps are dispatched', async () => {
    const events = await spec
      .given([runStarted])
      .when(slot({ runAttempt: 1, outcome: 'granted' }))
      .events();
    expect(events.map((event) => event.type)).toEqual([
      'ConcurrencySlotAcquired',
      'TaskDispatched',
      'TimerScheduled',
    ]);
  });

  it('given a run holding its slot, when a grant is redelivered, then nothing happens', async () => {
    await spec
      .given([
        runStarted,
        { type: 'ConcurrencySlotAcquired', data: { key: 'tenant-a', runAttempt: 1, at: T1 } },
      ])
      .when(slot({ runAttempt: 1, outcome: 'granted' }))
      .thenNothing();
  });

  it('given a run, when a word for another attempt arrives, then nothing happens', async () => {
    await spec
      .given([runStarted])
      .when(slot({ runAttempt: 2, outcome: 'granted' }))
      .thenNothing();
  });

  it('given a waiting run, when it is cancelled, then it ends without having started a step', async () => {
    const events = await spec
      .given([runStarted])
      .when({ type: 'CancelRun', data: { reason: 'no longer needed' }, metadata: { now: T1 } })
      .events();
    expect(events.map((event) => event.type)).toEqual(['RunCancelled']);
  });
});
