import { type Pool } from 'pg';
import { readRunView, type RunViewState } from '../run-view';
import { assertSchemaName, DEFAULT_READ_MODEL_SCHEMA } from '../projections/read-model-schema';
import {
  type ListRunsFilter,
  type ListSchedulesFilter,
  type Page,
  type RunDetailView,
  type RunView,
  type ScheduleView,
  type StepAttemptView,
  type WorkflowDetailView,
  type WorkflowVersionView,
  type WorkflowView,
} from './views';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

/** A cursor that cannot be decoded: a caller error (400 / INVALID_ARGUMENT), not a server fault. */
export class InvalidCursorError extends Error {
  readonly code = 'INVALID_CURSOR';
  readonly field = 'cursor';
  constructor() {
    super('cursor is not one this API returned');
  }
}

/** A filter value the query cannot use (bad instant, limit out of range). */
export class InvalidFilterError extends Error {
  readonly code = 'INVALID_FILTER';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

type Row = Record<string, unknown>;

/** Read-only queries over the projector's tables, for the gateway. */
export class ReadModelQueries {
  private readonly s: string;

  constructor(
    private readonly pool: Pool,
    schema = DEFAULT_READ_MODEL_SCHEMA,
  ) {
    assertSchemaName(schema);
    this.s = schema;
  }

  async getRun(runId: string): Promise<RunDetailView | undefined> {
    const [runs, attempts] = await Promise.all([
      this.pool.query<Row>(`SELECT * FROM ${this.s}.runs WHERE id = $1`, [runId]),
      this.pool.query<Row>(
        `SELECT * FROM ${this.s}.step_attempts WHERE run_id = $1
         ORDER BY COALESCE(dispatched_at, scheduled_for, started_at), task_id, attempt`,
        [runId],
      ),
    ]);
    const row = runs.rows[0];
    if (!row) return undefined;
    return { ...toRun(row), stepAttempts: attempts.rows.map(toAttempt) };
  }

  /** The run's view as the projector last stored it (fold the stream's tail on: `currentRunView`). */
  runView(runId: string): Promise<RunViewState | undefined> {
    return readRunView(this.pool, this.s, runId);
  }

  /** Newest first (created_at desc, then id desc): stable under concurrent inserts of newer runs. */
  async listRuns(filter: ListRunsFilter = {}): Promise<Page<RunView>> {
    const limit = filter.limit ?? DEFAULT_PAGE_SIZE;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE)
      throw new InvalidFilterError('limit', `limit must be an integer from 1 to ${MAX_PAGE_SIZE}`);
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    if (filter.workflow !== undefined) where.push(`workflow_name = ${param(filter.workflow)}`);
    if (filter.status !== undefined) {
      const statuses = Array.isArray(filter.status) ? filter.status : [filter.status];
      where.push(`status = ANY(${param(statuses)}::text[])`);
    }
    if (filter.label !== undefined) {
      const eq = filter.label.indexOf('=');
      if (eq === 0 || filter.label === '')
        throw new InvalidFilterError('label', 'label must be "key=value" or "key"');
      if (eq > 0) {
        const key = filter.label.slice(0, eq);
        where.push(`labels @> ${param(JSON.stringify({ [key]: filter.label.slice(eq + 1) }))}::jsonb`);
      } else where.push(`labels ? ${param(filter.label)}`);
    }
    if (filter.createdFrom !== undefined)
      where.push(`created_at >= ${param(instant('createdFrom', filter.createdFrom))}`);
    if (filter.createdTo !== undefined)
      where.push(`created_at < ${param(instant('createdTo', filter.createdTo))}`);
    if (filter.idempotencyKey !== undefined) where.push(`idempotency_key = ${param(filter.idempotencyKey)}`);
    if (filter.cursor !== undefined) {
      const [createdAt, id] = decodeCursor(filter.cursor);
      where.push(`(created_at, id) < (${param(createdAt)}::timestamptz, ${param(id)})`);
    }
    const { rows } = await this.pool.query<Row>(
      `SELECT *, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created_at_text
       FROM ${this.s}.runs ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY created_at DESC, id DESC LIMIT ${param(limit + 1)}`,
      params,
    );
    const items = rows.slice(0, limit).map(toRun);
    const last = items.at(-1);
    return rows.length > limit && last
      ? { items, nextCursor: encodeCursor(rows[limit - 1]!.created_at_text as string, last.id) }
      : { items };
  }

  async getWorkflow(name: string): Promise<WorkflowDetailView | undefined> {
    const { rows } = await this.pool.query<Row>(
      `SELECT w.*, v.definition, v.content_hash FROM ${this.s}.workflows w
       JOIN ${this.s}.workflow_versions v ON v.name = w.name AND v.version = w.latest_version
       WHERE w.name = $1`,
      [name],
    );
    const row = rows[0];
    return row
      ? { ...toWorkflow(row), definition: row.definition, contentHash: row.content_hash as string }
      : undefined;
  }

  async listWorkflows(): Promise<WorkflowView[]> {
    const { rows } = await this.pool.query<Row>(`SELECT * FROM ${this.s}.workflows ORDER BY name`);
    return rows.map(toWorkflow);
  }

  /** Oldest version first; empty when the workflow is unknown. */
  async listWorkflowVersions(name: string): Promise<WorkflowVersionView[]> {
    const { rows } = await this.pool.query<Row>(
      `SELECT * FROM ${this.s}.workflow_versions WHERE name = $1 ORDER BY version`,
      [name],
    );
    return rows.map(toWorkflowVersion);
  }

  async getWorkflowVersion(name: string, version: number): Promise<WorkflowVersionView | undefined> {
    const { rows } = await this.pool.query<Row>(
      `SELECT * FROM ${this.s}.workflow_versions WHERE name = $1 AND version = $2`,
      [name, version],
    );
    return rows[0] ? toWorkflowVersion(rows[0]) : undefined;
  }

  async getSchedule(id: string): Promise<ScheduleView | undefined> {
    const { rows } = await this.pool.query<Row>(`SELECT * FROM ${this.s}.schedules WHERE id = $1`, [id]);
    return rows[0] ? toSchedule(rows[0]) : undefined;
  }

  /** Soonest next fire first; without a status filter, every schedule but deleted ones. */
  async listSchedules(filter: ListSchedulesFilter = {}): Promise<ScheduleView[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    if (filter.status === undefined) where.push(`status <> 'deleted'`);
    else {
      const statuses = Array.isArray(filter.status) ? filter.status : [filter.status];
      where.push(`status = ANY(${param(statuses)}::text[])`);
    }
    if (filter.workflow !== undefined) where.push(`workflow_name = ${param(filter.workflow)}`);
    const { rows } = await this.pool.query<Row>(
      `SELECT * FROM ${this.s}.schedules WHERE ${where.join(' AND ')} ORDER BY next_fire_at NULLS LAST, id`,
      params,
    );
    return rows.map(toSchedule);
  }

  /** Global position the read model has caught up to (-1 before the first event). */
  async checkpoint(): Promise<bigint> {
    const { rows } = await this.pool.query<{ position: string }>(
      `SELECT position FROM ${this.s}.projection_checkpoints WHERE name = 'read-model'`,
    );
    return rows[0] ? BigInt(rows[0].position) : -1n;
  }
}

function instant(field: string, value: string): string {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new InvalidFilterError(field, `${field} must be an ISO-8601 instant`);
  return new Date(ms).toISOString();
}

/** The cursor is the sort key of the last item, opaque to callers (base64url JSON). */
export function encodeCursor(createdAt: string, id: string): string {
  return Buffer.from(JSON.stringify([createdAt, id])).toString('base64url');
}

export function decodeCursor(cursor: string): [string, string] {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === 'string' &&
      typeof value[1] === 'string' &&
      !Number.isNaN(Date.parse(value[0]))
    )
      return [value[0], value[1]];
  } catch {
    // fall through
  }
  throw new InvalidCursorError();
}

const iso = (value: unknown): string | null => (value instanceof Date ? value.toISOString() : null);

function toRun(row: Row): RunView {
  return {
    id: row.id as string,
    workflow: { name: row.workflow_name as string, version: row.workflow_version as number },
    status: row.status as RunView['status'],
    input: row.input ?? null,
    output: row.output ?? null,
    error: (row.error as RunView['error']) ?? null,
    failedStep: (row.failed_step as string | null) ?? null,
    labels: (row.labels as Record<string, string>) ?? {},
    parent: row.parent_run_id
      ? { runId: row.parent_run_id as string, stepId: (row.parent_step_id as string | null) ?? null }
      : null,
    idempotencyKey: (row.idempotency_key as string | null) ?? null,
    runAttempt: row.run_attempt as number,
    createdAt: iso(row.created_at)!,
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
    updatedAt: iso(row.updated_at)!,
    lastRevision: Number(row.last_revision),
    lastPosition: String(row.last_position),
  };
}

function toAttempt(row: Row): StepAttemptView {
  return {
    taskId: row.task_id as string,
    stepId: row.step_id as string,
    attempt: row.attempt as number,
    itemIndex: (row.item_index as number | null) ?? null,
    purpose: row.purpose as StepAttemptView['purpose'],
    status: row.status as StepAttemptView['status'],
    handler: (row.handler as string | null) ?? null,
    queue: (row.queue as string | null) ?? null,
    childRunId: (row.child_run_id as string | null) ?? null,
    scheduledFor: iso(row.scheduled_for),
    dispatchedAt: iso(row.dispatched_at),
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
    input: row.input ?? null,
    output: row.output ?? null,
    error: (row.error as StepAttemptView['error']) ?? null,
    retryable: (row.retryable as boolean | null) ?? null,
    workerId: (row.worker_id as string | null) ?? null,
  };
}

function toWorkflow(row: Row): WorkflowView {
  return {
    name: row.name as string,
    latestVersion: row.latest_version as number,
    versionCount: row.version_count as number,
    createdAt: iso(row.created_at)!,
    updatedAt: iso(row.updated_at)!,
  };
}

function toWorkflowVersion(row: Row): WorkflowVersionView {
  return {
    name: row.name as string,
    version: row.version as number,
    contentHash: row.content_hash as string,
    definition: row.definition,
    registeredAt: iso(row.registered_at)!,
  };
}

function toSchedule(row: Row): ScheduleView {
  const lastMissedFrom = iso(row.last_missed_from);
  const lastMissedBefore = iso(row.last_missed_before);
  return {
    id: row.id as string,
    workflow: {
      name: row.workflow_name as string,
      version: (row.workflow_version as number | null) ?? null,
    },
    status: row.status as ScheduleView['status'],
    definition: row.definition,
    nextNominalTime: iso(row.next_nominal_time),
    nextFireAt: iso(row.next_fire_at),
    lastFiredAt: iso(row.last_fired_at),
    lastNominalTime: iso(row.last_nominal_time),
    lastFiredTrigger: (row.last_fired_trigger as ScheduleView['lastFiredTrigger']) ?? null,
    lastRunId: (row.last_run_id as string | null) ?? null,
    lastFinishedRunId: (row.last_finished_run_id as string | null) ?? null,
    lastOutcome: (row.last_outcome as ScheduleView['lastOutcome']) ?? null,
    lastFinishedAt: iso(row.last_finished_at),
    runningCount: row.running_count as number,
    fireCount: row.fire_count as number,
    skippedCount: row.skipped_count as number,
    bufferedCount: row.buffered_count as number,
    missedReportCount: row.missed_report_count as number,
    lastMissed:
      lastMissedFrom && lastMissedBefore ? { from: lastMissedFrom, before: lastMissedBefore } : null,
    backfillCount: row.backfill_count as number,
    outcomeCounts: {
      completed: row.completed_count as number,
      failed: row.failed_count as number,
      cancelled: row.cancelled_count as number,
      timedOut: row.timed_out_count as number,
      refused: row.refused_count as number,
    },
    createdAt: iso(row.created_at)!,
    updatedAt: iso(row.updated_at)!,
  };
}
