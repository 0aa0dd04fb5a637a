/**
 * Node's network error codes for a peer that cannot be reached or went away.
 */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * PostgreSQL SQLSTATEs of a server that is not there for the moment: class 08 (connection exception),
 * admin/crash shutdown and "cannot connect now" (starting up or shutting down), too many connections.
 */
const POSTGRES_CODES = /^(08...|57P0[123]|53300)$/;

/**
 * node-postgres' own messages for a connection lost or not obtained in time, and the server's for the
 * codes above (for an error re-thrown by its message alone).
 */
const POSTGRES_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error and is not queryable',
  'the database system is starting up',
  'the database system is shutting down',
  'terminating connection due to administrator command',
  'connect ECONNREFUSED',
];

/** kafkajs errors raised while the broker (or the cluster's metadata) is away. */
const KAFKA_NAMES = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSNumberOfRetriesExceeded',
  'KafkaJSRequestTimeoutError',
  'KafkaJSBrokerNotFound',
  'KafkaJSLockTimeout',
]);

/**
 * Whether an error (or any error in its `cause` chain) says a dependency — PostgreSQL, the broker, a
 * peer on the network — is unreachable for now, rather than that this message cannot be handled. Such a
 * message is retried until the dependency is back: sending it to the dead-letter topic would lose it
 * (a run the gateway accepted would never start).
 */
export function isDependencyUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 8; depth++) {
    const { code, name, message } = current as Error & { code?: unknown };
    if (typeof code === 'string' && (NETWORK_CODES.has(code) || POSTGRES_CODES.test(code))) return true;
    if (KAFKA_NAMES.has(name)) return true;
    if (POSTGRES_MESSAGES.some((text) => message.includes(text))) return true;
    current = current.cause;
  }
  return false;
}
