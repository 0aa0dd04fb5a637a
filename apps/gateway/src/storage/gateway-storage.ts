import path from 'node:path';
import { openEventStore, WorkflowCatalog } from '@spark/engine';
import { type EventStore } from '@spark/event-store';
import { createPgPool, inTransaction, runPostgresMigrations } from '@spark/postgres';
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
  inTransaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    return inTransaction(this.pool, work);
  }

  async close(): Promise<void> {
    await this.store.close();
    await this.pool.end();
  }
}
