import { type ScheduleEvent } from './events';
import { type Schedule, type ScheduleState } from './state';

export const evolveSchedule = (state: ScheduleState, event: ScheduleEvent): ScheduleState => {
  if (event.type === 'ScheduleCreated') {
    return {
      status: 'active',
      scheduleId: event.data.scheduleId,
      schedule: event.data.schedule,
      createdAt: event.data.createdAt,
      running: [],
      stopRequested: [],
      buffered: [],
    };
  }
  if (state.status === 'none') return state;
  const schedule: Schedule = state;
  switch (event.type) {
    case 'ScheduleUpdated':
      return { ...schedule, schedule: event.data.schedule };
    case 'SchedulePaused': {
      const { timer: _timer, ...rest } = schedule;
      return { ...rest, status: 'paused' };
    }
    case 'ScheduleResumed':
      return { ...schedule, status: 'active' };
    case 'ScheduleDeleted': {
      const { timer: _timer, ...rest } = schedule;
      return { ...rest, status: 'deleted', buffered: [] };
    }
    case 'ScheduleTimerSet':
      return { ...schedule, timer: { nominalTime: event.data.nominalTime, fireAt: event.data.fireAt } };
    case 'ScheduleExhausted': {
      const { timer: _timer, ...rest } = schedule;
      return rest;
    }
    case 'ScheduleFired':
      return {
        ...schedule,
        running: schedule.running.includes(event.data.idempotencyKey)
          ? schedule.running
          : [...schedule.running, event.data.idempotencyKey],
        buffered: event.data.trigger === 'buffered' ? schedule.buffered.slice(1) : schedule.buffered,
        lastFired: event.data.nominalTime,
      };
    case 'ScheduleFireSkipped':
    case 'ScheduleFiresMissed':
    case 'ScheduleBackfillRequested':
      return schedule;
    case 'ScheduleFireBuffered':
      return {
        ...schedule,
        buffered: [
          ...schedule.buffered,
          { nominalTime: event.data.nominalTime, trigger: event.data.trigger },
        ],
      };
    case 'ScheduledRunStopRequested':
      return { ...schedule, stopRequested: [...schedule.stopRequested, event.data.idempotencyKey] };
    case 'ScheduledRunFinished':
      return {
        ...schedule,
        running: schedule.running.filter((key) => key !== event.data.idempotencyKey),
        stopRequested: schedule.stopRequested.filter((key) => key !== event.data.idempotencyKey),
      };
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
};
