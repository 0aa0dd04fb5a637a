import {
  PublicEventTypes,
  RUN_STREAM_PREFIX,
  SCHEDULE_STREAM_PREFIX,
  type PublicEvent,
  type PublicEventType,
} from '@spark/contracts';
import { type RecordedEvent } from '@spark/event-store';
import { eventTime, stepIdOfTask } from '@spark/read-model';
import { decodeRunEvent } from '@spark/workflow-domain';
import { publicEventOf } from './public-event-of';
import { toPublicScheduleEvent } from './to-public-schedule-event';

type Workflow = { name: string; version: number };

const publicError = (error: { code: string; message: string }) => ({
  code: error.code,
  message: error.message,
});

/**
 * The public event (if any) for one run or schedule event: a stable payload of its own, never the
 * internal event, so the event store's types can change without breaking other teams. `workflow` (of a
 * run) comes from the read model (run events after RunStarted do not repeat it); schedule events carry
 * their own.
 */
export function toPublicEvent(
  recorded: RecordedEvent,
  workflow: Workflow | undefined,
): PublicEvent | undefined {
  if (recorded.streamName.startsWith(SCHEDULE_STREAM_PREFIX)) return toPublicScheduleEvent(recorded);
  if (!recorded.streamName.startsWith(RUN_STREAM_PREFIX) || !workflow) return undefined;
  const runId = recorded.streamName.slice(RUN_STREAM_PREFIX.length);
  const event = decodeRunEvent(recorded, { workflow });
  const base = { runId, workflow: { name: workflow.name, version: workflow.version } };
  const make = (type: PublicEventType, data: PublicEvent['data']): PublicEvent =>
    publicEventOf(recorded, type, runId, data);
  switch (event.type) {
    case 'RunStarted':
      return make(PublicEventTypes.runStarted, {
        ...base,
        input: event.data.input ?? null,
        ...(event.data.parent ? { parentRunId: event.data.parent.runId } : {}),
        startedAt: event.data.startedAt,
      });
    case 'RunCompensating':
      return make(PublicEventTypes.runCompensating, {
        ...base,
        error: publicError(event.data.error),
        ...(event.data.failedStep ? { failedStep: event.data.failedStep } : {}),
        at: event.data.at,
      });
    case 'RunCompleted':
      return make(PublicEventTypes.runCompleted, {
        ...base,
        output: event.data.output ?? null,
        completedAt: event.data.completedAt,
      });
    case 'RunFailed':
      return make(PublicEventTypes.runFailed, {
        ...base,
        error: publicError(event.data.error),
        ...(event.data.failedStep ? { failedStep: event.data.failedStep } : {}),
        failedAt: event.data.failedAt,
      });
    case 'RunCancelled':
      return make(PublicEventTypes.runCancelled, {
        ...base,
        reason: event.data.reason,
        cancelledAt: event.data.cancelledAt,
      });
    case 'RunTimedOut':
      return make(PublicEventTypes.runTimedOut, { ...base, timedOutAt: event.data.timedOutAt });
    case 'RunResumed':
      return make(PublicEventTypes.runResumed, {
        ...base,
        runAttempt: event.data.runAttempt,
        resumedAt: event.data.resumedAt,
      });
    case 'StepSucceeded':
      return make(PublicEventTypes.stepSucceeded, {
        ...base,
        stepId: event.data.stepId,
        output: event.data.output ?? null,
        at: event.data.at,
      });
    case 'StepFailed':
      return make(PublicEventTypes.stepFailed, {
        ...base,
        stepId: event.data.stepId,
        error: publicError(event.data.error),
        at: event.data.at,
      });
    case 'StepSkipped':
      return make(PublicEventTypes.stepSkipped, {
        ...base,
        stepId: event.data.stepId,
        reason: event.data.reason,
        at: eventTime(event, recorded.recordedAt),
      });
    case 'StepCancelled':
      return make(PublicEventTypes.stepCancelled, {
        ...base,
        stepId: event.data.stepId,
        reason: event.data.reason,
        at: event.data.at,
      });
    case 'StepAttemptFailed':
      return make(PublicEventTypes.stepAttemptFailed, {
        ...base,
        stepId: stepIdOfTask(event.data.taskId),
        taskId: event.data.taskId,
        attempt: event.data.attempt,
        error: publicError(event.data.error),
        retryable: event.data.retryable,
        at: event.data.at,
      });
    case 'StepRetryScheduled':
      return make(PublicEventTypes.stepRetryScheduled, {
        ...base,
        stepId: stepIdOfTask(event.data.taskId),
        taskId: event.data.taskId,
        attempt: event.data.attempt,
        retryAt: event.data.retryAt,
      });
    default:
      return undefined;
  }
}
