import path from 'node:path';
import { openEventStore, WorkflowCatalog } from '@spark/engine';
import { type EventStore } from '@spark/event-store';
import { createPgPool, runPostgresMigrations } from '@spark/postgres';
import { migrateReadModel, readModelSchemaFromEnv } from '@spark/read-model';
import { type Pool, type PoolClient } from 'pg';
import { type GatewaySettings } from '../settings/gateway-settings';

/** What the gateway reads and writes directly: the event store (runs, workflows) and its own tables. */
export class GatewayStorage {
  private constructor(
    readonly store: EventStore,
    readonly pool: Pool,
    readonly catalog: WorkflowCatalog,
    readonly schema: string,
  ) {}

  static async open(settings: GatewaySettings): Promise<GatewayStorage> {
    await runPostgresMigrations({
      connection: settings.pgUrl,
      schema: settings.schema,
      dir: path.join(__dirname, '../migrations'),
    });
    // The projector writes the read model, but a gateway that starts first (or alone) still answers
    // its lists: the migrations are idempotent and serialised by an advisory lock per schema.
    await migrateReadModel({ connection: settings.pgUrl, schema: readModelSchemaFromEnv() });
    const store = await openEventStore(settings.eventStore, 'spark-gateway');
    const pool = createPgPool(settings.pgUrl, 'spark-gateway');
    return new GatewayStorage(store, pool, new WorkflowCatalog(store), settings.schema);
  }

  /** A table of the gateway's schema, quoted. */
  table(name: string): string {
    return `"${this.schema}"."${name}"`;
  }

  /** Runs `work` in one transaction of the gateway's pool: committed when it returns, rolled back when it throws. */
  async inTransaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    await this.store.close();
    await this.pool.end();
  }
}
