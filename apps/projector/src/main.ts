import { removePredecessorsOnStart } from '@spark/messaging';

// Before the application's modules load (most of a start-up): a predecessor killed with kill -9 leaves
// its groups now, so its partitions do not wait for this process to be up (docs/adr/0142).
void removePredecessorsOnStart().then(async () => {
  const { main } = await import('@spark/service-kit');
  const { ProjectorModule } = await import('./app.module');
  const { PROJECTOR_CONFIG_SCHEMA } = await import('./projector-settings');
  main(ProjectorModule, { service: 'projector', schemas: [PROJECTOR_CONFIG_SCHEMA] });
});
