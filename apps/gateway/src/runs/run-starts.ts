import { createHash } from 'node:crypto';
import { type RunResource } from '@spark/contracts';
import { Coalescer } from '@spark/service-kit';
import { type GatewayStorage } from '../storage/gateway-storage';

/** What identifies a start request, for comparing a repeated Idempotency-Key with its first use. */
export interface StartFingerprint {
  workflow: string;
  /** The version as requested (null: "the latest"), not the one it resolved to. */
  version: number | null;
  /** SHA-256 of the canonical JSON of the input. */
  input: string;
  /** SHA-256 of the canonical JSON of the labels ({} when none). */
  labels: string;
}

export interface AcceptedStart {
  runId: string;
  idempotencyKey?: string;
  fingerprint: StartFingerprint;
  workflow: { name: string; version: number };
  input: unknown;
  labels?: Record<string, string>;
  acceptedAt: string;
}

/** JSON with object keys sorted at every level, so equal values have equal text. */
export const canonicalJson = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  return JSON.stringify(value ?? null);
};

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

export const fingerprintOf = (request: {
  workflow: string;
  version?: number;
  input?: unknown;
  labels?: Record<string, string>;
}): StartFingerprint => ({
  workflow: request.workflow,
  version: request.version ?? null,
  input: sha256(canonicalJson(request.input ?? null)),
  labels: sha256(canonicalJson(request.labels ?? {})),
});

/** The parts of two fingerprints that differ, by name (`workflow`, `version`, `input`, `labels`). */
export const differences = (a: StartFingerprint, b: StartFingerprint): (keyof StartFingerprint)[] =>
  (['workflow', 'version', 'input', 'labels'] as const).filter((part) => a[part] !== b[part]);

interface RunStartRow {
  run_id: string;
  idempotency_key: string | null;
  fingerprint: StartFingerprint;
  workflow_name: string;
  workflow_version: number;
  input: unknown;
  labels: Record<string, string> | null;
  accepted_at: Date;
}

const fromRow = (row: RunStartRow): AcceptedStart => ({
  runId: row.run_id,
  ...(row.idempotency_key === null ? {} : { idempotencyKey: row.idempotency_key }),
  fingerprint: row.fingerprint,
  workflow: { name: row.workflow_name, version: row.workflow_version },
  input: row.input,
  ...(row.labels ? { labels: row.labels } : {}),
  acceptedAt: row.accepted_at.toISOString(),
});

/**
 * Accepted starts in the gateway schema, shared by every gateway instance: written before the StartRun
 * command is sent, so a run is readable (PENDING) from any instance the moment its start is answered,
 * and a repeated Idempotency-Key finds the request it was first used with.
 */
export class RunStarts {
  /** Starts that arrive while an insert is in flight go in the next one, together. */
  private readonly inserts = new Coalescer<AcceptedStart, boolean>((starts) => this.insertAll(starts));

  constructor(private readonly storage: GatewayStorage) {}

  private get table() {
    return this.storage.table('run_starts');
  }

  /** Records a start; the start already recorded under its key (or run id) when there is one. */
  async record(
    start: AcceptedStart,
  ): Promise<{ recorded: true } | { recorded: false; existing: AcceptedStart }> {
    if (await this.inserts.submit(start)) return { recorded: true };
    const existing =
      (start.idempotencyKey === undefined ? undefined : await this.byKey(start.idempotencyKey)) ??
      (await this.byRunId(start.runId));
    if (!existing) throw new Error(`run start ${start.runId} conflicted but is not recorded`);
    return { recorded: false, existing };
  }

  /** One statement for many starts: for each, whether it was inserted (false: its key or run id exists). */
  private async insertAll(starts: readonly AcceptedStart[]): Promise<boolean[]> {
    const { rows } = await this.storage.pool.query<{ run_id: string }>(
      `INSERT INTO ${this.table}
         (run_id, idempotency_key, fingerprint, workflow_name, workflow_version, input, labels, accepted_at)
       SELECT run_id, idempotency_key, fingerprint, workflow_name, workflow_version, input, labels, accepted_at
         FROM jsonb_to_recordset($1::jsonb) AS s(run_id text, idempotency_key text, fingerprint jsonb,
           workflow_name text, workflow_version integer, input jsonb, labels jsonb, accepted_at timestamptz)
       ON CONFLICT DO NOTHING
       RETURNING run_id`,
      [
        JSON.stringify(
          starts.map((start) => ({
            run_id: start.runId,
            idempotency_key: start.idempotencyKey ?? null,
            fingerprint: start.fingerprint,
            workflow_name: start.workflow.name,
            workflow_version: start.workflow.version,
            input: start.input ?? null,
            labels: start.labels ?? null,
            accepted_at: start.acceptedAt,
          })),
        ),
      ],
    );
    const inserted = new Set(rows.map((row) => row.run_id));
    // Two starts of one batch with the same run id: the first is the one inserted.
    const claimed = new Set<string>();
    return starts.map((start) => {
      if (!inserted.has(start.runId) || claimed.has(start.runId)) return false;
      claimed.add(start.runId);
      return true;
    });
  }

  async byKey(idempotencyKey: string): Promise<AcceptedStart | undefined> {
    const { rows } = await this.storage.pool.query<RunStartRow>(
      `SELECT * FROM ${this.table} WHERE idempotency_key = $1`,
      [idempotencyKey],
    );
    return rows[0] ? fromRow(rows[0]) : undefined;
  }

  async byRunId(runId: string): Promise<AcceptedStart | undefined> {
    const { rows } = await this.storage.pool.query<RunStartRow>(
      `SELECT * FROM ${this.table} WHERE run_id = $1`,
      [runId],
    );
    return rows[0] ? fromRow(rows[0]) : undefined;
  }

  /** The run as it looks before the scheduler has started it. */
  static toResource(start: AcceptedStart): RunResource {
    return {
      runId: start.runId,
      workflow: start.workflow,
      status: 'PENDING',
      input: start.input,
      ...(start.labels ? { labels: start.labels } : {}),
      ...(start.idempotencyKey ? { idempotencyKey: start.idempotencyKey } : {}),
      acceptedAt: start.acceptedAt,
      steps: [],
    };
  }
}
