import {
  concurrencyStreamName,
  runIdOfStream,
  runStreamName,
  scheduleStreamName,
  snapshotStreamName,
} from '.';

describe('stream names', () => {
  it('name each kind of stream by its prefix', () => {
    expect(runStreamName('r1')).toBe('run-r1');
    expect(scheduleStreamName('s1')).toBe('schedule-s1');
    expect(concurrencyStreamName('run:w:k')).toBe('concurrency-run:w:k');
    expect(snapshotStreamName(scheduleStreamName('s1'))).toBe('snapshot-schedule-s1');
  });

  it('give back the run of a run stream, and nothing for other streams', () => {
    expect(runIdOfStream(runStreamName('r-1'))).toBe('r-1');
    expect(runIdOfStream(scheduleStreamName('r-1'))).toBeUndefined();
    expect(runIdOfStream(snapshotStreamName(runStreamName('r-1')))).toBeUndefined();
  });
});
