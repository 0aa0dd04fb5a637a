import { type WorkflowDefinition } from '@spark/contracts';

import { eventTypes, RunHarness } from '../testing';

const debounced: WorkflowDefinition = {
  name: 'reindex',
  version: 1,
  debounce: { key: 'input.doc', period: '500ms', maxWait: '5s' },
  steps: [{ id: 'a', type: 'task', handler: 'noop' }],
};
const throttled: WorkflowDefinition = {
  name: 'call-model',
  version: 1,
  throttle: { limit: 5, period: '1s' },
  steps: [{ id: 'a', type: 'task', handler: 'noop' }],
};

describe('run decider: debounce and throttle on starts', () => {
  it('a debounced run records its scope and key on RunStarted and starts no step before its scope answers', async () => {
    const run = new RunHarness('r1');
    const events = await run.start(debounced, { doc: 'doc-7' });
    expect(eventTypes(events)).toEqual(['RunStarted']);
    expect(events[0]!.data).toMatchObject({
      startControl: {
        kind: 'debounce',
        scope: 'debounce:reindex:doc-7',
        key: 'doc-7',
        periodMs: 500,
        maxWaitMs: 5000,
      },
    });
    expect(run.dispatchedTaskIds).toEqual([]);
  });

  it('a throttle without a key shares one key for the whole workflow', async () => {
    const run = new RunHarness('r1');
    const [started] = await run.start(throttled);
    expect(started!.data).toMatchObject({
      startControl: { kind: 'throttle', scope: 'throttle:call-model:*', key: '*', limit: 5, periodMs: 1000 },
    });
  });

  it('told to start later, the run says why and until when, and starts its steps when the timer fires', async () => {
    const run = new RunHarness('r1');
    await run.start(throttled);
    const startAt = '2026-01-01T00:00:02.000Z';
    const waiting = await run.send({
      type: 'RecordStartControl',
      data: { outcome: 'scheduled', startAt, reason: 'throttled: …' },
    });
    expect(eventTypes(waiting)).toEqual(['RunWaitingToStart', 'TimerScheduled']);
    expect(run.state).toMatchObject({
      startGate: { status: 'waiting', reason: 'throttled: …', until: startAt },
    });
    expect(run.dispatchedTaskIds).toEqual([]);
    const released = await run.fireNextTimer();
    expect(eventTypes(released)).toEqual([
      'TimerFired',
      'RunStartReleased',
      'TaskDispatched',
      'TimerScheduled',
    ]);
    expect(run.dispatchedTaskIds).toEqual(['a']);
    // A late repeat of the scope's word changes nothing once the run is released.
    expect(
      await run.send({
        type: 'RecordStartControl',
        data: { outcome: 'scheduled', startAt, reason: 'again' },
      }),
    ).toEqual([]);
  });

  it('told to start at a time already past, the run starts its steps at once', async () => {
    const run = new RunHarness('r1');
    await run.start(throttled);
    const events = await run.send({
      type: 'RecordStartControl',
      data: { outcome: 'scheduled', startAt: '2026-01-01T00:00:00.000Z', reason: 'at once' },
    });
    // (the TimerScheduled is the task's own timeout)
    expect(eventTypes(events)).toEqual(['RunStartReleased', 'TaskDispatched', 'TimerScheduled']);
  });

  it('superseded while waiting, the run is cancelled with the reason; once released, superseding is ignored', async () => {
    const waitingRun = new RunHarness('r1');
    await waitingRun.start(debounced, { doc: 'doc-7' });
    const cancelled = await waitingRun.send({
      type: 'RecordStartControl',
      data: { outcome: 'superseded', by: 'r2', reason: 'debounced: superseded by the later start r2' },
    });
    expect(eventTypes(cancelled)).toEqual(['RunCancelled']);
    expect(cancelled[0]!.data).toMatchObject({ reason: 'debounced: superseded by the later start r2' });

    const releasedRun = new RunHarness('r3');
    await releasedRun.start(debounced, { doc: 'doc-7' });
    await releasedRun.send({
      type: 'RecordStartControl',
      data: { outcome: 'scheduled', startAt: '2026-01-01T00:00:00.000Z', reason: 'at once' },
    });
    expect(
      await releasedRun.send({
        type: 'RecordStartControl',
        data: { outcome: 'superseded', by: 'r4', reason: 'late' },
      }),
    ).toEqual([]);
  });

  it('a child run (started by a subworkflow step) is not debounced again', async () => {
    const run = new RunHarness('child-1');
    const events = await run.start(debounced, { doc: 'doc-7' }, { parent: { runId: 'p1', stepId: 's' } });
    expect(events[0]!.data).not.toHaveProperty('startControl');
    expect(run.dispatchedTaskIds).toEqual(['a']);
  });
});
