import { type WorkflowDefinition } from '@spark/contracts';

import { deciderSpecification, eventTypes, RunHarness } from '../testing';
import { type RunEvent } from './events';
import { pendingWork } from './pending-work';
import { runDecider } from './run-decider';

const T0 = '2026-01-01T00:00:00.000Z';
const spec = deciderSpecification(runDecider);

const workflow = (
  steps: WorkflowDefinition['steps'],
  extra: Partial<WorkflowDefinition> = {},
): WorkflowDefinition => ({
  name: 'demo',
  version: 1,
  steps,
  ...extra,
});
const task = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  type: 'task' as const,
  handler: 'noop' as const,
  ...extra,
});

describe('run decider', () => {
  describe('start', () => {
    const definition = workflow([
      task('a', { handler: 'http', config: { url: 'https://x' }, input: { n: '=input.n * 2' } }),
      task('b', { needs: ['a'] }),
    ]);
    const start = {
      type: 'StartRun' as const,
      data: { runId: 'r1', definition, input: { n: 21 } },
      metadata: { now: T0 },
    };
    const runStarted: RunEvent = {
      type: 'RunStarted',
      data: {
        runId: 'r1',
        workflow: { name: 'demo', version: 1 },
        definition,
        input: { n: 21 },
        idempotencyKey: 'r1',
        seed: 'r1',
        startedAt: T0,
      },
    };

    it('given nothing, when StartRun, then the run starts and dispatches the steps with no needs', async () => {
      await spec
        .given([])
        .when(start)
        .then([
          runStarted,
          {
            type: 'TaskDispatched',
            data: {
              taskId: 'a',
              workflow: { name: 'demo', version: 1 },
              stepId: 'a',
              purpose: 'step',
              attempt: 1,
              idempotencyKey: 'r1:a:1',
              handler: 'http',
              config: { url: 'https://x' },
              input: { n: 42 },
              queue: 'default',
              priority: 5,
              timeouts: { startToCloseMs: 300_000 },
              dispatchedAt: T0,
            },
          },
          {
            type: 'TimerScheduled',
            data: {
              timerId: 'a:1:startToClose',
              purpose: 'startToClose',
              fireAt: '2026-01-01T00:05:00.000Z',
              taskId: 'a',
              attempt: 1,
              stepId: 'a',
            },
          },
        ]);
    });

    it('given a started run, when StartRun again with the same key, then nothing happens', async () => {
      await spec.given([runStarted]).when(start).thenNothing();
    });

    it('given a started run, when StartRun with another idempotency key, then it is a conflict', async () => {
      await spec
        .given([runStarted])
        .when({ ...start, data: { ...start.data, idempotencyKey: 'other' } })
        .thenThrows('CONFLICT', 'RUN_ALREADY_EXISTS');
    });

    it('rejects input that does not match the input schema, naming the path', async () => {
      const strict = workflow([task('a')], {
        inputSchema: { type: 'object', required: ['orderId'], properties: { qty: { type: 'integer' } } },
      });
      const events = spec
        .given([])
        .when({ ...start, data: { runId: 'r1', definition: strict, input: { qty: 'x' } } });
      await events.thenThrows('VALIDATION_FAILED');
      await expect(events.events()).rejects.toMatchObject({
        problems: expect.arrayContaining([
          { path: '$.input', message: "must have required property 'orderId'" },
          { path: '$.input.qty', message: 'must be integer' },
        ]),
      });
    });

    it('records the concurrency key computed from the input', async () => {
      const keyed = workflow([task('a')], { concurrency: { key: 'input.customer', limit: 1 } });
      const [started] = await spec
        .given([])
        .when({ ...start, data: { runId: 'r1', definition: keyed, input: { customer: 'c-7' } } })
        .events();
      expect(started).toMatchObject({ type: 'RunStarted', data: { concurrencyKey: 'c-7' } });
    });
  });

  it('runs a diamond DAG: the join waits for both branches', async () => {
    const run = new RunHarness();
    await run.start(
      workflow([
        task('a'),
        task('b', { needs: ['a'], input: '=steps.a.output + 1' }),
        task('c', { needs: ['a'], input: '=steps.a.output + 2' }),
        task('d', { needs: ['b', 'c'], input: '=[steps.b.output, steps.c.output]' }),
      ]),
    );
    expect(run.dispatchedTaskIds).toEqual(['a']);
    await run.succeed('a', 10);
    expect(run.dispatchedTaskIds).toEqual(['b', 'c']);
    await run.succeed('c', 12);
    expect(run.dispatchedTaskIds).toEqual(['b']);
    const afterB = await run.succeed('b', 11);
    expect(afterB.find((e) => e.type === 'TaskDispatched')).toMatchObject({
      data: { taskId: 'd', input: [11, 12] },
    });
    const done = await run.succeed('d', 'joined');
    expect(eventTypes(done)).toEqual([
      'StepAttemptStarted',
      'StepAttemptSucceeded',
      'StepSucceeded',
      'RunCompleted',
    ]);
    expect(done[3]).toEqual({ type: 'RunCompleted', data: { output: { d: 'joined' }, completedAt: T0 } });
    expect(pendingWork(run.state)).toEqual({ dispatches: [], childRuns: [], timers: [] });
  });

  it('runs a chord: fan-out to five steps, then one callback with all their results', async () => {
    const run = new RunHarness();
    const branches = ['p1', 'p2', 'p3', 'p4', 'p5'];
    await run.start(
      workflow(
        [
          task('split'),
          ...branches.map((id) => task(id, { needs: ['split'] })),
          task('callback', {
            needs: branches,
            input: '=[steps.p1.output, steps.p2.output, steps.p3.output, steps.p4.output, steps.p5.output]',
          }),
        ],
        {
          output: 'steps.callback.output',
        },
      ),
    );
    await run.succeed('split');
    expect(run.dispatchedTaskIds).toEqual(branches);
    for (const id of [...branches].reverse()) {
      expect(run.dispatchedTaskIds).not.toContain('callback');
      await run.succeed(id, id.toUpperCase());
    }
    const callback = pendingWork(run.state).dispatches[0]!;
    expect(callback).toMatchObject({ taskId: 'callback', input: ['P1', 'P2', 'P3', 'P4', 'P5'] });
    const done = await run.succeed('callback', 'sum');
    expect(done.at(-1)).toEqual({ type: 'RunCompleted', data: { output: 'sum', completedAt: T0 } });
  });

  it('maps 1,000 items with at most 10 in flight, results in item order whatever the completion order', async () => {
    const run = new RunHarness();
    const items = Array.from({ length: 1000 }, (_, i) => i);
    await run.start(
      workflow([
        {
          id: 'square',
          type: 'map',
          items: 'input.items',
          concurrency: 10,
          task: { handler: 'transform', input: { value: '=item', position: '=index' } },
        },
      ]),
      { items },
    );
    let maxInFlight = 0;
    let dispatchedTotal = 10;
    let round = 0;
    while (run.status === 'running') {
      const inFlight = pendingWork(run.state).dispatches;
      maxInFlight = Math.max(maxInFlight, inFlight.length);
      // Complete a varying subset, newest first, so completions are out of item order.
      const batch = inFlight.slice(0, 1 + (round++ % 3)).reverse();
      for (const dispatch of batch) {
        expect(dispatch.input).toEqual({ value: dispatch.itemIndex, position: dispatch.itemIndex });
        const produced = await run.succeed(dispatch.taskId, (dispatch.itemIndex ?? 0) ** 2);
        dispatchedTotal += produced.filter((e) => e.type === 'TaskDispatched').length;
      }
    }
    expect(maxInFlight).toBe(10);
    expect(dispatchedTotal).toBe(1000);
    expect(run.status).toBe('completed');
    expect(run.state.status === 'completed' && run.state.output).toEqual({ square: items.map((i) => i * i) });
  });

  it('an item that fails for good fails the map and cancels the items still out', async () => {
    const run = new RunHarness();
    await run.start(
      workflow([{ id: 'm', type: 'map', items: 'input.items', concurrency: 3, task: { handler: 'noop' } }]),
      { items: ['a', 'b', 'c', 'd'] },
    );
    await run.succeed('m[0]');
    const events = await run.fail('m[2]', { code: 'BAD', message: 'bad item' }, { retryable: false });
    expect(eventTypes(events)).toEqual([
      'StepAttemptStarted',
      'StepAttemptFailed',
      'StepCancelled',
      'StepFailed',
      'RunFailed',
    ]);
    expect(events[2]).toMatchObject({
      data: {
        stepId: 'm',
        reason: 'step-failed',
        tasks: [
          { taskId: 'm[1]', attempt: 1, idempotencyKey: 'run-1:m[1]:1' },
          { taskId: 'm[3]', attempt: 1, idempotencyKey: 'run-1:m[3]:1' },
        ],
      },
    });
    expect(pendingWork(run.state)).toEqual({ dispatches: [], childRuns: [], timers: [] });
  });

  it('a map over nothing succeeds at once with an empty list', async () => {
    const run = new RunHarness();
    const events = await run.start(
      workflow([{ id: 'm', type: 'map', items: 'input.items', task: { handler: 'noop' } }]),
      { items: [] },
    );
    expect(eventTypes(events)).toEqual(['RunStarted', 'MapExpanded', 'StepSucceeded', 'RunCompleted']);
  });

  it('skips the branch a switch did not take, and its dependants, while a noneFailed join still runs', async () => {
    const run = new RunHarness();
    await run.start(
      workflow([
        {
          id: 'route',
          type: 'switch',
          branches: [{ name: 'big', when: 'input.amount > 1000', steps: ['review'] }],
          default: ['autoApprove'],
        },
        task('review'),
        task('notifyReviewer', { needs: ['review'] }),
        task('autoApprove'),
        task('ship', { needs: ['notifyReviewer', 'autoApprove'], join: 'noneFailed' }),
      ]),
      { amount: 50 },
    );
    const skipped = run.events.filter((e) => e.type === 'StepSkipped').map((e) => e.data);
    expect(skipped).toEqual([
      { stepId: 'review', reason: 'branch-not-taken' },
      { stepId: 'notifyReviewer', reason: 'needs-skipped' },
    ]);
    expect(run.events.find((e) => e.type === 'StepSucceeded')).toMatchObject({
      data: { stepId: 'route', output: { branch: 'default' } },
    });
    expect(run.dispatchedTaskIds).toEqual(['autoApprove']);
    await run.succeed('autoApprove');
    expect(run.dispatchedTaskIds).toEqual(['ship']);
    await run.succeed('ship');
    expect(run.status).toBe('completed');
  });

  it('skips a step whose condition is false, and its allSucceeded dependants', async () => {
    const run = new RunHarness();
    await run.start(workflow([task('a', { if: 'input.enabled' }), task('b', { needs: ['a'] }), task('c')]), {
      enabled: false,
    });
    expect(run.events.filter((e) => e.type === 'StepSkipped').map((e) => e.data)).toEqual([
      { stepId: 'a', reason: 'condition-false' },
      { stepId: 'b', reason: 'needs-skipped' },
    ]);
    await run.succeed('c', 'only');
    expect(run.state.status === 'completed' && run.state.output).toEqual({ c: 'only' });
  });

  describe('retries', () => {
    const flaky = workflow([
      task('charge', {
        retry: {
          maxAttempts: 4,
          backoff: 'exponential',
          initialInterval: '1s',
          maxInterval: '1m',
          nonRetryableErrors: ['CARD_DECLINED'],
        },
      }),
    ]);

    it("waits at least the target's retry-after, never longer than maxInterval", async () => {
      const run = new RunHarness();
      await run.start(flaky);
      const delayOf = (events: RunEvent[]) =>
        events.flatMap((e) => (e.type === 'StepRetryScheduled' ? [e.data.delayMs] : []));
      const open = { code: 'CIRCUIT_OPEN', message: 'open' };
      await run.started('charge', 1);
      // Longer than the policy's 1 s: the hint wins.
      expect(delayOf(await run.fail('charge', open, { attempt: 1, retryAfterMs: 25_000 }))).toEqual([25_000]);
      await run.fireNextTimer();
      await run.started('charge', 2);
      // Shorter than the policy's 2 s: the policy wins.
      expect(delayOf(await run.fail('charge', open, { attempt: 2, retryAfterMs: 500 }))).toEqual([2000]);
      await run.fireNextTimer();
      await run.started('charge', 3);
      // An hour's hint is capped at the policy's maxInterval (1 m).
      expect(delayOf(await run.fail('charge', open, { attempt: 3, retryAfterMs: 3_600_000 }))).toEqual([
        60_000,
      ]);
    });

    it('retries with exponential backoff (1s, 2s, 4s) then succeeds', async () => {
      const run = new RunHarness();
      await run.start(flaky);
      const delays: number[] = [];
      for (const attempt of [1, 2, 3]) {
        await run.started('charge', attempt);
        const failed = await run.fail(
          'charge',
          { code: 'GATEWAY_TIMEOUT', message: 'upstream timeout' },
          { attempt },
        );
        const retry = failed.find((e) => e.type === 'StepRetryScheduled');
        expect(retry).toMatchObject({ data: { taskId: 'charge', attempt: attempt + 1 } });
        delays.push(retry!.type === 'StepRetryScheduled' ? retry!.data.delayMs : -1);
        expect(run.dispatchedTaskIds).toEqual([]);
        const timer = pendingWork(run.state).timers.find((t) => t.purpose === 'retry')!;
        expect(timer.timerId).toBe(`charge:${attempt + 1}:retry`);
        // Firing before the timer is due does nothing.
        expect(await run.fireTimer(timer.timerId)).toEqual([]);
        await run.fireNextTimer();
        expect(pendingWork(run.state).dispatches).toEqual([
          expect.objectContaining({
            taskId: 'charge',
            attempt: attempt + 1,
            idempotencyKey: `run-1:charge:${attempt + 1}`,
          }),
        ]);
      }
      expect(delays).toEqual([1000, 2000, 4000]);
      await run.succeed('charge', 'paid', 4);
      expect(run.status).toBe('completed');
    });

    it('fails at once on a non-retryable error code, or a failure reported non-retryable', async () => {
      const declined = new RunHarness();
      await declined.start(flaky);
      const events = await declined.fail('charge', { code: 'CARD_DECLINED', message: 'no' });
      expect(eventTypes(events)).toEqual([
        'StepAttemptStarted',
        'StepAttemptFailed',
        'StepFailed',
        'RunFailed',
      ]);
      const fatal = new RunHarness();
      await fatal.start(flaky);
      expect(
        eventTypes(await fatal.fail('charge', { code: 'BUG', message: 'no' }, { retryable: false })),
      ).toEqual(['StepAttemptStarted', 'StepAttemptFailed', 'StepFailed', 'RunFailed']);
    });

    it('fails the step when the attempts are exhausted', async () => {
      const run = new RunHarness();
      await run.start(
        workflow([task('a', { retry: { maxAttempts: 2, backoff: 'fixed', initialInterval: '5s' } })]),
      );
      await run.fail('a', { code: 'E', message: 'x' });
      await run.fireNextTimer();
      const events = await run.fail('a', { code: 'E', message: 'y' }, { attempt: 2 });
      expect(eventTypes(events)).toEqual([
        'StepAttemptStarted',
        'StepAttemptFailed',
        'StepFailed',
        'RunFailed',
      ]);
      expect(run.state.status === 'failed' && run.state.error).toEqual({ code: 'E', message: 'y' });
    });

    it('ignores results of a stale attempt and duplicate results', async () => {
      const run = new RunHarness();
      await run.start(flaky);
      await run.fail('charge', { code: 'E', message: 'x' });
      expect(await run.succeed('charge', 'late', 1)).toEqual([]);
      expect(await run.fail('charge', { code: 'E', message: 'x' })).toEqual([]);
      await run.fireNextTimer();
      expect(await run.succeed('charge', 'ok', 2)).toHaveLength(4);
      expect(await run.succeed('charge', 'ok', 2)).toEqual([]);
      expect(await run.succeed('charge', 'other', 1)).toEqual([]);
    });
  });

  describe('timeouts', () => {
    it('times out an attempt that never starts (default start-to-close armed at dispatch) and retries it', async () => {
      const run = new RunHarness();
      await run.start(
        workflow([task('a', { retry: { maxAttempts: 2, backoff: 'fixed', initialInterval: '1s' } })]),
      );
      const events = await run.fireNextTimer();
      expect(eventTypes(events)).toEqual([
        'TimerFired',
        'StepTimedOut',
        'StepRetryScheduled',
        'TimerScheduled',
      ]);
      expect(events[1]).toMatchObject({
        data: { stepId: 'a', timeout: 'startToClose', taskId: 'a', attempt: 1 },
      });
      expect(run.now).toBe('2026-01-01T00:05:00.000Z');
    });

    it('times out on schedule-to-start, start-to-close and heartbeat, each with its own code', async () => {
      const codes: string[] = [];
      for (const setup of ['never started', 'started, never finished', 'stopped heartbeating'] as const) {
        const run = new RunHarness();
        await run.start(
          workflow([task('a', { timeout: { scheduleToStart: '10s', startToClose: '1m', heartbeat: '5s' } })]),
        );
        if (setup !== 'never started') {
          run.advanceTime(1000);
          await run.started('a');
        }
        if (setup === 'started, never finished') {
          for (let i = 0; i < 20; i++) {
            run.advanceTime(4000);
            await run.heartbeat('a');
          }
        }
        // Due timers fire in order; one armed before the deadline it guards moves there.
        for (let fired = 0; run.status === 'running' && fired < 5; fired++) await run.fireNextTimer();
        codes.push(run.state.status === 'failed' ? run.state.error!.code : run.state.status);
      }
      expect(codes).toEqual(['TIMEOUT_SCHEDULE_TO_START', 'TIMEOUT_START_TO_CLOSE', 'TIMEOUT_HEARTBEAT']);
    });

    describe("start-to-close is one outcome, whoever notices it (the scheduler's timer or the executor)", () => {
      const timed = (retry: Record<string, unknown>) =>
        workflow([task('a', { timeout: { startToClose: '1m' }, retry })]);
      const startedRun = async (retry: Record<string, unknown>) => {
        const run = new RunHarness();
        await run.start(timed(retry));
        await run.started('a');
        run.advanceTime(60_000);
        return run;
      };
      const executorTimeout = (now: string) => ({
        type: 'RecordTaskFailed' as const,
        data: {
          taskId: 'a',
          attempt: 1,
          error: {
            code: 'TIMEOUT_START_TO_CLOSE',
            message: 'the task did not finish within 60000 ms',
            details: { scope: 'startToClose', timeoutMs: 60_000 },
          },
          retryable: true,
        },
        metadata: { now },
      });

      it('given a started attempt, when the executor reports TIMEOUT_START_TO_CLOSE, then the attempt timed out and is retried', async () => {
        const run = await startedRun({ maxAttempts: 2, backoff: 'fixed', initialInterval: '1s' });
        await spec
          .given(run.events)
          .when(executorTimeout(run.now))
          .then([
            {
              type: 'StepTimedOut',
              data: { stepId: 'a', timeout: 'startToClose', taskId: 'a', attempt: 1, at: run.now },
            },
            {
              type: 'StepRetryScheduled',
              data: { taskId: 'a', attempt: 2, delayMs: 1000, retryAt: '2026-01-01T00:01:01.000Z' },
            },
            {
              type: 'TimerScheduled',
              data: {
                timerId: 'a:2:retry',
                purpose: 'retry',
                fireAt: '2026-01-01T00:01:01.000Z',
                taskId: 'a',
                attempt: 2,
                stepId: 'a',
              },
            },
          ]);
      });

      it("the executor's report and the timer produce the same events (but TimerFired)", async () => {
        const retry = { maxAttempts: 3, backoff: 'fixed', initialInterval: '1s' };
        const byTimer = await (await startedRun(retry)).fireTimer('a:1:startToClose');
        const executor = await startedRun(retry);
        const byExecutor = await executor.send(executorTimeout(executor.now));
        expect(byTimer[0]!.type).toBe('TimerFired');
        expect(byExecutor).toEqual(byTimer.slice(1));
      });

      it('nonRetryableErrors: [TIMEOUT_START_TO_CLOSE] fails the step at once, with that code, either way', async () => {
        const retry = { maxAttempts: 3, nonRetryableErrors: ['TIMEOUT_START_TO_CLOSE'] };
        const byTimer = await startedRun(retry);
        await byTimer.fireTimer('a:1:startToClose');
        const byExecutor = await startedRun(retry);
        await byExecutor.send(executorTimeout(byExecutor.now));
        for (const run of [byTimer, byExecutor]) {
          expect(eventTypes(run.events).slice(-3)).toEqual(['StepTimedOut', 'StepFailed', 'RunFailed']);
          expect(run.state.status === 'failed' && run.state.error?.code).toBe('TIMEOUT_START_TO_CLOSE');
        }
        expect(byExecutor.events.slice(-3)).toEqual(byTimer.events.slice(-3));
      });
    });

    it('a start arms no second start-to-close timer; the one armed at dispatch counts from the start when it fires', async () => {
      const run = new RunHarness();
      await run.start(workflow([task('a', { timeout: { startToClose: '1m' } })]));
      run.advanceTime(20_000);
      expect(eventTypes(await run.started('a'))).toEqual(['StepAttemptStarted']);
      // Fires one minute after the dispatch: 40 s into the attempt, so it is moved to the start + 1 min.
      const early = await run.fireNextTimer();
      expect(early).toEqual([
        { type: 'TimerFired', data: { timerId: 'a:1:startToClose', firedAt: '2026-01-01T00:01:00.000Z' } },
        expect.objectContaining({
          type: 'TimerScheduled',
          data: expect.objectContaining({ timerId: 'a:1:startToClose', fireAt: '2026-01-01T00:01:20.000Z' }),
        }),
      ]);
      expect(run.status).toBe('running');
      const late = await run.fireNextTimer();
      expect(eventTypes(late)).toEqual(['TimerFired', 'StepTimedOut', 'StepFailed', 'RunFailed']);
      expect(run.now).toBe('2026-01-01T00:01:20.000Z');
    });

    it('a final result with no start before it records the start first, with when and where it started', async () => {
      const run = new RunHarness();
      await run.start(workflow([task('a')]));
      run.advanceTime(5);
      const events = await run.send({
        type: 'RecordTaskSucceeded',
        data: { taskId: 'a', attempt: 1, output: 1, startedAt: '2026-01-01T00:00:00.002Z', workerId: 'w1' },
      });
      expect(events.slice(0, 2)).toEqual([
        {
          type: 'StepAttemptStarted',
          data: { taskId: 'a', attempt: 1, startedAt: '2026-01-01T00:00:00.002Z', workerId: 'w1' },
        },
        {
          type: 'StepAttemptSucceeded',
          data: { taskId: 'a', attempt: 1, output: 1, at: '2026-01-01T00:00:00.005Z' },
        },
      ]);
      expect(run.status).toBe('completed');
    });

    it('a heartbeat timer armed at the start moves to the last recorded beat + the timeout when it fires', async () => {
      const run = new RunHarness();
      await run.start(workflow([task('a', { timeout: { heartbeat: '10s' } })]));
      await run.started('a');
      run.advanceTime(8000);
      expect(eventTypes(await run.heartbeat('a'))).toEqual(['HeartbeatRecorded']);
      run.advanceTime(2000);
      const fired = await run.fireTimer('a:1:heartbeat');
      expect(fired[1]).toMatchObject({
        type: 'TimerScheduled',
        data: { timerId: 'a:1:heartbeat', fireAt: '2026-01-01T00:00:18.000Z' },
      });
      expect(run.status).toBe('running');
      run.advanceTime(8000);
      expect(eventTypes(await run.fireNextTimer())).toContain('StepTimedOut');
    });

    it('coalesces heartbeats: one is recorded when the last recorded one is half a timeout old, none moves a timer', async () => {
      const run = new RunHarness();
      await run.start(workflow([task('a', { timeout: { heartbeat: '9s' } })]));
      await run.started('a');
      const recorded: number[] = [];
      for (let beat = 1; beat <= 9; beat++) {
        run.advanceTime(3000);
        if ((await run.heartbeat('a')).length > 0) recorded.push(beat);
      }
      // Beats every third of the timeout: every other one is recorded; no TimerScheduled among them.
      expect(recorded).toEqual([2, 4, 6, 8]);
      expect(run.events.filter((event) => event.type === 'TimerScheduled')).toHaveLength(2);
      expect(run.status).toBe('running');
      // A beat with new details (progress) is recorded at once; the same details again are not.
      run.advanceTime(1000);
      const progress = {
        type: 'RecordHeartbeat' as const,
        data: { taskId: 'a', attempt: 1, details: { done: 3 } },
      };
      expect(eventTypes(await run.send(progress))).toEqual(['HeartbeatRecorded']);
      run.advanceTime(1000);
      expect(await run.send(progress)).toEqual([]);
    });

    it('times the whole run out, cancelling what is in flight', async () => {
      const run = new RunHarness();
      await run.start(workflow([task('a', { timeout: { startToClose: '2h' } })], { timeout: '1h' }));
      const events = await run.fireNextTimer();
      expect(eventTypes(events)).toEqual(['TimerFired', 'StepCancelled', 'RunTimedOut']);
      expect(events[1]).toMatchObject({
        data: { stepId: 'a', tasks: [{ taskId: 'a', attempt: 1, idempotencyKey: 'run-1:a:1' }] },
      });
      expect(pendingWork(run.state)).toEqual({ dispatches: [], childRuns: [], timers: [] });
      expect(await run.succeed('a')).toEqual([]);
    });
  });

  it('on a non-retryable failure, compensates the completed steps in reverse order, then fails', async () => {
    const run = new RunHarness();
    await run.start(
      workflow([
        task('reserve', { compensate: { handler: 'http', input: { release: '=steps.reserve.output' } } }),
        task('charge', {
          needs: ['reserve'],
          compensate: { handler: 'http', input: { refund: '=steps.charge.output' } },
        }),
        task('notify', { needs: ['reserve'] }),
        task('ship', { needs: ['charge', 'notify'] }),
      ]),
    );
    await run.succeed('reserve', 'R1');
    await run.succeed('charge', 'C1');
    await run.succeed('notify');
    const failed = await run.fail('ship', { code: 'NO_COURIER', message: 'none' }, { retryable: false });
    expect(eventTypes(failed)).toEqual([
      'StepAttemptStarted',
      'StepAttemptFailed',
      'StepFailed',
      'RunCompensating',
      'TaskDispatched',
      'TimerScheduled',
    ]);
    expect(failed[3]).toMatchObject({ data: { steps: ['charge', 'reserve'], failedStep: 'ship' } });
    expect(pendingWork(run.state).dispatches).toEqual([
      expect.objectContaining({
        taskId: 'charge#compensate',
        purpose: 'compensation',
        input: { refund: 'C1' },
      }),
    ]);
    expect(run.status).toBe('compensating');
    const next = await run.succeed('charge#compensate');
    expect(eventTypes(next)).toEqual([
      'StepAttemptStarted',
      'StepAttemptSucceeded',
      'StepCompensated',
      'TaskDispatched',
      'TimerScheduled',
    ]);
    expect(pendingWork(run.state).dispatches).toEqual([
      expect.objectContaining({
        taskId: 'reserve#compensate',
        idempotencyKey: 'run-1:reserve#compensate:1',
        input: { release: 'R1' },
      }),
    ]);
    const end = await run.succeed('reserve#compensate');
    expect(end.at(-1)).toEqual({
      type: 'RunFailed',
      data: {
        error: { code: 'NO_COURIER', message: 'none' },
        failedStep: 'ship',
        compensated: ['charge', 'reserve'],
        compensationFailures: [],
        failedAt: T0,
      },
    });
  });

  it('a failed compensation does not stop the others and is reported', async () => {
    const run = new RunHarness();
    await run.start(
      workflow([
        task('a', { compensate: { handler: 'noop' } }),
        task('b', { needs: ['a'], compensate: { handler: 'noop' } }),
        task('c', { needs: ['b'] }),
      ]),
    );
    await run.succeed('a');
    await run.succeed('b');
    await run.fail('c', { code: 'X', message: 'x' }, { retryable: false });
    await run.fail('b#compensate', { code: 'Y', message: 'y' });
    await run.succeed('a#compensate');
    expect(run.events.at(-1)).toMatchObject({
      type: 'RunFailed',
      data: { compensated: ['a'], compensationFailures: ['b'] },
    });
  });

  describe('signals', () => {
    const approval = workflow([
      { id: 'approve', type: 'signal', signal: { name: 'approved', timeout: '1h' } },
      task('ship', { needs: ['approve'], input: '=steps.approve.output' }),
    ]);

    it('a signal that times out fails the step and the run', async () => {
      const run = new RunHarness();
      const started = await run.start(approval);
      expect(started.slice(1)).toEqual([
        { type: 'StepWaiting', data: { stepId: 'approve', signal: 'approved' } },
        {
          type: 'TimerScheduled',
          data: {
            timerId: 'approve:signal:r1',
            purpose: 'signalTimeout',
            fireAt: '2026-01-01T01:00:00.000Z',
            stepId: 'approve',
          },
        },
      ]);
      const events = await run.fireNextTimer();
      expect(eventTypes(events)).toEqual(['TimerFired', 'StepTimedOut', 'StepFailed', 'RunFailed']);
      expect(run.state.status === 'failed' && run.state.error?.code).toBe('SIGNAL_TIMEOUT');
      await expect(run.signal('approved', {})).rejects.toMatchObject({
        code: 'ILLEGAL_STATE',
        reason: 'RUN_FINISHED',
      });
    });

    it('a timely signal completes the step with its payload; a duplicate is ignored', async () => {
      const run = new RunHarness();
      await run.start(approval);
      run.advanceTime(60_000);
      const events = await run.signal('approved', { by: 'ana' });
      expect(eventTypes(events)).toEqual([
        'SignalReceived',
        'StepSucceeded',
        'TaskDispatched',
        'TimerScheduled',
      ]);
      expect(pendingWork(run.state).dispatches[0]).toMatchObject({ taskId: 'ship', input: { by: 'ana' } });
      expect(await run.signal('approved', { by: 'ana' })).toEqual([]);
      expect(pendingWork(run.state).timers.map((t) => t.purpose)).toEqual(['startToClose']);
    });

    it('records the reason a signal was sent with, and none when none was given', async () => {
      const run = new RunHarness();
      await run.start(approval);
      const [received] = await run.signal('approved', { by: 'ana' }, 'approved-1', 'checked the invoice');
      expect(received).toEqual({
        type: 'SignalReceived',
        data: {
          signalId: 'approved-1',
          name: 'approved',
          payload: { by: 'ana' },
          reason: 'checked the invoice',
          at: T0,
        },
      });
      const other = new RunHarness();
      await other.start(approval);
      const [plain] = await other.signal('approved', null);
      expect(plain?.data).not.toHaveProperty('reason');
    });

    it('a signal that arrives before its step waits is kept for it', async () => {
      const run = new RunHarness();
      await run.start(
        workflow([
          task('first'),
          { id: 'approve', type: 'signal', signal: { name: 'approved' }, needs: ['first'] },
        ]),
      );
      expect(eventTypes(await run.signal('approved', 'early'))).toEqual(['SignalReceived']);
      const events = await run.succeed('first');
      expect(events.find((e) => e.type === 'StepSucceeded' && e.data.stepId === 'approve')).toMatchObject({
        data: { output: 'early', signalId: 'approved-1' },
      });
      expect(run.status).toBe('completed');
    });

    it('with onTimeout: skip, a timed-out signal skips the step instead', async () => {
      const run = new RunHarness();
      await run.start(
        workflow([
          { id: 'approve', type: 'signal', signal: { name: 'ok', timeout: '1m', onTimeout: 'skip' } },
          task('after', { needs: ['approve'], join: 'noneFailed' }),
        ]),
      );
      await run.fireNextTimer();
      expect(run.dispatchedTaskIds).toEqual(['after']);
    });
  });

  it('waits for a duration, then continues', async () => {
    const run = new RunHarness();
    const started = await run.start(
      workflow([{ id: 'pause', type: 'wait', duration: '90m' }, task('b', { needs: ['pause'] })]),
    );
    expect(started[2]).toMatchObject({
      type: 'TimerScheduled',
      data: { purpose: 'wait', fireAt: '2026-01-01T01:30:00.000Z' },
    });
    await run.fireNextTimer();
    expect(run.dispatchedTaskIds).toEqual(['b']);
  });

  describe('child runs and cancellation', () => {
    const parent = workflow([
      {
        id: 'child',
        type: 'subworkflow',
        workflow: { name: 'shipping', version: 2 },
        input: { orderId: '=input.id' },
      },
      task('side', { queue: 'slow', priority: 9 }),
    ]);

    it('requests a child run with an idempotent id and completes with its output', async () => {
      const run = new RunHarness();
      await run.start(parent, { id: 'o-1' });
      expect(pendingWork(run.state).childRuns).toEqual([
        {
          taskId: 'child',
          stepId: 'child',
          attempt: 1,
          childRunId: 'run-1:child:1',
          workflow: { name: 'shipping', version: 2 },
          input: { orderId: 'o-1' },
          parentRunId: 'run-1',
          requestedAt: T0,
        },
      ]);
      expect(await run.childFinished('run-1:child:0', 'completed')).toEqual([]);
      await run.childFinished('run-1:child:1', 'completed', { tracking: 'T' });
      await run.succeed('side');
      expect(run.state.status === 'completed' && run.state.output).toEqual({
        child: { tracking: 'T' },
        side: null,
      });
    });

    it('cancelling a run cancels its running steps and its child run; later results are ignored', async () => {
      const run = new RunHarness();
      await run.start(parent, { id: 'o-1' });
      await run.started('side');
      const events = await run.cancel('customer asked');
      expect(events).toEqual([
        { type: 'ChildRunCancellationRequested', data: { childRunId: 'run-1:child:1', stepId: 'child' } },
        { type: 'StepCancelled', data: { stepId: 'child', reason: 'run-cancelled', tasks: [], at: T0 } },
        {
          type: 'StepCancelled',
          data: {
            stepId: 'side',
            reason: 'run-cancelled',
            tasks: [{ taskId: 'side', attempt: 1, idempotencyKey: 'run-1:side:1' }],
            at: T0,
          },
        },
        { type: 'RunCancelled', data: { reason: 'customer asked', cancelledAt: T0 } },
      ]);
      expect(pendingWork(run.state)).toEqual({ dispatches: [], childRuns: [], timers: [] });
      expect(await run.succeed('side')).toEqual([]);
      expect(await run.childFinished('run-1:child:1', 'cancelled')).toEqual([]);
      expect(await run.cancel()).toEqual([]);
    });

    it('refuses to cancel a completed run', async () => {
      const run = new RunHarness();
      await run.start(workflow([task('a')]));
      await run.succeed('a');
      await expect(run.cancel()).rejects.toMatchObject({ code: 'ILLEGAL_STATE', reason: 'RUN_FINISHED' });
    });

    it('a failed child run is retried as a new child run', async () => {
      const run = new RunHarness();
      await run.start(
        workflow([
          {
            id: 'child',
            type: 'subworkflow',
            workflow: { name: 'x' },
            retry: { maxAttempts: 2, backoff: 'fixed', initialInterval: '1s' },
          },
        ]),
      );
      await run.childFinished('run-1:child:1', 'failed');
      await run.fireNextTimer();
      expect(pendingWork(run.state).childRuns.map((c) => c.childRunId)).toEqual(['run-1:child:2']);
    });
  });

  describe('retry from failure', () => {
    it('runs the failed step again with a new attempt number, keeping the outputs of succeeded steps', async () => {
      const run = new RunHarness();
      await run.start(
        workflow([
          task('a'),
          task('b', { needs: ['a'], input: '=steps.a.output' }),
          task('c', { needs: ['b'] }),
        ]),
      );
      await run.succeed('a', 'A');
      await run.fail('b', { code: 'E', message: 'x' });
      expect(run.status).toBe('failed');
      await expect(
        spec
          .given(run.events)
          .when({ type: 'RetryRunFromFailure', data: {}, metadata: { now: T0 } })
          .events(),
      ).resolves.toEqual([
        { type: 'RunResumed', data: { runAttempt: 2, resetSteps: ['b', 'c'], resumedAt: T0 } },
        expect.objectContaining({
          type: 'TaskDispatched',
          data: expect.objectContaining({ taskId: 'b', attempt: 2, idempotencyKey: 'run-1:b:2', input: 'A' }),
        }),
        expect.objectContaining({ type: 'TimerScheduled' }),
      ]);
      await run.retryFromFailure();
      await run.succeed('b', 'B', 2);
      await run.succeed('c');
      expect(run.status).toBe('completed');
    });

    it('runs compensated steps again too, and refuses runs that did not fail', async () => {
      const run = new RunHarness();
      await run.start(
        workflow([task('a', { compensate: { handler: 'noop' } }), task('b', { needs: ['a'] })]),
      );
      await expect(run.retryFromFailure()).rejects.toMatchObject({ reason: 'RUN_NOT_FAILED' });
      await run.succeed('a');
      await run.fail('b', { code: 'E', message: 'x' });
      await run.succeed('a#compensate');
      const resumed = await run.retryFromFailure();
      expect(resumed[0]).toEqual({
        type: 'RunResumed',
        data: { runAttempt: 2, resetSteps: ['a', 'b'], resumedAt: T0 },
      });
      expect(pendingWork(run.state).dispatches.map((d) => d.idempotencyKey)).toEqual(['run-1:a:2']);
    });

    it('records the reason a retry from failure was given with', async () => {
      const run = new RunHarness();
      await run.start(workflow([task('a')]));
      await run.fail('a', { code: 'E', message: 'x' });
      const [resumed] = await run.retryFromFailure('the shop is back');
      expect(resumed).toEqual({
        type: 'RunResumed',
        data: { runAttempt: 2, resetSteps: ['a'], reason: 'the shop is back', resumedAt: T0 },
      });
    });
  });

  it('fails the step when an expression fails at run time', async () => {
    const run = new RunHarness();
    await run.start(workflow([task('a', { input: '=$number("abc")' })]));
    expect(run.state.status === 'failed' && run.state.error?.code).toBe('EXPRESSION_ERROR');
  });

  it('uses $now() from the command, not the clock', async () => {
    const run = new RunHarness('r', '2030-05-05T05:05:05.000Z');
    await run.start(workflow([task('a', { input: '=$now()' })]));
    expect(pendingWork(run.state).dispatches[0]!.input).toBe('2030-05-05T05:05:05.000Z');
  });

  it('routes external:<name> to queue external.<name> (topic spark.tasks.external.<name>) and keeps queue and priority', async () => {
    const run = new RunHarness();
    await run.start(
      workflow([task('a', { handler: 'external:billing', priority: 2 }), task('b', { queue: 'gpu' })]),
    );
    expect(pendingWork(run.state).dispatches.map((d) => [d.queue, d.priority])).toEqual([
      ['external.billing', 2],
      ['gpu', 5],
    ]);
  });
});
