import { IllegalStateError, ValidationError, type ValidationProblem } from '../errors';
import { unitInterval } from '../shared';
import { addMillis, type Instant, isInstant, parseDuration, toMillis } from '../time';
import { type ScheduleCommand } from './commands';
import { type FireTrigger, type ScheduleEvent } from './events';
import { evolveSchedule } from './evolve';
import {
  DEFAULT_CATCHUP_WINDOW_MS,
  nextFireAfter,
  OVERLAP_POLICIES,
  type OverlapPolicy,
  type ScheduleDefinition,
  validateScheduleDefinition,
} from './schedule-definition';
import { type Schedule, type ScheduleState } from './state';

/** Most fires started in one decision when catching up; older ones in the window count as missed. */
const MAX_CATCH_UP_FIRES = 1_000;

export const scheduleIdempotencyKey = (scheduleId: string, nominalTime: Instant): string =>
  `${scheduleId}:${nominalTime}`;

class Decision {
  readonly events: ScheduleEvent[] = [];

  constructor(
    public schedule: Schedule,
    readonly now: Instant,
  ) {}

  emit(...events: ScheduleEvent[]): void {
    for (const event of events) {
      this.events.push(event);
      this.schedule = evolveSchedule(this.schedule, event) as Schedule;
    }
  }
}

const assertValid = (schedule: ScheduleDefinition): void => {
  const problems = validateScheduleDefinition(schedule);
  if (problems.length > 0) throw new ValidationError(problems, 'Invalid schedule');
};

const existing = (state: ScheduleState): Schedule => {
  if (state.status === 'none')
    throw new IllegalStateError('the schedule does not exist', 'SCHEDULE_NOT_FOUND');
  if (state.status === 'deleted')
    throw new IllegalStateError(`schedule ${state.scheduleId} was deleted`, 'SCHEDULE_DELETED');
  return state;
};

/**
 * The schedule decider (`schedule-<id>` stream). Synchronous: no expressions here.
 * Fires are identified by their nominal time; the timer for the next one is always an event, so a scheduler
 * instance that takes the schedule over re-arms it from the stream.
 */
export const decideSchedule = (command: ScheduleCommand, state: ScheduleState): ScheduleEvent[] => {
  const now = command.metadata.now;
  switch (command.type) {
    case 'CreateSchedule': {
      if (state.status !== 'none') {
        if (
          state.scheduleId === command.data.scheduleId &&
          JSON.stringify(state.schedule) === JSON.stringify(command.data.schedule)
        )
          return [];
        throw new IllegalStateError(`schedule ${state.scheduleId} already exists`, 'SCHEDULE_EXISTS');
      }
      assertValid(command.data.schedule);
      const created: ScheduleEvent = {
        type: 'ScheduleCreated',
        data: { scheduleId: command.data.scheduleId, schedule: command.data.schedule, createdAt: now },
      };
      const d = new Decision(evolveSchedule(state, created) as Schedule, now);
      d.events.push(created);
      if (command.data.paused) d.emit({ type: 'SchedulePaused', data: { pausedAt: now } });
      else armNext(d, now);
      return d.events;
    }
    case 'UpdateSchedule': {
      const schedule = existing(state);
      assertValid(command.data.schedule);
      const d = new Decision(schedule, now);
      d.emit({ type: 'ScheduleUpdated', data: { schedule: command.data.schedule, updatedAt: now } });
      if (d.schedule.status === 'active') armNext(d, now);
      return d.events;
    }
    case 'PauseSchedule': {
      const schedule = existing(state);
      if (schedule.status === 'paused') return [];
      return [
        {
          type: 'SchedulePaused',
          data: {
            ...(command.data.reason === undefined ? {} : { reason: command.data.reason }),
            pausedAt: now,
          },
        },
      ];
    }
    case 'ResumeSchedule': {
      const schedule = existing(state);
      if (schedule.status === 'active') return [];
      // Fires that fell in the pause are not caught up: resuming starts from now.
      const d = new Decision(schedule, now);
      d.emit({ type: 'ScheduleResumed', data: { resumedAt: now } });
      armNext(d, now);
      return d.events;
    }
    case 'TriggerSchedule': {
      const d = new Decision(existing(state), now);
      fire(d, now, 'manual');
      return d.events;
    }
    case 'DeleteSchedule':
      if (state.status === 'deleted') return [];
      existing(state);
      return [{ type: 'ScheduleDeleted', data: { deletedAt: now } }];
    case 'FireScheduleTimer':
      return fireTimer(state, command.data.nominalTime, now);
    case 'BackfillSchedule':
      return backfill(existing(state), command.data, now);
    case 'RecordScheduledRunFinished': {
      if (state.status === 'none' || !state.running.includes(command.data.idempotencyKey)) return [];
      const d = new Decision(state, now);
      const { idempotencyKey, runId, outcome } = command.data;
      d.emit({
        type: 'ScheduledRunFinished',
        data: {
          idempotencyKey,
          ...(runId === undefined ? {} : { runId }),
          ...(outcome === undefined ? {} : { outcome }),
          at: now,
        },
      });
      const next = d.schedule.buffered[0];
      if (next && d.schedule.status !== 'deleted' && d.schedule.running.length === 0)
        start(d, next.nominalTime, 'buffered');
      return d.events;
    }
    default: {
      const _exhaustive: never = command;
      return _exhaustive;
    }
  }
};

const jitterMs = (schedule: Schedule, nominalTime: Instant): number =>
  schedule.schedule.jitter === undefined
    ? 0
    : Math.floor(unitInterval(schedule.scheduleId, nominalTime) * parseDuration(schedule.schedule.jitter));

const armNext = (d: Decision, after: Instant): void => {
  const nominalTime = nextFireAfter(d.schedule.schedule, after, d.schedule.createdAt);
  if (nominalTime === undefined) return d.emit({ type: 'ScheduleExhausted', data: { at: d.now } });
  d.emit({
    type: 'ScheduleTimerSet',
    data: { nominalTime, fireAt: addMillis(nominalTime, jitterMs(d.schedule, nominalTime)) },
  });
};

/**
 * The timer for `nominalTime` went off at `now`. Everything due up to now is handled in order: fires within the
 * catch-up window happen (subject to the overlap policy), older ones are reported missed, and the timer moves
 * to the first fire after now. A stale, duplicate or early firing does nothing.
 */
const fireTimer = (state: ScheduleState, nominalTime: Instant, now: Instant): ScheduleEvent[] => {
  if (
    state.status !== 'active' ||
    state.timer?.nominalTime !== nominalTime ||
    toMillis(now) < toMillis(state.timer.fireAt)
  )
    return [];
  const d = new Decision(state, now);
  const windowMs =
    d.schedule.schedule.catchupWindow === undefined
      ? DEFAULT_CATCHUP_WINDOW_MS
      : parseDuration(d.schedule.schedule.catchupWindow);
  // Lateness is counted from the jittered fire time, so jitter alone never makes a fire "missed".
  const maxJitterMs =
    d.schedule.schedule.jitter === undefined ? 0 : parseDuration(d.schedule.schedule.jitter);
  const windowStart = addMillis(now, -(windowMs + maxJitterMs));
  let due: Instant | undefined = nominalTime;
  if (toMillis(due) < toMillis(windowStart)) {
    const firstInWindow = nextFireAfter(
      d.schedule.schedule,
      addMillis(windowStart, -1),
      d.schedule.createdAt,
    );
    d.emit({ type: 'ScheduleFiresMissed', data: { from: nominalTime, before: windowStart, at: now } });
    due = firstInWindow;
  }
  const dueTimes: Instant[] = [];
  while (due !== undefined && toMillis(due) <= toMillis(now)) {
    dueTimes.push(due);
    due = nextFireAfter(d.schedule.schedule, due, d.schedule.createdAt);
  }
  const dropped = dueTimes.length - MAX_CATCH_UP_FIRES;
  if (dropped > 0)
    d.emit({
      type: 'ScheduleFiresMissed',
      data: { from: dueTimes[0]!, before: dueTimes[dropped]!, at: now },
    });
  for (const time of dueTimes.slice(Math.max(0, dropped)))
    fire(d, time, time === nominalTime ? 'calendar' : 'catch-up');
  armNext(d, now);
  return d.events;
};

const start = (d: Decision, nominalTime: Instant, trigger: FireTrigger): void => {
  const { scheduleId, schedule } = d.schedule;
  d.emit({
    type: 'ScheduleFired',
    data: {
      nominalTime,
      idempotencyKey: scheduleIdempotencyKey(scheduleId, nominalTime),
      workflow: schedule.workflow,
      input: schedule.input ?? {},
      trigger,
      firedAt: d.now,
    },
  });
};

const requestStops = (d: Decision, mode: 'cancel' | 'terminate'): void => {
  for (const key of d.schedule.running) {
    if (!d.schedule.stopRequested.includes(key))
      d.emit({ type: 'ScheduledRunStopRequested', data: { idempotencyKey: key, mode, at: d.now } });
  }
};

const backfill = (
  schedule: Schedule,
  request: { from: Instant; to: Instant; overlap?: OverlapPolicy },
  now: Instant,
): ScheduleEvent[] => {
  const problems: ValidationProblem[] = [];
  if (!isInstant(request.from)) problems.push({ path: '$.from', message: 'must be an ISO-8601 instant' });
  if (!isInstant(request.to)) problems.push({ path: '$.to', message: 'must be an ISO-8601 instant' });
  else if (toMillis(request.to) > toMillis(now))
    problems.push({ path: '$.to', message: 'must not be in the future (future fires happen on their own)' });
  if (problems.length === 0 && toMillis(request.to) <= toMillis(request.from))
    problems.push({ path: '$.to', message: 'must be after from' });
  if (request.overlap !== undefined && !OVERLAP_POLICIES.includes(request.overlap))
    problems.push({ path: '$.overlap', message: `must be one of ${OVERLAP_POLICIES.join(', ')}` });
  if (problems.length > 0) throw new ValidationError(problems, 'Invalid backfill');
  const times: Instant[] = [];
  let cursor = nextFireAfter(schedule.schedule, addMillis(request.from, -1), schedule.createdAt);
  while (cursor !== undefined && toMillis(cursor) < toMillis(request.to)) {
    if (times.length === MAX_CATCH_UP_FIRES)
      throw new ValidationError(
        [{ path: '$.to', message: `the range holds more than ${MAX_CATCH_UP_FIRES} fires; split it` }],
        'Invalid backfill',
      );
    times.push(cursor);
    cursor = nextFireAfter(schedule.schedule, cursor, schedule.createdAt);
  }
  const d = new Decision(schedule, now);
  d.emit({
    type: 'ScheduleBackfillRequested',
    data: { from: request.from, to: request.to, fires: times.length, at: now },
  });
  for (const time of times) fire(d, time, 'backfill', request.overlap);
  return d.events;
};

/** One fire under the overlap policy (the schedule's, unless a backfill names its own). */
const fire = (d: Decision, nominalTime: Instant, trigger: FireTrigger, overlap?: OverlapPolicy): void => {
  if (d.schedule.running.length === 0 && d.schedule.buffered.length === 0)
    return start(d, nominalTime, trigger);
  const buffer = () => d.emit({ type: 'ScheduleFireBuffered', data: { nominalTime, trigger, at: d.now } });
  const skip = () =>
    d.emit({ type: 'ScheduleFireSkipped', data: { nominalTime, reason: 'overlap', at: d.now } });
  const policy = overlap ?? d.schedule.schedule.overlap ?? 'SKIP';
  switch (policy) {
    case 'ALLOW_ALL':
      return start(d, nominalTime, trigger);
    case 'SKIP':
      return skip();
    case 'BUFFER_ONE':
      return d.schedule.buffered.length === 0 ? buffer() : skip();
    case 'BUFFER_ALL':
      return buffer();
    case 'CANCEL_OTHER':
      // The running run is asked to cancel; this fire starts once it has finished.
      requestStops(d, 'cancel');
      return d.schedule.buffered.length === 0 ? buffer() : skip();
    case 'TERMINATE_OTHER':
      requestStops(d, 'terminate');
      return start(d, nominalTime, trigger);
    default: {
      const _exhaustive: never = policy;
      return _exhaustive;
    }
  }
};
