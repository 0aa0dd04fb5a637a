import { type Duration } from '@spark/contracts';
import { Cron } from 'croner';
import { LRUCache } from 'lru-cache';

import { type ValidationProblem } from '../errors';
import { type Instant, isDuration, isInstant, parseDuration, toInstant, toMillis } from '../time';

export type ScheduleSpec =
  /** Five fields, or six with seconds first; evaluated in `timezone` (IANA, default UTC). */
  | { kind: 'cron'; expression: string; timezone?: string }
  /** Every `every`, counted from `anchor` (default: when the schedule was created). */
  | { kind: 'interval'; every: Duration; anchor?: Instant }
  | { kind: 'once'; at: Instant };

export const OVERLAP_POLICIES = [
  'SKIP',
  'BUFFER_ONE',
  'BUFFER_ALL',
  'CANCEL_OTHER',
  'TERMINATE_OTHER',
  'ALLOW_ALL',
] as const;
export type OverlapPolicy = (typeof OVERLAP_POLICIES)[number];

export interface ScheduleDefinition {
  spec: ScheduleSpec;
  workflow: { name: string; version?: number };
  input?: unknown;
  /** What a fire does while an earlier run of the schedule is still running (default SKIP). */
  overlap?: OverlapPolicy;
  /** Fires missed while the scheduler was down still happen if at most this late (default 1m). */
  catchupWindow?: Duration;
  /** Each fire is delayed by a deterministic amount in [0, jitter) (its nominal time, and so its key, does not move). */
  jitter?: Duration;
  startAt?: Instant;
  endAt?: Instant;
}

export const DEFAULT_CATCHUP_WINDOW_MS = 60_000;

const isTimeZone = (zone: string): boolean => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

export const validateScheduleDefinition = (schedule: ScheduleDefinition): ValidationProblem[] => {
  const problems: ValidationProblem[] = [];
  const { spec } = schedule;
  switch (spec.kind) {
    case 'cron':
      if (spec.timezone !== undefined && !isTimeZone(spec.timezone))
        problems.push({ path: '$.spec.timezone', message: `unknown IANA time zone "${spec.timezone}"` });
      try {
        new Cron(spec.expression, { paused: true });
      } catch (error) {
        problems.push({ path: '$.spec.expression', message: (error as Error).message });
      }
      break;
    case 'interval':
      if (!isDuration(spec.every) || parseDuration(spec.every) < 1_000)
        problems.push({ path: '$.spec.every', message: 'must be a duration of at least 1s' });
      if (spec.anchor !== undefined && !isInstant(spec.anchor))
        problems.push({ path: '$.spec.anchor', message: 'must be an ISO-8601 instant' });
      break;
    case 'once':
      if (!isInstant(spec.at)) problems.push({ path: '$.spec.at', message: 'must be an ISO-8601 instant' });
      break;
    default: {
      const _exhaustive: never = spec;
      problems.push({
        path: '$.spec.kind',
        message: `unknown schedule kind ${JSON.stringify((_exhaustive as { kind: unknown }).kind)}`,
      });
    }
  }
  if (schedule.overlap !== undefined && !OVERLAP_POLICIES.includes(schedule.overlap)) {
    problems.push({ path: '$.overlap', message: `must be one of ${OVERLAP_POLICIES.join(', ')}` });
  }
  for (const field of ['catchupWindow', 'jitter'] as const) {
    const value = schedule[field];
    if (value !== undefined && !isDuration(value))
      problems.push({ path: `$.${field}`, message: 'not a duration (use e.g. "30s", "5m", "1h")' });
  }
  for (const field of ['startAt', 'endAt'] as const) {
    const value = schedule[field];
    if (value !== undefined && !isInstant(value))
      problems.push({ path: `$.${field}`, message: 'must be an ISO-8601 instant' });
  }
  if (
    schedule.startAt &&
    schedule.endAt &&
    isInstant(schedule.startAt) &&
    isInstant(schedule.endAt) &&
    toMillis(schedule.endAt) <= toMillis(schedule.startAt)
  ) {
    problems.push({ path: '$.endAt', message: 'must be after startAt' });
  }
  if (typeof schedule.workflow?.name !== 'string' || schedule.workflow.name === '')
    problems.push({ path: '$.workflow.name', message: 'is required' });
  return problems;
};

const crons = new LRUCache<string, Cron>({ max: 10_000 });
const cronOf = (expression: string, timezone: string | undefined): Cron => {
  const key = `${expression}|${timezone ?? 'UTC'}`;
  let cron = crons.get(key);
  if (!cron) {
    cron = new Cron(expression, { paused: true, timezone: timezone ?? 'UTC' });
    crons.set(key, cron);
  }
  return cron;
};

/**
 * The first nominal fire time strictly after `after`, or undefined when there is none.
 * Cron fires follow croner in the schedule's zone: a wall time skipped by a DST gap fires once at the first
 * instant after the gap (02:30 on a spring-forward night fires at 03:00); a wall time repeated by a fall-back
 * fires once, at its first occurrence.
 */
export const nextFireAfter = (
  schedule: ScheduleDefinition,
  after: Instant,
  createdAt: Instant,
): Instant | undefined => {
  const startMs = schedule.startAt ? toMillis(schedule.startAt) : Number.NEGATIVE_INFINITY;
  const fromMs = Math.max(toMillis(after), startMs - 1);
  let next: number | undefined;
  const { spec } = schedule;
  switch (spec.kind) {
    case 'cron':
      next = cronOf(spec.expression, spec.timezone).nextRun(new Date(fromMs))?.getTime();
      break;
    case 'interval': {
      const every = parseDuration(spec.every);
      const anchor = toMillis(spec.anchor ?? createdAt);
      next = fromMs < anchor ? anchor : anchor + (Math.floor((fromMs - anchor) / every) + 1) * every;
      break;
    }
    case 'once': {
      const at = toMillis(spec.at);
      next = at > fromMs ? at : undefined;
      break;
    }
    default: {
      const _exhaustive: never = spec;
      return _exhaustive;
    }
  }
  if (next === undefined || (schedule.endAt !== undefined && next > toMillis(schedule.endAt)))
    return undefined;
  return toInstant(next);
};

/** The next `count` nominal fire times after `from`. */
export const previewFireTimes = (
  schedule: ScheduleDefinition,
  from: Instant,
  count: number,
  createdAt: Instant = from,
): Instant[] => {
  const times: Instant[] = [];
  let cursor: Instant | undefined = from;
  while (times.length < count && cursor !== undefined) {
    cursor = nextFireAfter(schedule, cursor, createdAt);
    if (cursor !== undefined) times.push(cursor);
  }
  return times;
};
