import { removePredecessorsOnStart } from '@spark/messaging';

// Before the application's modules load (most of a start-up): a predecessor killed with kill -9 leaves
// its groups now, so its partitions do not wait for this process to be up (docs/adr/0142).
void removePredecessorsOnStart().then(async () => {
  const { main } = await import('@spark/service-kit');
  const { SchedulerModule } = await import('./app.module');
  const { SCHEDULER_CONFIG_SCHEMA } = await import('./engine/scheduler-settings');
  main(SchedulerModule, { service: 'scheduler', schemas: [SCHEDULER_CONFIG_SCHEMA] });
});
