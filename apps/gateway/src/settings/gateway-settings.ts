import { type KeyObject } from 'node:crypto';
import {
  type ConfigSchema,
  optional,
  parseExecutorPublicKey,
  parseSecretsKey,
  positive,
  readConfig,
  schemaName,
} from '@spark/service-kit';
import { EVENT_STORE_SETTINGS, eventStoreSettingsOf, type EventStoreSettings } from '@spark/engine';
import { POSTGRES_SETTINGS } from '@spark/postgres';
import { READ_MODEL_SETTINGS } from '@spark/read-model';

export const GATEWAY_SETTINGS = Symbol('GatewaySettings');

export interface GatewaySettings {
  pgUrl: string;
  /** Schema of the gateway's tables (API keys, sources). */
  schema: string;
  eventStore: EventStoreSettings;
  /** Largest request body accepted, in bytes; larger ones get 413. */
  bodyLimitBytes: number;
  /** Most HTTP requests worked on at once; the ones past it get 503 with Retry-After (load shedding). */
  maxInFlightRequests: number;
  /** An admin key accepted from start-up on (stored hashed), to create the first real keys with. */
  bootstrapKey?: string;
  /** 32 bytes (base64 or hex) encrypting source API keys at rest (AES-256-GCM). */
  secretsKey?: Buffer;
  /** The executors' X25519 public key: source API keys and secrets are sealed to it for them (ADR 0134). */
  executorPublicKey?: KeyObject;
  /** How often sources and secrets are checked against their executor streams (and re-sealed). */
  directoryReconcileMs: number;
  /** How often an idle SSE watch sends a comment line, so proxies keep the connection open. */
  sseHeartbeatMs: number;
  /** How often the Kafka trigger runner re-reads the trigger table (changes made by other gateways). */
  triggerPollMs: number;
}

export const GATEWAY_CONFIG_SCHEMA = {
  SPARK_GATEWAY_SCHEMA: schemaName("schema of the gateway's tables (API keys, sources)", 'gateway'),
  SPARK_GATEWAY_BODY_LIMIT_BYTES: positive('largest request body accepted, in bytes', 1024 * 1024),
  SPARK_GATEWAY_MAX_IN_FLIGHT: positive(
    'most HTTP requests worked on at once; past it a request gets 503 with Retry-After at once (health probes and open event streams do not count)',
    2000,
  ),
  SPARK_GATEWAY_BOOTSTRAP_KEY: optional({
    desc: 'an admin key accepted from start-up on, to create the first real keys with',
    secret: true,
    parse: (raw) => {
      if (raw.length < 16) throw new Error('must be at least 16 characters');
      return raw;
    },
  }),
  SPARK_SECRETS_KEY: optional({
    desc: '32 bytes (base64 or hex) encrypting source API keys and secrets at rest',
    secret: true,
    parse: (raw) => {
      try {
        return parseSecretsKey(raw);
      } catch {
        throw new Error('must be 32 bytes: 64 hex characters or base64 of 32 bytes');
      }
    },
  }),
  SPARK_EXECUTOR_PUBLIC_KEY: optional({
    desc: "the executors' X25519 public key (PEM or base64 of SPKI DER; tools/executor-keys): source API keys and secrets are sealed to it (docs/adr/0134)",
    parse: parseExecutorPublicKey,
  }),
  SPARK_GATEWAY_DIRECTORY_RECONCILE_MS: positive(
    "how often sources and secrets are checked against the executors' streams (and re-sealed after a key rotation)",
    30_000,
  ),
  SPARK_GATEWAY_SSE_HEARTBEAT_MS: positive('how often an idle SSE watch sends a comment line', 15_000),
  SPARK_GATEWAY_TRIGGER_POLL_MS: positive('how often Kafka triggers are re-read', 2_000),
  ...POSTGRES_SETTINGS,
  // Read where the read model is opened (readModelSchemaFromEnv); here so a bad value fails the start with the rest.
  ...READ_MODEL_SETTINGS,
  ...EVENT_STORE_SETTINGS,
} satisfies ConfigSchema;

export function loadGatewaySettings(env: NodeJS.ProcessEnv = process.env): GatewaySettings {
  const config = readConfig(GATEWAY_CONFIG_SCHEMA, env);
  const bootstrapKey = config.SPARK_GATEWAY_BOOTSTRAP_KEY;
  const secretsKey = config.SPARK_SECRETS_KEY;
  return {
    pgUrl: config.SPARK_PG_URL,
    schema: config.SPARK_GATEWAY_SCHEMA,
    eventStore: eventStoreSettingsOf(config),
    bodyLimitBytes: config.SPARK_GATEWAY_BODY_LIMIT_BYTES,
    maxInFlightRequests: config.SPARK_GATEWAY_MAX_IN_FLIGHT,
    ...(bootstrapKey ? { bootstrapKey } : {}),
    ...(secretsKey ? { secretsKey } : {}),
    ...(config.SPARK_EXECUTOR_PUBLIC_KEY ? { executorPublicKey: config.SPARK_EXECUTOR_PUBLIC_KEY } : {}),
    directoryReconcileMs: config.SPARK_GATEWAY_DIRECTORY_RECONCILE_MS,
    sseHeartbeatMs: config.SPARK_GATEWAY_SSE_HEARTBEAT_MS,
    triggerPollMs: config.SPARK_GATEWAY_TRIGGER_POLL_MS,
  };
}
