import type { Options } from '@grpc/proto-loader';

export interface GrpcSettings {
  host: string;
  port: number;
  /** Whether the port was configured: a taken configured port fails the start; the default one is skipped. */
  portConfigured: boolean;
}

export function loadGrpcSettings(env: NodeJS.ProcessEnv = process.env): GrpcSettings {
  const raw = env.SPARK_GATEWAY_GRPC_PORT;
  const port = raw === undefined || raw === '' ? 9090 : Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new Error(`SPARK_GATEWAY_GRPC_PORT="${raw}" is not a port`);
  return {
    host: env.SPARK_GATEWAY_GRPC_HOST || '127.0.0.1',
    port,
    portConfigured: raw !== undefined && raw !== '',
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
