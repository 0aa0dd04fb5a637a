import { type ServiceName } from '@spark/contracts';
import { kafkaSettingsFromEnv, type KafkaSettings } from '@spark/messaging';

export const DEFAULT_HTTP_PORTS: Record<ServiceName, number> = {
  gateway: 8080,
  scheduler: 8081,
  executor: 8082,
  projector: 8083,
};

export interface ServiceConfig {
  service: ServiceName;
  /** Unique per process, so two instances of one service can be told apart. */
  instanceId: string;
  version: string;
  http: { host: string; port: number };
  kafka: KafkaSettings;
  /** How long a graceful shutdown may take before the process exits anyway. */
  shutdownTimeoutMs: number;
  logLevel: string;
  tracing: {
    otlpEndpoint: string;
    sampleRatio: number;
    enabled: boolean;
    /** Appended to `spark-<service>` in traces (tests use it to find their own spans). */
    serviceNameSuffix: string;
  };
}

/**
 * Reads a service's settings from the environment. Every setting has a default that matches
 * tools/stack; a malformed value fails start-up with a message naming the variable.
 */
export function loadServiceConfig(service: ServiceName, env: NodeJS.ProcessEnv = process.env): ServiceConfig {
  const portVariable = `SPARK_${service.toUpperCase()}_PORT`;
  const instanceId = env.SPARK_INSTANCE_ID ?? `${service}-${process.pid}`;
  return {
    service,
    instanceId,
    version: env.SPARK_VERSION ?? '0.1.0',
    http: {
      host: env.SPARK_HTTP_HOST ?? '127.0.0.1',
      port: integerSetting(env, portVariable, DEFAULT_HTTP_PORTS[service], 0, 65535),
    },
    kafka: kafkaSettingsFromEnv(instanceId, env),
    shutdownTimeoutMs: integerSetting(env, 'SPARK_SHUTDOWN_TIMEOUT_MS', 10000, 0, 600000),
    logLevel: env.SPARK_LOG_LEVEL ?? 'info',
    tracing: {
      otlpEndpoint: env.SPARK_OTLP_ENDPOINT ?? 'http://127.0.0.1:14318',
      sampleRatio: ratioSetting(env, 'SPARK_TRACE_SAMPLE_RATIO', 1),
      enabled: env.SPARK_TRACING !== 'off',
      serviceNameSuffix: env.SPARK_SERVICE_NAME_SUFFIX ?? '',
    },
  };
}

/** An integer setting from the environment; a malformed or out-of-range value fails with its name. */
export function integerSetting(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name}="${raw}" is not an integer between ${min} and ${max}`);
  }
  return value;
}

function ratioSetting(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!(value >= 0 && value <= 1)) throw new Error(`${name}="${raw}" is not a number between 0 and 1`);
  return value;
}

/** A positive integer setting from the environment (the default when unset). */
export function positiveInteger(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  return integerSetting(env, name, fallback, 1, Number.MAX_SAFE_INTEGER);
}
