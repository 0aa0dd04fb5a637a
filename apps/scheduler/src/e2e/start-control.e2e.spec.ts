import { randomUUID } from 'node:crypto';
import { type RecordedEvent } from '@spark/event-store';
import {
  EngineHarness,
  freePort,
  startServiceProcess,
  stopServiceProcess,
  waitUntilReady,
} from '@spark/testing';
import { type StartControlEvent, startControlScope, startControlStreamName } from '@spark/workflow-domain';

// Debounce and throttle on starts (issue 15, docs/adr/0122): every start is a StartRun command, so
// the API, webhooks, Kafka triggers and schedules all pass here; scopes are decided by the relay.
describe('debounce and throttle on starts', () => {
  // One engine for the file (the throttle test, last, kills its scheduler): each test has its own workflow.
  let engine: EngineHarness | undefined;
  beforeAll(async () => {
    engine = await EngineHarness.start();
  }, 60_000);
  afterAll(async () => {
    await engine?.stop();
  });

  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const timeOf = (events: RecordedEvent[], type: string): number => {
    const event = events.find((candidate) => candidate.type === type);
    if (!event) throw new Error(`no ${type} in ${events.map((e) => e.type).join(', ')}`);
    const data = event.data as Record<string, string>;
    return Date.parse(data.at ?? data.startedAt ?? data.cancelledAt ?? '');
  };
  const scopeEvents = async (scope: string): Promise<StartControlEvent[]> =>
    (await engine!.store.readStream(startControlStreamName(scope))).map(
      (event) => ({ type: event.type, data: event.data }) as unknown as StartControlEvent,
    );

  it('debounce: 10 starts with one key inside 1 s become exactly one run, with the last input', async () => {
    const name = `debounce-${randomUUID().slice(0, 8)}`;
    await engine!.register({
      name,
      version: 1,
      debounce: { key: 'input.doc', period: '700ms', maxWait: '10s' },
      output: 'steps.work.output',
      steps: [
        {
          id: 'work',
          type: 'task',
          handler: 'transform',
          input: '=input',
          config: { expression: 'input.n' },
        },
      ],
    });
    const runIds: string[] = [];
    for (let n = 0; n < 10; n++) {
      runIds.push(await engine!.startRun(name, { doc: 'doc-7', n }));
      await sleep(80);
    }
    const runs = await Promise.all(runIds.map((runId) => engine!.waitForRun(runId, 60_000)));
    const completed = runs.filter((run) => run.outcome === 'RunCompleted');
    expect(completed.map((run) => run.runId)).toEqual([runIds[9]]);
    expect(completed[0]!.result.output).toBe(9);
    for (const run of runs.slice(0, 9)) {
      expect(run.outcome).toBe('RunCancelled');
      expect(run.result.reason).toMatch(/^debounced: superseded by the later start /);
      // Superseded before it did anything.
      expect(run.events.some((event) => event.type === 'TaskDispatched')).toBe(false);
    }
    // The winner waited for a quiet period after the last start, and said so in its events.
    const winner = completed[0]!.events;
    const waiting = winner.find((event) => event.type === 'RunWaitingToStart')!;
    expect((waiting.data as { reason: string }).reason).toMatch(/^debounced: key doc-7 starts after 700 ms/);
    expect(timeOf(winner, 'RunStartReleased') - timeOf(winner, 'RunStarted')).toBeGreaterThanOrEqual(650);
  }, 120_000);

  it('debounce: maxWait bounds the delay under a continuous stream of starts', async () => {
    const name = `debounce-max-${randomUUID().slice(0, 8)}`;
    await engine!.register({
      name,
      version: 1,
      debounce: { key: 'input.doc', period: '500ms', maxWait: '1500ms' },
      steps: [{ id: 'work', type: 'task', handler: 'noop' }],
    });
    const runIds: string[] = [];
    // A start every 200 ms for 4 s: never 500 ms of quiet.
    const until = Date.now() + 4000;
    while (Date.now() < until) {
      runIds.push(await engine!.startRun(name, { doc: 'doc-1' }));
      await sleep(200);
    }
    const runs = await Promise.all(runIds.map((runId) => engine!.waitForRun(runId, 60_000)));
    const completed = runs.filter((run) => run.outcome === 'RunCompleted');
    // Without maxWait the stream would end in a single run 500 ms after the last start.
    expect(completed.length).toBeGreaterThanOrEqual(2);
    const scheduled = (await scopeEvents(startControlScope('debounce', name, 'doc-1'))).filter(
      (event) => event.type === 'StartScheduled',
    );
    for (const run of completed) {
      const decision = scheduled.find((event) => event.data.runId === run.runId)!;
      const burstStartedAt = Date.parse(decision.data.burstStartedAt!);
      expect(Date.parse(decision.data.startAt) - burstStartedAt).toBeLessThanOrEqual(1500);
      // The run started its steps when its scope said (timer lateness allowed for).
      expect(timeOf(run.events, 'RunStartReleased') - burstStartedAt).toBeLessThan(1500 + 1000);
    }
  }, 120_000);

  it('throttle: 20 starts at once, 5 per second, with two schedulers; then the relaying one killed -9 and 10 more', async () => {
    const second = startServiceProcess('scheduler', await freePort(), engine!.env);
    await waitUntilReady(second);
    try {
      const name = `throttle-${randomUUID().slice(0, 8)}`;
      const scope = startControlScope('throttle', name, 'tenant-a');
      await engine!.register({
        name,
        version: 1,
        throttle: { key: 'input.tenant', limit: 5, period: '1s' },
        steps: [{ id: 'work', type: 'task', handler: 'noop' }],
      });
      const runIds: string[] = [];
      for (let i = 0; i < 20; i++) runIds.push(await engine!.startRun(name, { tenant: 'tenant-a', i }));
      // While runs wait for their start times, the relaying scheduler's /metrics counts them per key.
      const series = `spark_start_control_pending{control="throttle",workflow="${name}",key="tenant-a"`;
      let pending = 0;
      for (const deadline = Date.now() + 5000; pending === 0 && Date.now() < deadline;) {
        const text = await (await fetch(`http://127.0.0.1:${engine!.ports.scheduler}/metrics`)).text();
        const line = text.split('\n').find((candidate) => candidate.startsWith(series));
        pending = line === undefined ? 0 : Number(line.split(' ').at(-1));
        if (pending === 0) await sleep(50);
      }
      expect(pending).toBeGreaterThan(0);
      const runs = await Promise.all(runIds.map((runId) => engine!.waitForRun(runId, 60_000)));
      for (const run of runs) expect(run.outcome).toBe('RunCompleted');
      // The scope hands out start times never more than 5 in any 1 s window, and 20 take 3 periods.
      const decidedFor = async () =>
        new Map(
          (await scopeEvents(scope)).flatMap((event) =>
            event.type === 'StartScheduled'
              ? [[event.data.runId, Date.parse(event.data.startAt)] as const]
              : [],
          ),
        );
      const firstDecisions = await decidedFor();
      const times = runIds.map((runId) => firstDecisions.get(runId)!).sort((a, b) => a - b);
      for (let i = 5; i < times.length; i++) expect(times[i]! - times[i - 5]!).toBeGreaterThanOrEqual(1000);
      expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual(3000);
      // A run starts its steps at its time or a little after (the relay's hop, a timer's lateness), never
      // before: two starts of a window can be closer than the period by that lag, and no more.
      const lags = runs.map((run) => timeOf(run.events, 'RunStartReleased') - firstDecisions.get(run.runId)!);
      expect(Math.min(...lags)).toBeGreaterThanOrEqual(0);
      const maxLag = Math.max(...lags);
      expect(maxLag).toBeLessThan(1000);
      const releases = runs.map((run) => timeOf(run.events, 'RunStartReleased')).sort((a, b) => a - b);
      for (let i = 5; i < releases.length; i++)
        expect(releases[i]! - releases[i - 5]!).toBeGreaterThanOrEqual(1000 - maxLag);
      console.log(`throttle: the longest lag from a start time to the run's start was ${maxLag} ms`);
      const throttled = runs.filter((run) => run.events.some((event) => event.type === 'RunWaitingToStart'));
      expect(throttled.length).toBeGreaterThanOrEqual(15);
      expect(
        (throttled[0]!.events.find((event) => event.type === 'RunWaitingToStart')!.data as { reason: string })
          .reason,
      ).toMatch(/^throttled: key tenant-a allows 5 starts per 1000 ms; starts at /);

      // The harness's scheduler started first and holds the relay: after its kill -9 the other one
      // decides the scope from its stream, and the limit still holds for the start times handed out.
      await engine!.kill('scheduler');
      const more: string[] = [];
      for (let i = 0; i < 10; i++) more.push(await engine!.startRun(name, { tenant: 'tenant-a', i: 20 + i }));
      const after = await Promise.all(more.map((runId) => engine!.waitForRun(runId, 90_000)));
      for (const run of after) expect(run.outcome).toBe('RunCompleted');
      const decisions = await decidedFor();
      expect([...decisions.keys()].sort()).toEqual([...runIds, ...more].sort());
      const allTimes = [...decisions.values()].sort((x, y) => x - y);
      for (let i = 5; i < allTimes.length; i++)
        expect(allTimes[i]! - allTimes[i - 5]!).toBeGreaterThanOrEqual(1000);
      for (const run of after)
        expect(timeOf(run.events, 'RunStartReleased')).toBeGreaterThanOrEqual(decisions.get(run.runId)!);
    } finally {
      await stopServiceProcess(second);
    }
  }, 150_000);
});
