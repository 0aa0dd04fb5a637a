import { type AttemptStatus, RUN_STATUS_VALUES, type RunStatus } from '@spark/workflow-domain';

/** What the read-model queries return. Instants are ISO-8601 strings in UTC. */

/** The run vocabulary of the domain (`run/vocabulary`), which the API's names are mapped from. */
export type RunStatusView = RunStatus;
export const RUN_STATUS_VIEWS: readonly RunStatusView[] = RUN_STATUS_VALUES;

export type StepAttemptStatusView = AttemptStatus;

export interface ErrorView {
  code: string;
  message: string;
  details?: unknown;
}

export interface RunView {
  id: string;
  workflow: { name: string; version: number };
  status: RunStatusView;
  input: unknown;
  output: unknown;
  error: ErrorView | null;
  failedStep: string | null;
  labels: Record<string, string>;
  parent: { runId: string; stepId: string | null } | null;
  idempotencyKey: string | null;
  runAttempt: number;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  updatedAt: string;
  /** Revision of the last run event applied (the stream has `lastRevision + 1` events at least). */
  lastRevision: number;
  lastPosition: string;
}

export interface StepAttemptView {
  taskId: string;
  stepId: string;
  attempt: number;
  itemIndex: number | null;
  purpose: 'step' | 'compensation';
  status: StepAttemptStatusView;
  handler: string | null;
  queue: string | null;
  childRunId: string | null;
  scheduledFor: string | null;
  dispatchedAt: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  /** The dispatch's input (null when it had none, or a JSON null). */
  input: unknown;
  output: unknown;
  error: ErrorView | null;
  retryable: boolean | null;
  workerId: string | null;
}

export interface RunDetailView extends RunView {
  /** Every attempt, ordered by first activity (dispatch or schedule), then task id and attempt. */
  stepAttempts: StepAttemptView[];
}

export interface WorkflowView {
  name: string;
  latestVersion: number;
  versionCount: number;
  createdAt: string;
  updatedAt: string;
}

export interface WorkflowDetailView extends WorkflowView {
  /** The definition of the latest version. */
  definition: unknown;
  contentHash: string;
}

export interface WorkflowVersionView {
  name: string;
  version: number;
  contentHash: string;
  definition: unknown;
  registeredAt: string;
}

export type ScheduleStatusView = 'active' | 'paused' | 'exhausted' | 'deleted';
export const SCHEDULE_STATUS_VIEWS: readonly ScheduleStatusView[] = [
  'active',
  'paused',
  'exhausted',
  'deleted',
];

/** What started a fire: its calendar time, a catch-up after downtime, trigger-now, a buffered fire, a backfill. */
export type FireTriggerView = 'calendar' | 'catch-up' | 'manual' | 'buffered' | 'backfill';

/** How a run started by a schedule ended (`refused`: the run could not be started). */
export type ScheduledRunOutcomeView = 'completed' | 'failed' | 'cancelled' | 'timedOut' | 'refused';

export interface ScheduleView {
  id: string;
  workflow: { name: string; version: number | null };
  status: ScheduleStatusView;
  definition: unknown;
  nextNominalTime: string | null;
  nextFireAt: string | null;
  lastFiredAt: string | null;
  lastNominalTime: string | null;
  lastFiredTrigger: FireTriggerView | null;
  /** The run the last fire started. */
  lastRunId: string | null;
  /** The last run reported finished (not necessarily `lastRunId` when runs overlap). */
  lastFinishedRunId: string | null;
  /** Null when nothing finished yet, or the finish was reported without an outcome. */
  lastOutcome: ScheduledRunOutcomeView | null;
  lastFinishedAt: string | null;
  /** Runs started by fires and not reported finished. */
  runningCount: number;
  /** Every ScheduleFired (a backfill re-firing a key counts again, though it starts no second run). */
  fireCount: number;
  skippedCount: number;
  bufferedCount: number;
  /** How many times missed fires were reported; each report covers a range of nominal times. */
  missedReportCount: number;
  /** The range of the last report: nominal times in [from, before) that never ran. */
  lastMissed: { from: string; before: string } | null;
  backfillCount: number;
  outcomeCounts: Record<ScheduledRunOutcomeView, number>;
  createdAt: string;
  updatedAt: string;
}

export interface ListSchedulesFilter {
  /** Default: every status but `deleted`. */
  status?: ScheduleStatusView | ScheduleStatusView[];
  workflow?: string;
}

export interface ListRunsFilter {
  workflow?: string;
  status?: RunStatusView | RunStatusView[];
  /** `key=value` (that label with that value) or `key` (that label, any value). */
  label?: string;
  /** Inclusive lower bound on `createdAt` (ISO instant). */
  createdFrom?: string;
  /** Exclusive upper bound on `createdAt` (ISO instant). */
  createdTo?: string;
  /** The key the run was started with (a run started without one has its run id as key). */
  idempotencyKey?: string;
  /** 1..500, default 50. */
  limit?: number;
  /** `nextCursor` of the previous page. */
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  /** Present when there may be more: pass it back as `cursor`. */
  nextCursor?: string;
}
