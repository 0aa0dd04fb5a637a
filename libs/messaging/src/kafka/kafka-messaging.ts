import {
  Kafka,
  logLevel,
  PartitionAssigners,
  Partitioners,
  type Admin,
  type Consumer,
  type LogEntry,
  type Producer,
} from 'kafkajs';
import { context, propagation, ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import { Topics } from '@spark/contracts';
import {
  contextFromTraceparent,
  currentTraceparent,
  inSpan,
  recordError,
  sparkTracer,
} from '@spark/telemetry';
import { CoalescingPublisher } from '../coalescing';
import { isDependencyUnavailable } from './dependency-errors';
import { evictMember, isOwnHost } from './evict-member';
import { RangeAssigner } from './range-assigner';
import { decodeHeaders, type IncomingMessage, type OutgoingMessage } from './message';
import type { KafkaSettings } from './settings';

/** A partition of a topic, as the consumer group assigns it. */
export interface TopicPartition {
  topic: string;
  partition: number;
}

/** Messages of one partition, in offset order. */
export interface MessageBatch {
  topic: string;
  partition: number;
  messages: IncomingMessage[];
}

/** What a rebalance changed for this member. Called before any batch of the new assignment. */
export interface AssignmentChange {
  assigned: TopicPartition[];
  revoked: TopicPartition[];
}

interface CommonConsumeOptions {
  groupId: string;
  topics: string[];
  /**
   * The topics belong to other teams: used by their own names, outside this installation's namespace,
   * and never created (consuming waits until they exist). The group stays in the namespace.
   */
  external?: boolean;
  /** Where a group with no committed offset starts. */
  fromBeginning?: boolean;
  /** Attempts per message before it goes to the dead-letter topic. */
  maxAttempts?: number;
  /** Pause between attempts, doubled each time, in ms. */
  retryBackoffMs?: number;
  /** Partitions handled at once (a partition's batches stay sequential). Default 1. */
  partitionConcurrency?: number;
  /** Told when partitions are assigned to or revoked from this member (e.g. to drop state they own). */
  onAssignmentChange?: (change: AssignmentChange) => void;
  /**
   * How the group splits partitions among its members: round robin (the default) or contiguous ranges.
   * A group whose work goes on in another group, partition for partition, takes the other one, so that
   * the live halves of the two groups always share partitions (docs/adr/0142). Round robin stays on
   * offer, so a group of older members that know only that one keeps working.
   */
  assignment?: 'round-robin' | 'ranges';
}

export type ConsumeOptions = CommonConsumeOptions &
  (
    | {
        /**
         * One message at a time per key (a message without a key is its own key); messages of different
         * keys in a batch run concurrently, up to `keyConcurrency`. Offsets are committed once per batch,
         * after every message of it was handled.
         */
        handle: (message: IncomingMessage) => Promise<void>;
        keyConcurrency?: number;
        /**
         * Default true: each message is handled in a CONSUMER span of its own. False: in the message's
         * trace context (its `traceparent`) without a span — for a handler that opens its own span for
         * the work, so that a message costs one span rather than two.
         */
        spanPerMessage?: boolean;
      }
    | {
        /**
         * A partition's batch at once, in order. Resolves once the batch's work is durable; the batch's
         * offsets are committed after. If it throws, the batch is handled again message by message (each
         * as a batch of one), with retries and the dead-letter topic, so one poison message does not
         * hold up its partition.
         */
        handleBatch: (batch: MessageBatch) => Promise<void>;
      }
  );

export interface ConsumerHandle {
  /** Resolves once the consumer has joined its group and been assigned partitions. */
  readonly ready: Promise<void>;
  /** Whether it has joined its group (for readiness checks). */
  readonly joined: boolean;
  stop(): Promise<void>;
}

/**
 * Thrown by a handler for a message that can never be handled (malformed, unknown type): it goes to
 * the dead-letter topic at once instead of being retried.
 */
export class PoisonMessageError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PoisonMessageError';
  }
}

export type KafkaLogSink = (
  level: 'error' | 'warn' | 'info' | 'debug',
  message: string,
  extra: object,
) => void;

const LEVEL_NAMES = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
  [logLevel.NOTHING]: 'debug',
} as const;

/**
 * The one Kafka entry point of a process: one idempotent producer (acks=all, small linger),
 * consumers with manual commits after the handler has made its work durable, bounded retries,
 * then the dead-letter topic so a poison message never blocks its partition.
 * kafkajs stays behind this class so the client can be swapped (docs/adr/0004-kafka-client.md).
 */
// Under kafkajs' eager rebalancing every member stops until the last one has rejoined, and a busy member
// learns of a rebalance from its next heartbeat: a short interval keeps that stop short (docs/adr/0141).
const HEARTBEAT_INTERVAL_MS = 300;
const SESSION_TIMEOUT_MS = 6000;

export interface ConsumerGroupLag {
  group: string;
  topic: string;
  partitions: number;
  /** Messages on the topic's partitions after the group's committed offsets. */
  lag: number;
}

/** Errors of a commit or heartbeat made by a member the group no longer counts. */
const REBALANCE_ERROR_TYPES = new Set(['UNKNOWN_MEMBER_ID', 'ILLEGAL_GENERATION', 'REBALANCE_IN_PROGRESS']);

function isRebalanceError(error: unknown): boolean {
  for (
    let cause = error as { type?: unknown; cause?: unknown } | undefined;
    cause;
    cause = cause.cause as typeof cause
  )
    if (typeof cause.type === 'string' && REBALANCE_ERROR_TYPES.has(cause.type)) return true;
  return false;
}

export class KafkaMessaging {
  private readonly kafka: Kafka;
  private producerConnection?: Promise<Producer>;
  /** Sends under way per producer: a retired producer is disconnected once its last one settles. */
  private readonly sendsInFlight = new Map<Promise<Producer>, number>();
  private readonly retiredProducers = new Set<Promise<Producer>>();
  private readonly consumers = new Set<Consumer>();
  private readonly namespace: string;
  private readonly clientId: string;
  /** Member ids this process's consumers were given: a member with our client id but not one of these is a predecessor. */
  private readonly ownMemberIds = new Set<string>();
  private readonly createdTopics = new Set<string>();
  private readonly outgoing = new CoalescingPublisher((topic, messages) => this.send(topic, messages));

  constructor(
    settings: KafkaSettings,
    private readonly log: KafkaLogSink = () => undefined,
  ) {
    this.namespace = settings.namespace ?? '';
    this.clientId = settings.clientId;
    this.kafka = new Kafka({
      clientId: settings.clientId,
      brokers: settings.brokers,
      connectionTimeout: settings.requestTimeoutMs ?? 3000,
      requestTimeout: settings.requestTimeoutMs ?? 30000,
      retry: { retries: 5, initialRetryTime: 100 },
      logLevel: logLevel.WARN,
      logCreator:
        () =>
        ({ level, log: entry }: LogEntry) => {
          const { message, ...extra } = entry;
          log(LEVEL_NAMES[level], `kafka: ${message}`, extra);
        },
    });
  }

  /**
   * Sends messages; resolves once every in-sync replica has them (acks=all). What callers publish to a
   * topic while a send to it is in flight goes out together in the next send (CoalescingPublisher), so
   * many concurrent callers cost few requests. A message without a `traceparent` gets the caller's.
   */
  async publish(topic: string, messages: OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const traceparent = currentTraceparent();
    const stamped = traceparent
      ? messages.map((message) =>
          message.headers?.traceparent
            ? message
            : { ...message, headers: { ...message.headers, traceparent } },
        )
      : messages;
    await this.outgoing.publishAll(topic, stamped);
  }

  /** One request for the messages, in one PRODUCER span under the first message's trace context. */
  private async send(topic: string, messages: OutgoingMessage[]): Promise<void> {
    const connection = this.producer();
    this.sendsInFlight.set(connection, (this.sendsInFlight.get(connection) ?? 0) + 1);
    try {
      await this.sendWith(connection, topic, messages);
    } catch (error) {
      this.retireProducer(connection);
      throw error;
    } finally {
      const left = this.sendsInFlight.get(connection)! - 1;
      if (left > 0) this.sendsInFlight.set(connection, left);
      else {
        this.sendsInFlight.delete(connection);
        if (this.retiredProducers.delete(connection)) void this.disconnectProducer(connection);
      }
    }
  }

  /**
   * A failed send leaves the idempotent producer unable to tell which of its messages the broker wrote
   * (a request can be carried out after the client gave up on it), and kafkajs hands the failed send's
   * sequence numbers out again: the broker would take the next, different messages for a duplicate of
   * the written ones, answer success and drop them. A new producer (a new producer id, sequences from
   * 0) cannot be confused with the old one's writes; a caller that retries may write a message twice,
   * which every consumer of Spark's topics tolerates (docs/adr/0140, section 6).
   */
  private retireProducer(connection: Promise<Producer>): void {
    if (this.producerConnection !== connection) return;
    this.producerConnection = undefined;
    this.retiredProducers.add(connection);
    this.log('warn', 'a send failed; the next send goes through a new idempotent producer', {});
  }

  private async disconnectProducer(connection: Promise<Producer>): Promise<void> {
    const producer = await connection.catch(() => undefined);
    await producer?.disconnect().catch(() => undefined);
  }

  private async sendWith(
    connection: Promise<Producer>,
    topic: string,
    messages: OutgoingMessage[],
  ): Promise<void> {
    const [producer] = await Promise.all([connection, this.ensureNamespacedTopics([topic])]);
    // One PRODUCER span per send (not per message: batches stay cheap), child of the first message's
    // traceparent; messages of the same trace carry the producer span on, messages of another trace
    // keep theirs.
    const parent = contextFromTraceparent(messages[0]?.headers?.traceparent, ROOT_CONTEXT);
    const span = sparkTracer().startSpan(
      `${topic} publish`,
      {
        kind: SpanKind.PRODUCER,
        attributes: {
          'messaging.system': 'kafka',
          'messaging.operation.type': 'send',
          'messaging.destination.name': this.namespaced(topic),
          'messaging.batch.message_count': messages.length,
        },
      },
      parent,
    );
    const spanContext = span.spanContext();
    let sent = messages;
    if (span.isRecording() || trace.isSpanContextValid(spanContext)) {
      const carrier: Record<string, string> = {};
      propagation.inject(trace.setSpan(parent, span), carrier);
      const traceparent = carrier.traceparent;
      if (traceparent) {
        sent = messages.map((message) => {
          const own = message.headers?.traceparent;
          if (own && own.slice(3, 35) !== spanContext.traceId) return message;
          return { ...message, headers: { ...message.headers, traceparent } };
        });
      }
    }
    try {
      await producer.send({ topic: this.namespaced(topic), acks: -1, messages: sent });
    } catch (error) {
      recordError(span, error);
      throw error;
    } finally {
      span.end();
    }
  }

  /** Fails if no broker answers a metadata request within the request timeout. */
  async checkConnection(): Promise<void> {
    await this.withAdmin((admin) => admin.describeCluster());
  }

  /**
   * Every consumer group of this installation's namespace against its topics' ends: messages not
   * committed yet, per group and topic (names without the namespace). For operators (the console's System page).
   */
  async consumerLag(): Promise<ConsumerGroupLag[]> {
    return this.withAdmin(async (admin) => {
      const { groups } = await admin.listGroups();
      const ours = groups.map((group) => group.groupId).filter((id) => id.startsWith(this.namespace));
      const ends = new Map<string, Map<number, { high: number; low: number }>>();
      const lags: ConsumerGroupLag[] = [];
      for (const groupId of ours.sort()) {
        for (const { topic, partitions } of await admin.fetchOffsets({ groupId })) {
          if (!ends.has(topic))
            ends.set(
              topic,
              new Map(
                (await admin.fetchTopicOffsets(topic)).map((end) => [
                  end.partition,
                  { high: Number(end.high), low: Number(end.low) },
                ]),
              ),
            );
          let lag = 0;
          for (const partition of partitions) {
            const end = ends.get(topic)!.get(partition.partition);
            if (!end) continue;
            const committed = Number(partition.offset);
            lag += Math.max(0, committed >= 0 ? end.high - committed : end.high - end.low);
          }
          lags.push({
            group: groupId.slice(this.namespace.length),
            topic: topic.startsWith(this.namespace) ? topic.slice(this.namespace.length) : topic,
            partitions: partitions.length,
            lag,
          });
        }
      }
      return lags;
    });
  }

  /** The broker-side name of a topic or consumer group in this installation's namespace. */
  namespaced(name: string): string {
    return `${this.namespace}${name}`;
  }

  /** In a namespace, topics are created on first use (tools/stack creates only the plain ones). */
  private async ensureNamespacedTopics(topics: string[]): Promise<void> {
    if (!this.namespace) return;
    const missing = topics.filter((topic) => !this.createdTopics.has(topic));
    if (missing.length === 0) return;
    await this.ensureTopics(
      missing.map((name) => ({
        name,
        partitions: name === Topics.deadLetters || name === Topics.health ? 1 : 6,
      })),
    );
    for (const topic of missing) this.createdTopics.add(topic);
  }

  /**
   * A process restarted after a kill -9 finds its predecessor (the same client id, i.e. the same
   * SPARK_INSTANCE_ID) still a member of the group until that member's session times out. Joining now
   * would start a rebalance in which every other member stops and waits for that timeout (docs/adr/0140).
   * A predecessor on this machine is dead (the id is unique per process), so it is removed from the
   * group (a LeaveGroup on its behalf; one on another host is a replica given the same id): its partitions
   * move at once instead of after its session, and a rebalance stuck waiting for it ends
   * (docs/adr/0141). If that cannot be done, waits for the old session to end, up to one session
   * timeout; gives up at once when the group cannot be described.
   */
  private async awaitPredecessorGone(groupId: string, isStopped: () => boolean): Promise<void> {
    const deadline = Date.now() + SESSION_TIMEOUT_MS + HEARTBEAT_INTERVAL_MS;
    const evicted = new Set<string>();
    let waited = false;
    while (!isStopped() && Date.now() < deadline) {
      const members = await this.withAdmin((admin) => admin.describeGroups([groupId]))
        .then((described) => described.groups[0]?.members ?? [])
        .catch(() => []);
      const predecessors = members.filter(
        (member) => member.clientId === this.clientId && !this.ownMemberIds.has(member.memberId),
      );
      if (predecessors.length === 0) break;
      const fresh = predecessors.filter(
        ({ memberId, clientHost }) => !evicted.has(memberId) && isOwnHost(clientHost),
      );
      let removed = fresh.length > 0;
      for (const { memberId } of fresh) {
        evicted.add(memberId);
        const done = await evictMember(this.kafka, groupId, memberId).catch((error: unknown) => {
          this.log('warn', `could not remove the previous ${this.clientId} from ${groupId}`, {
            memberId,
            error: error instanceof Error ? error.message : String(error),
          });
          return false;
        });
        if (done) this.log('info', `removed the previous ${this.clientId} from ${groupId}`, { memberId });
        removed &&= done;
      }
      // Join at once: the group is rebalancing without the predecessor now.
      if (removed) return;
      if (!waited) this.log('info', `waiting for the previous ${this.clientId} to leave ${groupId}`, {});
      waited = true;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  private async withAdmin<T>(work: (admin: Admin) => Promise<T>): Promise<T> {
    const admin = this.kafka.admin();
    try {
      await admin.connect();
      return await work(admin);
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  /**
   * Creates the topics that do not exist yet (existing ones are left as they are) and waits until
   * every partition has a leader, so a publish right after does not race the new topic's metadata.
   */
  async ensureTopics(topics: { name: string; partitions: number }[], timeoutMs = 15000): Promise<void> {
    topics = topics.map(({ name, partitions }) => ({ name: this.namespaced(name), partitions }));
    await this.withAdmin(async (admin) => {
      await admin.createTopics({
        waitForLeaders: true,
        topics: topics.map(({ name, partitions }) => ({
          topic: name,
          numPartitions: partitions,
          replicationFactor: 1,
        })),
      });
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const metadata = await admin
          .fetchTopicMetadata({ topics: topics.map(({ name }) => name) })
          .catch(() => undefined);
        const led = metadata?.topics.every(
          (topic) => topic.partitions.length > 0 && topic.partitions.every((p) => p.leader >= 0),
        );
        if (led) return;
        if (Date.now() > deadline)
          throw new Error(
            `topics ${topics.map(({ name }) => name).join(', ')} have no leaders after ${timeoutMs} ms`,
          );
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    });
  }

  /**
   * Deletes every topic of this instance's namespace (a test's or a bench's own, when it is done with
   * them: a broker slows down as topics pile up). Refused without a namespace: that would be every topic.
   */
  async deleteNamespaceTopics(): Promise<void> {
    if (this.namespace === '') throw new Error('deleteNamespaceTopics needs a namespace');
    await this.withAdmin(async (admin) => {
      const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(this.namespace));
      if (topics.length > 0) await admin.deleteTopics({ topics });
    });
  }

  async deleteTopics(names: string[]): Promise<void> {
    await this.withAdmin((admin) =>
      admin.deleteTopics({ topics: names.map((name) => this.namespaced(name)) }),
    );
  }

  /**
   * Starts consuming in the background and returns at once: while no broker answers, the
   * consumer keeps trying (so a service starts, and reports not-ready, when Kafka is down).
   */
  async consume(options: ConsumeOptions): Promise<ConsumerHandle> {
    const consumer = this.kafka.consumer({
      groupId: this.namespaced(options.groupId),
      sessionTimeout: SESSION_TIMEOUT_MS,
      heartbeatInterval: HEARTBEAT_INTERVAL_MS,
      // kafkajs heartbeats between fetches: an idle member, in a fetch the broker holds up to this long,
      // hears of a rebalance only when it returns (5 s by default) and the whole group waits for it.
      maxWaitTimeInMs: HEARTBEAT_INTERVAL_MS,
      rebalanceTimeout: 10000,
      retry: { retries: 10 },
      partitionAssigners:
        options.assignment === 'ranges'
          ? [RangeAssigner, PartitionAssigners.roundRobin]
          : [PartitionAssigners.roundRobin],
    });
    this.consumers.add(consumer);
    let markReady: () => void = () => undefined;
    const ready = new Promise<void>((resolve) => (markReady = resolve));
    let joined = false;
    const fromBroker = (topic: string) => (options.external ? topic : topic.slice(this.namespace.length));
    let assignment = new Map<string, TopicPartition>();
    let memberId: string | undefined;
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      joined = true;
      this.ownMemberIds.add(payload.memberId);
      // A new member id means this consumer was out of the group (evicted, its session lost, restarted
      // after a crash): generations it missed may have given its partitions to another member and back,
      // so what it held before counts as revoked, even partitions it gets again.
      if (memberId !== undefined && memberId !== payload.memberId) {
        const lost = [...assignment.values()];
        assignment = new Map();
        if (lost.length > 0) options.onAssignmentChange?.({ assigned: [], revoked: lost });
      }
      memberId = payload.memberId;
      const next = new Map<string, TopicPartition>();
      for (const [topic, partitions] of Object.entries(payload.memberAssignment))
        for (const partition of partitions)
          next.set(`${topic}:${partition}`, { topic: fromBroker(topic), partition });
      const change: AssignmentChange = {
        assigned: [...next].filter(([id]) => !assignment.has(id)).map(([, tp]) => tp),
        revoked: [...assignment].filter(([id]) => !next.has(id)).map(([, tp]) => tp),
      };
      assignment = next;
      if (change.assigned.length > 0 || change.revoked.length > 0) options.onAssignmentChange?.(change);
      markReady();
    });
    let stopped = false;

    const brokerName = (topic: string) => (options.external ? topic : this.namespaced(topic));
    const isStopped = () => stopped;
    const perKey = 'handle' in options ? this.perKey(options, isStopped) : undefined;
    const start = async () => {
      if (!options.external) await this.ensureNamespacedTopics(options.topics);
      await consumer.connect();
      await consumer.subscribe({
        topics: options.topics.map(brokerName),
        fromBeginning: options.fromBeginning ?? false,
      });
      // Right before run() joins (connecting and subscribing do not): the rebalance that removing the
      // predecessor starts is then the one this member joins, not one more after it (docs/adr/0141).
      await this.awaitPredecessorGone(this.namespaced(options.groupId), isStopped);
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: options.partitionConcurrency ?? 1,
        eachBatch: async ({ batch, heartbeat, isStale, resolveOffset }) => {
          if (batch.messages.length === 0 || isStale()) return;
          const incoming: MessageBatch = {
            topic: fromBroker(batch.topic),
            partition: batch.partition,
            messages: batch.messages.map((message) => ({
              topic: fromBroker(batch.topic),
              partition: batch.partition,
              offset: message.offset,
              key: message.key ? message.key.toString('utf8') : null,
              value: message.value,
              headers: decodeHeaders(message.headers),
              timestamp: message.timestamp,
            })),
          };
          // kafkajs heartbeats only between batches: a batch that takes longer than the session
          // timeout (a busy machine, a slow database) would cost the member its partitions mid-batch.
          const keepAlive = setInterval(() => void heartbeat().catch(() => undefined), HEARTBEAT_INTERVAL_MS);
          let handled: boolean;
          try {
            handled = await handleWholeBatch(incoming, heartbeat, isStale);
          } finally {
            clearInterval(keepAlive);
          }
          if (!handled) return;
          const last = batch.messages[batch.messages.length - 1]!.offset;
          resolveOffset(last);
          try {
            await consumer.commitOffsets([
              { topic: batch.topic, partition: batch.partition, offset: (BigInt(last) + 1n).toString() },
            ]);
          } catch (error) {
            // The group moved on without this member (it missed its session, e.g. a stalled process):
            // kafkajs rejoins by itself, and the batch comes again to whoever owns the partition now.
            if (!isRebalanceError(error)) throw error;
            this.log('warn', `batch of ${options.groupId} not committed: the group rebalanced under it`, {
              topic: incoming.topic,
              partition: incoming.partition,
              error: error instanceof Error ? error.message : String(error),
            });
          }
        },
      });
    };
    /** False when the batch went stale (partition revoked) part way: nothing may be committed then. */
    const handleWholeBatch = async (
      incoming: MessageBatch,
      heartbeat: () => Promise<void>,
      isStale: () => boolean,
    ): Promise<boolean> => {
      if (perKey) await perKey(incoming, heartbeat);
      else if ('handleBatch' in options) {
        const handleBatch = options.handleBatch;
        try {
          await handleBatch(incoming);
        } catch (error) {
          this.log('warn', `batch of ${options.groupId} failed; handling it message by message`, {
            topic: incoming.topic,
            partition: incoming.partition,
            error: error instanceof Error ? error.message : String(error),
          });
          for (const message of incoming.messages) {
            if (isStale()) return false;
            await this.handleWithRetries(
              message,
              options,
              () => handleBatch({ ...incoming, messages: [message] }),
              heartbeat,
              isStopped,
            );
          }
        }
      }
      return true;
    };
    const startWithRetries = async () => {
      for (let delay = 250; !stopped; delay = Math.min(delay * 2, 5000)) {
        try {
          await start();
          return;
        } catch (error) {
          if (stopped) return;
          this.log('warn', `consumer ${options.groupId} cannot start yet; retrying in ${delay} ms`, {
            error: error instanceof Error ? error.message : String(error),
          });
          await consumer.disconnect().catch(() => undefined);
          await new Promise((resolve) => setTimeout(resolve, delay));
        }
      }
    };
    let starting = startWithRetries();
    // kafkajs restarts a crashed consumer only after a retriable error; after any other, a service
    // would stop consuming for good while looking alive. Start it again, as at start-up.
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (payload.restart || stopped) return;
      this.log('error', `consumer ${options.groupId} crashed; starting it again`, {
        error: payload.error.message,
      });
      starting = starting.then(async () => {
        await consumer.disconnect().catch(() => undefined);
        await startWithRetries();
      });
    });

    return {
      ready,
      get joined() {
        return joined;
      },
      stop: async () => {
        stopped = true;
        this.consumers.delete(consumer);
        // A start still under way (connect, subscribe) would set the consumer running after a
        // disconnect made now: let it settle first (bounded: the broker may be away).
        await Promise.race([starting, new Promise((resolve) => setTimeout(resolve, 10_000).unref())]);
        await consumer.disconnect();
      },
    };
  }

  /**
   * A batch handler for a one-message handler: each message in a CONSUMER span of its own (child of
   * its `traceparent`), a key's messages in order, keys side by side up to `keyConcurrency`; each
   * message with its own retries and, at the end of them, the dead-letter topic.
   */
  private perKey(
    options: CommonConsumeOptions & {
      handle: (message: IncomingMessage) => Promise<void>;
      keyConcurrency?: number;
      spanPerMessage?: boolean;
    },
    isStopped: () => boolean,
  ): (batch: MessageBatch, heartbeat: () => Promise<void>) => Promise<void> {
    const handleUntraced = (message: IncomingMessage, heartbeat: () => Promise<void>) =>
      context.with(contextFromTraceparent(message.headers.traceparent, ROOT_CONTEXT), () =>
        this.handleWithRetries(message, options, () => options.handle(message), heartbeat, isStopped),
      );
    const handleTraced = (message: IncomingMessage, heartbeat: () => Promise<void>) =>
      inSpan(
        `${message.topic} process`,
        {
          kind: SpanKind.CONSUMER,
          parent: contextFromTraceparent(message.headers.traceparent, ROOT_CONTEXT),
          attributes: {
            'messaging.system': 'kafka',
            'messaging.operation.type': 'process',
            'messaging.destination.name': message.topic,
            'messaging.consumer.group.name': this.namespaced(options.groupId),
            'messaging.destination.partition.id': String(message.partition),
            'messaging.kafka.offset': Number(message.offset),
            ...(message.key ? { 'messaging.kafka.message.key': message.key } : {}),
          },
        },
        () => this.handleWithRetries(message, options, () => options.handle(message), heartbeat, isStopped),
      );
    const handleOne = options.spanPerMessage === false ? handleUntraced : handleTraced;
    const limit = options.keyConcurrency ?? 1;
    return async ({ messages }, heartbeat) => {
      if (limit <= 1 || messages.length === 1) {
        for (const message of messages) await handleOne(message, heartbeat);
        return;
      }
      const byKey = new Map<string, IncomingMessage[]>();
      for (const message of messages) {
        const key = message.key ?? `offset:${message.offset}`;
        byKey.set(key, [...(byKey.get(key) ?? []), message]);
      }
      const queues = [...byKey.values()];
      const workers = Array.from({ length: Math.min(limit, queues.length) }, async () => {
        for (let queue = queues.shift(); queue; queue = queues.shift())
          for (const message of queue) await handleOne(message, heartbeat);
      });
      await Promise.all(workers);
    };
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.consumers].map((consumer) => consumer.disconnect()));
    this.consumers.clear();
    if (this.producerConnection) {
      const producer = await this.producerConnection.catch(() => undefined);
      this.producerConnection = undefined;
      await producer?.disconnect();
    }
  }

  /**
   * Handles a message with bounded retries, then the dead-letter topic. A failure that says a dependency
   * is unreachable (PostgreSQL restarting, the broker away) does not count: the message waits for it,
   * heartbeating, with the pause capped at 5 s, until it succeeds, the consumer stops or the group takes
   * the partition away (the heartbeat throws; the offset is not committed, so the new owner gets it).
   */
  private async handleWithRetries(
    message: IncomingMessage,
    options: CommonConsumeOptions,
    handle: () => Promise<void>,
    heartbeat: () => Promise<void>,
    isStopped: () => boolean,
  ): Promise<void> {
    const maxAttempts = options.maxAttempts ?? 5;
    const initialDelay = options.retryBackoffMs ?? 100;
    let delay = initialDelay;
    for (let attempt = 1, waited = 0; ;) {
      try {
        await handle();
        return;
      } catch (error) {
        trace.getActiveSpan()?.recordException(error instanceof Error ? error : String(error));
        const unavailable = isDependencyUnavailable(error);
        if (!unavailable && (attempt >= maxAttempts || error instanceof PoisonMessageError)) {
          await this.deadLetter(message, options.groupId, error, attempt);
          return;
        }
        if (isStopped()) throw error;
        if (unavailable) {
          if (waited++ % 20 === 0)
            this.log('warn', `a dependency of ${options.groupId} is unavailable; retrying the message`, {
              topic: message.topic,
              partition: message.partition,
              offset: message.offset,
              error: error instanceof Error ? error.message : String(error),
            });
        } else {
          attempt++;
        }
        await heartbeat();
        await new Promise((resolve) => setTimeout(resolve, delay));
        delay = Math.min(delay * 2, Math.max(5000, initialDelay));
      }
    }
  }

  private async deadLetter(message: IncomingMessage, groupId: string, error: unknown, attempts: number) {
    await this.publish(Topics.deadLetters, [
      {
        key: message.key ?? `${message.topic}:${message.partition}:${message.offset}`,
        value: message.value ?? '',
        headers: {
          ...message.headers,
          'spark-dlq-origin-topic': message.topic,
          'spark-dlq-origin-partition': String(message.partition),
          'spark-dlq-origin-offset': message.offset,
          'spark-dlq-consumer-group': groupId,
          'spark-dlq-attempts': String(attempts),
          'spark-dlq-error': error instanceof Error ? error.message : String(error),
        },
      },
    ]);
  }

  private producer(): Promise<Producer> {
    this.producerConnection ??= (async () => {
      const producer = this.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        createPartitioner: Partitioners.DefaultPartitioner,
        retry: { retries: 5 },
      });
      await producer.connect();
      return producer;
    })().catch((error: unknown) => {
      this.producerConnection = undefined;
      throw error;
    });
    return this.producerConnection;
  }
}
