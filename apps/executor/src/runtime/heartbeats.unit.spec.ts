import { HeartbeatThrottle } from './heartbeats';

describe('HeartbeatThrottle', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('sends the first beat at once, then at most one per interval with the latest progress', () => {
    const sent: unknown[] = [];
    const throttle = new HeartbeatThrottle((progress) => sent.push(progress), 1000, undefined, Date.now);
    throttle.beat(1);
    throttle.beat(2);
    throttle.beat(3);
    expect(sent).toEqual([1]);
    jest.advanceTimersByTime(1000);
    expect(sent).toEqual([1, 3]);
    jest.advanceTimersByTime(5000);
    expect(sent).toEqual([1, 3]);
    throttle.stop();
  });

  it('beats on its own when asked to, and never after stop', () => {
    const sent: unknown[] = [];
    const throttle = new HeartbeatThrottle((progress) => sent.push(progress), 500, 1000, Date.now);
    jest.advanceTimersByTime(3000);
    expect(sent).toHaveLength(3);
    throttle.beat('late');
    throttle.stop();
    jest.advanceTimersByTime(5000);
    expect(sent).toHaveLength(3);
  });
});
