import { removePredecessorsOnStart } from '@spark/messaging';

// Before the application's modules load (most of a start-up): a predecessor killed with kill -9 leaves
// its groups now, so its partitions do not wait for this process to be up (docs/adr/0142).
void removePredecessorsOnStart().then(async () => {
  const { main } = await import('@spark/service-kit');
  const { ExecutorModule } = await import('./app.module');
  const { DIRECTORY_CONFIG_SCHEMA, EXECUTOR_CONFIG_SCHEMA } = await import('./settings');
  // The event store settings: where the sources and secrets it calls with are published (docs/adr/0134).
  main(ExecutorModule, { service: 'executor', schemas: [EXECUTOR_CONFIG_SCHEMA, DIRECTORY_CONFIG_SCHEMA] });
});
