import { RUN_STREAM_PREFIX } from '@spark/contracts';
import { type RecordedEvent } from '@spark/event-store';
import { LRUCache } from 'lru-cache';
import { type Statement } from '@spark/postgres';
import { type Pool, type PoolClient } from 'pg';
import { emptyRunView, foldRunView, type RunViewState } from './run-view';

/** A view as `run_views.view` keeps it (the revision is a column of its own). */
type StoredRunView = Omit<RunViewState, 'revision'>;

const toStored = ({ revision: _revision, ...view }: RunViewState): StoredRunView => view;
const fromStored = (stored: StoredRunView, revision: string | bigint): RunViewState => ({
  ...stored,
  revision: BigInt(revision),
});

/** A view as this projector last wrote it, with the global position it covers. */
interface WrittenRunView {
  view: StoredRunView;
  revision: string;
  position: string;
}

/**
 * The views a projector wrote last, so that the next batch of a run still in flight need not read its
 * view back. An entry is trusted only while the row still covers the same position (checked in the
 * same read), so a rolled-back batch, another writer or a rebuild swapped in cannot make it stale.
 */
export type RunViewCache = LRUCache<string, WrittenRunView>;

export const newRunViewCache = (max = 20_000): RunViewCache => new LRUCache({ max });

/** What the read of a batch's run views returns (one row per run that has a view). */
export interface StoredRunViewRow {
  run_id: string;
  view: StoredRunView | null;
  last_revision: string;
  last_position: string;
}

/**
 * The run views of a batch in two statements, for the caller to run inside its transaction (one
 * read, then one write for the whole batch): `read` reads the batch's runs' stored views, `write`
 * folds the batch's events onto what the read returned. Events a row already covers (by global
 * position) are skipped and a row only moves forward, so a batch applied twice leaves the same rows.
 * With a `cache`, the read returns a view only where the cached one is not the row's; the cache takes
 * the written views once `written()` is called (after the write succeeded).
 */
export function runViewStatements(
  schema: string,
  events: readonly RecordedEvent[],
  cache?: RunViewCache,
):
  | undefined
  | {
      read: Statement;
      write(rows: readonly StoredRunViewRow[]): { statement: Statement; written(): void } | undefined;
    } {
  const byRun = new Map<string, RecordedEvent[]>();
  for (const event of events) {
    if (!event.streamName.startsWith(RUN_STREAM_PREFIX)) continue;
    const runId = event.streamName.slice(RUN_STREAM_PREFIX.length);
    const list = byRun.get(runId);
    if (list) list.push(event);
    else byRun.set(runId, [event]);
  }
  if (byRun.size === 0) return undefined;
  const runIds = [...byRun.keys()];
  const cached = new Map<string, WrittenRunView>();
  for (const runId of runIds) {
    const entry = cache?.get(runId);
    if (entry) cached.set(runId, entry);
  }
  const read: Statement = {
    text: `SELECT r.run_id, r.last_revision::text, r.last_position::text,
            CASE WHEN c.position = r.last_position THEN NULL ELSE r.view END AS view
       FROM ${schema}.run_views r
       LEFT JOIN unnest($2::text[], $3::bigint[]) AS c(run_id, position) USING (run_id)
      WHERE r.run_id = ANY($1::text[])`,
    values: [runIds, [...cached.keys()], [...cached.values()].map((entry) => entry.position)],
  };
  const write = (rows: readonly StoredRunViewRow[]) => {
    const stored = new Map(
      rows.map((row) => [
        row.run_id,
        { ...row, view: row.view ?? cached.get(row.run_id)?.view ?? failMissingView(row.run_id) },
      ]),
    );
    const written: { run_id: string; view: StoredRunView; revision: string; position: string }[] = [];
    for (const [runId, runEvents] of byRun) {
      const row = stored.get(runId);
      const covered = row ? BigInt(row.last_position) : -1n;
      const fresh = runEvents.filter((event) => event.position > covered);
      if (fresh.length === 0) continue;
      const view = foldRunView(row ? fromStored(row.view, row.last_revision) : emptyRunView(), fresh);
      // A run whose RunStarted this read model never saw (its rows predate run_views) stays without one:
      // its readers fold its whole stream.
      if (view.state.status === 'notStarted') continue;
      written.push({
        run_id: runId,
        view: toStored(view),
        revision: view.revision.toString(),
        position: fresh.at(-1)!.position.toString(),
      });
    }
    if (written.length === 0) return undefined;
    return {
      statement: {
        text: `INSERT INTO ${schema}.run_views AS v (run_id, view, last_revision, last_position)
     SELECT run_id, view, revision, position
       FROM json_to_recordset($1::json) AS u(run_id text, view json, revision bigint, position bigint)
     ON CONFLICT (run_id) DO UPDATE SET
       view = EXCLUDED.view, last_revision = EXCLUDED.last_revision, last_position = EXCLUDED.last_position
     WHERE v.last_position < EXCLUDED.last_position`,
        values: [JSON.stringify(written)],
      },
      written: () => {
        for (const { run_id: runId, view, revision, position } of written)
          cache?.set(runId, { view, revision, position });
      },
    };
  };
  return { read, write };
}

/** `runViewStatements` run one after the other on `client` (inside the caller's transaction). */
export async function writeRunViews(
  client: PoolClient,
  schema: string,
  events: readonly RecordedEvent[],
  cache?: RunViewCache,
): Promise<void> {
  const statements = runViewStatements(schema, events, cache);
  if (!statements) return;
  const { rows } = await client.query<StoredRunViewRow>(statements.read.text, [
    ...(statements.read.values ?? []),
  ]);
  const write = statements.write(rows);
  if (!write) return;
  await client.query(write.statement.text, [...(write.statement.values ?? [])]);
  write.written();
}

function failMissingView(runId: string): never {
  // The read leaves a view out only where the cached one matched the row's position.
  throw new Error(`run_views returned no view for run ${runId}, and none was cached`);
}

/** The run's stored view, as of its `revision`; undefined when the read model has none (yet). */
export async function readRunView(
  pool: Pool | PoolClient,
  schema: string,
  runId: string,
): Promise<RunViewState | undefined> {
  const { rows } = await pool.query<{ view: StoredRunView; last_revision: string }>(
    `SELECT view, last_revision FROM ${schema}.run_views WHERE run_id = $1`,
    [runId],
  );
  const row = rows[0];
  return row ? fromStored(row.view, row.last_revision) : undefined;
}

/**
 * The run as it is now: the stored view (possibly behind the stream, the projector is asynchronous)
 * with the stream's events after its revision folded on, read after it (docs/adr/0133). `readFrom`
 * reads the run's stream from a revision on, and none when the stream does not exist.
 */
export async function currentRunView(
  stored: RunViewState | undefined,
  readFrom: (revision: bigint) => Promise<readonly RecordedEvent[]>,
): Promise<RunViewState> {
  const view = stored ?? emptyRunView();
  return foldRunView(view, await readFrom(view.revision + 1n));
}
