import { type ServiceName } from '@spark/contracts';
import { KAFKA_SETTINGS, kafkaSettingsOf, type KafkaSettings } from '@spark/messaging';
import {
  type ConfigSchema,
  integer,
  optional,
  ratio,
  readConfig,
  switchedOffBy,
  text,
} from './config-schema';

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

/** The settings every service reads, besides its HTTP port (`SPARK_<SERVICE>_PORT`). */
export const SERVICE_CONFIG_SCHEMA = {
  SPARK_HTTP_HOST: text('interface the HTTP server listens on', '127.0.0.1'),
  SPARK_INSTANCE_ID: optional({ ...text('unique id of this process'), defaultText: '<service>-<pid>' }),
  SPARK_VERSION: text('version reported by /health and traces', '0.1.0'),
  SPARK_SHUTDOWN_TIMEOUT_MS: integer('longest a graceful shutdown may take', 10000, 0, 600000),
  SPARK_LOG_LEVEL: text('pino log level', 'info'),
  SPARK_OTLP_ENDPOINT: text('OTLP/HTTP endpoint traces go to', 'http://127.0.0.1:14318'),
  SPARK_TRACE_SAMPLE_RATIO: ratio('fraction of traces sampled', 1),
  SPARK_TRACING: switchedOffBy('tracing', 'off'),
  SPARK_SERVICE_NAME_SUFFIX: text('appended to spark-<service> in traces', ''),
  ...KAFKA_SETTINGS,
} satisfies ConfigSchema;

/** A service's own HTTP port setting. */
export const servicePortSchema = (service: ServiceName): ConfigSchema => ({
  [`SPARK_${service.toUpperCase()}_PORT`]: integer(
    `HTTP port of the ${service} (health, metrics, API)`,
    DEFAULT_HTTP_PORTS[service],
    0,
    65535,
  ),
});

/**
 * Reads a service's settings from the environment. Every setting has a default that matches
 * tools/stack; a malformed value fails start-up with a message naming the variable.
 */
export function loadServiceConfig(service: ServiceName, env: NodeJS.ProcessEnv = process.env): ServiceConfig {
  const config = readConfig(SERVICE_CONFIG_SCHEMA, env);
  const [port] = Object.values(readConfig(servicePortSchema(service), env)) as [number];
  const instanceId = config.SPARK_INSTANCE_ID ?? `${service}-${process.pid}`;
  return {
    service,
    instanceId,
    version: config.SPARK_VERSION,
    http: { host: config.SPARK_HTTP_HOST, port },
    kafka: kafkaSettingsOf(instanceId, config),
    shutdownTimeoutMs: config.SPARK_SHUTDOWN_TIMEOUT_MS,
    logLevel: config.SPARK_LOG_LEVEL,
    tracing: {
      otlpEndpoint: config.SPARK_OTLP_ENDPOINT,
      sampleRatio: config.SPARK_TRACE_SAMPLE_RATIO,
      enabled: config.SPARK_TRACING,
      serviceNameSuffix: config.SPARK_SERVICE_NAME_SUFFIX,
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
  return readConfig({ [name]: integer(name, fallback, min, max) }, env)[name] as number;
}

/** A positive integer setting from the environment (the default when unset). */
export function positiveInteger(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  return integerSetting(env, name, fallback, 1, Number.MAX_SAFE_INTEGER);
}
