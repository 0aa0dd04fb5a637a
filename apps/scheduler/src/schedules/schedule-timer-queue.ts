import { type TimerQueue } from '../timers';
import { type ScheduleFiring } from './schedule-firing';
import { type ScheduleTimer, type ScheduleTimerStore } from './schedule-timer-store';

/** At most this many schedules are decided at once (each is its own stream). */
const PARALLEL_FIRES = 16;

/** Schedule timers fire by deciding FireScheduleTimer on the schedule directly (the leader does it). */
export const scheduleTimerQueue = (
  store: ScheduleTimerStore,
  firing: ScheduleFiring,
): TimerQueue<ScheduleTimer> => ({
  due: (now, limit) => store.due(now, limit),
  fire: async (timers) => {
    for (let index = 0; index < timers.length; index += PARALLEL_FIRES)
      await Promise.all(timers.slice(index, index + PARALLEL_FIRES).map((timer) => firing.fireTimer(timer)));
  },
  removeFired: (timers) => store.removeFired(timers),
  nextFireAt: () => store.nextFireAt(),
});
