import { deciderSpecification, runCommands } from '../testing';
import { type ScheduleCommand } from './commands';
import { type ScheduleEvent } from './events';
import { type OverlapPolicy, previewFireTimes, type ScheduleDefinition } from './schedule-definition';
import { scheduleDecider } from './schedule-decider';

const spec = deciderSpecification(scheduleDecider);
const workflow = { name: 'report', version: 1 };
const daily0230Berlin: ScheduleDefinition = {
  spec: { kind: 'cron', expression: '30 2 * * *', timezone: 'Europe/Berlin' },
  workflow,
  input: { kind: 'daily' },
};

const command = (type: ScheduleCommand['type'], data: object, now: string) =>
  ({ type, data, metadata: { now } }) as ScheduleCommand;
const create = (schedule: ScheduleDefinition, now: string, scheduleId = 'nightly') =>
  command('CreateSchedule', { scheduleId, schedule }, now);
const fire = (nominalTime: string, now = nominalTime) => command('FireScheduleTimer', { nominalTime }, now);
const finished = (idempotencyKey: string, now: string) =>
  command('RecordScheduledRunFinished', { idempotencyKey }, now);

const fired = (events: ScheduleEvent[]) =>
  events.flatMap((e) => (e.type === 'ScheduleFired' ? [e.data.idempotencyKey] : []));
const kinds = (events: ScheduleEvent[]) => events.map((e) => e.type);

describe('schedule decider', () => {
  it('given nothing, when a cron schedule is created, then its first timer is armed', async () => {
    await spec
      .given([])
      .when(create(daily0230Berlin, '2026-01-10T12:00:00.000Z'))
      .then([
        {
          type: 'ScheduleCreated',
          data: { scheduleId: 'nightly', schedule: daily0230Berlin, createdAt: '2026-01-10T12:00:00.000Z' },
        },
        {
          type: 'ScheduleTimerSet',
          data: { nominalTime: '2026-01-11T01:30:00.000Z', fireAt: '2026-01-11T01:30:00.000Z' },
        },
      ]);
  });

  it('fires once per due time with the key <scheduleId>:<nominal time>, and re-arms; duplicate and early firings do nothing', async () => {
    const { events: given } = await runCommands(scheduleDecider, [
      create(daily0230Berlin, '2026-01-10T12:00:00.000Z'),
    ]);
    const firing = spec.given(given).when(fire('2026-01-11T01:30:00.000Z', '2026-01-11T01:30:00.200Z'));
    await firing.then([
      {
        type: 'ScheduleFired',
        data: {
          nominalTime: '2026-01-11T01:30:00.000Z',
          idempotencyKey: 'nightly:2026-01-11T01:30:00.000Z',
          workflow,
          input: { kind: 'daily' },
          trigger: 'calendar',
          firedAt: '2026-01-11T01:30:00.200Z',
        },
      },
      {
        type: 'ScheduleTimerSet',
        data: { nominalTime: '2026-01-12T01:30:00.000Z', fireAt: '2026-01-12T01:30:00.000Z' },
      },
    ]);
    const after = [...given, ...(await firing.events())];
    await spec.given(after).when(fire('2026-01-11T01:30:00.000Z', '2026-01-11T01:30:01.000Z')).thenNothing();
    await spec.given(after).when(fire('2026-01-12T01:30:00.000Z', '2026-01-12T01:29:59.000Z')).thenNothing();
  });

  describe('daylight saving time, 02:30 daily in Europe/Berlin', () => {
    it('spring forward (2026-03-29, 02:00 → 03:00): the nonexistent 02:30 fires once, at 03:00 CEST', () => {
      expect(previewFireTimes(daily0230Berlin, '2026-03-27T12:00:00.000Z', 4)).toEqual([
        '2026-03-28T01:30:00.000Z', // 02:30 CET
        '2026-03-29T01:00:00.000Z', // 03:00 CEST
        '2026-03-30T00:30:00.000Z', // 02:30 CEST
        '2026-03-31T00:30:00.000Z',
      ]);
    });

    it('fall back (2026-10-25, 03:00 → 02:00): the repeated 02:30 fires once, at its first occurrence (CEST)', () => {
      expect(previewFireTimes(daily0230Berlin, '2026-10-23T12:00:00.000Z', 3)).toEqual([
        '2026-10-24T00:30:00.000Z', // 02:30 CEST
        '2026-10-25T00:30:00.000Z', // 02:30 CEST; 02:30 CET (01:30Z) does not fire
        '2026-10-26T01:30:00.000Z', // 02:30 CET
      ]);
    });

    it('the decider follows the same calendar across both changes, one run per day', async () => {
      const commands: ScheduleCommand[] = [create(daily0230Berlin, '2026-03-28T12:00:00.000Z')];
      const { events, state } = await runCommands(scheduleDecider, commands);
      let all = events;
      let current = state;
      const keys: string[] = [];
      for (let day = 0; day < 3; day++) {
        const timer = current.status !== 'none' ? current.timer! : undefined;
        const result = await runCommands(scheduleDecider, [fire(timer!.nominalTime)], all);
        keys.push(...fired(result.events));
        const done = await runCommands(
          scheduleDecider,
          fired(result.events).map((key) => finished(key, timer!.nominalTime)),
          [...all, ...result.events],
        );
        all = [...all, ...result.events, ...done.events];
        current = done.state;
      }
      expect(keys).toEqual([
        'nightly:2026-03-29T01:00:00.000Z',
        'nightly:2026-03-30T00:30:00.000Z',
        'nightly:2026-03-31T00:30:00.000Z',
      ]);
    });
  });

  it('supports a seconds field, intervals and one-time schedules', () => {
    expect(
      previewFireTimes(
        { spec: { kind: 'cron', expression: '*/15 * * * * *' }, workflow },
        '2026-01-01T00:00:07.000Z',
        3,
      ),
    ).toEqual(['2026-01-01T00:00:15.000Z', '2026-01-01T00:00:30.000Z', '2026-01-01T00:00:45.000Z']);
    expect(
      previewFireTimes(
        { spec: { kind: 'interval', every: '90m', anchor: '2026-01-01T00:00:00.000Z' }, workflow },
        '2026-01-01T02:00:00.000Z',
        2,
      ),
    ).toEqual(['2026-01-01T03:00:00.000Z', '2026-01-01T04:30:00.000Z']);
    expect(
      previewFireTimes(
        { spec: { kind: 'once', at: '2026-02-01T09:00:00.000Z' }, workflow },
        '2026-01-01T00:00:00.000Z',
        5,
      ),
    ).toEqual(['2026-02-01T09:00:00.000Z']);
    expect(
      previewFireTimes(
        { spec: { kind: 'interval', every: '1h' }, workflow, endAt: '2026-01-01T03:00:00.000Z' },
        '2026-01-01T00:00:00.000Z',
        9,
      ),
    ).toEqual(['2026-01-01T01:00:00.000Z', '2026-01-01T02:00:00.000Z', '2026-01-01T03:00:00.000Z']);
  });

  it('a one-time schedule is exhausted after its fire', async () => {
    const once: ScheduleDefinition = { spec: { kind: 'once', at: '2026-02-01T09:00:00.000Z' }, workflow };
    const { events } = await runCommands(scheduleDecider, [
      create(once, '2026-01-01T00:00:00.000Z'),
      fire('2026-02-01T09:00:00.000Z'),
    ]);
    expect(kinds(events)).toEqual([
      'ScheduleCreated',
      'ScheduleTimerSet',
      'ScheduleFired',
      'ScheduleExhausted',
    ]);
  });

  it('jitter delays the fire by a deterministic amount below the jitter, without moving its key', async () => {
    const jittery: ScheduleDefinition = {
      spec: { kind: 'interval', every: '1h', anchor: '2026-01-01T00:00:00.000Z' },
      workflow,
      jitter: '5m',
    };
    const { events } = await runCommands(scheduleDecider, [create(jittery, '2026-01-01T00:30:00.000Z')]);
    const timer = events[1]!;
    expect(timer.type).toBe('ScheduleTimerSet');
    if (timer.type !== 'ScheduleTimerSet') return;
    const delay = Date.parse(timer.data.fireAt) - Date.parse(timer.data.nominalTime);
    expect(delay).toBeGreaterThanOrEqual(0);
    expect(delay).toBeLessThan(300_000);
    expect(
      (await runCommands(scheduleDecider, [create(jittery, '2026-01-01T00:30:00.000Z')])).events,
    ).toEqual(events);
    const { events: fires } = await runCommands(
      scheduleDecider,
      [fire(timer.data.nominalTime, timer.data.fireAt)],
      events,
    );
    expect(fired(fires)).toEqual(['nightly:2026-01-01T01:00:00.000Z']);
  });

  describe('overlap policies (a run of the schedule is still running when the next fire is due)', () => {
    const hourly = (overlap: OverlapPolicy): ScheduleDefinition => ({
      spec: { kind: 'cron', expression: '0 * * * *' },
      workflow,
      overlap,
    });
    const scenario = async (overlap: OverlapPolicy) => {
      const { events } = await runCommands(scheduleDecider, [
        create(hourly(overlap), '2026-01-01T00:30:00.000Z'),
        fire('2026-01-01T01:00:00.000Z'),
        fire('2026-01-01T02:00:00.000Z'),
        fire('2026-01-01T03:00:00.000Z'),
        finished('nightly:2026-01-01T01:00:00.000Z', '2026-01-01T03:10:00.000Z'),
      ]);
      return events
        .filter((e) => e.type !== 'ScheduleCreated' && e.type !== 'ScheduleTimerSet')
        .map(
          (e) =>
            `${e.type}${'nominalTime' in e.data ? ` ${e.data.nominalTime.slice(11, 13)}h` : ''}${'mode' in e.data ? ` ${e.data.mode}` : ''}`,
        );
    };

    it.each<[OverlapPolicy, string[]]>([
      [
        'SKIP',
        ['ScheduleFired 01h', 'ScheduleFireSkipped 02h', 'ScheduleFireSkipped 03h', 'ScheduledRunFinished'],
      ],
      [
        'BUFFER_ONE',
        [
          'ScheduleFired 01h',
          'ScheduleFireBuffered 02h',
          'ScheduleFireSkipped 03h',
          'ScheduledRunFinished',
          'ScheduleFired 02h',
        ],
      ],
      [
        'BUFFER_ALL',
        [
          'ScheduleFired 01h',
          'ScheduleFireBuffered 02h',
          'ScheduleFireBuffered 03h',
          'ScheduledRunFinished',
          'ScheduleFired 02h',
        ],
      ],
      [
        'CANCEL_OTHER',
        [
          'ScheduleFired 01h',
          'ScheduledRunStopRequested cancel',
          'ScheduleFireBuffered 02h',
          'ScheduleFireSkipped 03h',
          'ScheduledRunFinished',
          'ScheduleFired 02h',
        ],
      ],
      [
        'TERMINATE_OTHER',
        [
          'ScheduleFired 01h',
          'ScheduledRunStopRequested terminate',
          'ScheduleFired 02h',
          'ScheduledRunStopRequested terminate',
          'ScheduleFired 03h',
          'ScheduledRunFinished',
        ],
      ],
      ['ALLOW_ALL', ['ScheduleFired 01h', 'ScheduleFired 02h', 'ScheduleFired 03h', 'ScheduledRunFinished']],
    ])('%s', async (overlap, expected) => {
      expect(await scenario(overlap)).toEqual(expected);
    });

    it('BUFFER_ALL starts the buffered fires one after another as runs finish', async () => {
      const { events } = await runCommands(scheduleDecider, [
        create(hourly('BUFFER_ALL'), '2026-01-01T00:30:00.000Z'),
        fire('2026-01-01T01:00:00.000Z'),
        fire('2026-01-01T02:00:00.000Z'),
        fire('2026-01-01T03:00:00.000Z'),
        finished('nightly:2026-01-01T01:00:00.000Z', '2026-01-01T03:10:00.000Z'),
        finished('nightly:2026-01-01T02:00:00.000Z', '2026-01-01T03:20:00.000Z'),
        finished('nightly:2026-01-01T02:00:00.000Z', '2026-01-01T03:21:00.000Z'),
      ]);
      expect(fired(events)).toEqual([
        'nightly:2026-01-01T01:00:00.000Z',
        'nightly:2026-01-01T02:00:00.000Z',
        'nightly:2026-01-01T03:00:00.000Z',
      ]);
    });
  });

  it('catches up fires missed while down within the window, reports older ones missed, and re-arms after now', async () => {
    const hourly: ScheduleDefinition = {
      spec: { kind: 'cron', expression: '0 * * * *' },
      workflow,
      overlap: 'ALLOW_ALL',
      catchupWindow: '2h',
    };
    const { events } = await runCommands(scheduleDecider, [
      create(hourly, '2026-01-01T00:30:00.000Z'),
      fire('2026-01-01T01:00:00.000Z', '2026-01-01T04:30:00.000Z'),
    ]);
    expect(events.slice(2)).toEqual([
      {
        type: 'ScheduleFiresMissed',
        data: {
          from: '2026-01-01T01:00:00.000Z',
          before: '2026-01-01T02:30:00.000Z',
          at: '2026-01-01T04:30:00.000Z',
        },
      },
      expect.objectContaining({
        type: 'ScheduleFired',
        data: expect.objectContaining({
          idempotencyKey: 'nightly:2026-01-01T03:00:00.000Z',
          trigger: 'catch-up',
        }),
      }),
      expect.objectContaining({
        type: 'ScheduleFired',
        data: expect.objectContaining({
          idempotencyKey: 'nightly:2026-01-01T04:00:00.000Z',
          trigger: 'catch-up',
        }),
      }),
      {
        type: 'ScheduleTimerSet',
        data: { nominalTime: '2026-01-01T05:00:00.000Z', fireAt: '2026-01-01T05:00:00.000Z' },
      },
    ]);
  });

  it('pauses (timer ignored), triggers now while paused, and resumes from now without catching up the pause', async () => {
    const hourly: ScheduleDefinition = {
      spec: { kind: 'cron', expression: '0 * * * *' },
      workflow,
      catchupWindow: '1d',
    };
    const { events } = await runCommands(scheduleDecider, [
      create(hourly, '2026-01-01T00:30:00.000Z'),
      command('PauseSchedule', { reason: 'maintenance' }, '2026-01-01T00:40:00.000Z'),
      command('PauseSchedule', {}, '2026-01-01T00:41:00.000Z'),
      fire('2026-01-01T01:00:00.000Z'),
      command('TriggerSchedule', {}, '2026-01-01T01:15:00.000Z'),
      command('ResumeSchedule', {}, '2026-01-01T03:20:00.000Z'),
    ]);
    expect(kinds(events)).toEqual([
      'ScheduleCreated',
      'ScheduleTimerSet',
      'SchedulePaused',
      'ScheduleFired',
      'ScheduleResumed',
      'ScheduleTimerSet',
    ]);
    expect(fired(events)).toEqual(['nightly:2026-01-01T01:15:00.000Z']);
    expect(events.at(-1)).toEqual({
      type: 'ScheduleTimerSet',
      data: { nominalTime: '2026-01-01T04:00:00.000Z', fireAt: '2026-01-01T04:00:00.000Z' },
    });
  });

  it('an update re-arms the timer from the new calendar', async () => {
    const { events } = await runCommands(scheduleDecider, [
      create(daily0230Berlin, '2026-01-10T12:00:00.000Z'),
      command(
        'UpdateSchedule',
        {
          schedule: {
            ...daily0230Berlin,
            spec: { kind: 'cron', expression: '0 18 * * *', timezone: 'America/New_York' },
          },
        },
        '2026-01-10T13:00:00.000Z',
      ),
    ]);
    expect(events.at(-1)).toEqual({
      type: 'ScheduleTimerSet',
      data: { nominalTime: '2026-01-10T23:00:00.000Z', fireAt: '2026-01-10T23:00:00.000Z' },
    });
  });

  it('rejects a bad cron expression or time zone with their paths', async () => {
    const bad: ScheduleDefinition = {
      spec: { kind: 'cron', expression: '61 * * * *', timezone: 'Mars/Olympus' },
      workflow,
    };
    const attempt = spec.given([]).when(create(bad, '2026-01-01T00:00:00.000Z'));
    await attempt.thenThrows('VALIDATION_FAILED');
    await expect(attempt.events()).rejects.toMatchObject({
      problems: [
        { path: '$.spec.timezone', message: 'unknown IANA time zone "Mars/Olympus"' },
        { path: '$.spec.expression', message: expect.stringContaining('minute') },
      ],
    });
  });

  it('a deleted schedule does not fire and refuses commands', async () => {
    const { events } = await runCommands(scheduleDecider, [
      create(daily0230Berlin, '2026-01-10T12:00:00.000Z'),
      command('DeleteSchedule', {}, '2026-01-10T13:00:00.000Z'),
    ]);
    await spec.given(events).when(fire('2026-01-11T01:30:00.000Z')).thenNothing();
    await spec
      .given(events)
      .when(command('DeleteSchedule', {}, '2026-01-10T14:00:00.000Z'))
      .thenNothing();
    await spec
      .given(events)
      .when(command('TriggerSchedule', {}, '2026-01-10T14:00:00.000Z'))
      .thenThrows('ILLEGAL_STATE', 'SCHEDULE_DELETED');
  });

  describe('backfill over a time range', () => {
    const hourly: ScheduleDefinition = {
      spec: { kind: 'cron', expression: '0 * * * *' },
      workflow,
      overlap: 'SKIP',
    };
    const created = () => runCommands(scheduleDecider, [create(hourly, '2026-01-01T00:30:00.000Z')]);
    const backfill = (data: object, now = '2026-01-01T06:00:00.000Z') =>
      command('BackfillSchedule', data, now);

    it('fires every nominal time in [from, to) under its own overlap policy, with the calendar keys', async () => {
      const { events: given } = await created();
      const events = await spec
        .given(given)
        .when(
          backfill({
            from: '2025-12-31T22:00:00.000Z',
            to: '2026-01-01T01:00:00.000Z',
            overlap: 'ALLOW_ALL',
          }),
        )
        .events();
      expect(kinds(events)).toEqual([
        'ScheduleBackfillRequested',
        'ScheduleFired',
        'ScheduleFired',
        'ScheduleFired',
      ]);
      expect(events[0]!.data).toMatchObject({ fires: 3 });
      expect(fired(events)).toEqual([
        'nightly:2025-12-31T22:00:00.000Z',
        'nightly:2025-12-31T23:00:00.000Z',
        'nightly:2026-01-01T00:00:00.000Z',
      ]);
      expect(events.every((e) => e.type !== 'ScheduleFired' || e.data.trigger === 'backfill')).toBe(true);
    });

    it("without an overlap override it follows the schedule's policy (SKIP: the first starts, the rest skip)", async () => {
      const { events: given } = await created();
      const events = await spec
        .given(given)
        .when(backfill({ from: '2026-01-01T01:00:00.000Z', to: '2026-01-01T03:30:00.000Z' }))
        .events();
      expect(kinds(events)).toEqual([
        'ScheduleBackfillRequested',
        'ScheduleFired',
        'ScheduleFireSkipped',
        'ScheduleFireSkipped',
      ]);
    });

    it('rejects future, reversed and oversized ranges with their paths', async () => {
      const { events: given } = await created();
      await expect(
        spec
          .given(given)
          .when(backfill({ from: '2026-01-01T05:00:00.000Z', to: '2026-01-01T07:00:00.000Z' }))
          .events(),
      ).rejects.toMatchObject({ problems: [{ path: '$.to', message: expect.stringContaining('future') }] });
      await expect(
        spec
          .given(given)
          .when(backfill({ from: '2026-01-01T05:00:00.000Z', to: '2026-01-01T04:00:00.000Z' }))
          .events(),
      ).rejects.toMatchObject({ problems: [{ path: '$.to', message: 'must be after from' }] });
      await expect(
        spec
          .given(given)
          .when(backfill({ from: '2025-01-01T00:00:00.000Z', to: '2026-01-01T04:00:00.000Z' }))
          .events(),
      ).rejects.toMatchObject({ problems: [{ path: '$.to', message: expect.stringContaining('1000') }] });
    });
  });

  it("records a finished run's outcome and run id, once, and a key fired twice is tracked once", async () => {
    const { events: given } = await runCommands(scheduleDecider, [
      create(daily0230Berlin, '2026-01-10T12:00:00.000Z'),
      fire('2026-01-11T01:30:00.000Z'),
      command(
        'BackfillSchedule',
        { from: '2026-01-11T01:30:00.000Z', to: '2026-01-11T01:30:01.000Z', overlap: 'ALLOW_ALL' },
        '2026-01-11T02:00:00.000Z',
      ),
    ]);
    const done = command(
      'RecordScheduledRunFinished',
      { idempotencyKey: 'nightly:2026-01-11T01:30:00.000Z', runId: 'r-1', outcome: 'failed' },
      '2026-01-11T02:10:00.000Z',
    );
    await spec
      .given(given)
      .when(done)
      .then([
        {
          type: 'ScheduledRunFinished',
          data: {
            idempotencyKey: 'nightly:2026-01-11T01:30:00.000Z',
            runId: 'r-1',
            outcome: 'failed',
            at: '2026-01-11T02:10:00.000Z',
          },
        },
      ]);
    const { events } = await runCommands(scheduleDecider, [done], given);
    await spec
      .given([...given, ...events])
      .when(done)
      .thenNothing();
  });
});
