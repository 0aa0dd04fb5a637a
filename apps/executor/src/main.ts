import { removePredecessorsOnStart } from '@spark/messaging';

// Before the application's modules load (most of a start-up): a predecessor killed with kill -9 leaves
// its groups now, so its partitions do not wait for this process to be up (docs/adr/0142).
void removePredecessorsOnStart().then(async () => {
  const { POSTGRES_SETTINGS } = await import('@spark/postgres');
  const { main } = await import('@spark/service-kit');
  const { ExecutorModule } = await import('./app.module');
  const { EXECUTOR_CONFIG_SCHEMA } = await import('./settings');
  // SPARK_PG_URL: the sources and secrets it reads (app.module).
  main(ExecutorModule, { service: 'executor', schemas: [EXECUTOR_CONFIG_SCHEMA, POSTGRES_SETTINGS] });
});
