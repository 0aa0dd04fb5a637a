/**
 * What one event does to the read model, as data: the pure projection (`projectEvent`) produces these
 * and the applier turns them into SQL. Every change carries the global position of its event; rows keep
 * the position of the last event applied to them and ignore changes that are not newer, so applying an
 * event twice changes nothing even without the checkpoint.
 */

export type Json = unknown;

/** Columns of `runs` an event may set. `startedAt` only ever fills an empty cell (the first attempt). */
export interface RunPatch {
  status?: string;
  output?: Json;
  error?: Json;
  failedStep?: string | null;
  runAttempt?: number;
  startedAt?: string;
  finishedAt?: string | null;
}

/** Columns of `step_attempts` an event may set. */
export interface AttemptFields {
  stepId?: string;
  itemIndex?: number | null;
  purpose?: string;
  status?: string;
  handler?: string | null;
  queue?: string | null;
  childRunId?: string | null;
  scheduledFor?: string | null;
  dispatchedAt?: string | null;
  startedAt?: string | null;
  input?: Json;
  finishedAt?: string | null;
  output?: Json;
  error?: Json;
  retryable?: boolean | null;
  workerId?: string | null;
}

export interface SchedulePatch {
  status?: string;
  definition?: Json;
  workflowName?: string;
  workflowVersion?: number | null;
  nextNominalTime?: string | null;
  nextFireAt?: string | null;
  lastFiredAt?: string;
  lastNominalTime?: string;
  lastFiredTrigger?: string;
  lastRunId?: string;
  lastFinishedRunId?: string;
  lastOutcome?: string | null;
  lastFinishedAt?: string;
  lastMissedFrom?: string;
  lastMissedBefore?: string;
  /** Adds one to `fire_count`. */
  countFire?: true;
  /** Adds one to this counter. */
  count?: ScheduleCounter;
  /** A run started with this idempotency key (counted once however often the key fires). */
  runStarted?: string;
  /** The run with this idempotency key finished. */
  runFinished?: string;
}

/** The `<name>_count` columns of `schedules` an event adds one to. */
export const SCHEDULE_COUNTERS = [
  'skipped',
  'buffered',
  'missedReport',
  'backfill',
  'completed',
  'failed',
  'cancelled',
  'timedOut',
  'refused',
] as const;
export type ScheduleCounter = (typeof SCHEDULE_COUNTERS)[number];

export type ReadModelChange =
  | {
      kind: 'workflowVersionRegistered';
      name: string;
      version: number;
      contentHash: string;
      definition: Json;
      registeredAt: string;
      position: bigint;
    }
  | {
      kind: 'runStarted';
      runId: string;
      workflowName: string;
      workflowVersion: number;
      input: Json;
      parentRunId: string | null;
      parentStepId: string | null;
      idempotencyKey: string | null;
      labels: Record<string, string>;
      createdAt: string;
      revision: bigint;
      position: bigint;
    }
  /** Every run event touches its run (updated_at, last revision/position), with or without a patch. */
  | { kind: 'runUpdated'; runId: string; patch: RunPatch; at: string; revision: bigint; position: bigint }
  /** Creates the attempt row or updates it. */
  | {
      kind: 'attemptUpserted';
      runId: string;
      taskId: string;
      attempt: number;
      stepId: string;
      fields: AttemptFields;
      position: bigint;
    }
  /** Updates an attempt row if it exists (its step id is known only from the dispatch). */
  | {
      kind: 'attemptUpdated';
      runId: string;
      taskId: string;
      attempt: number;
      fields: AttemptFields;
      position: bigint;
    }
  | {
      kind: 'scheduleCreated';
      scheduleId: string;
      workflowName: string;
      workflowVersion: number | null;
      definition: Json;
      createdAt: string;
      position: bigint;
    }
  | { kind: 'scheduleUpdated'; scheduleId: string; patch: SchedulePatch; at: string; position: bigint };
