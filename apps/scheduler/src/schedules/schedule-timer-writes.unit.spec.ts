import { ScheduleTimerWrites } from './schedule-timer-writes';

const timer = (scheduleId: string, revision: bigint) => ({
  scheduleId,
  nominalTime: `2026-12-01T00:00:0${revision}Z`,
  fireAt: new Date(`2026-12-01T00:00:0${revision}Z`),
  revision,
});

describe('ScheduleTimerWrites', () => {
  it('keeps the newest change per schedule by revision, whatever the order it heard them in', () => {
    const writes = new ScheduleTimerWrites();
    writes.upsert(timer('a', 1n));
    writes.remove('a', 3n);
    writes.upsert(timer('a', 2n)); // older than the removal: dropped
    writes.upsert(timer('b', 4n));
    writes.upsert(timer('b', 6n));
    writes.remove('b', 5n); // older than the arm at 6
    expect(writes.removals).toEqual([{ scheduleId: 'a', revision: 3n }]);
    expect(writes.upserts).toEqual([timer('b', 6n)]);
    expect(writes.empty).toBe(false);
  });

  it('is empty until told of a change', () => {
    expect(new ScheduleTimerWrites().empty).toBe(true);
  });
});
