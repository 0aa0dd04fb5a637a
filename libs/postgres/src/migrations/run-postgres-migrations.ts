import { execFile } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { type ClientConfig } from 'pg';

export type MigrateOptions = {
  /** How node-pg-migrate connects: a connection string or pg client settings. */
  connection: string | ClientConfig;
  schema: string;
};

export type PostgresMigrationOptions = MigrateOptions & {
  /** Folder of SQL migrations (`NNNN_name.sql` with `-- Up Migration`). */
  dir: string;
};

/**
 * Brings a schema up to date with node-pg-migrate (bookkeeping in `<schema>.pgmigrations`): applied
 * migrations are skipped, and each schema has an advisory lock of its own that callers wait for, so
 * services starting together migrate their schemas side by side and two instances of one take turns.
 *
 * node-pg-migrate 9 is ESM-only and Jest cannot load it without --experimental-vm-modules, so it runs
 * in a short-lived child Node process: one code path for services, tests and scripts (ADR 0021).
 */
export async function runPostgresMigrations({
  connection,
  schema,
  dir,
}: PostgresMigrationOptions): Promise<void> {
  const options = {
    databaseUrl: connection,
    schema,
    createSchema: true,
    migrationsTable: 'pgmigrations',
    dir,
    direction: 'up',
    checkOrder: true,
    lockValue: advisoryLockKey(schema),
    advisoryLockMode: 'wait',
  };
  const script = `
    const { runner } = await import(${JSON.stringify(pathToFileURL(require.resolve('node-pg-migrate')).href)});
    await runner({ ...JSON.parse(process.env.SPARK_MIGRATION), log: () => undefined });
  `;
  await new Promise<void>((resolve, reject) => {
    execFile(
      process.execPath,
      ['--input-type=module', '--eval', script],
      {
        env: { ...process.env, NODE_OPTIONS: '', SPARK_MIGRATION: JSON.stringify(options) },
        timeout: 120_000,
      },
      (error, _stdout, stderr) => {
        if (error)
          reject(
            new Error(`Migration of schema "${schema}" failed: ${stderr.trim() || error.message}`, {
              cause: error,
            }),
          );
        else resolve();
      },
    );
  });
}

/** A stable 31-bit key for the schema's migration lock. */
function advisoryLockKey(schema: string): number {
  let hash = 7;
  for (const char of `spark-migrations:${schema}`) hash = (Math.imul(hash, 31) + char.charCodeAt(0)) | 0;
  return hash & 0x7fffffff;
}
