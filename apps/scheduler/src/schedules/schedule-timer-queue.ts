import { type TimerQueue } from '../timers';
import { type ScheduleFiring } from './schedule-firing';
import { type ScheduleTimer, type ScheduleTimerStore } from './schedule-timer-store';

/** Schedule timers fire by deciding FireScheduleTimer on the schedules directly (the leader does it), all due at once in one batch. */
export const scheduleTimerQueue = (
  store: ScheduleTimerStore,
  firing: ScheduleFiring,
): TimerQueue<ScheduleTimer> => ({
  due: (now, limit) => store.due(now, limit),
  fire: (timers) => firing.fireTimers(timers),
  removeFired: (timers) => store.removeFired(timers),
  nextFireAt: () => store.nextFireAt(),
});
