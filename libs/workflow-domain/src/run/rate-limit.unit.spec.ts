import { type WorkflowDefinition } from '@spark/contracts';

import { eventTypes, RunHarness } from '../testing';
import { type Run } from './state';

const limited: WorkflowDefinition = {
  name: 'ask-model',
  version: 1,
  steps: [
    {
      id: 'ask',
      type: 'task',
      handler: 'noop',
      rateLimit: { key: "'model-' & input.model", limit: 5, per: '1s' },
      retry: { maxAttempts: 2, initialInterval: '1s', backoff: 'fixed' },
    },
  ],
};
const token = (startAt: string, attempt = 1, taskId = 'ask') => ({
  type: 'RecordRateLimitToken' as const,
  data: { taskId, attempt, startAt, reason: 'waiting for rate limit model-x: 5 per 1s' },
});
const runOf = (harness: RunHarness) => harness.state as Run;

describe('run decider: step rate limits', () => {
  it('holds a rate-limited step back with its key computed, until its key hands it a token', async () => {
    const run = new RunHarness('r1');
    const events = await run.start(limited, { model: 'x' });
    expect(eventTypes(events)).toEqual(['RunStarted', 'TaskRateLimited']);
    expect(events[1]!.data).toMatchObject({
      taskId: 'ask',
      attempt: 1,
      rateLimit: { scope: 'model-x', key: 'model-x', limit: 5, per: '1s', perMs: 1000 },
    });
    // Nothing for an executor yet, and no timeout armed: those count from the dispatch.
    expect(run.dispatchedTaskIds).toEqual([]);
    expect(runOf(run).timers).toEqual({});
  });

  it('told to wait, it says why and until when, and is dispatched when its timer fires', async () => {
    const run = new RunHarness('r1');
    await run.start(limited, { model: 'x' });
    const startAt = '2026-01-01T00:00:03.000Z';
    const waiting = await run.send(token(startAt));
    expect(eventTypes(waiting)).toEqual(['TaskWaitingForRateLimit', 'TimerScheduled']);
    // The timer fires ahead of the token: the executor holds the task until the token's time.
    expect(waiting[1]!.data).toMatchObject({ fireAt: '2026-01-01T00:00:02.000Z' });
    expect(runOf(run).tasks.ask).toMatchObject({
      status: 'rateLimited',
      rateLimitWait: { reason: 'waiting for rate limit model-x: 5 per 1s', until: startAt },
    });
    // The same word again (a redelivery) changes nothing.
    expect(await run.send(token(startAt))).toEqual([]);
    const released = await run.fireNextTimer();
    expect(eventTypes(released)).toEqual(['TimerFired', 'TaskDispatched', 'TimerScheduled']);
    expect(released[1]!.data).toMatchObject({
      taskId: 'ask',
      attempt: 1,
      dispatchedAt: '2026-01-01T00:00:02.000Z',
      notBefore: startAt,
    });
    // Its timeout counts from the token's time, not from the dispatch.
    expect(released[2]!.data).toMatchObject({ purpose: 'startToClose', fireAt: '2026-01-01T00:05:03.000Z' });
    expect(run.dispatchedTaskIds).toEqual(['ask']);
    // A late word for the attempt already out changes nothing.
    expect(await run.send(token(startAt))).toEqual([]);
  });

  it('given a token whose time has come, it is dispatched at once', async () => {
    const run = new RunHarness('r1');
    await run.start(limited, { model: 'x' });
    expect(eventTypes(await run.send(token('2026-01-01T00:00:00.000Z')))).toEqual([
      'TaskDispatched',
      'TimerScheduled',
    ]);
  });

  it('a token used long after its time (a scheduler down meanwhile) is renewed once, not bunched with the next', async () => {
    const run = new RunHarness('r1');
    await run.start(limited, { model: 'x' });
    await run.send(token('2026-01-01T00:00:03.000Z'));
    // The timer fires 2 s after the token's time, past its expiry (the larger of `per` and 1 s).
    run.advanceTime(5000);
    const renewed = await run.fireTimer('ask:1:rateLimit');
    expect(eventTypes(renewed)).toEqual(['TimerFired', 'TaskRateLimited']);
    expect(renewed[1]!.data).toMatchObject({ attempt: 1, renewsToken: '2026-01-01T00:00:03.000Z' });
    expect(run.dispatchedTaskIds).toEqual([]);
    // The second token is taken whatever its lateness: an attempt is renewed once at most.
    run.advanceTime(5000);
    expect(eventTypes(await run.send(token('2026-01-01T00:00:03.000Z')))).toEqual([
      'TaskDispatched',
      'TimerScheduled',
    ]);
  });

  it('a token due within a second goes out at once with its time as notBefore; a retry carries none', async () => {
    const run = new RunHarness('r1');
    await run.start(limited, { model: 'x' });
    const startAt = '2026-01-01T00:00:00.800Z';
    const out = await run.send(token(startAt));
    expect(eventTypes(out)).toEqual(['TaskWaitingForRateLimit', 'TaskDispatched', 'TimerScheduled']);
    expect(out[1]!.data).toMatchObject({ dispatchedAt: '2026-01-01T00:00:00.000Z', notBefore: startAt });
    // The executor also claims the start in the key's window of actual starts (docs/adr/0127).
    expect(out[1]!.data).toMatchObject({ rateLimitStart: { key: 'model-x', limit: 5, perMs: 1000 } });
    expect(out[2]!.data).toMatchObject({ purpose: 'startToClose', fireAt: '2026-01-01T00:05:00.800Z' });
    expect(run.dispatchedTaskIds).toEqual(['ask']);
    // No rate-limit timer: only the attempt's timeout.
    expect(Object.values(runOf(run).timers).map((timer) => timer.purpose)).toEqual(['startToClose']);
    await run.fail('ask', { code: 'E', message: 'boom' });
    const retried = await run.fireNextTimer();
    expect(retried[1]!.type).toBe('TaskRateLimited');
    expect(retried[1]!.data).not.toHaveProperty('notBefore');
    expect(retried[1]!.data).not.toHaveProperty('rateLimitStart');
  });

  it('an external worker (which knows no notBefore) gets its task at its token time', async () => {
    const run = new RunHarness('r1');
    const external: WorkflowDefinition = {
      ...limited,
      steps: [{ ...(limited.steps[0] as object), handler: 'external:gpu' } as never],
    };
    await run.start(external, { model: 'x' });
    const startAt = '2026-01-01T00:00:00.800Z';
    const waiting = await run.send(token(startAt));
    expect(eventTypes(waiting)).toEqual(['TaskWaitingForRateLimit', 'TimerScheduled']);
    expect(waiting[1]!.data).toMatchObject({ fireAt: startAt });
    const out = await run.fireNextTimer();
    expect(out[1]!.data).toMatchObject({ dispatchedAt: startAt });
    expect(out[1]!.data).not.toHaveProperty('notBefore');
    expect(out[1]!.data).not.toHaveProperty('rateLimitStart');
  });

  it('a retry asks the same key for a token of its own', async () => {
    const run = new RunHarness('r1');
    await run.start(limited, { model: 'x' });
    await run.send(token('2026-01-01T00:00:00.000Z'));
    await run.fail('ask', { code: 'E', message: 'boom' });
    const retried = await run.fireNextTimer();
    expect(eventTypes(retried)).toEqual(['TimerFired', 'TaskRateLimited']);
    expect(retried[1]!.data).toMatchObject({ attempt: 2, rateLimit: { key: 'model-x' } });
    // A result for the waiting attempt (none was sent to an executor) is stale.
    expect(await run.succeed('ask', 'early', 2)).toEqual([]);
    expect(eventTypes(await run.send(token('2026-01-01T00:00:01.000Z', 2)))).toEqual([
      'TaskDispatched',
      'TimerScheduled',
    ]);
  });

  it('a run cancelled while a step waits for its token ends, and the token then changes nothing', async () => {
    const run = new RunHarness('r1');
    await run.start(limited, { model: 'x' });
    await run.send(token('2026-01-01T00:00:05.000Z'));
    const cancelled = await run.cancel();
    expect(eventTypes(cancelled)).toEqual(['StepCancelled', 'RunCancelled']);
    // No executor holds the waiting attempt: nothing to cancel there.
    expect(cancelled[0]!.data).toMatchObject({ tasks: [] });
    expect(await run.fireTimer('ask:1:rateLimit')).toEqual([]);
    expect(await run.send(token('2026-01-01T00:00:05.000Z'))).toEqual([]);
  });

  it('a map step rate-limits every item, its key seeing the item', async () => {
    const run = new RunHarness('r1');
    const events = await run.start(
      {
        name: 'embed',
        version: 1,
        steps: [
          {
            id: 'm',
            type: 'map',
            items: 'input.docs',
            concurrency: 2,
            task: { handler: 'noop' },
            rateLimit: { key: 'item.tenant', limit: 1, per: '100ms' },
          },
        ],
      },
      { docs: [{ tenant: 'a' }, { tenant: 'b' }, { tenant: 'c' }] },
    );
    expect(eventTypes(events)).toEqual(['RunStarted', 'MapExpanded', 'TaskRateLimited', 'TaskRateLimited']);
    expect(
      events.slice(2).map((event) => (event.data as { rateLimit: { key: string } }).rateLimit.key),
    ).toEqual(['a', 'b']);
  });

  it('a key that cannot be computed fails the step, naming where', async () => {
    const run = new RunHarness('r1');
    const events = await run.start({
      ...limited,
      steps: [
        { id: 'ask', type: 'task', handler: 'noop', rateLimit: { key: '$error("no")', limit: 1, per: '1s' } },
      ],
    });
    expect(eventTypes(events)).toContain('StepFailed');
    expect(JSON.stringify(events)).toContain('steps.ask.rateLimit.key');
  });
});
