import { randomUUID } from 'node:crypto';
import { scheduledRunId, scheduleStreamName } from '@spark/contracts';
import { scheduleRepository, type ScheduleRepository } from '@spark/engine';
import { type RecordedEvent, StreamNotFoundError } from '@spark/event-store';
import {
  EngineHarness,
  freePort,
  startServiceProcess,
  stopServiceProcess,
  waitUntilReady,
} from '@spark/testing';
import { type ScheduleCommand, type ScheduleDefinition, type ScheduleEvent } from '@spark/workflow-domain';

// Schedules in real time: the scheduler processes fire them from their durable timers, against the real
// Kafka and PostgreSQL. Schedules are written here the way the gateway writes them (decide + append).

const SECOND = 1000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const iso = (ms: number) => new Date(ms).toISOString();

type Fire = Extract<ScheduleEvent, { type: 'ScheduleFired' }>['data'];

describe('schedules', () => {
  let engine: EngineHarness;
  let schedules: ScheduleRepository;
  const suffix = randomUUID().slice(0, 8);
  const quick = `tick-${suffix}`;
  const slow = `slow-${suffix}`;

  beforeAll(async () => {
    engine = await EngineHarness.start();
    schedules = scheduleRepository(engine.store, 0);
    await engine.register({
      name: quick,
      version: 1,
      steps: [{ id: 'a', type: 'task', handler: 'noop' }],
    });
    await engine.register({
      name: slow,
      version: 1,
      steps: [{ id: 'a', type: 'task', handler: 'sleep', config: { durationMs: 2500 } }],
    });
  });
  afterAll(() => engine.stop());

  const command = (scheduleId: string, type: ScheduleCommand['type'], data: object) =>
    schedules.handle(
      scheduleId,
      { type, data, metadata: { now: new Date().toISOString() } } as ScheduleCommand,
      { causationId: `e2e:${randomUUID()}` },
    );
  const create = async (
    definition: Omit<ScheduleDefinition, 'workflow'>,
    workflow = quick,
    paused = false,
  ) => {
    const scheduleId = `s-${randomUUID().slice(0, 8)}`;
    await command(scheduleId, 'CreateSchedule', {
      scheduleId,
      schedule: { ...definition, workflow: { name: workflow } },
      ...(paused ? { paused } : {}),
    });
    return scheduleId;
  };
  const eventsOf = async (scheduleId: string): Promise<RecordedEvent[]> => {
    try {
      return await engine.store.readStream(scheduleStreamName(scheduleId));
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
  };
  const firesOf = async (scheduleId: string): Promise<Fire[]> =>
    (await eventsOf(scheduleId))
      .filter((e) => e.type === 'ScheduleFired')
      .map((e) => e.data as unknown as Fire);
  const nominalsOf = async (scheduleId: string, type: string) =>
    (await eventsOf(scheduleId))
      .filter((e) => e.type === type)
      .map((e) => (e.data as { nominalTime: string }).nominalTime);

  /** Every run a schedule started ran once: one RunStarted in its stream, and it completed. */
  const expectOneCompletedRunPerFire = async (fires: Fire[]) => {
    for (const fire of fires) {
      const run = await engine.waitForRun(scheduledRunId(fire.idempotencyKey), 30_000);
      expect(run.outcome).toBe('RunCompleted');
      expect(run.events.filter((e) => e.type === 'RunStarted')).toHaveLength(1);
      expect(run.events[0]!.data).toMatchObject({ idempotencyKey: fire.idempotencyKey });
    }
  };

  /** Waits until every run the schedule started has finished and the schedule has none running. */
  const waitUntilQuiet = async (scheduleId: string) => {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const { state } = await schedules.load(scheduleId);
      if (state.status !== 'none' && state.running.length === 0 && state.buffered.length === 0) return;
      if (Date.now() > deadline)
        throw new Error(`schedule ${scheduleId} still has runs: ${JSON.stringify(state)}`);
      await sleep(100);
    }
  };

  /** The whole seconds from the first to the last, as ISO instants. */
  const everySecond = (first: string, last: string) => {
    const times: string[] = [];
    for (let ms = Date.parse(first); ms <= Date.parse(last); ms += SECOND) times.push(iso(ms));
    return times;
  };

  it('a cron every second fires once per second with two scheduler instances, even when the relaying one is killed', async () => {
    const second = startServiceProcess('scheduler', await freePort(), engine.env);
    await waitUntilReady(second);
    try {
      const scheduleId = await create({
        spec: { kind: 'cron', expression: '* * * * * *' },
        overlap: 'ALLOW_ALL',
      });
      await sleep(4 * SECOND);
      // The harness's scheduler started first, so it holds the relay and timer leadership.
      await engine.kill('scheduler');
      await sleep(5 * SECOND);
      await command(scheduleId, 'PauseSchedule', {});
      const fires = await firesOf(scheduleId);
      const nominals = fires.map((fire) => fire.nominalTime);
      expect(fires.length).toBeGreaterThanOrEqual(6);
      // Once per second: no nominal time twice, none left out, nothing reported missed.
      expect(new Set(nominals).size).toBe(nominals.length);
      expect(nominals).toEqual(everySecond(nominals[0]!, nominals.at(-1)!));
      expect(await nominalsOf(scheduleId, 'ScheduleFiresMissed')).toEqual([]);
      for (const fire of fires) expect(fire.idempotencyKey).toBe(`${scheduleId}:${fire.nominalTime}`);
      await expectOneCompletedRunPerFire(fires);
    } finally {
      await stopServiceProcess(second);
      await engine.startService('scheduler');
    }
  }, 90_000);

  it('a scheduler killed between appending a fire and sending its start, and one killed after sending it, still give one run per fire', async () => {
    await engine.kill('scheduler');
    const scheduleId = await create({ spec: { kind: 'interval', every: '1s' }, overlap: 'ALLOW_ALL' });
    for (const crashPoint of ['kill-before-schedule-start:2', 'kill-after-schedule-start:2']) {
      const crashing = await engine.startServiceWith('scheduler', {
        ...engine.env,
        SPARK_FAULT_INJECTION: crashPoint,
      });
      expect(await crashing.exited).toBe('SIGKILL');
    }
    await engine.startService('scheduler');
    await sleep(3 * SECOND);
    await command(scheduleId, 'PauseSchedule', {});
    const fires = await firesOf(scheduleId);
    const nominals = fires.map((fire) => fire.nominalTime);
    expect(new Set(nominals).size).toBe(nominals.length);
    expect(nominals).toEqual(everySecond(nominals[0]!, nominals.at(-1)!));
    expect(await nominalsOf(scheduleId, 'ScheduleFiresMissed')).toEqual([]);
    // The fire whose start was never sent was relayed after the crash; the one sent twice ran once.
    await expectOneCompletedRunPerFire(fires);
  }, 90_000);

  it('after 5 s with no scheduler, fires inside the catch-up window happen under the overlap policy; older ones are reported missed', async () => {
    const definition = { spec: { kind: 'interval' as const, every: '1s' }, catchupWindow: '2s' };
    const allowAll = await create({ ...definition, overlap: 'ALLOW_ALL' });
    const skip = await create({ ...definition, overlap: 'SKIP' });
    await sleep(2.5 * SECOND);
    await engine.kill('scheduler');
    const downAt = Date.now();
    await sleep(5 * SECOND);
    await engine.startService('scheduler');
    await sleep(3 * SECOND);
    await command(allowAll, 'PauseSchedule', {});
    await command(skip, 'PauseSchedule', {});

    for (const scheduleId of [allowAll, skip]) {
      const events = await eventsOf(scheduleId);
      const fired = await nominalsOf(scheduleId, 'ScheduleFired');
      const skipped = await nominalsOf(scheduleId, 'ScheduleFireSkipped');
      const missed = events
        .filter((e) => e.type === 'ScheduleFiresMissed')
        .map((e) => e.data as { from: string; before: string });
      // The outage was longer than the window: the fires before the window were reported, once.
      expect(missed).toHaveLength(1);
      expect(Date.parse(missed[0]!.from)).toBeGreaterThanOrEqual(downAt - SECOND);
      // Never silent: every second is fired, skipped or inside the reported missed range, exactly once.
      const accounted = [
        ...fired,
        ...skipped,
        ...everySecond(missed[0]!.from, iso(Date.parse(missed[0]!.before) - 1)).filter(
          (time) => Date.parse(time) < Date.parse(missed[0]!.before),
        ),
      ].sort();
      const all = [...fired, ...skipped].sort();
      expect(accounted).toEqual(everySecond(all[0]!, all.at(-1)!));
      const catchUp = (await firesOf(scheduleId)).filter((fire) => fire.trigger === 'catch-up');
      if (scheduleId === allowAll) {
        // A 2 s window at one fire a second: 2 or 3 fires caught up, all started.
        expect(catchUp.length).toBeGreaterThanOrEqual(2);
        expect(catchUp.length).toBeLessThanOrEqual(3);
      } else {
        // SKIP: one run at a time, so the burst of due fires starts at most one and skips the rest.
        expect(catchUp.length).toBeLessThanOrEqual(1);
        const skippedInCatchUp = skipped.filter((time) => Date.parse(time) >= Date.parse(missed[0]!.before));
        expect(skippedInCatchUp.length).toBeGreaterThanOrEqual(1);
      }
      await waitUntilQuiet(scheduleId);
      await expectOneCompletedRunPerFire(await firesOf(scheduleId));
    }
  }, 90_000);

  it('SKIP, BUFFER_ONE and ALLOW_ALL with a run (2.5 s) longer than the interval (1 s)', async () => {
    const every = { spec: { kind: 'interval' as const, every: '1s' } };
    const [skip, bufferOne, allowAll] = await Promise.all(
      (['SKIP', 'BUFFER_ONE', 'ALLOW_ALL'] as const).map((overlap) => create({ ...every, overlap }, slow)),
    );
    await sleep(6.5 * SECOND);
    await Promise.all([skip, bufferOne, allowAll].map((id) => command(id!, 'PauseSchedule', {})));
    await Promise.all([skip, bufferOne, allowAll].map((id) => waitUntilQuiet(id!)));

    /** How many of the schedule's runs ran at the same time, at most. */
    const maxConcurrentRuns = async (scheduleId: string) => {
      const spans: [number, number][] = [];
      for (const fire of await firesOf(scheduleId)) {
        const run = await engine.waitForRun(scheduledRunId(fire.idempotencyKey), 30_000);
        expect(run.outcome).toBe('RunCompleted');
        spans.push([run.events[0]!.recordedAt.getTime(), run.events.at(-1)!.recordedAt.getTime()]);
      }
      return Math.max(...spans.map(([start]) => spans.filter(([s, e]) => s <= start && start < e).length));
    };

    const skipFires = await firesOf(skip!);
    expect(skipFires.length).toBeGreaterThanOrEqual(2);
    expect((await nominalsOf(skip!, 'ScheduleFireSkipped')).length).toBeGreaterThanOrEqual(2);
    expect(await nominalsOf(skip!, 'ScheduleFireBuffered')).toEqual([]);
    expect(await maxConcurrentRuns(skip!)).toBe(1);

    const bufferFires = await firesOf(bufferOne!);
    expect((await nominalsOf(bufferOne!, 'ScheduleFireBuffered')).length).toBeGreaterThanOrEqual(1);
    expect(bufferFires.some((fire) => fire.trigger === 'buffered')).toBe(true);
    expect((await nominalsOf(bufferOne!, 'ScheduleFireSkipped')).length).toBeGreaterThanOrEqual(1);
    expect(await maxConcurrentRuns(bufferOne!)).toBe(1);

    const allFires = await firesOf(allowAll!);
    expect(allFires.length).toBeGreaterThanOrEqual(5);
    expect(await nominalsOf(allowAll!, 'ScheduleFireSkipped')).toEqual([]);
    expect(await maxConcurrentRuns(allowAll!)).toBeGreaterThanOrEqual(2);
    // Same calendar, same moment: ALLOW_ALL started more runs than SKIP.
    expect(allFires.length).toBeGreaterThan(skipFires.length);
  }, 120_000);

  it('a paused schedule fires nothing; trigger fires it once by hand; resume fires from the calendar again', async () => {
    const scheduleId = await create({ spec: { kind: 'interval', every: '1s' } }, quick, true);
    await sleep(3 * SECOND);
    expect((await eventsOf(scheduleId)).map((e) => e.type)).toEqual(['ScheduleCreated', 'SchedulePaused']);

    await command(scheduleId, 'TriggerSchedule', {});
    const [manual] = await firesOf(scheduleId);
    expect(manual).toMatchObject({ trigger: 'manual' });
    await expectOneCompletedRunPerFire([manual!]);
    await waitUntilQuiet(scheduleId);
    await sleep(1.5 * SECOND);
    expect(await firesOf(scheduleId)).toHaveLength(1);

    await command(scheduleId, 'ResumeSchedule', {});
    const deadline = Date.now() + 10 * SECOND;
    while (!(await firesOf(scheduleId)).some((fire) => fire.trigger === 'calendar') && Date.now() < deadline)
      await sleep(100);
    const calendar = (await firesOf(scheduleId)).filter((fire) => fire.trigger === 'calendar');
    expect(calendar.length).toBeGreaterThanOrEqual(1);
    await command(scheduleId, 'DeleteSchedule', {});
    await expectOneCompletedRunPerFire(calendar);
  }, 60_000);
});
