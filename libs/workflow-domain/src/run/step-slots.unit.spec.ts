import { type WorkflowDefinition } from '@spark/contracts';

import { eventTypes, RunHarness } from '../testing';
import { type Run } from './state';

const keyed: WorkflowDefinition = {
  name: 'call-model',
  version: 1,
  steps: [
    {
      id: 'ask',
      type: 'task',
      handler: 'noop',
      concurrency: { key: "'model-' & input.model", limit: 2 },
      retry: { maxAttempts: 2, initialInterval: '1s', backoff: 'fixed' },
    },
    { id: 'other', type: 'task', handler: 'noop' },
  ],
};
const granted = (attempt = 1) => ({
  type: 'RecordStepSlot' as const,
  data: { taskId: 'ask', attempt, outcome: 'granted' as const },
});
const released = (events: { type: string; data: unknown }[]) =>
  events.filter((event) => event.type === 'TaskSlotReleased').map((event) => event.data);

describe('run decider: step concurrency keys', () => {
  it('holds a keyed step back until its key grants a slot, and says where it stands in line', async () => {
    const run = new RunHarness('r1');
    const events = await run.start(keyed, { model: 'a' });
    expect(eventTypes(events)).toEqual([
      'RunStarted',
      'TaskAwaitingSlot',
      'TaskDispatched',
      'TimerScheduled',
    ]);
    expect(events[1]!.data).toMatchObject({
      taskId: 'ask',
      slot: { scope: 'step:model-a', key: 'model-a', limit: 2 },
    });
    expect(run.dispatchedTaskIds).toEqual(['other']);
    const queued = await run.send({
      type: 'RecordStepSlot',
      data: { taskId: 'ask', attempt: 1, outcome: 'queued', inUse: 2, limit: 2, position: 3 },
    });
    expect(queued).toEqual([
      expect.objectContaining({
        type: 'TaskWaitingForSlot',
        data: expect.objectContaining({
          reason: 'waiting for concurrency key model-a: 2 of 2 in use',
          position: 3,
        }),
      }),
    ]);
    expect(eventTypes(await run.send(granted()))).toEqual(['TaskDispatched', 'TimerScheduled']);
    expect([...run.dispatchedTaskIds].sort()).toEqual(['ask', 'other']);
    // A late repeat of the grant changes nothing.
    expect(await run.send(granted())).toEqual([]);
  });

  it('gives the slot back when the attempt succeeds, right after the event that ended it', async () => {
    const run = new RunHarness('r1');
    await run.start(keyed, { model: 'a' });
    await run.send(granted());
    const done = await run.succeed('ask', 'ok');
    expect(eventTypes(done).slice(0, 3)).toEqual([
      'StepAttemptStarted',
      'StepAttemptSucceeded',
      'TaskSlotReleased',
    ]);
    expect(released(done)).toEqual([
      { taskId: 'ask', stepId: 'ask', attempt: 1, scope: 'step:model-a', key: 'model-a' },
    ]);
  });

  it('gives it back when the attempt fails and before its retry asks again', async () => {
    const run = new RunHarness('r1');
    await run.start(keyed, { model: 'a' });
    await run.send(granted());
    expect(released(await run.fail('ask', { code: 'E', message: 'boom' }))).toHaveLength(1);
    const retry = await run.fireNextTimer();
    expect(eventTypes(retry)).toEqual(['TimerFired', 'TaskAwaitingSlot']);
    expect(retry[1]!.data).toMatchObject({ attempt: 2 });
  });

  it('gives it back when the attempt times out (a lost task), and when the run is cancelled, waiting or holding', async () => {
    const lost = new RunHarness('r1');
    await lost.start(keyed, { model: 'a' });
    await lost.send(granted());
    const timedOut = await lost.fireNextTimer(); // the start-to-close timer of the dispatch
    expect(eventTypes(timedOut)).toContain('StepTimedOut');
    expect(released(timedOut)).toHaveLength(1);

    const waiting = new RunHarness('r2');
    await waiting.start(keyed, { model: 'a' });
    expect(released(await waiting.cancel())).toEqual([
      expect.objectContaining({ taskId: 'ask', attempt: 1 }),
    ]);

    const holding = new RunHarness('r3');
    await holding.start(keyed, { model: 'a' });
    await holding.send(granted());
    const cancelled = await holding.cancel();
    expect(eventTypes(cancelled)).toContain('RunCancelled');
    expect(released(cancelled)).toHaveLength(1);
    // Only once: the run is over, nothing more to give back.
    expect(await holding.send(granted())).toEqual([]);
  });

  it('gives it back when another step fails the run while the keyed step runs', async () => {
    const run = new RunHarness('r1');
    await run.start(keyed, { model: 'a' });
    await run.send(granted());
    const failed = await run.fail('other', { code: 'E', message: 'boom' }, { retryable: false });
    expect(eventTypes(failed)).toContain('RunFailed');
    expect(released(failed)).toEqual([expect.objectContaining({ taskId: 'ask', attempt: 1 })]);
    expect((run.state as Run).tasks).toEqual({});
  });

  it('runs without step keys get no release events', async () => {
    const run = new RunHarness('r1');
    await run.start({ name: 'plain', version: 1, steps: [{ id: 'a', type: 'task', handler: 'noop' }] });
    expect(released(await run.succeed('a'))).toEqual([]);
  });

  describe('with a rate limit on the same step (docs/adr/0125)', () => {
    const both: WorkflowDefinition = {
      name: 'call-model-paced',
      version: 1,
      steps: [
        {
          id: 'ask',
          type: 'task',
          handler: 'noop',
          concurrency: { key: "'model-a'", limit: 2 },
          rateLimit: { key: "'model-a'", limit: 5, per: '1s' },
          retry: { maxAttempts: 2, initialInterval: '1s', backoff: 'fixed' },
        },
      ],
    };
    const token = (startAt: string, attempt = 1) => ({
      type: 'RecordRateLimitToken' as const,
      data: { taskId: 'ask', attempt, startAt, reason: 'waiting for rate limit model-a: 5 per 1s' },
    });

    it('takes its slot first, then its token holding the slot, and goes out at the token time', async () => {
      const run = new RunHarness('r1');
      const events = await run.start(both);
      expect(eventTypes(events)).toEqual(['RunStarted', 'TaskAwaitingSlot']);
      expect(events[1]!.data).toMatchObject({
        slot: { scope: 'step:model-a', key: 'model-a', limit: 2 },
        rateLimit: { scope: 'model-a', key: 'model-a', limit: 5, perMs: 1000 },
      });
      const grant = await run.send(granted());
      expect(eventTypes(grant)).toEqual(['TaskRateLimited']);
      expect(grant[0]!.data).toMatchObject({ taskId: 'ask', attempt: 1, rateLimit: { key: 'model-a' } });
      expect(run.dispatchedTaskIds).toEqual([]);
      // The slot stays held while the attempt waits for its token's time.
      expect(released(await run.send(token('2026-01-01T00:00:05.000Z')))).toEqual([]);
      expect((run.state as Run).tasks.ask).toMatchObject({ status: 'rateLimited', slot: { key: 'model-a' } });
      const out = await run.fireNextTimer();
      expect(eventTypes(out)).toEqual(['TimerFired', 'TaskDispatched', 'TimerScheduled']);
      expect(out[1]!.data).toMatchObject({ notBefore: '2026-01-01T00:00:05.000Z' });
      expect(released(await run.succeed('ask'))).toEqual([
        { taskId: 'ask', stepId: 'ask', attempt: 1, scope: 'step:model-a', key: 'model-a' },
      ]);
    });

    it('gives the slot back when cancelled while it waits for its token', async () => {
      const run = new RunHarness('r1');
      await run.start(both);
      await run.send(granted());
      await run.send(token('2026-01-01T00:00:05.000Z'));
      const cancelled = await run.cancel();
      expect(eventTypes(cancelled)).toContain('RunCancelled');
      expect(released(cancelled)).toEqual([expect.objectContaining({ taskId: 'ask', attempt: 1 })]);
    });

    it('a retry asks for a slot again, then a token again', async () => {
      const run = new RunHarness('r1');
      await run.start(both);
      await run.send(granted());
      await run.send(token('2026-01-01T00:00:00.000Z'));
      expect(released(await run.fail('ask', { code: 'E', message: 'boom' }))).toHaveLength(1);
      const retry = await run.fireNextTimer();
      expect(eventTypes(retry)).toEqual(['TimerFired', 'TaskAwaitingSlot']);
      expect(retry[1]!.data).toMatchObject({
        attempt: 2,
        slot: { key: 'model-a' },
        rateLimit: { key: 'model-a' },
      });
      expect(eventTypes(await run.send(granted(2)))).toEqual(['TaskRateLimited']);
    });
  });

  describe('on the items of a map step (docs/adr/0125)', () => {
    const mapped: WorkflowDefinition = {
      name: 'embed-all',
      version: 1,
      steps: [
        {
          id: 'each',
          type: 'map',
          items: 'input.docs',
          concurrency: 3,
          task: { handler: 'noop', input: '=item' },
          concurrencyKey: { key: "'model-' & item.model", limit: 1 },
        },
      ],
    };
    const grantItem = (taskId: string) => ({
      type: 'RecordStepSlot' as const,
      data: { taskId, attempt: 1, outcome: 'granted' as const },
    });

    it('each item takes a slot of its own key, computed over the item, and gives it back when it ends', async () => {
      const run = new RunHarness('r1');
      const events = await run.start(mapped, { docs: [{ model: 'a' }, { model: 'b' }, { model: 'a' }] });
      const awaiting = events.filter((event) => event.type === 'TaskAwaitingSlot');
      expect(awaiting.map((event) => (event.data as { slot: { key: string } }).slot.key)).toEqual([
        'model-a',
        'model-b',
        'model-a',
      ]);
      expect(run.dispatchedTaskIds).toEqual([]);
      const ids = awaiting.map((event) => (event.data as { taskId: string }).taskId);
      expect(eventTypes(await run.send(grantItem(ids[0]!)))).toEqual(['TaskDispatched', 'TimerScheduled']);
      expect(run.dispatchedTaskIds).toEqual([ids[0]]);
      const done = await run.succeed(ids[0]!, 'ok');
      expect(released(done)).toEqual([
        expect.objectContaining({ taskId: ids[0], scope: 'step:model-a', key: 'model-a' }),
      ]);
      // The items still in line leave it when the run is cancelled.
      expect(
        released(await run.cancel())
          .map((data) => (data as { taskId: string }).taskId)
          .sort(),
      ).toEqual([ids[1], ids[2]].sort());
    });

    it('an item whose key does not evaluate fails its step, naming the field', async () => {
      const run = new RunHarness('r1');
      const bad: WorkflowDefinition = {
        ...mapped,
        steps: [
          {
            ...(mapped.steps[0] as object),
            concurrencyKey: { key: '$error("no key")', limit: 1 },
          } as never,
        ],
      };
      const events = await run.start(bad, { docs: [{}] });
      expect(JSON.stringify(events)).toContain('steps.each.concurrencyKey.key');
    });
  });
});
