import { randomUUID } from 'node:crypto';
import { type RecordedEvent, StreamNotFoundError } from '@spark/event-store';
import {
  EngineHarness,
  type FinishedRun,
  freePort,
  startServiceProcess,
  stopServiceProcess,
  waitUntilReady,
} from '@spark/testing';
import { type RateLimitEvent, rateLimitStreamName } from '@spark/workflow-domain';

// Step rate limits (issue 15, docs/adr/0123): a key's tokens are decided by the relay in the key's
// stream and spread evenly; a task attempt waits in its run (durably) until its token's time, and
// Spark's executors claim each actual start in the key's window in PostgreSQL (docs/adr/0127).
describe('step rate limits', () => {
  let engine: EngineHarness | undefined;
  beforeAll(async () => {
    engine = await EngineHarness.start();
  }, 60_000);
  afterAll(async () => {
    await engine?.stop();
  });

  const workflow = (name: string, key: string) => ({
    name,
    version: 1,
    steps: [
      {
        id: 'call',
        type: 'task',
        handler: 'noop',
        rateLimit: { key: `'${key}'`, limit: 5, per: '1s' },
      },
    ],
  });
  const tokens = async (key: string) =>
    (
      await engine!.store
        .readStream(rateLimitStreamName(key))
        // No token decided yet: the key's stream does not exist.
        .catch((error: unknown) => {
          if (error instanceof StreamNotFoundError) return [];
          throw error;
        })
    ).map((event) => ({ type: event.type, data: event.data }) as unknown as RateLimitEvent);
  const dispatchOf = (events: RecordedEvent[]) => {
    const event = events.find((candidate) => candidate.type === 'TaskDispatched');
    if (!event) throw new Error(`no TaskDispatched in ${events.map((e) => e.type).join(', ')}`);
    const { dispatchedAt, notBefore } = event.data as { dispatchedAt: string; notBefore?: string };
    return {
      at: Date.parse(dispatchedAt),
      notBefore: notBefore === undefined ? undefined : Date.parse(notBefore),
    };
  };
  const startedOf = (events: RecordedEvent[]) => {
    const event = events.find((candidate) => candidate.type === 'StepAttemptStarted');
    if (!event) throw new Error(`no StepAttemptStarted in ${events.map((e) => e.type).join(', ')}`);
    return event.data as { startedAt: string; workerId?: string };
  };
  /** When the executor started the attempt (a quick task's result says so: the executor's own clock). */
  const startOf = (events: RecordedEvent[]) => Date.parse(startedOf(events).startedAt);
  const mostInAnyWindow = (times: number[], windowMs: number) => {
    const sorted = [...times].sort((a, b) => a - b);
    let most = 0;
    for (let i = 0, j = 0; j < sorted.length; j++) {
      while (sorted[j]! - sorted[i]! >= windowMs) i++;
      most = Math.max(most, j - i + 1);
    }
    return most;
  };
  const gauge = (text: string, key: string) => {
    const line = text
      .split('\n')
      .find((candidate) => candidate.startsWith(`spark_rate_limit_waiting{key="${key}"`));
    return line === undefined ? undefined : Number(line.split(' ').at(-1));
  };
  const metrics = async () => (await fetch(`http://127.0.0.1:${engine!.ports.scheduler}/metrics`)).text();

  it('30 steps of two workflows behind one key on two executors, 5 per second: tokens and actual starts over >= 5.8 s, never 6 in a second', async () => {
    // A second executor in the same group: the key's tasks are split between the two.
    const second = startServiceProcess('executor', await freePort(), engine!.env);
    await waitUntilReady(second);
    try {
      await thirtyStepsOnTwoExecutors();
    } finally {
      await stopServiceProcess(second);
    }
  }, 120_000);

  const thirtyStepsOnTwoExecutors = async () => {
    const key = `model-${randomUUID().slice(0, 6)}`;
    const names = [`ask-a-${randomUUID().slice(0, 8)}`, `ask-b-${randomUUID().slice(0, 8)}`];
    for (const name of names) await engine!.register(workflow(name, key));
    const runIds: string[] = [];
    for (let i = 0; i < 30; i++) runIds.push(await engine!.startRun(names[i % 2]!, { i }));

    // While steps wait, the relaying scheduler's /metrics shows how many, for the key.
    let waiting: number | undefined;
    for (const deadline = Date.now() + 5000; Date.now() < deadline;) {
      waiting = gauge(await metrics(), key);
      if (waiting !== undefined && waiting > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(waiting).toBeGreaterThan(0);

    const runs: FinishedRun[] = await Promise.all(runIds.map((runId) => engine!.waitForRun(runId, 60_000)));
    for (const run of runs) expect(run.outcome).toBe('RunCompleted');

    // The key handed out 30 tokens, one every 200 ms: 29 intervals, and never 6 in any second.
    const scheduled = (await tokens(key)).filter((event) => event.type === 'TokenScheduled');
    expect(scheduled.map((event) => event.data.runId).sort()).toEqual([...runIds].sort());
    const tokenAt = new Map(scheduled.map((event) => [event.data.runId, Date.parse(event.data.startAt)]));
    const tokenTimes = [...tokenAt.values()].sort((a, b) => a - b);
    for (let i = 5; i < tokenTimes.length; i++)
      expect(tokenTimes[i]! - tokenTimes[i - 5]!).toBeGreaterThanOrEqual(1000);
    expect(tokenTimes.at(-1)! - tokenTimes[0]!).toBeGreaterThanOrEqual(5800);
    expect(mostInAnyWindow(tokenTimes, 1000)).toBe(5);

    // Each step went to its executor up to a second ahead of its token, told not to start before it
    // (docs/adr/0126), or at its token's time when it came later than that.
    for (const run of runs) {
      const dispatch = dispatchOf(run.events);
      const token = tokenAt.get(run.runId)!;
      expect(dispatch.at).toBeGreaterThanOrEqual(token - 1000);
      if (dispatch.notBefore !== undefined) expect(dispatch.notBefore).toBe(token);
      else expect(dispatch.at).toBeGreaterThanOrEqual(token);
    }
    // The actual starts (StepAttemptStarted, the executors' clock, one machine here): never before the
    // token, and never 6 in any window of 1 s, however late a start ran (docs/adr/0127), across both
    // executors.
    const lags = runs.map((run) => startOf(run.events) - tokenAt.get(run.runId)!);
    expect(Math.min(...lags)).toBeGreaterThanOrEqual(0);
    const starts = runs.map((run) => startOf(run.events)).sort((a, b) => a - b);
    expect(starts.at(-1)! - starts[0]!).toBeGreaterThanOrEqual(5800);
    for (let i = 5; i < starts.length; i++) expect(starts[i]! - starts[i - 5]!).toBeGreaterThanOrEqual(1000);
    expect(mostInAnyWindow(starts, 1000)).toBe(5);
    const workers = new Set(runs.map((run) => startedOf(run.events).workerId));
    console.log(
      `rate limit: tokens over ${tokenTimes.at(-1)! - tokenTimes[0]!} ms, starts over ${
        starts.at(-1)! - starts[0]!
      } ms; lag from token to start ${Math.min(...lags)}-${Math.max(...lags)} ms; at most ${mostInAnyWindow(
        starts,
        1000,
      )} starts in any 1 s; ${runs.filter((run) => dispatchOf(run.events).notBefore !== undefined).length} of 30 sent ahead; started by ${workers.size} executors`,
    );

    // The steps that waited said why, in their runs' events.
    const waited = runs.filter((run) => run.events.some((event) => event.type === 'TaskWaitingForRateLimit'));
    expect(waited.length).toBeGreaterThanOrEqual(24);
    expect(waited[0]!.events.find((event) => event.type === 'TaskWaitingForRateLimit')!.data).toMatchObject({
      key,
      reason: `waiting for rate limit ${key}: 5 per 1s`,
    });
    // Nothing waits any more: the key's series is gone.
    expect(gauge(await metrics(), key)).toBeUndefined();
  };

  it('waiting steps survive a kill -9 of the scheduler: each attempt gets one token, and starts at its time or after', async () => {
    const key = `model-${randomUUID().slice(0, 6)}`;
    const name = `ask-restart-${randomUUID().slice(0, 8)}`;
    await engine!.register(workflow(name, key));
    const runIds: string[] = [];
    for (let i = 0; i < 20; i++) runIds.push(await engine!.startRun(name, { i }));
    // Once the first steps are out (the rest wait on their runs' timers), the scheduler dies.
    for (const deadline = Date.now() + 20_000; Date.now() < deadline;) {
      const scheduled = (await tokens(key)).length;
      if (scheduled === 20) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await engine!.kill('scheduler');
    await engine!.startService('scheduler');

    const runs = await Promise.all(runIds.map((runId) => engine!.waitForRun(runId, 60_000)));
    for (const run of runs) expect(run.outcome).toBe('RunCompleted');
    // The key's state is its stream: the new scheduler's relay re-read the requests from its
    // checkpoint and decided none twice. An attempt whose token went stale while no scheduler ran
    // asked once more (TaskRateLimited with renewsToken), and its second token is in the same spacing.
    const scheduled = (await tokens(key)).filter((event) => event.type === 'TokenScheduled');
    const renewals = runs.flatMap((run) =>
      run.events.filter(
        (event) => event.type === 'TaskRateLimited' && (event.data as { renewsToken?: string }).renewsToken,
      ),
    );
    expect(scheduled).toHaveLength(20 + renewals.length);
    expect(new Set(scheduled.map((event) => event.data.runId))).toEqual(new Set(runIds));
    const tokenTimes = scheduled.map((event) => Date.parse(event.data.startAt)).sort((a, b) => a - b);
    for (let i = 5; i < tokenTimes.length; i++)
      expect(tokenTimes[i]! - tokenTimes[i - 5]!).toBeGreaterThanOrEqual(1000);
    const lastTokenOf = new Map(scheduled.map((event) => [event.data.runId, Date.parse(event.data.startAt)]));
    for (const run of runs) {
      expect(startOf(run.events)).toBeGreaterThanOrEqual(lastTokenOf.get(run.runId)!);
      expect(run.events.filter((event) => event.type === 'TaskDispatched')).toHaveLength(1);
    }
    // Whatever the restart did to the tokens, the executor's claims kept the actual starts (docs/adr/0127).
    expect(
      mostInAnyWindow(
        runs.map((run) => startOf(run.events)),
        1000,
      ),
    ).toBeLessThanOrEqual(5);
    console.log(`rate limit across a restart: ${renewals.length} of 20 attempts renewed a stale token`);
  }, 120_000);
});
