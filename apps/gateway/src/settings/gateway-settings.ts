import { parseSecretsKey, positiveInteger } from '@spark/service-kit';
import { eventStoreSettingsFromEnv, type EventStoreSettings } from '@spark/engine';
import { pgUrlFromEnv } from '@spark/postgres';

export const GATEWAY_SETTINGS = Symbol('GatewaySettings');

export interface GatewaySettings {
  pgUrl: string;
  /** Schema of the gateway's tables (API keys, sources). */
  schema: string;
  eventStore: EventStoreSettings;
  /** Largest request body accepted, in bytes; larger ones get 413. */
  bodyLimitBytes: number;
  /** An admin key accepted from start-up on (stored hashed), to create the first real keys with. */
  bootstrapKey?: string;
  /** 32 bytes (base64 or hex) encrypting source API keys at rest (AES-256-GCM). */
  secretsKey?: Buffer;
  /** How often an idle SSE watch sends a comment line, so proxies keep the connection open. */
  sseHeartbeatMs: number;
  /** How often the Kafka trigger runner re-reads the trigger table (changes made by other gateways). */
  triggerPollMs: number;
}

export function loadGatewaySettings(env: NodeJS.ProcessEnv = process.env): GatewaySettings {
  const schema = env.SPARK_GATEWAY_SCHEMA ?? 'gateway';
  if (!/^[a-z_][a-z0-9_]{0,47}$/.test(schema))
    throw new Error(`SPARK_GATEWAY_SCHEMA="${schema}" is not a valid schema name`);
  const bootstrapKey = env.SPARK_GATEWAY_BOOTSTRAP_KEY || undefined;
  if (bootstrapKey !== undefined && bootstrapKey.length < 16)
    throw new Error('SPARK_GATEWAY_BOOTSTRAP_KEY must be at least 16 characters');
  return {
    pgUrl: pgUrlFromEnv(env),
    schema,
    eventStore: eventStoreSettingsFromEnv(env),
    bodyLimitBytes: positiveInteger(env, 'SPARK_GATEWAY_BODY_LIMIT_BYTES', 1024 * 1024),
    ...(bootstrapKey ? { bootstrapKey } : {}),
    ...(env.SPARK_SECRETS_KEY ? { secretsKey: parseSecretsKey(env.SPARK_SECRETS_KEY) } : {}),
    sseHeartbeatMs: positiveInteger(env, 'SPARK_GATEWAY_SSE_HEARTBEAT_MS', 15_000),
    triggerPollMs: positiveInteger(env, 'SPARK_GATEWAY_TRIGGER_POLL_MS', 2_000),
  };
}
