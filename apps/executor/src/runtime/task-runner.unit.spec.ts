import type { TaskDispatch, TaskResult } from '@spark/contracts';
import {
  HandlerRegistry,
  NoopHandler,
  SleepHandler,
  TaskExecutionError,
  type TaskHandler,
} from '../handlers';
import type { Claimer, StartClaim, StartClaims } from '../rate-limits';
import { aDispatch, silentLogger } from '../test-support';
import { Bulkheads } from './bulkhead';
import { type ResultSink, TaskRunner } from './task-runner';

class RecordingSink implements ResultSink {
  readonly results: TaskResult[] = [];
  async publish(result: TaskResult, _dispatch: TaskDispatch) {
    this.results.push(result);
  }
  statuses(runId?: string) {
    return this.results.filter((r) => runId === undefined || r.runId === runId).map((r) => r.status);
  }
  final(runId: string) {
    return this.results.find((r) => r.runId === runId && (r.status === 'succeeded' || r.status === 'failed'));
  }
}

function aRunner(
  extraHandlers: TaskHandler[] = [],
  limit = 10,
  startedReportDelayMs = 0,
  startClaims?: StartClaims,
) {
  const sink = new RecordingSink();
  const runner = new TaskRunner(
    new HandlerRegistry([new NoopHandler(), new SleepHandler(), ...extraHandlers]),
    new Bulkheads(() => limit),
    sink,
    { workerId: 'executor-test', heartbeatThrottleMs: 20, startedReportDelayMs },
    silentLogger,
    undefined,
    startClaims,
  );
  return { runner, sink };
}

/** Answers claims from a list (then grants), recording which keys asked; PgStartClaims is int-tested. */
class ScriptedClaims implements StartClaims {
  readonly asked: string[] = [];
  constructor(private readonly answers: Array<StartClaim | 'fail'>) {}
  async claim({ key }: { key: string }, _claimer: Claimer, stamp: () => string): Promise<StartClaim> {
    this.asked.push(key);
    const answer = this.answers.shift();
    if (answer === 'fail') throw new Error('database away');
    return answer ?? { granted: true, startedAt: stamp() };
  }
}

async function runToEnd(runner: TaskRunner, dispatch: TaskDispatch) {
  const { completion } = await runner.start(dispatch);
  await completion;
}

describe('TaskRunner', () => {
  it('publishes started, then succeeded with the output', async () => {
    const { runner, sink } = aRunner();
    const dispatch = aDispatch({ handler: 'noop', input: { a: 1 } });
    await runToEnd(runner, dispatch);
    expect(sink.results).toEqual([
      expect.objectContaining({
        status: 'started',
        idempotencyKey: dispatch.idempotencyKey,
        workerId: 'executor-test',
      }),
      expect.objectContaining({ status: 'succeeded', output: { a: 1 }, runId: dispatch.runId, attempt: 1 }),
    ]);
  });

  it('with a started-report delay, a quick task publishes only its result, saying when it started', async () => {
    const { runner, sink } = aRunner([], 10, 50);
    const quick = aDispatch({ handler: 'noop' });
    const slow = aDispatch({ handler: 'sleep', config: { durationMs: 120 } });
    await Promise.all([runToEnd(runner, quick), runToEnd(runner, slow)]);
    expect(sink.statuses(quick.runId)).toEqual(['succeeded']);
    const final = sink.final(quick.runId) as TaskResult & { startedAt?: string };
    expect(Date.parse(final.startedAt!)).toBeLessThanOrEqual(Date.parse(final.at));
    expect(sink.statuses(slow.runId)).toEqual(['started', 'succeeded']);
    expect(sink.final(slow.runId)).not.toHaveProperty('startedAt');
  });

  it('holds a dispatch until its notBefore without holding up the others, its budget counted from then', async () => {
    const { runner, sink } = aRunner([], 1);
    const notBefore = new Date(Date.now() + 300).toISOString();
    const held = aDispatch({
      handler: 'noop',
      notBefore,
      // Its budget counts from notBefore: 300 ms of hold does not eat a 200 ms schedule-to-start.
      timeouts: { startToCloseMs: 1000, scheduleToStartMs: 200 },
    });
    const other = aDispatch({ handler: 'noop' });
    const { completion } = await runner.start(held);
    // start() answered at once (the consumer goes on), and no bulkhead slot is taken while it waits.
    expect(sink.statuses(held.runId)).toEqual([]);
    await runToEnd(runner, other);
    expect(sink.statuses(other.runId)).toEqual(['started', 'succeeded']);
    // A redelivery while it is held is the same task.
    await runner.start(held);
    await completion;
    expect(sink.statuses(held.runId)).toEqual(['started', 'succeeded']);
    const started = sink.results.find(
      (result) => result.runId === held.runId && result.status === 'started',
    )!;
    expect(Date.parse(started.at)).toBeGreaterThanOrEqual(Date.parse(notBefore));
  });

  it('claims a rate-limited start (docs/adr/0127), waiting as told without a slot or the consumer; other tasks claim nothing', async () => {
    const claims = new ScriptedClaims([{ granted: false, waitMs: 150 }, 'fail']);
    const { runner, sink } = aRunner([], 1, 0, claims);
    const limited = aDispatch({ handler: 'noop', rateLimit: { key: 'model-x', limit: 5, perMs: 1000 } });
    const other = aDispatch({ handler: 'noop' });
    const asked = Date.now();
    // It returns at once: the consumer goes on while the task waits for its key.
    const { completion } = await runner.start(limited);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(runner.startClaimWaits().get('model-x')).toBe(1);
    // Its wait holds no slot of the handler (limit 1): the other task runs meanwhile.
    await runToEnd(runner, other);
    expect(sink.statuses(other.runId)).toEqual(['started', 'succeeded']);
    expect(sink.statuses(limited.runId)).toEqual([]);
    await completion;
    expect(claims.asked).toEqual(['model-x', 'model-x', 'model-x']);
    // Told to wait 150 ms, then a failed claim (retried after a second): waited, not failed.
    const started = sink.results.find((r) => r.runId === limited.runId && r.status === 'started')!;
    expect(Date.parse(started.at)).toBeGreaterThanOrEqual(asked + 1150);
    expect(sink.statuses(limited.runId)).toEqual(['started', 'succeeded']);
    expect(runner.startClaimWaits().size).toBe(0);
  });

  it('a rate-limited task cancelled while it waits for its start claims nothing more and fails CANCELLED at once', async () => {
    const claims = new ScriptedClaims([{ granted: false, waitMs: 60_000 }]);
    const { runner, sink } = aRunner([], 1, 0, claims);
    const limited = aDispatch({
      handler: 'sleep',
      config: { durationMs: 5000 },
      rateLimit: { key: 'model-x', limit: 1, perMs: 60_000 },
    });
    const { completion } = await runner.start(limited);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const cancelledAt = Date.now();
    expect(runner.cancel(limited.runId)).toBe(1);
    await completion;
    expect(Date.now() - cancelledAt).toBeLessThan(1000);
    expect(claims.asked).toEqual(['model-x']);
    expect(sink.final(limited.runId)).toMatchObject({
      status: 'failed',
      error: { classification: 'cancelled' },
    });
    expect(runner.startClaimWaits().size).toBe(0);
  });

  it('does not run a dispatch that arrives (about) after the scheduler timed it out, and reports a late one at once', async () => {
    const { runner, sink } = aRunner([], 10, 10_000);
    const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
    const expired = aDispatch({
      handler: 'noop',
      dispatchedAt: ago(2000),
      timeouts: { startToCloseMs: 1000 },
    });
    await runToEnd(runner, expired);
    expect(sink.statuses(expired.runId)).toEqual([]);

    const late = aDispatch({
      handler: 'sleep',
      config: { durationMs: 150 },
      dispatchedAt: ago(60_000),
      timeouts: { startToCloseMs: 120_000, scheduleToStartMs: 61_500 },
    });
    const { completion } = await runner.start(late);
    await new Promise((resolve) => setTimeout(resolve, 50));
    // 1.5 s were left before its schedule-to-start: `started` went out at once, not after 10 s.
    expect(sink.statuses(late.runId)).toEqual(['started']);
    await completion;
    expect(sink.statuses(late.runId)).toEqual(['started', 'succeeded']);
  });

  it('fails with TIMEOUT_START_TO_CLOSE when the task outlives start-to-close, even if the handler ignores its signal', async () => {
    const stubborn: TaskHandler = { name: 'stubborn', execute: () => new Promise(() => undefined) };
    const { runner, sink } = aRunner([stubborn]);
    const dispatch = aDispatch({ handler: 'stubborn', timeouts: { startToCloseMs: 30 } });
    await runToEnd(runner, dispatch);
    expect(sink.final(dispatch.runId)).toMatchObject({
      status: 'failed',
      error: { code: 'TIMEOUT_START_TO_CLOSE', classification: 'timeout' },
    });
  });

  it('cancels a running task through its signal', async () => {
    const { runner, sink } = aRunner();
    const dispatch = aDispatch({ handler: 'sleep', config: { durationMs: 60_000 } });
    const { completion } = await runner.start(dispatch);
    expect(runner.cancel(dispatch.runId)).toBe(1);
    await completion;
    expect(sink.final(dispatch.runId)).toMatchObject({
      error: { code: 'CANCELLED', classification: 'cancelled' },
    });
  });

  it('refuses secrets in the definition and unknown handlers, non-retryably', async () => {
    const { runner, sink } = aRunner();
    const secret = aDispatch({ handler: 'noop', config: { apiKey: 'sk-123' } });
    const unknown = aDispatch({ handler: 'teleport' });
    await runToEnd(runner, secret);
    await runToEnd(runner, unknown);
    expect(sink.final(secret.runId)).toMatchObject({
      error: { code: 'SECRET_IN_DEFINITION', classification: 'non_retryable' },
    });
    expect(JSON.stringify(sink.results)).not.toContain('sk-123');
    expect(sink.final(unknown.runId)).toMatchObject({ error: { code: 'UNKNOWN_HANDLER' } });
  });

  it('classifies an unexpected exception as retryable HANDLER_ERROR', async () => {
    const buggy: TaskHandler = {
      name: 'buggy',
      execute: async () => Promise.reject(new TypeError('x is undefined')),
    };
    const { runner, sink } = aRunner([buggy]);
    const dispatch = aDispatch({ handler: 'buggy' });
    await runToEnd(runner, dispatch);
    expect(sink.final(dispatch.runId)).toMatchObject({
      error: { code: 'HANDLER_ERROR', classification: 'retryable' },
    });
  });

  it('runs a redelivered dispatch only once while it is running', async () => {
    let executions = 0;
    const counting: TaskHandler = {
      name: 'counting',
      execute: async () => {
        executions++;
        await new Promise((resolve) => setTimeout(resolve, 20));
        return executions;
      },
    };
    const { runner, sink } = aRunner([counting]);
    const dispatch = aDispatch({ handler: 'counting' });
    const [first, second] = await Promise.all([runner.start(dispatch), runner.start({ ...dispatch })]);
    expect(second).toBe(first);
    await first.completion;
    expect(executions).toBe(1);
    expect(sink.statuses(dispatch.runId)).toEqual(['started', 'succeeded']);
  });

  it('does not run again a dispatch redelivered after its result was published, but one whose result was not', async () => {
    let executions = 0;
    const failing: TaskHandler = {
      name: 'failing',
      execute: async () => {
        executions++;
        throw TaskExecutionError.retryable('NETWORK_ERROR', 'the answer was lost');
      },
    };
    const { runner, sink } = aRunner([failing]);
    const dispatch = aDispatch({ handler: 'failing' });
    await runToEnd(runner, dispatch);
    // The offsets could not be committed (the group rebalanced): the same attempt comes again. The
    // scheduler has its failure and may have dispatched attempt 2 already, under another key.
    await runToEnd(runner, { ...dispatch });
    expect(executions).toBe(1);
    expect(sink.statuses(dispatch.runId)).toEqual(['started', 'failed']);

    const unpublished = new TaskRunner(
      new HandlerRegistry([failing]),
      new Bulkheads(() => 10),
      {
        publish: async (result) => {
          if (result.status === 'failed') throw new Error('broker away');
        },
      },
      { workerId: 'executor-test', heartbeatThrottleMs: 20, startedReportDelayMs: 0 },
      silentLogger,
    );
    const other = aDispatch({ handler: 'failing' });
    await expect(runToEnd(unpublished, other)).rejects.toThrow('broker away');
    await expect(runToEnd(unpublished, { ...other })).rejects.toThrow('broker away');
    expect(executions).toBe(3);
  });

  it('publishes throttled heartbeats while the task runs, and none after its result', async () => {
    const chatty: TaskHandler = {
      name: 'chatty',
      execute: async (_dispatch, context) => {
        for (let i = 0; i < 10; i++) {
          context.heartbeat({ step: i });
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        return 'done';
      },
    };
    const { runner, sink } = aRunner([chatty]);
    const dispatch = aDispatch({ handler: 'chatty' });
    await runToEnd(runner, dispatch);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const statuses = sink.statuses(dispatch.runId);
    const beats = statuses.filter((status) => status === 'heartbeat').length;
    expect(beats).toBeGreaterThanOrEqual(2);
    expect(beats).toBeLessThan(10);
    expect(statuses.at(-1)).toBe('succeeded');
    expect(sink.results.find((r) => r.status === 'heartbeat')).toMatchObject({ progress: { step: 0 } });
  });

  it('beats on its own for a dispatch with a heartbeat timeout', async () => {
    const { runner, sink } = aRunner();
    const dispatch = aDispatch({
      handler: 'sleep',
      config: { durationMs: 200 },
      timeouts: { startToCloseMs: 5000, heartbeatMs: 60 },
    });
    await runToEnd(runner, dispatch);
    expect(sink.statuses(dispatch.runId).filter((s) => s === 'heartbeat').length).toBeGreaterThanOrEqual(3);
  });

  it('at shutdown lets short tasks finish and fails long ones as retryable EXECUTOR_SHUTDOWN', async () => {
    const { runner, sink } = aRunner();
    const short = aDispatch({ handler: 'sleep', config: { durationMs: 10 } });
    const long = aDispatch({ handler: 'sleep', config: { durationMs: 60_000 } });
    await runner.start(short);
    await runner.start(long);
    await runner.shutdown(100);
    expect(sink.final(short.runId)).toMatchObject({ status: 'succeeded' });
    expect(sink.final(long.runId)).toMatchObject({
      error: { code: 'EXECUTOR_SHUTDOWN', classification: 'retryable' },
    });
    await expect(runner.start(aDispatch())).rejects.toThrow(/shutting down/);
  });

  it('waits for a slot of the handler type before starting', async () => {
    // The first task holds the only slot until the test lets it go: no sleep decides what "not yet" is.
    let release: () => void = () => undefined;
    const executed: string[] = [];
    const gate: TaskHandler = {
      name: 'gate',
      execute: async (dispatch) => {
        executed.push(dispatch.runId);
        if (executed.length === 1) await new Promise<void>((resolve) => (release = resolve));
        return null;
      },
    };
    const { runner, sink } = aRunner([gate], 1);
    const first = aDispatch({ handler: 'gate' });
    const second = aDispatch({ handler: 'gate' });
    const { completion: firstDone } = await runner.start(first);
    const secondStarted = runner.start(second);
    while (runner.stats().gate?.queued !== 1) await new Promise((resolve) => setImmediate(resolve));
    expect(executed).toEqual([first.runId]);
    expect(sink.statuses(second.runId)).toEqual([]);
    expect(runner.stats()).toEqual({ gate: { inFlight: 1, queued: 1, queuedByPriority: { 5: 1 } } });
    release();
    await firstDone;
    await (
      await secondStarted
    ).completion;
    expect(executed).toEqual([first.runId, second.runId]);
    expect(sink.statuses(first.runId)).toEqual(['started', 'succeeded']);
    expect(sink.statuses(second.runId)).toEqual(['started', 'succeeded']);
  });
});
