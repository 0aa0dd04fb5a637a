import { EVENT_STORE_SETTINGS, eventStoreSettingsFromEnv, eventStoreSettingsOf } from '@spark/engine';
import { kafkaSettingsFromEnv } from '@spark/messaging';
import { pgUrlFromEnv, POSTGRES_SETTINGS } from '@spark/postgres';
import { READ_MODEL_SETTINGS, readModelSchemaFromEnv } from '@spark/read-model';
import { serviceHelp } from '../bootstrap';
import { ConfigError, readConfig } from './config-schema';
import { loadServiceConfig, SERVICE_CONFIG_SCHEMA } from './service-config';

// The settings of Kafka, PostgreSQL, the event store and the read model, read with a service's own.
const SCHEMA = {
  ...SERVICE_CONFIG_SCHEMA,
  ...POSTGRES_SETTINGS,
  ...EVENT_STORE_SETTINGS,
  ...READ_MODEL_SETTINGS,
};

describe('the infrastructure settings in the config schemas', () => {
  it('reports every bad one in one error, naming each and echoing no password', () => {
    const url = 'mysql://spark:hunter2@db/spark';
    let problem: unknown;
    try {
      readConfig(SCHEMA, {
        SPARK_KAFKA_BROKERS: 'broker-without-port',
        SPARK_KAFKA_NAMESPACE: 'a/b',
        SPARK_PG_URL: url,
        SPARK_EVENT_STORE: 'mongo',
        SPARK_EVENT_STORE_SCHEMA: 'Bad-Name',
        SPARK_READ_MODEL_SCHEMA: 'x;drop',
      });
    } catch (error) {
      problem = error;
    }
    expect(problem).toBeInstanceOf(ConfigError);
    expect(Object.keys((problem as ConfigError).problems).sort()).toEqual([
      'SPARK_EVENT_STORE',
      'SPARK_EVENT_STORE_SCHEMA',
      'SPARK_KAFKA_BROKERS',
      'SPARK_KAFKA_NAMESPACE',
      'SPARK_PG_URL',
      'SPARK_READ_MODEL_SCHEMA',
    ]);
    expect((problem as ConfigError).problems.SPARK_KAFKA_BROKERS).toMatch(/broker-without-port.*host:port/);
    expect((problem as ConfigError).message).not.toContain('hunter2');
  });

  it('reads what the libraries read on their own, defaults and set values alike', () => {
    for (const env of [
      {},
      {
        SPARK_KAFKA_BROKERS: 'k1:9092, k2:9093',
        SPARK_KAFKA_NAMESPACE: 'e2e-1.',
        SPARK_PG_URL: 'postgresql://u:p@db:5432/spark',
        SPARK_EVENT_STORE_SCHEMA: 'es_1',
        SPARK_READ_MODEL_SCHEMA: 'rm_1',
      },
      { SPARK_EVENT_STORE: 'kurrentdb', EVENTSTORE_URL: 'kurrentdb://es:2113?tls=false' },
    ]) {
      const config = readConfig(SCHEMA, env);
      expect(loadServiceConfig('scheduler', env).kafka).toEqual(
        kafkaSettingsFromEnv(loadServiceConfig('scheduler', env).instanceId, env),
      );
      expect(config.SPARK_PG_URL).toBe(pgUrlFromEnv(env));
      expect(config.SPARK_READ_MODEL_SCHEMA).toBe(readModelSchemaFromEnv(env));
      expect(eventStoreSettingsOf(config)).toEqual(eventStoreSettingsFromEnv(env));
    }
    expect(loadServiceConfig('scheduler', { SPARK_KAFKA_BROKERS: 'k1:9092, k2:9093' }).kafka.brokers).toEqual(
      ['k1:9092', 'k2:9093'],
    );
  });

  it('refuses the KurrentDB event store without its URL', () => {
    const config = readConfig(SCHEMA, { SPARK_EVENT_STORE: 'kurrentdb' });
    expect(() => eventStoreSettingsOf(config)).toThrow(/EVENTSTORE_URL/);
    expect(() => eventStoreSettingsFromEnv({ SPARK_EVENT_STORE: 'kurrentdb' })).toThrow(/EVENTSTORE_URL/);
  });

  it('lists them in --help with their defaults', () => {
    const help = serviceHelp('projector', [
      { ...POSTGRES_SETTINGS, ...EVENT_STORE_SETTINGS, ...READ_MODEL_SETTINGS },
    ]);
    for (const name of Object.keys(SCHEMA)) expect(help).toContain(name);
    expect(help).toMatch(/SPARK_KAFKA_BROKERS\s.*\(default: 127\.0\.0\.1:19092\)/);
    expect(help).toMatch(/SPARK_READ_MODEL_SCHEMA\s.*\(default: "read_model"\)/);
    expect(help).not.toContain('not yet in these schemas');
  });
});
