import { type RecordedEvent } from '@spark/event-store';
import { type Pool, type PoolClient, type QueryResult } from 'pg';
import { runStatements, type Statement } from '@spark/postgres';
import { newRunViewCache, runViewStatements, type StoredRunViewRow } from '../run-view/run-view-rows';
import { attemptStatements, runUpdatesStatement } from './bulk-statements';
import { coalesceChanges } from './coalesce-changes';
import { projectEvent } from './project-event';
import { type ReadModelChange, SCHEDULE_COUNTERS } from './read-model-change';

export const READ_MODEL_CHECKPOINT = 'read-model';
export const PUBLIC_EVENTS_CHECKPOINT = 'public-events';
/** Checkpoint value before the first event. */
export const NO_POSITION = -1n;
/** SQLSTATE of the deferred checkpoint compare-and-set that found the checkpoint moved. */
const DIVISION_BY_ZERO = '22012';

/** Another writer moved the checkpoint (a second projector, or a rebuild swapped the schema in). */
export class CheckpointConflictError extends Error {
  readonly code = 'CHECKPOINT_CONFLICT';
  constructor(
    readonly checkpoint: string,
    readonly expected: bigint,
    readonly actual: bigint | undefined,
  ) {
    super(
      `checkpoint "${checkpoint}" was expected at ${expected} but is at ${actual ?? 'nothing'}; reload and resume`,
    );
  }
}

export interface AppliedBatch {
  /** The checkpoint after the batch. */
  position: bigint;
  /** Workflow of every run the batch touched, read in the same transaction (for public events). */
  runWorkflows: Map<string, { name: string; version: number }>;
}

/**
 * Writes batches of events into the read-model tables of one schema. A batch is one transaction that
 * first moves the checkpoint with a compare-and-set (expected → last position of the batch) and then
 * writes the rows: a batch applied twice, or by two instances, commits once. The rows guard themselves
 * too (each keeps the position of the last event applied to it), so the same event never counts twice.
 */
export class ProjectionApplier {
  private readonly s: string;
  /** This applier's last written run views (the next batch of a run in flight need not read it back). */
  private readonly runViews = newRunViewCache();

  constructor(
    private readonly pool: Pool,
    readonly schema: string,
  ) {
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`"${schema}" is not a valid schema name`);
    this.s = schema;
  }

  async loadCheckpoint(name = READ_MODEL_CHECKPOINT): Promise<bigint> {
    return loadCheckpoint(this.pool, this.schema, name);
  }

  /**
   * Applies `events` (in global order, all after `expected`) and moves the checkpoint to the last one,
   * in two round trips: the read of the batch's run views, then the transaction (BEGIN, the checkpoint's
   * compare-and-set, every write, COMMIT) in one message (docs/adr/0043, docs/adr/0050).
   */
  async applyBatch(events: readonly RecordedEvent[], expected: bigint): Promise<AppliedBatch> {
    const client = await this.pool.connect();
    try {
      return await this.apply(client, events, expected, true);
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** The same inside a transaction the caller owns. */
  async applyBatchIn(
    client: PoolClient,
    events: readonly RecordedEvent[],
    expected: bigint,
  ): Promise<AppliedBatch> {
    return this.apply(client, events, expected, false);
  }

  private async apply(
    client: PoolClient,
    events: readonly RecordedEvent[],
    expected: bigint,
    ownTransaction: boolean,
  ): Promise<AppliedBatch> {
    const last = events.at(-1);
    if (!last) return { position: expected, runWorkflows: new Map() };
    const changes = events.flatMap((event) => projectEvent(event));
    const runIds = new Set<string>();
    for (const change of changes) if ('runId' in change) runIds.add(change.runId);
    const { statements, others } = this.changeStatements(changes);
    const views = runViewStatements(this.s, events, this.runViews);
    const checkpoint = {
      set: `UPDATE ${this.s}.projection_checkpoints SET position = $2, recorded_at = $3
            WHERE name = $1 AND position = $4`,
      values: [READ_MODEL_CHECKPOINT, last.position.toString(), last.recordedAt, expected.toString()],
    };
    // The usual batch (run events only) takes its transaction id in its last round trip: a transaction
    // with an id holds back every event-store reader of this PostgreSQL until it ends (ADR 0021), so it
    // reads the run views first, outside it, and compares-and-sets the checkpoint as the first write.
    // Another writer moving the checkpoint in between fails that compare-and-set, and nothing is written.
    // Workflow and schedule changes are rare and branch on what they find: one by one, after the
    // compare-and-set, in a transaction begun in the first round trip, as are batches in a caller's.
    const deferred = ownTransaction && others.length === 0;
    const firstTrip = await runStatements(client, [
      ...(deferred
        ? []
        : [
            ...(ownTransaction ? [{ text: 'BEGIN' }] : []),
            { text: checkpoint.set, values: checkpoint.values },
          ]),
      ...(views ? [views.read] : []),
    ]);
    if (!deferred) {
      const moved = firstTrip[ownTransaction ? 1 : 0]!;
      if (moved.rowCount !== 1) throw await this.conflict(client, expected);
    }
    const viewRows = views ? firstTrip.at(-1)! : undefined;
    for (const change of others) await this.applyChange(client, change);
    const viewWrite = views?.write(viewRows!.rows as StoredRunViewRow[]);
    const lastTrip: Statement[] = [
      ...(deferred
        ? [
            { text: 'BEGIN' },
            // Fails the whole message (division by zero) unless it moved exactly the expected checkpoint.
            {
              text: `WITH moved AS (${checkpoint.set} RETURNING 1) SELECT 1 / count(*)::int AS moved FROM moved`,
              values: checkpoint.values,
            },
          ]
        : []),
      ...statements,
      ...(viewWrite ? [viewWrite.statement] : []),
      ...(runIds.size > 0
        ? [
            {
              text: `SELECT id, workflow_name, workflow_version FROM ${this.s}.runs WHERE id = ANY($1::text[])`,
              values: [[...runIds]],
            },
          ]
        : []),
      ...(ownTransaction ? [{ text: 'COMMIT' }] : []),
    ];
    let results: QueryResult[];
    try {
      results = await runStatements(client, lastTrip);
    } catch (error) {
      if (deferred && (error as { code?: string }).code === DIVISION_BY_ZERO) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw await this.conflict(client, expected);
      }
      throw error;
    }
    viewWrite?.written();
    const runWorkflows = new Map<string, { name: string; version: number }>();
    if (runIds.size > 0) {
      const rows = results.at(ownTransaction ? -2 : -1)!.rows as {
        id: string;
        workflow_name: string;
        workflow_version: number;
      }[];
      for (const row of rows)
        runWorkflows.set(row.id, { name: row.workflow_name, version: row.workflow_version });
    }
    return { position: last.position, runWorkflows };
  }

  private async conflict(client: PoolClient, expected: bigint): Promise<CheckpointConflictError> {
    const actual = await loadCheckpoint(client, this.schema, READ_MODEL_CHECKPOINT).catch(() => undefined);
    return new CheckpointConflictError(READ_MODEL_CHECKPOINT, expected, actual);
  }

  /**
   * A batch's run changes in a few statements (see coalesceChanges): new runs first (the updates after
   * them need their rows), then the merged run and attempt changes; `others` (workflow
   * and schedule changes) are left to `applyChange`, in order.
   */
  private changeStatements(changes: readonly ReadModelChange[]): {
    statements: Statement[];
    others: ReadModelChange[];
  } {
    const { runsStarted, runUpdates, attempts, others } = coalesceChanges(changes);
    const s = this.s;
    const statements: Statement[] = [];
    if (runsStarted.length > 0)
      statements.push({
        text: `INSERT INTO ${s}.runs (id, workflow_name, workflow_version, status, input, parent_run_id,
           parent_step_id, idempotency_key, created_at, updated_at, last_revision, last_position, labels)
         SELECT id, workflow_name, workflow_version, 'running', input, parent_run_id, parent_step_id,
           idempotency_key, created_at, created_at, last_revision, last_position, labels
         FROM unnest($1::text[], $2::text[], $3::int[], $4::jsonb[], $5::text[], $6::text[], $7::text[],
           $8::timestamptz[], $9::bigint[], $10::bigint[], $11::jsonb[])
           AS r(id, workflow_name, workflow_version, input, parent_run_id, parent_step_id, idempotency_key,
             created_at, last_revision, last_position, labels)
         ON CONFLICT (id) DO NOTHING`,
        values: [
          runsStarted.map((change) => change.runId),
          runsStarted.map((change) => change.workflowName),
          runsStarted.map((change) => change.workflowVersion),
          runsStarted.map((change) => json(change.input)),
          runsStarted.map((change) => change.parentRunId),
          runsStarted.map((change) => change.parentStepId),
          runsStarted.map((change) => change.idempotencyKey),
          runsStarted.map((change) => change.createdAt),
          runsStarted.map((change) => change.revision.toString()),
          runsStarted.map((change) => change.position.toString()),
          runsStarted.map((change) => json(change.labels)),
        ],
      });
    const runUpdate = runUpdatesStatement(s, runUpdates);
    if (runUpdate) statements.push(runUpdate);
    statements.push(...attemptStatements(s, attempts));
    return { statements, others };
  }

  /** One change as SQL; every statement is a no-op when the row already reflects this event or a later one. */
  async applyChange(client: PoolClient, change: ReadModelChange): Promise<void> {
    const s = this.s;
    switch (change.kind) {
      case 'workflowVersionRegistered': {
        const inserted = await client.query(
          `INSERT INTO ${s}.workflow_versions (name, version, content_hash, definition, registered_at, position)
           VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
          [
            change.name,
            change.version,
            change.contentHash,
            json(change.definition),
            change.registeredAt,
            change.position.toString(),
          ],
        );
        if (inserted.rowCount === 0) return;
        await client.query(
          `INSERT INTO ${s}.workflows AS w (name, latest_version, version_count, created_at, updated_at)
           VALUES ($1, $2, 1, $3, $3)
           ON CONFLICT (name) DO UPDATE SET
             latest_version = GREATEST(w.latest_version, EXCLUDED.latest_version),
             version_count = (SELECT count(*) FROM ${s}.workflow_versions v WHERE v.name = $1),
             updated_at = GREATEST(w.updated_at, EXCLUDED.updated_at)`,
          [change.name, change.version, change.registeredAt],
        );
        return;
      }
      case 'runStarted':
        await client.query(
          `INSERT INTO ${s}.runs (id, workflow_name, workflow_version, status, input, parent_run_id,
             parent_step_id, idempotency_key, created_at, updated_at, last_revision, last_position, labels)
           VALUES ($1, $2, $3, 'running', $4, $5, $6, $7, $8, $8, $9, $10, $11) ON CONFLICT (id) DO NOTHING`,
          [
            change.runId,
            change.workflowName,
            change.workflowVersion,
            json(change.input),
            change.parentRunId,
            change.parentStepId,
            change.idempotencyKey,
            change.createdAt,
            change.revision.toString(),
            change.position.toString(),
            json(change.labels),
          ],
        );
        return;
      case 'runUpdated': {
        const set = new SetClause(3);
        for (const [column, value] of columnsOf(change.patch)) {
          if (column === 'started_at') set.raw(`started_at = COALESCE(started_at, $${set.param(value)})`);
          else set.add(column, value);
        }
        set.add('updated_at', change.at);
        set.add('last_revision', change.revision.toString());
        set.add('last_position', change.position.toString());
        await client.query(`UPDATE ${s}.runs SET ${set.sql()} WHERE id = $1 AND last_position < $2`, [
          change.runId,
          change.position.toString(),
          ...set.values,
        ]);
        return;
      }
      case 'attemptUpserted': {
        const fields = columnsOf({
          purpose: change.taskId.endsWith('#compensate') ? 'compensation' : 'step',
          status: 'scheduled',
          ...change.fields,
          stepId: change.stepId,
        });
        const names = fields.map(([column]) => column);
        const updated = [...columnsOf(change.fields).map(([column]) => column), 'step_id'];
        const values = fields.map(([, value]) => value);
        await client.query(
          `INSERT INTO ${s}.step_attempts AS a (run_id, task_id, attempt, last_position, ${names.join(', ')})
           VALUES ($1, $2, $3, $4, ${names.map((_, i) => `$${i + 5}`).join(', ')})
           ON CONFLICT (run_id, task_id, attempt) DO UPDATE SET
             last_position = EXCLUDED.last_position,
             ${[...new Set(updated)].map((name) => `${name} = EXCLUDED.${name}`).join(', ')}
           WHERE a.last_position < EXCLUDED.last_position`,
          [change.runId, change.taskId, change.attempt, change.position.toString(), ...values],
        );
        return;
      }
      case 'attemptUpdated': {
        const set = new SetClause(5);
        for (const [column, value] of columnsOf(change.fields)) set.add(column, value);
        set.add('last_position', change.position.toString());
        await client.query(
          `UPDATE ${s}.step_attempts SET ${set.sql()}
           WHERE run_id = $1 AND task_id = $2 AND attempt = $3 AND last_position < $4`,
          [change.runId, change.taskId, change.attempt, change.position.toString(), ...set.values],
        );
        return;
      }
      case 'scheduleCreated':
        await client.query(
          `INSERT INTO ${s}.schedules (id, workflow_name, workflow_version, status, definition, created_at,
             updated_at, last_position)
           VALUES ($1, $2, $3, 'active', $4, $5, $5, $6) ON CONFLICT (id) DO NOTHING`,
          [
            change.scheduleId,
            change.workflowName,
            change.workflowVersion,
            json(change.definition),
            change.createdAt,
            change.position.toString(),
          ],
        );
        return;
      case 'scheduleUpdated': {
        const { countFire, count, runStarted, runFinished, ...patch } = change.patch;
        const set = new SetClause(3);
        for (const [column, value] of columnsOf(patch)) set.add(column, value);
        if (countFire) set.raw('fire_count = fire_count + 1');
        if (count !== undefined) {
          if (!SCHEDULE_COUNTERS.includes(count)) throw new Error(`"${count}" is not a schedule counter`);
          const column = `${snakeCase(count)}_count`;
          set.raw(`${column} = ${column} + 1`);
        }
        if (runStarted !== undefined) {
          // Every SET expression sees the row before the update, hence the repeated membership test.
          const key = `$${set.param(runStarted)}::text`;
          const isNew = `NOT (${key} = ANY(running_keys))`;
          set.raw(
            `running_keys = CASE WHEN ${isNew} THEN array_append(running_keys, ${key}) ELSE running_keys END`,
          );
          set.raw(`running_count = cardinality(running_keys) + CASE WHEN ${isNew} THEN 1 ELSE 0 END`);
        }
        if (runFinished !== undefined) {
          const key = `$${set.param(runFinished)}::text`;
          set.raw(`running_keys = array_remove(running_keys, ${key})`);
          set.raw(`running_count = cardinality(array_remove(running_keys, ${key}))`);
        }
        set.add('updated_at', change.at);
        set.add('last_position', change.position.toString());
        await client.query(`UPDATE ${s}.schedules SET ${set.sql()} WHERE id = $1 AND last_position < $2`, [
          change.scheduleId,
          change.position.toString(),
          ...set.values,
        ]);
        return;
      }
      default: {
        const _exhaustive: never = change;
        return _exhaustive;
      }
    }
  }
}

export async function loadCheckpoint(
  client: Pool | PoolClient,
  schema: string,
  name: string,
): Promise<bigint> {
  const { rows } = await client.query<{ position: string }>(
    `SELECT position FROM ${schema}.projection_checkpoints WHERE name = $1`,
    [name],
  );
  return rows[0] ? BigInt(rows[0].position) : NO_POSITION;
}

/** Moves a checkpoint forward only (never back), outside the read-model transaction. */
export async function advanceCheckpoint(
  pool: Pool,
  schema: string,
  name: string,
  position: bigint,
): Promise<void> {
  await pool.query(
    `UPDATE ${schema}.projection_checkpoints SET position = $2 WHERE name = $1 AND position < $2`,
    [name, position.toString()],
  );
}

const JSON_COLUMNS = new Set(['input', 'output', 'error', 'definition']);

/** camelCase fields → snake_case columns; undefined fields are left out, JSON columns serialised. */
function columnsOf(fields: object): [string, unknown][] {
  const columns: [string, unknown][] = [];
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    const column = snakeCase(key);
    columns.push([column, JSON_COLUMNS.has(column) ? json(value) : value]);
  }
  return columns;
}

const snakeCase = (name: string): string => name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

const json = (value: unknown): string | null =>
  value === undefined || value === null ? null : JSON.stringify(value);

/** `a = $n, b = $m` with parameters numbered after the statement's own. */
class SetClause {
  readonly values: unknown[] = [];
  private readonly parts: string[] = [];

  /** `firstParam`: the number of the first parameter this clause may use. */
  constructor(private readonly firstParam: number) {}

  param(value: unknown): number {
    this.values.push(value);
    return this.firstParam + this.values.length - 1;
  }

  add(column: string, value: unknown): void {
    this.parts.push(`${column} = $${this.param(value)}`);
  }

  raw(sql: string): void {
    this.parts.push(sql);
  }

  sql(): string {
    return this.parts.join(', ');
  }
}
