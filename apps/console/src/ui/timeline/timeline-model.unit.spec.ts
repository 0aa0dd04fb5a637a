import { type Run, type RunEvent } from '@spark/client';
import { buildTimeline, runRelations } from './timeline-model';

const T0 = Date.parse('2026-12-01T10:00:00.000Z');
const at = (ms: number) => new Date(T0 + ms).toISOString();
let revision = 0;
const event = (type: string, ms: number, data: Record<string, unknown>): RunEvent => ({
  runId: 'r1',
  revision: String(revision++),
  type,
  data,
  recordedAt: at(ms),
});

const run = (steps: Run['steps'], extra: Partial<Run> = {}): Run => ({
  runId: 'r1',
  workflow: { name: 'w', version: 1 },
  status: 'COMPLETED',
  acceptedAt: at(0),
  finishedAt: at(10_000),
  steps,
  ...extra,
});

describe('the run timeline', () => {
  it('shows each attempt queued then running, and the backoff before the retry', () => {
    const timeline = buildTimeline(
      run([
        {
          stepId: 'charge',
          status: 'SUCCEEDED',
          attempts: [
            {
              taskId: 't1',
              stepId: 'charge',
              purpose: 'step',
              attempt: 1,
              status: 'FAILED',
              dispatchedAt: at(100),
              startedAt: at(200),
              finishedAt: at(500),
            },
            {
              taskId: 't2',
              stepId: 'charge',
              purpose: 'step',
              attempt: 2,
              status: 'SUCCEEDED',
              dispatchedAt: at(2500),
              startedAt: at(2600),
              finishedAt: at(3000),
            },
          ],
        },
      ]),
      [event('StepRetryScheduled', 510, { taskId: 't1', attempt: 2, delayMs: 2000, retryAt: at(2500) })],
    );
    expect(timeline.start).toBe(T0);
    expect(timeline.end).toBe(T0 + 10_000);
    const [row] = timeline.rows;
    expect(row!.segments.map((s) => [s.kind, s.from - T0, s.to - T0, s.status])).toEqual([
      ['queued', 100, 200, undefined],
      ['running', 200, 500, 'FAILED'],
      ['queued', 2500, 2600, undefined],
      ['running', 2600, 3000, 'SUCCEEDED'],
      ['backoff', 500, 2500, undefined],
    ]);
    expect(row!.segments[4]!.label).toBe('backoff 2000 ms before attempt 2');
  });

  it('gives a map step one summary bar and a row per item, and compensations rows of their own', () => {
    const attempts: Run['steps'][number]['attempts'] = [0, 1, 2].map((i) => ({
      taskId: `m${i}`,
      stepId: 'items',
      itemIndex: i,
      purpose: 'step' as const,
      attempt: 1,
      status: i === 2 ? ('FAILED' as const) : ('SUCCEEDED' as const),
      dispatchedAt: at(1000 + i * 100),
      finishedAt: at(1500 + i * 100),
    }));
    attempts.push({
      taskId: 'c1',
      stepId: 'items',
      purpose: 'compensation',
      attempt: 1,
      status: 'SUCCEEDED',
      dispatchedAt: at(4000),
      startedAt: at(4100),
      finishedAt: at(4200),
    });
    const timeline = buildTimeline(
      run([{ stepId: 'items', status: 'FAILED', attempts }], { status: 'FAILED' }),
      [],
    );
    expect(timeline.rows.map((row) => [row.kind, row.label])).toEqual([
      ['step', 'items'],
      ['compensation', 'items (compensation)'],
    ]);
    const map = timeline.rows[0]!;
    expect(map.items?.map((item) => [item.itemIndex, item.status])).toEqual([
      [0, 'SUCCEEDED'],
      [1, 'SUCCEEDED'],
      [2, 'FAILED'],
    ]);
    expect(map.segments).toEqual([
      { kind: 'running', from: T0 + 1000, to: T0 + 1700, status: 'FAILED', label: '3 items, 2 succeeded' },
    ]);
    // An attempt finished without a start report runs from its dispatch.
    expect(map.items![0]!.segments).toEqual([
      { kind: 'running', from: T0 + 1000, to: T0 + 1500, status: 'SUCCEEDED', label: 'attempt 1 succeeded' },
    ]);
  });

  it('draws waits, signals, child runs and their timers, open ones up to now', () => {
    const now = T0 + 8000;
    const events = [
      event('RunStarted', 0, { parent: { runId: 'p1', stepId: 'sub' } }),
      event('StepWaiting', 100, { stepId: 'pause', until: at(1100) }),
      event('TimerScheduled', 100, { timerId: 'w1', purpose: 'wait', fireAt: at(1100), stepId: 'pause' }),
      event('TimerFired', 1100, { timerId: 'w1', firedAt: at(1100) }),
      event('StepSucceeded', 1100, { stepId: 'pause', output: null, at: at(1100) }),
      event('StepWaiting', 1200, { stepId: 'approve', signal: 'ok' }),
      event('TimerScheduled', 1200, {
        timerId: 's1',
        purpose: 'signalTimeout',
        fireAt: at(61_200),
        stepId: 'approve',
      }),
      event('ChildRunRequested', 1300, {
        stepId: 'child',
        childRunId: 'c-1',
        workflow: { name: 'inner' },
        requestedAt: at(1300),
      }),
    ];
    const timeline = buildTimeline(
      run(
        [
          { stepId: 'pause', status: 'SUCCEEDED', attempts: [] },
          { stepId: 'approve', status: 'ACTIVE', awaitingSignal: 'ok', attempts: [] },
          { stepId: 'child', status: 'ACTIVE', attempts: [] },
        ],
        { status: 'RUNNING', finishedAt: undefined },
      ),
      events,
      now,
    );
    const [pause, approve, child] = timeline.rows;
    expect(pause!.segments).toEqual([
      { kind: 'waiting', from: T0 + 100, to: T0 + 1100, label: `waits until ${at(1100)}` },
    ]);
    expect(pause!.markers).toEqual([{ at: T0 + 1100, fired: true, label: 'wait ends' }]);
    expect(approve!.segments).toEqual([
      { kind: 'waiting', from: T0 + 1200, to: now, label: 'awaits signal "ok"' },
    ]);
    expect(approve!.markers).toEqual([{ at: T0 + 61_200, fired: false, label: 'signal timeout' }]);
    expect(child!.segments).toEqual([{ kind: 'child', from: T0 + 1300, to: now, label: 'child run c-1' }]);
    expect(child!.childRunIds).toEqual(['c-1']);
    expect(timeline.end).toBe(now);
    expect(runRelations(events)).toEqual({
      parent: { runId: 'p1', stepId: 'sub' },
      children: [{ childRunId: 'c-1', stepId: 'child', workflow: 'inner' }],
    });
  });

  it('follows a compensating run', () => {
    const relations = runRelations([
      event('RunCompensating', 0, { failedStep: 'ship', steps: ['charge', 'reserve'], error: {} }),
      event('StepCompensated', 10, { stepId: 'charge' }),
      event('StepCompensationFailed', 20, { stepId: 'reserve', error: {} }),
    ]);
    expect(relations.compensation).toEqual({
      failedStep: 'ship',
      steps: ['charge', 'reserve'],
      compensated: ['charge'],
      failures: ['reserve'],
    });
  });
});
