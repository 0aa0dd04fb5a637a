import { Topics } from '@spark/contracts';
import { type RecordedEvent } from '@spark/event-store';
import { decideRun, initialRunState } from '@spark/workflow-domain';
import { effectsOf } from './run-event-effects';

const now = new Date('2026-11-24T10:00:00.000Z');
const recorded = (type: string, data: unknown, metadata: Record<string, string> = {}): RecordedEvent => ({
  id: '00000000-0000-4000-8000-000000000001',
  type,
  data: data as RecordedEvent['data'],
  metadata,
  streamName: 'run-r1',
  revision: 3n,
  position: 42n,
  recordedAt: now,
});
const facts = { workflow: { name: 'checkout', version: 2 } };

describe('what the relay does for each run event', () => {
  it('publishes a TaskDispatched as the task contract (version 2) to its queue topic, keyed by run, with the trace header', () => {
    const effects = effectsOf(
      recorded(
        'TaskDispatched',
        {
          taskId: 'lines[3]',
          stepId: 'lines',
          itemIndex: 3,
          purpose: 'step',
          attempt: 2,
          idempotencyKey: 'r1:lines[3]:2',
          handler: 'http',
          config: { url: 'http://x' },
          input: { a: 1 },
          queue: 'default',
          priority: 5,
          dispatchedAt: '2026-11-24T09:59:59.000Z',
          timeouts: { startToCloseMs: 1000 },
        },
        { traceparent: '00-abc-def-01' },
      ),
      'r1',
      facts,
      now,
    );
    expect(effects).toEqual([
      {
        kind: 'publish',
        topic: 'spark.tasks.default',
        key: 'r1',
        headers: { traceparent: '00-abc-def-01' },
        value: {
          version: 2,
          idempotencyKey: 'r1:lines[3]:2',
          runId: 'r1',
          taskId: 'lines[3]',
          stepId: 'lines',
          itemIndex: 3,
          purpose: 'step',
          attempt: 2,
          workflow: { name: 'checkout', version: 2 },
          handler: 'http',
          config: { url: 'http://x' },
          input: { a: 1 },
          timeouts: { startToCloseMs: 1000 },
          priority: 5,
          dispatchedAt: '2026-11-24T09:59:59.000Z',
        },
      },
    ]);
  });

  it('sends the task the decider dispatches for external:<name> to spark.tasks.external.<name>, its queue', async () => {
    const events = await decideRun(
      {
        type: 'StartRun',
        data: {
          runId: 'r1',
          definition: {
            name: 'checkout',
            version: 2,
            steps: [{ id: 'charge', type: 'task', handler: 'external:billing' }],
          },
          input: {},
        },
        metadata: { now: now.toISOString() },
      },
      initialRunState(),
    );
    const dispatched = events.find((event) => event.type === 'TaskDispatched');
    expect(dispatched?.data).toMatchObject({ handler: 'external:billing', queue: 'external.billing' });
    const [effect] = effectsOf(recorded('TaskDispatched', dispatched!.data), 'r1', facts, now);
    expect(effect).toMatchObject({ kind: 'publish', topic: 'spark.tasks.external.billing' });
    // External workers read version 1: the task id in `stepId`, nothing of version 2.
    const value = (effect as { value: Record<string, unknown> }).value;
    expect(value).toMatchObject({ version: 1, stepId: 'charge', idempotencyKey: 'r1:charge:1' });
    expect(Object.keys(value).sort()).toEqual(
      [
        'version',
        'idempotencyKey',
        'runId',
        'stepId',
        'attempt',
        'workflow',
        'handler',
        'config',
        'input',
        'timeouts',
        'priority',
        'dispatchedAt',
      ].sort(),
    );
  });

  it('sends a dispatch stored before its queue named the external workers (queue "<name>") to them all the same', () => {
    const old = {
      taskId: 'charge',
      stepId: 'charge',
      purpose: 'step',
      attempt: 1,
      idempotencyKey: 'r1:charge:1',
    };
    const data = {
      ...old,
      handler: 'external:billing',
      queue: 'billing',
      config: {},
      input: null,
      priority: 5,
    };
    const [effect] = effectsOf(
      recorded('TaskDispatched', { ...data, timeouts: { startToCloseMs: 1 } }),
      'r1',
      facts,
      now,
    );
    expect(effect).toMatchObject({ kind: 'publish', topic: 'spark.tasks.external.billing' });
    const [builtIn] = effectsOf(
      recorded('TaskDispatched', {
        ...data,
        handler: 'http',
        queue: 'priority',
        timeouts: { startToCloseMs: 1 },
      }),
      'r1',
      facts,
      now,
    );
    expect(builtIn).toMatchObject({ kind: 'publish', topic: 'spark.tasks.priority' });
  });

  it('stores scheduled timers and forgets fired ones', () => {
    expect(
      effectsOf(
        recorded('TimerScheduled', { timerId: 't1', purpose: 'retry', fireAt: '2026-11-24T10:00:05.000Z' }),
        'r1',
        undefined,
        now,
      ),
    ).toEqual([
      { kind: 'upsertTimer', runId: 'r1', timerId: 't1', fireAt: new Date('2026-11-24T10:00:05.000Z') },
    ]);
    expect(
      effectsOf(recorded('TimerFired', { timerId: 't1', firedAt: now.toISOString() }), 'r1', undefined, now),
    ).toEqual([{ kind: 'removeTimer', runId: 'r1', timerId: 't1' }]);
  });

  it('keeps the trace context of the decision that scheduled a timer, for the command it fires', () => {
    const traceparent = `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01`;
    expect(
      effectsOf(
        recorded(
          'TimerScheduled',
          { timerId: 't1', purpose: 'retry', fireAt: '2026-11-24T10:00:05.000Z' },
          { traceparent },
        ),
        'r1',
        undefined,
        now,
      ),
    ).toEqual([
      {
        kind: 'upsertTimer',
        runId: 'r1',
        timerId: 't1',
        fireAt: new Date('2026-11-24T10:00:05.000Z'),
        traceparent,
      },
    ]);
  });

  it('starts a requested child run with the parent recorded, idempotent by the child run id', () => {
    const [effect] = effectsOf(
      recorded('ChildRunRequested', {
        taskId: 'child',
        stepId: 'child',
        attempt: 1,
        childRunId: 'r1:child:1',
        workflow: { name: 'sub' },
        input: { x: 1 },
        parentRunId: 'r1',
        requestedAt: now.toISOString(),
      }),
      'r1',
      facts,
      now,
    );
    expect(effect).toMatchObject({
      kind: 'publish',
      topic: 'spark.commands',
      key: 'r1:child:1',
      value: {
        type: 'StartRun',
        runId: 'r1:child:1',
        workflow: { name: 'sub' },
        input: { x: 1 },
        idempotencyKey: 'r1:child:1',
        parent: { runId: 'r1', stepId: 'child' },
        commandId: '00000000-0000-4000-8000-000000000001:start-child',
      },
    });
  });

  it('tells the parent when a child run starts and when it finishes, and clears the child run timers', () => {
    const childFacts = { ...facts, parent: { runId: 'p1', stepId: 'child' } };
    const started = effectsOf(
      recorded('RunStarted', { parent: { runId: 'p1', stepId: 'child' } }),
      'p1:child:3',
      childFacts,
      now,
    );
    expect(started[0]).toMatchObject({
      key: 'p1',
      value: { type: 'ChildRunStarted', runId: 'p1', childRunId: 'p1:child:3', stepId: 'child', attempt: 3 },
    });
    const finished = effectsOf(
      recorded('RunCompleted', { output: { ok: true }, completedAt: now.toISOString() }),
      'p1:child:3',
      childFacts,
      now,
    );
    expect(finished).toEqual([
      { kind: 'removeRunTimers', runId: 'p1:child:3' },
      expect.objectContaining({
        key: 'p1',
        value: expect.objectContaining({
          type: 'ChildRunFinished',
          runId: 'p1',
          childRunId: 'p1:child:3',
          outcome: 'completed',
          output: { ok: true },
        }),
      }),
    ]);
  });

  it('clears timers when a top-level run ends, and has the tasks of a run that did not complete aborted', () => {
    expect(effectsOf(recorded('RunCompleted', { output: 1 }), 'r1', facts, now)).toEqual([
      { kind: 'removeRunTimers', runId: 'r1' },
    ]);
    expect(
      effectsOf(recorded('RunFailed', { error: { code: 'X', message: 'x' } }), 'r1', facts, now),
    ).toEqual([
      { kind: 'removeRunTimers', runId: 'r1' },
      {
        kind: 'publish',
        topic: Topics.taskCancellations,
        key: 'r1',
        value: { runId: 'r1', reason: 'run failed', issuedAt: now.toISOString() },
        headers: {},
      },
    ]);
  });
});
