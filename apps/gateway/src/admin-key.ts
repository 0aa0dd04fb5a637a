// `tools/admin-key`: issues a new admin API key by writing it into the gateway's database, for whoever
// can reach that database (the recovery path when no admin key is left, or the bootstrap key was revoked).
// Prints the key once on stdout; everything else goes to stderr.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createPgPool, pgUrlFromEnv, runPostgresMigrations } from '@spark/postgres';
import { ApiKeyStore } from './auth/api-key-store';
import { loadGatewaySettings } from './settings/gateway-settings';

const USAGE = `usage: tools/admin-key [--name NAME]

Issues a new API key with the admin scope straight into the gateway's database (SPARK_PG_URL, schema
SPARK_GATEWAY_SCHEMA) and prints it once. Needs no API key: access to the database is the authority.`;

async function issueAdminKey(): Promise<void> {
  const { values } = parseArgs({
    options: { name: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: false,
  });
  if (values.help) {
    process.stderr.write(`${USAGE}\n`);
    return;
  }
  const name = values.name ?? `recovery-${new Date().toISOString().slice(0, 19).replace(/[T:]/g, '-')}`;
  if (!/^[\w .:-]{1,100}$/.test(name))
    throw new Error('--name must be 1-100 letters, digits, spaces, "_", ".", ":" or "-"');
  const { schema } = loadGatewaySettings({ ...process.env, SPARK_GATEWAY_BOOTSTRAP_KEY: '' });
  const pgUrl = pgUrlFromEnv();
  // The gateway may never have run against this database: its tables are created as it would.
  await runPostgresMigrations({ connection: pgUrl, schema, dir: path.join(__dirname, 'migrations') });
  const pool = createPgPool(pgUrl, 'spark-admin-key', 1);
  try {
    const keys = new ApiKeyStore({ pool, table: (table) => `"${schema}"."${table}"` });
    const created = await keys.create(name, ['admin']);
    process.stderr.write(`issued admin API key "${created.name}" (id ${created.id}) in schema ${schema}\n`);
    process.stdout.write(`${created.key}\n`);
  } finally {
    await pool.end();
  }
}

issueAdminKey().catch((error: unknown) => {
  process.stderr.write(`admin-key: ${(error as Error).message}\n`);
  process.exitCode = 1;
});
