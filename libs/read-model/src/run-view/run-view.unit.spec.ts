import { type WorkflowDefinition } from '@spark/contracts';
import { type RecordedEvent } from '@spark/event-store';
import { type RunEvent } from '@spark/workflow-domain';
import { RunHarness } from '@spark/workflow-domain/testing';
import { currentRunView } from './run-view-rows';
import { runResourceOf, toRunResource } from './run-resource';
import { emptyRunView, foldRunView, runViewOf } from './run-view';

const T0 = '2026-01-01T00:00:00.000Z';
const T1 = '2026-01-01T00:00:01.000Z';
const recorded = (events: RunEvent[]): RecordedEvent[] =>
  events.map(
    (event, index) =>
      ({
        id: `e${index}`,
        streamName: 'run-r1',
        type: event.type,
        data: event.data,
        metadata: {},
        revision: BigInt(index),
        position: BigInt(index + 1),
        recordedAt: T0,
      }) as unknown as RecordedEvent,
  );

const started: RunEvent = {
  type: 'RunStarted',
  data: {
    runId: 'r1',
    workflow: { name: 'ingest', version: 1 },
    definition: {
      name: 'ingest',
      version: 1,
      concurrency: { key: 'input.tenant', limit: 3 },
      steps: [{ id: 'a', type: 'task', handler: 'noop' }],
    },
    input: { tenant: 'tenant-a' },
    idempotencyKey: 'r1',
    seed: 'r1',
    concurrencyKey: 'tenant-a',
    concurrency: { scope: 'run:ingest:tenant-a', key: 'tenant-a', limit: 3, strategy: 'queue' },
    startedAt: T0,
  },
};
const waiting: RunEvent = {
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
};

describe('the run view of a run behind a concurrency key', () => {
  it('says why it waits and where it stood in line', () => {
    expect(toRunResource(recorded([started, waiting]))?.waiting).toEqual({
      reason: 'waiting for concurrency key tenant-a: 3 of 3 in use',
      concurrencyKey: 'tenant-a',
      inUse: 3,
      limit: 3,
      position: 2,
      since: T1,
    });
  });

  it('says nothing once the run holds its slot, or has ended', () => {
    const acquired: RunEvent = {
      type: 'ConcurrencySlotAcquired',
      data: { key: 'tenant-a', runAttempt: 1, at: T1 },
    };
    const cancelled: RunEvent = { type: 'RunCancelled', data: { reason: 'x', cancelledAt: T1 } };
    expect(toRunResource(recorded([started, waiting, acquired]))?.waiting).toBeUndefined();
    expect(toRunResource(recorded([started, waiting, cancelled]))?.waiting).toBeUndefined();
  });
});

describe('the run view of a debounced or throttled run', () => {
  const throttledStart: RunEvent = {
    type: 'RunStarted',
    data: {
      runId: 'r1',
      workflow: { name: 'call-model', version: 1 },
      definition: {
        name: 'call-model',
        version: 1,
        throttle: { key: 'input.tenant', limit: 5, period: '1s' },
        steps: [{ id: 'a', type: 'task', handler: 'noop' }],
      },
      input: { tenant: 'tenant-a' },
      idempotencyKey: 'r1',
      seed: 'r1',
      startControl: {
        kind: 'throttle',
        scope: 'throttle:call-model:tenant-a',
        key: 'tenant-a',
        limit: 5,
        periodMs: 1000,
      },
      startedAt: T0,
    },
  };
  const T2 = '2026-01-01T00:00:02.000Z';
  const waitingToStart: RunEvent = {
    type: 'RunWaitingToStart',
    data: { kind: 'throttle', key: 'tenant-a', reason: 'throttled: …', until: T2, at: T1 },
  };

  it('says why it waits and until when, then nothing once released', () => {
    expect(toRunResource(recorded([throttledStart, waitingToStart]))?.waiting).toEqual({
      reason: 'throttled: …',
      since: T1,
      until: T2,
      startControl: 'throttle',
      startControlKey: 'tenant-a',
    });
    const released: RunEvent = { type: 'RunStartReleased', data: { at: T2 } };
    expect(toRunResource(recorded([throttledStart, waitingToStart, released]))?.waiting).toBeUndefined();
  });
});

describe("the run view's actions: cancels, retries and signals with their reasons", () => {
  const T2 = '2026-01-01T00:00:02.000Z';
  const T3 = '2026-01-01T00:00:03.000Z';
  const signalled: RunEvent = {
    type: 'SignalReceived',
    data: { signalId: 's1', name: 'approve', payload: null, reason: 'looks good', at: T1 },
  };
  const resumed: RunEvent = {
    type: 'RunResumed',
    data: { runAttempt: 2, resetSteps: ['a'], reason: 'the shop is back', resumedAt: T2 },
  };
  const cancelled: RunEvent = { type: 'RunCancelled', data: { reason: 'bad deploy', cancelledAt: T3 } };

  it('lists them in order, each with the reason given', () => {
    expect(toRunResource(recorded([started, signalled, resumed, cancelled]))?.actions).toEqual([
      { action: 'SIGNAL', at: T1, signal: 'approve', signalId: 's1', reason: 'looks good' },
      { action: 'RETRY', at: T2, runAttempt: 2, reason: 'the shop is back' },
      { action: 'CANCEL', at: T3, reason: 'bad deploy' },
    ]);
  });

  it('reads events written before reasons were kept (version 1 and 2, no reason) as actions without one', () => {
    const old = recorded([
      started,
      { type: 'SignalReceived', data: { signalId: 's1', name: 'approve', payload: null, at: T1 } },
      { type: 'RunResumed', data: { runAttempt: 2, resetSteps: ['a'], resumedAt: T2 } },
    ]).map((event, index) => ({ ...event, metadata: index === 1 ? {} : { schemaVersion: 2 } }));
    expect(toRunResource(old)?.actions).toEqual([
      { action: 'SIGNAL', at: T1, signal: 'approve', signalId: 's1' },
      { action: 'RETRY', at: T2, runAttempt: 2 },
    ]);
  });

  it('has none on a run nobody acted on', () => {
    expect(toRunResource(recorded([started]))).not.toHaveProperty('actions');
  });
});

describe('the run view of a step held back by its rate limit or concurrency key', () => {
  const definition = (step: Record<string, unknown>) =>
    ({
      name: 'ask',
      version: 1,
      steps: [{ id: 'ask', type: 'task', handler: 'noop', ...step }],
    }) as WorkflowDefinition;

  it('says which attempt waits for a rate-limit token, why and until when', async () => {
    const run = new RunHarness('r1', T0);
    // Further ahead than the executor's hold (docs/adr/0126): the attempt waits in its run.
    const later = '2026-01-01T00:00:03.000Z';
    await run.start(definition({ rateLimit: { key: "'model-x'", limit: 5, per: '1s' } }));
    await run.send({
      type: 'RecordRateLimitToken',
      data: {
        taskId: 'ask',
        attempt: 1,
        startAt: later,
        reason: 'waiting for rate limit model-x: 5 per 1s',
      },
    });
    expect(toRunResource(recorded(run.events))?.steps[0]!.waiting).toEqual([
      {
        taskId: 'ask',
        attempt: 1,
        reason: 'waiting for rate limit model-x: 5 per 1s',
        rateLimitKey: 'model-x',
        since: T0,
        until: later,
      },
    ]);
    await run.fireNextTimer();
    expect(toRunResource(recorded(run.events))?.steps[0]!.waiting).toBeUndefined();
  });

  it('says which attempt waits for a slot of its concurrency key, and where it stands in line', async () => {
    const run = new RunHarness('r1', T0);
    await run.start(definition({ concurrency: { key: "'model-a'", limit: 2 } }));
    await run.send({
      type: 'RecordStepSlot',
      data: { taskId: 'ask', attempt: 1, outcome: 'queued', inUse: 2, limit: 2, position: 4 },
    });
    expect(toRunResource(recorded(run.events))?.steps[0]!.waiting).toEqual([
      {
        taskId: 'ask',
        attempt: 1,
        reason: 'waiting for concurrency key model-a: 2 of 2 in use',
        concurrencyKey: 'model-a',
        inUse: 2,
        limit: 2,
        position: 4,
        since: T0,
      },
    ]);
  });
});

describe('a stored view brought up to date with the stream after it', () => {
  const definition = {
    name: 'pair',
    version: 1,
    steps: [
      { id: 'a', type: 'task', handler: 'noop' },
      { id: 'b', type: 'task', handler: 'noop', needs: ['a'] },
    ],
  } as WorkflowDefinition;

  it('reads, from a view at any revision, the run its whole stream gives; a stored view round-trips JSON', async () => {
    const run = new RunHarness('r1', T0);
    await run.start(definition, { n: 1 });
    await run.started('a');
    await run.succeed('a', { a: 1 });
    await run.started('b');
    const events = recorded(run.events);
    const whole = toRunResource(events)!;
    expect(whole.steps.map((step) => step.status)).toEqual(['SUCCEEDED', 'ACTIVE']);
    for (let cut = 0; cut <= events.length; cut++) {
      const stored = runViewOf(events.slice(0, cut));
      // What the read model keeps is JSON: the view must survive the trip.
      const { revision, ...rest } = stored;
      const kept = { ...(JSON.parse(JSON.stringify(rest)) as typeof rest), revision };
      const tail = async (from: bigint) => events.filter((event) => event.revision >= from);
      expect([cut, runResourceOf(await currentRunView(kept, tail))]).toEqual([cut, whole]);
    }
  });

  it('folds nothing twice when the tail overlaps the view, and keeps the revision of its last event', async () => {
    const run = new RunHarness('r1', T0);
    await run.start(definition, {});
    await run.started('a');
    const events = recorded(run.events);
    const view = runViewOf(events);
    expect(view.revision).toBe(events.at(-1)!.revision);
    expect(foldRunView(view, events)).toBe(view);
    expect(runResourceOf(foldRunView(view, events.slice(1)))).toEqual(runResourceOf(view));
    expect(runResourceOf(emptyRunView())).toBeUndefined();
  });
});
