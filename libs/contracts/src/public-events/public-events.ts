/**
 * Spark's public events on `spark.events.v1`, for other teams: CloudEvents 1.0 in Kafka binary mode
 * (attributes as `ce_*` headers, the payload below as the JSON value), keyed by subject (the run id, or
 * the schedule id for `spark.schedule.*`) so one run's or one schedule's events stay in order. Delivery is at least once: consumers dedupe by `ce_id` (the id of the event in
 * Spark's event store, stable across redeliveries). Payloads only ever gain optional fields within a
 * `.v1` type; anything else is a new type version. JSON Schemas: ./schemas, AsyncAPI: ./asyncapi.json.
 */

import {
  PUBLIC_SCHEDULE_EVENT_SOURCE,
  type SchedulePublicEventPayloads,
  SchedulePublicEventTypes,
} from './schedule-public-events';

/** `ce_source` of run and step events; schedule events have `PUBLIC_SCHEDULE_EVENT_SOURCE`. */
export const PUBLIC_EVENT_SOURCE = '/spark/runs';
export const CLOUDEVENTS_SPEC_VERSION = '1.0';

export const PublicEventTypes = {
  runStarted: 'spark.run.started.v1',
  runCompensating: 'spark.run.compensating.v1',
  runCompleted: 'spark.run.completed.v1',
  runFailed: 'spark.run.failed.v1',
  runCancelled: 'spark.run.cancelled.v1',
  runTimedOut: 'spark.run.timed_out.v1',
  runResumed: 'spark.run.resumed.v1',
  stepSucceeded: 'spark.step.succeeded.v1',
  stepFailed: 'spark.step.failed.v1',
  stepSkipped: 'spark.step.skipped.v1',
  stepCancelled: 'spark.step.cancelled.v1',
  stepAttemptFailed: 'spark.step.attempt_failed.v1',
  stepRetryScheduled: 'spark.step.retry_scheduled.v1',
  ...SchedulePublicEventTypes,
} as const;
export type PublicEventType = (typeof PublicEventTypes)[keyof typeof PublicEventTypes];
export const PUBLIC_EVENT_TYPES: readonly PublicEventType[] = Object.values(PublicEventTypes);

export interface PublicWorkflowRef {
  name: string;
  version: number;
}
export interface PublicError {
  code: string;
  message: string;
}

interface RunPayload {
  runId: string;
  workflow: PublicWorkflowRef;
}

export interface RunStartedV1 extends RunPayload {
  input: unknown;
  parentRunId?: string;
  startedAt: string;
}
export interface RunCompensatingV1 extends RunPayload {
  error: PublicError;
  failedStep?: string;
  at: string;
}
export interface RunCompletedV1 extends RunPayload {
  output: unknown;
  completedAt: string;
}
export interface RunFailedV1 extends RunPayload {
  error: PublicError;
  failedStep?: string;
  failedAt: string;
}
export interface RunCancelledV1 extends RunPayload {
  reason: string;
  cancelledAt: string;
}
export interface RunTimedOutV1 extends RunPayload {
  timedOutAt: string;
}
export interface RunResumedV1 extends RunPayload {
  runAttempt: number;
  resumedAt: string;
}
export interface StepSucceededV1 extends RunPayload {
  stepId: string;
  output: unknown;
  at: string;
}
export interface StepFailedV1 extends RunPayload {
  stepId: string;
  error: PublicError;
  at: string;
}
export interface StepSkippedV1 extends RunPayload {
  stepId: string;
  reason: string;
  at: string;
}
export interface StepCancelledV1 extends RunPayload {
  stepId: string;
  reason: string;
  at: string;
}
export interface StepAttemptFailedV1 extends RunPayload {
  stepId: string;
  taskId: string;
  attempt: number;
  error: PublicError;
  retryable: boolean;
  at: string;
}
export interface StepRetryScheduledV1 extends RunPayload {
  stepId: string;
  taskId: string;
  attempt: number;
  retryAt: string;
}

export interface PublicEventPayloads extends SchedulePublicEventPayloads {
  'spark.run.started.v1': RunStartedV1;
  'spark.run.compensating.v1': RunCompensatingV1;
  'spark.run.completed.v1': RunCompletedV1;
  'spark.run.failed.v1': RunFailedV1;
  'spark.run.cancelled.v1': RunCancelledV1;
  'spark.run.timed_out.v1': RunTimedOutV1;
  'spark.run.resumed.v1': RunResumedV1;
  'spark.step.succeeded.v1': StepSucceededV1;
  'spark.step.failed.v1': StepFailedV1;
  'spark.step.skipped.v1': StepSkippedV1;
  'spark.step.cancelled.v1': StepCancelledV1;
  'spark.step.attempt_failed.v1': StepAttemptFailedV1;
  'spark.step.retry_scheduled.v1': StepRetryScheduledV1;
}

/** One public event, before it becomes a Kafka message. */
export interface PublicEvent<T extends PublicEventType = PublicEventType> {
  /** `ce_id`: the id of the Spark event it comes from. */
  id: string;
  type: T;
  /** `ce_subject`: the run id, or the schedule id (also the Kafka key). */
  subject: string;
  /** `ce_time`: when it happened. */
  time: string;
  traceparent?: string;
  data: PublicEventPayloads[T];
}

export const publicEventSource = (type: PublicEventType): string =>
  type.startsWith('spark.schedule.') ? PUBLIC_SCHEDULE_EVENT_SOURCE : PUBLIC_EVENT_SOURCE;

/** Kafka message of a public event in CloudEvents binary mode. */
export function toCloudEventMessage(event: PublicEvent): {
  key: string;
  value: string;
  headers: Record<string, string>;
} {
  const headers: Record<string, string> = {
    ce_specversion: CLOUDEVENTS_SPEC_VERSION,
    ce_id: event.id,
    ce_type: event.type,
    ce_source: publicEventSource(event.type),
    ce_subject: event.subject,
    ce_time: event.time,
    'content-type': 'application/json',
  };
  if (event.traceparent) headers.traceparent = event.traceparent;
  return { key: event.subject, value: JSON.stringify(event.data), headers };
}

/** Reads a consumed Kafka message back (for consumers and tests); undefined if it is not a Spark CloudEvent. */
export function fromCloudEventMessage(message: {
  headers: Record<string, string>;
  value: Buffer | string | null;
}): PublicEvent | undefined {
  const { headers } = message;
  if (headers.ce_specversion !== CLOUDEVENTS_SPEC_VERSION || !headers.ce_type || !headers.ce_id)
    return undefined;
  if (!(PUBLIC_EVENT_TYPES as readonly string[]).includes(headers.ce_type)) return undefined;
  return {
    id: headers.ce_id,
    type: headers.ce_type as PublicEventType,
    subject: headers.ce_subject ?? '',
    time: headers.ce_time ?? '',
    ...(headers.traceparent ? { traceparent: headers.traceparent } : {}),
    data: JSON.parse(message.value?.toString() ?? 'null') as PublicEvent['data'],
  };
}
