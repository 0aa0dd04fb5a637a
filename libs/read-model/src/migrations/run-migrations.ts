import { execFile } from 'node:child_process';
import { pathToFileURL } from 'node:url';

export interface MigrationOptions {
  /** A postgres:// URL. */
  connection: string;
  /** The schema the migrations create their tables in (created when missing). */
  schema: string;
  /** Folder of SQL migrations (`NNNN_name.sql` with `-- Up Migration`). */
  dir: string;
}

/**
 * Brings a schema up to date with node-pg-migrate: applied migrations are skipped and concurrent
 * callers wait on its advisory lock, so every service instance can run it on start.
 * node-pg-migrate 9 is ESM-only (Jest's CommonJS sandbox cannot load it), so it runs in a short-lived
 * child Node process: one code path for services, tests and scripts.
 */
export async function runMigrations({ connection, schema, dir }: MigrationOptions): Promise<void> {
  const options = {
    databaseUrl: connection,
    schema,
    createSchema: true,
    migrationsTable: 'pgmigrations',
    dir,
    direction: 'up',
    checkOrder: true,
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
