import { type KeyObject } from 'node:crypto';
import { EVENT_STORE_SETTINGS, eventStoreSettingsOf, type EventStoreSettings } from '@spark/engine';
import { POSTGRES_SETTINGS } from '@spark/postgres';
import { type ConfigSchema, optional, parseExecutorPrivateKeys, readConfig } from '@spark/service-kit';

/** Where the executor finds registered sources and secrets, and the keys that open them (ADR 0134). */
export interface DirectorySettings {
  eventStore: EventStoreSettings;
  /** The current key first, then keys still being rotated out; undefined: sealed values cannot be opened. */
  privateKeys?: KeyObject[];
}

export const DIRECTORY_CONFIG_SCHEMA = {
  SPARK_EXECUTOR_PRIVATE_KEYS: optional({
    desc: "the executors' X25519 private keys, comma-separated, current first (PEM or base64 of PKCS#8 DER; tools/executor-keys): they open source API keys and secrets (docs/adr/0134)",
    secret: true,
    parse: parseExecutorPrivateKeys,
  }),
  ...POSTGRES_SETTINGS,
  ...EVENT_STORE_SETTINGS,
} satisfies ConfigSchema;

export function loadDirectorySettings(env: NodeJS.ProcessEnv = process.env): DirectorySettings {
  const config = readConfig(DIRECTORY_CONFIG_SCHEMA, env);
  return {
    eventStore: eventStoreSettingsOf(config),
    ...(config.SPARK_EXECUTOR_PRIVATE_KEYS ? { privateKeys: config.SPARK_EXECUTOR_PRIVATE_KEYS } : {}),
  };
}
