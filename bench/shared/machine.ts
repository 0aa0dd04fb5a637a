import os from 'node:os';
import { Client } from 'pg';

/** The machine a benchmark ran on, as Markdown list items: CPU, memory, OS, Node and PostgreSQL. */
export async function describeMachine(connectionString: string): Promise<string[]> {
  const client = new Client({ connectionString });
  await client.connect();
  const { rows } = await client.query<{ version: string }>('SELECT version()');
  const settings = await client.query<{ name: string; setting: string }>(
    "SELECT name, setting FROM pg_settings WHERE name IN ('synchronous_commit', 'fsync', 'shared_buffers', 'max_connections')",
  );
  await client.end();
  const cpus = os.cpus();
  return [
    `- CPU: ${cpus[0]?.model ?? 'unknown'} × ${cpus.length} (os.availableParallelism ${os.availableParallelism()})`,
    `- Memory: ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB total, ${(os.freemem() / 2 ** 30).toFixed(1)} GiB free`,
    `- Load average (1/5/15 min): ${os
      .loadavg()
      .map((load) => load.toFixed(2))
      .join(' / ')}`,
    `- OS: ${os.type()} ${os.release()} ${os.arch()}`,
    `- Node.js: ${process.version}`,
    `- PostgreSQL: ${rows[0]?.version ?? 'unknown'} (${settings.rows.map((row) => `${row.name}=${row.setting}`).join(', ')}), same machine, TCP loopback`,
  ];
}
