import { type Statement } from '@spark/postgres';
import { type AttemptFields, type ReadModelChange, type RunPatch } from './read-model-change';

type Change<Kind extends ReadModelChange['kind']> = Extract<ReadModelChange, { kind: Kind }>;
export type AttemptChange = Change<'attemptUpserted'> | Change<'attemptUpdated'>;

type ColumnType = 'text' | 'integer' | 'boolean' | 'timestamptz' | 'jsonb';

/** The columns a run patch may set, by field. */
const RUN_COLUMNS: Record<keyof RunPatch, [column: string, type: ColumnType]> = {
  status: ['status', 'text'],
  output: ['output', 'jsonb'],
  error: ['error', 'jsonb'],
  failedStep: ['failed_step', 'text'],
  runAttempt: ['run_attempt', 'integer'],
  startedAt: ['started_at', 'timestamptz'],
  finishedAt: ['finished_at', 'timestamptz'],
};

/** The columns of `step_attempts` an attempt change may set, by field. */
const ATTEMPT_COLUMNS: Record<keyof AttemptFields, [column: string, type: ColumnType]> = {
  stepId: ['step_id', 'text'],
  itemIndex: ['item_index', 'integer'],
  purpose: ['purpose', 'text'],
  status: ['status', 'text'],
  handler: ['handler', 'text'],
  queue: ['queue', 'text'],
  childRunId: ['child_run_id', 'text'],
  scheduledFor: ['scheduled_for', 'timestamptz'],
  dispatchedAt: ['dispatched_at', 'timestamptz'],
  startedAt: ['started_at', 'timestamptz'],
  finishedAt: ['finished_at', 'timestamptz'],
  input: ['input', 'jsonb'],
  output: ['output', 'jsonb'],
  error: ['error', 'jsonb'],
  retryable: ['retryable', 'boolean'],
  workerId: ['worker_id', 'text'],
};

/**
 * The value of `field` in the JSON object `object`, as its column's type. A JSON null is SQL NULL
 * (also for jsonb columns, as the one-row statements store it).
 */
function valueOf(object: string, field: string, type: ColumnType): string {
  if (type === 'jsonb') return `NULLIF(${object} -> '${field}', 'null'::jsonb)`;
  if (type === 'text') return `(${object} ->> '${field}')`;
  return `(${object} ->> '${field}')::${type}`;
}

/** `column = <value>` when the patch names the field, else the column as it is. */
function setWhenPresent(table: string, object: string, field: string, [column, type]: [string, ColumnType]) {
  return `${column} = CASE WHEN ${object} ? '${field}' THEN ${valueOf(object, field, type)} ELSE ${table}.${column} END`;
}

/** Only the fields that are set, under their own names (undefined means "leave the column"). */
function definedFields(fields: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
}

/**
 * Every run update of a batch (at most one per run, see coalesceChanges) in one statement: each row
 * takes the fields its patch names, `started_at` only fills an empty cell, and a row that already
 * reflects this event or a later one is left alone.
 */
export function runUpdatesStatement(
  schema: string,
  updates: readonly Change<'runUpdated'>[],
): Statement | undefined {
  if (updates.length === 0) return undefined;
  const sets = Object.entries(RUN_COLUMNS).map(([field, spec]) =>
    field === 'startedAt'
      ? `started_at = COALESCE(r.started_at, ${valueOf('u.patch', field, 'timestamptz')})`
      : setWhenPresent('r', 'u.patch', field, spec),
  );
  return {
    text: `UPDATE ${schema}.runs AS r SET ${sets.join(', ')},
       updated_at = u.at, last_revision = u.revision, last_position = u.position
     FROM jsonb_to_recordset($1::jsonb) AS u(id text, patch jsonb, at timestamptz, revision bigint, position bigint)
     WHERE r.id = u.id AND r.last_position < u.position`,
    values: [
      JSON.stringify(
        updates.map((update) => ({
          id: update.runId,
          patch: definedFields(update.patch),
          at: update.at,
          revision: update.revision.toString(),
          position: update.position.toString(),
        })),
      ),
    ],
  };
}

/**
 * A batch's attempt changes in one statement per round: round n holds the n-th change of each
 * attempt (coalesceChanges leaves more than one only where an upsert follows another change), so one
 * statement never touches a row twice (the statements run in order) and each attempt sees its changes in order. An existing row
 * takes the fields a change names (an upsert also its step id) unless it reflects a later event; a
 * missing row is created by an upsert and left missing by an update.
 */
export function attemptStatements(schema: string, attempts: readonly AttemptChange[]): Statement[] {
  return rounds(attempts).map((round) => attemptRoundStatement(schema, round));
}

function rounds(attempts: readonly AttemptChange[]): AttemptChange[][] {
  const result: AttemptChange[][] = [];
  const seen = new Map<string, number>();
  for (const change of attempts) {
    const key = `${change.runId}\u0000${change.taskId}\u0000${change.attempt}`;
    const round = seen.get(key) ?? 0;
    seen.set(key, round + 1);
    (result[round] ??= []).push(change);
  }
  return result;
}

function attemptRoundStatement(schema: string, round: readonly AttemptChange[]): Statement {
  const rows = round.map((change) => {
    const upsert = change.kind === 'attemptUpserted';
    return {
      run_id: change.runId,
      task_id: change.taskId,
      attempt: change.attempt,
      position: change.position.toString(),
      upsert,
      fields: definedFields(upsert ? { ...change.fields, stepId: change.stepId } : change.fields),
      purpose: change.taskId.endsWith('#compensate') ? 'compensation' : 'step',
    };
  });
  const sets = Object.entries(ATTEMPT_COLUMNS).map(([field, spec]) =>
    setWhenPresent('a', 'u.fields', field, spec),
  );
  const inserted = Object.entries(ATTEMPT_COLUMNS).filter(
    ([field]) => field !== 'purpose' && field !== 'status',
  );
  return {
    text: `WITH u AS (
       SELECT * FROM jsonb_to_recordset($1::jsonb)
         AS u(run_id text, task_id text, attempt integer, position bigint, upsert boolean, fields jsonb, purpose text)
     ),
     updated AS (
       UPDATE ${schema}.step_attempts AS a SET ${sets.join(', ')}, last_position = u.position
         FROM u
        WHERE a.run_id = u.run_id AND a.task_id = u.task_id AND a.attempt = u.attempt
          AND a.last_position < u.position
     )
     INSERT INTO ${schema}.step_attempts (run_id, task_id, attempt, last_position, purpose, status,
         ${inserted.map(([, [column]]) => column).join(', ')})
     SELECT u.run_id, u.task_id, u.attempt, u.position,
            COALESCE(u.fields ->> 'purpose', u.purpose), COALESCE(u.fields ->> 'status', 'scheduled'),
            ${inserted.map(([field, [, type]]) => valueOf('u.fields', field, type)).join(', ')}
       FROM u
      WHERE u.upsert AND NOT EXISTS (
        SELECT 1 FROM ${schema}.step_attempts AS a
         WHERE a.run_id = u.run_id AND a.task_id = u.task_id AND a.attempt = u.attempt)
     ON CONFLICT (run_id, task_id, attempt) DO NOTHING`,
    values: [JSON.stringify(rows)],
  };
}
