import { randomUUID } from 'node:crypto';
import { type RecordedEvent } from '@spark/event-store';
import {
  EngineHarness,
  freePort,
  startServiceProcess,
  stopServiceProcess,
  waitUntilReady,
} from '@spark/testing';
import {
  concurrencyDecider,
  type ConcurrencyEvent,
  concurrencyStreamName,
  fold,
  rateLimitStreamName,
  stepSlotScope,
} from '@spark/workflow-domain';

// Step-level concurrency keys (issue 15, docs/adr/0124): a limit shared by every step naming the key,
// across workflows; an attempt holds its slot from its dispatch to its end, however it ends.
describe('step concurrency keys', () => {
  let engine: EngineHarness | undefined;
  beforeAll(async () => {
    engine = await EngineHarness.start();
  }, 60_000);
  afterAll(async () => {
    await engine?.stop();
  });

  const workflow = (name: string, key: string, durationMs = 250) => ({
    name,
    version: 1,
    steps: [
      { id: 'prepare', type: 'task', handler: 'noop' },
      {
        id: 'call',
        type: 'task',
        needs: ['prepare'],
        handler: 'sleep',
        config: { durationMs },
        concurrency: { key: `'${key}'`, limit: 2 },
        // A killed executor's attempt times out quickly, gives its slot back and is retried.
        timeout: { startToClose: '3s' },
        retry: { maxAttempts: 8, initialInterval: '100ms', backoff: 'fixed' },
      },
    ],
  });
  const timeOf = (events: RecordedEvent[], type: string): number => {
    const event = events.find(
      (candidate) => candidate.type === type && (candidate.data as { taskId?: string }).taskId === 'call',
    );
    if (!event) throw new Error(`no ${type} of call in ${events.map((e) => e.type).join(', ')}`);
    const data = event.data as { dispatchedAt?: string; at?: string };
    return Date.parse(data.dispatchedAt ?? data.at ?? '');
  };
  /** Most attempts holding a slot at once: from each dispatch to the decision that ended it. */
  const mostAtOnce = (intervals: [number, number][]): number => {
    const points = intervals.flatMap(([from, to]) => [
      [from, +1],
      [to, -1],
    ]);
    // An end and a start at the same millisecond: the end came first (a grant follows the release).
    points.sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);
    let now = 0;
    let most = 0;
    for (const [, delta] of points) most = Math.max(most, (now += delta!));
    return most;
  };
  const timeOfEvent = (event: RecordedEvent): number | undefined => {
    const data = event.data as Record<string, unknown>;
    const at = data.at ?? data.dispatchedAt ?? data.startedAt ?? data.completedAt ?? data.firedAt;
    return typeof at === 'string' ? Date.parse(at) : undefined;
  };
  /**
   * Every keyed attempt (of `call`, or of a map item) as the time it ran on its slot: from its
   * TaskDispatched to the event that ended it (the one the decider put its TaskSlotReleased after),
   * and the executor's starts.
   */
  const attemptsOf = (
    events: RecordedEvent[],
    keyed: (taskId: string) => boolean = (taskId) => taskId === 'call',
  ) => {
    const open = new Map<string, number>();
    const slots: [number, number][] = [];
    const starts: number[] = [];
    const dispatches: { taskId: string; attempt: number; at: number }[] = [];
    let lastTime = 0;
    for (const event of events) {
      const { taskId, attempt } = event.data as { taskId?: string; attempt?: number };
      const id = `${taskId}#${attempt}`;
      if (taskId !== undefined && keyed(taskId)) {
        if (event.type === 'TaskDispatched') {
          open.set(id, timeOfEvent(event)!);
          dispatches.push({ taskId, attempt: attempt!, at: timeOfEvent(event)! });
        }
        if (event.type === 'StepAttemptStarted') starts.push(timeOfEvent(event)!);
        if (event.type === 'TaskSlotReleased' && open.has(id)) {
          slots.push([open.get(id)!, lastTime]);
          open.delete(id);
        }
      }
      lastTime = timeOfEvent(event) ?? lastTime;
    }
    return { slots, starts, dispatches, unreleased: open.size };
  };
  const scopeState = async (key: string) =>
    fold(
      concurrencyDecider,
      (await engine!.store.readStream(concurrencyStreamName(stepSlotScope(key)))).map(
        (event) => ({ type: event.type, data: event.data }) as unknown as ConcurrencyEvent,
      ),
    );
  /** The key's scope once nothing holds or waits, or as it is after `limitMs`: the relay gives slots back after the runs end. */
  const settledScope = async (key: string, limitMs: number) => {
    const deadline = Date.now() + limitMs;
    let state = await scopeState(key);
    while ((state.holders.length > 0 || state.waiting.length > 0) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      state = await scopeState(key);
    }
    return state;
  };

  it('20 steps across two workflows with key model-a, limit 2: never more than 2 at once, and no slot left held', async () => {
    const key = `model-a-${randomUUID().slice(0, 6)}`;
    const names = [`calls-a-${randomUUID().slice(0, 8)}`, `calls-b-${randomUUID().slice(0, 8)}`];
    for (const name of names) await engine!.register(workflow(name, key));
    const runIds: string[] = [];
    for (let i = 0; i < 20; i++) runIds.push(await engine!.startRun(names[i % 2]!, { i }));
    // One more run, cancelled while its step waits in line: it leaves the line, nothing leaks.
    const cancelled = await engine!.startRun(names[0]!, { i: 'cancelled' });
    await engine!.waitForEvent(cancelled, (event) => event.type === 'TaskAwaitingSlot', 30_000);
    await engine!.send({
      type: 'CancelRun',
      commandId: randomUUID(),
      runId: cancelled,
      reason: 'changed my mind',
      issuedAt: new Date().toISOString(),
    });

    const runs = await Promise.all(runIds.map((runId) => engine!.waitForRun(runId, 60_000)));
    for (const run of runs) expect(run.outcome).toBe('RunCompleted');
    expect((await engine!.waitForRun(cancelled, 30_000)).outcome).toBe('RunCancelled');

    const intervals = runs.map(
      (run) =>
        [timeOf(run.events, 'TaskDispatched'), timeOf(run.events, 'StepAttemptSucceeded')] as [
          number,
          number,
        ],
    );
    const most = mostAtOnce(intervals);
    expect(most).toBeLessThanOrEqual(2);
    expect(most).toBe(2); // the limit was used, not one step after another
    // The executor ran them two at a time too (its own start times inside the slots).
    const started = runs.map(
      (run) =>
        [timeOf(run.events, 'StepAttemptStarted'), timeOf(run.events, 'StepAttemptSucceeded')] as [
          number,
          number,
        ],
    );
    expect(mostAtOnce(started)).toBeLessThanOrEqual(2);
    // Steps that waited said why, and every attempt gave its slot back.
    const waited = runs.filter((run) => run.events.some((event) => event.type === 'TaskWaitingForSlot'));
    expect(waited.length).toBeGreaterThan(0);
    expect(waited[0]!.events.find((event) => event.type === 'TaskWaitingForSlot')!.data).toMatchObject({
      key,
      reason: `waiting for concurrency key ${key}: 2 of 2 in use`,
    });
    for (const run of runs)
      expect(run.events.filter((event) => event.type === 'TaskSlotReleased')).toHaveLength(1);
    const state = await settledScope(key, 15_000);
    expect(state.holders).toEqual([]);
    expect(state.waiting).toEqual([]);
  }, 90_000);

  it('a key with a rate limit on the same steps, and on the items of a map: both limits hold', async () => {
    const key = `model-b-${randomUUID().slice(0, 6)}`;
    const paced = `paced-${randomUUID().slice(0, 8)}`;
    const mapped = `mapped-${randomUUID().slice(0, 8)}`;
    // 5 per second: one token every 200 ms; calls of 500 ms, two at once.
    const rateLimit = { key: `'${key}'`, limit: 5, per: '1s' };
    await engine!.register({
      name: paced,
      version: 1,
      steps: [
        {
          id: 'call',
          type: 'task',
          handler: 'sleep',
          config: { durationMs: 500 },
          concurrency: { key: `'${key}'`, limit: 2 },
          rateLimit,
        },
      ],
    });
    await engine!.register({
      name: mapped,
      version: 1,
      steps: [
        {
          id: 'each',
          type: 'map',
          items: 'input.items',
          concurrency: 6,
          task: { handler: 'sleep', config: { durationMs: 300 } },
          concurrencyKey: { key: `'${key}'`, limit: 2 },
        },
      ],
    });
    const runIds: string[] = [];
    for (let i = 0; i < 8; i++) runIds.push(await engine!.startRun(paced, { i }));
    const mapRun = await engine!.startRun(mapped, { items: [1, 2, 3, 4, 5, 6] });
    const runs = await Promise.all(runIds.map((runId) => engine!.waitForRun(runId, 60_000)));
    const map = await engine!.waitForRun(mapRun, 60_000);
    for (const run of [...runs, map]) expect(run.outcome).toBe('RunCompleted');

    const pacedAttempts = runs.map((run) => attemptsOf(run.events));
    const mapAttempts = attemptsOf(map.events, (taskId) => taskId.startsWith('each['));
    expect(mapAttempts.slots).toHaveLength(6);
    const all = [...pacedAttempts, mapAttempts];
    for (const attempt of all) expect(attempt.unreleased).toBe(0);
    // The concurrency key: never more than 2 running at once, map items and paced calls together.
    const most = mostAtOnce(all.flatMap((attempt) => attempt.slots));
    expect(most).toBeLessThanOrEqual(2);
    expect(most).toBe(2);
    // The rate limit: every paced call waited for a token, its tokens are 200 ms apart, and no call
    // started before its token's time (it may go out up to a second ahead, held by the executor).
    const tokens = (await engine!.store.readStream(rateLimitStreamName(key)))
      .filter((event) => event.type === 'TokenScheduled')
      .map((event) => event.data as { runId: string; attempt: number; startAt: string });
    expect(tokens).toHaveLength(8);
    const times = tokens.map((token) => Date.parse(token.startAt)).sort((a, b) => a - b);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(199);
    for (const [index, run] of runs.entries()) {
      const token = tokens.find((candidate) => candidate.runId === run.runId)!;
      expect(pacedAttempts[index]!.dispatches[0]!.at).toBeGreaterThanOrEqual(
        Date.parse(token.startAt) - 1000,
      );
      expect(pacedAttempts[index]!.starts[0]).toBeGreaterThanOrEqual(Date.parse(token.startAt));
      // Slot first, then the token: the token was asked for only after the slot was granted.
      const types = run.events.map((event) => event.type);
      expect(types.indexOf('TaskAwaitingSlot')).toBeLessThan(types.indexOf('TaskRateLimited'));
    }
    const state = await settledScope(key, 15_000);
    expect(state.holders).toEqual([]);
    expect(state.waiting).toEqual([]);
  }, 90_000);

  it('two schedulers, the relaying one and an executor killed -9 midway and restarted: still never more than 2, no slot left held', async () => {
    const key = `model-a-${randomUUID().slice(0, 6)}`;
    const names = [`kill-a-${randomUUID().slice(0, 8)}`, `kill-b-${randomUUID().slice(0, 8)}`];
    for (const name of names) await engine!.register(workflow(name, key, 400));
    const second = startServiceProcess('scheduler', await freePort(), engine!.env);
    await waitUntilReady(second);
    try {
      const runIds: string[] = [];
      for (let i = 0; i < 20; i++) runIds.push(await engine!.startRun(names[i % 2]!, { i }));
      // Midway: some calls done, two in the executor's hands, the rest in line.
      await engine!.waitForRun(runIds[5]!, 60_000);
      // The harness's scheduler started first and holds the relay; the executor has tasks in hand.
      await engine!.kill('scheduler');
      await engine!.kill('executor');
      await Promise.all([engine!.startService('executor'), engine!.startService('scheduler')]);

      const runs = await Promise.all(runIds.map((runId) => engine!.waitForRun(runId, 90_000)));
      for (const run of runs) expect(run.outcome).toBe('RunCompleted');
      const attempts = runs.map((run) => attemptsOf(run.events));
      for (const attempt of attempts) expect(attempt.unreleased).toBe(0);
      const slots = attempts.flatMap((attempt) => attempt.slots);
      expect(slots.length).toBeGreaterThanOrEqual(20);
      const most = mostAtOnce(slots);
      expect(most).toBeLessThanOrEqual(2);
      expect(most).toBe(2);
      // Every start the executor reported lies inside a slot of its attempt's run.
      for (const attempt of attempts)
        for (const start of attempt.starts)
          expect(attempt.slots.some(([from, to]) => from <= start && start <= to)).toBe(true);

      const state = await settledScope(key, 20_000);
      expect(state.holders).toEqual([]);
      expect(state.waiting).toEqual([]);
    } finally {
      await stopServiceProcess(second);
    }
  }, 150_000);
});
