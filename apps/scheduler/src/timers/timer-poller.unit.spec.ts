import pino from 'pino';
import { type KafkaMessaging } from '@spark/messaging';
import { runTimerQueue } from './run-timer-queue';
import { TimerPoller } from './timer-poller';
import { type StoredTimer, type TimerStore } from './timer-store';

describe('TimerPoller', () => {
  // Fake timers (and Date): the test reads the poller's schedule, not the machine's speed.
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('fires a timer stored while it was looking at the table at its due time (not a full recheck later)', async () => {
    const timers: StoredTimer[] = [];
    const ref: { poller?: TimerPoller } = {};
    const store = {
      due: async (now: Date) => timers.filter((timer) => timer.fireAt <= now),
      removeFired: async (fired: StoredTimer[]) => {
        for (const timer of fired) timers.splice(timers.indexOf(timer), 1);
      },
      nextFireAt: async () => {
        const next = timers.map((timer) => timer.fireAt).sort((a, b) => a.getTime() - b.getTime())[0];
        // The relay stores a timer (and nudges) after this query has read the table.
        if (timers.length === 0 && !storedDuringQuery) {
          storedDuringQuery = true;
          const fireAt = new Date(Date.now() + 20);
          timers.push({ runId: 'r1', timerId: 't1', fireAt });
          ref.poller!.nudge(fireAt);
        }
        return next;
      },
    } as unknown as TimerStore;
    let storedDuringQuery = false;
    const fired: { at: number }[] = [];
    const messaging = {
      publish: async (_topic: string, messages: unknown[]) =>
        void fired.push(...messages.map(() => ({ at: Date.now() }))),
    } as unknown as KafkaMessaging;
    const poller = new TimerPoller(runTimerQueue(store, messaging), pino({ level: 'silent' }));
    ref.poller = poller;
    const started = Date.now();
    poller.start();
    // Without remembering the nudge it would sleep the full idle recheck (1 s) before firing.
    await jest.advanceTimersByTimeAsync(19);
    expect(fired).toHaveLength(0);
    await jest.advanceTimersByTimeAsync(1);
    expect(fired).toEqual([{ at: started + 20 }]);
    const stopped = poller.stop();
    await jest.advanceTimersByTimeAsync(0);
    await stopped;
  });
});
