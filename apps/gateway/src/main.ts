import { main } from '@spark/service-kit';
import { GatewayModule } from './app.module';
import { GRPC_CONFIG_SCHEMA } from './grpc/grpc-settings';
import { GATEWAY_CONFIG_SCHEMA } from './settings/gateway-settings';

main(GatewayModule, { service: 'gateway', schemas: [GATEWAY_CONFIG_SCHEMA, GRPC_CONFIG_SCHEMA] });
