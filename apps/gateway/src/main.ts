import { removePredecessorsOnStart } from '@spark/messaging';

// Before the application's modules load (most of a start-up): a predecessor killed with kill -9 leaves
// its groups now, so its partitions do not wait for this process to be up (docs/adr/0142).
void removePredecessorsOnStart().then(async () => {
  const { main } = await import('@spark/service-kit');
  const { GatewayModule } = await import('./app.module');
  const { GRPC_CONFIG_SCHEMA } = await import('./grpc/grpc-settings');
  const { GATEWAY_CONFIG_SCHEMA } = await import('./settings/gateway-settings');
  main(GatewayModule, { service: 'gateway', schemas: [GATEWAY_CONFIG_SCHEMA, GRPC_CONFIG_SCHEMA] });
});
