import { openEventStore } from '@spark/engine';
import { createPgPool } from '@spark/postgres';
import { createLogger } from '@spark/service-kit';
import { rebuildReadModel } from './projection';
import { loadProjectorSettings } from './projector-settings';

/**
 * `node -r ./tools/runtime/register-paths.js dist/apps/projector/src/rebuild.js [--keep-old]`:
 * replays the event store from position 0 into fresh tables and swaps them in (docs/adr/0051).
 * Safe while projectors run.
 */
async function rebuild(): Promise<void> {
  const settings = loadProjectorSettings();
  const logger = createLogger('projector', `rebuild-${process.pid}`, process.env.LOG_LEVEL ?? 'info');
  const store = await openEventStore(settings.eventStore, 'spark-projector-rebuild');
  const pool = createPgPool(settings.pgUrl, 'spark-projector-rebuild', 2);
  try {
    const result = await rebuildReadModel({
      store,
      pool,
      pgUrl: settings.pgUrl,
      schema: settings.schema,
      logger,
      keepOld: process.argv.includes('--keep-old'),
    });
    logger.info({ events: result.events, position: result.position.toString() }, 'rebuild complete');
  } finally {
    await store.close();
    await pool.end();
  }
}

rebuild().catch((error: unknown) => {
  console.error(JSON.stringify({ level: 'fatal', msg: 'rebuild failed', error: String(error) }));
  process.exit(1);
});
