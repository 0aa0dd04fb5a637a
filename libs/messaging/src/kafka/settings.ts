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

export function kafkaSettingsFromEnv(clientId: string, env: NodeJS.ProcessEnv = process.env): KafkaSettings {
  const brokers = (env.SPARK_KAFKA_BROKERS ?? '127.0.0.1:19092')
    .split(',')
    .map((broker) => broker.trim())
    .filter(Boolean);
  for (const broker of brokers) {
    if (!/^[^:\s]+:\d+$/.test(broker)) {
      throw new Error(`SPARK_KAFKA_BROKERS: "${broker}" is not host:port`);
    }
  }
  if (brokers.length === 0) throw new Error('SPARK_KAFKA_BROKERS is empty');
  const namespace = env.SPARK_KAFKA_NAMESPACE ?? '';
  if (!/^[a-zA-Z0-9._-]*$/.test(namespace)) {
    throw new Error(`SPARK_KAFKA_NAMESPACE="${namespace}" may only hold letters, digits, '.', '_' and '-'`);
  }
  return { brokers, clientId, ...(namespace ? { namespace } : {}) };
}
