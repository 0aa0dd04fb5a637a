import {
  type RunErrorResource,
  type RunResource,
  type RunStatusName,
  type StepAttemptResource,
  type StepResource,
} from '@spark/contracts';
import { type RecordedEvent } from '@spark/event-store';
import { type RunView } from '@spark/read-model';
import { RUN_STATUS_NAMES } from '@spark/workflow-domain';
import { timestampField, toTimestamp, toValue, valueField } from './values';

/** Run statuses: the REST names with the proto enum's prefix (RUNNING <-> RUN_STATUS_RUNNING). */
export const runStatusEnum = (status: RunStatusName): string => `RUN_STATUS_${status}`;

export const runStatusName = (value: string | number | undefined): RunStatusName | undefined =>
  typeof value === 'string' && value.startsWith('RUN_STATUS_') && value !== 'RUN_STATUS_UNSPECIFIED'
    ? (value.slice('RUN_STATUS_'.length) as RunStatusName)
    : undefined;

const errorMessage = (error: RunErrorResource | null | undefined) =>
  error
    ? { error: { code: error.code, message: error.message, ...valueField('details', error.details) } }
    : {};

const attemptMessage = (attempt: StepAttemptResource) => ({
  taskId: attempt.taskId,
  stepId: attempt.stepId,
  ...(attempt.itemIndex !== undefined ? { itemIndex: attempt.itemIndex } : {}),
  purpose: attempt.purpose,
  attempt: attempt.attempt,
  status: `ATTEMPT_STATUS_${attempt.status}`,
  ...(attempt.handler ? { handler: attempt.handler } : {}),
  ...timestampField('dispatchedAt', attempt.dispatchedAt),
  ...timestampField('startedAt', attempt.startedAt),
  ...timestampField('finishedAt', attempt.finishedAt),
  ...valueField('input', attempt.input),
  ...valueField('output', attempt.output),
  ...errorMessage(attempt.error),
});

const stepMessage = (step: StepResource) => ({
  stepId: step.stepId,
  status: `STEP_STATUS_${step.status}`,
  ...valueField('output', step.output),
  ...errorMessage(step.error),
  ...(step.skipReason ? { skipReason: step.skipReason } : {}),
  ...(step.awaitingSignal ? { awaitingSignal: step.awaitingSignal } : {}),
  attempts: step.attempts.map(attemptMessage),
  waiting: (step.waiting ?? []).map((wait) => ({
    taskId: wait.taskId,
    attempt: wait.attempt,
    reason: wait.reason,
    rateLimitKey: wait.rateLimitKey ?? '',
    concurrencyKey: wait.concurrencyKey ?? '',
    inUse: wait.inUse ?? 0,
    limit: wait.limit ?? 0,
    position: wait.position ?? 0,
    ...timestampField('since', wait.since),
    ...timestampField('until', wait.until),
  })),
});

/** spark.v1.Run from the REST resource: one view of a run, two encodings. */
export const runMessage = (run: RunResource) => ({
  runId: run.runId,
  workflow: { name: run.workflow.name, ...(run.workflow.version ? { version: run.workflow.version } : {}) },
  status: runStatusEnum(run.status),
  ...valueField('input', run.input),
  ...valueField('output', run.output),
  ...errorMessage(run.error),
  ...(run.failedStep ? { failedStep: run.failedStep } : {}),
  labels: run.labels ?? {},
  ...(run.idempotencyKey ? { idempotencyKey: run.idempotencyKey } : {}),
  ...(run.runAttempt ? { runAttempt: run.runAttempt } : {}),
  ...timestampField('acceptedAt', run.acceptedAt),
  ...timestampField('startedAt', run.startedAt),
  ...timestampField('finishedAt', run.finishedAt),
  ...(run.waiting
    ? {
        waiting: {
          reason: run.waiting.reason,
          concurrencyKey: run.waiting.concurrencyKey ?? '',
          inUse: run.waiting.inUse ?? 0,
          limit: run.waiting.limit ?? 0,
          position: run.waiting.position ?? 0,
          ...timestampField('since', run.waiting.since),
          startControl: run.waiting.startControl ?? '',
          startControlKey: run.waiting.startControlKey ?? '',
          ...timestampField('until', run.waiting.until),
        },
      }
    : {}),
  actions: (run.actions ?? []).map((action) => ({
    action: action.action,
    ...timestampField('at', action.at),
    reason: action.reason ?? '',
    signal: action.signal ?? '',
    signalId: action.signalId ?? '',
    runAttempt: action.runAttempt ?? 0,
  })),
  steps: run.steps.map(stepMessage),
  ...(run.revision !== undefined ? { revision: run.revision } : {}),
});

export const runSummaryMessage = (run: RunView) => ({
  runId: run.id,
  workflow: run.workflow,
  status: runStatusEnum(RUN_STATUS_NAMES[run.status]),
  labels: run.labels,
  createdAt: toTimestamp(run.createdAt),
  ...timestampField('startedAt', run.startedAt ?? undefined),
  ...timestampField('finishedAt', run.finishedAt ?? undefined),
});

export const runEventMessage = (runId: string, event: RecordedEvent) => ({
  runId,
  revision: event.revision.toString(),
  type: event.type,
  data: toValue(event.data),
  recordedAt: toTimestamp(event.recordedAt),
});
