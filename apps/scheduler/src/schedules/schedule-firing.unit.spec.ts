import { scheduleStreamName } from '@spark/contracts';
import { scheduleRepository } from '@spark/engine';
import { InMemoryEventStore } from '@spark/event-store/testing';
import { type ScheduleDefinition } from '@spark/workflow-domain';
import pino from 'pino';
import { ScheduleFiring } from './schedule-firing';
import { type ScheduleTimer } from './schedule-timer-store';

// ScheduleFiring decides against the schedule's stream; here the stream lives in the in-memory store.
describe('ScheduleFiring', () => {
  const hourly: ScheduleDefinition = {
    spec: { kind: 'cron', expression: '0 * * * *', timezone: 'UTC' },
    workflow: { name: 'report', version: 1 },
    input: { kind: 'hourly' },
  };
  const createdAt = '2026-03-01T10:15:00.000Z';
  const firstFire = '2026-03-01T11:00:00.000Z';

  async function withSchedule(scheduleId: string, store = new InMemoryEventStore()) {
    await scheduleRepository(store).handle(
      scheduleId,
      { type: 'CreateSchedule', data: { scheduleId, schedule: hourly }, metadata: { now: createdAt } },
      { causationId: `create:${scheduleId}`, correlationId: scheduleId },
    );
    return store;
  }
  const typesOf = async (store: InMemoryEventStore, scheduleId: string) =>
    (await store.readStream(scheduleStreamName(scheduleId))).map((event) => event.type);

  it('fires a due timer once, re-arms the next one and arms it at the revision of its event', async () => {
    const store = await withSchedule('hourly');
    const armed: ScheduleTimer[] = [];
    const firing = new ScheduleFiring(
      scheduleRepository(store),
      pino({ level: 'silent' }),
      () => new Date('2026-03-01T11:00:00.250Z'),
      undefined,
      async (writes) => void armed.push(...writes.upserts),
    );

    await firing.fireTimers([{ scheduleId: 'hourly', nominalTime: firstFire }]);

    const stream = await store.readStream(scheduleStreamName('hourly'));
    expect(stream.map((event) => event.type)).toEqual([
      'ScheduleCreated',
      'ScheduleTimerSet',
      'ScheduleFired',
      'ScheduleTimerSet',
    ]);
    expect(stream[2]!.data).toMatchObject({
      nominalTime: firstFire,
      idempotencyKey: `hourly:${firstFire}`,
      firedAt: '2026-03-01T11:00:00.250Z',
    });
    expect(armed).toEqual([
      {
        scheduleId: 'hourly',
        nominalTime: '2026-03-01T12:00:00.000Z',
        fireAt: new Date('2026-03-01T12:00:00.000Z'),
        revision: stream[3]!.revision,
      },
    ]);
  });

  it('fires every due timer of a batch in one append, each schedule on its own state', async () => {
    const store = await withSchedule('one');
    await withSchedule('two', store);
    const appends = jest.spyOn(store, 'appendToStreams');
    const armed: ScheduleTimer[] = [];
    const firing = new ScheduleFiring(
      scheduleRepository(store),
      pino({ level: 'silent' }),
      () => new Date('2026-03-01T11:00:00.250Z'),
      undefined,
      async (writes) => void armed.push(...writes.upserts),
    );

    await firing.fireTimers([
      { scheduleId: 'one', nominalTime: firstFire },
      { scheduleId: 'two', nominalTime: firstFire },
    ]);

    expect(appends).toHaveBeenCalledTimes(1);
    for (const scheduleId of ['one', 'two'])
      expect(await typesOf(store, scheduleId)).toEqual([
        'ScheduleCreated',
        'ScheduleTimerSet',
        'ScheduleFired',
        'ScheduleTimerSet',
      ]);
    expect(armed.map((timer) => [timer.scheduleId, timer.nominalTime])).toEqual([
      ['one', '2026-03-01T12:00:00.000Z'],
      ['two', '2026-03-01T12:00:00.000Z'],
    ]);
  });

  it('two scheduler instances firing the same nominal time start one run between them', async () => {
    const store = await withSchedule('shared');
    const instance = () =>
      new ScheduleFiring(scheduleRepository(store), pino({ level: 'silent' }), () => new Date(firstFire));
    const [first, second] = [instance(), instance()];

    await Promise.all([
      first.fireTimers([{ scheduleId: 'shared', nominalTime: firstFire }]),
      second.fireTimers([{ scheduleId: 'shared', nominalTime: firstFire }]),
    ]);
    await first.fireTimers([{ scheduleId: 'shared', nominalTime: firstFire }]);

    expect((await typesOf(store, 'shared')).filter((type) => type === 'ScheduleFired')).toHaveLength(1);
  });

  it('records a finished run of the schedule against the key it fired with', async () => {
    const store = await withSchedule('nightly');
    const decided: string[][] = [];
    const firing = new ScheduleFiring(
      scheduleRepository(store),
      pino({ level: 'silent' }),
      () => new Date(firstFire),
      { decided: (events) => void decided.push(events.map((event) => event.type)) },
    );
    await firing.fireTimers([{ scheduleId: 'nightly', nominalTime: firstFire }]);

    await firing.recordRunFinished({
      scheduleId: 'nightly',
      idempotencyKey: `nightly:${firstFire}`,
      runId: 'run-a',
      outcome: 'completed',
    });

    const last = (await store.readStream(scheduleStreamName('nightly'))).at(-1)!;
    expect(last.type).toBe('ScheduledRunFinished');
    expect(last.data).toMatchObject({ idempotencyKey: `nightly:${firstFire}`, outcome: 'completed' });
    expect(decided.at(-1)).toEqual(['ScheduledRunFinished']);
  });

  it('a timer of a missing schedule, or one that goes off early, writes nothing and arms nothing', async () => {
    const store = await withSchedule('early');
    const decided: unknown[] = [];
    const armed: ScheduleTimer[] = [];
    const firing = new ScheduleFiring(
      scheduleRepository(store),
      pino({ level: 'silent' }),
      () => new Date('2026-03-01T10:59:59.000Z'),
      { decided: (events) => void decided.push(events) },
      async (writes) => void armed.push(...writes.upserts),
    );
    const before = store.events.length;

    await firing.fireTimers([{ scheduleId: 'missing', nominalTime: firstFire }]);
    await firing.fireTimers([{ scheduleId: 'early', nominalTime: firstFire }]);

    expect(store.events).toHaveLength(before);
    expect(await typesOf(store, 'early')).toEqual(['ScheduleCreated', 'ScheduleTimerSet']);
    expect(decided).toEqual([]);
    expect(armed).toEqual([]);
  });
});
