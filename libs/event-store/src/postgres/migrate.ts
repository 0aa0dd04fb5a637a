import { execFile } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { type ClientConfig } from 'pg';

export type MigrateOptions = {
  /** How node-pg-migrate connects: a connection string or pg client settings. */
  connection: string | ClientConfig;
  schema: string;
};

/**
 * Brings the event store's schema up to date with node-pg-migrate (SQL migrations in ./migrations,
 * bookkeeping in `<schema>.pgmigrations`). Safe on every start: applied migrations are skipped and
 * concurrent callers wait on node-pg-migrate's advisory lock.
 *
 * node-pg-migrate 9 is ESM-only and Jest cannot load it without --experimental-vm-modules, so it runs
 * in a short-lived child Node process: one code path for services, tests and scripts (ADR 0021).
 */
export async function migrateEventStoreSchema({ connection, schema }: MigrateOptions): Promise<void> {
  const options = {
    databaseUrl: connection,
    schema,
    createSchema: true,
    migrationsTable: 'pgmigrations',
    dir: path.join(__dirname, 'migrations'),
    direction: 'up',
    checkOrder: true,
  };
  const script = `
    const { runner } = await import(${JSON.stringify(pathToFileURL(require.resolve('node-pg-migrate')).href)});
    await runner({ ...JSON.parse(process.env.SPARK_EVENT_STORE_MIGRATION), log: () => undefined });
  `;
  await new Promise<void>((resolve, reject) => {
    execFile(
      process.execPath,
      ['--input-type=module', '--eval', script],
      { env: { ...process.env, SPARK_EVENT_STORE_MIGRATION: JSON.stringify(options) }, timeout: 120_000 },
      (error, _stdout, stderr) => {
        if (error)
          reject(
            new Error(
              `Event store migration of schema "${schema}" failed: ${stderr.trim() || error.message}`,
              { cause: error },
            ),
          );
        else resolve();
      },
    );
  });
}
