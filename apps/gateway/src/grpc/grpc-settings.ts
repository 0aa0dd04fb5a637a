import type { Options } from '@grpc/proto-loader';
import { type ConfigSchema, integer, readConfig, text } from '@spark/service-kit';

export interface GrpcSettings {
  host: string;
  port: number;
  /** Whether the port was configured: a taken configured port fails the start; the default one is skipped. */
  portConfigured: boolean;
}

export const GRPC_CONFIG_SCHEMA = {
  SPARK_GATEWAY_GRPC_PORT: integer(
    'gRPC port (a taken default port is skipped, a taken set one fails)',
    9090,
    1,
    65535,
  ),
  SPARK_GATEWAY_GRPC_HOST: text('interface the gRPC server listens on', '127.0.0.1'),
} satisfies ConfigSchema;

export function loadGrpcSettings(env: NodeJS.ProcessEnv = process.env): GrpcSettings {
  const config = readConfig(GRPC_CONFIG_SCHEMA, env);
  return {
    host: config.SPARK_GATEWAY_GRPC_HOST,
    port: config.SPARK_GATEWAY_GRPC_PORT,
    portConfigured: (env.SPARK_GATEWAY_GRPC_PORT ?? '') !== '',
  };
}

/**
 * How the protos are loaded, on the server and in the e2e test: camelCase fields, enums as their
 * names, 64-bit integers as strings, unset fields absent, `oneof` names set.
 */
export const PROTO_LOADER_OPTIONS: Options = {
  keepCase: false,
  longs: String,
  enums: String,
  defaults: false,
  oneofs: true,
};
