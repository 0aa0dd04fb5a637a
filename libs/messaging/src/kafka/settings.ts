export interface KafkaSettings {
  /** host:port pairs of bootstrap brokers. */
  brokers: string[];
  /** Names this process to the brokers (shows in consumer group listings). */
  clientId: string;
  /** How long to wait for a connection or request before failing, in ms. */
  requestTimeoutMs?: number;
  /**
   * Prefix of every topic and consumer group name (SPARK_KAFKA_NAMESPACE, default none), so that
   * several Spark installations — e.g. parallel test runs — can share one Kafka cluster. Topics of a
   * namespace are created on first use.
   */
  namespace?: string;
}

const DEFAULT_BROKERS = '127.0.0.1:19092';

/**
 * The Kafka settings of the environment as a config schema (`readConfig` of service-kit reads it with
 * a service's own settings, and `--help` prints it); `kafkaSettingsFromEnv` applies the same rules.
 */
export const KAFKA_SETTINGS = {
  SPARK_KAFKA_BROKERS: {
    desc: 'Kafka bootstrap brokers, host:port[,host:port…]',
    default: [DEFAULT_BROKERS],
    defaultText: DEFAULT_BROKERS,
    parse: (raw: string): string[] => {
      const brokers = raw
        .split(',')
        .map((broker) => broker.trim())
        .filter(Boolean);
      const bad = brokers.find((broker) => !/^[^:\s]+:\d+$/.test(broker));
      if (bad !== undefined) throw new Error(`is not host:port[,host:port…] ("${bad}" is not)`);
      if (brokers.length === 0) throw new Error('names no broker');
      return brokers;
    },
  },
  SPARK_KAFKA_NAMESPACE: {
    desc: 'prefix of every topic and consumer group name (several installations on one cluster)',
    default: '',
    defaultText: 'none',
    parse: (raw: string): string => {
      if (!/^[a-zA-Z0-9._-]*$/.test(raw)) throw new Error("may only hold letters, digits, '.', '_' and '-'");
      return raw;
    },
  },
};

/** Without service-kit (tests, tools): the same rules; an empty value counts as unset. */
export function kafkaSettingsFromEnv(clientId: string, env: NodeJS.ProcessEnv = process.env): KafkaSettings {
  const { SPARK_KAFKA_BROKERS: brokers, SPARK_KAFKA_NAMESPACE: namespace } = KAFKA_SETTINGS;
  return kafkaSettingsOf(clientId, {
    SPARK_KAFKA_BROKERS: env.SPARK_KAFKA_BROKERS
      ? named('SPARK_KAFKA_BROKERS', () => brokers.parse(env.SPARK_KAFKA_BROKERS!))
      : brokers.default,
    SPARK_KAFKA_NAMESPACE: env.SPARK_KAFKA_NAMESPACE
      ? named('SPARK_KAFKA_NAMESPACE', () => namespace.parse(env.SPARK_KAFKA_NAMESPACE!))
      : namespace.default,
  });
}

function named<T>(name: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new Error(`${name} ${(error as Error).message}`);
  }
}

/** The settings from values read with {@link KAFKA_SETTINGS}. */
export function kafkaSettingsOf(
  clientId: string,
  config: { SPARK_KAFKA_BROKERS: string[]; SPARK_KAFKA_NAMESPACE: string },
): KafkaSettings {
  const namespace = config.SPARK_KAFKA_NAMESPACE;
  return { brokers: config.SPARK_KAFKA_BROKERS, clientId, ...(namespace ? { namespace } : {}) };
}
